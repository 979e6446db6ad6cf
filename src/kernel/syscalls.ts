/*
 * syscalls.ts - the system call table (Linux arch/../syscall table plus
 * the SYSCALL_DEFINE wrappers): one entry per request of uapi/syscalls.ts,
 * taking the request apart and calling the subsystem that serves it.
 */

import { sys_ioprio_get, sys_ioprio_set } from "./block/ioprio.js";
import { sys_execve } from "./fs/exec.js";
import { fget } from "./fs/file_table.js";
import {
  new_decode_dev,
  sys_chdir,
  sys_close,
  sys_faccessat,
  sys_fallocate,
  sys_fchmodat,
  sys_fchownat,
  sys_fstat,
  sys_fstatat,
  sys_fstatfs,
  sys_ftruncate,
  sys_getcwd,
  sys_getdents64,
  sys_openat,
  sys_readlinkat,
  sys_statfs,
  sys_truncate,
  sys_umask,
  sys_utimensat,
} from "./fs/open.js";
import { sys_pipe2 } from "./fs/pipe.js";
import {
  sys_dup,
  sys_dup3,
  sys_fcntl,
  sys_ioctl,
  sys_linkat,
  sys_lseek,
  sys_mkdirat,
  sys_mknodat,
  sys_poll,
  sys_read,
  sys_renameat,
  sys_symlinkat,
  sys_unlinkat,
  sys_write,
} from "./fs/read_write.js";
import { do_mount, do_umount } from "./fs/super.js";
import type { Kernel } from "./kernel.js";
import { sync_all } from "./mm/page_writeback.js";
import { mm_sys_call_table } from "./mm/sys_mm.js";
import { sys_delete_module, sys_init_module } from "./module/main.js";
import { sys_sched_getaffinity, sys_sched_setaffinity } from "./sched/affinity.js";
import { sleep_on } from "./sched/core.js";
import { do_exit, sys_wait4 } from "./sched/exit.js";
import { sys_fork } from "./sched/fork.js";
import {
  sys_kill,
  sys_pause,
  sys_rt_sigaction,
  sys_rt_sigprocmask,
  sys_rt_sigreturn,
} from "./sched/signal.js";
import type { KReq, Task } from "./sched/task.js";
import {
  sys_clock_gettime,
  sys_getpriority,
  sys_getrlimit,
  sys_getrusage,
  sys_nanosleep,
  sys_prctl,
  sys_reboot,
  sys_sethostname,
  sys_setpgid,
  sys_setpriority,
  sys_setrlimit,
  sys_setsid,
  sys_sysinfo,
  sys_syslog,
  sys_uname,
} from "./sys.js";
import { EBADF, ENOSYS, ESRCH } from "./uapi/errno.js";
import type { Sys } from "./uapi/syscalls.js";

// biome-ignore lint/suspicious/noExplicitAny: each handler receives its own request variant
type Handler = (k: Kernel, t: Task, r: any) => unknown;

