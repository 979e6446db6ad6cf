/*
 * tar.ts - tar (BusyBox archival/tar.c with libarchive's get_header_tar.c,
 * data_extract_all.c and header_verbose_list.c): create, list and extract
 * archives in the old GNU "ustar  " format BusyBox writes, -z through
 * libc/deflate.ts and libc/inflate.ts.
 *
 * A member is a 512-byte header then its data padded to 512; the archive
 * ends with two zero blocks (no padding to a record size):
 *
 *   0 name[100] 100 mode[8] 108 uid[8] 116 gid[8] 124 size[12]
 *   136 mtime[12] 148 chksum[8] 156 typeflag 157 linkname[100]
 *   257 "ustar  \0" 265 uname[32] 297 gname[32] 329 devmajor[8]
 *   337 devminor[8] 345 prefix[155]
 *
 * Numbers are octal, NUL-ended ("0000755\0"); the checksum is the byte sum
 * with the field as spaces, "%06o\0 ". Names of 100 bytes or more go first
 * in a "././@LongLink" member (type L, K for link targets).
 *
 * Simplified: no -j/-J/-Z/-a, no --to-command, no device nodes or FIFOs in
 * archives made here, names are not checked for "../".
 */

import { O_CREAT, O_EXCL, O_RDONLY, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import { Deflater } from "../libc/deflate.js";
import { read_dir } from "../libc/file.js";
import { unpack_gz } from "../libc/inflate.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { bb_mode_string } from "../libc/mode.js";
import { getgrgid, getpwuid } from "../libc/pwd.js";
import { puts, strerror, write_all } from "../libc/stdio.js";
import {
  chdir,
  close,
  lstat,
  mkdir,
  open,
  read,
  readlink,
  stat,
  symlink,
  unlink,
  utimens,
} from "../libc/sys.js";
import { gmtime } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [FILE]...

Create, extract, or list files from a tar file

\tc\tCreate
\tx\tExtract
\tt\tList
\t-f FILE\tName of TARFILE ('-' for stdin/out)
\t-C DIR\tChange to DIR before operation
\t-v\tVerbose
\t-O\tExtract to stdout
\t-m\tDon't restore mtime
\t-o\tDon't restore user:group
\t-k\tDon't replace existing files
\t-Z\t(De)compress using compress
\t-z\t(De)compress using gzip
\t-J\t(De)compress using xz
\t-j\t(De)compress using bzip2
\t--lzma\t(De)compress using lzma
\t-a\t(De)compress based on extension
\t-h\tFollow symlinks
\t--overwrite\t\tReplace existing files
\t--strip-components NUM\tNUM of leading components to strip
\t--no-recursion\t\tDon't descend in directories
\t--numeric-owner\t\tUse numeric user:group
\t--no-same-permissions\tDon't restore access permissions
\t--to-command COMMAND\tPipe files to COMMAND`;

const BLOCK = 512;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

class TarDie extends Error {}

const enc8 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const str8 = (b: Uint8Array): string => String.fromCharCode(...b);

/** putOctal: len-1 octal digits and a NUL. */
function putOctal(h: Uint8Array, off: number, len: number, value: number): void {
  h.set(enc8(`${value.toString(8).padStart(len - 1, "0")}\0`), off);
}

function putStr(h: Uint8Array, off: number, len: number, s: string): void {
  h.set(enc8(s).subarray(0, len), off);
}

/** chksum_and_xwrite's header: magic, then the checksum over it. */
function finishHeader(h: Uint8Array): Uint8Array {
  h.set(enc8("ustar  "), 257);
  h.fill(32, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  putOctal(h, 148, 7, sum);
  return h;
}

/* ---- create ---- */

interface Create {
  out: Uint8Array[];
  verbose: boolean;
  verboseToStderr: boolean;
  deref: boolean;
  recurse: boolean;
  failed: boolean;
  warnedSlash: boolean;
  names: Map<number, string>;
  groups: Map<number, string>;
  links: Map<string, string>;
}

function pad(c: Create, len: number): void {
  const n = -len & (BLOCK - 1);
  if (n) c.out.push(new Uint8Array(n));
}

/** strip_unsafe_prefix: how much of a name is leading "/" and everything up to a last "../". */
function unsafePrefix(str: string): number {
  let cp = 0;
  for (;;) {
    if (str[cp] === "/") {
      cp++;
      continue;
    }
    if (str.startsWith("../", cp)) {
      cp += 3;
      continue;
    }
    const cp2 = str.indexOf("/../", cp);
    if (cp2 < 0) break;
    cp = cp2 + 4;
  }
  return cp;
}

/** writeLongname: a ././@LongLink member holding a long name or link target. */
function writeLongname(c: Create, type: string, name: string, dir: boolean): void {
  const h = new Uint8Array(BLOCK);
  const size = name.length + 1 + (dir ? 1 : 0);
  putStr(h, 0, 100, "././@LongLink");
  h.set(enc8("0000000\u00000000000\u00000000000\u000000000000000\u000000000000000\0"), 100);
  putOctal(h, 124, 12, size);
  h[156] = type.charCodeAt(0);
  c.out.push(finishHeader(h));
  c.out.push(enc8(dir ? `${name}/\0` : `${name}\0`));
  pad(c, size);
}

function* userName(c: Create, uid: number): UserGen<string> {
  let n = c.names.get(uid);
  if (n === undefined) {
    n = (yield* getpwuid(uid))?.pw_name ?? String(uid);
    c.names.set(uid, n);
  }
  return n;
}

function* groupName(c: Create, gid: number): UserGen<string> {
  let n = c.groups.get(gid);
  if (n === undefined) {
    n = (yield* getgrgid(gid))?.gr_name ?? String(gid);
    c.groups.set(gid, n);
  }
  return n;
}

function* readFile(path: string): UserGen<Uint8Array | number> {
  const fd = yield* open(path, O_RDONLY);
  if (fd < 0) return fd;
  const parts: Uint8Array[] = [];
  for (;;) {
    const r = yield* read(fd, 65536);
    if (typeof r === "number") {
      yield* close(fd);
      return r;
    }
    if (r.length === 0) break;
    parts.push(r);
  }
  yield* close(fd);
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

/** writeFileToTarball: one path's header and data. */
function* writeEntry(c: Create, path: string, st: Stat): UserGen<void> {
  const skip = unsafePrefix(path);
  if (skip && !c.warnedSlash) {
    yield* puts(2, `tar: removing leading '${path.slice(0, skip)}' from member names\n`);
    c.warnedSlash = true;
  }
  let name = path.slice(skip);
  if (!name) return;
  const type = st.st_mode & S_IFMT;
  let typeflag = "0";
  let linkname = "";
  let data: Uint8Array | null = null;
  const key = `${st.st_dev}:${st.st_ino}`;
  const hardlink = type !== S_IFDIR && st.st_nlink > 1 ? c.links.get(key) : undefined;
  if (hardlink !== undefined) {
    typeflag = "1";
    linkname = hardlink;
  } else if (type === S_IFDIR) {
    typeflag = "5";
    if (!name.endsWith("/")) name += "/";
  } else if (type === S_IFLNK) {
    typeflag = "2";
    const t = yield* readlink(path);
    if (typeof t === "number") {
      yield* puts(2, `tar: ${path}: ${strerror(t)}\n`);
      c.failed = true;
      return;
    }
    linkname = t;
  } else if (type === S_IFREG) {
    const d = yield* readFile(path);
    if (typeof d === "number") {
      yield* puts(2, `tar: can't open '${path}': ${strerror(d)}\n`);
      c.failed = true;
      return;
    }
    data = d;
    if (st.st_nlink > 1) c.links.set(key, name);
  } else {
    yield* puts(2, `tar: ${path}: unknown file type\n`);
    return;
  }
  if (linkname.length >= 100) writeLongname(c, "K", linkname, false);
  if (name.length >= 100) writeLongname(c, "L", name.replace(/\/$/, ""), typeflag === "5");
  const h = new Uint8Array(BLOCK);
  putStr(h, 0, 100, name);
  putOctal(h, 100, 8, st.st_mode & 0o7777);
  putOctal(h, 108, 8, st.st_uid);
  putOctal(h, 116, 8, st.st_gid);
  if (data) putOctal(h, 124, 12, data.length);
  else h.fill(48, 124, 135);
  putOctal(h, 136, 12, Math.max(st.st_mtime, 0));
  h[156] = typeflag.charCodeAt(0);
  putStr(h, 157, 100, linkname);
  putStr(h, 265, 31, yield* userName(c, st.st_uid));
  putStr(h, 297, 31, yield* groupName(c, st.st_gid));
  c.out.push(finishHeader(h));
  if (c.verbose) yield* puts(c.verboseToStderr ? 2 : 1, `${name}\n`);
  if (data) {
    c.out.push(data);
    pad(c, data.length);
  }
}

