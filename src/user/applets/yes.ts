/*
 * yes.ts - yes (coreutils/yes.c): print "y", or the arguments joined by
 * spaces, over and over until the output is closed (SIGPIPE) or fails.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { enc, write_all } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `yes [STRING]

Repeatedly print a line with STRING, or 'y'`;

function* yes_main(argv: string[]): UserGen<number> {
  const line = `${argv.length > 1 ? argv.slice(1).join(" ") : "y"}\n`;
  // A buffer's worth at a time, as stdio would write it.
  const block = enc(line.repeat(Math.max(1, Math.floor(4096 / line.length))));
  for (;;) if ((yield* write_all(1, block)) < 0) return 1;
}

export const yes: Applet = { name: "yes", dir: "/usr/bin", usage: USAGE, main: yes_main };
