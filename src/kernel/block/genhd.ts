/*
 * genhd.ts - block devices (Linux block/genhd.c, block/bdev.c, block/fops.c).
 *
 * A block device is a driver (virtio_blk, zram) that stores pages and says
 * what each transfer costs. The kernel reaches it one page at a time: swap
 * writes and reads pages, a filesystem its blocks, and the /dev node lets a
 * program read and write it at any offset (mkswap writes its header that
 * way, dd copies to and from it).
 *
 * A page is kept as its content tag (see mm/filemap.ts), with its bytes only
 * when someone wrote bytes that matter (a swap header, a file's data);
 * never-written pages read as zeroes.
 *
 * Every device is listed in /proc/partitions and /sys/block, and counts its
 * I/O as /sys/block/NAME/stat shows it.
 */

import type { File, FileOperations } from "../fs/fs.js";
import { MKDEV } from "../fs/super.js";
import type { Kernel } from "../kernel.js";
import { bytes_of_tag, tag_of } from "../mm/filemap.js";
import { charge } from "../sched/core.js";
import { SEEK_CUR, SEEK_END, SEEK_SET } from "../uapi/abi.js";
import { EBUSY, EINVAL, ENOSPC, ENXIO } from "../uapi/errno.js";

export const PAGE_SIZE = 4096;
export const SECTOR_SIZE = 512;

/** What a page of a device holds: its tag, and its bytes when they are kept. */
export interface PageData {
  tag: number;
  bytes: Uint8Array | null;
}

export interface BlockDeviceOps {
  /** The page at index (null: never written, zeroes). */
  read_page(k: Kernel, bd: BlockDevice, index: number): PageData | null;
  /** Stores a page; 0 or -errno (-ENOSPC when a zram device is full). */
  write_page(k: Kernel, bd: BlockDevice, index: number, data: PageData): number;
  /** The page is not needed any more (swap_slot_free_notify, discard). */
  discard?(k: Kernel, bd: BlockDevice, index: number): void;
  /** Simulated ns to transfer pages (one request). */
  cost(bd: BlockDevice, pages: number, write: boolean): number;
}

/** The counters of /sys/block/NAME/stat (Documentation/block/stat.rst). */
export class DiskStats {
  read_ios = 0;
  read_merges = 0;
  read_sectors = 0;
  read_ticks = 0; // ms
  write_ios = 0;
  write_merges = 0;
  write_sectors = 0;
  write_ticks = 0;
  in_flight = 0;
  io_ticks = 0;
  time_in_queue = 0;
  discard_ios = 0;
  discard_merges = 0;
  discard_sectors = 0;
  discard_ticks = 0;
  flush_ios = 0;
  flush_ticks = 0;
}

export class BlockDevice {
  /** Capacity in 512-byte sectors (set_capacity). */
  nr_sectors = 0;
  /** Rotational (a disk) or not (zram, an SSD): the "SS" flag of swapon's message. */
  rotational = false;
  /** Claimed by swapon (or a mount): no second user. */
  holder: string | null = null;
  readonly stat = new DiskStats();
  /** Driver-private state (zram's table, a disk's pages). */
  private_data: unknown = null;
  constructor(
    readonly name: string,
    readonly major: number,
    readonly minor: number,
    readonly ops: BlockDeviceOps,
  ) {}
  get dev(): number {
    return MKDEV(this.major, this.minor);
  }
  get nr_pages(): number {
    return Math.floor((this.nr_sectors * SECTOR_SIZE) / PAGE_SIZE);
  }
}

/**
 * register_blkdev(0, name): a dynamic major, the highest free one of
 * 254..234 (BLKDEV_DYNAMIC_MAJOR counts down from the top).
 */
export function register_blkdev(k: Kernel, name: string): number {
  for (let major = 254; major >= 234; major--) {
    if (k.vfs.major_names.has(major)) continue;
    k.vfs.major_names.set(major, name);
    return major;
  }
  return -EBUSY;
}

/** add_disk: the device exists (its /dev node is made when devtmpfs is mounted, or now). */
export function add_disk(k: Kernel, bd: BlockDevice): void {
  k.vfs.blkdevs.set(bd.dev, bd);
  k.vfs.on_add_disk?.(k, bd);
}

export function blkdev_of(k: Kernel, dev: number): BlockDevice | null {
  return k.vfs.blkdevs.get(dev) ?? null;
}

/** Charges the simulated time of a transfer and counts it, as a completed request. */
export function account_io(k: Kernel, bd: BlockDevice, pages: number, write: boolean): void {
  const ns = bd.ops.cost(bd, pages, write);
  charge(k, ns);
  const s = bd.stat;
  const ms = Math.round(ns / 1e6);
  if (write) {
    s.write_ios++;
    s.write_sectors += (pages * PAGE_SIZE) / SECTOR_SIZE;
    s.write_ticks += ms;
  } else {
    s.read_ios++;
    s.read_sectors += (pages * PAGE_SIZE) / SECTOR_SIZE;
    s.read_ticks += ms;
  }
  s.io_ticks += ms;
  s.time_in_queue += ms;
}

