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
 * between. The loop stops, for the caller to take the page the full way,
 * at anything else: an empty pcp list, a page with flags set, a PTE in use.
 * A TLB hit (a stale entry for an empty PTE) is a store without a fault, as
 * in the caller's loop. Same state and counters as page-by-page faults.
 */

import { fault_regs } from "../arch/ptrace.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { SIGKILL } from "../uapi/abi.js";
import type { CpuAccess } from "../uapi/mman.js";
import { page_drop_bytes } from "./filemap.js";
import { gfp_migratetype } from "./gfp.js";
import { kmap_local_page_pairs } from "./highmem.js";
import { anon_gfp, anon_pte_flags } from "./memory.js";
import { CLEAR_PAGE_COST, FAULT_COST, TLB_MISS_COST, TOUCH_COST } from "./mm_costs.js";
import { MM_ANONPAGES, type MmStruct, type VmAreaStruct } from "./mm_struct.js";
import {
  ORDER_MASK,
  PAGES_PER_SECTION,
  PG_anon,
  PG_data,
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
import { type PageTable, pfn_pte, pte_pfn, pte_present, pte_write } from "./pgtable.js";
import { PGALLOC, PGFAULT } from "./vm_event_item.js";

/** Placeholders for the section arrays before the first page. */
const EMPTY = new Int32Array(0);
const EMPTY_F = new Float64Array(0);
const EMPTY_U = new Uint32Array(0);

/**
 * The pages v.. up to end (of one leaf table pt and one area vma) of
 * anon_write_run's run, while they fault as described above, zone being
 * what anon_fault_zone gave just before (the allocation context set for it).
 * tag is the memset's content tag; vpn and off are the run's first page and
 * offset (for fault_regs). Returns the pages done; the next one (if <= end)
 * is for the caller: its PTE is in use, or it needs the full fault.
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
  const next = mem.links.next;
  const prev = mem.links.prev;
  const sections = mem.sections;
  const e = pt.entries;
  const tlb = k.tlb[k.cpu];
  const asid = mm.asid;
  const pcp = zone.pageset[k.cpu];
  const list = pcp.lists[gfp_migratetype(anon_gfp(k))];
  const node = k.nodes[zone.node];
  const lru_head = node.lru_lists[LRU_INACTIVE_ANON];
  const av_id = vma.anon_vma.id;
  const pgoff = vma.vm_pgoff;
  const start = vma.vm_start / 4096;
  const highmem = k.cfg.HIGHMEM;
  const ptef = anon_pte_flags(vma);
  let cost = t.cost;
  let ucost = t.ucost;
  let faults = 0;
  let done = 0;
  let last_fault = -1;
  // The section extension's arrays of the last page (pages come mostly in order, a section at a time).
  let sec = -1;
  let refcount = EMPTY;
  let mapcount = EMPTY;
  let mapping = EMPTY;
  let index = EMPTY_F;
  let private_ = EMPTY;
  let tags = EMPTY_U;
  for (; v <= end; v++) {
    const i = v & 511;
    if (e[i] !== 0) break;
    const pfn = next[list];
    if (pfn === list || (flags[pfn] & ~ORDER_MASK) !== 0) break;
    let pte = tlb.lookup(asid, v);
    if (pte >= 0 && pte_present(pte) && pte_write(pte)) {
      // A stale TLB entry lets the store through: no fault (the caller's loop, as access_page).
      done++;
      ucost += TOUCH_COST;
      const p = pte_pfn(pte);
      if (flags[p] & PG_data) page_drop_bytes(k, p);
      mem.setTag(p, tag);
      continue;
    }
    cost += TLB_MISS_COST;
    last_fault = v; // fault_regs, for the last one after the loop
    // do_anonymous_write_fault: the fault's cost; rmqueue_pcp_0: the page off the pcp list
    // (pcp->free_factor halved for each, after the loop).
    cost += FAULT_COST;
    const n = next[pfn];
    next[list] = n;
    prev[n] = list;
    // prep_new_page (order 0): a reference, no private data (zeroes: the tag, set below).
    if (pfn >>> SECTION_SHIFT !== sec) {
      sec = pfn >>> SECTION_SHIFT;
      const ext = sections[sec] ?? mem.ext(pfn);
      refcount = ext._refcount;
      mapcount = ext._mapcount;
      mapping = ext.mapping;
      index = ext.index;
      private_ = ext.private_;
      tags = ext.tag;
    }
    const j = pfn & (PAGES_PER_SECTION - 1);
    refcount[j] = 1;
    private_[j] = 0;
    // anon_page_add: cleared (kmap_local counts below if HighMem), page_add_new_anon_rmap,
    // the head of the inactive anon list.
    mapcount[j] = 0;
    mapping[j] = av_id;
    index[j] = pgoff + (v - start);
    const first = next[lru_head];
    next[pfn] = first;
    prev[pfn] = lru_head;
    prev[first] = pfn;
    next[lru_head] = pfn;
    flags[pfn] = PG_uptodate | PG_anon | PG_swapbacked | PG_lru; // up to date, anon, swap-backed, on the LRU
    // anon_page_map: cleared, mapped writable and dirty.
    cost += CLEAR_PAGE_COST;
    pte = pfn_pte(pfn, ptef);
    e[i] = pte;
    faults++;
    // The access loop: the TLB filled (its lookup just missed), the store.
    tlb.fillMissed(asid, v, pte);
    done++;
    ucost += TOUCH_COST;
    tags[j] = tag;
  }
  t.cost = cost;
  t.ucost = ucost;
  if (faults === 0) return done;
  fault_regs(t, a, last_fault, last_fault === vpn ? off : 0);
  // The counters, each page's increments at once.
  pcp.free_factor = faults >= 31 ? 0 : pcp.free_factor >> faults;
  if (highmem) kmap_local_page_pairs(k, zone, faults);
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
  return done;
}
