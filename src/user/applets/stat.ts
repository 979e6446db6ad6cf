/*
 * stat.ts - stat (coreutils/stat.c, with FEATURE_STAT_FORMAT and
 * FEATURE_STAT_FILESYSTEM, no SELinux): what lstat (-L: stat) or, with -f,
 * statfs says of each FILE, in a format.
 *
 * A format is printf-like: "%" then modifiers from "#-+.I 0123456789",
 * then a letter that print_stat or print_statfs turns into a printf
 * conversion ("%-10s" of the size is printf "%-10llu"). An unknown letter
 * prints itself, "%%" a percent sign; the output ends with a newline
 * unless the format ends in a lone "%". The default formats (and -t's
 * terse ones) are BusyBox's, picked by the file's type.
 *
 * Simplified: timestamps have whole seconds (the simulated inodes keep no
 * nanoseconds) and the zone is UTC; statfs has no f_fsid, so "ID" is 0.
 */

import { S_IFMT, S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISLNK, S_ISREG } from "../../kernel/uapi/abi.js";
import type { Stat, Statfs, UserGen } from "../../kernel/uapi/syscalls.js";
import { sprintf } from "../../lib/sprintf.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { bb_mode_string, major, minor } from "../libc/mode.js";
import { getgrgid, getpwuid } from "../libc/pwd.js";
import { Writer } from "../libc/stream.js";
import { lstat, readlink, stat, statfs } from "../libc/sys.js";
import { gmtime, strftime } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `stat [-ltf] [-c FMT] FILE...

Display file (default) or filesystem status

\t-c FMT\tUse the specified format
\t-f\tDisplay filesystem status
\t-L\tFollow links
\t-t\tTerse display

FMT sequences for files:
 %a\tAccess rights in octal
 %A\tAccess rights in human readable form
 %b\tNumber of blocks allocated (see %B)
 %B\tSize in bytes of each block reported by %b
 %d\tDevice number in decimal
 %D\tDevice number in hex
 %f\tRaw mode in hex
 %F\tFile type
 %g\tGroup ID
 %G\tGroup name
 %h\tNumber of hard links
 %i\tInode number
 %n\tFile name
 %N\tFile name, with -> TARGET if symlink
 %o\tI/O block size
 %s\tTotal size in bytes
 %t\tMajor device type in hex
 %T\tMinor device type in hex
 %u\tUser ID
 %U\tUser name
 %x\tTime of last access
 %X\tTime of last access as seconds since Epoch
 %y\tTime of last modification
 %Y\tTime of last modification as seconds since Epoch
 %z\tTime of last change
 %Z\tTime of last change as seconds since Epoch

FMT sequences for file systems:
 %a\tFree blocks available to non-superuser
 %b\tTotal data blocks
 %c\tTotal file nodes
 %d\tFree file nodes
 %f\tFree blocks
 %i\tFile System ID in hex
 %l\tMaximum length of filenames
 %n\tFile name
 %s\tBlock size (for faster transfer)
 %S\tFundamental block size (for block counts)
 %t\tType in hex
 %T\tType in human readable form`;

const FMT_FILE =
  "  File: %N\n" +
  "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
  "Device: %Dh/%dd\tInode: %-10i  Links: %h\n" +
  "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
  "Access: %x\nModify: %y\nChange: %z";
const FMT_DEV =
  "  File: %N\n" +
  "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
  "Device: %Dh/%dd\tInode: %-10i  Links: %-5h Device type: %t,%T\n" +
  "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
  "Access: %x\nModify: %y\nChange: %z";
const FMT_TERSE = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o";
const FMT_FS =
  '  File: "%n"\n' +
  "    ID: %-8i Namelen: %-7l Type: %T\n" +
  "Block size: %-10s\n" +
  "Blocks: Total: %-10b Free: %-10f Available: %a\n" +
  "Inodes: Total: %-10c Free: %d";
