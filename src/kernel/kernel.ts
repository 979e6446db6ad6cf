/*
 * kernel.ts - the state Linux keeps in global variables, gathered in one
 * object so that several simulated machines can live in one host process
 * (tests boot dozens). Each subsystem's globals sit in a field named after
 * the subsystem; functions take the Kernel as their first argument where
 * Linux would reach for a global.
 */

import type { Clock } from "../hw/clock.js";
import type { DiskImage } from "../hw/disk.js";
import type { Tlb, TlbSet } from "../hw/mmu.js";
import type { KernelConfig, MachineProfile } from "../hw/profiles.js";
import type { Prng } from "../lib/prng.js";
import type { TtyStruct } from "./drivers/tty.js";
import type { FsStruct, SuperBlock } from "./fs/fs.js";
import type { ProcEntry } from "./fs/proc/generic.js";
import type { VfsState } from "./fs/super.js";
import type { BootState } from "./init/main.js";
import type { IrqState } from "./irq/irqdesc.js";
import type { Printk } from "./lib/printk.js";
import type { AddressSpace } from "./mm/filemap.js";
import type { HighmemState } from "./mm/highmem.js";
import type { Memblock } from "./mm/memblock.js";
import type { MmStruct, VmAreaStruct } from "./mm/mm_struct.js";
import type { MemMap } from "./mm/mm_types.js";
import type { PglistData, Zone } from "./mm/mmzone.js";
import type { OomState } from "./mm/oom_kill.js";
import type { AllocContext, AllocContextLevel } from "./mm/page_alloc.js";
import type { WbState } from "./mm/page_writeback.js";
import type { PageTable } from "./mm/pgtable.js";
import type { AnonVma } from "./mm/rmap.js";
import type { Shrinker } from "./mm/shrinker.js";
import type { SlabState } from "./mm/slab.js";
import type { VmSysctl } from "./mm/sysctl_vm.js";
import type { VmapState } from "./mm/vmalloc.js";
import type { ModuleState } from "./module/main.js";
import type { SchedState } from "./sched/core.js";
import type { PsiGroup } from "./sched/psi.js";
import type { Task, WaitQueue } from "./sched/task.js";
import type { WorkqueueState } from "./sched/workqueue.js";
import type { KeyState } from "./security/keys/key.js";
import type { TickState } from "./time/tick.js";
import type { ProgramMain } from "./uapi/syscalls.js";

/** Zone type indices of the configured kernel; -1 where a type is compiled out. */
export interface ZoneTypes {
  ZONE_DMA: number;
  ZONE_DMA32: number;
  ZONE_NORMAL: number;
  ZONE_HIGHMEM: number;
  ZONE_MOVABLE: number;
  ZONE_DEVICE: number;
  MAX_NR_ZONES: number;
}

export interface Kernel {
  readonly profile: MachineProfile;
  readonly cfg: KernelConfig;
  readonly clock: Clock;
  readonly printk: Printk;
  readonly prng: Prng;
  readonly nr_cpu_ids: number;
  /** The virtio disks the machine was started with (--disk), in command-line order. */
  readonly hw_disks: readonly DiskImage[];
  /** The disk holding the root filesystem image (root=/dev/vda), wired to probe first; null without. */
  readonly hw_root_disk: DiskImage | null;
  /** The kernel command line as given (/proc/cmdline). */
  readonly saved_command_line: string;
  /** The command line parsed into parameters ("quiet" maps to ""). */
  readonly params: Map<string, string>;
  /** Boot-only state (memblock results, pending boot steps); null after boot. */
  boot: BootState | null;

