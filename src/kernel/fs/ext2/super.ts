/*
 * super.ts - mounting and unmounting ext2, statfs (Linux fs/ext2/super.c;
 * the messages are those of fs/ext4/super.c, since Debian's 6.1 kernel
 * mounts ext2 with the ext4 driver, as the reference shows).
 *
 * Mount opens the device (it stays open while mounted: its page cache, the
 * filesystem's metadata, stays too), reads the superblock at byte 1024
 * and the group descriptors after it, and reads the root inode. A device
 * without the ext2 magic is refused with EINVAL:
 *
 *   EXT4-fs (vdb): VFS: Can't find ext4 filesystem
 *
 * Unmount writes every file's dirty pages and waits for them, marks the
 * superblock clean, drops the files' pages, and closes the device: its
 * last close writes the metadata back and drops its cache.
 *
 * statfs reports blocks as ext4_statfs does: the total without the
 * metadata overhead (superblocks, descriptors, bitmaps, inode tables),
 * free blocks, and available = free - reserved.
 */

import { blkdev_of, blkdev_open } from "../../block/genhd.js";
import type { Kernel } from "../../kernel.js";
import { KERN_ERR, KERN_INFO } from "../../lib/printk.js";
import { clear_shadow_entries, delete_from_page_cache } from "../../mm/filemap.js";
import { PG_writeback } from "../../mm/mm_types.js";
import { fsync_mapping, writeback_complete } from "../../mm/page_writeback.js";
import { MS_RDONLY, MS_SILENT, O_RDWR, S_IFBLK, S_IFMT } from "../../uapi/abi.js";
import { EBUSY, EINVAL, ENOTBLK, ENXIO } from "../../uapi/errno.js";
import type { Statfs } from "../../uapi/syscalls.js";
import { d_alloc, d_free, inode_free_kmem } from "../dcache.js";
import { type Dentry, File, SuperBlock } from "../fs.js";
import { kern_path } from "../namei.js";
import type { FileSystemType } from "../super.js";
import {
  EXT2_ROOT_INO,
  EXT2_SB,
  EXT2_SUPER_MAGIC,
  type Ext2GroupDesc,
  type Ext2SbInfo,
  ext2_group_sparse,
  ext2_pread,
  ext2_sync_super,
  GD_SIZE,
} from "./ext2.js";
import { EXT2_MAX_BYTES, ext2_evict_inode } from "./file.js";
import { ext2_iget, ext2_write_inode } from "./inode.js";

const EXT2_VALID_FS = 1;

/** ext4_calculate_overhead: the blocks no file can have. */
function ext2_overhead(sbi: Ext2SbInfo): number {
  let n = sbi.s_first_data_block;
  const itb = Math.ceil((sbi.s_inodes_per_group * sbi.s_inode_size) / sbi.s_blocksize);
  for (let g = 0; g < sbi.s_groups_count; g++)
    n += (ext2_group_sparse(g) ? 1 + sbi.s_gdb_count : 0) + 2 + itb;
  return n;
}

function ext2_msg(k: Kernel, level: number, sbi_id: string, msg: string): void {
  k.printk.printk(level, `EXT4-fs (${sbi_id}): ${msg}`);
}

