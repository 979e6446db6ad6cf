/*
 * daemon.ts - libbb's bb_daemonize_or_rexec (libbb/vfork_daemon_rexec.c)
 * for a machine with an MMU, without the DAEMON_* flags: keep 0, 1 and 2
 * open (on /dev/null if they were not), fork; the parent _exit(0)s, the
 * child leaves the session (setsid) and puts /dev/null on its stdin,
 * stdout and stderr, so it holds no terminal.
 */

import { O_RDONLY, O_RDWR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close, dup, dup2, fork, open, setsid } from "./sys.js";

/** Runs `daemon` in a detached child; 0 (the caller, a child itself, then exits 0), or -errno of fork. */
export function* bb_daemonize(daemon: () => UserGen<number>): UserGen<number> {
  let fd = yield* open("/dev/null", O_RDWR);
  if (fd < 0) fd = yield* open("/", O_RDONLY);
  while (fd >= 0 && fd < 2) fd = yield* dup(fd);
  const null_fd = fd;
  const pid = yield* fork(function* () {
    yield* setsid();
    yield* dup2(null_fd, 0);
    yield* dup2(null_fd, 1);
    yield* dup2(null_fd, 2);
    if (null_fd > 2) yield* close(null_fd);
    return yield* daemon();
  });
  return Math.min(pid, 0);
}
