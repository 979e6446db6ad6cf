/*
 * libbb.ts - the small library every BusyBox applet leans on (BusyBox
 * libbb/): the usage text, error messages in BusyBox's words, option
 * parsing wrapped around getopt, number parsing with xatonum's checks, and
 * the number formats (make_human_readable_str, smart_ulltoa4/5).
 *
 * BusyBox "dies" from deep inside with bb_error_msg_and_die(); here a
 * helper prints the message and returns null, and the applet returns 1.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { GetoptError, getopt, type LongOpt, type Options } from "./getopt.js";
import { puts, strerror } from "./stdio.js";

export const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

/** bb_show_usage: the banner and "Usage: ..." on stderr; the status to exit with (1). */
export function* bb_show_usage(usage: string): UserGen<number> {
  yield* puts(2, usage_text(usage));
  return 1;
}

/** The usage block; an applet with an empty usage has "No help available" (egrep, "["). */
export function usage_text(usage: string): string {
  return usage ? `${BANNER}\n\nUsage: ${usage}\n` : `${BANNER}\n\nNo help available\n`;
}

/** bb_error_msg: "applet: message" on stderr. */
export function* bb_error_msg(applet: string, msg: string): UserGen<void> {
  yield* puts(2, `${applet}: ${msg}\n`);
}

/**
 * bb_perror_msg / bb_simple_perror_msg: "applet: message: strerror(errno)".
 * The ": " is there even when the message is empty (a file named ''):
 * BusyBox leaves it out only for bb_perror_nomsg.
 */
export function* bb_perror_msg(applet: string, msg: string, errno: number): UserGen<void> {
  yield* puts(2, `${applet}: ${msg}: ${strerror(errno)}\n`);
}

/** bb_perror_nomsg: "applet: strerror(errno)". */
export function* bb_perror_nomsg(applet: string, errno: number): UserGen<void> {
  yield* puts(2, `${applet}: ${strerror(errno)}\n`);
}

/**
 * getopt32 with BusyBox's reaction to a bad option: glibc's complaint, then
 * the usage text, and null (the applet exits 1).
 */
export function* bb_getopt(
  argv: readonly string[],
  spec: string,
  usage: string,
  longopts: LongOpt[] | null = [],
): UserGen<Options | null> {
  const o = getopt(argv, spec, longopts);
  if (o instanceof GetoptError) {
    yield* puts(2, `${o.message}\n`);
    yield* bb_show_usage(usage);
    return null;
  }
  return o;
}

/* ---- numbers (libbb/xatonum_template.c) ---- */

export interface Suffix {
  suffix: string;
  mult: number;
}

/** b k m: head, tail. */
export const bkm_suffixes: Suffix[] = [
  { suffix: "b", mult: 512 },
  { suffix: "k", mult: 1024 },
  { suffix: "m", mult: 1024 * 1024 },
];

/** c w b kB k MB M GB G (and the coreutils spellings): dd. */
export const cwbkMG_suffixes: Suffix[] = [
  { suffix: "c", mult: 1 },
  { suffix: "w", mult: 2 },
  { suffix: "b", mult: 512 },
  { suffix: "kB", mult: 1000 },
  { suffix: "kD", mult: 1000 },
  { suffix: "k", mult: 1024 },
  { suffix: "KB", mult: 1000 },
  { suffix: "KD", mult: 1000 },
  { suffix: "K", mult: 1024 },
  { suffix: "MB", mult: 1000000 },
  { suffix: "MD", mult: 1000000 },
  { suffix: "M", mult: 1048576 },
  { suffix: "GB", mult: 1000000000 },
  { suffix: "GD", mult: 1000000000 },
  { suffix: "G", mult: 1073741824 },
];

