/*
 * copy.ts - copying and removing file trees (libbb/copy_file.c,
 * remove_file.c), shared by cp, mv and rm.
 *
 * copy_file copies one source to one destination name: regular files by
 * read/write through bb_copyfd_eof's buffer (copyfd.ts), directories recursively (only with FILEUTILS_RECUR), symlinks
 * as links when asked to preserve them, or (-l/-s) by linking instead of
 * copying. remove_file unlinks a file or, recursively, a directory tree.
 * Both print BusyBox's messages and return 0 or -1.
 */

import {
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  S_ISDIR,
  S_ISLNK,
  S_ISREG,
} from "../../kernel/uapi/abi.js";
import { ENOENT } from "../../kernel/uapi/errno.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import { COPYBUF_SIZE, copybuf_filled, copybuf_map, copybuf_unmap } from "./copyfd.js";
import { read_dir } from "./file.js";
import { bb_error_msg, concat_path_file } from "./libbb.js";
import { puts, strerror, write_all } from "./stdio.js";
import {
  chmod,
  chown,
  close,
  link,
  lstat,
  mkdir,
  open,
  read,
  readlink,
  rmdir,
  stat,
  symlink,
  unlink,
  utimens,
} from "./sys.js";

/** FILEUTILS_* flags of libbb.h. */
export interface CopyFlags {
  recurse?: boolean; // -R
  preserve?: boolean; // -p: mode, owner, times
  noDereference?: boolean; // -d/-P, and -R without -L: copy symlinks as links
  followTop?: boolean; // -H: follow the symlinks named on the command line
  force?: boolean; // -f: unlink a destination that cannot be opened
  interactive?: boolean; // -i
  noClobber?: boolean; // -n
  makeHardlink?: boolean; // -l
  makeSoftlink?: boolean; // -s
  update?: boolean; // -u: only when the source is newer
  verbose?: boolean; // -v: "'SRC' -> 'DST'" for each one copied
  /** (dev, inode) of each directory this copy made or filled: copying one of them again is a recursion. */
  dirs?: Set<string>;
}

/**
 * "applet: prompt? " and a y/Y answer on stdin, read a byte at a time so
 * that the next prompt gets the next line ("yes | rm -i a b").
 */
export function* bb_ask_y_confirmation(applet: string, prompt: string): UserGen<boolean> {
  yield* puts(2, `${applet}: ${prompt}? `);
  let first = -1;
  for (;;) {
    const r = yield* read(0, 1);
    if (typeof r === "number" || r.length === 0 || r[0] === 10) break;
    if (first < 0) first = r[0];
  }
  return first === 0x79 || first === 0x59;
}

function* copy_data(applet: string, src: string, dst: string, st: Stat, force: boolean): UserGen<number> {
  const in_fd = yield* open(src, O_RDONLY);
  if (in_fd < 0) {
    yield* bb_error_msg(applet, `can't open '${src}': ${strerror(in_fd)}`);
    return -1;
  }
  let out_fd = yield* open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 0o7777);
  if (out_fd < 0 && force && out_fd !== -ENOENT) {
    yield* unlink(dst);
    out_fd = yield* open(dst, O_WRONLY | O_CREAT | O_EXCL, st.st_mode & 0o7777);
  }
  if (out_fd < 0) {
    yield* close(in_fd);
    yield* bb_error_msg(applet, `can't create '${dst}': ${strerror(out_fd)}`);
    return -1;
  }
  let status = 0;
  const buf = yield* copybuf_map();
  for (;;) {
    const r = yield* read(in_fd, COPYBUF_SIZE);
    if (typeof r === "number") {
      yield* bb_error_msg(applet, `read error: ${strerror(r)}`);
      status = -1;
      break;
    }
    if (r.length === 0) break;
    yield* copybuf_filled(buf, r.length);
    const w = yield* write_all(out_fd, r);
    if (w < 0) {
      yield* bb_error_msg(applet, `write error: ${strerror(w)}`);
      status = -1;
      break;
    }
  }
  yield* copybuf_unmap(buf);
  yield* close(in_fd);
  yield* close(out_fd);
  return status;
}

function* preserve(dst: string, st: Stat): UserGen<void> {
  yield* chown(dst, st.st_uid, st.st_gid);
  yield* chmod(dst, st.st_mode & 0o7777);
  yield* utimens(dst, st.st_atime, st.st_mtime);
}

