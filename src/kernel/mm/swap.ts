/*
 * swap.ts - putting pages on and taking them off the LRU lists (Linux
 * mm/swap.c and include/linux/mm_inline.h).
 *
 * Each node has five LRU lists (inactive/active x anon/file, and
 * unevictable). A page joins the inactive list of its kind when it is first
 * used (lru_cache_add); reclaim (vmscan.ts) moves it between lists. Pages that
 * are swap-backed (anonymous and shmem/tmpfs pages) go on the anon lists,
 * page cache of real files on the file lists. Both the node counters
 * (nr_inactive_anon...) and the zone counters (nr_zone_inactive_anon...) are
 * kept, as /proc/vmstat and /proc/zoneinfo show both.
 *
 * Simplified: Linux first gathers new pages in per-CPU batches (folio_batch)
 * of 15 before taking the LRU lock; mmbox adds them at once.
 */

import type { Kernel } from "../kernel.js";
import { BUG, VM_BUG_ON } from "../lib/bug.js";
import { list_add, list_add_tail, list_del, list_move_tail } from "../lib/list.js";
import { free_transhuge_page } from "./huge_memory.js";
import {
  FOLIO_PUT_CLEAR,
  FOLIO_PUT_FREE_CHECK,
  ORDER_MASK,
  ORDER_SHIFT,
  PAGES_PER_SECTION,
  type PageExt,
  PG_active,
  PG_data,
  PG_dirty,
  PG_head,
  PG_locked,
  PG_lru,
  PG_referenced,
  PG_swapbacked,
  PG_tail,
  PG_unevictable,
  SECTION_SHIFT,
} from "./mm_types.js";
import {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_UNEVICTABLE,
  MIGRATE_PCPTYPES,
  NR_LRU_BASE,
  NR_ZONE_LRU_BASE,
  type PerCpuPages,
  type PglistData,
  type Zone,
} from "./mmzone.js";
import { __free_pages, free_unref_page_0_excess, free_unref_page_0_ext, page_zone } from "./page_alloc.js";
import { PGACTIVATE, PGFREE, PGROTATED } from "./vm_event_item.js";
import { workingset_age_nonresident } from "./workingset.js";

/** page_lru: which list a page belongs on, from its flags. */
export function page_lru(k: Kernel, pfn: number): number {
  return page_lru_of(k.mem.flags[pfn]);
}

/** page_lru of a page with flags f. */
export function page_lru_of(f: number): number {
  if (f & PG_unevictable) return LRU_UNEVICTABLE;
  const base = f & PG_swapbacked ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
  return f & PG_active ? base + (LRU_ACTIVE_ANON - LRU_INACTIVE_ANON) : base;
}

/** update_lru_size: the node's and the zone's count of the list. */
export function update_lru_size(k: Kernel, zone: Zone, lru: number, nr: number): void {
  k.nodes[zone.node].vm_stat[NR_LRU_BASE + lru] += nr;
  zone.vm_stat[NR_ZONE_LRU_BASE + lru] += nr;
}

/** folio_nr_pages: what a page on the LRU counts for (a THP's head stands for all its pages). */
export function folio_nr_pages(f: number): number {
  return f & PG_head ? 1 << ((f & ORDER_MASK) >>> ORDER_SHIFT) : 1;
}

/** add_page_to_lru_list: onto the head of its list. */
export function add_page_to_lru_list(k: Kernel, pfn: number): void {
  const lru = page_lru(k, pfn);
  const zone = page_zone(k, pfn);
  list_add(k.mem.links, pfn, k.nodes[zone.node].lru_lists[lru]);
  k.mem.flags[pfn] |= PG_lru;
  update_lru_size(k, zone, lru, folio_nr_pages(k.mem.flags[pfn]));
}

/** add_page_to_lru_list_tail: onto the tail (the oldest end) of its list. */
export function add_page_to_lru_list_tail(k: Kernel, pfn: number): void {
  const lru = page_lru(k, pfn);
  const zone = page_zone(k, pfn);
  list_add_tail(k.mem.links, pfn, k.nodes[zone.node].lru_lists[lru]);
  k.mem.flags[pfn] |= PG_lru;
  update_lru_size(k, zone, lru, folio_nr_pages(k.mem.flags[pfn]));
}

