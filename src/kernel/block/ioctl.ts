/*
 * ioctl.ts - the ioctls of a block device node (Linux block/ioctl.c,
 * blkdev_common_ioctl and blkdev_ioctl, with set_blocksize and
 * set_init_blocksize of block/bdev.c): what blockdev(8) asks.
 *
 *   BLKGETSIZE64  size in bytes           BLKGETSIZE  in 512-byte sectors
 *   BLKSSZGET     logical block size      BLKBSZGET   the node's block size
 *   BLKBSZSET     a new block size (512..PAGE_SIZE, a power of two; EBUSY
 *                 while a mount or swapon holds the device)
 *   BLKROGET/SET  the node's read-only flag (writes then fail with EPERM)
 *   BLKRAGET/SET  readahead, in sectors (bdi->ra_pages)
 *   BLKFLSBUF     write back and drop the node's page cache ("Buffers")
 *   BLKRRPART     rescan partitions: nothing to find here, EINVAL for zram
 *
 * The value travels as the call's argument and result (the simulated
 * syscall ABI has no user pointers). Everything runs as root, so the
 * CAP_SYS_ADMIN checks pass.
 */

import type { Kernel } from "../kernel.js";
import {
  BLKBSZGET,
  BLKBSZSET,
  BLKFLSBUF,
  BLKGETSIZE,
  BLKGETSIZE64,
  BLKRAGET,
  BLKRASET,
  BLKROGET,
  BLKROSET,
  BLKRRPART,
  BLKSSZGET,
} from "../uapi/abi.js";
import { EBUSY, EINVAL, ENOTTY } from "../uapi/errno.js";
import { blkdev_flush_mapping } from "./bdev.js";
import { type BlockDevice, PAGE_SIZE, SECTOR_SIZE } from "./genhd.js";

/**
 * set_init_blocksize: at the first open, the largest power of two from the
 * logical block size up to PAGE_SIZE that divides the device's size.
 */
export function set_init_blocksize(bd: BlockDevice): void {
  const size = bd.nr_sectors * SECTOR_SIZE;
  let bsize = bd.logical_block_size;
  while (bsize < PAGE_SIZE && size % (bsize * 2) === 0) bsize *= 2;
  bd.block_size = bsize;
}

/** set_blocksize: 512..PAGE_SIZE, a power of two, not below the logical block size. */
export function set_blocksize(bd: BlockDevice, size: number): number {
  if (size > PAGE_SIZE || size < 512 || (size & (size - 1)) !== 0) return -EINVAL;
  if (size < bd.logical_block_size) return -EINVAL;
  bd.block_size = size;
  return 0;
}

/** blkdev_ioctl: the value asked for, 0 for a set, or -errno. */
export function blkdev_ioctl(k: Kernel, bd: BlockDevice, request: number, arg: unknown): number {
  const n = Number(arg ?? 0);
  switch (request) {
    case BLKROSET:
      bd.read_only = n !== 0;
      return 0;
    case BLKROGET:
      return bd.read_only ? 1 : 0;
    case BLKSSZGET:
      return bd.logical_block_size;
    case BLKBSZGET:
      return bd.block_size;
    case BLKBSZSET:
      // blkdev_bszset: only with the device to itself (FMODE_EXCL), else EBUSY
      if (bd.holder) return -EBUSY;
      return set_blocksize(bd, n | 0);
    case BLKGETSIZE:
      return bd.nr_sectors;
    case BLKGETSIZE64:
      return bd.nr_sectors * SECTOR_SIZE;
    case BLKRAGET:
      return (bd.ra_pages * PAGE_SIZE) / 512;
    case BLKRASET:
      bd.ra_pages = Math.floor((n * 512) / PAGE_SIZE);
      return 0;
    case BLKFLSBUF:
      // fsync_bdev + invalidate_bdev: the node's dirty pages written, its clean ones dropped
      blkdev_flush_mapping(k, bd);
      return 0;
    case BLKRRPART:
      return bd.part_scan ? 0 : -EINVAL;
  }
  return -ENOTTY;
}
