/*
 * inflate.ts - gunzip's decompressor (BusyBox archival/libarchive/
 * decompress_gunzip.c: unpack_gz_stream, inflate_block, inflate_codes).
 *
 * A .gz file is members one after another, each:
 *
 *   1f 8b 08 FLG MTIME(4) XFL OS [extra][name\0][comment\0][hcrc]
 *   deflate blocks (stored / fixed Huffman / dynamic Huffman)
 *   CRC32(4) ISIZE(4)
 *
 * After a member, two more bytes 1f 8b start the next one; anything else
 * is ignored. Output leaves in 32 KiB windows as BusyBox writes it: when an
 * error stops a member, what was decoded since the last full window is
 * lost. The messages are BusyBox's: "invalid magic", "corrupted data",
 * "unexpected end of file", "crc error", "incorrect length".
 *
 * The Huffman decoding is a canonical-code walk rather than bc.c's huft
 * tables; it accepts and rejects the same code sets (an incomplete set only
 * when its one code is a single bit).
 */

import { crc32_block_endian0 } from "./crc32.js";

const GUNZIP_WSIZE = 0x8000;

const CPLENS = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const CPLEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const CPDIST = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const CPDEXT = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const BORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

class InflateError extends Error {}

/** A canonical Huffman code: count of codes per length, symbols in code order. */
interface Huff {
  count: number[];
  symbol: number[];
}

/** huft_build's verdict: the code, or null when oversubscribed or (unless one 1-bit code) incomplete. */
function buildHuff(lengths: number[], incompleteOk = false): Huff | null {
  const count = new Array<number>(16).fill(0);
  for (const l of lengths) count[l]!++;
  if (count[0] === lengths.length) return { count, symbol: [] };
  let left = 1;
  let max = 0;
  for (let len = 1; len <= 15; len++) {
    left <<= 1;
    left -= count[len]!;
    if (left < 0) return null;
    if (count[len]) max = len;
  }
  if (left > 0 && max !== 1 && !incompleteOk) return null;
  const offs = new Array<number>(16).fill(0);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + count[len]!;
  const symbol: number[] = [];
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) symbol[offs[lengths[s]!]!++] = s;
  return { count, symbol };
}

class BitReader {
  pos: number;
  bitbuf = 0;
  bitcnt = 0;
  constructor(
    readonly src: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  bits(need: number): number {
    while (this.bitcnt < need) {
      if (this.pos >= this.src.length) throw new InflateError("unexpected end of file");
      this.bitbuf |= this.src[this.pos++]! << this.bitcnt;
      this.bitcnt += 8;
    }
    const v = this.bitbuf & ((1 << need) - 1);
    this.bitbuf >>>= need;
    this.bitcnt -= need;
    return v;
  }

  /** The input byte after the bits used (whole unused bytes go back). */
  bytePos(): number {
    return this.pos - (this.bitcnt >> 3);
  }

  decode(h: Huff): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= 15; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) {
        const s = h.symbol[index + (code - first)];
        if (s === undefined) throw new InflateError("corrupted data");
        return s;
      }
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new InflateError("corrupted data");
  }
}

const FIXED = (() => {
  const l: number[] = [];
  for (let i = 0; i < 288; i++) l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
  // the fixed distance code is incomplete (30 of 32 five-bit codes): allowed
  return { lit: buildHuff(l)!, dist: buildHuff(new Array<number>(30).fill(5), true)! };
})();

/** The window writer: full 32 KiB windows leave at once, the rest at the end of a member. */
class Window {
  buf = new Uint8Array(GUNZIP_WSIZE);
  w = 0;
  crc = ~0 >>> 0;
  total = 0;
  constructor(readonly emit: (b: Uint8Array) => void) {}
  put(b: number): void {
    this.buf[this.w++] = b;
    if (this.w === GUNZIP_WSIZE) this.flush();
  }
  flush(): void {
    const chunk = this.buf.slice(0, this.w);
    this.crc = crc32_block_endian0(this.crc, chunk);
    this.total += this.w;
    this.emit(chunk);
    this.w = 0;
  }
  /** The byte dist back (the window holds the last 32 KiB). */
  back(dist: number): number {
    return this.buf[(this.w - dist) & (GUNZIP_WSIZE - 1)]!;
  }
}

