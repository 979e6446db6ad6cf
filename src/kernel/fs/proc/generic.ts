/*
 * generic.ts - procfs: a tree of entries whose contents are computed when
 * read (Linux fs/proc/generic.c, inode.c, root.c, seq_file.c).
 *
 * An entry is a show() function (a seq_file: the text is produced at open,
 * then read in pieces), an optional write() handler, a directory of child
 * entries (fixed or computed per lookup, like the /proc/PID directories),
 * or a symlink computed at read time (/proc/self). Looked-up names stay in
 * the dcache, as Linux keeps them, and are revalidated on every lookup
 * (an entry that went away, like the directory of an exited process, is
 * dropped), so /proc always shows the present.
 */

import type { Kernel } from "../../kernel.js";
import { generic_file_llseek } from "../../mm/shmem.js";
import type { Task } from "../../sched/task.js";
import { O_ACCMODE, O_RDONLY, O_WRONLY, S_IFDIR, S_IFLNK, S_IFREG } from "../../uapi/abi.js";
import { EACCES, EINVAL, EIO, ENOENT } from "../../uapi/errno.js";
import type { Dirent } from "../../uapi/syscalls.js";
import { DT_DIR, DT_LNK, DT_REG, POLLIN, POLLOUT } from "../../uapi/syscalls.js";
import { d_alloc, inode_alloc_kmem, register_super_shrinker, shrink_dcache_for_umount } from "../dcache.js";
import { type FileOperations, Inode, type InodeOperations, SuperBlock } from "../fs.js";
import { SB_NOCACHE } from "../namei.js";

export const PROC_SUPER_MAGIC = 0x9fa0;

export interface ProcEntry {
  name: string;
  /** File type and permissions (S_IFREG | 0444 by default). */
  mode?: number;
  show?: (k: Kernel, t: Task) => string;
  /** A binary file read at its offset (proc_read): the bytes from pos, or -errno. */
  read_at?: (k: Kernel, t: Task, pos: number, count: number) => Uint8Array | number;
  /** Handles a write of the whole text; returns -errno or the bytes taken. */
  write?: (k: Kernel, t: Task, text: string) => number;
  /** Directory contents (computed when a function). */
  children?: ProcEntry[] | ((k: Kernel, t: Task) => ProcEntry[]);
  /**
   * One child by name, for a directory whose whole list is costly to make (/proc itself: a
   * lookup of "self" or of one pid, as proc_root_lookup does, builds no other pid's directory).
   */
  child?: (k: Kernel, t: Task, name: string) => ProcEntry | undefined;
  /** Symlink target, computed at read time. */
  link?: (k: Kernel, t: Task) => string | null;
  /** sysctl files check their mode even for root (proc_sys_permission). */
  sysctl?: boolean;
  /** A fixed inode number (pid directories use pid-based ones). */
  ino?: number;
  /** i_size (0 for most: /proc/PID/fd's links say 64). */
  size?: number;
  /** A directory's link count, when not 2 + its subdirectories (proc_register's nlink). */
  nlink?: number;
  /**
   * struct proc_ops of a file that is no seq_file (/proc/kmsg): its own open,
   * read (which may sleep), poll and release, called in place of the above.
   */
  proc_ops?: Pick<FileOperations, "open" | "read" | "poll" | "release">;
}

function entry_mode(e: ProcEntry): number {
  if (e.mode !== undefined) return e.mode;
  if (e.children) return S_IFDIR | 0o555;
  if (e.link) return S_IFLNK | 0o777;
  return S_IFREG | (e.write ? 0o644 : 0o444);
}

export function entry_children(k: Kernel, t: Task, e: ProcEntry): ProcEntry[] {
  if (!e.children) return [];
  return typeof e.children === "function" ? e.children(k, t) : e.children;
}

/** proc_alloc_inum: numbers from PROC_DYNAMIC_FIRST, per machine (entries may be shared between machines). */
const proc_inums = new WeakMap<Kernel, { next: number; inos: WeakMap<ProcEntry, number> }>();

function proc_ino(k: Kernel, e: ProcEntry): number {
  if (e.ino) return e.ino;
  let s = proc_inums.get(k);
  if (!s) {
    s = { next: 4026531840, inos: new WeakMap() }; // PROC_DYNAMIC_FIRST
    proc_inums.set(k, s);
  }
  let i = s.inos.get(e);
  if (i === undefined) {
    i = s.next++;
    s.inos.set(e, i);
  }
  return i;
}

/** proc_get_inode: a fresh inode for an entry. */
export function proc_get_inode(k: Kernel, sb: SuperBlock, e: ProcEntry): Inode {
  const mode = entry_mode(e);
  const inode = new Inode(
    sb,
    mode,
    proc_iops,
    e.children ? proc_dir_fops : proc_reg_fops,
    Math.floor(k.clock.realtime),
  );
  inode.i_ino = proc_ino(k, e);
  inode.i_private = e;
  if (e.size) inode.i_size = e.size;
  if (e.children) inode.i_nlink = proc_nlink(k, e);
  return inode_alloc_kmem(k, inode);
}

/**
 * A directory's links: its own, its parent's entry, and each subdirectory's
 * ".." (proc_register counts them as they are made; /proc itself adds the
 * processes, proc_root_getattr).
 */
function proc_nlink(k: Kernel, e: ProcEntry): number {
  if (e.nlink !== undefined) return e.nlink;
  const t = k.sched.current;
  if (!t && typeof e.children === "function") return 2;
  let n = 2;
  for (const c of entry_children(k, t!, e)) if (c.children) n++;
  return n;
}

/** The child of e called name, if there is one. */
function find_child(k: Kernel, t: Task, e: ProcEntry, name: string): ProcEntry | undefined {
  if (e.child) return e.child(k, t, name);
  return entry_children(k, t, e).find((c) => c.name === name);
}

