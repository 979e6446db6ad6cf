/*
 * cmp.ts - cmp (editors/cmp.c): compare two files byte by byte.
 *
 *   cmp A B              "A B differ: char N, line L" at the first
 *                        difference (status 1), nothing when equal (0)
 *   cmp -l A B           "N OLD NEW" (octal) for every differing byte
 *   cmp -s A B           only the status
 *   cmp A B SKIP1 SKIP2  skip that many bytes of each first
 *
 * A file that ends first gives "cmp: EOF on NAME" on stderr. B defaults to
 * stdin; "cmp - -" is equal at once. A file that cannot be opened or read
 * is status 2 (-s keeps the open error quiet).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage, strtou_range_sfx } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { ByteReader, Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `cmp [-ls] [-n NUM] FILE1 [FILE2 [SKIP1 [SKIP2]]]

Compare FILE1 with FILE2 (or stdin)

\t-l\tWrite the byte numbers (decimal) and values (octal)
\t\tfor all differing bytes
\t-s\tQuiet
\t-n NUM\tCompare at most NUM bytes`;

function* cmp_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "sln:", USAGE);
  if (!o) return 1;
  const opts = o.rest;
  if (opts.length < 1 || opts.length > 4 || (o.has("l") && o.has("s"))) return yield* bb_show_usage(USAGE);
  let max_count = -1;
  const n = o.arg("n");
  const num = (s: string, max: number): number | string => {
    const r = strtou_range_sfx(s, 10, 0, max);
    return r.ok ? r.value : r.msg;
  };
  if (n !== undefined) {
    const v = num(n, 2147483647);
    if (typeof v === "string") {
      yield* bb_error_msg("cmp", v);
      return 1;
    }
    max_count = v;
  }
  let filename1 = opts[0];
  const filename2 = opts[1] ?? "-";
  const skips = [0, 0];
  for (let i = 2; i < opts.length; i++) {
    const v = num(opts[i], Number.MAX_SAFE_INTEGER);
    if (typeof v === "string") {
      yield* bb_error_msg("cmp", v);
      return 1;
    }
    skips[i - 2] = v;
  }
  const silent = o.has("s");
  const fds: number[] = [];
  for (const f of [filename1, filename2]) {
    const fd = yield* open_stdin(f);
    if (fd < 0) {
      if (!silent) yield* bb_perror_msg("cmp", f, fd);
      for (const x of fds) yield* close_stdin(x);
      return 2;
    }
    fds.push(fd);
  }
  // "cmp - -": the same stream, equal without reading it
  if (fds[0] === fds[1]) return 0;
  let fp1 = new ByteReader(new Reader(fds[0]));
  const fp2 = new ByteReader(new Reader(fds[1]));
  const out = yield* Writer.open(1);
  for (let s = skips[0]; s > 0 && (yield* fp1.getc()) >= 0; s--);
  for (let s = skips[1]; s > 0 && (yield* fp2.getc()) >= 0; s--);
  let retval = 0;
  let char_pos = 0;
  let line_pos = 1;
  let c1: number;
  const ferror = function* (fp: ByteReader, name: string): UserGen<boolean> {
    if (!fp.reader.error) return false;
    yield* out.flush();
    yield* bb_error_msg("cmp", `${name}: I/O error`);
    return true;
  };
  do {
    if (max_count >= 0 && --max_count < 0) break;
    c1 = yield* fp1.getc();
    const c2 = yield* fp2.getc();
    ++char_pos;
    if (c1 !== c2) {
      retval = 1;
      let eof = false;
      if (c2 === -1) {
        fp1 = fp2;
        filename1 = filename2;
        c1 = c2;
      }
      if (c1 === -1) {
        if (yield* ferror(fp1, filename1)) return 2;
        eof = true;
        yield* out.flush();
      }
      if (!silent) {
        if (eof) yield* puts(2, `cmp: EOF on ${filename1}\n`);
        else if (o.has("l"))
          yield* out.puts(`${char_pos} ${c1.toString(8).padStart(3)} ${c2.toString(8).padStart(3)}\n`);
        else yield* out.puts(`${filename1} ${filename2} differ: char ${char_pos}, line ${line_pos}\n`);
        // "if (opt) continue": meant for -l, but -n counts too, so "cmp -n N" reports every
        // difference it meets; at an EOF the loop's own test ends it
        if (o.seen.length) continue;
      }
      break;
    }
    if (c1 === 10) ++line_pos;
  } while (c1 !== -1);
  if ((yield* ferror(fp1, filename1)) || (yield* ferror(fp2, filename2))) return 2;
  yield* out.flush();
  for (const x of fds) yield* close_stdin(x);
  return retval;
}

export const cmp: Applet = { name: "cmp", dir: "/usr/bin", usage: USAGE, main: cmp_main };
