/*
 * loadavg.ts - the fixed-point exponential decay the load average and the
 * pressure averages share (include/linux/sched/loadavg.h, kernel/sched/
 * loadavg.c): values in FIXED_1 units (11 fractional bits).
 */

export const FSHIFT = 11;
export const FIXED_1 = 1 << FSHIFT;

/** calc_load: the new average after one period with `active` (rounded up while rising). */
export function calc_load(load: number, exp: number, active: number): number {
  let n = load * exp + active * (FIXED_1 - exp);
  if (active >= load) n += FIXED_1 - 1;
  return Math.floor(n / FIXED_1);
}

/** fixed_power_int: x^n in fixed point, rounding each step. */
export function fixed_power_int(x: number, n: number): number {
  let result = FIXED_1;
  const half = 1 << (FSHIFT - 1);
  while (n) {
    if (n & 1) result = Math.floor((result * x + half) / FIXED_1);
    n >>= 1;
    if (n) x = Math.floor((x * x + half) / FIXED_1);
  }
  return result;
}
