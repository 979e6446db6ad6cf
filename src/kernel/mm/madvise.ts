/*
 * madvise.ts - what a program tells the kernel about its use of a range
 * (Linux mm/madvise.c).
 *
 *   MADV_DONTNEED    drop the pages now; the next touch sees zeroes
 *                    (anonymous) or the file again
 *   MADV_FREE        anonymous pages may be dropped instead of swapped; until
 *                    then they keep their data, and a write takes them back
 *   MADV_WILLNEED    read a file's pages into the page cache ahead of use
 *   MADV_SEQUENTIAL, MADV_RANDOM, MADV_NORMAL    readahead hints (VM flags)
 *   MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK
 *   MADV_MERGEABLE, MADV_UNMERGEABLE             KSM (ksm.ts: ksmd merges equal pages)
 *   MADV_HUGEPAGE, MADV_NOHUGEPAGE               recorded for THP
 *   MADV_DONTDUMP, MADV_DODUMP
 *
 * Flag changes split and merge areas like mprotect does.
 */

import type { Kernel } from "../kernel.js";
import { EAGAIN, EINVAL, ENOMEM } from "../uapi/errno.js";
import {
  MADV_DODUMP,
  MADV_DOFORK,
  MADV_DONTDUMP,
  MADV_DONTFORK,
  MADV_DONTNEED,
  MADV_FREE,
  MADV_HUGEPAGE,
  MADV_KEEPONFORK,
  MADV_MERGEABLE,
  MADV_NOHUGEPAGE,
  MADV_NORMAL,
  MADV_RANDOM,
  MADV_SEQUENTIAL,
  MADV_UNMERGEABLE,
  MADV_WILLNEED,
  MADV_WIPEONFORK,
} from "../uapi/mman.js";
import { add_to_page_cache_lru, find_get_page, page_drop_bytes } from "./filemap.js";
import { GFP_HIGHUSER_MOVABLE } from "./gfp.js";
import { madvise_free_huge_pmd, madvise_free_split } from "./huge_memory.js";
import { khugepaged_enter_vma } from "./khugepaged.js";
import { ksm_madvise } from "./ksm_mm.js";
import { zap_page_range } from "./memory.js";
import {
  type MmStruct,
  VM_DONTCOPY,
  VM_DONTDUMP,
  VM_HUGEPAGE,
  VM_IO,
  VM_LOCKED,
  VM_NOHUGEPAGE,
  VM_PFNMAP,
  VM_RAND_READ,
  VM_SEQ_READ,
  VM_SHARED,
  VM_WIPEONFORK,
  type VmAreaStruct,
} from "./mm_struct.js";
import { PG_anon, PG_dirty, PG_head, PG_lru, PG_mlocked, PG_swapbacked, PG_tail } from "./mm_types.js";
import { vma_modify } from "./mmap.js";
import { alloc_pages } from "./page_alloc.js";
import {
  _PAGE_DIRTY,
  for_each_pte,
  for_each_pte_table,
  pte_clear,
  pte_pfn,
  pte_present,
  pte_special,
  set_pte,
} from "./pgtable.js";
import { add_page_to_lru_list, del_page_from_lru_list } from "./swap.js";
import { flush_tlb_range } from "./tlbflush.js";

