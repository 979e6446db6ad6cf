/*
 * migrate.ts - moving a page's contents and mappings to another page
 * (Linux mm/migrate.c, include/linux/migrate.h).
 *
 * A movable page is one the kernel can copy somewhere else without its users
 * noticing: a page on an LRU list (anonymous, shmem or page cache) that
 * nobody pins. Compaction (compaction.ts) isolates such pages from the LRU
 * and hands them here with a callback that gives a free target page
 * (compaction_alloc). A target is only asked for once the page is known to
 * be movable, so none is ever handed back (Linux's put_new_page).
 *
 * Moving one page (unmap_and_move):
 *
 *     old page                                   new page
 *     +-------------------+    every PTE that    +-------------------+
 *     | PTEs (via rmap)   | -- maps old is ----> | same PTEs, same   |
 *     | mapping, index    |    rewritten to new  | flags; TLB entry  |
 *     | flags, _mapcount  |    (flushed as       | for the address   |
 *     | _refcount, tag    |    try_to_migrate    | flushed           |
 *     +-------------------+    does)             +-------------------+
 *     page cache slot / swap cache slot point at the new page; the old page
 *     keeps only the isolation reference and is freed.
 *
 * Pages that cannot move are left isolated on the caller's list, to be put
 * back on the LRU (putback_movable_pages): pinned pages (a reference nobody
 * accounts for, as from get_user_pages), locked pages (under I/O), pages
 * under writeback (MIGRATE_SYNC would wait for the write to end; a kernel
 * path here cannot wait, so it gives up on the page as the other modes do).
 *
 * Simplified compared to Linux: no migration PTEs (the simulation runs one
 * kernel path at a time, so no fault can observe the page half moved), so
 * the ten retry passes for -EAGAIN would see the same state each time and
 * are made once; THP and hugetlb pages are not migrated; no non-LRU movable
 * pages (zsmalloc, balloon).
 */

import type { Kernel } from "../kernel.js";
import { VM_BUG_ON } from "../lib/bug.js";
import { EAGAIN, EBUSY, ENOMEM } from "../uapi/errno.js";
import type { AddressSpace } from "./filemap.js";
import { ksm_migrate_page } from "./ksm_mm.js";
import { copy_highpage } from "./memory.js";
import {
  PAGES_PER_SECTION,
  PG_anon,
  PG_data,
  PG_ksm,
  PG_locked,
  PG_lru,
  PG_swapbacked,
  PG_swapcache,
  PG_writeback,
} from "./mm_types.js";
import { NR_ISOLATED_ANON, NR_ISOLATED_FILE } from "./mmzone.js";
import { __free_pages, page_zone } from "./page_alloc.js";
import { pfn_pte, pte_flags, set_pte } from "./pgtable.js";
import { rmap_walk } from "./rmap.js";
import { add_page_to_lru_list, put_page } from "./swap.js";
import { swap_cache_migrate } from "./swap_state.js";
import { flush_tlb_page } from "./tlbflush.js";
import { PGMIGRATE_FAIL, PGMIGRATE_SUCCESS } from "./vm_event_item.js";

/* enum migrate_mode */
export const MIGRATE_ASYNC = 0; // never block
export const MIGRATE_SYNC_LIGHT = 1; // may block, but not on writeback
export const MIGRATE_SYNC = 2; // may wait for writeback

/* enum migrate_reason (the ones mmbox has) */
export const MR_COMPACTION = 0;
export const MR_SYSCALL = 3;

/** Copying one page and rewriting its PTEs, on the model machine (ns). */
export const MIGRATE_PAGE_COST = 1200;

/** A target page for pfn, or -1 (compaction_alloc). */
export type NewPageFn = (k: Kernel, pfn: number) => number;

/** page_is_file_lru: page cache of a real file (not swap-backed). */
function page_is_file_lru(k: Kernel, pfn: number): boolean {
  return (k.mem.flags[pfn] & PG_swapbacked) === 0;
}

/** NR_ISOLATED_ANON / NR_ISOLATED_FILE of the page's node, by nr. */
export function mod_isolated(k: Kernel, pfn: number, nr: number): void {
  const item = page_is_file_lru(k, pfn) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON;
  k.nodes[page_zone(k, pfn).node].vm_stat[item] += nr;
}

/**
 * The address_space whose page cache holds pfn, or null (anonymous pages,
 * and pages whose mapping field is stale: mapping ids start at 0, so the
 * cache itself is asked).
 */
function page_cache_of(k: Kernel, pfn: number): AddressSpace | null {
  if (k.mem.flags[pfn] & (PG_anon | PG_swapcache)) return null;
  const m = k.mappings[k.mem.getMapping(pfn)];
  return m && m.pages.get(k.mem.getIndex(pfn)) === pfn ? m : null;
}

/**
 * folio_expected_refs: the references a page should have when nobody pins
 * it: one per PTE, one for the page cache or swap cache, and ours from
 * isolation.
 */
export function expected_refs(k: Kernel, pfn: number): number {
  let refs = 1 + k.mem.page_mapcount(pfn);
  if (k.mem.flags[pfn] & PG_swapcache || page_cache_of(k, pfn)) refs++;
  return refs;
}

/**
 * move_to_new_page: everything that named oldpfn names newpfn now. The
 * PTEs keep their flags (writable, dirty, young); each rewritten address is
 * flushed from the TLB.
 */
