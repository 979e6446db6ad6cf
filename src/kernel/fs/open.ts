/*
 * open.ts - opening and closing, and the calls that change a name's
 * attributes or the cwd (Linux fs/open.c, fs/namei.c do_filp_open,
 * fs/d_path.c getcwd, fs/utimes.c, fs/stat.c, fs/statfs.c, fs/readdir.c).
 */

import type { Kernel } from "../kernel.js";
import { kobj_free } from "../mm/kobj.js";
import type { Task } from "../sched/task.js";
import {
  FALLOC_FL_COLLAPSE_RANGE,
  FALLOC_FL_INSERT_RANGE,
  FALLOC_FL_KEEP_SIZE,
  FALLOC_FL_PUNCH_HOLE,
  FALLOC_FL_SUPPORTED_MASK,
  FALLOC_FL_UNSHARE_RANGE,
  FALLOC_FL_ZERO_RANGE,
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_TRUNC,
  S_IFBLK,
  S_IFDIR,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  S_ISGID,
  S_ISUID,
  W_OK,
  X_OK,
} from "../uapi/abi.js";
import {
  EACCES,
  EBADF,
  EEXIST,
  EFBIG,
  EINVAL,
  EISDIR,
  ENODEV,
  ENOSYS,
  ENOTDIR,
  EOPNOTSUPP,
  EPERM,
  ESPIPE,
  ETXTBSY,
} from "../uapi/errno.js";
import type { Dirent, Stat, Statfs } from "../uapi/syscalls.js";
import { close_fd, fd_install, fget, filp_kmem, fput } from "./file_table.js";
import { Dentry, File, type Inode, IS_SWAPFILE, type Path } from "./fs.js";
import { d_path, kern_path, lookup_create, SB_NOCACHE } from "./namei.js";
import { MAJOR, MINOR, MKDEV, mnt_want_write } from "./super.js";

/** vfs_open's work for an existing Path. */
export function dentry_open(k: Kernel, t: Task, path: Path, flags: number): File | number {
  const inode = path.dentry.d_inode!;
  const f = new File(path, inode, flags);
  filp_kmem(k, f);
  inode.i_opencount++;
  if (f.f_op.open) {
    const r = f.f_op.open(k, f, t);
    if (r < 0) {
      inode.i_opencount--;
      kobj_free(k, f);
      return r;
    }
  }
  return f;
}

/** do_filp_open: openat(2) minus the descriptor. */
export function do_filp_open(k: Kernel, t: Task, name: string, flags: number, mode: number): File | number {
  let path: Path;
  if (flags & O_CREAT) {
    const r = lookup_create(k, t, name, false);
    if (typeof r === "number") return r;
    if (r.existing) {
      if (flags & O_EXCL) return -EEXIST;
      let p: Path | number = { mnt: r.dir.mnt, dentry: r.existing };
      if (r.existing.d_inode!.isLnk()) {
        if (flags & O_NOFOLLOW) return -40;
        p = kern_path(k, t, name, true);
        if (typeof p === "number") return p;
      }
      path = p as Path;
      if (path.dentry.d_mounted) path = kern_path(k, t, name, true) as Path;
    } else {
      const dir = r.dir.dentry;
      const iop = dir.d_inode!.i_op;
      const ro = mnt_want_write(r.dir.mnt);
      if (ro && iop.create) return ro;
      // Synthetic trees (procfs, sysfs) have no such entry to create: ENOENT, as Linux says.
      if (!iop.create) return dir.d_sb.s_flags & SB_NOCACHE ? -2 : -EACCES;
      const inode = iop.create(k, dir, r.last, (mode & ~t.fs.umask & 0o7777) | S_IFREG);
      if (typeof inode === "number") return inode;
      path = {
        mnt: r.dir.mnt,
        dentry: dir.d_subdirs.get(r.last) ?? new Dentry(r.last, dir, inode, dir.d_sb),
      };
    }
  } else {
    const p = kern_path(k, t, name, !(flags & O_NOFOLLOW));
    if (typeof p === "number") return p;
    path = p;
  }
  const inode = path.dentry.d_inode!;
  if (inode.isLnk()) return -40; // ELOOP: O_NOFOLLOW on a symlink
  if (flags & O_DIRECTORY && !inode.isDir()) return -ENOTDIR;
  if (inode.isDir() && (flags & O_ACCMODE) !== O_RDONLY) return -EISDIR;
  if ((flags & O_ACCMODE) !== O_RDONLY && path.mnt.mnt_flags & 1) return -30; // EROFS
  if (flags & O_TRUNC && inode.isReg() && (flags & O_ACCMODE) !== O_RDONLY) {
    const r = inode.i_op.setsize?.(k, inode, 0);
    if (r !== undefined && r < 0) return r;
  }
  return dentry_open(k, t, path, flags);
}

