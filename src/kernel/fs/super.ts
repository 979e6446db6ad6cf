/*
 * super.ts - filesystem types, mounts and the mount table (Linux
 * fs/super.c, fs/namespace.c, fs/filesystems.c, fs/proc_namespace.c).
 *
 * A filesystem type makes superblocks; mount grafts a superblock's root onto
 * a directory. /proc/mounts lists the mount table in mount order as
 * "device mountpoint type options 0 0".
 */

import { type BlockDevice, blkdev_open } from "../block/genhd.js";
import type { MiscDevice } from "../drivers/misc.js";
import type { TtyDriver } from "../drivers/tty_driver.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { MNT_DETACH, MS_RDONLY, MS_REMOUNT, S_IFBLK, S_IFCHR, S_IFIFO, S_IFMT } from "../uapi/abi.js";
import { EBUSY, EINVAL, ENODEV, ENOENT, ENOTDIR, EROFS } from "../uapi/errno.js";
import type { CharDeviceStruct } from "./char_dev.js";
import { type FileOperations, type Inode, Mount, type Path, type SuperBlock } from "./fs.js";
import { d_path, kern_path } from "./namei.js";

export interface FileSystemType {
  name: string;
  /** Needs no block device (shown as "nodev" in /proc/filesystems). */
  nodev: boolean;
  mount(k: Kernel, devname: string, flags: number, data: string): SuperBlock | number;
}

export const MNT_RELATIME = 0x20;

export class VfsState {
  filesystems = new Map<string, FileSystemType>();
  mounts: Mount[] = [];
  root_mnt: Mount | null = null;
  /** Character devices by dev_t (major << 20 | minor, as MKDEV does). */
  chrdevs = new Map<number, FileOperations>();
  /** Opens a fifo inode (set by pipe.ts). */
  fifo_fops: FileOperations | null = null;
  /** The internal filesystem of anonymous pipes. */
  pipefs: SuperBlock | null = null;
  /** Block devices by dev_t (block/genhd.ts). */
  blkdevs = new Map<number, BlockDevice>();
  /** Block majors by number (register_blkdev): "virtblk", "zram". */
  major_names = new Map<number, string>();
  /** Character device majors (fs/char_dev.ts), sorted by major and first minor. */
  char_devices: CharDeviceStruct[] = [];
  /** Registered tty drivers, newest first (drivers/tty_driver.ts tty_register_driver). */
  tty_drivers: TtyDriver[] = [];
  /** Registered misc devices, newest first (drivers/misc.ts). */
  misc_list: MiscDevice[] = [];
  /** Called when a disk appears (devtmpfs makes its node). */
  on_add_disk: ((k: Kernel, bd: BlockDevice) => void) | null = null;
  /** The internal tmpfs behind shared anonymous memory (shm_mnt). */
  shm_mnt: Mount | null = null;
  private next_anon = 1;

  /** get_anon_bdev: a dev_t for a filesystem without a device (major 0). */
  new_dev(): number {
    return this.next_anon++;
  }

  /** The file operations of a device node or fifo (def_chr_fops, pipefifo_fops). */
  special_fops(inode: Inode): FileOperations {
    const type = inode.i_mode & S_IFMT;
    if (type === S_IFIFO && this.fifo_fops) return this.fifo_fops;
    if (type === S_IFCHR) return { open: (k, f, t) => chrdev_open(k, this, f, t) };
    if (type === S_IFBLK) return { open: (k, f) => blkdev_open(k, f) };
    return {};
  }
}

export function MKDEV(major: number, minor: number): number {
  return major * 1048576 + minor;
}
export function MAJOR(dev: number): number {
  return Math.floor(dev / 1048576);
}
export function MINOR(dev: number): number {
  return dev % 1048576;
}

/** chrdev_open: the driver registered for the node's dev_t takes over the file. */
function chrdev_open(k: Kernel, vfs: VfsState, f: import("./fs.js").File, t: Task): number {
  const fops = vfs.chrdevs.get(f.f_inode.i_rdev);
  if (!fops) return -6; // -ENXIO
  f.f_op = fops;
  return fops.open ? fops.open(k, f, t) : 0;
}

export function register_filesystem(k: Kernel, fs: FileSystemType): void {
  k.vfs.filesystems.set(fs.name, fs);
}

/** mnt_want_write: a change to something under mnt; -EROFS when it is mounted read-only. */
export function mnt_want_write(mnt: Mount): number {
  return mnt.mnt_flags & MS_RDONLY ? -EROFS : 0;
}