const sys_call_table: Record<string, Handler> = {
  ...mm_sys_call_table,
  read: (k, t, r) => sys_read(k, t, r.fd, r.count),
  write: (k, t, r) => sys_write(k, t, r.fd, r.data),
  openat: (k, t, r) => sys_openat(k, t, r.path, r.flags, r.mode),
  close: (k, t, r) => sys_close(k, t, r.fd),
  lseek: (k, t, r) => sys_lseek(k, t, r.fd, r.offset, r.whence),
  dup: (_k, t, r) => sys_dup(t, r.fd),
  dup3: (k, t, r) => sys_dup3(k, t, r.oldfd, r.newfd, r.flags),
  fcntl: (_k, t, r) => sys_fcntl(t, r.fd, r.cmd, r.arg),
  pipe2: (k, t, r) => sys_pipe2(k, t, r.flags),
  fstat: (_k, t, r) => sys_fstat(t, r.fd),
  fstatat: (k, t, r) => sys_fstatat(k, t, r.path, r.nofollow),
  getdents64: (k, t, r) => sys_getdents64(k, t, r.fd),
  mkdirat: (k, t, r) => sys_mkdirat(k, t, r.path, r.mode),
  unlinkat: (k, t, r) => sys_unlinkat(k, t, r.path, r.rmdir),
  renameat: (k, t, r) => sys_renameat(k, t, r.oldpath, r.newpath),
  symlinkat: (k, t, r) => sys_symlinkat(k, t, r.target, r.path),
  linkat: (k, t, r) => sys_linkat(k, t, r.oldpath, r.newpath),
  readlinkat: (k, t, r) => sys_readlinkat(k, t, r.path),
  fchmodat: (k, t, r) => sys_fchmodat(k, t, r.path, r.mode),
  fchownat: (k, t, r) => sys_fchownat(k, t, r.path, r.uid, r.gid, r.nofollow ?? false),
  utimensat: (k, t, r) => sys_utimensat(k, t, r.path, r.atime, r.mtime),
  truncate: (k, t, r) => sys_truncate(k, t, r.path, r.length),
  ftruncate: (k, t, r) => sys_ftruncate(k, t, r.fd, r.length),
  faccessat: (k, t, r) => sys_faccessat(k, t, r.path, r.mode),
  mknodat: (k, t, r) => sys_mknodat(k, t, r.path, r.mode, new_decode_dev(r.dev >>> 0)),
  chdir: (k, t, r) => sys_chdir(k, t, r.path),
  getcwd: (k, t) => sys_getcwd(k, t),
  umask: (_k, t, r) => sys_umask(t, r.mask),
  statfs: (k, t, r) => sys_statfs(k, t, r.path),
  fstatfs: (k, t, r) => sys_fstatfs(k, t, r.fd),
  fallocate: (k, t, r) => sys_fallocate(k, t, r.fd, r.mode, r.offset, r.len),
  fork: (k, t, r) => sys_fork(k, t, r.child),
  execve: (k, t, r) => sys_execve(k, t, r.path, r.argv, r.envp),
  exit_group: (k, t, r) => {
    do_exit(k, t, (Number(r.status) & 0xff) << 8);
    return 0;
  },
  wait4: (k, t, r) => sys_wait4(k, t, r.pid, r.options),
  getpid: (_k, t) => t.pid,
  getppid: (_k, t) => t.parent?.pid ?? 0,
  getpgid: (k, t, r) => {
    const x = r.pid ? k.sched.tasks.get(r.pid) : t;
    return x ? x.signal.pgrp : -ESRCH;
  },
  setpgid: (k, t, r) => sys_setpgid(k, t, r.pid, r.pgid),
  getsid: (k, t, r) => {
    const x = r.pid ? k.sched.tasks.get(r.pid) : t;
    return x ? x.signal.session : -ESRCH;
  },
  setsid: (_k, t) => sys_setsid(t),
  getuid: () => 0,
  kill: (k, t, r) => sys_kill(k, t, r.pid, r.sig),
  rt_sigaction: (_k, t, r) => sys_rt_sigaction(t, r.sig, r.handler),
  rt_sigprocmask: (_k, t, r) => sys_rt_sigprocmask(t, r.how, r.set),
  rt_sigreturn: (_k, t) => sys_rt_sigreturn(t),
  pause: (k, t) => sys_pause(k, t),
  nanosleep: (k, t, r) => sys_nanosleep(k, t, r.ns),
  clock_gettime: (k, _t, r) => sys_clock_gettime(k, r.clock),
  uname: (k) => sys_uname(k),
  sethostname: (k, _t, r) => sys_sethostname(k, r.name),
  prctl: (_k, t, r) => sys_prctl(t, r.option, r.name),
  sysinfo: (k) => sys_sysinfo(k),
  getrusage: (_k, t, r) => sys_getrusage(t, r.who),
  ioctl: (k, t, r) => sys_ioctl(k, t, r.fd, r.request, r.arg),
  poll: (k, t, r) => sys_poll(k, t, r.fds, r.timeout_ms),
  mount: (k, t, r) => do_mount(k, t, r.source, r.target, r.fstype, r.flags, r.data),
  umount2: (k, t, r) => do_umount(k, t, r.target, r.flags),
  sync: (k) => {
    sync_all(k);
    return 0;
  },
  fsync: (k, t, r) => {
    const f = fget(t, r.fd);
    if (!f) return -EBADF;
    return f.f_op.fsync ? f.f_op.fsync(k, f) : 0;
  },
  reboot: (k, _t, r) => sys_reboot(k, r.cmd),
  syslog: (k, t, r) => sys_syslog(k, t, r.type, r.len),
  sched_yield: (_k, t) => {
    t.slice_left = 0;
    return 0;
  },
  sched_setaffinity: (k, t, r) => sys_sched_setaffinity(k, t, r.pid, r.len, r.mask),
  sched_getaffinity: (k, t, r) => sys_sched_getaffinity(k, t, r.pid, r.len),
  setpriority: (k, t, r) => sys_setpriority(k, t, r.which, r.who, r.prio),
  getpriority: (k, t, r) => sys_getpriority(k, t, r.which, r.who),
  ioprio_set: (k, t, r) => sys_ioprio_set(k, t, r.which, r.who, r.ioprio),
  ioprio_get: (k, t, r) => sys_ioprio_get(k, t, r.which, r.who),
  getrlimit: (_k, t, r) => sys_getrlimit(t, r.resource),
  setrlimit: (_k, t, r) => sys_setrlimit(t, r.resource, r.cur, r.max),
  init_module: (k, t, r) => sys_init_module(k, t, r.image, r.options),
  delete_module: (k, t, r) => sys_delete_module(k, t, r.name, r.flags),
  /* kernel threads: wait on a queue (and/or until a time); the retried request returns */
  __kwait: (k, t, r) => {
    if (t.woken || (r.until && k.clock.ns >= r.until)) {
      t.woken = false;
      return 0;
    }
    return sleep_on(k, t, r.wq, true, r.until ?? 0);
  },
  __kyield: (_k, t) => {
    t.slice_left = 0;
    return 0;
  },
};

/** The scheduler's entry into the table. */
export function dispatch(k: Kernel, t: Task, req: Sys | KReq): unknown {
  const h = sys_call_table[req.nr];
  if (!h) return -ENOSYS;
  return h(k, t, req);
}