function* addPath(c: Create, path: string): UserGen<void> {
  const st = c.deref ? yield* stat(path) : yield* lstat(path);
  if (typeof st === "number") {
    yield* puts(2, `tar: ${path}: ${strerror(st)}\n`);
    c.failed = true;
    return;
  }
  yield* writeEntry(c, path, st);
  if ((st.st_mode & S_IFMT) !== S_IFDIR || !c.recurse) return;
  const ents = yield* read_dir(path);
  if (typeof ents === "number") {
    yield* puts(2, `tar: ${path}: ${strerror(ents)}\n`);
    c.failed = true;
    return;
  }
  for (const e of ents) {
    if (e.d_name === "." || e.d_name === "..") continue;
    yield* addPath(c, path.endsWith("/") ? path + e.d_name : `${path}/${e.d_name}`);
  }
}

/* ---- list and extract ---- */

interface Entry {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: string;
  link: string;
  uname: string;
  gname: string;
  data: Uint8Array;
}

const field = (h: Uint8Array, off: number, len: number): string => {
  const s = str8(h.subarray(off, off + len));
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
};
const octal = (h: Uint8Array, off: number, len: number): number => {
  const s = field(h, off, len).trim();
  return s ? Number.parseInt(s, 8) || 0 : 0;
};

/** get_header_tar over a whole archive: member after member; a bad one ends it (TarDie). */
function* parseArchive(a: Uint8Array): Generator<Entry> {
  let p = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  for (;;) {
    // EOF where a header should be ends the archive, unless there was none at all
    if (p >= a.length) {
      if (p === 0) throw new TarDie("tar: short read");
      return;
    }
    if (p + BLOCK > a.length) throw new TarDie("tar: short read");
    const h = a.subarray(p, p + BLOCK);
    p += BLOCK;
    if (h[0] === 0 && h[345] === 0) return;
    if (field(h, 257, 5) !== "ustar") throw new TarDie("tar: invalid tar magic");
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== octal(h, 148, 8)) throw new TarDie("tar: invalid tar header checksum");
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 48);
    // data cut short is not noticed by a listing (data_skip), only by extraction
    const data = a.slice(p, p + size);
    p += (size + BLOCK - 1) & ~(BLOCK - 1);
    if (type === "L" || type === "K") {
      const s = str8(data).replace(/\0.*$/s, "");
      if (type === "L") longName = s;
      else longLink = s;
      continue;
    }
    let name = field(h, 0, 100);
    const prefix = field(h, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
    if (longName !== null) name = longName;
    const link = longLink ?? field(h, 157, 100);
    longName = longLink = null;
    yield {
      name,
      mode: octal(h, 100, 8),
      uid: octal(h, 108, 8),
      gid: octal(h, 116, 8),
      size,
      mtime: octal(h, 136, 12),
      type,
      link,
      uname: field(h, 265, 32),
      gname: field(h, 297, 32),
      data,
    };
  }
}

