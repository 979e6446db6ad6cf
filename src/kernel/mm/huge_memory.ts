/*
 * huge_memory.ts - transparent huge pages for anonymous memory (Linux
 * mm/huge_memory.c, the THP parts of mm/memory.c and mm/rmap.c).
 *
 * A fault on an empty PMD of an eligible area (huge_mm.ts:
 * hugepage_vma_check) maps a whole 2 MiB-aligned 2 MiB with one huge PMD:
 * an order-9 compound page, zeroed, on the LRU as one folio of 512 pages
 * (thp_fault_alloc; thp_fault_fallback and the 4 KiB path when the
 * allocation fails). A read fault may map the huge zero page instead.
 *
 * How mmbox keeps a huge PMD (see pgtable.ts): the deposited leaf table,
 * flagged huge, whose 512 entries are the PMD's view of each 4 KiB. The
 * page side, in the terms of 6.1:
 *
 *   _refcount   on the head only: one per huge PMD and one per PTE mapping
 *               a subpage (the tails' stay 0; page_count/get_page/put_page
 *               go to the head)
 *   _mapcount   each subpage's counts every mapping of it, PMD or PTE:
 *               what 6.1's page_mapcount() returns (compound_mapcount plus
 *               the subpage's own, PageDoubleMap folded in)
 *   compound_mapcount   the huge PMDs mapping the head, kept where 6.1
 *               keeps it, in the first tail page (here its private field)
 *   NR_ANON_THPS  512 while compound_mapcount > 0 (AnonHugePages)
 *
 * The operations on a huge PMD, and where mmbox splits it instead:
 *   zap (munmap, exit, MADV_DONTNEED) of the whole PMD   zap_huge_pmd
 *   mremap of the whole PMD to an aligned place            move_huge_pmds
 *   zap of part of it, a VMA boundary inside it (split_vma), any other
 *   mremap, a COW write to a shared one                  __split_huge_pmd:
 *       the same table becomes an ordinary PTE table (thp_split_pmd); the
 *       page stays compound, PTE-mapped, until split_huge_page
 *   fork                                                  copy_huge_pmd
 *   mprotect (the whole PMD: VMA edges split first)        every entry alike
 *   mlock                                                 the head (mlock.ts)
 *   MADV_FREE of the whole PMD (only mapping)             the THP lazyfree whole
 *   MADV_FREE of part of it                               split_huge_page
 *   page_referenced                                       the PMD's young bit
 *                                                          (all 512 entries)
 * A subpage whose last mapping goes puts its THP on the deferred split
 * queue (thp_deferred_split_page); the deferred_split shrinker splits those
 * under memory pressure (thp_split_page), freeing the unmapped subpages.
 * Reclaim splits a THP before it goes to swap (vmscan.ts). Compaction and
 * migration skip compound pages, as 6.1's isolate_migratepages_block does
 * outside alloc_contig.
 *
 * khugepaged (khugepaged.ts) collapses 4 KiB pages into THPs later.
 *
 * KSM splits a THP whose subpage it merges (ksm.ts, as try_to_merge_one_page).
 *
 * Not modelled: a THP swapped out whole (thp_swpout: 6.1 does it on a
 * non-rotational swap device with a free cluster); the referenced check of
 * a PTE-mapped THP looks at its head's PTEs only (6.1 walks every
 * subpage's).
 */

