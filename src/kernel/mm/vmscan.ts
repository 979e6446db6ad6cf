/*
 * vmscan.ts - page reclaim (Linux mm/vmscan.c): the LRU lists, kswapd and
 * direct reclaim.
 *
 * Each node keeps five LRU lists: inactive and active anon, inactive and
 * active file, unevictable. New pages enter on an inactive list; reclaim
 * scans lists from their tail (the oldest end):
 *
 *   shrink_active_list    moves pages that were not used since the last look
 *                         to the inactive list (executable file pages that
 *                         were used stay active)
 *   shrink_inactive_list  for each page asks the page tables whether it was
 *                         used (the young bits, found through rmap):
 *                           used twice, or used and executable: activate
 *                           used once: second chance (PG_referenced)
 *                           not used: reclaim it -
 *                             anonymous: give it a swap slot (swap cache),
 *                             replace its PTEs by the swap entry, write it;
 *                             a clean file page: drop it from the cache
 *
 * How much of each kind to scan comes from get_scan_count: no swap, only
 * file pages; otherwise anon against file in proportion to swappiness
 * (0..200, default 60). Priority starts at 12 (scan 1/4096 of each list)
 * and drops towards 0 (all of it) while not enough is reclaimed.
 *
 * kswapd sleeps until an allocation finds a zone under its low watermark,
 * then reclaims until every zone is over its high watermark, and sleeps
 * again; if it is needed again at once, kswapd_low/high_wmark_hit_quickly
 * count it. An allocation that still finds nothing free reclaims itself
 * (direct reclaim, allocstall), 32 pages at a time.
 */

import { try_to_unmap_flush, try_to_unmap_flush_dirty } from "../irq/ipi.js";
import type { Kernel } from "../kernel.js";
import { VM_BUG_ON } from "../lib/bug.js";
import { list_add } from "../lib/list.js";
import { xa_flush_deferred } from "../lib/xarray.js";
import { now_ns, sleep_in_step, wake_up } from "../sched/core.js";
import { type KReq, PF_MEMALLOC, type Task, type TaskGen } from "../sched/task.js";
import { drop_pagecache_page } from "./drop_caches.js";
import { __GFP_IO, GFP_KERNEL } from "./gfp.js";
import { compound_mapcount, pmdp_clear_flush_young, split_huge_page } from "./huge_memory.js";
import { wakeup_kcompactd } from "./kcompactd.js";
import {
  MM_ANONPAGES,
  MM_FILEPAGES,
  MM_SHMEMPAGES,
  MM_SWAPENTS,
  type MmStruct,
  VM_EXEC,
  VM_LOCKED,
  type VmAreaStruct,
} from "./mm_struct.js";
import {
  PAGES_PER_SECTION,
  type PageExt,
  PG_active,
  PG_anon,
  PG_data,
  PG_dirty,
  PG_head,
  PG_ksm,
  PG_lru,
  PG_mlocked,
  PG_reclaim,
  PG_referenced,
  PG_swapbacked,
  PG_swapcache,
  PG_tail,
  PG_unevictable,
  PG_workingset,
  PG_writeback,
  SECTION_SHIFT,
} from "./mm_types.js";
import {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_UNEVICTABLE,
  NR_ANON_MAPPED,
  NR_FREE_PAGES,
  NR_LRU_BASE,
  NR_VMSCAN_IMMEDIATE,
  NR_VMSCAN_WRITE,
  NR_ZONE_LRU_BASE,
  type PglistData,
  WORKINGSET_ACTIVATE_ANON,
  WORKINGSET_ACTIVATE_FILE,
  type Zone,
} from "./mmzone.js";
import { MAX_RECLAIM_RETRIES, zone_watermark_ok } from "./page_alloc.js";
import { folio_mark_dirty, wakeup_flusher, writeback_complete } from "./page_writeback.js";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_SOFT_DIRTY,
  type PageTable,
  pte_pfn,
  pte_present,
  pte_young,
  set_pte,
} from "./pgtable.js";
import { page_remove_rmap, pte_table_mapping, rmap_walk, vma_address } from "./rmap.js";
import { shmem_drop_clean, shmem_writepage } from "./shmem.js";
import { shrink_slab } from "./shrinker.js";
import {
  add_page_to_lru_list,
  folio_nr_pages,
  free_unref_page_list,
  lru_note_cost,
  page_lru_of,
  put_page,
  update_lru_size,
} from "./swap.js";
import { __remove_mapping_swap, add_to_swap_cache_reclaim, page_swap_entry } from "./swap_state.js";
import { get_swap_page, type SwpEntry, swap_duplicate, swap_write, swp_entry_to_pte } from "./swapfile.js";
import { flush_tlb_page_batched, ptep_clear_flush_young_tlb } from "./tlbflush.js";
import {
  ALLOCSTALL,
  KSWAPD_HIGH_WMARK_HIT_QUICKLY,
  KSWAPD_LOW_WMARK_HIT_QUICKLY,
  PAGEOUTRUN,
  PGACTIVATE,
  PGDEACTIVATE,
  PGREFILL,
  PGSCAN_ANON,
  PGSCAN_DIRECT,
  PGSCAN_FILE,
  PGSCAN_KSWAPD,
  PGSCAN_SKIP,
  PGSTEAL_ANON,
  PGSTEAL_DIRECT,
  PGSTEAL_FILE,
  PGSTEAL_KSWAPD,
  PSWPOUT,
  THP_SWPOUT_FALLBACK,
} from "./vm_event_item.js";

export const DEF_PRIORITY = 12;
export const SWAP_CLUSTER_MAX = 32;
/** Scanning a page (isolating it, looking at its PTEs) on the model machine. */
const SCAN_COST = 150;

/*
 * struct scan_control. A class with every field there from the start (not
 * an object literal that prepare_scan_count adds fields to): one shape for
 * every reclaimer, kswapd's and direct reclaim's alike (lib/shapes.ts).
 */
export class ScanControl {
  nr_reclaimed = 0;
  nr_scanned = 0;
  priority = DEF_PRIORITY;
  may_swap = true;
  /*
   * sc->nr, counted by shrink_node's passes over the lists (reset by each):
   * pages taken off the inactive lists; file pages dirty or under writeback,
   * and those under writeback already marked for immediate reclaim
   * (congested); pages met under writeback (writeback), and those kswapd
   * met again while the node is flagged PGDAT_WRITEBACK (immediate).
   */
  nr_taken = 0;
  nr_dirty = 0;
  nr_congested = 0;
  nr_writeback = 0;
  nr_immediate = 0;
  /*
   * prepare_scan_count's findings for a pass over the node: which active
   * lists may be aged (DEACTIVATE_ANON, DEACTIVATE_FILE); plenty of inactive
   * file cache not refaulting (cache_trim_mode); almost no file cache left
   * (file_is_tiny); the node's recent reclaim costs of anon and file.
   * skipped_deactivate: an active list was left alone for want of
   * may_deactivate; force_deactivate: direct reclaim's retry that ages them anyway.
   */
  may_deactivate = 0;
  cache_trim_mode = false;
  file_is_tiny = false;
  anon_cost = 0;
  file_cost = 0;
  skipped_deactivate = false;
  force_deactivate = false;
  constructor(
    public nr_to_reclaim: number,
    public may_writepage: boolean,
    public kswapd: boolean,
    /** Zones above this index are not reclaimed for (the allocation could not use them). */
    public highest_zoneidx: number,
  ) {}
}

const DEACTIVATE_ANON = 1;
const DEACTIVATE_FILE = 2;

/* enum scan_balance: get_scan_count's split between anon and file. */
const SCAN_EQUAL = 0;
const SCAN_FRACT = 1;
const SCAN_ANON = 2;
const SCAN_FILE = 3;

/** pgdat->flags: kswapd found every page it took under writeback. */
const PGDAT_WRITEBACK = 1;
/** lruvec->flags: kswapd found every dirty file page it met already under writeback for reclaim. */
const LRUVEC_CONGESTED = 2;

