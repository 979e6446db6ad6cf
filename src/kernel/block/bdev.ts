/*
 * bdev.ts - the page cache of a block device (Linux block/bdev.c,
 * block/fops.c's buffered path, mm/readahead.c).
 *
 * Reading or writing /dev/vda goes through the device's own address_space,
 * as on Linux: its pages are the "Buffers" of /proc/meminfo (GFP_USER
 * pages: lowmem, unmovable), they sit on the file LRU lists and are
 * reclaimed and dropped like any clean file cache.
 *
 *   read:  a missing page starts a readahead of up to read_ahead_kb
 *          (128 KiB) of missing pages in one request, and the reader waits
 *          for it; a page found in the cache costs no I/O.
 *   write: the page is filled (read first when only part of it is
 *          written), marked dirty, and balance_dirty_pages may throttle the
 *          writer; the flusher or sync writes it back later
 *          (mm/page_writeback.ts).
 *   close: the last close writes the dirty pages and drops the cache.
 */

import type { File } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import {
  type AddressSpace,
  add_to_page_cache_lru,
  clear_shadow_entries,
  delete_from_page_cache,
  find_get_page,
  new_mapping,
  page_read_into,
  page_set_data,
  page_store,
} from "../mm/filemap.js";
import { GFP_USER } from "../mm/gfp.js";
import { PG_writeback } from "../mm/mm_types.js";
import { alloc_pages } from "../mm/page_alloc.js";
import {
  balance_dirty_pages,
  fsync_mapping,
  set_page_dirty,
  writeback_complete,
} from "../mm/page_writeback.js";
import { filemap_read_accessed, mark_page_accessed } from "../mm/swap.js";
import { ENOMEM } from "../uapi/errno.js";
import { account_io, type BlockDevice, PAGE_SIZE } from "./genhd.js";

/** The largest request built from a run of dirty pages (as the block layer's merging allows: 1 MiB). */
const MAX_REQUEST_PAGES = 256;
/** read_ahead_kb of /sys/block/NAME/queue (VM_READAHEAD_PAGES: 128 KiB). */
const READAHEAD_PAGES = 32;

/** The device's address_space (bdev->bd_inode->i_mapping), made on first use. */
export function bdev_mapping(k: Kernel, bd: BlockDevice, f: File): AddressSpace {
  if (bd.mapping) return bd.mapping;
  const m = new_mapping(k, f.f_inode, false);
  m.is_bdev = true;
  m.writepages = (kk, pages) => bdev_writepages(kk, bd, pages);
  bd.mapping = m;
  return m;
}

/**
 * The cache page at index, read from the device (with readahead) when
 * missing and `read` is set, else a fresh page; -ENOMEM if no page could be
 * had.
 */
function bdev_get_page(
  k: Kernel,
  bd: BlockDevice,
  m: AddressSpace,
  index: number,
  read: boolean,
  ra_pages = READAHEAD_PAGES,
): number {
  const cached = find_get_page(m, index);
  if (cached >= 0) return cached;
  if (!read) {
    const pfn = alloc_pages(k, GFP_USER, 0);
    if (pfn < 0) return -ENOMEM;
    page_set_data(k, pfn, null);
    add_to_page_cache_lru(k, pfn, m, index);
    return pfn;
  }
  // page_cache_sync_readahead: the missing pages from here on, in one request.
  const end = Math.min(bd.nr_pages, index + ra_pages);
  let n = 0;
  for (let i = index; i < end && find_get_page(m, i) < 0; i++) {
    const pfn = alloc_pages(k, GFP_USER, 0);
    if (pfn < 0) break;
    page_set_data(k, pfn, bd.ops.read_page(k, bd, i));
    add_to_page_cache_lru(k, pfn, m, i);
    n++;
  }
  if (!n) return -ENOMEM;
  account_io(k, bd, n, false, index);
  return find_get_page(m, index);
}

/** a_ops->writepages: each run of contiguous pages is one request; returns each page's completion time. */
function bdev_writepages(k: Kernel, bd: BlockDevice, pages: [number, number][]): number[] {
  const done: number[] = [];
  let i = 0;
  while (i < pages.length) {
    let j = i + 1;
    while (j < pages.length && j - i < MAX_REQUEST_PAGES && pages[j][0] === pages[j - 1][0] + 1) j++;
    for (let x = i; x < j; x++) {
      const pfn = pages[x][1];
      const bytes = k.pagedata.get(pfn);
      bd.ops.write_page(k, bd, pages[x][0], { tag: k.mem.getTag(pfn), bytes: bytes ? bytes.slice() : null });
    }
    account_io(k, bd, j - i, true, pages[i][0]);
    for (let x = i; x < j; x++) done.push(bd.last_done);
    i = j;
  }
  return done;
}

