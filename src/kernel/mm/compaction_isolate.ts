/*
 * compaction_isolate.ts - the two scanners of memory compaction (Linux
 * mm/compaction.c: isolate_migratepages, isolate_freepages and the
 * pageblock skip hints they keep). compaction.ts drives them.
 *
 * The migrate scanner walks up from the zone's start one pageblock at a
 * time and takes movable pages off their LRU lists, 32 at most per round.
 * The free scanner walks down from the zone's end and takes free blocks of
 * MOVABLE pageblocks off the buddy lists, splitting them into order-0
 * target pages, until there is a target for every page to move. A
 * pageblock a scanner went through without finding anything is marked
 * PB_migrate_skip, and later partial runs pass it by (unless told to
 * ignore the hints, as compact_memory and the most thorough priority do).
 * Where each scanner stopped is cached in the zone for the next run.
 */

import type { Kernel } from "../kernel.js";
import type { CompactControl } from "./compaction.js";
import { MIGRATE_ASYNC, mod_isolated } from "./migrate.js";
import {
  PG_anon,
  PG_buddy,
  PG_head,
  PG_isolated,
  PG_locked,
  PG_lru,
  PG_swapcache,
  PG_tail,
  PG_unevictable,
  PG_writeback,
} from "./mm_types.js";
import { MIGRATE_CMA, MIGRATE_MOVABLE, type Zone } from "./mmzone.js";
import { __free_pages, __isolate_free_page } from "./page_alloc.js";
import { del_page_from_lru_list, get_page } from "./swap.js";
import { COMPACTISOLATED } from "./vm_event_item.js";

/** Pages isolated per migrate_pages() call. */
export const COMPACT_CLUSTER_MAX = 32;
/** Looking at one pfn in a scanner, on the model machine (ns). */
const SCAN_COST = 8;

/* ------------------------------------------------------------------ */
/* Pageblock skip hints and cached scanner positions                    */
/* ------------------------------------------------------------------ */

export function pageblock_start_pfn(k: Kernel, pfn: number): number {
  return pfn - (pfn & (k.pageblock_nr_pages - 1));
}

function pageblock_end_pfn(k: Kernel, pfn: number): number {
  return pageblock_start_pfn(k, pfn) + k.pageblock_nr_pages;
}

/** reset_cached_positions: both scanners start from the zone's ends next time. */
export function reset_cached_positions(k: Kernel, zone: Zone): void {
  zone.compact_cached_migrate_pfn[0] = zone.zone_start_pfn;
  zone.compact_cached_migrate_pfn[1] = zone.zone_start_pfn;
  zone.compact_cached_free_pfn = pageblock_start_pfn(k, zone.zone_end_pfn - 1);
}

/** __reset_isolation_suitable: forget every PB_migrate_skip hint of the zone. */
export function __reset_isolation_suitable(k: Kernel, zone: Zone): void {
  const pbo = k.pageblock_order;
  const first = zone.zone_start_pfn >>> pbo;
  const last = (zone.zone_end_pfn - 1) >>> pbo;
  for (let b = first; b <= last; b++) if (k.mem.pageblock_zone[b] === zone.id) k.mem.pageblock_skip[b] = 0;
  reset_cached_positions(k, zone);
  zone.compact_blockskip_flush = false;
}

/** reset_isolation_suitable: kswapd going to sleep clears the hints direct compaction left. */
export function reset_isolation_suitable(k: Kernel, node: number): void {
  for (const zone of k.nodes[node].node_zones)
    if (zone.populated_zone() && zone.compact_blockskip_flush) __reset_isolation_suitable(k, zone);
}

function isolation_suitable(k: Kernel, cc: CompactControl, pfn: number): boolean {
  if (cc.ignore_skip_hint) return true;
  return k.mem.pageblock_skip[pfn >>> k.pageblock_order] === 0;
}

function set_pageblock_skip(k: Kernel, cc: CompactControl, pfn: number): void {
  if (cc.ignore_skip_hint) return;
  k.mem.pageblock_skip[pfn >>> k.pageblock_order] = 1;
}

