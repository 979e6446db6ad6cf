/*
 * realpath.ts - glibc's realpath(3) and libbb's xmalloc_realpath_coreutils
 * (libbb/xreadlink.c), for readlink -f and realpath.
 *
 * realpath walks the name a component at a time from "/" (or the current
 * directory): "." is skipped, ".." drops the last component, anything else
 * is appended and lstat'ed; a symbolic link's target replaces it (an
 * absolute one restarts from "/"), at most 40 links in all (ELOOP). Every
 * component must exist, and all but the last must be directories.
 */

import { S_ISDIR, S_ISLNK } from "../../kernel/uapi/abi.js";
import { ELOOP, ENOENT, ENOTDIR } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { concat_path_file } from "./libbb.js";
import { getcwd, lstat, readlink } from "./sys.js";

const MAXSYMLINKS = 40;

/** realpath(3): the canonical absolute name, or -errno. */
export function* realpath(path: string): UserGen<string | number> {
  if (path === "") return -ENOENT;
  let resolved = "";
  if (path[0] !== "/") {
    const cwd = yield* getcwd();
    if (typeof cwd === "number") return cwd;
    resolved = cwd === "/" ? "" : cwd;
  }
  let rest = path.split("/");
  let links = 0;
  while (rest.length) {
    const comp = rest.shift() as string;
    if (comp === "" || comp === ".") continue;
    if (comp === "..") {
      resolved = resolved.slice(0, Math.max(0, resolved.lastIndexOf("/")));
      continue;
    }
    const next = `${resolved}/${comp}`;
    const st = yield* lstat(next);
    if (typeof st === "number") return st;
    if (S_ISLNK(st.st_mode)) {
      if (++links > MAXSYMLINKS) return -ELOOP;
      const target = yield* readlink(next);
      if (typeof target === "number") return target;
      if (target[0] === "/") resolved = "";
      rest = [...target.split("/"), ...rest];
      continue;
    }
    // (a trailing slash counts: "file/" is ENOTDIR too)
    if (!S_ISDIR(st.st_mode) && rest.length) return -ENOTDIR;
    resolved = next;
  }
  return resolved || "/";
}

/**
 * xmalloc_realpath_coreutils: realpath, except that a last component that
 * does not exist is allowed when the name has a slash (coreutils' readlink
 * -f and realpath succeed on "/tmp/new"; BusyBox fails on a bare "new"). A dangling symlink resolves its target, a relative one
 * against the current directory (BusyBox's way, not the link's own
 * directory). -errno when it cannot.
 */
export function* realpath_coreutils(path: string): UserGen<string | number> {
  const r = yield* realpath(path);
  if (typeof r === "string" || r !== -ENOENT) return r;
  const target = yield* readlink(path);
  if (typeof target === "string") {
    if (target[0] === "/") return yield* realpath_coreutils(target);
    const cwd = yield* getcwd();
    if (typeof cwd === "number") return cwd;
    return yield* realpath_coreutils(concat_path_file(cwd, target));
  }
  // ignore leading and trailing slashes
  let p = path;
  while (p[0] === "/" && p[1] === "/") p = p.slice(1);
  let i = p.length - 1;
  while (i > 0 && p[i] === "/") i--;
  p = p.slice(0, i + 1);
  const slash = p.lastIndexOf("/");
  if (slash < 0) return r;
  if (slash === 0) return p;
  // ("/proc/../new" is "//new": the directory's "/" and the slash)
  const dir = yield* realpath(p.slice(0, slash));
  if (typeof dir === "number") return dir;
  return `${dir}/${p.slice(slash + 1)}`;
}
