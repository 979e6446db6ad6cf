/*
 * vm_event_item.ts - the event counters of /proc/vmstat
 * (Linux include/linux/vm_event_item.h).
 *
 * Linux compiles some events in or out with CONFIG_* options and repeats the
 * per-zone ones for each configured zone. mmbox numbers the superset once, so
 * hot paths use constant indices, and vmstat_event_names() lists the ones a
 * profile's kernel has, in Linux's order. Per-zone events take
 * base + zone_idx.
 */

import type { KernelConfig } from "../../hw/profiles.js";

const ZONE_SLOTS = 6; // enough for DMA, DMA32, Normal, HighMem, Movable, Device

let n = 0;
const next = (count = 1): number => {
  const v = n;
  n += count;
  return v;
};

export const PGPGIN = next();
export const PGPGOUT = next();
export const PSWPIN = next();
export const PSWPOUT = next();
export const PGALLOC = next(ZONE_SLOTS); // + zone_idx
export const ALLOCSTALL = next(ZONE_SLOTS);
export const PGSCAN_SKIP = next(ZONE_SLOTS);
export const PGFREE = next();
export const PGACTIVATE = next();
export const PGDEACTIVATE = next();
export const PGLAZYFREE = next();
export const PGFAULT = next();
export const PGMAJFAULT = next();
export const PGLAZYFREED = next();
export const PGREFILL = next();
export const PGREUSE = next();
export const PGSTEAL_KSWAPD = next();
export const PGSTEAL_DIRECT = next();
export const PGDEMOTE_KSWAPD = next();
export const PGDEMOTE_DIRECT = next();
export const PGSCAN_KSWAPD = next();
export const PGSCAN_DIRECT = next();
export const PGSCAN_DIRECT_THROTTLE = next();
export const PGSCAN_ANON = next();
export const PGSCAN_FILE = next();
export const PGSTEAL_ANON = next();
export const PGSTEAL_FILE = next();
export const PGSCAN_ZONE_RECLAIM_FAILED = next(); // NUMA
export const PGINODESTEAL = next();
export const SLABS_SCANNED = next();
export const KSWAPD_INODESTEAL = next();
export const KSWAPD_LOW_WMARK_HIT_QUICKLY = next();
export const KSWAPD_HIGH_WMARK_HIT_QUICKLY = next();
export const PAGEOUTRUN = next();
export const PGROTATED = next();
export const DROP_PAGECACHE = next();
export const DROP_SLAB = next();
export const OOM_KILL = next();
export const NUMA_PTE_UPDATES = next(); // NUMA_BALANCING
export const NUMA_HUGE_PTE_UPDATES = next();
export const NUMA_HINT_FAULTS = next();
export const NUMA_HINT_FAULTS_LOCAL = next();
export const NUMA_PAGE_MIGRATE = next();
export const PGMIGRATE_SUCCESS = next();
export const PGMIGRATE_FAIL = next();
export const THP_MIGRATION_SUCCESS = next();
export const THP_MIGRATION_FAIL = next();
export const THP_MIGRATION_SPLIT = next();
export const COMPACTMIGRATE_SCANNED = next();
export const COMPACTFREE_SCANNED = next();
export const COMPACTISOLATED = next();
export const COMPACTSTALL = next();
export const COMPACTFAIL = next();
export const COMPACTSUCCESS = next();
export const KCOMPACTD_WAKE = next();
export const KCOMPACTD_MIGRATE_SCANNED = next();
export const KCOMPACTD_FREE_SCANNED = next();
export const HTLB_BUDDY_PGALLOC = next(); // HUGETLB_PAGE
export const HTLB_BUDDY_PGALLOC_FAIL = next();
export const CMA_ALLOC_SUCCESS = next(); // CMA
export const CMA_ALLOC_FAIL = next();
export const UNEVICTABLE_PGCULLED = next();
export const UNEVICTABLE_PGSCANNED = next();
export const UNEVICTABLE_PGRESCUED = next();
export const UNEVICTABLE_PGMLOCKED = next();
export const UNEVICTABLE_PGMUNLOCKED = next();
export const UNEVICTABLE_PGCLEARED = next();
export const UNEVICTABLE_PGSTRANDED = next();
export const THP_FAULT_ALLOC = next(); // TRANSPARENT_HUGEPAGE: 21 events
export const THP_FAULT_FALLBACK = next();
export const THP_FAULT_FALLBACK_CHARGE = next();
export const THP_COLLAPSE_ALLOC = next();
export const THP_COLLAPSE_ALLOC_FAILED = next();
export const THP_FILE_ALLOC = next();
export const THP_FILE_FALLBACK = next();
export const THP_FILE_FALLBACK_CHARGE = next();
export const THP_FILE_MAPPED = next();
export const THP_SPLIT_PAGE = next();
export const THP_SPLIT_PAGE_FAILED = next();
export const THP_DEFERRED_SPLIT_PAGE = next();
export const THP_SPLIT_PMD = next();
export const THP_SCAN_EXCEED_NONE_PTE = next();
export const THP_SCAN_EXCEED_SWAP_PTE = next();
export const THP_SCAN_EXCEED_SHARE_PTE = next();
export const THP_SPLIT_PUD = next();
export const THP_ZERO_PAGE_ALLOC = next();
export const THP_ZERO_PAGE_ALLOC_FAILED = next();
export const THP_SWPOUT = next();
export const THP_SWPOUT_FALLBACK = next();
export const BALLOON_INFLATE = next();
export const BALLOON_DEFLATE = next();
export const BALLOON_MIGRATE = next();
export const SWAP_RA = next();
export const SWAP_RA_HIT = next();
export const KSM_SWPIN_COPY = next();
export const COW_KSM = next();
export const ZSWPIN = next();
export const ZSWPOUT = next();
export const DIRECT_MAP_LEVEL2_SPLIT = next(); // x86
export const DIRECT_MAP_LEVEL3_SPLIT = next();
export const NR_VM_EVENT_ITEMS = n;

