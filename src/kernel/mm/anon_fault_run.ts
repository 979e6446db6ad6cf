/*
 * anon_fault_run.ts - the first writes of a memset to a private anonymous
 * area, many pages in one loop (no Linux counterpart: Linux takes one page
 * fault per page, do_anonymous_page; this is the same work, batched for the
 * simulation's sake).
 *
 * fault.ts's anon_write_run walks a run of pages whose PTEs are empty; for
 * each the CPU misses in its TLB, faults, and the fault takes a page from
 * the pcp list of the zone the allocator's walk chose (anon_fault_zone).
 * As long as nothing but such faults runs, that walk's outcome cannot change
 * (no zone's free pages, watermarks or reserves move when a pcp list gives
 * a page), so here each page goes straight from the list to its PTE:
 *
 *   TLB lookup (miss) -> rmqueue_pcp_0's take -> anon_page_add (rmap, LRU)
 *   -> anon_page_map (PTE) -> TLB fill -> the memset's store
 *
 * with the arrays and objects found once for the loop, and the counters the
 * pages only add to (vm events, zone and node stats, rss, costs, pcp count)
 * summed in locals and added when the loop ends - nothing reads them in
 * between. When the pcp list runs empty, the next fault's allocation
 * refills it (rmqueue_bulk) in the loop, when that is bulk work alone (see
 * page_alloc.ts alloc_pages_pcp_zone_refill); the refill takes free pages,
 * so the zone's watermark is tested again for the fault after it, and the
 * run ends there when the walk would now go elsewhere. The loop stops, for
 * the caller to take the page the full way, at anything else: a refill
 * that would steal from another migratetype, a page with flags set, a PTE
 * in use. A TLB hit (a stale entry for an empty PTE) is a store without a
 * fault, as in the caller's loop. Same state and counters as page-by-page
 * faults.
 */

import { fault_regs } from "../arch/ptrace.js";
import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import type { Task } from "../sched/task.js";
import { SIGKILL } from "../uapi/abi.js";
import type { CpuAccess } from "../uapi/mman.js";
import { gfp_migratetype } from "./gfp.js";
import { kmap_local_page_pairs } from "./highmem.js";
import { anon_gfp, anon_pte_flags } from "./memory.js";
import { CLEAR_PAGE_COST, FAULT_COST, TLB_MISS_COST, TOUCH_COST } from "./mm_costs.js";
import { MM_ANONPAGES, type MmStruct, type VmAreaStruct } from "./mm_struct.js";
import {
  ORDER_MASK,
  PAGES_PER_SECTION,
  PG_anon,
  PG_lru,
  PG_swapbacked,
  PG_uptodate,
  SECTION_SHIFT,
} from "./mm_types.js";
import {
  LRU_INACTIVE_ANON,
  NR_ANON_MAPPED,
  NR_LRU_BASE,
  NR_ZONE_LRU_BASE,
  NUMA_FOREIGN,
  NUMA_HIT,
  NUMA_LOCAL,
  NUMA_MISS,
  NUMA_OTHER,
  type Zone,
} from "./mmzone.js";
import { alloc_pages_pcp_zone_refill, alloc_pages_pcp_zone_taken } from "./page_alloc.js";
import { type PageTable, pfn_pte } from "./pgtable.js";
import { PGALLOC, PGFAULT } from "./vm_event_item.js";

/** From this many pages on, a stretch's same-valued fields are stored with fills (a call each). */
const STRETCH_FILL = 12;

/** Did the last anon_write_batch end because its zone is no longer the walk's first (after a refill)? */
let replan = false;

/** The allocator's walk must be made again before the next batch (see anon_write_batch). */
export function anon_write_batch_replan(): boolean {
  return replan;
}

