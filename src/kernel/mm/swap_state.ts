/*
 * swap_state.ts - the swap cache and swapping pages in (Linux
 * mm/swap_state.c, mm/memory.c do_swap_page; swapoff is in swapfile.ts).
 *
 * The swap cache maps a swap entry to the page standing for it while it is
 * on its way out (reclaim put it there, it is being written) or on its way
 * back in (a fault read it, others may still point at the slot). A page in
 * the swap cache has PG_swapcache, counts in SwapCached, and holds one
 * reference of its own.
 *
 * do_swap_page: a fault on a swap PTE finds the page in the swap cache or
 * reads it (and, with vm.page-cluster 3, up to 7 more slots around it: swap
 * readahead), maps it, and drops the PTE's reference to the slot. When no
 * other PTE refers to the slot (or swap is over half full), the slot is
 * freed at once and the page becomes an ordinary anonymous page again.
 */

import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import {
  XArray,
  xa_account,
  xa_account_batched,
  xa_check,
  xa_chunk,
  xa_defer_store,
  xa_flush_deferred,
  xa_store_deferrable,
  xa_store_value_pair,
} from "../lib/xarray.js";
import { page_set_data } from "./filemap.js";
import { GFP_HIGHUSER_MOVABLE } from "./gfp.js";
import { ksm_map_page, ksm_might_need_to_copy } from "./ksm_mm.js";
import { copy_highpage } from "./memory.js";
import {
  MM_ANONPAGES,
  MM_SWAPENTS,
  type MmStruct,
  VM_LOCKED,
  VM_WRITE,
  type VmAreaStruct,
} from "./mm_struct.js";
import {
  PG_anon,
  PG_dirty,
  PG_ksm,
  PG_mlocked,
  PG_swapbacked,
  PG_swapcache,
  PG_uptodate,
  PG_writeback,
} from "./mm_types.js";
import { NR_SWAPCACHE } from "./mmzone.js";
import { alloc_pages, page_zone } from "./page_alloc.js";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_NX,
  _PAGE_PRESENT,
  _PAGE_RW,
  _PAGE_SOFT_DIRTY,
  _PAGE_USER,
  type PageTable,
  pfn_pte,
  pte_present,
  pte_swp_offset,
  pte_swp_type,
  set_pte,
} from "./pgtable.js";
import { page_add_anon_rmap_root, page_add_new_anon_rmap, page_dup_rmap } from "./rmap.js";
import { get_page, lru_cache_add, put_page } from "./swap.js";
import { swap_slots_ret_cache } from "./swap_slots.js";
import { SWAP_ADDRESS_SPACE_MASK, SWAP_ADDRESS_SPACE_PAGES } from "./swap_types.js";
import {
  __swapcache_free,
  add_to_avail_list,
  free_swap_slot_to,
  SWAP_MAP_BAD,
  type SwapInfo,
  type SwpEntry,
  swap_count,
  swap_duplicate,
  swap_free,
  swap_info_of,
  swap_read,
  swap_state,
  swp_entry,
  swp_offset,
  swp_type,
  vm_swap_full,
} from "./swapfile.js";
import { PSWPIN, SWAP_RA, SWAP_RA_HIT } from "./vm_event_item.js";
import {
  type Shadow,
  workingset_eviction_node,
  workingset_refault,
  workingset_requeue_node,
  workingset_update_node,
} from "./workingset.js";

/** Swap-in of one page: reading and mapping, on the model machine. */
const SWAPIN_FAULT_COST = 1500;

/*
 * The swap cache is split in address_spaces of SWAP_ADDRESS_SPACE_PAGES
 * slots (swapper_spaces[type][offset >> 14]), each with its xarray. A
 * slot's entry is the page standing for it or, after reclaim freed that
 * page, its shadow (workingset.ts) - never both, as in the xarray slot
 * they share on Linux. They are kept in one typed array per address_space,
 * by the slot's index in it:
 *
 *   slots[i] > 0   the page pfn = slots[i] - 1
 *   slots[i] < 0   the shadow -slots[i] - 1
 *   slots[i] = 0   nothing
 *
 * and the way back, page -> slot (folio->swap), in a sparse array by pfn.
 */

/** One address_space of the swap cache: its xarray (i_pages) and its slots' entries. */
class SwapSpace {
  readonly slots = new Float64Array(SWAP_ADDRESS_SPACE_PAGES);
  constructor(readonly xa: XArray) {}
}