const TYPE_BITS: Record<string, number> = {
  "0": S_IFREG,
  "1": S_IFREG,
  "2": S_IFLNK,
  "5": S_IFDIR,
  "7": S_IFREG,
};

/** header_verbose_list: "-rw-r--r-- root/root         6 2020-01-02 03:04:05 a". */
function verboseLine(e: Entry): string {
  const tm = gmtime(e.mtime);
  const d = (n: number): string => String(n).padStart(2, "0");
  const mode = bb_mode_string((TYPE_BITS[e.type] ?? S_IFREG) | (e.mode & 0o7777));
  const user = e.uname || String(e.uid);
  const group = e.gname || String(e.gid);
  let s = `${mode} ${user}/${group} ${String(e.size).padStart(9)} ${String(1900 + tm.tm_year).padStart(4)}-${d(tm.tm_mon + 1)}-${d(tm.tm_mday)} ${d(tm.tm_hour)}:${d(tm.tm_min)}:${d(tm.tm_sec)} ${e.name}`;
  if (e.type === "2") s += ` -> ${e.link}`;
  if (e.type === "1") s += ` link to ${e.link}`;
  return `${s}\n`;
}

interface Extract {
  keepOld: boolean;
  noMtime: boolean;
  toStdout: boolean;
}

/** data_extract_all: one member onto the disk (or stdout with -O). */
function* extractEntry(x: Extract, e: Entry): UserGen<boolean> {
  let name = e.name;
  if (x.toStdout) {
    if (e.type === "0" || e.type === "7") yield* write_all(1, e.data);
    return true;
  }
  if (e.data.length < e.size) throw new TarDie("tar: short read");
  name = name.slice(unsafePrefix(name));
  if (!name) return true;
  const slash = name.replace(/\/+$/, "").lastIndexOf("/");
  if (slash > 0) yield* mkdirs(name.slice(0, slash));
  if (e.type === "5") {
    const r = yield* mkdir(name, e.mode & 0o7777);
    if (r < 0 && r !== -17) {
      yield* puts(2, `tar: can't make dir '${name}': ${strerror(r)}\n`);
      return false;
    }
  } else {
    if (!x.keepOld) {
      const st = yield* lstat(name);
      if (typeof st !== "number" && (st.st_mode & S_IFMT) !== S_IFDIR) yield* unlink(name);
    }
    if (e.type === "2") {
      const r = yield* symlink(e.link, name);
      if (r < 0) {
        yield* puts(2, `tar: can't create symlink '${name}' to '${e.link}': ${strerror(r)}\n`);
        return false;
      }
      return true;
    }
    const fd = yield* open(name, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, e.mode & 0o7777);
    if (fd < 0) {
      yield* puts(2, `tar: can't open '${name}': ${strerror(fd)}\n`);
      return false;
    }
    yield* write_all(fd, e.data);
    yield* close(fd);
  }
  if (!x.noMtime) yield* utimens(name, e.mtime, e.mtime);
  return true;
}

