/*
 * psi.ts - pressure stall information (Linux kernel/sched/psi.c): how much
 * of the time tasks were held up waiting for memory, for I/O or for a CPU,
 * in /proc/pressure/{io,memory,cpu}:
 *
 *   some avg10=1.52 avg60=0.40 avg300=0.09 total=1861512
 *   full avg10=1.52 avg60=0.40 avg300=0.09 total=1850231
 *
 * "some" is time in which at least one task was stalled, "full" time in
 * which no task got anything done because all were; total is in
 * microseconds, and the three averages are percentages decayed over 10,
 * 60 and 300 s, updated every PSI_FREQ (2 s and a tick) as calc_avgs does.
 *
 * What stalls (psi_memstall_enter/leave and the task states of psi.c):
 *  - memory: direct reclaim and direct compaction in the allocator,
 *    kswapd's and kcompactd's passes (balance_pgdat, kcompactd_do_work),
 *    and waiting for a thrashing page;
 *  - io: a task asleep in D state waiting for its block I/O (iowait);
 *  - cpu: runnable tasks waiting in a run queue while another runs.
 * Simplified: Linux tracks the states per CPU and weighs each CPU's stall
 * time by its non-idle time; here stalls are intervals of simulated time
 * merged into one timeline per state, which is the same when one CPU is
 * busy. A stall is "full" when no other task was running productively at
 * the time. Reading back a page that was part of the workingset when it
 * was evicted (thrashing, workingset_refault) makes that I/O wait a memory
 * stall as well as an I/O one, as swap_readpage and folio_wait_bit do.
 */

