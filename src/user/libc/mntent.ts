/*
 * mntent.ts - the mount table as getmntent(3) reads it: /proc/mounts
 * (/etc/mtab is a link to it on BusyBox systems), one mount per line,
 * "fsname dir type opts freq passno", with octal escapes (\040 for a
 * space) in the names. Used by df, umount and find_mount_point.
 */

import { S_ISBLK, S_ISCHR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "./file.js";
import { stat } from "./sys.js";

export interface MntEnt {
  mnt_fsname: string;
  mnt_dir: string;
  mnt_type: string;
  mnt_opts: string;
}

const unoctal = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));

/** Every entry of /proc/mounts in order; [] when it cannot be read. */
export function* getmntent_all(path = "/proc/mounts"): UserGen<MntEnt[]> {
  const text = yield* read_text(path);
  if (typeof text === "number") return [];
  const out: MntEnt[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[0].startsWith("#")) continue;
    out.push({ mnt_fsname: unoctal(f[0]), mnt_dir: unoctal(f[1]), mnt_type: f[2], mnt_opts: f[3] });
  }
  return out;
}

/**
 * find_mount_point (libbb/find_mount_point.c): the mount a path lives on,
 * found by comparing device numbers (a block device names its own mount).
 * The last matching entry wins, as the newest mount covers older ones.
 */
export function* find_mount_point(name: string): UserGen<MntEnt | null> {
  const st = yield* stat(name);
  if (typeof st === "number") return null;
  const dev = S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode) ? st.st_rdev : st.st_dev;
  let found: MntEnt | null = null;
  for (const m of yield* getmntent_all()) {
    if (S_ISBLK(st.st_mode) && m.mnt_fsname === name) {
      found = m;
      continue;
    }
    const ms = yield* stat(m.mnt_dir);
    if (typeof ms !== "number" && ms.st_dev === dev) found = m;
  }
  return found;
}
