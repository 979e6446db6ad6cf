/*
 * page_alloc.ts - the zoned buddy allocator (Linux mm/page_alloc.c, 6.1).
 *
 * Free memory in a zone is kept as blocks of 2^order pages, order 0 up to
 * MAX_ORDER-1, each block naturally aligned (its first pfn is a multiple of
 * its size). Free blocks sit on free_area[order].free_list[migratetype].
 * Order-0..3 pages (and pageblock-order pages with THP) are first cached on
 * per-CPU lists, so that most allocations and frees never touch the buddy
 * lists at all.
 *
 * Where the pieces live:
 *   mm_init.ts      boot: zone sizing, memmap init, handing memory to us
 *   watermark.ts    min/low/high watermarks, lowmem_reserve, pcp high/batch
 *   vmstat.ts       counters and their /proc files
 *   debug_vm.ts     the invariant checker (CONFIG_DEBUG_VM)
 * Reclaim, compaction and the OOM killer plug into the slow path through
 * Kernel.mm_hooks.
 *
 * Simplified compared to Linux: no zone locks (the simulation runs one kernel
 * path at a time), no page poisoning or KASAN, no memory cgroups, no cpusets,
 * and pcp lists are not drained asynchronously by vmstat_update.
 */

import type { Kernel } from "../kernel.js";
import { BUG, VM_BUG_ON } from "../lib/bug.js";
import { list_add, list_del, list_empty, list_move_tail } from "../lib/list.js";
import { dump_stack } from "../lib/panic.js";
import { KERN_WARNING } from "../lib/printk.js";
import { psi_memstall_enter, psi_memstall_leave } from "../sched/psi.js";
import {
  COMPACT_DEFERRED,
  COMPACT_SKIPPED,
  compaction_defer_reset,
  compaction_failed,
  compaction_made_progress,
  compaction_needs_reclaim,
  compaction_withdrawn,
  compaction_zonelist_suitable,
  DEF_COMPACT_PRIORITY,
  INIT_COMPACT_PRIORITY,
  MIN_COMPACT_COSTLY_PRIORITY,
  MIN_COMPACT_PRIORITY,
} from "./compaction.js";
import {
  __GFP_ATOMIC,
  __GFP_COMP,
  __GFP_DIRECT_RECLAIM,
  __GFP_DMA,
  __GFP_DMA32,
  __GFP_HARDWALL,
  __GFP_HIGH,
  __GFP_HIGHMEM,
  __GFP_KSWAPD_RECLAIM,
  __GFP_MEMALLOC,
  __GFP_MOVABLE,
  __GFP_NOFAIL,
  __GFP_NOMEMALLOC,
  __GFP_NORETRY,
  __GFP_NOWARN,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
  __GFP_ZERO,
  format_gfp,
  gfp_migratetype,
} from "./gfp.js";
import {
  ORDER_MASK,
  ORDER_SHIFT,
  PAGE_FLAGS_CHECK_AT_FREE,
  PAGES_PER_SECTION,
  type PageExt,
  PG_buddy,
  PG_data,
  PG_head,
  PG_lru,
  PG_reserved,
  PG_tail,
  SECTION_SHIFT,
} from "./mm_types.js";
import {
  MIGRATE_CMA,
  MIGRATE_HIGHATOMIC,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
  MIGRATE_PCPTYPES,
  MIGRATE_RECLAIMABLE,
  MIGRATE_TYPES,
  MIGRATE_UNMOVABLE,
  NR_FREE_CMA_PAGES,
  NR_FREE_PAGES,
  NR_ZONE_ACTIVE_ANON,
  NR_ZONE_ACTIVE_FILE,
  NR_ZONE_INACTIVE_ANON,
  NR_ZONE_INACTIVE_FILE,
  NUMA_FOREIGN,
  NUMA_HIT,
  NUMA_LOCAL,
  NUMA_MISS,
  NUMA_OTHER,
  type PerCpuPages,
  WMARK_HIGH,
  WMARK_LOW,
  WMARK_MIN,
  type Zone,
} from "./mmzone.js";
import { free_pcppages_run, rmqueue_bulk_runs } from "./page_alloc_bulk.js";
import { show_mem } from "./show_mem.js";
import { COMPACTFAIL, COMPACTSTALL, COMPACTSUCCESS, PGALLOC, PGFREE } from "./vm_event_item.js";

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
export const PAGE_ALLOC_COSTLY_ORDER = 3;
export const MAX_RECLAIM_RETRIES = 16;
const MAX_COMPACT_RETRIES = 16;

/* alloc_flags (mm/internal.h): which watermark, and what else is allowed. */
export const ALLOC_WMARK_MIN = WMARK_MIN;
export const ALLOC_WMARK_LOW = WMARK_LOW;
export const ALLOC_WMARK_HIGH = WMARK_HIGH;
export const ALLOC_NO_WATERMARKS = 0x04; // don't check watermarks at all
export const ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1;
export const ALLOC_OOM = 0x08; // an OOM victim may dip deeper
export const ALLOC_HARDER = 0x10; // try to alloc harder (atomic)
export const ALLOC_HIGH = 0x20; // __GFP_HIGH set
export const ALLOC_CPUSET = 0x40; // check for correct cpuset
export const ALLOC_CMA = 0x80; // allow allocations from CMA areas
export const ALLOC_NOFRAGMENT = 0x100; // avoid mixing pageblock types
export const ALLOC_KSWAPD = 0x800; // allow waking of kswapd (== __GFP_KSWAPD_RECLAIM)

/* Free-page-internal flags (FPI_*). */
export const FPI_NONE = 0;
export const FPI_TO_TAIL = 1 << 1; // put the freed block at the tail of the free list

/**
 * The fallback table: when free_list[mt] is empty at every order, which other
 * types may an allocation steal from, in order of preference.
 */
const fallbacks: readonly (readonly number[])[] = [
  [MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE], // MIGRATE_UNMOVABLE
  [MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE], // MIGRATE_MOVABLE
  [MIGRATE_UNMOVABLE, MIGRATE_MOVABLE], // MIGRATE_RECLAIMABLE
];

/** One allocation's context (struct alloc_context). */
/**
 * struct alloc_context; the allocator keeps one per nesting level (k.alloc_contexts),
 * with the slow path's retry state beside it (locals of __alloc_pages_slowpath
 * in Linux; here made once per level, not per call). A class, not an object
 * literal: V8 makes a literal's boilerplate the second time it runs (the
 * second machine of a process), and its generalized map would reach
 * get_page_from_freelist (lib/shapes.ts).
 */
export interface AllocContext {
  zonelist: readonly Zone[]; // zones to try, preferred first
  nodemask: readonly number[] | null; // allowed nodes, null for all
  preferred_zone: Zone | null; // first usable zone of the zonelist
  migratetype: number; // from the mobility GFP bits
  highest_zoneidx: number; // highest zone type the request may use
}

/** The allocator's own contexts (k.alloc_contexts), with the slow path's state. */
export class AllocContextLevel implements AllocContext {
  zonelist: readonly Zone[] = [];
  nodemask: readonly number[] | null = null;
  preferred_zone: Zone | null = null;
  migratetype = 0;
  highest_zoneidx = 0;
  /** The slow path's retry state: the last compaction result, ... */
  readonly res = new CompactResult();
  /** ... the pages direct reclaim freed (did_some_progress), ... */
  readonly progress = new Progress();
  /** ... the reclaim retries without progress (no_progress_loops), ... */
  readonly loops = new Progress();
  /** ... and compaction's priority and retries (compact_priority, compaction_retries). */
  readonly cp = new CompactRetry();
}

class CompactResult {
  compact_result = COMPACT_SKIPPED;
}

class Progress {
  n = 0;
}

class CompactRetry {
  priority = DEF_COMPACT_PRIORITY;
  retries = 0;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

export function page_zone(k: Kernel, pfn: number): Zone {
  return k.zones[k.mem.pageblock_zone[pfn >>> k.pageblock_order]];
}

export function is_migrate_cma(mt: number): boolean {
  return mt === MIGRATE_CMA;
}

export function migratetype_is_mergeable(mt: number): boolean {
  return mt < MIGRATE_PCPTYPES;
}

export function pcp_allowed_order(k: Kernel, order: number): boolean {
  if (order <= PAGE_ALLOC_COSTLY_ORDER) return true;
  return k.cfg.TRANSPARENT_HUGEPAGE && order === k.pageblock_order;
}

/** Index of the pcp list for (migratetype, order): 3 types x 4 orders, then one THP list. */
export function order_to_pindex(k: Kernel, mt: number, order: number): number {
  if (order > PAGE_ALLOC_COSTLY_ORDER) {
    VM_BUG_ON(order !== k.pageblock_order, "order != pageblock_order");
    return MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);
  }
  return MIGRATE_PCPTYPES * order + mt;
}

export function pindex_to_order(k: Kernel, pindex: number): number {
  const order = Math.floor(pindex / MIGRATE_PCPTYPES);
  return order > PAGE_ALLOC_COSTLY_ORDER ? k.pageblock_order : order;
}

/** __mod_zone_freepage_state: NR_FREE_PAGES, and NR_FREE_CMA_PAGES for CMA blocks. */
export function __mod_zone_freepage_state(zone: Zone, nr: number, mt: number): void {
  zone.vm_stat[NR_FREE_PAGES] += nr;
  if (mt === MIGRATE_CMA) zone.vm_stat[NR_FREE_CMA_PAGES] += nr;
}

/* ------------------------------------------------------------------ */
/* Free lists                                                           */
/* ------------------------------------------------------------------ */

export function set_buddy_order(k: Kernel, pfn: number, order: number): void {
  k.mem.setOrder(pfn, order);
  k.mem.flags[pfn] |= PG_buddy;
}

export function add_to_free_list(k: Kernel, pfn: number, zone: Zone, order: number, mt: number): void {
  list_add(k.mem.links, pfn, zone.free_list(order, mt));
  zone.nr_free[order]++;
}

/** Used for pages that already are on a free list: move to another type's list. */
function move_to_free_list(k: Kernel, pfn: number, zone: Zone, order: number, mt: number): void {
  list_move_tail(k.mem.links, pfn, zone.free_list(order, mt));
}

function del_page_from_free_list(k: Kernel, pfn: number, zone: Zone, order: number): void {
  list_del(k.mem.links, pfn);
  k.mem.flags[pfn] &= ~PG_buddy;
  k.mem.setOrder(pfn, 0);
  zone.nr_free[order]--;
}

/** The first block on free_list[mt] of this order, or -1. */
function get_page_from_free_area(k: Kernel, zone: Zone, order: number, mt: number): number {
  const head = zone.free_list(order, mt);
  const first = k.mem.links.lru[head << 1];
  return first === head ? -1 : first;
}

function free_area_empty(k: Kernel, zone: Zone, order: number, mt: number): boolean {
  return list_empty(k.mem.links, zone.free_list(order, mt));
}

/**
 * page_is_buddy: may the block at buddy be merged with ours? It must be free
 * (PG_buddy), of the same order, and in the same zone.
 */
function page_is_buddy(k: Kernel, pfn: number, buddy: number, order: number): boolean {
  if (buddy >= k.mem.max_pfn) return false;
  const f = k.mem.flags[buddy];
  if ((f & PG_buddy) === 0) return false;
  if (k.mem.order(buddy) !== order) return false;
  const pbo = k.pageblock_order;
  return k.mem.pageblock_zone[pfn >>> pbo] === k.mem.pageblock_zone[buddy >>> pbo];
}

