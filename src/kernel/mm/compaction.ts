/*
 * compaction.ts - memory compaction (Linux mm/compaction.c,
 * include/linux/compaction.h).
 *
 * A zone whose free memory is scattered in small holes cannot serve a
 * request for 2^order contiguous pages even when enough pages are free.
 * Compaction makes big free blocks by moving movable pages out of the way.
 * Two scanners walk the zone towards each other, one pageblock at a time:
 *
 *    zone_start_pfn                                          zone_end_pfn
 *    |  migrate scanner -->                       <-- free scanner       |
 *    [M.M.MM..M.|.MM.M...MM|..........|..M.......|.M..M.....|....M.M...]
 *     isolate_migratepages: movable    isolate_freepages: free pages of
 *     pages (on an LRU, not pinned)    MOVABLE pageblocks, split to order 0
 *
 * migrate_pages (migrate.ts) copies each isolated page into a free page the
 * free scanner found, so the used pages gather at the top of the zone and
 * the freed ones merge in the buddy lists at the bottom. Compaction ends
 * when the scanners meet (COMPACT_COMPLETE), or as soon as a free block of
 * the wanted order and migrate type exists (COMPACT_SUCCESS). An order of
 * -1 (/proc/sys/vm/compact_memory) compacts the whole zone.
 *
 * Who compacts:
 *   direct compaction   the allocation slow path, for order > 0
 *                       (try_to_compact_pages, counted in compact_stall)
 *   kcompactd           a kthread per node, woken for a high-order request
 *                       that woke kswapd; it also compacts proactively a node
 *                       whose fragmentation score is high (kcompactd.ts)
 *   compact_memory      writing 1 to /proc/sys/vm/compact_memory, or to a
 *                       NUMA node's /sys/devices/system/node/nodeN/compact
 *
 * Whether to try (compaction_suitable): not when the order is already
 * available (COMPACT_SUCCESS), nor when too little is free to make a block
 * of that size after leaving a gap (COMPACT_SKIPPED), nor, for costly
 * orders, when the fragmentation index (extfrag.ts) says a failure would
 * come from lack of memory rather than fragmentation (index at or below
 * vm.extfrag_threshold). A zone where compaction failed is left alone for
 * 1, 2, 4 ... 64 attempts (defer_compaction / compaction_deferred).
 *
 * The scanners themselves are in compaction_isolate.ts.
 *
 * Simplified compared to Linux: no fast_find_migrateblock /
 * fast_isolate_freepages (the scanners start from the cached positions and
 * walk linearly), no capture of the freed page for the caller, no zone
 * lock contention (COMPACT_CONTENDED only when the free scanner runs dry),
 * and per-CPU lists are drained at the end of each zone.
 */

import type { Kernel } from "../kernel.js";
import { VM_BUG_ON } from "../lib/bug.js";
import {
  __reset_isolation_suitable,
  compaction_alloc,
  ISOLATE_NONE,
  isolate_migratepages,
  pageblock_start_pfn,
  release_freepages,
  reset_cached_positions,
} from "./compaction_isolate.js";
import { extfrag_for_order, fragmentation_index } from "./extfrag.js";
import { __GFP_IO, GFP_KERNEL, gfp_migratetype } from "./gfp.js";
import {
  MIGRATE_ASYNC,
  MIGRATE_SYNC,
  MIGRATE_SYNC_LIGHT,
  MR_COMPACTION,
  migrate_pages,
  putback_movable_pages,
} from "./migrate.js";
import { MIGRATE_CMA, MIGRATE_MOVABLE, NR_FREE_PAGES, type Zone } from "./mmzone.js";
import {
  __zone_watermark_ok,
  ALLOC_CMA,
  ALLOC_WMARK_MASK,
  type AllocContext,
  drain_all_pages,
  find_suitable_fallback,
  PAGE_ALLOC_COSTLY_ORDER,
  zone_reclaimable_pages,
  zone_watermark_ok,
} from "./page_alloc.js";
import { COMPACTFREE_SCANNED, COMPACTMIGRATE_SCANNED } from "./vm_event_item.js";

