/*
 * shmem.ts - tmpfs: files that live only in the page cache (Linux
 * mm/shmem.c, with the rootfs of init/do_mounts.c and devtmpfs on top).
 *
 * The whole tree is kept in the dcache: a directory's children are its
 * dentries. A file's data are page-cache pages allocated on first write
 * (GFP_HIGHUSER_MOVABLE) and marked swap-backed, so they show as Shmem and
 * Cached in /proc/meminfo and sit on the anon LRU lists, as on Linux.
 * A tmpfs has a size limit (default half of RAM) and an inode limit; going
 * past either fails with ENOSPC.
 *
 * Under memory pressure tmpfs pages go to swap like anonymous memory (see
 * "swap" below).
 *
 * Simplified: no huge pages, no xattrs.
 */

import { d_alloc, d_free, inode_alloc_kmem, inode_free_kmem } from "../fs/dcache.js";
import {
  Dentry,
  File,
  type FileOperations,
  Inode,
  type InodeOperations,
  Mount,
  SuperBlock,
} from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { xa_account } from "../lib/xarray.js";
import { charge } from "../sched/core.js";
import { O_RDWR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, SEEK_CUR, SEEK_END, SEEK_SET } from "../uapi/abi.js";
import { EFBIG, EINVAL, EISDIR, ENOMEM, ENOSPC, ENOTDIR, ENOTEMPTY, EPERM } from "../uapi/errno.js";
import type { Dirent, Statfs } from "../uapi/syscalls.js";
import { DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK } from "../uapi/syscalls.js";
import {
  type AddressSpace,
  add_to_page_cache_lru,
  delete_from_page_cache,
  find_get_page,
  new_mapping,
  page_drop_bytes,
  page_read,
  page_write,
  truncate_inode_pages,
} from "./filemap.js";
import { GFP_HIGHUSER_MOVABLE } from "./gfp.js";
import { PG_anon, PG_dirty, PG_referenced, PG_swapbacked, PG_uptodate } from "./mm_types.js";
import { NR_FILE_PAGES, NR_SHMEM } from "./mmzone.js";
import { alloc_pages, PAGE_SIZE, page_zone } from "./page_alloc.js";
import { folio_wait_writeback } from "./page_writeback.js";
import { shmem_fallocate } from "./shmem_falloc.js";
import { get_page, mark_page_accessed, put_page } from "./swap.js";
import {
  add_to_swap_cache,
  delete_from_swap_cache,
  lookup_swap_cache,
  swap_cache_hit,
  swap_cache_read,
  try_to_free_swap,
} from "./swap_state.js";
import {
  get_swap_page,
  type SwpEntry,
  swap_duplicate,
  swap_free,
  swap_write,
  swapcache_free,
  swp_type,
} from "./swapfile.js";
import { PSWPOUT } from "./vm_event_item.js";

export const TMPFS_MAGIC = 0x01021994;
export const MAX_LFS_FILESIZE = 2 ** 53;

export interface ShmemSbInfo {
  max_blocks: number; // pages, 0 for unlimited
  used_blocks: number;
  max_inodes: number;
  free_inodes: number;
  mode: number; // of the root directory
  /** "size=...k,nr_inodes=..." shown in /proc/mounts, or "" when defaults were taken silently. */
  show_size: boolean;
}

export function sbinfo(sb: SuperBlock): ShmemSbInfo {
  return sb.s_fs_info as ShmemSbInfo;
}

function now(k: Kernel): number {
  return Math.floor(k.clock.realtime);
}

export function dt_type(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return DT_DIR;
    case S_IFREG:
      return DT_REG;
    case S_IFLNK:
      return DT_LNK;
    case 0o020000:
      return DT_CHR;
    case 0o060000:
      return DT_BLK;
    case 0o010000:
      return DT_FIFO;
    case 0o140000:
      return DT_SOCK;
  }
  return 0;
}

