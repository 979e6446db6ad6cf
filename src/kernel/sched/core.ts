/*
 * core.ts - the scheduler (Linux kernel/sched/core.c, fair.c, loadavg.c,
 * kernel/time/timer.c in spirit).
 *
 * Simulated CPUs run in parallel in simulated time. Each CPU has its own
 * clock (cpu.t) and runqueue; the scheduler always advances the CPU whose
 * clock is furthest behind, by one step of its current task: one syscall
 * (or one page-sized chunk of a long one). That keeps every event in time
 * order, so dmesg timestamps never go backwards, and makes a run a pure
 * function of its inputs and seed.
 *
 *   step:  resume the task's generator with its last result -> it yields a
 *          request -> the syscall handler runs (may charge time, may sleep)
 *          -> pending signals are delivered on the way back to user mode
 *
 * A task runs until it sleeps or its time slice (sched_latency / nr_running,
 * at least 0.75 ms) is used up; then the next task in the CPU's queue runs.
 * Woken tasks go to an idle CPU if there is one. When no CPU has work, time
 * jumps to the next timer; with no timer either, the machine is idle until
 * the console sends input.
 *
 * Simplified: round robin instead of CFS vruntime, no priorities, no load
 * balancing beyond the choice of CPU at wakeup.
 */

import { syscall_enter, syscall_exit } from "../arch/ptrace.js";
import { BLOCK } from "../fs/fs.js";
import { send_call_function_single_ipi, smp_send_reschedule, this_cpu } from "../irq/ipi.js";
import type { Kernel } from "../kernel.js";
import { KernelPanic } from "../lib/bug.js";
import { double_fields, object_array } from "../lib/shapes.js";
import { CONTINUE } from "../mm/fault.js";
import { raise_softirq, TIMER_SOFTIRQ } from "../softirq.js";
import { tick_busy, timer_interrupt } from "../time/tick.js";
import { SIG_DFL, SIG_IGN, SIGKILL } from "../uapi/abi.js";
import { EINTR, ERESTARTSYS } from "../uapi/errno.js";
import type { Sys } from "../uapi/syscalls.js";
import { do_exit, user_crash } from "./exit.js";
import { calc_load, FIXED_1 } from "./loadavg.js";
import { PSI_CPU, PSI_IO, PSI_MEM, psi_alone, psi_stall } from "./psi.js";
import { do_signal, IGNORE_SIGS, STOP_SIGS } from "./signal.js";
import {
  __TASK_STOPPED,
  EXIT_ZOMBIE,
  type KReq,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  type Task,
  type TaskGen,
  type WaitQueue,
} from "./task.js";
import { vmstat_shepherd_tick } from "./workqueue.js";

/**
 * One CPU's run queue and clock. A class, not an object literal: V8 makes a
 * literal's boilerplate the second time it runs (the second machine of a
 * process), and the generalized map deoptimized enqueue_task and
 * wake_up_process there (lib/shapes.ts).
 */
export class Cpu {
  /** This CPU's clock (simulated ns). */
  t = 0;
  curr: Task | null = null;
  rq: Task[] = object_array();
  /** Accumulated time, for /proc/stat and top: user, system (busy), idle, and idle while I/O was awaited. */
  user_ns = 0;
  busy_ns = 0;
  idle_ns = 0;
  iowait_ns = 0;
  /** Tasks that went to sleep on this CPU waiting for I/O (rq->nr_iowait). */
  nr_iowait = 0;
  /** rq_sched_info: time tasks waited on this runqueue (ns), and how many times one got the CPU. */
  run_delay = 0;
  pcount = 0;
  constructor(readonly id: number) {
    // (Times in ns: doubles from the start, lib/shapes.ts.)
    double_fields(this, ["t", "user_ns", "busy_ns", "idle_ns", "iowait_ns", "run_delay"]);
  }
}

/** Syscall dispatcher, filled in by kernel/syscalls.ts (avoids an import cycle). */
export type Dispatch = (k: Kernel, t: Task, req: Sys | KReq) => unknown;

const SCHED_LATENCY_NS = 6_000_000;
const MIN_GRANULARITY_NS = 750_000;
/** Base cost of entering and leaving the kernel. */
export const SYSCALL_COST_NS = 300;
/** The user-mode work a program does between two system calls (its own instructions). */
export const USER_STEP_NS = 400;

