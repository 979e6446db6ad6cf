/*
 * sha1.ts - SHA-1 (FIPS 180-4): eighty steps over each 64-byte block with
 * a message schedule of rotated XORs, words big-endian.
 */

import { MdBlockHash } from "./md_block.js";

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

export class Sha1 extends MdBlockHash {
  private h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  private readonly w = new Int32Array(80);

  constructor() {
    super(64, false);
  }

  protected compress(b: DataView): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) w[i] = b.getInt32(i * 4);
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    let [a, bb, c, d, e] = this.h;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (bb & c) | (~bb & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = bb ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (bb & c) | (bb & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = bb ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
      e = d;
      d = c;
      c = rotl(bb, 30);
      bb = a;
      a = t;
    }
    this.h = [
      (this.h[0] + a) | 0,
      (this.h[1] + bb) | 0,
      (this.h[2] + c) | 0,
      (this.h[3] + d) | 0,
      (this.h[4] + e) | 0,
    ];
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(20);
    const v = new DataView(out.buffer);
    this.h.forEach((x, i) => {
      v.setUint32(i * 4, x >>> 0);
    });
    return out;
  }
}
