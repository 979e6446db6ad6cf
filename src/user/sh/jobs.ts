/*
 * jobs.ts - the job table (BusyBox shell/ash.c: struct job, makejob,
 * dowait, waitforjob, showjob, sprint_status48, getjob).
 *
 * A job is a pipeline the shell started: its processes, their wait
 * statuses, and whether it runs, stopped or is done. dowait() collects one
 * status change with wait4 (blocking or not) and files it under its job.
 * With job control (an interactive shell on a terminal) every job has its
 * own process group, the foreground one owns the terminal, and a stopped
 * job (^Z) can be resumed with fg or bg. `jobs` and the interactive shell's
 * report before each prompt print lines like
 *
 *     [1]+  Done                       sleep 1
 *
 * padded to column 33 as ash does. The current job (+) is the most recent
 * one; the previous (-) the one before.
 */

import {
  SIGINT,
  SIGPIPE,
  WCONTINUED,
  WEXITSTATUS,
  WIFSIGNALED,
  WIFSTOPPED,
  WNOHANG,
  WSTOPSIG,
  WTERMSIG,
  WUNTRACED,
} from "../../kernel/uapi/abi.js";
import { ECHILD } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { wait4 } from "../libc/sys.js";

export const JOBRUNNING = 0;
export const JOBSTOPPED = 1;
export const JOBDONE = 2;

export interface Proc {
  pid: number;
  /** Wait status; -1 while running. */
  status: number;
  cmd: string;
}

export interface Job {
  num: number;
  procs: Proc[];
  state: number;
  pgrp: number;
  /** Started with job control (own process group). */
  jobctl: boolean;
  /** The state changed since it was last reported. */
  changed: boolean;
  /** Waited for by the shell in the foreground. */
  fg: boolean;
  stopstatus: number;
  /** The wait builtin has collected it (ash's jp->waited): its slot may be reused. */
  waited: boolean;
}

/** strsignal() texts of glibc. */
export const SIGNAL_TEXT: readonly string[] = [
  "Unknown signal 0",
  "Hangup",
  "Interrupt",
  "Quit",
  "Illegal instruction",
  "Trace/breakpoint trap",
  "Aborted",
  "Bus error",
  "Floating point exception",
  "Killed",
  "User defined signal 1",
  "Segmentation fault",
  "User defined signal 2",
  "Broken pipe",
  "Alarm clock",
  "Terminated",
  "Stack fault",
  "Child exited",
  "Continued",
  "Stopped (signal)",
  "Stopped",
  "Stopped (tty input)",
  "Stopped (tty output)",
  "Urgent I/O condition",
  "CPU time limit exceeded",
  "File size limit exceeded",
  "Virtual timer expired",
  "Profiling timer expired",
  "Window changed",
  "I/O possible",
  "Power failure",
  "Bad system call",
];

export function strsignal(sig: number): string {
  return (
    SIGNAL_TEXT[sig] ?? (sig >= 34 && sig <= 64 ? `Real-time signal ${sig - 34}` : `Unknown signal ${sig}`)
  );
}

/** sprint_status48: "Done", "Done(3)", "Killed", "Stopped", "Segmentation fault (core dumped)". */
export function statusText(status: number, stopped: boolean): string {
  if (stopped) return strsignal(WSTOPSIG(status));
  if (WIFSIGNALED(status)) {
    let s = strsignal(WTERMSIG(status));
    if (status & 0x80) s += " (core dumped)";
    return s;
  }
  const code = WEXITSTATUS(status);
  return code ? `Done(${code})` : "Done";
}

/** The shell's $? for a wait status. */
export function exitCode(status: number): number {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  if (WIFSTOPPED(status)) return 128 + WSTOPSIG(status);
  return WEXITSTATUS(status);
}

export class JobTable {
  list: Job[] = [];
  /** Most recent first: list[order[0]] is the current job. */
  order: Job[] = [];

  make(procs: Proc[], pgrp: number, jobctl: boolean): Job {
    // ash keeps the command text only when doing job control
    if (!jobctl) for (const p of procs) p.cmd = "";
    // makejob: the first free slot, or (without job control) the first one of a job that is
    // done and was waited for, which is forgotten then; `wait` itself frees nothing
    let num = 1;
    for (; ; num++) {
      const old = this.list.find((j) => j.num === num);
      if (!old) break;
      if (old.state === JOBDONE && old.waited && !jobctl) {
        this.free(old);
        break;
      }
    }
    const j: Job = {
      num,
      procs,
      state: JOBRUNNING,
      pgrp,
      jobctl,
      changed: false,
      fg: false,
      stopstatus: 0,
      waited: false,
    };
    this.list.push(j);
    this.list.sort((a, b) => a.num - b.num);
    this.setRunning(j);
    return j;
  }