/*
 * Freeing and merging.
 *
 * The buddy of the block of order n at pfn is the block at pfn ^ (1 << n):
 * the other half of the aligned block of order n+1 that contains both.
 *
 *     order 2:   [ A A A A | B B B B ]      A at pfn 8, buddy B at 8 ^ 4 = 12
 *     order 3:   [ A A A A   A A A A ]      merged block at 8 & 12 = 8
 *
 * When a block is freed we look at its buddy: if the buddy is free and of the
 * same order, take it off its free list, merge, and look again one order up,
 * until the buddy is busy or the block reaches MAX_ORDER-1. Blocks of
 * pageblock order or more do not merge across pageblocks whose types cannot
 * mix (ISOLATE, CMA, HIGHATOMIC against the rest).
 *
 * The merged block goes to the head of its free list, unless the block one
 * order up looks like it may become free soon (its buddy is free already): then
 * it goes to the tail, so that it is less likely to be allocated before it
 * can merge further (buddy_merge_likely).
 */
export function __free_one_page(
  k: Kernel,
  pfn: number,
  zone: Zone,
  order: number,
  mt: number,
  fpi: number,
): void {
  const max = k.MAX_ORDER - 1;
  const pbo = k.pageblock_order;
  const mem = k.mem;
  const flags = mem.flags;
  const pageblock_zone = mem.pageblock_zone;
  const max_pfn = mem.max_pfn;
  const lw = mem.links.lru;
  VM_BUG_ON((pfn & ((1 << order) - 1)) !== 0, "pfn not aligned to order");
  if (mt !== MIGRATE_ISOLATE) __mod_zone_freepage_state(zone, 1 << order, mt);

  // page_is_buddy, against the zone of the block (the merged block stays in it).
  const zid = pageblock_zone[pfn >>> pbo];
  let buddy_pfn = -1;
  while (order < max) {
    buddy_pfn = pfn ^ (1 << order);
    if (buddy_pfn >= max_pfn) break;
    const f = flags[buddy_pfn];
    if ((f & PG_buddy) === 0 || (f & ORDER_MASK) >>> ORDER_SHIFT !== order) break;
    if (pageblock_zone[buddy_pfn >>> pbo] !== zid) break;
    if (order >= pbo) {
      const buddy_mt = mem.get_pageblock_migratetype(buddy_pfn);
      if (mt !== buddy_mt && (!migratetype_is_mergeable(mt) || !migratetype_is_mergeable(buddy_mt))) break;
    }
    // del_page_from_free_list(buddy_pfn), its links poisoned as list_del leaves them.
    const n = lw[buddy_pfn << 1];
    const p = lw[(buddy_pfn << 1) + 1];
    lw[p << 1] = n;
    lw[(n << 1) + 1] = p;
    lw[buddy_pfn << 1] = -1;
    lw[(buddy_pfn << 1) + 1] = -1;
    flags[buddy_pfn] = f & ~(PG_buddy | ORDER_MASK);
    zone.nr_free[order]--;
    pfn &= buddy_pfn;
    order++;
  }

  // set_buddy_order
  flags[pfn] = (flags[pfn] & ~ORDER_MASK) | (order << ORDER_SHIFT) | PG_buddy;
  const head = zone.free_list_base + order * MIGRATE_TYPES + mt;
  let to_tail: boolean;
  if (fpi & FPI_TO_TAIL) to_tail = true;
  else to_tail = buddy_merge_likely(k, pfn, buddy_pfn, order);
  if (to_tail) {
    const last = lw[(head << 1) + 1];
    lw[pfn << 1] = head;
    lw[(pfn << 1) + 1] = last;
    lw[last << 1] = pfn;
    lw[(head << 1) + 1] = pfn;
  } else {
    const first = lw[head << 1];
    lw[pfn << 1] = first;
    lw[(pfn << 1) + 1] = head;
    lw[(first << 1) + 1] = pfn;
    lw[head << 1] = pfn;
  }
  zone.nr_free[order]++;
}

function buddy_merge_likely(k: Kernel, pfn: number, buddy_pfn: number, order: number): boolean {
  if (order >= k.MAX_ORDER - 2 || buddy_pfn < 0) return false;
  const higher_page_pfn = buddy_pfn & pfn;
  const higher_buddy_pfn = higher_page_pfn ^ (1 << (order + 1));
  return page_is_buddy(k, higher_page_pfn, higher_buddy_pfn, order + 1);
}

/**
 * expand: we took a block of order `high` to satisfy a request of order
 * `low`; give back the upper halves, largest first, keeping the lowest part.
 *
 *     high=3, low=0:  [0 1 2 3 4 5 6 7] -> 4..7 to order 2, 2..3 to order 1,
 *                                         1 to order 0, page 0 is returned
 */
function expand(k: Kernel, zone: Zone, pfn: number, low: number, high: number, mt: number): void {
  let size = 1 << high;
  while (high > low) {
    high--;
    size >>= 1;
    add_to_free_list(k, pfn + size, zone, high, mt);
    set_buddy_order(k, pfn + size, high);
  }
}

/** __rmqueue_smallest: the smallest free block of this type that is big enough. */
export function __rmqueue_smallest(k: Kernel, zone: Zone, order: number, mt: number): number {
  const mem = k.mem;
  const lw = mem.links.lru;
  const max = k.MAX_ORDER;
  let head = zone.free_list_base + order * MIGRATE_TYPES + mt;
  for (let current_order = order; current_order < max; current_order++, head += MIGRATE_TYPES) {
    const pfn = lw[head << 1];
    if (pfn === head) continue;
    // del_page_from_free_list
    const n = lw[pfn << 1];
    lw[head << 1] = n;
    lw[(n << 1) + 1] = head;
    lw[pfn << 1] = -1;
    lw[(pfn << 1) + 1] = -1;
    mem.flags[pfn] &= ~(PG_buddy | ORDER_MASK);
    zone.nr_free[current_order]--;
    if (current_order > order) expand(k, zone, pfn, order, current_order, mt);
    return pfn;
  }
  return -1;
}

/*
 * Fallback and stealing (anti-fragmentation).
 *
 * When no block of the wanted type is free, take one from another type
 * (fallbacks[] above), preferring the largest block: a big block is most
 * likely to hold a whole pageblock we can convert. If the block is at least
 * half a pageblock (or the request is unmovable/reclaimable), we may steal
 * the whole pageblock: move all its free pages to our list, and if at least
 * half the block is free or compatible, change the pageblock's type.
 */
function can_steal_fallback(k: Kernel, order: number, start_mt: number): boolean {
  if (order >= k.pageblock_order) return true;
  return order >= k.pageblock_order / 2 || start_mt === MIGRATE_RECLAIMABLE || start_mt === MIGRATE_UNMOVABLE;
}

/** find_suitable_fallback: a type to steal from at this order, or -1; sets out.can_steal. */
export function find_suitable_fallback(
  k: Kernel,
  zone: Zone,
  order: number,
  mt: number,
  only_stealable: boolean,
  out: { can_steal: boolean },
): number {
  out.can_steal = false;
  if (zone.nr_free[order] === 0) return -1;
  for (const fallback_mt of fallbacks[mt]) {
    if (free_area_empty(k, zone, order, fallback_mt)) continue;
    if (can_steal_fallback(k, order, mt)) out.can_steal = true;
    if (!only_stealable) return fallback_mt;
    if (out.can_steal) return fallback_mt;
  }
  return -1;
}

/**
 * move_freepages_block: move every free block in pfn's pageblock to the free
 * lists of migratetype. Returns the pages moved; counts movable in-use pages.
 */
export function move_freepages_block(
  k: Kernel,
  zone: Zone,
  pfn: number,
  mt: number,
  count?: { movable: number },
): number {
  const start = pfn & ~(k.pageblock_nr_pages - 1);
  const end = start + k.pageblock_nr_pages - 1;
  if (!zone.zone_spans_pfn(start) || !zone.zone_spans_pfn(end)) return 0;
  const mem = k.mem;
  let moved = 0;
  for (let p = start; p <= end; ) {
    const f = mem.flags[p];
    if ((f & PG_buddy) === 0) {
      if (count && (f & PG_lru) !== 0) count.movable++;
      p++;
      continue;
    }
    const order = mem.order(p);
    move_to_free_list(k, p, zone, order, mt);
    p += 1 << order;
    moved += 1 << order;
  }
  return moved;
}

function change_pageblock_range(k: Kernel, pfn: number, start_order: number, mt: number): void {
  let nr = 1 << (start_order - k.pageblock_order);
  while (nr-- > 0) {
    k.mem.set_pageblock_migratetype(pfn, mt);
    pfn += k.pageblock_nr_pages;
  }
}

/**
 * boost_watermark: after a fallback that fragments a pageblock, raise the
 * zone's watermarks a little so kswapd reclaims and the fragmentation can heal.
 */
function boost_watermark(k: Kernel, zone: Zone): boolean {
  const factor = k.sysctl_vm.watermark_boost_factor;
  if (!factor) return false;
  if (k.pageblock_nr_pages * 4 > zone.managed_pages) return false;
  let max_boost = Math.floor((zone._watermark[WMARK_HIGH] * factor) / 10000);
  if (!max_boost) return false;
  max_boost = Math.max(k.pageblock_nr_pages, max_boost);
  zone.watermark_boost = Math.min(zone.watermark_boost + k.pageblock_nr_pages, max_boost);
  return true;
}

function steal_suitable_fallback(
  k: Kernel,
  zone: Zone,
  pfn: number,
  alloc_flags: number,
  start_type: number,
  whole_block: boolean,
): void {
  const mem = k.mem;
  const current_order = mem.order(pfn);
  const old_block_type = mem.get_pageblock_migratetype(pfn);
  if (old_block_type === MIGRATE_HIGHATOMIC) {
    move_to_free_list(k, pfn, zone, current_order, start_type);
    return;
  }
  if (current_order >= k.pageblock_order) {
    change_pageblock_range(k, pfn, current_order, start_type);
    move_to_free_list(k, pfn, zone, current_order, start_type);
    return;
  }
  if (boost_watermark(k, zone) && alloc_flags & ALLOC_KSWAPD) zone.boosted_watermark = true;
  if (!whole_block) {
    move_to_free_list(k, pfn, zone, current_order, start_type);
    return;
  }
  const count = { movable: 0 };
  const free_pages = move_freepages_block(k, zone, pfn, start_type, count);
  if (!free_pages) {
    move_to_free_list(k, pfn, zone, current_order, start_type);
    return;
  }
  let alike_pages: number;
  if (start_type === MIGRATE_MOVABLE) alike_pages = count.movable;
  else if (old_block_type === MIGRATE_MOVABLE)
    alike_pages = k.pageblock_nr_pages - (free_pages + count.movable);
  else alike_pages = 0;
  if (free_pages + alike_pages >= 1 << (k.pageblock_order - 1))
    mem.set_pageblock_migratetype(pfn, start_type);
}

const stealOut = { can_steal: false };