/** shmem_get_inode: a new inode, charged against the inode limit. */
function shmem_get_inode(k: Kernel, sb: SuperBlock, mode: number, rdev = 0): Inode | number {
  const info = sbinfo(sb);
  if (info.max_inodes) {
    if (info.free_inodes === 0) return -ENOSPC;
    info.free_inodes--;
  }
  const type = mode & S_IFMT;
  const inode = new Inode(
    sb,
    mode,
    shmem_dir_iops,
    type === S_IFDIR ? shmem_dir_fops : shmem_file_fops,
    now(k),
  );
  inode.i_rdev = rdev;
  if (type === S_IFREG) inode.i_mapping = new_mapping(k, inode, true);
  if (type === S_IFDIR) {
    inode.i_nlink = 2;
    // A directory's size counts BOGO_DIRENT_SIZE per entry, "." and ".." included.
    inode.i_size = 2 * BOGO_DIRENT_SIZE;
  }
  if (type !== S_IFREG && type !== S_IFDIR) inode.i_fop = k.vfs.special_fops(inode);
  return inode_alloc_kmem(k, inode);
}

function add_child(k: Kernel, dir: Dentry, name: string, inode: Inode): Dentry {
  const d = d_alloc(k, name, dir, inode, dir.d_sb);
  dir.d_subdirs.set(name, d);
  const di = dir.d_inode!;
  di.i_mtime = di.i_ctime = now(k);
  di.i_size += BOGO_DIRENT_SIZE;
  if (inode.isDir()) di.i_nlink++;
  return d;
}

/** What shmem counts per directory entry in the directory's size. */
const BOGO_DIRENT_SIZE = 20;

/** Frees an inode whose last link and last opener are gone. */
function shmem_evict_inode(k: Kernel, inode: Inode): void {
  if (inode.i_mapping) {
    const n = inode.i_mapping.nrpages;
    truncate_inode_pages(k, inode.i_mapping, 0);
    sbinfo(inode.i_sb).used_blocks -= n + shmem_free_swap(k, inode.i_mapping, 0);
  }
  const info = sbinfo(inode.i_sb);
  if (info.max_inodes) info.free_inodes++;
  inode_free_kmem(k, inode);
}

export const shmem_dir_iops: InodeOperations = {
  create(k, dir, name, mode) {
    const inode = shmem_get_inode(k, dir.d_sb, (mode & 0o7777) | S_IFREG);
    if (typeof inode === "number") return inode;
    add_child(k, dir, name, inode);
    return inode;
  },
  mkdir(k, dir, name, mode) {
    const inode = shmem_get_inode(k, dir.d_sb, (mode & 0o7777) | S_IFDIR);
    if (typeof inode === "number") return inode;
    add_child(k, dir, name, inode);
    return inode;
  },
  mknod(k, dir, name, mode, rdev) {
    const inode = shmem_get_inode(k, dir.d_sb, mode, rdev);
    if (typeof inode === "number") return inode;
    add_child(k, dir, name, inode);
    return inode;
  },
  symlink(k, dir, name, target) {
    const inode = shmem_get_inode(k, dir.d_sb, 0o777 | S_IFLNK);
    if (typeof inode === "number") return inode;
    inode.i_link = target;
    inode.i_size = target.length;
    add_child(k, dir, name, inode);
    return inode;
  },
  link(k, old, dir, name) {
    const inode = old.d_inode!;
    if (inode.isDir()) return -EPERM;
    inode.i_nlink++;
    inode.i_ctime = now(k);
    add_child(k, dir, name, inode);
    return 0;
  },
  unlink(k, dir, d) {
    const inode = d.d_inode!;
    dir.d_subdirs.delete(d.d_name);
    d_free(k, d);
    dir.d_inode!.i_mtime = dir.d_inode!.i_ctime = now(k);
    dir.d_inode!.i_size -= BOGO_DIRENT_SIZE;
    inode.i_nlink--;
    inode.i_ctime = now(k);
    if (inode.i_nlink === 0 && inode.i_opencount === 0) shmem_evict_inode(k, inode);
    return 0;
  },
  rmdir(k, dir, d) {
    if (d.d_subdirs.size) return -ENOTEMPTY;
    dir.d_subdirs.delete(d.d_name);
    d_free(k, d);
    dir.d_inode!.i_nlink--;
    dir.d_inode!.i_size -= BOGO_DIRENT_SIZE;
    const inode = d.d_inode!;
    inode.i_nlink = 0;
    if (inode.i_opencount === 0) shmem_evict_inode(k, inode);
    return 0;
  },
  rename(k, olddir, old, newdir, name) {
    const target = newdir.d_subdirs.get(name);
    const inode = old.d_inode!;
    if (target?.d_inode) {
      if (target === old) return 0;
      if (target.d_inode.isDir()) {
        if (!inode.isDir()) return -EISDIR;
        if (target.d_subdirs.size) return -ENOTEMPTY;
        shmem_dir_iops.rmdir!(k, newdir, target);
      } else {
        if (inode.isDir()) return -ENOTDIR;
        shmem_dir_iops.unlink!(k, newdir, target);
      }
    }
    olddir.d_subdirs.delete(old.d_name);
    olddir.d_inode!.i_size -= BOGO_DIRENT_SIZE;
    newdir.d_inode!.i_size += BOGO_DIRENT_SIZE;
    if (inode.isDir()) {
      olddir.d_inode!.i_nlink--;
      newdir.d_inode!.i_nlink++;
    }
    old.d_name = name;
    old.d_parent = newdir;
    newdir.d_subdirs.set(name, old);
    olddir.d_inode!.i_mtime = newdir.d_inode!.i_mtime = now(k);
    return 0;
  },
  setsize(k, inode, size) {
    if (size > MAX_LFS_FILESIZE) return -EFBIG;
    if (inode.i_mapping && size < inode.i_size) {
      const before = inode.i_mapping.nrpages;
      truncate_inode_pages(k, inode.i_mapping, size);
      const swapped = shmem_free_swap(k, inode.i_mapping, Math.ceil(size / PAGE_SIZE));
      sbinfo(inode.i_sb).used_blocks -= before - inode.i_mapping.nrpages + swapped;
    }
    inode.i_size = size;
    inode.i_mtime = inode.i_ctime = now(k);
    return 0;
  },
};

