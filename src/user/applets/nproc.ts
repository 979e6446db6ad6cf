/*
 * nproc.ts - nproc (coreutils/nproc.c): how many CPUs this process may run
 * on, less --ignore=N, never below 1. BusyBox asks sched_getaffinity(); the
 * same mask is the "Cpus_allowed" line of /proc/self/status, which is what
 * is read here. --all counts the cpuN directories of /sys/devices/system/cpu.
 * Operands are ignored.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir, read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `nproc [--all] [--ignore=N]

Print number of available CPUs

\t--all\t\tNumber of installed CPUs
\t--ignore=N\tExclude N CPUs`;

/** The bits set in a "Cpus_allowed:" mask ("f", "00000000,000000ff"). */
function mask_weight(hex: string): number {
  let n = 0;
  for (const c of hex.replace(/,/g, "")) {
    let v = Number.parseInt(c, 16) || 0;
    for (; v; v >>= 1) n += v & 1;
  }
  return n;
}

function* nproc_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE, [
    { name: "ignore", arg: 1, val: "i" },
    { name: "all", arg: 0, val: "a" },
  ]);
  if (!o) return 1;
  let ignore = 0;
  const ig = o.arg("i");
  if (ig !== undefined) {
    if (!/^[0-9]+$/.test(ig) || Number(ig) > 2147483647) {
      yield* bb_error_msg("nproc", `invalid number '${ig}'`);
      return 1;
    }
    ignore = Number(ig);
  }
  let count = 0;
  if (o.has("a")) {
    const ents = yield* read_dir("/sys/devices/system/cpu");
    if (typeof ents !== "number") for (const e of ents) if (/cpu.*[0-9]$/.test(e.d_name)) count++;
  } else {
    const status = yield* read_text("/proc/self/status");
    const m = typeof status === "string" ? /^Cpus_allowed:\s*([0-9a-f,]+)$/m.exec(status) : null;
    if (m) count = mask_weight(m[1]);
  }
  count -= ignore;
  if (count <= 0) count = 1;
  yield* puts(1, `${count}\n`);
  return 0;
}

export const nproc: Applet = { name: "nproc", dir: "/usr/bin", usage: USAGE, main: nproc_main };