/** KiB K k MiB M m GiB G g (binary) and KB MB GB (decimal): fallocate, and more (libbb/xatonum.c). */
export const kmg_i_suffixes: Suffix[] = [
  { suffix: "KiB", mult: 1024 },
  { suffix: "kiB", mult: 1024 },
  { suffix: "K", mult: 1024 },
  { suffix: "k", mult: 1024 },
  { suffix: "MiB", mult: 1048576 },
  { suffix: "miB", mult: 1048576 },
  { suffix: "M", mult: 1048576 },
  { suffix: "m", mult: 1048576 },
  { suffix: "GiB", mult: 1073741824 },
  { suffix: "giB", mult: 1073741824 },
  { suffix: "G", mult: 1073741824 },
  { suffix: "g", mult: 1073741824 },
  { suffix: "KB", mult: 1000 },
  { suffix: "MB", mult: 1000000 },
  { suffix: "GB", mult: 1000000000 },
];

export const UINT_MAX = 4294967295;
export const INT_MAX = 2147483647;

export type NumResult = { ok: true; value: number } | { ok: false; msg: string };

/**
 * xstrtou_range_sfx: a decimal (or base-N) unsigned number, maybe with a
 * suffix; "invalid number 'X'" when it is not one or overflows `typeMax`
 * (unsigned int for the int-sized xatou/xatoi_positive, else 64 bits),
 * "number X is not in L..U range" when it is outside [lower, upper].
 */
export function strtou_range_sfx(
  s: string,
  base: number,
  lower: number,
  upper: number | bigint,
  suffixes: Suffix[] = [],
  typeMax = upper <= UINT_MAX ? UINT_MAX : 2 ** 64 - 1,
): NumResult {
  const inval: NumResult = { ok: false, msg: `invalid number '${s}'` };
  const range: NumResult = { ok: false, msg: `number ${s} is not in ${lower}..${upper} range` };
  if (s === "" || s[0] === "-" || s[0] === "+" || /^\s/.test(s)) return inval;
  const digits = base === 16 ? /^(?:0[xX])?[0-9a-fA-F]+/ : base === 8 ? /^[0-7]+/ : /^[0-9]+/;
  let m: RegExpExecArray | null;
  let r: bigint;
  let rest: string;
  if (base === 0) {
    m = /^0[xX][0-9a-fA-F]+|^0[0-7]*|^[1-9][0-9]*/.exec(s);
    if (!m) return inval;
    const t = m[0];
    r = /^0[xX]/.test(t) ? BigInt(t) : t.length > 1 && t[0] === "0" ? BigInt(`0o${t.slice(1)}`) : BigInt(t);
  } else {
    m = digits.exec(s);
    if (!m) return inval;
    r =
      base === 16
        ? BigInt(`0x${m[0].replace(/^0[xX]/, "")}`)
        : base === 8
          ? BigInt(`0o${m[0]}`)
          : BigInt(m[0]);
  }
  rest = s.slice(m[0].length);
  // 2 ** 64 - 1 is 2 ** 64 as a double: the type's real maximum
  const max = typeMax >= 2 ** 64 ? (1n << 64n) - 1n : BigInt(typeMax);
  if (r > max) return inval;
  if (rest) {
    const sfx = suffixes.find((x) => x.suffix === rest);
    if (!sfx) return inval;
    r *= BigInt(sfx.mult);
    if (r > max) return range;
    rest = "";
  }
  if (r < BigInt(lower) || r > BigInt(upper)) return range;
  return { ok: true, value: Number(r) };
}

/** Signed variant (xstrtoi_range): a leading '-' is allowed. */
export function strtoi_range(s: string, lower: number, upper: number, typeBits = 32): NumResult {
  const inval: NumResult = { ok: false, msg: `invalid number '${s}'` };
  const m = /^([-+]?)([0-9]+)$/.exec(s);
  if (!m) return inval;
  const v = BigInt(m[2]) * (m[1] === "-" ? -1n : 1n);
  const lim = 1n << BigInt(typeBits - 1);
  if (v >= lim || v < -lim) return inval;
  if (v < BigInt(lower) || v > BigInt(upper))
    return { ok: false, msg: `number ${s} is not in ${lower}..${upper} range` };
  return { ok: true, value: Number(v) };
}

/**
 * xstrtoi_range_sfx exactly as the template: one leading + or - is
 * skipped and the rest parsed unsigned (so "--5" is "invalid number '-5'"
 * and "-x" "invalid number 'x'"), then negated and checked against the range.
 */
