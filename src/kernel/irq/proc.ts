/*
 * proc.ts - /proc/interrupts (Linux kernel/irq/proc.c show_interrupts, and
 * arch_show_interrupts of arch/arm/kernel/irq.c + smp.c show_ipi_list,
 * arch/arm64/kernel/smp.c, arch/x86/kernel/irq.c), and the interrupt and
 * softirq lines of /proc/stat (fs/proc/stat.c).
 *
 *              CPU0       CPU1                       <- prec + 8 blanks, "CPU%-8d" each
 *    0:         46          0   IO-APIC   2-edge      timer
 *   31:        122          0 GIC-0  37 Level     uart-pl011
 *   |prec|: |"%10u " per CPU| chip  |hwirq|trigger |-handler|  actions
 *
 * prec is the width of the largest interrupt number, at least 3. A
 * descriptor is listed when it has a handler or has been taken; hidden
 * ones (ARM's IPIs) are not. The chip prints " %8s" of its name, or
 * itself with no padding (the GIC's irq_print_chip). ARM and arm64 show
 * the trigger ("Level"/"Edge", GENERIC_IRQ_SHOW_LEVEL); x86 shows its flow
 * handler's name after a '-' instead. After the numbered lines come the
 * architecture's own: the IPIs and Err on ARM; the system vectors, ERR and
 * MIS on x86.
 */

import type { Kernel } from "../kernel.js";
import { kstat_softirqs_cpu, NR_SOFTIRQS } from "../softirq.js";
import { mce_timer_catch_up } from "../time/tick.js";
import { arm_ipi_types, arm64_ipi_types } from "./ipi.js";
import {
  arch_irq_stat,
  arch_irq_stat_cpu,
  irq_stat,
  kstat_irqs,
  NR_X86_IRQ_STAT,
  PIN,
  x86_irq_stat_names,
} from "./irqdesc.js";

const cnt = (n: number): string => `${String(n).padStart(10)} `;

/** show_interrupts for every descriptor, then arch_show_interrupts. */
export function interrupts_show(k: Kernel): string {
  mce_timer_catch_up(k);
  const s = k.irq;
  const cpus = k.sched.cpus.map((c) => c.id);
  let prec = 3;
  for (let j = 1000; prec < 10 && j <= s.nr_irqs; prec++) j *= 10;
  let out = " ".repeat(prec + 8);
  for (const c of cpus) out += `CPU${String(c).padEnd(8)}`;
  out += "\n";
  const show_level = k.profile.arch !== "x86_64";
  for (let i = 0; i < s.nr_irqs; i++) {
    const d = s.descs[i];
    if (!d || d.hidden) continue;
    if (d.actions.length === 0 && kstat_irqs(d) === 0) continue;
    out += `${String(i).padStart(prec)}: `;
    for (const c of cpus) out += cnt(d.kstat[c]);
    out += d.print_chip ? d.chip : ` ${d.chip.padStart(8)}`;
    out += ` ${String(d.hwirq).padStart(prec)}`;
    if (show_level) out += ` ${(d.level ? "Level" : "Edge").padEnd(8)}`;
    if (d.handler_name) out += `-${d.handler_name.padEnd(8)}`;
    if (d.actions.length) out += `  ${d.actions.join(", ")}`;
    out += "\n";
  }
  return out + arch_show_interrupts(k, prec, cpus);
}

function arch_show_interrupts(k: Kernel, prec: number, cpus: number[]): string {
  const s = k.irq;
  let out = "";
  const arch = k.profile.arch;
  if (arch === "x86_64") {
    for (let i = 0; i < NR_X86_IRQ_STAT; i++) {
      const [label, what] = x86_irq_stat_names[i];
      // ERR and MIS (one column each) come before the posted-interrupt lines.
      if (i === PIN) out += `${"ERR".padStart(prec)}: ${String(s.irq_err_count).padStart(10)}\n`;
      if (i === PIN) out += `${"MIS".padStart(prec)}: ${String(s.irq_mis_count).padStart(10)}\n`;
      out += `${label.padStart(prec)}: `;
      for (const c of cpus) out += cnt(irq_stat(k, c, i));
      out += `  ${what}\n`;
    }
    return out;
  }
  const names = arch === "arm" ? arm_ipi_types : arm64_ipi_types;
  s.ipi_desc.forEach((d, i) => {
    // arm: "%*s%u: " then " %s"; arm64: "%*s%u:%s" (a blank only when prec >= 4) then "      %s".
    out += `${"IPI".padStart(prec - 1)}${i}:${arch === "arm" || prec >= 4 ? " " : ""}`;
    for (const c of cpus) out += cnt(d.kstat[c]);
    out += `${arch === "arm" ? " " : "      "}${names[i]}\n`;
  });
  out += `${"Err".padStart(prec)}: ${String(s.irq_err_count).padStart(10)}\n`;
  return out;
}

/**
 * /proc/stat's "intr" line: the total (every CPU's irqs_sum plus the arch's
 * own counts), then each interrupt number's count, 0 to nr_irqs - 1.
 */
export function stat_intr_line(k: Kernel): string {
  mce_timer_catch_up(k);
  const s = k.irq;
  let sum = arch_irq_stat(k);
  for (let c = 0; c < k.nr_cpu_ids; c++) sum += s.irqs_sum[c] + arch_irq_stat_cpu(k, c);
  const per: string[] = [];
  for (let i = 0; i < s.nr_irqs; i++) per.push(String(kstat_irqs(s.descs[i])));
  return `intr ${sum}${per.length ? ` ${per.join(" ")}` : ""}\n`;
}

/** /proc/stat's "softirq" line: the total, then each softirq summed over the CPUs. */
export function stat_softirq_line(k: Kernel): string {
  mce_timer_catch_up(k);
  const per = new Array<number>(NR_SOFTIRQS).fill(0);
  for (let c = 0; c < k.nr_cpu_ids; c++)
    for (let i = 0; i < NR_SOFTIRQS; i++) per[i] += kstat_softirqs_cpu(k, i, c);
  const sum = per.reduce((a, b) => a + b, 0);
  return `softirq ${sum} ${per.join(" ")}\n`;
}
