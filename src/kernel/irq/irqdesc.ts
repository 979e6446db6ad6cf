/*
 * irqdesc.ts - interrupt descriptors and their per-CPU counts (Linux
 * kernel/irq/irqdesc.c, include/linux/kernel_stat.h, the irq_stat of
 * arch/x86/include/asm/hardirq.h).
 *
 * Every Linux interrupt number (virq) has a descriptor: the chip that
 * delivers it and the chip's own number for it (hwirq), its trigger, the
 * names of the handlers requested on it (the irqactions) and how many times
 * each CPU took it (kstat_irqs). Taking an interrupt bumps its count on the
 * CPU that took it and the CPU's total (kstat.irqs_sum, /proc/stat's
 * "intr"). The x86 system vectors (the local APIC timer, IPIs, machine
 * check polls...) have no descriptor: they count in the per-CPU irq_stat,
 * one counter per kind, which /proc/stat adds to the total too.
 *
 *   virq  chip     hwirq  trigger  actions       kstat_irqs[cpu]
 *    25   GIC-0     29    Level    twd           412  380  377  391
 *    31   GIC-0     37    Level    uart-pl011     57    0    0    0
 *     4   IO-APIC    4    edge     ttyS0           0   93
 *
 * Which descriptors exist and who takes them is wired in irq_init.ts; the
 * events that take them live with their subsystems (time/tick.ts, the
 * virtio disks, the serial port, the scheduler's IPIs, TLB shootdowns).
 * kernel/irq/proc.ts prints them, fs/proc/irq.ts makes /proc/irq of them.
 *
 * Affinity (irq_common_data.affinity, the effective affinity of
 * GENERIC_IRQ_EFFECTIVE_AFF_MASK): a descriptor starts with
 * irq_default_affinity (every CPU) and no effective target. request_irq's
 * irq_setup_affinity narrows it to the CPUs online then, and the chip picks
 * one target CPU of it (the GIC the first, x86's vector matrix the least
 * loaded): the CPU that takes the interrupt. Per-CPU interrupts keep the
 * default and get no target; a managed or IRQF_NOBALANCING one is bound to
 * its CPU and refuses changes from user space. Writing smp_affinity moves
 * an interrupt, as with no irqbalance running nothing else does.
 * Simplified: no irq chips' state (mask, pending).
 */

import type { Kernel } from "../kernel.js";
import { NR_SOFTIRQS } from "../softirq.js";

/** One virq: struct irq_desc with its irq_data and the names of its irqactions. */
export class IrqDesc {
  /** kstat_irqs: how many times each CPU took it. */
  readonly kstat: Float64Array;
  /** The names of the requested handlers (desc->action and its ->next chain). */
  actions: string[] = [];
  constructor(
    /** The Linux interrupt number. */
    readonly irq: number,
    /** irq_chip name ("IO-APIC", "PCI-MSI") or, for the GIC's irq_print_chip, its instance name. */
    readonly chip: string,
    /** The chip prints itself (irq_print_chip): no " %8s" padding. */
    readonly print_chip: boolean,
    /** The hwirq in the chip's domain. */
    readonly hwirq: number,
    /** Level-triggered (GENERIC_IRQ_SHOW_LEVEL prints "Level" or "Edge"). */
    readonly level: boolean,
    /** The flow handler's name (desc->name: "edge", "fasteoi" on x86), or null. */
    readonly handler_name: string | null,
    /** The CPU its interrupts are delivered to (-1: a per-CPU interrupt, each CPU its own). */
    public cpu: number,
    /** IRQ_HIDDEN: left out of /proc/interrupts (ARM's IPIs, listed by the arch instead). */
    readonly hidden: boolean,
    ncpus: number,
  ) {
    this.kstat = new Float64Array(ncpus);
  }
  /** irq_common_data.affinity: the CPUs it may go to (set by irq_init's irq_setup_affinity). */
  affinity = 0n;
  /** The effective affinity: the CPU the chip targets (0n: not started, or per-CPU). */
  effective = 0n;
  /** Managed (kernel-spread MSI vectors) or IRQF_NOBALANCING: no affinity changes from user space. */
  managed = false;
  /** irq_common_data.node (NUMA_NO_NODE, -1, for a device with no node). */
  node = 0;
  /** irq_can_set_affinity_usr: not per-CPU, not managed or unbalanced. */
  get affinity_usr(): boolean {
    return this.cpu >= 0 && !this.managed;
  }
}

/*
 * The x86 per-CPU counters of irq_stat (and mce_exception_count,
 * mce_poll_count), in /proc/interrupts' order. The enum ends in a count;
 * x86_irq_stat_names is the parallel table of labels and descriptions, and
 * X86_IN_ARCH_SUM marks those arch_irq_stat_cpu() adds to /proc/stat
 * (TLB shootdowns are function-call IPIs, already counted in CAL).
 */
export const NMI = 0;
export const LOC = 1;
export const SPU = 2;
export const PMI = 3;
export const IWI = 4;
export const RTR = 5;
export const RES = 6;
export const CAL = 7;
export const TLB = 8;
export const TRM = 9;
export const THR = 10;
export const DFR = 11;
export const MCE = 12;
export const MCP = 13;
export const PIN = 14;
export const NPI = 15;
export const PIW = 16;
export const NR_X86_IRQ_STAT = 17;

