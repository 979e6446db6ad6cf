/*
 * signal.ts - sending and delivering signals (Linux kernel/signal.c).
 *
 * send_signal marks a signal pending and wakes the task if it sleeps
 * interruptibly (its syscall then fails with -EINTR). On the way back to
 * user mode after each syscall, do_signal takes the lowest pending signal
 * that is not blocked and applies its action:
 *   SIG_IGN            dropped
 *   SIG_DFL            ignore (CHLD CONT URG WINCH), stop (STOP TSTP TTIN
 *                      TTOU), or terminate (everything else; SEGV and
 *                      friends would dump core, but RLIMIT_CORE is 0)
 *   a handler          the program's libc runs it: the syscall's result is
 *                      replaced by a SignalFrame and restored by rt_sigreturn
 * SIGKILL and SIGSTOP cannot be caught, blocked or ignored. Init (pid 1)
 * only gets the signals it has handlers for.
 */

import type { BLOCK } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import {
  NSIG,
  SIG_BLOCK,
  SIG_DFL,
  SIG_IGN,
  SIG_SETMASK,
  SIG_UNBLOCK,
  SIGCHLD,
  SIGCONT,
  SIGKILL,
  SIGSTOP,
  SIGTSTP,
  SIGTTIN,
  SIGTTOU,
  SIGURG,
  SIGWINCH,
} from "../uapi/abi.js";
import { EINVAL, ESRCH } from "../uapi/errno.js";
import type { UserGen } from "../uapi/syscalls.js";
import { continue_task, signal_pending, sleep_on, stop_task, wake_up, wake_up_process } from "./core.js";
import { do_exit } from "./exit.js";
import type { Task } from "./task.js";
import { __TASK_STOPPED, TASK_INTERRUPTIBLE } from "./task.js";

export const STOP_SIGS = new Set([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU]);
export const IGNORE_SIGS = new Set([SIGCHLD, SIGCONT, SIGURG, SIGWINCH]);

function sig_ignored(t: Task, sig: number): boolean {
  if (sig === SIGKILL || sig === SIGSTOP) return false;
  const a = t.signal.action[sig] ?? SIG_DFL;
  if (a === SIG_IGN) return true;
  if (a === SIG_DFL && IGNORE_SIGS.has(sig)) return true;
  // init is unkillable by signals it does not handle
  if (t.pid === 1 && a === SIG_DFL) return true;
  return false;
}

/** send_signal: sig becomes pending for t (and takes effect at once for KILL/CONT). */
export function send_signal(k: Kernel, t: Task, sig: number): void {
  if (t.exit_state) return;
  if (sig === SIGCONT || sig === SIGKILL) {
    // Continuing cancels pending stops; a stopped task resumes.
    for (const s of STOP_SIGS) t.signal.pending.delete(s);
    if (t.state === __TASK_STOPPED) {
      t.signal.stopped = false;
      continue_task(k, t);
      if (sig === SIGCONT) notify_parent_cldstop(k, t, "continued");
    }
  }
  if (STOP_SIGS.has(sig)) t.signal.pending.delete(SIGCONT);
  if (sig_ignored(t, sig)) return;
  t.signal.pending.add(sig);
  if (t.state === TASK_INTERRUPTIBLE && (!t.signal.blocked.has(sig) || sig === SIGKILL))
    wake_up_process(k, t);
}

/** Tells the parent a child stopped or continued (SIGCHLD + wake wait4). */
function notify_parent_cldstop(k: Kernel, t: Task, what: "stopped" | "continued"): void {
  t.signal.notify = what;
  const p = t.parent;
  if (!p) return;
  send_signal(k, p, SIGCHLD);
  wake_up(k, p.wait_chldexit);
}

/** force_sig: a fault the task cannot ignore (SIGSEGV on a bad access). */
export function force_sig(k: Kernel, t: Task, sig: number): void {
  const a = t.signal.action[sig];
  if (a === SIG_IGN || t.signal.blocked.has(sig)) {
    t.signal.action[sig] = SIG_DFL;
    t.signal.blocked.delete(sig);
  }
  t.signal.pending.add(sig);
  if (t.state === TASK_INTERRUPTIBLE) wake_up_process(k, t);
}

