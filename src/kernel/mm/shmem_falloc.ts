/*
 * shmem_falloc.ts - fallocate(2) on tmpfs (Linux mm/shmem.c shmem_fallocate;
 * the VFS checks before it are vfs_fallocate in fs/open.ts).
 *
 * Allocating a range gives every page of it that the file lacks a new
 * zeroed page-cache page now, instead of at the first write or fault: the
 * pages count as Shmem and Cached in /proc/meminfo, sit on the anon LRU and
 * are charged to the mount's size= limit, so `df /tmp` shows the space
 * taken. A range larger than the whole limit fails at once with ENOSPC (to
 * avoid a swap storm); running out part way, or out of memory, or being
 * interrupted by a signal, gives back the pages this call added and fails.
 * The new pages are marked dirty so that reclaim swaps them rather than
 * dropping them. Without FALLOC_FL_KEEP_SIZE the file grows to offset+len.
 *
 * FALLOC_FL_PUNCH_HOLE (with KEEP_SIZE) frees the whole pages of the range,
 * pages and swap entries, and zeroes the partial pages at its ends.
 *
 * Simplified: Linux leaves fallocated pages !uptodate and unmaps a punched
 * range from every process first; here a new page is simply a zeroed page,
 * and a punched page that is still mapped somewhere is zeroed in place
 * rather than taken away. No seals (F_SEAL_WRITE/GROW), no huge pages.
 */

import type { File } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { charge, signal_pending } from "../sched/core.js";
import type { Task } from "../sched/task.js";
import { FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE } from "../uapi/abi.js";
import { EFBIG, EINTR, ENOMEM, ENOSPC, EOPNOTSUPP } from "../uapi/errno.js";
import {
  add_to_page_cache_lru,
  delete_from_page_cache,
  find_get_page,
  page_drop_bytes,
  page_zero_range,
} from "./filemap.js";
import { GFP_HIGHUSER_MOVABLE } from "./gfp.js";
import { PG_dirty } from "./mm_types.js";
import { alloc_pages, PAGE_SIZE } from "./page_alloc.js";
import { MAX_LFS_FILESIZE, sbinfo, shmem_free_swap, shmem_swapin } from "./shmem.js";

/** shmem_fallocate: 0 or -errno (the range and mode were checked by vfs_fallocate). */
export function shmem_fallocate(
  k: Kernel,
  f: File,
  mode: number,
  offset: number,
  len: number,
  t: Task,
): number {
  if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return -EOPNOTSUPP;
  const inode = f.f_inode;
  const m = inode.i_mapping!;
  const info = sbinfo(inode.i_sb);
  if (mode & FALLOC_FL_PUNCH_HOLE) {
    shmem_punch_hole(k, f, offset, offset + len - 1);
    return 0;
  }
  // inode_newsize_ok, checked even with KEEP_SIZE
  if (offset + len > MAX_LFS_FILESIZE) return -EFBIG;
  const start = Math.floor(offset / PAGE_SIZE);
  const end = Math.ceil((offset + len) / PAGE_SIZE);
  if (info.max_blocks && end - start > info.max_blocks) return -ENOSPC;
  const added: number[] = [];
  for (let index = start; index < end; index++) {
    let error = 0;
    let pfn = find_get_page(m, index);
    if (signal_pending(t))
      error = -EINTR; // the man page allows EINTR: too much memory asked
    else if (pfn < 0) {
      // shmem_get_folio(SGP_FALLOC): a page in swap comes back, a hole gets a new page
      pfn = shmem_swapin(k, m, index, null);
      if (pfn === -1) error = -ENOMEM;
      else if (pfn === -2) {
        if (info.max_blocks && info.used_blocks >= info.max_blocks) error = -ENOSPC;
        else {
          pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
          if (pfn < 0) error = -ENOMEM;
          else {
            k.mem.setTag(pfn, 0);
            page_drop_bytes(k, pfn);
            add_to_page_cache_lru(k, pfn, m, index);
            info.used_blocks++;
            added.push(index);
            charge(k, 1000); // clear_highpage + page cache insertion
          }
        }
      }
    }
    if (error) {
      // shmem_undo_range(unfalloc): the pages this call added go again
      for (const i of added) delete_from_page_cache(k, m, i);
      info.used_blocks -= added.length;
      return error;
    }
    k.mem.flags[pfn] |= PG_dirty;
  }
  if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode.i_size) inode.i_size = offset + len;
  inode.i_mtime = inode.i_ctime = Math.floor(k.clock.realtime); // file_modified
  return 0;
}

/**
 * shmem_truncate_range(lstart, lend): whole pages of the byte range
 * first..last are freed (in memory or in swap), the partial pages at its
 * ends keep their other bytes and read zeroes inside the range.
 */
function shmem_punch_hole(k: Kernel, f: File, first: number, last: number): void {
  const inode = f.f_inode;
  const m = inode.i_mapping!;
  const info = sbinfo(inode.i_sb);
  const start = Math.ceil(first / PAGE_SIZE); // first whole page
  const end = Math.floor((last + 1) / PAGE_SIZE); // one past the last whole page
  const zero = (index: number, from: number, to: number): void => {
    let pfn = find_get_page(m, index);
    if (pfn < 0) pfn = shmem_swapin(k, m, index, null);
    if (pfn >= 0) page_zero_range(k, pfn, from, to - from);
  };
  if (start > end) {
    // the range lies inside one page
    zero(Math.floor(first / PAGE_SIZE), first % PAGE_SIZE, (last % PAGE_SIZE) + 1);
  } else {
    if (first % PAGE_SIZE) zero(start - 1, first % PAGE_SIZE, PAGE_SIZE);
    if ((last + 1) % PAGE_SIZE) zero(end, 0, (last + 1) % PAGE_SIZE);
    for (const [index, pfn] of [...m.pages]) {
      if (index < start || index >= end) continue;
      if (k.mem.page_mapcount(pfn) > 0) {
        page_zero_range(k, pfn, 0, PAGE_SIZE);
        continue;
      }
      delete_from_page_cache(k, m, index);
      info.used_blocks--;
    }
    if (end > start) info.used_blocks -= shmem_free_swap(k, m, start, end - 1);
  }
  inode.i_mtime = inode.i_ctime = Math.floor(k.clock.realtime);
}
