/*
 * mode.ts - file modes and device numbers as user space sees them
 * (libbb/mode_string.c, glibc's <sys/sysmacros.h>).
 */

import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
} from "../../kernel/uapi/abi.js";

/** bb_mode_string: "drwxr-xr-x", with s/S, t/T for the set-id and sticky bits. */
export function bb_mode_string(mode: number): string {
  const type: Record<number, string> = {
    [S_IFDIR]: "d",
    [S_IFCHR]: "c",
    [S_IFBLK]: "b",
    [S_IFREG]: "-",
    [S_IFIFO]: "p",
    [S_IFLNK]: "l",
    [S_IFSOCK]: "s",
  };
  let s = type[mode & S_IFMT] ?? "?";
  const rwx = (bits: number, special: boolean, ch: string): string => {
    const x = bits & 1;
    return `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${special ? (x ? ch : ch.toUpperCase()) : x ? "x" : "-"}`;
  };
  s += rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, "s");
  s += rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, "s");
  s += rwx(mode & 7, (mode & 0o1000) !== 0, "t");
  return s;
}

/** glibc gnu_dev_major: the major number of a dev_t in the kernel's stat encoding. */
export function major(dev: number): number {
  return Number(((BigInt(dev) >> 8n) & 0xfffn) | ((BigInt(dev) >> 32n) & ~0xfffn));
}

/** glibc gnu_dev_minor. */
export function minor(dev: number): number {
  return Number((BigInt(dev) & 0xffn) | ((BigInt(dev) >> 12n) & ~0xffn));
}

/**
 * bb_parse_mode: an octal mode, or symbolic clauses "[ugoa]*[-+=][rwxXst]*"
 * separated by commas, applied to `current`. null when it is neither.
 */
export function bb_parse_mode(s: string, current: number): number | null {
  if (/^[0-7]+$/.test(s)) {
    const v = Number.parseInt(s, 8);
    return v > 0o7777 ? null : v;
  }
  let mode = current;
  for (const clause of s.split(",")) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) return null;
    let who = 0;
    for (const c of m[1]) who |= c === "u" ? 0o4700 : c === "g" ? 0o2070 : c === "o" ? 0o1007 : 0o7777;
    if (!who) who = 0o7777;
    for (const part of m[2].match(/[-+=][rwxXstugo]*/g) ?? []) {
      const op = part[0];
      let bits = 0;
      for (const c of part.slice(1)) {
        if (c === "r") bits |= 0o444;
        else if (c === "w") bits |= 0o222;
        else if (c === "x") bits |= 0o111;
        else if (c === "X") bits |= S_ISDIR(mode) || mode & 0o111 ? 0o111 : 0;
        else if (c === "s") bits |= 0o6000;
        else if (c === "t") bits |= 0o1000;
        else {
          const sh = c === "u" ? 6 : c === "g" ? 3 : 0;
          const v = (mode >> sh) & 7;
          bits |= (v << 6) | (v << 3) | v;
        }
      }
      bits &= who;
      if (op === "+") mode |= bits;
      else if (op === "-") mode &= ~bits;
      else mode = (mode & ~(who & 0o7777)) | bits;
    }
  }
  return mode & 0o7777;
}

function S_ISDIR(m: number): boolean {
  return (m & S_IFMT) === S_IFDIR;
}
