/*
 * renice.ts - renice (util-linux/renice.c): set the nice value of
 * processes, process groups (-g) or users' processes (-u), or with -n
 * add to each one's current value. -p, -g and -u switch the mode for the
 * IDs that follow ("-p5" is an ID too). Nothing is printed on success; a
 * bad ID or a failed call prints its complaint and the others go on.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_perror_msg, bb_show_usage, xnum, xstrtoi_range } from "../libc/libbb.js";
import { getpwnam } from "../libc/pwd.js";
import { getpriority, setpriority } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `renice [-n] PRIORITY [[-p|g|u] ID...]...

Change scheduling priority of a running process

\t-n\tAdd PRIORITY to current nice value
\t\tWithout -n, nice value is set to PRIORITY
\t-p\tProcess ids (default)
\t-g\tProcess group ids
\t-u\tProcess user names`;

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;

function* renice_main(argv: string[]): UserGen<number> {
  let i = 1;
  let arg: string | undefined = argv[i];
  let relative = false;
  if (arg?.startsWith("-n")) {
    relative = true;
    arg = arg.length === 2 ? argv[++i] : arg.slice(2);
  }
  if (arg === undefined) return yield* bb_show_usage(USAGE);
  // xatoi_range(arg, INT_MIN / 2, INT_MAX / 2)
  const adjustment = yield* xnum("renice", xstrtoi_range(arg, -1073741824, 1073741823));
  if (adjustment === null) return 1;
  let status = 0;
  let which = PRIO_PROCESS;
  for (i++; i < argv.length; i++) {
    let id = argv[i];
    if (id[0] === "-" && id.length > 1) {
      const mode = "pgu".indexOf(id[1]);
      if (mode >= 0) {
        which = [PRIO_PROCESS, PRIO_PGRP, PRIO_USER][mode];
        if (id.length === 2) continue;
        id = id.slice(2);
      }
    }
    let who: number;
    if (which === PRIO_USER) {
      const pw = yield* getpwnam(id);
      if (!pw) {
        yield* bb_error_msg("renice", `unknown user ${id}`);
        status = 1;
        continue;
      }
      who = pw.pw_uid;
    } else {
      // bb_strtou: digits only, within unsigned int
      if (!/^[0-9]+$/.test(id) || Number(id) > 0xffffffff) {
        yield* bb_error_msg("renice", `invalid number '${id}'`);
        status = 1;
        continue;
      }
      who = Number(id) | 0;
    }
    let prio = adjustment;
    if (relative) {
      const r = yield* getpriority(which, who);
      if (r < 0) {
        yield* bb_perror_msg("renice", "getpriority", r);
        status = 1;
        continue;
      }
      prio = 20 - r + adjustment;
    }
    const r = yield* setpriority(which, who, prio);
    if (r < 0) {
      yield* bb_perror_msg("renice", "setpriority", r);
      status = 1;
    }
  }
  return status;
}

export const renice: Applet = { name: "renice", dir: "/usr/bin", usage: USAGE, main: renice_main };