const thp_names = [
  "thp_fault_alloc",
  "thp_fault_fallback",
  "thp_fault_fallback_charge",
  "thp_collapse_alloc",
  "thp_collapse_alloc_failed",
  "thp_file_alloc",
  "thp_file_fallback",
  "thp_file_fallback_charge",
  "thp_file_mapped",
  "thp_split_page",
  "thp_split_page_failed",
  "thp_deferred_split_page",
  "thp_split_pmd",
  "thp_scan_exceed_none_pte",
  "thp_scan_exceed_swap_pte",
  "thp_scan_exceed_share_pte",
  "thp_split_pud",
  "thp_zero_page_alloc",
  "thp_zero_page_alloc_failed",
  "thp_swpout",
  "thp_swpout_fallback",
];

/**
 * [index, name] for every event the configured kernel has, in /proc/vmstat
 * order. zoneNames are the profile's zone names (pgalloc_dma, pgalloc_normal...).
 */
export function vmstat_event_names(
  cfg: KernelConfig,
  zoneNames: readonly string[],
  x86: boolean,
): [number, string][] {
  const out: [number, string][] = [];
  const add = (i: number, name: string): void => {
    out.push([i, name]);
  };
  add(PGPGIN, "pgpgin");
  add(PGPGOUT, "pgpgout");
  add(PSWPIN, "pswpin");
  add(PSWPOUT, "pswpout");
  for (const [base, pfx] of [
    [PGALLOC, "pgalloc_"],
    [ALLOCSTALL, "allocstall_"],
    [PGSCAN_SKIP, "pgskip_"],
  ] as const) {
    zoneNames.forEach((z, i) => {
      add(base + i, pfx + (z === "HighMem" ? "high" : z.toLowerCase()));
    });
  }
  const plain: [number, string][] = [
    [PGFREE, "pgfree"],
    [PGACTIVATE, "pgactivate"],
    [PGDEACTIVATE, "pgdeactivate"],
    [PGLAZYFREE, "pglazyfree"],
    [PGFAULT, "pgfault"],
    [PGMAJFAULT, "pgmajfault"],
    [PGLAZYFREED, "pglazyfreed"],
    [PGREFILL, "pgrefill"],
    [PGREUSE, "pgreuse"],
    [PGSTEAL_KSWAPD, "pgsteal_kswapd"],
    [PGSTEAL_DIRECT, "pgsteal_direct"],
    [PGDEMOTE_KSWAPD, "pgdemote_kswapd"],
    [PGDEMOTE_DIRECT, "pgdemote_direct"],
    [PGSCAN_KSWAPD, "pgscan_kswapd"],
    [PGSCAN_DIRECT, "pgscan_direct"],
    [PGSCAN_DIRECT_THROTTLE, "pgscan_direct_throttle"],
    [PGSCAN_ANON, "pgscan_anon"],
    [PGSCAN_FILE, "pgscan_file"],
    [PGSTEAL_ANON, "pgsteal_anon"],
    [PGSTEAL_FILE, "pgsteal_file"],
  ];
  for (const [i, s] of plain) add(i, s);
  if (cfg.NUMA) add(PGSCAN_ZONE_RECLAIM_FAILED, "zone_reclaim_failed");
  const more: [number, string][] = [
    [PGINODESTEAL, "pginodesteal"],
    [SLABS_SCANNED, "slabs_scanned"],
    [KSWAPD_INODESTEAL, "kswapd_inodesteal"],
    [KSWAPD_LOW_WMARK_HIT_QUICKLY, "kswapd_low_wmark_hit_quickly"],
    [KSWAPD_HIGH_WMARK_HIT_QUICKLY, "kswapd_high_wmark_hit_quickly"],
    [PAGEOUTRUN, "pageoutrun"],
    [PGROTATED, "pgrotated"],
    [DROP_PAGECACHE, "drop_pagecache"],
    [DROP_SLAB, "drop_slab"],
    [OOM_KILL, "oom_kill"],
  ];
  for (const [i, s] of more) add(i, s);
  if (cfg.NUMA) {
    add(NUMA_PTE_UPDATES, "numa_pte_updates");
    add(NUMA_HUGE_PTE_UPDATES, "numa_huge_pte_updates");
    add(NUMA_HINT_FAULTS, "numa_hint_faults");
    add(NUMA_HINT_FAULTS_LOCAL, "numa_hint_faults_local");
    add(NUMA_PAGE_MIGRATE, "numa_pages_migrated");
  }
  const mig: [number, string][] = [
    [PGMIGRATE_SUCCESS, "pgmigrate_success"],
    [PGMIGRATE_FAIL, "pgmigrate_fail"],
    [THP_MIGRATION_SUCCESS, "thp_migration_success"],
    [THP_MIGRATION_FAIL, "thp_migration_fail"],
    [THP_MIGRATION_SPLIT, "thp_migration_split"],
    [COMPACTMIGRATE_SCANNED, "compact_migrate_scanned"],
    [COMPACTFREE_SCANNED, "compact_free_scanned"],
    [COMPACTISOLATED, "compact_isolated"],
    [COMPACTSTALL, "compact_stall"],
    [COMPACTFAIL, "compact_fail"],
    [COMPACTSUCCESS, "compact_success"],
    [KCOMPACTD_WAKE, "compact_daemon_wake"],
    [KCOMPACTD_MIGRATE_SCANNED, "compact_daemon_migrate_scanned"],
    [KCOMPACTD_FREE_SCANNED, "compact_daemon_free_scanned"],
  ];
  for (const [i, s] of mig) add(i, s);
  if (cfg.HUGETLB_PAGE) {
    add(HTLB_BUDDY_PGALLOC, "htlb_buddy_alloc_success");
    add(HTLB_BUDDY_PGALLOC_FAIL, "htlb_buddy_alloc_fail");
  }
  if (cfg.CMA) {
    add(CMA_ALLOC_SUCCESS, "cma_alloc_success");
    add(CMA_ALLOC_FAIL, "cma_alloc_fail");
  }
  const unev = ["culled", "scanned", "rescued", "mlocked", "munlocked", "cleared", "stranded"];
  unev.forEach((s, i) => {
    add(UNEVICTABLE_PGCULLED + i, `unevictable_pgs_${s}`);
  });
  if (cfg.TRANSPARENT_HUGEPAGE)
    thp_names.forEach((s, i) => {
      add(THP_FAULT_ALLOC + i, s);
    });
  add(BALLOON_INFLATE, "balloon_inflate");
  add(BALLOON_DEFLATE, "balloon_deflate");
  add(BALLOON_MIGRATE, "balloon_migrate");
  add(SWAP_RA, "swap_ra");
  add(SWAP_RA_HIT, "swap_ra_hit");
  add(KSM_SWPIN_COPY, "ksm_swpin_copy");
  add(COW_KSM, "cow_ksm");
  add(ZSWPIN, "zswpin");
  add(ZSWPOUT, "zswpout");
  if (x86) {
    add(DIRECT_MAP_LEVEL2_SPLIT, "direct_map_level2_splits");
    add(DIRECT_MAP_LEVEL3_SPLIT, "direct_map_level3_splits");
  }
  return out;
}
