/*
 * nl.ts - nl (coreutils/nl.c and libbb's
 * print_numbered_lines): number the lines of each FILE, the count going
 * on from one file to the next.
 *
 *   -b a|t|n   number all lines, non-empty ones (default), or none
 *   -i N       increment, -v N first number, -w N width (6), -s SEP ("\t")
 *
 * A line left unnumbered gets width + length of SEP spaces instead.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, INT_MAX, strtou_range_sfx } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `nl [OPTIONS] [FILE]...

Write FILEs to standard output with line numbers added

\t-b STYLE\tWhich lines to number - a: all, t: nonempty, n: none
\t-i N\t\tLine number increment
\t-s STRING\tUse STRING as line number separator
\t-v N\t\tStart from N
\t-w N\t\tWidth of line numbers`;

function* nl_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "pw:s:v:i:b:", USAGE, [
    { name: "no-renumber", arg: 0, val: "p" },
    { name: "number-width", arg: 1, val: "w" },
    { name: "number-separator", arg: 1, val: "s" },
    { name: "starting-line-number", arg: 1, val: "v" },
    { name: "line-increment", arg: 1, val: "i" },
    { name: "body-numbering", arg: 1, val: "b" },
  ]);
  if (!o) return 1;
  // getopt32's "+" arguments (xatoi_positive), in the order they were given
  const nums: Record<string, number> = { w: 6, v: 1, i: 1 };
  for (const { key, arg } of o.seen) {
    if (!(key in nums) || arg === undefined) continue;
    const r = strtou_range_sfx(arg, 10, 0, INT_MAX);
    if (!r.ok) {
      yield* bb_error_msg("nl", r.msg);
      return 1;
    }
    nums[key] = r.value;
  }
  const sep = o.arg("s") ?? "\t";
  const style = (o.arg("b") ?? "t")[0];
  const empty_str = " ".repeat(nums.w + new TextEncoder().encode(sep).length);
  const out = yield* Writer.open(1);
  let n = nums.v;
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("nl", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    for (let l = yield* r.getline(); l !== null; l = yield* r.getline()) {
      const line = l.endsWith("\n") ? l.slice(0, -1) : l;
      if (style === "a" || (style === "t" && line)) {
        yield* out.puts(`${String(n >>> 0).padStart(nums.w)}${sep}${line}\n`);
        n += nums.i;
      } else yield* out.puts(`${empty_str}${line}\n`);
    }
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

export const nl: Applet = { name: "nl", dir: "/usr/bin", usage: USAGE, main: nl_main };
