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

const WHO_CHARS = "augo";
const WHO_MASK = [0o7777, 0o4700, 0o2070, 0o0007]; // a u g o
const PERM_CHARS = "rwxXst";
const PERM_MASK = [0o444, 0o222, 0o111, 0o111, 0o6000, 0o1000]; // r w x X s t

/**
 * bb_parse_mode (libbb/parse_mode.c): an octal mode up to 07777, or
 * comma-separated clauses [augo]*([-+=]([rwxXst]*|[ugo]))+ applied to
 * `current`; null when invalid. Where a clause names nobody, the bits it
 * adds or removes are limited by the umask (`chmod +w` with umask 022 is
 * u+w), and its "=" first clears every mode bit. Empty clauses are allowed;
 * "u" alone (a who list and nothing after it) is not.
 */
export function bb_parse_mode(s: string, current: number, umask = 0o022): number | null {
  if (s[0] >= "0" && s[0] <= "7")
    return /^[0-7]+$/.test(s) && Number.parseInt(s, 8) <= 0o7777 ? Number.parseInt(s, 8) : null;
  let mode = current;
  let i = 0;
  while (i < s.length) {
    if (s[i] === ",") {
      i++;
      continue;
    }
    let who = 0;
    for (let w = WHO_CHARS.indexOf(s[i]); w >= 0 && i < s.length; w = WHO_CHARS.indexOf(s[i])) {
      who |= WHO_MASK[w];
      if (++i === s.length) return null;
    }
    do {
      const op = s[i];
      if (op !== "+" && op !== "-") {
        if (op !== "=") return null;
        mode &= who ? ~who : ~0o7777;
      }
      i++;
      let perms = 0;
      const copy = i < s.length ? "ugo".indexOf(s[i]) : -1;
      if (copy >= 0) {
        // A permcopy: the rwx bits the named class has now, for every class.
        const have = WHO_MASK[copy + 1] & 0o777 & mode;
        for (let p = 0; p < 3; p++) if (have & PERM_MASK[p]) perms |= PERM_MASK[p];
        i++;
      } else
        for (
          let p = i < s.length ? PERM_CHARS.indexOf(s[i]) : -1;
          p >= 0 && i < s.length;
          p = i < s.length ? PERM_CHARS.indexOf(s[i]) : -1
        ) {
          if (s[i] !== "X" || S_ISDIR(mode) || mode & 0o111) perms |= PERM_MASK[p];
          i++;
        }
      if (perms) {
        perms &= who ? who : ~umask;
        if (op === "-") mode &= ~perms;
        else mode |= perms;
      }
    } while (i < s.length && s[i] !== ",");
  }
  return mode & 0o7777;
}

function S_ISDIR(m: number): boolean {
  return (m & S_IFMT) === S_IFDIR;
}
