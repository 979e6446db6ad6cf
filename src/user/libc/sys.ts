/*
 * sys.ts - the system call wrappers of mmbox's libc.
 *
 * Every wrapper is a generator: `const n = yield* write(1, bytes)` hands the
 * request to the kernel and returns its result. Results keep the raw ABI
 * (>= 0 or a value on success, -errno on failure), so callers test `r < 0`
 * as C code tests for -1 and errno.
 *
 * Signals: when the kernel delivers a signal whose handler the program
 * installed with sigaction(), the result of the interrupted call is replaced
 * by a SignalFrame carrying the handler; syscall() runs it, returns to the
 * kernel with rt_sigreturn, and hands the caller the original result.
 */

import type { Termios, Winsize } from "../../kernel/uapi/abi.js";
import { AT_FDCWD, PR_GET_NAME, PR_SET_NAME } from "../../kernel/uapi/abi.js";
import type {
  Dirent,
  PollFd,
  Rusage,
  SignalFrame,
  Stat,
  Statfs,
  Sys,
  Sysinfo,
  UserGen,
  Utsname,
  WaitResult,
} from "../../kernel/uapi/syscalls.js";

export type Handler = (sig: number) => UserGen<void>;

function isFrame(r: unknown): r is SignalFrame {
  return typeof r === "object" && r !== null && "__signal" in r;
}

/** The one place a request leaves user space. */
export function* syscall<T>(req: Sys): UserGen<T> {
  let r = yield req;
  while (isFrame(r)) {
    yield* r.handler(r.__signal);
    r = yield { nr: "rt_sigreturn" };
  }
  return r as T;
}

export const read = (fd: number, count: number): UserGen<Uint8Array | number> =>
  syscall({ nr: "read", fd, count });
export const write = (fd: number, data: Uint8Array): UserGen<number> => syscall({ nr: "write", fd, data });
export const open = (path: string, flags: number, mode = 0o666): UserGen<number> =>
  syscall({ nr: "openat", dirfd: AT_FDCWD, path, flags, mode });
export const close = (fd: number): UserGen<number> => syscall({ nr: "close", fd });
export const lseek = (fd: number, offset: number, whence: number): UserGen<number> =>
  syscall({ nr: "lseek", fd, offset, whence });
export const dup = (fd: number): UserGen<number> => syscall({ nr: "dup", fd });
export const dup2 = (oldfd: number, newfd: number): UserGen<number> =>
  syscall({ nr: "dup3", oldfd, newfd, flags: 0 });
export const fcntl = (fd: number, cmd: number, arg = 0): UserGen<number> =>
  syscall({ nr: "fcntl", fd, cmd, arg });
export const pipe = (flags = 0): UserGen<[number, number] | number> => syscall({ nr: "pipe2", flags });
export const fstat = (fd: number): UserGen<Stat | number> => syscall({ nr: "fstat", fd });
export const stat = (path: string): UserGen<Stat | number> =>
  syscall({ nr: "fstatat", dirfd: AT_FDCWD, path, nofollow: false });
export const lstat = (path: string): UserGen<Stat | number> =>
  syscall({ nr: "fstatat", dirfd: AT_FDCWD, path, nofollow: true });
export const getdents = (fd: number): UserGen<Dirent[] | number> => syscall({ nr: "getdents64", fd });
export const mkdir = (path: string, mode = 0o777): UserGen<number> =>
  syscall({ nr: "mkdirat", dirfd: AT_FDCWD, path, mode });
export const rmdir = (path: string): UserGen<number> =>
  syscall({ nr: "unlinkat", dirfd: AT_FDCWD, path, rmdir: true });
export const unlink = (path: string): UserGen<number> =>
  syscall({ nr: "unlinkat", dirfd: AT_FDCWD, path, rmdir: false });
export const rename = (oldpath: string, newpath: string): UserGen<number> =>
  syscall({ nr: "renameat", oldpath, newpath });