export function xstrtoi_range(s: string, lower: number, upper: number): NumResult {
  let p = s;
  let u = INT_MAX;
  if (p[0] === "+" || p[0] === "-") {
    p = p.slice(1);
    if (p[0] === "-") u++; // the template looks at the next character: INT_MIN's magnitude
  }
  const r = strtou_range_sfx(p, 10, 0, u);
  if (!r.ok) return r;
  const v = s[0] === "-" ? -r.value : r.value;
  if (v < lower || v > upper) return { ok: false, msg: `number ${s} is not in ${lower}..${upper} range` };
  return { ok: true, value: v };
}

/** Parses with `f`; on failure prints "applet: msg" and returns null. */
export function* xnum(applet: string, r: NumResult): UserGen<number | null> {
  if (r.ok) return r.value;
  yield* bb_error_msg(applet, r.msg);
  return null;
}

/* ---- number formats ---- */

/**
 * make_human_readable_str(val, block_size, display_unit): "0", "512",
 * "4.8M", "996.8M"; with display_unit the value in that unit, rounded; with
 * block_size 0 no fractional digit.
 */
export function make_human_readable_str(val: number, block_size: number, display_unit: number): string {
  const units = ["", "K", "M", "G", "T", "P", "E", "Z", "Y"];
  if (val === 0) return "0";
  let v = BigInt(Math.floor(val));
  if (block_size > 1) v *= BigInt(block_size);
  if (display_unit) {
    v += BigInt(Math.floor(display_unit / 2));
    v /= BigInt(display_unit);
    return v.toString();
  }
  let frac = 0;
  let u = 0;
  while (v >= 1024n) {
    u++;
    frac = Math.floor((Number(v % 1024n) * 10 + 512) / 1024);
    v /= 1024n;
  }
  if (frac >= 10) {
    v++;
    frac = 0;
  }
  if (block_size === 0) {
    if (frac >= 5) v++;
    return `${v}${units[u]}`;
  }
  return u === 0 ? v.toString() : `${v}.${frac}${units[u]}`;
}

/** smart_ulltoa5: five characters, "12345", " 123m", "92.1m" (top's VSZ). */
export function smart_ulltoa5(ul: number, scale = " mgtpezy"): string {
  let idx = 0;
  let x = Math.floor(ul);
  if (x > 99999) {
    x *= 10;
    do {
      x = Math.floor(x / 1024);
      idx++;
    } while (x >= 100000);
  }
  let u = Math.floor(x / 10);
  let v = x % 10;
  const D = "0123456789";
  let fmt = " 123456789";
  const b: string[] = [];
  const put = (i: number, c: string): void => {
    b[i] = c;
    if (c !== " ") fmt = D;
  };
  if (!idx) {
    put(0, " 123456789"[Math.floor(u / 1000) % 10]);
    put(1, fmt[Math.floor(u / 100) % 10]);
    put(2, fmt[Math.floor(u / 10) % 10]);
    b[3] = fmt[u % 10];
    b[4] = D[v];
  } else {
    if (u >= 100) {
      put(0, " 123456789"[Math.floor(u / 1000) % 10]);
      put(1, fmt[Math.floor(u / 100) % 10]);
      v = u % 10;
      u = Math.floor(u / 10);
      b[2] = fmt[u % 10];
    } else {
      put(0, " 123456789"[Math.floor(u / 10)]);
      b[1] = fmt[u % 10];
      b[2] = ".";
    }
    b[3] = D[v];
    b[4] = scale[idx];
  }
  return b.join("");
}