import type { Kernel } from "../kernel.js";
import { VM_BUG_ON } from "../lib/bug.js";
import { list_add } from "../lib/list.js";
import { EBUSY } from "../uapi/errno.js";
import { page_drop_bytes } from "./filemap.js";
import { __GFP_MOVABLE, __GFP_ZERO, GFP_TRANSHUGE } from "./gfp.js";
import {
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  HPAGE_PMD_SIZE,
  hugepage_vma_check,
  TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG,
  thp,
  vma_thp_gfp_mask,
} from "./huge_mm.js";
import { khugepaged_enter_vma } from "./khugepaged.js";
import { alloc_pages_vma } from "./mempolicy.js";
import { mlock_page, munlock_page } from "./mlock.js";
import { MM_ANONPAGES, type MmStruct, VM_EXEC, VM_LOCKED, VM_WRITE, type VmAreaStruct } from "./mm_struct.js";
import {
  PAGES_PER_SECTION,
  PG_active,
  PG_anon,
  PG_data,
  PG_dirty,
  PG_head,
  PG_lru,
  PG_mlocked,
  PG_referenced,
  PG_swapbacked,
  PG_swapcache,
  PG_tail,
  PG_unevictable,
  PG_uptodate,
  PG_workingset,
  SECTION_SHIFT,
} from "./mm_types.js";
import { NR_ANON_MAPPED, NR_ANON_THPS, NR_MLOCK } from "./mmzone.js";
import { __free_pages, alloc_pages, page_zone } from "./page_alloc.js";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_NX,
  _PAGE_PRESENT,
  _PAGE_RW,
  _PAGE_SOFT_DIRTY,
  _PAGE_SPECIAL,
  _PAGE_USER,
  type PageTable,
  pfn_pte,
  pmd_index,
  pmd_table,
  pte_alloc_one,
  pte_clear,
  pte_free,
  pte_index,
  pte_pfn,
  pte_set,
  pte_special,
  pte_write,
} from "./pgtable.js";
import { anon_vma_prepare, linear_page_index, rmap_walk } from "./rmap.js";
import { DEFAULT_SEEKS, register_shrinker, SHRINK_STOP, type Shrinker } from "./shrinker.js";
import {
  add_page_to_lru_list,
  add_page_to_lru_list_tail,
  del_page_from_lru_list,
  get_page,
  lru_cache_add,
  put_page,
} from "./swap.js";
import { flush_tlb_range } from "./tlbflush.js";
import {
  THP_DEFERRED_SPLIT_PAGE,
  THP_FAULT_ALLOC,
  THP_FAULT_FALLBACK,
  THP_SPLIT_PAGE,
  THP_SPLIT_PAGE_FAILED,
  THP_SPLIT_PMD,
  THP_ZERO_PAGE_ALLOC,
  THP_ZERO_PAGE_ALLOC_FAILED,
} from "./vm_event_item.js";

/** vm_fault_t: this level cannot handle it, try the next one down (the 4 KiB path). */
export const VM_FAULT_FALLBACK = 0x800;
/** VM_FAULT_OOM, as memory.ts defines it (memory.ts imports this file, not the other way round). */
const VM_FAULT_OOM = 0x1;

/** clear_huge_page: 512 pages at clear_page's ~700 ns each. */
const CLEAR_HUGE_PAGE_COST = 700 * HPAGE_PMD_NR;
/** A PMD's worth of work at fork or zap, against 512 PTEs'. */
const HUGE_PMD_COST = 25;

function charge(k: Kernel, ns: number): void {
  const t = k.sched.current;
  if (t) t.cost += ns;
}

/* ---- compound_mapcount: the huge PMDs that map a THP (page[1]) ---- */

export function compound_mapcount(k: Kernel, head: number): number {
  return k.mem.getPrivate(head + 1);
}

function compound_mapcount_add(k: Kernel, head: number, d: number): number {
  const v = k.mem.getPrivate(head + 1) + d;
  k.mem.setPrivate(head + 1, v);
  return v;
}

/** Is this table a huge PMD mapping a THP (not the huge zero page)? */
export function pmd_trans_huge_anon(pt: PageTable): boolean {
  return pt.huge && !pte_special(pt.entries[0]);
}

/* ---- the huge zero page ---- */

/**
 * get_huge_zero_page: the zeroed order-9 page read faults map (allocated
 * at its first use: thp_zero_page_alloc); its refcount counts the huge PMDs
 * mapping it, plus the kernel's own; a shrinker frees it when nothing maps
 * it. -1 when it cannot be allocated.
 */
