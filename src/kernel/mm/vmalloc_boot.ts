/*
 * vmalloc_boot.ts - what a real boot leaves in the vmalloc windows besides
 * kernel stacks and modules: the users /proc/vmallocinfo of each reference
 * kernel lists after boot, made by the boot steps that correspond to them
 * (init_IRQ and time_init's ioremaps of the interrupt controller and
 * timers, the idle tasks' stacks, the DMA atomic pool's remap, the per-CPU
 * allocator's chunks, the zswap compressor's per-CPU buffers, the
 * console's n_tty buffer, BPF's JIT pack...). Callers are written as the
 * reference prints them ("gic_of_setup+0x38/0xf8").
 *
 * Not here: the reference's load_module areas and the virtio drivers'
 * ioremaps come from modules its initramfs loaded; mmbox boots without
 * modules (insmod makes them). The arm64 profile has no reference: it gets
 * the architecture-independent users, named as on x86_64, and its IRQ
 * stacks under init_IRQ.
 */

import type { BootState } from "../init/main.js";
import type { Kernel } from "../kernel.js";
import { thread_size } from "../sched/task_kmem.js";
import { GFP_KERNEL } from "./gfp.js";
import {
  __vmalloc_node_range,
  get_vm_area_caller,
  ioremap,
  module_alloc,
  pcpu_get_vm_areas,
  VM_DMA_COHERENT,
  VM_IOREMAP,
  VM_MAP,
  vm_area_add_early,
  vmap,
} from "./vmalloc.js";

const PAGE = 4096;

/** vmalloc(size) with a named caller. */
function vm(k: Kernel, caller: string, pages: number): void {
  const [s, e] = k.vmap.vmalloc;
  __vmalloc_node_range(k, pages * PAGE, 1, s, e, GFP_KERNEL, 0, caller);
}

function io(k: Kernel, caller: string, phys: number, size = PAGE): void {
  ioremap(k, phys, size, caller);
}

/** A per-CPU IRQ stack: vmalloc'd THREAD_SIZE on ARM and arm64, a vmap of the percpu pages on x86. */
function irq_stack(k: Kernel): void {
  const arch = k.profile.arch;
  if (arch === "x86_64") {
    const area = get_vm_area_caller(k, 4 * PAGE, VM_MAP, "irq_init_percpu_irqstack+0xf0/0x120");
    void area;
    return;
  }
  const [s, e] = k.vmap.vmalloc;
  const caller = arch === "arm" ? "start_kernel+0x550/0x748" : "init_IRQ";
  __vmalloc_node_range(k, thread_size(k), 2 * thread_size(k), s, e, GFP_KERNEL, 0, caller);
}

/**
 * Early users, in start_kernel after vmalloc_init: ARM's PCI I/O window
 * (fixed since setup_arch), the IRQ stacks, the interrupt controller and
 * timer registers.
 */
export function vmalloc_boot_early(k: Kernel): void {
  const arch = k.profile.arch;
  if (arch === "arm") {
    vm_area_add_early(k, 0xfee00000, 2 << 20, VM_IOREMAP, "pci_reserve_io+0x0/0x38");
    for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++) irq_stack(k);
    io(k, "gic_of_setup+0x38/0xf8", 0x1e001000);
    io(k, "gic_of_setup+0x50/0xf8", 0x1e000000);
    io(k, "l2x0_of_init+0x90/0x260", 0x1e00a000);
    io(k, "__sp810_of_clk_init_declare+0xc8/0x220", 0x10001000);
    io(k, "versatile_sched_clock_init+0x18/0x68", 0x10000000);
    io(k, "sp804_of_init+0x80/0x230", 0x10011000);
    io(k, "twd_local_timer_of_register+0x40/0x214", 0x1e000000);
    io(k, "vexpress_smp_dt_prepare_cpus+0x30/0x4c", 0x1e000000);
  } else if (arch === "x86_64") {
    irq_stack(k);
    // The ACPI tables SeaBIOS leaves at the top of low RAM, and the HPET.
    const lowRam = k.boot_layout.e820.filter(
      (r) => r[2] === "reserved" && r[1] <= 2 ** 32 && r[0] >= 0x100000,
    )[0]?.[1];
    if (lowRam) {
      io(k, "acpi_os_map_iomem+0x1b6/0x1d0", lowRam - 0x1f000);
      io(k, "acpi_os_map_iomem+0x1b6/0x1d0", lowRam - 0x20000, 2 * PAGE);
    }
    io(k, "hpet_enable+0xef/0x46d", 0xfed00000);
    vm(k, "gen_pool_add_owner+0x3a/0xc0", 1);
  } else for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++) irq_stack(k);
}

