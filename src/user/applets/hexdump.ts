/*
 * hexdump.ts - hexdump (util-linux/hexdump.c on libbb's dump engine,
 * libc/dump.ts): FILEs (or stdin) as one stream, shown through format
 * strings. -b -c -d -o -x pick a built-in one (after an end-address line),
 * -C the canonical "hex + ASCII" layout, -e FMT and -f FILE add your own;
 * with none, 8 two-byte hex words per line. -s skips bytes (suffixes b k m),
 * -n stops after LEN bytes, -v shows repeated lines instead of "*".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { Dumper, parse_format } from "../libc/dump.js";
import { read_bytes, read_text } from "../libc/file.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  bkm_suffixes,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { puts, read_all } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `hexdump [-bcdoxCv] [-e FMT] [-f FMT_FILE] [-n LEN] [-s OFS] [FILE]...

Display FILEs (or stdin) in a user specified format

\t-b\t\t1-byte octal display
\t-c\t\t1-byte character display
\t-d\t\t2-byte decimal display
\t-o\t\t2-byte octal display
\t-x\t\t2-byte hex display
\t-C\t\thex+ASCII 16 bytes per line
\t-v\t\tShow all (no dup folding)
\t-e FORMAT_STR\tExample: '16/1 "%02x|""\\n"'
\t-f FORMAT_FILE
\t-n LENGTH\tShow only first LENGTH bytes
\t-s OFFSET\tSkip OFFSET bytes`;

const ADD_FIRST = '"%07.7_Ax\\n"';
const ADD_STRINGS: Record<string, string> = {
  b: '"%07.7_ax "16/1 "%03o ""\\n"',
  c: '"%07.7_ax "16/1 "%3_c ""\\n"',
  d: '"%07.7_ax "8/2 "  %05u ""\\n"',
  o: '"%07.7_ax "8/2 " %06o ""\\n"',
  x: '"%07.7_ax "8/2 "   %04x ""\\n"',
};
const CANONICAL = ['"%08.8_Ax\\n"', '"%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x "', '"  |" 16/1 "%_p" "|\\n"'];

function* hexdump_main(argv: string[]): UserGen<number> {
  // hexdump calls getopt(), not getopt_long(): "--bogus" is the invalid option '-'
  const long = argv.findIndex((a, i) => i > 0 && a.startsWith("--") && a !== "--");
  const dd = argv.indexOf("--");
  if (long > 0 && (dd < 0 || long < dd)) {
    yield* puts(2, "hexdump: invalid option -- '-'\n");
    return yield* bb_show_usage(USAGE);
  }
  const o = yield* bb_getopt(argv, "bcdoxCe:f:n:s:v", USAGE);
  if (!o) return 1;
  const formats: string[] = [];
  for (const s of o.seen) {
    if (s.key in ADD_STRINGS) formats.push(ADD_FIRST, ADD_STRINGS[s.key]);
    else if (s.key === "C") formats.push(...CANONICAL);
    else if (s.key === "e") formats.push(s.arg!);
    else if (s.key === "f") {
      const t = yield* read_text(s.arg!);
      if (typeof t === "number") {
        // bb_dump_addfile: xfopen_for_read.
        yield* bb_perror_msg("hexdump", `can't open '${s.arg!}'`, t);
        return 1;
      }
      for (const l of t.split("\n")) if (l.trim() && !l.trim().startsWith("#")) formats.push(l);
    }
  }
  if (formats.length === 0) formats.push(ADD_FIRST, '"%07.7_ax " 8/2 "%04x " "\\n"');
  const fss = [];
  for (const f of formats) {
    const fs = parse_format(f);
    if (typeof fs === "string") {
      yield* bb_error_msg("hexdump", fs);
      return 1;
    }
    fss.push(fs);
  }
  let skip = 0;
  let length = -1;
  const s = o.arg("s");
  if (s !== undefined) {
    const r = strtou_range_sfx(s, 0, 0, Number.MAX_SAFE_INTEGER, bkm_suffixes);
    if (!r.ok) {
      yield* bb_error_msg("hexdump", r.msg);
      return 1;
    }
    skip = r.value;
  }
  const n = o.arg("n");
  if (n !== undefined) {
    const r = strtou_range_sfx(n, 10, 0, 2147483647);
    if (!r.ok) {
      yield* bb_error_msg("hexdump", r.msg);
      return 1;
    }
    length = r.value;
  }
  const parts: Uint8Array[] = [];
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    const d = f === "-" ? yield* read_all(0) : yield* read_bytes(f);
    if (typeof d === "number") {
      yield* bb_perror_msg("hexdump", f, d);
      status = 1;
      continue;
    }
    parts.push(d);
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const start = Math.min(skip, total);
  const data = all.subarray(start, length < 0 ? total : start + length);
  yield* puts(1, new Dumper(fss, o.has("v")).display(data, start));
  return status;
}

export const hexdump: Applet = { name: "hexdump", dir: "/usr/bin", usage: USAGE, main: hexdump_main };