/** __rmqueue_fallback: steal from another type's list; true when a block was moved to ours. */
function __rmqueue_fallback(
  k: Kernel,
  zone: Zone,
  order: number,
  start_mt: number,
  alloc_flags: number,
): boolean {
  let min_order = order;
  if (alloc_flags & ALLOC_NOFRAGMENT) min_order = k.pageblock_order;
  let current_order = k.MAX_ORDER - 1;
  let fallback_mt = -1;
  let found = false;
  for (; current_order >= min_order; current_order--) {
    fallback_mt = find_suitable_fallback(k, zone, current_order, start_mt, false, stealOut);
    if (fallback_mt === -1) continue;
    // Movable requests that cannot steal a whole block take the smallest
    // block instead of breaking up a large one.
    if (!stealOut.can_steal && start_mt === MIGRATE_MOVABLE && current_order > order) {
      for (current_order = order; current_order < k.MAX_ORDER; current_order++) {
        fallback_mt = find_suitable_fallback(k, zone, current_order, start_mt, false, stealOut);
        if (fallback_mt !== -1) break;
      }
      VM_BUG_ON(current_order === k.MAX_ORDER, "no fallback found on second pass");
    }
    found = true;
    break;
  }
  if (!found) return false;
  const pfn = get_page_from_free_area(k, zone, current_order, fallback_mt);
  steal_suitable_fallback(k, zone, pfn, alloc_flags, start_mt, stealOut.can_steal);
  return true;
}

/** __rmqueue: one block of this order for this type, with CMA balancing and fallback. */
export function __rmqueue(k: Kernel, zone: Zone, order: number, mt: number, alloc_flags: number): number {
  if (k.cfg.CMA && alloc_flags & ALLOC_CMA) {
    // Keep movable allocations spread over CMA when CMA holds most free pages.
    if (zone.vm_stat[NR_FREE_CMA_PAGES] > zone.vm_stat[NR_FREE_PAGES] / 2) {
      const pfn = __rmqueue_smallest(k, zone, order, MIGRATE_CMA);
      if (pfn >= 0) return pfn;
    }
  }
  for (;;) {
    let pfn = __rmqueue_smallest(k, zone, order, mt);
    if (pfn >= 0) return pfn;
    if (alloc_flags & ALLOC_CMA) {
      pfn = __rmqueue_smallest(k, zone, order, MIGRATE_CMA);
      if (pfn >= 0) return pfn;
    }
    if (!__rmqueue_fallback(k, zone, order, mt, alloc_flags)) return -1;
  }
}

/**
 * __isolate_free_page: take a free block off its free list for compaction's
 * free scanner, as long as the zone stays above its min watermark. A block
 * of at least half a pageblock makes its pageblocks MOVABLE (the pages will
 * hold migrated movable data). Returns the pages taken, 0 when refused.
 */
export function __isolate_free_page(k: Kernel, pfn: number, order: number): number {
  const zone = page_zone(k, pfn);
  const mt = k.mem.get_pageblock_migratetype(pfn);
  if (mt !== MIGRATE_ISOLATE) {
    const watermark = zone.min_wmark_pages() + (1 << order);
    if (!zone_watermark_ok(k, zone, 0, watermark, 0, ALLOC_CMA)) return 0;
    __mod_zone_freepage_state(zone, -(1 << order), mt);
  }
  del_page_from_free_list(k, pfn, zone, order);
  if (order >= k.pageblock_order - 1) {
    const end = pfn + (1 << order);
    for (let p = pfn; p < end; p += k.pageblock_nr_pages) {
      const bmt = k.mem.get_pageblock_migratetype(p);
      if (bmt !== MIGRATE_ISOLATE && bmt !== MIGRATE_HIGHATOMIC && bmt !== MIGRATE_CMA)
        k.mem.set_pageblock_migratetype(p, MIGRATE_MOVABLE);
    }
  }
  // The pages leave the allocator: debug_vm counts them as in use until freed.
  zone.nr_in_use += 1 << order;
  return 1 << order;
}

/* ------------------------------------------------------------------ */
/* Per-CPU lists                                                        */
/* ------------------------------------------------------------------ */

/**
 * rmqueue_bulk: move `count` blocks from the buddy lists to a pcp list,
 * in physical order at its tail. The pages' migratetype is remembered in
 * page->index (set_pcppage_migratetype) for when they are freed back.
 */
function rmqueue_bulk(
  k: Kernel,
  zone: Zone,
  order: number,
  count: number,
  list: number,
  mt: number,
  alloc_flags: number,
): number {
  const mem = k.mem;
  const flags = mem.flags;
  const pageblock_mt = mem.pageblock_mt;
  const pbo = k.pageblock_order;
  // Single pages come off whole blocks at once while that is what __rmqueue would do.
  let i = order === 0 ? rmqueue_bulk_runs(k, zone, count, list, mt, alloc_flags) : 0;
  for (; i < count; i++) {
    const pfn = __rmqueue(k, zone, order, mt, alloc_flags);
    if (pfn < 0) break;
    // list_add_tail
    const lw = mem.links.lru;
    const last = lw[(list << 1) + 1];
    lw[pfn << 1] = list;
    lw[(pfn << 1) + 1] = last;
    lw[last << 1] = pfn;
    lw[(list << 1) + 1] = pfn;
    // set_pcppage_migratetype
    const pcpmt = pageblock_mt[pfn >>> pbo];
    flags[pfn] = (flags[pfn] & ~ORDER_MASK) | (pcpmt << ORDER_SHIFT);
    if (pcpmt === MIGRATE_CMA) zone.vm_stat[NR_FREE_CMA_PAGES] -= 1 << order;
  }
  zone.vm_stat[NR_FREE_PAGES] -= i << order;
  return i;
}

/* Linux keeps the pcp migratetype in page->index; ours is in flags bits 24..27 (the order field is unused there). */
function set_pcppage_migratetype(k: Kernel, pfn: number, mt: number): void {
  k.mem.setOrder(pfn, mt);
}

function __rmqueue_pcplist(
  k: Kernel,
  zone: Zone,
  order: number,
  mt: number,
  alloc_flags: number,
  pcp: PerCpuPages,
): number {
  const list =
    pcp.lists[
      order <= PAGE_ALLOC_COSTLY_ORDER ? MIGRATE_PCPTYPES * order + mt : order_to_pindex(k, mt, order)
    ];
  const links = k.mem.links;
  if (links.lru[list << 1] === list && !rmqueue_pcplist_refill(k, zone, order, mt, alloc_flags, pcp, list))
    return -1;
  const pfn = links.lru[list << 1];
  list_del(links, pfn);
  k.mem.setOrder(pfn, 0);
  pcp.count -= 1 << order;
  return pfn;
}

/** The pcp list is empty: refill it with a batch from the buddy lists (false if none came). */
function rmqueue_pcplist_refill(
  k: Kernel,
  zone: Zone,
  order: number,
  mt: number,
  alloc_flags: number,
  pcp: PerCpuPages,
  list: number,
): boolean {
  let batch = pcp.batch;
  if (batch > 1) batch = Math.max(batch >> order, 2);
  const alloced = rmqueue_bulk(k, zone, order, batch, list, mt, alloc_flags);
  pcp.count += alloced << order;
  return k.mem.links.lru[list << 1] !== list;
}

/**
 * free_pcppages_bulk: give `count` pages back from the pcp lists to the
 * buddy lists, taking from each list in turn, oldest page (the tail) first.
 */
export function free_pcppages_bulk(
  k: Kernel,
  zone: Zone,
  count: number,
  pcp: PerCpuPages,
  pindex: number,
): void {
  const links = k.mem.links;
  const flags = k.mem.flags;
  const pageblock_mt = k.mem.pageblock_mt;
  const pbo = k.pageblock_order;
  const max_pfn = k.mem.max_pfn;
  let min_pindex = 0;
  let max_pindex = pcp.lists.length - 1;
  count = Math.min(pcp.count, count);
  pindex = pindex - 1;
  while (count > 0) {
    let list: number;
    for (;;) {
      if (++pindex > max_pindex) pindex = min_pindex;
      list = pcp.lists[pindex];
      if (links.lru[list << 1] !== list) break;
      if (pindex === max_pindex) max_pindex--;
      if (pindex === min_pindex) min_pindex++;
    }
    const order = pindex_to_order(k, pindex);
    const nr_pages = 1 << order;
    const lw = links.lru;
    do {
      const pfn = lw[(list << 1) + 1];
      // Single pages that follow each other, up (an exiting process's) or down (what a drain
      // finds of a refill): a run at a time.
      if (
        order === 0 &&
        count > 1 &&
        ((pfn + 1 < max_pfn && lw[(pfn << 1) + 1] === pfn + 1) || (pfn > 0 && lw[(pfn << 1) + 1] === pfn - 1))
      ) {
        const n = free_pcppages_run(k, zone, pcp, list, count, lw[(pfn << 1) + 1] === pfn - 1);
        if (n > 0) {
          count -= n;
          continue;
        }
      }
      // get_pcppage_migratetype, then list_del (poisoned) and the order field cleared.
      const f = flags[pfn];
      let mt = (f & ORDER_MASK) >>> ORDER_SHIFT;
      const p = lw[(pfn << 1) + 1];
      lw[p << 1] = list;
      lw[(list << 1) + 1] = p;
      lw[pfn << 1] = -1;
      lw[(pfn << 1) + 1] = -1;
      flags[pfn] = f & ~ORDER_MASK;
      count -= nr_pages;
      pcp.count -= nr_pages;
      if (mt === MIGRATE_ISOLATE) BUG("VM_BUG_ON(MIGRATE_ISOLATE page on a pcp list)");
      if (pageblock_mt[pfn >>> pbo] === MIGRATE_ISOLATE) mt = MIGRATE_ISOLATE;
      __free_one_page(k, pfn, zone, order, mt, FPI_NONE);
    } while (count > 0 && lw[list << 1] !== list);
  }
}

function nr_pcp_free(pcp: PerCpuPages, high: number, batch: number, free_high: boolean): number {
  if (free_high) return pcp.count;
  if (high < batch) return 1;
  const min_nr_free = batch;
  const max_nr_free = high - batch;
  batch <<= pcp.free_factor;
  if (batch < max_nr_free) pcp.free_factor++;
  return Math.min(Math.max(batch, min_nr_free), max_nr_free);
}

function free_unref_page_commit(
  k: Kernel,
  zone: Zone,
  pcp: PerCpuPages,
  pfn: number,
  mt: number,
  order: number,
): void {
  k.vm_events[PGFREE] += 1 << order;
  const pindex =
    order <= PAGE_ALLOC_COSTLY_ORDER ? MIGRATE_PCPTYPES * order + mt : order_to_pindex(k, mt, order);
  list_add(k.mem.links, pfn, pcp.lists[pindex]);
  pcp.count += 1 << order;
  // Freeing a high-order page drains the lists: its pages are likely to merge (free_high).
  if (order === 0 || pcp.free_factor === 0 || order > PAGE_ALLOC_COSTLY_ORDER) {
    if (pcp.count >= pcp.high) pcp_free_excess(k, zone, pcp, pindex, pcp.high, false);
  } else pcp_free_excess(k, zone, pcp, pindex, 0, true);
}

/** The drain of free_unref_page_commit once pcp->count reached high (0 with free_high). */
function pcp_free_excess(
  k: Kernel,
  zone: Zone,
  pcp: PerCpuPages,
  pindex: number,
  high: number,
  free_high: boolean,
): void {
  free_pcppages_bulk(k, zone, nr_pcp_free(pcp, high, pcp.batch, free_high), pcp, pindex);
}