export const symlink = (target: string, path: string): UserGen<number> =>
  syscall({ nr: "symlinkat", target, path });
export const link = (oldpath: string, newpath: string): UserGen<number> =>
  syscall({ nr: "linkat", oldpath, newpath });
export const readlink = (path: string): UserGen<string | number> => syscall({ nr: "readlinkat", path });
export const chmod = (path: string, mode: number): UserGen<number> => syscall({ nr: "fchmodat", path, mode });
export const chown = (path: string, uid: number, gid: number): UserGen<number> =>
  syscall({ nr: "fchownat", path, uid, gid });
export const lchown = (path: string, uid: number, gid: number): UserGen<number> =>
  syscall({ nr: "fchownat", path, uid, gid, nofollow: true });
export const utimens = (path: string, atime: number, mtime: number): UserGen<number> =>
  syscall({ nr: "utimensat", path, atime, mtime });
export const truncate = (path: string, length: number): UserGen<number> =>
  syscall({ nr: "truncate", path, length });
export const ftruncate = (fd: number, length: number): UserGen<number> =>
  syscall({ nr: "ftruncate", fd, length });
export const access = (path: string, mode: number): UserGen<number> =>
  syscall({ nr: "faccessat", path, mode });
export const mknod = (path: string, mode: number, dev: number): UserGen<number> =>
  syscall({ nr: "mknodat", path, mode, dev });
export const chdir = (path: string): UserGen<number> => syscall({ nr: "chdir", path });
export const getcwd = (): UserGen<string | number> => syscall({ nr: "getcwd" });
export const umask = (mask: number): UserGen<number> => syscall({ nr: "umask", mask });
export const statfs = (path: string): UserGen<Statfs | number> => syscall({ nr: "statfs", path });
export const fstatfs = (fd: number): UserGen<Statfs | number> => syscall({ nr: "fstatfs", fd });
export const fallocate = (fd: number, mode: number, offset: number, len: number): UserGen<number> =>
  syscall({ nr: "fallocate", fd, mode, offset, len });

/** fork: the child runs `child` (and exits with its return value); the parent gets the pid. */
export const fork = (child: () => UserGen<number>): UserGen<number> => syscall({ nr: "fork", child });
export const execve = (path: string, argv: string[], envp: string[]): UserGen<number> =>
  syscall({ nr: "execve", path, argv, envp });
export function* exit(status: number): UserGen<never> {
  yield { nr: "exit_group", status };
  throw new Error("exit_group returned");
}
export const wait4 = (pid: number, options = 0): UserGen<WaitResult | number> =>
  syscall({ nr: "wait4", pid, options });
export const getpid = (): UserGen<number> => syscall({ nr: "getpid" });
export const getppid = (): UserGen<number> => syscall({ nr: "getppid" });
export const getpgid = (pid = 0): UserGen<number> => syscall({ nr: "getpgid", pid });
export const setpgid = (pid: number, pgid: number): UserGen<number> => syscall({ nr: "setpgid", pid, pgid });
export const getsid = (pid = 0): UserGen<number> => syscall({ nr: "getsid", pid });
export const setsid = (): UserGen<number> => syscall({ nr: "setsid" });
export const getuid = (): UserGen<number> => syscall({ nr: "getuid" });
export const kill = (pid: number, sig: number): UserGen<number> => syscall({ nr: "kill", pid, sig });

/** sigaction: SIG_DFL (0), SIG_IGN (1) or a handler generator. Returns the old disposition. */
export const sigaction = (sig: number, handler: number | Handler): UserGen<number | Handler> =>
  syscall({ nr: "rt_sigaction", sig, handler });
export const sigprocmask = (how: number, set: number[] | null): UserGen<number[] | number> =>
  syscall({ nr: "rt_sigprocmask", how, set });
