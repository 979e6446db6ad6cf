/*
 * find_expr.ts - find's expression (findutils/find.c's parse_params,
 * exec_actions and the ACTF functions): the words after the paths parsed
 * into OR groups of ANDed actions, the tests and actions themselves, and
 * -exec's command runs. find.ts walks the tree and calls exec_actions on
 * every file.
 *
 * Each action returns TRUE (bit 0) when it matched and may add SKIP (bit 1,
 * -prune). A test that needs no system call is a plain function (TestFn);
 * the others are generators (ActionFn).
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
  INT_MAX,
  type Suffix,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { bb_parse_mode } from "../libc/mode.js";
import { DEFAULT_PATH, execvp, find_in_path, getenv } from "../libc/proc.js";
import { getgrent_all, getpwnam } from "../libc/pwd.js";
import { type Regex, regcomp, regexec } from "../libc/regex.js";
import { strerror } from "../libc/stdio.js";
import type { Writer } from "../libc/stream.js";
import { access, exit, fork, stat, umask, wait4 } from "../libc/sys.js";

/* An action's result bits. */
export const TRUE = 1;
export const SKIP = 2;

/* recursive_action's flags. */
export const ACTION_FOLLOWLINKS = 1 << 1;
export const ACTION_FOLLOWLINKS_L0 = 1 << 2;
export const ACTION_DEPTHFIRST = 1 << 3;
export const ACTION_DANGLING_OK = 1 << 5;

/** A parse error: BusyBox dies with this message (bb_error_msg_and_die), or shows usage (null). */
export class Die {
  constructor(readonly msg: string | null) {}
}

/** The state of one find run (BusyBox's globals G). */
export interface Find {
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
export type Groups = (Action[] | null)[];

/** exec_actions: the first group whose actions all succeed; SKIP sticks. */
export function* exec_actions(g: Find, groups: Groups, fileName: string, st: Stat): UserGen<number> {
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

export function* print_name(g: Find, name: string, end: string): UserGen<void> {
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
export function* flush_exec_plus(g: Find): UserGen<number> {
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
export function* parse_params(g: Find, argv: string[]): UserGen<Groups> {
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
