/*
 * ialloc.ts - inode allocation (Linux fs/ext2/ialloc.c).
 *
 * Inode numbers start at 1; inode i lives in group (i-1) / s_inodes_per_group
 * at index (i-1) % s_inodes_per_group of that group's inode table, and its
 * bit of the group's inode bitmap says it is in use. Inodes 1..10 are
 * reserved (2 is the root), 11 is lost+found (s_first_ino).
 *
 * Simplified: a new inode goes into the parent's group if it has a free one,
 * else the next group that has (find_group_other); directories are not
 * spread with the Orlov allocator.
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

/** ext2_new_inode's search: a free inode number near the parent's group, or -ENOSPC. */
export function ext2_new_inode_nr(k: Kernel, sbi: Ext2SbInfo, parent_group: number, isdir: boolean): number {
  if (sbi.s_free_inodes_count === 0) return -ENOSPC;
  for (let x = 0; x < sbi.s_groups_count; x++) {
    const g = (parent_group + x) % sbi.s_groups_count;
    const desc = sbi.s_group_desc[g];
    if (desc.bg_free_inodes_count === 0) continue;
    const map = ext2_bread(k, sbi, desc.bg_inode_bitmap);
    // The inodes below s_first_ino are reserved.
    const first = Math.max(0, sbi.s_first_ino - 1 - g * sbi.s_inodes_per_group);
    const bit = find_next_zero_area(map, sbi.s_inodes_per_group, first, 1);
    if (bit < 0) continue;
    ext2_bitmap_update(k, sbi, desc.bg_inode_bitmap, map, bit, 1, true);
    desc.bg_free_inodes_count--;
    if (isdir) desc.bg_used_dirs_count++;
    sbi.s_free_inodes_count--;
    ext2_write_group_desc(k, sbi, g);
    ext2_sync_super(k, sbi, 0);
    return g * sbi.s_inodes_per_group + bit + 1;
  }
  return -ENOSPC;
}

/** ext2_free_inode: the inode's bit is cleared and the counts go back up. */
export function ext2_free_inode_nr(k: Kernel, sbi: Ext2SbInfo, ino: number, isdir: boolean): void {
  const g = Math.floor((ino - 1) / sbi.s_inodes_per_group);
  const bit = (ino - 1) % sbi.s_inodes_per_group;
  const desc = sbi.s_group_desc[g];
  const map = ext2_bread(k, sbi, desc.bg_inode_bitmap);
  ext2_bitmap_update(k, sbi, desc.bg_inode_bitmap, map, bit, 1, false);
  desc.bg_free_inodes_count++;
  if (isdir) desc.bg_used_dirs_count--;
  sbi.s_free_inodes_count++;
  ext2_write_group_desc(k, sbi, g);
  ext2_sync_super(k, sbi, 0);
}