/** Sends sig to every task of a process group; returns how many got it. */
export function kill_pgrp(k: Kernel, pgrp: number, sig: number): number {
  let n = 0;
  for (const t of [...k.sched.tasks.values()])
    if (t.signal.pgrp === pgrp && !t.exit_state && !t.is_kthread()) {
      if (sig) send_signal(k, t, sig);
      n++;
    }
  return n;
}

/** kill(2). */
export function sys_kill(k: Kernel, cur: Task, pid: number, sig: number): number {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  if (pid > 0) {
    const t = k.sched.tasks.get(pid);
    if (!t || t.exit_state === 16) return -ESRCH;
    if (t.is_kthread() && sig) return 0;
    if (sig) send_signal(k, t, sig);
    return 0;
  }
  if (pid === 0) return kill_pgrp(k, cur.signal.pgrp, sig) ? 0 : -ESRCH;
  if (pid === -1) {
    let n = 0;
    for (const t of [...k.sched.tasks.values()])
      if (t.pid > 1 && t !== cur && !t.is_kthread() && !t.exit_state) {
        if (sig) send_signal(k, t, sig);
        n++;
      }
    return n ? 0 : -ESRCH;
  }
  return kill_pgrp(k, -pid, sig) ? 0 : -ESRCH;
}

/**
 * do_signal: called on every return to user mode. Applies the default
 * action of one pending signal, or arranges for its handler to run.
 */
export function do_signal(k: Kernel, t: Task): void {
  if (t.signal.pending.size === 0) return;
  for (const sig of [...t.signal.pending].sort((a, b) => a - b)) {
    if (t.signal.blocked.has(sig) && sig !== SIGKILL && sig !== SIGSTOP) continue;
    t.signal.pending.delete(sig);
    const a = sig === SIGKILL || sig === SIGSTOP ? SIG_DFL : (t.signal.action[sig] ?? SIG_DFL);
    if (a === SIG_IGN) continue;
    if (typeof a === "function") {
      t.saved_resume = t.resume;
      t.resume = { __signal: sig, handler: a };
      return;
    }
    if (IGNORE_SIGS.has(sig)) continue;
    if (t.pid === 1 && sig !== SIGKILL) continue;
    if (STOP_SIGS.has(sig)) {
      t.signal.stopped = true;
      t.signal.stopsig = sig;
      stop_task(k, t);
      notify_parent_cldstop(k, t, "stopped");
      return;
    }
    do_exit(k, t, sig);
    return;
  }
}

/** rt_sigaction: install a handler; returns the old action. */
export function sys_rt_sigaction(
  t: Task,
  sig: number,
  handler: number | ((sig: number) => UserGen<void>),
): number | ((sig: number) => UserGen<void>) {
  if (sig < 1 || sig >= NSIG || sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
  const old = t.signal.action[sig] ?? SIG_DFL;
  t.signal.action[sig] = handler;
  if (handler === SIG_IGN || (handler === SIG_DFL && IGNORE_SIGS.has(sig))) t.signal.pending.delete(sig);
  return old;
}

/** rt_sigprocmask: returns the old mask as a sorted array. */
export function sys_rt_sigprocmask(t: Task, how: number, set: number[] | null): number[] | number {
  const old = [...t.signal.blocked].sort((a, b) => a - b);
  if (set) {
    const s = set.filter((x) => x !== SIGKILL && x !== SIGSTOP);
    if (how === SIG_BLOCK) for (const x of s) t.signal.blocked.add(x);
    else if (how === SIG_UNBLOCK) for (const x of s) t.signal.blocked.delete(x);
    else if (how === SIG_SETMASK) t.signal.blocked = new Set(s);
    else return -EINVAL;
  }
  return old;
}

/** rt_sigreturn: the handler is done; the interrupted syscall's result comes back. */
export function sys_rt_sigreturn(t: Task): unknown {
  const r = t.saved_resume;
  t.saved_resume = undefined;
  return r;
}

/** pause(2): sleep until a signal arrives. */
export function sys_pause(k: Kernel, t: Task): number | typeof BLOCK {
  if (signal_pending(t)) return -4;
  return sleep_on(k, t, null, true);
}
