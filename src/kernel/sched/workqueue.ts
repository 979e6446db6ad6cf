/*
 * workqueue.ts - work items and the kworkers that run them (Linux
 * kernel/workqueue.c, include/linux/workqueue.h).
 *
 * A workqueue is a name and flags; the work queued on it runs in a worker
 * pool. Every CPU has two pools, normal and high priority (WQ_HIGHPRI,
 * nice -20), with ids 2*cpu and 2*cpu+1; the unbound workqueues share one
 * unbound pool per attribute set, the normal one first (id 2*nr_cpus) and
 * its high-priority twin after it. A pool's workers are kernel threads
 * named after the pool and their id in it:
 *
 *   kworker/0:1      per-CPU pool of CPU 0, worker 1
 *   kworker/0:0H     the high-priority pool of CPU 0
 *   kworker/u4:0     unbound pool 4
 *
 * process_one_work records the workqueue's name in the worker's desc, so
 * ps shows the last workqueue a worker served ("kworker/0:1-events", "+"
 * while the item runs: wq_worker_comm). Idle workers sit on the pool's
 * idle list, the most recently idle first, and the first takes the next item.
 *
 * The work items mmbox runs (each queued where its Linux caller queues it):
 *   events_unbound  do_populate_rootfs (async at boot), flush_to_ldisc (console input)
 *   events          vmstat_shepherd (deferrable, every second), sysrq's moom_callback
 *   mm_percpu_wq    vmstat_update, on the CPUs the shepherd finds with counter deltas
 *   kblockd         a virtio-blk queue restarted after it was full (high-priority pool)
 *
 * Simplified: the items queued run at once, to completion (the worker is
 * current meanwhile, but takes no CPU time and no context switch), so a
 * pool never needs a second worker and never creates one (maybe_create_worker),
 * and idle workers are never reaped. Workers that Linux forks under load
 * (kworker/0:2, kworker/u4:1...) and the boot's other work items (which give
 * most of Linux's boot-time workers a desc) do not appear.
 */

import type { Kernel } from "../kernel.js";
import { object_array } from "../lib/shapes.js";
import { raise_softirq, TIMER_SOFTIRQ } from "../softirq.js";
import { kthread_bind } from "./affinity.js";
import { PF_NO_SETAFFINITY, PF_WQ_WORKER, type Task } from "./task.js";

/* workqueue flags (enum in include/linux/workqueue.h) */
export const WQ_UNBOUND = 1 << 1;
export const WQ_FREEZABLE = 1 << 2;
export const WQ_MEM_RECLAIM = 1 << 3;
export const WQ_HIGHPRI = 1 << 4;
export const WQ_POWER_EFFICIENT = 1 << 7;

/** WORKER_DESC_LEN: process_one_work copies at most 23 characters of the name. */
const WORKER_DESC_LEN = 24;
/** How often vmstat_shepherd runs: round_jiffies_relative(sysctl_stat_interval), HZ. */
const STAT_INTERVAL_NS = 1_000_000_000;

/** struct workqueue_struct: what the pools need of it. */
export interface WorkqueueStruct {
  name: string;
  flags: number;
}

/*
 * The generations of every machine's workqueue state come from one counter,
 * so a generation names its machine's state as well: queue_work_stateless
 * compares numbers only. (Comparing the state objects too made the check
 * meet null in each new machine's items, where code optimized on an earlier
 * machine had only met objects, and deoptimized. Nothing shown depends on
 * the values: they are only ever compared.)
 */
let wq_gen = 0;
const next_wq_gen = (): number => ++wq_gen;

/**
 * struct work_struct: a function and its pending bit. The caller keeps the
 * item (Linux embeds it in the structure the work is for) and queues it
 * again each time; an item already pending is not queued twice.
 */
export class WorkStruct {
  pending = false;
  /** The function's name, what wq_worker_comm's "+" reads while it runs. */
  readonly name: string;
  /**
   * queue_work_stateless's last finding that a run would change nothing:
   * the generation of the workqueues' state (which names the machine's
   * state too: see next_wq_gen), CPU and workqueue it held for (gen 0:
   * none).
   */
  stateless_gen = 0;
  stateless_cpu = 0;
  stateless_wq: WorkqueueStruct | null = null;
  constructor(readonly fn: (k: Kernel) => void) {
    this.name = fn.name || "work";
  }
}

