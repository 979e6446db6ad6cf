/*
 * read_write.ts - read, write, seek, descriptors, ioctl, poll and the
 * directory-changing calls (Linux fs/read_write.c, fs/fcntl.c, fs/ioctl.c,
 * fs/select.c, and the syscalls of fs/namei.c: mkdir, unlink, rmdir,
 * rename, symlink, link, mknod).
 */

import type { Kernel } from "../kernel.js";
import { signal_pending, sleep_on } from "../sched/core.js";
import type { Task } from "../sched/task.js";
import {
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  FD_CLOEXEC,
  O_ACCMODE,
  O_APPEND,
  O_CLOEXEC,
  O_NONBLOCK,
  O_RDONLY,
  O_WRONLY,
  S_IFDIR,
  S_IFMT,
} from "../uapi/abi.js";
import {
  EBADF,
  EBUSY,
  EINVAL,
  EISDIR,
  ENOENT,
  ENOTDIR,
  ENOTEMPTY,
  ENOTTY,
  EPERM,
  ESPIPE,
  EXDEV,
} from "../uapi/errno.js";
import type { PollFd } from "../uapi/syscalls.js";
import { POLLIN, POLLNVAL, POLLOUT } from "../uapi/syscalls.js";
import { close_fd, fd_install, fget } from "./file_table.js";
import { type Blocking, IS_SWAPFILE } from "./fs.js";
import { kern_path, lookup_create, lookup_one, path_walk } from "./namei.js";
import { mnt_want_write } from "./super.js";

/** Cost of copying data between user and kernel (about 1 ns a byte on the model machine). */
function copy_cost(k: Kernel, n: number): void {
  const t = k.sched.current;
  if (t) t.cost += Math.ceil(n / 4);
}

export function sys_read(k: Kernel, t: Task, fd: number, count: number): Blocking<Uint8Array | number> {
  const f = fget(t, fd);
  if (!f || (f.f_flags & O_ACCMODE) === O_WRONLY) return -EBADF;
  if (count < 0) return -EINVAL;
  if (f.f_inode.isDir()) return -EISDIR;
  if (!f.f_op.read) return -EINVAL;
  const r = f.f_op.read(k, f, Math.min(count, 0x7ffff000), t);
  if (r instanceof Uint8Array) copy_cost(k, r.length);
  return r;
}

export function sys_write(k: Kernel, t: Task, fd: number, data: Uint8Array): Blocking<number> {
  const f = fget(t, fd);
  if (!f || (f.f_flags & O_ACCMODE) === O_RDONLY) return -EBADF;
  if (!f.f_op.write) return -EINVAL;
  const r = f.f_op.write(k, f, data, t);
  if (typeof r === "number" && r > 0) copy_cost(k, r);
  return r;
}

export function sys_lseek(k: Kernel, t: Task, fd: number, offset: number, whence: number): number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  if (!f.f_op.llseek) return -ESPIPE;
  return f.f_op.llseek(k, f, offset, whence);
}

export function sys_dup(t: Task, fd: number): number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  f.f_count++;
  const n = fd_install(t, f);
  if (n < 0) f.f_count--;
  return n;
}

export function sys_dup3(k: Kernel, t: Task, oldfd: number, newfd: number, flags: number): number {
  const f = fget(t, oldfd);
  if (!f || newfd < 0 || newfd >= 1024) return -EBADF;
  if (oldfd === newfd) return newfd;
  if (fget(t, newfd)) close_fd(k, t, newfd);
  f.f_count++;
  while (t.files.fd.length <= newfd) t.files.fd.push(null);
  t.files.fd[newfd] = f;
  if (flags & O_CLOEXEC) t.files.cloexec.add(newfd);
  else t.files.cloexec.delete(newfd);
  return newfd;
}

export function sys_fcntl(t: Task, fd: number, cmd: number, arg: number): number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      f.f_count++;
      const n = fd_install(t, f, arg, cmd === F_DUPFD_CLOEXEC);
      if (n < 0) f.f_count--;
      return n;
    }
    case F_GETFD:
      return t.files.cloexec.has(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      if (arg & FD_CLOEXEC) t.files.cloexec.add(fd);
      else t.files.cloexec.delete(fd);
      return 0;
    case F_GETFL:
      return f.f_flags;
    case F_SETFL:
      f.f_flags = (f.f_flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
      return 0;
  }
  return -EINVAL;
}

export function sys_ioctl(k: Kernel, t: Task, fd: number, request: number, arg: unknown): Blocking<unknown> {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  if (!f.f_op.ioctl) return -ENOTTY;
  return f.f_op.ioctl(k, f, request, arg, t);
}

/** poll(2): ready descriptors now, or sleep until one is (or the timeout). */
export function sys_poll(k: Kernel, t: Task, fds: PollFd[], timeout_ms: number): Blocking<number> {
  let ready = 0;
  for (const p of fds) {
    const f = fget(t, p.fd);
    if (!f) {
      p.revents = POLLNVAL;
      ready++;
      continue;
    }
    const mask = f.f_op.poll ? f.f_op.poll(k, f, t) : POLLIN | POLLOUT;
    p.revents = mask & (p.events | 0x18); // POLLERR | POLLHUP always reported
    if (p.revents) ready++;
  }
  if (ready || timeout_ms === 0) {
    t.timeout = 0;
    return ready;
  }
  if (signal_pending(t)) return -4;
  // First call arms the timeout; a wake-up past it returns 0.
  if (t.timeout && k.clock.ns >= t.timeout) {
    t.timeout = 0;
    return 0;
  }
  const until = timeout_ms < 0 ? 0 : t.timeout || k.clock.ns + timeout_ms * 1e6;
  return sleep_on(k, t, k.poll_wait, true, until);
}