/**
 * update_cached_migrate: a later run's migrate scanner starts past here.
 * As in 6.1 the position saved is the end of the pageblock that pfn is in
 * (pfn being the end of the block just scanned, that is the next block's).
 */
function update_cached_migrate(k: Kernel, cc: CompactControl, pfn: number): void {
  const zone = cc.zone;
  pfn = pageblock_end_pfn(k, pfn);
  if (pfn > zone.compact_cached_migrate_pfn[0]) zone.compact_cached_migrate_pfn[0] = pfn;
  if (cc.mode !== MIGRATE_ASYNC && pfn > zone.compact_cached_migrate_pfn[1])
    zone.compact_cached_migrate_pfn[1] = pfn;
}

/** update_pageblock_skip: the free scanner went through a block; a later run starts below it. */
function update_pageblock_skip(k: Kernel, cc: CompactControl, pfn: number): void {
  set_pageblock_skip(k, cc, pfn);
  if (pfn < cc.zone.compact_cached_free_pfn) cc.zone.compact_cached_free_pfn = pfn;
}

/** pageblock_pfn_to_page: is [start, end) wholly in this zone? */
function pageblock_in_zone(k: Kernel, zone: Zone, start: number, end: number): boolean {
  if (start < zone.zone_start_pfn || end > zone.zone_end_pfn) return false;
  return k.mem.pageblock_zone[start >>> k.pageblock_order] === zone.id;
}

/* ------------------------------------------------------------------ */
/* The migrate scanner                                                  */
/* ------------------------------------------------------------------ */

/**
 * isolate_migratepages_block: take the movable pages of [low_pfn, end_pfn)
 * off their LRU lists, up to COMPACT_CLUSTER_MAX. Free blocks are stepped
 * over by their order, compound pages (THP, hugetlb) by their size. A page
 * is movable when it is on an LRU, unlocked, not unevictable (unless
 * vm.compact_unevictable_allowed), not under writeback in async mode, and
 * (anonymous without swap cache) not pinned: no reference beyond its PTEs.
 * Returns the pfn where scanning stopped.
 */
function isolate_migratepages_block(k: Kernel, cc: CompactControl, low_pfn: number, end_pfn: number): number {
  const mem = k.mem;
  let nr_scanned = 0;
  let nr_isolated = 0;
  const unevictable_ok = k.sysctl_vm.compact_unevictable_allowed !== 0;
  for (; low_pfn < end_pfn; low_pfn++) {
    nr_scanned++;
    const f = mem.flags[low_pfn];
    if (f & PG_buddy) {
      const order = mem.order(low_pfn);
      if (order > 0 && order < k.MAX_ORDER) low_pfn += (1 << order) - 1;
      continue;
    }
    if (f & PG_head) {
      low_pfn += (1 << mem.order(low_pfn)) - 1;
      continue;
    }
    if (!(f & PG_lru) || f & (PG_tail | PG_locked | PG_isolated)) continue;
    if (f & PG_unevictable && !unevictable_ok) continue;
    if (f & PG_writeback && cc.mode === MIGRATE_ASYNC) continue;
    // An anonymous page with more references than mappings is pinned (get_user_pages).
    if (f & PG_anon && !(f & PG_swapcache) && mem.page_ref_count(low_pfn) > mem.page_mapcount(low_pfn))
      continue;
    get_page(k, low_pfn);
    del_page_from_lru_list(k, low_pfn);
    mod_isolated(k, low_pfn, 1);
    cc.migratepages.push(low_pfn);
    nr_isolated++;
    if (cc.migratepages.length >= COMPACT_CLUSTER_MAX) {
      low_pfn++;
      break;
    }
  }
  // A free or compound block may have taken the scan past the pageblock.
  if (low_pfn > end_pfn) low_pfn = end_pfn;
  // A whole block scanned with nothing to take: skip it next time, and start after it.
  if (low_pfn === end_pfn && nr_isolated === 0) {
    set_pageblock_skip(k, cc, end_pfn - 1);
    update_cached_migrate(k, cc, low_pfn);
  }
  cc.total_migrate_scanned += nr_scanned;
  if (nr_isolated) k.vm_events[COMPACTISOLATED] += nr_isolated;
  const t = k.sched.current;
  if (t) t.cost += nr_scanned * SCAN_COST;
  return low_pfn;
}