/** The index of entry e in its address_space's slots. */
const space_index = (e: SwpEntry): number =>
  e < 0x80000000
    ? e & SWAP_ADDRESS_SPACE_MASK
    : e - Math.floor(e / SWAP_ADDRESS_SPACE_PAGES) * SWAP_ADDRESS_SPACE_PAGES;

/*
 * A class, not an object literal: V8 makes a literal's boilerplate the
 * second time it runs (the second machine of a process), which generalized
 * the fields' types and deoptimized the swap cache's users then.
 */
class SwapCache {
  /** The address_spaces by Math.floor(e / SWAP_ADDRESS_SPACE_PAGES), made on first use; the one used last. */
  spaces = new Map<number, SwapSpace>();
  last_space = -1;
  last_sp: SwapSpace | null = null;
  /**
   * Page -> slot (folio->swap): entry + 1 by pfn, 0 for none. Empty until
   * the first swapon (swap_cache_init), then as long as mem_map: a machine
   * without swap does not pay 8 bytes a page for it. (Made there rather
   * than when the first page comes: that branch, taken once per machine on
   * the swap-out path, deoptimized it in a process's second machine.)
   */
  entry_of = new Float64Array(0);
  /** Pages and shadows the slots hold. */
  nr_pages = 0;
  nr_shadows = 0;
  /** Pages read ahead and not used yet (for swap_ra_hit). */
  readahead = new Set<number>();
}

/** swap_address_space(e), made if it is not there yet. */
function swap_space(c: SwapCache, e: SwpEntry): SwapSpace {
  const key = Math.floor(e / SWAP_ADDRESS_SPACE_PAGES);
  if (key === c.last_space) return c.last_sp!;
  let sp = c.spaces.get(key);
  if (!sp) {
    const type = swp_type(e);
    sp = new SwapSpace(
      new XArray(
        workingset_update_node,
        (k, first, last) => {
          for (let off = first; off <= last; off++) clear_shadow_from_swap_cache(k, swp_entry(type, off));
        },
        workingset_requeue_node,
      ),
    );
    c.spaces.set(key, sp);
  }
  c.last_space = key;
  c.last_sp = sp;
  return sp;
}

/** swap_address_space(e) if it was ever used (a lookup makes none), else null. It becomes the one used last. */
function swap_space_lookup(c: SwapCache, e: SwpEntry): SwapSpace | null {
  const key = Math.floor(e / SWAP_ADDRESS_SPACE_PAGES);
  if (key === c.last_space) return c.last_sp!;
  return swap_space_find(c, key);
}

/** swap_space_lookup's Map half (apart: the first half stays small enough to be inlined). */
function swap_space_find(c: SwapCache, key: number): SwapSpace | null {
  const sp = c.spaces.get(key);
  if (sp === undefined) return null;
  c.last_space = key;
  c.last_sp = sp;
  return sp;
}

const caches = new WeakMap<Kernel, SwapCache>();
/** The kernel asked last and its cache: reclaim asks for every page, a WeakMap lookup each time adds up. */
let last_k: Kernel | null = null;
let last_c: SwapCache | null = null;

function cache(k: Kernel): SwapCache {
  return k === last_k ? last_c! : cache_of(k);
}

function cache_of(k: Kernel): SwapCache {
  let c = caches.get(k);
  if (!c) {
    c = new SwapCache();
    caches.set(k, c);
  }
  last_k = k;
  last_c = c;
  return c;
}

/** swapon: the page -> slot table is made, as long as mem_map, when the first area comes. */
export function swap_cache_init(k: Kernel): void {
  const c = cache(k);
  if (c.entry_of.length < k.mem.max_pfn) c.entry_of = new Float64Array(k.mem.max_pfn);
}

/** This kernel's swap cache becomes the one looked up last (swap_init). */
export function swap_cache_select(k: Kernel): void {
  cache_of(k);
}

export function lookup_swap_cache(k: Kernel, e: SwpEntry): number {
  const sp = swap_space_lookup(cache(k), e);
  if (sp === null) return -1;
  const v = sp.slots[space_index(e)];
  return v > 0 ? v - 1 : -1;
}

/** The shadow left in slot e (-1: none). */
function swap_cache_shadow(c: SwapCache, e: SwpEntry): Shadow {
  const sp = swap_space_lookup(c, e);
  if (sp === null) return -1;
  const v = sp.slots[space_index(e)];
  return v < 0 ? -v - 1 : -1;
}

