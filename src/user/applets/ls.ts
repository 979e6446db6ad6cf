/*
 * ls.ts - ls (coreutils/ls.c): list directory contents.
 *
 * Layout as BusyBox does it: one name per line when stdout is not a
 * terminal (-1), columns sorted down then across on a terminal (-C; -x
 * across), the column width being the longest name plus two and the
 * terminal width that of stdin minus one (-w N sets it). -l is the long
 * format: mode, links ("%4u"), owner and group ("%-8.8s"), size ("%9u", or
 * "%4u, %4u" for devices, "%7s" with -h), "Mmm dd hh:mm" (or " yyyy" when
 * older than six months), name and " -> target". Directories given on the
 * command line are listed after the other operands, each under "DIR:" when
 * there is more than one operand or -R.
 *
 * Sorting is by name (strcmp, the C locale); -t mtime, -S size, -X
 * extension, -v version, -r reverse, -f none; --group-directories-first.
 * Simplified: no colours (Debian's build does not colour by default), no
 * SELinux context.
 */

import {
  O_CLOEXEC,
  O_DIRECTORY,
  O_RDONLY,
  S_ISBLK,
  S_ISCHR,
  S_ISDIR,
  S_ISFIFO,
  S_ISLNK,
} from "../../kernel/uapi/abi.js";
import { EINVAL } from "../../kernel/uapi/errno.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import type { Options } from "../libc/getopt.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  concat_path_file,
  make_human_readable_str,
  strtou_range_sfx,
  xnum,
} from "../libc/libbb.js";
import { bb_mode_string, major, minor } from "../libc/mode.js";
import { NameCache } from "../libc/pwd.js";
import { strerror } from "../libc/stdio.js";
import { isatty, Writer } from "../libc/stream.js";
import { close, getdents, lstat, open, readlink, stat } from "../libc/sys.js";
import { get_terminal_width_height } from "../libc/termios.js";
import { gmtime, strftime, time } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...

List directory contents

