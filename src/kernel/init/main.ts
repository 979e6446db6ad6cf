/*
 * main.ts - start_kernel: from power-on to the first user process (Linux
 * init/main.c).
 *
 * The boot log follows a template taken from a real 6.1 boot of the same
 * machine (bootlog_data.ts): the lines mmbox has nothing to compute are
 * printed as they are, at the simulated time the real boot reached them;
 * every line about memory, CPUs, hashes and the command line is produced
 * here by the code that does the work, in the order start_kernel does it.
 */

import { Clock } from "../../hw/clock.js";
import type { DiskImage } from "../../hw/disk.js";
import { TlbSet } from "../../hw/mmu.js";
import type { MachineProfile } from "../../hw/profiles.js";
import { Prng } from "../../lib/prng.js";
import { sprintf } from "../../lib/sprintf.js";
import { acpi_reserve_line, acpi_table_line } from "../arch/pc_acpi.js";
import { pci_window_line } from "../arch/pc_layout.js";
import { block_dev_init } from "../block/init.js";
import { pc_io_after_virtio, virtio_pci_lines } from "../block/virtio_blk.js";
import { misc_init } from "../drivers/misc.js";
import { UartPort } from "../drivers/serial.js";
import { TtyStruct } from "../drivers/tty.js";
import { chrdev_init } from "../fs/char_dev.js";
import { devtmpfs_init } from "../fs/devtmpfs.js";
import { proc_pid_mm_entries, task_mem, task_stat_mem } from "../fs/proc/task_mmu.js";
import { VfsState } from "../fs/super.js";
import { arch_send_wakeup_ipi } from "../irq/ipi.js";
import { irq_init } from "../irq/irq_init.js";
import { IrqState } from "../irq/irqdesc.js";
import type { CurrentTask, Kernel, MmHooks, ZoneTypes } from "../kernel.js";
import { setBugSink } from "../lib/bug.js";
import { KERN_DEBUG, KERN_INFO, KERN_WARNING, Printk } from "../lib/printk.js";
import { object_array } from "../lib/shapes.js";
import { __GFP_ZERO, GFP_ATOMIC, GFP_DMA, GFP_DMA32, GFP_KERNEL } from "../mm/gfp.js";
import { hugetlb_boot } from "../mm/hugetlb.js";
import { Memblock } from "../mm/memblock.js";
import {
  cma_init_reserved_areas,
  compute_first_deferred_pfn,
  deferred_init_memmap,
  free_area_init,
  free_reserved_area,
  mem_init_print_info,
  memblock_free_all,
  phys,
} from "../mm/mm_init.js";
import { MemMap } from "../mm/mm_types.js";
import {
  oom_should_wait,
  oom_state_init,
  out_of_memory,
  pagefault_out_of_memory,
  proc_oom_score,
} from "../mm/oom_kill.js";
import { alloc_pages, build_all_zonelists, PAGE_SIZE } from "../mm/page_alloc.js";
import { WbState } from "../mm/page_writeback.js";
import { pcpu_dump_alloc_info } from "../mm/percpu.js";
import { pfn_map_init } from "../mm/pfn_map.js";
import { do_swap_page, dup_swap_entry, free_swap_entries } from "../mm/swap_state.js";
import { swap_init } from "../mm/swapfile.js";
import { default_vm_sysctl } from "../mm/sysctl_vm.js";
import { NR_VM_EVENT_ITEMS } from "../mm/vm_event_item.js";
import { try_to_free_pages, wakeup_kswapd } from "../mm/vmscan.js";
import {
  init_per_zone_wmark_min,
  nr_free_buffer_pages,
  set_recommended_min_free_kbytes,
  setup_per_cpu_pageset,
  vm_total_pages,
} from "../mm/watermark.js";
import { SchedState, wake_up } from "../sched/core.js";
import { fork_init } from "../sched/fork.js";
import { psi_init } from "../sched/psi.js";
import { WaitQueue } from "../sched/task.js";
import { workqueue_init_early } from "../sched/workqueue.js";
import { KeyState, key_boot_line } from "../security/keys/key.js";
import { dispatch } from "../syscalls.js";
import { mce_cpu_init, TickState, tick_boot_line, tick_sched_domains } from "../time/tick.js";
import { ARM_BOOT, type BootStep, X86_BOOT } from "./bootlog_data.js";
import { VIRT_BOOT } from "./bootlog_virt.js";
import { alloc_large_system_hash, HASH_EARLY, hash_tables } from "./hashes.js";
import { init_args, vfs_init } from "./kernel_init.js";
import { kmem_driver_init, kmem_fields, kmem_init, kmem_late_init, kmem_smp_init } from "./kmem_init.js";
import { kernel_layout_lines, kernel_sections } from "./layout.js";
import { hex16, type SetupResult, setup_arch } from "./setup.js";