/** folio->swap of page pfn (-1: not in the swap cache). */
function entry_of_get(c: SwapCache, pfn: number): SwpEntry {
  const eo = c.entry_of;
  return pfn < eo.length ? eo[pfn] - 1 : -1;
}

/** folio->swap = e. */
function entry_of_set(c: SwapCache, pfn: number, e: SwpEntry): void {
  if (pfn >= c.entry_of.length) BUG(`swap cache: page ${pfn} added before any swapon`);
  c.entry_of[pfn] = e + 1;
}

/** The swap entry a swap-cache page stands for. */
export function page_swap_entry(k: Kernel, pfn: number): SwpEntry {
  return entry_of_get(cache(k), pfn);
}

/*
 * Reclaim's store, deferred. shrink_folio_list adds the page it swaps out
 * to the swap cache and, most of the time, deletes it again a moment later
 * for its shadow: the xarray may defer the first store and do both at once
 * (lib/xarray.ts). The page whose store waits (-1: none), and what the
 * store needs.
 */
let deferred_pfn = -1;
let deferred_k: Kernel | null = null;
let deferred_xa: XArray | null = null;
let deferred_index = 0;
let deferred_nid = 0;

/** The deferred store, done as add_to_swap_cache would have done it (the xarray asks for it). */
function complete_deferred_store(): void {
  deferred_pfn = -1;
  xa_account(deferred_k!, deferred_xa!, deferred_index, 1, 0, deferred_nid);
}

/** add_to_swap_cache: the page stands for slot e (the slot's has_cache is already set). */
export function add_to_swap_cache(k: Kernel, pfn: number, e: SwpEntry): void {
  const c = cache(k);
  __add_to_swap_cache(k, c, swap_space(c, e), space_index(e), swp_offset(e), pfn, e);
}

/** add_to_swap_cache with slot e's address_space, index in it and offset found. */
function __add_to_swap_cache(
  k: Kernel,
  c: SwapCache,
  sp: SwapSpace,
  i: number,
  off: number,
  pfn: number,
  e: SwpEntry,
): void {
  const old = sp.slots[i];
  sp.slots[i] = pfn + 1;
  if (old <= 0) c.nr_pages++;
  entry_of_set(c, pfn, e);
  const nid = page_zone(k, pfn).node;
  // The page takes its slot, or the slot's shadow's place.
  if (old < 0) {
    c.nr_shadows--;
    xa_account(k, sp.xa, off, 0, -1, nid);
  } else xa_account(k, sp.xa, off, 1, 0, nid);
  k.mem.flags[pfn] |= PG_swapcache;
  k.nodes[nid].vm_stat[NR_SWAPCACHE]++;
  get_page(k, pfn);
}

/**
 * add_to_swap_cache for reclaim: the xarray store may wait (see above) when
 * the slot has no shadow. A page whose device completes its write at once
 * (zram) may be freed in the same pass: its store is deferred, to be made
 * together with its shadow's when its leaf is the one used last. A page
 * written to a disk stays under writeback until a later pass: its store
 * joins the run of the batch's stores to one leaf (xa_account_batched).
 * The caller calls xa_flush_deferred at the end of its pass; nid is the
 * page's node (the one reclaim shrinks).
 */
export function add_to_swap_cache_reclaim(k: Kernel, pfn: number, e: SwpEntry, nid: number): void {
  const c = cache(k);
  const sp = swap_space(c, e);
  const xa = sp.xa;
  const off = swp_offset(e);
  const i = space_index(e);
  if (sp.slots[i] !== 0) {
    // The page takes its shadow's place: at once, after what waits.
    xa_flush_deferred();
    __add_to_swap_cache(k, c, sp, i, off, pfn, e);
    return;
  }
  sp.slots[i] = pfn + 1;
  c.nr_pages++;
  entry_of_set(c, pfn, e);
  if (swap_state(k).info[swp_type(e)]?.bdev.ops.synchronous === true) {
    // A store deferred before is done first: the leaf used last may change.
    xa_flush_deferred();
    if (xa_store_deferrable(xa, off)) {
      xa_defer_store(complete_deferred_store);
      deferred_pfn = pfn;
      if (deferred_k !== k) deferred_k = k;
      if (deferred_xa !== xa) deferred_xa = xa;
      deferred_index = off;
      deferred_nid = nid;
    } else xa_account(k, xa, off, 1, 0, nid);
  } else xa_account_batched(k, xa, off, 1, 0, nid);
  k.mem.flags[pfn] |= PG_swapcache;
  k.nodes[nid].vm_stat[NR_SWAPCACHE]++;
  get_page(k, pfn);
}