export const x86_irq_stat_names: readonly [string, string][] = [
  ["NMI", "Non-maskable interrupts"],
  ["LOC", "Local timer interrupts"],
  ["SPU", "Spurious interrupts"],
  ["PMI", "Performance monitoring interrupts"],
  ["IWI", "IRQ work interrupts"],
  ["RTR", "APIC ICR read retries"],
  ["RES", "Rescheduling interrupts"],
  ["CAL", "Function call interrupts"],
  ["TLB", "TLB shootdowns"],
  ["TRM", "Thermal event interrupts"],
  ["THR", "Threshold APIC interrupts"],
  ["DFR", "Deferred Error APIC interrupts"],
  ["MCE", "Machine check exceptions"],
  ["MCP", "Machine check polls"],
  ["PIN", "Posted-interrupt notification event"],
  ["NPI", "Nested posted-interrupt event"],
  ["PIW", "Posted-interrupt wakeup event"],
];

/** Counted by arch_irq_stat_cpu (the posted-interrupt and DFR counts are not). */
export const X86_IN_ARCH_SUM: readonly number[] = [
  NMI,
  LOC,
  SPU,
  PMI,
  IWI,
  RTR,
  RES,
  CAL,
  TRM,
  THR,
  MCE,
  MCP,
];

/** The interrupt state of the machine: the descriptors, the counters, the softirq counts. */
export class IrqState {
  /** irq_desc by virq (sparse: undefined where none was allocated). */
  descs: (IrqDesc | undefined)[] = [undefined];
  /** nr_irqs: one more than the highest virq (x86: the size arch_probe_nr_irqs chose). */
  nr_irqs = 0;
  /** kstat.irqs_sum per CPU: every descriptor's interrupts that CPU took. */
  readonly irqs_sum: Float64Array;
  /** x86 irq_stat: NR_X86_IRQ_STAT counters per CPU, cpu-major. */
  readonly irq_stat: Float64Array;
  /** irq_err_count (ERR/Err) and irq_mis_count (MIS). */
  irq_err_count = 0;
  irq_mis_count = 0;
  /** kstat.softirqs: NR_SOFTIRQS counters per CPU, cpu-major. */
  readonly softirqs: Float64Array;
  /** ARM's IPI descriptors (ipi_desc[]), by IPI number. */
  ipi_desc: IrqDesc[] = [];
  /** The per-CPU local timer (twd, arch_timer); null on x86, where LOC counts it. */
  local_timer: IrqDesc | null = null;
  /** The global timer that ticks while boot has no local timer yet (x86 IRQ 0, ARM's sp804). */
  boot_timer: IrqDesc | null = null;
  /** The console UART's interrupt. */
  uart: IrqDesc | null = null;
  /** Each virtio disk's interrupts, by probe index: its request queues' vectors (one or one per CPU). */
  virtio_queues: IrqDesc[][] = [];
  /** irq_default_affinity: every CPU until /proc/irq/default_smp_affinity says otherwise. */
  default_affinity = 0n;
  /** The CPU running interrupt context when no task runs (the CPU whose event is being handled). */
  irq_cpu = 0;
  /** Reclaim's pending TLB flush (tlbflush_unmap_batch): the CPUs to tell, and whether a PTE was writable. */
  readonly tlb_ubc_cpus: Uint8Array;
  tlb_ubc_writable = false;
  constructor(readonly ncpus: number) {
    this.tlb_ubc_cpus = new Uint8Array(ncpus);
    this.irqs_sum = new Float64Array(ncpus);
    this.irq_stat = new Float64Array(ncpus * NR_X86_IRQ_STAT);
    this.softirqs = new Float64Array(ncpus * NR_SOFTIRQS);
  }
}

/** irq_to_desc. */
export function irq_to_desc(k: Kernel, irq: number): IrqDesc | undefined {
  return k.irq.descs[irq];
}

/** Adds a descriptor at virq (irq_alloc_desc_at); nr_irqs grows to cover it (irq_expand_nr_irqs). */
export function irq_alloc_desc_at(k: Kernel, d: IrqDesc): IrqDesc {
  const s = k.irq;
  while (s.descs.length <= d.irq) s.descs.push(undefined);
  s.descs[d.irq] = d;
  if (s.nr_irqs <= d.irq) s.nr_irqs = d.irq + 1;
  return d;
}

/**
 * generic_handle_irq: the interrupt is taken on `cpu` (its own CPU for a
 * per-CPU interrupt, else the one it is routed to when cpu < 0):
 * kstat_incr_irqs_this_cpu.
 */
export function generic_handle_irq(k: Kernel, d: IrqDesc, cpu = -1): void {
  const c = cpu >= 0 ? cpu : Math.max(0, d.cpu);
  d.kstat[c]++;
  k.irq.irqs_sum[c]++;
}

/** inc_irq_stat on x86: a system vector taken on cpu. */
export function inc_irq_stat(k: Kernel, cpu: number, item: number): void {
  k.irq.irq_stat[cpu * NR_X86_IRQ_STAT + item]++;
}

export function irq_stat(k: Kernel, cpu: number, item: number): number {
  return k.irq.irq_stat[cpu * NR_X86_IRQ_STAT + item];
}

/** kstat_irqs_usr: an interrupt's count summed over the CPUs. */
export function kstat_irqs(d: IrqDesc | undefined): number {
  if (!d) return 0;
  let n = 0;
  for (const c of d.kstat) n += c;
  return n;
}

/** arch_irq_stat_cpu: x86's system vectors that /proc/stat adds to a CPU's total; 0 elsewhere. */
export function arch_irq_stat_cpu(k: Kernel, cpu: number): number {
  if (k.profile.arch !== "x86_64") return 0;
  let n = 0;
  for (const i of X86_IN_ARCH_SUM) n += irq_stat(k, cpu, i);
  return n;
}

/** arch_irq_stat: x86 adds irq_err_count. */
export function arch_irq_stat(k: Kernel): number {
  return k.profile.arch === "x86_64" ? k.irq.irq_err_count : 0;
}
