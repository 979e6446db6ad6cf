/*
 * file.ts - whole-file helpers of libbb (read.c, xfuncs.c): reading a small
 * file such as /proc/meminfo in one go, opening FILE arguments where "-"
 * means stdin, and listing a directory with getdents.
 */

import { O_DIRECTORY, O_RDONLY } from "../../kernel/uapi/abi.js";
import type { Dirent, UserGen } from "../../kernel/uapi/syscalls.js";
import { dec, puts, read_all, strerror } from "./stdio.js";
import { close, getdents, mount, open } from "./sys.js";

/** open_read_close: the whole file as text, or -errno. */
export function* read_text(path: string): UserGen<string | number> {
  const fd = yield* open(path, O_RDONLY);
  if (fd < 0) return fd;
  const data = yield* read_all(fd);
  yield* close(fd);
  return typeof data === "number" ? data : dec(data);
}

/** The whole file as bytes, or -errno. */
export function* read_bytes(path: string): UserGen<Uint8Array | number> {
  const fd = yield* open(path, O_RDONLY);
  if (fd < 0) return fd;
  const data = yield* read_all(fd);
  yield* close(fd);
  return data;
}

/** open_or_warn_stdin: "-" is stdin (fd 0); otherwise open(2) for reading. */
export function* open_stdin(path: string): UserGen<number> {
  if (path === "-") return 0;
  return yield* open(path, O_RDONLY);
}

/** Closes what open_stdin opened (never stdin). */
export function* close_stdin(fd: number): UserGen<void> {
  if (fd > 0) yield* close(fd);
}

/** The entries of a directory (with "." and ".."), or -errno. */
export function* read_dir(path: string): UserGen<Dirent[] | number> {
  const fd = yield* open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return fd;
  const out: Dirent[] = [];
  for (;;) {
    const r = yield* getdents(fd);
    if (typeof r === "number") {
      yield* close(fd);
      return r;
    }
    if (r.length === 0) break;
    out.push(...r);
  }
  yield* close(fd);
  return out;
}

/** "Key:   value kB" lines (/proc/meminfo, /proc/PID/status) as a map of the first number. */
export function parse_kv_numbers(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    const v = /^\s*(\d+)/.exec(line.slice(i + 1));
    if (v) m.set(line.slice(0, i), Number(v[1]));
  }
  return m;
}

/** open_or_warn_stdin: fd, or -1 after "applet: FILE: strerror" (fopen_or_warn's wording). */
export function* open_or_warn_stdin(applet: string, path: string): UserGen<number> {
  const fd = yield* open_stdin(path);
  if (fd < 0) {
    yield* puts(2, `${applet}: ${path}: ${strerror(fd)}\n`);
    return -1;
  }
  return fd;
}

/**
 * ensure_debugfs: mmbox's own tools read files under /sys/kernel/debug;
 * when debugfs is not mounted there (the boot does not mount it, as on the
 * reference machines), they mount it first, as trace-cmd does for tracefs.
 */
export function* ensure_debugfs(path: string): UserGen<void> {
  const fd = yield* open(path, O_RDONLY);
  if (fd >= 0) yield* close(fd);
  else if (fd === -2 /* ENOENT */) yield* mount("debugfs", "/sys/kernel/debug", "debugfs", 0, "");
}