/* ---- looking at a page's PTEs ---- */

/**
 * folio_referenced: how many PTEs map the page with the young bit set (they
 * are cleared, as ptep_clear_flush_young does), and the flags of the areas.
 * (The walk's state lives in the module: reclaim calls this for every page
 * it scans, and a closure and a result object per page would be garbage.)
 */
const referenced = {
  k: null as Kernel | null,
  refs: 0,
  vm_flags: 0,
  /** The page walked, how many PTEs map it, and where the last one is (for try_to_unmap). */
  pfn: -1,
  found: 0,
  // (Object fields are stored only when they change: a store into this long-lived object is a
  // write barrier's slow path, per page.)
  mm: null as MmStruct | null,
  vma: null as VmAreaStruct | null,
  vpn: 0,
  pt: null as PageTable | null,
  i: 0,
};

function referenced_one(mm: MmStruct, vma: VmAreaStruct, vpn: number, pt: PageTable, i: number): void {
  const r = referenced;
  r.found++;
  if (r.mm !== mm) r.mm = mm;
  if (r.vma !== vma) r.vma = vma;
  r.vpn = vpn;
  if (r.pt !== pt) r.pt = pt;
  r.i = i;
  const vm_flags = vma.vm_flags;
  r.vm_flags |= vm_flags;
  if (vm_flags & VM_LOCKED) return;
  if (clear_young(r.k!, mm, pt, vpn, i) === true) r.refs++;
}

/**
 * ptep_clear_flush_young for one mapping: was it young? (cleared if so).
 * A THP's huge PMD has one young bit for the 2 MiB
 * (pmdp_clear_flush_young_notify).
 */
function clear_young(k: Kernel, mm: MmStruct, pt: PageTable, vpn: number, i: number): boolean {
  if (pt.huge === true) return pmdp_clear_flush_young(k, mm, pt, (vpn - (vpn & 511)) * 4096);
  const entries = pt.entries;
  const pte = entries[i];
  if (!pte_young(pte)) return false;
  // (set_pte, in place: the entry stays present and nonzero, so the table's count of used entries stays.)
  entries[i] = pte - _PAGE_ACCESSED;
  ptep_clear_flush_young_tlb(k, mm, vpn);
  return true;
}

/** folio_referenced of a page some PTE maps: ext and j are its section and its place there. */
function page_referenced(
  k: Kernel,
  pfn: number,
  ext: PageExt,
  j: number,
): { refs: number; vm_flags: number } {
  const r = referenced;
  r.pfn = pfn;
  // Any other page than an ordinary anonymous one: through rmap_walk, referenced_one for each PTE
  // (the kernel stored for it every time such a page comes: a test-and-store would be a branch
  // taken once per machine, where optimized code from an earlier machine deoptimizes).
  if ((k.mem.flags[pfn] & (PG_anon | PG_ksm)) !== PG_anon) {
    r.refs = 0;
    r.vm_flags = 0;
    r.found = 0;
    r.k = k;
    rmap_walk(k, pfn, referenced_one);
    return r;
  }
  // An anonymous page (anon_rmap_vmas): its areas walked here, referenced_one's work done in
  // place with the counts in locals (no store of the kernel into r per page: a write barrier),
  // the last PTE found left in r at the end for try_to_unmap.
  const av = k.anon_vmas[ext.mapping[j]];
  let found = 0;
  let refs = 0;
  let vm_flags = 0;
  if (av !== undefined) {
    const index = ext.index[j];
    const vmas = av.vma_list;
    let last: VmAreaStruct | null = null;
    let last_pt: PageTable | null = null;
    let last_vpn = 0;
    for (let v = 0; v < vmas.length; v++) {
      const vma = vmas[v];
      const vpn = vma_address(vma, index);
      if (vpn < 0) continue;
      const pt = pte_table_mapping(k, vma.vm_mm, vpn, pfn);
      if (pt === null) continue;
      found++;
      last = vma;
      last_pt = pt;
      last_vpn = vpn;
      const flags = vma.vm_flags;
      vm_flags |= flags;
      if ((flags & VM_LOCKED) === 0 && clear_young(k, vma.vm_mm, pt, vpn, vpn & 511) === true) refs++;
    }
    if (last !== null) {
      // (Stored only when they change: a store of an object into this long-lived one is a write
      // barrier's slow path while the GC marks.)
      const mm = last.vm_mm;
      if (r.mm !== mm) r.mm = mm;
      if (r.vma !== last) r.vma = last;
      if (r.pt !== last_pt) r.pt = last_pt;
      r.vpn = last_vpn;
      r.i = last_vpn & 511;
    }
  }
  r.refs = refs;
  r.vm_flags = vm_flags;
  r.found = found;
  return r;
}

/**
 * try_to_unmap: every PTE mapping the page goes. An anonymous page's PTEs
 * become its swap entry (each one a reference to the slot); a file page's
 * simply disappear (a dirty PTE marks the page dirty). (The walk's state
 * lives in the module, as for folio_referenced: no closure per page.)
 */
const unmap = { k: null as Kernel | null, pfn: 0, anon: false, entry: -1, swp_pte: 0, ok: true };

function try_to_unmap_one(mm: MmStruct, vma: VmAreaStruct, vpn: number, pt: PageTable, i: number): void {
  const u = unmap;
  const k = u.k!;
  const pfn = u.pfn;
  if (vma.vm_flags & VM_LOCKED) {
    u.ok = false;
    return;
  }
  if (u.anon === true) unmap_anon_pte(k, mm, pt, i, vpn, pfn, u.entry, u.swp_pte);
  else {
    const pte = pt.entries[i];
    // folio_mark_dirty: the dirty bit goes to the page, accounted in its file's mapping.
    if (pte & _PAGE_DIRTY) folio_mark_dirty(k, pfn);
    set_pte(pt, i, 0);
    mm.rss[k.mem.flags[pfn] & PG_swapbacked ? MM_SHMEMPAGES : MM_FILEPAGES]--;
    flush_tlb_page_batched(k, mm, vpn, (pte & _PAGE_DIRTY) !== 0);
  }
  page_remove_rmap(k, pfn);
  put_page(k, pfn);
}

/** try_to_unmap of the page at j of the section ext. */
function try_to_unmap(
  k: Kernel,
  pgdat: PglistData,
  pfn: number,
  entry: SwpEntry,
  ext: PageExt,
  j: number,
): boolean {
  const f = k.mem.flags[pfn];
  const anon = (f & PG_anon) !== 0;
  // The walk folio_referenced just did found the one PTE that maps the page: it is unmapped
  // there without walking again (the same PTE the walk would find; nothing ran in between
  // that maps or moves the page, which is isolated).
  const fast = referenced_pte_maps(pfn, ext, j);
  if (fast === true && anon === true && (f & (PG_head | PG_tail)) === 0)
    return try_to_unmap_anon(k, pgdat, pfn, entry, ext, j);
  const u = unmap;
  u.pfn = pfn;
  u.anon = anon;
  u.entry = anon === true ? entry : -1;
  u.swp_pte = anon === true ? swp_entry_to_pte(entry) : 0;
  u.ok = true;
  // try_to_unmap_one's kernel: stored on this path only (a store per page is a write barrier).
  u.k = k;
  const r = referenced;
  if (fast !== true) rmap_walk(k, pfn, try_to_unmap_one);
  else try_to_unmap_one(r.mm!, r.vma!, r.vpn, r.pt!, r.i);
  return u.ok === true && mapcount_at(ext, j) === 0;
}

/**
 * try_to_unmap_one for an anonymous page that is not part of a THP, at the
 * one PTE folio_referenced's walk found (referenced_pte_maps): the same
 * steps, with page_remove_rmap and put_page done on the page's section at
 * once - the PTE was its only mapping (mapcount 1 -> 0, out of AnonPages),
 * and the swap cache holds a reference besides the PTE's.
 */
