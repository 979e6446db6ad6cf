/*
 * initramfs.ts - unpacking the initial root filesystem (Linux
 * init/initramfs.c).
 *
 * The boot loader hands the kernel an image of rootfs/ (a cpio archive on a
 * real machine). populate_rootfs creates its directories, files, symlinks
 * and device nodes in the tmpfs mounted at "/"; every file's data becomes
 * shmem page-cache pages, which is why a fresh machine already shows some
 * Shmem and Cached. The image's memory is freed afterwards ("Freeing initrd
 * memory").
 *
 * An entry may give only the first bytes of a large file and its size; the
 * rest is generated page by page (content tags), so a 1.2 MiB BusyBox binary
 * does not need 1.2 MiB in the repository.
 */

import type { Kernel } from "../kernel.js";
import { find_get_page, page_drop_bytes } from "../mm/filemap.js";
import { PAGE_SIZE } from "../mm/page_alloc.js";
import { shmem_write } from "../mm/shmem.js";
import type { Task } from "../sched/task.js";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../uapi/abi.js";
import { File, type Inode } from "./fs.js";
import { lookup_create } from "./namei.js";

export interface InitramfsEntry {
  path: string; // absolute, e.g. "/bin/busybox"
  mode: number; // type and permissions
  mtime: number;
  data?: Uint8Array; // the bytes (or the first bytes when size is larger)
  size?: number; // full size, when the rest is generated
  pages?: Map<number, Uint8Array>; // generated pages that hold given bytes (by page index)
  target?: string; // symlink target
  rdev?: number;
}

/** Bytes of the image as a gzip-compressed newc cpio archive, for the memblock reservation. */
export function initramfs_size(entries: InitramfsEntry[]): number {
  let n = 0;
  const pad4 = (x: number): number => Math.ceil(x / 4) * 4;
  for (const e of entries) {
    const body = e.target !== undefined ? e.target.length : (e.size ?? e.data?.length ?? 0);
    n += pad4(110 + e.path.length) + pad4(body);
  }
  n += pad4(110 + 11);
  // gzip shrinks text about 3x and binaries about 2x
  return Math.ceil(n / 2.2);
}

/** FNV-1a of a path and page index: the content tag of generated file pages. */
export function synthetic_tag(path: string, index: number): number {
  let h = 0x811c9dc5;
  const s = `${path}#${index}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  h >>>= 0;
  return h === 0 || h >= 0xffffff00 ? 0x1234567 : h;
}

/** populate_rootfs: unpack the image into "/" as task t (init's context). */
export function populate_rootfs(k: Kernel, t: Task, entries: InitramfsEntry[]): void {
  // dir_utime: a directory's time is set once its entries are in (each new entry would
  // move it to now), in init/initramfs.c's deferred list.
  const dir_times: [Inode, number][] = [];
  for (const e of entries) {
    if (e.path === "/" || e.path === "") continue;
    const type = e.mode & S_IFMT;
    const r = lookup_create(k, t, e.path, false);
    if (typeof r === "number") continue;
    const dir = r.dir.dentry;
    const iop = dir.d_inode!.i_op;
    if (r.existing) continue;
    if (type === S_IFDIR) {
      const inode = iop.mkdir!(k, dir, r.last, e.mode & 0o7777);
      if (typeof inode !== "number") dir_times.push([inode, e.mtime]);
    } else if (type === S_IFLNK) {
      // do_symlink sets the link's time from the image (do_utime on the path, nofollow).
      const inode = iop.symlink!(k, dir, r.last, e.target ?? "");
      if (typeof inode !== "number") inode.i_mtime = inode.i_ctime = e.mtime;
    } else if (type === S_IFREG) {
      const inode = iop.create!(k, dir, r.last, e.mode & 0o7777);
      if (typeof inode === "number") continue;
      const f = new File({ mnt: r.dir.mnt, dentry: dir.d_subdirs.get(r.last)! }, inode, 1);
      const data = e.data ?? new Uint8Array(0);
      if (data.length) shmem_write(k, f, data);
      const size = e.size ?? data.length;
      if (size > data.length) {
        // Generated pages: allocate each by writing its first byte, then give it its tag.
        for (let pos = Math.ceil(data.length / PAGE_SIZE) * PAGE_SIZE; pos < size; pos += PAGE_SIZE) {
          f.f_pos = pos;
          const given = e.pages?.get(pos / PAGE_SIZE);
          if (given) {
            shmem_write(k, f, given.subarray(0, Math.min(PAGE_SIZE, size - pos)));
            continue;
          }
          shmem_write(k, f, new Uint8Array([0]));
          const pfn = find_get_page(inode.i_mapping!, pos / PAGE_SIZE);
          page_drop_bytes(k, pfn);
          k.mem.setTag(pfn, synthetic_tag(e.path, pos / PAGE_SIZE));
        }
        inode.i_size = size;
      }
      inode.i_mtime = inode.i_ctime = e.mtime;
    } else iop.mknod!(k, dir, r.last, e.mode, e.rdev ?? 0);
  }
  for (const [inode, mtime] of dir_times) inode.i_mtime = inode.i_ctime = mtime;
}