/**
 * The pages v.. up to end (of one leaf table pt and one area vma) of
 * anon_write_run's run, while they fault as described above, zone being
 * what anon_fault_zone gave just before (the allocation context set for it).
 * tag is the memset's content tag; vpn and off are the run's first page and
 * offset (for fault_regs). Returns the pages done; the next one (if <= end)
 * is for the caller: its PTE is in use, the TLB has an entry for it, or it
 * needs the full fault. anon_write_batch_replan() then says whether the
 * run ended because a refill moved the zone under its mark.
 *
 * The run stops before the first page the TLB holds an entry for (a stale
 * one, its PTE being empty; looked for once, in the TLB as the run found
 * it): up to there every lookup misses (a fill only adds the page just
 * faulted), so the TLB's lookups and fills are made once for the run after
 * the loop (Tlb.missRun). The pages are taken in stretches, each a run of
 * pages of one section extension off the pcp list as it is between two
 * refills, each page checked and set up as it is taken, the list links of
 * both lists written where the stretch ends.
 */
export function anon_write_batch(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  vma: VmAreaStruct,
  pt: PageTable,
  v: number,
  end: number,
  zone: Zone,
  tag: number,
  a: CpuAccess,
  vpn: number,
  off: number,
): number {
  // charge()'s task is the faulting one (its costs are summed in one local, in the same order).
  if (k.sched.current !== t || vma.anon_vma === null) return 0;
  // A SIGKILL pending ends the run after its first page.
  const pending = t.signal?.pending;
  if (pending?.size && pending.has(SIGKILL)) end = v;
  const mem = k.mem;
  const flags = mem.flags;
  const lw = mem.links.lru;
  const sections = mem.sections;
  const e = pt.entries;
  const pcp = zone.pageset[k.cpu];
  const mt = gfp_migratetype(anon_gfp(k));
  const list = pcp.lists[mt];
  const node = k.nodes[zone.node];
  const lru_head = node.lru_lists[LRU_INACTIVE_ANON];
  const av_id = vma.anon_vma.id;
  const index0 = vma.vm_pgoff - vma.vm_start / 4096;
  const ptef = anon_pte_flags(vma);
  const tag32 = tag | 0; // the same 32 bits in the Uint32Array
  const tlb = k.tlb[k.cpu];
  const asid = mm.asid;
  const first_v = v;
  // Not past a page the TLB has an entry for (a stale one, its PTE being empty): the run ends
  // before it (that page's lookup hits). Up to there every lookup misses.
  const cached = tlb.firstCached(asid, v, end);
  if (cached <= end) end = cached - 1;
  replan = false;
  let cost = t.cost;
  let ucost = t.ucost;
  let pfn = lw[list << 1];
  while (v <= end && e[v & 511] === 0) {
    if (pfn === list) {
      // The list ran empty: this fault's allocation refills it, when that is bulk work alone
      // (alloc_pages_pcp_zone_refill); if the zone is no longer the walk's first after that,
      // the run ends with this page, the next one to walk again.
      lw[list << 1] = list;
      lw[(list << 1) + 1] = list;
      const r = alloc_pages_pcp_zone_refill(k, zone, pcp, list, mt);
      if (r < 0) break;
      pfn = lw[list << 1];
      if (r === 0) {
        end = v;
        replan = true;
      }
    }
    if ((flags[pfn] & ~ORDER_MASK) !== 0) {
      // (A refilled page comes off the buddy lists, which hold no page with flags.)
      if (replan) BUG("anon_write_batch: a refilled pcp page with flags");
      break;
    }
    // The stretch: rmqueue_pcp_0's pages off the pcp list (its head link written after the
    // loop), while they follow each other (pfn, pfn+1 ...) in one section, each put on the
    // inactive anon list, mapped and charged as it is taken; the fields every page of the
    // stretch gets the same value in are stored after the loop.
    const ext = sections[pfn >>> SECTION_SHIFT] ?? mem.ext(pfn);
    const index = ext.index;
    const p0 = pfn;
    let first = lw[lru_head << 1];
    let p = pfn;
    for (;;) {
      pfn = lw[p << 1];
      // The TLB miss, do_anonymous_write_fault's cost, the page's clearing, the store.
      cost += TLB_MISS_COST;
      cost += FAULT_COST;
      cost += CLEAR_PAGE_COST;
      ucost += TOUCH_COST;
      // page_add_new_anon_rmap's index, the head of the inactive anon list.
      index[p & (PAGES_PER_SECTION - 1)] = index0 + v;
      lw[p << 1] = first;
      lw[(first << 1) + 1] = p;
      first = p;
      // anon_page_map: mapped writable and dirty.
      e[v & 511] = pfn_pte(p, ptef);
      v++;
      if (
        v > end ||
        pfn === list ||
        pfn !== p + 1 ||
        (pfn & (PAGES_PER_SECTION - 1)) === 0 ||
        (flags[pfn] & ~ORDER_MASK) !== 0 ||
        e[v & 511] !== 0
      )
        break;
      p = pfn;
    }
    lw[lru_head << 1] = first;
    lw[(first << 1) + 1] = lru_head;
    // The stretch's pages p0..p: prep_new_page (order 0: a reference, no private data),
    // anon_page_add (cleared: zero mapcount, the anon_vma, the flags of an up-to-date, anon,
    // swap-backed page on the LRU; kmap_local counts after the loop if HighMem), the store's tag.
    const j0 = p0 & (PAGES_PER_SECTION - 1);
    const j1 = (p & (PAGES_PER_SECTION - 1)) + 1;
    const pflags = PG_uptodate | PG_anon | PG_swapbacked | PG_lru;
    if (j1 - j0 < STRETCH_FILL) {
      const refcount = ext._refcount;
      const mapcount = ext._mapcount;
      const mapping = ext.mapping;
      const private_ = ext.private_;
      const tags = ext.tag;
      for (let j = j0; j < j1; j++) {
        refcount[j] = 1;
        private_[j] = 0;
        mapcount[j] = 0;
        mapping[j] = av_id;
        flags[p0 + j - j0] = pflags;
        tags[j] = tag32;
      }
    } else {
      ext._refcount.fill(1, j0, j1);
      ext.private_.fill(0, j0, j1);
      ext._mapcount.fill(0, j0, j1);
      ext.mapping.fill(av_id, j0, j1);
      flags.fill(pflags, p0, p + 1);
      ext.tag.fill(tag32, j0, j1);
    }
  }
  const faults = v - first_v;
  if (faults === 0) return 0;
  // The slow path's kswapd wakeups, if the zone is its (they read nothing the loop changed).
  alloc_pages_pcp_zone_taken(k);
  lw[list << 1] = pfn;
  lw[(pfn << 1) + 1] = list;
  t.cost = cost;
  t.ucost = ucost;
  // Each page's TLB lookup (a miss) and fill after its fault, in order.
  tlb.missRun(asid, first_v, v - 1, e);
  const last_fault = v - 1;
  fault_regs(t, a, last_fault, last_fault === vpn ? off : 0);
  // The counters, each page's increments at once.
  pcp.free_factor = faults >= 31 ? 0 : pcp.free_factor >> faults;
  if (k.cfg.HIGHMEM) kmap_local_page_pairs(k, zone, faults);
  k.vm_events[PGFAULT] += faults;
  pcp.count -= faults;
  k.vm_events[PGALLOC + zone.zone_idx] += faults;
  zone.nr_in_use += faults;
  if (k.cfg.NUMA) {
    // zone_statistics against the preferred zone (the context anon_fault_zone set).
    const preferred = k.alloc_contexts[k.alloc_depth]!.preferred_zone!;
    if (zone.node === preferred.node) zone.vm_stat[NUMA_HIT] += faults;
    else {
      zone.vm_stat[NUMA_MISS] += faults;
      preferred.vm_stat[NUMA_FOREIGN] += faults;
    }
    zone.vm_stat[zone.node === preferred.node ? NUMA_LOCAL : NUMA_OTHER] += faults;
  }
  node.vm_stat[NR_ANON_MAPPED] += faults;
  node.vm_stat[NR_LRU_BASE + LRU_INACTIVE_ANON] += faults;
  zone.vm_stat[NR_ZONE_LRU_BASE + LRU_INACTIVE_ANON] += faults;
  pt.used += faults;
  mm.rss[MM_ANONPAGES] += faults;
  mm.update_hiwater_rss(); // rss only grew: its last value is the highest
  t.min_flt += faults;
  return faults;
}
