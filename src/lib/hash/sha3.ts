/*
 * sha3.ts - SHA-3 (FIPS 202) on Keccak-f[1600], as BusyBox's sha3sum uses
 * it: a state of 25 lanes of 64 bits, input XORed into the first `rate`
 * bytes (200 - 2 * digest bytes) and the permutation run after each such
 * block; the end pads with 0x06 ... 0x80 and the digest is read from the
 * front of the state.
 *
 * Lanes are little-endian and held as 32-bit halves: lane (x, y) is
 * s[2 * (x + 5y)] (low half) and s[2 * (x + 5y) + 1] (high half). The
 * rotation offsets and round constants are derived as the standard
 * defines them (the (x, y) -> (y, 2x + 3y) walk and the LFSR rc(t)).
 */

import type { Hash } from "./md_block.js";

/** rho's rotation offset of each lane. */
const RHO = new Int32Array(25);
/** pi's destination of each lane: B[y, 2x + 3y] = A[x, y]. */
const PI = new Int32Array(25);
/** iota's round constants, low and high halves. */
const RC = new Int32Array(48);

{
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    RHO[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  for (let xx = 0; xx < 5; xx++)
    for (let yy = 0; yy < 5; yy++) PI[xx + 5 * yy] = yy + 5 * ((2 * xx + 3 * yy) % 5);
  // rc(t): the LFSR x^8 + x^6 + x^5 + x^4 + 1
  let r = 1;
  const bits: number[] = [];
  for (let t = 0; t < 7 * 24; t++) {
    bits.push(r & 1);
    r <<= 1;
    if (r & 0x100) r ^= 0x171;
  }
  for (let i = 0; i < 24; i++)
    for (let j = 0; j < 7; j++)
      if (bits[j + 7 * i]) {
        const pos = 2 ** j - 1;
        if (pos < 32) RC[2 * i] |= 1 << pos;
        else RC[2 * i + 1] |= 1 << (pos - 32);
      }
}

/** Keccak-f[1600] on the state. */
function keccakf(s: Int32Array): void {
  const c = new Int32Array(10);
  const b = new Int32Array(50);
  for (let round = 0; round < 24; round++) {
    // theta
    for (let x = 0; x < 5; x++) {
      c[2 * x] = s[2 * x] ^ s[2 * x + 10] ^ s[2 * x + 20] ^ s[2 * x + 30] ^ s[2 * x + 40];
      c[2 * x + 1] = s[2 * x + 1] ^ s[2 * x + 11] ^ s[2 * x + 21] ^ s[2 * x + 31] ^ s[2 * x + 41];
    }
    for (let x = 0; x < 5; x++) {
      const p = 2 * ((x + 4) % 5);
      const n = 2 * ((x + 1) % 5);
      // D = C[x-1] ^ rotl(C[x+1], 1)
      const dl = c[p] ^ ((c[n] << 1) | (c[n + 1] >>> 31));
      const dh = c[p + 1] ^ ((c[n + 1] << 1) | (c[n] >>> 31));
      for (let y = 0; y < 25; y += 5) {
        s[2 * (x + y)] ^= dl;
        s[2 * (x + y) + 1] ^= dh;
      }
    }
    // rho and pi
    for (let i = 0; i < 25; i++) {
      let lo = s[2 * i];
      let hi = s[2 * i + 1];
      let n = RHO[i];
      if (n >= 32) {
        const t = lo;
        lo = hi;
        hi = t;
        n -= 32;
      }
      const d = 2 * PI[i];
      if (n === 0) {
        b[d] = lo;
        b[d + 1] = hi;
      } else {
        b[d] = (lo << n) | (hi >>> (32 - n));
        b[d + 1] = (hi << n) | (lo >>> (32 - n));
      }
    }
    // chi
    for (let y = 0; y < 25; y += 5)
      for (let x = 0; x < 5; x++) {
        const i = 2 * (x + y);
        const i1 = 2 * (((x + 1) % 5) + y);
        const i2 = 2 * (((x + 2) % 5) + y);
        s[i] = b[i] ^ (~b[i1] & b[i2]);
        s[i + 1] = b[i + 1] ^ (~b[i1 + 1] & b[i2 + 1]);
      }
    // iota
    s[0] ^= RC[2 * round];
    s[1] ^= RC[2 * round + 1];
  }
}

export class Sha3 implements Hash {
  private readonly s = new Int32Array(50);
  private readonly bytes = new Uint8Array(this.s.buffer);
  private readonly rate: number;
  private fill = 0;

  /** bits: the digest's size (224, 256, 384, 512). */
  constructor(private readonly bits: number) {
    this.rate = 200 - bits / 4;
  }

  update(data: Uint8Array): void {
    for (const byte of data) {
      this.bytes[this.fill++] ^= byte;
      if (this.fill === this.rate) {
        keccakf(this.s);
        this.fill = 0;
      }
    }
  }

  digest(): Uint8Array {
    this.bytes[this.fill] ^= 0x06;
    this.bytes[this.rate - 1] ^= 0x80;
    keccakf(this.s);
    const out = new Uint8Array(this.bits / 8);
    for (let o = 0; o < out.length; ) {
      const n = Math.min(this.rate, out.length - o);
      out.set(this.bytes.subarray(0, n), o);
      o += n;
      if (o < out.length) keccakf(this.s);
    }
    return out;
  }
}
