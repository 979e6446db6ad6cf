/*
 * blockdev.ts - blockdev (util-linux/blockdev.c): one ioctl on a block
 * device node, and its value printed:
 *   blockdev --getsize64 /dev/vda     268435456
 * The commands are the names of bdcmd_names (--getsize is still accepted,
 * though the usage no longer lists it); --setbsz and --setra take a number
 * (xatoi_positive) before the device. Exactly one device; an ioctl the
 * file does not know is "DEVICE: Inappropriate ioctl for device".
 */

import {
  BLKBSZGET,
  BLKBSZSET,
  BLKFLSBUF,
  BLKGETSIZE,
  BLKGETSIZE64,
  BLKRAGET,
  BLKRASET,
  BLKROGET,
  BLKROSET,
  BLKRRPART,
  BLKSSZGET,
  O_RDONLY,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_perror_msg, bb_show_usage, INT_MAX, strtou_range_sfx, xnum } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { close, ioctl, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `blockdev OPTION BLOCKDEV

\t--setro\t\tSet ro
\t--setrw\t\tSet rw
\t--getro\t\tGet ro
\t--getss\t\tGet sector size
\t--getbsz\tGet block size
\t--setbsz BYTES\tSet block size
\t--getsz\t\tGet device size in 512-byte sectors
\t--getsize64\tGet device size in bytes
\t--getra\t\tGet readahead in 512-byte sectors
\t--setra SECTORS\tSet readahead
\t--flushbufs\tFlush buffers
\t--rereadpt\tReread partition table`;

/** What a command prints: a signed int, an unsigned number, sectors of a byte count, or nothing. */
type Result = "int" | "ulong" | "scale512" | "u64" | "none";

const COMMANDS: Record<string, { ioc: number; result: Result; arg?: number; user?: boolean }> = {
  setro: { ioc: BLKROSET, result: "none", arg: 1 },
  setrw: { ioc: BLKROSET, result: "none", arg: 0 },
  getro: { ioc: BLKROGET, result: "int" },
  getss: { ioc: BLKSSZGET, result: "int" },
  getbsz: { ioc: BLKBSZGET, result: "int" },
  setbsz: { ioc: BLKBSZSET, result: "none", user: true },
  getsz: { ioc: BLKGETSIZE64, result: "scale512" },
  getsize: { ioc: BLKGETSIZE, result: "ulong" },
  getsize64: { ioc: BLKGETSIZE64, result: "u64" },
  getra: { ioc: BLKRAGET, result: "ulong" },
  setra: { ioc: BLKRASET, result: "none", user: true },
  flushbufs: { ioc: BLKFLSBUF, result: "none" },
  rereadpt: { ioc: BLKRRPART, result: "none" },
};

function* blockdev_main(argv: string[]): UserGen<number> {
  let i = 1;
  if (argv.length < 3) return yield* bb_show_usage(USAGE);
  const name = argv[i].startsWith("--") ? argv[i].slice(2) : "";
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) return yield* bb_show_usage(USAGE);
  let arg = cmd.arg ?? 0;
  if (cmd.user) {
    const v = yield* xnum("blockdev", strtou_range_sfx(argv[++i], 10, 0, INT_MAX));
    if (v === null) return 1;
    arg = v;
  }
  i++;
  if (argv[i] === undefined || argv.length > i + 1) return yield* bb_show_usage(USAGE);
  const dev = argv[i];
  const fd = yield* open(dev, O_RDONLY);
  if (fd < 0) {
    yield* bb_perror_msg("blockdev", `can't open '${dev}'`, fd);
    return 1;
  }
  const r = yield* ioctl<number>(fd, cmd.ioc, arg);
  if (typeof r === "number" && r < 0) {
    yield* bb_perror_msg("blockdev", dev, r);
    return 1;
  }
  const v = Number(r);
  if (cmd.result === "int") yield* puts(1, `${v | 0}\n`);
  else if (cmd.result === "scale512") yield* puts(1, `${Math.floor(v / 512)}\n`);
  else if (cmd.result !== "none") yield* puts(1, `${v}\n`);
  yield* close(fd);
  return 0;
}

export const blockdev: Applet = { name: "blockdev", dir: "/sbin", usage: USAGE, main: blockdev_main };