  free(j: Job): void {
    this.list = this.list.filter((x) => x !== j);
    this.order = this.order.filter((x) => x !== j);
  }

  /**
   * set_curjob(CUR_RUNNING): a new or backgrounded job goes right after the
   * stopped jobs, which stay ahead of it as the current and previous ones.
   */
  setRunning(j: Job): void {
    const rest = this.order.filter((x) => x !== j);
    let i = 0;
    while (i < rest.length && rest[i].state === JOBSTOPPED) i++;
    rest.splice(i, 0, j);
    this.order = rest;
  }

  /** Moves a job to the front: it becomes the current job (stopped, or brought to the foreground). */
  setCurrent(j: Job): void {
    this.order = [j, ...this.order.filter((x) => x !== j)];
  }

  current(): Job | undefined {
    return this.order[0];
  }

  previous(): Job | undefined {
    return this.order[1];
  }

  byPid(pid: number): Job | undefined {
    return this.list.find((j) => j.procs.some((p) => p.pid === pid));
  }

  /** The status of a finished job: that of its last process. */
  static status(j: Job, pipefail = false): number {
    if (j.state === JOBSTOPPED) return j.stopstatus;
    if (pipefail)
      for (let i = j.procs.length - 1; i >= 0; i--)
        if (exitCode(j.procs[i].status) !== 0) return j.procs[i].status;
    return j.procs[j.procs.length - 1].status;
  }

  /**
   * showjob: "[1]+  Running" padded to column 33, then the commands
   * ("a | b"); with pids (jobs -l) each further process goes on its own
   * line, indented under the first pid. ash pads with "%*c", which always
   * prints at least one space.
   */
  format(j: Job, pids = false): string {
    let s = `[${j.num}]   `;
    const indent = s.length;
    const mark = j === this.current() ? "+" : j === this.previous() ? "-" : " ";
    s = `${s.slice(0, indent - 3)}${mark}  `;
    if (pids) s += `${j.procs[0].pid} `;
    if (j.state === JOBRUNNING) s += "Running";
    else
      s += statusText(
        j.state === JOBSTOPPED ? j.stopstatus : j.procs[j.procs.length - 1].status,
        j.state === JOBSTOPPED,
      );
    const pad = (col: number): string => " ".repeat(Math.max(1, 33 - col));
    let out = `${s}${pad(s.length)}${j.procs[0].cmd}`;
    for (const p of j.procs.slice(1)) {
      if (pids) {
        const head = `${" ".repeat(indent)}${p.pid} `;
        out += `\n${head}${pad(head.length)}| ${p.cmd}`;
      } else out += ` | ${p.cmd}`;
    }
    return `${out}\n`;
  }

  /** Files a wait status under its process; returns the job it changed. */
  record(pid: number, status: number): Job | undefined {
    const j = this.byPid(pid);
    if (!j) return undefined;
    const p = j.procs.find((x) => x.pid === pid)!;
    if (status === 0xffff) {
      // continued
      if (j.state === JOBSTOPPED) {
        j.state = JOBRUNNING;
        for (const q of j.procs) if (q.status >= 0 && WIFSTOPPED(q.status)) q.status = -1;
      }
      return j;
    }
    p.status = status;
    let running = false;
    let stopped = false;
    for (const q of j.procs) {
      if (q.status === -1) running = true;
      else if (WIFSTOPPED(q.status)) stopped = true;
    }
    const old = j.state;
    if (!running) {
      if (stopped) {
        j.state = JOBSTOPPED;
        j.stopstatus = j.procs.find((q) => q.status >= 0 && WIFSTOPPED(q.status))!.status;
      } else j.state = JOBDONE;
    }
    if (j.state !== old) j.changed = true;
    return j;
  }

  /**
   * dowait: collects one status change. Returns the pid, 0 when nothing
   * changed (WNOHANG), -EINTR when a signal interrupted, -ECHILD when no
   * child is left.
   */
  *dowait(block: boolean, jobctl: boolean): UserGen<number> {
    let opts = block ? 0 : WNOHANG;
    if (jobctl) opts |= WUNTRACED | WCONTINUED;
    const r = yield* wait4(-1, opts);
    if (typeof r === "number") {
      if (r === -ECHILD) {
        // every process we know of is gone (reaped elsewhere)
        for (const j of this.list)
          if (j.state === JOBRUNNING) {
            for (const p of j.procs) if (p.status === -1) p.status = 0;
            j.state = JOBDONE;
          }
      }
      return r;
    }
    this.record(r.pid, r.status);
    return r.pid;
  }
}

/** A job killed by a signal tells the terminal, except for SIGINT and SIGPIPE. */
export function deathMessage(status: number): string | null {
  if (!WIFSIGNALED(status)) return null;
  const sig = WTERMSIG(status);
  if (sig === SIGINT || sig === SIGPIPE) return null;
  return `${statusText(status, false)}\n`;
}