/** suitable_migration_source: async direct compaction only empties blocks of its own kind. */
function suitable_migration_source(k: Kernel, cc: CompactControl, pfn: number): boolean {
  if (cc.mode !== MIGRATE_ASYNC || !cc.direct_compaction) return true;
  const block_mt = k.mem.get_pageblock_migratetype(pfn);
  if (cc.migratetype === MIGRATE_MOVABLE) return block_mt === MIGRATE_MOVABLE || block_mt === MIGRATE_CMA;
  return block_mt === cc.migratetype;
}

export const ISOLATE_NONE = 0;
export const ISOLATE_SUCCESS = 2;

/** isolate_migratepages: the next pageblock below the free scanner that has something to move. */
export function isolate_migratepages(k: Kernel, cc: CompactControl): number {
  const zone = cc.zone;
  let low_pfn = cc.migrate_pfn;
  let block_start_pfn = Math.max(pageblock_start_pfn(k, low_pfn), zone.zone_start_pfn);
  let block_end_pfn = pageblock_end_pfn(k, low_pfn);
  for (
    ;
    block_end_pfn <= cc.free_pfn;
    cc.migrate_pfn = low_pfn = block_end_pfn,
      block_start_pfn = block_end_pfn,
      block_end_pfn += k.pageblock_nr_pages
  ) {
    if (!pageblock_in_zone(k, zone, block_start_pfn, block_end_pfn)) continue;
    if ((low_pfn & (k.pageblock_nr_pages - 1)) === 0 && !isolation_suitable(k, cc, low_pfn)) continue;
    if (!suitable_migration_source(k, cc, block_start_pfn)) {
      update_cached_migrate(k, cc, block_end_pfn);
      continue;
    }
    low_pfn = isolate_migratepages_block(k, cc, low_pfn, block_end_pfn);
    break;
  }
  cc.migrate_pfn = low_pfn;
  return cc.migratepages.length ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

/* ------------------------------------------------------------------ */
/* The free scanner                                                     */
/* ------------------------------------------------------------------ */

/** suitable_migration_target: a MOVABLE or CMA block not already free as a whole. */
function suitable_migration_target(k: Kernel, cc: CompactControl, pfn: number): boolean {
  const mem = k.mem;
  if (mem.flags[pfn] & PG_buddy && mem.order(pfn) >= k.pageblock_order) return false;
  if (cc.ignore_block_suitable) return true;
  const mt = mem.get_pageblock_migratetype(pfn);
  return mt === MIGRATE_MOVABLE || mt === MIGRATE_CMA;
}

/**
 * isolate_freepages_block: take free blocks of [start, end) off the buddy
 * lists until there are as many targets as pages to migrate. Returns the
 * pfn where scanning stopped.
 */
function isolate_freepages_block(
  k: Kernel,
  cc: CompactControl,
  blockpfn: number,
  end_pfn: number,
  stride: number,
  isolated_blocks: number[],
): number {
  const mem = k.mem;
  let nr_scanned = 0;
  let total_isolated = 0;
  for (; blockpfn < end_pfn; blockpfn += stride) {
    nr_scanned++;
    if (!(mem.flags[blockpfn] & PG_buddy)) continue;
    const order = mem.order(blockpfn);
    const isolated = __isolate_free_page(k, blockpfn, order);
    if (!isolated) break;
    mem.setPrivate(blockpfn, order);
    isolated_blocks.push(blockpfn);
    nr_scanned += isolated - 1;
    total_isolated += isolated;
    if (cc.migratepages.length <= cc_nr_freepages(cc, isolated_blocks, k)) {
      blockpfn += isolated;
      break;
    }
    blockpfn += isolated - 1;
  }
  if (blockpfn > end_pfn) blockpfn = end_pfn;
  cc.total_free_scanned += nr_scanned;
  if (total_isolated) k.vm_events[COMPACTISOLATED] += total_isolated;
  const t = k.sched.current;
  if (t) t.cost += nr_scanned * SCAN_COST;
  return blockpfn;
}

/** The targets held: the split ones plus the blocks isolated in this pass. */
function cc_nr_freepages(cc: CompactControl, isolated_blocks: number[], k: Kernel): number {
  let n = cc.freepages.length;
  for (const pfn of isolated_blocks) n += 1 << k.mem.getPrivate(pfn);
  return n;
}

/** split_map_pages: each isolated block becomes 2^order pages of one reference each. */
function split_map_pages(k: Kernel, cc: CompactControl, blocks: number[]): void {
  const mem = k.mem;
  for (const pfn of blocks) {
    const nr = 1 << mem.getPrivate(pfn);
    mem.setPrivate(pfn, 0);
    for (let i = 0; i < nr; i++) {
      mem.set_page_count(pfn + i, 1);
      cc.freepages.push(pfn + i);
    }
  }
}

/**
 * isolate_freepages: walk down from free_pfn, one pageblock at a time, to
 * the block above the migrate scanner, collecting free pages of suitable
 * blocks until there is a target for every isolated page.
 */
export function isolate_freepages(k: Kernel, cc: CompactControl): void {
  const zone = cc.zone;
  const nr = k.pageblock_nr_pages;
  let isolate_start_pfn = cc.free_pfn;
  let block_start_pfn = pageblock_start_pfn(k, isolate_start_pfn);
  let block_end_pfn = Math.min(block_start_pfn + nr, zone.zone_end_pfn);
  const low_pfn = pageblock_end_pfn(k, cc.migrate_pfn);
  const stride = cc.mode === MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;
  const blocks: number[] = [];
  for (
    ;
    block_start_pfn >= low_pfn;
    block_end_pfn = block_start_pfn, block_start_pfn -= nr, isolate_start_pfn = block_start_pfn
  ) {
    if (!pageblock_in_zone(k, zone, block_start_pfn, block_end_pfn)) continue;
    if (!suitable_migration_target(k, cc, block_start_pfn)) continue;
    if (!isolation_suitable(k, cc, block_start_pfn)) continue;
    isolate_start_pfn = isolate_freepages_block(k, cc, isolate_start_pfn, block_end_pfn, stride, blocks);
    if (isolate_start_pfn === block_end_pfn) update_pageblock_skip(k, cc, block_start_pfn);
    if (cc_nr_freepages(cc, blocks, k) >= cc.migratepages.length) {
      // Enough: the next pass starts at this block, or below it if it is used up.
      if (isolate_start_pfn >= block_end_pfn) isolate_start_pfn = block_start_pfn - nr;
      break;
    }
    if (isolate_start_pfn < block_end_pfn) break; // the watermark stopped us
  }
  split_map_pages(k, cc, blocks);
  cc.free_pfn = isolate_start_pfn;
}

/** compaction_alloc: a target page for migrate_pages, from the free scanner's pages. */
export function compaction_alloc(cc: CompactControl): (k: Kernel, pfn: number) => number {
  return (k) => {
    if (cc.freepages.length === 0) {
      isolate_freepages(k, cc);
      if (cc.freepages.length === 0) return -1;
    }
    return cc.freepages.shift()!;
  };
}

/** release_freepages: targets not used go back to the buddy lists; returns the highest pfn. */
export function release_freepages(k: Kernel, cc: CompactControl): number {
  let high_pfn = 0;
  for (const pfn of cc.freepages) {
    if (pfn > high_pfn) high_pfn = pfn;
    __free_pages(k, pfn, 0);
  }
  cc.freepages.length = 0;
  return high_pfn;
}