function get_huge_zero_page(k: Kernel): number {
  const s = thp(k);
  if (s.huge_zero_pfn < 0) {
    const pfn = alloc_pages(k, (GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE, HPAGE_PMD_ORDER);
    if (pfn < 0) {
      k.vm_events[THP_ZERO_PAGE_ALLOC_FAILED]++;
      return -1;
    }
    k.vm_events[THP_ZERO_PAGE_ALLOC]++;
    s.huge_zero_pfn = pfn;
  }
  k.mem.page_ref_add(s.huge_zero_pfn, 1);
  return s.huge_zero_pfn;
}

function put_huge_zero_page(k: Kernel): void {
  k.mem.page_ref_add(thp(k).huge_zero_pfn, -1);
}

/** is_huge_zero_page: pfn lies in the huge zero page (kpageflags: KPF_ZERO_PAGE). */
export function is_huge_zero_page(k: Kernel, pfn: number): boolean {
  const z = k.cfg.TRANSPARENT_HUGEPAGE ? thp(k).huge_zero_pfn : -1;
  return z >= 0 && pfn >= z && pfn < z + HPAGE_PMD_NR;
}

/* ---- rmap for a whole THP ---- */

/**
 * page_add_new_anon_rmap(page, vma, haddr, compound): a new THP mapped by
 * one huge PMD: every subpage mapped once, anonymous, at its index;
 * AnonPages and AnonHugePages grow by 512 pages.
 */
function page_add_new_anon_rmap_thp(k: Kernel, head: number, vma: VmAreaStruct, haddr: number): void {
  const av = anon_vma_prepare(k, vma);
  const mem = k.mem;
  const ext = mem.ext(head);
  const j = head & (PAGES_PER_SECTION - 1);
  const index = linear_page_index(vma, haddr);
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    ext._mapcount[j + i] = 0;
    mem.flags[head + i] |= PG_anon | PG_swapbacked;
    ext.mapping[j + i] = av.id;
    ext.index[j + i] = index + i;
  }
  ext.private_[j + 1] = 1; // compound_mapcount
  const node = k.nodes[page_zone(k, head).node];
  node.vm_stat[NR_ANON_MAPPED] += HPAGE_PMD_NR;
  node.vm_stat[NR_ANON_THPS] += HPAGE_PMD_NR;
}

/**
 * page_remove_rmap(head, vma, compound): a huge PMD goes. Subpages no
 * mapping is left on leave AnonPages; the last huge PMD takes the THP out of
 * AnonHugePages, and a THP left partly mapped (some subpages PTE-mapped
 * elsewhere) goes on the deferred split queue.
 */
function page_remove_rmap_thp(k: Kernel, head: number): void {
  const ext = k.mem.ext(head);
  const j = head & (PAGES_PER_SECTION - 1);
  let unmapped = 0;
  for (let i = 0; i < HPAGE_PMD_NR; i++) if (--ext._mapcount[j + i] === -1) unmapped++;
  const node = k.nodes[page_zone(k, head).node];
  node.vm_stat[NR_ANON_MAPPED] -= unmapped;
  if (compound_mapcount_add(k, head, -1) === 0) node.vm_stat[NR_ANON_THPS] -= HPAGE_PMD_NR;
  if (unmapped && unmapped < HPAGE_PMD_NR) deferred_split_huge_page(k, head);
}

/* ---- faults ---- */

/** The entries a huge PMD of vma shows for pfn..pfn+511: young, maybe writable and dirty. */
function fill_huge_pmd(pt: PageTable, pfn: number, bits: number): void {
  const e = pt.entries;
  for (let i = 0; i < HPAGE_PMD_NR; i++) e[i] = pfn_pte(pfn + i, bits);
  pt.used = HPAGE_PMD_NR;
  pt.huge = true;
}

/** pgtable_trans_huge_deposit + set_pmd_at: the table becomes the PMD's entry. */
function set_pmd_at(pmdt: PageTable, j: number, pt: PageTable): void {
  pmdt.children![j] = pt;
  pmdt.used++;
}

/**
 * do_huge_pmd_anonymous_page: the first touch of an empty PMD in an
 * eligible area. A read with use_zero_page maps the huge zero page; else a
 * THP is allocated with the GFP the defrag setting gives, zeroed, and
 * mapped writable and dirty (if the area is writable).
 */
function do_huge_pmd_anonymous_page(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  haddr: number,
  pmdt: PageTable,
  j: number,
  write: boolean,
): number {
  const nx = vma.vm_flags & VM_EXEC ? 0 : _PAGE_NX;
  if (!write && thp(k).flags & TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG) {
    const pt = pte_alloc_one(k, mm);
    if (!pt) return VM_FAULT_OOM;
    const zero = get_huge_zero_page(k);
    if (zero < 0) {
      pte_free(k, mm, pt);
      k.vm_events[THP_FAULT_FALLBACK]++;
      return VM_FAULT_FALLBACK;
    }
    fill_huge_pmd(pt, zero, _PAGE_PRESENT | _PAGE_USER | _PAGE_SPECIAL | _PAGE_ACCESSED | nx);
    set_pmd_at(pmdt, j, pt);
    return 0;
  }
  const head = alloc_pages_vma(k, vma_thp_gfp_mask(k, vma), vma, haddr, k.sched.current, HPAGE_PMD_ORDER);
  if (head < 0) {
    k.vm_events[THP_FAULT_FALLBACK]++;
    return VM_FAULT_FALLBACK;
  }
  const pt = pte_alloc_one(k, mm);
  if (!pt) {
    put_page(k, head);
    return VM_FAULT_OOM;
  }
  clear_huge_page(k, head);
  k.mem.flags[head] |= PG_uptodate;
  page_add_new_anon_rmap_thp(k, head, vma, haddr);
  lru_cache_add(k, head);
  const rw = vma.vm_flags & VM_WRITE ? _PAGE_RW : 0;
  fill_huge_pmd(
    pt,
    head,
    _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | rw | nx,
  );
  set_pmd_at(pmdt, j, pt);
  mm.rss[MM_ANONPAGES] += HPAGE_PMD_NR;
  k.vm_events[THP_FAULT_ALLOC]++;
  return 0;
}