/** delete_from_swap_cache: the cache lets go of the page (and its reference) and of the slot. */
export function delete_from_swap_cache(k: Kernel, pfn: number): void {
  const c = cache(k);
  const e = entry_of_get(c, pfn);
  if (e < 0) return;
  c.entry_of[pfn] = 0;
  const sp = swap_space(c, e);
  const i = space_index(e);
  c.nr_pages--;
  const nid = page_zone(k, pfn).node;
  const si = swap_info_of(k, e);
  const off = swp_offset(e);
  sp.slots[i] = 0;
  xa_account(k, sp.xa, off, -1, 0, nid);
  if (c.readahead.size !== 0) c.readahead.delete(pfn);
  k.mem.flags[pfn] &= ~PG_swapcache;
  k.nodes[nid].vm_stat[NR_SWAPCACHE]--;
  if (si !== null) __swapcache_free(k, si, off);
  put_page(k, pfn);
}

/**
 * __remove_mapping's swap-cache case: reclaim frees a clean swap-cache page
 * nothing maps. The page's shadow (workingset_eviction) takes its place in
 * the slot - to notice a refault when the slot is read back - while PTEs
 * still refer to the slot, and the cache lets go of the page and of the
 * slot (__delete_from_swap_cache, put_swap_folio). Reclaim drops the
 * page's references itself, with the others it frees. nid is the page's
 * node (the one reclaim shrinks).
 */
export function __remove_mapping_swap(k: Kernel, pfn: number, nid: number): void {
  const shadow = workingset_eviction_node(k, pfn, nid);
  const c = cache(k);
  const eo = c.entry_of;
  const e = pfn < eo.length ? eo[pfn] - 1 : -1; // entry_of_get
  if (e < 0) return;
  eo[pfn] = 0;
  const sp = swap_space(c, e);
  const i = space_index(e);
  c.nr_pages--;
  const si = swap_info_of(k, e);
  const off = swp_offset(e);
  if (si !== null && si.swap_map[off] > 0) {
    sp.slots[i] = -shadow - 1;
    c.nr_shadows++;
    // Reclaim's deferred store of this page, and its shadow, at once.
    if (deferred_pfn === pfn && deferred_k === k) {
      deferred_pfn = -1;
      xa_store_value_pair(k, deferred_xa!);
    } else xa_account_batched(k, sp.xa, off, 0, 1, nid);
    if (c.readahead.size !== 0) c.readahead.delete(pfn);
    k.mem.flags[pfn] &= ~PG_swapcache;
    k.nodes[nid].vm_stat[NR_SWAPCACHE]--;
    // __swapcache_free: PTEs still refer to the slot (nothing since changed its count), it stays.
    si.has_cache[off] = 0;
    return;
  }
  sp.slots[i] = 0;
  xa_account(k, sp.xa, off, -1, 0, nid);
  if (c.readahead.size !== 0) c.readahead.delete(pfn);
  k.mem.flags[pfn] &= ~PG_swapcache;
  k.nodes[nid].vm_stat[NR_SWAPCACHE]--;
  if (si !== null) __swapcache_free(k, si, off);
}

/** clear_shadow_from_swap_cache: slot e was freed; a shadow left in it goes. */
export function clear_shadow_from_swap_cache(k: Kernel, e: SwpEntry): void {
  const sp = take_shadow(cache(k), e);
  if (sp !== null) xa_account(k, sp.xa, swp_offset(e), -1, -1, 0);
}

/** Empties slot e when it holds a shadow: the slot's space, or null when there was none (its xarray is not told). */
function take_shadow(c: SwapCache, e: SwpEntry): SwapSpace | null {
  if (c.nr_shadows === 0) return null;
  const sp = swap_space_lookup(c, e);
  if (sp === null) return null;
  const i = space_index(e);
  if (sp.slots[i] >= 0) return null;
  sp.slots[i] = 0;
  c.nr_shadows--;
  return sp;
}

