/*
 * rm.ts - rm (coreutils/rm.c): remove files; -r/-R whole trees; -f never
 * asks and ignores missing files (and a missing operand list); -i asks
 * before each removal. "." and ".." are refused.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { remove_file } from "../libc/copy.js";
import { bb_basename, bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import type { Applet } from "./registry.js";

const USAGE = `rm [-irf] FILE...

Remove (unlink) FILEs

\t-i\tAlways prompt before removing
\t-f\tNever prompt
\t-R,-r\tRecurse`;

function* rm_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "fiRrv", USAGE, [
    { name: "force", arg: 0, val: "f" },
    { name: "interactive", arg: 0, val: "i" },
    { name: "recursive", arg: 0, val: "R" },
    { name: "verbose", arg: 0, val: "v" },
  ]);
  if (!o) return 1;
  const force = o.last("f", "i") === "f";
  const flags = {
    force,
    interactive: o.last("f", "i") === "i",
    recurse: o.has("r") || o.has("R"),
    verbose: o.has("v"),
  };
  if (o.rest.length === 0) return force ? 0 : yield* bb_show_usage(USAGE);
  let status = 0;
  for (const path of o.rest) {
    const base = bb_basename(path.replace(/\/+$/, ""));
    if (base === "." || base === "..") {
      yield* bb_error_msg("rm", "can't remove '.' or '..'");
      status = 1;
      continue;
    }
    if ((yield* remove_file("rm", path, flags)) < 0) status = 1;
  }
  return status;
}

export const rm: Applet = { name: "rm", dir: "/bin", usage: USAGE, main: rm_main };