/** Reads from a page-cache-backed inode: holes read as zeroes. */
export function generic_file_read(k: Kernel, f: File, count: number): Uint8Array {
  const inode = f.f_inode;
  const end = Math.min(inode.i_size, f.f_pos + count);
  if (f.f_pos >= end) return new Uint8Array(0);
  const out = new Uint8Array(end - f.f_pos);
  let pos = f.f_pos;
  while (pos < end) {
    const index = Math.floor(pos / PAGE_SIZE);
    const off = pos % PAGE_SIZE;
    const len = Math.min(PAGE_SIZE - off, end - pos);
    const m = inode.i_mapping;
    let pfn = m ? find_get_page(m, index) : -1;
    if (pfn < 0 && m?.shmem) pfn = shmem_swapin(k, m, index, null);
    if (pfn >= 0) {
      // shmem_file_read_iter: a read from the start of a page marks it accessed.
      if (off === 0) mark_page_accessed(k, pfn);
      out.set(page_read(k, pfn, off, len), pos - f.f_pos);
    }
    pos += len;
  }
  f.f_pos = end;
  inode.i_atime = now(k);
  return out;
}

/** Writes into a tmpfs file, allocating pages as needed (shmem_write_begin). */
export function shmem_write(k: Kernel, f: File, data: Uint8Array): number {
  const inode = f.f_inode;
  const m = inode.i_mapping!;
  const info = sbinfo(inode.i_sb);
  if (f.f_flags & 0o2000) f.f_pos = inode.i_size; // O_APPEND
  let pos = f.f_pos;
  let done = 0;
  while (done < data.length) {
    const index = Math.floor(pos / PAGE_SIZE);
    const off = pos % PAGE_SIZE;
    const len = Math.min(PAGE_SIZE - off, data.length - done);
    let pfn = find_get_page(m, index);
    // shmem_get_folio(SGP_WRITE): a page already in the cache is marked accessed (the second
    // write to it while inactive activates it); one read back from swap is not.
    if (pfn >= 0) mark_page_accessed(k, pfn);
    else pfn = shmem_swapin(k, m, index, null);
    if (pfn === -1) {
      if (!done) return -ENOMEM;
      break;
    }
    if (pfn < 0) {
      if (info.max_blocks && info.used_blocks >= info.max_blocks) break;
      pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
      if (pfn < 0) {
        if (!done) return -ENOMEM;
        break;
      }
      // A new page starts as zeroes (shmem clears it before use).
      k.mem.setTag(pfn, 0);
      page_drop_bytes(k, pfn);
      add_to_page_cache_lru(k, pfn, m, index);
      // A page made for a write starts referenced (__folio_set_referenced).
      k.mem.flags[pfn] |= PG_referenced;
      info.used_blocks++;
      charge(k, 1000); // clear_highpage + page cache insertion
    }
    page_write(k, pfn, off, data.subarray(done, done + len));
    // shmem's dirty_folio only sets the flag: tmpfs pages are never written back (or counted in Dirty).
    k.mem.flags[pfn] |= PG_dirty;
    done += len;
    pos += len;
  }
  if (done === 0 && data.length > 0) return -ENOSPC;
  f.f_pos = pos;
  if (pos > inode.i_size) inode.i_size = pos;
  inode.i_mtime = inode.i_ctime = now(k);
  return done;
}