/** drain_pages_zone / drain_all_pages: empty the pcp lists back into the buddy lists. */
export function drain_all_pages(k: Kernel, zone: Zone | null): void {
  const zones = zone ? [zone] : k.zones;
  for (const z of zones)
    for (const pcp of z.pageset) if (pcp.count) free_pcppages_bulk(k, z, pcp.count, pcp, 0);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                           */
/* ------------------------------------------------------------------ */

function zone_statistics(preferred: Zone, z: Zone, nr: number): void {
  if (z.node === preferred.node) z.vm_stat[NUMA_HIT] += nr;
  else {
    z.vm_stat[NUMA_MISS] += nr;
    preferred.vm_stat[NUMA_FOREIGN] += nr;
  }
  z.vm_stat[z.node === preferred.node ? NUMA_LOCAL : NUMA_OTHER] += nr;
}

/** rmqueue_buddy: take a block straight from the buddy lists. */
function rmqueue_buddy(k: Kernel, zone: Zone, order: number, alloc_flags: number, mt: number): number {
  let pfn = -1;
  if (order > 0 && alloc_flags & ALLOC_HARDER) pfn = __rmqueue_smallest(k, zone, order, MIGRATE_HIGHATOMIC);
  if (pfn < 0) pfn = __rmqueue(k, zone, order, mt, alloc_flags);
  if (pfn < 0) return -1;
  __mod_zone_freepage_state(zone, -(1 << order), k.mem.get_pageblock_migratetype(pfn));
  return pfn;
}

/** rmqueue: take a block from zone, through the pcp lists when the order allows. */
function rmqueue(
  k: Kernel,
  preferred: Zone,
  zone: Zone,
  order: number,
  alloc_flags: number,
  mt: number,
): number {
  let pfn = -1;
  // Movable requests that may not use CMA skip the pcp lists, which hold CMA pages.
  if (
    (order <= PAGE_ALLOC_COSTLY_ORDER || pcp_allowed_order(k, order)) &&
    (mt !== MIGRATE_MOVABLE || !k.cfg.CMA || alloc_flags & ALLOC_CMA)
  ) {
    const pcp = zone.pageset[k.cpu];
    pcp.free_factor >>= 1;
    pfn = __rmqueue_pcplist(k, zone, order, mt, alloc_flags, pcp);
  }
  if (pfn < 0) {
    pfn = rmqueue_buddy(k, zone, order, alloc_flags, mt);
    if (pfn < 0) return -1;
  }
  k.vm_events[PGALLOC + zone.zone_idx] += 1 << order;
  zone.nr_in_use += 1 << order;
  if (k.cfg.NUMA) zone_statistics(preferred, zone, 1);
  if (zone.boosted_watermark) rmqueue_wake_boosted(k, zone);
  return pfn;
}

/** The zone's watermark was boosted by a fragmenting fallback: kswapd reclaims the boost. */
function rmqueue_wake_boosted(k: Kernel, zone: Zone): void {
  zone.boosted_watermark = false;
  k.mm_hooks.wakeup_kswapd(k, zone, 0, 0, zone.zone_idx);
}

/** prep_new_page: refcount 1, zeroed if asked, compound metadata for __GFP_COMP. */
function prep_new_page(k: Kernel, pfn: number, order: number, gfp: number): void {
  const mem = k.mem;
  const nr = 1 << order;
  const ext = mem.ext(pfn);
  const i = pfn & (PAGES_PER_SECTION - 1);
  ext._refcount[i] = 1;
  ext.private_[i] = 0;
  if (gfp & __GFP_ZERO) for (let j = 0; j < nr; j++) mem.setTag(pfn + j, 0);
  if (order && gfp & __GFP_COMP) {
    mem.flags[pfn] |= PG_head;
    mem.setOrder(pfn, order);
    for (let j = 1; j < nr; j++) mem.flags[pfn + j] |= PG_tail;
  }
}

/** reserve_highatomic_pageblock: keep a pageblock for high-order atomic allocations. */
function reserve_highatomic_pageblock(k: Kernel, pfn: number, zone: Zone): void {
  const max_managed = Math.floor(zone.managed_pages / 100) + k.pageblock_nr_pages;
  if (zone.nr_reserved_highatomic >= max_managed) return;
  const mt = k.mem.get_pageblock_migratetype(pfn);
  if (migratetype_is_mergeable(mt)) {
    zone.nr_reserved_highatomic += k.pageblock_nr_pages;
    k.mem.set_pageblock_migratetype(pfn, MIGRATE_HIGHATOMIC);
    move_freepages_block(k, zone, pfn, MIGRATE_HIGHATOMIC);
  }
}

/** unreserve_highatomic_pageblock: give highatomic blocks back before going OOM. */
function unreserve_highatomic_pageblock(k: Kernel, ac: AllocContext, force: boolean): boolean {
  for (const zone of ac.zonelist) {
    if (zone.zone_idx > ac.highest_zoneidx) continue;
    if (!force && zone.nr_reserved_highatomic <= k.pageblock_nr_pages) continue;
    for (let order = 0; order < k.MAX_ORDER; order++) {
      const pfn = get_page_from_free_area(k, zone, order, MIGRATE_HIGHATOMIC);
      if (pfn < 0) continue;
      if (k.mem.get_pageblock_migratetype(pfn) === MIGRATE_HIGHATOMIC)
        zone.nr_reserved_highatomic -= Math.min(k.pageblock_nr_pages, zone.nr_reserved_highatomic);
      k.mem.set_pageblock_migratetype(pfn, ac.migratetype);
      if (move_freepages_block(k, zone, pfn, ac.migratetype)) return true;
    }
  }
  return false;
}

/*
 * Watermarks.
 *
 * A zone may serve a request only if, after it, its free pages stay above
 * the chosen watermark plus the lowmem_reserve kept for requests that could
 * have used a higher zone. __GFP_HIGH requests may go halfway below min,
 * atomic ones a quarter, OOM victims three quarters. For order > 0 there must
 * also be a free block of at least that order of a usable type.
 */
function __zone_watermark_unusable_free(k: Kernel, z: Zone, order: number, alloc_flags: number): number {
  let unusable = (1 << order) - 1;
  if (!(alloc_flags & (ALLOC_HARDER | ALLOC_OOM))) unusable += z.nr_reserved_highatomic;
  if (k.cfg.CMA && !(alloc_flags & ALLOC_CMA)) unusable += z.zone_page_state(NR_FREE_CMA_PAGES);
  return unusable;
}

export function __zone_watermark_ok(
  k: Kernel,
  z: Zone,
  order: number,
  mark: number,
  highest_zoneidx: number,
  alloc_flags: number,
  free_pages: number,
): boolean {
  let min = mark;
  const alloc_harder = (alloc_flags & (ALLOC_HARDER | ALLOC_OOM)) !== 0;
  free_pages -= __zone_watermark_unusable_free(k, z, order, alloc_flags);
  if (alloc_flags & ALLOC_HIGH) min -= Math.floor(min / 2);
  if (alloc_harder) {
    if (alloc_flags & ALLOC_OOM) min -= Math.floor(min / 2);
    else min -= Math.floor(min / 4);
  }
  if (free_pages <= min + z.lowmem_reserve[highest_zoneidx]) return false;
  if (!order) return true;
  for (let o = order; o < k.MAX_ORDER; o++) {
    if (!z.nr_free[o]) continue;
    for (let mt = 0; mt < MIGRATE_PCPTYPES; mt++) if (!free_area_empty(k, z, o, mt)) return true;
    if (k.cfg.CMA && alloc_flags & ALLOC_CMA && !free_area_empty(k, z, o, MIGRATE_CMA)) return true;
    if (alloc_harder && !free_area_empty(k, z, o, MIGRATE_HIGHATOMIC)) return true;
  }
  return false;
}

export function zone_watermark_ok(
  k: Kernel,
  z: Zone,
  order: number,
  mark: number,
  highest_zoneidx: number,
  alloc_flags: number,
): boolean {
  return __zone_watermark_ok(
    k,
    z,
    order,
    mark,
    highest_zoneidx,
    alloc_flags,
    z.zone_page_state(NR_FREE_PAGES),
  );
}

function zone_watermark_fast(
  k: Kernel,
  z: Zone,
  order: number,
  mark: number,
  highest_zoneidx: number,
  alloc_flags: number,
  gfp: number,
): boolean {
  // The fast check for order 0, inlined into the caller: free pages less the unusable ones.
  if (order === 0) {
    let unusable = alloc_flags & (ALLOC_HARDER | ALLOC_OOM) ? 0 : z.nr_reserved_highatomic;
    if (k.cfg.CMA && !(alloc_flags & ALLOC_CMA)) unusable += z.vm_stat[NR_FREE_CMA_PAGES];
    const free = z.vm_stat[NR_FREE_PAGES];
    if (free - Math.min(free, unusable) > mark + z.lowmem_reserve[highest_zoneidx]) return true;
    // The full check cannot pass either unless it may go under the mark (ALLOC_HIGH, HARDER,
    // OOM) or retry an atomic request at the min watermark: it counts at least these unusable
    // pages against no more free ones. (Most allocations under the low watermark end here.)
    if (!(alloc_flags & (ALLOC_HIGH | ALLOC_HARDER | ALLOC_OOM)) && !(gfp & __GFP_ATOMIC)) return false;
  }
  return zone_watermark_slow(k, z, order, mark, highest_zoneidx, alloc_flags, gfp);
}

/** The rest of zone_watermark_fast: the full check, and the boosted-watermark retry for atomic requests. */
function zone_watermark_slow(
  k: Kernel,
  z: Zone,
  order: number,
  mark: number,
  highest_zoneidx: number,
  alloc_flags: number,
  gfp: number,
): boolean {
  const free_pages = z.zone_page_state(NR_FREE_PAGES);
  if (__zone_watermark_ok(k, z, order, mark, highest_zoneidx, alloc_flags, free_pages)) return true;
  if (!order && gfp & __GFP_ATOMIC && z.watermark_boost && (alloc_flags & ALLOC_WMARK_MASK) === WMARK_MIN) {
    return __zone_watermark_ok(
      k,
      z,
      order,
      z._watermark[WMARK_MIN],
      highest_zoneidx,
      alloc_flags,
      free_pages,
    );
  }
  return false;
}

function zone_allowed(zone: Zone, ac: AllocContext): boolean {
  return zone.zone_idx <= ac.highest_zoneidx && (ac.nodemask === null || ac.nodemask.includes(zone.node));
}

/**
 * get_page_from_freelist: walk the zonelist, preferred zone first, and take
 * a block from the first zone that passes its watermark check. A pass that
 * found nothing without fragmenting tries again allowing fallbacks.
 */
function get_page_from_freelist(
  k: Kernel,
  gfp: number,
  order: number,
  alloc_flags: number,
  ac: AllocContext,
): number {
  const zonelist = ac.zonelist;
  const highest_zoneidx = ac.highest_zoneidx;
  const wmark = alloc_flags & ALLOC_WMARK_MASK;
  for (let i = 0; i < zonelist.length; i++) {
    const zone = zonelist[i];
    if (zone.zone_idx > highest_zoneidx) continue;
    if (ac.nodemask !== null && !ac.nodemask.includes(zone.node)) continue;
    // Locality matters more than fragmentation: on another node, retry allowing fallbacks.
    if (alloc_flags & ALLOC_NOFRAGMENT && zone.node !== ac.preferred_zone!.node) break;
    if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
      const mark = zone._watermark[wmark] + zone.watermark_boost; // wmark_pages
      if (order === 0) {
        // zone_watermark_fast's order-0 test, written out here (most allocations).
        let unusable = alloc_flags & (ALLOC_HARDER | ALLOC_OOM) ? 0 : zone.nr_reserved_highatomic;
        if (k.cfg.CMA && !(alloc_flags & ALLOC_CMA)) unusable += zone.vm_stat[NR_FREE_CMA_PAGES];
        const free = zone.vm_stat[NR_FREE_PAGES];
        if (
          free - Math.min(free, unusable) <= mark + zone.lowmem_reserve[highest_zoneidx] &&
          (!(alloc_flags & (ALLOC_HIGH | ALLOC_HARDER | ALLOC_OOM)) && !(gfp & __GFP_ATOMIC)
            ? true
            : !zone_watermark_slow(k, zone, 0, mark, highest_zoneidx, alloc_flags, gfp))
        )
          continue;
      } else if (!zone_watermark_fast(k, zone, order, mark, highest_zoneidx, alloc_flags, gfp)) continue;
    }
    const pfn = rmqueue(k, ac.preferred_zone!, zone, order, alloc_flags, ac.migratetype);
    if (pfn >= 0) {
      if (order === 0 && !(gfp & __GFP_ZERO)) {
        // prep_new_page of one page, not zeroed: a reference, no private data.
        const ext = k.mem.ext(pfn);
        const j = pfn & (PAGES_PER_SECTION - 1);
        ext._refcount[j] = 1;
        ext.private_[j] = 0;
      } else prep_new_page(k, pfn, order, gfp);
      if (order && alloc_flags & ALLOC_HARDER) reserve_highatomic_pageblock(k, pfn, zone);
      return pfn;
    }
  }
  if (alloc_flags & ALLOC_NOFRAGMENT)
    return get_page_from_freelist(k, gfp, order, alloc_flags & ~ALLOC_NOFRAGMENT, ac);
  return -1;
}

