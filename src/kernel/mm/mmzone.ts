/*
 * mmzone.ts - zones, nodes, migrate types and the counters they carry
 * (Linux include/linux/mmzone.h).
 *
 * A node (pg_data_t) holds the zones of one NUMA node. A zone is a pfn range
 * with its own buddy free lists (free_area), per-CPU page lists, watermarks
 * and counters. Zone types are configured per profile, in Linux's order:
 * DMA, DMA32, Normal, HighMem, Movable, Device; absent ones are not there at
 * all (ARM has no DMA32, x86_64 no HighMem).
 *
 * Free lists: free_area[order].free_list[migratetype] is a list of the first
 * pages of free blocks of 2^order pages; nr_free counts blocks of that order
 * over all migrate types. The list heads live in the page-link arrays (see
 * lib/list.ts): head(order, mt) = free_list_base + order * MIGRATE_TYPES + mt.
 */

import type { ZoneName } from "../../hw/profiles.js";
import type { WaitQueue } from "../sched/task.js";

/* Migrate types (enum migratetype). */
export const MIGRATE_UNMOVABLE = 0;
export const MIGRATE_MOVABLE = 1;
export const MIGRATE_RECLAIMABLE = 2;
export const MIGRATE_PCPTYPES = 3; // the number of types on the pcp lists
export const MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES;
export const MIGRATE_CMA = 4;
export const MIGRATE_ISOLATE = 5; // can't allocate from here
export const MIGRATE_TYPES = 6;

export const migratetype_names: readonly string[] = [
  "Unmovable",
  "Movable",
  "Reclaimable",
  "HighAtomic",
  "CMA",
  "Isolate",
];

/* Watermarks (enum zone_watermarks). */
export const WMARK_MIN = 0;
export const WMARK_LOW = 1;
export const WMARK_HIGH = 2;
export const NR_WMARK = 3;

/* Per-zone counters (enum zone_stat_item). */
export const NR_FREE_PAGES = 0;
export const NR_ZONE_LRU_BASE = 1; // NR_ZONE_INACTIVE_ANON + lru
export const NR_ZONE_INACTIVE_ANON = 1;
export const NR_ZONE_ACTIVE_ANON = 2;
export const NR_ZONE_INACTIVE_FILE = 3;
export const NR_ZONE_ACTIVE_FILE = 4;
export const NR_ZONE_UNEVICTABLE = 5;
export const NR_ZONE_WRITE_PENDING = 6;
export const NR_MLOCK = 7;
export const NR_BOUNCE = 8;
export const NR_ZSPAGES = 9;
export const NR_FREE_CMA_PAGES = 10;
/* NUMA statistics (enum numa_stat_item), kept beside the zone counters. */
export const NUMA_HIT = 11;
export const NUMA_MISS = 12;
export const NUMA_FOREIGN = 13;
export const NUMA_INTERLEAVE_HIT = 14;
export const NUMA_LOCAL = 15;
export const NUMA_OTHER = 16;
export const NR_VM_ZONE_STAT_ITEMS = 17;

export const zone_stat_names: readonly string[] = [
  "nr_free_pages",
  "nr_zone_inactive_anon",
  "nr_zone_active_anon",
  "nr_zone_inactive_file",
  "nr_zone_active_file",
  "nr_zone_unevictable",
  "nr_zone_write_pending",
  "nr_mlock",
  "nr_bounce",
  "nr_zspages",
  "nr_free_cma",
  "numa_hit",
  "numa_miss",
  "numa_foreign",
  "numa_interleave",
  "numa_local",
  "numa_other",
];
export const NR_ZONE_ONLY_ITEMS = 11; // items before the NUMA block

