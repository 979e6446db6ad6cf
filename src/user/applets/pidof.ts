/*
 * pidof.ts - pidof (procps/pidof.c): the pids of the processes with a
 * given name, newest first, on one line. A process matches by its comm, the
 * basename of its argv[0] or of /proc/PID/exe (find_pid_by_name). Debian's
 * build has neither -s nor -o. Exit status 1 when nothing matched.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt } from "../libc/libbb.js";
import { find_pid_by_name } from "../libc/procps.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `pidof [NAME]...

List PIDs of all processes with names that match NAMEs`;

function* pidof_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  const found: number[] = [];
  for (const name of o.rest) found.push(...(yield* find_pid_by_name(name)));
  if (found.length) yield* puts(1, `${found.join(" ")}\n`);
  return found.length ? 0 : 1;
}

export const pidof: Applet = { name: "pidof", dir: "/bin", usage: USAGE, main: pidof_main };