export function generic_file_llseek(f: File, offset: number, whence: number): number {
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = f.f_pos;
  else if (whence === SEEK_END) base = f.f_inode.i_size;
  else return -EINVAL;
  const pos = base + offset;
  if (pos < 0) return -EINVAL;
  f.f_pos = pos;
  return pos;
}

export const shmem_file_fops: FileOperations = {
  read: (k, f, count) => generic_file_read(k, f, count),
  write: (k, f, data) => shmem_write(k, f, data),
  fallocate: (k, f, mode, offset, len, t) => shmem_fallocate(k, f, mode, offset, len, t),
  llseek: (_k, f, offset, whence) => generic_file_llseek(f, offset, whence),
  fsync: () => 0,
};

/**
 * Lists a dcache-backed directory: ".", "..", then the children newest
 * first - 6.1's d_alloc puts a new dentry at the head of d_subdirs, which
 * dcache_readdir walks in order (so `du -a`, `ls -U`-like walks on tmpfs
 * meet the last created file first).
 */
export function dcache_readdir(dir: Dentry): Dirent[] {
  const out: Dirent[] = [
    { d_ino: dir.d_inode!.i_ino, d_type: DT_DIR, d_name: "." },
    { d_ino: dir.d_parent.d_inode?.i_ino ?? dir.d_inode!.i_ino, d_type: DT_DIR, d_name: ".." },
  ];
  const children = [...dir.d_subdirs.values()];
  for (let i = children.length - 1; i >= 0; i--) {
    const d = children[i];
    if (d.d_inode) out.push({ d_ino: d.d_inode.i_ino, d_type: dt_type(d.d_inode.i_mode), d_name: d.d_name });
  }
  return out;
}

export const shmem_dir_fops: FileOperations = {
  iterate: (_k, f) => dcache_readdir(f.f_path.dentry),
  llseek: (_k, f, offset, whence) => generic_file_llseek(f, offset, whence),
};

function shmem_statfs(_k: Kernel, sb: SuperBlock): Statfs {
  const info = sbinfo(sb);
  const blocks = info.max_blocks;
  return {
    f_type: TMPFS_MAGIC,
    f_bsize: PAGE_SIZE,
    f_blocks: blocks,
    f_bfree: blocks ? blocks - info.used_blocks : 0,
    f_bavail: blocks ? blocks - info.used_blocks : 0,
    f_files: info.max_inodes,
    f_ffree: info.max_inodes ? info.free_inodes : 0,
    f_namelen: 255,
  };
}

/** Default limits: half of RAM, and an inode per page of lowmem half. */
export function shmem_default_info(k: Kernel): ShmemSbInfo {
  let totalhigh = 0;
  for (const z of k.zones) if (z.zone_idx === k.zt.ZONE_HIGHMEM) totalhigh += z.managed_pages;
  const max_blocks = Math.floor(k.totalram_pages / 2);
  const max_inodes = Math.min(k.totalram_pages - totalhigh, Math.floor(k.totalram_pages / 2));
  return { max_blocks, used_blocks: 0, max_inodes, free_inodes: max_inodes, mode: 0o1777, show_size: true };
}