/**
 * The end of khugepaged's collapse_huge_page (khugepaged.ts): the new THP,
 * its subpages filled, is mapped by a huge PMD whose deposit is the PTE
 * table the old pages were mapped by.
 */
export function install_collapsed_thp(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  pt: PageTable,
  haddr: number,
  head: number,
): void {
  k.mem.flags[head] |= PG_uptodate;
  page_add_new_anon_rmap_thp(k, head, vma, haddr);
  lru_cache_add(k, head);
  const rw = vma.vm_flags & VM_WRITE ? _PAGE_RW : 0;
  const nx = vma.vm_flags & VM_EXEC ? 0 : _PAGE_NX;
  fill_huge_pmd(
    pt,
    head,
    _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | rw | nx,
  );
  if (vma.vm_flags & VM_LOCKED) mlock_page(k, head);
  flush_tlb_range(k, mm, haddr, haddr + HPAGE_PMD_SIZE);
}

/** clear_huge_page: every subpage reads zeroes. */
function clear_huge_page(k: Kernel, head: number): void {
  const mem = k.mem;
  const tag = mem.sections[head >>> SECTION_SHIFT]!.tag;
  const j = head & (PAGES_PER_SECTION - 1);
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    if (mem.flags[head + i] & PG_data) page_drop_bytes(k, head + i);
    tag[j + i] = 0;
  }
  charge(k, CLEAR_HUGE_PAGE_COST);
}

/**
 * do_huge_pmd_wp_page: a write to a write-protected huge PMD. The THP is
 * reused in place when nothing but this PMD holds it (page_count 1);
 * otherwise - and always for the huge zero page - the PMD is split and the
 * write falls back to the 4 KiB COW of one subpage (6.1 copies no THP).
 */
function do_huge_pmd_wp_page(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  pt: PageTable,
  haddr: number,
): number {
  const e = pt.entries;
  if (!pte_special(e[0]) && k.mem.page_ref_count(pte_pfn(e[0])) === 1) {
    for (let i = 0; i < HPAGE_PMD_NR; i++)
      e[i] = pte_set(e[i], _PAGE_RW | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_ACCESSED);
    flush_tlb_range(k, mm, haddr, haddr + HPAGE_PMD_SIZE);
    return 0;
  }
  __split_huge_pmd(k, mm, vma, pt, haddr);
  return VM_FAULT_FALLBACK;
}

/**
 * __handle_mm_fault's PMD level, for an anonymous area on a THP kernel:
 * an empty PMD of an eligible area gets a huge page; a huge PMD takes
 * the write fault or just becomes young. VM_FAULT_FALLBACK sends the fault
 * on to the PTE level (handle_pte_fault).
 */
export function huge_pmd_fault(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  write: boolean,
): number {
  const pmdt = pmd_table(k, mm, addr, true);
  if (!pmdt) return VM_FAULT_OOM;
  const j = pmd_index(addr);
  const pt = pmdt.children![j];
  const haddr = addr - (addr % HPAGE_PMD_SIZE);
  if (!pt) {
    if (!hugepage_vma_check(k, vma, haddr)) return VM_FAULT_FALLBACK;
    // The area may get THPs: khugepaged will look at its mm too.
    anon_vma_prepare(k, vma);
    khugepaged_enter_vma(k, vma);
    return do_huge_pmd_anonymous_page(k, mm, vma, haddr, pmdt, j, write);
  }
  if (!pt.huge) return VM_FAULT_FALLBACK;
  const i = pte_index(addr);
  if (write && !pte_write(pt.entries[i])) return do_huge_pmd_wp_page(k, mm, vma, pt, haddr);
  // huge_pmd_set_accessed.
  pt.entries[i] = pte_set(pt.entries[i], _PAGE_ACCESSED | (write ? _PAGE_DIRTY | _PAGE_SOFT_DIRTY : 0));
  return 0;
}

/* ---- splitting a PMD ---- */

