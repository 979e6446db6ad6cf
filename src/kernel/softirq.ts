/*
 * softirq.ts - softirqs (Linux kernel/softirq.c, include/linux/interrupt.h).
 *
 * A softirq is work an interrupt leaves for later: the tick raises
 * TIMER_SOFTIRQ when a timer-wheel timer is due and SCHED_SOFTIRQ when the
 * CPU's load balancing is due; a block device with a single hardware queue
 * finishes its requests in BLOCK_SOFTIRQ. __do_softirq runs the raised
 * ones on the way out of the interrupt, on the same CPU, and counts each run
 * in kstat.softirqs[nr] of that CPU - /proc/softirqs and /proc/stat's
 * "softirq" line.
 *
 * Here a raise is its run: the count goes up when the softirq is raised.
 * Simplified: no ksoftirqd (softirqs are never deferred to a thread), and
 * only the softirqs something in the model raises ever count: there is no
 * network (NET_TX, NET_RX), no irq_poll, no tasklet, no soft hrtimer and no
 * RCU callback machinery, so those stay at 0.
 */

import type { Kernel } from "./kernel.js";

/* The softirq vector, in priority order (enum in include/linux/interrupt.h). */
export const HI_SOFTIRQ = 0;
export const TIMER_SOFTIRQ = 1;
export const NET_TX_SOFTIRQ = 2;
export const NET_RX_SOFTIRQ = 3;
export const BLOCK_SOFTIRQ = 4;
export const IRQ_POLL_SOFTIRQ = 5;
export const TASKLET_SOFTIRQ = 6;
export const SCHED_SOFTIRQ = 7;
export const HRTIMER_SOFTIRQ = 8;
export const RCU_SOFTIRQ = 9;
export const NR_SOFTIRQS = 10;

/** softirq_to_name[]: the names /proc/softirqs prints. */
export const softirq_to_name: readonly string[] = [
  "HI",
  "TIMER",
  "NET_TX",
  "NET_RX",
  "BLOCK",
  "IRQ_POLL",
  "TASKLET",
  "SCHED",
  "HRTIMER",
  "RCU",
];

/** raise_softirq on cpu, and its run by __do_softirq there (kstat_incr_softirqs_this_cpu). */
export function raise_softirq(k: Kernel, nr: number, cpu: number): void {
  k.irq.softirqs[cpu * NR_SOFTIRQS + nr]++;
}

/** kstat_softirqs_cpu. */
export function kstat_softirqs_cpu(k: Kernel, nr: number, cpu: number): number {
  return k.irq.softirqs[cpu * NR_SOFTIRQS + nr];
}
