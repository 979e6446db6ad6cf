/*
 * dir.ts - directories (Linux fs/ext2/dir.c and fs/ext2/namei.c).
 *
 * A directory's blocks hold variable-length entries that chain through
 * rec_len to the end of each block:
 *
 *   | inode (4) | rec_len (2) | name_len (1) | file_type (1) | name ... pad to 4 |
 *
 * An entry with inode 0 is free space; deleting an entry folds it into the
 * one before it in its block (or zeroes its inode if it is first). Adding
 * one takes free space wherever an entry has more room than it needs,
 * else a new block at the end of the directory. Lookups read the blocks
 * (through the device's page cache) and cache the result as a dentry.
 *
 * Simplified: linear search only (no htree index), no hard links to
 * directories, no device nodes or fifos on disk.
 */

import type { Kernel } from "../../kernel.js";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../../uapi/abi.js";
import { EMLINK, ENAMETOOLONG, ENOTEMPTY } from "../../uapi/errno.js";
import type { Dirent } from "../../uapi/syscalls.js";
import { DT_DIR, DT_LNK, DT_REG } from "../../uapi/syscalls.js";
import { d_alloc, d_free } from "../dcache.js";
import type { Dentry, FileOperations, Inode, InodeOperations } from "../fs.js";
import {
  EXT2_FT_DIR,
  EXT2_FT_REG_FILE,
  EXT2_FT_SYMLINK,
  EXT2_I,
  EXT2_SB,
  ext2_bread,
  ext2_bwrite,
  ext2_now,
} from "./ext2.js";
import { ext2_evict_inode, ext2_setsize } from "./file.js";
import { ext2_new_inode_nr } from "./ialloc.js";
import {
  ext2_alloc_meta_block,
  ext2_encode_rdev,
  ext2_get_block,
  ext2_iget,
  ext2_new_inode,
  ext2_set_block,
  ext2_write_inode,
} from "./inode.js";

const EXT2_LINK_MAX = 32000;
const rec_len_of = (name_len: number): number => (8 + name_len + 3) & ~3;

/** One entry as found in a block. */
interface DirEntry {
  /** Disk block and the entry's offset in it. */
  block: number;
  off: number;
  /** Offset of the previous entry in the same block (-1 if first). */
  prev: number;
  inode: number;
  rec_len: number;
  name: string;
  file_type: number;
}

function ftype_of(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return EXT2_FT_REG_FILE;
    case S_IFDIR:
      return EXT2_FT_DIR;
    case S_IFLNK:
      return EXT2_FT_SYMLINK;
    case 0o020000:
      return 3; // EXT2_FT_CHRDEV
    case 0o060000:
      return 4; // EXT2_FT_BLKDEV
    case 0o010000:
      return 5; // EXT2_FT_FIFO
    case 0o140000:
      return 6; // EXT2_FT_SOCK
  }
  return 0;
}

/** Calls fn on each entry of dir (live ones and free space); stops when fn returns true. */
function for_each_entry(k: Kernel, dir: Inode, fn: (e: DirEntry, data: Uint8Array) => boolean): boolean {
  const sbi = EXT2_SB(dir.i_sb);
  const bs = sbi.s_blocksize;
  for (let n = 0; n * bs < dir.i_size; n++) {
    const block = ext2_get_block(k, dir, n);
    if (!block) continue;
    const data = ext2_bread(k, sbi, block);
    const v = new DataView(data.buffer, data.byteOffset, bs);
    let prev = -1;
    for (let off = 0; off < bs; ) {
      const rec_len = v.getUint16(off + 4, true);
      if (rec_len < 8) break; // a corrupt block ends the walk (ext2_check_page would complain)
      const name_len = data[off + 6];
      const e: DirEntry = {
        block,
        off,
        prev,
        inode: v.getUint32(off, true),
        rec_len,
        name: new TextDecoder().decode(data.subarray(off + 8, off + 8 + name_len)),
        file_type: data[off + 7],
      };
      if (fn(e, data)) return true;
      prev = off;
      off += rec_len;
    }
  }
  return false;
}

