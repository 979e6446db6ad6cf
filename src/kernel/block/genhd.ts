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
import type { AddressSpace } from "../mm/filemap.js";
import { bytes_of_tag } from "../mm/filemap.js";
import { fsync_mapping } from "../mm/page_writeback.js";
import { PGPGIN, PGPGOUT } from "../mm/vm_event_item.js";
import { charge, io_wait_until, now_ns, sleep_in_step } from "../sched/core.js";
import type { Task } from "../sched/task.js";
import { INIT_WORK, kblockd_workqueue, queue_work_stateless, type WorkStruct } from "../sched/workqueue.js";
import { SEEK_CUR, SEEK_END, SEEK_SET } from "../uapi/abi.js";
import { EBUSY, EINVAL, ENOSPC, ENXIO, EPERM, ETXTBSY } from "../uapi/errno.js";
import { bdev_read, bdev_write, blkdev_flush_mapping } from "./bdev.js";
import {
  MAX_MERGE_PAGES,
  PAGE_SECTORS,
  PAGE_SIZE,
  QUEUE_DEPTH,
  SECTOR_SIZE,
  SUBMIT_NS,
} from "./blk_types.js";
import { blkdev_ioctl, set_init_blocksize } from "./ioctl.js";

export { PAGE_SIZE, SECTOR_SIZE };

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
  /**
   * write_page for a driver that keeps no PageData object (a disk stores
   * the tag and the bytes): swap writes every page reclaim frees, and an
   * object for each would be garbage. Optional; write_page otherwise.
   */
  write_page_tag?(k: Kernel, bd: BlockDevice, index: number, tag: number, bytes: Uint8Array | null): number;
  /** The page is not needed any more (REQ_OP_DISCARD); a device without it cannot discard. */
  discard?(k: Kernel, bd: BlockDevice, index: number): void;
  /**
   * A swap slot on the device was freed (block_device_operations'
   * swap_slot_free_notify: zram's alone). Other disks keep the stale page.
   */
  swap_slot_free_notify?(k: Kernel, bd: BlockDevice, index: number): void;
  /** Simulated ns to transfer pages (one request). */
  cost(bd: BlockDevice, pages: number, write: boolean): number;
  /** Done on the submitting CPU, no waiting (zram: BDI_CAP_SYNCHRONOUS_IO). */
  synchronous?: boolean;
  /** The device's completion interrupt for one request (a disk; a synchronous device has none). */
  complete?(k: Kernel, bd: BlockDevice): void;
}