export { COMPACT_CLUSTER_MAX, reset_isolation_suitable } from "./compaction_isolate.js";

/* enum compact_result */
export const COMPACT_NOT_SUITABLE_ZONE = 0;
export const COMPACT_SKIPPED = 1; // not enough free pages to compact
export const COMPACT_DEFERRED = 2; // recently failed at this order
export const COMPACT_NO_SUITABLE_PAGE = 3;
export const COMPACT_CONTINUE = 4;
export const COMPACT_COMPLETE = 5; // scanned the whole zone, nothing gained
export const COMPACT_PARTIAL_SKIPPED = 6; // scanned part of the zone (from the cached positions)
export const COMPACT_CONTENDED = 7;
export const COMPACT_SUCCESS = 8; // a suitable page is free now

/* enum compact_priority: lower is more thorough */
export const COMPACT_PRIO_SYNC_FULL = 0;
export const MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL;
export const COMPACT_PRIO_SYNC_LIGHT = 1;
export const MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
export const DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
export const COMPACT_PRIO_ASYNC = 2;
export const INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC;

/** Defer compaction for up to 1 << COMPACT_MAX_DEFER_SHIFT attempts. */
export const COMPACT_MAX_DEFER_SHIFT = 6;

export function compaction_made_progress(result: number): boolean {
  return result === COMPACT_SUCCESS;
}

export function compaction_failed(result: number): boolean {
  return result === COMPACT_COMPLETE;
}

/** compaction_needs_reclaim: skipped for lack of order-0 pages; reclaim may help. */
export function compaction_needs_reclaim(result: number): boolean {
  return result === COMPACT_SKIPPED;
}

/** compaction_withdrawn: deferred, contended or partial: a higher priority may do better. */
export function compaction_withdrawn(result: number): boolean {
  return result === COMPACT_DEFERRED || result === COMPACT_CONTENDED || result === COMPACT_PARTIAL_SKIPPED;
}

/** One compaction run over one zone (struct compact_control). */
export interface CompactControl {
  zone: Zone; // the zone being compacted
  order: number; // order a direct compactor needs; -1 for the whole zone
  gfp_mask: number; // of the allocation compacting for
  migratetype: number; // gfp_migratetype of gfp_mask
  alloc_flags: number; // watermark and CMA flags of the allocation
  highest_zoneidx: number; // the highest zone the allocation may use
  mode: number; // MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT or (compact_memory) MIGRATE_SYNC
  migrate_pfn: number; // where the migrate scanner goes on
  free_pfn: number; // where the free scanner goes on (downwards)
  migratepages: number[]; // pages isolated for migration
  freepages: number[]; // order-0 free pages isolated as targets
  total_migrate_scanned: number; // pfns the migrate scanner looked at
  total_free_scanned: number; // pfns the free scanner looked at
  ignore_skip_hint: boolean; // scan pageblocks marked PB_migrate_skip too
  ignore_block_suitable: boolean; // take free pages from any pageblock type
  direct_compaction: boolean; // an allocation waits for this
  proactive_compaction: boolean; // kcompactd lowering the fragmentation score
  whole_zone: boolean; // the scanners started at the zone's ends
}

export function new_compact_control(zone: Zone, order: number, gfp_mask: number): CompactControl {
  return {
    zone,
    order,
    gfp_mask,
    migratetype: gfp_migratetype(gfp_mask),
    alloc_flags: 0,
    highest_zoneidx: zone.zone_idx,
    mode: MIGRATE_SYNC_LIGHT,
    migrate_pfn: 0,
    free_pfn: 0,
    migratepages: [],
    freepages: [],
    total_migrate_scanned: 0,
    total_free_scanned: 0,
    ignore_skip_hint: false,
    ignore_block_suitable: false,
    direct_compaction: false,
    proactive_compaction: false,
    whole_zone: false,
  };
}

