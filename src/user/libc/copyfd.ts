/*
 * copyfd.ts - the buffer of bb_copyfd_eof (libbb/copyfd.c), which cat and
 * copy_file copy through.
 *
 * Debian builds BusyBox with FEATURE_COPYBUF_KB=64: more than 4 KiB, so
 * bb_full_fd_action does not use a stack buffer but maps a page-aligned
 * 64 KiB anonymous one for each copy and unmaps it at the end. That is the
 * "rw-p 00000000 00:00 0" mapping of 16 pages `cat /proc/self/maps` shows,
 * with only the pages read(2) has written into resident.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, mmap, munmap, PROT_READ, PROT_WRITE, touch } from "./mman.js";

/** CONFIG_FEATURE_COPYBUF_KB * 1024. */
export const COPYBUF_SIZE = 64 * 1024;

/** Maps the copy buffer; 0 when the map failed (BusyBox then falls back to a stack buffer). */
export function* copybuf_map(): UserGen<number> {
  const addr = yield* mmap(0, COPYBUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  return Math.max(addr, 0);
}

/** What read(2) did to the buffer: the kernel stored n bytes at its start. */
export function* copybuf_filled(addr: number, n: number): UserGen<void> {
  if (addr) yield* touch(addr, n, { write: true });
}

export function* copybuf_unmap(addr: number): UserGen<void> {
  if (addr) yield* munmap(addr, COPYBUF_SIZE);
}