function inflateMember(br: BitReader, win: Window): void {
  let last: number;
  do {
    last = br.bits(1);
    const type = br.bits(2);
    if (type === 0) {
      br.bits(br.bitcnt & 7);
      const n = br.bits(16);
      const nc = br.bits(16);
      if (n !== (~nc & 0xffff)) throw new InflateError("corrupted data");
      for (let i = 0; i < n; i++) win.put(br.bits(8));
      continue;
    }
    let lit: Huff;
    let dist: Huff;
    if (type === 1) ({ lit, dist } = FIXED);
    else if (type === 2) [lit, dist] = dynamicTrees(br);
    else throw new InflateError("corrupted data");
    for (;;) {
      const sym = br.decode(lit);
      if (sym < 256) win.put(sym);
      else if (sym === 256) break;
      else {
        const li = sym - 257;
        if (li >= 29) throw new InflateError("corrupted data");
        const len = CPLENS[li]! + br.bits(CPLEXT[li]!);
        const ds = br.decode(dist);
        if (ds >= 30) throw new InflateError("corrupted data");
        const d = CPDIST[ds]! + br.bits(CPDEXT[ds]!);
        for (let i = 0; i < len; i++) win.put(win.back(d));
      }
    }
  } while (!last);
}

function dynamicTrees(br: BitReader): [Huff, Huff] {
  const nl = 257 + br.bits(5);
  const nd = 1 + br.bits(5);
  const nb = 4 + br.bits(4);
  if (nl > 286 || nd > 30) throw new InflateError("corrupted data");
  const bl = new Array<number>(19).fill(0);
  for (let j = 0; j < nb; j++) bl[BORDER[j]!] = br.bits(3);
  const blh = buildHuff(bl);
  if (!blh) throw new InflateError("corrupted data");
  const n = nl + nd;
  const ll: number[] = [];
  let l = 0;
  while (ll.length < n) {
    const j = br.decode(blh);
    if (j < 16) {
      ll.push(j);
      l = j;
      continue;
    }
    let rep: number;
    if (j === 16) rep = 3 + br.bits(2);
    else if (j === 17) {
      rep = 3 + br.bits(3);
      l = 0;
    } else {
      rep = 11 + br.bits(7);
      l = 0;
    }
    if (ll.length + rep > n) throw new InflateError("corrupted data");
    for (let k = 0; k < rep; k++) ll.push(l);
  }
  const lit = buildHuff(ll.slice(0, nl));
  const dist = buildHuff(ll.slice(nl));
  if (!lit || !dist) throw new InflateError("corrupted data");
  return [lit, dist];
}

/** check_header_gzip after the magic: false when cut short or not deflate. */
function skipHeader(src: Uint8Array, p: number): number {
  if (p + 8 > src.length) return -1;
  const method = src[p]!;
  let flags = src[p + 1]!;
  p += 8;
  if (method !== 8) return -1;
  if (flags & 0x04) {
    if (p + 2 > src.length) return -1;
    const xlen = src[p]! | (src[p + 1]! << 8);
    p += 2;
    if (p + xlen > src.length) return -1;
    p += xlen;
  }
  if (flags & 0x18) {
    for (;;) {
      do {
        if (p >= src.length) return -1;
      } while (src[p++] !== 0);
      if ((flags & 0x18) !== 0x18) break;
      flags &= ~0x18;
    }
  }
  if (flags & 0x02) {
    if (p + 2 > src.length) return -1;
    p += 2;
  }
  return p;
}

const u32 = (s: Uint8Array, p: number): number =>
  (s[p]! | (s[p + 1]! << 8) | (s[p + 2]! << 16) | (s[p + 3]! << 24)) >>> 0;

/**
 * unpack_gz_stream: src from its magic on. Output goes to emit as it is
 * decoded; the result is the error message (BusyBox prints "APPLET: MSG"),
 * or null.
 */
export function unpack_gz(src: Uint8Array, emit: (b: Uint8Array) => void): string | null {
  if (src.length < 2 || src[0] !== 0x1f || src[1] !== 0x8b) return "invalid magic";
  let p = 2;
  let error: string | null = null;
  for (;;) {
    p = skipHeader(src, p);
    if (p < 0) return "corrupted data";
    const win = new Window(emit);
    const br = new BitReader(src, p);
    try {
      inflateMember(br, win);
    } catch (e) {
      if (e instanceof InflateError) return e.message;
      throw e;
    }
    win.flush();
    p = br.bytePos();
    if (p + 8 > src.length) return "corrupted data";
    if (~win.crc >>> 0 !== u32(src, p)) return "crc error";
    if (win.total >>> 0 !== u32(src, p + 4)) error = "incorrect length";
    p += 8;
    if (p + 2 > src.length || src[p] !== 0x1f || src[p + 1] !== 0x8b) return error;
    p += 2;
  }
}