/** The counters of /sys/block/NAME/stat (Documentation/block/stat.rst). */
export class DiskStats {
  read_ios = 0;
  read_merges = 0;
  read_sectors = 0;
  read_ns = 0; // shown in ms
  write_ios = 0;
  write_merges = 0;
  write_sectors = 0;
  write_ns = 0;
  in_flight = 0;
  io_ns = 0;
  time_in_queue_ns = 0;
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
  /** When the disk finishes the requests queued so far (simulated ns). */
  busy_until = 0;
  /** The last request: the page after it, its direction and size (for merging). */
  last_end = -1;
  last_write = false;
  last_pages = 0;
  /**
   * When the last request accounted (account_io) completes, in simulated ns.
   * A field rather than account_io's result: a double returned by a call
   * that is not inlined is a new heap number, one per page swapped out.
   */
  last_done = 0;
  /** The hardware queue's run_work: kblockd restarts the queue stopped when the ring was full. */
  readonly run_work: WorkStruct = INIT_WORK(function blk_mq_run_work_fn() {});
  /** The page cache of the device node (bdev.ts), made when first read or written. */
  mapping: AddressSpace | null = null;
  /** Open files of the device (bd_openers): the last close writes the cache back and drops it. */
  openers = 0;
  /** Driver-private state (zram's table, a disk's pages). */
  private_data: unknown = null;
  /** bd_read_only (BLKROSET): writes through the node fail with EPERM. */
  read_only = false;
  /** The block size of the node (i_blkbits: set at first open, by a mount or swapon, or BLKBSZSET); 0 before. */
  block_size = 0;
  /** The logical block (sector) size of the queue: 512, zram's 4096. */
  logical_block_size = 512;
  /** The partition table can be scanned (zram's disk has GENHD_FL_NO_PART). */
  part_scan = true;
  /** bdi->ra_pages: how far a read of the node reads ahead (VM_READAHEAD_PAGES, 128 KiB). */
  ra_pages = 32;
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

/**
 * submit_bio and its completion for a transfer of `pages` pages at page
 * `index` of the device (-1: unknown). A synchronous device (zram) does the
 * work on the submitting CPU. A disk serves requests one after another: a
 * reader waits (in D state, see io_wait_until) until its request
 * completes; a writer goes on unless the queue is full, and then waits for
 * room. A transfer that continues the last queued request in the same
 * direction merges into it (the plug and the elevator's back merge): it
 * adds its bytes but no request latency, and counts in the merges column.
 * Every transfer counts in the disk's stat and in pgpgin/pgpgout (sectors,
 * shown as KiB). When the request completes is left in bd.last_done.
 */
export function account_io(k: Kernel, bd: BlockDevice, pages: number, write_: boolean, index = -1): void {
  // (Booleans compared with true: a bare test of a parameter or an optional field is the
  // generic ToBoolean in optimized code, a dozen instructions each time.)
  const t = k.sched.current;
  if (write_ === true && t !== null && bd.ops.synchronous !== true) disk_write(k, t, bd, pages, index);
  else account_io_any(k, bd, pages, write_ === true, index);
}

/**
 * account_io for a task's write to a disk, the case swap-out makes for
 * every page: account_io_any's steps, with the running task at hand
 * (now_ns, charge and sleep_in_step written out for it).
 */
function disk_write(k: Kernel, t: Task, bd: BlockDevice, pages: number, index: number): void {
  const ops = bd.ops;
  const s = bd.stat;
  const now = k.clock.ns + t.cost + t.ucost + t.slept;
  t.cost += SUBMIT_NS;
  const busy = bd.busy_until;
  let ns = ops.cost(bd, pages, true);
  const merged =
    index >= 0 &&
    index === bd.last_end &&
    bd.last_write === true &&
    busy > now &&
    bd.last_pages + pages <= MAX_MERGE_PAGES;
  if (merged) {
    ns -= ops.cost(bd, 0, true);
    bd.last_pages += pages;
    s.write_merges++;
  } else bd.last_pages = pages;
  bd.last_end = index >= 0 ? index + pages : -1;
  bd.last_write = true;
  const done = Math.max(now, busy) + ns;
  bd.busy_until = done;
  const room = done - QUEUE_DEPTH * ops.cost(bd, 1, true);
  if (room > now) {
    // The ring is full: see account_io_any. (sleep_in_step, written out: the writer sleeps until
    // there is room, in D state, waiting for I/O.)
    queue_work_stateless(k, kblockd_workqueue, bd.run_work);
    t.slept += room - now;
    const at = k.clock.ns + t.cost + t.ucost + t.slept;
    if (at > t.io_until) t.io_until = at;
    t.io_is_iowait = true;
  }
  if (merged === false) {
    if (ops.complete !== undefined) ops.complete(k, bd);
    s.write_ios++;
  }
  const sectors = pages * PAGE_SECTORS;
  k.vm_events[PGPGOUT] += sectors;
  const latency = done - now;
  s.write_sectors += sectors;
  s.write_ns += latency;
  s.io_ns += ns;
  s.time_in_queue_ns += latency;
  bd.last_done = done;
}

/** account_io in general: a read, a synchronous device, no running task (boot). */
function account_io_any(k: Kernel, bd: BlockDevice, pages: number, write: boolean, index: number): void {
  const ops = bd.ops;
  let ns = ops.cost(bd, pages, write);
  const now = now_ns(k);
  const s = bd.stat;
  const sectors = pages * PAGE_SECTORS;
  let done: number;
  if (ops.synchronous === true) {
    charge(k, ns);
    done = now + ns;
    if (write) s.write_ios++;
    else s.read_ios++;
  } else {
    charge(k, SUBMIT_NS);
    const merged =
      index >= 0 &&
      index === bd.last_end &&
      write === bd.last_write &&
      bd.busy_until > now &&
      bd.last_pages + pages <= MAX_MERGE_PAGES;
    if (merged) {
      ns -= ops.cost(bd, 0, write);
      bd.last_pages += pages;
      if (write) s.write_merges++;
      else s.read_merges++;
    } else bd.last_pages = pages;
    bd.last_end = index >= 0 ? index + pages : -1;
    bd.last_write = write;
    done = Math.max(now, bd.busy_until) + ns;
    bd.busy_until = done;
    if (!write) io_wait_until(k, done);
    else {
      const room = done - QUEUE_DEPTH * ops.cost(bd, 1, true);
      if (room > now) {
        // The ring is full: the driver stops the queue, and the completion that makes room
        // restarts it asynchronously (blk_mq_start_stopped_hw_queues(q, true) in virtblk_done),
        // a kblockd work on the submitting CPU's high-priority pool. (Its function does nothing
        // of its own: a run that would change no worker's state is skipped, queue_work_stateless.)
        queue_work_stateless(k, kblockd_workqueue, bd.run_work);
        // The writer sleeps there and then (blk_mq_get_tag), and goes on once a request has completed.
        sleep_in_step(k, room - now, true);
      }
    }
    // Each request completes with an interrupt; it is counted as the request is issued (its time is set).
    if (!merged) {
      ops.complete?.(k, bd);
      if (write) s.write_ios++;
      else s.read_ios++;
    }
  }
  k.vm_events[write ? PGPGOUT : PGPGIN] += sectors;
  const latency = done - now;
  if (write) {
    s.write_sectors += sectors;
    s.write_ns += latency;
  } else {
    s.read_sectors += sectors;
    s.read_ns += latency;
  }
  s.io_ns += ns;
  s.time_in_queue_ns += latency;
  bd.last_done = done;
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

const ms = (ns: number): number => Math.floor(ns / 1e6);

/** /sys/block/NAME/stat: 17 counters in columns of 8 (part_stat_show). */
export function stat_show(bd: BlockDevice): string {
  return `${part_stat(bd)
    .map((x) => String(x).padStart(8))
    .join(" ")}\n`;
}

/**
 * /proc/diskstats (diskstats_show): every disk in the order it was added,
 * an unconfigured zram0 too, as "major minor name" and the same 17
 * counters as its stat file, separated by single spaces.
 */
export function diskstats_show(k: Kernel): string {
  let out = "";
  for (const bd of k.vfs.blkdevs.values())
    out += `${String(bd.major).padStart(4)} ${String(bd.minor).padStart(7)} ${bd.name} ${part_stat(bd).join(" ")}\n`;
  return out;
}

/** The counters of part_stat_read_all, in the order both files print them. */
function part_stat(bd: BlockDevice): number[] {
  const s = bd.stat;
  return [
    s.read_ios,
    s.read_merges,
    s.read_sectors,
    ms(s.read_ns),
    s.write_ios,
    s.write_merges,
    s.write_sectors,
    ms(s.write_ns),
    s.in_flight,
    ms(s.io_ns),
    ms(s.time_in_queue_ns),
    s.discard_ios,
    s.discard_merges,
    s.discard_sectors,
    s.discard_ticks,
    s.flush_ios,
    s.flush_ticks,
  ];
}

/**
 * def_blk_fops: the /dev node of a block device, read and written at any
 * offset through the device's page cache (bdev.ts). Writes past the end
 * fail with ENOSPC, as they do on a real disk; fsync writes the dirty pages
 * back and waits for them.
 */
export function blkdev_fops(bd: BlockDevice): FileOperations {
  const size = (): number => bd.nr_sectors * SECTOR_SIZE;
  return {
    read: (k, f, count) => bdev_read(k, bd, f, count, size(), bd.ra_pages),
    write(k, f, data) {
      if (bd.read_only) return -EPERM; // blkdev_write_iter: bdev_read_only
      if (bd.holder === "swap") return -ETXTBSY; // blkdev_write_iter: IS_SWAPFILE(bd_inode)
      if (f.f_pos >= size()) return data.length ? -ENOSPC : 0;
      return bdev_write(k, bd, f, data, size());
    },
    llseek(_k, f, offset, whence) {
      const base =
        whence === SEEK_SET ? 0 : whence === SEEK_CUR ? f.f_pos : whence === SEEK_END ? size() : Number.NaN;
      const pos = base + offset;
      if (!Number.isFinite(pos) || pos < 0) return -EINVAL;
      f.f_pos = pos;
      return pos;
    },
    fsync(k) {
      if (bd.mapping) fsync_mapping(k, bd.mapping);
      return 0;
    },
    release(k) {
      if (--bd.openers === 0) blkdev_flush_mapping(k, bd);
    },
    ioctl: (k, _f, request, arg) => blkdev_ioctl(k, bd, request, arg),
  };
}

/** blkdev_open: the driver of the node's dev_t takes over the file. */
export function blkdev_open(k: Kernel, f: File): number {
  const bd = blkdev_of(k, f.f_inode.i_rdev);
  if (!bd) return -ENXIO;
  f.private_data = bd;
  f.f_op = blkdev_fops(bd);
  // Opened again: the pages of the last close still in flight stay cached this time.
  if (bd.openers === 0 && !bd.holder) set_init_blocksize(bd);
  if (bd.openers++ === 0 && bd.mapping) bd.mapping.drop_after_writeback = false;
  return 0;
}
