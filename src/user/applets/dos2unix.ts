/*
 * dos2unix.ts - dos2unix and unix2dos (coreutils/dos2unix.c): every "\r"
 * is dropped, and unix2dos writes each "\n" as "\r\n". -u (dos2unix) and
 * -d (unix2dos) choose, whichever comes last, over the applet's name.
 * Without FILE it filters stdin to stdout; each FILE is converted in place
 * (through a symlink to its target): the result goes to FILEXXXXXX made
 * by mkstemp with FILE's mode, which is then renamed over FILE.
 */

import { O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import { chmod, close, fstat, open, readlink, rename, unlink } from "../libc/sys.js";
import { gen_tempname } from "./mktemp.js";
import type { Applet } from "./registry.js";

const usage = (name: string, what: string): string => `${name} [-ud] [FILE]

Convert FILE in-place from ${what} format.
When no file is given, use stdin/stdout.

\t-u\tdos2unix
\t-d\tunix2dos`;

/** xmalloc_follow_symlinks: the path a chain of symlinks ends at (a path that is no link is itself). */
function* follow_symlinks(path: string): UserGen<string | number> {
  let buf = path;
  for (let loops = 0; ; loops++) {
    const link = yield* readlink(buf);
    if (typeof link === "number") return link === -22 /* EINVAL */ || link === -2 /* ENOENT */ ? buf : link;
    if (loops >= 20) return -40; // ELOOP
    const slash = buf.lastIndexOf("/");
    buf = link.startsWith("/") || slash < 0 ? link : buf.slice(0, slash + 1) + link;
  }
}

/** The bytes converted: "\r" dropped, "\n" as "\r\n" for unix2dos. */
function convert_bytes(b: Uint8Array, toDos: boolean): Uint8Array {
  const out: number[] = [];
  for (const c of b) {
    if (c === 13) continue;
    if (c === 10 && toDos) out.push(13);
    out.push(c);
  }
  return Uint8Array.from(out);
}

/** convert(): one FILE in place, or stdin to stdout; the status to exit with when it dies, else 0. */
function* convert(applet: string, fn: string | undefined, toDos: boolean): UserGen<number> {
  if (fn === undefined) {
    const out = yield* Writer.open(1);
    const r = new Reader(0);
    for (let b = yield* r.chunk(); b.length; b = yield* r.chunk()) yield* out.write(convert_bytes(b, toDos));
    yield* out.flush();
    return 0;
  }
  const resolved = yield* follow_symlinks(fn);
  if (typeof resolved === "number") {
    yield* bb_perror_msg(applet, fn, resolved);
    return 1;
  }
  const fd = yield* open_stdin(resolved === "-" ? "./-" : resolved);
  if (fd < 0) {
    yield* bb_perror_msg(applet, `can't open '${resolved}'`, fd);
    return 1;
  }
  const st = yield* fstat(fd);
  const temp = yield* gen_tempname(`${resolved}XXXXXX`, "file");
  if (typeof temp === "number") {
    yield* bb_perror_msg(applet, `${resolved}XXXXXX`, temp);
    return 1;
  }
  if (typeof st === "object") yield* chmod(temp, st.st_mode & 0o7777);
  const ofd = yield* open(temp, O_WRONLY | O_TRUNC);
  const out = new Writer(ofd, false);
  const r = new Reader(fd);
  for (let b = yield* r.chunk(); b.length; b = yield* r.chunk()) yield* out.write(convert_bytes(b, toDos));
  yield* out.flush();
  yield* close(ofd);
  yield* close_stdin(fd);
  if (out.error) {
    yield* unlink(temp);
    yield* bb_perror_msg(applet, "", out.error);
    return 1;
  }
  const rr = yield* rename(temp, resolved);
  if (rr < 0) {
    yield* bb_perror_msg(applet, `can't move '${temp}' to '${resolved}'`, rr);
    return 1;
  }
  return 0;
}

function* dos2unix_main(argv: string[], name: string): UserGen<number> {
  const o = yield* bb_getopt(argv, "du", usage(name, name === "dos2unix" ? "DOS to Unix" : "Unix to DOS"));
  if (!o) return 1;
  // "u--d:d--u": the two exclude each other
  if (o.has("d") && o.has("u"))
    return yield* bb_show_usage(usage(name, name === "dos2unix" ? "DOS to Unix" : "Unix to DOS"));
  const last = o.last("d", "u");
  const toDos = last ? last === "d" : name === "unix2dos";
  const files = o.rest.length ? o.rest : [undefined];
  for (const f of files) {
    const st = yield* convert(name, f, toDos);
    if (st) return st;
  }
  return 0;
}

export const dos2unix: Applet = {
  name: "dos2unix",
  dir: "/usr/bin",
  usage: usage("dos2unix", "DOS to Unix"),
  main: (argv) => dos2unix_main(argv, "dos2unix"),
};
export const unix2dos: Applet = {
  name: "unix2dos",
  dir: "/usr/bin",
  usage: usage("unix2dos", "Unix to DOS"),
  main: (argv) => dos2unix_main(argv, "unix2dos"),
};