function try_to_unmap_anon(
  k: Kernel,
  pgdat: PglistData,
  pfn: number,
  entry: SwpEntry,
  ext: PageExt,
  j: number,
): boolean {
  const r = referenced;
  const vma = r.vma!;
  if (vma.vm_flags & VM_LOCKED) return false;
  unmap_anon_pte(k, r.mm!, r.pt!, r.i, r.vpn, pfn, entry, swp_entry_to_pte(entry));
  ext._mapcount[j] = -1;
  pgdat.vm_stat[NR_ANON_MAPPED]--;
  if (ext._refcount[j] > 1) ext._refcount[j]--;
  else put_page(k, pfn);
  return true;
}

/** page_mapcount of the page at j of the section ext (null: no page there). */
const mapcount_at = (ext: PageExt | null, j: number): number => (ext === null ? 0 : ext._mapcount[j] + 1);

/**
 * try_to_unmap_one's work for an anonymous page's PTE: the PTE becomes the
 * page's swap entry (a reference to the slot, swap_duplicate), keeping the
 * soft-dirty bit for the swap-in (pte_swp_mksoft_dirty); a dirty PTE makes
 * the page dirty (an anonymous page has no file mapping to account it in);
 * the TLB entry goes with the batch's flush (TTU_BATCH_FLUSH:
 * try_to_unmap_flush flushes the other CPUs running mm once).
 */
function unmap_anon_pte(
  k: Kernel,
  mm: MmStruct,
  pt: PageTable,
  i: number,
  vpn: number,
  pfn: number,
  entry: SwpEntry,
  swp_pte: number,
): void {
  const pte = pt.entries[i];
  if (pte & _PAGE_DIRTY) k.mem.flags[pfn] |= PG_dirty;
  // (set_pte: a present entry becomes a swap entry, nonzero both: the table's count of used
  // entries stays.)
  pt.entries[i] = swp_pte + (pte & _PAGE_SOFT_DIRTY);
  swap_duplicate(k, entry);
  const rss = mm.rss;
  rss[MM_ANONPAGES]--;
  rss[MM_SWAPENTS]++;
  flush_tlb_page_batched(k, mm, vpn, (pte & _PAGE_DIRTY) !== 0);
}

/** Is the one PTE folio_referenced's walk found for pfn (at j of the section ext) still the only one mapping it? */
function referenced_pte_maps(pfn: number, ext: PageExt, j: number): boolean {
  const r = referenced;
  if (r.pfn !== pfn || r.found !== 1 || mapcount_at(ext, j) !== 1) return false;
  const pt = r.pt!;
  if (pt.huge === true) return false;
  const pte = pt.entries[r.i];
  return pte_present(pte) && pte_pfn(pte) === pfn;
}

/* ---- the lists ---- */

const is_file_lru = (lru: number): boolean => lru === LRU_INACTIVE_FILE || lru === LRU_ACTIVE_FILE;

/** What the last isolate looked at: the pages taken and the skipped ones (isolate_lru_folios' *nr_scanned). */
let nr_scanned = 0;

/*
 * The pages isolate takes go into a reused buffer rather than a new array
 * per call: one buffer per nesting level (isolate_begin/isolate_end around
 * the use of one; an allocation made while reclaiming may reclaim in its
 * turn), and one for the pages it skips.
 */
const isolated: Int32Array[] = [];
let isolate_depth = 0;
let skipped = new Int32Array(SWAP_CLUSTER_MAX);

/** A buffer for up to nr isolated pages, this level's until isolate_end. */
function isolate_begin(nr: number): Int32Array {
  let buf = isolated[isolate_depth];
  if (buf === undefined || buf.length < nr) {
    buf = new Int32Array(Math.max(nr, SWAP_CLUSTER_MAX));
    isolated[isolate_depth] = buf;
  }
  isolate_depth++;
  return buf;
}

function isolate_end(): void {
  isolate_depth--;
}

/**
 * isolate_lru_folios: up to nr pages from the tail of a list, into out;
 * returns how many. The zones' and the node's counts of the list drop by
 * what was taken (update_lru_sizes), once per run of pages of a zone.
 *
 * A page of a zone the allocation cannot use (above sc.highest_zoneidx) is
 * skipped: it counts in pgskip_<zone> and in nr_scanned, but not towards
 * nr, and the skipped pages go back to the head of the list in the order
 * they were found (list_splice of folios_skipped) - left at the tail, every
 * later call would walk past them again. nr_scanned is set to all the
 * pages looked at.
 */
function isolate(
  k: Kernel,
  pgdat: PglistData,
  lru: number,
  nr: number,
  sc: ScanControl,
  out: Int32Array,
): number {
  const mem = k.mem;
  const links = mem.links;
  const lw = links.lru;
  const flags = mem.flags;
  const zones = k.zones;
  const pageblock_zone = mem.pageblock_zone;
  const pageblock_order = k.pageblock_order;
  const highest = sc.highest_zoneidx;
  const head = pgdat.lru_lists[lru];
  let n = 0;
  let nr_taken = 0;
  let nr_skipped = 0;
  let pfn = lw[(head << 1) + 1];
  while (pfn !== head && n < nr) {
    let block = pfn >> pageblock_order;
    const zone = zones[pageblock_zone[block]];
    if (zone.zone_idx > highest) {
      if (nr_skipped === skipped.length) {
        const grown = new Int32Array(skipped.length * 2);
        grown.set(skipped);
        skipped = grown;
      }
      skipped[nr_skipped++] = pfn;
      k.vm_events[PGSCAN_SKIP + zone.zone_idx]++;
      pfn = lw[(pfn << 1) + 1];
      continue;
    }
    // A run of pages of one zone, taken in a loop without calls: the zone's count of the list
    // drops once for the run.
    let zone_taken = 0;
    while (pfn !== head && n < nr) {
      if (pfn >> pageblock_order !== block) {
        const b = pfn >> pageblock_order;
        if (zones[pageblock_zone[b]] !== zone) break;
        block = b;
      }
      // del_page_from_lru_list, the list known: the page is on it (a THP counts its 512 pages).
      const f = flags[pfn];
      if ((f & PG_lru) === 0) VM_BUG_ON(true, "page not on LRU");
      flags[pfn] = f & ~PG_lru;
      zone_taken += (f & PG_head) === 0 ? 1 : folio_nr_pages(f);
      out[n++] = pfn;
      pfn = lw[(pfn << 1) + 1];
    }
    zone.vm_stat[NR_ZONE_LRU_BASE + lru] -= zone_taken;
    nr_taken += zone_taken;
  }
  // The pages looked at were the list's last ones: they leave it together (list_cut), as Linux
  // moves each to its private list of isolated folios.
  lw[pfn << 1] = head;
  lw[(head << 1) + 1] = pfn;
  // list_splice(&folios_skipped, src): the first one found ends up nearest the tail.
  for (let i = 0; i < nr_skipped; i++) list_add(links, skipped[i], head);
  nr_scanned = n + nr_skipped;
  pgdat.vm_stat[NR_LRU_BASE + lru] -= nr_taken;
  charge_scan(k, n);
  return n;
}
function charge_scan(k: Kernel, n: number): void {
  const t = k.sched.current;
  if (t !== null) t.cost += n * SCAN_COST;
}

/** putback: onto its list again (its flags say which), or freed if nothing holds it any more. */
function putback(k: Kernel, pfn: number): void {
  if (k.mem.page_ref_count(pfn) === 0) return;
  add_page_to_lru_list(k, pfn);
}

/** shrink_page_list's buffer of kept pages, one per nesting level (as isolate's). */
const kept_bufs: Int32Array[] = [];

function kept_buf(nr: number): Int32Array {
  let buf = kept_bufs[isolate_depth];
  if (buf === undefined || buf.length < nr) {
    buf = new Int32Array(Math.max(nr, SWAP_CLUSTER_MAX));
    kept_bufs[isolate_depth] = buf;
  }
  return buf;
}

