/*
 * huge_mm.ts - the transparent hugepage knobs and the question "may this
 * area get a huge page?" (Linux include/linux/huge_mm.h,
 * mm/huge_memory.c transparent_hugepage_flags and hugepage_vma_check,
 * mm/khugepaged.c's tunables).
 *
 * Only kernels built with CONFIG_TRANSPARENT_HUGEPAGE (the x86_64 and arm64
 * profiles) have any of this; on vexpress-a9 thp_enabled() is false, read
 * once per fault, and nothing else here runs. The mechanisms are in
 * huge_memory.ts (faults, fork, split), the sysfs files in
 * huge_memory_sysfs.ts.
 *
 * transparent_hugepage_flags, as 6.1 keeps them (one bit each):
 *   TRANSPARENT_HUGEPAGE_FLAG              enabled=always
 *   TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG     enabled=madvise
 *   ..._DEFRAG_DIRECT_FLAG                 defrag=always
 *   ..._DEFRAG_KSWAPD_FLAG                 defrag=defer
 *   ..._DEFRAG_KSWAPD_OR_MADV_FLAG         defrag=defer+madvise
 *   ..._DEFRAG_REQ_MADV_FLAG               defrag=madvise
 *   ..._DEFRAG_KHUGEPAGED_FLAG             khugepaged/defrag
 *   ..._USE_ZERO_PAGE_FLAG                 use_zero_page
 * Neither enabled bit set is "never"; no defrag bit set is "never".
 */

import type { Kernel } from "../kernel.js";
import { __GFP_DIRECT_RECLAIM, __GFP_KSWAPD_RECLAIM, __GFP_NORETRY, GFP_TRANSHUGE_LIGHT } from "./gfp.js";
import {
  VM_DONTEXPAND,
  VM_HUGEPAGE,
  VM_HUGETLB,
  VM_IO,
  VM_NOHUGEPAGE,
  VM_PFNMAP,
  VM_SHARED,
  type VmAreaStruct,
} from "./mm_struct.js";

export const HPAGE_PMD_ORDER = 9;
export const HPAGE_PMD_NR = 1 << HPAGE_PMD_ORDER;
export const HPAGE_PMD_SIZE = HPAGE_PMD_NR * 4096;

export const TRANSPARENT_HUGEPAGE_FLAG = 1 << 0;
export const TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG = 1 << 1;
export const TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG = 1 << 2;
export const TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG = 1 << 3;
export const TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG = 1 << 4;
export const TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG = 1 << 5;
export const TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG = 1 << 6;
export const TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG = 1 << 7;

/** shmem_huge: the tmpfs/shmem huge page policy (only shown and set: shmem never allocates THPs here). */
export const SHMEM_HUGE_NEVER = 0;
export const SHMEM_HUGE_ALWAYS = 1;
export const SHMEM_HUGE_WITHIN_SIZE = 2;
export const SHMEM_HUGE_ADVISE = 3;
export const SHMEM_HUGE_DENY = -1;
export const SHMEM_HUGE_FORCE = -2;

export interface ThpState {
  /** transparent_hugepage_flags. */
  flags: number;
  /** shmem_huge (SHMEM_HUGE_*). */
  shmem_huge: number;
  /** khugepaged's tunables (mm/khugepaged.c). */
  khugepaged_pages_to_scan: number;
  khugepaged_max_ptes_none: number;
  khugepaged_max_ptes_swap: number;
  khugepaged_max_ptes_shared: number;
  khugepaged_scan_sleep_millisecs: number;
  khugepaged_alloc_sleep_millisecs: number;
  khugepaged_pages_collapsed: number;
  khugepaged_full_scans: number;
  /** The huge zero page (head pfn), allocated at its first use; -1 before. */
  huge_zero_pfn: number;
  /**
   * The deferred split queue (Linux: deferred_split_queue, linked through
   * page[2].deferred_list): head pfns of THPs that were partly unmapped,
   * oldest first. Its shrinker splits them when memory is short.
   */
  split_queue: Set<number>;
}

const states = new WeakMap<Kernel, ThpState>();

/**
 * The THP state of k, made with 6.1's defaults as Debian builds it:
 * CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS, defrag=madvise, the zero page used,
 * khugepaged defrag on, shmem_enabled never.
 */