/* Load average (kernel/sched/loadavg.c): fixed point with 11 fractional bits. */
const EXP_1 = 1884;
const EXP_5 = 2014;
const EXP_15 = 2037;

export class SchedState {
  cpus: Cpu[] = object_array();
  tasks = new Map<number, Task>();
  last_pid = 0;
  pid_max = 32768;
  /** Tasks with a timeout (nanosleep, poll), woken when their time comes. */
  timed = new Set<Task>();
  dispatch: Dispatch | null = null;
  /** avenrun[] in FIXED_1 units, updated every 5 s + 1 tick. */
  avenrun = [0, 0, 0];
  next_loadavg = 0;
  total_forks = 0;
  /** Context switches, for /proc/stat ctxt. */
  nr_switches = 0;
  /** Set by panic(); the CPUs stop. */
  halted: string | null = null;
  /** Called when a task exits (the console watches its shell). */
  on_exit: ((t: Task) => void)[] = [];
  /** Set (by an exit watcher) to make run() return after the current step. */
  stop_requested = false;
  /** The task running right now (get_current()). */
  current: Task | null = null;
  constructor(ncpus: number) {
    for (let i = 0; i < ncpus; i++) this.cpus.push(new Cpu(i));
  }
}

export function current(k: Kernel): Task | null {
  return k.sched.current;
}

/** Charges simulated time to whatever runs now (a task's syscall or a kthread). */
export function charge(k: Kernel, ns: number): void {
  const t = k.sched.current;
  if (t !== null) t.cost += ns;
  else k.clock.advance(ns);
}

/** The simulated time now, inside the running task's step (its CPU time so far included). */
export function now_ns(k: Kernel): number {
  const t = k.sched.current;
  return t !== null ? k.clock.ns + t.cost + t.ucost + t.slept : k.clock.ns;
}

/**
 * schedule_timeout_uninterruptible in the middle of a kernel path that goes
 * on afterwards (reclaim_throttle; io_schedule for a request tag, with
 * iowait): the time passes for the running task at
 * once - what it looks at next (I/O completions) is ns later - and it ends
 * its step asleep in D state at least until then. (The step's CPU time is
 * counted before the sleep: a step is one piece of work on its CPU.)
 */
export function sleep_in_step(k: Kernel, ns: number, iowait = false): void {
  const t = k.sched.current;
  if (t === null) {
    k.clock.advance(ns);
    return;
  }
  t.slept += ns;
  io_wait_until(k, now_ns(k), iowait);
}

/**
 * io_schedule: the running task waits for a transfer that completes at
 * `done`. When its step ends it sleeps in D state until then, its CPU free
 * for others and, while idle, counted as iowait. (Outside any task, at
 * boot, the clock just moves on.)
 */
export function io_wait_until(k: Kernel, done: number, iowait = true): void {
  const t = k.sched.current;
  if (t !== null) {
    if (done > t.io_until) t.io_until = done;
    t.io_is_iowait = iowait;
  } else if (done > k.clock.ns) k.clock.ns = done;
}

/** schedule_timeout_uninterruptible: at the end of its step the task sleeps ns in D state (not iowait). */
export function schedule_timeout_uninterruptible(k: Kernel, ns: number): void {
  io_wait_until(k, now_ns(k) + ns, false);
}

/** An idle CPU's clock moves up to now: the gap is idle time, or iowait while a task awaits I/O. */
function idle_until(cpu: Cpu, now: number): void {
  if (nr_runnable(cpu) !== 0 || cpu.t >= now) return;
  if (cpu.nr_iowait > 0) cpu.iowait_ns += now - cpu.t;
  else cpu.idle_ns += now - cpu.t;
  cpu.t = now;
}

/** alloc_pid: the next free pid, wrapping at pid_max past 300 as Linux does. */
export function alloc_pid(k: Kernel): number {
  const s = k.sched;
  for (;;) {
    s.last_pid++;
    if (s.last_pid >= s.pid_max) s.last_pid = 300;
    if (!s.tasks.has(s.last_pid)) return s.last_pid;
  }
}

function nr_runnable(cpu: Cpu): number {
  return cpu.rq.length + (cpu.curr ? 1 : 0);
}

/** select_task_rq: the task's last CPU if idle, else the least loaded one - among the CPUs it is allowed. */
function select_cpu(k: Kernel, t: Task): Cpu {
  const cpus = k.sched.cpus;
  if (t.nr_cpus_allowed < cpus.length) return select_allowed_cpu(cpus, t);
  const prev = cpus[t.cpu] ?? cpus[0];
  if (nr_runnable(prev) === 0) return prev;
  let best = prev;
  for (const c of cpus) if (nr_runnable(c) < nr_runnable(best)) best = c;
  return best;
}