function* mkdirs(dir: string): UserGen<void> {
  let cur = dir.startsWith("/") ? "/" : "";
  for (const part of dir.split("/").filter((s) => s)) {
    cur += `${part}`;
    yield* mkdir(cur, 0o777);
    cur += "/";
  }
}

function* tar_main(argv: string[]): UserGen<number> {
  const args = [...argv];
  if (args.length > 1 && !args[1]!.startsWith("-")) args[1] = `-${args[1]}`;
  const o = yield* bb_getopt(args, "cxtvOmokzZJjahf:C:", USAGE, [
    { name: "directory", arg: 1, val: "C" },
    { name: "file", arg: 1, val: "f" },
    { name: "verbose", arg: 0, val: "v" },
    { name: "to-stdout", arg: 0, val: "O" },
    { name: "gzip", arg: 0, val: "z" },
    { name: "dereference", arg: 0, val: "h" },
    { name: "no-recursion", arg: 0, val: "R" },
    { name: "overwrite", arg: 0, val: "W" },
    { name: "keep-old", arg: 0, val: "k" },
    { name: "touch", arg: 0, val: "m" },
  ]);
  if (!o) return 1;
  const modes = ["c", "x", "t"].filter((m) => o.has(m));
  if (modes.length !== 1) return yield* bb_show_usage(USAGE);
  const file = o.arg("f") ?? "-";
  const dir = o.arg("C");
  try {
    if (o.has("c")) {
      if (o.rest.length === 0) throw new TarDie("tar: empty archive");
      let fd = 1;
      if (file !== "-") {
        fd = yield* open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
        if (fd < 0) throw new TarDie(`tar: can't open '${file}': ${strerror(fd)}`);
      }
      if (dir !== undefined) yield* cd(dir);
      const c: Create = {
        out: [],
        verbose: o.has("v"),
        verboseToStderr: fd === 1,
        deref: o.has("h"),
        recurse: !o.has("R"),
        failed: false,
        warnedSlash: false,
        names: new Map(),
        groups: new Map(),
        links: new Map(),
      };
      for (const f of o.rest) yield* addPath(c, f);
      c.out.push(new Uint8Array(2 * BLOCK));
      let tarball = concat(c.out);
      if (o.has("z")) tarball = new Deflater().gzip(tarball);
      yield* write_all(fd, tarball);
      if (fd !== 1) yield* close(fd);
      if (c.failed) throw new TarDie("tar: error exit delayed from previous errors");
      return 0;
    }
    let input: Uint8Array;
    if (file === "-") {
      const r = yield* readFd(0);
      input = r;
    } else {
      const r = yield* readFile(file);
      if (typeof r === "number") throw new TarDie(`tar: can't open '${file}': ${strerror(r)}`);
      input = r;
    }
    if (dir !== undefined) yield* cd(dir);
    if (o.has("z")) {
      const parts: Uint8Array[] = [];
      const err = unpack_gz(input, (b) => parts.push(b));
      // BusyBox's gunzip child says what is wrong, then tar reads nothing
      if (err) throw new TarDie(`tar: ${err}\ntar: short read`);
      input = concat(parts);
    }
    const wanted = new Set(o.rest);
    const found = new Set<string>();
    const x: Extract = { keepOld: o.has("k"), noMtime: o.has("m"), toStdout: o.has("O") };
    let status = 0;
    for (const e of parseArchive(input)) {
      if (wanted.size) {
        const hit = [...wanted].find(
          (w) =>
            e.name === w || e.name.replace(/\/$/, "") === w || e.name.startsWith(`${w.replace(/\/$/, "")}/`),
        );
        if (hit === undefined) continue;
        found.add(hit);
      }
      if (o.has("t")) {
        yield* puts(1, o.has("v") ? verboseLine(e) : `${e.name}\n`);
        continue;
      }
      if (o.has("v")) yield* puts(x.toStdout ? 2 : 1, o.count("v") > 1 ? verboseLine(e) : `${e.name}\n`);
      if (!(yield* extractEntry(x, e))) status = 1;
    }
    for (const w of wanted) {
      if (!found.has(w)) {
        yield* puts(2, `tar: ${w}: not found in archive\n`);
        status = 1;
      }
    }
    return status;
  } catch (e) {
    if (!(e instanceof TarDie)) throw e;
    yield* puts(2, `${e.message}\n`);
    return 1;
  }
}

function* readFd(fd: number): UserGen<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const r = yield* read(fd, 65536);
    if (typeof r === "number" || r.length === 0) break;
    parts.push(r);
  }
  return concat(parts);
}

function* cd(dir: string): UserGen<void> {
  const r = yield* chdir(dir);
  if (r < 0) throw new TarDie(`tar: can't change directory to '${dir}': ${strerror(r)}`);
}

export const tar: Applet = { name: "tar", dir: "/bin", usage: USAGE, main: tar_main };
