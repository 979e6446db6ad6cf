/*
 * fold.ts - fold (coreutils/fold.c): wrap lines longer than WIDTH (80)
 * columns. Columns count as a terminal would: a tab to the next multiple
 * of 8, backspace one back, carriage return to 0 (-b counts bytes
 * instead). The character that would pass WIDTH starts the next line;
 * with -s the line breaks after its last blank when it has one. An old
 * "-N" option is "-w N".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, strtou_range_sfx } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `fold [-bs] [-w WIDTH] [FILE]...

Wrap input lines in FILEs (or stdin), writing to stdout

\t-b\tCount bytes rather than columns
\t-s\tBreak at spaces
\t-w\tUse WIDTH columns instead of 80`;

function* fold_main(argv: string[]): UserGen<number> {
  // Turn any numeric options into -w options (before a "--").
  const args = [...argv];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === "--") break;
    if (a[0] === "-" && /[0-9]/.test(a[1] ?? "")) args[i] = `-w${a.slice(1)}`;
  }
  const o = yield* bb_getopt(args, "bsw:", USAGE);
  if (!o) return 1;
  const wr = strtou_range_sfx(o.arg("w") ?? "80", 10, 1, 10000);
  if (!wr.ok) {
    yield* bb_error_msg("fold", wr.msg);
    return 1;
  }
  const width = wr.value;
  const bytes = o.has("b");
  const spaces = o.has("s");
  const get_width = (column: number, c: number): number => {
    if (bytes) return column + 1;
    if (c === 9) return column + 8 - (column % 8);
    if (c === 8) return column > 0 ? column - 1 : 0;
    if (c === 13) return 0;
    return column + 1;
  };
  const out = yield* Writer.open(1);
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("fold", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    let line: number[] = [];
    let column = 0;
    for (let chunk = yield* r.chunk(); chunk.length; chunk = yield* r.chunk())
      for (const c of chunk) {
        for (;;) {
          // rescan: c is placed at the end of the line
          if (c === 10) {
            line.push(10);
            yield* out.write(Uint8Array.from(line));
            line = [];
            column = 0;
            break;
          }
          column = get_width(column, c);
          if (column <= width || line.length === 0) {
            line.push(c);
            break;
          }
          if (spaces) {
            let end = line.length - 1;
            while (end >= 0 && line[end] !== 32 && line[end] !== 9) end--;
            if (end >= 0) {
              // Output up to and including the blank; the rest starts the next line.
              yield* out.write(Uint8Array.from([...line.slice(0, end + 1), 10]));
              line = line.slice(end + 1);
              column = 0;
              for (const x of line) column = get_width(column, x);
              continue;
            }
          }
          yield* out.write(Uint8Array.from([...line, 10]));
          line = [];
          column = 0;
        }
      }
    if (line.length) yield* out.write(Uint8Array.from(line));
    yield* close_stdin(fd);
    if (r.error) {
      yield* out.flush();
      yield* bb_perror_msg("fold", f, r.error);
      status = 1;
    }
  }
  yield* out.flush();
  return status;
}

export const fold: Applet = { name: "fold", dir: "/usr/bin", usage: USAGE, main: fold_main };