/**
 * __split_huge_pmd: the huge PMD becomes the PTE table it deposited, each
 * entry mapping its subpage with the PMD's bits (thp_split_pmd). Each PTE
 * holds a reference on the head from now on; the subpages' mapcounts do
 * not move (they already counted this mapping). The last huge PMD of a
 * THP takes it out of AnonHugePages. A huge zero PMD becomes 512 PTEs of
 * the ordinary zero page.
 */
export function __split_huge_pmd(
  k: Kernel,
  mm: MmStruct,
  _vma: VmAreaStruct,
  pt: PageTable,
  haddr: number,
): void {
  VM_BUG_ON(!pt.huge, "__split_huge_pmd of a table that is no huge PMD");
  const e = pt.entries;
  pt.huge = false;
  k.vm_events[THP_SPLIT_PMD]++;
  if (pte_special(e[0])) {
    for (let i = 0; i < HPAGE_PMD_NR; i++) e[i] = pfn_pte(k.zero_pfn, e[i]);
    put_huge_zero_page(k);
  } else {
    // The PMD's young and dirty bits are the OR of what the CPU set in its entries.
    let bits = 0;
    for (let i = 0; i < HPAGE_PMD_NR; i++) bits |= e[i] & (_PAGE_ACCESSED | _PAGE_DIRTY);
    for (let i = 0; i < HPAGE_PMD_NR; i++) e[i] = pte_set(e[i], bits);
    const head = pte_pfn(e[0]);
    k.mem.page_ref_add(head, HPAGE_PMD_NR - 1);
    if (compound_mapcount_add(k, head, -1) === 0)
      k.nodes[page_zone(k, head).node].vm_stat[NR_ANON_THPS] -= HPAGE_PMD_NR;
  }
  flush_tlb_range(k, mm, haddr, haddr + HPAGE_PMD_SIZE);
}

/** split_huge_pmd_address: split the huge PMD covering addr in vma, if there is one. */
export function split_huge_pmd_address(k: Kernel, vma: VmAreaStruct, addr: number): void {
  const mm = vma.vm_mm;
  const pt = pmd_table(k, mm, addr, false)?.children?.[pmd_index(addr)];
  if (pt?.huge) __split_huge_pmd(k, mm, vma, pt, addr - (addr % HPAGE_PMD_SIZE));
}

/**
 * vma_adjust_trans_huge: a VMA boundary moving to addr (split_vma) must
 * not cut a huge PMD: one that straddles it is split.
 */
export function vma_adjust_trans_huge(k: Kernel, vma: VmAreaStruct, addr: number): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE || addr % HPAGE_PMD_SIZE === 0) return;
  split_huge_pmd_address(k, vma, addr);
}

/**
 * move_page_tables' huge PMDs (mremap): one that moves whole to a 2 MiB
 * aligned place with an empty PMD there goes as it is, deposit and all
 * (move_huge_pmd); any other is split, and its PTEs move one by one.
 */
export function move_huge_pmds(
  k: Kernel,
  vma: VmAreaStruct,
  old: number,
  new_addr: number,
  len: number,
): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE) return;
  const mm = vma.vm_mm;
  for (let a = old - (old % HPAGE_PMD_SIZE); a < old + len; a += HPAGE_PMD_SIZE) {
    const opmd = pmd_table(k, mm, a, false);
    const pt = opmd?.children?.[pmd_index(a)];
    if (!opmd || !pt?.huge) continue;
    const dst = a - old + new_addr;
    const whole = a >= old && a + HPAGE_PMD_SIZE <= old + len && dst % HPAGE_PMD_SIZE === 0;
    const npmd = whole ? pmd_table(k, mm, dst, true) : null;
    if (!npmd || npmd.children![pmd_index(dst)]) {
      __split_huge_pmd(k, mm, vma, pt, a);
      continue;
    }
    opmd.children![pmd_index(a)] = undefined;
    opmd.used--;
    set_pmd_at(npmd, pmd_index(dst), pt);
    flush_tlb_range(k, mm, a, a + HPAGE_PMD_SIZE);
  }
}

/* ---- zap and fork ---- */

/**
 * zap_huge_pmd: unmap a whole huge PMD (munmap, exit, MADV_DONTNEED of the
 * whole 2 MiB): the PMD and its deposited table go, the THP loses this
 * mapping and its reference (freed whole with the last one).
 */
