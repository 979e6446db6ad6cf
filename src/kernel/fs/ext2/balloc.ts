/*
 * balloc.ts - block allocation (Linux fs/ext2/balloc.c).
 *
 * Each group's block bitmap (one block) has a bit per block of the group:
 * bit i of group g is block s_first_data_block + g * s_blocks_per_group + i.
 * An allocation searches from a goal (the block after the file's previous
 * one, or the inode's group) forward through the groups, sets the bits,
 * and takes the blocks off the group's and the superblock's free counts.
 *
 * File data asks for a page's worth of blocks at once, aligned on a page of
 * the device (ext2_new_blocks with `aligned`), so that a page of the file
 * is a page of the disk and moves as one (its content tag intact). Indirect
 * and directory blocks take single blocks. Everything runs as root, which
 * may use the reserved blocks too: ENOSPC comes when no block is free.
 *
 * Simplified: no reservation windows, no preallocation.
 */

import type { Kernel } from "../../kernel.js";
import { ENOSPC } from "../../uapi/errno.js";
import {
  type Ext2SbInfo,
  ext2_bitmap_update,
  ext2_bread,
  ext2_sync_super,
  ext2_write_group_desc,
  find_next_zero_area,
} from "./ext2.js";

const PAGE_SIZE = 4096;

function group_of(sbi: Ext2SbInfo, block: number): number {
  return Math.floor((block - sbi.s_first_data_block) / sbi.s_blocks_per_group);
}

/** Blocks in group g (the last group may be short). */
function blocks_in_group(sbi: Ext2SbInfo, g: number): number {
  const first = sbi.s_first_data_block + g * sbi.s_blocks_per_group;
  return Math.min(sbi.s_blocks_per_group, sbi.s_blocks_count - first);
}

/**
 * ext2_new_blocks: n free blocks in a row (n is 1, or a device page's worth
 * starting on a page boundary when aligned), searched from goal. Returns
 * the first block, or -ENOSPC.
 */
export function ext2_new_blocks(
  k: Kernel,
  sbi: Ext2SbInfo,
  goal: number,
  n: number,
  aligned: boolean,
): number {
  if (sbi.s_free_blocks_count < n) return -ENOSPC;
  if (goal < sbi.s_first_data_block || goal >= sbi.s_blocks_count) goal = sbi.s_first_data_block;
  const g0 = group_of(sbi, goal);
  const per_page = PAGE_SIZE / sbi.s_blocksize;
  // Every group from the goal's, then the goal's own first part (x = s_groups_count).
  for (let x = 0; x <= sbi.s_groups_count; x++) {
    const g = (g0 + x) % sbi.s_groups_count;
    const desc = sbi.s_group_desc[g];
    if (desc.bg_free_blocks_count < n) continue;
    const base = sbi.s_first_data_block + g * sbi.s_blocks_per_group;
    const len = blocks_in_group(sbi, g);
    const map = ext2_bread(k, sbi, desc.bg_block_bitmap);
    let start = x === 0 ? goal - base : 0;
    if (aligned) {
      // The first bit at or after start whose block begins a device page.
      const mis = (((base + start) % per_page) + per_page) % per_page;
      if (mis) start += per_page - mis;
    }
    const bit = find_next_zero_area(map, len, start, n, aligned ? per_page : 1);
    if (bit < 0) continue;
    ext2_bitmap_update(k, sbi, desc.bg_block_bitmap, map, bit, n, true);
    desc.bg_free_blocks_count -= n;
    sbi.s_free_blocks_count -= n;
    ext2_write_group_desc(k, sbi, g);
    ext2_sync_super(k, sbi, 0);
    return base + bit;
  }
  return -ENOSPC;
}

/** ext2_free_blocks: count blocks from block go back to their groups. */
export function ext2_free_blocks(k: Kernel, sbi: Ext2SbInfo, block: number, count: number): void {
  let b = block;
  let left = count;
  while (left > 0) {
    const g = group_of(sbi, b);
    const desc = sbi.s_group_desc[g];
    const base = sbi.s_first_data_block + g * sbi.s_blocks_per_group;
    const n = Math.min(left, base + sbi.s_blocks_per_group - b);
    const map = ext2_bread(k, sbi, desc.bg_block_bitmap);
    ext2_bitmap_update(k, sbi, desc.bg_block_bitmap, map, b - base, n, false);
    desc.bg_free_blocks_count += n;
    sbi.s_free_blocks_count += n;
    ext2_write_group_desc(k, sbi, g);
    b += n;
    left -= n;
  }
  ext2_sync_super(k, sbi, 0);
}
