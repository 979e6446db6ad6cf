/*
 * stats.ts - /proc/schedstat (Linux kernel/sched/stats.c show_schedstat),
 * version 15: a timestamp in jiffies, then for each CPU its runqueue's
 * line and one line per scheduling domain it belongs to.
 *
 *   cpu<N> yld_count 0 sched_count sched_goidle ttwu_count ttwu_local
 *          rq_cpu_time run_delay pcount
 *   domain<N> <cpumask> 3 x 8 load-balancing counts (idle, busy, newly
 *          idle) and 12 more (active balancing, exec/fork balancing,
 *          remote and affine wakeups)
 *
 * Debian's kernel has CONFIG_SCHEDSTATS but leaves the sched_schedstats
 * switch off, so the counts schedstat_inc keeps stay 0; rq_cpu_time (ns
 * tasks ran), run_delay (ns they waited on the runqueue) and pcount (turns
 * on the CPU) come from sched_info, which always counts: the scheduler's
 * per-CPU times and its run_delay/pcount (sched/core.ts). A machine with
 * more than one CPU has one domain spanning them all (the cores of one
 * cluster or package share their cache: MC; the package level above it
 * spans the same CPUs and is dropped as degenerate).
 */

import type { Kernel } from "../kernel.js";
import { catch_up_idle } from "./core.js";

const SCHEDSTAT_VERSION = 15;
/** INITIAL_JIFFIES: (unsigned int)(-300 * HZ), so that jiffies wrap 5 minutes after boot on 32 bits. */
function initial_jiffies(hz: number): number {
  return 2 ** 32 - 300 * hz;
}

export function show_schedstat(k: Kernel): string {
  catch_up_idle(k);
  const wrap = k.profile.pointerBits === 32 ? 2 ** 32 : 2 ** 64;
  const jiffies = (initial_jiffies(k.clock.hz) + k.clock.jiffies) % wrap;
  let out = `version ${SCHEDSTAT_VERSION}\ntimestamp ${jiffies}\n`;
  const n = k.nr_cpu_ids;
  // %*pb of the domain's span: every CPU.
  const span = (2 ** n - 1).toString(16);
  for (const c of k.sched.cpus) {
    out += `cpu${c.id} 0 0 0 0 0 0 ${c.user_ns + c.busy_ns} ${c.run_delay} ${c.pcount}\n`;
    if (n > 1) out += `domain0 ${span}${" 0".repeat(3 * 8)}${" 0".repeat(12)}\n`;
  }
  return out;
}
