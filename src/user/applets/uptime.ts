/*
 * uptime.ts - uptime (procps/uptime.c): the time of day, how long since
 * boot and the load averages, from sysinfo(2):
 *    01:36:17 up 0 min,  0 users,  load average: 0.00, 0.00, 0.00
 * Days are "N day(s), ", then "H:MM" or "M min". Nobody is ever logged in
 * through utmp on this machine, so "0 users". -s prints when the machine
 * booted ("YYYY-MM-DD HH:MM:SS"), from the same clock.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { sysinfo } from "../libc/sys.js";
import { gmtime, strftime, time } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `uptime

Display the time since the last boot`;

/** LOAD_INT / LOAD_FRAC of a load average scaled by 65536 (FSHIFT 16). */
function load(x: number): string {
  const int = Math.floor(x / 65536);
  const frac = Math.floor(((x % 65536) * 100) / 65536);
  return `${int}.${String(frac).padStart(2, "0")}`;
}

function* uptime_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "s", USAGE);
  if (!o) return 1;
  const now = yield* time();
  const info = yield* sysinfo();
  if (o.has("s")) {
    const boot = now - info.uptime;
    yield* puts(1, `${strftime("%Y-%m-%d %H:%M:%S", gmtime(boot), boot)}\n`);
    return 0;
  }
  let s = ` ${strftime("%H:%M:%S", gmtime(now), now)} up `;
  const updays = Math.floor(info.uptime / 86400);
  if (updays !== 0) s += `${updays} day${updays !== 1 ? "s" : ""}, `;
  let upminutes = Math.floor(info.uptime / 60);
  const uphours = Math.floor(upminutes / 60) % 24;
  upminutes %= 60;
  s +=
    uphours !== 0
      ? `${String(uphours).padStart(2)}:${String(upminutes).padStart(2, "0")}`
      : `${upminutes} min`;
  s += ",  0 users";
  s += `,  load average: ${info.loads.map(load).join(", ")}\n`;
  yield* puts(1, s);
  return 0;
}

export const uptime: Applet = { name: "uptime", dir: "/usr/bin", usage: USAGE, main: uptime_main };