/** del_page_from_lru_list: off its list (the caller then changes flags or frees). */
export function del_page_from_lru_list(k: Kernel, pfn: number): void {
  VM_BUG_ON((k.mem.flags[pfn] & PG_lru) === 0, "page not on LRU");
  const lru = page_lru(k, pfn);
  list_del(k.mem.links, pfn);
  k.mem.flags[pfn] &= ~PG_lru;
  update_lru_size(k, page_zone(k, pfn), lru, -folio_nr_pages(k.mem.flags[pfn]));
}

/** lru_cache_add: a newly used page joins the inactive list of its kind (add_page_to_lru_list itself: one call). */
export const lru_cache_add = add_page_to_lru_list;

/**
 * put_page: drop a reference; the last one takes the page off the LRU,
 * forgets what it belonged to, and gives it back (Linux __folio_put).
 */
export function put_page(k: Kernel, pfn: number): void {
  const mem = k.mem;
  const flags = mem.flags;
  let f = flags[pfn];
  // A THP's subpage: the reference is the head's (folio_put(page_folio(page))).
  if (f & PG_tail) {
    pfn = mem.compound_head(pfn);
    f = flags[pfn];
  }
  // page_ref_count > 1: page_ref_add(-1), on the section's counts directly.
  const ext = mem.sections[pfn >>> SECTION_SHIFT];
  const j = pfn & (PAGES_PER_SECTION - 1);
  if (ext === null) __folio_put(k, pfn);
  else if (ext._refcount[j] > 1) ext._refcount[j]--;
  else if (f & PG_head) __folio_put(k, pfn);
  else {
    // __folio_put of a single page (the reclaimed pages, and each page an exiting process
    // maps), __free_pages and its page_ref_add on the extension found above.
    if (f & PG_lru) {
      del_page_from_lru_list(k, pfn);
      f = flags[pfn];
    }
    flags[pfn] = f & ~FOLIO_PUT_CLEAR;
    ext.mapping[j] = 0;
    ext.index[j] = 0;
    const ref = --ext._refcount[j];
    if (ref === 0) free_unref_page_0_ext(k, pfn, ext, j);
    else if (ref < 0) BUG(`page refcount underflow pfn:${pfn.toString(16)}`);
  }
}

/**
 * free_unref_page_list for shrink_page_list's freed pages, pages[0..nr):
 * from the last to the first (the list's head first), a pfn is a page
 * whose reference is dropped (put_page), ~pfn one to free (__free_pages,
 * order 0). The commonest, a single page off the LRU holding its last
 * reference, is put and freed in line: put_page's flags, mapping, index
 * and reference, then free_unref_page_0_ext's checks and
 * free_unref_page_0_commit's move to this CPU's pcp list of its type, the
 * zone (and pcp) of the last such page kept and its pages-in-use and
 * pgfree counts added up in locals, stored before any call and at the end.
 * Anything else (a THP, a page another reference holds, a page failing the
 * checks or of a pageblock type not on the pcp lists) takes the calls.
 * Same state and counters as the calls.
 */
