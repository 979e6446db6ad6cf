/*
 * file.ts - regular files: their page cache, read, write, writeback and
 * truncate (Linux fs/ext2/file.c, the ext2_aops of fs/ext2/inode.c, and
 * the generic paths they use in mm/filemap.c, mm/readahead.c and
 * fs/mpage.c).
 *
 * Each regular file has its own address_space. Its pages are
 * GFP_HIGHUSER_MOVABLE (Cached in /proc/meminfo, HighMem when there is
 * some) on the file LRU lists, where reclaim and drop_caches find them.
 *
 *   read:  a missing page starts a readahead of up to 32 missing pages
 *          (128 KiB); the pages that are whole pages of the disk go in one
 *          request per contiguous run (do_mpage_readpage), holes read as
 *          zeroes, a page whose blocks are scattered is put together from
 *          its blocks through the device's page cache (block_read_full_page).
 *   write: the blocks under the written range are reserved, the page is
 *          filled (read first if it held data and is only partly
 *          written), marked dirty, and the writer may be throttled
 *          (balance_dirty_pages).
 *   writepages: the flusher or sync allocates the reserved blocks (a
 *          page's worth at once, page-aligned on the disk when it can be)
 *          and sends dirty pages to the disk, one request per run of
 *          contiguous disk pages (mpage_writepages);
 *          scattered pages go block by block through the device's cache,
 *          which is then written too.
 *
 * A disk page whose copy sits in the device's page cache (someone read it
 * through /dev/vdb, or readahead of metadata brought it in) is read from
 * and written to that copy, so the two never disagree.
 *
 * Delayed allocation, as ext4 does it: write(2) only promises the blocks
 * (s_dirty_blocks, taken off statfs's free count, ENOSPC when they run
 * out) and marks the inode dirty; writeback allocates them, writes the
 * inode, and writes the metadata it touched. So a large write leaves
 * Dirty at the size of the data.
 *
 * Simplified: truncating in the middle of a block leaves the old bytes
 * past the end on disk unless the page is cached.
 */

import { account_io, type BlockDevice, type PageData } from "../../block/genhd.js";
import type { Kernel } from "../../kernel.js";
import {
  type AddressSpace,
  add_to_page_cache_lru,
  delete_from_page_cache,
  find_get_page,
  new_mapping,
  page_bytes,
  page_read,
  page_set_data,
  page_store,
  page_write,
  truncate_inode_pages,
} from "../../mm/filemap.js";
import { GFP_HIGHUSER_MOVABLE } from "../../mm/gfp.js";
import { PG_dirty, PG_writeback } from "../../mm/mm_types.js";
import { alloc_pages } from "../../mm/page_alloc.js";
import {
  balance_dirty_pages,
  fsync_mapping,
  set_page_dirty,
  write_cache_pages,
  writeback_complete,
} from "../../mm/page_writeback.js";
import { filemap_read_accessed } from "../../mm/swap.js";
import { now_ns } from "../../sched/core.js";
import { O_APPEND, SEEK_CUR, SEEK_END, SEEK_SET } from "../../uapi/abi.js";
import { EFBIG, EINVAL, ENOMEM, ENOSPC, ETXTBSY } from "../../uapi/errno.js";
import { inode_free_kmem } from "../dcache.js";
import { type File, type FileOperations, type Inode, type InodeOperations, IS_SWAPFILE } from "../fs.js";
import { ext2_new_blocks } from "./balloc.js";
import {
  EXT2_I,
  EXT2_SB,
  type Ext2SbInfo,
  ext2_now,
  ext2_pread,
  ext2_pwrite,
  ext2_sync_iblocks,
} from "./ext2.js";
import { ext2_free_inode_nr } from "./ialloc.js";
import {
  ext2_get_block,
  ext2_inode_has_blocks,
  ext2_set_block,
  ext2_truncate_blocks,
  ext2_write_inode,
} from "./inode.js";
import { ext2_iomap_swap_activate } from "./iomap.js";

const PAGE_SIZE = 4096;
/** VM_READAHEAD_PAGES: 128 KiB. */
const READAHEAD_PAGES = 32;
/** The largest request built from a run of pages (1 MiB, as bdev.ts). */
const MAX_REQUEST_PAGES = 256;
/** s_maxbytes of ext2 with 1 KiB blocks, about 16 GiB. */
export const EXT2_MAX_BYTES = 16 * 2 ** 30;

