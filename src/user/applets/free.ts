/*
 * free.ts - free (procps/free.c, BusyBox's own, not procps-ng's): total,
 * used, free, shared, buff/cache and available memory, and swap.
 *
 * Like BusyBox it asks sysinfo(2) for totals, free, shared, buffers and
 * swap, and reads Cached, SReclaimable and MemAvailable from /proc/meminfo:
 *   buff/cache = Buffers + Cached + SReclaimable
 *   used       = total - free - buff/cache
 * Each value goes through make_human_readable_str: in KiB by default,
 * -b bytes, -m MiB, -g GiB (rounded to nearest), -h "996.8M". Only argv[1]
 * is looked at (no getopt): "free -x" prints the usage without an
 * "invalid option" line, as the reference transcript shows.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { parse_kv_numbers, read_text } from "../libc/file.js";
import { bb_show_usage, make_human_readable_str } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { sysinfo } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `free [-bkmgh]

Display free and used memory`;

function* free_main(argv: string[]): UserGen<number> {
  /** display_unit for make_human_readable_str; 0 is -h. */
  let unit = 1024;
  if (argv[1]?.startsWith("-")) {
    const c = argv[1][1];
    if (c === "b") unit = 1;
    else if (c === "k") unit = 1024;
    else if (c === "m") unit = 1 << 20;
    else if (c === "g") unit = 1 << 30;
    else if (c === "h") unit = 0;
    else return yield* bb_show_usage(USAGE);
  }
  const info = yield* sysinfo();
  const text = yield* read_text("/proc/meminfo");
  if (typeof text === "number") {
    yield* puts(2, `free: can't open '/proc/meminfo': No such file or directory\n`);
    return 1;
  }
  const mi = parse_kv_numbers(text);
  const memUnit = info.mem_unit || 1;
  const toUnits = (kb: number): number => Math.floor((kb * 1024) / memUnit);
  const available = toUnits(mi.get("MemAvailable") ?? 0);
  const cached = toUnits(mi.get("Cached") ?? 0) + info.bufferram + toUnits(mi.get("SReclaimable") ?? 0);
  const scale = (v: number): string => make_human_readable_str(v, memUnit, unit).padStart(12);
  let out = `       ${["total", "used", "free", "shared", "buff/cache", "available"].map((s) => s.padStart(12)).join("")}\n`;
  out += `Mem:   ${scale(info.totalram)}${scale(info.totalram - cached - info.freeram)}${scale(info.freeram)}`;
  out += `${scale(info.sharedram)}${scale(cached)}${scale(available)}\n`;
  out += `Swap:  ${scale(info.totalswap)}${scale(info.totalswap - info.freeswap)}${scale(info.freeswap)}\n`;
  yield* puts(1, out);
  return 0;
}

export const free: Applet = { name: "free", dir: "/usr/bin", usage: USAGE, main: free_main };