/**
 * blkdev_read_iter: bytes [f_pos, f_pos+count) through the cache. A
 * filesystem reading its metadata (sb_bread) passes ra_pages 1 (a buffer
 * head reads its own block, with no readahead around it) and meta (each
 * lookup marks the page accessed).
 */
export function bdev_read(
  k: Kernel,
  bd: BlockDevice,
  f: File,
  count: number,
  size: number,
  ra_pages = READAHEAD_PAGES,
  meta = false,
): Uint8Array | number {
  const m = bdev_mapping(k, bd, f);
  const end = Math.min(size, f.f_pos + count);
  if (f.f_pos >= end) return new Uint8Array(0);
  const out = new Uint8Array(end - f.f_pos);
  let pos = f.f_pos;
  while (pos < end) {
    const index = Math.floor(pos / PAGE_SIZE);
    const off = pos % PAGE_SIZE;
    const len = Math.min(PAGE_SIZE - off, end - pos);
    const pfn = bdev_get_page(k, bd, m, index, true, ra_pages);
    if (pfn < 0) {
      if (pos === f.f_pos) return pfn;
      break;
    }
    page_read_into(k, pfn, off, len, out, pos - f.f_pos);
    // A filesystem's metadata read (sb_bread: __find_get_block marks the page each time), or
    // read(2) of the device (filemap_read's marking).
    if (meta) mark_page_accessed(k, pfn);
    else filemap_read_accessed(k, pfn, pos, f.f_pos, f.f_ra_prev_pos);
    pos += len;
  }
  if (!meta) f.f_ra_prev_pos = pos;
  const n = pos - f.f_pos;
  f.f_pos = pos;
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * blkdev_write_iter: bytes into the cache at f_pos, dirty, then
 * balance_dirty_pages (a filesystem writing its metadata, maybe from
 * writeback itself, passes balance false: mark_buffer_dirty does not throttle).
 */
export function bdev_write(
  k: Kernel,
  bd: BlockDevice,
  f: File,
  data: Uint8Array,
  size: number,
  balance = true,
): number {
  const m = bdev_mapping(k, bd, f);
  const end = Math.min(size, f.f_pos + data.length);
  let pos = f.f_pos;
  while (pos < end) {
    const index = Math.floor(pos / PAGE_SIZE);
    const off = pos % PAGE_SIZE;
    const len = Math.min(PAGE_SIZE - off, end - pos);
    const whole = off === 0 && len === PAGE_SIZE;
    const pfn = bdev_get_page(k, bd, m, index, !whole, 1);
    if (pfn < 0) {
      if (pos === f.f_pos) return pfn;
      break;
    }
    page_store(k, pfn, off, data.subarray(pos - f.f_pos, pos - f.f_pos + len));
    set_page_dirty(k, m, pfn);
    // A filesystem's metadata buffer was found through getblk (marked); write(2) to the
    // device goes through generic_perform_write, which does not mark.
    if (!balance) mark_page_accessed(k, pfn);
    pos += len;
  }
  const n = pos - f.f_pos;
  f.f_pos = pos;
  if (n && balance) balance_dirty_pages(k, m);
  return n;
}

/**
 * blkdev_flush_mapping, at the last close of the device (blkdev_put): the
 * dirty pages are written and waited for (sync_blockdev), then the cache is
 * dropped (kill_bdev). A device held open - by swapon, a mount, or a shell's
 * `exec 3</dev/vda` - keeps its cache.
 */
export function blkdev_flush_mapping(k: Kernel, bd: BlockDevice): void {
  const m = bd.mapping;
  if (!m) return;
  fsync_mapping(k, m);
  writeback_complete(k);
  for (const [index, pfn] of [...m.pages]) {
    // The closer waits for the pages in flight: they leave as their writes complete.
    if (k.mem.flags[pfn] & PG_writeback) m.drop_after_writeback = true;
    else if (k.mem.page_ref_count(pfn) === 1) delete_from_page_cache(k, m, index);
  }
  clear_shadow_entries(k, m, 0, Number.MAX_SAFE_INTEGER); // kill_bdev's truncate_inode_pages
}
