/*
 * mknod.ts - mknod (coreutils/mknod.c, libcoreutils/getopt_mk_fifo_nod.c):
 * make NAME a block (b), character (c or u) device with MAJOR and MINOR, or
 * a named pipe (p, no numbers). Only the first letter of TYPE counts. The
 * numbers are decimal, MAJOR up to 4095 and MINOR up to 1048575 (glibc's
 * major() and minor() of UINT_MAX), put together with makedev(). The mode
 * is 0666 less the umask, or exactly -m MODE; an invalid -m MODE reaches
 * the kernel as (mode_t)-1, which refuses it (EINVAL).
 */

import { S_IFBLK, S_IFCHR, S_IFIFO } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { getopt_mk_fifo_nod } from "../libc/getopt_mk_fifo_nod.js";
import { bb_perror_msg, bb_show_usage, strtou_range_sfx, xnum } from "../libc/libbb.js";
import { mknod as sys_mknod } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mknod [-m MODE] NAME TYPE [MAJOR MINOR]

Create a special file (block, character, or pipe)

\t-m MODE\tCreation mode (default a=rw)
TYPE:
\tb\tBlock device
\tc or u\tCharacter device
\tp\tNamed pipe (MAJOR MINOR must be omitted)`;

const TYPES: Record<string, number> = { p: S_IFIFO, c: S_IFCHR, u: S_IFCHR, b: S_IFBLK };

/** glibc's makedev: 12 bits of major and 20 of minor, split around each other. */
function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

function* mknod_main(argv: string[]): UserGen<number> {
  const o = yield* getopt_mk_fifo_nod(argv, USAGE);
  if (!o) return 1;
  const mode = o.mode;
  const [name, type, ...nums] = o.rest;
  const ifmt = type !== undefined ? TYPES[type[0]] : undefined;
  if (name === undefined || ifmt === undefined) return yield* bb_show_usage(USAGE);
  let dev = 0;
  let extra = nums;
  if (ifmt !== S_IFIFO) {
    if (nums.length < 2) return yield* bb_show_usage(USAGE);
    const major = yield* xnum("mknod", strtou_range_sfx(nums[0], 10, 0, 4095, [], 2 ** 64 - 1));
    if (major === null) return 1;
    const minor = yield* xnum("mknod", strtou_range_sfx(nums[1], 10, 0, 1048575, [], 2 ** 64 - 1));
    if (minor === null) return 1;
    dev = makedev(major, minor);
    extra = nums.slice(2);
  }
  if (extra.length) return yield* bb_show_usage(USAGE);
  const r = yield* sys_mknod(name, (mode | ifmt) >>> 0, dev);
  if (r < 0) {
    yield* bb_perror_msg("mknod", name, r);
    return 1;
  }
  return 0;
}

export const mknod: Applet = { name: "mknod", dir: "/bin", usage: USAGE, main: mknod_main };
