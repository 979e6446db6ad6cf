/*
 * sleep.ts - sleep (coreutils/sleep.c, FEATURE_FANCY_SLEEP and
 * FLOAT_SLEEP): pause for the sum of the arguments, each a number (with a
 * fraction) and an optional s, m, h or d suffix; "inf" sleeps forever.
 * nanosleep(2) runs on the machine's simulated clock.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_show_usage } from "../libc/libbb.js";
import { nanosleep, pause } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `sleep [N]...

Pause for a time equal to the total of the args given, where each arg can
have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays`;

const MULT: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in "1.5m", "2h", "inf"; null when it is not a duration. */
export function parse_duration(s: string): number | null {
  if (/^inf(inity)?$/i.test(s)) return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  return m ? Number(m[1]) * MULT[m[2]] : null;
}

function* sleep_main(argv: string[]): UserGen<number> {
  if (argv.length < 2) return yield* bb_show_usage(USAGE);
  let total = 0;
  for (const a of argv.slice(1)) {
    const v = parse_duration(a);
    if (v === null) {
      yield* bb_error_msg("sleep", `invalid number '${a}'`);
      return 1;
    }
    total += v;
  }
  if (!Number.isFinite(total)) for (;;) yield* pause();
  // nanosleep returns early (-EINTR) only if a signal handler ran; sleep has none.
  yield* nanosleep(Math.round(total * 1e9));
  return 0;
}

export const sleep: Applet = { name: "sleep", dir: "/bin", usage: USAGE, main: sleep_main };