/**
 * move_folios_to_lru: the n pages of pages, in that order, each onto the
 * head of its list (putback: a page nothing holds any more is left out).
 * The lists' counts rise once per run of pages of one zone and list.
 */
function move_folios_to_lru(k: Kernel, pages: Int32Array, n: number): void {
  const mem = k.mem;
  const flags = mem.flags;
  const sections = mem.sections;
  const lw = mem.links.lru;
  const zones = k.zones;
  const pageblock_zone = mem.pageblock_zone;
  const pageblock_order = k.pageblock_order;
  let i = 0;
  while (i < n) {
    const pfn = pages[i];
    const f = flags[pfn];
    let block = pfn >> pageblock_order;
    const zone = zones[pageblock_zone[block]];
    const lru = page_lru_of(f);
    const head = k.nodes[zone.node].lru_lists[lru];
    if ((f & PG_tail) !== 0) {
      // A THP's subpage: its reference count is its head's.
      if (mem.page_ref_count(pfn) !== 0) {
        list_add(mem.links, pfn, head);
        flags[pfn] = f | PG_lru;
        update_lru_size(k, zone, lru, 1);
      }
      i++;
      continue;
    }
    // A run of pages of one zone going onto one list, with the list's head and the count of
    // the pages added at hand (and no call in the loop, so that its arrays stay in registers);
    // the run ends where the zone or the list changes, or at a THP's subpage.
    let nr_pages = 0;
    for (; i < n; i++) {
      const p = pages[i];
      const g = flags[p];
      if (p >> pageblock_order !== block) {
        const b = p >> pageblock_order;
        if (zones[pageblock_zone[b]] !== zone) break;
        block = b;
      }
      // (g & PG_tail) or page_lru_of(g) !== lru, written out.
      if ((g & (PG_tail | PG_unevictable)) !== 0) {
        if ((g & PG_tail) !== 0 || lru !== LRU_UNEVICTABLE) break;
      } else if (
        ((g & PG_swapbacked) !== 0 ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE) +
          ((g & PG_active) !== 0 ? LRU_ACTIVE_ANON - LRU_INACTIVE_ANON : 0) !==
        lru
      )
        break;
      // A page nothing holds any more is left out (putback).
      const ext = sections[p >>> SECTION_SHIFT];
      if (ext === null || ext._refcount[p & (PAGES_PER_SECTION - 1)] === 0) continue;
      // list_add(p, head of list lru).
      const first = lw[head << 1];
      lw[p << 1] = first;
      lw[(p << 1) + 1] = head;
      lw[(first << 1) + 1] = p;
      lw[head << 1] = p;
      flags[p] = g | PG_lru;
      nr_pages += (g & PG_head) === 0 ? 1 : folio_nr_pages(g);
    }
    if (nr_pages !== 0) update_lru_size(k, zone, lru, nr_pages);
  }
}

/** shrink_active_list: age nr pages of an active list into the inactive one. */
function shrink_active_list(k: Kernel, pgdat: PglistData, lru: number, nr: number, sc: ScanControl): void {
  const pages = isolate_begin(nr);
  try {
    const n = isolate(k, pgdat, lru, nr, sc, pages);
    k.vm_events[PGREFILL] += nr_scanned;
    k.vm_events[PGDEACTIVATE] += deactivate_pages(k, pages, n, lru);
  } finally {
    isolate_end();
  }
}

/** shrink_active_list's loop: each page to the inactive list, unless an executable file page in use; how many went. */
function deactivate_pages(k: Kernel, pages: Int32Array, n: number, lru: number): number {
  let deactivated = 0;
  for (let p = 0; p < n; p++) {
    const pfn = pages[p];
    const ext = k.mem.sections[pfn >>> SECTION_SHIFT];
    const j = pfn & (PAGES_PER_SECTION - 1);
    if (mapcount_at(ext, j) > 0) {
      const { refs, vm_flags } = page_referenced(k, pfn, ext!, j);
      // Executable file pages in use stay active: they are the programs being run.
      if (refs && vm_flags & VM_EXEC && is_file_lru(lru)) {
        putback(k, pfn);
        continue;
      }
    }
    // Pages leaving the active list were the workingset (folio_set_workingset).
    k.mem.flags[pfn] = (k.mem.flags[pfn] & ~(PG_active | PG_referenced)) | PG_workingset;
    deactivated++;
    putback(k, pfn);
  }
  return deactivated;
}

const ACTIVATE = 0;
const KEEP = 1;
const RECLAIM = 2;

/**
 * The end of a successful pageout: nr_vmscan_write, and a write that is
 * already done (a synchronous device) needs no PG_reclaim.
 */
function pageout_done(k: Kernel, pgdat: PglistData, pfn: number): void {
  pgdat.vm_stat[NR_VMSCAN_WRITE]++;
  if (!(k.mem.flags[pfn] & PG_writeback)) k.mem.flags[pfn] &= ~PG_reclaim;
}

/** folio_check_references. */
function check_references(k: Kernel, pfn: number, ext: PageExt, j: number): number {
  const { refs, vm_flags } = page_referenced(k, pfn, ext, j);
  const flags = k.mem.flags;
  const f = flags[pfn];
  // folio_test_clear_referenced, and folio_set_referenced again if a PTE was young: one store.
  if ((vm_flags & VM_LOCKED) !== 0 || refs === 0) {
    flags[pfn] = f & ~PG_referenced;
    return (vm_flags & VM_LOCKED) !== 0 ? ACTIVATE : RECLAIM;
  }
  flags[pfn] = f | PG_referenced;
  if ((f & PG_referenced) !== 0 || refs > 1) return ACTIVATE;
  if ((vm_flags & VM_EXEC) !== 0 && (f & PG_swapbacked) === 0) return ACTIVATE;
  return KEEP;
}

/** A tmpfs page in its file's page cache: swap-backed, not anonymous, not (yet) in the swap cache. */
const is_shmem_page = (f: number): boolean =>
  (f & (PG_swapbacked | PG_anon | PG_swapcache)) === PG_swapbacked;

/**
 * The THP part of shrink_folio_list's add_to_swap: a THP that no huge PMD
 * maps is split at once; a PMD-mapped one would go to swap whole on a
 * non-rotational device with a free swap cluster (thp_swpout, not
 * modelled), else it is split (thp_swpout_fallback). -EBUSY when it cannot
 * be split (extra references).
 */
function split_thp_for_swap(k: Kernel, head: number): number {
  const pmd_mapped = compound_mapcount(k, head) > 0;
  const err = split_huge_page(k, head, 0);
  if (err === 0 && pmd_mapped) k.vm_events[THP_SWPOUT_FALLBACK]++;
  return err;
}

/**
 * shrink_folio_list: try to free each page; returns how many were freed.
 * The pages it frees go on a list (free_folios) and are given back
 * together at the end, after the TLB flush, by free_unref_page_list: last
 * one first, as list_add put each at the list's head. They are kept at the
 * front of `pages` (slots already handled), a swap-cache page as its pfn
 * (its last reference is dropped then), a page-cache page as ~pfn (already
 * out of the cache, only to be freed).
 */
