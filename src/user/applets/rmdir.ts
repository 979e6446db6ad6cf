/*
 * rmdir.ts - rmdir (coreutils/rmdir.c): remove empty directories; -p
 * removes each parent named in the path too, stopping at the first one
 * that cannot go; --ignore-fail-on-non-empty keeps quiet about full ones.
 */

import { ENOTEMPTY } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { strerror } from "../libc/stdio.js";
import { rmdir } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `rmdir [-p] DIRECTORY...

Remove DIRECTORY if it is empty

\t-p\tInclude parents
\t--ignore-fail-on-non-empty`;

function* rmdir_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "pv", USAGE, [
    { name: "parents", arg: 0, val: "p" },
    { name: "ignore-fail-on-non-empty", arg: 0, val: "I" },
    { name: "verbose", arg: 0, val: "v" },
  ]);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  let status = 0;
  for (const arg of o.rest) {
    let path = arg;
    for (;;) {
      if (o.has("v")) yield* bb_error_msg("rmdir", `removing directory, '${path}'`);
      const r = yield* rmdir(path);
      if (r < 0) {
        if (!(r === -ENOTEMPTY && o.has("I"))) {
          yield* bb_error_msg("rmdir", `'${path}': ${strerror(r)}`);
          status = 1;
        }
        break;
      }
      if (!o.has("p")) break;
      // dirname(), skipping trailing slashes
      const trimmed = path.replace(/\/+$/, "");
      const i = trimmed.lastIndexOf("/");
      if (i <= 0) break;
      path = trimmed.slice(0, i).replace(/\/+$/, "");
      if (!path || path === ".") break;
    }
  }
  return status;
}

export const rmdir_applet: Applet = { name: "rmdir", dir: "/bin", usage: USAGE, main: rmdir_main };
