/*
 * tick.ts - the timer interrupts (Linux kernel/time/tick-sched.c,
 * tick-common.c, kernel/sched/fair.c trigger_load_balance, and the x86
 * machine-check poll timer of arch/x86/kernel/cpu/mce/core.c).
 *
 * The kernel is tickless when idle (NO_HZ_IDLE, HZ=250): a CPU that runs
 * something takes its local timer interrupt at every jiffy, an idle CPU
 * only when one of its timers expires. So:
 *
 *   busy    one local timer interrupt per jiffy boundary the CPU's clock
 *           crosses while it runs a task (tick_busy, from the scheduler)
 *   idle    one when a sleeper's timeout expires on its CPU (timer_interrupt,
 *           from the scheduler's timer code); a kernel thread's timeout is
 *           a timer-wheel timer and also raises TIMER_SOFTIRQ, a task's
 *           nanosleep or poll timeout is an hrtimer and does not
 *   boot    CPU 0 runs boot code from the moment a clock event device is
 *           set up: first a global timer (sp804 on vexpress-a9, the
 *           IO-APIC's IRQ 0 on the pc) until the local timer is calibrated
 *           (twd; the local APIC, LOC), then the local timer until init runs
 *
 * Each tick runs scheduler_tick, which raises SCHED_SOFTIRQ when the CPU's
 * load balancing is due (rq->next_balance). A busy CPU balances every
 * balance_interval * busy_factor: the domain's max_interval (2 ms per CPU
 * in it) times 16.
 *
 * x86 polls its machine-check banks: once when a CPU comes up
 * (__mcheck_cpu_init_generic), then from a timer every check_interval
 * (300 s), rounded to a whole second (round_jiffies with the CPU's skew).
 * Each poll counts in MCP; the timer is a timer-wheel timer: a local timer
 * interrupt and a TIMER_SOFTIRQ on that CPU.
 */

import { generic_handle_irq, inc_irq_stat, LOC, MCP } from "../irq/irqdesc.js";
import type { Kernel } from "../kernel.js";
import { raise_softirq, SCHED_SOFTIRQ, TIMER_SOFTIRQ } from "../softirq.js";

/** The machine check poll interval (check_interval), in seconds. */
const CHECK_INTERVAL = 300;
/** sd->busy_factor. */
const BUSY_FACTOR = 16;

export class TickState {
  /** When boot's tick device started (ns), and whether it is the local timer yet. */
  boot_since = -1;
  boot_local = false;
  /** The scheduling domains exist (after smp_init): boot's ticks balance load too. */
  sched_domains = false;
  /** rq->next_balance per CPU, in jiffies. */
  readonly next_balance: Float64Array;
  /** When each CPU's machine check timer expires next (jiffies; -1 before the CPU is up). */
  readonly mce_next: Float64Array;
  constructor(ncpus: number) {
    this.next_balance = new Float64Array(ncpus);
    this.mce_next = new Float64Array(ncpus).fill(-1);
  }
}

function jiffies_at(k: Kernel, ns: number): number {
  return Math.floor((ns * k.clock.hz) / 1e9);
}

/** The local timer interrupt of a CPU (tick_handle_periodic / hrtimer_interrupt). */
export function local_timer_interrupt(k: Kernel, cpu: number): void {
  const lt = k.irq.local_timer;
  if (lt) generic_handle_irq(k, lt, cpu);
  else inc_irq_stat(k, cpu, LOC);
}

/** scheduler_tick's trigger_load_balance: SCHED_SOFTIRQ when rq->next_balance has come. */
function scheduler_tick(k: Kernel, cpu: number, jiffies: number): void {
  const n = k.nr_cpu_ids;
  if (n < 2) return; // no sched domains on a single CPU
  const ts = k.tick;
  if (jiffies < ts.next_balance[cpu]) return;
  raise_softirq(k, SCHED_SOFTIRQ, cpu);
  const interval = Math.max(1, Math.ceil((2 * n * BUSY_FACTOR * k.clock.hz) / 1000));
  ts.next_balance[cpu] = jiffies + interval;
}