/** A page as bytes (zeroes, same-filled, or kept bytes; other tags read as their pattern). */
export function page_data_bytes(d: PageData | null): Uint8Array {
  if (!d) return new Uint8Array(PAGE_SIZE);
  return d.bytes ? d.bytes : bytes_of_tag(d.tag);
}

/** /proc/partitions. */
export function partitions_show(k: Kernel): string {
  let s = "major minor  #blocks  name\n\n";
  // show_partition: disks without capacity (an unconfigured zram) are left out.
  const list = [...k.vfs.blkdevs.values()].filter((b) => b.nr_sectors > 0);
  list.sort((a, b) => a.dev - b.dev);
  for (const b of list)
    s += `${String(b.major).padStart(4)}  ${String(b.minor).padStart(7)} ${String(Math.floor(b.nr_sectors / 2)).padStart(10)} ${b.name}\n`;
  return s;
}

/** /sys/block/NAME/stat: 17 counters in columns of 8 (part_stat_show). */
export function stat_show(bd: BlockDevice): string {
  const s = bd.stat;
  const v = [
    s.read_ios,
    s.read_merges,
    s.read_sectors,
    s.read_ticks,
    s.write_ios,
    s.write_merges,
    s.write_sectors,
    s.write_ticks,
    s.in_flight,
    s.io_ticks,
    s.time_in_queue,
    s.discard_ios,
    s.discard_merges,
    s.discard_sectors,
    s.discard_ticks,
    s.flush_ios,
    s.flush_ticks,
  ];
  return `${v.map((x) => String(x).padStart(8)).join(" ")}\n`;
}

/**
 * def_blk_fops: the /dev node of a block device, read and written at any
 * offset (unbuffered here: each transfer goes to the driver and costs its
 * time). Writes past the end fail with ENOSPC, as they do on a real disk.
 */
export function blkdev_fops(bd: BlockDevice): FileOperations {
  const size = (): number => bd.nr_sectors * SECTOR_SIZE;
  return {
    read(k, f, count) {
      const end = Math.min(size(), f.f_pos + count);
      if (f.f_pos >= end) return new Uint8Array(0);
      const out = new Uint8Array(end - f.f_pos);
      let pos = f.f_pos;
      let pages = 0;
      while (pos < end) {
        const idx = Math.floor(pos / PAGE_SIZE);
        const off = pos % PAGE_SIZE;
        const len = Math.min(PAGE_SIZE - off, end - pos);
        const page = page_data_bytes(bd.ops.read_page(k, bd, idx));
        out.set(page.subarray(off, off + len), pos - f.f_pos);
        pos += len;
        pages++;
      }
      account_io(k, bd, pages, false);
      f.f_pos = end;
      return out;
    },
    write(k, f, data) {
      if (f.f_pos >= size()) return data.length ? -ENOSPC : 0;
      const end = Math.min(size(), f.f_pos + data.length);
      let pos = f.f_pos;
      let pages = 0;
      while (pos < end) {
        const idx = Math.floor(pos / PAGE_SIZE);
        const off = pos % PAGE_SIZE;
        const len = Math.min(PAGE_SIZE - off, end - pos);
        const page =
          off === 0 && len === PAGE_SIZE
            ? new Uint8Array(PAGE_SIZE)
            : page_data_bytes(bd.ops.read_page(k, bd, idx)).slice();
        page.set(data.subarray(pos - f.f_pos, pos - f.f_pos + len), off);
        const r = bd.ops.write_page(k, bd, idx, { tag: tag_of(page), bytes: page });
        if (r < 0) {
          if (pos === f.f_pos) return r;
          break;
        }
        pos += len;
        pages++;
      }
      account_io(k, bd, pages, true);
      const n = pos - f.f_pos;
      f.f_pos = pos;
      return n;
    },
    llseek(_k, f, offset, whence) {
      const base =
        whence === SEEK_SET ? 0 : whence === SEEK_CUR ? f.f_pos : whence === SEEK_END ? size() : Number.NaN;
      const pos = base + offset;
      if (!Number.isFinite(pos) || pos < 0) return -EINVAL;
      f.f_pos = pos;
      return pos;
    },
    fsync: () => 0,
  };
}

/** blkdev_open: the driver of the node's dev_t takes over the file. */
export function blkdev_open(k: Kernel, f: File): number {
  const bd = blkdev_of(k, f.f_inode.i_rdev);
  if (!bd) return -ENXIO;
  f.private_data = bd;
  f.f_op = blkdev_fops(bd);
  return 0;
}
