/*
 * seq.ts - seq (coreutils/seq.c): numbers from FIRST (1) to LAST in steps
 * of INC (1), as doubles printed "%0*.*f": as many decimals as FIRST or INC
 * have, and with -w zero-padded to the widest argument. -s SEP separates
 * them (the last one is followed by a newline). Anything that is not a
 * number prints the usage.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { format_double } from "../libc/printf.js";
import { Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `seq [-w] [-s SEP] [FIRST [INC]] LAST

Print numbers from FIRST to LAST, in steps of INC.
FIRST, INC default to 1.

\t-w\tPad to last with leading zeros
\t-s SEP\tString separator`;

/** strtod of the whole string, or null (an empty string converts nothing and leaves nothing over: 0). */
function number(s: string): number | null {
  if (s === "") return 0;
  if (!/^\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf(inity)?|nan)$/i.test(s)) return null;
  const t = s.trim().toLowerCase();
  if (t.includes("inf")) return t.startsWith("-") ? -Infinity : Infinity;
  return t.includes("nan") ? Number.NaN : Number(s);
}

function* seq_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+ws:", USAGE);
  if (!o) return 1;
  const args = o.rest;
  if (args.length < 1 || args.length > 3) return yield* bb_show_usage(USAGE);
  const nums = args.map(number);
  if (nums.some((n) => n === null)) return yield* bb_show_usage(USAGE);
  const last = nums[nums.length - 1]!;
  const first = args.length >= 2 ? nums[0]! : 1;
  const inc = args.length === 3 ? nums[1]! : 1;
  let width = 0;
  let frac = 0;
  args.forEach((a, i) => {
    const dot = a.indexOf(".") < 0 ? a.length : a.indexOf(".");
    width = Math.max(width, dot);
    if (i < args.length - 1) frac = Math.max(frac, a.length - dot);
  });
  if (frac) {
    frac--;
    if (o.seen.length) width += frac + 1;
  }
  if (!o.has("w")) width = 0;
  const sepArg = o.arg("s") ?? "\n";
  const out = yield* Writer.open(1);
  let sep = "";
  let n = 0;
  for (let v = first; inc >= 0 ? v <= last : v >= last; v = first + ++n * inc) {
    if ((yield* out.puts(sep + format_double("f", "0", width, frac, v))) < 0) break;
    sep = sepArg;
  }
  if (n) yield* out.puts("\n");
  yield* out.flush();
  return 0;
}

export const seq: Applet = { name: "seq", dir: "/usr/bin", usage: USAGE, main: seq_main };