function shrink_page_list(
  k: Kernel,
  pgdat: PglistData,
  pages: Int32Array,
  nr: number,
  sc: ScanControl,
): number {
  let reclaimed = 0;
  let nr_free = 0;
  // The pages kept, in the order met, go back onto their lists at the end (move_folios_to_lru).
  const kept = kept_buf(nr);
  let nr_kept = 0;
  let dirty_file = 0;
  const mem = k.mem;
  const flags = mem.flags;
  const sections = mem.sections;
  writeback_complete(k);
  for (let p = 0; p < nr; p++) {
    const pfn = pages[p];
    const f = flags[pfn];
    if (f & (PG_unevictable | PG_mlocked)) {
      kept[nr_kept++] = pfn;
      continue;
    }
    // folio_check_dirty_writeback: file pages only (an anonymous page's state says nothing of
    // the flusher's progress).
    if (f & (PG_dirty | PG_writeback) && !(f & PG_swapbacked)) {
      sc.nr_dirty++;
      if (f & PG_writeback && f & PG_reclaim) sc.nr_congested++;
    }
    // Under writeback: to be reclaimed as soon as the device is done (PG_reclaim rotates it to
    // the inactive tail then), and activated out of the way meanwhile while reclaim goes on with
    // the clean pages. Met again by kswapd while the node is flagged PGDAT_WRITEBACK (case 1),
    // pages cycle faster than they are written: kswapd will wait (nr_immediate).
    if (f & PG_writeback) {
      if (sc.kswapd === true && f & PG_reclaim && pgdat.flags & PGDAT_WRITEBACK) sc.nr_immediate++;
      else sc.nr_writeback++;
      flags[pfn] |= PG_reclaim | PG_active;
      k.vm_events[PGACTIVATE]++;
      kept[nr_kept++] = pfn;
      continue;
    }
    // Reclaim does not write file pages itself: it marks them, keeps them, and wakes the flusher.
    if (f & PG_dirty && !(f & (PG_anon | PG_swapbacked))) {
      pgdat.vm_stat[NR_VMSCAN_IMMEDIATE]++;
      flags[pfn] |= PG_reclaim | PG_active;
      k.vm_events[PGACTIVATE]++;
      dirty_file++;
      kept[nr_kept++] = pfn;
      continue;
    }
    // The page's section: its mapcount and refcount are read there below.
    const ext = sections[pfn >>> SECTION_SHIFT];
    const j = pfn & (PAGES_PER_SECTION - 1);
    let ref = RECLAIM;
    if (mapcount_at(ext, j) === 0) {
      // folio_referenced finds no PTE to look at: folio_check_references clears PG_referenced
      // and reclaims; the walk's state is for another page now.
      flags[pfn] = f & ~PG_referenced;
      referenced.pfn = -1;
    } else ref = check_references(k, pfn, ext!, j);
    if (ref !== RECLAIM) {
      if (ref === ACTIVATE) {
        flags[pfn] |= PG_active;
        k.vm_events[PGACTIVATE]++;
      }
      kept[nr_kept++] = pfn;
      continue;
    }
    const anon = (f & PG_anon) !== 0;
    // A THP is split before it goes to swap (its subpages join the list's tail, to be scanned next).
    if (f & PG_head && anon && !(f & PG_swapcache)) {
      referenced.pfn = -1; // the split changes the page's mappings
      if (split_thp_for_swap(k, pfn) < 0) {
        flags[pfn] |= PG_active;
        k.vm_events[PGACTIVATE]++;
        kept[nr_kept++] = pfn;
        continue;
      }
      if (mem.page_ref_count(pfn) === 0) continue; // nothing mapped the head: freed by the split
    }
    // The page's slot while it is in the swap cache (folio->swap), when the unmap or the write
    // needs it; -1 otherwise.
    let entry = -1;
    // Anonymous memory goes to swap: a slot first (add_to_swap).
    if (anon && !(flags[pfn] & PG_swapcache)) {
      const e = sc.may_swap === true ? get_swap_page(k) : null;
      if (e === null) {
        flags[pfn] |= PG_active;
        k.vm_events[PGACTIVATE]++;
        kept[nr_kept++] = pfn;
        continue;
      }
      add_to_swap_cache_reclaim(k, pfn, e, pgdat.node_id);
      flags[pfn] |= PG_dirty;
      entry = e;
    } else if (flags[pfn] & PG_swapcache && mapcount_at(ext, j) > 0) entry = page_swap_entry(k, pfn);
    if (mapcount_at(ext, j) > 0 && try_to_unmap(k, pgdat, pfn, entry, ext!, j) !== true) {
      kept[nr_kept++] = pfn;
      continue;
    }
    if (flags[pfn] & PG_dirty && is_shmem_page(flags[pfn]) && sc.may_writepage === true) {
      // pageout -> shmem_writepage: a tmpfs page goes to swap and moves to the swap cache.
      flags[pfn] |= PG_reclaim;
      if (!shmem_writepage(k, pfn)) {
        flags[pfn] = (flags[pfn] & ~PG_reclaim) | PG_active;
        k.vm_events[PGACTIVATE]++;
        kept[nr_kept++] = pfn;
        continue;
      }
      pageout_done(k, pgdat, pfn);
    }
    if (flags[pfn] & PG_dirty) {
      // Dirty file pages wait for writeback; swap-cache pages are written now (pageout).
      if (!(flags[pfn] & PG_swapcache) || sc.may_writepage !== true) {
        if (!(flags[pfn] & (PG_anon | PG_swapbacked))) dirty_file++;
        kept[nr_kept++] = pfn;
        continue;
      }
      const e = entry >= 0 ? entry : page_swap_entry(k, pfn);
      // No CPU may write the page through a stale TLB entry while it goes out.
      try_to_unmap_flush_dirty(k);
      const bytes = flags[pfn] & PG_data ? (k.pagedata.get(pfn) ?? null) : null;
      flags[pfn] |= PG_reclaim;
      if (swap_write(k, e, pfn, bytes !== null ? bytes.slice() : null) < 0) {
        // The device refused (a full zram): keep the page.
        flags[pfn] = (flags[pfn] & ~PG_reclaim) | PG_active;
        kept[nr_kept++] = pfn;
        continue;
      }
      flags[pfn] &= ~PG_dirty;
      k.vm_events[PSWPOUT]++;
      pageout_done(k, pgdat, pfn);
    }
    // The write is in flight (a disk): the page stays until it is done, to be freed by a later scan.
    if (flags[pfn] & PG_writeback) {
      kept[nr_kept++] = pfn;
      continue;
    }
    // Clean and unmapped: free it if nothing else holds it.
    if (flags[pfn] & PG_swapcache) {
      const refs = flags[pfn] & PG_tail ? mem.page_ref_count(pfn) : ext === null ? 0 : ext._refcount[j];
      if (refs === 1 && mapcount_at(ext, j) === 0) {
        __remove_mapping_swap(k, pfn, pgdat.node_id);
        pages[nr_free++] = pfn;
        reclaimed++;
        continue;
      }
    } else if (!anon && !(flags[pfn] & PG_swapbacked) && drop_pagecache_page(k, pfn, true, false)) {
      pages[nr_free++] = ~pfn;
      reclaimed++;
      continue;
    } else if (is_shmem_page(flags[pfn]) && shmem_drop_clean(k, pfn, false)) {
      pages[nr_free++] = ~pfn;
      reclaimed++;
      continue;
    }
    kept[nr_kept++] = pfn;
  }
  try_to_unmap_flush(k);
  // free_unref_page_list(&free_folios), from the list's head: the page freed last comes first.
  free_unref_page_list(k, pages, nr_free);
  move_folios_to_lru(k, kept, nr_kept);
  if (dirty_file) wakeup_flusher(k);
  return reclaimed;
}

function shrink_inactive_list(
  k: Kernel,
  pgdat: PglistData,
  lru: number,
  nr: number,
  sc: ScanControl,
): number {
  const pages = isolate_begin(nr);
  let n: number;
  let nr_pageout = 0;
  try {
    const nr_taken = isolate(k, pgdat, lru, nr, sc, pages);
    sc.nr_taken += nr_taken;
    sc.nr_scanned += nr_scanned;
    k.vm_events[sc.kswapd === true ? PGSCAN_KSWAPD : PGSCAN_DIRECT] += nr_scanned;
    k.vm_events[is_file_lru(lru) ? PGSCAN_FILE : PGSCAN_ANON] += nr_scanned;
    const written = pgdat.vm_stat[NR_VMSCAN_WRITE];
    n = shrink_page_list(k, pgdat, pages, nr_taken, sc);
    // What reclaim had to write out (stat.nr_pageout) is the cost of reclaiming this side.
    nr_pageout = pgdat.vm_stat[NR_VMSCAN_WRITE] - written;
    // The swap cache store add_to_swap_cache_reclaim deferred, if no page was deleted for it.
    xa_flush_deferred();
  } finally {
    isolate_end();
  }
  k.vm_events[sc.kswapd === true ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT] += n;
  k.vm_events[is_file_lru(lru) ? PGSTEAL_FILE : PGSTEAL_ANON] += n;
  lru_note_cost(pgdat, is_file_lru(lru), nr_pageout);
  sc.nr_reclaimed += n;
  return n;
}