  /* ---- mm ---- */
  readonly MAX_ORDER: number;
  readonly pageblock_order: number;
  readonly pageblock_nr_pages: number;
  readonly zt: ZoneTypes;
  mem: MemMap;
  memblock: Memblock;
  nodes: PglistData[];
  /** All zones of all nodes, indexed by Zone.id. */
  zones: Zone[];
  /** node_zonelists[nid]: zones to try for an allocation from that node (build_all_zonelists). */
  zonelists: Zone[][];
  /** preferred_zones[nid][highest_zoneidx]: the first zone of that zonelist an allocation may use. */
  preferred_zones: (Zone | null)[][];
  /** Reused allocation contexts, one per nesting level of __alloc_pages. */
  alloc_contexts: AllocContextLevel[];
  alloc_depth: number;
  /** Each CPU's TLB (hw/mmu.ts). */
  tlb: Tlb[];
  /** The same TLBs as one set (their tags in one array): flushes sent to every CPU. */
  tlb_set: TlbSet;
  /** CPU whose per-CPU lists the current context uses (smp_processor_id()). */
  cpu: number;
  totalram_pages: number;
  /** The most tasks there may be (fork_init's set_max_threads; /proc/sys/kernel/threads-max). */
  max_threads: number;
  totalreserve_pages: number;
  totalcma_pages: number;
  /** vm_event_states summed over CPUs. */
  vm_events: Float64Array;
  sysctl_vm: VmSysctl;
  /** Every address_space, by id (struct page's mapping field holds the id). */
  mappings: AddressSpace[];
  /**
   * Every anon_vma, by id (an anonymous page's mapping field holds the id);
   * a freed one leaves undefined, not a hole: a delete can turn the array into
   * a dictionary and back into a map of its own, which deoptimized the rmap
   * walk on the next machine made in the same process.
   */
  anon_vmas: (AnonVma | undefined)[];
  /** The shared zero page (empty_zero_page) that read faults on anonymous memory map. */
  zero_pfn: number;
  /** Address spaces made so far. */
  nr_mms: number;
  /** The ASID allocator: the current generation and the next free ASID in it. */
  asid: { generation: number; next: number };
  /** Bytes of the pages whose contents matter (see mm/filemap.ts). */
  pagedata: Map<number, Uint8Array>;
  /** Global memory counters the subsystems keep (each an honest 0 until its subsystem exists). */
  mm_stat: MmStat;
  /** Hooks the later subsystems fill in: reclaim, compaction, OOM. */
  mm_hooks: MmHooks;
  /** The OOM killer's victims in flight and the oom_reaper's queue. */
  oom: OomState;

  /* ---- processes, files, devices ---- */
  sched: SchedState;
  /** Interrupt descriptors, per-CPU interrupt and softirq counts (irq/irqdesc.ts). */
  irq: IrqState;
  /** The key database (security/keys). */
  keys: KeyState;
  /** The timer tick's state: boot's tick device, load balancing, machine check polls (time/tick.ts). */
  tick: TickState;
  /** Pressure stall information of the whole system (sched/psi.ts). */
  psi: PsiGroup;
  /** Dirty mappings and pages under writeback (mm/page_writeback.ts). */
  wb: WbState;
  vfs: VfsState;
  /** Programs by entry name (registered by the machine: user space lives outside the kernel). */
  binfmt: Map<string, ProgramMain>;
  /** Woken whenever a pollable state may have changed (poll() sleepers re-check). */
  poll_wait: WaitQueue;
  /** The console tty (ttyAMA0 / ttyS0). */
  console: TtyStruct;
  utsname: { nodename: string };
  /** panic= seconds (0: stay halted). */
  panic_timeout: number;
  /** kernel.randomize_va_space: 2 randomises stack, mmap base, vdso and heap; 0 nothing. */
  randomize_va_space: number;
  drop_caches_stfu: boolean;
  /** Extra /proc and debugfs entries registered by subsystems (slabinfo, swaps...). */
  proc_extra: ProcEntry[];
  debugfs_extra: ProcEntry[];
  /** /sys/kernel/mm entries. */
  sysfs_mm: ProcEntry[];
  /** Where boot put things (iomem, kernel_layout). */
  boot_layout: { text_start: number; e820: [number, number, string][]; max_low_pfn: number };
  /** The root and cwd of kernel threads and of init before it runs (set by kernel_init). */
  init_fs: FsStruct | null;
  devtmpfs_sb: SuperBlock | null;
  /** Wait queues of the kernel threads, by name (kswapd0...). */
  kthread_wq: Map<string, WaitQueue>;
  /** Worker pools and their kworkers (sched/workqueue.ts). */
  wq: WorkqueueState;

  /* ---- kernel object allocators ---- */
  /** SLUB: caches, slabs, kmalloc (mm/slab.ts). */
  slab: SlabState;
  /** vmalloc: the vmap areas of the kernel's virtual windows (mm/vmalloc.ts). */
  vmap: VmapState;
  /** kmap: the pkmap and fixmap slots of HighMem pages (mm/highmem.ts). */
  pkmap: HighmemState;
  /** Loaded modules (module/main.ts). */
  modules: ModuleState;
  /** Registered shrinkers (mm/shrinker.ts). */
  shrinker_list: Shrinker[];
  /** Taint flags (lib/panic.ts). */
  tainted_mask: number;
}

