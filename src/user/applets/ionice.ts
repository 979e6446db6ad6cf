/*
 * ionice.ts - ionice (miscutils/ionice.c): show a process's I/O class and
 * priority ("best-effort: prio 4", "idle"), or with -c/-n set them for -p
 * PID (default: itself) and then run PROG ARGS if given. -t ignores a
 * failed ioprio_set. The numbers are xatoi_positive; a class above 3 is
 * "bad class N", and the kernel refuses a level past 7 or a level for
 * class 0 (EINVAL).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, INT_MAX, strtou_range_sfx, xnum } from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { puts, strerror } from "../libc/stdio.js";
import { ioprio_get, ioprio_set } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `ionice [-c 1-3] [-n 0-7] [-t] { -p PID | PROG ARGS }

Change I/O priority and class

\t-c N\tClass. 1:realtime 2:best-effort 3:idle
\t-n N\tPriority
\t-t\tIgnore errors`;

const IOPRIO_WHO_PROCESS = 1;
const IOPRIO_CLASS_SHIFT = 13;
const IOPRIO_CLASS_IDLE = 3;
const to_prio = ["none", "realtime", "best-effort", "idle"];

function* ionice_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+n:c:p:t", USAGE);
  if (!o) return 1;
  /** xatoi_positive of an option's argument (getopt32's "n:+"), in option order. */
  const nums: Record<string, number> = { n: 0, c: 0, p: 0 };
  for (const { key: opt, arg: val } of o.seen) {
    if (val === undefined || !(opt in nums)) continue;
    const v = yield* xnum("ionice", strtou_range_sfx(val, 10, 0, INT_MAX));
    if (v === null) return 1;
    nums[opt] = v;
  }
  let { n: pri, c: ioclass } = nums;
  let pid = nums.p;
  const args = o.rest;
  if (o.has("c") && ioclass > 3) {
    yield* bb_error_msg("ionice", `bad class ${ioclass}`);
    return 1;
  }
  if (!o.has("n") && !o.has("c")) {
    if (!o.has("p") && args.length) {
      const v = yield* xnum("ionice", strtou_range_sfx(args[0], 10, 0, INT_MAX));
      if (v === null) return 1;
      pid = v;
    }
    const r = yield* ioprio_get(IOPRIO_WHO_PROCESS, pid);
    if (r < 0) {
      yield* bb_perror_msg("ionice", "ioprio_get", r);
      return 1;
    }
    ioclass = (r >> IOPRIO_CLASS_SHIFT) & 3;
    pri = r & 0xff;
    yield* puts(1, ioclass === IOPRIO_CLASS_IDLE ? "idle\n" : `${to_prio[ioclass]}: prio ${pri}\n`);
    return 0;
  }
  const r = yield* ioprio_set(IOPRIO_WHO_PROCESS, pid, pri | (ioclass << IOPRIO_CLASS_SHIFT) | 0);
  if (r < 0 && !o.has("t")) {
    yield* bb_perror_msg("ionice", "ioprio_set", r);
    return 1;
  }
  if (args.length) {
    const e = yield* execvp(args, envp);
    yield* bb_error_msg("ionice", `can't execute '${args[0]}': ${strerror(e)}`);
    return e === -2 ? 127 : 126;
  }
  return 0;
}

export const ionice: Applet = { name: "ionice", dir: "/bin", usage: USAGE, main: ionice_main };