const FMT_FS_TERSE = "%n %i %l %t %s %b %f %a %c %d";

/** human_fstype's table: f_type to name. */
const FS_TYPES: [number, string][] = [
  [0xadff, "affs"],
  [0x1cd1, "devpts"],
  [0x137d, "ext"],
  [0xef51, "ext2"],
  [0xef53, "ext2/ext3"],
  [0x3153464a, "jfs"],
  [0x58465342, "xfs"],
  [0xf995e849, "hpfs"],
  [0x9660, "isofs"],
  [0x4000, "isofs"],
  [0x4004, "isofs"],
  [0x137f, "minix"],
  [0x138f, "minix (30 char.)"],
  [0x2468, "minix v2"],
  [0x2478, "minix v2 (30 char.)"],
  [0x4d44, "msdos"],
  [0x4006, "fat"],
  [0x564c, "novell"],
  [0x6969, "nfs"],
  [0x9fa0, "proc"],
  [0x517b, "smb"],
  [0x012ff7b4, "xenix"],
  [0x012ff7b5, "sysv4"],
  [0x012ff7b6, "sysv2"],
  [0x012ff7b7, "coh"],
  [0x00011954, "ufs"],
  [0x012fd16d, "xia"],
  [0x5346544e, "ntfs"],
  [0x1021994, "tmpfs"],
  [0x52654973, "reiserfs"],
  [0x28cd3d45, "cramfs"],
  [0x7275, "romfs"],
  [0x858458f6, "ramfs"],
  [0x73717368, "squashfs"],
  [0x62656572, "sysfs"],
];

function file_type(st: Stat): string {
  const m = st.st_mode;
  if (S_ISREG(m)) return st.st_size === 0 ? "regular empty file" : "regular file";
  if (S_ISDIR(m)) return "directory";
  if (S_ISBLK(m)) return "block special file";
  if (S_ISCHR(m)) return "character special file";
  if (S_ISFIFO(m)) return "fifo";
  if (S_ISLNK(m)) return "symbolic link";
  if ((m & S_IFMT) === 0o140000) return "socket";
  return "weird file";
}

/** human_time: "YYYY-MM-DD HH:MM:SS.NNNNNNNNN +0000". */
const human_time = (t: number): string => `${strftime("%Y-%m-%d %H:%M:%S", gmtime(t), t)}.000000000 +0000`;

/** One %-directive turned into text: pformat is "%" and its modifiers. */
type PrintFn = (pformat: string, m: string, filename: string) => UserGen<string> | string;

function* print_stat(st: Stat, pformat: string, m: string, filename: string): UserGen<string> {
  const f = (conv: string, v: number | string | bigint): string => sprintf(pformat + conv, v);
  switch (m) {
    case "n":
      return f("s", filename);
    case "N": {
      if (!S_ISLNK(st.st_mode)) return f("s", filename);
      const target = yield* readlink(filename);
      if (typeof target === "number") {
        yield* bb_perror_msg("stat", filename, target);
        return "";
      }
      return `'${filename}' -> '${target}'`;
    }
    case "d":
      return f("llu", st.st_dev);
    case "D":
      return f("llx", st.st_dev);
    case "i":
      return f("llu", st.st_ino);
    case "a":
      return f("lo", st.st_mode & 0o7777);
    case "A":
      return f("s", bb_mode_string(st.st_mode));
    case "f":
      return f("lx", st.st_mode);
    case "F":
      return f("s", file_type(st));
    case "h":
      return f("lu", st.st_nlink);
    case "u":
      return f("lu", st.st_uid);
    case "U":
      return f("s", (yield* getpwuid(st.st_uid))?.pw_name ?? "UNKNOWN");
    case "g":
      return f("lu", st.st_gid);
    case "G":
      return f("s", (yield* getgrgid(st.st_gid))?.gr_name ?? "UNKNOWN");
    case "t":
      return f("lx", major(st.st_rdev));
    case "T":
      return f("lx", minor(st.st_rdev));
    case "s":
      return f("llu", st.st_size);
    case "B":
      return f("lu", 512);
    case "b":
      return f("llu", st.st_blocks);
    case "o":
      return f("lu", st.st_blksize);
    case "x":
      return f("s", human_time(st.st_atime));
    case "X":
      return f("ld", st.st_atime);
    case "y":
      return f("s", human_time(st.st_mtime));
    case "Y":
      return f("ld", st.st_mtime);
    case "z":
      return f("s", human_time(st.st_ctime));
    case "Z":
      return f("ld", st.st_ctime);
    default:
      return f("c", m);
  }
}