/** Is CPU `cpu` in t's cpus_mask? */
export function cpu_allowed(t: Task, cpu: number): boolean {
  return ((t.cpus_mask >> BigInt(cpu)) & 1n) !== 0n;
}

function select_allowed_cpu(cpus: Cpu[], t: Task): Cpu {
  let best: Cpu | null = null;
  const prev = cpus[t.cpu];
  if (prev && cpu_allowed(t, prev.id)) {
    if (nr_runnable(prev) === 0) return prev;
    best = prev;
  }
  for (const c of cpus) if (cpu_allowed(t, c.id) && (!best || nr_runnable(c) < nr_runnable(best))) best = c;
  return best ?? cpus[0];
}

/** wake_up_new_task's flag: the task is new (fork), not woken. */
export const WF_FORK = 1;

/**
 * Puts a runnable task on a runqueue; an idle CPU's clock catches up to now.
 * An idle CPU other than the waker's is told by an IPI (irq/ipi.ts): a
 * function call for a wakeup (the wake list), a reschedule for a new task.
 */
export function enqueue_task(k: Kernel, t: Task, wake_flags = 0): void {
  if (t.on_rq) return;
  const cpu = select_cpu(k, t);
  if (nr_runnable(cpu) === 0 && cpu.id !== this_cpu(k)) {
    if (wake_flags & WF_FORK) smp_send_reschedule(k, cpu.id);
    else send_call_function_single_ipi(k, cpu.id);
  }
  // wake_up_new_task comes at the end of the fork, after copy_process's work: a new child can
  // run from the moment its parent's fork is done, not from when it started.
  const at = wake_flags & WF_FORK ? now_ns(k) : k.clock.ns;
  idle_until(cpu, at);
  t.cpu = cpu.id;
  t.on_rq = true;
  t.last_queued = Math.max(at, cpu.t);
  cpu.rq.push(t);
}

/** wake_up_process: a sleeping task becomes runnable. */
export function wake_up_process(k: Kernel, t: Task): boolean {
  if (t.state !== TASK_INTERRUPTIBLE && t.state !== TASK_UNINTERRUPTIBLE) return false;
  t.sleeping_on.forEach(leave_wait_queue, t);
  t.sleeping_on.clear();
  k.sched.timed.delete(t);
  end_iowait(k, t);
  t.state = TASK_RUNNING;
  t.woken = true;
  enqueue_task(k, t);
  return true;
}

/** wake_up_process's walk of the queues t sleeps on (this = t): a module function, not a Set iterator per wakeup. */
function leave_wait_queue(this: Task, wq: WaitQueue): void {
  wq.tasks.delete(this);
}

/** The task's I/O is over: its CPU stops counting idle time as iowait. */
function end_iowait(k: Kernel, t: Task): void {
  if (!t.in_iowait) return;
  const cpu = k.sched.cpus[t.cpu];
  idle_until(cpu, k.clock.ns);
  cpu.nr_iowait--;
  t.in_iowait = false;
  // The timeout was the I/O's: a nanosleep or poll after it must arm its own.
  t.timeout = 0;
}

/** wake_up: every task sleeping on wq becomes runnable (wake_up_all). */
export function wake_up(k: Kernel, wq: WaitQueue): void {
  if (wq.tasks.size === 0) return;
  for (const t of [...wq.tasks]) wake_up_process(k, t);
}

/**
 * Puts t to sleep on wq (and/or until an absolute time); the handler returns
 * BLOCK, and the same request is run again when t wakes.
 */
export function sleep_on(
  k: Kernel,
  t: Task,
  wq: WaitQueue | null,
  interruptible: boolean,
  until = 0,
): typeof BLOCK {
  t.state = interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE;
  if (wq) {
    wq.tasks.add(t);
    t.sleeping_on.add(wq);
  }
  if (until) {
    t.timeout = until;
    k.sched.timed.add(t);
  }
  return BLOCK;
}

/** signal_pending: an unblocked signal waits for t. */
export function signal_pending(t: Task): boolean {
  for (const s of t.signal.pending) if (!t.signal.blocked.has(s) || s === 9 || s === 19) return true;
  return false;
}

