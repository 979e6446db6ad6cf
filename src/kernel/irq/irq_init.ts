/*
 * irq_init.ts - which interrupts each board has, with the numbers Linux
 * gives them (Linux init_IRQ, kernel/irq/irqdomain.c irq_create_mapping, and
 * the request_irq() of each driver that binds: sp804, smp_twd, arm_pmu,
 * rtc-pl031, amba-pl011, virtio_mmio / virtio_pci, 8250, i8042, rtc-cmos,
 * the ACPI SCI).
 *
 * vexpress-a9 (GIC-0; hwirq = GIC interrupt ID, SPIs from 32). The 16
 * legacy descriptors are preallocated; every mapping after that takes the
 * next free virq (irq_domain_alloc_descs' hint, hwirq % nr_irqs, always
 * lands below nr_irqs, where all are taken), so virqs follow the order in
 * which things map their interrupts:
 *
 *   16-23  the 8 SGIs gic_smp_init allocates, hidden; IPI0-IPI6 use 16-22
 *   24     sp804 timer01 (SPI 2)  "timer"   time_init
 *   25     twd (PPI 13), per CPU  "twd"
 *   26-29  PMU (SPI 60-63)        "arm-pmu" one per CPU, each bound to it
 *   30     pl031 (SPI 4)          "rtc-pl031"
 *   31-34  pl011 uart0-3 (SPI 5-8): the boot log's "irq = 31".."irq = 34";
 *          only ttyAMA0, the console, is opened and requests it
 *   35-36  the two pl111 CLCDs, mapped by amba_probe; their probe fails
 *   37-    virtio-mmio transports with a disk (SPI 40+n, edge) as the
 *          virtio_mmio module probes them after /init starts: "virtio0"...
 *
 * Shared interrupts go to CPU 0: the GIC targets the first CPU of an
 * interrupt's affinity mask.
 *
 * pc (IO-APIC; desc->name is the flow handler). The legacy IRQs keep their
 * ISA numbers: 0 timer (pin 2, the INT_SRC_OVR of the boot log), 1 and 12
 * i8042, 4 ttyS0, 8 rtc0, 9 acpi (fasteoi). MSI vectors start at gsi_top,
 * 24: each virtio disk has a config vector and one request-queue vector
 * per CPU, bound to that CPU (managed affinity), named virtio0-config,
 * virtio0-req.0...; their hwirq is the PCI requester ID << 11 plus the
 * vector's index (00:04.0 -> 65536). A vector for a non-managed interrupt
 * goes to the online CPU with the fewest vectors (the matrix allocator), in
 * the order the interrupts are activated: IRQ 0 before the other CPUs come
 * up, then the SCI, i8042, rtc0 and at last ttyS0 when init opens the
 * console.
 *
 * virt (arm64, GIC-0, nothing preallocated): SGIs 1-8, the four arch timer
 * PPIs 9-12 (the virtual timer, PPI 11, is the one used: virq 11), uart 13
 * (the boot log's "irq = 13"), rtc 14, then the virtio-mmio disks (SPI 16+n).
 *
 * Affinity (irq_setup_affinities): the boot timers (sp804, x86 IRQ 0) are
 * requested by time_init while CPU 0 is the only one online, so their mask
 * is CPU 0 alone; everything requested later gets every CPU. The PMU's
 * interrupts are forced to their CPU and x86's IRQ 0 is IRQF_NOBALANCING;
 * the virtio request queues' vectors are managed. NUMA kernels (pc, virt)
 * give x86's 16 legacy descriptors node 0 (early_irq_init's
 * first_online_node) and every other one the node of a device that has
 * none, NUMA_NO_NODE.
 */

import { virtio_disks } from "../block/virtio_blk.js";
import type { Kernel } from "../kernel.js";
import { NR_IPI } from "./ipi.js";
import { IrqDesc, irq_alloc_desc_at } from "./irqdesc.js";

const PER_CPU = -1;

/** Builds the machine's interrupt descriptors (the state after all drivers requested theirs). */
export function irq_init(k: Kernel): void {
  const arch = k.profile.arch;
  if (arch === "x86_64") x86_irqs(k);
  else gic_irqs(k, arch === "arm");
  irq_setup_affinities(k);
}

/**
 * The affinity each descriptor has after boot: irq_default_affinity, then
 * for a requested one irq_setup_affinity (the online CPUs) and the chip's
 * one target, the CPU it was routed to.
 */
function irq_setup_affinities(k: Kernel): void {
  const s = k.irq;
  const all = (1n << BigInt(k.nr_cpu_ids)) - 1n;
  s.default_affinity = all;
  for (const d of s.descs) {
    if (!d) continue;
    d.affinity = all;
    d.node = !k.cfg.NUMA || (k.profile.arch === "x86_64" && d.irq < 16) ? 0 : -1;
    if (d.cpu < 0 || d.actions.length === 0) continue;
    d.effective = 1n << BigInt(d.cpu);
    if (d === s.boot_timer || d.managed) d.affinity = d.effective;
  }
}

function gic(
  k: Kernel,
  irq: number,
  hwirq: number,
  level: boolean,
  cpu: number,
  action: string | null,
): IrqDesc {
  const d = irq_alloc_desc_at(
    k,
    new IrqDesc(irq, "GIC-0", true, hwirq, level, null, cpu, false, k.nr_cpu_ids),
  );
  if (action) d.actions.push(action);
  return d;
}