/* Per-node counters (enum node_stat_item). */
export const NR_LRU_BASE = 0;
export const NR_INACTIVE_ANON = 0;
export const NR_ACTIVE_ANON = 1;
export const NR_INACTIVE_FILE = 2;
export const NR_ACTIVE_FILE = 3;
export const NR_UNEVICTABLE = 4;
export const NR_SLAB_RECLAIMABLE_B = 5;
export const NR_SLAB_UNRECLAIMABLE_B = 6;
export const NR_ISOLATED_ANON = 7;
export const NR_ISOLATED_FILE = 8;
export const WORKINGSET_NODES = 9;
export const WORKINGSET_REFAULT_ANON = 10;
export const WORKINGSET_REFAULT_FILE = 11;
export const WORKINGSET_ACTIVATE_ANON = 12;
export const WORKINGSET_ACTIVATE_FILE = 13;
export const WORKINGSET_RESTORE_ANON = 14;
export const WORKINGSET_RESTORE_FILE = 15;
export const WORKINGSET_NODERECLAIM = 16;
export const NR_ANON_MAPPED = 17;
export const NR_FILE_MAPPED = 18;
export const NR_FILE_PAGES = 19;
export const NR_FILE_DIRTY = 20;
export const NR_WRITEBACK = 21;
export const NR_WRITEBACK_TEMP = 22;
export const NR_SHMEM = 23;
export const NR_SHMEM_THPS = 24;
export const NR_SHMEM_PMDMAPPED = 25;
export const NR_FILE_THPS = 26;
export const NR_FILE_PMDMAPPED = 27;
export const NR_ANON_THPS = 28;
export const NR_VMSCAN_WRITE = 29;
export const NR_VMSCAN_IMMEDIATE = 30;
export const NR_DIRTIED = 31;
export const NR_WRITTEN = 32;
export const NR_THROTTLED_WRITTEN = 33;
export const NR_KERNEL_MISC_RECLAIMABLE = 34;
export const NR_FOLL_PIN_ACQUIRED = 35;
export const NR_FOLL_PIN_RELEASED = 36;
export const NR_KERNEL_STACK_KB = 37;
export const NR_PAGETABLE = 38;
export const NR_SECONDARY_PAGETABLE = 39;
export const NR_SWAPCACHE = 40;
export const PGPROMOTE_SUCCESS = 41; // CONFIG_NUMA_BALANCING
export const PGPROMOTE_CANDIDATE = 42; // CONFIG_NUMA_BALANCING
export const NR_VM_NODE_STAT_ITEMS = 43;

export const node_stat_names: readonly string[] = [
  "nr_inactive_anon",
  "nr_active_anon",
  "nr_inactive_file",
  "nr_active_file",
  "nr_unevictable",
  "nr_slab_reclaimable",
  "nr_slab_unreclaimable",
  "nr_isolated_anon",
  "nr_isolated_file",
  "workingset_nodes",
  "workingset_refault_anon",
  "workingset_refault_file",
  "workingset_activate_anon",
  "workingset_activate_file",
  "workingset_restore_anon",
  "workingset_restore_file",
  "workingset_nodereclaim",
  "nr_anon_pages",
  "nr_mapped",
  "nr_file_pages",
  "nr_dirty",
  "nr_writeback",
  "nr_writeback_temp",
  "nr_shmem",
  "nr_shmem_hugepages",
  "nr_shmem_pmdmapped",
  "nr_file_hugepages",
  "nr_file_pmdmapped",
  "nr_anon_transparent_hugepages",
  "nr_vmscan_write",
  "nr_vmscan_immediate_reclaim",
  "nr_dirtied",
  "nr_written",
  "nr_throttled_written",
  "nr_kernel_misc_reclaimable",
  "nr_foll_pin_acquired",
  "nr_foll_pin_released",
  "nr_kernel_stack",
  "nr_page_table_pages",
  "nr_sec_page_table_pages",
  "nr_swapcached",
  "pgpromote_success",
  "pgpromote_candidate",
];

/* LRU lists (enum lru_list). */
export const LRU_INACTIVE_ANON = 0;
export const LRU_ACTIVE_ANON = 1;
export const LRU_INACTIVE_FILE = 2;
export const LRU_ACTIVE_FILE = 3;
export const LRU_UNEVICTABLE = 4;
export const NR_LRU_LISTS = 5;

/** A zone's per-CPU page cache (struct per_cpu_pages). */
export interface PerCpuPages {
  count: number; // pages on all the lists
  high: number; // drain to the buddy lists above this
  batch: number; // chunk size for buddy add/remove
  free_factor: number; // batch scaling when freeing many pages in a row
  /** List heads: lists[pindex], pindex from order_to_pindex(). */
  lists: Int32Array;
}

