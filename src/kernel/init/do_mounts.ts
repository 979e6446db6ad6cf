/*
 * do_mounts.ts - mounting the root filesystem from a disk (Linux
 * init/do_mounts.c: prepare_namespace, mount_root, mount_block_root,
 * do_mount_root, name_to_dev_t; block/genhd.c's printk_all_partitions).
 *
 * When the boot loader hands the kernel no initramfs with an /init in it,
 * kernel_init_freeable calls prepare_namespace after the initcalls (the
 * disks have probed by then):
 *
 *   root=/dev/vda   name_to_dev_t -> ROOT_DEV 254:0
 *   mount_root      mknod /dev/root (in the initial rootfs) for ROOT_DEV,
 *                   then each block filesystem type in turn (rootfstype=
 *                   names them) mounts it at /root, read-only unless the
 *                   command line says rw; EINVAL means "not this type",
 *                   anything else panics with the list of disks
 *   do_mount_root   "VFS: Mounted root (ext2 filesystem) on device 254:0."
 *   then            the mount moves onto / and init's root follows it
 *                   (MS_MOVE + chroot): the initial rootfs is out of
 *                   sight, /proc/mounts starts with "/dev/root / ext2".
 *
 * Simplified: the moved mount replaces the rootfs in the mount table
 * rather than stacking on it (nothing can reach the rootfs any more
 * either way); no NFS, ramdisk, md or PARTUUID roots; rootwait and
 * rootdelay are accepted and not needed (the disks are there).
 */