/** ext2_find_entry: the live entry called name, or null. */
export function ext2_find_entry(k: Kernel, dir: Inode, name: string): DirEntry | null {
  let found: DirEntry | null = null;
  for_each_entry(k, dir, (e) => {
    if (e.inode && e.name === name) found = e;
    return found !== null;
  });
  return found;
}

function write_entry(
  k: Kernel,
  dir: Inode,
  block: number,
  off: number,
  ino: number,
  rec_len: number,
  name: string,
  ft: number,
): void {
  const enc = new TextEncoder().encode(name);
  const b = new Uint8Array(8 + enc.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, ino, true);
  v.setUint16(4, rec_len, true);
  b[6] = enc.length;
  b[7] = ft;
  b.set(enc, 8);
  ext2_bwrite(k, EXT2_SB(dir.i_sb), block, off, b);
}

function set_rec_len(k: Kernel, dir: Inode, block: number, off: number, rec_len: number): void {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, rec_len, true);
  ext2_bwrite(k, EXT2_SB(dir.i_sb), block, off + 4, b);
}

/** ext2_add_link: an entry name -> ino in dir; 0 or -ENOSPC. */
export function ext2_add_link(k: Kernel, dir: Inode, name: string, ino: number, mode: number): number {
  const sbi = EXT2_SB(dir.i_sb);
  const need = rec_len_of(new TextEncoder().encode(name).length);
  const ft = ftype_of(mode);
  let done = false;
  for_each_entry(k, dir, (e) => {
    const used = e.inode ? rec_len_of(new TextEncoder().encode(e.name).length) : 0;
    if (e.rec_len - used < need) return false;
    if (e.inode) {
      set_rec_len(k, dir, e.block, e.off, used);
      write_entry(k, dir, e.block, e.off + used, ino, e.rec_len - used, name, ft);
    } else write_entry(k, dir, e.block, e.off, ino, e.rec_len, name, ft);
    done = true;
    return true;
  });
  if (!done) {
    // A new block at the end of the directory, all of it this entry.
    const n = Math.floor(dir.i_size / sbi.s_blocksize);
    const goal = n > 0 ? ext2_get_block(k, dir, n - 1) + 1 : 0;
    const b = ext2_alloc_meta_block(k, dir, goal);
    if (b < 0) return b;
    const r = ext2_set_block(k, dir, n, b);
    if (r < 0) return r;
    write_entry(k, dir, b, 0, ino, sbi.s_blocksize, name, ft);
    dir.i_size += sbi.s_blocksize;
  }
  dir.i_mtime = dir.i_ctime = ext2_now(k);
  ext2_write_inode(k, dir);
  return 0;
}

/** ext2_delete_entry: the entry's space goes to the previous one (or it is marked free). */
function ext2_delete_entry(k: Kernel, dir: Inode, e: DirEntry): void {
  if (e.prev >= 0) {
    const sbi = EXT2_SB(dir.i_sb);
    const data = ext2_bread(k, sbi, e.block);
    const prev_len = new DataView(data.buffer, data.byteOffset).getUint16(e.prev + 4, true);
    set_rec_len(k, dir, e.block, e.prev, prev_len + e.rec_len);
  } else write_entry(k, dir, e.block, e.off, 0, e.rec_len, "", 0);
  dir.i_mtime = dir.i_ctime = ext2_now(k);
  ext2_write_inode(k, dir);
}

/** ext2_empty_dir: nothing but "." and "..". */
function ext2_empty_dir(k: Kernel, inode: Inode): boolean {
  return !for_each_entry(k, inode, (e) => e.inode !== 0 && e.name !== "." && e.name !== "..");
}

/** Points a moved directory's ".." at its new parent. */
function ext2_set_dotdot(k: Kernel, inode: Inode, parent: number): void {
  for_each_entry(k, inode, (e) => {
    if (e.name !== "..") return false;
    write_entry(k, inode, e.block, e.off, parent, e.rec_len, "..", EXT2_FT_DIR);
    return true;
  });
}

function add_dentry(k: Kernel, dir: Dentry, name: string, inode: Inode): void {
  const old = dir.d_subdirs.get(name);
  if (old) d_free(k, old);
  dir.d_subdirs.set(name, d_alloc(k, name, dir, inode, dir.d_sb));
}