export function free_unref_page_list(k: Kernel, pages: Int32Array, nr: number): void {
  const mem = k.mem;
  const flags = mem.flags;
  const sections = mem.sections;
  const lw = mem.links.lru;
  const pageblock_zone = mem.pageblock_zone;
  const pageblock_mt = mem.pageblock_mt;
  const pbo = k.pageblock_order;
  const vm_events = k.vm_events;
  let zid = -1;
  let zone: Zone | null = null;
  let pcp: PerCpuPages | null = null;
  let frees = 0;
  for (let i = nr - 1; i >= 0; i--) {
    const pfn = pages[i];
    const f = pfn >= 0 ? flags[pfn] : 0;
    const ext = pfn >= 0 ? sections[pfn >>> SECTION_SHIFT] : null;
    const j = pfn & (PAGES_PER_SECTION - 1);
    const mt = pfn >= 0 ? pageblock_mt[pfn >>> pbo] : 0;
    if (
      pfn < 0 ||
      ext === null ||
      (f & (PG_tail | PG_head | PG_lru)) !== 0 ||
      ext._refcount[j] !== 1 ||
      (f & FOLIO_PUT_FREE_CHECK) !== 0 ||
      ext._mapcount[j] !== -1 ||
      mt >= MIGRATE_PCPTYPES
    ) {
      if (frees !== 0) {
        zone!.nr_in_use -= frees;
        vm_events[PGFREE] += frees;
        frees = 0;
      }
      if (pfn >= 0) put_page(k, pfn);
      else __free_pages(k, ~pfn, 0);
      continue;
    }
    // put_page: the last reference of a single page off the LRU (__folio_put).
    const ff = f & ~FOLIO_PUT_CLEAR;
    ext.mapping[j] = 0;
    ext.index[j] = 0;
    ext._refcount[j] = 0;
    // free_unref_page_0_ext: the checks passed (above); free_unref_page_0_commit.
    if (ff & PG_data) k.pagedata.delete(pfn);
    const z = pageblock_zone[pfn >>> pbo];
    if (z !== zid) {
      if (frees !== 0) {
        zone!.nr_in_use -= frees;
        vm_events[PGFREE] += frees;
        frees = 0;
      }
      zid = z;
      zone = k.zones[z];
      pcp = zone.pageset[k.cpu];
    }
    frees++;
    flags[pfn] = mt << ORDER_SHIFT;
    const head = pcp!.lists[mt];
    const first = lw[head << 1];
    lw[pfn << 1] = first;
    lw[(pfn << 1) + 1] = head;
    lw[(first << 1) + 1] = pfn;
    lw[head << 1] = pfn;
    if (++pcp!.count >= pcp!.high) {
      zone!.nr_in_use -= frees;
      vm_events[PGFREE] += frees;
      frees = 0;
      free_unref_page_0_excess(k, zone!, pcp!, mt);
      continue;
    }
    // The pages before it in pages[] that are its like (free_list_run), all at once.
    if ((ff & PG_data) !== 0 || i === 0) continue;
    const m = free_list_run(k, pages, i, pfn, f, ext, head, pcp!.high - pcp!.count);
    if (m === 0) continue;
    i -= m;
    frees += m;
    pcp!.count += m;
    if (pcp!.count >= pcp!.high) {
      zone!.nr_in_use -= frees;
      vm_events[PGFREE] += frees;
      frees = 0;
      free_unref_page_0_excess(k, zone!, pcp!, mt);
    }
  }
  if (frees !== 0) {
    zone!.nr_in_use -= frees;
    vm_events[PGFREE] += frees;
  }
}

/**
 * free_unref_page_list's in-line free of the pages before pages[i] (page
 * pfn, just freed onto the head of pcp list head) that are as it was: the
 * pages pfn+1, pfn+2 ... at i-1, i-2 ... (shrink_page_list keeps an area's
 * pages in the order they were faulted in), in its section and pageblock
 * (zone, type), with its flags, holding the last reference and mapped by
 * nothing. Up to room pages (the last may bring the pcp list to its high
 * mark: the caller drains it). Each gets what put_page and the commit to
 * the pcp list's head give it, the list linked as those adds leave it.
 * Returns the pages done (0: none); the caller counts them.
 */
function free_list_run(
  k: Kernel,
  pages: Int32Array,
  i: number,
  pfn: number,
  f: number,
  ext: PageExt,
  head: number,
  room: number,
): number {
  const mem = k.mem;
  const flags = mem.flags;
  const lw = mem.links.lru;
  const refcount = ext._refcount;
  const mapcount = ext._mapcount;
  const j = pfn & (PAGES_PER_SECTION - 1);
  const pb_mask = (1 << k.pageblock_order) - 1;
  // The run's pages are pfn+1 .. pfn+m, at pages[i-1] .. pages[i-m].
  let max = i;
  if (max > room) max = room;
  if (max > PAGES_PER_SECTION - 1 - j) max = PAGES_PER_SECTION - 1 - j;
  let m = 0;
  let q = pfn + 1;
  while (
    m < max &&
    pages[i - m - 1] === q &&
    (q & pb_mask) !== 0 &&
    flags[q] === f &&
    refcount[j + m + 1] === 1 &&
    mapcount[j + m + 1] === -1
  ) {
    m++;
    q++;
  }
  if (m === 0) return 0;
  const mapping = ext.mapping;
  const index = ext.index;
  const mt_flags = mem.pageblock_mt[pfn >>> k.pageblock_order] << ORDER_SHIFT;
  for (let x = 1; x <= m; x++) {
    // __folio_put's clearing; onto the list's head, before the page freed just before.
    mapping[j + x] = 0;
    index[j + x] = 0;
    refcount[j + x] = 0;
    flags[pfn + x] = mt_flags;
    lw[(pfn + x) << 1] = pfn + x - 1;
    lw[((pfn + x - 1) << 1) + 1] = pfn + x;
  }
  lw[((pfn + m) << 1) + 1] = head;
  lw[head << 1] = pfn + m;
  return m;
}

