/*
 * ext2.ts - the on-disk format and the in-memory superblock of ext2 (Linux
 * fs/ext2/ext2.h, include/linux/ext2_fs.h), and metadata I/O.
 *
 * Disk layout with 1 KiB blocks (block 0 is the boot block; 4 KiB blocks
 * start at block 0 with the superblock at byte 1024 of it):
 *
 *   block 1          superblock (s_magic 0xEF53 at byte 56: disk byte 1080)
 *   block 2..        group descriptors, 32 bytes each
 *   then per group   block bitmap | inode bitmap | inode table | data
 *                    (groups 1, 3, 5, 7, 9, 25, 27... repeat sb + descriptors)
 *
 *   inode (128 bytes): i_mode@0 i_uid@2 i_size@4 i_atime@8 i_ctime@12
 *     i_mtime@16 i_dtime@20 i_gid@24 i_links_count@26 i_blocks@28 (512-byte
 *     units) i_flags@32 i_block[15]@40 (12 direct, indirect, double, triple)
 *     i_size_high@108
 *   directory entry: inode(4) rec_len(2) name_len(1) file_type(1) name
 *
 * Metadata (superblock, descriptors, bitmaps, inode tables, directories,
 * indirect blocks) is read and written through the block device's page
 * cache, as buffer heads are on Linux: those pages are the Buffers of
 * /proc/meminfo, and dirty ones go back with the device's writeback. File
 * data has its own page cache per inode (file.ts).
 *
 * Simplified: the primary superblock and descriptors only are kept up to
 * date (backups are what mke2fs wrote); no xattrs, ACLs, htree lookups or
 * quota; everything belongs to root.
 */

import { bdev_read, bdev_write } from "../../block/bdev.js";
import type { BlockDevice } from "../../block/genhd.js";
import type { Kernel } from "../../kernel.js";
import type { File, Inode, SuperBlock } from "../fs.js";

export const EXT2_SUPER_MAGIC = 0xef53;
export const EXT2_ROOT_INO = 2;
export const EXT2_NDIR_BLOCKS = 12;
export const EXT2_IND_BLOCK = 12;
export const EXT2_DIND_BLOCK = 13;
export const EXT2_TIND_BLOCK = 14;
export const EXT2_N_BLOCKS = 15;
export const GD_SIZE = 32;

/** Groups holding a superblock backup (sparse_super): 0, 1 and powers of 3, 5, 7. */
export function ext2_group_sparse(g: number): boolean {
  if (g <= 1) return true;
  for (const b of [3, 5, 7]) {
    let p = b;
    while (p < g) p *= b;
    if (p === g) return true;
  }
  return false;
}

/* directory entry file types (EXT2_FT_*) */
export const EXT2_FT_UNKNOWN = 0;
export const EXT2_FT_REG_FILE = 1;
export const EXT2_FT_DIR = 2;
export const EXT2_FT_SYMLINK = 7;

/** struct ext2_group_desc, kept in memory and written through on change. */
export interface Ext2GroupDesc {
  bg_block_bitmap: number;
  bg_inode_bitmap: number;
  bg_inode_table: number;
  bg_free_blocks_count: number;
  bg_free_inodes_count: number;
  bg_used_dirs_count: number;
}

/** struct ext2_sb_info: the mounted filesystem. */
export interface Ext2SbInfo {
  sb: SuperBlock;
  bd: BlockDevice;
  /** The device held open for the mount (bd_openers): its cache stays while mounted. */
  bdev_file: File;
  /** "vdb": how the kernel's messages name the device. */
  s_id: string;
  s_blocksize: number;
  s_first_data_block: number;
  s_blocks_count: number;
  s_r_blocks_count: number;
  s_free_blocks_count: number;
  s_free_inodes_count: number;
  /** Blocks promised to dirty pages not yet allocated (delayed allocation: s_dirtyclusters_counter). */
  s_dirty_blocks: number;
  s_inodes_count: number;
  s_blocks_per_group: number;
  s_inodes_per_group: number;
  s_inode_size: number;
  s_first_ino: number;
  s_groups_count: number;
  s_gdb_count: number;
  /** Blocks the metadata takes (ext4_calculate_overhead), left out of statfs's total. */
  s_overhead: number;
  s_group_desc: Ext2GroupDesc[];
  /** The inodes in memory (the inode hash): one Inode per inode number. */
  icache: Map<number, Inode>;
}

/** struct ext2_inode_info: what the VFS inode lacks. */
export interface Ext2InodeInfo {
  i_data: number[];
  /** 512-byte sectors the inode holds (data and indirect blocks). */
  i_blocks: number;
  i_dtime: number;
  /** The group the inode lives in (where its blocks are looked for first). */
  i_block_group: number;
  /** Delayed allocation: blocks reserved per page index, and their sum (i_reserved_data_blocks). */
  i_da: Map<number, number>;
  i_reserved: number;
  /** i_size or times changed since the inode was last written (I_DIRTY). */
  i_dirty: boolean;
}

/** st_blocks as ext4_getattr has it: the blocks held, and those reserved for dirty pages. */
export function ext2_sync_iblocks(inode: Inode): void {
  const ei = EXT2_I(inode);
  inode.i_blocks = ei.i_blocks + (ei.i_reserved * EXT2_SB(inode.i_sb).s_blocksize) / 512;
}

