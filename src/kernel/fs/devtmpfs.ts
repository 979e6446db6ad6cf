/*
 * devtmpfs.ts - the kernel-maintained /dev (Linux drivers/base/devtmpfs.c):
 * a tmpfs the kernel fills with a node for every device it registers. The
 * init scripts mount it on /dev.
 */

import type { BlockDevice } from "../block/genhd.js";
import { full_fops, kmsg_fops, null_fops, random_fops, zero_fops } from "../drivers/mem.js";
import { type TtyStruct, tty_fops } from "../drivers/tty.js";
import type { Kernel } from "../kernel.js";
import { shmem_default_info, shmem_dir_iops, shmem_fill_super } from "../mm/shmem.js";
import { S_IFBLK, S_IFCHR } from "../uapi/abi.js";
import type { SuperBlock } from "./fs.js";
import { MKDEV } from "./super.js";

/** Registers the character devices and creates the devtmpfs superblock with their nodes. */
export function devtmpfs_init(k: Kernel, console: TtyStruct): SuperBlock {
  const ttyName = k.profile.console;
  const ttyDev = k.profile.arch === "x86_64" ? MKDEV(4, 64) : MKDEV(204, 64);
  const devs: [string, number, number][] = [
    ["null", MKDEV(1, 3), 0o666],
    ["zero", MKDEV(1, 5), 0o666],
    ["full", MKDEV(1, 7), 0o666],
    ["random", MKDEV(1, 8), 0o666],
    ["urandom", MKDEV(1, 9), 0o666],
    ["kmsg", MKDEV(1, 11), 0o644],
    ["tty", MKDEV(5, 0), 0o666],
    ["console", MKDEV(5, 1), 0o600],
    [ttyName, ttyDev, 0o600],
  ];
  const c = k.vfs.chrdevs;
  c.set(MKDEV(1, 3), null_fops);
  c.set(MKDEV(1, 5), zero_fops);
  c.set(MKDEV(1, 7), full_fops);
  c.set(MKDEV(1, 8), random_fops);
  c.set(MKDEV(1, 9), random_fops);
  c.set(MKDEV(1, 11), kmsg_fops);
  c.set(MKDEV(5, 0), tty_fops(console, true));
  // /dev/console never becomes a controlling terminal; the real tty does.
  c.set(MKDEV(5, 1), tty_fops(console, false, true));
  c.set(ttyDev, tty_fops(console));
  const info = shmem_default_info(k);
  info.mode = 0o755;
  const sb = shmem_fill_super(k, "devtmpfs", info);
  const root = sb.s_root!;
  for (const [name, dev, mode] of devs) shmem_dir_iops.mknod!(k, root, name, S_IFCHR | mode, dev);
  for (const d of ["pts", "shm"]) shmem_dir_iops.mkdir!(k, root, d, 0o755 | (d === "shm" ? 0o1777 : 0));
  // Block devices: the ones found at boot now, later ones (zram hot_add) as they appear.
  const add = (kk: Kernel, bd: BlockDevice): void => {
    shmem_dir_iops.mknod!(kk, root, bd.name, S_IFBLK | 0o660, bd.dev);
  };
  for (const bd of k.vfs.blkdevs.values()) add(k, bd);
  k.vfs.on_add_disk = add;
  return sb;
}
