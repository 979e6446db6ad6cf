/*
 * usleep.ts - usleep (coreutils/usleep.c): sleep N microseconds. No
 * option parsing: the first argument is the number (xatou: decimal, up to
 * 4294967295), anything after it is ignored.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_show_usage, strtou_range_sfx, UINT_MAX, xnum } from "../libc/libbb.js";
import { nanosleep } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `usleep N

Pause for N microseconds`;

function* usleep_main(argv: string[]): UserGen<number> {
  if (argv.length < 2) return yield* bb_show_usage(USAGE);
  const us = yield* xnum("usleep", strtou_range_sfx(argv[1], 10, 0, UINT_MAX));
  if (us === null) return 1;
  yield* nanosleep(us * 1000);
  return 0;
}

export const usleep: Applet = { name: "usleep", dir: "/bin", usage: USAGE, main: usleep_main };