/** clear_shadow_from_swap_cache for slot off of area type (the slots a batch frees, swapfile.ts). */
export function clear_shadow_from_swap_slot(k: Kernel, type: number, off: number): void {
  clear_shadow_from_swap_cache(k, type === 0 ? off : swp_entry(type, off));
}

/*
 * The shadows a batch of freed slots leaves behind (swapcache_free_entries,
 * exit's 64 at a time): a run of them in one xarray leaf is erased from it
 * in one change, xa_account(-n, -n), when the batch moves on to another leaf
 * and at its end. The leaf ends as it would one at a time - counts, its
 * list_lru membership (a leaf of shadows only stays listed until it is
 * empty), and its freeing with its radix_tree_node when the last goes - and
 * those changes keep their order among themselves: what else the batch does
 * in between (free slot counts, the avail list) looks at no xarray.
 */
let run_k: Kernel | null = null;
let run_xa: XArray | null = null;
let run_chunk = -1;
let run_index = 0;
let run_n = 0;

/** clear_shadow_from_swap_slot inside a batch of freed slots (the caller calls swap_shadow_run_flush at its end). */
export function clear_shadow_from_swap_slot_batched(k: Kernel, type: number, off: number): void {
  const c = cache(k);
  if (c.nr_shadows === 0) return;
  const sp = take_shadow(c, type === 0 ? off : swp_entry(type, off));
  if (sp === null) return;
  const chunk = xa_chunk(off);
  if (run_n > 0 && (run_xa !== sp.xa || run_chunk !== chunk || run_k !== k)) swap_shadow_run_flush();
  if (run_n === 0) {
    if (run_k !== k) run_k = k;
    if (run_xa !== sp.xa) run_xa = sp.xa;
    run_chunk = chunk;
    run_index = off;
  }
  run_n++;
}

/**
 * swapcache_free_entries (swapfile.ts) for the slots entries[from..] of area
 * si, up to `to` or the first of another area, when si's device is not told
 * of freed slots (no swap_slot_free_notify); returns where it stopped. Each
 * slot is done as there (has_cache cleared, and a slot no PTE took again is
 * freed: the area's free count, the avail list when it was full, the
 * system's free swap, and its shadow erased in the batch's run), with the
 * counts and the run of shadows kept in locals: the area's in-use count is
 * stored before the avail list hears of it, the free swap count at the end,
 * and the run is erased from its leaf when the next shadow is in another
 * and at the end, as clear_shadow_from_swap_slot_batched and
 * swap_shadow_run_flush would (nothing in between looks at an xarray or at
 * the counts).
 */
export function swapcache_free_run(
  k: Kernel,
  si: SwapInfo,
  entries: Float64Array,
  from: number,
  to: number,
): number {
  swap_shadow_run_flush();
  const c = cache(k);
  const type = si.type;
  const map = si.swap_map;
  const has_cache = si.has_cache;
  const pages = si.pages;
  let inuse = si.inuse_pages;
  let freed = 0;
  let xa: XArray | null = null;
  let chunk = -1;
  let index = 0;
  let n = 0;
  let i = from;
  for (; i < to; i++) {
    const e = entries[i];
    let off: number;
    if (e < 2 ** 40) {
      if (type !== 0) break;
      off = e;
    } else {
      if (swp_type(e) !== type) break;
      off = swp_offset(e);
    }
    has_cache[off] = 0;
    if (map[off] !== 0) continue;
    // slot_freed: a full area can give slots again.
    if (inuse-- >= pages && si.writeok === true) {
      si.inuse_pages = inuse;
      add_to_avail_list(k, si);
    }
    freed++;
    // clear_shadow_from_swap_slot_batched (take_shadow, and the run).
    if (c.nr_shadows === 0) continue;
    const sp = swap_space_lookup(c, e);
    if (sp === null) continue;
    const j = space_index(e);
    if (sp.slots[j] >= 0) continue;
    sp.slots[j] = 0;
    c.nr_shadows--;
    const ch = xa_chunk(off);
    if (n !== 0 && (xa !== sp.xa || chunk !== ch)) {
      xa_account(k, xa!, index, -n, -n, 0);
      n = 0;
    }
    if (n === 0) {
      xa = sp.xa;
      chunk = ch;
      index = off;
    }
    n++;
  }
  si.inuse_pages = inuse;
  k.mm_stat.nr_swap_pages += freed;
  if (n !== 0) xa_account(k, xa!, index, -n, -n, 0);
  return i;
}

