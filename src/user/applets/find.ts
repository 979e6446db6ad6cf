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
 * The walk is libbb's recursive_action: stat or lstat the name, act on it,
 * then read the directory in getdents order and recurse; with -depth the directory is acted on after its contents. A name that cannot
 * be read is reported ("find: NAME: strerror") and makes the status 1.
 *
 * Debian's build has no -delete or -context ("unrecognized").
 * -exec CMD {} ; runs CMD for each file; -exec CMD {} + gathers names and
 * runs CMD when the list grows past the argument space or at the end.
 * Errors in the expression die with BusyBox's words (status 1).
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
  S_ISDIR,
  S_ISREG,
  WEXITSTATUS,
  WIFEXITED,
  X_OK,
} from "../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir } from "../libc/file.js";
import { FNM_CASEFOLD, fnmatch } from "../libc/fnmatch.js";
import {
  bb_basename,
  bb_error_msg,
  bb_perror_msg,
  bb_show_usage,
  concat_path_file,
  INT_MAX,
  type Suffix,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { bb_parse_mode } from "../libc/mode.js";
import { DEFAULT_PATH, execvp, find_in_path, getenv } from "../libc/proc.js";
import { getgrent_all, getpwnam } from "../libc/pwd.js";
import { type Regex, regcomp, regexec } from "../libc/regex.js";
import { strerror } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { access, exit, fork, lstat, stat, umask, wait4 } from "../libc/sys.js";
import { time } from "../libc/time.js";
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

/* An action's result bits. */
const TRUE = 1;
const SKIP = 2;

/* recursive_action's flags. */
const ACTION_FOLLOWLINKS = 1 << 1;
const ACTION_FOLLOWLINKS_L0 = 1 << 2;
const ACTION_DEPTHFIRST = 1 << 3;
const ACTION_DANGLING_OK = 1 << 5;

/** A parse error: BusyBox dies with this message (bb_error_msg_and_die), or shows usage (null). */
class Die {
  constructor(readonly msg: string | null) {}
}

/** The state of one find run (BusyBox's globals G). */
interface Find {
  out: Writer;
  envp: string[];
  recurse_flags: number;
  xdev_on: boolean;
  /** st_dev of each PATH (-xdev); 0 for one that could not be stat'ed. */
  xdev_dev: number[];
  minmaxdepth: [number, number];
  need_print: boolean;
  exitstatus: number;
  /** -exec ... + actions, flushed at the end. */
  exec_plus: ExecAction[];
  /** Seconds since the epoch when the walk started (time(NULL) per file in BusyBox). */
  now: number;
}

/** An action that does something (prints, runs a command, reads a directory). */
type ActionFn = (g: Find, fileName: string, st: Stat) => UserGen<number>;
/** A test that only looks at the name and the stat. */
type TestFn = (g: Find, fileName: string, st: Stat) => number;

/** One action of a group; -exec's keeps its command and (for "+") its file list. */
interface Action {
  f: ActionFn | null;
  test: TestFn | null;
  invert: boolean;
}

interface ExecAction extends Action {
  argv: string[];
  /** "-exec ... +": the names gathered so far; null for "-exec ... ;". */
  filelist: string[] | null;
  file_len: number;
}

/** OR groups of ANDed actions; a null group ends the list (BusyBox's NULL-terminated appp). */
type Groups = (Action[] | null)[];

/** exec_actions: the first group whose actions all succeed; SKIP sticks. */
function* exec_actions(g: Find, groups: Groups, fileName: string, st: Stat): UserGen<number> {
  let rc = 0;
  for (const app of groups) {
    if (!app) break;
    rc &= ~TRUE;
    let failed = false;
    for (const ap of app) {
      rc |= TRUE ^ (ap.f ? yield* ap.f(g, fileName, st) : (ap.test as TestFn)(g, fileName, st));
      if (ap.invert) rc ^= TRUE;
      if (rc & TRUE) {
        failed = true;
        break;
      }
    }
    if (!failed) return rc ^ TRUE;
  }
  return rc ^ TRUE;
}

/** -name's subject: the last component, without the trailing slashes of a top-level "dir/". */
function name_of(fileName: string): string {
  let tmp = fileName.length - bb_basename(fileName).length;
  if (tmp < fileName.length) return fileName.slice(tmp);
  while (tmp > 0 && fileName[tmp - 1] === "/") tmp--;
  // "//..." is "/"
  if (tmp === 0) return fileName.slice(0, 1);
  const end = tmp;
  while (tmp > 0 && fileName[tmp - 1] !== "/") tmp--;
  return fileName.slice(tmp, end);
}

/** time_cmp: age +N (more than), -N (less than) or N (within) units. */
function time_cmp(now: number, ftime: number, ch: string, n: number, unit: number): boolean {
  const age = now - ftime;
  const secs = n * unit;
  if (ch === "+") return age >= secs + unit;
  if (ch === "-") return age < secs;
  return age >= secs && age < secs + unit;
}

function* print_name(g: Find, name: string, end: string): UserGen<void> {
  yield* g.out.puts(name + end);
}

/** spawn_and_wait: the command's exit status, or -1 (after "find: CMD: strerror") when it cannot run. */
function* spawn_and_wait(g: Find, argv: string[]): UserGen<number> {
  yield* g.out.flush();
  const full = yield* find_in_path(argv[0], getenv(g.envp, "PATH") ?? DEFAULT_PATH);
  if (!full) {
    yield* bb_perror_msg("find", argv[0], -2);
    return -1;
  }
  const envp = g.envp;
  const pid = yield* fork(function* () {
    const r = yield* execvp(argv, envp);
    yield* bb_perror_msg("find", argv[0], r);
    return yield* exit(111);
  });
  if (pid < 0) {
    yield* bb_perror_msg("find", argv[0], pid);
    return -1;
  }
  for (;;) {
    const w = yield* wait4(pid);
    if (typeof w === "number") {
      if (w === -4) continue; // EINTR
      return -1;
    }
    return WIFEXITED(w.status) ? WEXITSTATUS(w.status) : 128 + (w.status & 0x7f);
  }
}

/** do_exec: run the command for one file, or for the gathered list (fileName null). */
function* do_exec(g: Find, ap: ExecAction, fileName: string | null): UserGen<number> {
  const argv: string[] = [];
  for (const arg of ap.argv) {
    if (ap.filelist && fileName === null) {
      if (!arg.includes("{}")) argv.push(arg);
      else for (const f of ap.filelist) argv.push(arg.replace("{}", () => f));
    } else argv.push(arg.replaceAll("{}", () => fileName ?? ""));
  }
  if (ap.filelist) {
    ap.filelist = [];
    ap.file_len = 0;
  }
  return (yield* spawn_and_wait(g, argv)) === 0 ? TRUE : 0;
}

/** G.max_argv_len: ARG_MAX (2 MiB) less the 2 KiB BusyBox keeps for the environment. */
const MAX_ARGV_LEN = 2097152 - 2048;

function make_exec(argv: string[], plus: boolean, invert: boolean): ExecAction {
  const ap: ExecAction = {
    invert,
    test: null,
    argv,
    filelist: plus ? [] : null,
    file_len: 0,
    *f(g, fileName) {
      if (ap.filelist) {
        ap.filelist.push(fileName);
        ap.file_len += fileName.length + 8 + 1;
        if (ap.file_len >= MAX_ARGV_LEN) return yield* do_exec(g, ap, null);
        return TRUE;
      }
      return yield* do_exec(g, ap, fileName);
    },
  };
  return ap;
}

/** flush_exec_plus: run each "-exec +" that still holds names; 1 when one failed. */
function* flush_exec_plus(g: Find): UserGen<number> {
  for (const ap of g.exec_plus) {
    if (ap.filelist?.length) {
      let rc = yield* do_exec(g, ap, null);
      if (ap.invert) rc = rc ? 0 : TRUE;
      if (rc === 0) return 1;
    }
  }
  return 0;
}

/** -empty: an empty regular file, or a directory with nothing but "." and "..". */
function* act_empty(_g: Find, fileName: string, st: Stat): UserGen<number> {
  if (S_ISDIR(st.st_mode)) {
    const ents = yield* read_dir(fileName);
    if (typeof ents === "number") {
      yield* _g.out.flush();
      yield* bb_perror_msg("find", fileName, ents);
      return 0;
    }
    return ents.every((e) => e.d_name === "." || e.d_name === "..") ? TRUE : 0;
  }
  return S_ISREG(st.st_mode) && st.st_size === 0 ? TRUE : 0;
}

const TYPES: Record<string, number> = {
  b: S_IFBLK,
  c: S_IFCHR,
  d: S_IFDIR,
  p: S_IFIFO,
  f: S_IFREG,
  l: S_IFLNK,
  s: S_IFSOCK,
};

/** -size's units: c bytes, w 2-byte words, b (default) 512-byte blocks, k KiB. */
const FIND_SUFFIXES: Suffix[] = [
  { suffix: "c", mult: 1 },
  { suffix: "w", mult: 2 },
  { suffix: "b", mult: 512 },
  { suffix: "k", mult: 1024 },
];

/** plus_minus_num: the number after an optional + or -. */
const plus_minus_num = (s: string): string => (s[0] === "-" || s[0] === "+" ? s.slice(1) : s);

/** xatoul: an unsigned long, or die "invalid number". */
function xatoul(s: string, suffixes: Suffix[] = []): number {
  const r = strtou_range_sfx(s, 10, 0, 2 ** 64 - 1, suffixes);
  if (!r.ok) throw new Die(r.msg);
  return r.value;
}

/** bb_strtou: a plain unsigned number, or null (errno set). */
const bb_strtou = (s: string): number | null =>
  /^[0-9]+$/.test(s) && Number(s) <= 0xffffffff ? Number(s) : null;

/** The words that are options or actions, in BusyBox's params table order; those from -name on take an argument. */
const NEEDS_ARG = new Set([
  "-name",
  "-iname",
  "-path",
  "-wholename",
  "-ipath",
  "-regex",
  "-type",
  "-perm",
  "-mtime",
  "-atime",
  "-ctime",
  "-mmin",
  "-amin",
  "-cmin",
  "-newer",
  "-inum",
  "-samefile",
  "-user",
  "-group",
  "-size",
  "-links",
  "-mindepth",
  "-maxdepth",
]);

/** Context of parse_params: the groups being built and the pending "!". */
interface ParseState {
  groups: Groups;
  invert: boolean;
}

function alloc(ps: ParseState, ap: Action | ActionFn): Action {
  const a: Action = typeof ap === "function" ? { f: ap, test: null, invert: false } : ap;
  a.invert = ps.invert;
  ps.invert = false;
  const cur = ps.groups.length - 1;
  (ps.groups[cur] ??= []).push(a);
  return a;
}

function alloc_test(ps: ParseState, test: TestFn): Action {
  return alloc(ps, { f: null, test, invert: false });
}

/** parse_params: the expression in argv as OR groups of actions; throws Die on an error. */
function* parse_params(g: Find, argv: string[]): UserGen<Groups> {
  const ps: ParseState = { groups: [null], invert: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let arg1 = "";
    if (NEEDS_ARG.has(arg)) {
      if (i + 1 >= argv.length) throw new Die(`${arg} requires an argument`);
      arg1 = argv[++i];
    }
    switch (arg) {
      case "-follow":
        g.recurse_flags |= ACTION_FOLLOWLINKS | ACTION_DANGLING_OK;
        break;
      case "-xdev":
        g.xdev_on = true;
        break;
      case "-mindepth":
      case "-maxdepth": {
        const r = strtou_range_sfx(arg1, 10, 0, INT_MAX);
        if (!r.ok) throw new Die(r.msg);
        g.minmaxdepth[arg === "-mindepth" ? 0 : 1] = r.value;
        break;
      }
      case "-depth":
        g.recurse_flags |= ACTION_DEPTHFIRST;
        break;
      case "-a":
      case "-and":
        break;
      case "-o":
      case "-or":
        ps.groups.push(null);
        break;
      case "!":
      case "-not":
        ps.invert = !ps.invert;
        break;
      case "-print":
      case "-print0": {
        g.need_print = false;
        const end = arg === "-print" ? "\n" : "\0";
        alloc(ps, function* (gg, fileName) {
          yield* print_name(gg, fileName, end);
          return TRUE;
        });
        break;
      }
      case "-prune":
        alloc_test(ps, () => {
          return SKIP + TRUE;
        });
        break;
      case "-quit":
        alloc(ps, function* (gg) {
          yield* gg.out.flush();
          return yield* exit(gg.exitstatus);
        });
        break;
      case "-exec": {
        g.need_print = false;
        const start = i + 1;
        let j = start;
        for (; ; j++) {
          if (j >= argv.length) throw new Die("-exec requires an argument");
          if (argv[j] === ";" || argv[j] === "+") break;
        }
        const cmd = argv.slice(start, j);
        const plus = argv[j] === "+";
        i = j;
        if (cmd.length === 0) throw new Die("-exec requires an argument");
        const subst = cmd.reduce((n, a) => n + (a.split("{}").length - 1), 0);
        if (plus && subst !== 1) throw new Die("only one '{}' allowed for -exec +");
        const ap = make_exec(cmd, plus, false);
        alloc(ps, ap);
        if (plus) g.exec_plus.push(ap);
        break;
      }
      case "-executable":
        alloc(ps, function* (_gg, fileName) {
          return (yield* access(fileName, X_OK)) === 0 ? TRUE : 0;
        });
        break;
      case "(": {
        let nested = 1;
        let end = i;
        for (;;) {
          if (++end >= argv.length) throw new Die("unpaired '('");
          if (argv[end] === "(") nested++;
          else if (argv[end] === ")" && !--nested) break;
        }
        const sub = yield* parse_params(g, argv.slice(i + 1, end));
        alloc(ps, function* (gg, fileName, st) {
          return yield* exec_actions(gg, sub, fileName, st);
        });
        i = end;
        break;
      }
      case "-name":
      case "-iname": {
        const flags = arg === "-iname" ? FNM_CASEFOLD : 0;
        const pat = arg1;
        alloc_test(ps, (_gg, fileName) => {
          return fnmatch(pat, name_of(fileName), flags) ? TRUE : 0;
        });
        break;
      }
      case "-path":
      case "-wholename":
      case "-ipath": {
        const flags = arg === "-ipath" ? FNM_CASEFOLD : 0;
        const pat = arg1;
        alloc_test(ps, (_gg, fileName) => {
          return fnmatch(pat, fileName, flags) ? TRUE : 0;
        });
        break;
      }
      case "-regex": {
        const re = regcomp(arg1, false);
        if (typeof re === "string") throw new Die(`bad regex '${arg1}': ${re}`);
        const compiled: Regex = re;
        alloc_test(ps, (_gg, fileName) => {
          const m = regexec(compiled, fileName);
          return m && m.index === 0 && m[0].length === fileName.length ? TRUE : 0;
        });
        break;
      }
      case "-type": {
        const mask = arg1.length === 1 ? TYPES[arg1] : undefined;
        if (mask === undefined) throw new Die(`invalid argument '${arg1}' to '-type'`);
        alloc_test(ps, (_gg, _f, st) => {
          return (st.st_mode & S_IFMT) === mask ? TRUE : 0;
        });
        break;
      }
      case "-perm": {
        const ch = arg1[0] ?? "";
        const m = arg1[0] === "/" ? arg1.slice(1) : plus_minus_num(arg1);
        const old = yield* umask(0);
        yield* umask(old);
        const mask = bb_parse_mode(m, 0, old);
        if (mask === null) throw new Die(`invalid mode '${m}'`);
        alloc_test(ps, (_gg, _f, st) => {
          if (ch === "+" || ch === "/") return st.st_mode & mask ? TRUE : 0;
          if (ch === "-") return (st.st_mode & mask) === mask ? TRUE : 0;
          return (st.st_mode & 0o7777) === mask ? TRUE : 0;
        });
        break;
      }
      case "-mtime":
      case "-atime":
      case "-ctime":
      case "-mmin":
      case "-amin":
      case "-cmin": {
        const ch = arg1[0] ?? "";
        const n = xatoul(plus_minus_num(arg1));
        const unit = arg.endsWith("min") ? 60 : 24 * 60 * 60;
        const field = arg[1] === "m" ? "st_mtime" : arg[1] === "a" ? "st_atime" : "st_ctime";
        alloc_test(ps, (gg, _f, st) => {
          return time_cmp(gg.now, st[field], ch, n, unit) ? TRUE : 0;
        });
        break;
      }
      case "-newer": {
        const st0 = yield* stat(arg1);
        if (typeof st0 === "number") throw new Die(`can't stat '${arg1}': ${strerror(st0)}`);
        const t = st0.st_mtime;
        alloc_test(ps, (_gg, _f, st) => {
          return t < st.st_mtime ? TRUE : 0;
        });
        break;
      }
      case "-inum": {
        const ino = xatoul(arg1);
        alloc_test(ps, (_gg, _f, st) => {
          return st.st_ino === ino ? TRUE : 0;
        });
        break;
      }
      case "-samefile": {
        const st0 = yield* stat(arg1);
        if (typeof st0 === "number") throw new Die(`can't stat '${arg1}': ${strerror(st0)}`);
        alloc_test(ps, (_gg, _f, st) => {
          return st.st_ino === st0.st_ino && st.st_dev === st0.st_dev ? TRUE : 0;
        });
        break;
      }
      case "-user": {
        let uid = bb_strtou(arg1);
        if (uid === null) {
          const pw = yield* getpwnam(arg1);
          if (!pw) throw new Die(`unknown user ${arg1}`);
          uid = pw.pw_uid;
        }
        const id = uid;
        alloc_test(ps, (_gg, _f, st) => {
          return st.st_uid === id ? TRUE : 0;
        });
        break;
      }
      case "-group": {
        let gid = bb_strtou(arg1);
        if (gid === null) {
          const gr = (yield* getgrent_all()).find((x) => x.gr_name === arg1);
          if (!gr) throw new Die(`unknown group ${arg1}`);
          gid = gr.gr_gid;
        }
        const id = gid;
        alloc_test(ps, (_gg, _f, st) => {
          return st.st_gid === id ? TRUE : 0;
        });
        break;
      }
      case "-size": {
        const ch = arg1[0] ?? "";
        const num = plus_minus_num(arg1);
        // A bare number counts 512-byte blocks (the "" suffix).
        const size = /^[0-9]+$/.test(num) ? xatoul(num) * 512 : xatoul(num, FIND_SUFFIXES);
        alloc_test(ps, (_gg, _f, st) => {
          if (ch === "+") return st.st_size > size ? TRUE : 0;
          if (ch === "-") return st.st_size < size ? TRUE : 0;
          return st.st_size === size ? TRUE : 0;
        });
        break;
      }
      case "-links": {
        const ch = arg1[0] ?? "";
        const n = xatoul(plus_minus_num(arg1));
        alloc_test(ps, (_gg, _f, st) => {
          if (ch === "-") return st.st_nlink < n ? TRUE : 0;
          if (ch === "+") return st.st_nlink > n ? TRUE : 0;
          return st.st_nlink === n ? TRUE : 0;
        });
        break;
      }
      case "-empty":
        alloc(ps, act_empty);
        break;
      default:
        yield* bb_error_msg("find", `unrecognized: ${arg}`);
        throw new Die(null);
    }
  }
  return ps.groups;
}

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
  const ents = yield* read_dir(fileName);
  if (typeof ents === "number") return yield* warn(ents);
  let status = true;
  for (const e of ents) {
    if (e.d_name === "." || e.d_name === "..") continue;
    if (!(yield* recursive_action(g, groups, concat_path_file(fileName, e.d_name), depth + 1)))
      status = false;
  }
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
