/*
 * eval.ts - running the tree (BusyBox shell/ash.c: evaltree, evalloop,
 * evalfor, evalcase, evalsubshell, evalpipe, evalbackcmd, evalstring).
 *
 * evaltree returns a command's exit status and leaves it in sh.status.
 * Two flags travel down the tree:
 *   EV_EXIT    the shell exits after this node, so the last command of a
 *              forked child execs in place instead of forking again;
 *   EV_TESTED  the status is tested (if/while conditions, left of && ||,
 *              after !), so `set -e` does not end the shell here.
 * break, continue and return set sh.skip; loops and function calls consume
 * it. A subshell, a pipeline element, a background job and a command
 * substitution each run in a forked child over a copy of the shell
 * (forkShell).
 */

import { O_RDONLY, SIGINT, TIOCSPGRP } from "../../kernel/uapi/abi.js";
import { EINTR } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { dec, puts, read_all } from "../libc/stdio.js";
import { close, dup2, getpgid, getpid, ioctl, open, pipe, read, wait4 } from "../libc/sys.js";
import type { Compound, Node } from "./ast.js";
import { evalcommand, findCommand } from "./command.js";
import { expandArgs, expandPattern, expandString } from "./expand.js";
import { pmatch } from "./glob.js";
import { deathMessage, exitCode, JOBDONE, JOBRUNNING, type Job, JobTable, type Proc } from "./jobs.js";
import { isName, Lexer, ShSyntaxError } from "./lexer.js";
import { Parser } from "./parser.js";
import { applyRedirs, expandRedirs, restoreRedirs, type Saved } from "./redir.js";
import { type Shell, ShellExit, ShellInterrupt, sh_error, sh_warn } from "./shell.js";
import { cmdtxt } from "./show.js";
import { dotrap, type ForkMode, forkShell } from "./trap.js";

export const EV_EXIT = 1;
export const EV_TESTED = 2;

export function* evaltree(sh: Shell, n: Node | null, flags: number): UserGen<number> {
  if (!n) {
    sh.status = 0;
    return 0;
  }
  let status: number;
  switch (n.type) {
    case "seq":
      yield* evaltree(sh, n.left, flags & EV_TESTED);
      if (sh.skip) return sh.status;
      return yield* evaltree(sh, n.right, flags);
    case "and":
    case "or": {
      status = yield* evaltree(sh, n.left, (flags & ~EV_EXIT) | EV_TESTED);
      if (sh.skip) return status;
      if ((status === 0) === (n.type === "and")) return yield* evaltree(sh, n.right, flags);
      break;
    }
    case "not":
      status = (yield* evaltree(sh, n.body, (flags & ~EV_EXIT) | EV_TESTED)) ? 0 : 1;
      break;
    case "cmd":
      status = yield* evalcommand(sh, n, flags);
      break;
    case "pipe":
      status = yield* evalpipe(sh, n, flags);
      break;
    case "bg":
      status = yield* evalbg(sh, n.body);
      break;
    case "defun":
      sh.funcs.set(n.name, n.body);
      status = 0;
      break;
    case "subshell":
      status = yield* evalsubshell(sh, n, flags);
      break;
    default:
      status = yield* withRedirs(sh, n, flags, () => evalcompound(sh, n, flags));
  }
  sh.status = status;
  if (sh.pending.length) yield* dotrap(sh);
  if (
    status !== 0 &&
    sh.opts.e &&
    !(flags & EV_TESTED) &&
    (n.type === "cmd" || n.type === "pipe" || n.type === "subshell")
  )
    throw new ShellExit(status);
  return status;
}

function* withRedirs(sh: Shell, n: Compound, _flags: number, body: () => UserGen<number>): UserGen<number> {
  if (n.redirs.length === 0) return yield* body();
  if (n.rline !== undefined) sh.lineno = n.rline;
  const list = yield* expandRedirs(sh, n.redirs);
  if (!list) return 1;
  const saved: Saved = [];
  const err = yield* applyRedirs(sh, list, saved);
  if (err) {
    // the message goes where the redirections done so far send it
    yield* sh_warn(sh, err);
    yield* restoreRedirs(saved);
    return 1;
  }
  try {
    return yield* body();
  } finally {
    yield* restoreRedirs(saved);
  }
}

