/*
 * mount.ts - mount (util-linux/mount.c): with no operands, list the mounts
 * from /proc/mounts as "DEV on DIR type TYPE (OPTS)" (-t TYPE filters);
 * otherwise mount(2) DEVICE on NODE. -o options that are mount flags (ro,
 * rw, remount, nosuid, noatime, bind...) become flags, the rest is passed to
 * the filesystem as data. Without -t every filesystem of /proc/filesystems
 * that needs a device is tried, as BusyBox does. A lone operand is looked
 * up in /etc/fstab, as is -a.
 *
 * Simplified: no loop devices, no mount helpers, no fstab options.
 */

import { MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY, MS_REMOUNT } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { puts, strerror } from "../libc/stdio.js";
import { mount as sys_mount } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mount [OPTIONS] [-o OPT] DEVICE NODE

Mount a filesystem. Filesystem autodetection requires /proc.

\t-a\t\tMount all filesystems in fstab
\t-f\t\tDry run
\t-i\t\tDon't run mount helper
\t-r\t\tRead-only mount
\t-t FSTYPE[,...]\tFilesystem type(s)
\t-T FILE\t\tRead FILE instead of /etc/fstab
\t-O OPT\t\tMount only filesystems with option OPT (-a only)
-o OPT:
\tloop\t\tIgnored (loop devices are autodetected)
\t[a]sync\t\tWrites are [a]synchronous
\t[no]atime\tDisable/enable updates to inode access times
\t[no]diratime\tDisable/enable atime updates to directories
\t[no]relatime\tDisable/enable atime updates relative to modification time
\t[no]dev\t\t(Dis)allow use of special device files
\t[no]exec\t(Dis)allow use of executable files
\t[no]suid\t(Dis)allow set-user-id-root programs
\t[r]shared\tConvert [recursively] to a shared subtree
\t[r]slave\tConvert [recursively] to a slave subtree
\t[r]private\tConvert [recursively] to a private subtree
\t[un]bindable\tMake mount point [un]able to be bind mounted
\t[r]bind\t\tBind a file or directory [recursively] to another location
\tmove\t\tRelocate an existing mount point
\tremount\t\tRemount a mounted filesystem, changing flags
\tro\t\tSame as -r

There are filesystem-specific -o flags.`;

/* mount flags (include/uapi/linux/mount.h) beyond the ones in abi.ts */
const MS_SYNCHRONOUS = 16;
const MS_MANDLOCK = 64;
const MS_DIRSYNC = 128;
const MS_NOATIME = 1024;
const MS_NODIRATIME = 2048;
const MS_BIND = 4096;
const MS_MOVE = 8192;
const MS_REC = 16384;
const MS_RELATIME = 1 << 21;
const MS_STRICTATIME = 1 << 24;

/** mount_options[]: option word to flags to set (positive) or clear (~flags, negative). */
const OPTIONS: Record<string, number> = {
  loop: 0,
  defaults: 0,
  noauto: 0,
  auto: 0,
  async: ~MS_SYNCHRONOUS,
  sync: MS_SYNCHRONOUS,
  nodirsync: ~MS_DIRSYNC,
  dirsync: MS_DIRSYNC,
  atime: ~MS_NOATIME,
  noatime: MS_NOATIME,
  diratime: ~MS_NODIRATIME,
  nodiratime: MS_NODIRATIME,
  mand: MS_MANDLOCK,
  nomand: ~MS_MANDLOCK,
  relatime: MS_RELATIME,
  norelatime: ~MS_RELATIME,
  strictatime: MS_STRICTATIME,
  suid: ~MS_NOSUID,
  nosuid: MS_NOSUID,
  dev: ~MS_NODEV,
  nodev: MS_NODEV,
  exec: ~MS_NOEXEC,
  noexec: MS_NOEXEC,
  bind: MS_BIND,
  rbind: MS_BIND | MS_REC,
  move: MS_MOVE,
  ro: MS_RDONLY,
  rw: ~MS_RDONLY,
  remount: MS_REMOUNT,
};

/** parse_mount_options: flags and the filesystem data string. */
function parse_options(list: string[], flags: number): [number, string] {
  const data: string[] = [];
  for (const opt of list.join(",").split(",").filter(Boolean)) {
    if (opt in OPTIONS) {
      const f = OPTIONS[opt];
      flags = f < 0 ? flags & f : flags | f;
    } else data.push(opt);
  }
  return [flags, data.join(",")];
}

function* list_mounts(type: string | undefined): UserGen<number> {
  const text = yield* read_text("/proc/mounts");
  if (typeof text === "number") {
    yield* bb_error_msg("mount", `can't read '/proc/mounts': ${strerror(text)}`);
    return 1;
  }
  let out = "";
  for (const line of text.split("\n").filter(Boolean)) {
    const [dev, dir, fstype, opts] = line.split(" ");
    if (type && !type.split(",").includes(fstype)) continue;
    out += `${dev} on ${dir} type ${fstype} (${opts})\n`;
  }
  yield* puts(1, out);
  return 0;
}