/** copy_file(source, dest, flags): 0 on success, -1 after printing why not. */
export function* copy_file(
  applet: string,
  src: string,
  dst: string,
  f: CopyFlags,
  top = true,
): UserGen<number> {
  const follow = !f.noDereference || (top && f.followTop);
  const sst = follow ? yield* stat(src) : yield* lstat(src);
  if (typeof sst === "number") {
    yield* bb_error_msg(applet, `can't stat '${src}': ${strerror(sst)}`);
    return -1;
  }
  const dst_st = yield* lstat(dst);
  const dst_exists = typeof dst_st !== "number";
  if (dst_exists && dst_st.st_dev === sst.st_dev && dst_st.st_ino === sst.st_ino) {
    yield* bb_error_msg(applet, `'${src}' and '${dst}' are the same file`);
    return -1;
  }
  if (S_ISDIR(sst.st_mode)) {
    if (!f.recurse) {
      yield* bb_error_msg(applet, `omitting directory '${src}'`);
      return -1;
    }
    // "cp -r d d": the copy would walk into what it is making (is_in_ino_dev_hashtable).
    f.dirs ??= new Set();
    if (f.dirs.has(`${sst.st_dev}:${sst.st_ino}`)) {
      yield* bb_error_msg(applet, `recursion detected, omitting directory '${src}'`);
      return -1;
    }
    if (dst_exists && !S_ISDIR(dst_st.st_mode)) {
      yield* bb_error_msg(applet, `target '${dst}' is not a directory`);
      return -1;
    }
    if (!dst_exists) {
      const r = yield* mkdir(dst, (sst.st_mode & 0o777) | 0o700);
      if (r < 0) {
        yield* bb_error_msg(applet, `can't create directory '${dst}': ${strerror(r)}`);
        return -1;
      }
    }
    const made = yield* lstat(dst);
    if (typeof made !== "number") f.dirs.add(`${made.st_dev}:${made.st_ino}`);
    const ents = yield* read_dir(src);
    if (typeof ents === "number") {
      yield* bb_error_msg(applet, `can't open '${src}': ${strerror(ents)}`);
      return -1;
    }
    let status = 0;
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      if (
        (yield* copy_file(
          applet,
          concat_path_file(src, e.d_name),
          concat_path_file(dst, e.d_name),
          f,
          false,
        )) < 0
      )
        status = -1;
    }
    if (f.preserve || !dst_exists) yield* chmod(dst, sst.st_mode & 0o7777);
    if (f.preserve) yield* preserve(dst, sst);
    if (f.verbose) yield* puts(1, `'${src}' -> '${dst}'\n`);
    return status;
  }
  if (dst_exists) {
    if (f.noClobber) return 0;
    if (f.update && typeof dst_st !== "number" && dst_st.st_mtime >= sst.st_mtime) return 0;
    if (f.interactive && !(yield* bb_ask_y_confirmation(applet, `overwrite '${dst}'`))) return 0;
  }
  if (f.makeSoftlink || f.makeHardlink) {
    if (dst_exists && f.force) yield* unlink(dst);
    const r = f.makeSoftlink ? yield* symlink(src, dst) : yield* link(src, dst);
    if (r < 0) {
      yield* bb_error_msg(applet, `can't create link '${dst}' to '${src}': ${strerror(r)}`);
      return -1;
    }
    return 0;
  }
  if (S_ISLNK(sst.st_mode)) {
    const target = yield* readlink(src);
    if (typeof target === "number") {
      yield* bb_error_msg(applet, `can't read link '${src}': ${strerror(target)}`);
      return -1;
    }
    if (dst_exists) yield* unlink(dst);
    const r = yield* symlink(target, dst);
    if (r < 0) {
      yield* bb_error_msg(applet, `can't create symlink '${dst}' to '${target}': ${strerror(r)}`);
      return -1;
    }
    return 0;
  }
  if (!S_ISREG(sst.st_mode) && f.recurse) {
    yield* bb_error_msg(applet, `unrecognized file '${src}' with mode ${sst.st_mode.toString(8)}`);
    return -1;
  }
  if ((yield* copy_data(applet, src, dst, sst, f.force ?? false)) < 0) return -1;
  if (f.preserve) yield* preserve(dst, sst);
  if (f.verbose) yield* puts(1, `'${src}' -> '${dst}'\n`);
  return 0;
}

/** remove_file(path, flags): recursive with `recurse`; -f silences missing files. */
export function* remove_file(
  applet: string,
  path: string,
  f: { recurse?: boolean; force?: boolean; interactive?: boolean; verbose?: boolean },
): UserGen<number> {
  const st = yield* lstat(path);
  if (typeof st === "number") {
    if (st !== -ENOENT) yield* bb_error_msg(applet, `can't stat '${path}': ${strerror(st)}`);
    else if (f.force) return 0;
    else yield* bb_error_msg(applet, `can't remove '${path}': ${strerror(st)}`);
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!f.recurse) {
      yield* bb_error_msg(applet, `'${path}' is a directory`);
      return -1;
    }
    if (f.interactive && !(yield* bb_ask_y_confirmation(applet, `descend into directory '${path}'`)))
      return 0;
    const ents = yield* read_dir(path);
    let status = 0;
    if (typeof ents === "number") {
      yield* bb_error_msg(applet, `can't open '${path}': ${strerror(ents)}`);
      return -1;
    }
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      if ((yield* remove_file(applet, concat_path_file(path, e.d_name), f)) < 0) status = -1;
    }
    if (f.interactive && !(yield* bb_ask_y_confirmation(applet, `remove directory '${path}'`))) return status;
    const r = yield* rmdir(path);
    if (r < 0) {
      yield* bb_error_msg(applet, `can't remove '${path}': ${strerror(r)}`);
      return -1;
    }
    if (f.verbose) yield* puts(1, `removed directory: '${path}'\n`);
    return status;
  }
  if (f.interactive && !(yield* bb_ask_y_confirmation(applet, `remove '${path}'`))) return 0;
  const r = yield* unlink(path);
  if (r < 0) {
    yield* bb_error_msg(applet, `can't remove '${path}': ${strerror(r)}`);
    return -1;
  }
  if (f.verbose) yield* puts(1, `removed '${path}'\n`);
  return 0;
}
