/*
 * iomap.ts - ext2's block map as iomap runs, for swap files (Linux
 * fs/ext4/inode.c ext4_iomap_begin_report and ext4_iomap_swap_activate:
 * Debian mounts ext2 with the ext4 driver, whose swap files go through
 * iomap; fs/ext2's own path, generic_swapfile_activate with ext2_bmap,
 * is not taken).
 *
 * The run at a byte of the file is the longest stretch of its blocks that
 * is either contiguous on the disk, a hole, or promised to dirty pages and
 * not allocated yet (delayed allocation, ext4's delalloc extents).
 */

import type { Kernel } from "../../kernel.js";
import type { SwapInfo } from "../../mm/swapfile.js";
import type { File, Inode } from "../fs.js";
import { IOMAP_DELALLOC, IOMAP_HOLE, IOMAP_MAPPED, type Iomap, iomap_swapfile_activate } from "../iomap.js";
import { EXT2_I, EXT2_SB } from "./ext2.js";
import { ext2_get_block } from "./inode.js";

const PAGE_SIZE = 4096;

/** ext4_iomap_begin_report: the run of the file at byte pos (block-aligned), up to length bytes. */
export function ext2_iomap_begin_report(k: Kernel, inode: Inode, pos: number, length: number): Iomap {
  const bs = EXT2_SB(inode.i_sb).s_blocksize;
  const ei = EXT2_I(inode);
  const first = Math.floor(pos / bs);
  const last = Math.ceil((pos + length) / bs);
  const kind = (b: number, iblock: number): number =>
    b ? IOMAP_MAPPED : ei.i_da.has(Math.floor((iblock * bs) / PAGE_SIZE)) ? IOMAP_DELALLOC : IOMAP_HOLE;
  const b0 = ext2_get_block(k, inode, first);
  const type = kind(b0, first);
  let n = 1;
  while (first + n < last) {
    const b = ext2_get_block(k, inode, first + n);
    if (kind(b, first + n) !== type || (type === IOMAP_MAPPED && b !== b0 + n)) break;
    n++;
  }
  return { type, offset: first * bs, length: n * bs, addr: type === IOMAP_MAPPED ? b0 * bs : -1 };
}

/** ext4_iomap_swap_activate: a_ops->swap_activate of ext2's regular files. */
export function ext2_iomap_swap_activate(
  k: Kernel,
  sis: SwapInfo,
  file: File,
): { nr_extents: number; span: number } | number {
  return iomap_swapfile_activate(k, sis, file, ext2_iomap_begin_report);
}
