/*
 * cat.ts - cat (coreutils/cat.c with FEATURE_CATV and FEATURE_CATN):
 * concatenate FILEs ("-" or none is stdin) to stdout.
 *   plain     bb_cat(): copy with read/write, "can't open 'F'" on failure
 *   -n / -b   number all / non-empty lines ("%6u\t"), as nl would
 *   -v -e -t  catv(): non-printing bytes as ^X and M-X, "$" at line ends
 *             (-e), ^I for tabs (-t); -A is -vet; -n here numbers "%6u  "
 * -u is accepted and ignored.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { COPYBUF_SIZE, copybuf_filled, copybuf_map, copybuf_unmap } from "../libc/copyfd.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { enc, strerror, write_all } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { read } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `cat [-nbvteA] [FILE]...

Print FILEs to stdout

\t-n\tNumber output lines
\t-b\tNumber nonempty lines
\t-v\tShow nonprinting characters as ^x or M-x
\t-t\t...and tabs as ^I
\t-e\t...and end lines with $
\t-A\tSame as -vte`;

/** visible(): how cat -v shows one byte. */
export function visible(ch: number, showTabs: boolean, showEnd: boolean): string {
  if (ch === 9 && !showTabs) return "\t";
  if (ch === 10) return showEnd ? "$\n" : "\n";
  let s = "";
  if (ch >= 128) {
    ch -= 128;
    s = "M-";
  }
  if (ch < 32 || ch === 127) {
    s += "^";
    ch ^= 0x40;
  }
  return s + String.fromCharCode(ch);
}

/**
 * bb_cat: copy each file ("-" or none is stdin) as it is, through
 * bb_copyfd_eof's mapped buffer; `applet` names the messages (more turns
 * into cat when its output is not a terminal).
 */
export function* bb_cat(applet: string, files: readonly string[]): UserGen<number> {
  let status = 0;
  for (const f of files.length ? files : ["-"]) {
    const fd = yield* open_stdin(f);
    if (fd < 0) {
      yield* bb_error_msg(applet, `can't open '${f}': ${strerror(fd)}`);
      status = 1;
      continue;
    }
    const buf = yield* copybuf_map();
    for (;;) {
      const r = yield* read(fd, COPYBUF_SIZE);
      if (typeof r === "number") {
        yield* bb_perror_msg(applet, "read error", r);
        status = 1;
        break;
      }
      if (r.length === 0) break;
      yield* copybuf_filled(buf, r.length);
      const w = yield* write_all(1, r);
      if (w < 0) {
        yield* bb_perror_msg(applet, "write error", w);
        return 1;
      }
    }
    yield* copybuf_unmap(buf);
    yield* close_stdin(fd);
  }
  return status;
}

/** catv: -v/-e/-t, numbering with -n/-b as it goes. */
function* catv(files: string[], tabs: boolean, ends: boolean, numberAll: boolean, numberNonEmpty: boolean) {
  const out = yield* Writer.open(1);
  let status = 0;
  let lineno = 0;
  let eolSeen = numberAll || numberNonEmpty;
  const eolChar = eolSeen ? 10 : 0x100;
  const skipNumOn = numberNonEmpty ? 10 : 0x100;
  for (const f of files) {
    const fd = yield* open_stdin(f);
    if (fd < 0) {
      // open_or_warn_stdin.
      yield* out.flush();
      yield* bb_perror_msg("cat", `can't open '${f}'`, fd);
      status = 1;
      continue;
    }
    for (;;) {
      const r = yield* read(fd, 65536);
      if (typeof r === "number") status = 1;
      if (typeof r === "number" || r.length === 0) break;
      let s = "";
      for (const c of r) {
        if (eolSeen && c !== skipNumOn) s += `${String(++lineno).padStart(6)}  `;
        eolSeen = c === eolChar;
        s += visible(c, tabs, ends);
      }
      yield* out.puts(s);
    }
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

/** -n / -b: print_numbered_lines, one line at a time. */
function* numbered(files: string[], all: boolean): UserGen<number> {
  const out = yield* Writer.open(1);
  let status = 0;
  let n = 1;
  for (const f of files) {
    const fd = yield* open_stdin(f);
    if (fd < 0) {
      yield* out.flush();
      yield* bb_perror_msg("cat", f, fd);
      status = 1;
      continue;
    }
    const rd = new Reader(fd);
    for (;;) {
      const b = yield* rd.getlineBytes();
      if (b === null) break;
      const body = b[b.length - 1] === 10 ? b.subarray(0, b.length - 1) : b;
      // xmalloc_fgetline: a NUL byte ends a line too (the NUL itself is not printed);
      // what follows the last NUL is a line if it has anything, or the "\n" ended it.
      const pieces: Uint8Array[] = [];
      let start = 0;
      for (let nul = body.indexOf(0); nul >= 0; nul = body.indexOf(0, start)) {
        pieces.push(body.subarray(start, nul));
        start = nul + 1;
      }
      if (start < body.length || body.length < b.length || pieces.length === 0)
        pieces.push(body.subarray(start));
      for (const piece of pieces) {
        if (all || piece.length > 0) yield* out.puts(`${String(n++).padStart(6)}\t`);
        yield* out.write(piece);
        yield* out.write(enc("\n"));
      }
    }
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

function* cat_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "etvAnbu", USAGE);
  if (!o) return 1;
  const files = o.rest.length ? o.rest : ["-"];
  const A = o.has("A");
  const e = o.has("e") || A;
  const t = o.has("t") || A;
  if (e || t || o.has("v") || A) return yield* catv(files, t, e, o.has("n"), o.has("b"));
  if (o.has("n") || o.has("b")) return yield* numbered(files, !o.has("b"));
  return yield* bb_cat("cat", files);
}

export const cat: Applet = { name: "cat", dir: "/bin", usage: USAGE, main: cat_main };
