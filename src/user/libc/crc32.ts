/*
 * crc32.ts - the CRC-32 of zlib, gzip and Ethernet (libbb/crc32.c):
 * reflected polynomial 0xedb88320; callers start from all ones and invert
 * at the end.
 */

/** crc32_filltable(NULL, 0): the table of the reflected polynomial. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** crc32_block_endian0: `crc` carried over `buf`. */
export function crc32_block_endian0(crc: number, buf: Uint8Array): number {
  for (let i = 0; i < buf.length; i++) crc = TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return crc >>> 0;
}
