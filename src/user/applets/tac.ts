/*
 * tac.ts - tac (coreutils/tac.c): the lines of each FILE (stdin by
 * default) last first. A line is what ends in "\n", or the rest of the
 * file without one (printed as it is: "p\nq" gives "qp\n"). Everything is
 * read before anything is written, so errors come first.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { write_all } from "../libc/stdio.js";
import { Reader } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `tac [FILE]...

Concatenate FILEs and print them in reverse`;

function* tac_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  const files = o.rest.length ? o.rest : ["-"];
  let status = 0;
  const out: Uint8Array[] = [];
  for (const f of files) {
    const fd = yield* open_or_warn_stdin("tac", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    const lines: Uint8Array[] = [];
    for (let l = yield* r.getlineBytes(); l !== null; l = yield* r.getlineBytes()) lines.push(l);
    yield* close_stdin(fd);
    if (r.error) {
      yield* bb_perror_msg("tac", f, r.error);
      status = 1;
    }
    out.push(...lines.reverse());
  }
  for (const l of out) yield* write_all(1, l);
  return status;
}

export const tac: Applet = { name: "tac", dir: "/usr/bin", usage: USAGE, main: tac_main };