/* ---- directory-changing calls ---- */

export function sys_mkdirat(k: Kernel, t: Task, name: string, mode: number): number {
  const r = lookup_create(k, t, name, true);
  if (typeof r === "number") return r;
  const ro = mnt_want_write(r.dir.mnt);
  if (ro) return ro;
  const iop = r.dir.dentry.d_inode!.i_op;
  if (!iop.mkdir) return -EPERM;
  const res = iop.mkdir(k, r.dir.dentry, r.last, mode & ~t.fs.umask & 0o7777);
  return typeof res === "number" ? res : 0;
}

export function sys_mknodat(k: Kernel, t: Task, name: string, mode: number, dev: number): number {
  // may_mknod: a regular file, device, fifo or socket; a directory is EPERM, anything else EINVAL
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return -EPERM;
  if (![0, 0o100000, 0o020000, 0o060000, 0o010000, 0o140000].includes(type)) return -EINVAL;
  const r = lookup_create(k, t, name, true);
  if (typeof r === "number") return r;
  const ro = mnt_want_write(r.dir.mnt);
  if (ro) return ro;
  const iop = r.dir.dentry.d_inode!.i_op;
  if (!iop.mknod) return -EPERM;
  const res = iop.mknod(k, r.dir.dentry, r.last, (mode & ~0o7777) | (mode & ~t.fs.umask & 0o7777), dev);
  return typeof res === "number" ? res : 0;
}

export function sys_symlinkat(k: Kernel, t: Task, target: string, name: string): number {
  if (target.length === 0) return -ENOENT;
  const r = lookup_create(k, t, name, true);
  if (typeof r === "number") return r;
  const ro = mnt_want_write(r.dir.mnt);
  if (ro) return ro;
  const iop = r.dir.dentry.d_inode!.i_op;
  if (!iop.symlink) return -EPERM;
  const res = iop.symlink(k, r.dir.dentry, r.last, target);
  return typeof res === "number" ? res : 0;
}

export function sys_linkat(k: Kernel, t: Task, oldname: string, newname: string): number {
  const old = kern_path(k, t, oldname, false);
  if (typeof old === "number") return old;
  const r = lookup_create(k, t, newname, true);
  if (typeof r === "number") return r;
  if (old.mnt.mnt_sb !== r.dir.mnt.mnt_sb) return -EXDEV;
  const ro = mnt_want_write(r.dir.mnt);
  if (ro) return ro;
  if (old.dentry.d_inode!.isDir()) return -EPERM;
  const iop = r.dir.dentry.d_inode!.i_op;
  if (!iop.link) return -EPERM;
  return iop.link(k, old.dentry, r.dir.dentry, r.last);
}

export function sys_unlinkat(k: Kernel, t: Task, name: string, rmdir: boolean): number {
  const r = path_walk(k, t, name, { parent: true });
  if (typeof r === "number") return r;
  const dir = r.path.dentry;
  if (!dir.d_inode?.isDir()) return -ENOTDIR;
  if (r.last === "." || r.last === "..") return rmdir ? (r.last === "." ? -EINVAL : -ENOTEMPTY) : -EISDIR;
  const d = lookup_one(k, dir, r.last);
  if (!d?.d_inode) return -ENOENT;
  const ro = mnt_want_write(r.path.mnt);
  if (ro) return ro;
  const iop = dir.d_inode.i_op;
  if (rmdir) {
    if (!d.d_inode.isDir()) return -ENOTDIR;
    if (d.d_mounted) return -EBUSY;
    if (!iop.rmdir) return -EPERM;
    return iop.rmdir(k, dir, d);
  }
  if (d.d_inode.isDir()) return -EISDIR;
  // may_delete: an active swap file stays.
  if (IS_SWAPFILE(d.d_inode)) return -EPERM;
  if (!iop.unlink) return -EPERM;
  return iop.unlink(k, dir, d);
}

export function sys_renameat(k: Kernel, t: Task, oldname: string, newname: string): number {
  const a = path_walk(k, t, oldname, { parent: true });
  if (typeof a === "number") return a;
  const b = path_walk(k, t, newname, { parent: true });
  if (typeof b === "number") return b;
  if (!a.path.dentry.d_inode?.isDir() || !b.path.dentry.d_inode?.isDir()) return -ENOTDIR;
  if ([a.last, b.last].some((n) => n === "." || n === "..")) return -EBUSY;
  const old = lookup_one(k, a.path.dentry, a.last);
  if (!old?.d_inode) return -ENOENT;
  if (a.path.mnt.mnt_sb !== b.path.mnt.mnt_sb) return -EXDEV;
  const ro = mnt_want_write(b.path.mnt);
  if (ro) return ro;
  // A directory may not move into itself.
  for (let d = b.path.dentry; ; d = d.d_parent) {
    if (d === old) return -EINVAL;
    if (d.d_parent === d) break;
  }
  const existing = lookup_one(k, b.path.dentry, b.last);
  // may_delete, for the old name and for the one replaced: an active swap file stays.
  if (IS_SWAPFILE(old.d_inode) || (existing?.d_inode && IS_SWAPFILE(existing.d_inode))) return -EPERM;
  if (existing?.d_inode?.isDir() && !old.d_inode.isDir()) return -EISDIR;
  if (existing?.d_inode && !existing.d_inode.isDir() && old.d_inode.isDir()) return -ENOTDIR;
  const iop = a.path.dentry.d_inode.i_op;
  if (!iop.rename) return -EPERM;
  return iop.rename(k, a.path.dentry, old, b.path.dentry, b.last);
}