/** inactive_is_low: the inactive list is short next to the active one (inactive_ratio). */
function inactive_is_low(pgdat: PglistData, inactive: number): boolean {
  const i = lru_size(pgdat, inactive);
  const a = lru_size(pgdat, inactive + 1);
  const gb = (i + a) >> 18; // GiB of 4 KiB pages
  const ratio = gb ? Math.floor(Math.sqrt(10 * gb)) : 1;
  return i * ratio < a;
}

function lru_size(pgdat: PglistData, lru: number): number {
  return pgdat.vm_stat[NR_LRU_BASE + lru];
}

/** The evictable lists, in the order shrink_lruvec takes them (for_each_evictable_lru). */
const EVICTABLE_LRUS: readonly number[] = [
  LRU_INACTIVE_ANON,
  LRU_ACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_ACTIVE_FILE,
];

/** lruvec_lru_size: a list's pages in the node's zones up to zone_idx. */
function lruvec_lru_size(k: Kernel, pgdat: PglistData, lru: number, zone_idx: number): number {
  let size = 0;
  for (const z of k.zones)
    if (z.node === pgdat.node_id && z.zone_idx <= zone_idx && z.managed_zone())
      size += z.vm_stat[NR_ZONE_LRU_BASE + lru];
  return size;
}

/**
 * get_scan_count: how many pages of each evictable list to look at, at this
 * priority (a list's size >> priority), split between anon and file:
 * nothing of anon without swap; both in full at priority 0 (SCAN_EQUAL);
 * anon only when file cache is almost gone; file only in cache_trim_mode;
 * otherwise in the ratio of swappiness to 200 - swappiness, each side
 * weighed against its recent reclaim cost (pages written out, workingset
 * refaults restored: lru_note_cost), so that the cheaper side is scanned more.
 */
export function get_scan_count(k: Kernel, pgdat: PglistData, sc: ScanControl): number[] {
  const nr = [0, 0, 0, 0];
  const swappiness = k.sysctl_vm.swappiness;
  let balance = SCAN_FRACT;
  let ap = 0;
  let fp = 0;
  if (sc.may_swap !== true || k.mm_stat.nr_swap_pages <= 0) balance = SCAN_FILE;
  else if (sc.priority === 0 && swappiness) balance = SCAN_EQUAL;
  else if (sc.file_is_tiny === true) balance = SCAN_ANON;
  else if (sc.cache_trim_mode === true) balance = SCAN_FILE;
  else {
    // The costs, each side's own on top of the total, then the shares (integer arithmetic).
    const total = sc.anon_cost + sc.file_cost;
    const anon_cost = total + sc.anon_cost;
    const file_cost = total + sc.file_cost;
    const sum = anon_cost + file_cost;
    ap = Math.floor((swappiness * (sum + 1)) / (anon_cost + 1));
    fp = Math.floor(((200 - swappiness) * (sum + 1)) / (file_cost + 1));
  }
  for (const lru of EVICTABLE_LRUS) {
    const file = is_file_lru(lru);
    let scan = Math.floor(lruvec_lru_size(k, pgdat, lru, sc.highest_zoneidx) / 2 ** sc.priority);
    if (balance === SCAN_FRACT) scan = Math.floor((scan * (file ? fp : ap)) / (ap + fp));
    else if (balance === SCAN_FILE || balance === SCAN_ANON) {
      if ((balance === SCAN_FILE) !== file) scan = 0;
    }
    nr[lru] = scan;
  }
  return nr;
}

/** snapshot_refaults: the end of a reclaim run; refaults after this tell the next one a list is thrashing. */
function snapshot_refaults(pgdat: PglistData): void {
  pgdat.refaults_anon = pgdat.vm_stat[WORKINGSET_ACTIVATE_ANON];
  pgdat.refaults_file = pgdat.vm_stat[WORKINGSET_ACTIVATE_FILE];
}

/**
 * prepare_scan_count: what this pass over the node may do. An active list
 * may be aged when its inactive list is short or its pages refault since the
 * last reclaim run; plenty of inactive file cache that may not be aged is
 * reclaimed alone (cache_trim_mode); file cache (and free memory) under the
 * high watermarks, with anon that need not be aged, makes anon the target
 * (file_is_tiny).
 */
export function prepare_scan_count(k: Kernel, pgdat: PglistData, sc: ScanControl): void {
  sc.anon_cost = pgdat.anon_cost;
  sc.file_cost = pgdat.file_cost;
  if (sc.force_deactivate === true) sc.may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
  else {
    let may = 0;
    if (
      pgdat.vm_stat[WORKINGSET_ACTIVATE_ANON] !== pgdat.refaults_anon ||
      inactive_is_low(pgdat, LRU_INACTIVE_ANON)
    )
      may |= DEACTIVATE_ANON;
    if (
      pgdat.vm_stat[WORKINGSET_ACTIVATE_FILE] !== pgdat.refaults_file ||
      inactive_is_low(pgdat, LRU_INACTIVE_FILE)
    )
      may |= DEACTIVATE_FILE;
    sc.may_deactivate = may;
  }
  const may = sc.may_deactivate;
  sc.cache_trim_mode =
    Math.floor(lru_size(pgdat, LRU_INACTIVE_FILE) / 2 ** sc.priority) > 0 && (may & DEACTIVATE_FILE) === 0;
  let free = 0;
  let high = 0;
  for (const z of k.zones) {
    if (z.node !== pgdat.node_id) continue;
    free += z.zone_page_state(NR_FREE_PAGES);
    if (z.managed_zone()) high += z.high_wmark_pages();
  }
  const file = lru_size(pgdat, LRU_ACTIVE_FILE) + lru_size(pgdat, LRU_INACTIVE_FILE);
  const anon = lru_size(pgdat, LRU_INACTIVE_ANON);
  sc.file_is_tiny =
    file + free <= high && (may & DEACTIVATE_ANON) === 0 && Math.floor(anon / 2 ** sc.priority) > 0;
}

/**
 * shrink_lruvec: scan the lists in slices of SWAP_CLUSTER_MAX, turn about,
 * until get_scan_count's counts are used up.
 *
 * Direct reclaim at DEF_PRIORITY does the whole batch whatever it frees on
 * the way (proportional_reclaim: direct reclaim at all means kswapd is not
 * keeping up). Otherwise, once this call has freed sc.nr_to_reclaim pages,
 * the smaller of anon and file stops, and the other is cut to the share of
 * its own count that the stopped one had left, less what it already
 * scanned: the two stay scanned in the proportion get_scan_count chose.
 */