import { dir, file, type ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { S_IFREG } from "../uapi/abi.js";
import { EINVAL } from "../uapi/errno.js";
import { calc_load, FIXED_1, FSHIFT, fixed_power_int } from "./loadavg.js";
import type { Task } from "./task.js";

export const PSI_IO = 0;
export const PSI_MEM = 1;
export const PSI_CPU = 2;
const NR_PSI_RESOURCES = 3;

const EXP_10s = 1677;
const EXP_60s = 1981;
const EXP_300s = 2034;
/** WINDOW_MIN_US and WINDOW_MAX_US of a trigger. */
const WINDOW_MIN_US = 500_000;
const WINDOW_MAX_US = 10_000_000;

/*
 * The group and its states are classes, not object literals, and the
 * averages a typed array: V8 makes a literal's boilerplate the second time it
 * runs (the second machine of a process) and generalizes its fields, which
 * deoptimized psi_stall there (lib/shapes.ts).
 */

/** One state (resource x some/full): its total, the averages and the merging horizon. */
class PsiState {
  total_ns = 0;
  /** The end of the stall time counted so far (intervals are merged). */
  horizon = 0;
  /** What update_averages has already folded into the averages. */
  avg_total = 0;
  /** avg10, avg60, avg300 in FIXED_1 units. */
  avg = new Float64Array(3);
}

/** psi_system: the states, [res * 2 + full], and when the averages were and will be updated. */
export class PsiGroup {
  states: PsiState[] = [];
  avg_last_update: number;
  avg_next_update: number;
  constructor(now: number, hz: number) {
    for (let i = 0; i < NR_PSI_RESOURCES * 2; i++) this.states.push(new PsiState());
    this.avg_last_update = now;
    this.avg_next_update = now + 2e9 + 1e9 / hz;
  }
}

/** psi_period: PSI_FREQ, 2 s and a jiffy, in ns. */
function psi_period(k: Kernel): number {
  return 2e9 + 1e9 / k.clock.hz;
}

/** group_init for psi_system, at boot (time `now`, HZ ticks a second). */
export function psi_init(now: number, hz: number): PsiGroup {
  return new PsiGroup(now, hz);
}

/** calc_avgs: periods without activity decay the averages, then the last period's share. */
function calc_avgs(avg: Float64Array, missed: number, time: number, period: number): void {
  const exps = [EXP_10s, EXP_60s, EXP_300s];
  if (missed) for (let i = 0; i < 3; i++) avg[i] = calc_load(avg[i], fixed_power_int(exps[i], missed), 0);
  const pct = period > 0 ? Math.floor((time * 100) / period) * FIXED_1 : 0;
  for (let i = 0; i < 3; i++) avg[i] = calc_load(avg[i], exps[i], pct);
}

/** update_averages: fold the stall time since the last update into the averages. */
function update_averages(k: Kernel, g: PsiGroup, now: number): void {
  const period_ns = psi_period(k);
  const expires = g.avg_next_update;
  const missed = now - expires >= period_ns ? Math.floor((now - expires) / period_ns) : 0;
  g.avg_next_update = expires + (1 + missed) * period_ns;
  const period = now - (g.avg_last_update + missed * period_ns);
  g.avg_last_update = now;
  for (const s of g.states) {
    const sample = Math.min(s.total_ns - s.avg_total, period);
    s.avg_total += sample;
    calc_avgs(s.avg, missed, sample, period);
  }
}

/** Is there stall time the averages have not taken in yet? */
function psi_pending(g: PsiGroup): boolean {
  for (const s of g.states) if (s.total_ns > s.avg_total) return true;
  return false;
}

/**
 * psi_avgs_work runs every period while there are stalls to fold in, and
 * stops when there are none; a read brings the averages up to date. Here
 * both happen when the next stall is recorded or the file is read: the
 * stall time so far goes into the period that ended first, the periods
 * after it decay the averages.
 */
function psi_avgs_work(k: Kernel, now: number): void {
  const g = k.psi;
  if (now < g.avg_next_update) return;
  if (psi_pending(g)) update_averages(k, g, g.avg_next_update);
  if (now >= g.avg_next_update) update_averages(k, g, now);
}

/** Counts [start, end) as stall time of a resource (and as "full" too when full). */
export function psi_stall(k: Kernel, res: number, full: boolean, start: number, end: number): void {
  if (end <= start) return;
  psi_avgs_work(k, start);
  const g = k.psi;
  psi_state_stall(g.states[res * 2], start, end);
  if (full) psi_state_stall(g.states[res * 2 + 1], start, end);
}

/** One state's share of a stall [start, end): the part past its horizon. */
function psi_state_stall(s: PsiState, start: number, end: number): void {
  const from = Math.max(start, s.horizon);
  if (end > from) s.total_ns += end - from;
  if (end > s.horizon) s.horizon = end;
}

/**
 * Is every task that could run, other than t, stalled too? (No other CPU
 * runs a task outside a memory stall and nothing waits in t's run queue.)
 */
export function psi_alone(k: Kernel, t: Task): boolean {
  for (const c of k.sched.cpus) {
    if (c.curr && c.curr !== t && !c.curr.psi_memstall) return false;
    if (c.rq.length > 0) return false;
  }
  return true;
}

/**
 * psi_memstall_enter/leave around a synchronous stretch of work: enter marks
 * the current task stalled and returns it (null when there is none or it is
 * stalled already: nothing to account), leave counts the task's time since
 * as a memory stall. The task keeps its time at entry (psi_memstall_from), as
 * Linux keeps the flags in the caller's pflags: no closure per call.
 */
export function psi_memstall_enter(k: Kernel): Task | null {
  const t = k.sched.current;
  if (!t || t.psi_memstall) return null;
  t.psi_memstall = true;
  t.psi_memstall_from = t.cost;
  return t;
}

export function psi_memstall_leave(k: Kernel, t: Task | null): void {
  if (!t) return;
  const before = t.psi_memstall_from;
  t.psi_memstall = false;
  const start = k.clock.ns + before;
  psi_stall(k, PSI_MEM, psi_alone(k, t), start, start + (t.cost - before));
}

const NO_AVG = new Float64Array(3);

/** psi_show: the some and full lines of a resource (CPU full is undefined system-wide: zeros). */
export function psi_show(k: Kernel, res: number): string {
  const now = k.clock.ns;
  psi_avgs_work(k, now);
  const g = k.psi;
  const pct = (x: number): string =>
    `${x >> FSHIFT}.${String(((x & (FIXED_1 - 1)) * 100) >> FSHIFT).padStart(2, "0")}`;
  let out = "";
  for (let full = 0; full < 2; full++) {
    const s = g.states[res * 2 + full];
    const none = res === PSI_CPU && full === 1;
    const avg = none ? NO_AVG : s.avg;
    const total = none ? 0 : Math.floor(s.total_ns / 1000);
    out += `${full ? "full" : "some"} avg10=${pct(avg[0])} avg60=${pct(avg[1])} avg300=${pct(avg[2])} total=${total}\n`;
  }
  return out;
}

/**
 * psi_write: "some|full THRESHOLD_US WINDOW_US" makes a trigger for whoever
 * polls the open file; it goes when the file is closed (a shell's echo
 * leaves none behind). Malformed or out-of-range triggers are EINVAL.
 */
export function psi_write(text: string): number {
  if (!text.length) return -EINVAL;
  const buf = text.slice(0, 127).replace(/\n$/, "");
  const m = /^(some|full)\s*\+?(\d+)\s+\+?(\d+)/.exec(buf);
  if (!m) return -EINVAL;
  const threshold = Number(m[2]);
  const window = Number(m[3]);
  if (threshold > 0xffffffff || window > 0xffffffff) return -EINVAL;
  if (window < WINDOW_MIN_US || window > WINDOW_MAX_US) return -EINVAL;
  if (threshold === 0 || threshold > window) return -EINVAL;
  return 0;
}

/** /proc/pressure: one file per resource, read and write for everyone (0666) as psi_proc_init makes them. */
export function psi_proc_entries(): ProcEntry {
  const entry = (name: string, res: number): ProcEntry =>
    file(name, (k) => psi_show(k, res), { mode: S_IFREG | 0o666, write: (_k, _t, text) => psi_write(text) });
  return dir("pressure", [entry("io", PSI_IO), entry("memory", PSI_MEM), entry("cpu", PSI_CPU)]);
}