function* evalcompound(sh: Shell, n: Compound, flags: number): UserGen<number> {
  switch (n.type) {
    case "group":
      return yield* evaltree(sh, n.body, flags);
    case "if": {
      const c = yield* evaltree(sh, n.cond, EV_TESTED);
      if (sh.skip) return c;
      if (c === 0) return yield* evaltree(sh, n.then, flags);
      if (n.else) return yield* evaltree(sh, n.else, flags);
      return 0;
    }
    case "while":
    case "until":
      return yield* evalloop(sh, n, flags);
    case "for":
      return yield* evalfor(sh, n, flags);
    case "case":
      return yield* evalcase(sh, n, flags);
  }
  return 0;
}

/**
 * A preemption point, once per loop iteration. A loop of builtins
 * (`while :; do :; done`) makes no system call of its own, and a simulated
 * process only gives the CPU back, and only receives signals (^C), when it
 * enters the kernel; a real CPU would have taken a timer interrupt. The
 * cheapest call stands for that tick, and its trap runs if one came.
 */
function* tick(sh: Shell): UserGen<void> {
  yield* getpid();
  if (sh.pending.length) yield* dotrap(sh);
}

/** Consumes a break/continue at a loop; true when the loop must end. */
function loopSkip(sh: Shell): boolean {
  if (!sh.skip) return false;
  if (sh.skip === "return") return true;
  if (--sh.skipcount > 0) return true;
  const brk = sh.skip === "break";
  sh.skip = "";
  return brk;
}

function* evalloop(sh: Shell, n: Extract<Node, { type: "while" | "until" }>, flags: number): UserGen<number> {
  let status = 0;
  sh.loopnest++;
  try {
    for (;;) {
      yield* tick(sh);
      const c = yield* evaltree(sh, n.cond, EV_TESTED);
      if (sh.skip) {
        // ash's evalloop: a return in the condition is the loop's status
        if (sh.skip === "return") status = c;
        if (loopSkip(sh)) break;
        continue;
      }
      if ((c === 0) !== (n.type === "while")) break;
      status = yield* evaltree(sh, n.body, flags & EV_TESTED);
      if (sh.skip && loopSkip(sh)) break;
    }
  } finally {
    sh.loopnest--;
  }
  return status;
}

function* evalfor(sh: Shell, n: Extract<Node, { type: "for" }>, flags: number): UserGen<number> {
  sh.lineno = n.line;
  const list = n.words ? yield* expandArgs(sh, n.words) : [...sh.params];
  let status = 0;
  sh.loopnest++;
  try {
    for (const v of list) {
      yield* tick(sh);
      try {
        sh.vars.set(n.name, v);
      } catch {
        yield* sh_error(sh, `${n.name}: is read only`);
      }
      status = yield* evaltree(sh, n.body, flags & EV_TESTED);
      if (sh.skip && loopSkip(sh)) break;
    }
  } finally {
    sh.loopnest--;
  }
  return status;
}

function* evalcase(sh: Shell, n: Extract<Node, { type: "case" }>, flags: number): UserGen<number> {
  sh.lineno = n.line;
  const word = yield* expandString(sh, n.word);
  for (let i = 0; i < n.items.length; i++) {
    let hit = false;
    for (const p of n.items[i].patterns)
      if (pmatch(yield* expandPattern(sh, p), word)) {
        hit = true;
        break;
      }
    if (!hit) continue;
    return yield* evaltree(sh, n.items[i].body, flags);
  }
  return 0;
}

/** ( list ): a forked copy of the shell runs it. */
/**
 * ( list ): its redirections are expanded by the shell but applied by the
 * child, where a failure is an error that ends it (status 2). The last thing
 * a child does needs no fork of its own, unless traps must run after it.
 */