export class Zone {
  readonly name: string;
  /** zone_idx(): the index of this zone type in the profile's zone list. */
  readonly zone_idx: number;
  /** Index in Kernel.zones (node * MAX_NR_ZONES + zone_idx). */
  readonly id: number;
  readonly node: number;
  zone_start_pfn = 0;
  spanned_pages = 0;
  present_pages = 0;
  managed_pages = 0;
  cma_pages = 0;
  /** _watermark[WMARK_MIN..WMARK_HIGH] and watermark_boost. */
  _watermark = [0, 0, 0];
  watermark_boost = 0;
  /** ZONE_BOOSTED_WATERMARK: a fallback boosted the watermark; wake kswapd after this allocation. */
  boosted_watermark = false;
  nr_reserved_highatomic = 0;
  /** Pages handed out by the allocator and not yet freed (debug_vm's conservation check). */
  nr_in_use = 0;
  /** lowmem_reserve[z]: pages to keep free here for allocations that could use zone z. */
  lowmem_reserve: number[];
  /** free_area[order].nr_free */
  nr_free: Int32Array;
  /** First list head of free_area[0].free_list[0]; see the file comment. */
  free_list_base = 0;
  pageset: PerCpuPages[] = [];
  /** vm_stat[] (zone_stat_item), plus the NUMA items. */
  vm_stat: Float64Array = new Float64Array(NR_VM_ZONE_STAT_ITEMS);
  /** vm stats threshold shown in zoneinfo (calculate_normal_threshold). */
  stat_threshold = 0;
  /** First pfn at which deferred struct page init stopped (ULONG_MAX: none). */
  first_deferred_pfn = Number.MAX_SAFE_INTEGER;
  /* compaction state, used by compaction.ts */
  compact_cached_free_pfn = 0;
  compact_cached_migrate_pfn = [0, 0];
  compact_considered = 0;
  compact_defer_shift = 0;
  compact_order_failed = 0;
  /** Direct compaction's scanners met: kswapd clears the skip hints when it next sleeps. */
  compact_blockskip_flush = false;

  constructor(
    name: ZoneName,
    zone_idx: number,
    node: number,
    id: number,
    nr_zones: number,
    max_order: number,
  ) {
    this.name = name;
    this.zone_idx = zone_idx;
    this.node = node;
    this.id = id;
    this.lowmem_reserve = new Array(nr_zones).fill(0);
    this.nr_free = new Int32Array(max_order);
  }

  get zone_end_pfn(): number {
    return this.zone_start_pfn + this.spanned_pages;
  }
  populated_zone(): boolean {
    return this.present_pages !== 0;
  }
  managed_zone(): boolean {
    return this.managed_pages !== 0;
  }
  zone_spans_pfn(pfn: number): boolean {
    return pfn >= this.zone_start_pfn && pfn < this.zone_end_pfn;
  }
  min_wmark_pages(): number {
    return this._watermark[WMARK_MIN] + this.watermark_boost;
  }
  low_wmark_pages(): number {
    return this._watermark[WMARK_LOW] + this.watermark_boost;
  }
  high_wmark_pages(): number {
    return this._watermark[WMARK_HIGH] + this.watermark_boost;
  }
  wmark_pages(i: number): number {
    return this._watermark[i] + this.watermark_boost;
  }
  free_list(order: number, mt: number): number {
    return this.free_list_base + order * MIGRATE_TYPES + mt;
  }
  zone_page_state(item: number): number {
    const x = this.vm_stat[item];
    return Math.max(x, 0);
  }
}

/** A NUMA node (pg_data_t / struct pglist_data). */
export class PglistData {
  readonly node_id: number;
  node_zones: Zone[] = [];
  node_start_pfn = 0;
  node_spanned_pages = 0;
  node_present_pages = 0;
  /** vm_stat[] (node_stat_item). */
  vm_stat: Float64Array = new Float64Array(NR_VM_NODE_STAT_ITEMS);
  /** lruvec.lists[lru]: list heads of the node's LRU lists. */
  lru_lists: Int32Array = new Int32Array(NR_LRU_LISTS);
  /** The highest zone index kswapd should balance up to (kswapd_highest_zoneidx). */
  kswapd_highest_zoneidx = 0;
  kswapd_order = 0;
  kswapd_failures = 0;
  /** pgdat->flags and the root lruvec's flags: PGDAT_WRITEBACK, LRUVEC_CONGESTED (vmscan.ts). */
  flags = 0;
  /** kswapd_wait: the queue the node's kswapd sleeps on (null before kswapd is made). */
  kswapd_wait: WaitQueue | null = null;
  /** lruvec->nonresident_age: evictions and activations so far (workingset.ts's clock). */
  nonresident_age = 0;
  /** lruvec->anon_cost, file_cost: recent reclaim I/O of each side (vmscan.ts lru_note_cost). */
  anon_cost = 0;
  file_cost = 0;
  /** lruvec->refaults[]: WORKINGSET_ACTIVATE_ANON and _FILE when reclaim last finished. */
  refaults_anon = 0;
  refaults_file = 0;
  kcompactd_max_order = 0;
  kcompactd_highest_zoneidx = 0;
  /** A write to vm.compaction_proactiveness asks kcompactd for a proactive round now. */
  proactive_compact_trigger = false;
  first_deferred_pfn = Number.MAX_SAFE_INTEGER;
  totalreserve_pages = 0;

  constructor(node_id: number) {
    this.node_id = node_id;
  }

  node_page_state(item: number): number {
    const x = this.vm_stat[item];
    return Math.max(x, 0);
  }
  get node_end_pfn(): number {
    return this.node_start_pfn + this.node_spanned_pages;
  }
}