/** gfp_zone: the highest zone type the GFP zone modifiers allow. */
export function gfp_zone(k: Kernel, gfp: number): number {
  const zt = k.zt;
  if (gfp & __GFP_DMA) return zt.ZONE_DMA;
  if (gfp & __GFP_DMA32) return zt.ZONE_DMA32 >= 0 ? zt.ZONE_DMA32 : zt.ZONE_NORMAL;
  if (gfp & __GFP_HIGHMEM) {
    if (gfp & __GFP_MOVABLE) return zt.ZONE_MOVABLE;
    return zt.ZONE_HIGHMEM >= 0 ? zt.ZONE_HIGHMEM : zt.ZONE_NORMAL;
  }
  return zt.ZONE_NORMAL;
}

/** node_zonelist: the node's zones, highest type first, then other nodes'. */
export function node_zonelist(k: Kernel, nid: number): Zone[] {
  const order = [nid, ...k.nodes.map((n) => n.node_id).filter((n) => n !== nid)];
  const out: Zone[] = [];
  for (const n of order) {
    const zones = k.nodes[n].node_zones;
    for (let i = zones.length - 1; i >= 0; i--) if (zones[i].managed_pages > 0) out.push(zones[i]);
  }
  return out;
}

/** Rebuilds the zonelists (build_all_zonelists) after managed pages change. */
export function build_all_zonelists(k: Kernel): void {
  k.zonelists = k.nodes.map((n) => node_zonelist(k, n.node_id));
  k.preferred_zones = k.zonelists.map((list) => {
    const per: (Zone | null)[] = [];
    for (let hz = 0; hz < k.zt.MAX_NR_ZONES; hz++) per.push(list.find((z) => z.zone_idx <= hz) ?? null);
    return per;
  });
}

function first_zone(ac: AllocContext): Zone | null {
  const list = ac.zonelist;
  for (let i = 0; i < list.length; i++) if (zone_allowed(list[i], ac)) return list[i];
  return null;
}

function alloc_flags_nofragment(k: Kernel, zone: Zone | null, gfp: number): number {
  let alloc_flags = gfp & __GFP_KSWAPD_RECLAIM;
  if (k.zt.ZONE_DMA32 < 0 || !zone) return alloc_flags;
  if (zone.zone_idx !== k.zt.ZONE_NORMAL) return alloc_flags;
  const z = k.nodes[zone.node].node_zones[k.zt.ZONE_DMA32];
  if (!z.populated_zone()) return alloc_flags;
  alloc_flags |= ALLOC_NOFRAGMENT;
  return alloc_flags;
}

function gfp_to_alloc_flags_cma(k: Kernel, gfp: number, alloc_flags: number): number {
  if (k.cfg.CMA && gfp_migratetype(gfp) === MIGRATE_MOVABLE) alloc_flags |= ALLOC_CMA;
  return alloc_flags;
}

/**
 * __alloc_pages: allocate 2^order contiguous pages; returns the first pfn or
 * -1. The fast path tries the low watermark everywhere; failing that, the
 * slow path wakes kswapd, tries the min watermark, reclaims, compacts, and
 * finally calls the OOM killer.
 */
export function __alloc_pages(
  k: Kernel,
  gfp: number,
  order: number,
  preferred_nid: number,
  nodemask: readonly number[] | null,
): number {
  if (order >= k.MAX_ORDER) {
    if (!(gfp & __GFP_NOWARN))
      k.printk.printk(KERN_WARNING, `WARNING: __alloc_pages: order ${order} >= MAX_ORDER`);
    return -1;
  }
  if (k.zonelists.length === 0) build_all_zonelists(k);
  // One context per nesting level: no allocation on the fast path.
  const depth = k.alloc_depth;
  const ac = k.alloc_contexts[depth] ?? new_alloc_context(k, depth);
  // prepare_alloc_pages
  const highest_zoneidx = gfp_zone(k, gfp);
  // (The context's object fields are compared before they are stored: most calls store what is
  // there, and a store is a write barrier.)
  const zonelist = k.zonelists[preferred_nid];
  if (ac.zonelist !== zonelist) ac.zonelist = zonelist;
  if (ac.nodemask !== nodemask) ac.nodemask = nodemask;
  ac.migratetype = gfp_migratetype(gfp);
  ac.highest_zoneidx = highest_zoneidx;
  // The preferred zone of a nodemask-free request is known in advance (first_zones_zonelist).
  const preferred = nodemask === null ? k.preferred_zones[preferred_nid][highest_zoneidx] : first_zone(ac);
  if (ac.preferred_zone !== preferred) ac.preferred_zone = preferred;
  if (preferred === null) return -1;
  // The first try: the low watermark, and no fragmenting fallback while another zone could serve.
  let alloc_flags = ALLOC_WMARK_LOW;
  if (k.cfg.CMA) alloc_flags = gfp_to_alloc_flags_cma(k, gfp, alloc_flags);
  alloc_flags |= alloc_flags_nofragment(k, preferred, gfp);
  k.alloc_depth = depth + 1;
  let pfn = get_page_from_freelist(k, gfp, order, alloc_flags, ac);
  if (pfn < 0) pfn = __alloc_pages_slowpath(k, gfp, order, ac);
  k.alloc_depth = depth;
  return pfn;
}

/**
 * __alloc_pages(k, gfp, 0, nid, null) for one page, in one piece when its
 * first try is served by a pcp list: prepare_alloc_pages' context, then
 * get_page_from_freelist's walk - each zone under its watermark skipped as
 * there - and the first zone that passes gives the page from its pcp list
 * (rmqueue, __rmqueue_pcplist, prep_new_page of an order-0 page). Same
 * counters, same lists, same context left behind. Anything else (an empty
 * pcp list, no zone over its mark, CMA, a nodemask, the zonelists or the
 * context level not made yet) is left, untouched, to __alloc_pages itself.
 * For page faults, which allocate one page at a time by the hundred thousand.
 */
export function alloc_pages_pcp(k: Kernel, gfp: number, nid: number): number {
  const depth = k.alloc_depth;
  const ac = k.alloc_contexts[depth];
  if (k.zonelists.length === 0 || ac === undefined) return __alloc_pages(k, gfp, 0, nid, null);
  const zone = pcp_walk(k, gfp, nid, ac);
  if (zone !== null) return rmqueue_pcp_0(k, zone, ac, gfp, depth);
  if (!pcp_walk_slowpath) return __alloc_pages(k, gfp, 0, nid, null);
  // No zone over its low mark (get_page_from_freelist's -1, nothing to retry): the slow path, as
  // __alloc_pages goes there, with the context it leaves (set by the walk).
  k.alloc_depth = depth + 1;
  const pfn = __alloc_pages_slowpath(k, gfp, 0, ac);
  k.alloc_depth = depth;
  return pfn;
}

/** Where pcp_walk ended without a zone: true for the slow path, false for __alloc_pages. */
let pcp_walk_slowpath = false;

/**
 * alloc_pages_pcp's walk: the zone whose pcp list gives the page (the
 * context set as __alloc_pages would leave it), or null - then
 * pcp_walk_slowpath says where the request goes (the context set for the
 * slow path; untouched for __alloc_pages).
 */
function pcp_walk(k: Kernel, gfp: number, nid: number, ac: AllocContextLevel): Zone | null {
  pcp_walk_slowpath = false;
  const highest_zoneidx = gfp_zone(k, gfp);
  const preferred = k.preferred_zones[nid][highest_zoneidx];
  if (preferred === null) return null;
  const zonelist = k.zonelists[nid];
  const mt = gfp_migratetype(gfp);
  let alloc_flags = ALLOC_WMARK_LOW;
  if (k.cfg.CMA) alloc_flags = gfp_to_alloc_flags_cma(k, gfp, alloc_flags);
  alloc_flags |= alloc_flags_nofragment(k, preferred, gfp);
  // A movable request that may not use CMA skips the pcp lists (rmqueue): __alloc_pages.
  if (k.cfg.CMA && mt === MIGRATE_MOVABLE && !(alloc_flags & ALLOC_CMA)) return null;
  // get_page_from_freelist's walk, order 0, no nodemask, no ALLOC_HARDER/OOM/HIGH (the low mark).
  let i = 0;
  for (; i < zonelist.length; i++) {
    const zone = zonelist[i];
    if (zone.zone_idx > highest_zoneidx) continue;
    if (alloc_flags & ALLOC_NOFRAGMENT && zone.node !== preferred.node) break;
    const mark = zone._watermark[WMARK_LOW] + zone.watermark_boost;
    let unusable = zone.nr_reserved_highatomic;
    if (k.cfg.CMA && !(alloc_flags & ALLOC_CMA)) unusable += zone.vm_stat[NR_FREE_CMA_PAGES];
    const free = zone.vm_stat[NR_FREE_PAGES];
    if (free - Math.min(free, unusable) <= mark + zone.lowmem_reserve[highest_zoneidx]) {
      if (gfp & __GFP_ATOMIC) break; // zone_watermark_slow's retry: __alloc_pages decides
      continue;
    }
    // rmqueue through the pcp list, when it has a page (a refill is __alloc_pages' business).
    const list = zone.pageset[k.cpu].lists[mt];
    if (k.mem.links.lru[list << 1] === list) break;
    alloc_context_set(ac, zonelist, mt, highest_zoneidx, preferred);
    pcp_zone_alloc_flags = alloc_flags;
    return zone;
  }
  if (i < zonelist.length || alloc_flags & ALLOC_NOFRAGMENT) return null;
  alloc_context_set(ac, zonelist, mt, highest_zoneidx, preferred);
  pcp_walk_slowpath = true;
  return null;
}