export function sys_openat(k: Kernel, t: Task, name: string, flags: number, mode: number): number {
  const f = do_filp_open(k, t, name, flags, mode);
  if (typeof f === "number") return f;
  const fd = fd_install(t, f, 0, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) fput(k, f);
  return fd;
}

export function sys_close(k: Kernel, t: Task, fd: number): number {
  return close_fd(k, t, fd);
}

/** new_decode_dev: the kernel's dev_t of one user space passes (mknod). */
export function new_decode_dev(dev: number): number {
  const major = (dev & 0xfff00) >>> 8;
  const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  return MKDEV(major, minor);
}

/** generic_fillattr + cp_new_stat. */
/** new_encode_dev: the dev_t user space sees (12-bit major, 20-bit minor, split around it). */
export function new_encode_dev(dev: number): number {
  const major = MAJOR(dev);
  const minor = MINOR(dev);
  return ((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

export function inode_stat(inode: Inode): Stat {
  const blocks = inode.i_blocks ?? (inode.i_mapping ? inode.i_mapping.nrpages * 8 : 0);
  return {
    st_dev: new_encode_dev(inode.i_sb.s_dev),
    st_ino: inode.i_ino,
    st_mode: inode.i_mode,
    st_nlink: inode.i_nlink,
    st_uid: inode.i_uid,
    st_gid: inode.i_gid,
    st_rdev: new_encode_dev(inode.i_rdev),
    st_size: inode.i_size,
    st_blksize: 4096,
    st_blocks: blocks,
    st_atime: inode.i_atime,
    st_mtime: inode.i_mtime,
    st_ctime: inode.i_ctime,
  };
}

export function sys_fstatat(k: Kernel, t: Task, name: string, nofollow: boolean): Stat | number {
  const p = kern_path(k, t, name, !nofollow);
  if (typeof p === "number") return p;
  return inode_stat(p.dentry.d_inode!);
}

export function sys_fstat(t: Task, fd: number): Stat | number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  return inode_stat(f.f_inode);
}

export function sys_getdents64(k: Kernel, t: Task, fd: number): Dirent[] | number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  if (!f.f_inode.isDir()) return -ENOTDIR;
  // The whole directory at once; a second call returns the end (empty).
  if (f.f_pos > 0) return [];
  const list = f.f_inode.i_op.readdir
    ? f.f_inode.i_op.readdir(k, f.f_path.dentry, t)
    : (f.f_op.iterate?.(k, f) ?? []);
  f.f_pos = 1;
  f.f_inode.i_atime = Math.floor(k.clock.realtime);
  return list;
}

export function sys_readlinkat(k: Kernel, t: Task, name: string): string | number {
  const p = kern_path(k, t, name, false);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  if (!inode.isLnk()) return -EINVAL;
  return inode.i_op.get_link ? inode.i_op.get_link(k, inode, t) : (inode.i_link ?? "");
}

export function sys_chdir(k: Kernel, t: Task, name: string): number {
  const p = kern_path(k, t, name, true);
  if (typeof p === "number") return p;
  if (!p.dentry.d_inode!.isDir()) return -ENOTDIR;
  t.fs.pwd = p;
  return 0;
}

export function sys_getcwd(k: Kernel, t: Task): string {
  return d_path(t, t.fs.pwd, k.vfs.root_mnt!);
}

export function sys_faccessat(k: Kernel, t: Task, name: string, mode: number): number {
  const p = kern_path(k, t, name, true);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  // root may do anything, except execute a file nobody may execute
  if (mode & X_OK && !inode.isDir() && (inode.i_mode & 0o111) === 0) return -EACCES;
  if (mode & W_OK && p.mnt.mnt_flags & 1) return -30;
  return 0;
}

export function sys_fchmodat(k: Kernel, t: Task, name: string, mode: number): number {
  const p = kern_path(k, t, name, true);
  if (typeof p === "number") return p;
  const ro = mnt_want_write(p.mnt);
  if (ro) return ro;
  const inode = p.dentry.d_inode!;
  if (!inode.i_op.create && !inode.i_op.setsize && inode.i_sb.s_type === "proc") return -EPERM;
  inode.i_mode = (inode.i_mode & S_IFMT) | (mode & 0o7777);
  inode.i_ctime = Math.floor(k.clock.realtime);
  return 0;
}

/** fchownat(2): -1 leaves an id as it is; with AT_SYMLINK_NOFOLLOW (lchown) a symlink itself changes. */
export function sys_fchownat(
  k: Kernel,
  t: Task,
  name: string,
  uid: number,
  gid: number,
  nofollow: boolean,
): number {
  const p = kern_path(k, t, name, !nofollow);
  if (typeof p === "number") return p;
  const ro = mnt_want_write(p.mnt);
  if (ro) return ro;
  const inode = p.dentry.d_inode!;
  if (uid >= 0) inode.i_uid = uid;
  if (gid >= 0) inode.i_gid = gid;
  // chown_common's ATTR_KILL_SUID | ATTR_KILL_SGID (root too): a file that is no
  // directory loses set-user-ID, and set-group-ID when it is group-executable.
  if (!inode.isDir()) {
    inode.i_mode &= ~S_ISUID;
    if (inode.i_mode & 0o010) inode.i_mode &= ~S_ISGID;
  }
  inode.i_ctime = Math.floor(k.clock.realtime);
  return 0;
}

export function sys_utimensat(k: Kernel, t: Task, name: string, atime: number, mtime: number): number {
  const p = kern_path(k, t, name, true);
  if (typeof p === "number") return p;
  const ro = mnt_want_write(p.mnt);
  if (ro) return ro;
  const inode = p.dentry.d_inode!;
  const now = Math.floor(k.clock.realtime);
  inode.i_atime = atime < 0 ? now : atime;
  inode.i_mtime = mtime < 0 ? now : mtime;
  inode.i_ctime = now;
  return 0;
}

export function do_truncate(k: Kernel, inode: Inode, length: number): number {
  if (length < 0) return -EINVAL;
  if (inode.isDir()) return -EISDIR;
  if (!inode.i_op.setsize) return -EINVAL;
  return inode.i_op.setsize(k, inode, length);
}

export function sys_truncate(k: Kernel, t: Task, name: string, length: number): number {
  const p = kern_path(k, t, name, true);
  if (typeof p === "number") return p;
  const ro = mnt_want_write(p.mnt);
  if (ro) return ro;
  return do_truncate(k, p.dentry.d_inode!, length);
}

export function sys_ftruncate(k: Kernel, t: Task, fd: number, length: number): number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  if ((f.f_flags & O_ACCMODE) === O_RDONLY) return -EINVAL;
  return do_truncate(k, f.f_inode, length);
}

