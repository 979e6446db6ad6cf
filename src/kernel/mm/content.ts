/*
 * content.ts - what a page holds, as a 32-bit content tag (DESIGN.md §3).
 *
 *   0                    all zeroes
 *   0xffffff00 | b       every byte is b (same-filled)
 *   anything else        bytes standing for the tag; bits 31..30 say how
 *                        they compress (zram uses it, mm/../block/zram.ts):
 *     class 0, 2  ordinary data, as program data compresses (2-3x)
 *     class 1     mostly one byte value: a memset buffer with a little
 *                 varying data per page (compresses to tens of bytes)
 *     class 3     incompressible, like random bytes
 *
 * Real bytes get a tag by hashing them (FNV-1a), with the class estimated
 * from a sample of the bytes; a tag gives back bytes of its class, so a page
 * read back and hashed again keeps its class.
 */

export const PAGE_BYTES = 4096;
export const SAME_FILLED = 0xffffff00;
export const TAG_ORDINARY = 0;
export const TAG_REPETITIVE = 1;
export const TAG_INCOMPRESSIBLE = 3;

/** The compressibility class of a tag (meaningless for zero and same-filled tags). */
export function tag_class(tag: number): number {
  return tag >>> 30;
}

/** A tag of the given class from a hash (never 0, never same-filled). */
export function make_tag(cls: number, hash: number): number {
  let t = ((cls << 30) | (hash & 0x3fffffff)) >>> 0;
  if (t >= SAME_FILLED) t -= 0x100;
  return t === 0 ? 1 : t;
}

/** How a page of bytes would compress: sample 256 bytes, count distinct values and the commonest. */
function classify(bytes: Uint8Array): number {
  const seen = new Uint16Array(256);
  let distinct = 0;
  let top = 0;
  const step = Math.max(1, bytes.length >> 8);
  let n = 0;
  for (let i = 0; i < bytes.length; i += step) {
    const c = ++seen[bytes[i]];
    if (c === 1) distinct++;
    if (c > top) top = c;
    n++;
  }
  if (top * 10 >= n * 9) return TAG_REPETITIVE;
  if (distinct >= 160) return TAG_INCOMPRESSIBLE;
  return TAG_ORDINARY;
}

/** tag_of: the tag of a page of real bytes. */
export function tag_of(bytes: Uint8Array): number {
  const b0 = bytes[0];
  const n = bytes.length;
  // Is every byte b0? Four at a time while the bytes are 4-aligned (a page mostly is), then one at a time.
  let i = 1;
  if ((bytes.byteOffset & 3) === 0 && n >= 8) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, n >>> 2);
    const w0 = Math.imul(b0, 0x01010101);
    let w = 0;
    while (w < words.length && words[w] === w0) w++;
    if (w > 0) i = w << 2;
  }
  while (i < n && bytes[i] === b0) i++;
  if (i >= n) return b0 === 0 ? 0 : (SAME_FILLED | b0) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
  return make_tag(classify(bytes), h >>> 0);
}

/** The bytes a tag stands for, of the tag's class. */
export function bytes_of_tag(tag: number): Uint8Array {
  const out = new Uint8Array(PAGE_BYTES);
  if (tag === 0) return out;
  if (tag >>> 0 >= SAME_FILLED) return out.fill(tag & 0xff);
  let x = tag >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const cls = tag_class(tag);
  if (cls === TAG_REPETITIVE) {
    out.fill(tag & 0xff);
    for (let i = 0; i < 8; i++) out[i] = next() & 0xff;
  } else if (cls === TAG_INCOMPRESSIBLE) {
    for (let i = 0; i < PAGE_BYTES; i++) out[i] = next() & 0xff;
  } else {
    // Text-like: a small alphabet.
    for (let i = 0; i < PAGE_BYTES; i++) out[i] = 0x40 | (next() & 0x1f);
  }
  return out;
}