/** ext2_fill_super: the mounted filesystem of device devname, or -errno. */
function ext2_mount(k: Kernel, devname: string, flags: number): SuperBlock | number {
  const t = k.sched.current;
  if (!t) return -EINVAL;
  const p = kern_path(k, t, devname, true);
  if (typeof p === "number") return p;
  const dinode = p.dentry.d_inode!;
  if ((dinode.i_mode & S_IFMT) !== S_IFBLK) return -ENOTBLK;
  const bd = blkdev_of(k, dinode.i_rdev);
  if (!bd) return -ENXIO;
  if (bd.holder) return -EBUSY;
  const f = new File(p, dinode, O_RDWR);
  const r = blkdev_open(k, f);
  if (r < 0) return r;
  const release = (): void => f.f_op.release?.(k, f);
  // A cache left to drop after an earlier last close (mke2fs's) is the mount's cache now.
  writeback_complete(k);
  if (bd.mapping && ![...bd.mapping.pages.values()].some((pfn) => k.mem.flags[pfn] & PG_writeback))
    bd.mapping.drop_after_writeback = false;
  const probe = { bd, bdev_file: f, s_blocksize: 1024 } as Ext2SbInfo;
  const raw = ext2_pread(k, probe, 1024, 1024);
  const v = new DataView(raw.buffer, raw.byteOffset, 1024);
  const silent = (flags & MS_SILENT) !== 0;
  if (v.getUint16(56, true) !== EXT2_SUPER_MAGIC) {
    if (!silent) ext2_msg(k, KERN_ERR, bd.name, "VFS: Can't find ext4 filesystem");
    release();
    return -EINVAL;
  }
  const log = v.getUint32(24, true);
  const sbi: Ext2SbInfo = {
    sb: null as unknown as SuperBlock,
    bd,
    bdev_file: f,
    s_id: bd.name,
    s_blocksize: 1024 << log,
    s_first_data_block: v.getUint32(20, true),
    s_blocks_count: v.getUint32(4, true),
    s_r_blocks_count: v.getUint32(8, true),
    s_free_blocks_count: v.getUint32(12, true),
    s_free_inodes_count: v.getUint32(16, true),
    s_dirty_blocks: 0,
    s_inodes_count: v.getUint32(0, true),
    s_blocks_per_group: v.getUint32(32, true),
    s_inodes_per_group: v.getUint32(40, true),
    s_inode_size: v.getUint32(76, true) >= 1 ? v.getUint16(88, true) : 128,
    s_first_ino: v.getUint32(76, true) >= 1 ? v.getUint32(84, true) : 11,
    s_groups_count: 0,
    s_gdb_count: 0,
    s_overhead: 0,
    s_group_desc: [],
    icache: new Map(),
  };
  if (
    log > 6 ||
    !sbi.s_blocks_per_group ||
    !sbi.s_inodes_per_group ||
    sbi.s_blocks_count * sbi.s_blocksize > bd.nr_sectors * 512
  ) {
    if (!silent) ext2_msg(k, KERN_ERR, bd.name, "VFS: Can't find ext4 filesystem");
    release();
    return -EINVAL;
  }
  sbi.s_groups_count = Math.ceil((sbi.s_blocks_count - sbi.s_first_data_block) / sbi.s_blocks_per_group);
  sbi.s_gdb_count = Math.ceil((sbi.s_groups_count * GD_SIZE) / sbi.s_blocksize);
  const gdraw = ext2_pread(
    k,
    sbi,
    (sbi.s_first_data_block + 1) * sbi.s_blocksize,
    sbi.s_groups_count * GD_SIZE,
  );
  const gv = new DataView(gdraw.buffer, gdraw.byteOffset, gdraw.length);
  for (let g = 0; g < sbi.s_groups_count; g++) {
    const o = g * GD_SIZE;
    const d: Ext2GroupDesc = {
      bg_block_bitmap: gv.getUint32(o, true),
      bg_inode_bitmap: gv.getUint32(o + 4, true),
      bg_inode_table: gv.getUint32(o + 8, true),
      bg_free_blocks_count: gv.getUint16(o + 12, true),
      bg_free_inodes_count: gv.getUint16(o + 14, true),
      bg_used_dirs_count: gv.getUint16(o + 16, true),
    };
    sbi.s_group_desc.push(d);
  }
  sbi.s_overhead = ext2_overhead(sbi);
  ext2_msg(k, KERN_INFO, bd.name, "mounting ext2 file system using the ext4 subsystem");
  const sb = new SuperBlock(bd.dev, "ext2", EXT2_SUPER_MAGIC, {
    statfs: ext2_statfs,
    evict_inode: ext2_evict_inode,
    kill_sb: ext2_put_super,
  });
  sb.s_flags = flags & ~MS_SILENT;
  sb.s_fs_info = sbi;
  sb.s_bdev = bd;
  sb.s_maxbytes = EXT2_MAX_BYTES;
  sbi.sb = sb;
  const root = ext2_iget(k, sb, EXT2_ROOT_INO);
  sb.s_root = d_alloc(k, "/", null, root, sb);
  bd.holder = "ext2";
  bd.block_size = sbi.s_blocksize; // sb_set_blocksize
  // Mounted read-write: the filesystem is not clean until it is unmounted.
  if (!(flags & MS_RDONLY)) ext2_sync_super(k, sbi, 0);
  ext2_msg(k, KERN_INFO, bd.name, "mounted filesystem without journal. Quota mode: none.");
  return sb;
}

function ext2_statfs(_k: Kernel, sb: SuperBlock): Statfs {
  const sbi = EXT2_SB(sb);
  // ext4_statfs: blocks promised to dirty pages are not free.
  const bfree = Math.max(0, sbi.s_free_blocks_count - sbi.s_dirty_blocks);
  return {
    f_type: EXT2_SUPER_MAGIC,
    f_bsize: sbi.s_blocksize,
    f_blocks: sbi.s_blocks_count - sbi.s_overhead,
    f_bfree: bfree,
    f_bavail: Math.max(0, bfree - sbi.s_r_blocks_count),
    f_files: sbi.s_inodes_count,
    f_ffree: sbi.s_free_inodes_count,
    f_namelen: 255,
  };
}

/** Frees the dentry tree below (and including) d. */
function free_dentries(k: Kernel, d: Dentry): void {
  for (const c of d.d_subdirs.values()) free_dentries(k, c);
  d.d_subdirs.clear();
  d_free(k, d);
}

/** ext2_put_super + kill_block_super: everything to the disk, then the device is let go. */
function ext2_put_super(k: Kernel, sb: SuperBlock): void {
  const sbi = EXT2_SB(sb);
  for (const inode of sbi.icache.values()) {
    if (inode.i_mapping) fsync_mapping(k, inode.i_mapping);
    // An unlinked file still open when the mount went (umount -l) goes now.
    if (inode.i_nlink === 0) ext2_evict_inode(k, inode);
    else ext2_write_inode(k, inode);
  }
  writeback_complete(k);
  for (const inode of sbi.icache.values()) {
    const m = inode.i_mapping;
    if (!m) continue;
    for (const [index, pfn] of [...m.pages]) {
      if (k.mem.flags[pfn] & PG_writeback) m.drop_after_writeback = true;
      else delete_from_page_cache(k, m, index);
    }
    clear_shadow_entries(k, m, 0, Number.MAX_SAFE_INTEGER); // evict: truncate_inode_pages_final
  }
  ext2_sync_super(k, sbi, EXT2_VALID_FS);
  ext2_msg(k, KERN_INFO, sbi.s_id, "unmounting filesystem.");
  if (sb.s_root) free_dentries(k, sb.s_root);
  sb.s_root = null;
  for (const inode of sbi.icache.values()) inode_free_kmem(k, inode);
  sbi.icache.clear();
  sbi.bd.holder = null;
  sbi.bdev_file.f_op.release?.(k, sbi.bdev_file);
}

export const ext2_fs_type: FileSystemType = {
  name: "ext2",
  nodev: false,
  mount: (k, devname, flags) => ext2_mount(k, devname, flags),
};
