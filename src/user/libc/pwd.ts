/*
 * pwd.ts - the user and group databases (glibc's getpwuid, getpwnam,
 * getgrgid, getgrnam over /etc/passwd and /etc/group, as with
 * "files" in nsswitch.conf). BusyBox caches the names it looked up per run
 * (get_cached_username); callers here keep a Map when they loop.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "./file.js";

export interface Passwd {
  pw_name: string;
  pw_uid: number;
  pw_gid: number;
  pw_gecos: string;
  pw_dir: string;
  pw_shell: string;
}

export interface Group {
  gr_name: string;
  gr_gid: number;
  gr_mem: string[];
}

function* lines(path: string): UserGen<string[][]> {
  const text = yield* read_text(path);
  if (typeof text === "number") return [];
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(":"));
}

export function* getpwent_all(): UserGen<Passwd[]> {
  return (yield* lines("/etc/passwd"))
    .filter((f) => f.length >= 7)
    .map((f) => ({
      pw_name: f[0],
      pw_uid: Number(f[2]),
      pw_gid: Number(f[3]),
      pw_gecos: f[4],
      pw_dir: f[5],
      pw_shell: f[6],
    }));
}

export function* getgrent_all(): UserGen<Group[]> {
  return (yield* lines("/etc/group"))
    .filter((f) => f.length >= 3)
    .map((f) => ({ gr_name: f[0], gr_gid: Number(f[2]), gr_mem: (f[3] ?? "").split(",").filter(Boolean) }));
}

export function* getpwuid(uid: number): UserGen<Passwd | null> {
  return (yield* getpwent_all()).find((p) => p.pw_uid === uid) ?? null;
}

export function* getpwnam(name: string): UserGen<Passwd | null> {
  return (yield* getpwent_all()).find((p) => p.pw_name === name) ?? null;
}

export function* getgrnam(name: string): UserGen<Group | null> {
  return (yield* getgrent_all()).find((g) => g.gr_name === name) ?? null;
}

export function* getgrgid(gid: number): UserGen<Group | null> {
  return (yield* getgrent_all()).find((g) => g.gr_gid === gid) ?? null;
}

/** A cache of uid/gid to name, the number itself when unknown (BusyBox's get_cached_*). */
export class NameCache {
  private users = new Map<number, string>();
  private groups = new Map<number, string>();

  *user(uid: number): UserGen<string> {
    let n = this.users.get(uid);
    if (n === undefined) {
      n = (yield* getpwuid(uid))?.pw_name ?? String(uid);
      this.users.set(uid, n);
    }
    return n;
  }

  *group(gid: number): UserGen<string> {
    let n = this.groups.get(gid);
    if (n === undefined) {
      n = (yield* getgrgid(gid))?.gr_name ?? String(gid);
      this.groups.set(gid, n);
    }
    return n;
  }
}