/**
 * rmqueue from zone's pcp list (not empty) of the request's type, the
 * context ac set: __rmqueue_pcplist's page, rmqueue's counts, and
 * prep_new_page of an order-0 page.
 */
function rmqueue_pcp_0(k: Kernel, zone: Zone, ac: AllocContextLevel, gfp: number, depth: number): number {
  const pcp = zone.pageset[k.cpu];
  const links = k.mem.links;
  const pfn = links.lru[pcp.lists[ac.migratetype] << 1];
  pcp.free_factor >>= 1;
  list_del(links, pfn);
  const flags = k.mem.flags;
  flags[pfn] &= ~ORDER_MASK;
  pcp.count -= 1;
  k.vm_events[PGALLOC + zone.zone_idx] += 1;
  zone.nr_in_use += 1;
  if (k.cfg.NUMA) zone_statistics(ac.preferred_zone!, zone, 1);
  if (zone.boosted_watermark) {
    k.alloc_depth = depth + 1;
    rmqueue_wake_boosted(k, zone);
    k.alloc_depth = depth;
  }
  if (gfp & __GFP_ZERO) prep_new_page(k, pfn, 0, gfp);
  else {
    const ext = k.mem.ext(pfn);
    const j = pfn & (PAGES_PER_SECTION - 1);
    ext._refcount[j] = 1;
    ext.private_[j] = 0;
  }
  return pfn;
}

/**
 * For a run of page faults (fault.ts anon_write_run), which allocate one
 * page after another with nothing in between that a watermark check reads:
 * the zone alloc_pages_pcp(k, gfp, nid) takes its page from now, the
 * context set as it leaves it, or null when it would go elsewhere. Its
 * pcp list then gives that call's pages (rmqueue_pcp_0), one per call,
 * until it runs empty - as long as nothing but such calls changed the
 * zones' free pages, watermarks or reserves, or the allocation context.
 * When no zone is over its low mark, the zone is the slow path's
 * (pcp_walk_min), if its first try takes the page from a pcp list.
 */
export function alloc_pages_pcp_zone(k: Kernel, gfp: number, nid: number): Zone | null {
  const ac = k.alloc_contexts[k.alloc_depth];
  pcp_walk_min_none = false;
  pcp_walk_min_wake = -1;
  if (k.zonelists.length === 0 || ac === undefined) return null;
  const zone = pcp_walk(k, gfp, nid, ac);
  if (zone === null) return pcp_walk_slowpath ? pcp_walk_min(k, gfp, ac) : null;
  return !zone.boosted_watermark ? zone : null;
}

/** Where pcp_walk_min ended: no zone over its min mark either. */
let pcp_walk_min_none = false;
/** The gfp of pcp_walk_min's zone, whose first page wakes kswapd (-1: none). */
let pcp_walk_min_wake = -1;

/**
 * alloc_pages_pcp_zone's zone gave pages: if it is the slow path's, the
 * kswapd wakeups the first one's slow path made (wake_all_kswapds), which
 * read nothing the pages' allocations change; the further ones find kswapd
 * woken (or the node as the first found it) and do nothing.
 */
export function alloc_pages_pcp_zone_taken(k: Kernel): void {
  const gfp = pcp_walk_min_wake;
  if (gfp < 0) return;
  pcp_walk_min_wake = -1;
  if (gfp_to_alloc_flags(k, gfp) & ALLOC_KSWAPD)
    wake_all_kswapds(k, 0, gfp, k.alloc_contexts[k.alloc_depth]!);
}

/**
 * __alloc_pages_slowpath's start for an order-0 request without nodemask,
 * pcp_walk having set the context and found no zone over its low mark:
 * kswapd woken (wake_all_kswapds: left to alloc_pages_pcp_zone_taken, for
 * when a page is taken), then get_page_from_freelist at the min mark. The
 * zone whose pcp list gives the page, or null (a refill, no zone over its
 * min mark, the flags of a request that may dip deeper...). Each further
 * fault that takes its page from that list does the same: its kswapd
 * wakeups find kswapd woken already (or the node as it was: nothing they
 * read changes), its walk the same zones under their marks.
 */
function pcp_walk_min(k: Kernel, gfp: number, ac: AllocContextLevel): Zone | null {
  const alloc_flags = gfp_to_alloc_flags(k, gfp);
  if (alloc_flags & (ALLOC_HIGH | ALLOC_HARDER | ALLOC_OOM) || gfp & __GFP_ATOMIC) return null;
  const mt = ac.migratetype;
  if (k.cfg.CMA && mt === MIGRATE_MOVABLE && !(alloc_flags & ALLOC_CMA)) return null;
  const zonelist = ac.zonelist;
  const highest_zoneidx = ac.highest_zoneidx;
  for (let i = 0; i < zonelist.length; i++) {
    const zone = zonelist[i];
    if (zone.zone_idx > highest_zoneidx) continue;
    const mark = zone._watermark[WMARK_MIN] + zone.watermark_boost;
    let unusable = zone.nr_reserved_highatomic;
    if (k.cfg.CMA && !(alloc_flags & ALLOC_CMA)) unusable += zone.vm_stat[NR_FREE_CMA_PAGES];
    const free = zone.vm_stat[NR_FREE_PAGES];
    if (free - Math.min(free, unusable) <= mark + zone.lowmem_reserve[highest_zoneidx]) continue;
    const list = zone.pageset[k.cpu].lists[mt];
    if (k.mem.links.lru[list << 1] === list || zone.boosted_watermark) return null;
    pcp_walk_min_wake = gfp;
    pcp_zone_alloc_flags = alloc_flags;
    return zone;
  }
  pcp_walk_min_none = true;
  return null;
}

/** The alloc_flags of the first try whose zone alloc_pages_pcp_zone (or pcp_walk) found: the low mark's or the slow path's. */
let pcp_zone_alloc_flags = 0;

/**
 * alloc_pages_pcp_zone's zone gave its pcp list's last page (list, of type
 * mt, in pcp) to the faults before, and the next fault takes its page from
 * the same zone (its walk reads nothing those changed): rmqueue refills the
 * list there (rmqueue_pcplist_refill with that try's alloc_flags) and
 * takes the first page. Done here only when the refill is bulk work alone:
 * a free block of type mt holds the whole batch, so rmqueue_bulk takes
 * every page off blocks of that type or CMA's (rmqueue_bulk_runs), never
 * from a fallback - no pageblock is stolen, no watermark boosted, no kswapd
 * woken by rmqueue. Otherwise -1, nothing done: the fault goes the full
 * way. Else the list is refilled, and the result says whether the fault
 * after this one still finds the zone first (1): the refill took free
 * pages, so the zone's mark is tested again as that fault's walk will (the
 * zones before it in the walk are as they were); 0: it must walk again.
 */
export function alloc_pages_pcp_zone_refill(
  k: Kernel,
  zone: Zone,
  pcp: PerCpuPages,
  list: number,
  mt: number,
): number {
  const alloc_flags = pcp_zone_alloc_flags;
  const lw = k.mem.links.lru;
  let batch = pcp.batch;
  if (batch > 1) batch = Math.max(batch, 2);
  // The smallest order whose block holds the batch, and a block of type mt of that order or more.
  let order = 32 - Math.clz32(batch - 1);
  let head = zone.free_list_base + order * MIGRATE_TYPES + mt;
  for (; order < k.MAX_ORDER; order++, head += MIGRATE_TYPES) if (lw[head << 1] !== head) break;
  if (order >= k.MAX_ORDER) return -1;
  rmqueue_pcplist_refill(k, zone, 0, mt, alloc_flags, pcp, list);
  // The walk's test of this zone for the next fault: the mark of the try that found it.
  const ac = k.alloc_contexts[k.alloc_depth]!;
  const mark = zone._watermark[alloc_flags & ALLOC_WMARK_MASK] + zone.watermark_boost;
  let unusable = zone.nr_reserved_highatomic;
  if (k.cfg.CMA && !(alloc_flags & ALLOC_CMA)) unusable += zone.vm_stat[NR_FREE_CMA_PAGES];
  const free = zone.vm_stat[NR_FREE_PAGES];
  return free - Math.min(free, unusable) > mark + zone.lowmem_reserve[ac.highest_zoneidx] ? 1 : 0;
}

/**
 * Did the last alloc_pages_pcp_zone find no zone over its low mark, and
 * none over its min mark either (the slow path's reclaim)? Then none is
 * until pages are freed.
 */
export function alloc_pages_pcp_zone_low(): boolean {
  return pcp_walk_min_none;
}

/** The context __alloc_pages leaves for a request without nodemask (object fields compared first, as there). */
function alloc_context_set(
  ac: AllocContextLevel,
  zonelist: readonly Zone[],
  mt: number,
  highest_zoneidx: number,
  preferred: Zone,
): void {
  if (ac.zonelist !== zonelist) ac.zonelist = zonelist;
  if (ac.nodemask !== null) ac.nodemask = null;
  ac.migratetype = mt;
  ac.highest_zoneidx = highest_zoneidx;
  if (ac.preferred_zone !== preferred) ac.preferred_zone = preferred;
}

function new_alloc_context(k: Kernel, depth: number): AllocContextLevel {
  const ac = new AllocContextLevel();
  k.alloc_contexts[depth] = ac;
  return ac;
}

/** alloc_pages: from the node of the current CPU (numa_node_id()). */
export function alloc_pages(k: Kernel, gfp: number, order: number): number {
  return __alloc_pages(k, gfp, order, numa_node_id(k), null);
}

export function numa_node_id(k: Kernel): number {
  const n = k.nodes.length;
  return n === 1 ? 0 : k.cpu % n;
}

/* ------------------------------------------------------------------ */
/* The slow path                                                        */
/* ------------------------------------------------------------------ */

function gfp_to_alloc_flags(k: Kernel, gfp: number): number {
  let alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
  alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
  if (gfp & __GFP_ATOMIC) {
    if (!(gfp & __GFP_NOMEMALLOC)) alloc_flags |= ALLOC_HARDER;
    alloc_flags &= ~ALLOC_CPUSET;
  }
  return gfp_to_alloc_flags_cma(k, gfp, alloc_flags);
}

function __gfp_pfmemalloc_flags(k: Kernel, gfp: number): number {
  if (gfp & __GFP_NOMEMALLOC) return 0;
  if (gfp & __GFP_MEMALLOC) return ALLOC_NO_WATERMARKS;
  const cur = k.mm_hooks.current_task(k);
  if (cur.pf_memalloc) return ALLOC_NO_WATERMARKS;
  if (cur.oom_victim) return ALLOC_OOM;
  return 0;
}

function wake_all_kswapds(k: Kernel, order: number, gfp: number, ac: AllocContext): void {
  const list = ac.zonelist;
  const highest_zoneidx = ac.highest_zoneidx;
  const nodemask = ac.nodemask;
  let last_node = -1;
  for (let i = 0; i < list.length; i++) {
    const zone = list[i];
    if (zone.zone_idx > highest_zoneidx || (nodemask !== null && !nodemask.includes(zone.node))) continue;
    if (zone.node !== last_node) {
      last_node = zone.node;
      k.mm_hooks.wakeup_kswapd(k, zone, gfp, order, highest_zoneidx);
    }
  }
}