export function zap_huge_pmd(k: Kernel, mm: MmStruct, vma: VmAreaStruct, pt: PageTable, haddr: number): void {
  const pmdt = pmd_table(k, mm, haddr, false)!;
  const j = pmd_index(haddr);
  VM_BUG_ON(pmdt.children![j] !== pt, "zap_huge_pmd: not the PMD's table");
  const first = pt.entries[0];
  pmdt.children![j] = undefined;
  pmdt.used--;
  pt.entries.fill(0);
  pt.used = 0;
  pt.huge = false;
  pte_free(k, mm, pt);
  charge(k, HUGE_PMD_COST);
  if (pte_special(first)) {
    put_huge_zero_page(k);
    return;
  }
  const head = pte_pfn(first);
  mm.rss[MM_ANONPAGES] -= HPAGE_PMD_NR;
  page_remove_rmap_thp(k, head);
  if (vma.vm_flags & VM_LOCKED) munlock_page(k, head, vma);
  put_page(k, head);
}

/**
 * copy_huge_pmd (fork): the child gets its own deposited table and huge
 * PMD on the same THP; both PMDs are write-protected (the child's old), so
 * the next write in either process splits its PMD and copies 4 KiB.
 * Returns false when the child's tables cannot be allocated.
 */
export function copy_huge_pmd(
  k: Kernel,
  dst: MmStruct,
  src: MmStruct,
  spt: PageTable,
  haddr: number,
): boolean {
  const dpmd = pmd_table(k, dst, haddr, true);
  const dpt = dpmd ? pte_alloc_one(k, dst) : null;
  if (!dpmd || !dpt) return false;
  const se = spt.entries;
  const de = dpt.entries;
  charge(k, HUGE_PMD_COST);
  if (pte_special(se[0])) {
    de.set(se);
    k.mem.page_ref_add(thp(k).huge_zero_pfn, 1);
  } else {
    const head = pte_pfn(se[0]);
    get_page(k, head);
    compound_mapcount_add(k, head, 1);
    const ext = k.mem.ext(head);
    const jj = head & (PAGES_PER_SECTION - 1);
    for (let i = 0; i < HPAGE_PMD_NR; i++) {
      ext._mapcount[jj + i]++;
      se[i] = pte_clear(se[i], _PAGE_RW);
      de[i] = pte_clear(se[i], _PAGE_ACCESSED);
    }
    dst.rss[MM_ANONPAGES] += HPAGE_PMD_NR;
    flush_tlb_range(k, src, haddr, haddr + HPAGE_PMD_SIZE);
  }
  dpt.used = HPAGE_PMD_NR;
  dpt.huge = true;
  set_pmd_at(dpmd, pmd_index(haddr), dpt);
  return true;
}

/**
 * The PMD's young bit (pmdp_test_and_clear_young): set if the CPU touched
 * any 4 KiB through it; cleared in every entry.
 */
export function pmdp_test_and_clear_young(pt: PageTable): boolean {
  const e = pt.entries;
  let young = false;
  for (let i = 0; i < HPAGE_PMD_NR; i++)
    if (e[i] & _PAGE_ACCESSED) {
      young = true;
      e[i] = pte_clear(e[i], _PAGE_ACCESSED);
    }
  return young;
}

/**
 * pmdp_clear_flush_young, for page_referenced of a PMD-mapped THP at haddr:
 * a young PMD is cleared and its 2 MiB flushed from the TLBs (x86's own
 * version and the generic one arm64 uses both flush the range - unlike a
 * PTE's young bit, which x86 clears without a flush).
 */
export function pmdp_clear_flush_young(k: Kernel, mm: MmStruct, pt: PageTable, haddr: number): boolean {
  const young = pmdp_test_and_clear_young(pt);
  if (young) flush_tlb_range(k, mm, haddr, haddr + HPAGE_PMD_SIZE);
  return young;
}

/* ---- MADV_FREE ---- */

/** total_mapcount == 1: one huge PMD maps the THP and nothing else maps any of it. */
function thp_mapped_once(k: Kernel, head: number): boolean {
  if (compound_mapcount(k, head) !== 1) return false;
  for (let i = 0; i < HPAGE_PMD_NR; i++) if (k.mem.page_mapcount(head + i) !== 1) return false;
  return true;
}

/**
 * madvise_free_huge_pmd: MADV_FREE over a huge PMD. A THP others map too
 * is left alone; one only this PMD maps is made lazily freeable whole
 * (clean, old, off the swap-backed LRU) when the range covers its 2 MiB,
 * and split otherwise, so that the PTE walk that follows frees only the
 * pages asked for. The huge zero page has nothing to free.
 */
