/*
 * fallocate.ts - fallocate (util-linux/fallocate.c): preallocate LEN bytes
 * of FILE at OFS (default 0), creating FILE. Numbers take kmg_i suffixes
 * (k K KiB = 1024, KB = 1000, M, G...). BusyBox calls glibc's
 * posix_fallocate (libc/fallocate.ts): on tmpfs the kernel allocates the
 * pages (Shmem rises, df shows the space, size= gives ENOSPC); on ext2,
 * which has no fallocate, glibc writes a zero byte into each block.
 */

import { O_CREAT, O_RDWR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { posix_fallocate } from "../libc/fallocate.js";
import {
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  kmg_i_suffixes,
  strtou_range_sfx,
  xnum,
} from "../libc/libbb.js";
import { open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `fallocate [-o OFS] -l LEN FILE

Preallocate space for FILE

\t-o OFS\tOffset of range
\t-l LEN\tLength of range`;

/** xatoull_sfx as an off_t: from 2^63 on the value is negative. */
function* off_t(s: string): UserGen<number | null> {
  const v = yield* xnum("fallocate", strtou_range_sfx(s, 10, 0, 2 ** 64 - 1, kmg_i_suffixes));
  if (v === null) return null;
  // the double may have rounded up to 2^63: decide on the exact value
  const mult = kmg_i_suffixes.find((x) => s.endsWith(x.suffix) && /^\d+$/.test(s.slice(0, -x.suffix.length)));
  const exact = BigInt(/^\d+/.exec(s)![0]) * BigInt(mult?.mult ?? 1);
  return exact >= 1n << 63n ? -1 : v;
}

function* fallocate_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "l:o:", USAGE);
  if (!o) return 1;
  const l = o.arg("l");
  if (o.rest.length !== 1 || l === undefined) return yield* bb_show_usage(USAGE);
  const ofs = yield* off_t(o.arg("o") ?? "0");
  if (ofs === null) return 1;
  const len = yield* off_t(l);
  if (len === null) return 1;
  const file = o.rest[0];
  const fd = yield* open(file, O_RDWR | O_CREAT, 0o666);
  if (fd < 0) {
    yield* bb_perror_msg("fallocate", `can't open '${file}'`, fd);
    return 1;
  }
  const err = yield* posix_fallocate(fd, ofs, len);
  if (err) {
    yield* bb_perror_msg("fallocate", `fallocate '${file}'`, -err);
    return 1;
  }
  return 0;
}

export const fallocate: Applet = { name: "fallocate", dir: "/usr/bin", usage: USAGE, main: fallocate_main };