function* evalsubshell(sh: Shell, n: Extract<Node, { type: "subshell" }>, flags: number): UserGen<number> {
  if (n.rline !== undefined) sh.lineno = n.rline;
  const list = n.redirs.length ? yield* expandRedirs(sh, n.redirs) : [];
  if (!list) return 1;
  const child = function* (c: Shell, f: number): UserGen<number> {
    if (list.length) {
      const err = yield* applyRedirs(c, list, null);
      if (err) return yield* sh_error(c, err);
    }
    return yield* evaltree(c, n.body, f);
  };
  if (flags & EV_EXIT && !sh.mayHaveTraps()) return yield* child(sh, flags);
  const pid = yield* forkShell(sh, "fg", 0, (c) => child(c, EV_EXIT | (flags & EV_TESTED)));
  if (pid < 0) return yield* sh_error(sh, `can't fork`);
  const job = sh.jobs.make([{ pid, status: -1, cmd: cmdtxt(n.body) }], pid, sh.opts.m);
  return yield* waitForJob(sh, job);
}

/** list &: a background job; $! is its pid. */
function* evalbg(sh: Shell, body: Node): UserGen<number> {
  const pid = yield* forkShell(sh, "bg", 0, (c) => evaltree(c, body, EV_EXIT));
  if (pid < 0) return yield* sh_error(sh, "can't fork");
  const job = sh.jobs.make([{ pid, status: -1, cmd: cmdtxt(body) }], pid, sh.opts.m);
  startedInBackground(sh, job);
  return 0;
}

function startedInBackground(sh: Shell, job: Job): void {
  // ash's forkparent only remembers $!; it prints nothing
  sh.bgpid = job.procs[job.procs.length - 1].pid;
}

/** a | b | c: one child per command, connected by pipes. */
/**
 * prehash: the shell looks up a pipeline command's name before it forks, so
 * the path lands in its own hash table (only a plain name, as written).
 */
function* prehash(sh: Shell, n: Node): UserGen<void> {
  if (n.type !== "cmd" || n.args.length === 0) return;
  const parts = n.args[0].parts;
  if (parts.length === 1 && parts[0].t === "lit" && isName(parts[0].s)) yield* findCommand(sh, parts[0].s);
}

function* evalpipe(sh: Shell, n: Extract<Node, { type: "pipe" }>, flags: number): UserGen<number> {
  const procs: Proc[] = [];
  let prev = -1;
  let pgrp = 0;
  const mode: ForkMode = n.bg ? "bg" : "fg";
  for (let i = 0; i < n.cmds.length; i++) {
    const cmd = n.cmds[i];
    let p: [number, number] | null = null;
    if (i < n.cmds.length - 1) {
      const r = yield* pipe();
      if (typeof r === "number") return yield* sh_error(sh, "pipe call failed");
      p = r;
    }
    const input = prev;
    const out = p;
    yield* prehash(sh, cmd);
    const pid = yield* forkShell(sh, mode, pgrp, function* (c) {
      if (out) yield* close(out[0]);
      if (input > 0) {
        yield* dup2(input, 0);
        yield* close(input);
      }
      if (out && out[1] !== 1) {
        yield* dup2(out[1], 1);
        yield* close(out[1]);
      }
      return yield* evaltree(c, cmd, EV_EXIT);
    });
    if (input >= 0) yield* close(input);
    if (out) {
      yield* close(out[1]);
      prev = out[0];
    }
    if (pid < 0) return yield* sh_error(sh, "can't fork");
    if (!pgrp) pgrp = pid;
    procs.push({ pid, status: -1, cmd: cmdtxt(cmd) });
  }
  const job = sh.jobs.make(procs, pgrp, sh.opts.m);
  if (n.bg) {
    startedInBackground(sh, job);
    return 0;
  }
  void flags;
  return yield* waitForJob(sh, job);
}

/**
 * waitforjob: waits until a foreground job is done or stopped, takes the
 * terminal back, reports a death by signal ("Killed"), and returns $?.
 */