/** The run of shadows erased so far, out of its xarray leaf. */
export function swap_shadow_run_flush(): void {
  const n = run_n;
  if (n === 0) return;
  run_n = 0;
  xa_account(run_k!, run_xa!, run_index, -n, -n, 0);
}

/** Checks the swap cache's xarrays against its pages and shadows, and each page's folio->swap (debug_vm). */
export function check_swap_cache_xarrays(k: Kernel): void {
  const c = cache(k);
  let pages = 0;
  let shadows = 0;
  for (const [key, sp] of c.spaces) {
    const entries: [number, boolean][] = [];
    const base = key * SWAP_ADDRESS_SPACE_PAGES;
    const first = swp_offset(base);
    for (let i = 0; i < SWAP_ADDRESS_SPACE_PAGES; i++) {
      const v = sp.slots[i];
      if (v === 0) continue;
      entries.push([first + i, v < 0]);
      if (v < 0) {
        shadows++;
        continue;
      }
      pages++;
      if (entry_of_get(c, v - 1) !== base + i)
        BUG(`swap cache: page ${v - 1} in slot ${base + i} names another slot`);
    }
    xa_check(k, sp.xa, entries, "swap cache");
  }
  if (pages !== c.nr_pages || shadows !== c.nr_shadows)
    BUG(`swap cache: counts ${c.nr_pages} pages and ${c.nr_shadows} shadows, holds ${pages} and ${shadows}`);
}

/** Migration moved a swap-cache page: the slot now points at newpfn (folio_migrate_mapping). */
export function swap_cache_migrate(k: Kernel, oldpfn: number, newpfn: number): void {
  const c = cache(k);
  const e = entry_of_get(c, oldpfn);
  if (e < 0) return;
  swap_space(c, e).slots[space_index(e)] = newpfn + 1;
  c.entry_of[oldpfn] = 0;
  entry_of_set(c, newpfn, e);
  if (c.readahead.delete(oldpfn)) c.readahead.add(newpfn);
}

/**
 * try_to_free_swap (folio_free_swap): a swap-cache page nothing else points
 * at through its slot leaves the cache - not while it is being written.
 */
export function try_to_free_swap(k: Kernel, pfn: number): boolean {
  if ((k.mem.flags[pfn] & (PG_swapcache | PG_writeback)) !== PG_swapcache) return false;
  if (swap_count(k, page_swap_entry(k, pfn)) > 0) return false;
  delete_from_swap_cache(k, pfn);
  return true;
}

/**
 * swap_readpage into a new page: the slot's contents, the workingset
 * refault check against the slot's shadow, pswpin; -1 without memory.
 */
function swap_readpage_new(k: Kernel, e: SwpEntry): number {
  const pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
  if (pfn < 0) return -1;
  const shadow = swap_cache_shadow(cache(k), e);
  if (shadow >= 0) workingset_refault(k, pfn, shadow, false);
  page_set_data(k, pfn, swap_read(k, e));
  k.mem.flags[pfn] |= PG_uptodate; // end_swap_bio_read
  k.vm_events[PSWPIN]++;
  return pfn;
}

/** A new page with the slot's contents, in the swap cache and on the LRU (read_swap_cache_async). */
function read_swap_page(k: Kernel, e: SwpEntry): number {
  const pfn = swap_readpage_new(k, e);
  if (pfn < 0) return -1;
  k.mem.flags[pfn] |= PG_swapbacked | PG_anon;
  const si = swap_state(k).info[Math.floor(e / 2 ** 40)]!;
  si.has_cache[swp_offset(e)] = 1;
  add_to_swap_cache(k, pfn, e);
  put_page(k, pfn); // the cache's reference is the one left
  lru_cache_add(k, pfn);
  return pfn;
}

/** swap_cluster_readahead: the slots after e in the same cluster that are in use and not cached. */
function swapin_readahead(k: Kernel, e: SwpEntry, si: SwapInfo): void {
  const off = swp_offset(e);
  // vm.page-cluster: the aligned window of 2^page_cluster slots around the fault (0: no readahead).
  const window = 1 << k.sysctl_vm.page_cluster;
  const first = off & ~(window - 1);
  for (let o = Math.max(first, 1); o < first + window && o < si.max; o++) {
    if (o === off || si.swap_map[o] === 0 || si.swap_map[o] === SWAP_MAP_BAD || si.has_cache[o]) continue;
    const pfn = read_swap_page(k, swp_entry(si.type, o));
    if (pfn < 0) return;
    cache(k).readahead.add(pfn);
    k.vm_events[SWAP_RA]++;
  }
}