/** The first mount: a superblock becomes "/". */
export function mount_root(k: Kernel, sb: SuperBlock, devname: string, flags: number): Mount {
  const m = new Mount(sb, sb.s_root!, null, null, devname, flags);
  k.vfs.root_mnt = m;
  k.vfs.mounts.push(m);
  return m;
}

/** The topmost mount covering a path (a mountpoint can be mounted over again). */
function top_mount(p: Path): Path {
  let { mnt, dentry } = p;
  while (dentry.d_mounted) {
    mnt = dentry.d_mounted;
    dentry = mnt.mnt_root;
  }
  return { mnt, dentry };
}

/** do_mount: mount(2). */
export function do_mount(
  k: Kernel,
  t: Task,
  source: string,
  target: string,
  fstype: string,
  flags: number,
  data: string,
): number {
  const p = kern_path(k, t, target);
  if (typeof p === "number") return p;
  if (!p.dentry.d_inode?.isDir()) return -ENOTDIR;
  if (flags & MS_REMOUNT) {
    if (p.dentry !== p.mnt.mnt_root) return -EINVAL;
    p.mnt.mnt_flags = (p.mnt.mnt_flags & ~MS_RDONLY) | (flags & MS_RDONLY);
    return 0;
  }
  const type = k.vfs.filesystems.get(fstype);
  if (!type) return -ENODEV;
  const sb = type.mount(k, source, flags, data);
  if (typeof sb === "number") return sb;
  const at = top_mount(p);
  const relatime = (flags & 0x200000) === 0 ? MNT_RELATIME : 0; // unless MS_STRICTATIME
  const m = new Mount(sb, sb.s_root!, at.mnt, at.dentry, source, (flags & MS_RDONLY) | relatime);
  at.dentry.d_mounted = m;
  // A mountpoint and its ancestors stay in the dcache while mounted, even on procfs-like trees.
  for (let d = at.dentry; d.d_parent !== d; d = d.d_parent) d.d_parent.d_subdirs.set(d.d_name, d);
  k.vfs.mounts.push(m);
  return 0;
}

/** Is anything inside mount m still in use (cwd, root, open files)? */
function mount_busy(k: Kernel, m: Mount): boolean {
  if (m.mnt_kern_refs > 0) return true;
  for (const t of k.sched.tasks.values()) {
    if (t.exit_state) continue;
    if (t.fs.pwd.mnt === m || t.fs.root.mnt === m) return true;
    for (const f of t.files.fd) if (f && f.f_path.mnt === m) return true;
  }
  return k.vfs.mounts.some((c) => c !== m && c.mnt_parent === m);
}

/** umount2(2). */
export function do_umount(k: Kernel, t: Task, target: string, flags: number): number {
  const p = kern_path(k, t, target);
  if (typeof p === "number") return p === -ENOTDIR ? -ENOENT : p;
  const m = p.mnt;
  if (p.dentry !== m.mnt_root) return -EINVAL;
  if (m === k.vfs.root_mnt) return -EBUSY;
  if (!(flags & MNT_DETACH) && mount_busy(k, m)) return -EBUSY;
  m.mnt_mountpoint.d_mounted = null;
  k.vfs.mounts = k.vfs.mounts.filter((x) => x !== m);
  if (!k.vfs.mounts.some((x) => x.mnt_sb === m.mnt_sb)) m.mnt_sb.s_op.kill_sb?.(k, m.mnt_sb);
  return 0;
}

/** /proc/mounts */
export function mounts_show(k: Kernel, t: Task | null): string {
  let out = "";
  for (const m of k.vfs.mounts) {
    const where = d_path(t, { mnt: m, dentry: m.mnt_root }, k.vfs.root_mnt!);
    let opts = m.mnt_flags & MS_RDONLY ? "ro" : "rw";
    if (m.mnt_flags & MNT_RELATIME) opts += ",relatime";
    opts += m.mnt_sb.s_op.show_options?.(k, m.mnt_sb) ?? "";
    out += `${m.mnt_devname} ${where} ${m.mnt_sb.s_type} ${opts} 0 0\n`;
  }
  return out;
}

/** /proc/filesystems */
export function filesystems_show(k: Kernel): string {
  let out = "";
  for (const fs of k.vfs.filesystems.values()) out += `${fs.nodev ? "nodev" : ""}\t${fs.name}\n`;
  return out;
}
