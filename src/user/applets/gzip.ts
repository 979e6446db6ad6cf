/*
 * gzip.ts - gzip, gunzip and zcat (BusyBox archival/gzip.c, bbunzip.c):
 * the file handling all three share (bbunpack), around the compressor of
 * libc/deflate.ts and the decompressor of libc/inflate.ts.
 *
 * For each FILE (stdin when there is none, or "-"):
 *   - the FILE is opened onto stdin (so a later "-" reads what it left:
 *     nothing), "FILE: No such file or directory" if it is not there;
 *   - with -c or -t the result goes to stdout (-t: nowhere); otherwise to
 *     FILE.gz (gzip) or FILE less .gz (.tgz gives .tar), made O_EXCL with
 *     FILE's mode ("can't open 'a.gz': File exists" unless -f removes it);
 *   - without -f, data is not read from a terminal;
 *   - on success the source is removed (not with -k; "can't remove file"
 *     ends the run), on failure the half-made output is;
 *   - -v reports "FILE: N% - replaced with NEW" with BusyBox's unsigned
 *     arithmetic (gzip's own percentage is always 100%).
 * gzip -d/-t is gunzip; zcat is gunzip -c that also refuses data that is not
 * compressed ("no gzip/bzip2/xz magic", fatal).
 *
 * Simplified: input is read whole before it is compressed (BusyBox reads
 * 64 KiB at a time; the bytes come out the same for a file); no .Z, .bz2 or
 * .xz decompression; the gunzipped file does not get the header's mtime
 * (BusyBox's gzip writes none).
 */

import { O_CREAT, O_EXCL, O_RDONLY, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { Deflater } from "../libc/deflate.js";
import { unpack_gz } from "../libc/inflate.js";
import { bb_getopt } from "../libc/libbb.js";
import { puts, strerror, write_all } from "../libc/stdio.js";
import { isatty } from "../libc/stream.js";
import { close, open, read, stat, unlink } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const GZIP_USAGE = `gzip [-cfkdt] [FILE]...

Compress FILEs (or stdin)

\t-d\tDecompress
\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity`;

const GUNZIP_USAGE = `gunzip [-cfkt] [FILE]...

Decompress FILEs (or stdin)

\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity`;

const ZCAT_USAGE = `zcat [FILE]...

Decompress to stdout`;

const GUNZIP_LONGOPTS = [
  { name: "stdout", arg: 0 as const, val: "c" },
  { name: "to-stdout", arg: 0 as const, val: "c" },
  { name: "force", arg: 0 as const, val: "f" },
  { name: "test", arg: 0 as const, val: "t" },
  { name: "no-name", arg: 0 as const, val: "n" },
];

const GZIP_LONGOPTS = [
  ...GUNZIP_LONGOPTS.filter((l) => l.name !== "test" && l.name !== "no-name"),
  { name: "verbose", arg: 0 as const, val: "v" },
  { name: "decompress", arg: 0 as const, val: "d" },
  { name: "uncompress", arg: 0 as const, val: "d" },
  { name: "test", arg: 0 as const, val: "t" },
  { name: "quiet", arg: 0 as const, val: "q" },
  { name: "fast", arg: 0 as const, val: "1" },
  { name: "best", arg: 0 as const, val: "9" },
  { name: "no-name", arg: 0 as const, val: "n" },
];

/** Thrown for BusyBox's *_and_die: the message is printed, status 1. */
class Die extends Error {}

/** One run of bbunpack: its options and what stdin currently is. */
interface Unpack {
  applet: string;
  stdout: boolean;
  force: boolean;
  keep: boolean;
  verbose: boolean;
  test: boolean;
  /** zcat: refuse what is not compressed */
  seamless: boolean;
  /** a FILE was moved onto stdin and read to its end */
  stdinUsed: boolean;
  compress: boolean;
  deflater: Deflater | null;
}

function* readAll(fd: number): UserGen<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const r = yield* read(fd, 65536);
    if (typeof r === "number" || r.length === 0) break;
    parts.push(r);
    n += r.length;
  }
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

/** make_new_name_gunzip: a.gz -> a, a.tgz -> a.tar, else null. */
function gunzipName(name: string): string | null {
  const dot = name.lastIndexOf(".");
  if (dot < 0) return null;
  const ext = name.slice(dot + 1);
  if (ext === "gz") return name.slice(0, dot);
  if (ext === "tgz") return `${name.slice(0, dot)}.tar`;
  return null;
}

