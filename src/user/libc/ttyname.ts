/*
 * ttyname.ts - glibc's ttyname (sysdeps/unix/sysv/linux/ttyname.c) and
 * getlogin (sysdeps/unix/sysv/linux/getlogin.c).
 *
 * ttyname(fd): not a terminal (no TCGETS answer, or fd closed) is an
 * error; otherwise the name /proc/self/fd/FD links to, when that file is
 * the same device as fd. getlogin: the login uid the kernel keeps in
 * /proc/self/loginuid (AUDIT_UID_UNSET, 4294967295, means nobody logged
 * in: ENXIO), as a name from /etc/passwd.
 */

import { ENOTTY, ENXIO } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "./file.js";
import { getpwuid } from "./pwd.js";
import { isatty } from "./stream.js";
import { fstat, readlink, stat } from "./sys.js";

/** The terminal's name, or -errno. */
export function* ttyname(fd: number): UserGen<string | number> {
  const st = yield* fstat(fd);
  if (typeof st === "number") return st; // EBADF
  if (!(yield* isatty(fd))) return -ENOTTY;
  const name = yield* readlink(`/proc/self/fd/${fd}`);
  if (typeof name === "number") return name;
  const there = yield* stat(name);
  if (typeof there === "number" || there.st_rdev !== st.st_rdev || there.st_ino !== st.st_ino) return -ENOTTY;
  return name;
}

/** The login name, or -errno. */
export function* getlogin(): UserGen<string | number> {
  const text = yield* read_text("/proc/self/loginuid");
  if (typeof text === "number") return text;
  const uid = Number(text.trim());
  if (!/^[0-9]+$/.test(text.trim()) || uid === 4294967295) return -ENXIO;
  const pw = yield* getpwuid(uid);
  return pw ? pw.pw_name : -ENXIO;
}
