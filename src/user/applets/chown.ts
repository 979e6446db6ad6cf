/*
 * chown.ts - chown and chgrp (coreutils/chown.c, chgrp.c; libbb's
 * parse_chown_usergroup_or_die and get_uidgid):
 *
 *   USER        uid only              :GROUP      gid only
 *   USER:       uid and USER's group  USER:GROUP  both ('.' works as ':')
 *
 * Names or numbers (a number that names nobody is taken as it is; a bare
 * number in USER: gives its passwd group, or itself). chgrp is chown with
 * ':' put before its first argument that does not start with '-'.
 * -R walks depth first (recursive_action), changing symlinks themselves
 * (lchown) unless -H or -L follow them; -h always changes the link. -v tells
 * every change, -c those that changed something, -f hides chown(2)'s errors
 * (not a name that cannot be found).
 */

import { O_CLOEXEC, O_DIRECTORY, O_RDONLY, S_ISDIR } from "../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import type { LongOpt } from "../libc/getopt.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { getgrnam, getpwnam, getpwuid } from "../libc/pwd.js";
import { puts } from "../libc/stdio.js";
import { close, getdents, lchown, lstat, open, stat, chown as sys_chown } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const OPTIONS = `\t-h\tAffect symlinks instead of symlink targets
\t-L\tTraverse all symlinks to directories
\t-H\tTraverse symlinks on command line only
\t-P\tDon't traverse symlinks (default)
\t-R\tRecurse
\t-c\tList changed files
\t-v\tVerbose
\t-f\tHide errors`;

const CHOWN_USAGE = `chown [-RhLHPcvf]... USER[:[GRP]] FILE...

Change the owner and/or group of FILEs to USER and/or GRP

${OPTIONS}`;

const CHGRP_USAGE = `chgrp [-RhLHPcvf]... GROUP FILE...

Change the group membership of FILEs to GROUP

${OPTIONS}`;

const LONGOPTS: LongOpt[] = [
  { name: "recursive", arg: 0, val: "R" },
  { name: "dereference", arg: 0, val: "\xff" },
  { name: "no-dereference", arg: 0, val: "h" },
  { name: "changes", arg: 0, val: "c" },
  { name: "silent", arg: 0, val: "f" },
  { name: "quiet", arg: 0, val: "f" },
  { name: "verbose", arg: 0, val: "v" },
];

const UNSET = 0xffffffff;

interface Chown {
  applet: string;
  uid: number;
  gid: number;
  recurse: boolean;
  /** Follow symlinks: at the top (-H or -L), everywhere (-L). */
  follow_top: boolean;
  follow: boolean;
  nodereference: boolean;
  verbose: boolean;
  changed: boolean;
  quiet: boolean;
}

/** bb_strtoul without an end pointer: digits only, else null (errno set). */
function strtoul(s: string): number | null {
  return /^[0-9]+$/.test(s) && Number(s) <= 2 ** 64 - 1 ? Number(s) : null;
}

/** parse_chown_usergroup_or_die: [uid, gid] (UNSET for "leave it"), or a message. */
function* parse_usergroup(spec: string): UserGen<[number, number] | string> {
  let ug = spec;
  let sep = ug.indexOf(".");
  if (sep >= 0) ug = `${ug.slice(0, sep)}:${ug.slice(sep + 1)}`;
  else sep = ug.indexOf(":");
  if (sep < 0) {
    const n = strtoul(ug);
    if (n !== null) return [n >>> 0, UNSET];
    const pw = yield* getpwnam(ug);
    return pw ? [pw.pw_uid, UNSET] : `unknown user ${ug}`;
  }
  if (sep === 0) {
    const group = ug.slice(1);
    const n = strtoul(group);
    if (n !== null) return [UNSET, n >>> 0];
    const gr = yield* getgrnam(group);
    return gr ? [UNSET, gr.gr_gid] : `unknown group ${group}`;
  }
  if (sep === ug.length - 1) ug = ug.slice(0, -1); // "user:"
  // get_uidgid
  const colon = ug.indexOf(":");
  const user = colon < 0 ? ug : ug.slice(0, colon);
  let uid: number;
  let gid: number;
  const n = /^[0-9]+$/.test(user) && Number(user) <= UNSET ? Number(user) : null;
  if (n !== null) {
    uid = n;
    gid = (yield* getpwuid(n))?.pw_gid ?? n;
  } else {
    const pw = yield* getpwnam(user);
    if (!pw) return `unknown user/group ${ug}`;
    uid = pw.pw_uid;
    gid = pw.pw_gid;
  }
  if (colon >= 0) {
    const group = ug.slice(colon + 1);
    if (/^[0-9]+$/.test(group) && Number(group) <= UNSET) gid = Number(group);
    else {
      const gr = yield* getgrnam(group);
      if (!gr) return `unknown user/group ${ug}`;
      gid = gr.gr_gid;
    }
  }
  return [uid, gid];
}

