/*
 * string_helpers.ts - string_get_size (Linux lib/string_helpers.c): a size
 * to three significant figures in powers of 1000 ("537 MB") or 1024
 * ("512 MiB"), as disk drivers print their capacity.
 */

export const STRING_UNITS_10 = 0;
export const STRING_UNITS_2 = 1;

const UNITS = [
  ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"],
  ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"],
];
const ROUNDING = [500, 50, 5];

/** size blocks of blk_size bytes, in units (the kernel's arithmetic: the remainder of the last division rounds). */
export function string_get_size(size: number, blk_size: number, units: number): string {
  const divisor = units === STRING_UNITS_2 ? 1024 : 1000;
  let i = 0;
  let remainder = 0;
  let tmp = "";
  if (blk_size === 0) size = 0;
  if (size !== 0) {
    // Napier's reduction: keep both factors under 2^32 so their product is exact.
    while (blk_size >= 2 ** 32) {
      blk_size = Math.floor(blk_size / divisor);
      i++;
    }
    while (size >= 2 ** 32) {
      size = Math.floor(size / divisor);
      i++;
    }
    size *= blk_size;
    while (size >= divisor) {
      remainder = size % divisor;
      size = Math.floor(size / divisor);
      i++;
    }
    let j = 0;
    for (let sf_cap = size; sf_cap * 10 < 1000; j++) sf_cap *= 10;
    if (units === STRING_UNITS_2) remainder = (remainder * 1000) >>> 10;
    remainder += ROUNDING[j];
    if (remainder >= 1000) {
      remainder -= 1000;
      size += 1;
    }
    if (j) tmp = `.${String(remainder).padStart(3, "0")}`.slice(0, j + 1);
  }
  const unit = i < UNITS[units].length ? UNITS[units][i] : "UNK";
  return `${size}${tmp} ${unit}`;
}
