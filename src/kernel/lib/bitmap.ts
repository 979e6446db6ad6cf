/*
 * bitmap.ts - printing and parsing CPU masks (Linux lib/bitmap.c and
 * lib/vsprintf.c's "%*pb" / "%*pbl"). A mask is a bigint, bit n = CPU n.
 *
 *   "%*pb"   ff,ffffffff   32-bit chunks in hex, most significant first,
 *                          the first as wide as its bits need
 *   "%*pbl"  0-3,6         the set bits as ranges
 *
 * bitmap_parse and bitmap_parselist read those forms back, with the
 * errors /proc/irq's writes return: -EINVAL for what is no mask,
 * -EOVERFLOW for bits past nbits (hex), -ERANGE for a CPU past it (list).
 */

import { EINVAL, EOVERFLOW, ERANGE } from "../uapi/errno.js";

/** "%*pb": the bitmap in hex, 32-bit chunks separated by commas, the first as wide as its bits need. */
export function bitmap_string(mask: bigint, nbits: number): string {
  const out: string[] = [];
  let chunksz = nbits % 32 || 32;
  for (let i = Math.ceil(nbits / 32) * 32 - 32; i >= 0; i -= 32) {
    const val = (mask >> BigInt(i)) & ((1n << BigInt(chunksz)) - 1n);
    out.push(val.toString(16).padStart(Math.ceil(chunksz / 4), "0"));
    chunksz = 32;
  }
  return out.join(",");
}

/** "%*pbl": the set bits as ranges, "0-1,3". */
export function bitmap_list_string(mask: bigint, nbits: number): string {
  const out: string[] = [];
  for (let i = 0; i < nbits; i++) {
    if (!((mask >> BigInt(i)) & 1n)) continue;
    let j = i;
    while (j + 1 < nbits && (mask >> BigInt(j + 1)) & 1n) j++;
    out.push(i === j ? `${i}` : `${i}-${j}`);
    i = j;
  }
  return out.join(",");
}

const end_of_region = (c: string): boolean => c === "," || /\s/.test(c);

/**
 * bitmap_parse: comma-separated 32-bit hex chunks, the last one lowest,
 * up to the first newline. Returns the mask or -errno.
 */
export function bitmap_parse(buf: string, nbits: number): bigint | number {
  const nl = buf.indexOf("\n");
  const s = nl < 0 ? buf : buf.slice(0, nl);
  let end = s.length - 1;
  let chunks = Math.ceil(nbits / 32);
  let mask = 0n;
  for (let chunk = 0; ; chunk++) {
    while (end >= 0 && end_of_region(s[end])) end--;
    if (end < 0) break;
    if (!chunks--) return -EOVERFLOW;
    let val = 0;
    let done = false;
    for (let i = 0; i < 32; i += 4) {
      const c = Number.parseInt(s[end--], 16);
      if (Number.isNaN(c)) return -EINVAL;
      val += c * 2 ** i;
      if (end < 0 || end_of_region(s[end])) {
        done = true;
        break;
      }
    }
    if (!done && !Number.isNaN(Number.parseInt(s[end--], 16))) return -EOVERFLOW;
    mask |= BigInt(val) << BigInt(32 * chunk);
  }
  if (mask >> BigInt(nbits)) return -EOVERFLOW;
  return mask;
}

/**
 * bitmap_parselist: "0-2,5", "1-7:2/4" (every 4 from 1 to 7, 2 of each),
 * "N" for the last bit, "all". Returns the mask or -errno.
 */
export function bitmap_parselist(buf: string, nbits: number): bigint | number {
  const nl = buf.indexOf("\n");
  const s = (nl < 0 ? buf : buf.slice(0, nl)).trim();
  let mask = 0n;
  if (s === "") return mask;
  for (const region of s.split(",")) {
    const num = (t: string): number => (t === "N" ? nbits - 1 : /^\d+$/.test(t) ? Number(t) : Number.NaN);
    const m = /^([^-:/]+)(?:-([^:/]+))?(?::([^/]+)\/(.+))?$/.exec(region.trim());
    let start: number;
    let end: number;
    let off: number;
    let grp: number;
    if (region.trim() === "all") {
      start = 0;
      end = nbits - 1;
      off = grp = nbits;
    } else {
      if (!m) return -EINVAL;
      start = num(m[1]);
      end = m[2] === undefined ? start : num(m[2]);
      off = m[3] === undefined ? 1 : num(m[3]);
      grp = m[4] === undefined ? 1 : num(m[4]);
      if ([start, end, off, grp].some(Number.isNaN)) return -EINVAL;
    }
    if (start > end || grp === 0 || off > grp) return -EINVAL;
    if (end >= nbits) return -ERANGE;
    for (let b = start; b <= end; b++) if ((b - start) % grp < off) mask |= 1n << BigInt(b);
  }
  return mask;
}