const is_via_compact_memory = (order: number): boolean => order === -1;

/* ------------------------------------------------------------------ */
/* Deferral                                                             */
/* ------------------------------------------------------------------ */

/** defer_compaction: compaction at this order failed; skip the next 2^defer_shift tries. */
export function defer_compaction(zone: Zone, order: number): void {
  zone.compact_considered = 0;
  zone.compact_defer_shift++;
  if (order < zone.compact_order_failed) zone.compact_order_failed = order;
  if (zone.compact_defer_shift > COMPACT_MAX_DEFER_SHIFT) zone.compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;
}

/** compaction_deferred: true while the zone is still deferred for this order (counts a try). */
export function compaction_deferred(zone: Zone, order: number): boolean {
  const defer_limit = 1 << zone.compact_defer_shift;
  if (order < zone.compact_order_failed) return false;
  if (++zone.compact_considered >= defer_limit) {
    zone.compact_considered = defer_limit;
    return false;
  }
  return true;
}

/** compaction_defer_reset: compaction (or the allocation after it) succeeded at this order. */
export function compaction_defer_reset(zone: Zone, order: number, alloc_success: boolean): void {
  if (alloc_success) {
    zone.compact_considered = 0;
    zone.compact_defer_shift = 0;
  }
  if (order >= zone.compact_order_failed) zone.compact_order_failed = order + 1;
}

/** compaction_restarting: deferred to the limit and tried again: start from scratch. */
function compaction_restarting(zone: Zone, order: number): boolean {
  if (order < zone.compact_order_failed) return false;
  return (
    zone.compact_defer_shift === COMPACT_MAX_DEFER_SHIFT &&
    zone.compact_considered >= 1 << COMPACT_MAX_DEFER_SHIFT
  );
}

/* ------------------------------------------------------------------ */
/* When to stop                                                         */
/* ------------------------------------------------------------------ */

/** compact_scanners_met: the two scanners reached the same pageblock. */
function compact_scanners_met(k: Kernel, cc: CompactControl): boolean {
  return cc.free_pfn >>> k.pageblock_order <= cc.migrate_pfn >>> k.pageblock_order;
}

const fallbackOut = { can_steal: false };

/**
 * __compact_finished: done when the scanners met; for an allocation, done
 * as soon as a free block of its order exists that it may use (of its own
 * migrate type, CMA for movable requests, or one it could steal), once the
 * current pageblock is finished.
 */
function __compact_finished(k: Kernel, cc: CompactControl): number {
  const zone = cc.zone;
  if (compact_scanners_met(k, cc)) {
    reset_cached_positions(k, zone);
    if (cc.direct_compaction) zone.compact_blockskip_flush = true;
    return cc.whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
  }
  if (cc.proactive_compaction) {
    // Proactive compaction stops once the zone's score is at the low mark, or kswapd needs the CPU.
    if (kswapd_is_running(k, zone.node)) return COMPACT_PARTIAL_SKIPPED;
    const score = fragmentation_score_zone(k, zone);
    return score > fragmentation_score_wmark(k, true) ? COMPACT_CONTINUE : COMPACT_SUCCESS;
  }
  if (is_via_compact_memory(cc.order)) return COMPACT_CONTINUE;
  if (cc.migrate_pfn & (k.pageblock_nr_pages - 1)) return COMPACT_CONTINUE;
  const links = k.mem.links;
  const nonempty = (order: number, mt: number): boolean => {
    const head = zone.free_list(order, mt);
    return links.lru[head << 1] !== head;
  };
  for (let order = cc.order; order < k.MAX_ORDER; order++) {
    if (nonempty(order, cc.migratetype)) return COMPACT_SUCCESS;
    if (cc.migratetype === MIGRATE_MOVABLE && nonempty(order, MIGRATE_CMA)) return COMPACT_SUCCESS;
    if (find_suitable_fallback(k, zone, order, cc.migratetype, true, fallbackOut) !== -1)
      return COMPACT_SUCCESS;
  }
  return COMPACT_NO_SUITABLE_PAGE;
}

