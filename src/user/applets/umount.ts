/*
 * umount.ts - umount (util-linux/umount.c): detach the filesystems named
 * by their mount point or device. The mount table (/proc/mounts) is read
 * first, newest entry first, so "umount /dev/vdb" unmounts every mount of
 * that device and -a unmounts everything, most recent first. -f and -l
 * pass MNT_FORCE and MNT_DETACH to umount2(2); -r remounts read-only a
 * filesystem that is busy; -t FSTYPE limits -a (or the lookup) to one type.
 *   umount: can't unmount /mnt: Device or resource busy
 */

import { MS_RDONLY, MS_REMOUNT } from "../../kernel/uapi/abi.js";
import { EBUSY } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { getmntent_all, type MntEnt } from "../libc/mntent.js";
import { getcwd, mount, umount2 } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `umount [-rlfda] [-t FSTYPE] FILESYSTEM|DIRECTORY

Unmount filesystems

\t-a\tUnmount all filesystems
\t-r\tRemount devices read-only if mount is busy
\t-l\tLazy umount (detach filesystem)
\t-f\tForce umount (i.e., unreachable NFS server)
\t-d\tFree loop device if it has been used
\t-t FSTYPE[,...]\tUnmount only these filesystem type(s)`;

const MNT_FORCE = 1;
const MNT_DETACH = 2;

/** A path made absolute and free of "." and ".." (realpath without symlinks). */
function* absolute(p: string): UserGen<string> {
  let full = p;
  if (!p.startsWith("/")) {
    const cwd = yield* getcwd();
    full = `${typeof cwd === "string" ? cwd : "/"}/${p}`;
  }
  const out: string[] = [];
  for (const c of full.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") out.pop();
    else out.push(c);
  }
  return `/${out.join("/")}`;
}

/** fstype_matches: "ext2,tmpfs" or "noext2,tmpfs" against a type. */
function fstype_matches(type: string, list: string | undefined): boolean {
  if (list === undefined) return true;
  const no = list.startsWith("no");
  const names = (no ? list.slice(2) : list).split(",");
  return names.includes(type) !== no;
}

function* umount_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "fldnrat:i", USAGE);
  if (!o) return 1;
  const doForce = (o.has("f") ? MNT_FORCE : 0) | (o.has("l") ? MNT_DETACH : 0);
  const all = o.has("a");
  const mtl: MntEnt[] = (yield* getmntent_all())
    .filter((m) => fstype_matches(m.mnt_type, o.arg("t")))
    .reverse();
  if (!all && o.rest.length === 0) return yield* bb_show_usage(USAGE);
  let status = 0;
  const args = [...o.rest];
  let idx = all ? 0 : -1; // the mtl entry to unmount next, -1 for the next operand
  let path = "";
  for (;;) {
    let zapit: string;
    if (idx >= 0 && idx < mtl.length) zapit = mtl[idx].mnt_dir;
    else if (all) break;
    else {
      const arg = args.shift();
      if (arg === undefined) break;
      path = yield* absolute(arg);
      idx = mtl.findIndex((m) => m.mnt_dir === path || m.mnt_fsname === path);
      // not in the table: hand the operand to the kernel as it is
      zapit = idx >= 0 ? mtl[idx].mnt_dir : arg;
    }
    const m = idx >= 0 ? mtl[idx] : null;
    const r = yield* umount2(zapit, doForce);
    if (r < 0) {
      if (o.has("r") && r === -EBUSY && m) {
        const rr = yield* mount(m.mnt_fsname, zapit, "", MS_REMOUNT | MS_RDONLY, "");
        if (rr < 0) {
          status = 1;
          yield* bb_error_msg("umount", `can't remount ${m.mnt_fsname} read-only`);
        } else yield* bb_error_msg("umount", `${m.mnt_fsname} busy - remounted read-only`);
      } else {
        status = 1;
        yield* bb_perror_msg("umount", `can't unmount ${zapit}`, r);
      }
    }
    // the next entry: any for -a, else another mount of the device named
    if (m) {
      let j = idx + 1;
      while (j < mtl.length && !(all || mtl[j].mnt_fsname === path)) j++;
      idx = j < mtl.length ? j : all ? mtl.length : -1;
    } else idx = -1;
  }
  return status;
}

export const umount: Applet = { name: "umount", dir: "/bin", usage: USAGE, main: umount_main };