export interface BootOptions {
  profile: MachineProfile;
  memBytes: number;
  smp: number;
  /** Extra kernel command line (--append). */
  append: string;
  seed: number;
  /** Seconds since the epoch the RTC reads at power-on. */
  rtcBase: number;
  numaNodes: number;
  /** Bytes of the initramfs image (the packed rootfs); 0 when the boot loader hands none. */
  initrdBytes: number;
  /** Virtio disks (--disk), in command-line order. */
  disks?: readonly DiskImage[];
  /** The root filesystem's disk (root=/dev/vda): an ext2 image of rootfs/. */
  rootDisk?: DiskImage;
}

/** Kernel parameters mmbox understands; the rest is passed to init as Linux does. */
const KNOWN_PARAMS = new Set([
  "console",
  "mem",
  "cma",
  "loglevel",
  "quiet",
  "debug",
  "debug_vm",
  "panic",
  "init",
  "rdinit",
  "root",
  "rootfstype",
  "rootflags",
  "rootwait",
  "rootdelay",
  "ro",
  "rw",
  "slub_debug",
  "transparent_hugepage",
  "hugepages",
  "vm.swappiness",
  "vm.min_free_kbytes",
  "vm.watermark_scale_factor",
  "vm.overcommit_memory",
  "vm.overcommit_ratio",
  "vm.dirty_ratio",
  "vm.dirty_background_ratio",
  "vm.vfs_cache_pressure",
  "vm.panic_on_oom",
]);

/**
 * unknown_bootoption: a parameter the kernel leaves to init - not one it
 * knows, and not a module's (a dotted name). Boot names them in its
 * "Unknown kernel command line parameters" line; init gets them.
 */
export function unknown_bootoption(key: string): boolean {
  return !KNOWN_PARAMS.has(key) && !key.includes(".");
}

/** Parses "a=b c d=e" into a map (a bare word maps to ""). */
export function parse_cmdline(cmdline: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of cmdline.split(/\s+/).filter(Boolean)) {
    const i = w.indexOf("=");
    if (i < 0) m.set(w, "");
    else m.set(w.slice(0, i), w.slice(i + 1));
  }
  return m;
}

/** current_task's answer outside any task (the idle task of boot and interrupts): one object, not one per call. */
const SWAPPER: CurrentTask = { comm: "swapper/0", pid: 0, pf_memalloc: false, oom_victim: false };

/*
 * The hooks before the subsystems behind them exist: no kswapd to wake, no
 * reclaim or compaction to try, no OOM killer, no slab to shrink, no process
 * address spaces. Each later subsystem replaces its hook at boot.
 */
const BASE_HOOKS: MmHooks = {
  wakeup_kswapd,
  try_to_free_pages,
  try_to_compact_pages: () => 1, // COMPACT_SKIPPED
  out_of_memory,
  oom_should_wait,
  current_task: (k) => k.sched.current ?? SWAPPER,
  do_swap_page,
  free_swap_entries,
  dup_swap_entry,
  pagefault_out_of_memory,
  drop_slab: () => {},
  compact_nodes: () => {},
  set_nr_hugepages: () => {},
  proc_task_mem: task_mem,
  proc_task_stat: task_stat_mem,
  proc_pid_mm_entries,
  oom_score: proc_oom_score,
};

function zone_types(names: readonly string[]): ZoneTypes {
  const idx = (n: string): number => names.indexOf(n);
  return {
    ZONE_DMA: idx("DMA"),
    ZONE_DMA32: idx("DMA32"),
    ZONE_NORMAL: idx("Normal"),
    ZONE_HIGHMEM: idx("HighMem"),
    ZONE_MOVABLE: idx("Movable"),
    ZONE_DEVICE: idx("Device"),
    MAX_NR_ZONES: names.length,
  };
}

/*
 * The Kernel object is built by a constructor, not an object literal: V8
 * makes a literal's boilerplate the second time the literal runs, and that
 * generalizes the type of every object-valued field, deoptimizing all the
 * optimized code that relied on them (most of mm) when a second machine is
 * made in the same process. A constructor's stores keep the field types.
 */
