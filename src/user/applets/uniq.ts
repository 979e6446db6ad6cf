/*
 * uniq.ts - uniq (coreutils/uniq.c): drop adjacent duplicate lines of FILE
 * (or stdin), writing to OUTFILE (or stdout). -c prefixes counts ("%7u "),
 * -d prints only duplicated lines, -u only unique ones; -f N skips N fields,
 * -s N skips N characters, -w N compares at most N characters, -i ignores
 * case, -z ends lines with NUL.
 */

import { O_CREAT, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { open_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_show_usage, INT_MAX, strtou_range_sfx, xnum } from "../libc/libbb.js";
import { dec, strerror } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `uniq [-cduiz] [-f,s,w N] [FILE [OUTFILE]]

Discard duplicate lines

\t-c\tPrefix lines by the number of occurrences
\t-d\tOnly print duplicate lines
\t-u\tOnly print unique lines
\t-i\tIgnore case
\t-z\tNUL terminated output
\t-f N\tSkip first N fields
\t-s N\tSkip first N chars (after any skipped fields)
\t-w N\tCompare N characters in line`;

function* uniq_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "cduizf:s:w:", USAGE);
  if (!o) return 1;
  const num = function* (k: string, def: number): UserGen<number | null> {
    const a = o.arg(k);
    return a === undefined ? def : yield* xnum("uniq", strtou_range_sfx(a, 10, 0, INT_MAX));
  };
  const skipFields = yield* num("f", 0);
  const skipChars = yield* num("s", 0);
  const maxChars = yield* num("w", INT_MAX);
  if (skipFields === null || skipChars === null || maxChars === null) return 1;
  if (o.rest.length > 2) return yield* bb_show_usage(USAGE);
  const input = o.rest[0] ?? "-";
  const fd = yield* open_stdin(input);
  if (fd < 0) {
    yield* bb_error_msg("uniq", `can't open '${input}': ${strerror(fd)}`);
    return 1;
  }
  let outFd = 1;
  if (o.rest[1] !== undefined && o.rest[1] !== "-") {
    outFd = yield* open(o.rest[1], O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    if (outFd < 0) {
      yield* bb_error_msg("uniq", `can't open '${o.rest[1]}': ${strerror(outFd)}`);
      return 1;
    }
  }
  const out = yield* Writer.open(outFd);
  const delim = o.has("z") ? 0 : 10;
  const key = (line: string): string => {
    let s = line;
    for (let i = 0; i < skipFields; i++) s = s.replace(/^[ \t]*[^ \t]*/, "");
    s = s.slice(skipChars, skipChars + maxChars);
    return o.has("i") ? s.toLowerCase() : s;
  };
  const rd = new Reader(fd);
  let prev: string | null = null;
  let count = 0;
  const flush = function* (): UserGen<void> {
    if (prev === null) return;
    if ((count > 1 && o.has("u")) || (count === 1 && o.has("d"))) return;
    yield* out.puts(
      `${o.has("c") ? `${String(count).padStart(7)} ` : ""}${prev}${String.fromCharCode(delim)}`,
    );
  };
  for (;;) {
    const b = yield* rd.getlineBytes(delim);
    if (b === null) break;
    const line = dec(b[b.length - 1] === delim ? b.subarray(0, b.length - 1) : b);
    if (prev !== null && key(prev) === key(line)) {
      count++;
      continue;
    }
    yield* flush();
    prev = line;
    count = 1;
  }
  yield* flush();
  yield* out.flush();
  return 0;
}

export const uniq: Applet = { name: "uniq", dir: "/usr/bin", usage: USAGE, main: uniq_main };
