/*
 * ipi.ts - interrupts one CPU sends another (Linux kernel/smp.c,
 * arch/arm/kernel/smp.c smp_cross_call, arch/x86/kernel/smp.c,
 * arch/x86/mm/tlb.c native_flush_tlb_multi).
 *
 *   wakeup of a task onto another, idle CPU   ttwu_queue_wakelist: the task
 *       goes on that CPU's wake list and a function-call IPI makes it look
 *       (x86 CAL, ARM IPI3); the idle loop halts, so it does not poll
 *   a new task placed on another, idle CPU     wake_up_new_task preempts
 *       that CPU's idle task: a reschedule IPI (x86 RES, ARM IPI2)
 *   a secondary CPU starting (ARM)             boot_secondary sends it
 *       IPI_WAKEUP (IPI0), which it takes once its GIC interface is on
 *   a TLB flush of an address space another CPU is running (x86)
 *       a function-call IPI to each such CPU, which counts a TLB shootdown
 *       (reclaim batches them: once per batch of unmapped pages, or before
 *       each write-out of a page whose PTE was writable); Cortex-A9 and
 *       arm64 broadcast TLB maintenance in hardware: no IPI on ARM
 *
 * Simplified: a wakeup or new task on a busy CPU sends nothing (mmbox's
 * round-robin scheduler does not preempt on wakeup), and only the idle
 * CPU's own halting is modelled (no polling idle, no nohz kick of an idle
 * load balancer).
 *
 * On ARM the IPIs are interrupts with (hidden) descriptors and count in
 * /proc/stat's per-interrupt list; x86 counts them in irq_stat.
 */

import type { Kernel } from "../kernel.js";
import type { MmStruct } from "../mm/mm_struct.js";
import { CAL, generic_handle_irq, inc_irq_stat, RES, TLB } from "./irqdesc.js";

/** ARM's IPIs (enum ipi_msg_type of arch/arm/kernel/smp.c) and their names in /proc/interrupts. */
export const IPI_WAKEUP = 0;
export const IPI_TIMER = 1;
export const IPI_RESCHEDULE = 2;
export const IPI_CALL_FUNC = 3;
export const IPI_CPU_STOP = 4;
export const IPI_IRQ_WORK = 5;
export const IPI_COMPLETION = 6;
export const NR_IPI = 7;
export const arm_ipi_types: readonly string[] = [
  "CPU wakeup interrupts",
  "Timer broadcast interrupts",
  "Rescheduling interrupts",
  "Function call interrupts",
  "CPU stop interrupts",
  "IRQ work interrupts",
  "completion interrupts",
];

/* arm64's IPIs (arch/arm64/kernel/smp.c): another order, other names. */
export const ARM64_IPI_RESCHEDULE = 0;
export const ARM64_IPI_CALL_FUNC = 1;
export const ARM64_IPI_WAKEUP = 6;
export const arm64_ipi_types: readonly string[] = [
  "Rescheduling interrupts",
  "Function call interrupts",
  "CPU stop interrupts",
  "CPU stop (for crash dump) interrupts",
  "Timer broadcast interrupts",
  "IRQ work interrupts",
  "CPU wake-up interrupts",
];

function arm_ipi(k: Kernel, cpu: number, arm: number, arm64: number): void {
  const d = k.irq.ipi_desc[k.profile.arch === "arm" ? arm : arm64];
  if (d) generic_handle_irq(k, d, cpu);
}

/** smp_send_reschedule. */
export function smp_send_reschedule(k: Kernel, cpu: number): void {
  if (k.profile.arch === "x86_64") inc_irq_stat(k, cpu, RES);
  else arm_ipi(k, cpu, IPI_RESCHEDULE, ARM64_IPI_RESCHEDULE);
}

/** arch_send_call_function_single_ipi. */
export function send_call_function_single_ipi(k: Kernel, cpu: number): void {
  if (k.profile.arch === "x86_64") inc_irq_stat(k, cpu, CAL);
  else arm_ipi(k, cpu, IPI_CALL_FUNC, ARM64_IPI_CALL_FUNC);
}

/** arch_send_wakeup_ipi_mask for one secondary CPU (ARM's boot_secondary). */
export function arch_send_wakeup_ipi(k: Kernel, cpu: number): void {
  if (k.profile.arch === "arm") arm_ipi(k, cpu, IPI_WAKEUP, -1);
}

/** The CPU doing the current work: the running task's, else the one taking the event. */
export function this_cpu(k: Kernel): number {
  return k.sched.current ? k.cpu : k.irq.irq_cpu;
}

/**
 * native_flush_tlb_multi on x86: every other CPU that is running a task of
 * mm (not lazily, as kernel threads and the idle loop are) takes a
 * function-call IPI and flushes: a TLB shootdown.
 */
export function flush_tlb_others(k: Kernel, mm: MmStruct): void {
  if (k.profile.arch !== "x86_64" || !k.sched.current) return;
  for (const c of k.sched.cpus) if (runs_mm(k, c.id, mm)) tlb_shootdown(k, c.id);
}

function runs_mm(k: Kernel, cpu: number, mm: MmStruct): boolean {
  const t = k.sched.cpus[cpu].curr;
  return cpu !== k.cpu && t !== null && !t.is_kthread() && t.mm === mm;
}

function tlb_shootdown(k: Kernel, cpu: number): void {
  inc_irq_stat(k, cpu, CAL);
  inc_irq_stat(k, cpu, TLB);
}

/**
 * Reclaim's batched flush (mm/rmap.c, x86 arch_tlbbatch): an unmap only
 * notes the CPUs running mm; try_to_unmap_flush sends each one IPI for the
 * whole batch, and try_to_unmap_flush_dirty does so early when a PTE was
 * writable, before the page is written out.
 */
export function set_tlb_ubc_flush_pending(k: Kernel, mm: MmStruct, writable: boolean): void {
  if (k.profile.arch !== "x86_64" || !k.sched.current) return;
  const s = k.irq;
  for (let c = 0; c < k.nr_cpu_ids; c++) if (runs_mm(k, c, mm)) s.tlb_ubc_cpus[c] = 1;
  if (writable) s.tlb_ubc_writable = true;
}

export function try_to_unmap_flush(k: Kernel): void {
  const s = k.irq;
  for (let c = 0; c < k.nr_cpu_ids; c++) {
    if (!s.tlb_ubc_cpus[c]) continue;
    s.tlb_ubc_cpus[c] = 0;
    tlb_shootdown(k, c);
  }
  s.tlb_ubc_writable = false;
}

export function try_to_unmap_flush_dirty(k: Kernel): void {
  if (k.irq.tlb_ubc_writable) try_to_unmap_flush(k);
}
