/*
 * printf.ts - printf (coreutils/printf.c): format and print ARGs like C's
 * printf. The format is used again while arguments remain.
 *
 * Conversions d i o u x X (64-bit, "'c" gives the code of c), f e g E G,
 * c s, and b (the argument with echo -e's escapes). Widths and precisions
 * may be "*". Length modifiers l L h z are dropped. Escapes in the format
 * are processed; \c (there or in a %b argument) stops all output. A bad
 * number prints "printf: invalid number 'X'", uses 0 and makes the status
 * 1; an unknown conversion stops with "printf: %q: invalid format".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { formatOne } from "../../lib/sprintf.js";
import { bb_error_msg, bb_show_usage, process_escape } from "../libc/libbb.js";
import { conv_strtod, format_double } from "../libc/printf.js";
import { enc, write_all } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `printf FORMAT [ARG]...

Format and print ARG(s) according to FORMAT (a-la C printf)`;

interface State {
  args: string[];
  next: number;
  out: number[];
  /** Error lines, with how much output came before each. */
  errors: { at: number; msg: string; fatal?: boolean }[];
  stop: boolean;
}

function emit(st: State, s: string): void {
  for (const b of enc(s)) st.out.push(b);
}

/** bb_strtoll(arg, NULL, 0) with errno: a bigint, or null when it is not a whole number. */
function strtoll(s: string): bigint | null {
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const t = m[2];
  const v = /^0[xX]/.test(t)
    ? BigInt(t)
    : t.length > 1 && t[0] === "0"
      ? BigInt(`0o${t.slice(1)}`)
      : BigInt(t);
  const r = m[1] === "-" ? -v : v;
  return r;
}

function take(st: State): string | undefined {
  return st.next < st.args.length ? st.args[st.next++] : undefined;
}

/** A character constant ('A or "A) is its code. */
function charconst(a: string): string {
  return a[0] === "'" || a[0] === '"' ? String(a.length > 1 ? enc(a.slice(1))[0] : 0) : a;
}

/**
 * A "*" width or precision: get_width_prec's bb_strtoi(arg, NULL, 10), a
 * decimal int (077 is 77, "+5" and " 5" are bad); 0 after a complaint, and 0 without one when the
 * arguments have run out.
 */
function star_arg(st: State): number {
  const raw = take(st);
  if (raw === undefined) return 0;
  // no sign but "-", no blanks, no 'c constant
  const a = raw;
  const v = /^-?\d+$/.test(a) ? BigInt(a) : null;
  if (v === null || v > 2147483647n || v < -2147483648n) {
    // get_width_prec() complains but leaves the exit status alone
    st.errors.push({ at: st.out.length, msg: `invalid number '${a}'`, fatal: false });
    return 0;
  }
  return Number(v);
}

/** Widths past this are clamped: the simulated terminal does not need gigabytes of spaces. */
const MAX_WIDTH = 1 << 20;

function int_arg(st: State, unsigned: boolean): bigint {
  const raw = take(st) ?? "";
  const a = charconst(raw);
  // blanks are skipped and one "+" dropped (conv_strtoll); then bb_strtoll wants a letter or
  // digit first, after a "-" ("++5", "+ 7", "- 5" and "-+1" are bad)
  const skipped = a.replace(/^[ \t\n\v\f\r]+/, "");
  const b = skipped[0] === "+" ? skipped.slice(1) : skipped;
  const v = /^-?[0-9A-Za-z]/.test(b) ? strtoll(b) : null;
  // strtoll's range, or strtoull's for the unsigned conversions (which take negatives too)
  const ok = v !== null && v >= -(1n << 63n) && v < (unsigned ? 1n << 64n : 1n << 63n);
  if (!ok) {
    // the complaint names the argument from its first non-blank ("+x" keeps its "+")
    st.errors.push({ at: st.out.length, msg: `invalid number '${skipped}'` });
    return 0n;
  }
  return unsigned ? BigInt.asUintN(64, v!) : v!;
}

function double_arg(st: State): { v: number; negnan?: boolean } {
  const a = charconst(take(st) ?? "");
  const r = conv_strtod(a);
  if (!r.ok) st.errors.push({ at: st.out.length, msg: `invalid number '${a}'` });
  return r;
}

