/*
 * echo.ts - the echo and printf builtins (BusyBox coreutils/echo.c and
 * coreutils/printf.c, which ash runs in-process).
 *
 * Both build their whole output and write it once. When the write fails
 * (`echo abc > /proc/sys/vm/drop_caches`) they say so as BusyBox does,
 * "sh: write error: Invalid argument", and return 1.
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { conv_strtod, format_double } from "../../libc/printf.js";
import { enc, puts, strerror, write_all } from "../../libc/stdio.js";
import type { Builtin } from "../builtins.js";
import type { Shell } from "../shell.js";

/**
 * A byte from an escape (\377, \xff) is not a character: it is carried as a
 * lone surrogate U+DC80..U+DCFF (Python's "surrogateescape") and written
 * back as that one byte; everything else is written as UTF-8.
 */
export function rawByte(b: number): string {
  return b < 0x80 ? String.fromCharCode(b) : String.fromCharCode(0xdc00 + b);
}

function encodeOutput(s: string): Uint8Array {
  if (!/[\udc80-\udcff]/.test(s)) return enc(s);
  const parts: Uint8Array[] = [];
  let text = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0xdc80 && c <= 0xdcff) {
      parts.push(enc(text), new Uint8Array([c - 0xdc00]));
      text = "";
    } else text += ch;
  }
  parts.push(enc(text));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Writes a builtin's output; on failure echo prints BusyBox's write error (printf just fails). */
export function* output(sh: Shell, s: string, quiet = false): UserGen<number> {
  if (!s) return 0;
  const r = yield* write_all(1, encodeOutput(s));
  if (r < 0) {
    if (!quiet) yield* puts(2, `${sh.applet}: write error: ${strerror(r)}\n`);
    return 1;
  }
  return 0;
}

const SIMPLE_ESC: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/**
 * bb_process_escape_sequence over a string: returns the text and whether a
 * \c asked to stop all output. octal0 allows \0NNN (echo -e, %b).
 */
export function unbackslash(s: string, octal0: boolean): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === "c") return { text: out, stop: true };
    if (n in SIMPLE_ESC) {
      out += SIMPLE_ESC[n];
      i++;
      continue;
    }
    if (n === "x" && /[0-9A-Fa-f]/.test(s[i + 2] ?? "")) {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(s.slice(i + 2))![0];
      out += rawByte(Number.parseInt(m, 16));
      i += 1 + m.length;
      continue;
    }
    if (/[0-7]/.test(n)) {
      let j = i + 1;
      if (octal0 && n === "0") j++;
      const m = /^[0-7]{0,3}/.exec(s.slice(j))![0];
      out += rawByte(Number.parseInt(m || "0", 8) & 0xff);
      i = j + m.length - 1;
      continue;
    }
    out += c;
  }
  return { text: out, stop: false };
}

function* echocmd(sh: Shell, argv: string[]): UserGen<number> {
  let i = 1;
  let nl = true;
  let esc = false;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++)
    for (const c of argv[i].slice(1)) {
      if (c === "n") nl = false;
      // 1.35's echo: -E is taken as an option but never undoes an -e.
      else if (c === "e") esc = true;
    }
  let out = "";
  for (let j = i; j < argv.length; j++) {
    if (j > i) out += " ";
    if (esc) {
      const u = unbackslash(argv[j], true);
      out += u.text;
      if (u.stop) return yield* output(sh, out);
    } else out += argv[j];
  }
  if (nl) out += "\n";
  return yield* output(sh, out);
}

/** A numeric printf argument: 'c gives the character's code; bad text is an error. */
function toNumber(arg: string | undefined, errors: string[]): bigint {
  // a missing argument reads as "" and is complained about like any bad number
  if (arg === undefined || arg === "") {
    errors.push("");
    return 0n;
  }
  if (arg[0] === "'" || arg[0] === '"') return BigInt(arg.length > 1 ? arg.codePointAt(1)! : 0);
  // strtoll: leading white space is fine, anything left over is not
  const t = arg.replace(/^[ \t\n\v\f\r]+/, "");
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(t);
  // an invalid number converts as 0, whatever its numeric beginning
  if (!m || m[0].length !== t.length) {
    errors.push(arg);
    return 0n;
  }
  const body = m[2];
  let v =
    body.startsWith("0x") || body.startsWith("0X")
      ? BigInt(body)
      : body.length > 1 && body[0] === "0"
        ? BigInt(`0o${body.slice(1)}`)
        : BigInt(body);
  if (m[1] === "-") v = -v;
  return v;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s.padEnd(width);
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0] : "";
    return sign + s.slice(sign.length).padStart(width - sign.length, "0");
  }
  return s.padStart(width);
}