/** INIT_WORK. */
export function INIT_WORK(fn: (k: Kernel) => void): WorkStruct {
  return new WorkStruct(fn);
}

/** struct worker: a kworker task of one pool. */
export interface Worker {
  task: Task;
  pool: WorkerPool;
  /** The name of the workqueue of the last item it ran ("" before the first). */
  desc: string;
  /** The item running now (its function's name), or null while idle. */
  current_work: string | null;
}

/** struct worker_pool. */
export interface WorkerPool {
  id: number;
  /** The CPU of a per-CPU pool, -1 for an unbound one. */
  cpu: number;
  highpri: boolean;
  workers: Worker[];
  /** Idle workers, the most recently idle first (worker_enter_idle's list_add). */
  idle_list: Worker[];
  /** Items queued and not yet taken, and the workqueue each was queued on. */
  worklist: WorkStruct[];
  worklist_wq: WorkqueueStruct[];
  /** Workers running an item now. */
  nr_running: number;
}

export interface WorkqueueState {
  /** Per-CPU pools: pools[2 * cpu] normal, pools[2 * cpu + 1] high priority. */
  cpu_pools: WorkerPool[];
  /** The unbound pools: [normal, high priority]. */
  unbound_pools: WorkerPool[];
  workers: Map<Task, Worker>;
  /** When vmstat_shepherd runs next (its deferrable timer). */
  shepherd_next: number;
  /** Each CPU's busy time when the shepherd last looked (its counter deltas since). */
  shepherd_busy: number[];
  /** shepherd (mm/vmstat.c's DECLARE_DEFERRABLE_WORK) and each CPU's vmstat_work. */
  shepherd_work: WorkStruct;
  vmstat_work: WorkStruct[];
  /** Changes with the pools (an item queued, a worker attached): see queue_work_stateless and next_wq_gen. */
  gen: number;
}

/* The system workqueues (workqueue_init_early) and the ones work is queued on here. */
export const system_wq: WorkqueueStruct = { name: "events", flags: 0 };
export const system_highpri_wq: WorkqueueStruct = { name: "events_highpri", flags: WQ_HIGHPRI };
export const system_unbound_wq: WorkqueueStruct = { name: "events_unbound", flags: WQ_UNBOUND };
export const mm_percpu_wq: WorkqueueStruct = { name: "mm_percpu_wq", flags: WQ_MEM_RECLAIM };
export const kblockd_workqueue: WorkqueueStruct = { name: "kblockd", flags: WQ_MEM_RECLAIM | WQ_HIGHPRI };

/*
 * Classes, not object literals: a literal run once per machine gets its
 * boilerplate on the second machine of a process, which generalized its
 * fields' types and deoptimized the code that relied on them (lib/shapes.ts).
 */
class Pool implements WorkerPool {
  workers: Worker[] = object_array();
  idle_list: Worker[] = object_array();
  worklist: WorkStruct[] = object_array();
  worklist_wq: WorkqueueStruct[] = object_array();
  nr_running = 0;
  constructor(
    readonly id: number,
    readonly cpu: number,
    readonly highpri: boolean,
  ) {}
}

/** Each CPU's vmstat_work (refresh_cpu_vm_stats: the counters here are always exact). */
function vmstat_update(): void {}

class Workqueues implements WorkqueueState {
  cpu_pools: WorkerPool[] = object_array();
  unbound_pools: WorkerPool[];
  workers = new Map<Task, Worker>();
  shepherd_next = STAT_INTERVAL_NS;
  shepherd_busy: number[];
  shepherd_work = INIT_WORK(vmstat_shepherd);
  vmstat_work: WorkStruct[];
  gen = next_wq_gen();
  constructor(nr_cpus: number) {
    for (let cpu = 0; cpu < nr_cpus; cpu++)
      this.cpu_pools.push(new Pool(2 * cpu, cpu, false), new Pool(2 * cpu + 1, cpu, true));
    this.unbound_pools = [new Pool(2 * nr_cpus, -1, false), new Pool(2 * nr_cpus + 1, -1, true)];
    this.shepherd_busy = new Array(nr_cpus).fill(0);
    this.vmstat_work = Array.from({ length: nr_cpus }, () => INIT_WORK(vmstat_update));
  }
}

