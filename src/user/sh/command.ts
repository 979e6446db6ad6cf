/*
 * command.ts - simple commands (BusyBox shell/ash.c: evalcommand,
 * find_command, shellexec/tryexec, evalfun, evalbltin).
 *
 * A simple command is expanded (words, then redirections, then
 * assignments), then looked up in ash's order: special builtins, functions,
 * regular builtins, then $PATH (remembered in the hash table). Builtins and
 * functions run in the shell with their redirections saved and restored;
 * anything else is forked and exec'd, or exec'd in place when this is the
 * last thing a forked child does (EV_EXIT). "not found" is decided before
 * forking, so the message carries the script's line number. A file exec
 * refuses with ENOEXEC runs as a shell script (ash re-execs itself).
 */

import { S_ISDIR, S_ISREG } from "../../kernel/uapi/abi.js";
import { EACCES, ENOENT, ENOEXEC, ENOTDIR } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import type { Applet } from "../applets/registry.js";
import { APPLET_IS_NOEXEC, find_applet_by_name, run_noexec_applet_and_exit } from "../applets/standalone.js";
import { libc_fork } from "../libc/crt0.js";
import { puts, strerror } from "../libc/stdio.js";
import { execve, exit, stat } from "../libc/sys.js";
import type { Node, Word } from "./ast.js";
import { BUILTINS, type Builtin } from "./builtins.js";
import { EV_EXIT, EV_TESTED, evaltree, waitForJob } from "./eval.js";
import { expandArgs, expandString } from "./expand.js";
import { isAssignment, isKeyword } from "./parser.js";
import { applyRedirs, expandRedirs, restoreRedirs, type Saved } from "./redir.js";
import { type Shell, ShellError, ShellInterrupt, sh_error, sh_warn } from "./shell.js";
import { cmdtxt } from "./show.js";
import { forkShell } from "./trap.js";
import { ReadonlyError, single_quote } from "./vars.js";

type CmdNode = Extract<Node, { type: "cmd" }>;

/** Where a command name leads. */
export type CmdEntry =
  | { kind: "builtin"; b: Builtin }
  | { kind: "function"; body: Node }
  | { kind: "file"; path: string }
  | { kind: "applet"; a: Applet }
  | { kind: "none"; err: number };

/** The path of the program ash would run for name, searching PATH; -errno when none. */
export function* findInPath(sh: Shell, name: string): UserGen<string | number> {
  const hit = sh.hash.get(name);
  // after a cd, a path from an absolute PATH directory stands; one from a relative one is searched again
  if (hit && (!hit.rehash || hit.path.startsWith("/"))) {
    hit.rehash = false;
    return hit.path;
  }
  // an unset PATH searches nothing but the current directory, as ash's pathval() gives ""
  const path = sh.vars.get("PATH") ?? "";
  let err = -ENOENT;
  for (const dir of path.split(":")) {
    const full = `${dir || "."}/${name}`;
    const st = yield* stat(full);
    if (typeof st === "number") {
      if (st !== -ENOENT && st !== -ENOTDIR) err = st;
      continue;
    }
    if (S_ISREG(st.st_mode)) {
      sh.hash.set(name, { path: full, rehash: false });
      return full;
    }
    if (S_ISDIR(st.st_mode)) err = -EACCES;
  }
  return err;
}

/** find_command: builtins (special first), functions, then PATH. */
export function* findCommand(sh: Shell, name: string, noFunctions = false): UserGen<CmdEntry> {
  const b = BUILTINS.get(name);
  if (b?.special) return { kind: "builtin", b };
  if (!noFunctions) {
    const f = sh.funcs.get(name);
    if (f) return { kind: "function", body: f };
  }
  if (b) return { kind: "builtin", b };
  if (name.includes("/")) return { kind: "file", path: name };
  // FEATURE_SH_STANDALONE: BusyBox's own applets before $PATH (and not in the hash table)
  const a = find_applet_by_name(name);
  if (a) return { kind: "applet", a };
  const p = yield* findInPath(sh, name);
  if (typeof p === "number") return { kind: "none", err: p };
  return { kind: "file", path: p };
}

