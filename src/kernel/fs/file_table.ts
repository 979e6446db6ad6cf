/*
 * file_table.ts - file descriptors and open-file lifetimes (Linux
 * fs/file.c, fs/file_table.c, fs/fs_struct.c).
 *
 * A task's FilesStruct maps descriptors to File objects; fork copies the
 * table and shares the Files (f_count), dup makes two descriptors share
 * one File (and its position). The last fput releases the file: the
 * driver's release() runs and an unlinked inode's pages are freed.
 */

import type { Kernel } from "../kernel.js";
import { GFP_KERNEL } from "../mm/gfp.js";
import { kmem_cache_lookup } from "../mm/kmem_caches.js";
import { kobj_alloc, kobj_free } from "../mm/kobj.js";
import type { Task } from "../sched/task.js";
import { EBADF, EMFILE } from "../uapi/errno.js";
import { type File, FilesStruct, type FsStruct } from "./fs.js";

export const NR_OPEN_DEFAULT = 1024; // RLIMIT_NOFILE soft limit

export function fget(t: Task, fd: number): File | null {
  if (fd < 0 || fd >= t.files.fd.length) return null;
  return t.files.fd[fd];
}

/** get_unused_fd + fd_install: the lowest free descriptor >= min. */
export function fd_install(t: Task, file: File, min = 0, cloexec = false): number {
  const tab = t.files.fd;
  let fd = min;
  while (fd < tab.length && tab[fd]) fd++;
  if (fd >= NR_OPEN_DEFAULT) return -EMFILE;
  while (tab.length <= fd) tab.push(null);
  tab[fd] = file;
  if (cloexec) t.files.cloexec.add(fd);
  else t.files.cloexec.delete(fd);
  return fd;
}

/** alloc_empty_file's memory: the struct file object (filp), freed with the last fput. */
export function filp_kmem(k: Kernel, f: File): void {
  if (k.slab.up) kobj_alloc(k, kmem_cache_lookup(k, "filp"), f, GFP_KERNEL);
}

/** fput: drop a reference; the last one releases the file. */
export function fput(k: Kernel, f: File): void {
  if (--f.f_count > 0) return;
  kobj_free(k, f);
  f.f_op.release?.(k, f);
  const inode = f.f_inode;
  inode.i_opencount--;
  if (inode.i_nlink === 0 && inode.i_opencount === 0) inode.i_sb.s_op.evict_inode?.(k, inode);
}

/** close(2) on one descriptor. */
export function close_fd(k: Kernel, t: Task, fd: number): number {
  const f = fget(t, fd);
  if (!f) return -EBADF;
  t.files.fd[fd] = null;
  t.files.cloexec.delete(fd);
  fput(k, f);
  return 0;
}

/** dup_fd: fork's copy of the table; every File gains a reference. */
export function dup_fd(k: Kernel, old: FilesStruct): FilesStruct {
  void k;
  const n = new FilesStruct();
  n.fd = old.fd.slice();
  for (const f of n.fd) if (f) f.f_count++;
  n.cloexec = new Set(old.cloexec);
  return n;
}

/** exit_files: close everything the task holds. */
export function exit_files(k: Kernel, t: Task): void {
  const tab = t.files.fd;
  t.files.fd = [];
  t.files.cloexec.clear();
  for (const f of tab) if (f) fput(k, f);
}

/** do_close_on_exec: exec drops the O_CLOEXEC descriptors. */
export function do_close_on_exec(k: Kernel, t: Task): void {
  for (const fd of [...t.files.cloexec]) close_fd(k, t, fd);
}

export function copy_fs(fs: FsStruct): FsStruct {
  return { root: { ...fs.root }, pwd: { ...fs.pwd }, umask: fs.umask };
}