/** One FILE (null: stdin) through the (un)packer; false on failure. */
function* unpackOne(
  u: Unpack,
  name: string | null,
  emit: (fd: number, b: Uint8Array) => UserGen<void>,
): UserGen<boolean> {
  let input: Uint8Array;
  let mode = 0o644;
  let size = 0;
  if (name !== null) {
    const st = yield* stat(name);
    if (typeof st === "number") {
      yield* puts(2, `${u.applet}: ${name}: ${strerror(st)}\n`);
      return false;
    }
    mode = st.st_mode & 0o7777;
    size = st.st_size;
    const fd = yield* open(name, O_RDONLY);
    if (fd < 0) {
      yield* puts(2, `${u.applet}: can't open '${name}': ${strerror(fd)}\n`);
      return false;
    }
    input = yield* readAll(fd);
    yield* close(fd);
    u.stdinUsed = true;
  } else {
    if (!u.force && !u.seamless && !u.stdinUsed && (yield* isatty(0)))
      throw new Die(`${u.applet}: compressed data not read from terminal, use -f to force it`);
    input = u.stdinUsed ? new Uint8Array(0) : yield* readAll(0);
  }
  if (u.seamless) {
    if (input.length < 2) throw new Die(`${u.applet}: short read`);
    if (input[0] !== 0x1f || input[1] !== 0x8b) throw new Die(`${u.applet}: no gzip/bzip2/xz magic`);
  }
  const toFile = name !== null && !u.stdout && !u.test;
  let newName: string | null = null;
  let ofd = 1;
  if (toFile) {
    newName = u.compress ? `${name}.gz` : gunzipName(name!);
    if (newName === null) {
      yield* puts(2, `${u.applet}: ${name}: unknown suffix - ignored\n`);
      return false;
    }
    if (u.force) yield* unlink(newName);
    ofd = yield* open(newName, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (ofd < 0) {
      yield* puts(2, `${u.applet}: can't open '${newName}': ${strerror(ofd)}\n`);
      return false;
    }
  }
  let ok = true;
  let status = 0;
  const out = (b: Uint8Array): UserGen<void> => (u.test ? nothing() : emit(ofd, b));
  if (u.compress) {
    u.deflater ??= new Deflater();
    yield* out(u.deflater.gzip(input));
  } else {
    const chunks: Uint8Array[] = [];
    const err = unpack_gz(input, (b) => chunks.push(b));
    for (const c of chunks) {
      yield* out(c);
      status += c.length;
    }
    if (err) {
      yield* puts(2, `${u.applet}: ${err}\n`);
      ok = false;
    }
  }
  if (toFile) yield* close(ofd);
  if (toFile && newName !== null) {
    if (ok) {
      if (u.verbose) {
        const percent = status ? Math.floor((size * 100) / status) : 0;
        yield* puts(2, `${name}: ${(100 - percent) >>> 0}% - replaced with ${newName}\n`);
      }
      if (!u.keep) {
        const r = yield* unlink(name!);
        if (r < 0) throw new Die(`${u.applet}: can't remove file '${name}': ${strerror(r)}`);
      }
    } else {
      const r = yield* unlink(newName);
      if (r < 0) throw new Die(`${u.applet}: can't remove file '${newName}': ${strerror(r)}`);
    }
  }
  return ok;
}

function* nothing(): UserGen<void> {}

/** bbunpack: every FILE in turn; the status. */
function* bbunpack(u: Unpack, files: string[]): UserGen<number> {
  const emit = function* (fd: number, b: Uint8Array): UserGen<void> {
    yield* write_all(fd, b);
  };
  let exitcode = 0;
  const list = files.length ? files : ["-"];
  try {
    for (const f of list) if (!(yield* unpackOne(u, f === "-" ? null : f, emit))) exitcode = 1;
  } catch (e) {
    if (!(e instanceof Die)) throw e;
    yield* puts(2, `${e.message}\n`);
    return 1;
  }
  return exitcode;
}

function unpackState(applet: string, o: { has(k: string): boolean }, compress: boolean): Unpack {
  return {
    applet,
    stdout: o.has("c"),
    force: o.has("f"),
    keep: o.has("k"),
    verbose: o.has("v"),
    test: o.has("t"),
    seamless: false,
    stdinUsed: false,
    compress,
    deflater: null,
  };
}

function* gunzip_like(applet: string, argv: string[], usage: string): UserGen<number> {
  const o = yield* bb_getopt(argv, "cfkvqdtn", usage, GUNZIP_LONGOPTS);
  if (!o) return 1;
  const u = unpackState(applet, o, false);
  if (applet === "zcat") {
    u.stdout = true;
    u.seamless = true;
  }
  return yield* bbunpack(u, o.rest);
}

function* gzip_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "cfkvqdtn123456789", GZIP_USAGE, GZIP_LONGOPTS);
  if (!o) return 1;
  if (o.has("d") || o.has("t")) return yield* gunzip_like("gzip", argv, GZIP_USAGE);
  return yield* bbunpack(unpackState("gzip", o, true), o.rest);
}

function* gunzip_main(argv: string[]): UserGen<number> {
  return yield* gunzip_like("gunzip", argv, GUNZIP_USAGE);
}

function* zcat_main(argv: string[]): UserGen<number> {
  return yield* gunzip_like("zcat", argv, ZCAT_USAGE);
}

export const gzip: Applet = { name: "gzip", dir: "/bin", usage: GZIP_USAGE, main: gzip_main };
export const gunzip: Applet = { name: "gunzip", dir: "/bin", usage: GUNZIP_USAGE, main: gunzip_main };
export const zcat: Applet = { name: "zcat", dir: "/bin", usage: ZCAT_USAGE, main: zcat_main };