/** workqueue_init_early: the per-CPU pools and the two unbound ones. */
export function workqueue_init_early(nr_cpus: number): WorkqueueState {
  return new Workqueues(nr_cpus);
}

/** The pool a name like kworker/1:0H or kworker/u4:0 belongs to (create_worker names it so). */
function pool_of_name(s: WorkqueueState, name: string): WorkerPool | null {
  const m = /^kworker\/(u?)(\d+):\d+(H?)$/.exec(name);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1]) return s.unbound_pools.find((p) => p.id === n) ?? null;
  return s.cpu_pools[2 * n + (m[3] ? 1 : 0)] ?? null;
}

/** worker_attach_to_pool + worker_enter_idle: a new kworker joins its pool, idle. */
export function worker_attach(k: Kernel, t: Task): void {
  const p = pool_of_name(k.wq, t.comm);
  if (!p) return;
  const w: Worker = { task: t, pool: p, desc: "", current_work: null };
  t.flags |= PF_WQ_WORKER | PF_NO_SETAFFINITY; // worker_thread; kthread_bind_mask to the pool's CPUs
  if (p.cpu >= 0) kthread_bind(k, t, p.cpu);
  p.workers.push(w);
  p.idle_list.unshift(w);
  k.wq.gen = next_wq_gen();
  k.wq.workers.set(t, w);
}

/**
 * wq_worker_comm: a worker's comm, then "-" and the workqueue of its last
 * item, or "+" and it while the item runs (proc_task_name shows this).
 */
export function wq_worker_comm(k: Kernel, t: Task): string {
  const w = k.wq.workers.get(t);
  if (!w || w.desc === "") return t.comm;
  return `${t.comm}${w.current_work ? "+" : "-"}${w.desc}`;
}

/** The worker's desc: at most WORKER_DESC_LEN - 1 characters of the workqueue's name. */
function worker_desc(wq: WorkqueueStruct): string {
  return wq.name.length < WORKER_DESC_LEN ? wq.name : wq.name.slice(0, WORKER_DESC_LEN - 1);
}

/** process_one_work: the worker takes the workqueue's name as its desc and runs fn as current. */
function process_one_work(k: Kernel, w: Worker, work: WorkStruct, wq: WorkqueueStruct): void {
  w.desc = worker_desc(wq);
  w.current_work = work.name;
  work.pending = false;
  const prev = k.sched.current;
  k.sched.current = w.task;
  try {
    work.fn(k);
  } finally {
    k.sched.current = prev;
    w.current_work = null;
  }
}

/**
 * insert_work + worker_thread: the item joins the pool's worklist; unless a
 * worker of the pool is running already (it will take the item when it is
 * done with its own: concurrency management keeps one running), the first
 * idle worker wakes, runs the list empty, and goes back to the head of the
 * idle list - where it was, so it is not taken off it here. With no worker
 * in the pool the item runs anyway.
 */
function insert_work(k: Kernel, p: WorkerPool, work: WorkStruct, wq: WorkqueueStruct): void {
  k.wq.gen = next_wq_gen();
  work.pending = true;
  if (p.nr_running > 0) {
    p.worklist.push(work);
    p.worklist_wq.push(wq);
    return;
  }
  const w = p.idle_list.length > 0 ? p.idle_list[0] : null;
  p.nr_running++;
  try {
    run_work(k, w, work, wq);
    while (p.worklist.length > 0) run_work(k, w, p.worklist.shift()!, p.worklist_wq.shift()!);
  } finally {
    p.nr_running--;
  }
}

function run_work(k: Kernel, w: Worker | null, work: WorkStruct, wq: WorkqueueStruct): void {
  if (w) process_one_work(k, w, work, wq);
  else {
    work.pending = false;
    work.fn(k);
  }
}

/**
 * queue_work_on: an unbound workqueue's item goes to the unbound pool of
 * its priority, a per-CPU one's to the pool of the given CPU (the local CPU
 * for queue_work, WORK_CPU_UNBOUND). False when the item is pending already.
 */
