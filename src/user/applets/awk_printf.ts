/*
 * awk_printf.ts - numbers as text in awk (BusyBox editors/awk.c's fmt_num
 * and awk_printf), on top of the C conversions in src/lib/sprintf.ts
 * (integers, strings) and src/user/libc/printf.ts (floating point).
 *
 * fmt_num: a whole number that fits a long long prints as one ("%lld"),
 * anything else through CONVFMT or OFMT ("%.6g"): 1e6 is 1000000, 1e20 is
 * 1e+20, 0.1+0.2 is 0.3.
 *
 * awk_printf walks the format as BusyBox does: each conversion takes the
 * literal text before it along; after the "%" everything up to the first
 * letter belongs to the conversion ("%5%z" is one, and invalid), "*" is
 * refused, and the letter decides: c (a number is a character code, a
 * string gives its first character), s, d i o u x X (the value converted
 * to a C int: out of range is INT_MIN, as on x86), e E f F g G a A;
 * anything else is "Invalid format specifier". Missing arguments are empty.
 */

import { formatOne } from "../../lib/sprintf.js";
import { format_double } from "../libc/printf.js";

/** A runtime error: awk.ts prints "awk: PROG:LINE: MSG" and exits 1. */
export class AwkError extends Error {
  constructor(readonly msg: string) {
    super(msg);
  }
}

/** (int)d as x86 converts it: NaN and out-of-range values are INT_MIN. */
export function to_int32(d: number): number {
  if (!(d >= -2147483648 && d < 2147483648)) return -2147483648;
  return Math.trunc(d);
}

/** One C conversion of a double (the spec is "%[flags][width][.prec]conv"). */
function format_one_double(spec: string, v: number): string {
  const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?([a-zA-Z])$/.exec(spec);
  if (!m) return spec;
  const [, flags, w, p, conv] = m;
  const width = w ? Number(w) : 0;
  const prec = p === undefined ? undefined : Number(p || "0");
  if ("diouxX".includes(conv)) {
    const i = to_int32(v);
    return formatOne(conv === "i" ? "d" : conv, flags, width, prec, "di".includes(conv) ? i : i >>> 0);
  }
  return format_double("aA".includes(conv) ? (conv === "a" ? "e" : "E") : conv, flags, width, prec, v);
}

/** fmt_num: a number as awk shows it, with CONVFMT or OFMT as `format`. */
export function fmt_num(format: string, n: number): string {
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) return BigInt(n).toString();
  const conv = format[format.length - 1] ?? "";
  if (!"diouxXeEfFgGaA".includes(conv) || !conv) throw new AwkError("Invalid format specifier");
  return format_one_double(format, n);
}

/** One printf argument: how the conversion letter wants it. */
export interface PrintfArg {
  str(): string;
  num(): number;
  isNum(): boolean;
}

/** "%%" in literal text is one "%". */
function literal(s: string): string {
  return s.replace(/%%/g, "%");
}

/** awk_printf: the formatted text. */
export function awk_printf(fmt: string, args: PrintfArg[]): string {
  let out = "";
  let ai = 0;
  let f = 0;
  while (f < fmt.length) {
    const s = f;
    // the literal text, "%%" included
    while (f < fmt.length) {
      if (fmt[f] !== "%") f++;
      else if (fmt[f + 1] === "%") f += 2;
      else {
        f++;
        break;
      }
    }
    while (f < fmt.length && !/[A-Za-z]/.test(fmt[f])) {
      if (fmt[f] === "*") throw new AwkError("%*x formats are not supported");
      f++;
    }
    if (f >= fmt.length) {
      out += literal(fmt.slice(s));
      break;
    }
    const c = fmt[f++];
    const chunk = fmt.slice(s, f);
    const pct = chunk.search(/%(?!%)[^%]*$/);
    const text = literal(chunk.slice(0, pct));
    const spec = chunk.slice(pct);
    const arg = args[ai++];
    if (c === "c") {
      const ch =
        arg === undefined
          ? "\0"
          : arg.isNum()
            ? String.fromCharCode(to_int32(arg.num()) & 255)
            : (arg.str()[0] ?? "\0");
      out += text + c_or_s(spec, ch);
    } else if (c === "s") out += text + c_or_s(spec, arg ? arg.str() : "");
    else if ("diouxXeEfFgGaA".includes(c)) out += text + format_one_double(spec, arg ? arg.num() : 0);
    else throw new AwkError("Invalid format specifier");
  }
  return out;
}

function c_or_s(spec: string, v: string): string {
  const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?[cs]$/.exec(spec);
  if (!m) return v;
  const prec = m[3] === undefined || spec.endsWith("c") ? undefined : Number(m[3] || "0");
  return formatOne("s", m[1], m[2] ? Number(m[2]) : 0, prec, v);
}
