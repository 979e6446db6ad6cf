/*
 * logname.ts - logname (coreutils/logname.c): the name getlogin() gives -
 * the login uid the kernel keeps for the session. A shell that init starts
 * on the console has none ("getlogin: No such device or address"). Any
 * argument gets the usage (no getopt).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { getlogin } from "../libc/ttyname.js";
import type { Applet } from "./registry.js";

const USAGE = `logname

Print the name of the current user`;

function* logname_main(argv: string[]): UserGen<number> {
  if (argv.length > 1) return yield* bb_show_usage(USAGE);
  const name = yield* getlogin();
  if (typeof name === "number") {
    yield* bb_perror_msg("logname", "getlogin", name);
    return 1;
  }
  yield* puts(1, `${name}\n`);
  return 0;
}

export const logname: Applet = { name: "logname", dir: "/usr/bin", usage: USAGE, main: logname_main };
