/*
 * basename.ts - basename and dirname (coreutils/basename.c, dirname.c):
 * the last component of a path (minus SUFFIX; -a for several paths, -s SUF
 * for a suffix on each), and everything before it.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const BASENAME_USAGE = `basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...

Strip directory path and SUFFIX from FILE

\t-a\t\tAll arguments are FILEs
\t-s SUFFIX\tRemove SUFFIX (implies -a)`;

const DIRNAME_USAGE = `dirname FILENAME

Strip non-directory suffix from FILENAME`;

/** POSIX basename: trailing slashes ignored, "/" for the root. */
export function base_of(p: string, suffix = ""): string {
  const t = p.replace(/\/+$/, "");
  if (t === "") return p.startsWith("/") ? "/" : "";
  let b = t.slice(t.lastIndexOf("/") + 1);
  if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
  return b;
}

/**
 * glibc's dirname: "." without a slash, "/" for the root - but "//" when
 * the path starts with exactly two slashes and nothing but them comes
 * before its last component ("//", "//a"), as XBD 4.10 allows.
 */
export function dir_of(p: string): string {
  let last = p.lastIndexOf("/");
  if (last > 0 && last === p.length - 1) {
    // Trailing slashes: look for the slash before them.
    let run = last;
    while (run > 0 && p[run - 1] === "/") run--;
    if (run > 0) last = p.lastIndexOf("/", run - 1);
  }
  if (last < 0) return ".";
  let run = last;
  while (run > 0 && p[run - 1] === "/") run--;
  if (run > 0) return p.slice(0, run);
  return last === 1 ? "//" : "/";
}

function* basename_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+as:", BASENAME_USAGE);
  if (!o) return 1;
  const all = o.has("a") || o.has("s");
  const args = o.rest;
  if (args.length === 0 || (!all && args.length > 2)) return yield* bb_show_usage(BASENAME_USAGE);
  if (!all) {
    yield* puts(1, `${base_of(args[0], args[1])}\n`);
    return 0;
  }
  yield* puts(1, args.map((a) => `${base_of(a, o.arg("s"))}\n`).join(""));
  return 0;
}

/** dirname takes no options (single_argv): "--" is skipped, "dirname -y" prints ".". */
function* dirname_main(argv: string[]): UserGen<number> {
  const args = argv[1] === "--" ? argv.slice(2) : argv.slice(1);
  if (args.length !== 1) return yield* bb_show_usage(DIRNAME_USAGE);
  yield* puts(1, `${dir_of(args[0])}\n`);
  return 0;
}

export const basename: Applet = {
  name: "basename",
  dir: "/usr/bin",
  usage: BASENAME_USAGE,
  main: basename_main,
};
export const dirname: Applet = { name: "dirname", dir: "/usr/bin", usage: DIRNAME_USAGE, main: dirname_main };
