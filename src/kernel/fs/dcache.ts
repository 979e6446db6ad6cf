/*
 * dcache.ts - the memory side of dentries and inodes (Linux fs/dcache.c
 * d_alloc/__d_free/d_invalidate/prune_dcache_sb, fs/inode.c
 * alloc_inode/destroy_inode, fs/super.c super_cache_count/scan).
 *
 * Every Dentry and Inode the VFS creates owns a slab object: a dentry from
 * the dentry cache (and a kmalloc'd external name when the name does not
 * fit in d_iname), an inode from its filesystem's cache: shmem_inode_cache
 * for tmpfs, rootfs and devtmpfs, proc_inode_cache for procfs, inode_cache
 * for the rest (sysfs, debugfs, pipefs).
 *
 * Which dentries the dcache may drop. A tmpfs dentry is the file itself
 * (d_subdirs is the directory) and stays until unlinked. Procfs, sysfs and
 * debugfs dentries are a cache of lookups: they stay after use, pinned only
 * while something refers to them (a task's root or cwd, an open file, a
 * mount, a cached child). The superblock's shrinker frees the unpinned
 * ones, leaves first, with their inodes (procfs and kernfs inodes die with
 * their last dentry); drop_caches 2 empties them all.
 *
 * Simplified: there is no d_count: what pins a dentry is computed when the
 * shrinker runs, by walking the tasks, their files and the mounts. An
 * unlinked tmpfs file's dentry gives its slab object back at unlink, not
 * at its last close.
 */

import type { Kernel } from "../kernel.js";
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT } from "../mm/gfp.js";
import { kmem_cache_lookup } from "../mm/kmem_caches.js";
import { kobj_alloc, kobj_free, kobj_kmalloc } from "../mm/kobj.js";
import {
  DEFAULT_SEEKS,
  register_shrinker,
  type ShrinkControl,
  type Shrinker,
  unregister_shrinker,
} from "../mm/shrinker.js";
import { Dentry, type Inode, type SuperBlock } from "./fs.js";

/** DNAME_INLINE_LEN: names up to this length minus one live in the dentry itself. */
function dname_inline_len(k: Kernel): number {
  return k.profile.pointerBits === 64 ? 32 : 36;
}

/** d_alloc's memory: the dentry object, and an external name for a long one. */
export function d_alloc_kmem(k: Kernel, d: Dentry): void {
  if (!k.slab.up) return;
  kobj_alloc(k, kmem_cache_lookup(k, "dentry"), d, GFP_KERNEL);
  if (d.d_name.length > dname_inline_len(k) - 1) {
    // struct external_name: a refcount/rcu_head union, then the name and its NUL.
    const head = (2 * k.profile.pointerBits) / 8;
    kobj_kmalloc(k, head + d.d_name.length + 1, d, GFP_KERNEL_ACCOUNT);
  }
}

/** d_alloc: a new dentry named name in parent (null for a root), with its slab object. */
export function d_alloc(
  k: Kernel,
  name: string,
  parent: Dentry | null,
  inode: Inode | null,
  sb: SuperBlock,
): Dentry {
  const d = new Dentry(name, parent, inode, sb);
  d_alloc_kmem(k, d);
  return d;
}

/** __d_free: the dentry's slab objects go back. */
export function d_free(k: Kernel, d: Dentry): void {
  kobj_free(k, d);
}

/** The cache a filesystem's inodes come from (its super_operations' alloc_inode). */
function inode_cache_name(sb: SuperBlock): string {
  switch (sb.s_type) {
    case "tmpfs":
    case "rootfs":
    case "devtmpfs":
      return "shmem_inode_cache";
    case "proc":
      return "proc_inode_cache";
    default:
      return "inode_cache";
  }
}

/** alloc_inode's memory. */
export function inode_alloc_kmem(k: Kernel, inode: Inode): Inode {
  if (k.slab.up) kobj_alloc(k, kmem_cache_lookup(k, inode_cache_name(inode.i_sb)), inode, GFP_KERNEL);
  return inode;
}

/** destroy_inode's memory. */
export function inode_free_kmem(k: Kernel, inode: Inode): void {
  kobj_free(k, inode);
}

/** Frees a dentry and (for a lookup cache) its inode. */
function dentry_kill(k: Kernel, d: Dentry): void {
  d_free(k, d);
  if (d.d_inode) inode_free_kmem(k, d.d_inode);
}