function drop_dentry(k: Kernel, dir: Dentry, d: Dentry): void {
  if (dir.d_subdirs.get(d.d_name) === d) dir.d_subdirs.delete(d.d_name);
  d_free(k, d);
}

/** ext2_new_inode + ext2_add_link: a new inode of mode named name in dir. */
function ext2_create_common(k: Kernel, dir: Dentry, name: string, mode: number): Inode | number {
  if (new TextEncoder().encode(name).length > 255) return -ENAMETOOLONG;
  const di = dir.d_inode!;
  const sbi = EXT2_SB(di.i_sb);
  const isdir = (mode & S_IFMT) === S_IFDIR;
  const ino = ext2_new_inode_nr(k, sbi, EXT2_I(di).i_block_group, isdir);
  if (ino < 0) return ino;
  const inode = ext2_new_inode(k, di.i_sb, ino, mode, ext2_now(k));
  if (isdir) {
    const b = ext2_alloc_meta_block(k, inode, sbi.s_first_data_block);
    if (b < 0) {
      inode.i_nlink = 0;
      ext2_evict_inode(k, inode);
      return b;
    }
    EXT2_I(inode).i_data[0] = b;
    inode.i_size = sbi.s_blocksize;
    write_entry(k, inode, b, 0, ino, 12, ".", EXT2_FT_DIR);
    write_entry(k, inode, b, 12, di.i_ino, sbi.s_blocksize - 12, "..", EXT2_FT_DIR);
    inode.i_nlink = 2;
  }
  ext2_write_inode(k, inode);
  const r = ext2_add_link(k, di, name, ino, mode);
  if (r < 0) {
    inode.i_nlink = 0;
    ext2_evict_inode(k, inode);
    return r;
  }
  if (isdir) {
    di.i_nlink++;
    ext2_write_inode(k, di);
  }
  add_dentry(k, dir, name, inode);
  return inode;
}

