/*
 * inode.ts - inodes on disk and the block map (Linux fs/ext2/inode.c).
 *
 * ext2_iget reads an inode from its group's inode table into a VFS Inode
 * (one per inode number while mounted: the icache); ext2_write_inode puts
 * it back. A file's blocks are found through i_block[15]:
 *
 *   i_block[0..11]  the first 12 blocks
 *   i_block[12]  -> indirect block: apb = blocksize/4 block numbers
 *   i_block[13]  -> double indirect: apb indirect blocks
 *   i_block[14]  -> triple indirect
 *
 * (ext2_block_to_path). A 0 anywhere on the way is a hole. Setting a block
 * allocates the missing indirect blocks on the way (zeroed); truncating
 * frees the blocks past the new end and the indirect blocks left empty
 * (ext2_truncate_blocks), in runs.
 */

import type { Kernel } from "../../kernel.js";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../../uapi/abi.js";
import { inode_alloc_kmem } from "../dcache.js";
import { Inode, type SuperBlock } from "../fs.js";
import { MAJOR, MINOR, MKDEV } from "../super.js";
import { ext2_free_blocks, ext2_new_blocks } from "./balloc.js";
import { ext2_dir_fops, ext2_dir_iops } from "./dir.js";
import {
  EXT2_I,
  EXT2_N_BLOCKS,
  EXT2_NDIR_BLOCKS,
  EXT2_SB,
  type Ext2InodeInfo,
  type Ext2SbInfo,
  ext2_bwrite,
  ext2_pread,
  ext2_pwrite,
  ext2_sync_iblocks,
  get_u32,
  put_u32,
} from "./ext2.js";
import { ext2_file_fops, ext2_file_iops, ext2_new_file_mapping } from "./file.js";

/** Where inode ino sits on the disk (byte offset). */
function inode_pos(sbi: Ext2SbInfo, ino: number): number {
  const g = Math.floor((ino - 1) / sbi.s_inodes_per_group);
  const index = (ino - 1) % sbi.s_inodes_per_group;
  return sbi.s_group_desc[g].bg_inode_table * sbi.s_blocksize + index * sbi.s_inode_size;
}

/** Gives a VFS inode its operations by type (ext2_set_file_ops & co). */
function ext2_set_ops(k: Kernel, inode: Inode): void {
  const type = inode.i_mode & S_IFMT;
  if (type === S_IFDIR) {
    inode.i_op = ext2_dir_iops;
    inode.i_fop = ext2_dir_fops;
  } else if (type === S_IFREG) {
    inode.i_op = ext2_file_iops;
    inode.i_fop = ext2_file_fops;
    inode.i_mapping = ext2_new_file_mapping(k, inode);
  } else if (type === S_IFLNK) {
    const ei = EXT2_I(inode);
    if (ei.i_blocks) {
      // A slow symlink: the target fills (part of) its one block.
      const sbi = EXT2_SB(inode.i_sb);
      inode.i_link = new TextDecoder().decode(
        ext2_pread(k, sbi, ei.i_data[0] * sbi.s_blocksize, inode.i_size),
      );
      return;
    }
    const bytes = new Uint8Array(60);
    const v = new DataView(bytes.buffer);
    ei.i_data.forEach((x, i) => {
      v.setUint32(i * 4, x >>> 0, true);
    });
    inode.i_link = new TextDecoder().decode(bytes.subarray(0, inode.i_size));
  } else {
    // Device numbers: old_encode_dev in i_block[0], or new_encode_dev in i_block[1].
    const [b0, b1] = EXT2_I(inode).i_data;
    if (b0) inode.i_rdev = MKDEV((b0 >> 8) & 0xff, b0 & 0xff);
    else inode.i_rdev = MKDEV((b1 & 0xfff00) >> 8, (b1 & 0xff) | ((b1 >> 12) & 0xfff00));
    inode.i_fop = k.vfs.special_fops(inode);
  }
}