export function thp(k: Kernel): ThpState {
  let s = states.get(k);
  if (!s) {
    s = {
      flags:
        TRANSPARENT_HUGEPAGE_FLAG |
        TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG |
        TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG |
        TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG,
      shmem_huge: SHMEM_HUGE_NEVER,
      khugepaged_pages_to_scan: HPAGE_PMD_NR * 8,
      khugepaged_max_ptes_none: HPAGE_PMD_NR - 1,
      khugepaged_max_ptes_swap: HPAGE_PMD_NR / 8,
      khugepaged_max_ptes_shared: HPAGE_PMD_NR / 2,
      khugepaged_scan_sleep_millisecs: 10000,
      khugepaged_alloc_sleep_millisecs: 60000,
      khugepaged_pages_collapsed: 0,
      khugepaged_full_scans: 0,
      huge_zero_pfn: -1,
      split_queue: new Set(),
    };
    states.set(k, s);
  }
  return s;
}

/** VM_NO_KHUGEPAGED: VM_SPECIAL (VM_IO, VM_DONTEXPAND, VM_PFNMAP) and VM_HUGETLB areas never get THPs. */
const VM_NO_KHUGEPAGED = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_HUGETLB;

/**
 * The part of hugepage_vma_check that does not depend on the address: the
 * area is private anonymous memory (shared anonymous memory is shmem, whose
 * THPs follow shmem_enabled: never, not modelled), not MADV_NOHUGEPAGE nor
 * special, and enabled=always or (enabled=madvise and MADV_HUGEPAGE).
 */
function thp_vma_allowed(k: Kernel, vma: VmAreaStruct): boolean {
  const vf = vma.vm_flags;
  if (vf & (VM_NOHUGEPAGE | VM_NO_KHUGEPAGED | VM_SHARED) || !vma.vma_is_anonymous()) return false;
  const f = thp(k).flags;
  return (
    (f & TRANSPARENT_HUGEPAGE_FLAG) !== 0 ||
    (f & TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG && vf & VM_HUGEPAGE) !== 0
  );
}

/** transhuge_vma_suitable: the 2 MiB at haddr lies inside the area. */
function transhuge_vma_suitable(vma: VmAreaStruct, haddr: number): boolean {
  return haddr >= vma.vm_start && haddr + HPAGE_PMD_SIZE <= vma.vm_end;
}

/**
 * hugepage_vma_check for an anonymous fault: may [haddr, haddr + 2 MiB) of
 * vma be mapped by one huge PMD? (The fault path runs only on kernels with
 * THP.)
 */
export function hugepage_vma_check(k: Kernel, vma: VmAreaStruct, haddr: number): boolean {
  return thp_vma_allowed(k, vma) && transhuge_vma_suitable(vma, haddr);
}

/**
 * smaps' THPeligible: hugepage_vma_check(smaps=true): allowed, and the
 * aligned 2 MiB below vm_end fits in the area (a fresh area with no
 * anon_vma yet counts).
 */
export function thp_eligible_smaps(k: Kernel, vma: VmAreaStruct): boolean {
  const last = vma.vm_end - HPAGE_PMD_SIZE;
  return thp_vma_allowed(k, vma) && transhuge_vma_suitable(vma, last - (last % HPAGE_PMD_SIZE));
}

/**
 * hugepage_vma_check for khugepaged (smaps and in_pf false): as smaps',
 * and the area must have an anon_vma already (pages to collapse).
 */
export function hugepage_vma_check_khugepaged(k: Kernel, vma: VmAreaStruct): boolean {
  return vma.anon_vma !== null && thp_eligible_smaps(k, vma);
}

/**
 * vma_thp_gfp_mask: how hard a THP fault may try, from defrag:
 *   always          stall in direct reclaim and compaction (GFP_TRANSHUGE)
 *   defer           wake kswapd/kcompactd, fail at once otherwise
 *   defer+madvise   direct for MADV_HUGEPAGE areas, else defer
 *   madvise         direct for MADV_HUGEPAGE areas, else fail at once
 *   never           fail at once (GFP_TRANSHUGE_LIGHT)
 */
export function vma_thp_gfp_mask(k: Kernel, vma: VmAreaStruct): number {
  const f = thp(k).flags;
  const madv = (vma.vm_flags & VM_HUGEPAGE) !== 0;
  if (f & TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG)
    return GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM | (madv ? 0 : __GFP_NORETRY);
  if (f & TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG) return GFP_TRANSHUGE_LIGHT | __GFP_KSWAPD_RECLAIM;
  if (f & TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG)
    return GFP_TRANSHUGE_LIGHT | (madv ? __GFP_DIRECT_RECLAIM : __GFP_KSWAPD_RECLAIM);
  if (f & TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG)
    return GFP_TRANSHUGE_LIGHT | (madv ? __GFP_DIRECT_RECLAIM : 0);
  return GFP_TRANSHUGE_LIGHT;
}