function shrink_lruvec(k: Kernel, pgdat: PglistData, sc: ScanControl): void {
  const nr = get_scan_count(k, pgdat, sc);
  const targets = nr.slice();
  const before = sc.nr_reclaimed;
  const proportional_reclaim = sc.kswapd !== true && sc.priority === DEF_PRIORITY;
  while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
    for (const lru of EVICTABLE_LRUS) {
      if (!nr[lru]) continue;
      const n = Math.min(nr[lru], SWAP_CLUSTER_MAX);
      nr[lru] -= n;
      // shrink_list: an active list is aged only when prepare_scan_count allowed it.
      if (is_active(lru)) {
        if (sc.may_deactivate & (is_file_lru(lru) ? DEACTIVATE_FILE : DEACTIVATE_ANON))
          shrink_active_list(k, pgdat, lru, n, sc);
        else sc.skipped_deactivate = true;
      } else shrink_inactive_list(k, pgdat, lru, n, sc);
    }
    if (sc.nr_reclaimed - before < sc.nr_to_reclaim || proportional_reclaim) continue;
    const nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
    const nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
    if (!nr_file || !nr_anon) break;
    // The type with less left to scan stops; percentage is what it had left of its count.
    const anon_stops = nr_file > nr_anon;
    const stop = anon_stops ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
    const left = anon_stops ? nr_anon : nr_file;
    const percentage = Math.floor((left * 100) / (targets[stop] + targets[stop + 1] + 1));
    nr[stop] = nr[stop + 1] = 0;
    const go = anon_stops ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
    for (const lru of [go, go + 1]) {
      const scanned = targets[lru] - nr[lru];
      const want = Math.floor((targets[lru] * (100 - percentage)) / 100);
      nr[lru] = want - Math.min(want, scanned);
    }
  }
  // Keep the inactive anon list from running dry: age some active pages.
  if (k.mm_stat.nr_swap_pages > 0 && inactive_is_low(pgdat, LRU_INACTIVE_ANON))
    shrink_active_list(k, pgdat, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX, sc);
}

const is_active = (lru: number): boolean => lru === LRU_ACTIVE_ANON || lru === LRU_ACTIVE_FILE;

export function shrink_node(k: Kernel, pgdat: PglistData, sc: ScanControl): void {
  const before = sc.nr_reclaimed;
  sc.nr_taken = sc.nr_dirty = sc.nr_congested = sc.nr_writeback = sc.nr_immediate = 0;
  prepare_scan_count(k, pgdat, sc);
  shrink_lruvec(k, pgdat, sc);
  shrink_slab(k, GFP_KERNEL, pgdat.node_id, sc.priority); // shrink_node_memcgs: the root memcg's slab
  if (sc.kswapd) {
    // Every page taken was under writeback: the node is flagged, and kswapd meeting such pages
    // again (nr_immediate) waits for the writes rather than cycle through them.
    if (sc.nr_writeback && sc.nr_writeback === sc.nr_taken) pgdat.flags |= PGDAT_WRITEBACK;
    if (sc.nr_immediate) reclaim_throttle(k, pgdat, VMSCAN_THROTTLE_WRITEBACK);
    if (sc.nr_dirty && sc.nr_dirty === sc.nr_congested) pgdat.flags |= LRUVEC_CONGESTED;
  } else if (pgdat.flags & LRUVEC_CONGESTED) reclaim_throttle(k, pgdat, VMSCAN_THROTTLE_CONGESTED);
  // Any progress makes the node worth kswapd's effort again.
  if (sc.nr_reclaimed > before) pgdat.kswapd_failures = 0;
}

/** clear_pgdat_congested: kswapd found the node balanced. */
function clear_pgdat_congested(pgdat: PglistData): void {
  pgdat.flags &= ~(PGDAT_WRITEBACK | LRUVEC_CONGESTED);
}

const VMSCAN_THROTTLE_WRITEBACK = 0;
const VMSCAN_THROTTLE_CONGESTED = 1;
const VMSCAN_THROTTLE_NOPROGRESS = 2;

/**
 * reclaim_throttle: the reclaiming task sleeps (D state) before it goes on.
 * For writeback, up to HZ/10, or until SWAP_CLUSTER_MAX more pages have
 * been written (__acct_reclaim_writeback wakes it); congested or no
 * progress, one jiffy. Kernel threads other than kswapd are not throttled:
 * reclaim may be waiting for them.
 */
function reclaim_throttle(k: Kernel, _pgdat: PglistData, reason: number): void {
  const t = k.sched.current;
  if (!t || (t.is_kthread() && !is_kswapd(t))) return;
  let ns = 1e9 / k.clock.hz; // a jiffy
  if (reason === VMSCAN_THROTTLE_WRITEBACK) {
    const now = now_ns(k);
    ns = 1e8; // HZ/10
    const q = k.wb.inflight;
    if (q.length > SWAP_CLUSTER_MAX) ns = Math.min(ns, Math.max(0, q.done_at(SWAP_CLUSTER_MAX) - now));
  }
  if (ns > 0) sleep_in_step(k, ns);
}

/** current_is_kswapd (PF_KSWAPD): the node's kthread is named after it. */
const is_kswapd = (t: Task): boolean => t.is_kthread() && t.comm.startsWith("kswapd");

/* ---- direct reclaim ---- */

/**
 * consider_reclaim_throttle: direct reclaim that has freed nothing by
 * priority 1 sleeps a jiffy (VMSCAN_THROTTLE_NOPROGRESS) before it goes on:
 * the pages it met are being written, and the writes need time to complete
 * (without it, the allocation's retries would all come at once, and OOM).
 * (In shrink_zones, for the first node of the zonelist.)
 */
function consider_reclaim_throttle(k: Kernel, pgdat: PglistData, sc: ScanControl): void {
  if (sc.nr_reclaimed > sc.nr_scanned >>> 3 || sc.kswapd) return;
  if (sc.priority === 1 && !sc.nr_reclaimed) reclaim_throttle(k, pgdat, VMSCAN_THROTTLE_NOPROGRESS);
}

/** try_to_free_pages: the allocating task reclaims; returns pages freed. */
export function try_to_free_pages(k: Kernel, gfp: number, _order: number, highest_zoneidx: number): number {
  const t = k.sched.current;
  const sc = new ScanControl(SWAP_CLUSTER_MAX, (gfp & __GFP_IO) !== 0, false, highest_zoneidx);
  k.vm_events[ALLOCSTALL + zone_of_idx(k, highest_zoneidx)]++;
  const was = t ? t.flags & PF_MEMALLOC : 0;
  if (t) t.flags |= PF_MEMALLOC;
  for (;;) {
    for (; sc.priority >= 0 && sc.nr_reclaimed < sc.nr_to_reclaim; sc.priority--) {
      sc.nr_scanned = 0;
      for (const pgdat of k.nodes) shrink_node(k, pgdat, sc);
      consider_reclaim_throttle(k, k.nodes[0], sc);
    }
    // Nothing freed while active lists were left alone (no refaults, inactive lists long
    // enough): once more from the start, aging them regardless (force_deactivate).
    if (sc.nr_reclaimed || sc.skipped_deactivate !== true) break;
    sc.priority = DEF_PRIORITY;
    sc.force_deactivate = true;
    sc.skipped_deactivate = false;
  }
  if (t && !was) t.flags &= ~PF_MEMALLOC;
  for (const pgdat of k.nodes) snapshot_refaults(pgdat);
  return sc.nr_reclaimed;
}

/** allocstall_<zone>: counted per zone type (the index of the zone among the node's zones). */
function zone_of_idx(k: Kernel, zoneidx: number): number {
  let i = 0;
  for (const z of k.zones) {
    if (z.node !== 0) continue;
    if (z.zone_idx === zoneidx) return i;
    i++;
  }
  return 0;
}

/* ---- kswapd ---- */

/** pgdat_balanced: some zone the allocation can use is over the watermark (high, or low for a quick look). */
function pgdat_balanced(
  k: Kernel,
  pgdat: PglistData,
  highest_zoneidx: number,
  wmark: "high" | "low",
): boolean {
  let any = false;
  for (const z of k.zones) {
    if (!pgdat_zone(z, pgdat, highest_zoneidx)) continue;
    any = true;
    // zone_watermark_ok_safe: the zone's free pages over the mark plus what it keeps back
    // (lowmem_reserve) from allocations that could have used a higher zone.
    const mark = wmark === "high" ? z.high_wmark_pages() : z.low_wmark_pages();
    if (zone_watermark_ok(k, z, 0, mark, highest_zoneidx, 0)) return true;
  }
  return !any;
}

