/*
 * unlink.ts - unlink (coreutils/unlink.c): remove exactly one FILE with
 * unlink(2) - no directories, no options but "--".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { unlink as sys_unlink } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `unlink FILE

Delete FILE by calling unlink()`;

function* unlink_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  if (o.rest.length !== 1) return yield* bb_show_usage(USAGE);
  const r = yield* sys_unlink(o.rest[0]);
  if (r < 0) {
    yield* bb_perror_msg("unlink", `can't remove file '${o.rest[0]}'`, r);
    return 1;
  }
  return 0;
}

export const unlink: Applet = { name: "unlink", dir: "/usr/bin", usage: USAGE, main: unlink_main };