export function EXT2_SB(sb: SuperBlock): Ext2SbInfo {
  return sb.s_fs_info as Ext2SbInfo;
}

export function EXT2_I(inode: Inode): Ext2InodeInfo {
  return inode.i_private as Ext2InodeInfo;
}

export function ext2_now(k: Kernel): number {
  return Math.floor(k.clock.realtime);
}

/** Reads len bytes at byte offset pos of the device, through its page cache. */
export function ext2_pread(k: Kernel, sbi: Ext2SbInfo, pos: number, len: number): Uint8Array {
  const f = sbi.bdev_file;
  f.f_pos = pos;
  const r = bdev_read(k, sbi.bd, f, len, sbi.bd.nr_sectors * 512, 1, true);
  if (typeof r === "number") return new Uint8Array(len);
  return r;
}

/** Writes bytes at byte offset pos of the device, through its page cache (dirtying it). */
export function ext2_pwrite(k: Kernel, sbi: Ext2SbInfo, pos: number, data: Uint8Array): void {
  const f = sbi.bdev_file;
  f.f_pos = pos;
  bdev_write(k, sbi.bd, f, data, sbi.bd.nr_sectors * 512, false);
}

/** sb_bread: a whole block. */
export function ext2_bread(k: Kernel, sbi: Ext2SbInfo, block: number): Uint8Array {
  return ext2_pread(k, sbi, block * sbi.s_blocksize, sbi.s_blocksize);
}

export function ext2_bwrite(k: Kernel, sbi: Ext2SbInfo, block: number, off: number, data: Uint8Array): void {
  ext2_pwrite(k, sbi, block * sbi.s_blocksize + off, data);
}

export function get_u32(k: Kernel, sbi: Ext2SbInfo, block: number, index: number): number {
  const b = ext2_pread(k, sbi, block * sbi.s_blocksize + index * 4, 4);
  return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
}

export function put_u32(k: Kernel, sbi: Ext2SbInfo, block: number, index: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  ext2_bwrite(k, sbi, block, index * 4, b);
}

/** Writes group g's descriptor (primary copy) after its counters changed. */
export function ext2_write_group_desc(k: Kernel, sbi: Ext2SbInfo, g: number): void {
  const d = sbi.s_group_desc[g];
  const b = new Uint8Array(GD_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, d.bg_block_bitmap, true);
  v.setUint32(4, d.bg_inode_bitmap, true);
  v.setUint32(8, d.bg_inode_table, true);
  v.setUint16(12, d.bg_free_blocks_count, true);
  v.setUint16(14, d.bg_free_inodes_count, true);
  v.setUint16(16, d.bg_used_dirs_count, true);
  ext2_pwrite(k, sbi, (sbi.s_first_data_block + 1) * sbi.s_blocksize + g * GD_SIZE, b);
}

/** ext2_sync_super: the free counts (and wtime, state) into the primary superblock. */
export function ext2_sync_super(k: Kernel, sbi: Ext2SbInfo, state: number): void {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, sbi.s_free_blocks_count, true);
  v.setUint32(4, sbi.s_free_inodes_count, true);
  ext2_pwrite(k, sbi, 1024 + 12, b);
  const w = new Uint8Array(4);
  new DataView(w.buffer).setUint32(0, ext2_now(k) >>> 0, true);
  ext2_pwrite(k, sbi, 1024 + 48, w);
  const s = new Uint8Array(2);
  s[0] = state;
  ext2_pwrite(k, sbi, 1024 + 58, s);
}

/** Bit operations on a bitmap block (ext2_set_bit & co, little-endian bit order). */
export function test_bit(map: Uint8Array, nr: number): boolean {
  return (map[nr >> 3] & (1 << (nr & 7))) !== 0;
}
export function set_bit(map: Uint8Array, nr: number): void {
  map[nr >> 3] |= 1 << (nr & 7);
}
export function clear_bit(map: Uint8Array, nr: number): void {
  map[nr >> 3] &= ~(1 << (nr & 7));
}

/**
 * find_next_zero_area (lib/bitmap.c's bitmap_find_next_zero_area, with
 * ext2's little-endian bit order): the first bit at or after start,
 * stepping by step so that an aligned search stays aligned, that begins n
 * clear bits below size; -1 when there is none. Block allocation (a run of
 * blocks, maybe page-aligned) and inode allocation (one bit) both use it.
 */
export function find_next_zero_area(
  map: Uint8Array,
  size: number,
  start: number,
  n: number,
  step = 1,
): number {
  for (let bit = start; bit + n <= size; bit += step) {
    let i = 0;
    while (i < n && !test_bit(map, bit + i)) i++;
    if (i === n) return bit;
  }
  return -1;
}

/** Sets (or clears) bits [bit, bit+n) of the bitmap held in `block`, and writes back the bytes they share. */
export function ext2_bitmap_update(
  k: Kernel,
  sbi: Ext2SbInfo,
  block: number,
  map: Uint8Array,
  bit: number,
  n: number,
  set: boolean,
): void {
  for (let i = 0; i < n; i++) {
    if (set) set_bit(map, bit + i);
    else clear_bit(map, bit + i);
  }
  const lo = bit >> 3;
  const hi = (bit + n - 1) >> 3;
  ext2_bwrite(k, sbi, block, lo, map.subarray(lo, hi + 1));
}