/** ext2_set_inode's device half: i_rdev into i_block (old encoding when it fits). */
export function ext2_encode_rdev(inode: Inode): void {
  const ei = EXT2_I(inode);
  const major = MAJOR(inode.i_rdev);
  const minor = MINOR(inode.i_rdev);
  ei.i_data.fill(0);
  if (major < 256 && minor < 256) ei.i_data[0] = (major << 8) | minor;
  else ei.i_data[1] = (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}

/** Does the inode's i_block hold block numbers (not a fast symlink's target or a device number)? */
export function ext2_inode_has_blocks(inode: Inode): boolean {
  const type = inode.i_mode & S_IFMT;
  if (type === S_IFREG || type === S_IFDIR) return true;
  return type === S_IFLNK && EXT2_I(inode).i_blocks > 0;
}

/** A VFS inode for inode number ino with the given fields (from disk or new). */
function ext2_new_vfs_inode(sb: SuperBlock, ino: number, mode: number, ei: Ext2InodeInfo): Inode {
  const inode = new Inode(sb, mode, {}, {}, 0);
  inode.i_ino = ino;
  inode.i_private = ei;
  return inode;
}

/** ext2_iget: the inode from the icache, or read from the inode table. */
export function ext2_iget(k: Kernel, sb: SuperBlock, ino: number): Inode {
  const sbi = EXT2_SB(sb);
  const cached = sbi.icache.get(ino);
  if (cached) return cached;
  const raw = ext2_pread(k, sbi, inode_pos(sbi, ino), 128);
  const v = new DataView(raw.buffer, raw.byteOffset, 128);
  const i_data: number[] = [];
  for (let i = 0; i < EXT2_N_BLOCKS; i++) i_data.push(v.getUint32(40 + 4 * i, true));
  const ei: Ext2InodeInfo = {
    i_data,
    i_blocks: v.getUint32(28, true),
    i_dtime: v.getUint32(20, true),
    i_block_group: Math.floor((ino - 1) / sbi.s_inodes_per_group),
    i_da: new Map(),
    i_reserved: 0,
    i_dirty: false,
  };
  const inode = ext2_new_vfs_inode(sb, ino, v.getUint16(0, true), ei);
  inode.i_uid = v.getUint16(2, true);
  inode.i_size = v.getUint32(4, true);
  if ((inode.i_mode & S_IFMT) === S_IFREG) inode.i_size += v.getUint32(108, true) * 2 ** 32;
  inode.i_atime = v.getUint32(8, true);
  inode.i_ctime = v.getUint32(12, true);
  inode.i_mtime = v.getUint32(16, true);
  inode.i_gid = v.getUint16(24, true);
  inode.i_nlink = v.getUint16(26, true);
  inode.i_blocks = ei.i_blocks;
  ext2_set_ops(k, inode);
  sbi.icache.set(ino, inode);
  return inode_alloc_kmem(k, inode);
}

/** A brand-new inode (ext2_new_inode's in-memory half): numbered, typed, written out. */
export function ext2_new_inode(k: Kernel, sb: SuperBlock, ino: number, mode: number, now: number): Inode {
  const sbi = EXT2_SB(sb);
  const ei: Ext2InodeInfo = {
    i_data: new Array(EXT2_N_BLOCKS).fill(0),
    i_blocks: 0,
    i_dtime: 0,
    i_block_group: Math.floor((ino - 1) / sbi.s_inodes_per_group),
    i_da: new Map(),
    i_reserved: 0,
    i_dirty: false,
  };
  const inode = ext2_new_vfs_inode(sb, ino, mode, ei);
  inode.i_atime = inode.i_mtime = inode.i_ctime = now;
  inode.i_blocks = 0;
  ext2_set_ops(k, inode);
  sbi.icache.set(ino, inode);
  return inode_alloc_kmem(k, inode);
}

/** ext2_write_inode: the inode's fields into its slot of the inode table. */
export function ext2_write_inode(k: Kernel, inode: Inode): void {
  const sbi = EXT2_SB(inode.i_sb);
  const ei = EXT2_I(inode);
  ei.i_dirty = false;
  const raw = new Uint8Array(128);
  const v = new DataView(raw.buffer);
  v.setUint16(0, inode.i_mode, true);
  v.setUint16(2, inode.i_uid & 0xffff, true);
  v.setUint32(4, inode.i_size % 2 ** 32, true);
  v.setUint32(8, inode.i_atime >>> 0, true);
  v.setUint32(12, inode.i_ctime >>> 0, true);
  v.setUint32(16, inode.i_mtime >>> 0, true);
  v.setUint32(20, ei.i_dtime >>> 0, true);
  v.setUint16(24, inode.i_gid & 0xffff, true);
  v.setUint16(26, inode.i_nlink, true);
  v.setUint32(28, ei.i_blocks, true);
  for (let i = 0; i < EXT2_N_BLOCKS; i++) v.setUint32(40 + 4 * i, ei.i_data[i] >>> 0, true);
  if ((inode.i_mode & S_IFMT) === S_IFREG) v.setUint32(108, Math.floor(inode.i_size / 2 ** 32), true);
  ext2_pwrite(k, sbi, inode_pos(sbi, inode.i_ino), raw);
}

/** ext2_block_to_path: the i_block slot and the offsets in each indirect level. */
function block_to_path(sbi: Ext2SbInfo, iblock: number): { slot: number; offs: number[] } {
  const apb = sbi.s_blocksize / 4;
  if (iblock < EXT2_NDIR_BLOCKS) return { slot: iblock, offs: [] };
  let i = iblock - EXT2_NDIR_BLOCKS;
  if (i < apb) return { slot: 12, offs: [i] };
  i -= apb;
  if (i < apb * apb) return { slot: 13, offs: [Math.floor(i / apb), i % apb] };
  i -= apb * apb;
  return { slot: 14, offs: [Math.floor(i / (apb * apb)), Math.floor(i / apb) % apb, i % apb] };
}

/** The disk block of file block iblock, 0 for a hole (ext2_get_block without create). */
export function ext2_get_block(k: Kernel, inode: Inode, iblock: number): number {
  const sbi = EXT2_SB(inode.i_sb);
  const { slot, offs } = block_to_path(sbi, iblock);
  let b = EXT2_I(inode).i_data[slot];
  for (const off of offs) {
    if (!b) return 0;
    b = get_u32(k, sbi, b, off);
  }
  return b;
}

/** A new zeroed metadata block (an indirect or directory block) near goal; -ENOSPC. */
export function ext2_alloc_meta_block(k: Kernel, inode: Inode, goal: number): number {
  const sbi = EXT2_SB(inode.i_sb);
  const b = ext2_new_blocks(k, sbi, goal, 1, false);
  if (b < 0) return b;
  ext2_bwrite(k, sbi, b, 0, new Uint8Array(sbi.s_blocksize));
  EXT2_I(inode).i_blocks += sbi.s_blocksize / 512;
  ext2_sync_iblocks(inode);
  return b;
}

/**
 * Points file block iblock at disk block `block`, allocating the indirect
 * blocks on the way (ext2_alloc_branch + ext2_splice_branch). 0 or -ENOSPC.
 */
export function ext2_set_block(k: Kernel, inode: Inode, iblock: number, block: number): number {
  const sbi = EXT2_SB(inode.i_sb);
  const ei = EXT2_I(inode);
  const { slot, offs } = block_to_path(sbi, iblock);
  if (!offs.length) {
    ei.i_data[slot] = block;
    return 0;
  }
  if (!ei.i_data[slot]) {
    const nb = ext2_alloc_meta_block(k, inode, block);
    if (nb < 0) return nb;
    ei.i_data[slot] = nb;
  }
  let cur = ei.i_data[slot];
  for (let j = 0; j < offs.length - 1; j++) {
    let next = get_u32(k, sbi, cur, offs[j]);
    if (!next) {
      next = ext2_alloc_meta_block(k, inode, block);
      if (next < 0) return next;
      put_u32(k, sbi, cur, offs[j], next);
    }
    cur = next;
  }
  put_u32(k, sbi, cur, offs[offs.length - 1], block);
  return 0;
}

/**
 * ext2_truncate_blocks: frees every block of the file from file block
 * `first` on, and the indirect blocks that no longer point anywhere.
 */
export function ext2_truncate_blocks(k: Kernel, inode: Inode, first: number): void {
  const sbi = EXT2_SB(inode.i_sb);
  const ei = EXT2_I(inode);
  const apb = sbi.s_blocksize / 4;
  const freed: number[] = [];
  /** Frees what tree `b` (level 0: a data block) holds from `first` on; true if b itself went. */
  const free_tree = (b: number, level: number, base: number): boolean => {
    if (level === 0) {
      if (base < first) return false;
      freed.push(b);
      return true;
    }
    const per = apb ** (level - 1);
    const whole = base >= first;
    const raw = ext2_pread(k, sbi, b * sbi.s_blocksize, sbi.s_blocksize);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < apb; i++) {
      const e = v.getUint32(i * 4, true);
      const cb = base + i * per;
      if (!e || cb + per <= first) continue;
      if (free_tree(e, level - 1, cb) && !whole) put_u32(k, sbi, b, i, 0);
    }
    if (!whole) return false;
    freed.push(b);
    return true;
  };
  const bases = [12, 12 + apb, 12 + apb + apb * apb];
  for (let slot = 0; slot < EXT2_N_BLOCKS; slot++) {
    const b = ei.i_data[slot];
    if (!b) continue;
    const level = slot < 12 ? 0 : slot - 11;
    const base = slot < 12 ? slot : bases[slot - 12];
    if (free_tree(b, level, base)) ei.i_data[slot] = 0;
  }
  freed.sort((a, b) => a - b);
  for (let i = 0; i < freed.length; ) {
    let j = i + 1;
    while (j < freed.length && freed[j] === freed[j - 1] + 1) j++;
    ext2_free_blocks(k, sbi, freed[i], j - i);
    i = j;
  }
  ei.i_blocks -= (freed.length * sbi.s_blocksize) / 512;
  ext2_sync_iblocks(inode);
}
