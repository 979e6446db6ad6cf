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
import type { InitramfsEntry } from "../kernel/fs/initramfs.js";
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
        out.push({
          path: relp,
          mode: S_IFREG | perm,
          mtime: IMAGE_MTIME,
          data,
          size: m ? Number(m[1]) : undefined,
        });
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