/** The idle tasks of the secondary CPUs (fork_idle) and, on x86, their IRQ stacks. */
export function vmalloc_boot_smp(k: Kernel): void {
  const arch = k.profile.arch;
  const caller = arch === "arm" ? "fork_idle+0x74/0xf4" : "fork_idle+0x76/0x105";
  const [s, e] = k.vmap.vmalloc;
  const align = arch === "x86_64" ? thread_size(k) : 2 * thread_size(k);
  for (let cpu = 1; cpu < k.nr_cpu_ids; cpu++) {
    __vmalloc_node_range(k, thread_size(k), align, s, e, GFP_KERNEL, 0, caller);
    if (arch === "x86_64") irq_stack(k);
  }
}

/** Users from the initcalls and device probes (after the DMA atomic pools exist). */
export function vmalloc_boot_late(k: Kernel, bs: BootState): void {
  const arch = k.profile.arch;
  const n = k.nr_cpu_ids;
  const unit = k.profile.percpuUnit;
  if (arch === "arm") {
    io(k, "vexpress_flags_set+0x68/0x90", 0x10000000);
    vm(k, "bpf_prog_alloc_no_stats+0x34/0x1b0", 1);
    const pool = bs.tables.find((t) => t.name === "DMA atomic pool");
    if (pool) {
      const pages = Array.from({ length: 1 << pool.order }, (_, i) => pool.pfn + i);
      const area = vmap(k, pages, VM_DMA_COHERENT, "dma_common_contiguous_remap+0x74/0x90");
      if (area) area.flags &= ~VM_MAP;
    }
    vm(k, "gen_pool_add_owner+0x34/0xbc", 1);
    io(k, "devm_ioremap+0x4c/0x88", 0x10000000);
    vm(k, "pcpu_create_chunk+0x16c/0x1ac", 18);
    for (let i = 0; i < 4; i++) io(k, "__devm_ioremap_resource+0x168/0x1dc", 0x10000000);
    io(k, "devm_ioremap+0x4c/0x88", 0x10017000);
    io(k, "__devm_ioremap_resource+0x168/0x1dc", 0x10009000);
    for (let cpu = 0; cpu < n; cpu++) {
      vm(k, "crypto_scomp_init_tfm+0x70/0xd8", 32);
      vm(k, "crypto_scomp_init_tfm+0xb4/0xd8", 32);
    }
    for (const phys of [0x1000a000, 0x1000b000, 0x1000c000])
      io(k, "__devm_ioremap_resource+0x168/0x1dc", phys);
    vm(k, "n_tty_open+0x18/0xa4", 3);
    io(k, "__devm_ioremap_resource+0x168/0x1dc", 0x10013000);
    io(k, "__devm_ioremap_resource+0x168/0x1dc", 0x10013000);
    pcpu_get_vm_areas(k, unit * n, "pcpu_get_vm_areas+0x0/0x1214");
    return;
  }
  vm(k, "bpf_prog_alloc_no_stats+0x31/0x1f0", 1);
  if (arch === "x86_64") {
    for (let i = 0; i < 3; i++) vm(k, "gen_pool_add_owner+0x3a/0xc0", 1);
    io(k, "acpi_os_map_iomem+0x1b6/0x1d0", 0xfed00000);
    io(k, "memremap+0x159/0x210", 0xf5000);
    vm(k, "pcpu_create_chunk+0x92/0x1b0", 2);
    vm(k, "pcpu_create_chunk+0x4e/0x1b0", 8);
    vm(k, "pcpu_create_chunk+0x75/0x1b0", 9);
    vm(k, "pcpu_create_chunk+0x167/0x1b0", 512);
  } else vm(k, "gen_pool_add_owner+0x3a/0xc0", 1);
  for (let cpu = 0; cpu < n; cpu++) {
    vm(k, "crypto_scomp_init_tfm+0x75/0xe0", 32);
    vm(k, "crypto_scomp_init_tfm+0x93/0xe0", 32);
  }
  vm(k, "n_tty_open+0x14/0xa0", 3);
  pcpu_get_vm_areas(k, unit * n, "pcpu_get_vm_areas+0x0/0x1080");
  // BPF's JIT keeps its programs in a 2 MiB pack of module memory.
  module_alloc(k, 2 << 20, "bpf_prog_pack_alloc+0x292/0x3b0");
}