const proc_iops: InodeOperations = {
  lookup(k, dir, name) {
    const e = dir.d_inode!.i_private as ProcEntry;
    const t = k.sched.current!;
    const child = find_child(k, t, e, name);
    return child ? proc_get_inode(k, dir.d_sb, child) : null;
  },
  readdir(k, dir, t) {
    const e = dir.d_inode!.i_private as ProcEntry;
    const out: Dirent[] = [
      { d_ino: proc_ino(k, e), d_type: DT_DIR, d_name: "." },
      {
        d_ino: dir.d_parent.d_inode ? dir.d_parent.d_inode.i_ino : proc_ino(k, e),
        d_type: DT_DIR,
        d_name: "..",
      },
    ];
    for (const c of entry_children(k, t, e)) {
      const type = c.children ? DT_DIR : c.link ? DT_LNK : DT_REG;
      out.push({ d_ino: proc_ino(k, c), d_type: type, d_name: c.name });
    }
    return out;
  },
  /** A link with nothing behind it (a kernel thread's exe) is ENOENT, as proc_exe_link. */
  get_link(k, inode, t) {
    const e = inode.i_private as ProcEntry;
    return e.link?.(k, t) ?? -ENOENT;
  },
  /** pid_revalidate / proc_misc_d_revalidate: the entry must still exist; its inode follows it. */
  d_revalidate(k, dir, d) {
    const e = dir.d_inode!.i_private as ProcEntry;
    const child = find_child(k, k.sched.current!, e, d.d_name);
    if (!child || !d.d_inode || entry_mode(child) !== d.d_inode.i_mode) return false;
    d.d_inode.i_private = child;
    if (child.children) d.d_inode.i_nlink = proc_nlink(k, child);
    if (!child.ino) proc_inums.get(k)?.inos.set(child, d.d_inode.i_ino); // readdir agrees with stat
    return true;
  },
};

const enc = new TextEncoder();
const dec = new TextDecoder();

interface SeqState {
  buf: Uint8Array | null;
}

const proc_reg_fops: FileOperations = {
  open(k, f, t) {
    const e = f.f_inode.i_private as ProcEntry;
    const acc = f.f_flags & O_ACCMODE;
    if (e.sysctl) {
      // proc_sys_permission: root gets the owner bits, nothing more.
      const m = (e.mode ?? 0o644) >> 6;
      if (acc !== O_WRONLY && !(m & 4)) return -EACCES;
      if (acc !== O_RDONLY && !(m & 2)) return -EACCES;
    }
    const st: SeqState = { buf: null };
    f.private_data = st;
    return e.proc_ops?.open ? e.proc_ops.open(k, f, t) : 0;
  },
  read(k, f, count, t) {
    const e = f.f_inode.i_private as ProcEntry;
    if (e.proc_ops?.read) return e.proc_ops.read(k, f, count, t);
    const st = f.private_data as SeqState;
    if (e.read_at) {
      const r = e.read_at(k, t, f.f_pos, count);
      if (typeof r === "number") return r;
      f.f_pos += r.length;
      return r;
    }
    if (!e.show) return -EINVAL;
    if (!st.buf) st.buf = enc.encode(e.show(k, t));
    const out = st.buf.slice(f.f_pos, f.f_pos + count);
    f.f_pos += out.length;
    return out;
  },
  write(k, f, data, t) {
    const e = f.f_inode.i_private as ProcEntry;
    if (!e.write) return -EIO;
    const r = e.write(k, t, dec.decode(data));
    return r < 0 ? r : data.length;
  },
  llseek: (_k, f, offset, whence) => generic_file_llseek(f, offset, whence),
  /** A seq_file is always readable (DEFAULT_POLLMASK); proc_ops may say otherwise. */
  poll(k, f, t) {
    const e = f.f_inode.i_private as ProcEntry;
    return e.proc_ops?.poll ? e.proc_ops.poll(k, f, t) : POLLIN | POLLOUT;
  },
  release(k, f) {
    const e = f.f_inode.i_private as ProcEntry;
    e.proc_ops?.release?.(k, f);
  },
};

const proc_dir_fops: FileOperations = {};

/** A procfs superblock whose root is the given entry. */
export function proc_fill_super(
  k: Kernel,
  root: ProcEntry,
  type = "proc",
  magic = PROC_SUPER_MAGIC,
): SuperBlock {
  const sb = new SuperBlock(k.vfs.new_dev(), type, magic, {
    statfs: () => ({
      f_type: magic,
      f_bsize: 4096,
      f_blocks: 0,
      f_bfree: 0,
      f_bavail: 0,
      f_files: 0,
      f_ffree: 0,
      f_namelen: 255,
    }),
  });
  sb.s_flags |= SB_NOCACHE;
  const inode = proc_get_inode(k, sb, root);
  sb.s_root = d_alloc(k, "/", null, inode, sb);
  // Looked-up entries stay in the dcache; the superblock's shrinker frees the unused ones.
  const shrinker = register_super_shrinker(k, sb);
  sb.s_op.kill_sb = (kk, s) => shrink_dcache_for_umount(kk, s, shrinker);
  return sb;
}

/* helpers for the entries */

export function file(
  name: string,
  show: (k: Kernel, t: Task) => string,
  extra: Partial<ProcEntry> = {},
): ProcEntry {
  return { name, show, ...extra };
}

export function dir(
  name: string,
  children: ProcEntry[] | ((k: Kernel, t: Task) => ProcEntry[]),
  extra: Partial<ProcEntry> = {},
): ProcEntry {
  return { name, children, ...extra };
}

export function symlink(name: string, link: (k: Kernel, t: Task) => string | null): ProcEntry {
  return { name, link };
}