/** zone_reclaimable_pages: file LRU pages, plus anon ones when there is swap to put them in. */
export function zone_reclaimable_pages(k: Kernel, zone: Zone): number {
  let nr = zone.zone_page_state(NR_ZONE_INACTIVE_FILE) + zone.zone_page_state(NR_ZONE_ACTIVE_FILE);
  if (k.mm_stat.nr_swap_pages > 0)
    nr += zone.zone_page_state(NR_ZONE_INACTIVE_ANON) + zone.zone_page_state(NR_ZONE_ACTIVE_ANON);
  return nr;
}

function should_reclaim_retry(
  k: Kernel,
  order: number,
  ac: AllocContext,
  alloc_flags: number,
  progress: boolean,
  loops: { n: number },
): boolean {
  if (progress && order <= PAGE_ALLOC_COSTLY_ORDER) loops.n = 0;
  else loops.n++;
  if (loops.n > MAX_RECLAIM_RETRIES) return unreserve_highatomic_pageblock(k, ac, true);
  for (const zone of ac.zonelist) {
    if (!zone_allowed(zone, ac)) continue;
    const available = zone_reclaimable_pages(k, zone) + zone.zone_page_state(NR_FREE_PAGES);
    if (
      __zone_watermark_ok(k, zone, order, zone.min_wmark_pages(), ac.highest_zoneidx, alloc_flags, available)
    )
      return true;
  }
  return unreserve_highatomic_pageblock(k, ac, true);
}

/**
 * should_compact_retry: after reclaim made progress, is another round of
 * compaction worth it? Progress earns up to MAX_COMPACT_RETRIES rounds
 * (a quarter for costly orders); a failed, deferred or partial run raises
 * the priority instead (down to MIN_COMPACT_PRIORITY, or the costly
 * minimum) and starts the count again; a run skipped for lack of free
 * pages retries while reclaim could give compaction enough to work with.
 */
function should_compact_retry(
  k: Kernel,
  ac: AllocContext,
  order: number,
  alloc_flags: number,
  result: number,
  cp: { priority: number; retries: number },
): boolean {
  if (!order) return false;
  if (compaction_made_progress(result)) cp.retries++;
  if (!compaction_failed(result)) {
    if (compaction_needs_reclaim(result)) return compaction_zonelist_suitable(k, ac, order, alloc_flags);
    if (!compaction_withdrawn(result)) {
      const max_retries = order > PAGE_ALLOC_COSTLY_ORDER ? MAX_COMPACT_RETRIES / 4 : MAX_COMPACT_RETRIES;
      if (cp.retries <= max_retries) return true;
    }
  }
  // check_priority: make sure the most thorough priority had its turn.
  const min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
  if (cp.priority > min_priority) {
    cp.priority--;
    cp.retries = 0;
    return true;
  }
  return false;
}

function __alloc_pages_direct_compact(
  k: Kernel,
  gfp: number,
  order: number,
  alloc_flags: number,
  ac: AllocContext,
  prio: number,
  res: { compact_result: number },
): number {
  if (!order) return -1;
  const stalled = psi_memstall_enter(k);
  res.compact_result = k.mm_hooks.try_to_compact_pages(k, gfp, order, alloc_flags, ac, prio);
  psi_memstall_leave(k, stalled);
  if (res.compact_result === COMPACT_SKIPPED) return -1;
  k.vm_events[COMPACTSTALL]++;
  const pfn = get_page_from_freelist(k, gfp, order, alloc_flags, ac);
  if (pfn >= 0) {
    compaction_defer_reset(page_zone(k, pfn), order, true);
    k.vm_events[COMPACTSUCCESS]++;
    return pfn;
  }
  k.vm_events[COMPACTFAIL]++;
  return -1;
}

function __alloc_pages_direct_reclaim(
  k: Kernel,
  gfp: number,
  order: number,
  alloc_flags: number,
  ac: AllocContext,
  progress: { n: number },
): number {
  // __perform_reclaim: the time reclaiming is a memory stall.
  const stalled = psi_memstall_enter(k);
  progress.n = k.mm_hooks.try_to_free_pages(k, gfp, order, ac.highest_zoneidx);
  psi_memstall_leave(k, stalled);
  if (!progress.n) return -1;
  let pfn = get_page_from_freelist(k, gfp, order, alloc_flags, ac);
  if (pfn < 0) {
    unreserve_highatomic_pageblock(k, ac, false);
    drain_all_pages(k, null);
    pfn = get_page_from_freelist(k, gfp, order, alloc_flags, ac);
  }
  return pfn;
}

function __alloc_pages_may_oom(
  k: Kernel,
  gfp: number,
  order: number,
  ac: AllocContext,
  progress: { n: number },
): number {
  progress.n = 0;
  // One more try at the high watermark, to catch a parallel OOM kill.
  const pfn = get_page_from_freelist(
    k,
    (gfp | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM,
    order,
    ALLOC_WMARK_HIGH | ALLOC_CPUSET,
    ac,
  );
  if (pfn >= 0) return pfn;
  if (order > PAGE_ALLOC_COSTLY_ORDER) return -1;
  if (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE)) return -1;
  if (ac.highest_zoneidx < k.zt.ZONE_NORMAL) return -1;
  if (k.mm_hooks.out_of_memory(k, gfp, order)) progress.n = 1;
  return -1;
}

function __alloc_pages_slowpath(k: Kernel, gfp: number, order: number, ac: AllocContextLevel): number {
  const can_direct_reclaim = (gfp & __GFP_DIRECT_RECLAIM) !== 0;
  const costly_order = order > PAGE_ALLOC_COSTLY_ORDER;

  let alloc_flags = gfp_to_alloc_flags(k, gfp);
  // Without a nodemask __alloc_pages's preferred zone is already first_zone's answer.
  if (ac.nodemask !== null) ac.preferred_zone = first_zone(ac);
  if (!ac.preferred_zone) return nopage(k, gfp, order);
  if (alloc_flags & ALLOC_KSWAPD) wake_all_kswapds(k, order, gfp, ac);

  let pfn = get_page_from_freelist(k, gfp, order, alloc_flags, ac);
  if (pfn >= 0) return pfn;

  // The retry state, reset only now: most slow-path allocations succeed above, at the min watermark.
  const res = ac.res;
  res.compact_result = COMPACT_SKIPPED;
  const progress = ac.progress;
  progress.n = 0;
  const loops = ac.loops;
  loops.n = 0;
  const cp = ac.cp; // compact_priority, compaction_retries
  cp.priority = DEF_COMPACT_PRIORITY;
  cp.retries = 0;
  let oom_rounds = 0;

  if (can_direct_reclaim && (costly_order || (order > 0 && ac.migratetype !== MIGRATE_MOVABLE))) {
    pfn = __alloc_pages_direct_compact(k, gfp, order, alloc_flags, ac, INIT_COMPACT_PRIORITY, res);
    if (pfn >= 0) return pfn;
    if (costly_order && gfp & __GFP_NORETRY) {
      if (res.compact_result === COMPACT_SKIPPED || res.compact_result === COMPACT_DEFERRED)
        return nopage(k, gfp, order);
      cp.priority = INIT_COMPACT_PRIORITY;
    }
  }

  for (;;) {
    if (alloc_flags & ALLOC_KSWAPD) wake_all_kswapds(k, order, gfp, ac);
    const reserve_flags = __gfp_pfmemalloc_flags(k, gfp);
    if (reserve_flags)
      alloc_flags = gfp_to_alloc_flags_cma(k, gfp, reserve_flags) | (alloc_flags & ALLOC_KSWAPD);

    pfn = get_page_from_freelist(k, gfp, order, alloc_flags, ac);
    if (pfn >= 0) return pfn;
    if (!can_direct_reclaim) break;
    if (k.mm_hooks.current_task(k).pf_memalloc) break;

    pfn = __alloc_pages_direct_reclaim(k, gfp, order, alloc_flags, ac, progress);
    if (pfn >= 0) return pfn;
    pfn = __alloc_pages_direct_compact(k, gfp, order, alloc_flags, ac, cp.priority, res);
    if (pfn >= 0) return pfn;

    if (gfp & __GFP_NORETRY) break;
    if (costly_order && !(gfp & __GFP_RETRY_MAYFAIL)) break;
    if (should_reclaim_retry(k, order, ac, alloc_flags, progress.n > 0, loops)) continue;
    if (progress.n > 0 && should_compact_retry(k, ac, order, alloc_flags, res.compact_result, cp)) continue;

    pfn = __alloc_pages_may_oom(k, gfp, order, ac, progress);
    if (pfn >= 0) return pfn;
    const cur = k.mm_hooks.current_task(k);
    if (cur.oom_victim && (alloc_flags & ALLOC_OOM || gfp & __GFP_NOMEMALLOC)) break;
    // A victim other than us is dying: Linux sleeps a tick and retries; here the
    // allocation fails quietly and the caller (a fault) retries after that tick.
    if (progress.n && !(gfp & __GFP_NOFAIL) && k.mm_hooks.oom_should_wait(k)) return -1;
    if (progress.n && ++oom_rounds < 64) {
      loops.n = 0;
      continue;
    }
    break;
  }
  if (gfp & __GFP_NOFAIL) {
    // __GFP_NOFAIL may not fail: dip into the reserves as Linux finally does.
    pfn = get_page_from_freelist(k, gfp, order, ALLOC_NO_WATERMARKS | ALLOC_HARDER, ac);
    if (pfn >= 0) return pfn;
  }
  return nopage(k, gfp, order);
}

function nopage(k: Kernel, gfp: number, order: number): number {
  warn_alloc(k, gfp, `page allocation failure: order:${order}`);
  return -1;
}

/**
 * The call chain dump_stack shows under an allocation report (innermost
 * first, after `head`): from a user page fault, or from a system call.
 */
export function alloc_trace(k: Kernel, head: string[]): string[] {
  const arch = k.profile.arch;
  const in_fault = k.sched.current?.in_fault === true;
  if (arch === "x86_64") {
    const alloc = [...head, "__alloc_pages_slowpath.constprop.0", "__alloc_pages"];
    return in_fault
      ? [
          ...alloc,
          "__folio_alloc",
          "vma_alloc_folio",
          "__handle_mm_fault",
          "handle_mm_fault",
          "do_user_addr_fault",
          "exc_page_fault",
          "asm_exc_page_fault",
        ]
      : [...alloc, "do_syscall_64", "entry_SYSCALL_64_after_hwframe"];
  }
  if (arch === "arm64")
    return in_fault
      ? [
          ...head,
          "__alloc_pages",
          "__folio_alloc",
          "vma_alloc_folio",
          "__handle_mm_fault",
          "handle_mm_fault",
          "do_page_fault",
          "do_translation_fault",
          "do_mem_abort",
          "el0_da",
          "el0t_64_sync_handler",
          "el0t_64_sync",
        ]
      : [...head, "__alloc_pages", "invoke_syscall", "el0_svc_common", "do_el0_svc", "el0_svc"];
  return in_fault
    ? [...head, "__alloc_pages", "handle_mm_fault", "do_page_fault", "do_DataAbort", "__dabt_usr"]
    : [...head, "__alloc_pages", "ret_fast_syscall"];
}