function print_statfs(sf: Statfs, pformat: string, m: string, filename: string): string {
  const f = (conv: string, v: number | string): string => sprintf(pformat + conv, v);
  switch (m) {
    case "n":
      return f("s", filename);
    case "i":
      return f("llx", 0);
    case "l":
      return f("lu", sf.f_namelen);
    case "t":
      return f("lx", sf.f_type);
    case "T":
      return f("s", FS_TYPES.find(([t]) => t === sf.f_type)?.[1] ?? "UNKNOWN");
    case "b":
      return f("llu", sf.f_blocks);
    case "f":
      return f("llu", sf.f_bfree);
    case "a":
      return f("llu", sf.f_bavail);
    case "s":
    case "S":
      return f("lu", sf.f_bsize);
    case "c":
      return f("llu", sf.f_files);
    case "d":
      return f("llu", sf.f_ffree);
    default:
      return f("c", m);
  }
}

/** print_it: the format with each directive replaced, and the closing newline. */
function* print_it(out: Writer, format: string, filename: string, print: PrintFn): UserGen<void> {
  let b = 0;
  for (;;) {
    const p = format.indexOf("%", b);
    if (p < 0) {
      yield* out.puts(`${format.slice(b)}\n`);
      return;
    }
    let len = 1;
    while (p + len < format.length && "#-+.I 0123456789".includes(format[p + len])) len++;
    // (glibc's I flag, locale digits, is nothing in the C locale)
    const dest = format.slice(p, p + len).replaceAll("I", "");
    yield* out.puts(format.slice(b, p));
    const m = format[p + len];
    b = p + len + 1;
    if (m === undefined) {
      yield* out.puts("%");
      return;
    }
    if (m === "%") yield* out.puts("%");
    else {
      const r = print(dest, m, filename);
      yield* out.puts(typeof r === "string" ? r : yield* r);
    }
  }
}

function* stat_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "tLfc:", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const terse = o.has("t");
  const format = o.arg("c");
  const out = yield* Writer.open(1);
  let ok = true;
  for (const filename of o.rest) {
    if (o.has("f")) {
      const sf = yield* statfs(filename);
      if (typeof sf === "number") {
        yield* out.flush();
        yield* bb_perror_msg("stat", `can't read file system information for '${filename}'`, sf);
        ok = false;
        continue;
      }
      const fmt = format ?? (terse ? FMT_FS_TERSE : FMT_FS);
      yield* print_it(out, fmt, filename, (pf, m, name) => print_statfs(sf, pf, m, name));
      continue;
    }
    const st = yield* (o.has("L") ? stat : lstat)(filename);
    if (typeof st === "number") {
      yield* out.flush();
      yield* bb_perror_msg("stat", `can't stat '${filename}'`, st);
      ok = false;
      continue;
    }
    const fmt =
      format ?? (terse ? FMT_TERSE : S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode) ? FMT_DEV : FMT_FILE);
    yield* print_it(out, fmt, filename, (pf, m, name) => print_stat(st, pf, m, name));
  }
  yield* out.flush();
  return ok ? 0 : 1;
}

export const stat_applet: Applet = { name: "stat", dir: "/bin", usage: USAGE, main: stat_main };
