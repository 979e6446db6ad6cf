/*
 * cttyhack.ts - cttyhack (shell/cttyhack.c): run PROG on the real console
 * tty so that it has a controlling terminal and job control. The console's
 * device comes from /sys/class/tty/console/active; the program becomes a
 * session leader's child on it (init gave us a new session already).
 */

import { O_RDWR, TIOCSCTTY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_error_msg, bb_show_usage } from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { strerror } from "../libc/stdio.js";
import { close, dup2, ioctl, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `cttyhack [PROG ARGS]

Give PROG a controlling tty if possible.
Example for /etc/inittab (for busybox init):
\t::respawn:/bin/cttyhack /bin/sh
Giving controlling tty to shell running with PID 1:
\t$ exec cttyhack sh
Starting interactive shell from boot shell script:
\tsetsid cttyhack sh`;

function* cttyhack_main(argv: string[], envp: string[]): UserGen<number> {
  if (argv.length < 2) return yield* bb_show_usage(USAGE);
  const active = yield* read_text("/sys/class/tty/console/active");
  const dev = typeof active === "string" ? (active.trim().split(/\s+/).pop() ?? "") : "";
  if (dev) {
    const fd = yield* open(`/dev/${dev}`, O_RDWR);
    if (fd >= 0) {
      for (const n of [0, 1, 2]) yield* dup2(fd, n);
      if (fd > 2) yield* close(fd);
      yield* ioctl(0, TIOCSCTTY, 0);
    }
  }
  const r = yield* execvp(argv.slice(1), envp);
  yield* bb_error_msg("cttyhack", `can't execute '${argv[1]}': ${strerror(r)}`);
  return 127;
}

export const cttyhack: Applet = { name: "cttyhack", dir: "/bin", usage: USAGE, main: cttyhack_main };