export const ext2_dir_iops: InodeOperations = {
  lookup(k, dir, name) {
    const e = ext2_find_entry(k, dir.d_inode!, name);
    return e ? ext2_iget(k, dir.d_sb, e.inode) : null;
  },
  create: (k, dir, name, mode) => ext2_create_common(k, dir, name, (mode & 0o7777) | S_IFREG),
  mkdir(k, dir, name, mode) {
    if (dir.d_inode!.i_nlink >= EXT2_LINK_MAX) return -EMLINK;
    return ext2_create_common(k, dir, name, (mode & 0o7777) | S_IFDIR);
  },
  symlink(k, dir, name, target) {
    const enc = new TextEncoder().encode(target);
    const sbi = EXT2_SB(dir.d_sb);
    if (enc.length >= sbi.s_blocksize) return -ENAMETOOLONG;
    const inode = ext2_create_common(k, dir, name, 0o777 | S_IFLNK);
    if (typeof inode === "number") return inode;
    const ei = EXT2_I(inode);
    if (enc.length < 60) {
      // A fast symlink: the target lives in i_block itself.
      const bytes = new Uint8Array(60);
      bytes.set(enc);
      const v = new DataView(bytes.buffer);
      for (let i = 0; i < 15; i++) ei.i_data[i] = v.getUint32(i * 4, true);
    } else {
      const b = ext2_alloc_meta_block(k, inode, sbi.s_first_data_block);
      if (b < 0) {
        ext2_dir_iops.unlink!(k, dir, dir.d_subdirs.get(name)!);
        return b;
      }
      ext2_bwrite(k, sbi, b, 0, enc);
      ei.i_data[0] = b;
    }
    inode.i_link = target;
    inode.i_size = enc.length;
    ext2_write_inode(k, inode);
    return inode;
  },
  mknod(k, dir, name, mode, rdev) {
    const inode = ext2_create_common(k, dir, name, mode);
    if (typeof inode === "number") return inode;
    inode.i_rdev = rdev;
    ext2_encode_rdev(inode);
    inode.i_fop = k.vfs.special_fops(inode);
    ext2_write_inode(k, inode);
    return inode;
  },
  link(k, old, dir, name) {
    const inode = old.d_inode!;
    if (inode.i_nlink >= EXT2_LINK_MAX) return -EMLINK;
    const r = ext2_add_link(k, dir.d_inode!, name, inode.i_ino, inode.i_mode);
    if (r < 0) return r;
    inode.i_nlink++;
    inode.i_ctime = ext2_now(k);
    ext2_write_inode(k, inode);
    add_dentry(k, dir, name, inode);
    return 0;
  },
  unlink(k, dir, d) {
    const di = dir.d_inode!;
    const inode = d.d_inode!;
    const e = ext2_find_entry(k, di, d.d_name);
    if (e) ext2_delete_entry(k, di, e);
    drop_dentry(k, dir, d);
    inode.i_nlink--;
    inode.i_ctime = ext2_now(k);
    ext2_write_inode(k, inode);
    if (inode.i_nlink === 0 && inode.i_opencount === 0) ext2_evict_inode(k, inode);
    return 0;
  },
  rmdir(k, dir, d) {
    const inode = d.d_inode!;
    if (!ext2_empty_dir(k, inode)) return -ENOTEMPTY;
    const di = dir.d_inode!;
    const e = ext2_find_entry(k, di, d.d_name);
    if (e) ext2_delete_entry(k, di, e);
    for (const c of d.d_subdirs.values()) d_free(k, c);
    d.d_subdirs.clear();
    drop_dentry(k, dir, d);
    di.i_nlink--;
    ext2_write_inode(k, di);
    inode.i_nlink = 0;
    ext2_write_inode(k, inode);
    if (inode.i_opencount === 0) ext2_evict_inode(k, inode);
    return 0;
  },
  rename(k, olddir, old, newdir, name) {
    const inode = old.d_inode!;
    const odi = olddir.d_inode!;
    const ndi = newdir.d_inode!;
    const target = ext2_find_entry(k, ndi, name);
    if (target) {
      if (target.inode === inode.i_ino) return 0;
      const td = newdir.d_subdirs.get(name) ?? null;
      const tinode = ext2_iget(k, ndi.i_sb, target.inode);
      if (tinode.isDir() && !ext2_empty_dir(k, tinode)) return -ENOTEMPTY;
      const victim = td ?? d_alloc(k, name, newdir, tinode, newdir.d_sb);
      const r = tinode.isDir()
        ? ext2_dir_iops.rmdir!(k, newdir, victim)
        : ext2_dir_iops.unlink!(k, newdir, victim);
      if (r < 0) return r;
    }
    const r = ext2_add_link(k, ndi, name, inode.i_ino, inode.i_mode);
    if (r < 0) return r;
    const e = ext2_find_entry(k, odi, old.d_name);
    if (e) ext2_delete_entry(k, odi, e);
    if (inode.isDir() && olddir !== newdir) {
      ext2_set_dotdot(k, inode, ndi.i_ino);
      odi.i_nlink--;
      ndi.i_nlink++;
      ext2_write_inode(k, odi);
      ext2_write_inode(k, ndi);
    }
    inode.i_ctime = ext2_now(k);
    ext2_write_inode(k, inode);
    if (olddir.d_subdirs.get(old.d_name) === old) olddir.d_subdirs.delete(old.d_name);
    old.d_name = name;
    old.d_parent = newdir;
    newdir.d_subdirs.set(name, old);
    return 0;
  },
  setsize: (k, inode, size) => ext2_setsize(k, inode, size),
};

/** ext2_readdir: the live entries, "." and ".." first as they are on disk. */
function ext2_readdir(k: Kernel, dir: Inode): Dirent[] {
  const out: Dirent[] = [];
  const dt = [0, DT_REG, DT_DIR, 2, 6, 1, 12, DT_LNK];
  for_each_entry(k, dir, (e) => {
    if (e.inode) out.push({ d_ino: e.inode, d_type: dt[e.file_type] ?? 0, d_name: e.name });
    return false;
  });
  dir.i_atime = ext2_now(k);
  return out;
}

export const ext2_dir_fops: FileOperations = {
  iterate: (k, f) => ext2_readdir(k, f.f_inode),
  llseek(_k, f, offset) {
    f.f_pos = offset;
    return offset;
  },
};
