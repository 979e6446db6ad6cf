/*
 * md5.ts - MD5 (RFC 1321), as BusyBox's md5sum computes it: four rounds of
 * sixteen steps over each 64-byte block, words little-endian.
 */

import { MdBlockHash } from "./md_block.js";

/** The per-step shift amounts, four per round. */
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
/** K[i] = floor(abs(sin(i + 1)) * 2^32). */
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

export class Md5 extends MdBlockHash {
  private h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

  constructor() {
    super(64, true);
  }

  protected compress(b: DataView): void {
    const x = Array.from({ length: 16 }, (_, i) => b.getUint32(i * 4, true));
    let [a, bb, c, d] = this.h;
    for (let i = 0; i < 64; i++) {
      const r = i >> 4;
      let f: number;
      let g: number;
      if (r === 0) {
        f = (bb & c) | (~bb & d);
        g = i;
      } else if (r === 1) {
        f = (d & bb) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (r === 2) {
        f = bb ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (bb | ~d);
        g = (7 * i) & 15;
      }
      const t = (a + f + K[i] + x[g]) | 0;
      const s = S[(r << 2) | (i & 3)];
      a = d;
      d = c;
      c = bb;
      bb = (bb + ((t << s) | (t >>> (32 - s)))) | 0;
    }
    this.h = [(this.h[0] + a) | 0, (this.h[1] + bb) | 0, (this.h[2] + c) | 0, (this.h[3] + d) | 0];
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    this.h.forEach((w, i) => {
      v.setUint32(i * 4, w >>> 0, true);
    });
    return out;
  }
}
