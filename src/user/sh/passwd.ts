/*
 * passwd.ts - the home directory of a user, for ~user (getpwnam from
 * /etc/passwd, as libc's does).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { dec, read_all } from "../libc/stdio.js";
import { close, open } from "../libc/sys.js";

export function* getpwnam_dir(user: string): UserGen<string | null> {
  const fd = yield* open("/etc/passwd", 0);
  if (fd < 0) return null;
  const data = yield* read_all(fd);
  yield* close(fd);
  if (typeof data === "number") return null;
  for (const line of dec(data).split("\n")) {
    const f = line.split(":");
    if (f[0] === user && f.length >= 6) return f[5];
  }
  return null;
}