/**
 * swapin_readahead: slot e read into a new swap-cache page (on the LRU),
 * with its neighbours (vm.page-cluster); the page, or -1 without memory.
 * The reader pays for waiting on the device.
 */
export function swap_cache_read(k: Kernel, e: SwpEntry): number {
  const pfn = read_swap_page(k, e);
  if (pfn < 0) return -1;
  // The fault holds the page (read_swap_cache_async's reference) while the readahead allocates:
  // reclaim must not take it back before it is mapped.
  get_page(k, pfn);
  swapin_readahead(k, e, swap_state(k).info[swp_type(e)]!);
  put_page(k, pfn);
  const t = k.sched.current;
  if (t) t.cost += SWAPIN_FAULT_COST;
  return pfn;
}

/** A swap-cache page found by a later lookup: a page read ahead that proved useful (swap_ra_hit). */
export function swap_cache_hit(k: Kernel, pfn: number): void {
  if (cache(k).readahead.delete(pfn)) k.vm_events[SWAP_RA_HIT]++;
}

/**
 * do_swap_page: the fault handler's case for a swap PTE. Returns 0, the
 * major-fault bit (4), or VM_FAULT_OOM (1).
 */
export function do_swap_page(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  pt: PageTable,
  i: number,
  write: boolean,
): number {
  const pte = pt.entries[i];
  const si = swap_state(k).info[pte_swp_type(pte)];
  if (!si) return 0x40; // a stale entry: SIGSEGV
  const e = swp_entry(si.type, pte_swp_offset(pte));
  // The swap-cache page the fault went through (-1: none), and the page it maps.
  let pfn = lookup_swap_cache(k, e);
  let page: number;
  // A major fault (pgmajfault is counted once, by handle_mm_fault, as for file pages).
  const major = pfn < 0 ? 4 : 0;
  if (pfn < 0 && si.bdev.ops.synchronous && swap_count(k, e) === 1) {
    // A synchronous device (zram) and a slot only this PTE refers to: the page is read straight
    // into a new private page, past the swap cache and without readahead.
    page = swapin_skip_swapcache(k, vma, addr, e);
    if (page < 0) return 1;
  } else {
    if (pfn < 0) {
      pfn = swap_cache_read(k, e);
      if (pfn < 0) return 1;
    } else swap_cache_hit(k, pfn);
    // A page another, unrelated process maps (KSM merged their pages) is copied for this one.
    const cached = pfn;
    page = ksm_might_need_to_copy(k, pfn, vma, addr, () => swapin_copy(k, cached, vma, addr));
    if (page < 0) return 1;
    // Map it: a page read back has no anonymous mapping yet (it takes this area's). A copy was
    // mapped as this area's own when it was made.
    if (page === pfn) {
      if (k.mem.flags[pfn] & PG_ksm) ksm_map_page(k, pfn);
      else if (k.mem.page_mapcount(pfn) === 0) page_add_anon_rmap_root(k, pfn, vma, addr);
      else page_dup_rmap(k, pfn);
      get_page(k, pfn);
    }
  }
  const ksm = (k.mem.flags[page] & PG_ksm) !== 0;
  mm.rss[MM_SWAPENTS]--;
  mm.rss[MM_ANONPAGES]++;
  swap_free(k, e);
  // should_try_to_free_swap: the slot goes when swap is half full, the area is locked, or a write
  // fault finds itself the page's only user; a read leaves it in the swap cache (clean: reclaim can
  // drop it again without writing). A fresh copy is certainly exclusive; a KSM page never is.
  let exclusive = page !== pfn;
  const f0 = pfn >= 0 ? k.mem.flags[pfn] : 0;
  if (
    f0 & PG_swapcache &&
    (vm_swap_full(k) ||
      vma.vm_flags & VM_LOCKED ||
      f0 & PG_mlocked ||
      (write && !ksm && k.mem.page_ref_count(pfn) === 2))
  ) {
    const freed = try_to_free_swap(k, pfn);
    if (page === pfn && !ksm) exclusive = freed && k.mem.page_mapcount(pfn) === 1;
  }
  // An exclusive page is mapped writable for a write fault only (a read leaves the next write to
  // do_wp_page, which reuses it).
  const writable = exclusive && write && (vma.vm_flags & VM_WRITE) !== 0;
  // pte_swp_soft_dirty: the bit the swap entry kept comes back.
  let f = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX | (pte & _PAGE_SOFT_DIRTY);
  if (writable) f |= _PAGE_RW;
  if (writable && write) f |= _PAGE_DIRTY | _PAGE_SOFT_DIRTY;
  if (exclusive) k.mem.flags[page] |= PG_dirty;
  set_pte(pt, i, pfn_pte(page, f));
  return major;
}