/** Parses tmpfs mount options (size=, nr_inodes=, mode=); -EINVAL on a bad one. */
export function shmem_parse_options(k: Kernel, info: ShmemSbInfo, data: string): number {
  for (const opt of data.split(",").filter(Boolean)) {
    const [key, val = ""] = opt.split("=");
    if (key === "size") {
      const m = /^(\d+)([kKmMgG%]?)$/.exec(val);
      if (!m) return -EINVAL;
      const n = Number(m[1]);
      const pages =
        m[2] === "%"
          ? Math.floor((k.totalram_pages * n) / 100)
          : Math.ceil(
              (n *
                ({ "": 1, k: 1024, m: 1 << 20, g: 1 << 30 } as Record<string, number>)[m[2].toLowerCase()]) /
                PAGE_SIZE,
            );
      info.max_blocks = pages;
    } else if (key === "nr_inodes") {
      if (!/^\d+$/.test(val)) return -EINVAL;
      info.max_inodes = info.free_inodes = Number(val);
    } else if (key === "mode") {
      if (!/^[0-7]+$/.test(val)) return -EINVAL;
      info.mode = Number.parseInt(val, 8);
    } else if (!["rw", "ro", "relatime", "noatime", "nosuid", "nodev", "noexec", "strictatime"].includes(key))
      return -EINVAL;
  }
  return 0;
}

/** A new tmpfs superblock with its root directory. */
export function shmem_fill_super(k: Kernel, type: string, info: ShmemSbInfo): SuperBlock {
  const sb = new SuperBlock(k.vfs.new_dev(), type, TMPFS_MAGIC, {
    statfs: shmem_statfs,
    evict_inode: shmem_evict_inode,
    show_options: (_k, s) => {
      const i = sbinfo(s);
      let o = "";
      if (i.show_size) o += `,size=${i.max_blocks * 4}k,nr_inodes=${i.max_inodes}`;
      if (i.mode !== 0o1777) o += `,mode=${i.mode.toString(8)}`;
      if (_k.profile.arch !== "arm") o += ",inode64"; // TMPFS_INODE64 (64-bit ino_t): full_inums
      return o;
    },
  });
  sb.s_fs_info = info;
  sb.s_maxbytes = MAX_LFS_FILESIZE;
  info.free_inodes = info.max_inodes;
  const root = shmem_get_inode(k, sb, S_IFDIR | info.mode) as Inode;
  sb.s_root = d_alloc(k, "/", null, root, sb);
  return sb;
}

/**
 * shmem_getpage for a fault on a page not in the page cache: a swapped-out
 * page read back (vmf.major: the fault waited for the device), or for a
 * hole a new zeroed page of the file, charged to the filesystem's size
 * limit (not a major fault: nothing is read). -1 when memory is short, -2
 * when the tmpfs is full (the fault becomes SIGBUS).
 */
export function shmem_getpage(k: Kernel, inode: Inode, index: number, vmf: ShmemFault): number {
  const swapped = shmem_swapin(k, inode.i_mapping!, index, vmf);
  if (swapped !== -2) return swapped;
  const info = sbinfo(inode.i_sb);
  if (info.max_blocks && info.used_blocks >= info.max_blocks) return -2;
  const pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
  if (pfn < 0) return -1;
  k.mem.setTag(pfn, 0);
  page_drop_bytes(k, pfn);
  add_to_page_cache_lru(k, pfn, inode.i_mapping!, index);
  info.used_blocks++;
  charge(k, 1000);
  return pfn;
}

/** shmem_init: the kernel's internal tmpfs mount (shm_mnt). */
export function shmem_init(k: Kernel): Mount {
  const sb = shmem_fill_super(k, "tmpfs", { ...shmem_default_info(k), show_size: false });
  const mnt = new Mount(sb, sb.s_root!, null, null, "shm", 0);
  k.vfs.shm_mnt = mnt;
  return mnt;
}

/**
 * shmem_zero_setup: shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS)
 * is an unlinked file on the kernel's internal tmpfs, so that every process
 * sharing it finds the same pages in one page cache. /proc/PID/maps shows it
 * as "/dev/zero (deleted)", the name Linux gives it.
 */
