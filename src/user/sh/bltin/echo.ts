/*
 * echo.ts - the echo and printf builtins (BusyBox coreutils/echo.c and
 * coreutils/printf.c, which ash runs in-process).
 *
 * echo builds its whole output and writes it once; when the write fails
 * (`echo abc > /proc/sys/vm/drop_caches`) it says so as BusyBox does,
 * "sh: write error: Invalid argument", and returns 1. printf is the
 * applet's code (printf_common), which just fails.
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { printf_common } from "../../applets/printf.js";
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

/** printf: the applet's code, its messages prefixed as the shell's (ash runs printf_main in-process). */
function* printfcmd(sh: Shell, argv: string[]): UserGen<number> {
  return yield* printf_common(argv, (msg) => puts(2, `${sh.applet}: ${msg}\n`), true);
}

export const echoBuiltins: Builtin[] = [
  { name: "echo", special: false, fn: echocmd },
  { name: "printf", special: false, fn: printfcmd },
];