/**
 * do_swap_page's "skip swapcache" case (SWP_SYNCHRONOUS_IO, swap count 1):
 * a new page with the slot's contents, this area's own (mapped, on the
 * LRU); the slot is free as soon as the PTE lets go of it. -1 without memory.
 */
function swapin_skip_swapcache(k: Kernel, vma: VmAreaStruct, addr: number, e: SwpEntry): number {
  const pfn = swap_readpage_new(k, e);
  if (pfn < 0) return -1;
  page_add_new_anon_rmap(k, pfn, vma, addr);
  lru_cache_add(k, pfn);
  const t = k.sched.current;
  if (t) t.cost += SWAPIN_FAULT_COST;
  return pfn;
}

/**
 * ksm_might_need_to_copy's new page: this area's own anonymous copy of the
 * swap-cache page (dirty, on the LRU). The fault holds the swap-cache page
 * while it allocates: reclaim must not free it under the copy.
 */
function swapin_copy(k: Kernel, pfn: number, vma: VmAreaStruct, addr: number): number {
  get_page(k, pfn);
  const copy = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
  if (copy >= 0) {
    copy_highpage(k, copy, pfn);
    page_add_new_anon_rmap(k, copy, vma, addr);
    k.mem.flags[copy] |= PG_dirty | PG_uptodate;
    lru_cache_add(k, copy);
  }
  put_page(k, pfn);
  return copy;
}

/**
 * zap_pte_range's swap PTEs (free_swap_and_cache): from entries[i] on, as
 * long as they are swap entries (up to hi), each is cleared and its slot
 * loses a reference; a slot nothing refers to any more goes to the slots
 * cache, or its unused cached copy goes too, unless it is being written
 * (reclaim frees it once the write is done). Returns how many entries.
 * Each entry is done in turn as on its own; the run looks up once what
 * each would look up again: the area of the last type, this CPU's slots
 * cache.
 */
export function free_swap_entries(
  k: Kernel,
  mm: MmStruct,
  entries: Float64Array,
  i: number,
  hi: number,
): number {
  const info = swap_state(k).info;
  const rss = mm.rss;
  const c = swap_slots_ret_cache(k);
  let type = -1;
  let si: SwapInfo | null = null;
  let x = i;
  for (; x <= hi; x++) {
    const pte = entries[x];
    if (pte === 0 || pte_present(pte)) break;
    entries[x] = 0;
    rss[MM_SWAPENTS]--;
    const t = pte_swp_type(pte);
    if (t !== type) {
      type = t;
      si = info[t] ?? null;
    }
    if (si === null) continue; // a stale entry: swap_free and the cache know nothing of it
    const off = pte_swp_offset(pte);
    // swap_free.
    const map = si.swap_map;
    if (map[off] > 0) map[off]--;
    if (map[off] !== 0) continue;
    // Only a slot marked SWAP_HAS_CACHE can have a page in the swap cache; a slot without goes
    // (free_swap_slot: into the slots cache, marked SWAP_HAS_CACHE there, or freed at once).
    if (si.has_cache[off] === 0) {
      free_swap_slot_to(k, c, si, off);
      continue;
    }
    const pfn = lookup_swap_cache(k, swp_entry(si.type, off));
    if (pfn >= 0 && k.mem.page_mapcount(pfn) === 0) try_to_free_swap(k, pfn);
  }
  return x - i;
}

/** fork copies a swap PTE: one more reference to the slot. */
export function dup_swap_entry(k: Kernel, mm: MmStruct, pte: number): void {
  swap_duplicate(k, swp_entry(pte_swp_type(pte), pte_swp_offset(pte)));
  mm.rss[MM_SWAPENTS]++;
}
