/*
 * kernel.ts - the state Linux keeps in global variables, gathered in one
 * object so that several simulated machines can live in one host process
 * (tests boot dozens). Each subsystem's globals sit in a field named after
 * the subsystem; functions take the Kernel as their first argument where
 * Linux would reach for a global.
 */

import type { Clock } from "../hw/clock.js";
import type { KernelConfig, MachineProfile } from "../hw/profiles.js";
import type { Prng } from "../lib/prng.js";
import type { BootState } from "./init/main.js";
import type { Printk } from "./lib/printk.js";
import type { Memblock } from "./mm/memblock.js";
import type { MemMap } from "./mm/mm_types.js";
import type { PglistData, Zone } from "./mm/mmzone.js";
import type { VmSysctl } from "./mm/sysctl_vm.js";

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
  /** CPU whose per-CPU lists the current context uses (smp_processor_id()). */
  cpu: number;
  totalram_pages: number;
  totalreserve_pages: number;
  totalcma_pages: number;
  /** vm_event_states summed over CPUs. */
  vm_events: Float64Array;
  sysctl_vm: VmSysctl;
  /** Hooks the later subsystems fill in: reclaim, compaction, OOM. */
  mm_hooks: MmHooks;
}

/** Places the allocation slow path calls out to (mm/vmscan.c, compaction.c, oom_kill.c). */
export interface MmHooks {
  /** wakeup_kswapd for one zone; false when there is no kswapd to wake. */
  wakeup_kswapd(k: Kernel, zone: Zone, gfp: number, order: number, highest_zoneidx: number): void;
  /** try_to_free_pages: pages reclaimed by direct reclaim. */
  try_to_free_pages(k: Kernel, gfp: number, order: number, highest_zoneidx: number): number;
  /** try_to_compact_pages: a COMPACT_* result. */
  try_to_compact_pages(k: Kernel, gfp: number, order: number, highest_zoneidx: number, prio: number): number;
  /** out_of_memory: true when something was killed (or is being killed). */
  out_of_memory(k: Kernel, gfp: number, order: number): boolean;
  /** The task allocating now: for warn_alloc, the OOM report and PF_MEMALLOC checks. */
  current_task(k: Kernel): { comm: string; pid: number; pf_memalloc: boolean; oom_victim: boolean };
  /** Free and total swap pages (get_nr_swap_pages, total_swap_pages). */
  nr_swap_pages(k: Kernel): number;
  total_swap_pages(k: Kernel): number;
  /** Huge pages in the hugetlb pool of a node, and how many are free. */
  hugetlb_total(k: Kernel, nid: number): number;
  hugetlb_free(k: Kernel, nid: number): number;
}