\t-1\tOne column output
\t-a\tInclude names starting with .
\t-A\tLike -a, but exclude . and ..
\t-x\tList by lines
\t-d\tList directory names, not contents
\t-L\tFollow symlinks
\t-H\tFollow symlinks on command line
\t-R\tRecurse
\t-p\tAppend / to directory names
\t-F\tAppend indicator (one of */=@|) to names
\t-l\tLong format
\t-i\tList inode numbers
\t-n\tList numeric UIDs and GIDs instead of names
\t-s\tList allocated blocks
\t-lc\tList ctime
\t-lu\tList atime
\t--full-time\tList full date/time
\t-h\tHuman readable sizes (1K 243M 2G)
\t--group-directories-first
\t-S\tSort by size
\t-X\tSort by extension
\t-v\tSort by version
\t-t\tSort by mtime
\t-tc\tSort by ctime
\t-tu\tSort by atime
\t-r\tReverse sort order
\t-w N\tFormat N columns wide
\t--color[={always,never,auto}]`;

interface Dnode {
  name: string; // as shown
  fullname: string; // as stat()ed
  st: Stat;
}

interface Ls {
  o: Options;
  out: Writer;
  names: NameCache;
  width: number;
  style: "long" | "single" | "columns" | "rows";
  now: number;
  status: number;
  /** --color: names painted by file type. */
  color: boolean;
}

/** strverscmp: digits compare as numbers. */
function verscmp(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (/^\d/.test(x) && /^\d/.test(y) && x !== y) return Number(x) - Number(y) || (x < y ? -1 : 1);
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

const strcmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function file_time(ls: Ls, st: Stat): number {
  const t = ls.o.last("c", "u");
  return t === "c" ? st.st_ctime : t === "u" ? st.st_atime : st.st_mtime;
}

/** strchrnul(name, '.'): -X compares from the first dot on ("" when there is none, "." for "."). */
function from_first_dot(name: string): string {
  const i = name.indexOf(".");
  return i < 0 ? "" : name.slice(i);
}

function sortcmp(ls: Ls, a: Dnode, b: Dnode): number {
  const o = ls.o;
  let dif = 0;
  if (o.has("G") && (dif = Number(S_ISDIR(b.st.st_mode)) - Number(S_ISDIR(a.st.st_mode))) !== 0)
    return o.has("r") ? -dif : dif;
  // Without -l a bare -c or -u sorts by that time too; -t and -S: the last one given.
  const by = o.last("S", "t") ?? (ls.style !== "long" && (o.has("c") || o.has("u")) ? "t" : undefined);
  if (by === "S") dif = b.st.st_size - a.st.st_size;
  else if (by === "t") dif = file_time(ls, b.st) - file_time(ls, a.st);
  else if (o.has("v")) dif = verscmp(a.name, b.name);
  else if (o.has("X")) dif = strcmp(from_first_dot(a.name), from_first_dot(b.name));
  if (dif === 0) dif = strcmp(a.name, b.name);
  return o.has("r") ? -dif : dif;
}

function sort(ls: Ls, list: Dnode[]): Dnode[] {
  return [...list].sort((a, b) => sortcmp(ls, a, b));
}

/** The -F / -p indicator of a file. */
function indicator(ls: Ls, st: Stat): string {
  const F = ls.o.has("F");
  if (!F && !ls.o.has("p")) return "";
  if (S_ISDIR(st.st_mode)) return "/";
  if (!F) return "";
  if (S_ISLNK(st.st_mode)) return "@";
  if (S_ISFIFO(st.st_mode)) return "|";
  if ((st.st_mode & 0o170000) === 0o140000) return "=";
  if (st.st_mode & 0o111) return "*";
  return "";
}

/** The name as printed: control characters as '?', in double quotes with -Q. */
/*
 * --color (FEATURE_LS_COLOR, off unless asked for): ESC[bold;colourm NAME
 * ESC[m, by file type as BusyBox's COLOR()/ATTR() tables have it:
 * directories bold blue, symlinks bold cyan, executables bold green,
 * devices and fifos and sockets magenta, regular files 0;0.
 */
const COLOR = [31, 35, 35, 37, 34, 37, 35, 35, 0, 37, 36, 37, 35, 37, 37, 32];
const ATTR = [1, 0, 1, 7, 1, 7, 1, 7, 0, 7, 1, 7, 1, 7, 7, 1];

function paint(ls: Ls, mode: number, text: string): string {
  if (!ls.color) return text;
  const exe = (mode & 0o170000) === 0o100000 && mode & 0o111;
  const i = exe ? 15 : (mode >> 12) & 0xf;
  return `\x1b[${ATTR[i]};${COLOR[i]}m${text}\x1b[m`;
}

function shown(ls: Ls, name: string): string {
  const s = name.replace(/[\x00-\x1f\x7f]/g, "?");
  return ls.o.has("Q") ? `"${s}"` : s;
}

/** display_single: one entry; returns its width on screen. */
function* display_single(ls: Ls, dn: Dnode): UserGen<string> {
  const o = ls.o;
  const st = dn.st;
  let s = "";
  if (o.has("i")) s += `${String(st.st_ino).padStart(8)} `;
  if (o.has("s")) s += `${String(Math.floor(st.st_blocks / 2)).padStart(6)} `;
  if (ls.style === "long") {
    s += `${bb_mode_string(st.st_mode)} ${String(st.st_nlink).padStart(4)} `;
    if (o.has("n")) {
      s += o.has("g")
        ? `${String(st.st_gid).padEnd(8)} `
        : `${String(st.st_uid).padEnd(8)} ${String(st.st_gid).padEnd(8)} `;
    } else {
      const g = (yield* ls.names.group(st.st_gid)).slice(0, 8).padEnd(8);
      s += o.has("g") ? `${g} ` : `${(yield* ls.names.user(st.st_uid)).slice(0, 8).padEnd(8)} ${g} `;
    }
    if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode))
      s += `${String(major(st.st_rdev)).padStart(4)}, ${String(minor(st.st_rdev)).padStart(4)} `;
    else if (o.has("h")) s += `${make_human_readable_str(st.st_size, 1, 0).padStart(7)} `;
    else s += `${String(st.st_size).padStart(9)} `;
    const t = file_time(ls, st);
    const tm = gmtime(t);
    if (o.has("full-time")) s += `${strftime("%Y-%m-%d %H:%M:%S %z", tm, t)} `;
    else {
      const age = ls.now - t;
      if (age < (3600 * 24 * 365) / 2 && age > -15 * 60) s += `${strftime("%b %e %H:%M", tm, t)} `;
      else s += `${strftime("%b %e", tm, t)} ${String(tm.tm_year + 1900).padStart(5)} `;
    }
  }
  s += paint(ls, st.st_mode, shown(ls, dn.name));
  if (ls.style === "long" && S_ISLNK(st.st_mode)) {
    const target = yield* readlink(dn.fullname);
    // xmalloc_readlink_or_warn: the line goes on without " -> ".
    if (typeof target === "number")
      yield* bb_error_msg(
        "ls",
        `${dn.fullname}: cannot read link: ${target === -EINVAL ? "not a symlink" : strerror(target)}`,
      );
    else {
      const tst = ls.color ? yield* stat(dn.fullname) : 0;
      s += ` -> ${paint(ls, typeof tst === "number" ? 0 : tst.st_mode, shown(ls, target))}`;
      if (o.has("F")) {
        const t = yield* stat(dn.fullname);
        if (typeof t !== "number") s += indicator(ls, t);
      }
    }
  } else s += indicator(ls, st);
  return s;
}

/** display_files: a list in the chosen style. */
function* display_files(ls: Ls, list: Dnode[]): UserGen<void> {
  if (ls.style === "long" || ls.style === "single") {
    // Line by line: a link that cannot be read is reported between the lines before it (on a
    // terminal, where stdout goes out at each newline) and its own.
    for (const dn of list) yield* ls.out.puts(`${yield* display_single(ls, dn)}\n`);
    return;
  }
  const cells: string[] = [];
  for (const dn of list) cells.push(yield* display_single(ls, dn));
  // BusyBox's column width: the longest name, plus 2, plus 8 for -i and 5 for -s
  // (not what those fields really take, nor the -F indicator).
  let colw = 0;
  for (const dn of list) colw = Math.max(colw, shown(ls, dn.name).length);
  colw += 2 + (ls.o.has("i") ? 8 : 0) + (ls.o.has("s") ? 5 : 0);
  let ncols = Math.floor(ls.width / colw);
  let nrows: number;
  if (ncols > 1) {
    nrows = Math.floor(cells.length / ncols);
    if (nrows * ncols < cells.length) nrows++;
  } else {
    nrows = cells.length;
    ncols = 1;
  }
  for (let row = 0; row < nrows; row++) {
    let line = "";
    let column = 0;
    let nexttab = 0;
    for (let nc = 0; nc < ncols; nc++) {
      const i = ls.style === "rows" ? row * ncols + nc : nc * nrows + row;
      if (i >= cells.length) continue;
      if (column > 0) {
        line += " ".repeat(nexttab - column);
        column = nexttab;
      }
      nexttab = column + colw;
      line += cells[i];
      column += cells[i].replace(/\x1b\[[0-9;]*m/g, "").length;
    }
    yield* ls.out.puts(`${line}\n`);
  }
}

/**
 * scan_one_dir: the entries to show, stat()ed (lstat unless -L) while the
 * directory is open - so `ls -l /proc/self/fd` meets its own descriptor 3,
 * whose link is gone by the time the lines are printed.
 */
function* scan_one_dir(ls: Ls, path: string): UserGen<Dnode[] | null> {
  const fd = yield* open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const out: Dnode[] = [];
  for (;;) {
    const ents = fd < 0 ? fd : yield* getdents(fd);
    if (typeof ents === "number") {
      if (fd >= 0) yield* close(fd);
      yield* ls.out.flush();
      yield* bb_perror_msg("ls", path, ents);
      ls.status = 1;
      return null;
    }
    if (ents.length === 0) break;
    for (const e of ents) {
      if (e.d_name.startsWith(".")) {
        if (!ls.o.has("a") && !ls.o.has("A")) continue;
        if ((e.d_name === "." || e.d_name === "..") && !ls.o.has("a")) continue;
      }
      const full = concat_path_file(path, e.d_name);
      const st = ls.o.has("L") ? yield* stat(full) : yield* lstat(full);
      if (typeof st === "number") {
        yield* ls.out.flush();
        yield* bb_perror_msg("ls", full, st);
        ls.status = 1;
        continue;
      }
      out.push({ name: e.d_name, fullname: full, st });
    }
  }
  yield* close(fd);
  return out;
}

function* show_dirs(ls: Ls, dirs: Dnode[], first: boolean, headers: boolean): UserGen<boolean> {
  for (const d of dirs) {
    if (headers || ls.o.has("R")) {
      if (!first) yield* ls.out.puts("\n");
      first = false;
      yield* ls.out.puts(`${d.fullname}:\n`);
    }
    const list = yield* scan_one_dir(ls, d.fullname);
    if (!list) continue;
    if (ls.style === "long" || ls.o.has("s")) {
      let total = 0;
      for (const dn of list) total += Math.floor(dn.st.st_blocks / 2);
      // With -h: "total %-7s", the KiB in human form.
      yield* ls.out.puts(
        ls.o.has("h")
          ? `total ${make_human_readable_str(total * 1024, 0, 0).padEnd(7)}\n`
          : `total ${total}\n`,
      );
    }
    const sorted = sort(ls, list);
    yield* display_files(ls, sorted);
    if (ls.o.has("R")) {
      const subs = sorted.filter((dn) => S_ISDIR(dn.st.st_mode) && dn.name !== "." && dn.name !== "..");
      first = yield* show_dirs(ls, subs, false, true);
    }
  }
  return first;
}

function* ls_main(argv: string[], envp: string[]): UserGen<number> {
  // Debian's 1.35: no -e or -f; -T N (tab size) is taken and has no effect.
  const o = yield* bb_getopt(argv, "Cadi1lgnsxQAkctuSXrvFpRhLHT:w:", USAGE, [
    { name: "full-time", arg: 0, val: "full-time" },
    { name: "group-directories-first", arg: 0, val: "G" },
    { name: "color", arg: 2, val: "K" },
  ]);
  if (!o) return 1;
  let [width] = yield* get_terminal_width_height(0, envp);
  width--;
  const w = o.arg("w");
  if (w !== undefined) {
    const v = yield* xnum("ls", strtou_range_sfx(w, 10, 0, 2147483647));
    if (v === null) return 1;
    width = v;
  }
  // getopt32's exclusions, in order: -l (-n, -g, --full-time) turns off -C and -x; -C and -x
  // turn off each other, -l and -1; -1 turns off -C and -x but leaves -l on.
  let l = false;
  let one = false;
  let C = false;
  let x = false;
  for (const { key } of o.seen) {
    if (key === "l" || key === "n" || key === "g" || key === "full-time") [l, C, x] = [true, false, false];
    else if (key === "C") [C, x, l, one] = [true, false, false, false];
    else if (key === "x") [x, C, l, one] = [true, false, false, false];
    else if (key === "1") [one, C, x] = [true, false, false];
  }
  let style: Ls["style"];
  if (l) style = "long";
  else if (one) style = "single";
  else if (x) style = "rows";
  else if (C) style = "columns";
  else style = (yield* isatty(1)) ? "columns" : "single";
  // --color[=WHEN]: always/yes/force, auto/tty/if-tty (any prefix), anything else never
  const when = o.has("K") ? (o.arg("K") ?? "always") : "never";
  const pick = ["always", "yes", "force", "auto", "tty", "if-tty"].findIndex(
    (w) => when && w.startsWith(when),
  );
  const color = pick >= 0 && pick < 3 ? true : pick >= 3 ? yield* isatty(1) : false;
  const ls: Ls = {
    o,
    out: yield* Writer.open(1),
    names: new NameCache(),
    width,
    style,
    now: yield* time(),
    status: 0,
    color,
  };
  const args = o.rest.length ? o.rest : ["."];
  // Symlinks named on the command line are followed (a dangling one is an error) unless
  // -l, -F, -s or -i show the link itself - or -H/-L ask to follow anyway.
  const followArgs =
    o.has("L") || o.has("H") || !(style === "long" || o.has("F") || o.has("s") || o.has("i"));
  const files: Dnode[] = [];
  const dirs: Dnode[] = [];
  for (const a of args) {
    const st = followArgs ? yield* stat(a) : yield* lstat(a);
    if (typeof st === "number") {
      yield* ls.out.flush();
      yield* bb_perror_msg("ls", a, st);
      ls.status = 1;
      continue;
    }
    const dn = { name: a, fullname: a, st };
    if (S_ISDIR(st.st_mode) && !o.has("d")) dirs.push(dn);
    else files.push(dn);
  }
  if (files.length) yield* display_files(ls, sort(ls, files));
  if (dirs.length) yield* show_dirs(ls, sort(ls, dirs), files.length === 0, args.length > 1);
  yield* ls.out.flush();
  return ls.status;
}

export const ls: Applet = { name: "ls", dir: "/bin", usage: USAGE, main: ls_main };