/** warn_alloc: the "page allocation failure" report, with show_mem. */
export function warn_alloc(k: Kernel, gfp: number, what: string): void {
  if (gfp & __GFP_NOWARN) return;
  const cur = k.mm_hooks.current_task(k);
  const p = (s: string): void => k.printk.printk(KERN_WARNING, s);
  p(`${cur.comm}: ${what}, mode:${format_gfp(gfp)}, nodemask=(null),cpuset=/,mems_allowed=0`);
  dump_stack(k, alloc_trace(k, ["warn_alloc"]), KERN_WARNING);
  show_mem(k, p, gfp_zone(k, gfp));
}

/* ------------------------------------------------------------------ */
/* Freeing                                                              */
/* ------------------------------------------------------------------ */

/** bad_page: a page freed in a state that says someone still uses it. It is leaked, as Linux does. */
function bad_page(k: Kernel, pfn: number, reason: string): void {
  const cur = k.mm_hooks.current_task(k);
  k.printk.printk(1, `BUG: Bad page state in process ${cur.comm}  pfn:${pfn.toString(16).padStart(5, "0")}`);
  k.printk.printk(1, `page:${pfn} ${k.mem.describe(pfn)}`);
  k.printk.printk(1, `page dumped because: ${reason}`);
}

/** free_page_is_bad: the reason a page must not be freed, or "" (free_page_is_bad + check_free_page). */
function free_page_is_bad(k: Kernel, p: number, tail: boolean, compound: boolean): string {
  const mem = k.mem;
  const f = mem.flags[p] & 0xffffff;
  const ext = mem.sections[p >>> SECTION_SHIFT];
  const j = p & (PAGES_PER_SECTION - 1);
  if (ext !== null) {
    if (ext._mapcount[j] !== -1) return "nonzero mapcount";
    if (tail && ext._refcount[j] !== 0) return "nonzero _refcount";
  }
  if (f & PAGE_FLAGS_CHECK_AT_FREE) return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
  if (f & PG_reserved) BUG(`freeing reserved page pfn:${p.toString(16)}`);
  if (tail && compound && !(f & PG_tail)) return "corrupted mapping in tail page";
  return "";
}

/**
 * free_pages_prepare: check the pages are really unused and clear their
 * flags, mapping and index. A block never crosses a memory section, so one
 * section extension serves all its pages.
 */
function free_pages_prepare(k: Kernel, pfn: number, order: number): boolean {
  const mem = k.mem;
  const flags = mem.flags;
  const nr = 1 << order;
  const compound = (flags[pfn] & PG_head) !== 0;
  const ext = mem.sections[pfn >>> SECTION_SHIFT];
  const j = pfn & (PAGES_PER_SECTION - 1);
  for (let i = 0; i < nr; i++) {
    const f = flags[pfn + i];
    // The common case in one test: no flag to check, unmapped, tails unreferenced and marked.
    if (
      f & (PAGE_FLAGS_CHECK_AT_FREE | PG_reserved) ||
      (ext !== null && (ext._mapcount[j + i] !== -1 || (i > 0 && ext._refcount[j + i] !== 0))) ||
      (i > 0 && compound && !(f & PG_tail))
    ) {
      const reason = free_page_is_bad(k, pfn + i, i > 0, compound);
      if (reason) {
        bad_page(k, pfn + i, reason);
        return false;
      }
    }
    if (f & PG_data) k.pagedata.delete(pfn + i);
    flags[pfn + i] = 0; // keep nothing: order bits included
  }
  if (ext !== null)
    for (let i = 0; i < nr; i++) {
      ext.mapping[j + i] = 0;
      ext.index[j + i] = 0;
    }
  return true;
}

/**
 * free_unref_page of one page (order 0), free_pages_prepare's checks and
 * clearing included: most frees are of single pages (LRU pages, page tables).
 * The caller dropped the last reference (__free_pages, put_page).
 */
export function free_unref_page_0(k: Kernel, pfn: number): void {
  const mem = k.mem;
  const flags = mem.flags;
  const f = flags[pfn];
  const ext = mem.sections[pfn >>> SECTION_SHIFT];
  const j = pfn & (PAGES_PER_SECTION - 1);
  if (f & (PAGE_FLAGS_CHECK_AT_FREE | PG_reserved) || (ext !== null && ext._mapcount[j] !== -1)) {
    const reason = free_page_is_bad(k, pfn, false, (f & PG_head) !== 0);
    if (reason) {
      bad_page(k, pfn, reason);
      return;
    }
  }
  if (f & PG_data) k.pagedata.delete(pfn);
  if (ext !== null) {
    ext.mapping[j] = 0;
    ext.index[j] = 0;
  }
  free_unref_page_0_commit(k, pfn, k.zones[mem.pageblock_zone[pfn >>> k.pageblock_order]]);
}

/**
 * free_unref_page_0 of a page whose section extension ext (slot j) the
 * caller has at hand, its mapping and index cleared already (put_page's
 * last reference): the same checks and freeing.
 */
export function free_unref_page_0_ext(k: Kernel, pfn: number, ext: PageExt, j: number): void {
  const mem = k.mem;
  const f = mem.flags[pfn];
  if (f & (PAGE_FLAGS_CHECK_AT_FREE | PG_reserved) || ext._mapcount[j] !== -1) {
    const reason = free_page_is_bad(k, pfn, false, (f & PG_head) !== 0);
    if (reason) {
      bad_page(k, pfn, reason);
      return;
    }
  }
  if (f & PG_data) k.pagedata.delete(pfn);
  free_unref_page_0_commit(k, pfn, k.zones[mem.pageblock_zone[pfn >>> k.pageblock_order]]);
}

/**
 * free_unref_page_0 for a page its caller has just unmapped for good (its
 * mapcount -1, mapping and index cleared: zap_pte_range's last reference)
 * and whose zone it has: the flag check, then the same freeing.
 */
export function free_unref_page_0_unmapped(k: Kernel, pfn: number, zone: Zone): void {
  const f = k.mem.flags[pfn];
  if (f & (PAGE_FLAGS_CHECK_AT_FREE | PG_reserved)) {
    free_unref_page_0(k, pfn); // bad_page's report
    return;
  }
  if (f & PG_data) k.pagedata.delete(pfn);
  free_unref_page_0_commit(k, pfn, zone);
}

/** free_unref_page_0 once the page passed its checks: onto this CPU's pcp list of its type (or the buddy lists). */
function free_unref_page_0_commit(k: Kernel, pfn: number, zone: Zone): void {
  const mem = k.mem;
  const flags = mem.flags;
  let mt = mem.pageblock_mt[pfn >>> k.pageblock_order];
  zone.nr_in_use -= 1;
  // The flags cleared, but for the pcp migratetype (set_pcppage_migratetype).
  flags[pfn] = mt === MIGRATE_ISOLATE ? 0 : mt << ORDER_SHIFT;
  if (mt >= MIGRATE_PCPTYPES) {
    if (mt === MIGRATE_ISOLATE) {
      __free_one_page(k, pfn, zone, 0, mt, FPI_NONE);
      k.vm_events[PGFREE] += 1;
      return;
    }
    // CMA and HIGHATOMIC pages travel on the movable pcp list but keep their type.
    mt = MIGRATE_MOVABLE;
  }
  // free_unref_page_commit, order 0: pindex is the migratetype.
  k.vm_events[PGFREE] += 1;
  const pcp = zone.pageset[k.cpu];
  const head = pcp.lists[mt];
  const links = mem.links;
  const lw = links.lru;
  const first = lw[head << 1];
  lw[pfn << 1] = first;
  links.lru[(pfn << 1) + 1] = head;
  links.lru[(first << 1) + 1] = pfn;
  lw[head << 1] = pfn;
  pcp.count += 1;
  if (pcp.count >= pcp.high) free_unref_page_0_excess(k, zone, pcp, mt);
}

/** free_unref_page_0_commit's drain once pcp->count reached pcp->high, after a page of type mt. */
export function free_unref_page_0_excess(k: Kernel, zone: Zone, pcp: PerCpuPages, mt: number): void {
  free_pcppages_bulk(k, zone, nr_pcp_free(pcp, pcp.high, pcp.batch, false), pcp, mt);
}

/** free_unref_page: free an order <= 3 block (or a THP) to this CPU's pcp list. */
function free_unref_page(k: Kernel, pfn: number, order: number): void {
  if (order === 0) {
    free_unref_page_0(k, pfn);
    return;
  }
  if (!free_pages_prepare(k, pfn, order)) return;
  const mem = k.mem;
  const block = pfn >>> k.pageblock_order;
  let mt = mem.pageblock_mt[block];
  const zone = k.zones[mem.pageblock_zone[block]];
  zone.nr_in_use -= 1 << order;
  if (mt >= MIGRATE_PCPTYPES) {
    if (mt === MIGRATE_ISOLATE) {
      __free_one_page(k, pfn, zone, order, mt, FPI_NONE);
      k.vm_events[PGFREE] += 1 << order;
      return;
    }
    // CMA and HIGHATOMIC pages travel on the movable pcp list but keep their type.
    set_pcppage_migratetype(k, pfn, mt);
    mt = MIGRATE_MOVABLE;
  } else set_pcppage_migratetype(k, pfn, mt);
  free_unref_page_commit(k, zone, zone.pageset[k.cpu], pfn, mt, order);
}

/** __free_pages_ok: free a large block straight to the buddy lists. */
function __free_pages_ok(k: Kernel, pfn: number, order: number, fpi: number): void {
  if (!free_pages_prepare(k, pfn, order)) return;
  const mt = k.mem.get_pageblock_migratetype(pfn);
  const zone = page_zone(k, pfn);
  zone.nr_in_use -= 1 << order;
  __free_one_page(k, pfn, zone, order, mt, fpi);
  k.vm_events[PGFREE] += 1 << order;
}

function free_the_page(k: Kernel, pfn: number, order: number): void {
  if (order <= PAGE_ALLOC_COSTLY_ORDER || pcp_allowed_order(k, order)) free_unref_page(k, pfn, order);
  else __free_pages_ok(k, pfn, order, FPI_NONE);
}

/**
 * __free_pages: drop a reference on a block of 2^order pages; free it when
 * that was the last one. A non-compound block with other references left
 * gives back everything but its first page (Linux 6.1 semantics).
 */
export function __free_pages(k: Kernel, pfn: number, order: number): void {
  const mem = k.mem;
  if (order === 0) {
    // One page (the LRU pages' last put_page): free_the_page goes to free_unref_page_0.
    const ref = mem.page_ref_add(pfn, -1);
    if (ref === 0) free_unref_page_0(k, pfn);
    else if (ref < 0) BUG(`page refcount underflow pfn:${pfn.toString(16)}`);
    return;
  }
  const head = (mem.flags[pfn] & PG_head) !== 0;
  const ref = mem.page_ref_add(pfn, -1);
  if (ref < 0) BUG(`page refcount underflow pfn:${pfn.toString(16)}`);
  if (ref === 0) free_the_page(k, pfn, order);
  else if (!head) while (order-- > 0) free_the_page(k, pfn + (1 << order), order);
}

/** __free_pages_core: boot-time release of a memblock range block (memblock_free_all, free_reserved_area). */
export function __free_pages_core(k: Kernel, pfn: number, order: number): void {
  const nr = 1 << order;
  const mem = k.mem;
  for (let i = 0; i < nr; i++) mem.flags[pfn + i] &= ~PG_reserved;
  const zone = page_zone(k, pfn);
  zone.managed_pages += nr;
  __free_one_page(k, pfn, zone, order, mem.get_pageblock_migratetype(pfn), FPI_TO_TAIL);
  k.vm_events[PGFREE] += nr;
}