/**
 * wait_event_interruptible, as a syscall handler uses it: proceed when cond()
 * holds, fail with -EINTR when a signal is pending, else sleep on wq.
 */
export function wait_event(
  k: Kernel,
  t: Task,
  wq: WaitQueue,
  cond: () => boolean,
): true | number | typeof BLOCK {
  if (cond()) return true;
  if (signal_pending(t)) return -EINTR;
  return sleep_on(k, t, wq, true);
}

function fire_timers(k: Kernel, upto: number): void {
  const s = k.sched;
  if (s.timed.size === 0) return;
  const due = [...s.timed]
    .filter((t) => t.timeout <= upto)
    .sort((a, b) => a.timeout - b.timeout || a.pid - b.pid);
  for (const t of due) {
    const save = k.clock.ns;
    k.clock.ns = Math.max(save, t.timeout);
    // A timeout is its CPU's timer interrupt; the end of an I/O wait is the disk's (counted as issued).
    // A kernel thread's schedule_timeout is a timer-wheel timer, run in TIMER_SOFTIRQ; a task's
    // nanosleep or poll timeout is an hrtimer, run in the interrupt itself.
    if (!t.in_iowait) {
      timer_interrupt(k, t.cpu);
      if (t.is_kthread()) raise_softirq(k, TIMER_SOFTIRQ, t.cpu);
    }
    k.irq.irq_cpu = t.cpu;
    wake_up_process(k, t);
    k.irq.irq_cpu = 0;
    k.clock.ns = save;
  }
}

function next_timer(k: Kernel): number {
  let m = Number.POSITIVE_INFINITY;
  for (const t of k.sched.timed) if (t.timeout < m) m = t.timeout;
  return m;
}

/**
 * The simulated time of the next thing the machine will do: the earliest
 * CPU with a task to run, or the earliest timer (infinity when neither).
 */
export function next_event(k: Kernel): number {
  let m = next_timer(k);
  for (const c of k.sched.cpus) if (nr_runnable(c) > 0 && c.t < m) m = c.t;
  return m;
}

/** calc_global_load: every LOAD_FREQ, fold the runnable count into avenrun. */
function calc_global_load(k: Kernel, now: number): void {
  const s = k.sched;
  const LOAD_FREQ = 5_000_000_000 + 1e9 / k.clock.hz;
  if (s.next_loadavg === 0) s.next_loadavg = now + LOAD_FREQ;
  while (now >= s.next_loadavg) {
    let active = 0;
    for (const t of s.tasks.values())
      if (!t.is_kthread() && (t.state === TASK_RUNNING || t.state === TASK_UNINTERRUPTIBLE) && !t.exit_state)
        active++;
    const a = active * FIXED_1;
    s.avenrun = [
      calc_load(s.avenrun[0], EXP_1, a),
      calc_load(s.avenrun[1], EXP_5, a),
      calc_load(s.avenrun[2], EXP_15, a),
    ];
    s.next_loadavg += LOAD_FREQ;
  }
}

/** How the machine stopped running (see run()). */
export type RunResult = "idle" | "until" | "halted" | "budget" | "stopped";

/**
 * Runs the machine until simulated time reaches `until`, or until nothing
 * can run and no timer is pending ("idle"), or until `maxSteps` steps have
 * run ("budget", so a front end can stay responsive), or until `stop`
 * (asked before every step) says so ("stopped": the front end has something
 * to hand the machine now, such as the next line for a reader).
 */
export function run(
  k: Kernel,
  until: number,
  maxSteps = Number.POSITIVE_INFINITY,
  stop?: () => boolean,
): RunResult {
  const s = k.sched;
  let steps = 0;
  for (;;) {
    if (s.halted) return "halted";
    if (s.stop_requested) {
      s.stop_requested = false;
      return "stopped";
    }
    if (stop?.()) return "stopped";
    if (steps++ >= maxSteps) return "budget";
    let cpu: Cpu | null = null;
    for (const c of s.cpus) if (nr_runnable(c) > 0 && (!cpu || c.t < cpu.t)) cpu = c;
    const timer = next_timer(k);
    if (!cpu) {
      if (timer !== Number.POSITIVE_INFINITY && timer <= until) {
        k.clock.ns = Math.max(k.clock.ns, timer);
        calc_global_load(k, k.clock.ns);
        fire_timers(k, k.clock.ns);
        continue;
      }
      if (until !== Number.POSITIVE_INFINITY && until > k.clock.ns) {
        k.clock.ns = until;
        calc_global_load(k, until);
      }
      catch_up_idle(k);
      return until === Number.POSITIVE_INFINITY ? "idle" : "until";
    }
    if (timer <= cpu.t) {
      fire_timers(k, cpu.t);
      continue;
    }
    if (cpu.t > until) {
      k.clock.ns = Math.max(k.clock.ns, until);
      return "until";
    }
    run_cpu_step(k, cpu);
  }
}

