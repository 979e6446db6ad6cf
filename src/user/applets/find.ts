/*
 * find.ts - find (findutils/find.c, 1.35): walk each PATH and run the
 * expression on every file met.
 *
 * The expression is parsed as BusyBox parses it (parse_params): a list of
 * OR groups, each a list of actions ANDed together; "-o" starts a new group,
 * "-a" is implied, "!" inverts the next action, and "( ... )" is one action
 * whose value is its own sub-expression. Options (-follow -xdev -depth
 * -mindepth -maxdepth) take effect wherever they stand. An action returns a
 * bit mask: TRUE (bit 0) when it matched, SKIP (bit 1) for -prune, which
 * sticks whatever the group's fate (exec_actions). Without -print, -print0,
 * or -exec a file the expression accepts is printed.
 *
 * The walk is libbb's recursive_action: stat or lstat the name, act on
 * it, then read the directory in getdents order and recurse; with -depth
 * the directory is acted on after its contents. A name that cannot be read
 * is reported ("find: NAME: strerror") and makes the status 1.
 *
 * The expression, its tests and actions are find_expr.ts's. Debian's build
 * has no -delete or -context ("unrecognized"). -exec CMD {} ; runs CMD for
 * each file; -exec CMD {} + gathers names and runs CMD when the list grows
 * past the argument space or at the end. Errors in the expression die with
 * BusyBox's words (status 1).
 */

import { O_CLOEXEC, O_DIRECTORY, O_RDONLY, S_ISDIR } from "../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_perror_msg, bb_show_usage, concat_path_file, INT_MAX } from "../libc/libbb.js";
import { Writer } from "../libc/stream.js";
import { close, getdents, lstat, open, stat } from "../libc/sys.js";
import { time } from "../libc/time.js";
import {
  ACTION_DANGLING_OK,
  ACTION_DEPTHFIRST,
  ACTION_FOLLOWLINKS,
  ACTION_FOLLOWLINKS_L0,
  Die,
  exec_actions,
  type Find,
  flush_exec_plus,
  type Groups,
  parse_params,
  print_name,
  SKIP,
  TRUE,
} from "./find_expr.js";
import type { Applet } from "./registry.js";

const USAGE = `find [-HL] [PATH]... [OPTIONS] [ACTIONS]

Search for files and perform actions on them.
First failed action stops processing of current file.
Defaults: PATH is current directory, action is '-print'

\t-L,-follow\tFollow symlinks
\t-H\t\t...on command line only
\t-xdev\t\tDon't descend directories on other filesystems
\t-maxdepth N\tDescend at most N levels. -maxdepth 0 applies
\t\t\tactions to command line arguments only
\t-mindepth N\tDon't act on first N levels
\t-depth\t\tAct on directory *after* traversing it

Actions:
\t( ACTIONS )\tGroup actions for -o / -a
\t! ACT\t\tInvert ACT's success/failure
\tACT1 [-a] ACT2\tIf ACT1 fails, stop, else do ACT2
\tACT1 -o ACT2\tIf ACT1 succeeds, stop, else do ACT2
\t\t\tNote: -a has higher priority than -o
\t-name PATTERN\tMatch file name (w/o directory name) to PATTERN
\t-iname PATTERN\tCase insensitive -name
\t-path PATTERN\tMatch path to PATTERN
\t-ipath PATTERN\tCase insensitive -path
\t-regex PATTERN\tMatch path to regex PATTERN
\t-type X\t\tFile type is X (one of: f,d,l,b,c,s,p)
\t-executable\tFile is executable
\t-perm MASK\tAt least one mask bit (+MASK), all bits (-MASK),
\t\t\tor exactly MASK bits are set in file's mode
\t-mtime DAYS\tmtime is greater than (+N), less than (-N),
\t\t\tor exactly N days in the past
\t-atime DAYS\tatime +N/-N/N days in the past
\t-ctime DAYS\tctime +N/-N/N days in the past
\t-mmin MINS\tmtime is greater than (+N), less than (-N),
\t\t\tor exactly N minutes in the past
\t-amin MINS\tatime +N/-N/N minutes in the past
\t-cmin MINS\tctime +N/-N/N minutes in the past
\t-newer FILE\tmtime is more recent than FILE's
\t-inum N\t\tFile has inode number N
\t-samefile FILE\tFile is same as FILE
\t-user NAME/ID\tFile is owned by given user
\t-group NAME/ID\tFile is owned by given group
\t-size N[bck]\tFile size is N (c:bytes,k:kbytes,b:512 bytes(def.))
\t\t\t+/-N: file size is bigger/smaller than N
\t-links N\tNumber of links is greater than (+N), less than (-N),
\t\t\tor exactly N
\t-empty\t\tMatch empty file/directory
\t-prune\t\tIf current file is directory, don't descend into it
If none of the following actions is specified, -print is assumed
\t-print\t\tPrint file name
\t-print0\t\tPrint file name, NUL terminated
\t-exec CMD ARG ;\tRun CMD with all instances of {} replaced by
\t\t\tfile name. Fails if CMD exits with nonzero
\t-exec CMD ARG + Run CMD with {} replaced by list of file names
\t-quit\t\tExit`;

