/*
 * wc.ts - wc (coreutils/wc.c): lines, words and bytes of each FILE, then a
 * "total" line for several. -l -w -c choose counts, -m counts characters
 * (bytes here: Debian's build has no Unicode support), -L the longest line
 * (tabs to 8-column stops). Counts are "%9u" separated by spaces, except a
 * single count of a single file (or stdin), which is printed bare.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { Writer } from "../libc/stream.js";
import { read } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `wc [-cmlwL] [FILE]...

Count lines, words, and bytes for FILEs (or stdin)

\t-c\tCount bytes
\t-m\tCount characters
\t-l\tCount newlines
\t-w\tCount words
\t-L\tPrint longest line length`;

/** Counts in wc's column order: lines, words, chars, bytes, longest line. */
type Counts = [number, number, number, number, number];

function* count_fd(fd: number): UserGen<{ c: Counts; err: number }> {
  const c: Counts = [0, 0, 0, 0, 0];
  let err = 0;
  let linepos = 0;
  let inWord = 0;
  for (;;) {
    const r = yield* read(fd, 65536);
    if (typeof r === "number") {
      err = r;
      break;
    }
    if (r.length === 0) break;
    for (const ch of r) {
      c[3]++;
      c[2]++;
      if (ch >= 0x20 && ch <= 0x7e) {
        linepos++;
        if (ch !== 0x20) {
          inWord = 1;
          continue;
        }
      } else if (ch >= 9 && ch <= 13) {
        if (ch === 9) linepos = (linepos | 7) + 1;
        else {
          if (linepos > c[4]) c[4] = linepos;
          if (ch === 10) c[0]++;
          if (ch !== 11) linepos = 0;
        }
      } else continue;
      c[1] += inWord;
      inWord = 0;
    }
  }
  if (linepos > c[4]) c[4] = linepos;
  c[1] += inWord;
  return { c, err };
}

function* wc_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "lwmcL", USAGE);
  if (!o) return 1;
  let show = ["l", "w", "m", "c", "L"].map((k) => o.has(k));
  if (!show.some(Boolean)) show = [true, true, false, true, false];
  const files = o.rest.length ? o.rest : ["-"];
  const bare = files.length === 1 && show.filter(Boolean).length === 1;
  const out = yield* Writer.open(1);
  const totals: Counts = [0, 0, 0, 0, 0];
  let status = 0;
  const line = (c: Counts, name: string): string => {
    const cols = c
      .filter((_, i) => show[i])
      .map((v, i) => (i === 0 && bare ? String(v) : String(v).padStart(9)));
    return `${cols.join(" ")}${name === "-" && o.rest.length === 0 ? "" : ` ${name}`}\n`;
  };
  for (const f of files) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("wc", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const { c, err } = yield* count_fd(fd);
    yield* close_stdin(fd);
    if (err) {
      yield* out.flush();
      yield* bb_perror_msg("wc", f, err);
      status = 1;
    }
    for (let i = 0; i < 4; i++) totals[i] += c[i];
    totals[4] = Math.max(totals[4], c[4]);
    yield* out.puts(line(c, f));
  }
  if (files.length > 1) yield* out.puts(line(totals, "total"));
  yield* out.flush();
  return status;
}

export const wc: Applet = { name: "wc", dir: "/usr/bin", usage: USAGE, main: wc_main };