/** Idle CPUs' clocks follow the machine's clock while nothing runs (and before their times are read). */
export function catch_up_idle(k: Kernel): void {
  for (const c of k.sched.cpus) idle_until(c, k.clock.ns);
}

function run_cpu_step(k: Kernel, cpu: Cpu): void {
  const s = k.sched;
  if (!cpu.curr) {
    const t = cpu.rq.shift()!;
    t.on_rq = false;
    cpu.curr = t;
    const n = nr_runnable(cpu);
    t.slice_left = Math.max(MIN_GRANULARITY_NS, Math.floor(SCHED_LATENCY_NS / Math.max(1, n)));
    s.nr_switches++;
    // sched_info_arrive: the wait since it was queued, and one more turn on this CPU.
    if (cpu.t > t.last_queued) cpu.run_delay += cpu.t - t.last_queued;
    cpu.pcount++;
  }
  const t = cpu.curr;
  k.cpu = cpu.id;
  k.clock.ns = cpu.t;
  calc_global_load(k, cpu.t);
  // A deferrable timer fires on a CPU that is awake anyway.
  if (cpu.t >= k.wq.shepherd_next) vmstat_shepherd_tick(k, cpu.id, cpu.t);
  s.current = t;
  const start = cpu.t;
  const cost = task_step(k, t);
  s.current = null;
  cpu.t += cost;
  tick_busy(k, cpu.id, start, cpu.t);
  // Pressure: tasks left waiting in the queue while this one ran; a pass of kswapd's (a memory stall).
  if (cpu.rq.length > 0) psi_stall(k, PSI_CPU, false, start, cpu.t);
  if (t.psi_memstall) psi_stall(k, PSI_MEM, psi_alone(k, t), start, cpu.t);
  cpu.user_ns += t.last_user_ns;
  cpu.busy_ns += cost - t.last_user_ns;
  if (k.clock.ns < cpu.t) k.clock.ns = cpu.t;
  t.slice_left -= cost;
  const io = t.io_until;
  t.io_until = 0;
  const thrashing = t.psi_thrashing;
  t.psi_thrashing = false;
  if (io > cpu.t && t.state === TASK_RUNNING && !t.exit_state) {
    // Waiting for its I/O: asleep in D state until the transfer completes.
    cpu.curr = null;
    t.nvcsw++;
    if (t.io_is_iowait) {
      t.in_iowait = true;
      cpu.nr_iowait++;
      psi_stall(k, PSI_IO, psi_alone(k, t), cpu.t, io);
    }
    if (thrashing) psi_stall(k, PSI_MEM, psi_alone(k, t), cpu.t, io);
    sleep_on(k, t, null, false, io);
    return;
  }
  if (t.state !== TASK_RUNNING || t.exit_state) {
    cpu.curr = null;
    if (t.state !== TASK_RUNNING) t.nvcsw++;
    return;
  }
  if (t.slice_left <= 0) {
    // Preempted: to the back of the queue (it runs on at once if alone),
    // or to an allowed CPU when its affinity no longer has this one (migration_cpu_stop).
    cpu.curr = null;
    if (cpu.rq.length) t.nivcsw++;
    if (t.nr_cpus_allowed < k.sched.cpus.length && !cpu_allowed(t, cpu.id)) enqueue_task(k, t);
    else {
      t.on_rq = true;
      t.last_queued = cpu.t;
      cpu.rq.push(t);
    }
  }
}