/** A CPU ran from `from` to `to` (ns): one tick at each jiffy boundary in between. */
export function tick_busy(k: Kernel, cpu: number, from: number, to: number): void {
  const j1 = jiffies_at(k, to);
  for (let j = jiffies_at(k, from) + 1; j <= j1; j++) {
    local_timer_interrupt(k, cpu);
    scheduler_tick(k, cpu, j);
  }
}

/** A timer of `cpu` expired while nothing else woke it: one local timer interrupt. */
export function timer_interrupt(k: Kernel, cpu: number): void {
  local_timer_interrupt(k, cpu);
}

/** Boot's ticks on CPU 0 from boot_since up to now, on the global or the local timer. */
function tick_boot_account(k: Kernel): void {
  const ts = k.tick;
  if (ts.boot_since < 0) return;
  const j1 = jiffies_at(k, k.clock.ns);
  const bt = k.irq.boot_timer;
  for (let j = jiffies_at(k, ts.boot_since) + 1; j <= j1; j++) {
    if (!ts.boot_local && bt) generic_handle_irq(k, bt, 0);
    else {
      local_timer_interrupt(k, 0);
      if (ts.sched_domains) scheduler_tick(k, 0, j);
    }
  }
  ts.boot_since = k.clock.ns;
}

/** sched_init_smp: the secondary CPUs are up and the scheduling domains built; ticks balance from now on. */
export function tick_sched_domains(k: Kernel): void {
  tick_boot_account(k);
  k.tick.sched_domains = true;
}

/**
 * Boot log lines that mark a change of tick device (time_init, the local
 * timer's calibration) or the boot CPU's machine check setup.
 */
export function tick_boot_line(k: Kernel, text: string): void {
  const ts = k.tick;
  const arch = k.profile.arch;
  if (
    (arch === "arm" && text.startsWith("clocksource: arm,sp804")) ||
    (arch === "x86_64" && text.startsWith("..TIMER: vector"))
  ) {
    ts.boot_since = k.clock.ns;
  } else if (
    (arch === "arm" && text.startsWith("Calibrating local timer")) ||
    (arch === "x86_64" && text.startsWith("Calibrating delay loop")) ||
    (arch === "arm64" && text.startsWith("arch_timer: cp15"))
  ) {
    tick_boot_account(k);
    ts.boot_since = k.clock.ns;
    ts.boot_local = true;
  } else if (arch === "x86_64" && text.startsWith("Last level iTLB entries")) mce_cpu_init(k, 0);
}

/** Boot is over (init is about to run): CPU 0's boot ticks are counted; from now on the scheduler counts. */
export function tick_boot_done(k: Kernel): void {
  tick_boot_account(k);
  k.tick.boot_since = -1;
}

/** round_jiffies for cpu: to a whole second, skewed by 3 jiffies per CPU, never into the past. */
function round_jiffies(k: Kernel, j: number, cpu: number, now: number): number {
  const hz = k.clock.hz;
  const skewed = j + cpu * 3;
  const rem = skewed % hz;
  const r = (rem < hz / 4 ? skewed - rem : skewed - rem + hz) - cpu * 3;
  return r > now ? r : j;
}

/** mcheck_cpu_init: the first poll of a CPU's banks, and its poll timer. */
export function mce_cpu_init(k: Kernel, cpu: number): void {
  if (k.profile.arch !== "x86_64") return;
  inc_irq_stat(k, cpu, MCP);
  const now = jiffies_at(k, k.clock.ns);
  k.tick.mce_next[cpu] = round_jiffies(k, now + CHECK_INTERVAL * k.clock.hz, cpu, now);
}

/** mce_timer_fn for every poll timer due by now (run before the counters are read). */
export function mce_timer_catch_up(k: Kernel): void {
  const ts = k.tick;
  const now = jiffies_at(k, k.clock.ns);
  for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++) {
    while (ts.mce_next[cpu] >= 0 && ts.mce_next[cpu] <= now) {
      const at = ts.mce_next[cpu];
      local_timer_interrupt(k, cpu);
      raise_softirq(k, TIMER_SOFTIRQ, cpu);
      inc_irq_stat(k, cpu, MCP);
      ts.mce_next[cpu] = round_jiffies(k, at + CHECK_INTERVAL * k.clock.hz, cpu, at);
    }
  }
}