/** The address_space of a regular file, written back through ext2_writepages. */
export function ext2_new_file_mapping(k: Kernel, inode: Inode): AddressSpace {
  const m = new_mapping(k, inode, false);
  m.writepages = (kk, pages) => ext2_writepages(kk, inode, pages);
  m.read_folio = (kk, index) => ext2_readahead(kk, inode, index);
  m.swap_activate = ext2_iomap_swap_activate;
  return m;
}

/** The disk blocks behind page index of the file (0: hole). */
function page_blocks(k: Kernel, inode: Inode, index: number): number[] {
  const bpp = PAGE_SIZE / EXT2_SB(inode.i_sb).s_blocksize;
  const out: number[] = [];
  for (let i = 0; i < bpp; i++) out.push(ext2_get_block(k, inode, index * bpp + i));
  return out;
}

/** The disk page the blocks make up when they are exactly one (contiguous, aligned), else -1. */
function disk_page(sbi: Ext2SbInfo, blocks: number[]): number {
  const b0 = blocks[0];
  if (!b0 || (b0 * sbi.s_blocksize) % PAGE_SIZE) return -1;
  for (let i = 1; i < blocks.length; i++) if (blocks[i] !== b0 + i) return -1;
  return (b0 * sbi.s_blocksize) / PAGE_SIZE;
}

/** A page's contents as a device stores them: its tag, and a copy of its bytes when kept. */
function page_data(k: Kernel, pfn: number): PageData {
  const bytes = k.pagedata.get(pfn);
  return { tag: k.mem.getTag(pfn), bytes: bytes ? bytes.slice() : null };
}

/** The device's cached copy of disk page dp, if there is one. */
function bdev_cached(bd: BlockDevice, dp: number): number {
  return bd.mapping ? find_get_page(bd.mapping, dp) : -1;
}

/**
 * ext2_readahead: pages index.. (up to READAHEAD_PAGES, not past EOF, up to
 * the first one already cached) read into the cache. Returns the pfn of
 * page index or -ENOMEM.
 */
function ext2_readahead(k: Kernel, inode: Inode, index: number): number {
  const sbi = EXT2_SB(inode.i_sb);
  const bd = sbi.bd;
  const m = inode.i_mapping!;
  const last = Math.ceil(inode.i_size / PAGE_SIZE);
  const end = Math.max(index + 1, Math.min(last, index + READAHEAD_PAGES));
  let run_start = -1;
  let run_len = 0;
  const flush = (): void => {
    if (run_len) account_io(k, bd, run_len, false, run_start);
    run_len = 0;
  };
  for (let i = index; i < end && find_get_page(m, i) < 0; i++) {
    const pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (pfn < 0) break;
    const blocks = page_blocks(k, inode, i);
    const dp = disk_page(sbi, blocks);
    if (dp >= 0) {
      const cached = bdev_cached(bd, dp);
      if (cached >= 0) page_set_data(k, pfn, page_data(k, cached));
      else {
        page_set_data(k, pfn, bd.ops.read_page(k, bd, dp));
        if (run_len && dp === run_start + run_len && run_len < MAX_REQUEST_PAGES) run_len++;
        else {
          flush();
          run_start = dp;
          run_len = 1;
        }
      }
    } else if (blocks.every((b) => b === 0)) page_set_data(k, pfn, null);
    else {
      // block_read_full_page: each block through the device's cache, holes as zeroes.
      const bs = sbi.s_blocksize;
      const bytes = new Uint8Array(PAGE_SIZE);
      blocks.forEach((b, j) => {
        if (b) bytes.set(ext2_pread(k, sbi, b * bs, bs), j * bs);
      });
      page_set_data(k, pfn, null);
      page_write(k, pfn, 0, bytes);
    }
    add_to_page_cache_lru(k, pfn, m, i);
  }
  flush();
  const pfn = find_get_page(m, index);
  return pfn >= 0 ? pfn : -ENOMEM;
}

