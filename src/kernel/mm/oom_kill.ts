/*
 * oom_kill.ts - the out-of-memory killer (Linux mm/oom_kill.c).
 *
 * When the allocator's slow path has reclaimed and compacted in vain, it
 * calls out_of_memory. That picks the process whose death frees the most
 * memory - oom_badness: its resident pages, swap entries and page tables,
 * shifted by oom_score_adj in thousandths of all memory - prints the report
 * (dump_header: the allocation, the stack, Mem-Info, the task table, the
 * summary) and sends it SIGKILL. The victim may dip into the reserves
 * (ALLOC_OOM) to die quickly; the allocating task waits a tick for it.
 *
 *   out_of_memory -> select_bad_process -> oom_evaluate_task -> oom_badness
 *                 -> oom_kill_process -> dump_header, __oom_kill_process
 *                 -> queue_oom_reaper (2 s later, the oom_reaper kthread
 *                    unmaps the anonymous memory of a victim still alive)
 *
 * sysctls: panic_on_oom (1: panic on a global OOM, 2: always),
 * oom_kill_allocating_task, oom_dump_tasks.
 */

import type { Kernel } from "../kernel.js";
import { panic } from "../lib/bug.js";
import { dump_stack } from "../lib/panic.js";
import { KERN_ERR, KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import { signal_pending, wake_up } from "../sched/core.js";
import { send_signal } from "../sched/signal.js";
import type { Task, TaskGen } from "../sched/task.js";
import { __GFP_FS, format_gfp } from "./gfp.js";
import { zap_page_range } from "./memory.js";
import {
  MM_ANONPAGES,
  MM_FILEPAGES,
  MM_SHMEMPAGES,
  MM_SWAPENTS,
  type MmStruct,
  VM_SHARED,
} from "./mm_struct.js";
import { alloc_trace, gfp_zone } from "./page_alloc.js";
import { show_mem } from "./show_mem.js";
import { OOM_KILL } from "./vm_event_item.js";

export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;
/** The victim gets this long to exit before the reaper takes its memory (OOM_REAPER_DELAY, 2*HZ). */
const OOM_REAPER_DELAY_NS = 2_000_000_000;
const SIGKILL = 9;
const PF_EXITING = 0x4;
const LONG_MIN = Number.NEGATIVE_INFINITY;

/** The OOM killer's global state: victims not yet gone (oom_victims) and the reaper's queue. */
export interface OomState {
  victims: number;
  reap_queue: { t: Task; at: number }[];
}

export function oom_state_init(): OomState {
  return { victims: 0, reap_queue: [] };
}

/** oom_unkillable_task: init and kernel threads are never chosen. */
function oom_unkillable_task(t: Task): boolean {
  return t.pid === 1 || t.is_kthread();
}

/** find_lock_task_mm: the task with its address space, or null once it has let go of it. */
function task_mm(t: Task): MmStruct | null {
  return t.exit_state ? null : t.mm;
}

/** All the memory oom_badness and /proc/PID/oom_score measure against (CONSTRAINT_NONE). */
export function oom_totalpages(k: Kernel): number {
  return k.totalram_pages + k.mm_stat.total_swap_pages;
}

/**
 * oom_badness: pages the kill would free (RSS, swap entries, page tables),
 * plus oom_score_adj thousandths of all memory; LONG_MIN for tasks that
 * must not die (unkillable, OOM_SCORE_ADJ_MIN, already reaped).
 */
export function oom_badness(t: Task, totalpages: number): number {
  if (oom_unkillable_task(t)) return LONG_MIN;
  const mm = task_mm(t);
  if (!mm) return LONG_MIN;
  if (t.oom_score_adj === OOM_SCORE_ADJ_MIN || mm.oom_skip) return LONG_MIN;
  const points = mm.get_mm_rss() + mm.rss[MM_SWAPENTS] + Math.floor(mm.pgtables_bytes / 4096);
  // The kernel divides first: adj counts in whole thousandths.
  return points + t.oom_score_adj * Math.floor(totalpages / 1000);
}

/** proc_oom_score: the badness scaled into 0..2000 (two thirds of 1000 + per-mille), 0 if immune. */
export function proc_oom_score(k: Kernel, t: Task): number {
  const totalpages = oom_totalpages(k);
  const badness = oom_badness(t, totalpages);
  if (badness === LONG_MIN) return 0;
  return Math.trunc(((1000 + Math.trunc((badness * 1000) / totalpages)) * 2) / 3);
}

export interface OomControl {
  gfp: number;
  order: number;
  totalpages: number;
  chosen: Task | null;
  /** A victim is still on its way out: wait for it rather than kill another (the -1 of oc->chosen). */
  abort: boolean;
  chosen_points: number;
}

/** is_sysrq_oom: the request came from SysRq-f (order -1), not from an allocation. */
const is_sysrq_oom = (oc: OomControl): boolean => oc.order === -1;

/** oom_evaluate_task over every process; the highest badness wins, a later equal one replacing it. */
export function select_bad_process(k: Kernel, oc: OomControl): void {
  oc.chosen_points = LONG_MIN;
  for (const t of k.sched.tasks.values()) {
    if (oom_unkillable_task(t) || t.exit_state) continue;
    // A victim still dying holds the reserves: wait for it - unless this is sysrq's request.
    if (t.oom_victim && !is_sysrq_oom(oc)) {
      if (t.mm?.oom_skip) continue;
      oc.abort = true;
      oc.chosen = null;
      return;
    }
    const points = t.oom_flag_origin ? Number.POSITIVE_INFINITY : oom_badness(t, oc.totalpages); // oom_task_origin
    if (points === LONG_MIN || points < oc.chosen_points) continue;
    oc.chosen = t;
    oc.chosen_points = points;
  }
}

/** task_will_free_mem: the task is already exiting (or dying of a fatal signal): it needs no kill. */
function task_will_free_mem(t: Task): boolean {
  const mm = task_mm(t);
  if (!mm || mm.oom_skip) return false;
  return (t.flags & PF_EXITING) !== 0 || t.signal.pending.has(SIGKILL);
}

/** mark_oom_victim: the task may use the reserves to die, and is counted until it exits. */
function mark_oom_victim(k: Kernel, t: Task): void {
  if (t.oom_victim) return;
  t.oom_victim = true;
  k.oom.victims++;
}

/** exit_oom_victim: called as a victim lets go of its address space. */
export function exit_oom_victim(k: Kernel, t: Task): void {
  if (!t.oom_victim) return;
  t.oom_victim = false;
  k.oom.victims--;
}

/** dump_tasks: "Tasks state" - every killable process with an address space, in pages. */
function dump_tasks(k: Kernel): void {
  const pr = (s: string): void => k.printk.printk(KERN_INFO, s);
  pr("Tasks state (memory values in pages):");
  pr("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
  for (const t of k.sched.tasks.values()) {
    if (oom_unkillable_task(t)) continue;
    const mm = task_mm(t);
    if (!mm) continue;
    pr(
      `[${String(t.pid).padStart(7)}] ${"0".padStart(5)} ${String(t.pid).padStart(5)}` +
        ` ${String(mm.total_vm).padStart(8)} ${String(mm.get_mm_rss()).padStart(8)}` +
        ` ${String(mm.pgtables_bytes).padStart(8)} ${String(mm.rss[MM_SWAPENTS]).padStart(8)}` +
        `         ${String(t.oom_score_adj).padStart(5)} ${t.comm}`,
    );
  }
}

/** dump_header: what was asked, by whom, the stack, the memory, the tasks, and the choice. */
function dump_header(k: Kernel, oc: OomControl, victim: Task | null): void {
  const cur = k.sched.current;
  k.printk.printk(
    KERN_WARNING,
    `${cur?.comm ?? "swapper/0"} invoked oom-killer: gfp_mask=${format_gfp(oc.gfp)}, order=${oc.order}, oom_score_adj=${cur?.oom_score_adj ?? 0}`,
  );
  const head = victim
    ? ["dump_header", "oom_kill_process", "out_of_memory"]
    : ["dump_header", "out_of_memory"];
  // SysRq-f runs out_of_memory from moom_callback, a work item of the CPU's kworker.
  const trace = is_sysrq_oom(oc)
    ? [...head, "moom_callback", "process_one_work", "worker_thread", "kthread", "ret_from_fork"]
    : alloc_trace(k, head);
  dump_stack(k, trace, KERN_WARNING);
  show_mem(k, (s) => k.printk.printk(KERN_INFO, s), gfp_zone(k, oc.gfp));
  if (k.sysctl_vm.oom_dump_tasks) dump_tasks(k);
  if (victim)
    k.printk.printk(
      KERN_INFO,
      `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=${mems_allowed(k)},global_oom,task_memcg=/,task=${victim.comm},pid=${victim.pid},uid=0`,
    );
}

function mems_allowed(k: Kernel): string {
  return k.nodes.length > 1 ? `0-${k.nodes.length - 1}` : "0";
}

const kB = (pages: number): number => pages * 4;

/** __oom_kill_process: SIGKILL, the victim marked, the kill told, the reaper queued. */
function __oom_kill_process(k: Kernel, victim: Task, message: string): void {
  const mm = task_mm(victim);
  if (!mm) {
    k.printk.printk(
      KERN_INFO,
      `${message}: OOM victim ${victim.pid} (${victim.comm}) is already exiting. Skip killing the task`,
    );
    return;
  }
  send_signal(k, victim, SIGKILL);
  mark_oom_victim(k, victim);
  k.vm_events[OOM_KILL]++;
  k.printk.printk(
    KERN_ERR,
    `${message}: Killed process ${victim.pid} (${victim.comm}) total-vm:${kB(mm.total_vm)}kB,` +
      ` anon-rss:${kB(mm.rss[MM_ANONPAGES])}kB, file-rss:${kB(mm.rss[MM_FILEPAGES])}kB,` +
      ` shmem-rss:${kB(mm.rss[MM_SHMEMPAGES])}kB, UID:0 pgtables:${Math.floor(mm.pgtables_bytes / 1024)}kB` +
      ` oom_score_adj:${victim.oom_score_adj}`,
  );
  queue_oom_reaper(k, victim);
}

function oom_kill_process(k: Kernel, oc: OomControl, message: string): void {
  const victim = oc.chosen!;
  // Already on its way out: it only needs the reserves and the reaper, not a report.
  if (task_will_free_mem(victim)) {
    mark_oom_victim(k, victim);
    queue_oom_reaper(k, victim);
    return;
  }
  dump_header(k, oc, victim);
  __oom_kill_process(k, victim, message);
}

/** check_panic_on_oom: panic_on_oom 1 (a global OOM, the only kind here) or 2 panics. */
function check_panic_on_oom(k: Kernel, oc: OomControl): void {
  const mode = k.sysctl_vm.panic_on_oom;
  if (!mode || is_sysrq_oom(oc)) return;
  dump_header(k, oc, null);
  panic(`Out of memory: ${mode === 2 ? "compulsory" : "system-wide"} panic_on_oom is enabled`);
}

/**
 * out_of_memory: kill something so the allocation can go on. True when a
 * task was killed or one is already dying (the caller retries or waits).
 */
export function out_of_memory(k: Kernel, gfp: number, order: number): boolean {
  const cur = k.sched.current;
  // The allocating task is dying anyway: let it have the reserves.
  if (cur && task_will_free_mem(cur)) {
    mark_oom_victim(k, cur);
    queue_oom_reaper(k, cur);
    return true;
  }
  // Without __GFP_FS the kernel could be holding locks the victim needs: do not kill.
  if (!(gfp & __GFP_FS)) return true;
  const oc: OomControl = {
    gfp,
    order,
    totalpages: oom_totalpages(k),
    chosen: null,
    abort: false,
    chosen_points: 0,
  };
  check_panic_on_oom(k, oc);
  if (
    k.sysctl_vm.oom_kill_allocating_task &&
    cur?.mm &&
    !oom_unkillable_task(cur) &&
    cur.oom_score_adj !== OOM_SCORE_ADJ_MIN
  ) {
    oc.chosen = cur;
    oom_kill_process(k, oc, "Out of memory (oom_kill_allocating_task)");
    return true;
  }
  select_bad_process(k, oc);
  if (oc.abort) return true;
  if (!oc.chosen) {
    dump_header(k, oc, null);
    k.printk.printk(KERN_WARNING, "Out of memory and no killable processes...");
    // An allocation cannot go on; a SysRq request simply found nobody.
    if (!is_sysrq_oom(oc)) panic("System is deadlocked on memory");
    return false;
  }
  oom_kill_process(k, oc, "Out of memory");
  return true;
}

/** The allocating task should wait for a victim other than itself to exit before it retries. */
export function oom_should_wait(k: Kernel): boolean {
  const cur = k.sched.current;
  return k.oom.victims > 0 && !!cur && !cur.oom_victim && !signal_pending_fatal(cur);
}

function signal_pending_fatal(t: Task): boolean {
  return t.signal.pending.has(SIGKILL) && signal_pending(t);
}

/**
 * pagefault_out_of_memory: a fault came back VM_FAULT_OOM. A dying task
 * just dies; one waiting for a victim retries; anything else leaked past
 * the allocator, which 6.1 reports before the fault is retried.
 */
export function pagefault_out_of_memory(k: Kernel): void {
  const t = k.sched.current;
  if (!t || signal_pending_fatal(t)) return;
  if (oom_should_wait(k)) return;
  k.printk.printk(KERN_WARNING, "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF");
}

/* ---- the oom_reaper ---- */

/** queue_oom_reaper: in OOM_REAPER_DELAY, reap the victim if it has not exited by then. */
function queue_oom_reaper(k: Kernel, t: Task): void {
  if (k.oom.reap_queue.some((e) => e.t === t)) return;
  k.oom.reap_queue.push({ t, at: k.clock.ns + OOM_REAPER_DELAY_NS });
  const wq = k.kthread_wq.get("oom_reaper");
  if (wq) wake_up(k, wq);
}

/** __oom_reap_task_mm: unmap the private memory of a victim that is slow to exit. */
function oom_reap_task(k: Kernel, t: Task): void {
  const mm = task_mm(t);
  if (!mm || mm.oom_skip) return;
  for (const vma of [...mm.vmas]) {
    if (vma.vm_flags & VM_SHARED && vma.vm_file) continue;
    zap_page_range(k, mm, vma, vma.vm_start, vma.vm_end);
  }
  mm.oom_skip = true;
  k.printk.printk(
    KERN_INFO,
    `oom_reaper: reaped process ${t.pid} (${t.comm}), now anon-rss:${kB(mm.rss[MM_ANONPAGES])}kB,` +
      ` file-rss:${kB(mm.rss[MM_FILEPAGES])}kB, shmem-rss:${kB(mm.rss[MM_SHMEMPAGES])}kB`,
  );
}

/** The oom_reaper kthread: sleeps until a queued victim's delay is over, then reaps it. */
export function* oom_reaper(k: Kernel, _t: Task): TaskGen {
  const wq = k.kthread_wq.get("oom_reaper")!;
  for (;;) {
    const q = k.oom.reap_queue;
    const next = q.length ? Math.min(...q.map((e) => e.at)) : 0;
    yield { nr: "__kwait", wq, until: next };
    const now = k.clock.ns;
    for (const e of [...q]) {
      // A victim that exited took its memory with it: nothing to reap.
      if (e.t.exit_state || !e.t.mm) q.splice(q.indexOf(e), 1);
      else if (e.at <= now) {
        q.splice(q.indexOf(e), 1);
        oom_reap_task(k, e.t);
      }
    }
  }
}
