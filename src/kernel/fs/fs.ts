/*
 * fs.ts - the VFS objects (Linux include/linux/fs.h, dcache.h, mount.h):
 * inodes, dentries, open files, superblocks and mounts, and the operation
 * tables a filesystem provides.
 *
 *   task ->fs.root, .pwd --> Path { mnt, dentry }
 *   Dentry: a name in a directory; parent pointer, children (the dcache),
 *           the Inode it names, and the Mount mounted on it, if any
 *   Inode:  the object: mode, size, times, its pages (i_mapping), its ops
 *   File:   an open instance: position, flags, f_op
 *   Mount:  a superblock grafted onto a dentry of its parent mount
 *
 * Simplified: one namespace, no permissions beyond the mode bits (everything
 * runs as root), no hard links to directories, no inode cache eviction yet.
 */

import type { BlockDevice } from "../block/genhd.js";
import type { Kernel } from "../kernel.js";
import type { AddressSpace } from "../mm/filemap.js";
import type { Task } from "../sched/task.js";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../uapi/abi.js";
import type { Dirent, PollFd, Statfs } from "../uapi/syscalls.js";

/** Returned by an operation that must sleep; the syscall is retried when woken. */
export const BLOCK = Symbol("BLOCK");
export type Blocking<T> = T | typeof BLOCK;

export interface FileOperations {
  /** Read up to count bytes at file.pos; advance pos. Uint8Array, -errno or BLOCK. */
  read?(k: Kernel, f: File, count: number, t: Task): Blocking<Uint8Array | number>;
  write?(k: Kernel, f: File, data: Uint8Array, t: Task): Blocking<number>;
  llseek?(k: Kernel, f: File, offset: number, whence: number): number;
  iterate?(k: Kernel, f: File): Dirent[];
  ioctl?(k: Kernel, f: File, request: number, arg: unknown, t: Task): Blocking<unknown>;
  /** POLLIN/POLLOUT/POLLHUP mask now (and registers t to be woken on change). */
  poll?(k: Kernel, f: File, t: Task): number;
  open?(k: Kernel, f: File, t: Task): number;
  release?(k: Kernel, f: File): void;
  fsync?(k: Kernel, f: File): number;
  /** fallocate(2) on this file, after vfs_fallocate's checks: 0 or -errno (absent: EOPNOTSUPP). */
  fallocate?(k: Kernel, f: File, mode: number, offset: number, len: number, t: Task): number;
}

export interface InodeOperations {
  /** Find name in dir (filesystems whose names live elsewhere, like procfs). */
  lookup?(k: Kernel, dir: Dentry, name: string): Inode | null;
  create?(k: Kernel, dir: Dentry, name: string, mode: number): Inode | number;
  mkdir?(k: Kernel, dir: Dentry, name: string, mode: number): Inode | number;
  mknod?(k: Kernel, dir: Dentry, name: string, mode: number, rdev: number): Inode | number;
  symlink?(k: Kernel, dir: Dentry, name: string, target: string): Inode | number;
  link?(k: Kernel, old: Dentry, dir: Dentry, name: string): number;
  unlink?(k: Kernel, dir: Dentry, d: Dentry): number;
  rmdir?(k: Kernel, dir: Dentry, d: Dentry): number;
  rename?(k: Kernel, olddir: Dentry, old: Dentry, newdir: Dentry, name: string): number;
  /** Truncate or extend to size bytes. */
  setsize?(k: Kernel, inode: Inode, size: number): number;
  /** Symlink target computed at read time (/proc/self). */
  /** The link's target, or -errno (a /proc/PID/exe of a kernel thread: -ENOENT). */
  get_link?(k: Kernel, inode: Inode, t: Task): string | number;
  /** Names of a directory whose entries are generated (procfs). */
  readdir?(k: Kernel, dir: Dentry, t: Task): Dirent[];
  /** Is the cached child d of dir still valid (dentry_operations' d_revalidate, for procfs-like trees)? */
  d_revalidate?(k: Kernel, dir: Dentry, d: Dentry): boolean;
}

export interface SuperOperations {
  statfs?(k: Kernel, sb: SuperBlock): Statfs;
  /** Called when the last reference to an unlinked inode goes. */
  evict_inode?(k: Kernel, inode: Inode): void;
  /** Options shown in /proc/mounts after the fs type. */
  show_options?(k: Kernel, sb: SuperBlock): string;
  kill_sb?(k: Kernel, sb: SuperBlock): void;
}