export interface TaskStatMem {
  vsize: number;
  rss: number;
  /** RLIM_INFINITY as the unsigned long /proc prints (a string where a double cannot hold it). */
  rsslim: number | string;
  startcode: number;
  endcode: number;
  startstack: number;
  start_data: number;
  end_data: number;
  start_brk: number;
  arg_start: number;
  arg_end: number;
  env_start: number;
  env_end: number;
}

export interface MmStat {
  vm_committed_as: number; // pages committed by mappings (Committed_AS)
  nr_vmalloc_pages: number; // pages held by vmalloc areas (VmallocUsed)
  nr_blockdev_pages: number; // page cache of block devices (Buffers)
  pcpu_nr_pages: number; // pages of the per-CPU allocator (Percpu)
  total_swap_pages: number;
  nr_swap_pages: number; // free swap pages
  hugetlb_total: number[]; // per node
  hugetlb_free: number[];
}

/** Places the allocation slow path calls out to (mm/vmscan.c, compaction.c, oom_kill.c). */
export interface MmHooks {
  /** wakeup_kswapd for one zone; false when there is no kswapd to wake. */
  wakeup_kswapd(k: Kernel, zone: Zone, gfp: number, order: number, highest_zoneidx: number): void;
  /** try_to_free_pages: pages reclaimed by direct reclaim. */
  try_to_free_pages(k: Kernel, gfp: number, order: number, highest_zoneidx: number): number;
  /** try_to_compact_pages: a COMPACT_* result. */
  try_to_compact_pages(
    k: Kernel,
    gfp: number,
    order: number,
    alloc_flags: number,
    ac: AllocContext,
    prio: number,
  ): number;
  /** out_of_memory: true when something was killed (or is being killed). */
  out_of_memory(k: Kernel, gfp: number, order: number): boolean;
  /** An OOM victim other than the allocating task has yet to exit: the allocation should wait for it. */
  oom_should_wait(k: Kernel): boolean;
  /** Swap entries in PTEs (the swap issue): fault one in, drop one, share one at fork. */
  do_swap_page(
    k: Kernel,
    mm: MmStruct,
    vma: VmAreaStruct,
    addr: number,
    pt: PageTable,
    i: number,
    write: boolean,
  ): number;
  /** zap's run of swap PTEs from entries[i] (up to hi) goes: how many (swap_state.ts free_swap_entries). */
  free_swap_entries(k: Kernel, mm: MmStruct, entries: Float64Array, i: number, hi: number): number;
  dup_swap_entry(k: Kernel, mm: MmStruct, pte: number): void;
  /** A page fault could not get memory (VM_FAULT_OOM): the OOM killer's turn. */
  pagefault_out_of_memory(k: Kernel): void;
  /** Free slab caches' unused objects (drop_caches 2). */
  drop_slab(k: Kernel): void;
  /** Compact every zone (/proc/sys/vm/compact_memory). */
  compact_nodes(k: Kernel): void;
  /** Resize the hugetlb pool (/proc/sys/vm/nr_hugepages). */
  set_nr_hugepages(k: Kernel, n: number): void;
  /** Vm* lines of /proc/PID/status, the numbers of /proc/PID/stat, the address-space files. */
  proc_task_mem(k: Kernel, t: Task): string;
  proc_task_stat(k: Kernel, t: Task): TaskStatMem;
  proc_pid_mm_entries(k: Kernel, t: Task): ProcEntry[];
  /** /proc/PID/oom_score. */
  oom_score(k: Kernel, t: Task): number;
  /** The task allocating now (the Task itself; swapper's stand-in outside a task): for warn_alloc, the OOM report and PF_MEMALLOC checks. */
  current_task(k: Kernel): CurrentTask;
}

/** What the allocator reads of the current task (a Task has all four; Task.pf_memalloc reads its flags). */
export interface CurrentTask {
  readonly comm: string;
  readonly pid: number;
  readonly pf_memalloc: boolean;
  readonly oom_victim: boolean;
}
