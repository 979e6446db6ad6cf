/*
 * softirqs.ts - /proc/softirqs (Linux fs/proc/softirqs.c show_softirqs):
 * each softirq's runs on each possible CPU.
 *
 *                       CPU0       CPU1          <- 20 blanks, "CPU%-8d" each
 *             HI:          0          0          <- "%12s:", " %10u" per CPU
 *          TIMER:         12          9
 *
 * The counts are kernel/softirq.ts's; /proc/stat's "softirq" line sums them.
 */

import type { Kernel } from "../../kernel.js";
import { kstat_softirqs_cpu, NR_SOFTIRQS, softirq_to_name } from "../../softirq.js";
import { mce_timer_catch_up } from "../../time/tick.js";

export function softirqs_show(k: Kernel): string {
  mce_timer_catch_up(k);
  let out = " ".repeat(20);
  for (let c = 0; c < k.nr_cpu_ids; c++) out += `CPU${String(c).padEnd(8)}`;
  out += "\n";
  for (let i = 0; i < NR_SOFTIRQS; i++) {
    out += `${softirq_to_name[i].padStart(12)}:`;
    for (let c = 0; c < k.nr_cpu_ids; c++) out += ` ${String(kstat_softirqs_cpu(k, i, c)).padStart(10)}`;
    out += "\n";
  }
  return out;
}