/** The new flags an advice gives an area, or null when it does not change flags. */
function advice_flags(advice: number, f: number): number | null {
  switch (advice) {
    case MADV_NORMAL:
      return f & ~(VM_SEQ_READ | VM_RAND_READ);
    case MADV_RANDOM:
      return (f & ~VM_SEQ_READ) | VM_RAND_READ;
    case MADV_SEQUENTIAL:
      return (f & ~VM_RAND_READ) | VM_SEQ_READ;
    case MADV_DONTFORK:
      return f | VM_DONTCOPY;
    case MADV_DOFORK:
      return f & ~VM_DONTCOPY;
    case MADV_WIPEONFORK:
      return f | VM_WIPEONFORK;
    case MADV_KEEPONFORK:
      return f & ~VM_WIPEONFORK;
    case MADV_HUGEPAGE:
      return (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
    case MADV_NOHUGEPAGE:
      return (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
    case MADV_DONTDUMP:
      return f | VM_DONTDUMP;
    case MADV_DODUMP:
      return f & ~VM_DONTDUMP;
    default:
      return null;
  }
}

function known(advice: number): boolean {
  return (
    advice_flags(advice, 0) !== null ||
    [MADV_WILLNEED, MADV_DONTNEED, MADV_FREE, MADV_MERGEABLE, MADV_UNMERGEABLE].includes(advice)
  );
}

/** MADV_FREE on one area: private anonymous pages only this process maps become lazily freeable. */
function madvise_free(k: Kernel, mm: MmStruct, vma: VmAreaStruct, start: number, end: number): void {
  // madvise_free_pte_range: a huge PMD first (madvise_free_huge_pmd), then the PTEs, where a
  // subpage of a THP only this mapping holds splits the THP (madvise_free_split).
  for_each_pte_table(k, mm, start, end, (pt, _lo, _hi, base) => {
    if (pt.huge) madvise_free_huge_pmd(k, mm, pt, base * 4096, start, end);
  });
  for_each_pte(k, mm, start, end, (pt, i) => {
    if (pt.huge) return; // made lazyfree whole above, or mapped elsewhere too
    const pte = pt.entries[i];
    if (!pte_present(pte) || pte_special(pte)) return;
    const pfn = pte_pfn(pte);
    if (k.mem.flags[pfn] & (PG_head | PG_tail) && !madvise_free_split(k, pfn)) return;
    const fl = k.mem.flags[pfn];
    if (!(fl & PG_anon) || !(fl & PG_swapbacked) || k.mem.page_mapcount(pfn) !== 1 || fl & PG_mlocked) return;
    set_pte(pt, i, pte_clear(pte, _PAGE_DIRTY));
    // mark_page_lazyfree: clean, not swap-backed, on the inactive file list.
    const onlru = (fl & PG_lru) !== 0;
    if (onlru) del_page_from_lru_list(k, pfn);
    k.mem.flags[pfn] &= ~(PG_swapbacked | PG_dirty);
    if (onlru) add_page_to_lru_list(k, pfn);
  });
  flush_tlb_range(k, mm, start, end);
  void vma;
}

/** MADV_WILLNEED on a file area: start reading its pages into the page cache. */
function madvise_willneed(k: Kernel, vma: VmAreaStruct, start: number, end: number): void {
  const inode = vma.vm_file?.f_inode;
  const m = inode?.i_mapping;
  if (!inode || !m || m.shmem) return;
  const first = vma.vm_pgoff + (start - vma.vm_start) / 4096;
  const last = Math.min(vma.vm_pgoff + (end - vma.vm_start) / 4096, Math.ceil(inode.i_size / 4096));
  for (let idx = first; idx < last; idx++) {
    if (find_get_page(m, idx) >= 0) continue;
    const pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (pfn < 0) return;
    page_drop_bytes(k, pfn);
    k.mem.setTag(pfn, 0);
    add_to_page_cache_lru(k, pfn, m, idx);
  }
}

/** madvise(2). */
export function do_madvise(k: Kernel, mm: MmStruct, start: number, len: number, advice: number): number {
  if (start % 4096 || len < 0 || !known(advice)) return -EINVAL;
  const end = start + Math.ceil(len / 4096) * 4096;
  if (end === start) return 0;
  // Every page must be mapped; an unmapped hole gives ENOMEM after the rest is done.
  let unmapped = false;
  let cur = start;
  for (const v of mm.vmas) {
    if (v.vm_end <= cur) continue;
    if (v.vm_start >= end) break;
    if (v.vm_start > cur) unmapped = true;
    cur = v.vm_end;
  }
  if (cur < end) unmapped = true;
  const areas = (): VmAreaStruct[] => mm.vmas.filter((v) => v.vm_end > start && v.vm_start < end);
  if (advice === MADV_MERGEABLE || advice === MADV_UNMERGEABLE) {
    const err = ksm_madvise(k, mm, start, end, advice === MADV_MERGEABLE);
    if (err) return err;
  } else if (advice_flags(advice, 0) !== null) {
    const changed = vma_modify(k, mm, start, end, (v) => advice_flags(advice, v.vm_flags)!);
    // hugepage_madvise: an area good for THPs now is registered with khugepaged at once.
    if (advice === MADV_HUGEPAGE) for (const v of changed) khugepaged_enter_vma(k, v);
  } else if (advice === MADV_DONTNEED || advice === MADV_FREE) {
    for (const v of areas()) {
      if (v.vm_flags & (VM_LOCKED | VM_PFNMAP) || v.special) return -EINVAL;
      if (advice === MADV_FREE && (v.vm_file || v.vm_flags & VM_SHARED)) return -EINVAL;
    }
    for (const v of areas()) {
      const s = Math.max(start, v.vm_start);
      const e = Math.min(end, v.vm_end);
      if (advice === MADV_DONTNEED) zap_page_range(k, mm, v, s, e);
      else madvise_free(k, mm, v, s, e);
    }
  } else if (advice === MADV_WILLNEED) {
    for (const v of areas()) {
      if (v.vm_flags & VM_IO) return -EAGAIN;
      madvise_willneed(k, v, Math.max(start, v.vm_start), Math.min(end, v.vm_end));
    }
  }
  return unmapped ? -ENOMEM : 0;
}
