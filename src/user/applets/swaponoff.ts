/*
 * swaponoff.ts - swapon and swapoff (util-linux/swaponoff.c, as Debian
 * builds it: no -p). swapon -a takes the swap lines of /etc/fstab; swapoff
 * -a every area of /proc/swaps. A device that fails is reported with the
 * errno's words and makes the status 1; -e skips devices that do not exist.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { swapoff, swapon } from "../libc/mman.js";
import { stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const SWAPON_USAGE = `swapon [-a] [-e] [-d[POL]] [DEVICE]

Start swapping on DEVICE

\t-a\tStart swapping on all swap devices
\t-d[POL]\tDiscard blocks at swapon (POL=once),
\t\tas freed (POL=pages), or both (POL omitted)
\t-e\tSilently skip devices that do not exist`;

const SWAPOFF_USAGE = `swapoff [-a] [DEVICE]

Stop swapping on DEVICE

\t-a\tStop swapping on all swap devices`;

const SWAP_FLAG_DISCARD = 0x10000;

function* swap_enable_disable(
  applet: string,
  device: string,
  on: boolean,
  flags: number,
  skipMissing: boolean,
): UserGen<number> {
  if (on) {
    const st = yield* stat(device);
    if (typeof st === "number") {
      if (skipMissing) return 0;
      yield* bb_perror_msg(applet, device, st);
      return 1;
    }
  }
  const r = on ? yield* swapon(device, flags) : yield* swapoff(device);
  if (r < 0) {
    yield* bb_perror_msg(applet, device, r);
    return 1;
  }
  return 0;
}

/** The devices of /etc/fstab's swap lines, or of /proc/swaps. */
function* all_devices(on: boolean): UserGen<string[]> {
  const text = yield* read_text(on ? "/etc/fstab" : "/proc/swaps");
  if (typeof text === "number") return [];
  const lines = text.split("\n").filter((l) => l.trim() && !l.trimStart().startsWith("#"));
  if (on)
    return lines
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[2] === "swap" && !(f[3] ?? "").split(",").includes("noauto"))
      .map((f) => f[0]);
  return lines.slice(1).map((l) => l.split(/\s+/)[0]);
}

function* swaponoff_main(argv: string[], on: boolean): UserGen<number> {
  const applet = on ? "swapon" : "swapoff";
  const usage = on ? SWAPON_USAGE : SWAPOFF_USAGE;
  const o = yield* bb_getopt(argv, on ? "aed::" : "a", usage);
  if (!o) return 1;
  const flags = on && o.has("d") ? SWAP_FLAG_DISCARD : 0;
  if (!o.has("a") && o.rest.length === 0) return yield* bb_show_usage(usage);
  let ret = 0;
  const list = o.has("a") ? yield* all_devices(on) : o.rest;
  for (const dev of list) ret |= yield* swap_enable_disable(applet, dev, on, flags, on && o.has("e"));
  return ret;
}

export const swapon_applet: Applet = {
  name: "swapon",
  dir: "/sbin",
  usage: SWAPON_USAGE,
  main: (argv) => swaponoff_main(argv, true),
};
export const swapoff_applet: Applet = {
  name: "swapoff",
  dir: "/sbin",
  usage: SWAPOFF_USAGE,
  main: (argv) => swaponoff_main(argv, false),
};