/** %b: the argument with its escapes; \c stops everything. */
function esc_string(st: State, s: string): void {
  for (let i = 0; i < s.length; ) {
    if (s[i] !== "\\") {
      const cp = s.codePointAt(i)!;
      emit(st, String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    i++;
    if (s[i] === "c") {
      st.stop = true;
      return;
    }
    if (s[i] === "0" && s[i + 1] >= "0" && s[i + 1] <= "7") i++;
    const [code, next] = process_escape(s, i);
    st.out.push(code);
    i = next;
  }
}

/** One pass over the format; returns an "invalid format" complaint, or null. */
function print_formatted(st: State, f: string): string | null {
  for (let i = 0; i < f.length && !st.stop; i++) {
    const c = f[i];
    if (c === "\\") {
      if (f[i + 1] === "c") {
        st.stop = true;
        return null;
      }
      const [code, next] = process_escape(f, i + 1);
      st.out.push(code);
      i = next - 1;
      continue;
    }
    if (c !== "%") {
      emit(st, c);
      continue;
    }
    if (f[i + 1] === "%") {
      emit(st, "%");
      i++;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|\d*)(?:\.(\*|\d*))?/.exec(f.slice(i));
    const spec = m![0];
    let j = i + spec.length;
    while (/[lLhz]/.test(f[j] ?? "")) j++;
    const conv = f[j];
    if (conv === undefined || !"diouxXfeEgGcsb".includes(conv)) return `${spec}${f.slice(j)}`;
    let flags = m![1];
    let width = 0;
    if (m![2] === "*") {
      width = star_arg(st);
      if (width < 0) {
        flags += "-";
        width = -width;
      }
    } else if (m![2]) width = Number(m![2]);
    let prec: number | undefined;
    if (m![3] !== undefined) {
      prec = m![3] === "*" ? star_arg(st) : Number(m![3] || 0);
      if (prec < 0) prec = undefined;
    }
    width = Math.min(width, MAX_WIDTH);
    if (prec !== undefined) prec = Math.min(prec, MAX_WIDTH);
    if (conv === "b") esc_string(st, take(st) ?? "");
    else if (conv === "c") {
      const a = take(st) ?? "";
      const b = a === "" ? 0 : enc(a)[0];
      const pad = Math.max(0, width - 1);
      if (pad && !flags.includes("-")) emit(st, " ".repeat(pad));
      st.out.push(b);
      if (pad && flags.includes("-")) emit(st, " ".repeat(pad));
    } else if (conv === "s") emit(st, formatOne("s", flags, width, prec, take(st) ?? ""));
    else if ("di".includes(conv)) emit(st, formatOne("d", flags, width, prec, int_arg(st, false)));
    else if ("ouxX".includes(conv)) emit(st, formatOne(conv, flags, width, prec, int_arg(st, true)));
    else {
      const d = double_arg(st);
      emit(st, format_double(conv, flags, width, prec, d.v, d.negnan));
    }
    i = j;
  }
  return null;
}

/**
 * printf_main, for the applet and for ash's builtin (the same code in
 * BusyBox): messages go through say (bb_error_msg: "printf: " or the
 * shell's prefix). Without a format the builtin says bash's usage line and
 * returns 2. Returns 1 after a bad number or format, or when stdout fails.
 */
export function* printf_common(
  argv: string[],
  say: (msg: string) => UserGen<unknown>,
  builtin: boolean,
): UserGen<number> {
  let args = argv.slice(1);
  if (args[0] === "--") args = args.slice(1);
  if (args.length === 0) {
    if (!builtin) return yield* bb_show_usage(USAGE);
    yield* say("usage: printf FORMAT [ARGUMENT...]");
    return 2;
  }
  const st: State = { args: args.slice(1), next: 0, out: [], errors: [], stop: false };
  let bad: string | null = null;
  do {
    const before = st.next;
    bad = print_formatted(st, args[0]);
    if (bad !== null || st.stop || st.next === before) break;
  } while (st.next < st.args.length);
  if (bad !== null) st.errors.push({ at: st.out.length, msg: `${bad}: invalid format` });
  // Output and complaints come out in the order they happen.
  let done = 0;
  let failed = false;
  for (const e of st.errors) {
    if (e.at > done) {
      if ((yield* write_all(1, Uint8Array.from(st.out.slice(done, e.at)))) < 0) failed = true;
      done = e.at;
    }
    yield* say(e.msg);
  }
  if (done < st.out.length && (yield* write_all(1, Uint8Array.from(st.out.slice(done)))) < 0) failed = true;
  return st.errors.some((e) => e.fatal !== false) || (builtin && failed) ? 1 : 0;
}

function* printf_main(argv: string[]): UserGen<number> {
  return yield* printf_common(argv, (msg) => bb_error_msg("printf", msg), false);
}

export const printf: Applet = { name: "printf", dir: "/usr/bin", usage: USAGE, main: printf_main };
