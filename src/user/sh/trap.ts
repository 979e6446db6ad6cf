/*
 * trap.ts - signals and forked children (BusyBox shell/ash.c: setsignal,
 * onsig, dotrap, trapcmd, forkshell/forkchild/forkparent, exitshell).
 *
 * The shell installs a tiny handler for every signal it traps (and for
 * SIGINT when interactive): it only records the signal in sh.pending, as
 * ash's onsig sets gotsig[]. The trap actions run later, between commands
 * (dotrap), with $? preserved.
 *
 * A forked child runs a closure over a copy of the shell. Before that,
 * forkchild resets what a child must not inherit: traps (except ignored
 * signals), job control (a job gets its own process group and, in the
 * foreground, the terminal), and for a background job without job control
 * SIGINT/SIGQUIT are ignored and stdin comes from /dev/null.
 */

import {
  O_RDONLY,
  SIG_DFL,
  SIG_IGN,
  SIGINT,
  SIGQUIT,
  SIGTERM,
  SIGTSTP,
  SIGTTIN,
  SIGTTOU,
  signal_names,
  TIOCSPGRP,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close, dup2, fork, getpid, ioctl, open, setpgid, sigaction } from "../libc/sys.js";
import { evalstring } from "./eval.js";
import type { Shell } from "./shell.js";
import { ShellError, ShellExit, ShellInterrupt } from "./shell.js";

export type ForkMode = "fg" | "bg" | "nojob";

/** "INT", "SIGINT", "2", "EXIT", "0": the signal number, or -1. */
export function signalNumber(s: string): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n < 65 ? n : -1;
  }
  let name = s.toUpperCase();
  if (name.startsWith("SIG")) name = name.slice(3);
  if (name === "EXIT") return 0;
  const i = signal_names.indexOf(name);
  if (i > 0) return i;
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name);
  if (rt) return 34 + Number(rt[1] ?? 0);
  return -1;
}

/** The handler a trapped signal gets: it only takes note. */
function makeHandler(sh: Shell): (sig: number) => UserGen<void> {
  // biome-ignore lint/correctness/useYield: a signal handler is a generator that makes no syscall
  return function* (sig: number) {
    if (!sh.pending.includes(sig)) sh.pending.push(sig);
  };
}

/** The shell's own disposition of sig when no trap is set (setsignal's S_CATCH/S_IGN/S_DFL). */
function defaultAction(sh: Shell, sig: number): "catch" | "ignore" | "default" {
  if (sh.interactive && !sh.subshell) {
    if (sig === SIGINT) return "catch";
    if (sig === SIGQUIT || sig === SIGTERM) return "ignore";
  }
  if (sh.opts.m && !sh.subshell && (sig === SIGTSTP || sig === SIGTTIN || sig === SIGTTOU)) return "ignore";
  return "default";
}

/** setsignal: makes the kernel's disposition of sig agree with the trap table. */
export function* setsignal(sh: Shell, sig: number): UserGen<void> {
  if (sig <= 0) return;
  const t = sh.traps[sig];
  let action: "catch" | "ignore" | "default";
  if (t === "") action = "ignore";
  else if (t !== null && t !== undefined) action = "catch";
  else action = defaultAction(sh, sig);
  if (sig === 9 || sig === 19) return;
  yield* sigaction(sig, action === "catch" ? makeHandler(sh) : action === "ignore" ? SIG_IGN : SIG_DFL);
}

/** dotrap: runs the actions of the signals caught since the last call. */
export function* dotrap(sh: Shell): UserGen<void> {
  while (sh.pending.length) {
    const sig = sh.pending.shift()!;
    const action = sh.traps[sig];
    if (action === null || action === undefined) {
      if (sig === SIGINT && sh.interactive) throw new ShellInterrupt(130);
      continue;
    }
    if (action === "") continue;
    const saved = sh.status;
    yield* evalstring(sh, action);
    sh.status = saved;
  }
}

/** exitshell's EXIT trap: runs it once; an `exit N` inside it gives the new status. */
export function* runExitTrap(sh: Shell): UserGen<number | null> {
  const action = sh.traps[0];
  if (action === null || action === undefined || action === "") return null;
  sh.traps[0] = null;
  try {
    yield* evalstring(sh, action);
  } catch (e) {
    if (e instanceof ShellExit) return e.status;
    if (!(e instanceof ShellError)) throw e;
  }
  return null;
}

/** forkchild: what a child resets before it runs its part of the tree. */
function* forkchild(c: Shell, parent: Shell, mode: ForkMode, pgrp: number, first: boolean): UserGen<void> {
  const jobctl = parent.opts.m && mode !== "nojob";
  c.subshell = true;
  c.opts.m = false;
  // $(trap) still lists the parent's traps (POSIX); (trap) lists what is left
  c.shownTraps = mode === "nojob" ? [...c.traps] : null;
  for (let sig = 0; sig < c.traps.length; sig++) {
    const t = c.traps[sig];
    if (t !== null && t !== undefined && t !== "") {
      c.traps[sig] = null;
      if (sig > 0) yield* sigaction(sig, SIG_DFL);
    }
  }
  if (jobctl) {
    const me = yield* getpid();
    const pg = pgrp || me;
    yield* setpgid(0, pg);
    if (mode === "fg") yield* ioctl(0, TIOCSPGRP, pg);
    for (const sig of [SIGTSTP, SIGTTIN, SIGTTOU]) yield* sigaction(sig, SIG_DFL);
  }
  if (parent.interactive && !parent.subshell)
    for (const sig of [SIGINT, SIGQUIT, SIGTERM]) if (c.traps[sig] !== "") yield* sigaction(sig, SIG_DFL);
  if (mode === "bg" && !jobctl) {
    yield* sigaction(SIGINT, SIG_IGN);
    yield* sigaction(SIGQUIT, SIG_IGN);
    if (first) {
      yield* close(0);
      const fd = yield* open("/dev/null", O_RDONLY);
      if (fd > 0) {
        yield* dup2(fd, 0);
        yield* close(fd);
      }
    }
  }
}

/**
 * forkshell: forks a child that runs body over a copy of the shell and
 * exits with its status (running its EXIT trap). Returns the child's pid.
 * execOnly: the child only execs a program, so a light copy will do.
 */
export function* forkShell(
  sh: Shell,
  mode: ForkMode,
  pgrp: number,
  body: (c: Shell) => UserGen<number>,
  execOnly = false,
): UserGen<number> {
  const c = execOnly ? sh.cloneForExec() : sh.clone();
  const first = pgrp === 0;
  const pid = yield* fork(function* () {
    let status: number;
    try {
      yield* forkchild(c, sh, mode, pgrp, first);
      status = yield* body(c);
    } catch (e) {
      if (e instanceof ShellExit || e instanceof ShellError) status = e.status;
      else throw e;
    }
    // the EXIT trap sees the status the child exits with ($? = 2 after a fatal error)
    c.status = status;
    return (yield* runExitTrap(c)) ?? status;
  });
  if (pid > 0 && sh.opts.m && mode !== "nojob") yield* setpgid(pid, pgrp || pid);
  return pid;
}
