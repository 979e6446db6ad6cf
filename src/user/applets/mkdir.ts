/*
 * mkdir.ts - mkdir (coreutils/mkdir.c, libbb/make_directory.c): create
 * directories. -p creates missing parents and accepts existing ones; -m
 * MODE (octal or symbolic, relative to a=rwx) is applied with chmod after
 * creation, so the umask does not mask it.
 */

import { S_ISDIR } from "../../kernel/uapi/abi.js";
import { EEXIST, ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { bb_parse_mode } from "../libc/mode.js";
import { puts, strerror } from "../libc/stdio.js";
import { chmod, mkdir, stat, umask } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mkdir [-m MODE] [-p] DIRECTORY...

Create DIRECTORY

\t-m MODE\tMode
\t-p\tNo error if exists; make parent directories as needed`;

/** bb_make_directory: 0, or the errno of the component that failed and its path. */
/**
 * bb_make_directory: path (with -p its missing parents too); [0 or -errno,
 * the path it failed on]. With -v each directory it creates is named, a
 * parent with the slashes that end it ("created directory: 'x/'").
 */
function* make_directory(
  path: string,
  mode: number,
  parents: boolean,
  verbose: boolean,
): UserGen<[number, string]> {
  if (parents) {
    // Each parent: the path up to a slash (and the slashes right after it).
    for (const m of path.matchAll(/[^/]\/+(?=[^/])/g)) {
      const end = m.index + m[0].length;
      const sub = path.slice(0, m.index + 1);
      if (sub === "." || sub === ".." || sub.endsWith("/.") || sub.endsWith("/..")) continue;
      const r = yield* mkdir(sub, 0o777);
      if (r < 0 && r !== -EEXIST) return [r, sub];
      if (r === -EEXIST) {
        const st = yield* stat(sub);
        if (typeof st === "number" || !S_ISDIR(st.st_mode)) return [-20, path]; // ENOTDIR
      } else if (verbose) yield* puts(1, `created directory: '${path.slice(0, end)}'\n`);
    }
  }
  const r = yield* mkdir(path, mode === -1 ? 0o777 : mode);
  if (r === -EEXIST && parents) {
    const st = yield* stat(path);
    if (typeof st !== "number" && S_ISDIR(st.st_mode)) return [0, path];
  }
  if (r < 0) return [r, path];
  if (mode !== -1) yield* chmod(path, mode);
  if (verbose) yield* puts(1, `created directory: '${path}'\n`);
  return [0, path];
}

function* mkdir_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "m:pv", USAGE, [
    { name: "mode", arg: 1, val: "m" },
    { name: "parents", arg: 0, val: "p" },
    { name: "verbose", arg: 0, val: "v" },
  ]);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  let mode = -1;
  const m = o.arg("m");
  if (m !== undefined) {
    // bb_parse_mode reads the umask (umask(0) and back) for clauses that name nobody.
    const mask = yield* umask(0);
    yield* umask(mask);
    const v = bb_parse_mode(m, 0o777, mask);
    if (v === null) {
      yield* bb_error_msg("mkdir", `invalid mode '${m}'`);
      return 1;
    }
    mode = v;
  }
  let status = 0;
  for (const path of o.rest) {
    const [err, what] = yield* make_directory(path, mode, o.has("p"), o.has("v"));
    if (err < 0) {
      yield* bb_error_msg(
        "mkdir",
        `can't create directory '${err === -ENOENT ? path : what}': ${strerror(err)}`,
      );
      status = 1;
    }
  }
  return status;
}

export const mkdir_applet: Applet = { name: "mkdir", dir: "/bin", usage: USAGE, main: mkdir_main };