type Writable<T> = { -readonly [K in keyof T]: T[K] };
// The class's instance type, merged with it: Kernel's fields, assigned in the constructor.
// biome-ignore lint/correctness/noUnusedVariables: merged with the class below
interface KernelObject extends Writable<Kernel> {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the class only assigns the interface's fields
class KernelObject {
  constructor(o: BootOptions, p: MachineProfile, clock: Clock, cmdline: string) {
    this.profile = p;
    this.cfg = p.config;
    // clock, mm_stat, sched and psi change shape during a machine's life (a number outgrowing
    // a small integer gives them a new map, and the field forgets the old one): a null stored
    // first makes their fields' type generic from the first machine on, so that the next
    // machine's objects deoptimize nothing (the 2nd memhog 2G run of a process ~860 -> ~725 ms).
    this.clock = null as never;
    this.clock = clock;
    this.printk = new Printk(() => clock.ns);
    this.prng = new Prng(o.seed);
    this.nr_cpu_ids = o.smp;
    this.hw_disks = o.disks ?? [];
    this.hw_root_disk = o.rootDisk ?? null;
    this.saved_command_line = cmdline;
    this.params = parse_cmdline(cmdline);
    this.MAX_ORDER = p.maxOrder;
    this.pageblock_order = p.pageblockOrder;
    this.pageblock_nr_pages = 1 << p.pageblockOrder;
    this.zt = zone_types(p.zones);
    this.mem = new MemMap(1, p.pageblockOrder);
    this.memblock = new Memblock();
    this.nodes = [];
    this.zones = [];
    this.tlb_set = new TlbSet(o.smp);
    this.tlb = this.tlb_set.cpus;
    this.zonelists = [];
    this.preferred_zones = [];
    this.alloc_contexts = object_array(); // (starts with objects' elements kind: lib/shapes.ts)
    this.alloc_depth = 0;
    this.cpu = 0;
    this.totalram_pages = 0;
    this.max_threads = 0;
    this.totalreserve_pages = 0;
    this.totalcma_pages = 0;
    this.vm_events = new Float64Array(NR_VM_EVENT_ITEMS);
    this.sysctl_vm = default_vm_sysctl(p.zones.length, p.zones, p.pointerBits === 32 ? 8 : 28);
    this.mm_stat = null as never;
    this.mm_stat = {
      vm_committed_as: 0,
      nr_vmalloc_pages: 0,
      nr_blockdev_pages: 0,
      pcpu_nr_pages: 0,
      total_swap_pages: 0,
      nr_swap_pages: 0,
      hugetlb_total: [],
      hugetlb_free: [],
    };
    this.mappings = [];
    this.anon_vmas = [];
    this.zero_pfn = -1;
    this.nr_mms = 0;
    this.asid = { generation: 0, next: 1 };
    this.pagedata = new Map();
    this.mm_hooks = { ...BASE_HOOKS };
    this.boot = null;
    this.sched = null as never;
    this.sched = new SchedState(o.smp);
    this.irq = new IrqState(o.smp);
    this.keys = new KeyState(o.seed);
    this.tick = new TickState(o.smp);
    this.psi = null as never;
    this.psi = psi_init(clock.ns, p.hz);
    this.wb = new WbState();
    this.oom = oom_state_init();
    this.vfs = new VfsState();
    this.binfmt = new Map();
    this.poll_wait = new WaitQueue();
    // wake_up_klogd: the readers of syslog(SYSLOG_ACTION_READ) and /proc/kmsg, and its pollers.
    this.printk.wake_up_klogd = () => wake_up(this, this.printk.log_wait);
    this.console = new TtyStruct(p.console);
    this.utsname = { nodename: "(none)" };
    this.panic_timeout = 0;
    this.randomize_va_space = 2;
    this.drop_caches_stfu = false;
    this.proc_extra = [];
    this.debugfs_extra = [];
    this.sysfs_mm = [];
    this.boot_layout = { text_start: 0, e820: [], max_low_pfn: 0 };
    this.init_fs = null;
    this.devtmpfs_sb = null;
    this.kthread_wq = new Map();
    // The same null first as clock's: the second machine's workqueue state has another map than
    // the first one's had when its field type was recorded, which deoptimized run_cpu_step,
    // queue_work and account_io as that machine was made (node --trace-deopt-verbose).
    this.wq = null as never;
    this.wq = workqueue_init_early(o.smp);
    const kmem = kmem_fields();
    this.slab = kmem.slab;
    this.vmap = kmem.vmap;
    this.pkmap = kmem.pkmap;
    this.modules = kmem.modules;
    this.shrinker_list = kmem.shrinker_list;
    this.tainted_mask = kmem.tainted_mask;
  }
}

/** Creates the Kernel object with every global at its pre-boot value. */
export function alloc_kernel(o: BootOptions): Kernel {
  const p = o.profile;
  const clock = new Clock(o.rtcBase, p.hz);
  const cmdline = `console=${p.console}${o.append ? ` ${o.append}` : ""}`;
  const k: Kernel = new KernelObject(o, p, clock, cmdline);
  k.sched.dispatch = dispatch;
  if (k.params.has("norandmaps")) k.randomize_va_space = 0;
  const panicParam = k.params.get("panic");
  if (panicParam !== undefined && /^-?\d+$/.test(panicParam)) k.panic_timeout = Number(panicParam);
  const loglevel = k.params.get("loglevel");
  if (k.params.has("quiet")) k.printk.console_loglevel = 4;
  if (loglevel !== undefined && /^\d+$/.test(loglevel))
    k.printk.console_loglevel = Math.min(15, Number(loglevel));
  return k;
}

/** What start_kernel leaves behind for the rest of boot (rest_init). */
export interface BootState {
  setup: SetupResult;
  /** Boot steps not run yet (from @initramfs on, run by kernel_init). */
  remaining: readonly BootStep[];
  /** Pages allocated at boot for kernel tables (hashes, DMA pools...). */
  tables: { name: string; pfn: number; order: number }[];
  /** The block devices have probed (early when the root is on a disk). */
  block_probed: boolean;
  /** What runs as init ("Run /init as init process"). */
  init_path: string;
}

/** Did the boot loader hand the kernel an initramfs? */
export function has_initrd(bs: BootState): boolean {
  return bs.setup.initrd[1] > bs.setup.initrd[0];
}

function info(k: Kernel, s: string): void {
  k.printk.printk(KERN_INFO, s);
}

/** A fixed line of the boot template: KERN_INFO, or KERN_DEBUG when it starts with "<7>" (dmesg only). */
export function boot_line(k: Kernel, text: string): void {
  if (text.startsWith("<7>")) k.printk.printk(KERN_DEBUG, text.slice(3));
  else info(k, text);
  tick_boot_line(k, text);
  key_boot_line(k.keys, text);
}

function template(p: MachineProfile): readonly BootStep[] {
  return p.arch === "arm" ? ARM_BOOT : p.arch === "x86_64" ? X86_BOOT : VIRT_BOOT;
}

/**
 * start_kernel: everything up to "Run /init as init process". Returns with
 * the buddy allocator live and the boot state for kernel_init; the caller
 * (sched/ and fs/) continue with the steps in BootState.remaining.
 */
export function start_kernel(k: Kernel, o: BootOptions): BootState {
  setBugSink({
    emerg: (s) => k.printk.printk(0, s),
    warn: (s) => k.printk.printk(KERN_WARNING, s),
  });
  const setup = setup_arch(k, o.memBytes, o.initrdBytes, k.params, o.numaNodes);
  const st = setup.st;
  k.boot_layout = { text_start: setup.text_start, e820: setup.e820, max_low_pfn: st.max_low_pfn };
  // empty_zero_page: one page-aligned page of the kernel's bss, reserved for good.
  k.zero_pfn = Math.ceil(kernel_sections(k.profile, setup.text_start).bss_start / 4096);
  irq_init(k);
  chrdev_init(k);
  misc_init(k);
  if (k.irq.uart) k.console.port = new UartPort(k, k.irq.uart, k.profile.arch === "x86_64");
  const steps = template(k.profile);
  const bs: BootState = { setup, remaining: [], tables: [], block_probed: false, init_path: "/init" };
  for (let i = 0; i < steps.length; i++) {
    const [text, us] = steps[i];
    k.clock.advance(us * 1000);
    if (text === "@initramfs") {
      bs.remaining = steps.slice(i);
      break;
    }
    if (!text.startsWith("@")) {
      boot_line(k, text);
      continue;
    }
    boot_step(k, bs, text);
  }
  k.boot = bs;
  void st;
  return bs;
}

/** Runs one computed boot step (a "@marker" of the template). */
export function boot_step(k: Kernel, bs: BootState, marker: string): void {
  const p = k.profile;
  const setup = bs.setup;
  const st = setup.st;
  const n = k.nr_cpu_ids;
  switch (marker) {
    case "@banner":
      info(k, linux_banner(k));
      return;
    case "@x86_cmdline":
      info(k, `Command line: ${k.saved_command_line}`);
      return;
    case "@e820":
      info(k, "BIOS-provided physical RAM map:");
      for (const [s, e, t] of setup.e820) info(k, `BIOS-e820: [mem ${hex16(s)}-${hex16(e - 1)}] ${t}`);
      return;
    case "@last_pfn":
      info(
        k,
        `last_pfn = 0x${Math.floor((setup.e820.filter((r) => r[2] === "usable" && r[1] <= 4 * 2 ** 30).pop()?.[1] ?? 0) / PAGE_SIZE).toString(16)} max_arch_pfn = 0x400000000`,
      );
      return;
    case "@ramdisk":
      if (!has_initrd(bs)) return;
      info(k, `RAMDISK: [mem ${hex8(setup.initrd[0])}-${hex8(setup.initrd[1] - 1)}]`);
      return;
    case "@numa": {
      if (k.nodes.length > 1 || o_numa(k) > 1) return;
      const last = k.memblock.memory[k.memblock.memory.length - 1];
      info(k, "No NUMA configuration found");
      info(k, `Faking a node at [mem ${hex16(0)}-${hex16(last.base + last.size - 1)}]`);
      const nd = k.memblock.reserved.find((r) => r.name === "NODE_DATA");
      if (nd) info(k, `NODE_DATA(0) allocated [mem ${hex8(nd.base)}-${hex8(nd.base + nd.size - 1)}]`);
      return;
    }
    case "@cma": {
      const line = setup.log.get("@cma");
      if (line) info(k, line);
      return;
    }
    case "@free_area_init":
      free_area_init(k, st);
      compute_first_deferred_pfn(k);
      return;
    case "@ram_buffers":
      // e820__reserve_resources_late: the tail of each RAM range up to its alignment (64 KiB
      // below 1 MiB, 1 MiB below 16 MiB, 64 MiB above) is reserved as a "RAM buffer".
      for (const [, end, type] of setup.e820) {
        if (type !== "usable") continue;
        const mb = Math.floor(end / 2 ** 20);
        const align = mb === 0 ? 64 * 1024 : mb < 16 ? 2 ** 20 : 64 * 2 ** 20;
        const last = Math.ceil(end / align) * align - 1;
        if (end < last)
          k.printk.printk(KERN_DEBUG, `e820: reserve RAM buffer [mem ${hex8(end)}-${hex8(last)}]`);
      }
      return;
    case "@pci_gap": {
      const lowEnd = setup.e820.filter((r) => r[1] <= 2 ** 32).reduce((m, r) => Math.max(m, r[1]), 0);
      info(k, `[mem ${hex8(lowEnd)}-0xfffbffff] available for PCI devices`);
      return;
    }
    case "@nosave":
      info(k, "PM: hibernation: Registered nosave memory: [mem 0x00000000-0x00000fff]");
      info(k, "PM: hibernation: Registered nosave memory: [mem 0x0009f000-0x000fffff]");
      return;
    case "@smpboot_allowing":
      info(k, `smpboot: Allowing ${n} CPUs, 0 hotplug CPUs`);
      return;
    case "@setup_percpu":
      info(
        k,
        `setup_percpu: NR_CPUS:8192 nr_cpumask_bits:${n} nr_cpu_ids:${n} nr_node_ids:${k.nodes.length}`,
      );
      return;
    case "@percpu":
      for (let cpu = 0; cpu < n; cpu++)
        k.memblock.memblock_alloc(p.percpuPages * PAGE_SIZE, PAGE_SIZE, `percpu cpu${cpu}`);
      info(
        k,
        `percpu: Embedded ${p.percpuPages} pages/cpu s${p.percpuStatic} r${p.percpuReserved} d${p.percpuDynamic} u${p.percpuUnit}`,
      );
      pcpu_dump_alloc_info(k, n);
      return;
    case "@fallback_order":
      for (const pgdat of k.nodes)
        info(k, `Fallback order for Node ${pgdat.node_id}: ${k.nodes.map((x) => x.node_id).join(" ")} `);
      return;
    case "@zonelists":
      build_all_zonelists(k);
      info(k, `Built ${k.nodes.length} zonelists, mobility grouping on.  Total pages: ${vm_total_pages(k)}`);
      if (k.cfg.NUMA) {
        const top = [...k.zones].reverse().find((z) => z.present_pages && z.zone_idx <= k.zt.ZONE_NORMAL);
        info(k, `Policy zone: ${top?.name ?? "Normal"}`);
      }
      return;
    case "@cmdline": {
      info(k, `Kernel command line: ${k.saved_command_line}`);
      const unknown = [...k.params.entries()].filter(([key]) => unknown_bootoption(key));
      if (unknown.length)
        info(
          k,
          `Unknown kernel command line parameters "${unknown.map(([a, b]) => (b === "" ? a : `${a}=${b}`)).join(" ")}", will be passed to user space.`,
        );
      return;
    }
    case "@vfs_caches_init_early":
      for (const h of hash_tables(k, st).filter((t) => t.flags & HASH_EARLY))
        alloc_large_system_hash(k, st, h, bs);
      return;
    case "@mem_init":
      memblock_free_all(k, st);
      if (p.arch === "x86_64") {
        // preallocate_vmalloc_pages: one PUD page per PGD slot of the vmalloc area.
        for (let i = 0; i < 65; i++) {
          const pfn = alloc_pages(k, GFP_KERNEL | __GFP_ZERO, 0);
          if (pfn >= 0) bs.tables.push({ name: "vmalloc page tables", pfn, order: 0 });
        }
      }
      mem_init_print_info(k);
      fork_init(k);
      if (k.params.has("debug") && k.profile.arch === "arm")
        for (const l of kernel_layout_lines(k)) k.printk.printk(5, l);
      setup_per_cpu_pageset(k);
      pfn_map_init(k);
      return;
    case "@slub":
      kmem_init(k);
      return;
    case "@rcu_cpus":
      info(k, `rcu: \tRCU restricting CPUs from NR_CPUS=${p.arch === "arm" ? 8 : 8192} to nr_cpu_ids=${n}.`);
      return;
    case "@rcu_geometry":
      info(k, `rcu: Adjusting geometry for rcu_fanout_leaf=16, nr_cpu_ids=${n}`);
      return;
    case "@cblist": {
      const shift = Math.max(0, Math.floor(Math.log2(n)));
      info(k, "cblist_init_generic: Setting adjustable number of callback queues.");
      info(
        k,
        `cblist_init_generic: Setting shift to ${shift} and lim to 1${p.arch === "x86_64" ? ` rcu_task_cpu_ids=${n}` : ""}.`,
      );
      return;
    }
    case "@mnt_init":
      for (const h of hash_tables(k, st).filter((t) => t.site === "mnt_init"))
        alloc_large_system_hash(k, st, h, bs);
      vfs_init(k);
      return;
    case "@devtmpfs":
      k.devtmpfs_sb = devtmpfs_init(k, k.console);
      info(k, "devtmpfs: initialized");
      kmem_driver_init(k);
      return;
    case "@nr_irqs":
      // early_irq_init on x86: arch_probe_nr_irqs sized nr_irqs by the CPUs (irq/irq_init.ts).
      info(k, `NR_IRQS: 524544, nr_irqs: ${k.irq.nr_irqs}, preallocated irqs: 16`);
      return;
    case "@smp":
      smp_init(k);
      tick_sched_domains(k);
      kmem_smp_init(k);
      return;
    case "@deferred":
      deferred_init_memmap(k);
      return;
    case "@futex":
      // core_initcalls: CMA areas activate before futex_init runs.
      cma_init_reserved_areas(k, st);
      build_all_zonelists(k);
      for (const h of hash_tables(k, st).filter((t) => t.site === "futex_init"))
        alloc_large_system_hash(k, st, h, bs);
      return;
    case "@dma_pools":
      // postcore_initcalls: watermarks, then the atomic DMA pools.
      init_per_zone_wmark_min(k);
      dma_pools(k, bs);
      kmem_late_init(k, bs);
      return;
    case "@audit":
      if (p.arch === "x86_64")
        info(
          k,
          `audit: type=2000 audit(${k.clock.realtime.toFixed(3)}:1): state=initialized audit_enabled=0 res=1`,
        );
      else
        info(
          k,
          `audit: type=2000 audit(${(k.clock.ns / 1e9).toFixed(3)}:1): state=initialized audit_enabled=0 res=1`,
        );
      return;
    case "@hugetlb":
      hugetlb_boot(
        k,
        (s) => info(k, s),
        (s) => k.printk.printk(KERN_WARNING, s),
      );
      info(k, "HugeTLB: 28 KiB vmemmap can be freed for a 2.00 MiB page");
      if (k.cfg.TRANSPARENT_HUGEPAGE) set_recommended_min_free_kbytes(k);
      return;
    case "@dquot": {
      const pfn = alloc_pages(k, GFP_KERNEL, 0);
      if (pfn >= 0) bs.tables.push({ name: "dquot hash", pfn, order: 0 });
      const entries = PAGE_SIZE / (p.pointerBits / 8);
      info(k, `VFS: Dquot-cache hash table entries: ${entries} (order 0, 4096 bytes)`);
      return;
    }
    case "@net_hashes":
      for (const h of hash_tables(k, st).filter((t) => t.site === "net"))
        alloc_large_system_hash(k, st, h, bs);
      return;
    case "@workingset": {
      const max_order = 32 - Math.clz32(Math.max(1, k.totalram_pages - 1));
      const bits = p.pointerBits === 32 ? 14 : 36;
      info(
        k,
        `workingset: timestamp_bits=${bits} max_order=${max_order} bucket_order=${Math.max(0, max_order - bits)}`,
      );
      return;
    }
    case "@free_initrd":
      if (!has_initrd(bs)) return;
      free_reserved_area(k, setup.initrd[0], setup.initrd[1], "initrd");
      return;
    case "@free_smp_alternatives": {
      const part = setup.freed_later.find(([m]) => m.includes("SMP alternatives"));
      if (part) free_part(k, part);
      return;
    }
    case "@rtc": {
      const t = Math.floor(k.clock.realtime);
      const iso = new Date(t * 1000).toISOString().slice(0, 19);
      const dev =
        p.arch === "x86_64"
          ? "rtc_cmos 00:05"
          : p.arch === "arm"
            ? "rtc-pl031 10017000.rtc"
            : "rtc-pl031 9010000.pl031";
      info(k, `${dev}: setting system clock to ${iso} UTC (${t})`);
      return;
    }
    case "@free_initmem":
      free_initmem(k, setup);
      return;
    case "@run_init":
      info(k, `Run ${bs.init_path} as init process`);
      {
        // run_init_process's pr_debug lines: in dmesg, not on the console
        const { argv, envp } = init_args(k);
        argv[0] = bs.init_path;
        const dbg = (t: string): void => k.printk.printk(KERN_DEBUG, t);
        dbg("  with arguments:");
        for (const a of argv) dbg(`    ${a}`);
        dbg("  with environment:");
        for (const e of envp) dbg(`    ${e}`);
      }
      // The block devices probe as init starts (virtio disks, zram), and /proc/swaps appears.
      if (!bs.block_probed) block_dev_init(k);
      bs.block_probed = true;
      swap_init(k);
      return;
    case "@pci_ide_bar4": {
      const io = pc_io_after_virtio(k) + 0x40;
      info(k, `pci 0000:00:01.1: BAR 4 [io  0x${io.toString(16)}-0x${(io + 0xf).toString(16)}]`);
      return;
    }
    case "@pci_e1000_bar1": {
      const io = pc_io_after_virtio(k);
      info(k, `pci 0000:00:03.0: BAR 1 [io  0x${io.toString(16)}-0x${(io + 0x3f).toString(16)}]`);
      return;
    }
    case "@virtio_pci": {
      // Found as the bus is scanned (the reference's pace for two disks; the scan takes as long without).
      const pace = [5932, 644, 728, 2230, 3943, 616, 539, 1368];
      const lines = virtio_pci_lines(k);
      for (let i = 0; i < Math.max(lines.length, pace.length); i++) {
        k.clock.advance((pace[i] ?? pace[(i % 4) + 4]) * 1000);
        if (i < lines.length) info(k, lines[i]);
      }
      return;
    }
    case "@swiotlb": {
      const line = setup.log.get("@swiotlb");
      if (line) info(k, line);
      return;
    }
    default:
      if (marker.startsWith("@acpi_table ")) info(k, acpi_table_line(setup.e820, n, marker.slice(12)));
      else if (marker.startsWith("@pci_window ")) info(k, pci_window_line(setup.e820, marker.slice(12)));
      else if (marker.startsWith("@acpi_reserve "))
        info(k, acpi_reserve_line(setup.e820, n, marker.slice(14)));
      else info(k, `${marker.slice(1)}: (no handler)`);
  }
}

function o_numa(k: Kernel): number {
  return k.nodes.length;
}

function hex8(x: number): string {
  return `0x${x.toString(16).padStart(8, "0")}`;
}

function free_part(k: Kernel, part: [string, number, number]): void {
  const [msg, s, e] = part;
  const pages = free_reserved_area(k, s, e, "");
  if (msg) info(k, sprintf(msg, pages * 4));
}

/** free_initmem and the x86 section gaps, in the order the real kernel frees them. */
function free_initmem(k: Kernel, setup: SetupResult): void {
  const parts = setup.freed_later.filter(([m]) => !m.includes("SMP alternatives"));
  if (parts.length === 0) parts.push(["", setup.init_section[0], setup.init_section[1]]);
  for (const part of parts) {
    if (part[0] === "") {
      free_reserved_area(k, part[1], part[2], "unused kernel image (initmem)");
      if (k.profile.arch === "x86_64") {
        const ro =
          Math.round((k.profile.image.textKB + k.profile.image.rodataKB + 2040 + 1108 + 2 * 1024) / 1024) *
          1024;
        info(k, `Write protecting the kernel read-only data: ${ro}k`);
      }
    } else free_part(k, part);
  }
}

/** The atomic DMA pools (kernel/dma/pool.c, ARM's atomic_pool_init). */
function dma_pools(k: Kernel, bs: BootState): void {
  if (k.profile.arch === "arm") {
    const pfn = alloc_pages(k, GFP_KERNEL, 6);
    if (pfn >= 0) bs.tables.push({ name: "DMA atomic pool", pfn, order: 6 });
    info(k, "DMA: preallocated 256 KiB pool for atomic coherent allocations");
    return;
  }
  const pools: [number, string][] = [
    [GFP_KERNEL, "GFP_KERNEL"],
    [GFP_KERNEL | GFP_DMA, "GFP_KERNEL|GFP_DMA"],
  ];
  if (k.zt.ZONE_DMA32 >= 0) pools.push([GFP_KERNEL | GFP_DMA32, "GFP_KERNEL|GFP_DMA32"]);
  for (const [gfp, name] of pools) {
    const pfn = alloc_pages(k, gfp, 5);
    if (pfn >= 0) bs.tables.push({ name: `DMA pool ${name}`, pfn, order: 5 });
    info(k, `DMA: preallocated 128 KiB ${name} pool for atomic allocations`);
  }
  void GFP_ATOMIC;
}

/** smp_init: bring up the secondary CPUs. */
function smp_init(k: Kernel): void {
  const n = k.nr_cpu_ids;
  const p = k.profile;
  const bogo = p.arch === "x86_64" ? 5188.25 : p.arch === "arm" ? 1540.61 : 125.0;
  info(k, "smp: Bringing up secondary CPUs ...");
  if (p.arch === "x86_64") {
    if (n > 1) {
      info(k, "x86: Booting SMP configuration:");
      info(k, `.... node  #0, CPUs:    ${Array.from({ length: n - 1 }, (_, i) => `  #${i + 1}`).join("")}`);
    }
    for (let cpu = 1; cpu < n; cpu++) mce_cpu_init(k, cpu);
    info(k, `smp: Brought up 1 node, ${n} CPU${n > 1 ? "s" : ""}`);
    info(k, "smpboot: Max logical packages: 1");
    info(k, `smpboot: Total of ${n} processors activated (${(bogo * n).toFixed(2)} BogoMIPS)`);
    return;
  }
  for (let cpu = 1; cpu < n; cpu++) {
    k.clock.advance(50_000_000 / n);
    arch_send_wakeup_ipi(k, cpu);
    if (p.arch === "arm") {
      info(k, `CPU${cpu}: thread -1, cpu ${cpu}, socket 0, mpidr ${(0x80000000 + cpu).toString(16)}`);
      info(k, `CPU${cpu}: Spectre v2: using BPIALL workaround`);
    } else info(k, `CPU${cpu}: Booted secondary processor 0x000000000${cpu} [0x411fd070]`);
  }
  info(
    k,
    `smp: Brought up ${k.nodes.length} node${k.nodes.length > 1 ? "s" : ""}, ${n} CPU${n > 1 ? "s" : ""}`,
  );
  if (p.arch === "arm") {
    info(k, `SMP: Total of ${n} processors activated (${(bogo * n).toFixed(2)} BogoMIPS).`);
  } else info(k, `SMP: Total of ${n} processors activated.`);
}

/** /proc/version and the first line of the boot log. */
export function linux_banner(k: Kernel): string {
  const p = k.profile;
  return `Linux version ${p.release} (debian-kernel@lists.debian.org) (${p.compiler}) ${p.version}`;
}

export { nr_free_buffer_pages, phys };
