/*
 * timeout.ts - timeout (coreutils/timeout.c): run PROG ARGS, and send it
 * SIG (default TERM) if it is still there after SECS seconds; with -k, KILL
 * after KILL_SECS more.
 *
 * BusyBox does not make PROG a child of its own: timeout forks, the child
 * daemonizes a grandchild (its own session, stdio on /dev/null) and exits,
 * and timeout itself then execs PROG - so PROG keeps timeout's pid and its
 * place as the shell's child. The grandchild watches that pid: it sleeps
 * one second at a time and stops as soon as kill(pid, 0) fails. Seconds are
 * whole (a fraction is cut off), and a zero timeout still waits a second.
 */

import { SIGKILL } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_daemonize } from "../libc/daemon.js";
import { bb_parse_duration_str } from "../libc/duration.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { get_signum } from "../libc/signals.js";
import { strerror } from "../libc/stdio.js";
import { fork, getppid, kill, nanosleep, wait4 } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS

Run PROG. Send SIG to it if it is not gone in SECS seconds.
Default SIG: TERM.If it still exists in KILL_SECS seconds, send KILL.
`;

/** timeout_wait: true when pid went away within `secs` (checked each second). */
function* timeout_wait(secs: number, pid: number): UserGen<boolean> {
  for (;;) {
    yield* nanosleep(1e9); // sleep1()
    if (--secs <= 0) return false;
    if ((yield* kill(pid, 0)) < 0) return true;
  }
}

function* timeout_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+s:k:", USAGE);
  if (!o) return 1;
  const opt_s = o.arg("s") ?? "TERM";
  const signo = get_signum(opt_s);
  if (signo < 0) {
    yield* bb_error_msg("timeout", `unknown signal '${opt_s}'`);
    return 1;
  }
  /** parse_duration_str into an int: the fraction cut off; null after a message. */
  function* secs(s: string): UserGen<number | null> {
    const d = bb_parse_duration_str(s);
    if (d === null) {
      yield* bb_show_usage(USAGE);
      return null;
    }
    if (typeof d === "string") {
      yield* bb_error_msg("timeout", d);
      return null;
    }
    return Math.trunc(d) | 0;
  }
  let kill_timeout = 0;
  const k = o.arg("k");
  if (k !== undefined) {
    const v = yield* secs(k);
    if (v === null) return 1;
    kill_timeout = v;
  }
  const rest = o.rest;
  if (rest.length === 0) return yield* bb_show_usage(USAGE);
  const timeout = yield* secs(rest[0]);
  if (timeout === null) return 1;
  if (rest.length === 1) return yield* bb_show_usage(USAGE);
  const prog = rest.slice(1);

  const pid = yield* fork(function* () {
    const parent = yield* getppid();
    const r = yield* bb_daemonize(function* () {
      // the grandchild: sleep, then signal the grandparent (now PROG)
      if (yield* timeout_wait(timeout, parent)) return 0;
      yield* kill(parent, signo);
      if (kill_timeout > 0) {
        if (yield* timeout_wait(kill_timeout, parent)) return 0;
        yield* kill(parent, SIGKILL);
      }
      return 0;
    });
    if (r < 0) {
      yield* bb_perror_msg("timeout", "can't fork", r);
      return 1;
    }
    return 0;
  });
  if (pid < 0) {
    yield* bb_perror_msg("timeout", "vfork", pid);
    return 1;
  }
  const w = yield* wait4(pid);
  if (typeof w === "number" || w.status !== 0) return 1; // the fork or daemonize failed
  const r = yield* execvp(prog, envp);
  yield* bb_error_msg("timeout", `can't execute '${prog[0]}': ${strerror(r)}`);
  return r === -2 ? 127 : 126;
}

export const timeout: Applet = { name: "timeout", dir: "/usr/bin", usage: USAGE, main: timeout_main };
