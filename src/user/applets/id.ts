/*
 * id.ts - id and groups (coreutils/id.c): user and group ids, of this process or of
 * the USER named.
 *   uid=0(root) gid=0(root)
 *   uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)
 * -u, -g, -G print one of them (-n as names, -r the real id). For a named
 * user the groups are getgrouplist()'s: the primary group and every group
 * of /etc/group that lists the user. This process has no supplementary
 * groups (the kernel keeps none), so plain "id" prints no "groups=".
 * Conflicting options (-u with -g or -G...), -r or -n without one of -ugG,
 * or two operands print the usage.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { getgrent_all, getpwnam, NameCache } from "../libc/pwd.js";
import { puts } from "../libc/stdio.js";
import { getuid } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `id [-ugGnr] [USER]

Print information about USER or the current user

\t-u\tUser ID
\t-g\tGroup ID
\t-G\tSupplementary group IDs
\t-n\tPrint names instead of numbers
\t-r\tPrint real ID instead of effective ID`;

const GROUPS_USAGE = `groups [USER]

Print the groups USER is in`;

function* id_main(argv: string[]): UserGen<number> {
  return yield* id_common(argv, "id");
}

/** groups [USER]: id -Gn, without id's operand count check (a second USER is ignored). */
function* groups_main(argv: string[]): UserGen<number> {
  return yield* id_common(argv, "groups");
}

function* id_common(argv: string[], applet: "id" | "groups"): UserGen<number> {
  const o =
    applet === "id" ? yield* bb_getopt(argv, "rnugG", USAGE) : yield* bb_getopt(argv, "", GROUPS_USAGE);
  if (!o) return 1;
  const just = applet === "groups" ? ["G"] : ["u", "g", "G"].filter((c) => o.has(c));
  if (
    applet === "id" &&
    (o.rest.length > 1 || just.length > 1 || ((o.has("r") || o.has("n")) && just.length === 0))
  )
    return yield* bb_show_usage(USAGE);
  const names = new NameCache();
  let uid: number;
  let gid: number;
  let groups: number[] = [];
  const username = o.rest[0];
  if (username !== undefined) {
    const pw = yield* getpwnam(username);
    if (!pw) {
      yield* bb_error_msg(applet, `unknown user ${username}`);
      return 1;
    }
    uid = pw.pw_uid;
    gid = pw.pw_gid;
    // getgrouplist(): the primary group first, then the groups naming the user
    groups = [gid];
    for (const g of yield* getgrent_all())
      if (g.gr_mem.includes(username) && g.gr_gid !== gid) groups.push(g.gr_gid);
  } else {
    uid = yield* getuid();
    gid = 0;
  }
  const user = yield* names.user(uid);
  const group = yield* names.group(gid);
  const named = (id: number, name: string): string => (name === String(id) ? `${id}` : `${id}(${name})`);
  if (just.length === 0) {
    let s = `uid=${named(uid, user)} gid=${named(gid, group)}`;
    if (groups.length) {
      const list: string[] = [];
      for (const g of groups) list.push(named(g, yield* names.group(g)));
      s += ` groups=${list.join(",")}`;
    }
    yield* puts(1, `${s}\n`);
    return 0;
  }
  const n = applet === "groups" || o.has("n");
  if (just[0] === "u") yield* puts(1, `${n ? user : uid}\n`);
  else if (just[0] === "g") yield* puts(1, `${n ? group : gid}\n`);
  else {
    const list = [gid, ...groups.filter((g) => g !== gid)];
    const out: string[] = [];
    for (const g of list) out.push(n ? yield* names.group(g) : String(g));
    yield* puts(1, `${out.join(" ")}\n`);
  }
  return 0;
}

export const id: Applet = { name: "id", dir: "/usr/bin", usage: USAGE, main: id_main };
export const groups: Applet = { name: "groups", dir: "/usr/bin", usage: GROUPS_USAGE, main: groups_main };