/**
 * d_invalidate: a cached name no longer exists (a process exited, an entry
 * went away): drop it and everything cached below it.
 */
export function d_invalidate(k: Kernel, d: Dentry): void {
  for (const c of d.d_subdirs.values()) d_invalidate(k, c);
  d.d_subdirs.clear();
  if (d.d_parent !== d && d.d_parent.d_subdirs.get(d.d_name) === d) d.d_parent.d_subdirs.delete(d.d_name);
  dentry_kill(k, d);
}

/** The dentries something refers to (what d_count would say is in use). */
function pinned_dentries(k: Kernel): Set<Dentry> {
  const pinned = new Set<Dentry>();
  for (const t of k.sched.tasks.values()) {
    pinned.add(t.fs.root.dentry);
    pinned.add(t.fs.pwd.dentry);
    for (const f of t.files.fd) if (f) pinned.add(f.f_path.dentry);
    if (t.exe) pinned.add(t.exe.f_path.dentry);
  }
  for (const m of k.vfs.mounts) {
    pinned.add(m.mnt_root);
    pinned.add(m.mnt_mountpoint);
  }
  return pinned;
}

/** Cached dentries below root (root itself excluded). */
function count_cached(root: Dentry): number {
  nr_cached = 0;
  root.d_subdirs.forEach(count_dentry);
  return nr_cached;
}

/*
 * count_cached's walk: a module function handed to Map.forEach, not a closure
 * and an iterator per directory - the superblock shrinkers' count_objects
 * runs at every shrink_slab of reclaim (thousands per memhog).
 */
let nr_cached = 0;
function count_dentry(d: Dentry): void {
  nr_cached++;
  d.d_subdirs.forEach(count_dentry);
}

/**
 * prune_dcache_sb: free up to nr unpinned dentries of sb, leaves first (a
 * directory becomes a leaf once its cached children are gone). Returns the
 * objects freed: each dentry and its inode.
 */
export function prune_dcache_sb(k: Kernel, sb: SuperBlock, nr: number): number {
  if (!sb.s_root) return 0;
  const pinned = pinned_dentries(k);
  let freed = 0;
  const prune = (d: Dentry): boolean => {
    for (const c of [...d.d_subdirs.values()]) {
      if (freed >= nr) return false;
      if (prune(c)) {
        d.d_subdirs.delete(c.d_name);
        dentry_kill(k, c);
        freed++;
      }
    }
    return d.d_subdirs.size === 0 && !pinned.has(d) && d.d_mounted === null;
  };
  prune(sb.s_root);
  return freed * 2;
}

/**
 * The superblock shrinker of a lookup-cache filesystem (super_cache_count /
 * super_cache_scan): dentries and inodes, scaled by vfs_cache_pressure.
 */
export function register_super_shrinker(k: Kernel, sb: SuperBlock): Shrinker {
  const s = new SuperShrinker(sb);
  register_shrinker(k, s);
  return s;
}

/*
 * A class, not an object literal of closures: its methods are the same
 * functions for every superblock of every machine, so shrink_slab's calls
 * stay monomorphic when a process makes a second machine.
 */
class SuperShrinker implements Shrinker {
  name: string;
  seeks = DEFAULT_SEEKS;
  batch = 1024;
  nr_deferred = 0;
  constructor(readonly sb: SuperBlock) {
    this.name = `sb-${sb.s_type}`;
  }
  /** super_cache_count. */
  count_objects(k: Kernel): number {
    if (!this.sb.s_root) return 0;
    const n = count_cached(this.sb.s_root) * 2;
    return Math.floor((n * k.sysctl_vm.vfs_cache_pressure) / 100);
  }
  /** super_cache_scan. */
  scan_objects(k: Kernel, sc: ShrinkControl): number {
    return prune_dcache_sb(k, this.sb, Math.ceil(sc.nr_to_scan / 2));
  }
}

/** kill_sb of a lookup-cache filesystem: the whole cache goes (shrink_dcache_for_umount). */
export function shrink_dcache_for_umount(k: Kernel, sb: SuperBlock, s: Shrinker): void {
  unregister_shrinker(k, s);
  if (!sb.s_root) return;
  for (const c of [...sb.s_root.d_subdirs.values()]) d_invalidate(k, c);
  dentry_kill(k, sb.s_root);
}