function move_to_new_page(k: Kernel, newpfn: number, oldpfn: number): void {
  const mem = k.mem;
  // Contents first (copy_highpage copies the kept bytes and the tag).
  copy_highpage(k, newpfn, oldpfn);
  // try_to_migrate + remove_migration_ptes, in one step.
  rmap_walk(k, oldpfn, (mm, _vma, vpn, pt, i) => {
    set_pte(pt, i, pfn_pte(newpfn, pte_flags(pt.entries[i])));
    flush_tlb_page(k, mm, vpn * 4096);
  });
  // folio_migrate_mapping: the cache slot points at the new page.
  const m = page_cache_of(k, oldpfn);
  const index = mem.getIndex(oldpfn);
  if (mem.flags[oldpfn] & PG_swapcache) swap_cache_migrate(k, oldpfn, newpfn);
  else if (m) m.pages.set(index, newpfn);
  // folio_migrate_flags and the struct page fields.
  const keep = mem.flags[newpfn] & PG_data;
  mem.flags[newpfn] = (mem.flags[oldpfn] & ~PG_data) | keep;
  mem.setMapping(newpfn, mem.getMapping(oldpfn), index);
  if (mem.flags[newpfn] & PG_ksm) ksm_migrate_page(k, newpfn, oldpfn);
  mem.setPrivate(newpfn, mem.getPrivate(oldpfn));
  const oe = mem.ext(oldpfn);
  const ne = mem.ext(newpfn);
  const oi = oldpfn & (PAGES_PER_SECTION - 1);
  const ni = newpfn & (PAGES_PER_SECTION - 1);
  ne._mapcount[ni] = oe._mapcount[oi];
  ne._refcount[ni] = oe._refcount[oi];
  // The old page: nothing maps it, only the isolation reference is left.
  oe._mapcount[oi] = -1;
  oe._refcount[oi] = 1;
  mem.flags[oldpfn] &= PG_data; // free_pages_prepare drops the kept bytes
  mem.setMapping(oldpfn, 0, 0);
  mem.setPrivate(oldpfn, 0);
}

/**
 * unmap_and_move: move one isolated page. Returns 0 on success (the old
 * page is freed, the new one is on the LRU), or -errno with the page still
 * isolated.
 */
function unmap_and_move(k: Kernel, get_new_page: NewPageFn, pfn: number): number {
  const mem = k.mem;
  if (mem.page_ref_count(pfn) === 1) {
    // Freed under us: only our isolation reference is left. Done.
    mod_isolated(k, pfn, -1);
    put_page(k, pfn);
    return 0;
  }
  const f = mem.flags[pfn];
  VM_BUG_ON((f & PG_lru) !== 0, "migrating a page that is still on an LRU list");
  if (f & PG_locked) return -EAGAIN;
  // MIGRATE_SYNC would wait for the writeback to end; nothing here can wait, so it is -EBUSY too.
  if (f & PG_writeback) return -EBUSY;
  if (mem.page_ref_count(pfn) !== expected_refs(k, pfn)) return -EAGAIN; // pinned
  const newpfn = get_new_page(k, pfn);
  if (newpfn < 0) return -ENOMEM;
  VM_BUG_ON(page_zone(k, newpfn).node !== page_zone(k, pfn).node, "migration target on another node");
  // migrate_folio_done uncounts the isolation by the old page's kind, which the move clears here.
  mod_isolated(k, pfn, -1);
  move_to_new_page(k, newpfn, pfn);
  // migrate_folio_done: the old page goes; the new one joins the LRU, our reference dropped.
  __free_pages(k, pfn, 0);
  add_page_to_lru_list(k, newpfn);
  put_page(k, newpfn);
  const t = k.sched.current;
  if (t) t.cost += MIGRATE_PAGE_COST;
  return 0;
}

/**
 * migrate_pages: move the isolated pages of `from`. Pages moved leave the
 * list; the ones that could not move stay on it for the caller to put back.
 * Returns the number of pages not moved, or -ENOMEM when the target pages
 * ran out (the rest of the list is then left untried, as Linux does).
 */
export function migrate_pages(
  k: Kernel,
  from: number[],
  get_new_page: NewPageFn,
  _mode: number, // the modes differ in what they wait for; nothing here waits
  _reason: number,
  out: { nr_succeeded: number },
): number {
  let nr_failed = 0;
  let nr_succeeded = 0;
  let rc = 0;
  const left: number[] = [];
  let i = 0;
  for (; i < from.length; i++) {
    const pfn = from[i];
    const r = unmap_and_move(k, get_new_page, pfn);
    if (r === 0) nr_succeeded++;
    else if (r === -ENOMEM) {
      rc = -ENOMEM;
      break;
    } else {
      nr_failed++;
      left.push(pfn);
    }
  }
  for (; i < from.length; i++) left.push(from[i]);
  from.length = 0;
  from.push(...left);
  k.vm_events[PGMIGRATE_SUCCESS] += nr_succeeded;
  k.vm_events[PGMIGRATE_FAIL] += nr_failed;
  out.nr_succeeded = nr_succeeded;
  return rc < 0 ? rc : nr_failed;
}

/** putback_movable_pages: pages that were not moved go back on their LRU list. */
export function putback_movable_pages(k: Kernel, list: number[]): void {
  for (const pfn of list) {
    mod_isolated(k, pfn, -1);
    add_page_to_lru_list(k, pfn);
    put_page(k, pfn);
  }
  list.length = 0;
}
