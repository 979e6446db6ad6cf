/*
 * syscalls.ts - the system call interface between user programs and the
 * kernel (Linux's syscall table, as typed requests).
 *
 * A user program is a generator: each `yield` hands the kernel one request
 * and receives the result when the kernel resumes it, possibly much later
 * (a read on an empty pipe sleeps; a fault costs time; a signal may arrive).
 * Results follow the raw ABI: a number >= 0 or a typed value on success,
 * -errno on failure. The libc wrappers in user/libc make this comfortable.
 *
 * Programs are registered by name (the ELF entry of a binary in the rootfs)
 * and started by execve; fork takes the function the child runs, because a
 * simulated program cannot copy its own JavaScript stack.
 */

import type { Termios, Winsize } from "./abi.js";
import type { MmSys } from "./mman.js";

/** A user program's body: runs until it returns its exit status. */
export type UserGen<T = number> = Generator<Sys, T, unknown>;

/**
 * The entry point of a program file (what exec starts). The third argument
 * is the C library's per-process state, set up by its start-up code
 * (user/libc/crt0.ts); the kernel never looks at it.
 */
export type ProgramMain = (argv: string[], envp: string[], libc?: unknown) => UserGen<number>;

export interface Stat {
  st_dev: number;
  st_ino: number;
  st_mode: number;
  st_nlink: number;
  st_uid: number;
  st_gid: number;
  st_rdev: number;
  st_size: number;
  st_blksize: number;
  st_blocks: number; // 512-byte blocks
  st_atime: number; // seconds
  st_mtime: number;
  st_ctime: number;
}

export interface Dirent {
  d_ino: number;
  d_type: number; // DT_* as in dirent.h
  d_name: string;
}

export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export interface Sysinfo {
  uptime: number; // seconds
  loads: [number, number, number]; // scaled by 65536
  totalram: number;
  freeram: number;
  sharedram: number;
  bufferram: number;
  totalswap: number;
  freeswap: number;
  procs: number;
  totalhigh: number;
  freehigh: number;
  mem_unit: number;
}

export interface Rusage {
  ru_utime: number; // ns
  ru_stime: number; // ns
  ru_maxrss: number; // KiB
  ru_minflt: number;
  ru_majflt: number;
  ru_nvcsw: number;
  ru_nivcsw: number;
}

export interface WaitResult {
  pid: number;
  status: number;
  rusage: Rusage;
}

export interface Statfs {
  f_type: number;
  f_bsize: number;
  f_blocks: number;
  f_bfree: number;
  f_bavail: number;
  f_files: number;
  f_ffree: number;
  f_namelen: number;
}

export interface PollFd {
  fd: number;
  events: number;
  revents: number;
}
export const POLLIN = 1;
export const POLLOUT = 4;
export const POLLERR = 8;
export const POLLHUP = 16;
export const POLLNVAL = 32;

/**
 * What a new program finds about itself at start: its auxiliary vector
 * (AT_SYSINFO_EHDR, AT_PAGESZ...) and the linker symbols a C program has
 * (_etext, _edata, _end, the RELRO range its start-up code protects).
 */
export interface ExecInfo {
  start_code: number;
  end_code: number;
  start_data: number;
  end_data: number;
  /** _end: the end of bss. */
  bss_end: number;
  /** Where brk(0) starts (randomised above bss). */
  start_brk: number;
  /** The stack pointer at entry. */
  start_stack: number;
  /** The top of the stack area. */
  stack_end: number;
  /** AT_SYSINFO_EHDR: the vDSO. */
  vdso: number;
  /** PT_GNU_RELRO, page-aligned: made read-only after relocation. */
  relro: { start: number; end: number } | null;
  segments: { vaddr: number; filesz: number; memsz: number; prot: number }[];
  page_size: number;
  mmap_base: number;
  task_size: number;
}

/** A delivered signal: what a wrapper sees instead of the result while a handler must run. */
export interface SignalFrame {
  __signal: number;
  handler: (sig: number) => UserGen<void>;
}