export function queue_work_on(k: Kernel, cpu: number, wq: WorkqueueStruct, work: WorkStruct): boolean {
  if (work.pending) return false;
  insert_work(k, pool_of(k, cpu, wq), work, wq);
  return true;
}

/** The pool an item queued on wq from cpu goes to. */
function pool_of(k: Kernel, cpu: number, wq: WorkqueueStruct): WorkerPool {
  const hi = wq.flags & WQ_HIGHPRI ? 1 : 0;
  return wq.flags & WQ_UNBOUND ? k.wq.unbound_pools[hi] : k.wq.cpu_pools[2 * cpu + hi];
}

export function queue_work(k: Kernel, wq: WorkqueueStruct, work: WorkStruct): boolean {
  return queue_work_on(k, k.cpu, wq, work);
}

/**
 * queue_work for an item whose function changes nothing itself (kblockd's
 * queue restart: account_io has timed the requests already), queued for
 * each page a writer submits to a full ring. When the item would run at
 * once (not pending, its pool idle) in the first idle worker and that
 * worker's desc names this workqueue already, the run leaves everything as
 * it found it - the desc, current_work back to null, the pending bit clear
 * again, the pool's count and the current task restored - and is skipped.
 * Otherwise it is queue_work. (A writer to a full ring queues it for every
 * page: the finding holds, unlooked at, until the pools change - an item
 * queued anywhere, a worker attached - or the CPU or workqueue is another.)
 */
export function queue_work_stateless(k: Kernel, wq: WorkqueueStruct, work: WorkStruct): boolean {
  const s = k.wq;
  if (work.stateless_gen === s.gen && work.stateless_cpu === k.cpu && work.stateless_wq === wq) return true;
  if (work.pending === false) {
    const p = pool_of(k, k.cpu, wq);
    if (p.nr_running === 0 && p.idle_list.length > 0 && p.idle_list[0].desc === worker_desc(wq)) {
      work.stateless_gen = s.gen;
      work.stateless_cpu = k.cpu;
      work.stateless_wq = wq;
      return true;
    }
  }
  return queue_work(k, wq, work);
}

/** schedule_work: an item on system_wq, on this CPU. */
export function schedule_work(k: Kernel, work: WorkStruct): boolean {
  return queue_work(k, system_wq, work);
}

/**
 * vmstat_shepherd's deferrable timer (mm/vmstat.c): due every second, but
 * as a deferrable timer it fires only on a CPU that is awake anyway, so the
 * scheduler calls this before each step of a CPU. The shepherd runs on that
 * CPU's events pool and queues vmstat_update on mm_percpu_wq for every CPU
 * whose per-CPU counters moved since its last pass (need_update: here, the
 * CPU did kernel or user work since then, the only time its counters move).
 * The folding itself is not modelled: mmbox's counters are global already.
 */
function vmstat_shepherd(k: Kernel): void {
  const s = k.wq;
  for (const c of k.sched.cpus) {
    const busy = c.busy_ns + c.user_ns;
    if (busy === s.shepherd_busy[c.id]) continue;
    s.shepherd_busy[c.id] = busy;
    queue_work_on(k, c.id, mm_percpu_wq, s.vmstat_work[c.id]);
  }
}

export function vmstat_shepherd_tick(k: Kernel, cpu: number, now: number): void {
  const s = k.wq;
  if (now < s.shepherd_next) return;
  s.shepherd_next = now - (now % STAT_INTERVAL_NS) + STAT_INTERVAL_NS;
  // The timer expires in this CPU's tick: the timer wheel runs in TIMER_SOFTIRQ.
  raise_softirq(k, TIMER_SOFTIRQ, cpu);
  queue_work_on(k, cpu, system_wq, s.shepherd_work);
}

/**
 * print_worker_info: the "Workqueue: NAME FUNCTION" line dump_stack prints
 * after the hardware name when it runs in a work item (null otherwise).
 */
export function print_worker_info(k: Kernel, t: Task): string | null {
  const w = k.wq.workers.get(t);
  if (!w?.current_work) return null;
  return `Workqueue: ${w.desc} ${w.current_work}`;
}
