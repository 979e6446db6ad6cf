/*
 * tr.ts - tr (coreutils/tr.c): translate, squeeze or delete bytes of stdin.
 * Sets are expanded as BusyBox does: ranges "a-z", escapes (\n, \\, \NNN),
 * classes "[:alpha:]" and friends, "[x*N]" repeats and "[=x=]". When
 * STRING2 is shorter than STRING1 its last byte repeats. -c takes the
 * complement of STRING1, -d deletes it, -s squeezes runs of the bytes of
 * the last set given.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_show_usage, process_escape } from "../libc/libbb.js";
import { enc } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { read } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `tr [-cds] STRING1 [STRING2]

Translate, squeeze, or delete characters from stdin, writing to stdout

\t-c\tTake complement of STRING1
\t-d\tDelete input characters coded STRING1
\t-s\tSqueeze multiple output characters of STRING2 into one character`;

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(String.fromCharCode(c)),
  alpha: (c) => /[A-Za-z]/.test(String.fromCharCode(c)),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: (c) => c >= 48 && c <= 57,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !/[A-Za-z0-9]/.test(String.fromCharCode(c)),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: (c) => c >= 65 && c <= 90,
  xdigit: (c) => /[0-9A-Fa-f]/.test(String.fromCharCode(c)),
};

/** expand(): the bytes a set names, in order. */
export function expand(arg: string): number[] {
  // First the escapes, to bytes.
  const raw: number[] = [];
  for (let i = 0; i < arg.length; ) {
    if (arg[i] === "\\" && i + 1 < arg.length) {
      const [code, next] = process_escape(arg, i + 1);
      raw.push(code);
      i = next;
    } else {
      for (const b of enc(arg[i])) raw.push(b);
      i++;
    }
  }
  const s = String.fromCharCode(...raw);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let m: RegExpExecArray | null;
    const rest = s.slice(i);
    if ((m = /^\[:([a-z]+):\]/.exec(rest)) && CLASSES[m[1]]) {
      for (let c = 0; c < 256; c++) if (CLASSES[m[1]](c)) out.push(c);
      i += m[0].length - 1;
    } else if ((m = /^\[=(.)=\]/.exec(rest))) {
      out.push(m[1].charCodeAt(0));
      i += m[0].length - 1;
    } else if ((m = /^\[(.)\*(\d*)\]/.exec(rest))) {
      const n = m[2] ? Number.parseInt(m[2], m[2].startsWith("0") ? 8 : 10) : 0;
      for (let k = 0; k < (n || 1); k++) out.push(m[1].charCodeAt(0));
      i += m[0].length - 1;
    } else if (i + 2 < s.length && s[i + 1] === "-") {
      for (let c = s.charCodeAt(i); c <= s.charCodeAt(i + 2); c++) out.push(c);
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return out;
}

function* tr_main(argv: string[]): UserGen<number> {
  // "+": options stop at the first operand ("tr a-z -c x" translates to "-c").
  const o = yield* bb_getopt(argv, "+Ccds", USAGE);
  if (!o) return 1;
  const del = o.has("d");
  const sq = o.has("s");
  const comp = o.has("c") || o.has("C");
  // At least STRING1; a third operand is ignored, STRING1 alone translates nothing.
  const [s1, s2] = o.rest;
  if (s1 === undefined) return yield* bb_show_usage(USAGE);
  if (s2 === "") {
    yield* bb_error_msg("tr", "STRING2 cannot be empty");
    return 1;
  }
  let set1 = expand(s1);
  if (comp) {
    const inSet = new Set(set1);
    set1 = [];
    for (let c = 0; c < 256; c++) if (!inSet.has(c)) set1.push(c);
  }
  const map = new Uint16Array(256).map((_, i) => i);
  const deleted = new Uint8Array(256);
  const squeeze = new Uint8Array(256);
  if (del) for (const c of set1) deleted[c] = 1;
  const set2 = s2 === undefined ? [] : expand(s2);
  if (!del && s2 !== undefined && set2.length)
    set1.forEach((c, i) => {
      map[c] = set2[Math.min(i, set2.length - 1)];
    });
  if (sq) for (const c of s2 !== undefined ? set2 : set1) squeeze[c] = 1;
  const out = yield* Writer.open(1);
  let last = -1;
  for (;;) {
    const r = yield* read(0, 65536);
    if (typeof r === "number" || r.length === 0) break;
    const buf: number[] = [];
    for (const c of r) {
      if (deleted[c]) continue;
      const t = map[c];
      if (squeeze[t] && t === last) continue;
      last = t;
      buf.push(t);
    }
    yield* out.write(Uint8Array.from(buf));
  }
  yield* out.flush();
  return 0;
}

export const tr: Applet = { name: "tr", dir: "/usr/bin", usage: USAGE, main: tr_main };