export const pause = (): UserGen<number> => syscall({ nr: "pause" });
export const nanosleep = (ns: number): UserGen<number> => syscall({ nr: "nanosleep", ns });
/** clock_gettime: nanoseconds (CLOCK_REALTIME since the epoch, CLOCK_MONOTONIC since boot). */
export const clock_gettime = (clock: number): UserGen<number> => syscall({ nr: "clock_gettime", clock });
export const uname = (): UserGen<Utsname> => syscall({ nr: "uname" });
export const sethostname = (name: string): UserGen<number> => syscall({ nr: "sethostname", name });
/** prctl(PR_SET_NAME, name): BusyBox's set_task_comm. */
export const prctl_set_name = (name: string): UserGen<number> =>
  syscall({ nr: "prctl", option: PR_SET_NAME, name });
/** prctl(PR_GET_NAME): the task's comm. */
export const prctl_get_name = (): UserGen<string> => syscall({ nr: "prctl", option: PR_GET_NAME });
export const sysinfo = (): UserGen<Sysinfo> => syscall({ nr: "sysinfo" });
export const getrusage = (who: number): UserGen<Rusage> => syscall({ nr: "getrusage", who });
export const ioctl = <T = number>(
  fd: number,
  request: number,
  arg?: Termios | Winsize | number,
): UserGen<T | number> => syscall({ nr: "ioctl", fd, request, arg });
export const poll = (fds: PollFd[], timeout_ms: number): UserGen<number> =>
  syscall({ nr: "poll", fds, timeout_ms });
export const mount = (
  source: string,
  target: string,
  fstype: string,
  flags: number,
  data: string,
): UserGen<number> => syscall({ nr: "mount", source, target, fstype, flags, data });
export const umount2 = (target: string, flags: number): UserGen<number> =>
  syscall({ nr: "umount2", target, flags });
export const sync = (): UserGen<number> => syscall({ nr: "sync" });
export const fsync = (fd: number): UserGen<number> => syscall({ nr: "fsync", fd });
export const reboot = (cmd: number): UserGen<number> => syscall({ nr: "reboot", cmd });
/** syslog(2): type SYSLOG_ACTION_READ_ALL returns the log as text. */
export const syslog = (type: number, len = 0): UserGen<string | number> =>
  syscall({ nr: "syslog", type, len });
export const sched_yield = (): UserGen<number> => syscall({ nr: "sched_yield" });
/** The raw calls: getpriority gives 20 - nice (1..40), as the kernel does, or -errno. */
export const setpriority = (which: number, who: number, prio: number): UserGen<number> =>
  syscall({ nr: "setpriority", which, who, prio });
export const getpriority = (which: number, who: number): UserGen<number> =>
  syscall({ nr: "getpriority", which, who });
export const ioprio_set = (which: number, who: number, ioprio: number): UserGen<number> =>
  syscall({ nr: "ioprio_set", which, who, ioprio });
export const ioprio_get = (which: number, who: number): UserGen<number> =>
  syscall({ nr: "ioprio_get", which, who });
/** The raw calls: getaffinity gives the mask (a bigint) or -errno. */
export const sched_setaffinity = (pid: number, len: number, mask: bigint): UserGen<number> =>
  syscall({ nr: "sched_setaffinity", pid, len, mask });
export const sched_getaffinity = (pid: number, len: number): UserGen<bigint | number> =>
  syscall({ nr: "sched_getaffinity", pid, len });
export const getrlimit = (resource: number): UserGen<[number, number] | number> =>
  syscall({ nr: "getrlimit", resource });
export const setrlimit = (resource: number, cur: number, max: number): UserGen<number> =>
  syscall({ nr: "setrlimit", resource, cur, max });
/** init_module(2): load a module image with its parameters ("count=8 debug=1"). */
export const init_module = (image: Uint8Array, options: string): UserGen<number> =>
  syscall({ nr: "init_module", image, options });
/** delete_module(2): unload a module (flags: O_NONBLOCK, O_TRUNC to force). */
export const delete_module = (name: string, flags: number): UserGen<number> =>
  syscall({ nr: "delete_module", name, flags });