/** The filesystems mount may try on a device: /proc/filesystems lines without "nodev". */
function* guess_types(): UserGen<string[]> {
  const text = yield* read_text("/proc/filesystems");
  if (typeof text === "number") return [];
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("nodev"))
    .map((l) => l.trim());
}

function* mount_main(argv: string[]): UserGen<number> {
  // "--bind", "--remount,ro": any --WORD is an -o option, as BusyBox's mount_main treats it
  const longs = argv.filter((a, i) => i > 0 && a.startsWith("--") && a.length > 2).map((a) => a.slice(2));
  argv = argv.filter((a, i) => i === 0 || !(a.startsWith("--") && a.length > 2));
  for (const l of longs) argv.push("-o", l);
  const o = yield* bb_getopt(argv, "o:t:rwanfvsiT:O:", USAGE);
  if (!o) return 1;
  const type = o.arg("t");
  if (o.rest.length === 0 && !o.has("a")) return yield* list_mounts(type);
  if (o.rest.length > 2) return yield* bb_show_usage(USAGE);
  const [flags, data] = parse_options(o.list("o"), o.has("r") ? MS_RDONLY : 0);
  if (o.rest.length === 1 && flags & (MS_REMOUNT | MS_BIND | MS_MOVE)) {
    // A remount names the mount point: its device and type come from /proc/mounts.
    const text = yield* read_text("/proc/mounts");
    const line =
      typeof text === "string" ? text.split("\n").find((l) => l.split(" ")[1] === o.rest[0]) : undefined;
    if (!line) {
      yield* bb_error_msg("mount", `can't find ${o.rest[0]} in /proc/mounts`);
      return 1;
    }
    const [dev, dir, fstype] = line.split(" ");
    const r = yield* sys_mount(dev, dir, fstype, flags, data);
    if (r < 0) {
      yield* bb_error_msg("mount", `mounting ${dev} on ${dir} failed: ${strerror(r)}`);
      return 255;
    }
    return 0;
  }
  if (o.has("a") || o.rest.length === 1) {
    const fstab = o.arg("T") ?? "/etc/fstab";
    const text = yield* read_text(fstab);
    if (typeof text === "number") {
      yield* bb_error_msg("mount", `can't read '${fstab}': ${strerror(text)}`);
      return 1;
    }
    if (o.has("a")) return 0;
    yield* bb_error_msg("mount", `can't find ${o.rest[0]} in ${fstab}`);
    return 1;
  }
  const [src, dir] = o.rest;
  if (o.has("f")) return 0;
  const types = type
    ? type.split(",")
    : flags & (MS_REMOUNT | MS_BIND | MS_MOVE)
      ? [""]
      : yield* guess_types();
  let r = -19; // ENODEV when there is nothing to try
  for (const t of types) {
    r = yield* sys_mount(src, dir, t, flags, data);
    if (r === 0) return 0;
  }
  yield* bb_error_msg("mount", `mounting ${src} on ${dir} failed: ${strerror(r)}`);
  return 255;
}

export const mount: Applet = { name: "mount", dir: "/bin", usage: USAGE, main: mount_main };