export function madvise_free_huge_pmd(
  k: Kernel,
  mm: MmStruct,
  pt: PageTable,
  haddr: number,
  start: number,
  end: number,
): void {
  const e = pt.entries;
  if (pte_special(e[0])) return;
  const head = pte_pfn(e[0]);
  if (!thp_mapped_once(k, head)) return;
  if (start > haddr || end < haddr + HPAGE_PMD_SIZE) {
    get_page(k, head);
    split_huge_page(k, head, 1);
    put_page(k, head);
    return;
  }
  for (let i = 0; i < HPAGE_PMD_NR; i++) e[i] = pte_clear(e[i], _PAGE_ACCESSED | _PAGE_DIRTY);
  flush_tlb_range(k, mm, haddr, haddr + HPAGE_PMD_SIZE);
  // mark_page_lazyfree: clean, not swap-backed, on the inactive file list (as one folio).
  const mem = k.mem;
  const onlru = (mem.flags[head] & PG_lru) !== 0;
  if (onlru) del_page_from_lru_list(k, head);
  mem.flags[head] &= ~(PG_swapbacked | PG_dirty | PG_active | PG_referenced);
  if (onlru) add_page_to_lru_list(k, head);
}

/**
 * The PTE walk of MADV_FREE meets a subpage of a PTE-mapped THP: the THP is
 * split if only this mapping holds that page (6.1: page_mapcount 1, then
 * split_huge_page). True when pfn is an ordinary page now.
 */
export function madvise_free_split(k: Kernel, pfn: number): boolean {
  if (k.mem.page_mapcount(pfn) !== 1) return false;
  const head = k.mem.compound_head(pfn);
  get_page(k, head);
  const err = split_huge_page(k, head, 1);
  put_page(k, head);
  return err === 0;
}

/* ---- splitting the page, the deferred split queue ---- */

/**
 * deferred_split_huge_page: a THP lost the mapping of some subpage; it is
 * queued (once: thp_deferred_split_page) for the shrinker to split, which
 * frees the subpages nothing maps.
 */
export function deferred_split_huge_page(k: Kernel, head: number): void {
  const q = thp(k).split_queue;
  if (k.mem.flags[head] & PG_swapcache || q.has(head)) return;
  k.vm_events[THP_DEFERRED_SPLIT_PAGE]++;
  q.add(head);
}

/** free_transhuge_page: a THP's last reference went: off the queue, page[1] cleared. */
export function free_transhuge_page(k: Kernel, head: number): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE) return;
  thp(k).split_queue.delete(head);
  k.mem.setPrivate(head + 1, 0);
}

/** The flags a tail inherits from its head when the THP is split (__split_huge_page_tail). */
const SPLIT_FLAGS =
  PG_referenced |
  PG_swapbacked |
  PG_mlocked |
  PG_uptodate |
  PG_active |
  PG_workingset |
  PG_unevictable |
  PG_dirty |
  PG_anon;

/**
 * split_huge_page: make the THP 512 ordinary pages. Every huge PMD mapping
 * it is split first (unmap_folio's TTU_SPLIT_HUGE_PMD); then the
 * references must be exactly its mappings plus the `extra` ones the caller
 * holds, or it fails (-EBUSY, thp_split_page_failed). Each page then keeps
 * a reference per mapping; the ones nothing maps are freed. The tails
 * join the head's LRU list beside it, or, when the caller has the head
 * isolated (reclaim), the tail of their list, to be scanned next.
 */