/** __folio_put: the last reference is gone. */
function __folio_put(k: Kernel, pfn: number): void {
  const mem = k.mem;
  if (mem.flags[pfn] & PG_lru) del_page_from_lru_list(k, pfn);
  // A THP goes back whole (free_transhuge_page: off the deferred split queue first).
  const order = mem.flags[pfn] & PG_head ? mem.order(pfn) : 0;
  if (order) free_transhuge_page(k, pfn);
  mem.flags[pfn] &= ~FOLIO_PUT_CLEAR;
  mem.setMapping(pfn, 0, 0);
  __free_pages(k, pfn, order);
}

/**
 * folio_mark_accessed: a page used through read(2) or write(2). The first
 * use sets PG_referenced; a second while it is still on the inactive list
 * moves it to the active list (workingset_activation).
 */
export function mark_page_accessed(k: Kernel, pfn: number): void {
  const mem = k.mem;
  const f = mem.flags[pfn];
  if (!(f & PG_referenced)) {
    mem.flags[pfn] |= PG_referenced;
    return;
  }
  if (f & PG_active || f & PG_unevictable || !(f & PG_lru)) return;
  del_page_from_lru_list(k, pfn);
  mem.flags[pfn] = (mem.flags[pfn] | PG_active) & ~PG_referenced;
  add_page_to_lru_list(k, pfn);
  k.vm_events[PGACTIVATE]++;
  workingset_age_nonresident(k, pfn);
}

/**
 * filemap_read's marking, for the page at pos in a read that started at
 * start: a read marks each page it copies from, but not the page the
 * previous read of the file ended in (many short reads of one page count
 * as one access, as a single long read would).
 */
export function filemap_read_accessed(
  k: Kernel,
  pfn: number,
  pos: number,
  start: number,
  prev_pos: number,
): void {
  if (pos !== start || Math.floor(pos / 4096) !== Math.floor((prev_pos - 1) / 4096))
    mark_page_accessed(k, pfn);
}

/** get_page: one more reference. */
export function get_page(k: Kernel, pfn: number): void {
  k.mem.page_ref_add(k.mem.flags[pfn] & PG_tail ? k.mem.compound_head(pfn) : pfn, 1);
}

/**
 * folio_rotate_reclaimable: the writeback reclaim started on the page is
 * over; it goes to the tail of its inactive list, for the next scan to
 * free it (lru_move_tail_fn: pgrotated). Not while it is off the LRU
 * (isolated), locked, dirty again or unevictable.
 */
export function folio_rotate_reclaimable(k: Kernel, pfn: number): void {
  const f = k.mem.flags[pfn];
  if (f & (PG_locked | PG_dirty | PG_unevictable) || !(f & PG_lru)) return;
  if (f & PG_active) {
    del_page_from_lru_list(k, pfn);
    k.mem.flags[pfn] &= ~PG_active;
    add_page_to_lru_list_tail(k, pfn);
  } else list_move_tail(k.mem.links, pfn, k.nodes[page_zone(k, pfn).node].lru_lists[page_lru(k, pfn)]);
  k.vm_events[PGROTATED] += folio_nr_pages(f);
}

/**
 * lru_note_cost: nr_pages of reclaim work that cost I/O on one side (pages
 * written out by reclaim, workingset pages refaulted back). The costs decay
 * by half whenever they pass a quarter of the LRU pages, so that recent
 * events weigh most.
 */
export function lru_note_cost(pgdat: PglistData, file: boolean, nr_pages: number): void {
  if (file) pgdat.file_cost += nr_pages;
  else pgdat.anon_cost += nr_pages;
  const v = pgdat.vm_stat;
  const lrusize =
    v[NR_LRU_BASE + LRU_INACTIVE_ANON] +
    v[NR_LRU_BASE + LRU_ACTIVE_ANON] +
    v[NR_LRU_BASE + LRU_INACTIVE_FILE] +
    v[NR_LRU_BASE + LRU_ACTIVE_FILE];
  if (pgdat.file_cost + pgdat.anon_cost > Math.floor(lrusize / 4)) {
    pgdat.file_cost = Math.floor(pgdat.file_cost / 2);
    pgdat.anon_cost = Math.floor(pgdat.anon_cost / 2);
  }
}
