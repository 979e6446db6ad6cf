/*
 * mman.ts - the memory-management system call interface (Linux
 * include/uapi/asm-generic/mman-common.h, mman.h).
 *
 * Besides the real calls, a program describes its loads and stores with
 * the __cpu_access request: "the CPU touches [addr, addr+len)", reading,
 * writing (memset to a byte, or exact bytes) or fetching instructions. It
 * is what the instructions of a C program do between system calls; the
 * kernel answers it the way the MMU and the page-fault handler would.
 */

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x100;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_FAILED = -1;

export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_REMOVE = 9;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;
export const MLOCK_ONFAULT = 1;

/** A program's access to memory: a range, read/write/exec, and what a write stores. */
export interface CpuAccess {
  addr: number;
  len: number;
  write?: boolean;
  exec?: boolean;
  /** A write stores this byte in every byte (memset); without it, data nobody will compare. */
  fill?: number;
  /** With fill: then a different word at the start of each page (the page stays mostly fill). */
  distinct?: boolean;
  /** Bytes to store at addr (small writes, e.g. a string). */
  data?: Uint8Array;
  /** Progress of a long access (pages done), kept by the kernel between slices. */
  done?: number;
}

/** The memory-management requests (part of Sys). */
export type MmSys =
  | { nr: "brk"; addr: number }
  | {
      nr: "mmap";
      addr: number;
      length: number;
      prot: number;
      flags: number;
      fd: number;
      offset: number;
      populate?: { next: number; end: number };
    }
  | { nr: "munmap"; addr: number; length: number }
  | { nr: "mprotect"; addr: number; length: number; prot: number }
  | {
      nr: "mremap";
      old_address: number;
      old_size: number;
      new_size: number;
      flags: number;
      new_address: number;
    }
  | { nr: "madvise"; addr: number; length: number; advice: number }
  | { nr: "mlock2"; addr: number; length: number; flags: number; populate?: { next: number; end: number } }
  | { nr: "munlock"; addr: number; length: number }
  | { nr: "mlockall"; flags: number; populate?: { next: number; end: number } }
  | { nr: "munlockall" }
  | { nr: "mincore"; addr: number; length: number }
  | { nr: "mbind"; addr: number; length: number; mode: number; nodes: number[] }
  | { nr: "set_mempolicy"; mode: number; nodes: number[] }
  | { nr: "get_mempolicy"; addr: number; flags: number }
  | { nr: "swapon"; path: string; flags: number }
  | { nr: "swapoff"; path: string }
  | { nr: "__cpu_access"; access: CpuAccess }
  | { nr: "__exec_info" };
