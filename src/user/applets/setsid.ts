/*
 * setsid.ts - setsid (util-linux/setsid.c): run PROG ARGS in a new session,
 * without a controlling terminal (-c: take stdin's terminal as its
 * controlling one, TIOCSCTTY). A process group leader cannot start a
 * session - and an interactive shell makes every job one - so setsid then
 * forks: the child makes the session and runs PROG, while setsid itself
 * exits 0 at once.
 */

import { TIOCSCTTY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { strerror } from "../libc/stdio.js";
import { fork, ioctl, setsid } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `setsid [-c] PROG ARGS

Run PROG in a new session. PROG will have no controlling terminal
and will not be affected by keyboard signals (^C etc).

\t-c\tSet controlling terminal to stdin`;

function* setsid_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+c", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const prog = o.rest;
  const run = function* (): UserGen<number> {
    if (o.has("c")) yield* ioctl(0, TIOCSCTTY, 1);
    const r = yield* execvp(prog, envp);
    yield* bb_error_msg("setsid", `can't execute '${prog[0]}': ${strerror(r)}`);
    return r === -2 ? 127 : 126;
  };
  if ((yield* setsid()) >= 0) return yield* run();
  const pid = yield* fork(function* () {
    yield* setsid();
    return yield* run();
  });
  if (pid < 0) {
    yield* bb_perror_msg("setsid", "fork", pid);
    return 1;
  }
  return 0;
}

export const setsid_applet: Applet = { name: "setsid", dir: "/usr/bin", usage: USAGE, main: setsid_main };