export function shmem_zero_setup(k: Kernel, size: number): File {
  const mnt = k.vfs.shm_mnt ?? shmem_init(k);
  const sb = mnt.mnt_sb;
  const inode = shmem_get_inode(k, sb, S_IFREG | 0o777) as Inode;
  inode.i_nlink = 0;
  inode.i_size = size;
  const dentry = new Dentry("dev/zero", sb.s_root, inode, sb);
  const f = new File({ mnt, dentry }, inode, O_RDWR);
  inode.i_opencount++;
  return f;
}

/* ---- swap: shmem_writepage, shmem_swapin_folio, shmem_unuse ----
 *
 * Reclaim treats a tmpfs page like an anonymous one (it is swap-backed and
 * sits on the anon LRU), but writes it out through the file: once it is
 * unmapped, shmem_writepage gives it a swap slot, writes it there and moves
 * it from the file's page cache to the swap cache. The file keeps the swap
 * entry at the page's index (Linux stores it as a value entry in i_pages,
 * so the xarray node stays; here the inode's `swapped` map, counted as a
 * value in i_pages) and holds one reference to the slot
 * (swap_shmem_alloc). Reclaim then frees the page as any clean swap-cache
 * page, leaving its shadow in the slot.
 *
 * The next read, write or fault at that index finds the entry and brings
 * the page back (shmem_swapin_folio): from the swap cache if it is still
 * there, else read from the device, which makes a fault major. The page
 * returns to the page cache, dirty (its only copy is in memory again) and
 * the slot is freed. Truncation frees the slots of the pages it cuts;
 * swapoff brings every tmpfs page of the area back first (shmem_unuse).
 *
 *   i_pages[index]:  pfn  --shmem_writepage-->  swap entry  --shmem_swapin-->  pfn
 */

/** The fault's outcome (vmf): whether it waited for a swap-in. */
export interface ShmemFault {
  major: boolean;
}

/** The swap entries of a tmpfs file's swapped-out pages, by index (shmem_inode_info.swapped). */
const swapped_pages = new WeakMap<AddressSpace, Map<number, SwpEntry>>();
/** shmem_swaplist: the files that have pages in swap. */
const swaplists = new WeakMap<Kernel, Set<AddressSpace>>();

function swaplist(k: Kernel): Set<AddressSpace> {
  let s = swaplists.get(k);
  if (!s) {
    s = new Set();
    swaplists.set(k, s);
  }
  return s;
}

/** The indices of a tmpfs file that hold swap entries (value entries of its i_pages). */
export function shmem_swap_indices(m: AddressSpace): Iterable<number> {
  return swapped_pages.get(m)?.keys() ?? [];
}

/** How many of a tmpfs file's pages are in swap (info->swapped). */
export function shmem_swapped(m: AddressSpace): number {
  return swapped_pages.get(m)?.size ?? 0;
}

/**
 * shmem_writepage: reclaim writes unmapped tmpfs page pfn to swap; true when
 * it is now a clean swap-cache page, false when it must stay (no free slot,
 * or the device refused it: the caller activates it, AOP_WRITEPAGE_ACTIVATE).
 */
export function shmem_writepage(k: Kernel, pfn: number): boolean {
  const mem = k.mem;
  const m = k.mappings[mem.getMapping(pfn)];
  const index = mem.getIndex(pfn);
  if (!m?.shmem || m.pages.get(index) !== pfn) return false;
  const e = get_swap_page(k);
  if (e === null) return false;
  const bytes = k.pagedata.get(pfn) ?? null;
  if (swap_write(k, e, pfn, bytes ? bytes.slice() : null) < 0) {
    swapcache_free(k, e);
    return false;
  }
  k.vm_events[PSWPOUT]++;
  // shmem_delete_from_page_cache: the index now holds the swap entry.
  m.pages.delete(index);
  xa_account(k, m.i_pages, index, 0, 1, 0);
  const pgdat = k.nodes[page_zone(k, pfn).node];
  pgdat.vm_stat[NR_FILE_PAGES]--;
  pgdat.vm_stat[NR_SHMEM]--;
  mem.setMapping(pfn, 0, 0);
  let entries = swapped_pages.get(m);
  if (!entries) {
    entries = new Map();
    swapped_pages.set(m, entries);
  }
  entries.set(index, e);
  swaplist(k).add(m);
  swap_duplicate(k, e); // swap_shmem_alloc: the file's reference to the slot
  // The page cache's reference becomes the swap cache's.
  add_to_swap_cache(k, pfn, e);
  put_page(k, pfn);
  mem.flags[pfn] &= ~PG_dirty;
  return true;
}