function gic_irqs(k: Kernel, vexpress: boolean): void {
  const s = k.irq;
  const n = k.nr_cpu_ids;
  // The SGIs: hidden, per CPU; ARM lists them as IPI0-IPI6, arm64 as IPI0-IPI6 in its own order.
  const sgi_base = vexpress ? 16 : 1;
  if (vexpress) s.nr_irqs = 16;
  for (let i = 0; i < 8; i++) {
    const d = new IrqDesc(sgi_base + i, "GIC-0", true, i, false, null, PER_CPU, true, n);
    irq_alloc_desc_at(k, d);
    if (i < NR_IPI) {
      d.actions.push("IPI");
      s.ipi_desc.push(d);
    }
  }
  let next: number;
  if (vexpress) {
    s.boot_timer = gic(k, 24, 34, true, 0, "timer");
    s.local_timer = gic(k, 25, 29, true, PER_CPU, "twd");
    // armpmu_request_irq: IRQF_NOBALANCING, then irq_force_affinity to its CPU.
    for (let i = 0; i < 4; i++) gic(k, 26 + i, 92 + i, true, i, i < n ? "arm-pmu" : null).managed = i < n;
    gic(k, 30, 36, true, 0, "rtc-pl031");
    for (let i = 0; i < 4; i++) {
      const d = gic(k, 31 + i, 37 + i, true, 0, null);
      if (k.profile.console === `ttyAMA${i}`) {
        d.actions.push("uart-pl011");
        s.uart = d;
      }
    }
    gic(k, 35, 46, true, 0, null);
    gic(k, 36, 76, true, 0, null);
    next = 37;
  } else {
    s.nr_irqs = 64;
    // The four timer PPIs: secure and non-secure physical, virtual, hypervisor.
    const ppis = [29, 30, 27, 26];
    for (let i = 0; i < 4; i++) {
      const d = gic(k, 9 + i, ppis[i], true, PER_CPU, ppis[i] === 27 ? "arch_timer" : null);
      if (ppis[i] === 27) s.local_timer = d;
    }
    s.uart = gic(k, 13, 33, true, 0, "uart-pl011");
    gic(k, 14, 34, true, 0, "rtc-pl031");
    next = 15;
  }
  for (const [i, disk] of virtio_disks(k).entries()) {
    const hwirq = vexpress ? 72 + disk.slot : 48 + disk.slot;
    s.virtio_queues.push([gic(k, next++, hwirq, false, 0, `virtio${i}`)]);
  }
}

function ioapic(k: Kernel, irq: number, pin: number, flow: string, cpu: number, action: string): IrqDesc {
  const d = new IrqDesc(irq, "IO-APIC", false, pin, false, flow, cpu, false, k.nr_cpu_ids);
  d.actions.push(action);
  return irq_alloc_desc_at(k, d);
}

function x86_irqs(k: Kernel): void {
  const s = k.irq;
  const n = k.nr_cpu_ids;
  // The matrix allocator: each activation takes the online CPU with the fewest vectors.
  const used = new Array<number>(n).fill(0);
  const best = (): number => {
    let c = 0;
    for (let i = 1; i < n; i++) if (used[i] < used[c]) c = i;
    used[c]++;
    return c;
  };
  used[0]++;
  s.boot_timer = ioapic(k, 0, 2, "edge", 0, "timer");
  s.boot_timer.managed = true; // setup_default_timer_irq: IRQF_NOBALANCING
  ioapic(k, 9, 9, "fasteoi", best(), "acpi");
  ioapic(k, 1, 1, "edge", best(), "i8042");
  ioapic(k, 12, 12, "edge", best(), "i8042");
  ioapic(k, 8, 8, "edge", best(), "rtc0");
  s.uart = ioapic(k, 4, 4, "edge", best(), "ttyS0");
  let virq = 24;
  for (const [i, disk] of virtio_disks(k).entries()) {
    const base = (disk.slot << 3) << 11;
    const msi = (idx: number, cpu: number, name: string): IrqDesc => {
      const d = new IrqDesc(virq++, "PCI-MSI", false, base + idx, false, "edge", cpu, false, n);
      d.actions.push(name);
      return irq_alloc_desc_at(k, d);
    };
    msi(0, best(), `virtio${i}-config`);
    const queues: IrqDesc[] = [];
    // The request queues' vectors are spread over the CPUs by the kernel: managed.
    for (let q = 0; q < n; q++) {
      const d = msi(1 + q, q, `virtio${i}-req.${q}`);
      d.managed = true;
      queues.push(d);
    }
    s.virtio_queues.push(queues);
  }
  // The other legacy IRQs have descriptors from early_irq_init (the 8259's, then the
  // IO-APIC's pins), with no handler: they are in /proc/irq, not in /proc/interrupts.
  for (let irq = 0; irq < 16; irq++)
    if (!s.descs[irq])
      irq_alloc_desc_at(k, new IrqDesc(irq, "IO-APIC", false, irq, false, "edge", 0, false, n));
  // arch_probe_nr_irqs: the GSIs, the legacy IRQs and 8 per CPU, plus 16 MSIs per GSI, at most 256 per CPU.
  s.nr_irqs = Math.min(256 * n, 24 + 16 + 8 * n + 24 * 16);
}