/** Every request a program can make. */
export type Sys =
  | { nr: "read"; fd: number; count: number }
  | { nr: "write"; fd: number; data: Uint8Array }
  | { nr: "openat"; dirfd: number; path: string; flags: number; mode: number }
  | { nr: "close"; fd: number }
  | { nr: "lseek"; fd: number; offset: number; whence: number }
  | { nr: "dup"; fd: number }
  | { nr: "dup3"; oldfd: number; newfd: number; flags: number }
  | { nr: "fcntl"; fd: number; cmd: number; arg: number }
  | { nr: "pipe2"; flags: number }
  | { nr: "fstat"; fd: number }
  | { nr: "fstatat"; dirfd: number; path: string; nofollow: boolean }
  | { nr: "getdents64"; fd: number }
  | { nr: "mkdirat"; dirfd: number; path: string; mode: number }
  | { nr: "unlinkat"; dirfd: number; path: string; rmdir: boolean }
  | { nr: "renameat"; oldpath: string; newpath: string }
  | { nr: "symlinkat"; target: string; path: string }
  | { nr: "linkat"; oldpath: string; newpath: string }
  | { nr: "readlinkat"; path: string }
  | { nr: "fchmodat"; path: string; mode: number }
  | { nr: "fchownat"; path: string; uid: number; gid: number; nofollow?: boolean }
  | { nr: "utimensat"; path: string; atime: number; mtime: number }
  | { nr: "truncate"; path: string; length: number }
  | { nr: "ftruncate"; fd: number; length: number }
  | { nr: "faccessat"; path: string; mode: number }
  | { nr: "mknodat"; path: string; mode: number; dev: number }
  | { nr: "chdir"; path: string }
  | { nr: "getcwd" }
  | { nr: "umask"; mask: number }
  | { nr: "statfs"; path: string }
  | { nr: "fstatfs"; fd: number }
  | { nr: "fallocate"; fd: number; mode: number; offset: number; len: number }
  | { nr: "fork"; child: () => UserGen<number> }
  | { nr: "execve"; path: string; argv: string[]; envp: string[] }
  | { nr: "exit_group"; status: number }
  | { nr: "wait4"; pid: number; options: number }
  | { nr: "getpid" }
  | { nr: "getppid" }
  | { nr: "getpgid"; pid: number }
  | { nr: "setpgid"; pid: number; pgid: number }
  | { nr: "getsid"; pid: number }
  | { nr: "setsid" }
  | { nr: "getuid" }
  | { nr: "kill"; pid: number; sig: number }
  | { nr: "rt_sigaction"; sig: number; handler: number | ((sig: number) => UserGen<void>) }
  | { nr: "rt_sigprocmask"; how: number; set: number[] | null }
  | { nr: "rt_sigreturn" }
  | { nr: "pause" }
  | { nr: "nanosleep"; ns: number }
  | { nr: "clock_gettime"; clock: number }
  | { nr: "uname" }
  | { nr: "sethostname"; name: string }
  | { nr: "prctl"; option: number; name?: string }
  | { nr: "sysinfo" }
  | { nr: "getrusage"; who: number }
  | { nr: "times" }
  | { nr: "ioctl"; fd: number; request: number; arg?: Termios | Winsize | number }
  | { nr: "poll"; fds: PollFd[]; timeout_ms: number }
  | { nr: "mount"; source: string; target: string; fstype: string; flags: number; data: string }
  | { nr: "umount2"; target: string; flags: number }
  | { nr: "sync" }
  | { nr: "fsync"; fd: number }
  | { nr: "reboot"; cmd: number }
  | { nr: "syslog"; type: number; len: number }
  | { nr: "sched_yield" }
  | { nr: "setpriority"; which: number; who: number; prio: number }
  | { nr: "getpriority"; which: number; who: number }
  | { nr: "ioprio_set"; which: number; who: number; ioprio: number }
  | { nr: "ioprio_get"; which: number; who: number }
  | { nr: "sched_setaffinity"; pid: number; len: number; mask: bigint }
  | { nr: "sched_getaffinity"; pid: number; len: number }
  | { nr: "getrlimit"; resource: number }
  | { nr: "setrlimit"; resource: number; cur: number; max: number }
  | { nr: "init_module"; image: Uint8Array; options: string }
  | { nr: "delete_module"; name: string; flags: number }
  | MmSys;
