/*
 * pwd.ts - pwd (coreutils/pwd.c): print the current directory (getcwd).
 * -L and -P are accepted; operands are ignored. The shell has its own
 * builtin pwd; this is /bin/pwd.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { getcwd } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `pwd

Print the full filename of the current working directory`;

function* pwd_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "LP", USAGE);
  if (!o) return 1;
  const cwd = yield* getcwd();
  if (typeof cwd === "number") {
    yield* bb_perror_msg("pwd", "getcwd", cwd);
    return 1;
  }
  yield* puts(1, `${cwd}\n`);
  return 0;
}

export const pwd: Applet = { name: "pwd", dir: "/bin", usage: USAGE, main: pwd_main };
