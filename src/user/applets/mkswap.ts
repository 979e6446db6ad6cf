/*
 * mkswap.ts - mkswap (util-linux/mkswap.c): writes a version 1 swap header
 * on a block device (or file): the first KiB cleared, then version, last
 * page, a random UUID (from /dev/urandom, version 4) and the label, and
 * "SWAPSPACE2" in the last 10 bytes of the first page. The size is the
 * device's (or KBYTES); one page goes to the header.
 */

import { O_RDONLY, O_WRONLY, SEEK_END, SEEK_SET } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { close, fsync, lseek, open, read, write } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mkswap [-L LBL] BLOCKDEV [KBYTES]

Prepare BLOCKDEV to be used as swap partition

\t-L LBL\tLabel`;

const PAGE = 4096;

function* generate_uuid(): UserGen<Uint8Array> {
  const fd = yield* open("/dev/urandom", O_RDONLY);
  const r = fd >= 0 ? yield* read(fd, 16) : new Uint8Array(16);
  if (fd >= 0) yield* close(fd);
  const u = typeof r === "number" ? new Uint8Array(16) : r;
  u[6] = (u[6] & 0x0f) | 0x40;
  u[8] = (u[8] & 0x3f) | 0x80;
  return u;
}

function le32(b: Uint8Array, off: number, v: number): void {
  for (let i = 0; i < 4; i++) b[off + i] = (v >>> (8 * i)) & 0xff;
}

function* mkswap_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "L:", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const dev = o.rest[0];
  const label = o.arg("L") ?? "";
  const fd = yield* open(dev, O_WRONLY);
  if (fd < 0) {
    yield* bb_perror_msg("mkswap", `can't open '${dev}'`, fd);
    return 1;
  }
  let size = o.rest[1] !== undefined ? Number.parseInt(o.rest[1], 10) * 1024 : yield* lseek(fd, 0, SEEK_END);
  if (!Number.isFinite(size) || size < 0) size = 0;
  const len = size - PAGE;
  yield* puts(1, `Setting up swapspace version 1, size = ${Math.max(0, len)} bytes\n`);
  const hdr = new Uint8Array(PAGE);
  le32(hdr, 1024, 1);
  le32(hdr, 1028, Math.max(0, Math.floor(len / PAGE)));
  const uuid = yield* generate_uuid();
  hdr.set(uuid, 1036);
  const hex = [...uuid].map((x) => x.toString(16).padStart(2, "0")).join("");
  yield* puts(
    1,
    `UUID=${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}\n`,
  );
  hdr.set(new TextEncoder().encode(label).subarray(0, 15), 1052);
  hdr.set(new TextEncoder().encode("SWAPSPACE2"), PAGE - 10);
  yield* lseek(fd, 0, SEEK_SET);
  const w = yield* write(fd, hdr);
  if (w < 0) {
    yield* bb_perror_msg("mkswap", "write", w);
    return 1;
  }
  yield* fsync(fd);
  yield* close(fd);
  return 0;
}

export const mkswap: Applet = { name: "mkswap", dir: "/sbin", usage: USAGE, main: mkswap_main };
