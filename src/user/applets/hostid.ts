/*
 * hostid.ts - hostid (coreutils/hostid.c): glibc's gethostid() as 8 hex
 * digits. gethostid reads /etc/hostid (4 bytes, host order) when there is
 * one; otherwise it looks up the host name's IPv4 address (here in
 * /etc/hosts: the machine has no resolver) and swaps its 16-bit halves; a
 * name it cannot resolve gives 0. Any operand is a usage error.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_bytes, read_text } from "../libc/file.js";
import { bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { uname } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `hostid

Print out a unique 32-bit identifier for the machine`;

/** gethostid(3) as glibc computes it on a little-endian machine. */
function* gethostid(): UserGen<number> {
  const id = yield* read_bytes("/etc/hostid");
  if (typeof id !== "number" && id.length >= 4)
    return (id[0]! | (id[1]! << 8) | (id[2]! << 16) | (id[3]! << 24)) >>> 0;
  const name = (yield* uname()).nodename;
  const hosts = yield* read_text("/etc/hosts");
  if (typeof hosts === "number") return 0;
  for (const line of hosts.split("\n")) {
    const f = line.replace(/#.*/, "").trim().split(/\s+/);
    if (f.length < 2 || !f.slice(1).includes(name)) continue;
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(f[0]!);
    if (!m) continue;
    // in_addr as a host-order (little-endian) integer, halves swapped
    const a = (Number(m[1]) | (Number(m[2]) << 8) | (Number(m[3]) << 16) | (Number(m[4]) << 24)) >>> 0;
    return ((a << 16) | (a >>> 16)) >>> 0;
  }
  return 0;
}

function* hostid_main(argv: string[]): UserGen<number> {
  if (argv.length > 1) return yield* bb_show_usage(USAGE);
  const id = yield* gethostid();
  yield* puts(1, `${id.toString(16).padStart(8, "0")}\n`);
  return 0;
}

export const hostid: Applet = { name: "hostid", dir: "/usr/bin", usage: USAGE, main: hostid_main };
