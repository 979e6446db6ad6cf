/*
 * df.ts - df (coreutils/df.c): size, use and space left of each mounted
 * filesystem, from statfs(2) on the mount points of /proc/mounts.
 *
 *   Filesystem           1K-blocks      Used Available Use% Mounted on
 *   devtmpfs                499844         0    499844   0% /dev
 *
 * Like BusyBox (FEATURE_SKIP_ROOTFS) "rootfs" is never shown, and neither
 * is a filesystem with no blocks (proc, sysfs...) unless -a. Sizes are in
 * 1 KiB units rounded to nearest (-m MiB, -B SIZE, -h human readable, -i
 * inodes instead); Use% is used / (used + available), rounded. -P prints
 * "1024-blocks" and "Capacity" and never wraps a long device name, -T adds
 * the type, -t TYPE keeps one type. A FILESYSTEM operand (any path on it)
 * shows just its mount.
 *
 * A filesystem whose kernel side has no ->statfs (this kernel's procfs,
 * sysfs and debugfs) answers ENOSYS; Linux's simple_statfs would report 0
 * blocks there, so df takes it as that.
 */

import { ENOSYS } from "../../kernel/uapi/errno.js";
import type { Statfs, UserGen } from "../../kernel/uapi/syscalls.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  make_human_readable_str,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { find_mount_point, getmntent_all, type MntEnt } from "../libc/mntent.js";
import { Writer } from "../libc/stream.js";
import { statfs } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `df [-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]...

Print filesystem usage statistics

\t-P\tPOSIX output format
\t-k\t1024-byte blocks (default)
\t-m\t1M-byte blocks
\t-h\tHuman readable (e.g. 1K 243M 2G)
\t-T\tPrint filesystem type
\t-t TYPE\tPrint only mounts of this type
\t-a\tShow all filesystems
\t-i\tInodes
\t-B SIZE\tBlocksize`;

const KMG = [
  { suffix: "k", mult: 1024 },
  { suffix: "K", mult: 1024 },
  { suffix: "m", mult: 1024 * 1024 },
  { suffix: "M", mult: 1024 * 1024 },
  { suffix: "g", mult: 1024 ** 3 },
  { suffix: "G", mult: 1024 ** 3 },
];

function* df_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "kPTaimhB:t:", USAGE);
  if (!o) return 1;
  const posix = o.has("P");
  let unit = 1024; // df_disp_hr; 0 means human readable
  const last = o.last("k", "m", "h", "B");
  if (last === "m") unit = 1024 * 1024;
  else if (last === "h") unit = 0;
  else if (last === "B") {
    const r = strtou_range_sfx(o.arg("B")!, 10, 1, Number.MAX_SAFE_INTEGER, KMG);
    if (!r.ok) {
      yield* bb_error_msg("df", r.msg);
      return 1;
    }
    unit = r.value;
  }
  if (o.has("P") && unit === 0) unit = 1024;
  let hdr: string;
  if (o.has("i")) hdr = "   Inodes";
  else if (unit === 0) hdr = "     Size";
  else hdr = `${make_human_readable_str(unit, 0, posix ? 1 : 0)}-blocks`;
  const out = yield* Writer.open(1);
  yield* out.puts(
    `Filesystem           ${o.has("T") ? "Type       " : ""}${hdr.padEnd(15)}Used Available ${posix ? "Capacity" : "Use%"} Mounted on\n`,
  );
  let list: MntEnt[];
  let status = 0;
  if (o.rest.length === 0) list = yield* getmntent_all();
  else {
    list = [];
    for (const a of o.rest) {
      const m = yield* find_mount_point(a);
      if (!m) {
        yield* out.flush();
        yield* bb_error_msg("df", `${a}: can't find mount point`);
        status = 1;
        continue;
      }
      list.push(m);
    }
  }
  const type = o.arg("t");
  for (const m of list) {
    if (m.mnt_fsname === "rootfs") continue;
    if (type !== undefined && m.mnt_type !== type) continue;
    let s = yield* statfs(m.mnt_dir);
    if (s === -ENOSYS)
      s = {
        f_type: 0,
        f_bsize: 4096,
        f_blocks: 0,
        f_bfree: 0,
        f_bavail: 0,
        f_files: 0,
        f_ffree: 0,
        f_namelen: 255,
      };
    if (typeof s === "number") {
      yield* out.flush();
      yield* bb_perror_msg("df", m.mnt_dir, s);
      status = 1;
      continue;
    }
    if (!(s.f_blocks > 0 || o.rest.length > 0 || o.has("a"))) continue;
    const st: Statfs = { ...s };
    let frsize = st.f_bsize;
    let u = unit;
    if (o.has("i")) {
      st.f_blocks = st.f_files;
      st.f_bavail = st.f_bfree = st.f_ffree;
      frsize = 1;
      if (u) u = 1;
    }
    const used = st.f_blocks - st.f_bfree;
    let pct = 0;
    if (used + st.f_bavail)
      pct = Math.floor((used * 100 + Math.floor((used + st.f_bavail) / 2)) / (used + st.f_bavail));
    let line = m.mnt_fsname.padEnd(20);
    if (line.length > 20 && !posix) line += `\n${"".padEnd(20)}`;
    if (o.has("T")) {
      const t = ` ${m.mnt_type.padEnd(10)}`;
      line += t;
      if (t.length > 11 && !posix) line += `\n${"".padEnd(30)}`;
    }
    if (u === 0) {
      line += ` ${make_human_readable_str(st.f_blocks, frsize, 0).padStart(9)} `;
      line += `${make_human_readable_str(used, frsize, 0).padStart(9)} `;
      line += `${make_human_readable_str(st.f_bavail, frsize, 0).padStart(9)} ${String(pct).padStart(3)}% ${m.mnt_dir}\n`;
    } else {
      // kscale: blocks * frsize / unit, rounded to nearest
      const k = (b: number): string => String(Math.floor((b * frsize + Math.floor(u / 2)) / u)).padStart(9);
      line += ` ${k(st.f_blocks)} ${k(used)} ${k(st.f_bavail)} ${String(pct).padStart(3)}% ${m.mnt_dir}\n`;
    }
    yield* out.puts(line);
  }
  yield* out.flush();
  return status;
}

export const df: Applet = { name: "df", dir: "/bin", usage: USAGE, main: df_main };