/** Builtins whose NAME=value arguments expand like assignments (ash's ASSIGN builtins). */
const DECLARATIONS = new Set(["export", "local", "readonly"]);

/**
 * The arguments of a simple command. After export, local or readonly a
 * NAME=value word is expanded as an assignment: no field splitting and no
 * pathname expansion (local v=$x keeps the spaces of $x).
 */
function* expandCommandArgs(sh: Shell, words: Word[]): UserGen<string[]> {
  const first = words[0].parts[0];
  if (words[0].parts.length !== 1 || first.t !== "lit" || !DECLARATIONS.has(first.s))
    return yield* expandArgs(sh, words);
  const out = [first.s];
  for (const w of words.slice(1)) {
    if (isAssignment(w)) out.push(yield* expandString(sh, w));
    else out.push(...(yield* expandArgs(sh, [w])));
  }
  return out;
}

/** Splits NAME=value words: names and expanded values. */
function* expandAssigns(sh: Shell, words: Word[]): UserGen<[string, string][]> {
  const out: [string, string][] = [];
  for (const w of words) {
    const first = w.parts[0] as { t: "lit"; s: string };
    const eq = first.s.indexOf("=");
    const name = first.s.slice(0, eq);
    const rest: Word = { parts: [{ t: "lit", s: first.s.slice(eq + 1) }, ...w.parts.slice(1)] };
    out.push([name, yield* expandString(sh, rest)]);
  }
  return out;
}

function* assign(sh: Shell, list: [string, string][], exportAll = false): UserGen<void> {
  for (const [name, value] of list) {
    try {
      sh.vars.set(name, value, sh.opts.a || exportAll ? { export: true } : {});
    } catch (e) {
      if (e instanceof ReadonlyError) yield* sh_error(sh, `${name}: is read only`);
      throw e;
    }
  }
}

/**
 * maybe_single_quote: a word in single quotes when it has a character the
 * shell would treat specially - controls, space and !"#$%&'()*, ;<=>?, `
 * [ \ and everything above z (so non-ASCII too); "+,-./ digits :@ letters
 * ]^_" stay bare, and an empty word stays empty.
 */
function maybe_single_quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x2b || (c >= 0x3b && c <= 0x3f) || c === 0x60 || c === 0x5b || c === 0x5c || c > 0x7a)
      return single_quote(s);
  }
  return s;
}

/**
 * xtrace: "+ cmd args" on the shell's own stderr (the copy of 2 a 2> saved:
 * ash's preverrout_fd); a word that is a reserved word is always quoted.
 */
function* xtrace(sh: Shell, assigns: [string, string][], argv: string[], saved: Saved | null): UserGen<void> {
  const words = [
    ...assigns.map(([n, v]) => `${n}=${maybe_single_quote(v)}`),
    ...argv.map((a) => (isKeyword(a) ? single_quote(a) : maybe_single_quote(a))),
  ];
  const fd = saved?.find(([f]) => f === 2)?.[1] ?? 2;
  yield* puts(fd < 0 ? 2 : fd, `${sh.vars.get("PS4") ?? "+ "}${words.join(" ")}\n`);
}

