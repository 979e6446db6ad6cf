/*
 * mlock.ts - locking pages in memory (Linux mm/mlock.c).
 *
 * mlock() marks the VMAs of a range VM_LOCKED (splitting at the edges) and
 * faults every page in. A page mapped by a locked VMA is PG_mlocked and sits
 * on the unevictable LRU, where reclaim never looks; it counts in Mlocked
 * and Unevictable of /proc/meminfo. munlock() clears VM_LOCKED; a page goes
 * back to the ordinary LRU once no locked VMA maps it any more (found with
 * an rmap walk, as munlock_folio's re-check does).
 *
 * The caller is root (CAP_IPC_LOCK), so RLIMIT_MEMLOCK does not apply.
 */

import type { Kernel } from "../kernel.js";
import { EINVAL, ENOMEM } from "../uapi/errno.js";
import { type MmStruct, VM_LOCKED, type VmAreaStruct } from "./mm_struct.js";
import { PG_lru, PG_mlocked, PG_tail, PG_unevictable } from "./mm_types.js";
import { range_is_mapped } from "./mmap.js";
import { NR_MLOCK } from "./mmzone.js";
import { page_zone } from "./page_alloc.js";
import { for_each_pte, pte_pfn, pte_present, pte_special } from "./pgtable.js";
import { rmap_walk } from "./rmap.js";
import { add_page_to_lru_list, del_page_from_lru_list, folio_nr_pages } from "./swap.js";

/** Move a page between LRU lists around a change of its flags. */
function relink(k: Kernel, pfn: number, change: () => void): void {
  const onlru = (k.mem.flags[pfn] & PG_lru) !== 0;
  if (onlru) del_page_from_lru_list(k, pfn);
  change();
  if (onlru) add_page_to_lru_list(k, pfn);
}

/**
 * mlock_page: a page mapped into a locked VMA becomes unevictable. A THP's
 * subpage locks the whole THP (mlock_folio: NR_MLOCK counts its pages).
 */
export function mlock_page(k: Kernel, pfn: number): void {
  if (k.mem.flags[pfn] & PG_tail) pfn = k.mem.compound_head(pfn);
  if (k.mem.flags[pfn] & PG_mlocked) return;
  relink(k, pfn, () => {
    k.mem.flags[pfn] |= PG_mlocked | PG_unevictable;
  });
  page_zone(k, pfn).vm_stat[NR_MLOCK] += folio_nr_pages(k.mem.flags[pfn]);
}

/** munlock_page: unless another locked VMA still maps it, the page can be reclaimed again. */
export function munlock_page(k: Kernel, pfn: number, except: VmAreaStruct | null): void {
  if (k.mem.flags[pfn] & PG_tail) pfn = k.mem.compound_head(pfn);
  if (!(k.mem.flags[pfn] & PG_mlocked)) return;
  let still = false;
  rmap_walk(k, pfn, (_mm, vma) => {
    if (vma !== except && vma.vm_flags & VM_LOCKED) still = true;
  });
  if (still) return;
  relink(k, pfn, () => {
    k.mem.flags[pfn] &= ~(PG_mlocked | PG_unevictable);
  });
  page_zone(k, pfn).vm_stat[NR_MLOCK] -= folio_nr_pages(k.mem.flags[pfn]);
}

/** The present, ordinary pages of [start, end) in vma. */
function each_page(k: Kernel, mm: MmStruct, start: number, end: number, fn: (pfn: number) => void): void {
  for_each_pte(k, mm, start, end, (pt, i) => {
    const pte = pt.entries[i];
    if (pte_present(pte) && !pte_special(pte)) fn(pte_pfn(pte));
  });
}

/** mlock_vma_pages_range / munlock_vma_pages_range after VM_LOCKED changed on vma. */
export function mlock_fixup_pages(k: Kernel, mm: MmStruct, vma: VmAreaStruct, locked: boolean): void {
  if (locked) each_page(k, mm, vma.vm_start, vma.vm_end, (pfn) => mlock_page(k, pfn));
  else each_page(k, mm, vma.vm_start, vma.vm_end, (pfn) => munlock_page(k, pfn, vma));
}

/** The checks mlock/munlock share: a range that is entirely mapped. */
export function check_locked_range(mm: MmStruct, start: number, len: number): number {
  if (start % 4096) return -EINVAL;
  return range_is_mapped(mm, start, start + Math.ceil(len / 4096) * 4096) ? 0 : -ENOMEM;
}
