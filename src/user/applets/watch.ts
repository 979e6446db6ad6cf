/*
 * watch.ts - watch (procps/watch.c): run PROG ARGS again and again, every
 * -n SEC seconds (default 2, fractions allowed), on a cleared screen under
 * a header line:
 *   Every 2.0s: free                                   2026-11-22 01:36:17
 * The header is as wide as the terminal on stderr (the time at its right
 * end); -t leaves it out. The arguments are joined with spaces and run by
 * "sh -c", as BusyBox does with system(). watch runs until it is killed
 * (^C). -d is accepted and does nothing, as in BusyBox.
 */

import { SIG_IGN, SIGINT, SIGQUIT } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { parse_duration_str } from "../libc/duration.js";
import { bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { execve, exit, fork, nanosleep, sigaction, wait4 } from "../libc/sys.js";
import { get_terminal_width_height } from "../libc/termios.js";
import { gmtime, strftime, time } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `watch [-n SEC] [-t] PROG ARGS

Run PROG periodically

\t-n SEC\tPeriod (default 2)
\t-t\tDon't print header`;

/** system(3): "sh -c CMD", SIGINT and SIGQUIT ignored while it runs. */
export function* system(cmd: string, envp: string[]): UserGen<number> {
  const oldInt = yield* sigaction(SIGINT, SIG_IGN);
  const oldQuit = yield* sigaction(SIGQUIT, SIG_IGN);
  const pid = yield* fork(function* () {
    yield* sigaction(SIGINT, oldInt);
    yield* sigaction(SIGQUIT, oldQuit);
    yield* execve("/bin/sh", ["sh", "-c", cmd], envp);
    return yield* exit(127);
  });
  let status = -1;
  if (pid > 0) {
    for (;;) {
      const w = yield* wait4(pid);
      if (typeof w !== "number") {
        status = w.status;
        break;
      }
      if (w !== -4) break; // EINTR: wait again
    }
  }
  yield* sigaction(SIGINT, oldInt);
  yield* sigaction(SIGQUIT, oldQuit);
  return status;
}

function* watch_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+dtn:", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const cmd = o.rest.join(" ");
  const n = o.arg("n") ?? "2";
  const period = parse_duration_str(n);
  if (period === null) {
    yield* bb_error_msg("watch", `invalid number '${n}'`);
    return 1;
  }
  for (;;) {
    let out = "\x1b[H\x1b[J";
    if (!o.has("t")) {
      const [width] = yield* get_terminal_width_height(2, envp);
      let header = `Every ${period.toFixed(1)}s: ${cmd.padEnd(width)}`;
      // the time goes over the end of the header, which then stops at width - 1
      const time_len = 20;
      if (time_len < width) {
        const t = yield* time();
        header = header.slice(0, width - time_len) + strftime("%Y-%m-%d %H:%M:%S", gmtime(t), t);
      }
      out += `${header}\n\n`;
    }
    yield* puts(1, out);
    yield* system(cmd, envp);
    yield* nanosleep(period * 1e9);
  }
}

export const watch: Applet = { name: "watch", dir: "/bin", usage: USAGE, main: watch_main };
