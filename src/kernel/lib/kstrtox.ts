/*
 * kstrtox.ts - the kernel's number parsing (Linux lib/kstrtox.c and the
 * sysctl reader proc_get_long in kernel/sysctl.c).
 *
 * Base 0 everywhere here, as the kernel asks for it: "0x1f" is hex, "017"
 * octal, anything else decimal. kstrtoint wants the whole string to be the
 * number (one trailing newline allowed) and says ERANGE on overflow;
 * strtoul_lenient stops at the first character that is not a digit and
 * lets its caller judge what follows.
 */

import { EINVAL, ERANGE } from "../uapi/errno.js";

const INT_MAX = 2147483647;
const ULONG_MAX = 2n ** 64n - 1n;

/** _parse_integer_fixup_radix for base 0: the base and where the digits start. */
function fixup_radix(s: string, at: number): [number, number] {
  if (s[at] !== "0") return [10, at];
  if ((s[at + 1] === "x" || s[at + 1] === "X") && /[0-9a-fA-F]/.test(s[at + 2] ?? "")) return [16, at + 2];
  return [8, at];
}

/**
 * _parse_integer: the digits of `base` from `at`. Returns the value, where
 * the digits ended, and whether it overflowed an unsigned long.
 */
function parse_integer(s: string, at: number, base: number): { v: bigint; end: number; overflow: boolean } {
  let v = 0n;
  let i = at;
  let overflow = false;
  for (; i < s.length; i++) {
    const d = Number.parseInt(s[i], 16);
    if (Number.isNaN(d) || d >= base) break;
    v = v * BigInt(base) + BigInt(d);
    if (v > ULONG_MAX) overflow = true;
  }
  return { v, end: i, overflow };
}

/** strtoul_lenient(s + at, &end, 0): the number and the end, or -ERANGE. */
export function strtoul_lenient(s: string, at: number): { v: bigint; end: number } | number {
  const [base, from] = fixup_radix(s, at);
  const r = parse_integer(s, from, base);
  if (r.overflow) return -ERANGE;
  return { v: r.v, end: r.end };
}

/** kstrtoint(s, 0): a whole int ("+"/"-" sign, one trailing newline). [0, value] or [-EINVAL or -ERANGE, 0]. */
export function kstrtoint(s: string): [number, number] {
  let at = 0;
  let neg = false;
  if (s[0] === "-") {
    neg = true;
    at = 1;
  } else if (s[0] === "+") at = 1;
  const [base, from] = fixup_radix(s, at);
  const r = parse_integer(s, from, base);
  if (r.overflow) return [-ERANGE, 0];
  if (r.end === from) return [-EINVAL, 0];
  let end = r.end;
  if (s[end] === "\n") end++;
  if (end !== s.length) return [-EINVAL, 0];
  if (neg ? r.v > BigInt(INT_MAX) + 1n : r.v > BigInt(INT_MAX)) return [-ERANGE, 0];
  return [0, Number(neg ? -r.v : r.v)];
}

/** kstrtoul(s, 10): decimal digits (a '+' allowed), one trailing newline; null when malformed. */
export function kstrtoul10(s: string): number | null {
  const m = /^\+?(\d+)\n?$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  return Number.isSafeInteger(v) ? v : null;
}

/** kstrtouint(s, 10): as kstrtoul10, and no more than UINT_MAX. */
export function kstrtouint10(s: string): number | null {
  const v = kstrtoul10(s);
  return v !== null && v <= 0xffffffff ? v : null;
}

/** kstrtobool: y/Y/1/on and n/N/0/off (one trailing newline); null otherwise. */
export function kstrtobool(s: string): boolean | null {
  const t = s.replace(/\n$/, "");
  if (/^[yY1]/.test(t) || /^[oO][nN]/.test(t)) return true;
  if (/^[nN0]/.test(t) || /^[oO][fF]/.test(t)) return false;
  return null;
}

/** kstrtouint(s, 0): a whole unsigned int in base 0 (a '+' allowed, one trailing newline); null when malformed or too big. */
export function kstrtouint(s: string): number | null {
  const at = s[0] === "+" ? 1 : 0;
  const [base, from] = fixup_radix(s, at);
  const r = parse_integer(s, from, base);
  if (r.overflow || r.end === from || r.v > 0xffffffffn) return null;
  const end = s[r.end] === "\n" ? r.end + 1 : r.end;
  return end === s.length ? Number(r.v) : null;
}