export function* waitForJob(sh: Shell, job: Job): UserGen<number> {
  job.fg = true;
  while (job.state === JOBRUNNING) {
    const r = yield* sh.jobs.dowait(true, job.jobctl);
    if (r === -EINTR) continue;
    if (r < 0) break;
  }
  if (job.jobctl) {
    const me = yield* getpgid(0);
    yield* ioctl(0, TIOCSPGRP, me);
  }
  const st = JobTable.status(job, sh.opts.pipefail);
  if (job.state === JOBDONE) {
    const msg = deathMessage(st);
    if (msg) yield* puts(2, msg);
    sh.jobs.free(job);
    // ^C killed it: ash raises SIGINT on itself, so a trap runs, else the line is abandoned
    if (job.jobctl && (st & 0x7f) === SIGINT) {
      const trap = sh.traps[SIGINT];
      if (trap === null || trap === undefined) throw new ShellInterrupt(130);
      if (trap !== "" && !sh.pending.includes(SIGINT)) sh.pending.push(SIGINT);
    }
  } else {
    // stopped (^Z): it stays in the table as the current job
    sh.jobs.setCurrent(job);
    job.changed = false;
    yield* puts(2, sh.jobs.format(job));
  }
  return exitCode(st);
}

/** $(...) and `...`: the output of a forked shell running body. */
export function* evalBackcmd(sh: Shell, body: Node | null): UserGen<string> {
  if (!body) {
    sh.backExitStatus = 0;
    return "";
  }
  const p = yield* pipe();
  if (typeof p === "number") return yield* sh_error(sh, "pipe call failed");
  const [rd, wr] = p;
  const pid = yield* forkShell(sh, "nojob", 0, function* (c) {
    yield* close(rd);
    if (wr !== 1) {
      yield* dup2(wr, 1);
      yield* close(wr);
    }
    return yield* evaltree(c, body, EV_EXIT);
  });
  yield* close(wr);
  const chunks: Uint8Array[] = [];
  for (;;) {
    const r = yield* read(rd, 65536);
    if (typeof r === "number") {
      if (r === -EINTR) continue;
      break;
    }
    if (r.length === 0) break;
    chunks.push(r);
  }
  yield* close(rd);
  let status = 0;
  if (pid > 0)
    for (;;) {
      const w = yield* wait4(pid, 0);
      if (typeof w === "number") {
        if (w === -EINTR) continue;
        break;
      }
      status = w.status;
      break;
    }
  sh.backExitStatus = exitCode(status);
  let total = 0;
  for (const c of chunks) total += c.length;
  const all = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return dec(all);
}

/** A parser over a program text (eval, trap actions), its lines counted from line. */
export function parseString(text: string, line: number): Parser {
  const lx = new Lexer(text, true);
  lx.line = line;
  return new Parser(lx);
}

/** evalstring: eval, trap actions, sh -c. Runs text line by line. */
export function* evalstring(sh: Shell, text: string, flags = 0): UserGen<number> {
  const p = parseString(text, sh.lineno);
  p.lx.aliases = sh.aliases;
  let status = 0;
  for (;;) {
    let n: Node | null | "eof";
    try {
      n = p.parseLine();
    } catch (e) {
      if (e instanceof ShSyntaxError) {
        sh.lineno = e.line;
        return yield* sh_error(sh, `syntax error: ${e.msg}`);
      }
      throw e;
    }
    if (n === "eof") break;
    if (!n) continue;
    status = yield* evaltree(sh, n, flags & EV_TESTED);
    if (sh.skip) break;
  }
  return status;
}

/** Reads a whole file (for `.` and scripts); -errno when it cannot be read. */
export function* readFile(path: string): UserGen<string | number> {
  const fd = yield* open(path, O_RDONLY);
  if (fd < 0) return fd;
  const data = yield* read_all(fd);
  yield* close(fd);
  return typeof data === "number" ? data : dec(data);
}