/** One step of a task; returns the simulated ns it took. */
function task_step(k: Kernel, t: Task): number {
  t.cost = 0;
  t.ucost = 0;
  t.slept = 0;
  t.last_user_ns = 0;
  if (t.exec_shown !== null) {
    t.comm = t.exec_shown.comm;
    t.argv = t.exec_shown.argv;
    t.envp = t.exec_shown.envp;
    t.exec_shown = null;
  }
  if (t.req === null) {
    const gen = t.gen as TaskGen;
    let r: IteratorResult<Sys | KReq, number>;
    try {
      r = gen.next(t.resume);
    } catch (e) {
      if (e instanceof KernelPanic) throw e;
      // A program that throws has crashed: it dies of SIGSEGV as a C program would.
      user_crash(k, t, e);
      return SYSCALL_COST_NS;
    }
    t.resume = undefined;
    if (r.done) {
      do_exit(k, t, (Number(r.value) & 0xff) << 8);
      return SYSCALL_COST_NS;
    }
    t.req = r.value;
    if (t.uregs) syscall_enter(k, t, t.req);
  }
  const req = t.req!;
  // A fatal signal ends a request in progress (a long access, a retried fault) before it goes on.
  if (!t.is_kthread() && fatal_default_pending(t)) {
    do_signal(k, t);
    if (t.exit_state) return SYSCALL_COST_NS;
  }
  const res = k.sched.dispatch!(k, t, req);
  // User time: the program's own work before the call, and its loads and stores (fault.ts);
  // system time: the call and the faults it took.
  const user = t.is_kthread() ? 0 : USER_STEP_NS + t.ucost;
  const cost = SYSCALL_COST_NS + t.cost + user;
  t.utime += user;
  t.stime += cost - user;
  t.last_user_ns = user;
  if (res === BLOCK || res === CONTINUE) return cost;
  // -ERESTARTSYS: the signal that interrupted the call is handled first; with no handler to
  // run, the call starts again when the task next runs (after SIGCONT, if it stopped).
  if (res === -ERESTARTSYS && !t.is_kthread()) {
    t.resume = undefined;
    do_signal(k, t);
    if (t.exit_state) return cost;
    const r = t.resume as { __signal?: number } | undefined;
    if (r && typeof r === "object" && "__signal" in r) {
      t.saved_resume = -EINTR;
      t.req = null;
    }
    return cost;
  }
  if (t.req === req) t.req = null;
  if (t.uregs) syscall_exit(k, t, res);
  if (t.exit_state || t.state === EXIT_ZOMBIE) return cost;
  if (res !== EXEC_DONE) t.resume = res;
  if (!t.is_kthread()) do_signal(k, t);
  return cost;
}

/**
 * A pending signal that kills the task by default - SIGKILL, or one with no
 * handler that is neither ignored nor a stop - and would be delivered first.
 */
function fatal_default_pending(t: Task): boolean {
  if (t.signal.pending.size === 0) return false;
  for (const sig of [...t.signal.pending].sort((a, b) => a - b)) {
    if (sig === SIGKILL) return true;
    if (t.signal.blocked.has(sig)) continue;
    const a = t.signal.action[sig] ?? SIG_DFL;
    if (typeof a === "function") return false;
    if (a === SIG_IGN || IGNORE_SIGS.has(sig) || STOP_SIGS.has(sig)) continue;
    return t.pid !== 1;
  }
  return false;
}

/** Returned by execve: the task now runs a new generator from its start. */
export const EXEC_DONE = Symbol("EXEC_DONE");

/** Removes a task that stops or exits from its runqueue. */
export function dequeue_task(k: Kernel, t: Task): void {
  if (!t.on_rq) return;
  const cpu = k.sched.cpus[t.cpu];
  const i = cpu.rq.indexOf(t);
  if (i >= 0) cpu.rq.splice(i, 1);
  t.on_rq = false;
}

/** Stops a task (SIGSTOP/SIGTSTP default action). */
export function stop_task(k: Kernel, t: Task): void {
  dequeue_task(k, t);
  end_iowait(k, t);
  t.sleeping_on.forEach(leave_wait_queue, t);
  t.sleeping_on.clear();
  k.sched.timed.delete(t);
  t.state = __TASK_STOPPED;
}

/** Continues a stopped task (SIGCONT); a retried syscall runs again. */
export function continue_task(k: Kernel, t: Task): void {
  if (t.state !== __TASK_STOPPED) return;
  t.state = TASK_RUNNING;
  enqueue_task(k, t);
}

/** True when nothing can run and no timer is pending. */
export function machine_idle(k: Kernel): boolean {
  for (const c of k.sched.cpus) if (nr_runnable(c)) return false;
  return k.sched.timed.size === 0;
}

export function nr_running(k: Kernel): number {
  let n = 0;
  for (const c of k.sched.cpus) n += nr_runnable(c);
  return n;
}