import type { BlockDevice } from "../block/genhd.js";
import type { Path } from "../fs/fs.js";
import { lookup_create } from "../fs/namei.js";
import { MAJOR, MINOR, MKDEV, MNT_RELATIME, mount_root } from "../fs/super.js";
import type { Kernel } from "../kernel.js";
import { panic } from "../lib/bug.js";
import { KERN_EMERG, KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import type { Task } from "../sched/task.js";
import { MS_RDONLY, MS_SILENT, S_IFBLK } from "../uapi/abi.js";
import { EACCES, EINVAL, ENXIO } from "../uapi/errno.js";

/** name_to_dev_t: "/dev/vda" (a disk's name), or "254:0"; 0 when nothing matches. */
export function name_to_dev_t(k: Kernel, name: string): number {
  if (!name.startsWith("/dev/")) {
    const m = /^(\d+):(\d+)$/.exec(name);
    return m ? MKDEV(Number(m[1]), Number(m[2])) : 0;
  }
  const disk = [...k.vfs.blkdevs.values()].find((bd) => bd.name === name.slice(5));
  return disk ? disk.dev : 0;
}

/** printk() without a level logs at the default message loglevel, 4. */
const KERN_DEFAULT = KERN_WARNING;

/**
 * printk_all_partitions: each disk with a capacity, "%s%s %10llu %pg %s"
 * (no partition indent, dev_t, KiB, name, an empty UUID), then its driver
 * in a printk of its own - no KERN_CONT, so a line of its own.
 */
function printk_all_partitions(k: Kernel): void {
  const list = [...k.vfs.blkdevs.values()].filter((bd) => bd.nr_sectors > 0).sort((a, b) => a.dev - b.dev);
  for (const bd of list) {
    k.printk.printk(KERN_DEFAULT, `${bdevt_str(bd)} ${String(bd.nr_sectors / 2).padStart(10)} ${bd.name} `);
    k.printk.printk(KERN_DEFAULT, ` driver: ${driver_of(bd)}`);
  }
}

/** bdevt_str: "%02x%02x" padded to 9 ("fe00     ") when major and minor fit a byte each, else "%03x:%05x". */
function bdevt_str(bd: BlockDevice): string {
  const hex = (x: number, w: number): string => x.toString(16).padStart(w, "0");
  if (bd.major <= 0xff && bd.minor <= 0xff) return `${hex(bd.major, 2)}${hex(bd.minor, 2)}`.padEnd(9);
  return `${hex(bd.major, 3)}:${hex(bd.minor, 5)}`;
}

function driver_of(bd: BlockDevice): string {
  return bd.name.startsWith("zram") ? "zram" : "virtio_blk";
}

/** get_fs_names: rootfstype= if given, else every filesystem type that needs a device. */
function get_fs_names(k: Kernel): string[] {
  const given = k.params.get("rootfstype");
  if (given) return given.split(",").filter(Boolean);
  return [...k.vfs.filesystems.values()].filter((fs) => !fs.nodev).map((fs) => fs.name);
}

/**
 * do_mount_root: mounts /dev/root with filesystem type fs and makes it "/"
 * of init and every task sharing its fs_struct; 0 or -errno.
 */
function do_mount_root(k: Kernel, fs: string, flags: number): number {
  const type = k.vfs.filesystems.get(fs);
  if (!type) return -EINVAL;
  const sb = type.mount(k, "/dev/root", flags | MS_SILENT, k.params.get("rootflags") ?? "");
  if (typeof sb === "number") return sb;
  const old = k.vfs.root_mnt;
  const m = mount_root(k, sb, "/dev/root", (flags & MS_RDONLY) | MNT_RELATIME);
  k.vfs.mounts = k.vfs.mounts.filter((x) => x !== old);
  const root: Path = { mnt: m, dentry: sb.s_root! };
  const fsx = k.init_fs!;
  fsx.root = root;
  fsx.pwd = root;
  k.printk.printk(
    KERN_INFO,
    `VFS: Mounted root (${sb.s_type} filesystem)${flags & MS_RDONLY ? " readonly" : ""} on device ${MAJOR(sb.s_dev)}:${MINOR(sb.s_dev)}.`,
  );
  return 0;
}

/** mount_block_root: each filesystem type in turn, then read-only; panics when none mounts. */
function mount_block_root(k: Kernel, root_dev: number, root_device_name: string, flags0: number): void {
  const names = get_fs_names(k);
  const b = `unknown-block(${MAJOR(root_dev)},${MINOR(root_dev)})`;
  let flags = flags0;
  for (;;) {
    for (const fs of names) {
      const err = do_mount_root(k, fs, flags);
      if (err === 0) return;
      if (err === -EACCES || err === -EINVAL) continue;
      k.printk.printk(
        KERN_DEFAULT,
        `VFS: Cannot open root device "${root_device_name}" or ${b}: error ${err}`,
      );
      k.printk.printk(
        KERN_DEFAULT,
        `Please append a correct "root=" boot option; here are the available partitions:`,
      );
      printk_all_partitions(k);
      panic(`VFS: Unable to mount root fs on ${b}`);
    }
    if (flags & MS_RDONLY) break;
    flags |= MS_RDONLY;
  }
  k.printk.printk(KERN_DEFAULT, "List of all partitions:");
  printk_all_partitions(k);
  // Each printk() below starts a line of its own, the closing "\n" an empty one.
  k.printk.printk(KERN_DEFAULT, "No filesystem could mount root, tried: ");
  for (const n of names) k.printk.printk(KERN_DEFAULT, ` ${n}`);
  k.printk.printk(KERN_DEFAULT, "");
  panic(`VFS: Unable to mount root fs on ${b}`);
}

/**
 * prepare_namespace: the root filesystem from the root= device, as task
 * init (whose fs_struct, shared with the kernel threads, ends up rooted
 * in it).
 */
export function prepare_namespace(k: Kernel, init: Task): void {
  let root_device_name = k.params.get("root") ?? "";
  const root_dev = root_device_name ? name_to_dev_t(k, root_device_name) : 0;
  if (root_device_name.startsWith("/dev/")) root_device_name = root_device_name.slice(5);
  // root_mountflags: MS_RDONLY unless "rw" (a later "ro" wins back).
  const words = k.saved_command_line.split(/\s+/);
  const rw = words.lastIndexOf("rw") > words.lastIndexOf("ro");
  // create_dev("/dev/root", ROOT_DEV) in the initial rootfs.
  const r = lookup_create(k, init, "/dev/root", true);
  const made =
    typeof r === "number"
      ? r
      : r.dir.dentry.d_inode!.i_op.mknod!(k, r.dir.dentry, r.last, S_IFBLK | 0o600, root_dev);
  if (typeof made === "number") k.printk.printk(KERN_EMERG, `Failed to create /dev/root: ${made}`);
  if (!root_dev) {
    // Nothing to open: the first filesystem type's mount fails with ENXIO, as blkdev_get does.
    k.printk.printk(
      KERN_DEFAULT,
      `VFS: Cannot open root device "${root_device_name || "(null)"}" or unknown-block(0,0): error ${-ENXIO}`,
    );
    k.printk.printk(
      KERN_DEFAULT,
      `Please append a correct "root=" boot option; here are the available partitions:`,
    );
    printk_all_partitions(k);
    panic("VFS: Unable to mount root fs on unknown-block(0,0)");
  }
  mount_block_root(k, root_dev, root_device_name, rw ? 0 : MS_RDONLY);
}
