/*
 * iomap.ts - a file's block map as runs, and swap files on top of it
 * (Linux include/linux/iomap.h, fs/iomap/swapfile.c).
 *
 * A filesystem answers "what is at byte pos of the file?" with one iomap:
 * a run of the file that is a hole, promised to dirty pages but not yet
 * allocated (delalloc), or mapped onto a run of the disk. ext2/iomap.ts
 * answers for ext2 (ext4's report ops on an indirect-mapped file).
 *
 * iomap_swapfile_activate walks the whole file that way and hands the swap
 * code page-aligned runs of the disk (add_swap_extent), after fsync has
 * given every delayed block its place. Holes and unallocated runs refuse
 * the file with the kernel's message, naming the file by its path.
 */

import type { Kernel } from "../kernel.js";
import { KERN_ERR, KERN_WARNING } from "../lib/printk.js";
import { add_swap_extent, type SwapInfo } from "../mm/swapfile.js";
import { EINVAL } from "../uapi/errno.js";
import type { File, Inode } from "./fs.js";
import { d_path } from "./namei.js";

/* iomap types (IOMAP_*): what a run of the file is. */
export const IOMAP_HOLE = 0;
export const IOMAP_DELALLOC = 1;
export const IOMAP_MAPPED = 2;
export const IOMAP_UNWRITTEN = 3;
export const IOMAP_INLINE = 4;

/** struct iomap: length bytes of the file from offset; addr: where they start on the disk (bytes). */
export interface Iomap {
  type: number;
  offset: number;
  length: number;
  addr: number;
}

/** iomap_ops->iomap_begin with IOMAP_REPORT: the run at byte pos (no longer than length). */
export type IomapBegin = (k: Kernel, inode: Inode, pos: number, length: number) => Iomap;

const PAGE_SIZE = 4096;

/** iomap_swapfile_fail: "swapon: file PATH WHY" and EINVAL. */
function iomap_swapfile_fail(k: Kernel, file: File, str: string): number {
  k.printk.printk(KERN_ERR, `swapon: file ${d_path(null, file.f_path, k.vfs.root_mnt!)} ${str}`);
  return -EINVAL;
}

/** struct iomap_swapfile_info: the run being gathered and what was added so far. */
interface IomapSwapfileInfo {
  /** The accumulated run (contiguous on the disk), or null. */
  iomap: Iomap | null;
  sis: SwapInfo;
  /** The lowest and highest disk pages used (the header page left out of the lowest). */
  lowest_ppage: number;
  highest_ppage: number;
  /** Pages added, and extents made. */
  nr_pages: number;
  nr_extents: number;
}

/**
 * iomap_swapfile_add_extent: the whole pages of the run (its start rounded
 * up, its end down), no more than the header allows (sis.max).
 */
function iomap_swapfile_add_extent(isi: IomapSwapfileInfo): void {
  const m = isi.iomap!;
  const max_pages = isi.sis.max - isi.nr_pages;
  const first_ppage = Math.ceil(m.addr / PAGE_SIZE);
  const next_ppage = Math.floor((m.addr + m.length) / PAGE_SIZE);
  if (first_ppage >= next_ppage) return;
  const nr_pages = Math.min(next_ppage - first_ppage, max_pages);
  // The first page holds the header and does not count, but goes in the extents all the same.
  const first_ppage_reported = m.offset === 0 ? first_ppage + 1 : first_ppage;
  isi.lowest_ppage = Math.min(isi.lowest_ppage, first_ppage_reported);
  isi.highest_ppage = Math.max(isi.highest_ppage, next_ppage - 1);
  isi.nr_extents += add_swap_extent(isi.sis, isi.nr_pages, nr_pages, first_ppage);
  isi.nr_pages += nr_pages;
}

/**
 * iomap_swapfile_activate: the file's runs (up to its last whole page)
 * become the area's extents; sis.max and sis.pages follow what was found.
 * The extent count and the span in pages, or -errno.
 */
export function iomap_swapfile_activate(
  k: Kernel,
  sis: SwapInfo,
  file: File,
  iomap_begin: IomapBegin,
): { nr_extents: number; span: number } | number {
  const inode = file.f_inode;
  // Persist all file mapping metadata, so that no run is still only promised.
  const r = file.f_op.fsync?.(k, file) ?? 0;
  if (r < 0) return r;
  const isi: IomapSwapfileInfo = {
    iomap: null,
    sis,
    lowest_ppage: Number.POSITIVE_INFINITY,
    highest_ppage: 0,
    nr_pages: 0,
    nr_extents: 0,
  };
  const end = Math.floor(inode.i_size / PAGE_SIZE) * PAGE_SIZE;
  for (let pos = 0; pos < end; ) {
    const m = iomap_begin(k, inode, pos, end - pos);
    if (m.type === IOMAP_INLINE) return iomap_swapfile_fail(k, file, "is inline");
    if (m.type !== IOMAP_MAPPED && m.type !== IOMAP_UNWRITTEN)
      return iomap_swapfile_fail(k, file, "has unallocated extents");
    if (!isi.iomap) isi.iomap = { ...m };
    else if (isi.iomap.addr + isi.iomap.length === m.addr) isi.iomap.length += m.length;
    else {
      iomap_swapfile_add_extent(isi);
      isi.iomap = { ...m };
    }
    pos += m.length;
  }
  if (isi.iomap) iomap_swapfile_add_extent(isi);
  // A file without one page-aligned run of blocks is of no use.
  if (isi.nr_pages === 0) {
    k.printk.printk(KERN_WARNING, "swapon: Cannot find a single usable page in file.");
    return -EINVAL;
  }
  sis.max = isi.nr_pages;
  sis.pages = isi.nr_pages - 1;
  return { nr_extents: isi.nr_extents, span: 1 + isi.highest_ppage - isi.lowest_ppage };
}