export class SuperBlock {
  s_dev: number;
  s_type: string; // "rootfs", "tmpfs", "proc"...
  s_magic: number;
  s_op: SuperOperations;
  s_root: Dentry | null = null;
  s_flags = 0;
  /** Filesystem-private state (tmpfs limits, procfs...). */
  s_fs_info: unknown = null;
  /** The block device under a disk filesystem (null for tmpfs, proc...). */
  s_bdev: BlockDevice | null = null;
  /** The largest file size (MAX_NON_LFS unless the filesystem says more). */
  s_maxbytes = 2 ** 31 - 1;
  next_ino = 1;
  constructor(dev: number, type: string, magic: number, ops: SuperOperations) {
    this.s_dev = dev;
    this.s_type = type;
    this.s_magic = magic;
    this.s_op = ops;
  }
}

export class Inode {
  i_ino: number;
  i_mode: number;
  i_uid = 0;
  i_gid = 0;
  i_nlink = 1;
  i_size = 0;
  /** 512-byte sectors held on disk, for stat's st_blocks (null: the page-cache pages, as tmpfs has it). */
  i_blocks: number | null = null;
  i_rdev = 0;
  i_atime = 0;
  i_mtime = 0;
  i_ctime = 0;
  i_sb: SuperBlock;
  i_op: InodeOperations;
  i_fop: FileOperations;
  /** The page cache of this inode (regular files). */
  i_mapping: AddressSpace | null = null;
  /** Symlink target for filesystems that store it. */
  i_link: string | null = null;
  /** Open files referring to this inode (an unlinked inode lives while > 0). */
  i_opencount = 0;
  /** S_* flags below (i_flags). */
  i_flags = 0;
  i_private: unknown = null;
  constructor(sb: SuperBlock, mode: number, iop: InodeOperations, fop: FileOperations, now: number) {
    this.i_sb = sb;
    this.i_ino = sb.next_ino++;
    this.i_mode = mode;
    this.i_op = iop;
    this.i_fop = fop;
    this.i_atime = this.i_mtime = this.i_ctime = now;
  }
  isDir(): boolean {
    return (this.i_mode & S_IFMT) === S_IFDIR;
  }
  isReg(): boolean {
    return (this.i_mode & S_IFMT) === S_IFREG;
  }
  isLnk(): boolean {
    return (this.i_mode & S_IFMT) === S_IFLNK;
  }
}

/* Inode flags (i_flags), numbered as in include/linux/fs.h. */
/** The inode is an active swap area: writes and truncation fail with ETXTBSY, unlink with EPERM. */
export const S_SWAPFILE = 1 << 8;

export const IS_SWAPFILE = (inode: Inode): boolean => (inode.i_flags & S_SWAPFILE) !== 0;

export class Dentry {
  d_name: string;
  d_parent: Dentry; // the root's parent is itself
  d_inode: Inode | null;
  d_sb: SuperBlock;
  /** Cached children (the dcache); for ramfs-like filesystems, the directory itself. */
  d_subdirs = new Map<string, Dentry>();
  /** A mount sitting on this dentry. */
  d_mounted: Mount | null = null;
  constructor(name: string, parent: Dentry | null, inode: Inode | null, sb: SuperBlock) {
    this.d_name = name;
    this.d_parent = parent ?? this;
    this.d_inode = inode;
    this.d_sb = sb;
  }
}

export class Mount {
  mnt_sb: SuperBlock;
  mnt_root: Dentry;
  mnt_parent: Mount; // itself for the root mount
  mnt_mountpoint: Dentry; // in mnt_parent
  mnt_devname: string;
  mnt_flags: number;
  /** References the kernel holds on the mount (an active swap file's struct file): umount is EBUSY. */
  mnt_kern_refs = 0;
  constructor(
    sb: SuperBlock,
    root: Dentry,
    parent: Mount | null,
    mountpoint: Dentry | null,
    devname: string,
    flags: number,
  ) {
    this.mnt_sb = sb;
    this.mnt_root = root;
    this.mnt_parent = parent ?? this;
    this.mnt_mountpoint = mountpoint ?? root;
    this.mnt_devname = devname;
    this.mnt_flags = flags;
  }
}

/** A location in the namespace (struct path). */
export interface Path {
  mnt: Mount;
  dentry: Dentry;
}

export class File {
  f_path: Path;
  f_inode: Inode;
  f_op: FileOperations;
  f_flags: number;
  f_pos = 0;
  /** f_ra.prev_pos: where the last read through the page cache ended (-1: none yet). */
  f_ra_prev_pos = -1;
  f_count = 1;
  private_data: unknown = null;
  constructor(path: Path, inode: Inode, flags: number) {
    this.f_path = path;
    this.f_inode = inode;
    this.f_op = inode.i_fop;
    this.f_flags = flags;
  }
}

/** Per-task open file table (struct files_struct). */
export class FilesStruct {
  fd: (File | null)[] = [];
  cloexec = new Set<number>();
  count = 1;
}

/** Per-task root and cwd (struct fs_struct). */
export interface FsStruct {
  root: Path;
  pwd: Path;
  umask: number;
}

/** poll() result bits used by f_op->poll. */
export type { PollFd };

export const dummyFops: FileOperations = {};