export function* evalcommand(sh: Shell, n: CmdNode, flags: number): UserGen<number> {
  sh.lineno = n.line;
  // set -n: commands are read, not run (an interactive shell ignores it)
  if (sh.opts.n && !sh.interactive) return 0;
  sh.backExitStatus = null;
  const argv = n.args.length ? yield* expandCommandArgs(sh, n.args) : [];
  const redirs = n.redirs.length ? yield* expandRedirs(sh, n.redirs) : [];
  if (!redirs) return yield* redirFailed(sh, argv);
  const entry = argv.length ? yield* findCommand(sh, argv[0]) : null;
  const special = entry?.kind === "builtin" && entry.b.special;
  // ash's evalcommand: the redirections first, in the shell (saved, to be put back after the
  // command), but for good with a bare exec or a program the shell is replaced by
  const execNow =
    (entry?.kind === "file" || entry?.kind === "applet") && flags & EV_EXIT && !sh.mayHaveTraps();
  const saved: Saved | null =
    (entry?.kind === "builtin" && entry.b.name === "exec" && argv.length === 1) || execNow ? null : [];
  try {
    if (redirs.length) {
      const err = yield* applyRedirs(sh, redirs, saved);
      if (err) {
        // the message goes where the redirections done so far send it; nothing else happens
        yield* sh_warn(sh, err);
        if (special && !sh.interactive) throw new ShellError(1);
        return 1;
      }
    }
    const assigns = n.assigns.length ? yield* expandAssigns(sh, n.assigns) : [];
    if (sh.opts.x && (argv.length || assigns.length)) yield* xtrace(sh, assigns, argv, saved);

    if (!entry) {
      yield* assign(sh, assigns);
      return sh.backExitStatus ?? 0;
    }
    if (entry.kind === "none") {
      yield* sh_warn(sh, `${argv[0]}: ${entry.err === -ENOENT ? "not found" : strerror(entry.err)}`);
      return 127;
    }
    if (entry.kind === "builtin") return yield* runBuiltin(sh, entry.b, argv, assigns);
    if (entry.kind === "function")
      return yield* runFunction(sh, entry.body, argv, assigns, flags & EV_TESTED);

    // an external program, in a child that inherits the redirected descriptors
    const env = assigns.length ? envWith(sh, assigns) : sh.vars.environ();
    const prefix = sh.msgPrefix();
    if (execNow) return yield* shellexec_entry(sh, entry, argv, env, prefix);
    const pid = yield* forkShell(sh, "fg", 0, (c) => shellexec_entry(c, entry, argv, env, prefix), true);
    if (pid < 0) return yield* sh_error(sh, "can't fork");
    const job = sh.jobs.make([{ pid, status: -1, cmd: cmdtxt(n) }], pid, sh.opts.m);
    return yield* waitForJob(sh, job);
  } finally {
    if (saved?.length) yield* restoreRedirs(saved);
  }
}

/**
 * A here-document that failed to expand fails the redirections: status 1,
 * and a special builtin's failure ends a script (evalcommand's bail).
 */
function* redirFailed(sh: Shell, argv: string[]): UserGen<number> {
  const entry = argv.length ? yield* findCommand(sh, argv[0]) : null;
  if (entry?.kind === "builtin" && entry.b.special && !sh.interactive) throw new ShellError(1);
  return 1;
}

function envWith(sh: Shell, assigns: [string, string][]): string[] {
  const names = new Set(assigns.map(([k]) => k));
  return [
    ...sh.vars.environ().filter((e) => !names.has(e.slice(0, e.indexOf("=")))),
    ...assigns.map(([k, v]) => `${k}=${v}`),
  ];
}

/** Forks and execs a program in the foreground (command NAME, exec-less paths); returns $?. */
export function* runExternal(sh: Shell, entry: ExecEntry, argv: string[]): UserGen<number> {
  const env = sh.vars.environ();
  const prefix = sh.msgPrefix();
  const pid = yield* forkShell(sh, "fg", 0, (c) => shellexec_entry(c, entry, argv, env, prefix), true);
  if (pid < 0) return yield* sh_error(sh, "can't fork");
  const job = sh.jobs.make([{ pid, status: -1, cmd: argv.join(" ") }], pid, sh.opts.m);
  return yield* waitForJob(sh, job);
}

/** What a command name found as a program leads to: a file, or one of BusyBox's applets. */
export type ExecEntry = Extract<CmdEntry, { kind: "file" | "applet" }>;

/**
 * tryexec of an applet (FEATURE_SH_STANDALONE): a NOEXEC one runs here, in
 * the forked child, with a copy of the shell's C library state; any other
 * re-executes the binary through /proc/self/exe.
 */
