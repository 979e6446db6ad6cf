/*
 * exit.ts - process exit and wait (Linux kernel/exit.c).
 *
 * do_exit releases what the task holds (open files, address space), hands
 * its children to init, becomes a zombie and tells its parent (SIGCHLD and a
 * wake-up of wait4 sleepers). The zombie keeps its task_struct and kernel
 * stack until the parent reaps it with wait4 (release_task).
 */

import { exit_files } from "../fs/file_table.js";
import type { BLOCK } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { panic } from "../lib/bug.js";
import { KERN_INFO } from "../lib/printk.js";
import { mmput } from "../mm/mmap.js";
import { exit_oom_victim } from "../mm/oom_kill.js";
import { SIG_IGN, SIGCHLD, SIGCONT, SIGHUP, SIGSEGV, WCONTINUED, WNOHANG, WUNTRACED } from "../uapi/abi.js";
import { ECHILD, EINTR } from "../uapi/errno.js";
import type { Rusage, WaitResult } from "../uapi/syscalls.js";
import { dequeue_task, signal_pending, sleep_on, wake_up } from "./core.js";
import { kill_pgrp, send_signal } from "./signal.js";
import { EXIT_DEAD, EXIT_ZOMBIE, PF_EXITING, TASK_RUNNING, type Task } from "./task.js";
import { free_task_kmem } from "./task_kmem.js";

/** do_exit: code is a wait status (exit code << 8, or a signal number). */
export function do_exit(k: Kernel, t: Task, code: number): void {
  if (t.exit_state) return;
  if (t.pid === 1) panic(`Attempted to kill init! exitcode=0x${code.toString(16).padStart(8, "0")}`);
  t.flags |= PF_EXITING;
  dequeue_task(k, t);
  for (const wq of t.sleeping_on) wq.tasks.delete(t);
  t.sleeping_on.clear();
  k.sched.timed.delete(t);
  exit_files(k, t);
  // exit_mm: the address space goes with its last user.
  if (t.mm) {
    t.mm.update_hiwater_rss();
    t.maxrss_kb = Math.max(t.maxrss_kb, t.mm.hiwater_rss * 4);
    const mm = t.mm;
    t.mm = null;
    mm.oom_skip = true;
    mmput(k, mm);
  }
  exit_oom_victim(k, t);
  // disassociate_ctty: a session leader's exit hangs up its terminal's foreground group.
  const tty = t.signal.tty as { session: number; pgrp: number } | null;
  if (tty && t.signal.session === t.pid && tty.session === t.pid) {
    if (tty.pgrp && tty.pgrp !== t.pid) {
      kill_pgrp(k, tty.pgrp, SIGHUP);
      kill_pgrp(k, tty.pgrp, SIGCONT);
    }
    tty.session = 0;
    tty.pgrp = 0;
  }
  t.gen = null;
  t.req = null;
  t.exit_code = code;
  t.state = TASK_RUNNING;
  // Orphans go to init, which reaps them.
  const init = k.sched.tasks.get(1);
  for (const c of t.children) {
    c.parent = init ?? null;
    if (init) init.children.push(c);
  }
  t.children = [];
  const p = t.parent;
  if (p && (p.signal.action[SIGCHLD] === SIG_IGN || p.exit_state)) {
    // The parent does not care: the child is reaped at once.
    t.exit_state = EXIT_ZOMBIE;
    release_task(k, t);
  } else {
    t.exit_state = EXIT_ZOMBIE;
    if (p) {
      send_signal(k, p, SIGCHLD);
      wake_up(k, p.wait_chldexit);
    }
  }
  if (init && init !== p) wake_up(k, init.wait_chldexit);
  for (const cb of k.sched.on_exit) cb(t);
}

/** A program that threw: in a C program that would have been a crash. */
export function user_crash(k: Kernel, t: Task, e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  k.printk.printk(KERN_INFO, `${t.comm}[${t.pid}]: internal error in program: ${msg}`);
  t.gen = null;
  t.req = null;
  do_exit(k, t, SIGSEGV);
}

/** release_task: the parent reaped a zombie; its task_struct and stack go. */
export function release_task(k: Kernel, t: Task): void {
  t.exit_state = EXIT_DEAD;
  k.sched.tasks.delete(t.pid);
  const p = t.parent;
  if (p) {
    const i = p.children.indexOf(t);
    if (i >= 0) p.children.splice(i, 1);
    p.cutime += t.utime + t.cutime;
    p.cstime += t.stime + t.cstime;
    p.cmin_flt += t.min_flt + t.cmin_flt;
    p.cmaj_flt += t.maj_flt + t.cmaj_flt;
    p.cmaxrss_kb = Math.max(p.cmaxrss_kb, t.maxrss_kb, t.cmaxrss_kb);
  }
  free_task_stack(k, t);
}

/** THREAD_SIZE: 8 KiB on ARM32, 16 KiB on 64-bit kernels. */
export function thread_size(k: Kernel): number {
  return k.profile.pointerBits === 32 ? 8192 : 16384;
}

/** free_task: the kernel stack, the task_struct and what copy_process allocated (task_kmem.ts). */
export function free_task_stack(k: Kernel, t: Task): void {
  free_task_kmem(k, t);
}

function rusage_of(t: Task): Rusage {
  return {
    ru_utime: t.utime + t.cutime,
    ru_stime: t.stime + t.cstime,
    ru_maxrss: Math.max(t.maxrss_kb, t.cmaxrss_kb),
    ru_minflt: t.min_flt + t.cmin_flt,
    ru_majflt: t.maj_flt + t.cmaj_flt,
    ru_nvcsw: t.nvcsw,
    ru_nivcsw: t.nivcsw,
  };
}

function matches(t: Task, c: Task, pid: number): boolean {
  if (pid > 0) return c.pid === pid;
  if (pid === -1) return true;
  if (pid === 0) return c.signal.pgrp === t.signal.pgrp;
  return c.signal.pgrp === -pid;
}

/** wait4(2). */
export function sys_wait4(
  k: Kernel,
  t: Task,
  pid: number,
  options: number,
): WaitResult | number | typeof BLOCK {
  const kids = t.children.filter((c) => matches(t, c, pid));
  if (kids.length === 0) return -ECHILD;
  for (const c of kids) {
    if (c.exit_state === EXIT_ZOMBIE) {
      const res: WaitResult = { pid: c.pid, status: c.exit_code, rusage: rusage_of(c) };
      release_task(k, c);
      return res;
    }
  }
  for (const c of kids) {
    if (options & WUNTRACED && c.signal.notify === "stopped") {
      c.signal.notify = null;
      return { pid: c.pid, status: (c.signal.stopsig << 8) | 0x7f, rusage: rusage_of(c) };
    }
    if (options & WCONTINUED && c.signal.notify === "continued") {
      c.signal.notify = null;
      return { pid: c.pid, status: 0xffff, rusage: rusage_of(c) };
    }
  }
  if (options & WNOHANG) return 0;
  if (signal_pending(t)) return -EINTR;
  return sleep_on(k, t, t.wait_chldexit, true);
}