function* printfcmd(sh: Shell, argv: string[]): UserGen<number> {
  // A leading "--" is skipped, as coreutils does (printf_main).
  if (argv[1] === "--") argv = [argv[0], ...argv.slice(2)];
  if (argv.length < 2) {
    yield* puts(2, `${sh.applet}: usage: printf FORMAT [ARGUMENT...]\n`);
    return 2;
  }
  const fmt = argv[1];
  const args = argv.slice(2);
  let ai = 0;
  let out = "";
  let status = 0;
  const errors: string[] = [];
  const soft: string[] = [];
  const next = (): string | undefined => args[ai++];
  /** A * width or precision: a missing one is 0 without a word, a bad one is reported. */
  const starArg = (a: string | undefined): number => {
    if (a === undefined) return 0;
    // a width or precision is a decimal int: 077 is 77, and too big is invalid
    if (/^[+-]?\d+$/.test(a) && Math.abs(Number(a)) <= 0x7fffffff) return Number.parseInt(a, 10);
    soft.push(a);
    return 0;
  };
  /**
   * bb_error_msg flushes stdout first: what printf made so far comes out,
   * then the complaint, then the bad conversion's own text. Returns 1 when
   * a value (not just a * width) was bad.
   */
  const complain = function* (): UserGen<number> {
    yield* output(sh, out, true);
    out = "";
    let hard = 0;
    for (const e of soft.splice(0)) yield* puts(2, `${sh.applet}: invalid number '${e}'\n`);
    for (const e of errors.splice(0)) {
      yield* puts(2, `${sh.applet}: invalid number '${e}'\n`);
      hard = 1;
    }
    return hard;
  };
  for (;;) {
    const start = ai;
    for (let i = 0; i < fmt.length; i++) {
      const c = fmt[i];
      if (c === "\\") {
        const m = /^\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)/s.exec(fmt.slice(i))!;
        if (m[1] === "c") return (yield* output(sh, out, true)) || status;
        out += unbackslash(m[0], false).text;
        i += m[0].length - 1;
        continue;
      }
      if (c !== "%") {
        out += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])?/.exec(fmt.slice(i))!;
      // print_formatted names the directive and the rest of the format after it.
      const directive = fmt.slice(i);
      i += m[0].length - 1;
      const flags = m[1];
      // a bad * width or precision is reported but does not fail printf
      let width = m[2] === "*" ? starArg(next()) : Number(m[2] ?? 0);
      const precText = m[3];
      let prec = precText === undefined ? -1 : precText === "*" ? starArg(next()) : Number(precText || 0);
      if (soft.length) yield* complain();
      const conv = m[4] ?? "";
      let left = flags.includes("-");
      if (width < 0) {
        left = true;
        width = -width;
      }
      if (prec < -1) prec = -1;
      const zero = flags.includes("0") && !left;
      // Only a bare "%%" is a percent sign: "%5%" is an invalid format.
      switch (conv === "%" && m[0] !== "%%" ? "" : conv) {
        case "%":
          out += "%";
          break;
        case "s": {
          let s = next() ?? "";
          if (prec >= 0) s = s.slice(0, prec);
          out += pad(s, width, left, false);
          break;
        }
        case "b": {
          const u = unbackslash(next() ?? "", true);
          out += pad(u.text, width, left, false);
          if (u.stop) return (yield* output(sh, out, true)) || status;
          break;
        }
        case "c":
          out += pad((next() ?? "").slice(0, 1) || "\0", width, left, false);
          break;
        case "d":
        case "i":
        case "u":
        case "o":
        case "x":
        case "X": {
          let v = toNumber(next(), errors);
          if (errors.length) status = (yield* complain()) || status;
          let s: string;
          if (conv === "d" || conv === "i") {
            s = v.toString();
            if (v >= 0n && flags.includes("+")) s = `+${s}`;
            else if (v >= 0n && flags.includes(" ")) s = ` ${s}`;
          } else {
            v = BigInt.asUintN(64, v);
            s = v.toString(conv === "o" ? 8 : conv === "u" ? 10 : 16);
            if (conv === "X") s = s.toUpperCase();
            if (flags.includes("#") && v !== 0n)
              s = conv === "o" ? `0${s}` : conv === "x" ? `0x${s}` : conv === "X" ? `0X${s}` : s;
          }
          if (prec >= 0) {
            const sign = /^[+ -]/.test(s) ? s[0] : "";
            s = sign + s.slice(sign.length).padStart(prec, "0");
          }
          out += pad(s, width, left, zero && prec < 0);
          break;
        }
        case "e":
        case "E":
        case "f":
        case "g":
        case "G": {
          const a = next() ?? "";
          // A character constant ('A) is its code, as for the integer conversions.
          const d =
            a[0] === "'" || a[0] === '"'
              ? { v: a.length > 1 ? a.codePointAt(1)! : 0, ok: true }
              : conv_strtod(a);
          if (!d.ok) {
            errors.push(a);
            status = (yield* complain()) || status;
          }
          const fl = (left ? "-" : "") + flags.replace(/-/g, "");
          out += format_double(conv, fl, width, prec < 0 ? undefined : prec, d.v, "negnan" in d && d.negnan);
          break;
        }
        default:
          yield* output(sh, out, true);
          yield* puts(2, `${sh.applet}: ${directive}: invalid format\n`);
          return 1;
      }
      // stdout is buffered until the end, stderr is not: the complaints come first
    }
    if (ai >= args.length || ai === start) break;
  }
  return (yield* output(sh, out, true)) || status;
}

export const echoBuiltins: Builtin[] = [
  { name: "echo", special: false, fn: echocmd },
  { name: "printf", special: false, fn: printfcmd },
];