export function* shellexec_entry(
  sh: Shell,
  entry: ExecEntry,
  argv: string[],
  env: string[],
  prefix?: string,
): UserGen<never> {
  if (entry.kind === "file") return yield* shellexec(sh, entry.path, argv, env, prefix);
  if (APPLET_IS_NOEXEC(entry.a.name))
    return yield* run_noexec_applet_and_exit(entry.a, argv, env, libc_fork(sh.libc));
  // Ourselves again; when that fails (no /proc yet, early in boot) tryexec goes on with the name
  // as it is, then ash searches $PATH for it as for any program.
  yield* tryexec("/proc/self/exe", argv, env);
  const name = argv[0];
  yield* tryexec(name, argv, env);
  let e = -ENOENT;
  for (const dir of (sh.vars.get("PATH") ?? "").split(":")) {
    const r = yield* tryexec(`${dir || "."}/${name}`, argv, env);
    if (r !== -ENOENT && r !== -ENOTDIR) e = r;
  }
  yield* puts(2, `${prefix ?? sh.msgPrefix()}${name}: ${e === -ENOENT ? "not found" : strerror(e)}\n`);
  return yield* exit(e === -ENOENT ? 127 : 126);
}

/** tryexec: execve, or the file as a shell script when the kernel refuses it with ENOEXEC; -errno if neither ran. */
function* tryexec(path: string, argv: string[], env: string[]): UserGen<number> {
  const e = yield* execve(path, argv, env);
  if (e !== -ENOEXEC) return e;
  return yield* execve("/bin/busybox", ["ash", path, ...argv.slice(1)], env);
}

/** shellexec: execve, a script when ENOEXEC, or the error and 126/127. */
export function* shellexec(
  sh: Shell,
  path: string,
  argv: string[],
  env: string[],
  prefix?: string,
): UserGen<never> {
  const e = yield* tryexec(path, argv, env);
  const msg = e === -ENOENT || e === -ENOTDIR ? "not found" : strerror(e);
  yield* puts(2, `${prefix ?? sh.msgPrefix()}${argv[0]}: ${msg}\n`);
  return yield* exit(e === -ENOENT || e === -ENOTDIR ? 127 : 126);
}

/** Runs a builtin in the shell: its redirections saved, its assignments temporary (or not, if special). */
export function* runBuiltin(
  sh: Shell,
  b: Builtin,
  argv: string[],
  assigns: [string, string][],
): UserGen<number> {
  const keep = b.special || b.name === "exec";
  const restore = keep ? null : saveVars(sh, assigns);
  const oldName = sh.commandname;
  try {
    yield* assign(sh, assigns, !keep);
    sh.commandname = argv[0];
    try {
      return yield* b.fn(sh, argv);
    } catch (e) {
      // an error in a regular builtin only fails it (ash's evalcommand "readstatus")
      if (e instanceof ShellError && !b.special && !(e instanceof ShellInterrupt)) return e.status;
      throw e;
    }
  } finally {
    sh.commandname = oldName;
    if (restore) restore();
  }
}

/** Remembers variables a temporary assignment changes; returns the undo. */
function saveVars(sh: Shell, assigns: [string, string][]): (() => void) | null {
  if (!assigns.length) return null;
  const old = assigns.map(([k]) => {
    const v = sh.vars.map.get(k);
    return [k, v ? { ...v } : undefined] as const;
  });
  return () => {
    for (const [k, v] of old) sh.vars.restore(k, v);
  };
}

/** evalfun: a function call with its own $1... and local frame. */
export function* runFunction(
  sh: Shell,
  body: Node,
  argv: string[],
  assigns: [string, string][],
  flags = 0,
): UserGen<number> {
  const restore = saveVars(sh, assigns);
  const oldParams = sh.params;
  const { optind, optoff } = sh;
  sh.setparam(argv.slice(1));
  sh.funcnest++;
  sh.vars.pushFrame();
  // bash's $FUNCNAME, which ash 1.35 keeps too
  sh.vars.makeLocal("FUNCNAME");
  sh.vars.map.get("FUNCNAME")!.value = argv[0];
  let status: number;
  try {
    yield* assign(sh, assigns, true);
    // evalfun: a function called where its status is tested is tested throughout (set -e)
    status = yield* evaltree(sh, body, flags);
    if (sh.skip === "return") {
      sh.skip = "";
      status = sh.status;
    }
  } finally {
    sh.vars.popFrame();
    sh.funcnest--;
    sh.params = oldParams;
    sh.optind = optind;
    sh.optoff = optoff;
    if (restore) restore();
  }
  sh.status = status;
  return status;
}
