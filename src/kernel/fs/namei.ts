/*
 * namei.ts - from path names to dentries (Linux fs/namei.c, fs/d_path.c).
 *
 * link_path_walk resolves a name one component at a time from the task's
 * root or cwd: "." stays, ".." climbs (leaving a mount at its root for the
 * mountpoint), a cached child is used as is, an uncached one is asked of the
 * directory's filesystem (->lookup, which procfs answers from live tasks).
 * Stepping onto a mountpoint enters the mounted filesystem; symlinks are
 * followed (at most 40 of them) unless they are the last component of a
 * lookup that asks not to follow.
 */

import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { EEXIST, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from "../uapi/errno.js";
import { d_alloc, d_invalidate } from "./dcache.js";
import type { Dentry, Inode, Mount, Path } from "./fs.js";

const MAXSYMLINKS = 40;
const PATH_MAX = 4096;
const NAME_MAX = 255;

export interface WalkResult {
  path: Path;
}

/**
 * The child named `name` of dir, from the dcache or the filesystem; null
 * when absent. A cached child of a tree whose entries come and go (procfs,
 * sysfs) is revalidated first and dropped if it went away; a new lookup is
 * cached (fs/dcache.ts frees unused ones under memory pressure).
 */
export function lookup_one(k: Kernel, dir: Dentry, name: string): Dentry | null {
  const inode = dir.d_inode;
  const cached = dir.d_subdirs.get(name);
  if (cached) {
    const rv = inode?.i_op.d_revalidate;
    if (!rv || cached.d_mounted || rv(k, dir, cached)) return cached;
    d_invalidate(k, cached);
  }
  if (!inode?.i_op.lookup) return null;
  const child = inode.i_op.lookup(k, dir, name);
  if (!child) return null;
  const d = d_alloc(k, name, dir, child, dir.d_sb);
  dir.d_subdirs.set(name, d);
  return d;
}

/** Synthetic filesystems (procfs, sysfs): entries come from the kernel, nothing can be created in them. */
export const SB_NOCACHE = 1 << 30;

/** follow_mount: while something is mounted here, go to its root. */
function follow_mount(p: Path): Path {
  let { mnt, dentry } = p;
  while (dentry.d_mounted) {
    mnt = dentry.d_mounted;
    dentry = mnt.mnt_root;
  }
  return { mnt, dentry };
}

function follow_dotdot(_k: Kernel, t: Task, p: Path): Path {
  let { mnt, dentry } = p;
  const root = t.fs.root;
  for (;;) {
    if (dentry === root.dentry && mnt === root.mnt) return { mnt, dentry };
    if (dentry !== mnt.mnt_root) return follow_mount({ mnt, dentry: dentry.d_parent });
    if (mnt.mnt_parent === mnt) return { mnt, dentry };
    dentry = mnt.mnt_mountpoint;
    mnt = mnt.mnt_parent;
  }
}

function link_target(k: Kernel, t: Task, inode: Inode): string | number {
  if (inode.i_op.get_link) return inode.i_op.get_link(k, inode, t);
  return inode.i_link ?? "";
}

/**
 * path_walk: resolves `name` to a Path. With `parent`, stops before the last
 * component and returns it in `last` (for create, unlink, mkdir...).
 */
export function path_walk(
  k: Kernel,
  t: Task,
  name: string,
  opts: { follow?: boolean; parent?: boolean; start?: Path } = {},
): { path: Path; last: string } | number {
  if (name.length === 0) return -ENOENT;
  if (name.length >= PATH_MAX) return -ENAMETOOLONG;
  let links = 0;
  let p: Path = name.startsWith("/") ? t.fs.root : (opts.start ?? t.fs.pwd);
  p = follow_mount(p);
  let parts = name.split("/").filter((s) => s.length > 0);
  let trailingSlash = name.endsWith("/");
  let last = "";
  if (opts.parent) {
    last = parts.pop() ?? ".";
    if (last.length > NAME_MAX) return -ENAMETOOLONG;
  }
  while (parts.length) {
    const comp = parts.shift()!;
    if (comp.length > NAME_MAX) return -ENAMETOOLONG;
    const dir = p.dentry.d_inode;
    if (!dir?.isDir()) return -ENOTDIR;
    if (comp === ".") continue;
    if (comp === "..") {
      p = follow_dotdot(k, t, p);
      continue;
    }
    const child = lookup_one(k, p.dentry, comp);
    if (!child?.d_inode) return -ENOENT;
    const isLast = parts.length === 0;
    if (child.d_inode.isLnk() && (!isLast || opts.follow || trailingSlash || opts.parent)) {
      if (++links > MAXSYMLINKS) return -ELOOP;
      const target = link_target(k, t, child.d_inode);
      if (typeof target === "number") return target;
      const rest = target.split("/").filter((s) => s.length > 0);
      parts = rest.concat(parts);
      if (target.startsWith("/")) p = follow_mount(t.fs.root);
      if (isLast && target.endsWith("/")) trailingSlash = true;
      continue;
    }
    p = follow_mount({ mnt: p.mnt, dentry: child });
  }
  if (trailingSlash && !opts.parent && p.dentry.d_inode && !p.dentry.d_inode.isDir()) return -ENOTDIR;
  return { path: p, last };
}

/** The Path of an existing name (following a final symlink unless nofollow). */
export function kern_path(k: Kernel, t: Task, name: string, follow = true): Path | number {
  const r = path_walk(k, t, name, { follow });
  return typeof r === "number" ? r : r.path;
}

/** For create-like calls: the parent directory and the last name; -errno on failure. */
export function lookup_create(
  k: Kernel,
  t: Task,
  name: string,
  mustNotExist: boolean,
): { dir: Path; last: string; existing: Dentry | null } | number {
  const r = path_walk(k, t, name, { parent: true });
  if (typeof r === "number") return r;
  const dirInode = r.path.dentry.d_inode;
  if (!dirInode?.isDir()) return -ENOTDIR;
  if (r.last === "." || r.last === "..")
    return mustNotExist ? -EEXIST : { dir: r.path, last: r.last, existing: r.path.dentry };
  const existing = lookup_one(k, r.path.dentry, r.last);
  if (existing?.d_inode && mustNotExist) return -EEXIST;
  return { dir: r.path, last: r.last, existing: existing?.d_inode ? existing : null };
}

/** d_path: the absolute name of a Path as seen from the task's root. */
export function d_path(t: Task | null, p: Path, rootMnt: Mount): string {
  const names: string[] = [];
  let { mnt, dentry } = p;
  for (let guard = 0; guard < 4096; guard++) {
    if (t && dentry === t.fs.root.dentry && mnt === t.fs.root.mnt) break;
    if (dentry === mnt.mnt_root) {
      if (mnt.mnt_parent === mnt || mnt === rootMnt.mnt_parent) break;
      dentry = mnt.mnt_mountpoint;
      mnt = mnt.mnt_parent;
      continue;
    }
    names.push(dentry.d_name);
    dentry = dentry.d_parent;
  }
  return `/${names.reverse().join("/")}`;
}