/** fileAction: depth limits, -xdev, the expression, the implied -print; SKIP stops the descent. */
function* file_action(g: Find, groups: Groups, fileName: string, st: Stat, depth: number): UserGen<number> {
  let same_fs = true;
  if (S_ISDIR(st.st_mode) && g.xdev_on && !g.xdev_dev.includes(st.st_dev)) same_fs = false;
  if (depth < g.minmaxdepth[0]) return same_fs ? TRUE : SKIP;
  if (depth > g.minmaxdepth[1]) return SKIP;
  const r = yield* exec_actions(g, groups, fileName, st);
  if (r & TRUE && g.need_print) yield* print_name(g, fileName, "\n");
  if (S_ISDIR(st.st_mode) && depth === g.minmaxdepth[1]) return SKIP;
  if (!same_fs) return SKIP;
  return r & SKIP ? SKIP : TRUE;
}

/** recursive_action: act on fileName and, when it is a directory, on everything under it; false on an error. */
function* recursive_action(g: Find, groups: Groups, fileName: string, depth: number): UserGen<boolean> {
  const flags = g.recurse_flags;
  const follow = flags & (depth === 0 ? ACTION_FOLLOWLINKS | ACTION_FOLLOWLINKS_L0 : ACTION_FOLLOWLINKS);
  const st = yield* (follow ? stat : lstat)(fileName);
  const warn = function* (err: number): UserGen<boolean> {
    yield* g.out.flush();
    yield* bb_perror_msg("find", fileName, err);
    return false;
  };
  if (typeof st === "number") {
    if (flags & ACTION_DANGLING_OK && st === -2) {
      const l = yield* lstat(fileName);
      if (typeof l !== "number") return (yield* file_action(g, groups, fileName, l, depth)) !== 0;
    }
    return yield* warn(st);
  }
  if (!S_ISDIR(st.st_mode)) return (yield* file_action(g, groups, fileName, st, depth)) !== 0;
  if (!(flags & ACTION_DEPTHFIRST)) {
    const s = yield* file_action(g, groups, fileName, st, depth);
    if (s === SKIP) return true;
  }
  // opendir/readdir: the directory stays open while its entries are walked (so find
  // meets its own descriptor in /proc/self/fd, as BusyBox does)
  const fd = yield* open(fileName, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return yield* warn(fd);
  let status = true;
  for (;;) {
    const ents = yield* getdents(fd);
    if (typeof ents === "number" || ents.length === 0) break;
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      if (!(yield* recursive_action(g, groups, concat_path_file(fileName, e.d_name), depth + 1)))
        status = false;
    }
  }
  yield* close(fd);
  if (flags & ACTION_DEPTHFIRST) yield* file_action(g, groups, fileName, st, depth);
  return status;
}

function* find_main(argv: string[], envp: string[]): UserGen<number> {
  const g: Find = {
    out: yield* Writer.open(1),
    envp,
    recurse_flags: 0,
    xdev_on: false,
    xdev_dev: [],
    minmaxdepth: [0, INT_MAX],
    need_print: true,
    exitstatus: 0,
    exec_plus: [],
    now: yield* time(),
  };
  // Leading -H -L -P (and "--"): getopt32("+HLP") on the words made only of them.
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a[0] !== "-" || a.length === 1) break;
    if (a === "--") {
      i++;
      break;
    }
    if (!/^-[HLP]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === "H") g.recurse_flags |= ACTION_FOLLOWLINKS_L0 | ACTION_DANGLING_OK;
      if (c === "L") g.recurse_flags |= ACTION_FOLLOWLINKS | ACTION_DANGLING_OK;
    }
  }
  const args = argv.slice(i);
  let firstopt = 0;
  while (
    firstopt < args.length &&
    args[firstopt][0] !== "-" &&
    args[firstopt] !== "!" &&
    args[firstopt] !== "("
  )
    firstopt++;
  const paths = firstopt ? args.slice(0, firstopt) : ["."];
  let groups: Groups;
  try {
    groups = yield* parse_params(g, args.slice(firstopt));
  } catch (e) {
    if (!(e instanceof Die)) throw e;
    if (e.msg === null) return yield* bb_show_usage(USAGE);
    yield* bb_error_msg("find", e.msg);
    return 1;
  }
  if (g.xdev_on)
    for (const p of paths) {
      const st = yield* stat(p);
      g.xdev_dev.push(typeof st === "number" ? 0 : st.st_dev);
    }
  for (let r = 0; r < paths.length; r++)
    if (!(yield* recursive_action(g, groups, paths[r], 0))) g.exitstatus |= 1;
  g.exitstatus |= yield* flush_exec_plus(g);
  yield* g.out.flush();
  return g.exitstatus;
}

export const find: Applet = { name: "find", dir: "/usr/bin", usage: USAGE, main: find_main };