/** wakeup_kswapd: an allocation dipped under a zone's low watermark. */
export function wakeup_kswapd(
  k: Kernel,
  zone: Zone,
  _gfp: number,
  order: number,
  highest_zoneidx: number,
): void {
  if (!zone.managed_zone()) return;
  const pgdat = k.nodes[zone.node];
  // A hopeless node (kswapd failed MAX_RECLAIM_RETRIES times) is left to direct reclaim.
  if (pgdat.kswapd_failures >= MAX_RECLAIM_RETRIES) return;
  pgdat.kswapd_order = Math.max(pgdat.kswapd_order, order);
  pgdat.kswapd_highest_zoneidx = Math.max(pgdat.kswapd_highest_zoneidx, highest_zoneidx);
  // waitqueue_active: kswapd already awake will see the order and the zone; nothing to wake.
  const wq = pgdat.kswapd_wait;
  if (wq === null || wq.tasks.size === 0) return;
  // Nothing to do while some usable zone is over its high watermark (pgdat_balanced), unless a
  // boosted watermark wants kswapd anyway (pgdat_watermark_boosted).
  if (
    pgdat_balanced(k, pgdat, highest_zoneidx, "high") &&
    !pgdat_watermark_boosted(k, pgdat, highest_zoneidx)
  )
    return;
  wake_up(k, wq);
}

/** pgdat_watermark_boosted: a zone the allocation can use has its watermarks boosted. */
function pgdat_watermark_boosted(k: Kernel, pgdat: PglistData, highest_zoneidx: number): boolean {
  for (const z of k.zones) if (pgdat_zone(z, pgdat, highest_zoneidx) && z.watermark_boost) return true;
  return false;
}

/** Is z one of the node's managed zones up to highest_zoneidx? */
const pgdat_zone = (z: Zone, pgdat: PglistData, highest_zoneidx: number): boolean =>
  z.node === pgdat.node_id && z.managed_zone() && z.zone_idx <= highest_zoneidx;

/** The node's managed zones up to highest_zoneidx. */
function pgdat_zones(k: Kernel, pgdat: PglistData, highest_zoneidx: number): Zone[] {
  return k.zones.filter((z) => pgdat_zone(z, pgdat, highest_zoneidx));
}

/**
 * kswapd_shrink_node: one pass over the node at sc.priority, aiming at the
 * high watermarks of the zones the allocation could use.
 */
function kswapd_shrink_node(k: Kernel, pgdat: PglistData, sc: ScanControl): void {
  let target = 0;
  for (const z of k.zones) if (pgdat_zone(z, pgdat, sc.highest_zoneidx)) target += z.high_wmark_pages();
  sc.nr_to_reclaim = Math.max(SWAP_CLUSTER_MAX, target);
  shrink_node(k, pgdat, sc);
}

/**
 * balance_pgdat: kswapd reclaims until the node is balanced (some usable
 * zone over its high watermark), lowering the priority while a pass frees
 * less than SWAP_CLUSTER_MAX pages.
 *
 * A watermark boost (boost_watermark in page_alloc.ts, after a fallback
 * fragmented a pageblock) raises every watermark of the zone. kswapd then
 * reclaims the boost's worth of pages even from a balanced node, gently:
 * no swapping, no writeback, and no priority below DEF_PRIORITY - 2; a
 * pass that frees nothing gives up. A node that is short of memory for
 * real forgets the boost reclaim and reclaims normally. Either way, at the
 * end the boosts kswapd found are taken off the zones (the boost decays)
 * and kcompactd is woken to defragment the pageblocks the reclaim freed.
 */
function* balance_pgdat(k: Kernel, pgdat: PglistData, highest: number): Generator<KReq, void, unknown> {
  // psi_memstall_enter: kswapd's whole pass is a memory stall (sched/core.ts counts its steps).
  const self = k.sched.current;
  if (self) self.psi_memstall = true;
  const zones = pgdat_zones(k, pgdat, highest);
  const zone_boosts = zones.map((z) => z.watermark_boost);
  let nr_boost_reclaim = zone_boosts.reduce((a, b) => a + b, 0);
  const boosted = nr_boost_reclaim > 0;
  const sc = new ScanControl(0, true, true, highest);
  let balanced_out = false;
  while (sc.priority >= 1) {
    const before = sc.nr_reclaimed;
    const balanced = pgdat_balanced(k, pgdat, highest, "high");
    // Short of memory for real: forget the boost and reclaim normally (goto restart).
    if (!balanced && nr_boost_reclaim) {
      nr_boost_reclaim = 0;
      sc.priority = DEF_PRIORITY;
      continue;
    }
    if (!nr_boost_reclaim && balanced) {
      balanced_out = true;
      break;
    }
    let raise_priority = true;
    // Boosted reclaim stays at the gentle priorities, and neither swaps nor writes.
    if (nr_boost_reclaim && sc.priority === DEF_PRIORITY - 2) raise_priority = false;
    sc.may_writepage = !nr_boost_reclaim || sc.priority < DEF_PRIORITY - 2;
    sc.may_swap = !nr_boost_reclaim;
    kswapd_shrink_node(k, pgdat, sc);
    yield { nr: "__kyield" };
    const nr_reclaimed = sc.nr_reclaimed - before;
    nr_boost_reclaim -= Math.min(nr_boost_reclaim, nr_reclaimed);
    // No progress for a boost: stop, rather than loop where no I/O may be queued.
    if (nr_boost_reclaim && !nr_reclaimed) break;
    if (nr_reclaimed >= SWAP_CLUSTER_MAX) raise_priority = false;
    if (raise_priority || !nr_reclaimed) sc.priority--;
  }
  // A whole balance_pgdat without a page reclaimed counts as a failure (a node found balanced does not).
  if (!balanced_out && !sc.nr_reclaimed) pgdat.kswapd_failures++;
  snapshot_refaults(pgdat);
  if (self) self.psi_memstall = false;
  if (boosted) {
    zones.forEach((z, i) => {
      z.watermark_boost -= Math.min(z.watermark_boost, zone_boosts[i]);
    });
    // There is likely room now: kcompactd can put whole pageblocks together again.
    wakeup_kcompactd(k, pgdat.node_id, k.pageblock_order, highest);
  }
}

/** The kswapd kthread of a node. */
export function kswapd(nid: number) {
  return function* (k: Kernel, t: Task): TaskGen {
    const pgdat = k.nodes[nid];
    const wq = k.kthread_wq.get(`kswapd${nid}`)!;
    t.flags |= PF_MEMALLOC;
    for (;;) {
      yield { nr: "__kwait", wq };
      for (;;) {
        const highest = pgdat.kswapd_highest_zoneidx || k.zones.length;
        pgdat.kswapd_order = 0;
        pgdat.kswapd_highest_zoneidx = 0;
        k.vm_events[PAGEOUTRUN]++;
        yield* balance_pgdat(k, pgdat, highest);
        if (pgdat.kswapd_failures >= MAX_RECLAIM_RETRIES) break;
        // kswapd_try_to_sleep: only a balanced node lets kswapd nap; otherwise it goes round again.
        if (!pgdat_balanced(k, pgdat, highest, "high")) continue;
        // prepare_kswapd_sleep: a balanced node is no longer congested.
        clear_pgdat_congested(pgdat);
        // kswapd_try_to_sleep: a short nap first; needed again already means it woke too soon.
        yield { nr: "__kwait", wq, until: k.clock.ns + 100_000_000 };
        if (!pgdat_balanced(k, pgdat, highest, "low")) {
          k.vm_events[KSWAPD_LOW_WMARK_HIT_QUICKLY]++;
          continue;
        }
        if (!pgdat_balanced(k, pgdat, highest, "high")) {
          k.vm_events[KSWAPD_HIGH_WMARK_HIT_QUICKLY]++;
          continue;
        }
        break;
      }
    }
  };
}
