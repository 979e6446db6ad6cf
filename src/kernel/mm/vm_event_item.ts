/*
 * vm_event_item.ts - the event counters of /proc/vmstat
 * (Linux include/linux/vm_event_item.h).
 *
 * Linux compiles some events in or out with CONFIG_* options and repeats the
 * per-zone ones for each configured zone. mmbox numbers the superset once, so
 * hot paths use constant indices, and vmstat_event_names() lists the ones a
 * profile's kernel has, in Linux's order. Per-zone events take
 * base + zone_idx, with 6 slots each (enough for DMA, DMA32, Normal,
 * HighMem, Movable, Device). The numbers are written out, in a file of
 * constants first: the bundler puts them in place of every use (see
 * page_flags.ts); a test checks they follow each other.
 */

import type { KernelConfig } from "../../hw/profiles.js";

export const PGPGIN = 0;
export const PGPGOUT = 1;
export const PSWPIN = 2;
export const PSWPOUT = 3;
export const PGALLOC = 4; // + zone_idx (6 slots)
export const ALLOCSTALL = 10;
export const PGSCAN_SKIP = 16;
export const PGFREE = 22;
export const PGACTIVATE = 23;
export const PGDEACTIVATE = 24;
export const PGLAZYFREE = 25;
export const PGFAULT = 26;
export const PGMAJFAULT = 27;
export const PGLAZYFREED = 28;
export const PGREFILL = 29;
export const PGREUSE = 30;
export const PGSTEAL_KSWAPD = 31;
export const PGSTEAL_DIRECT = 32;
export const PGDEMOTE_KSWAPD = 33;
export const PGDEMOTE_DIRECT = 34;
export const PGSCAN_KSWAPD = 35;
export const PGSCAN_DIRECT = 36;
export const PGSCAN_DIRECT_THROTTLE = 37;
export const PGSCAN_ANON = 38;
export const PGSCAN_FILE = 39;
export const PGSTEAL_ANON = 40;
export const PGSTEAL_FILE = 41;
export const PGSCAN_ZONE_RECLAIM_FAILED = 42; // NUMA
export const PGINODESTEAL = 43;
export const SLABS_SCANNED = 44;
export const KSWAPD_INODESTEAL = 45;
export const KSWAPD_LOW_WMARK_HIT_QUICKLY = 46;
export const KSWAPD_HIGH_WMARK_HIT_QUICKLY = 47;
export const PAGEOUTRUN = 48;
export const PGROTATED = 49;
export const DROP_PAGECACHE = 50;
export const DROP_SLAB = 51;
export const OOM_KILL = 52;
export const NUMA_PTE_UPDATES = 53; // NUMA_BALANCING
export const NUMA_HUGE_PTE_UPDATES = 54;
export const NUMA_HINT_FAULTS = 55;
export const NUMA_HINT_FAULTS_LOCAL = 56;
export const NUMA_PAGE_MIGRATE = 57;
export const PGMIGRATE_SUCCESS = 58;
export const PGMIGRATE_FAIL = 59;
export const THP_MIGRATION_SUCCESS = 60;
export const THP_MIGRATION_FAIL = 61;
export const THP_MIGRATION_SPLIT = 62;
export const COMPACTMIGRATE_SCANNED = 63;
export const COMPACTFREE_SCANNED = 64;
export const COMPACTISOLATED = 65;
export const COMPACTSTALL = 66;
export const COMPACTFAIL = 67;
export const COMPACTSUCCESS = 68;
export const KCOMPACTD_WAKE = 69;
export const KCOMPACTD_MIGRATE_SCANNED = 70;
export const KCOMPACTD_FREE_SCANNED = 71;
export const HTLB_BUDDY_PGALLOC = 72; // HUGETLB_PAGE
export const HTLB_BUDDY_PGALLOC_FAIL = 73;
export const CMA_ALLOC_SUCCESS = 74; // CMA
export const CMA_ALLOC_FAIL = 75;
export const UNEVICTABLE_PGCULLED = 76;
export const UNEVICTABLE_PGSCANNED = 77;
export const UNEVICTABLE_PGRESCUED = 78;
export const UNEVICTABLE_PGMLOCKED = 79;
export const UNEVICTABLE_PGMUNLOCKED = 80;
export const UNEVICTABLE_PGCLEARED = 81;
export const UNEVICTABLE_PGSTRANDED = 82;
export const THP_FAULT_ALLOC = 83; // TRANSPARENT_HUGEPAGE: 21 events
export const THP_FAULT_FALLBACK = 84;
export const THP_FAULT_FALLBACK_CHARGE = 85;
export const THP_COLLAPSE_ALLOC = 86;
export const THP_COLLAPSE_ALLOC_FAILED = 87;
export const THP_FILE_ALLOC = 88;
export const THP_FILE_FALLBACK = 89;
export const THP_FILE_FALLBACK_CHARGE = 90;
export const THP_FILE_MAPPED = 91;
export const THP_SPLIT_PAGE = 92;
export const THP_SPLIT_PAGE_FAILED = 93;
export const THP_DEFERRED_SPLIT_PAGE = 94;
export const THP_SPLIT_PMD = 95;
export const THP_SCAN_EXCEED_NONE_PTE = 96;
export const THP_SCAN_EXCEED_SWAP_PTE = 97;
export const THP_SCAN_EXCEED_SHARE_PTE = 98;
export const THP_SPLIT_PUD = 99;
export const THP_ZERO_PAGE_ALLOC = 100;
export const THP_ZERO_PAGE_ALLOC_FAILED = 101;
export const THP_SWPOUT = 102;
export const THP_SWPOUT_FALLBACK = 103;
export const BALLOON_INFLATE = 104;
export const BALLOON_DEFLATE = 105;
export const BALLOON_MIGRATE = 106;
export const SWAP_RA = 107;
export const SWAP_RA_HIT = 108;
export const KSM_SWPIN_COPY = 109;
export const COW_KSM = 110;
export const ZSWPIN = 111;
export const ZSWPOUT = 112;
export const DIRECT_MAP_LEVEL2_SPLIT = 113; // x86
export const DIRECT_MAP_LEVEL3_SPLIT = 114;
export const NR_VM_EVENT_ITEMS = 115;

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