/** fileAction: chown one name; 0, or chown's -errno. */
function* file_action(c: Chown, name: string, st: Stat): UserGen<number> {
  const u = c.uid === UNSET ? st.st_uid : c.uid;
  const g = c.gid === UNSET ? st.st_gid : c.gid;
  const r = yield* (c.nodereference ? lchown : sys_chown)(name, u, g);
  if (r === 0) {
    if (c.verbose || (c.changed && (st.st_uid !== u || st.st_gid !== g)))
      yield* puts(1, `changed ownership of '${name}' to ${u}:${g}\n`);
    return 0;
  }
  if (!c.quiet) yield* bb_perror_msg(c.applet, name, r);
  return r;
}

/** recursive_action with ACTION_DEPTHFIRST: the entries of a directory before itself. */
function* recursive_action(c: Chown, name: string, depth: number): UserGen<boolean> {
  const follow = depth === 0 ? c.follow_top || c.follow : c.follow;
  const st = yield* (follow ? stat : lstat)(name);
  if (typeof st === "number") {
    yield* bb_perror_msg(c.applet, name, st);
    return false;
  }
  if (!S_ISDIR(st.st_mode) || !c.recurse) return (yield* file_action(c, name, st)) === 0;
  const fd = yield* open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    yield* bb_perror_msg(c.applet, name, fd);
    return false;
  }
  let status = true;
  for (;;) {
    const ents = yield* getdents(fd);
    if (typeof ents === "number" || ents.length === 0) break;
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      if (!(yield* recursive_action(c, concat_path_file(name, e.d_name), depth + 1))) status = false;
    }
  }
  yield* close(fd);
  const err = yield* file_action(c, name, st);
  if (err) {
    // done_nak_warn: recursive_action reports the failed directory again, even with -f
    yield* bb_perror_msg(c.applet, name, err);
    return false;
  }
  return status;
}

function* chown_common(argv: string[], applet: string, usage: string): UserGen<number> {
  const o = yield* bb_getopt(argv, "RhvcfLHP", usage, LONGOPTS);
  if (!o) return 1;
  if (o.rest.length < 2) return yield* bb_show_usage(usage);
  const recurse = o.has("R");
  const follow_top = o.has("H") || o.has("L");
  const c: Chown = {
    applet,
    uid: UNSET,
    gid: UNSET,
    recurse,
    follow_top,
    follow: o.has("L"),
    nodereference: o.has("h") || (recurse && !follow_top),
    verbose: o.has("v"),
    changed: o.has("c"),
    quiet: o.has("f"),
  };
  const ug = yield* parse_usergroup(o.rest[0]);
  if (typeof ug === "string") {
    yield* bb_error_msg(applet, ug);
    return 1;
  }
  [c.uid, c.gid] = ug;
  let status = 0;
  for (const f of o.rest.slice(1)) if (!(yield* recursive_action(c, f, 0))) status = 1;
  return status;
}

function* chown_main(argv: string[]): UserGen<number> {
  return yield* chown_common(argv, "chown", CHOWN_USAGE);
}

/** chgrp GROUP: chown :GROUP (the first argument without a leading '-'). */
function* chgrp_main(argv: string[]): UserGen<number> {
  const args = [...argv];
  const i = args.findIndex((a, n) => n > 0 && a[0] !== "-");
  if (i > 0) args[i] = `:${args[i]}`;
  return yield* chown_common(args, "chgrp", CHGRP_USAGE);
}

export const chown: Applet = { name: "chown", dir: "/bin", usage: CHOWN_USAGE, main: chown_main };
export const chgrp: Applet = { name: "chgrp", dir: "/bin", usage: CHGRP_USAGE, main: chgrp_main };