/** filemap_read: bytes [f_pos, f_pos+count) of the file through its page cache. */
function ext2_file_read(k: Kernel, f: File, count: number): Uint8Array | number {
  const inode = f.f_inode;
  const m = inode.i_mapping!;
  const end = Math.min(inode.i_size, f.f_pos + count);
  if (f.f_pos >= end) return new Uint8Array(0);
  const out = new Uint8Array(end - f.f_pos);
  let pos = f.f_pos;
  while (pos < end) {
    const index = Math.floor(pos / PAGE_SIZE);
    const off = pos % PAGE_SIZE;
    const len = Math.min(PAGE_SIZE - off, end - pos);
    let pfn = find_get_page(m, index);
    if (pfn < 0) pfn = ext2_readahead(k, inode, index);
    if (pfn < 0) {
      if (pos === f.f_pos) return pfn;
      break;
    }
    out.set(page_read(k, pfn, off, len), pos - f.f_pos);
    filemap_read_accessed(k, pfn, pos, f.f_pos, f.f_ra_prev_pos);
    pos += len;
  }
  f.f_ra_prev_pos = pos;
  const n = pos - f.f_pos;
  f.f_pos = pos;
  inode.i_atime = ext2_now(k);
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * ext2_get_blocks with create for page index: every block of the page up
 * to `upto` (a byte offset: the file's new end) gets one; a whole page of
 * holes gets an aligned run when the disk has one. 0 or -ENOSPC.
 */
function ext2_alloc_page_blocks(k: Kernel, inode: Inode, index: number, upto: number): number {
  const sbi = EXT2_SB(inode.i_sb);
  const bs = sbi.s_blocksize;
  const bpp = PAGE_SIZE / bs;
  const first = index * bpp;
  const n = Math.min(bpp, Math.ceil(upto / bs) - first);
  const blocks = page_blocks(k, inode, index);
  const ei = EXT2_I(inode);
  // The goal: right after the file's previous block, or the start of the inode's group.
  let goal = first > 0 ? ext2_get_block(k, inode, first - 1) + 1 : 0;
  if (goal <= 1) goal = sbi.s_first_data_block + ei.i_block_group * sbi.s_blocks_per_group;
  if (n === bpp && blocks.every((b) => b === 0)) {
    const b = ext2_new_blocks(k, sbi, goal, bpp, true);
    if (b >= 0) {
      for (let i = 0; i < bpp; i++) {
        const r = ext2_set_block(k, inode, first + i, b + i);
        if (r < 0) return r;
      }
      ei.i_blocks += (bpp * bs) / 512;
      ext2_sync_iblocks(inode);
      return 0;
    }
  }
  for (let i = 0; i < n; i++) {
    if (blocks[i]) {
      goal = blocks[i] + 1;
      continue;
    }
    const b = ext2_new_blocks(k, sbi, goal, 1, false);
    if (b < 0) return b;
    ei.i_blocks += bs / 512;
    ext2_sync_iblocks(inode);
    const r = ext2_set_block(k, inode, first + i, b);
    if (r < 0) return r;
    goal = b + 1;
  }
  return 0;
}

/**
 * ext4_da_reserve_space for page index: the blocks the page will need up to
 * `upto` (the file's new end) are promised now and allocated at writeback.
 * A page that already has blocks gets the rest at once. Room is kept for
 * the indirect blocks the promised ones will need. 0 or -ENOSPC.
 */
function ext2_da_reserve(k: Kernel, inode: Inode, index: number, upto: number): number {
  const sbi = EXT2_SB(inode.i_sb);
  const bs = sbi.s_blocksize;
  const bpp = PAGE_SIZE / bs;
  const n = Math.min(bpp, Math.ceil(upto / bs) - index * bpp);
  const ei = EXT2_I(inode);
  const had = ei.i_da.get(index) ?? 0;
  if (had >= n) return 0;
  if (!had && page_blocks(k, inode, index).some((b) => b !== 0))
    return ext2_alloc_page_blocks(k, inode, index, upto);
  const need = n - had;
  const meta = Math.ceil((sbi.s_dirty_blocks + need) / (bs / 4)) + 2;
  if (sbi.s_free_blocks_count - sbi.s_dirty_blocks - meta < need) return -ENOSPC;
  ei.i_da.set(index, n);
  ei.i_reserved += need;
  sbi.s_dirty_blocks += need;
  ext2_sync_iblocks(inode);
  return 0;
}

/** The promise for page index is given back (it is being allocated, or the page went). */
function ext2_da_release(inode: Inode, index: number): boolean {
  const ei = EXT2_I(inode);
  const n = ei.i_da.get(index);
  if (n === undefined) return false;
  ei.i_da.delete(index);
  ei.i_reserved -= n;
  EXT2_SB(inode.i_sb).s_dirty_blocks -= n;
  ext2_sync_iblocks(inode);
  return true;
}

/** generic_perform_write: data into the page cache at f_pos (O_APPEND: at the end). */
function ext2_file_write(k: Kernel, f: File, data: Uint8Array): number {
  const inode = f.f_inode;
  // generic_write_checks: an active swap file is the kernel's.
  if (IS_SWAPFILE(inode)) return -ETXTBSY;
  const m = inode.i_mapping!;
  if (f.f_flags & O_APPEND) f.f_pos = inode.i_size;
  if (f.f_pos + data.length > EXT2_MAX_BYTES) return -EFBIG;
  let pos = f.f_pos;
  const end = pos + data.length;
  let err = 0;
  while (pos < end) {
    const index = Math.floor(pos / PAGE_SIZE);
    const off = pos % PAGE_SIZE;
    const len = Math.min(PAGE_SIZE - off, end - pos);
    const r = ext2_da_reserve(k, inode, index, Math.max(inode.i_size, pos + len));
    if (r < 0) {
      err = r;
      break;
    }
    const whole = off === 0 && len === PAGE_SIZE;
    let pfn = find_get_page(m, index);
    if (pfn < 0) {
      if (!whole && index * PAGE_SIZE < inode.i_size) pfn = ext2_readahead(k, inode, index);
      else {
        pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
        if (pfn >= 0) {
          page_set_data(k, pfn, null);
          add_to_page_cache_lru(k, pfn, m, index);
        }
      }
      if (pfn < 0) {
        err = -ENOMEM;
        break;
      }
    }
    // generic_perform_write: the page is dirtied, not marked accessed (write_begin asks for
    // no FGP_ACCESSED): a written page stays inactive and unreferenced until it is read.
    page_store(k, pfn, off, data.subarray(pos - f.f_pos, pos - f.f_pos + len));
    set_page_dirty(k, m, pfn);
    pos += len;
  }
  const n = pos - f.f_pos;
  if (pos > inode.i_size) inode.i_size = pos;
  if (n) {
    inode.i_mtime = inode.i_ctime = ext2_now(k);
    f.f_pos = pos;
    // i_size and the times reach the inode table at writeback (i_disksize follows the data).
    EXT2_I(inode).i_dirty = true;
    balance_dirty_pages(k, m);
  }
  return n || err || (data.length ? -ENOSPC : 0);
}

/**
 * ext2_writepages: the pages go to the disk. A page that is one whole disk
 * page goes as it is (its tag intact), contiguous ones in one request; a
 * scattered page is written block by block into the device's page cache,
 * which is then written back too. Returns each page's completion time.
 */
function ext2_writepages(k: Kernel, inode: Inode, pages: [number, number][]): number[] {
  const sbi = EXT2_SB(inode.i_sb);
  const bd = sbi.bd;
  const bs = sbi.s_blocksize;
  const done: number[] = new Array(pages.length).fill(now_ns(k));
  let run: number[] = [];
  let run_start = -1;
  let through_bdev = false;
  const flush = (): void => {
    if (!run.length) return;
    account_io(k, bd, run.length, true, run_start);
    for (const x of run) done[x] = bd.last_done;
    run = [];
  };
  // Delayed allocation: the promised blocks become real ones now, in index order.
  let allocated = false;
  for (const [index] of pages)
    if (ext2_da_release(inode, index)) {
      ext2_alloc_page_blocks(k, inode, index, inode.i_size);
      allocated = true;
    }
  if (allocated || EXT2_I(inode).i_dirty) {
    ext2_write_inode(k, inode);
    through_bdev = true;
  }
  pages.forEach(([index, pfn], x) => {
    const blocks = page_blocks(k, inode, index);
    const dp = disk_page(sbi, blocks);
    if (dp >= 0) {
      const cached = bdev_cached(bd, dp);
      if (cached >= 0) {
        page_set_data(k, cached, page_data(k, pfn));
        set_page_dirty(k, bd.mapping!, cached);
        through_bdev = true;
        return;
      }
      bd.ops.write_page(k, bd, dp, page_data(k, pfn));
      if (run.length && dp === run_start + run.length && run.length < MAX_REQUEST_PAGES) run.push(x);
      else {
        flush();
        run_start = dp;
        run = [x];
      }
      return;
    }
    const bytes = page_bytes(k, pfn);
    blocks.forEach((b, j) => {
      if (!b) return;
      ext2_pwrite(k, sbi, b * bs, bytes.subarray(j * bs, (j + 1) * bs));
      through_bdev = true;
    });
  });
  flush();
  if (through_bdev && bd.mapping) write_cache_pages(k, bd.mapping, bd.mapping.nrdirty);
  return done;
}

/** ext2_setsize: truncate (pages and blocks past the end go) or extend (a hole). */
export function ext2_setsize(k: Kernel, inode: Inode, size: number): number {
  if (size > EXT2_MAX_BYTES) return -EFBIG;
  if (size < 0) return -EINVAL;
  // inode_newsize_ok: an active swap file is not truncated (swap would write to freed blocks).
  if (size <= inode.i_size && IS_SWAPFILE(inode)) return -ETXTBSY;
  const sbi = EXT2_SB(inode.i_sb);
  const m = inode.i_mapping;
  if (size < inode.i_size) {
    if (m) {
      ext2_drop_pages(k, m, size);
      const partial = find_get_page(m, Math.floor(size / PAGE_SIZE));
      if (size % PAGE_SIZE && partial >= 0) set_page_dirty(k, m, partial);
    }
    ext2_truncate_blocks(k, inode, Math.ceil(size / sbi.s_blocksize));
  }
  inode.i_size = size;
  inode.i_mtime = inode.i_ctime = ext2_now(k);
  ext2_write_inode(k, inode);
  return 0;
}

/**
 * truncate_inode_pages for a file on a disk: pages past `from` leave the
 * cache; the ones still being written are waited for first.
 */
export function ext2_drop_pages(k: Kernel, m: AddressSpace, from: number): void {
  const first = Math.ceil(from / PAGE_SIZE);
  // Pages that go unwritten give their promised blocks back.
  for (const index of [...EXT2_I(m.host).i_da.keys()]) if (index >= first) ext2_da_release(m.host, index);
  let busy = false;
  for (const [index, pfn] of m.pages) if (index >= first && k.mem.flags[pfn] & PG_writeback) busy = true;
  if (busy) {
    // Dirty pages are not written for nothing: drop them, then wait for those in flight.
    for (const [index, pfn] of [...m.pages])
      if (index >= first && k.mem.flags[pfn] & PG_dirty) delete_from_page_cache(k, m, index);
    fsync_mapping(k, m);
    writeback_complete(k);
  }
  for (const [index, pfn] of [...m.pages])
    if (index >= first && k.mem.flags[pfn] & PG_writeback) m.drop_after_writeback = true;
  const stay = [...m.pages].filter(([index, pfn]) => index >= first && k.mem.flags[pfn] & PG_writeback);
  for (const [index] of stay) m.pages.delete(index);
  truncate_inode_pages(k, m, from);
  for (const [index, pfn] of stay) m.pages.set(index, pfn);
}

/** ext2_evict_inode: the last link and the last opener are gone; blocks and inode are freed. */
export function ext2_evict_inode(k: Kernel, inode: Inode): void {
  const sbi = EXT2_SB(inode.i_sb);
  if (inode.i_mapping) ext2_drop_pages(k, inode.i_mapping, 0);
  if (ext2_inode_has_blocks(inode)) ext2_truncate_blocks(k, inode, 0);
  EXT2_I(inode).i_dtime = ext2_now(k);
  inode.i_size = 0;
  ext2_write_inode(k, inode);
  ext2_free_inode_nr(k, sbi, inode.i_ino, inode.isDir());
  sbi.icache.delete(inode.i_ino);
  inode_free_kmem(k, inode);
}

export const ext2_file_iops: InodeOperations = {
  setsize: (k, inode, size) => ext2_setsize(k, inode, size),
};

export const ext2_file_fops: FileOperations = {
  read: (k, f, count) => ext2_file_read(k, f, count),
  write: (k, f, data) => ext2_file_write(k, f, data),
  llseek(_k, f, offset, whence) {
    const base =
      whence === SEEK_SET
        ? 0
        : whence === SEEK_CUR
          ? f.f_pos
          : whence === SEEK_END
            ? f.f_inode.i_size
            : Number.NaN;
    const pos = base + offset;
    if (!Number.isFinite(pos) || pos < 0) return -EINVAL;
    f.f_pos = pos;
    return pos;
  },
  fsync(k, f) {
    const sbi = EXT2_SB(f.f_inode.i_sb);
    if (f.f_inode.i_mapping) fsync_mapping(k, f.f_inode.i_mapping);
    if (sbi.bd.mapping) fsync_mapping(k, sbi.bd.mapping);
    return 0;
  },
};