/**
 * shmem_swapin_folio: page `index` of tmpfs file m back from swap into the
 * page cache. Its pfn; -1 without memory; -2 when the index holds no swap
 * entry (a hole). A fault (vmf) that had to read the device is major.
 */
export function shmem_swapin(k: Kernel, m: AddressSpace, index: number, vmf: ShmemFault | null): number {
  const entries = swapped_pages.get(m);
  const e = entries?.get(index);
  if (e === undefined) return -2;
  let pfn = lookup_swap_cache(k, e);
  if (pfn < 0) {
    pfn = swap_cache_read(k, e);
    if (pfn < 0) return -1;
    if (vmf) vmf.major = true;
  } else swap_cache_hit(k, pfn);
  // shmem_swapin_folio waits for a write still in flight, then takes the page out of the swap cache.
  folio_wait_writeback(k, pfn);
  // shmem_add_to_page_cache in the entry's place, then out of the swap cache.
  const mem = k.mem;
  get_page(k, pfn);
  delete_from_swap_cache(k, pfn);
  mem.flags[pfn] = (mem.flags[pfn] & ~PG_anon) | PG_swapbacked | PG_uptodate | PG_dirty;
  mem.setMapping(pfn, m.id, index);
  m.pages.set(index, pfn);
  xa_account(k, m.i_pages, index, 0, -1, 0);
  const pgdat = k.nodes[page_zone(k, pfn).node];
  pgdat.vm_stat[NR_FILE_PAGES]++;
  pgdat.vm_stat[NR_SHMEM]++;
  entries!.delete(index);
  if (!entries!.size) swaplist(k).delete(m);
  swap_free(k, e);
  return pfn;
}

/**
 * The swap entries of m at indices first..last go (shmem_undo_range's
 * free_swap_and_cache): each slot is freed, with a swap-cache copy nobody
 * uses. Returns how many there were.
 */
export function shmem_free_swap(
  k: Kernel,
  m: AddressSpace,
  first: number,
  last = Number.MAX_SAFE_INTEGER,
): number {
  const entries = swapped_pages.get(m);
  if (!entries) return 0;
  let n = 0;
  for (const [index, e] of [...entries]) {
    if (index < first || index > last) continue;
    entries.delete(index);
    xa_account(k, m.i_pages, index, -1, -1, 0);
    swap_free(k, e);
    const pfn = lookup_swap_cache(k, e);
    if (pfn >= 0 && k.mem.page_mapcount(pfn) === 0) try_to_free_swap(k, pfn);
    n++;
  }
  if (!entries.size) swaplist(k).delete(m);
  return n;
}

/** shmem_unuse: every tmpfs page in swap area `type` back in memory (swapoff); false when memory ran out. */
export function shmem_unuse(k: Kernel, type: number): boolean {
  for (const m of [...swaplist(k)])
    for (const [index, e] of [...(swapped_pages.get(m) ?? [])])
      if (swp_type(e) === type && shmem_swapin(k, m, index, null) === -1) return false;
  return true;
}

/**
 * A clean tmpfs page (never written: a hole read through a mapping) holds
 * only zeroes: reclaim may simply drop it from the file (__remove_mapping),
 * and a later access gets a new zeroed page. True when it was dropped.
 */
export function shmem_drop_clean(k: Kernel, pfn: number, free = true): boolean {
  const mem = k.mem;
  const m = k.mappings[mem.getMapping(pfn)];
  const index = mem.getIndex(pfn);
  if (!m?.shmem || m.pages.get(index) !== pfn || mem.flags[pfn] & PG_dirty) return false;
  if (mem.page_ref_count(pfn) !== 1 || mem.page_mapcount(pfn) !== 0) return false;
  delete_from_page_cache(k, m, index, undefined, free);
  sbinfo(m.host.i_sb).used_blocks--;
  return true;
}
