/*
 * readlink.ts - readlink (coreutils/readlink.c) and realpath
 * (coreutils/realpath.c).
 *
 *   readlink LINK        the link's target; a non-link fails silently
 *   readlink -f NAME     the canonical name (the last component may be
 *                        missing); -n without the newline, -v with the
 *                        error message; -s and -q are accepted
 *   realpath NAME...     the canonical name of each, or "NAME: strerror"
 *                        (realpath parses no options: "-x" is a name)
 */

import { EINVAL } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { realpath_coreutils } from "../libc/realpath.js";
import { strerror } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { readlink as sys_readlink } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const READLINK_USAGE = `readlink [-fnv] FILE

Display the value of a symlink

\t-f\tCanonicalize by following all symlinks
\t-n\tDon't add newline
\t-v\tVerbose`;

const REALPATH_USAGE = `realpath FILE...

Print absolute pathnames of FILEs`;

function* readlink_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "fnvsq", READLINK_USAGE);
  if (!o) return 1;
  if (o.rest.length !== 1) return yield* bb_show_usage(READLINK_USAGE);
  const fname = o.rest[0];
  let buf: string | number;
  if (o.has("f")) buf = yield* realpath_coreutils(fname);
  else {
    buf = yield* sys_readlink(fname);
    // xmalloc_readlink_or_warn: EINVAL would puzzle, so it says what it means
    if (typeof buf === "number" && o.has("v"))
      yield* bb_error_msg(
        "readlink",
        `${fname}: cannot read link: ${buf === -EINVAL ? "not a symlink" : strerror(buf)}`,
      );
  }
  if (typeof buf === "number") return 1;
  const out = yield* Writer.open(1);
  yield* out.puts(o.has("n") ? buf : `${buf}\n`);
  yield* out.flush();
  return 0;
}

function* realpath_main(argv: string[]): UserGen<number> {
  if (argv.length < 2) return yield* bb_show_usage(REALPATH_USAGE);
  const out = yield* Writer.open(1);
  let status = 0;
  for (const name of argv.slice(1)) {
    const r = yield* realpath_coreutils(name);
    if (typeof r === "string") yield* out.puts(`${r}\n`);
    else {
      yield* out.flush();
      yield* bb_perror_msg("realpath", name, r);
      status = 1;
    }
  }
  yield* out.flush();
  return status;
}

export const readlink: Applet = { name: "readlink", dir: "/bin", usage: READLINK_USAGE, main: readlink_main };
export const realpath: Applet = {
  name: "realpath",
  dir: "/usr/bin",
  usage: REALPATH_USAGE,
  main: realpath_main,
};
