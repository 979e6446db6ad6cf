/*
 * strings.ts - strings (miscutils/strings.c): the runs of at least LEN (4)
 * printable ASCII characters or tabs in each FILE (stdin by default), one
 * a line. -f puts "NAME: " before each ("{standard input}: " for stdin when
 * no FILE is named), -o or -t o|d|x its offset ("%7o " and so on). -a is
 * accepted and is what strings always does: the whole file is scanned.
 *
 * The walk is BusyBox's: the first LEN characters wait in a buffer, the
 * rest of a run is printed as it comes, and the byte that ends a run (or
 * the end of the file) ends the line. A directory reads as empty, silently.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_show_usage, INT_MAX, strtou_range_sfx } from "../libc/libbb.js";
import { latin1_bytes } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `strings [-fo] [-t o|d|x] [-n LEN] [FILE]...

Display printable strings in a binary file

\t-f\t\tPrecede strings with filenames
\t-o\t\tPrecede strings with octal offsets
\t-t o|d|x\tPrecede strings with offsets in base 8/10/16
\t-n LEN\t\tAt least LEN characters form a string (default 4)`;

const RADIX: Record<string, number> = { o: 8, d: 10, x: 16 };

function* strings_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "afon:t:", USAGE);
  if (!o) return 1;
  const nr = strtou_range_sfx(o.arg("n") ?? "4", 10, 1, INT_MAX);
  if (!nr.ok) {
    yield* bb_error_msg("strings", nr.msg);
    return 1;
  }
  const n = nr.value - 1;
  const radix = o.arg("t") ?? "o";
  if (!(radix in RADIX)) return yield* bb_show_usage(USAGE);
  const base = RADIX[radix];
  const showOffset = o.has("o") || o.has("t");
  const files = o.rest.length ? o.rest : ["-"];
  const label = (f: string): string => (o.rest.length ? `${f}: ` : "{standard input}: ");
  const out = yield* Writer.open(1);
  let status = 0;
  for (const f of files) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("strings", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    const string: number[] = [];
    let count = 0;
    let offset = 0;
    let line: number[] = [];
    const end = (): void => {
      if (count > n) line.push(10);
      count = 0;
    };
    for (let chunk = yield* r.chunk(); chunk.length; chunk = yield* r.chunk()) {
      for (const c of chunk) {
        if ((c >= 32 && c < 127) || c === 9) {
          if (count > n) line.push(c);
          else {
            string[count] = c;
            if (count === n) {
              let head = "";
              if (o.has("f")) head += label(f);
              if (showOffset) head += `${(offset - n).toString(base).padStart(7)} `;
              for (const x of latin1_bytes(head)) line.push(x);
              for (const x of string) line.push(x);
            }
            count++;
          }
        } else end();
        offset++;
      }
      yield* out.write(Uint8Array.from(line));
      line = [];
    }
    end();
    yield* out.write(Uint8Array.from(line));
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

export const strings: Applet = { name: "strings", dir: "/usr/bin", usage: USAGE, main: strings_main };