export function split_huge_page(k: Kernel, head: number, extra: number): number {
  const mem = k.mem;
  const flags = mem.flags;
  if ((flags[head] & (PG_head | PG_anon)) !== (PG_head | PG_anon) || mem.order(head) !== HPAGE_PMD_ORDER)
    return -EBUSY;
  if (compound_mapcount(k, head) > 0)
    rmap_walk(k, head, (mm, vma, vpn, pt) => {
      if (pt.huge) __split_huge_pmd(k, mm, vma, pt, (vpn - (vpn % HPAGE_PMD_NR)) * 4096);
    });
  let mapped = 0;
  for (let i = 0; i < HPAGE_PMD_NR; i++) mapped += mem.page_mapcount(head + i);
  const swapcache = flags[head] & PG_swapcache ? 1 : 0;
  if (mem.page_ref_count(head) !== mapped + extra + swapcache) {
    k.vm_events[THP_SPLIT_PAGE_FAILED]++;
    return -EBUSY;
  }
  // unmap_folio turns every mapping into a migration entry (page_remove_rmap of each subpage):
  // a mapped THP not queued yet is queued by that on the way (thp_deferred_split_page), and taken
  // off again below - why 6.1's thp_deferred_split_page keeps up with thp_split_page.
  if (mapped > 0) deferred_split_huge_page(k, head);
  thp(k).split_queue.delete(head);
  mem.setPrivate(head + 1, 0);
  const hf = flags[head];
  const inherit = hf & SPLIT_FLAGS;
  const onlru = (hf & PG_lru) !== 0;
  flags[head] &= ~PG_head;
  mem.setOrder(head, 0);
  mem.set_page_count(head, mem.page_mapcount(head) + extra + swapcache);
  for (let i = HPAGE_PMD_NR - 1; i >= 1; i--) {
    const p = head + i;
    flags[p] = (flags[p] & ~(PG_tail | SPLIT_FLAGS)) | inherit;
    mem.set_page_count(p, mem.page_mapcount(p));
    // lru_add_page_tail: the LRU size does not change when the head was on it (it counted 512).
    if (onlru) {
      list_add(mem.links, p, head);
      flags[p] |= PG_lru;
    } else add_page_to_lru_list_tail(k, p);
  }
  k.vm_events[THP_SPLIT_PAGE]++;
  // free_page_and_swap_cache of the tails nothing maps (an mlocked one leaves NR_MLOCK).
  for (let i = 1; i < HPAGE_PMD_NR; i++) {
    const p = head + i;
    if (mem.page_mapcount(p) > 0) continue;
    if (flags[p] & PG_mlocked) {
      flags[p] &= ~(PG_mlocked | PG_unevictable);
      page_zone(k, p).vm_stat[NR_MLOCK]--;
    }
    mem.set_page_count(p, 1);
    put_page(k, p);
  }
  if (mem.page_ref_count(head) === 0) {
    if (flags[head] & PG_mlocked) {
      flags[head] &= ~(PG_mlocked | PG_unevictable);
      page_zone(k, head).vm_stat[NR_MLOCK]--;
    }
    mem.set_page_count(head, 1);
    put_page(k, head);
  }
  return 0;
}

/**
 * The deferred_split shrinker (deferred_split_count / deferred_split_scan):
 * its objects are the queued THPs; a scan splits up to nr_to_scan of them,
 * oldest first, and requeues the ones that cannot be split now.
 */
function deferred_split_shrinker(): Shrinker {
  return {
    name: "thp-deferred_split",
    seeks: DEFAULT_SEEKS,
    batch: 0,
    nr_deferred: 0,
    count_objects: (k) => thp(k).split_queue.size,
    scan_objects: (k, sc) => {
      const q = thp(k).split_queue;
      const heads = [...q].slice(0, sc.nr_to_scan);
      let split = 0;
      for (const head of heads) {
        q.delete(head);
        get_page(k, head);
        if (split_huge_page(k, head, 1) === 0) split++;
        else q.add(head);
        put_page(k, head);
      }
      sc.nr_scanned = heads.length;
      if (!split && q.size === 0) return SHRINK_STOP;
      return split;
    },
  };
}

/**
 * The huge zero page's shrinker (shrink_huge_zero_page_count/scan): when
 * nothing maps it any more, memory pressure frees it (512 pages); the next
 * read fault allocates it again (thp_zero_page_alloc). Its users are
 * counted per huge PMD here, per mm in 6.1 (MMF_HUGE_ZERO_PAGE).
 */
function huge_zero_page_shrinker(): Shrinker {
  const unused = (k: Kernel): boolean => {
    const z = thp(k).huge_zero_pfn;
    return z >= 0 && k.mem.page_ref_count(z) === 1;
  };
  return {
    name: "thp-zero",
    seeks: DEFAULT_SEEKS,
    batch: 0,
    nr_deferred: 0,
    count_objects: (k) => (unused(k) ? HPAGE_PMD_NR : 0),
    scan_objects: (k) => {
      if (!unused(k)) return 0;
      const s = thp(k);
      __free_pages(k, s.huge_zero_pfn, HPAGE_PMD_ORDER);
      s.huge_zero_pfn = -1;
      return HPAGE_PMD_NR;
    },
  };
}

/** hugepage_init's mechanisms: the two shrinkers (CONFIG_TRANSPARENT_HUGEPAGE only). */
export function huge_memory_init(k: Kernel): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE) return;
  register_shrinker(k, huge_zero_page_shrinker());
  register_shrinker(k, deferred_split_shrinker());
}