function compact_finished(k: Kernel, cc: CompactControl): number {
  const ret = __compact_finished(k, cc);
  return ret === COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/* ------------------------------------------------------------------ */
/* Proactive compaction's score                                         */
/* ------------------------------------------------------------------ */

/*
 * A zone's fragmentation score is the share (in percent) of its free
 * memory that cannot serve a huge-page-sized request: extfrag_for_order at
 * COMPACTION_HPAGE_ORDER (9: a PMD's worth of 4 KiB pages on every profile
 * here). A node's score weighs its zones by size. kcompactd compacts a
 * node proactively while its score is above 100 - proactiveness + 10 (90
 * by default), down to 100 - proactiveness (80).
 */
export const COMPACTION_HPAGE_ORDER = 9;

export function fragmentation_score_zone(k: Kernel, zone: Zone): number {
  return extfrag_for_order(k, zone, COMPACTION_HPAGE_ORDER);
}

export function fragmentation_score_node(k: Kernel, nid: number): number {
  const pgdat = k.nodes[nid];
  let score = 0;
  for (const zone of pgdat.node_zones) {
    if (!zone.populated_zone()) continue;
    score += Math.floor(
      (zone.present_pages * fragmentation_score_zone(k, zone)) / (pgdat.node_present_pages + 1),
    );
  }
  return score;
}

export function fragmentation_score_wmark(k: Kernel, low: boolean): number {
  const wmark_low = Math.max(100 - k.sysctl_vm.compaction_proactiveness, 5);
  return low ? wmark_low : Math.min(wmark_low + 10, 100);
}

/** kswapd_is_running: the node's kswapd is awake (not sleeping on its queue). */
export function kswapd_is_running(k: Kernel, nid: number): boolean {
  const wq = k.kthread_wq.get(`kswapd${nid}`);
  return wq !== undefined && wq.tasks.size === 0;
}

/* ------------------------------------------------------------------ */
/* Whether to compact                                                   */
/* ------------------------------------------------------------------ */

/** compact_gap: free pages needed beyond the watermark, for the targets and the copies. */
export function compact_gap(order: number): number {
  return 2 << order;
}

function __compaction_suitable(
  k: Kernel,
  zone: Zone,
  order: number,
  alloc_flags: number,
  highest_zoneidx: number,
  wmark_target: number,
): number {
  if (is_via_compact_memory(order)) return COMPACT_CONTINUE;
  let watermark = zone.wmark_pages(alloc_flags & ALLOC_WMARK_MASK);
  // The request can be served already: nothing to do.
  if (zone_watermark_ok(k, zone, order, watermark, highest_zoneidx, alloc_flags)) return COMPACT_SUCCESS;
  // Migration needs free pages to copy into: an order-0 check with a gap.
  watermark = order > PAGE_ALLOC_COSTLY_ORDER ? zone.low_wmark_pages() : zone.min_wmark_pages();
  watermark += compact_gap(order);
  if (!__zone_watermark_ok(k, zone, 0, watermark, highest_zoneidx, ALLOC_CMA, wmark_target))
    return COMPACT_SKIPPED;
  return COMPACT_CONTINUE;
}

/**
 * compaction_suitable: COMPACT_SUCCESS (already possible), COMPACT_SKIPPED
 * (not enough free memory, or for a costly order a fragmentation index at
 * or below extfrag_threshold: the failure is lack of memory) or
 * COMPACT_CONTINUE.
 */
export function compaction_suitable(
  k: Kernel,
  zone: Zone,
  order: number,
  alloc_flags: number,
  highest_zoneidx: number,
): number {
  let ret = __compaction_suitable(
    k,
    zone,
    order,
    alloc_flags,
    highest_zoneidx,
    zone.zone_page_state(NR_FREE_PAGES),
  );
  if (ret === COMPACT_CONTINUE && order > PAGE_ALLOC_COSTLY_ORDER) {
    const fragindex = fragmentation_index(k, zone, order);
    if (fragindex >= 0 && fragindex <= k.sysctl_vm.extfrag_threshold) ret = COMPACT_NOT_SUITABLE_ZONE;
  }
  return ret === COMPACT_NOT_SUITABLE_ZONE ? COMPACT_SKIPPED : ret;
}

/**
 * compaction_zonelist_suitable: would compaction have enough to work with
 * in some zone if reclaim freed what it could? (should_compact_retry asks,
 * after compaction was skipped for lack of free pages.)
 */
export function compaction_zonelist_suitable(
  k: Kernel,
  ac: AllocContext,
  order: number,
  alloc_flags: number,
): boolean {
  for (const zone of ac.zonelist) {
    if (zone.zone_idx > ac.highest_zoneidx || !zone.managed_zone()) continue;
    if (ac.nodemask && !ac.nodemask.includes(zone.node)) continue;
    const available =
      Math.floor(zone_reclaimable_pages(k, zone) / order) + zone.zone_page_state(NR_FREE_PAGES);
    if (
      __compaction_suitable(k, zone, order, alloc_flags, ac.highest_zoneidx, available) === COMPACT_CONTINUE
    )
      return true;
  }
  return false;
}

/* ------------------------------------------------------------------ */
/* compact_zone                                                         */
/* ------------------------------------------------------------------ */

/**
 * compact_zone: run both scanners over cc.zone until compact_finished says
 * stop. Each round isolates up to 32 movable pages from the next pageblock
 * of the migrate scanner and migrates them into pages the free scanner
 * isolates from the top; pages that could not move go back on the LRU.
 */
export function compact_zone(k: Kernel, cc: CompactControl): number {
  const zone = cc.zone;
  const start_pfn = zone.zone_start_pfn;
  const end_pfn = zone.zone_end_pfn;
  cc.migratetype = gfp_migratetype(cc.gfp_mask);
  if (!is_via_compact_memory(cc.order)) {
    const ret = compaction_suitable(k, zone, cc.order, cc.alloc_flags, cc.highest_zoneidx);
    if (ret === COMPACT_SUCCESS || ret === COMPACT_SKIPPED) return ret;
  }
  if (compaction_restarting(zone, cc.order)) __reset_isolation_suitable(k, zone);

  const sync = cc.mode !== MIGRATE_ASYNC ? 1 : 0;
  if (cc.whole_zone) {
    cc.migrate_pfn = start_pfn;
    cc.free_pfn = pageblock_start_pfn(k, end_pfn - 1);
  } else {
    cc.migrate_pfn = zone.compact_cached_migrate_pfn[sync];
    cc.free_pfn = zone.compact_cached_free_pfn;
    if (cc.free_pfn < start_pfn || cc.free_pfn >= end_pfn) {
      cc.free_pfn = pageblock_start_pfn(k, end_pfn - 1);
      zone.compact_cached_free_pfn = cc.free_pfn;
    }
    if (cc.migrate_pfn < start_pfn || cc.migrate_pfn >= end_pfn) {
      cc.migrate_pfn = start_pfn;
      zone.compact_cached_migrate_pfn[0] = start_pfn;
      zone.compact_cached_migrate_pfn[1] = start_pfn;
    }
    if (cc.migrate_pfn <= start_pfn && cc.free_pfn === pageblock_start_pfn(k, end_pfn - 1))
      cc.whole_zone = true;
  }

  let ret: number;
  const out = { nr_succeeded: 0 };
  const get_new_page = compaction_alloc(cc);
  while ((ret = compact_finished(k, cc)) === COMPACT_CONTINUE) {
    if (isolate_migratepages(k, cc) === ISOLATE_NONE) continue;
    const err = migrate_pages(k, cc.migratepages, get_new_page, cc.mode, MR_COMPACTION, out);
    if (err !== 0) {
      putback_movable_pages(k, cc.migratepages);
      if (err < 0 && !compact_scanners_met(k, cc)) {
        // Out of target pages before the scanners met: the free scanner found nothing more.
        ret = COMPACT_CONTENDED;
        break;
      }
    }
  }
  if (cc.migratepages.length) putback_movable_pages(k, cc.migratepages);
  if (cc.freepages.length) {
    const free_pfn = release_freepages(k, cc);
    // Only go back, not forward: the next run looks at these pages again.
    if (free_pfn > zone.compact_cached_free_pfn) zone.compact_cached_free_pfn = free_pfn;
  }
  VM_BUG_ON(cc.migratepages.length !== 0 || cc.freepages.length !== 0, "compaction left pages isolated");
  // The freed source pages sit on the per-CPU lists: give them to the buddy lists to merge.
  drain_all_pages(k, zone);
  k.vm_events[COMPACTMIGRATE_SCANNED] += cc.total_migrate_scanned;
  k.vm_events[COMPACTFREE_SCANNED] += cc.total_free_scanned;
  return ret;
}

/** compact_zone_order: direct compaction of one zone at a priority. */
function compact_zone_order(
  k: Kernel,
  zone: Zone,
  order: number,
  gfp_mask: number,
  prio: number,
  alloc_flags: number,
  highest_zoneidx: number,
): number {
  const cc = new_compact_control(zone, order, gfp_mask);
  cc.mode = prio === COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT;
  cc.alloc_flags = alloc_flags;
  cc.highest_zoneidx = highest_zoneidx;
  cc.direct_compaction = true;
  cc.whole_zone = prio === MIN_COMPACT_PRIORITY;
  cc.ignore_skip_hint = prio === MIN_COMPACT_PRIORITY;
  cc.ignore_block_suitable = prio === MIN_COMPACT_PRIORITY;
  return compact_zone(k, cc);
}

/**
 * try_to_compact_pages: direct compaction for an allocation of this order,
 * zone by zone down its zonelist, until one zone has a suitable free block.
 * Deferred zones are skipped (unless at the most thorough priority); a
 * synchronous pass that failed defers the zone.
 */
export function try_to_compact_pages(
  k: Kernel,
  gfp_mask: number,
  order: number,
  alloc_flags: number,
  ac: AllocContext,
  prio: number,
): number {
  if (!(gfp_mask & __GFP_IO) || order === 0) return COMPACT_SKIPPED;
  const highest_zoneidx = ac.highest_zoneidx;
  let rc = COMPACT_SKIPPED;
  for (const zone of ac.zonelist) {
    if (zone.zone_idx > highest_zoneidx || !zone.managed_zone()) continue;
    if (ac.nodemask && !ac.nodemask.includes(zone.node)) continue;
    if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(zone, order)) {
      rc = Math.max(COMPACT_DEFERRED, rc);
      continue;
    }
    const status = compact_zone_order(k, zone, order, gfp_mask, prio, alloc_flags, highest_zoneidx);
    rc = Math.max(status, rc);
    if (status === COMPACT_SUCCESS) {
      compaction_defer_reset(zone, order, false);
      break;
    }
    if (prio !== COMPACT_PRIO_ASYNC && (status === COMPACT_COMPLETE || status === COMPACT_PARTIAL_SKIPPED))
      defer_compaction(zone, order);
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* compact_memory                                                       */
/* ------------------------------------------------------------------ */

/** compact_node: the whole of every populated zone of a node, ignoring the skip hints. */
export function compact_node(k: Kernel, nid: number): void {
  for (const zone of k.nodes[nid].node_zones) {
    if (!zone.populated_zone()) continue;
    const cc = new_compact_control(zone, -1, GFP_KERNEL);
    cc.mode = MIGRATE_SYNC;
    cc.ignore_skip_hint = true;
    cc.whole_zone = true;
    compact_zone(k, cc);
  }
}

/** compact_nodes: what a write to /proc/sys/vm/compact_memory does. */
export function compact_nodes(k: Kernel): void {
  for (const pgdat of k.nodes) compact_node(k, pgdat.node_id);
}
