/*
 * sha512.ts - SHA-512 (FIPS 180-4): eighty rounds over each 128-byte block
 * on 64-bit words, kept here as pairs of 32-bit halves (hi, lo) so that
 * every operation stays in JavaScript's fast integer arithmetic:
 *
 *   word i of a state  ->  hi = h[2i], lo = h[2i + 1]
 *
 * The constants are computed once, as the standard defines them: the
 * first 64 bits of the fractional parts of the square roots (initial
 * state) and cube roots (round constants) of the first primes.
 */

import { MdBlockHash } from "./md_block.js";

const MASK64 = (1n << 64n) - 1n;

/** floor(x^(1/k)) for a BigInt, by Newton's method. */
function iroot(x: bigint, k: bigint): bigint {
  let r = 1n << (BigInt(x.toString(2).length) / k + 1n);
  for (;;) {
    const next = ((k - 1n) * r + x / r ** (k - 1n)) / k;
    if (next >= r) return r;
    r = next;
  }
}

function primes(n: number): bigint[] {
  const out: bigint[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % Number(p) !== 0)) out.push(BigInt(c));
  return out;
}

/** The fractional part of p^(1/k), as 64 bits split into 32-bit halves. */
function fracRoots(count: number, k: bigint): Int32Array {
  const out = new Int32Array(count * 2);
  primes(count).forEach((p, i) => {
    const v = iroot(p << (64n * k), k) & MASK64;
    out[2 * i] = Number(v >> 32n) | 0;
    out[2 * i + 1] = Number(v & 0xffffffffn) | 0;
  });
  return out;
}

const K = fracRoots(80, 3n);
const H0 = fracRoots(8, 2n);

/* 64-bit helpers on (hi, lo) pairs; results in the module's scratch pair. */
let rh = 0;
let rl = 0;

function rotr(h: number, l: number, n: number): void {
  if (n >= 32) {
    const t = h;
    h = l;
    l = t;
    n -= 32;
  }
  if (n === 0) {
    rh = h;
    rl = l;
    return;
  }
  rh = (h >>> n) | (l << (32 - n));
  rl = (l >>> n) | (h << (32 - n));
}

function shr(h: number, l: number, n: number): void {
  rh = h >>> n;
  rl = (l >>> n) | (h << (32 - n));
}

/** Sums of (hi, lo) pairs given flat: add(h1, l1, h2, l2, ...). */
/**
 * The Σ and σ functions: x rotated right by a and by b, xor x rotated (Σ)
 * or shifted (σ) right by c; left in rh:rl.
 */
function sigma(h: number, l: number, a: number, b: number, c: number, rotate: boolean): void {
  rotr(h, l, a);
  let sh = rh;
  let sl = rl;
  rotr(h, l, b);
  sh ^= rh;
  sl ^= rl;
  if (rotate) rotr(h, l, c);
  else shr(h, l, c);
  rh ^= sh;
  rl ^= sl;
}

function add(...v: number[]): void {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < v.length; i += 2) {
    const l = (lo >>> 0) + (v[i + 1] >>> 0);
    hi = (hi + v[i] + Math.floor(l / 4294967296)) | 0;
    lo = l | 0;
  }
  rh = hi;
  rl = lo;
}

export class Sha512 extends MdBlockHash {
  private readonly h = Int32Array.from(H0);
  private readonly w = new Int32Array(160);

  constructor() {
    super(128, false);
  }

  protected compress(b: DataView): void {
    const w = this.w;
    for (let i = 0; i < 32; i++) w[i] = b.getInt32(i * 4);
    for (let i = 16; i < 80; i++) {
      sigma(w[2 * (i - 15)], w[2 * (i - 15) + 1], 1, 8, 7, false);
      const s0h = rh;
      const s0l = rl;
      sigma(w[2 * (i - 2)], w[2 * (i - 2) + 1], 19, 61, 6, false);
      const s1h = rh;
      const s1l = rl;
      add(w[2 * (i - 16)], w[2 * (i - 16) + 1], s0h, s0l, w[2 * (i - 7)], w[2 * (i - 7) + 1], s1h, s1l);
      w[2 * i] = rh;
      w[2 * i + 1] = rl;
    }
    const v = Int32Array.from(this.h); // a b c d e f g h, two halves each
    for (let i = 0; i < 80; i++) {
      const [ah, al, bh, bl, ch, cl, dh, dl, eh, el, fh, fl, gh, gl, hh, hl] = v;
      sigma(eh, el, 14, 18, 41, true);
      const S1h = rh;
      const S1l = rl;
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      add(hh, hl, S1h, S1l, chh, chl, K[2 * i], K[2 * i + 1], w[2 * i], w[2 * i + 1]);
      const t1h = rh;
      const t1l = rl;
      sigma(ah, al, 28, 34, 39, true);
      const S0h = rh;
      const S0l = rl;
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      v.copyWithin(2, 0, 14); // h = g, g = f, ... b = a
      add(dh, dl, t1h, t1l);
      v[8] = rh;
      v[9] = rl;
      add(t1h, t1l, S0h, S0l, majh, majl);
      v[0] = rh;
      v[1] = rl;
    }
    for (let i = 0; i < 8; i++) {
      add(this.h[2 * i], this.h[2 * i + 1], v[2 * i], v[2 * i + 1]);
      this.h[2 * i] = rh;
      this.h[2 * i + 1] = rl;
    }
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(64);
    const dv = new DataView(out.buffer);
    this.h.forEach((x, i) => {
      dv.setInt32(i * 4, x);
    });
    return out;
  }
}
