/*
 * rootfs.ts - turning the repository's rootfs/ directory into the initramfs
 * image the simulated boot loader hands the kernel. This is the one place
 * that reads host files, once, before boot; the machine never sees the host.
 *
 *  - files, directories and symlinks are taken as they are (".keep" files
 *    that let git hold empty directories are skipped);
 *  - a file whose second line is "mmbox-size N" is N bytes long in the
 *    machine: its first bytes are the file, the rest generated pages;
 *  - every applet of the BusyBox binary gets its link, as
 *    "busybox --install -s" would make when the image is built;
 *  - times are fixed, so that every boot is byte-identical.
 */

import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BLOCK_SIZE, TEXT_OFFSET, x86_libc_block } from "../kernel/arch/libc_text.js";
import { parse_phdrs } from "../kernel/fs/binfmt_elf.js";
import { type InitramfsEntry, synthetic_tag } from "../kernel/fs/initramfs.js";
import { bytes_of_tag, PAGE_BYTES } from "../kernel/mm/content.js";
import { S_IFDIR, S_IFLNK, S_IFREG } from "../kernel/uapi/abi.js";
import { applets } from "../user/applets/registry.js";

/** 2026-07-02 00:00:00 UTC: the build date of the reference kernel, used for every file time. */
export const IMAGE_MTIME = 1782950400;

export function default_rootfs_dir(): string {
  // dist/mmbox.js and src/host/rootfs.ts both sit two levels below the repository root.
  const here = fileURLToPath(new URL(".", import.meta.url));
  for (const up of ["../..", ".."]) {
    const dir = join(here, up, "rootfs");
    try {
      if (lstatSync(dir).isDirectory()) return dir;
    } catch {
      /* try the next candidate */
    }
  }
  return join(here, "../../rootfs");
}

const cache = new Map<string, InitramfsEntry[]>();

/**
 * A program stub gets the x86_64 machine code of the libc routines the
 * register model puts in its text (kernel/arch/libc_text.ts), at the file
 * offset of that address: the bytes a Code: line shows are the file's.
 */
function place_libc_text(e: InitramfsEntry): void {
  const data = e.data!;
  const phdrs = parse_phdrs(new TextDecoder("latin1").decode(data), "x86_64");
  const text = phdrs?.filter((p) => p.type === "LOAD" && p.flags & 1).sort((a, b) => a.vaddr - b.vaddr)[0];
  if (!text) return;
  const off = text.offset + TEXT_OFFSET;
  const index = Math.floor(off / PAGE_BYTES);
  if (off + BLOCK_SIZE > (e.size ?? data.length) || (off % PAGE_BYTES) + BLOCK_SIZE > PAGE_BYTES) return;
  if (off < data.length) {
    const grown = new Uint8Array(Math.max(data.length, off + BLOCK_SIZE));
    grown.set(data);
    grown.set(x86_libc_block(), off);
    e.data = grown;
    return;
  }
  if (index * PAGE_BYTES < data.length) return;
  // The generated page the file has there, with the routines written over it.
  const page = bytes_of_tag(synthetic_tag(e.path, index));
  page.set(x86_libc_block(), off % PAGE_BYTES);
  e.pages = new Map([[index, page]]);
}

/** The image of a rootfs directory (cached: it is read once per process). */
export function load_rootfs(dir = default_rootfs_dir()): InitramfsEntry[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const out: InitramfsEntry[] = [];
  const walk = (rel: string): void => {
    const names = readdirSync(join(dir, rel)).sort();
    for (const name of names) {
      if (name === ".keep") continue;
      const relp = `${rel}/${name}`;
      const full = join(dir, relp);
      const st = lstatSync(full);
      const perm = st.mode & 0o7777 & ~0o022;
      if (st.isSymbolicLink())
        out.push({ path: relp, mode: S_IFLNK | 0o777, mtime: IMAGE_MTIME, target: readlinkSync(full) });
      else if (st.isDirectory()) {
        out.push({ path: relp, mode: S_IFDIR | (perm || 0o755), mtime: IMAGE_MTIME });
        walk(relp);
      } else if (st.isFile()) {
        const data = new Uint8Array(readFileSync(full));
        const head = new TextDecoder("latin1").decode(data.subarray(0, 128));
        const m = /\nmmbox-size (\d+)\n/.exec(head);
        const e: InitramfsEntry = {
          path: relp,
          mode: S_IFREG | perm,
          mtime: IMAGE_MTIME,
          data,
          size: m ? Number(m[1]) : undefined,
        };
        if (m) place_libc_text(e);
        out.push(e);
      }
    }
  };
  walk("");
  const have = new Set(out.map((e) => e.path));
  for (const a of [...applets.values()].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const path = `${a.dir}/${a.name}`;
    if (have.has(path)) continue;
    const target = a.dir === "/bin" ? "busybox" : a.dir === "/sbin" ? "../bin/busybox" : "../../bin/busybox";
    out.push({ path, mode: S_IFLNK | 0o777, mtime: IMAGE_MTIME, target });
  }
  cache.set(dir, out);
  return out;
}