/** smart_ulltoa4: four characters, "1234", "1.2m", " 27m" (ps's VSZ and RSS). */
export function smart_ulltoa4(ul: number, scale = " mgtpezy"): string {
  let idx = 0;
  let x = Math.floor(ul);
  if (x > 9999) {
    x *= 10;
    do {
      x = Math.floor(x / 1024);
      idx++;
    } while (x >= 10000);
  }
  let u = Math.floor(x / 10);
  let v = x % 10;
  const D = "0123456789";
  let fmt = " 123456789";
  const b: string[] = [];
  const put = (i: number, c: string): void => {
    b[i] = c;
    if (c !== " ") fmt = D;
  };
  if (!idx) {
    put(0, " 123456789"[Math.floor(u / 100) % 10]);
    put(1, fmt[Math.floor(u / 10) % 10]);
    b[2] = fmt[u % 10];
    b[3] = D[v];
  } else {
    if (u >= 10) {
      put(0, " 123456789"[Math.floor(u / 100) % 10]);
      v = u % 10;
      u = Math.floor(u / 10);
      b[1] = fmt[u % 10];
    } else {
      b[0] = D[u];
      b[1] = ".";
    }
    b[2] = D[v];
    b[3] = scale[idx];
  }
  return b.join("");
}

/** bb_basename: what follows the last slash. */
export function bb_basename(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? p : p.slice(i + 1);
}

/** concat_path_file: "dir" + "/" + "name", without doubling the slash. */
export function concat_path_file(dir: string, name: string): string {
  if (!dir) return name;
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * bb_process_escape_sequence: the escape after a backslash at s[i] (i points
 * past the backslash). \a \b \e \f \n \r \t \v \\, octal \NNN (1-3 digits),
 * hex \xHH (1-2 digits). An unknown letter gives "\" and consumes nothing.
 * Returns [character code, index after the sequence].
 */
export function process_escape(s: string, i: number): [number, number] {
  let q = i;
  let base = 8;
  let digits = 0;
  let n = 0;
  if (s[q] === "x") {
    q++;
    base = 16;
    digits++;
  }
  do {
    const ch = s[q] ?? "";
    let d = ch >= "0" && ch <= "9" ? ch.charCodeAt(0) - 48 : 99;
    if (d === 99 && /[a-z]/i.test(ch)) d = ch.toLowerCase().charCodeAt(0) - 97 + 10;
    if (d >= base) {
      if (base === 16) {
        digits--;
        if (digits === 0) return [92, i];
      }
      break;
    }
    const r = n * base + d;
    if (r > 255) break;
    n = r;
    q++;
  } while (++digits < 3);
  if (digits === 0) {
    const map: Record<string, number> = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
    const c = s[q];
    if (c !== undefined && c in map) return [map[c], q + 1];
    return [92, q];
  }
  return [n, q];
}

export type BigResult = { ok: true; value: bigint } | { ok: false; msg: string };

/**
 * xstrtoull_range on 64-bit values, kept as bigint: an unsigned number in
 * `base` (0: C's 0x/0 prefixes), "invalid number 'X'" past 2^64-1,
 * "number X is not in L..U range" outside [lower, upper].
 */
export function strtoull_range(s: string, base: number, lower: bigint, upper: bigint): BigResult {
  const m =
    base === 0
      ? /^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s)
      : base === 16
        ? /^(?:0[xX])?[0-9a-fA-F]+$/.exec(s)
        : /^[0-9]+$/.exec(s);
  if (!m) return { ok: false, msg: `invalid number '${s}'` };
  let v: bigint;
  if (/^0[xX]/.test(s) || base === 16) v = BigInt(`0x${s.replace(/^0[xX]/, "")}`);
  else if (base === 0 && s.length > 1 && s[0] === "0") v = BigInt(`0o${s.slice(1)}`);
  else v = BigInt(s);
  if (v > 0xffffffffffffffffn) return { ok: false, msg: `invalid number '${s}'` };
  if (v < lower || v > upper) return { ok: false, msg: `number ${s} is not in ${lower}..${upper} range` };
  return { ok: true, value: v };
}

/**
 * xstrtoll (xatonum_template's signed xstrto_range_sfx): one leading + or -
 * is taken off and the rest must be an unsigned number up to LLONG_MAX
 * (1.35 raises the limit to LLONG_MIN's magnitude only for a second sign,
 * which then fails anyway); its errors name the rest.
 */
export function strtoll_range(s: string, base: number): BigResult {
  const p = s[0] === "+" || s[0] === "-" ? s.slice(1) : s;
  const r = strtoull_range(p, base, 0n, (1n << 63n) - 1n);
  if (!r.ok) return r;
  return { ok: true, value: s[0] === "-" ? -r.value : r.value };
}