/**
 * vfs_fallocate: the checks every filesystem shares, in Linux's order - a
 * sane range, a mode some filesystem knows (PUNCH_HOLE only with KEEP_SIZE,
 * never with ZERO_RANGE; COLLAPSE and INSERT alone; UNSHARE only with
 * allocation), a file open for writing, not an active swap file, a regular
 * file or block device (a FIFO is ESPIPE, a directory EISDIR, anything else
 * ENODEV) - then the filesystem's ->fallocate, or EOPNOTSUPP without one
 * (ext2 has none; glibc's posix_fallocate then writes zeroes itself).
 */
export function vfs_fallocate(
  k: Kernel,
  t: Task,
  f: File,
  mode: number,
  offset: number,
  len: number,
): number {
  const inode = f.f_inode;
  if (offset < 0 || len <= 0) return -EINVAL;
  if (mode & ~FALLOC_FL_SUPPORTED_MASK) return -EOPNOTSUPP;
  if (
    (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) ===
    (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)
  )
    return -EOPNOTSUPP;
  if (mode & FALLOC_FL_PUNCH_HOLE && !(mode & FALLOC_FL_KEEP_SIZE)) return -EOPNOTSUPP;
  if (mode & FALLOC_FL_COLLAPSE_RANGE && mode & ~FALLOC_FL_COLLAPSE_RANGE) return -EINVAL;
  if (mode & FALLOC_FL_INSERT_RANGE && mode & ~FALLOC_FL_INSERT_RANGE) return -EINVAL;
  if (mode & FALLOC_FL_UNSHARE_RANGE && mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE))
    return -EINVAL;
  if ((f.f_flags & O_ACCMODE) === O_RDONLY) return -EBADF; // !FMODE_WRITE
  if (IS_SWAPFILE(inode)) return -ETXTBSY;
  const type = inode.i_mode & S_IFMT;
  if (type === S_IFIFO) return -ESPIPE;
  if (type === S_IFDIR) return -EISDIR;
  if (type !== S_IFREG && type !== S_IFBLK) return -ENODEV;
  if (offset + len > inode.i_sb.s_maxbytes) return -EFBIG; // or wrapped past zero
  if (!f.f_op.fallocate) return -EOPNOTSUPP;
  return f.f_op.fallocate(k, f, mode, offset, len, t);
}

export function sys_fallocate(
  k: Kernel,
  t: Task,
  fd: number,
  mode: number,
  offset: number,
  len: number,
): number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  return vfs_fallocate(k, t, f, mode, offset, len);
}

export function sys_fstatfs(k: Kernel, t: Task, fd: number): Statfs | number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  const sb = f.f_inode.i_sb;
  if (!sb.s_op.statfs) return -ENOSYS;
  return sb.s_op.statfs(k, sb);
}

export function sys_statfs(k: Kernel, t: Task, name: string): Statfs | number {
  const p = kern_path(k, t, name, true);
  if (typeof p === "number") return p;
  const sb = p.dentry.d_sb;
  if (!sb.s_op.statfs) return -ENOSYS;
  return sb.s_op.statfs(k, sb);
}

export function sys_umask(t: Task, mask: number): number {
  const old = t.fs.umask;
  t.fs.umask = mask & 0o777;
  return old;
}
