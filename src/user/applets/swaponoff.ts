/*
 * swaponoff.ts - swapon and swapoff (util-linux/swaponoff.c).
 *
 * swapon -a takes the swap lines of /etc/fstab (not "noauto"), each with
 * its own options: "pri=N" and "discard[=once|pages]". swapoff -a turns off
 * every area of /proc/swaps, then the swap lines of /etc/fstab. A device
 * that fails is reported with the errno's words and makes the status 1;
 * under -a, swapon says nothing of an area already in use (EBUSY) and
 * swapoff nothing of one that is not (EINVAL, ENOENT). -e skips devices
 * that do not exist. A regular file with fewer blocks than its size is
 * refused before the kernel is asked ("file has holes", DESKTOP builds).
 *
 * -p PRI (FEATURE_SWAPON_PRI: on in BusyBox's default configuration) gives
 * the area priority PRI, 0..32767, higher used first; without it the kernel
 * counts down from -2. The usage text is Debian's, the build whose other
 * output mmbox follows: Debian leaves FEATURE_SWAPON_PRI out, so the text
 * does not name -p, which works here (as top's -m does).
 */

import { S_ISREG } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { swapoff, swapon } from "../libc/mman.js";
import { getmntent_all, type MntEnt } from "../libc/mntent.js";
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

const SWAP_FLAG_PREFER = 0x8000;
const SWAP_FLAG_PRIO_MASK = 0x7fff;
const SWAP_FLAG_DISCARD = 0x10000;
const SWAP_FLAG_DISCARD_ONCE = 0x20000;
const SWAP_FLAG_DISCARD_PAGES = 0x40000;
const SWAP_FLAG_DISCARD_MASK = SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES;

const ENOENT = 2;
const EBUSY = 16;
const EINVAL = 22;

/** What one run of the applet is doing (BusyBox's option_mask32 and g_flags). */
interface SwapCtl {
  applet: string;
  on: boolean;
  /** Working through -a: the quiet errors stay quiet. */
  all: boolean;
  /** -e. */
  ifexists: boolean;
  /** SWAP_FLAG_* for swapon(2). */
  flags: number;
}

/** set_discard_flag: "-d", "-donce", "discard=pages" (the text after "discard"/"-d"). */
function set_discard_flag(flags: number, s: string | null): number {
  let f = (flags & ~SWAP_FLAG_DISCARD_MASK) | SWAP_FLAG_DISCARD;
  if (s === null) return f;
  const pol = (s.startsWith("=") ? s.slice(1) : s).split(",")[0];
  if (pol === "once") f |= SWAP_FLAG_DISCARD_ONCE;
  if (pol === "pages") f |= SWAP_FLAG_DISCARD_PAGES;
  return f;
}

/** set_priority_flag: a decimal PRI (no sign, capped at 32767); anything else leaves the flags. */
function set_priority_flag(flags: number, s: string): number {
  const v = s.split(",")[0];
  if (!/^\d+$/.test(v)) return flags;
  const prio = Math.min(Number(v), SWAP_FLAG_PRIO_MASK);
  return (flags & ~SWAP_FLAG_PRIO_MASK) | SWAP_FLAG_PREFER | prio;
}

function* swap_enable_disable(c: SwapCtl, device: string): UserGen<number> {
  let err = 0;
  let quiet = false;
  if (!c.on) {
    err = yield* swapoff(device);
    quiet = c.all && (err === -EINVAL || err === -ENOENT);
  } else {
    const st = yield* stat(device);
    if (typeof st === "number") err = st;
    else {
      if (S_ISREG(st.st_mode) && st.st_blocks * 512 < st.st_size) {
        yield* bb_error_msg(c.applet, `${device}: file has holes`);
        return 1;
      }
      err = yield* swapon(device, c.flags);
      quiet = c.all && err === -EBUSY;
    }
    if (err === -ENOENT && c.ifexists) err = 0;
  }
  if (err < 0 && !quiet) {
    yield* bb_perror_msg(c.applet, device, err);
    return 1;
  }
  return 0;
}

/** hasmntopt: the option NAME or NAME=VALUE of an fstab entry, from NAME on; null when absent. */
function hasmntopt(m: MntEnt, name: string): string | null {
  const opts = m.mnt_opts.split(",");
  const i = opts.findIndex((o) => o === name || o.startsWith(`${name}=`));
  return i < 0 ? null : opts.slice(i).join(",");
}

/** do_em_all_in_fstab: each swap line, with its own discard and pri options. */
function* do_em_all_in_fstab(c: SwapCtl): UserGen<number> {
  let err = 0;
  for (const m of yield* getmntent_all("/etc/fstab")) {
    if (m.mnt_type !== "swap") continue;
    // swapon -a skips "noauto" entries; swapoff -a turns them off all the same.
    if (c.on && hasmntopt(m, "noauto") !== null) continue;
    const saved = c.flags;
    const discard = hasmntopt(m, "discard");
    if (discard !== null) c.flags = set_discard_flag(c.flags, discard.slice(7));
    const pri = hasmntopt(m, "pri");
    if (pri !== null) c.flags = set_priority_flag(c.flags, pri.slice(4));
    err |= yield* swap_enable_disable(c, m.mnt_fsname);
    c.flags = saved;
  }
  return err;
}

/** do_all_in_proc_swaps: the areas in use (lines starting with '/'). */
function* do_all_in_proc_swaps(c: SwapCtl): UserGen<number> {
  const text = yield* read_text("/proc/swaps");
  if (typeof text === "number") return 0;
  let err = 0;
  for (const line of text.split("\n"))
    if (line.startsWith("/")) err |= yield* swap_enable_disable(c, line.split(" ")[0]);
  return err;
}

function* swap_on_off_main(argv: string[], on: boolean): UserGen<number> {
  const usage = on ? SWAPON_USAGE : SWAPOFF_USAGE;
  const o = yield* bb_getopt(argv, on ? "aed::p:" : "ae", usage);
  if (!o) return 1;
  const c: SwapCtl = { applet: on ? "swapon" : "swapoff", on, all: false, ifexists: o.has("e"), flags: 0 };
  if (o.has("d")) c.flags = set_discard_flag(c.flags, o.arg("d") ?? null);
  if (o.has("p")) c.flags = set_priority_flag(c.flags, o.arg("p") ?? "");
  let ret = 0;
  if (o.has("a")) {
    c.all = true;
    // swapoff -a does /proc/swaps too.
    if (!on) ret = yield* do_all_in_proc_swaps(c);
    ret |= yield* do_em_all_in_fstab(c);
    c.all = false;
  } else if (o.rest.length === 0) return yield* bb_show_usage(usage);
  for (const dev of o.rest) ret |= yield* swap_enable_disable(c, dev);
  return ret;
}

export const swapon_applet: Applet = {
  name: "swapon",
  dir: "/sbin",
  usage: SWAPON_USAGE,
  main: (argv) => swap_on_off_main(argv, true),
};
export const swapoff_applet: Applet = {
  name: "swapoff",
  dir: "/sbin",
  usage: SWAPOFF_USAGE,
  main: (argv) => swap_on_off_main(argv, false),
};
