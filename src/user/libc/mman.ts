/*
 * mman.ts - memory calls of mmbox's libc (<sys/mman.h>, brk/sbrk), and the
 * CPU's own loads and stores.
 *
 * A C program touches memory with instructions, not system calls; here a
 * program says what its instructions would do with touch(): read, write
 * (memset to a byte, or store bytes) or execute a range. The kernel walks
 * the page tables, takes the faults and charges the time, exactly as the
 * MMU and the fault handler would.
 */

import type { CpuAccess } from "../../kernel/uapi/mman.js";
import type { ExecInfo, UserGen } from "../../kernel/uapi/syscalls.js";
import { syscall } from "./sys.js";

export * from "../../kernel/uapi/mman.js";

export const brk = (addr: number): UserGen<number> => syscall({ nr: "brk", addr });
export const mmap = (
  addr: number,
  length: number,
  prot: number,
  flags: number,
  fd = -1,
  offset = 0,
): UserGen<number> => syscall({ nr: "mmap", addr, length, prot, flags, fd, offset });
export const munmap = (addr: number, length: number): UserGen<number> =>
  syscall({ nr: "munmap", addr, length });
export const mprotect = (addr: number, length: number, prot: number): UserGen<number> =>
  syscall({ nr: "mprotect", addr, length, prot });
export const mremap = (
  old_address: number,
  old_size: number,
  new_size: number,
  flags: number,
  new_address = 0,
): UserGen<number> => syscall({ nr: "mremap", old_address, old_size, new_size, flags, new_address });
export const madvise = (addr: number, length: number, advice: number): UserGen<number> =>
  syscall({ nr: "madvise", addr, length, advice });
export const mlock = (addr: number, length: number, flags = 0): UserGen<number> =>
  syscall({ nr: "mlock2", addr, length, flags });
export const munlock = (addr: number, length: number): UserGen<number> =>
  syscall({ nr: "munlock", addr, length });
export const mlockall = (flags: number): UserGen<number> => syscall({ nr: "mlockall", flags });
export const munlockall = (): UserGen<number> => syscall({ nr: "munlockall" });
export const mincore = (addr: number, length: number): UserGen<Uint8Array | number> =>
  syscall({ nr: "mincore", addr, length });

export const mbind = (addr: number, length: number, mode: number, nodes: number[]): UserGen<number> =>
  syscall({ nr: "mbind", addr, length, mode, nodes });
export const set_mempolicy = (mode: number, nodes: number[]): UserGen<number> =>
  syscall({ nr: "set_mempolicy", mode, nodes });
export const get_mempolicy = (
  addr: number,
  flags: number,
): UserGen<{ mode: number; nodes: number[] } | number> => syscall({ nr: "get_mempolicy", addr, flags });

export const swapon = (path: string, flags = 0): UserGen<number> => syscall({ nr: "swapon", path, flags });
export const swapoff = (path: string): UserGen<number> => syscall({ nr: "swapoff", path });

/** What exec left for the program: its auxiliary vector and linker symbols. */
export const exec_info = (): UserGen<ExecInfo | null> => syscall({ nr: "__exec_info" });

/**
 * The CPU touches [addr, addr+len): 0 when done, -EFAULT (-14) if the
 * access faulted fatally (the kernel has sent SIGSEGV by then).
 */
export function* touch(
  addr: number,
  len: number,
  how: Omit<CpuAccess, "addr" | "len" | "done"> = {},
): UserGen<number> {
  if (len <= 0) return 0;
  return yield* syscall<number>({ nr: "__cpu_access", access: { addr, len, ...how } });
}

/** memset(addr, c, len). */
export const memset = (addr: number, c: number, len: number): UserGen<number> =>
  touch(addr, len, { write: true, fill: c & 0xff });

/** Stores bytes at addr. */
export const poke = (addr: number, data: Uint8Array): UserGen<number> =>
  touch(addr, data.length, { write: true, data });
