/*
 * tty.ts - tty (coreutils/tty.c with INCLUDE_SUSv2): print the name of the
 * terminal on stdin, or "not a tty" and status 1; -s prints nothing.
 * Operands are ignored with a warning. Its own errors (a bad option) exit
 * 2, as SUSv3 wants more than 1 for them.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { ttyname } from "../libc/ttyname.js";
import type { Applet } from "./registry.js";

const USAGE = `tty [-s]

Print file name of stdin's terminal

\t-s\tPrint nothing, only return exit status`;

function* tty_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "s", USAGE);
  if (!o) return 2; // xfunc_error_retval
  if (o.rest.length) yield* bb_error_msg("tty", "ignoring all arguments");
  const name = yield* ttyname(0);
  if (!o.has("s")) yield* puts(1, `${typeof name === "string" ? name : "not a tty"}\n`);
  return typeof name === "string" ? 0 : 1;
}

export const tty: Applet = { name: "tty", dir: "/usr/bin", usage: USAGE, main: tty_main };
