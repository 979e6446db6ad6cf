/*
 * khugepaged.ts - the kernel thread that collapses 4 KiB pages into
 * transparent huge pages (Linux mm/khugepaged.c, anonymous memory only).
 *
 * An address space joins khugepaged's list (__khugepaged_enter,
 * MMF_VM_HUGEPAGE) when one of its areas could hold a THP and already has
 * an anon_vma: at a THP-eligible fault, an area grown by mmap/brk,
 * MADV_HUGEPAGE, or fork of an mm on the list. Every scan_sleep_millisecs
 * (10 s) khugepaged wakes and scans pages_to_scan (4096) page-table
 * entries' worth, resuming where it stopped:
 *
 *   list: mm A -> mm B -> ...     cursor: (mm, address)
 *   each eligible area, each aligned 2 MiB inside it (one PTE table):
 *     hpage_collapse_scan_pmd   - no table, or already a huge PMD: skip
 *                               - count empty/zero-page PTEs (at most
 *                                 max_ptes_none), swap entries (max_ptes_swap),
 *                                 pages mapped elsewhere too (max_ptes_shared);
 *                                 every page anonymous, on the LRU, held only
 *                                 by its mappings; one writable, one young
 *     collapse_huge_page        - a new THP (thp_collapse_alloc, or
 *                                 thp_collapse_alloc_failed and a sleep of
 *                                 alloc_sleep_millisecs), swap-ins, copy
 *                                 (zeroes for the holes), the old pages
 *                                 freed, and the PTE table becomes the huge
 *                                 PMD's deposit (pages_collapsed)
 *   an mm scanned to its end: the next one; the list's end: full_scans++.
 *
 * Simplified: a page of a THP that is mapped by PTEs, and a KSM page, are
 * not collapsed (6.1 copies them too); the target node is the local one.
 */

import type { Kernel } from "../kernel.js";
import { wake_up } from "../sched/core.js";
import type { Task, TaskGen } from "../sched/task.js";
import { page_drop_bytes } from "./filemap.js";
import { __GFP_THISNODE, GFP_TRANSHUGE, GFP_TRANSHUGE_LIGHT } from "./gfp.js";
import { install_collapsed_thp } from "./huge_memory.js";
import {
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  HPAGE_PMD_SIZE,
  hugepage_vma_check_khugepaged,
  TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG,
  TRANSPARENT_HUGEPAGE_FLAG,
  TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG,
  thp,
} from "./huge_mm.js";
import { copy_highpage } from "./memory.js";
import { munlock_page } from "./mlock.js";
import { MM_ANONPAGES, type MmStruct, VM_LOCKED, type VmAreaStruct } from "./mm_struct.js";
import {
  PG_anon,
  PG_data,
  PG_head,
  PG_ksm,
  PG_lru,
  PG_referenced,
  PG_swapcache,
  PG_tail,
} from "./mm_types.js";
import { alloc_pages } from "./page_alloc.js";
import {
  type PageTable,
  pmd_index,
  pmd_table,
  pte_pfn,
  pte_present,
  pte_write,
  pte_young,
} from "./pgtable.js";
import { page_remove_rmap } from "./rmap.js";
import { put_page } from "./swap.js";
import { try_to_free_swap } from "./swap_state.js";
import {
  THP_COLLAPSE_ALLOC,
  THP_COLLAPSE_ALLOC_FAILED,
  THP_SCAN_EXCEED_NONE_PTE,
  THP_SCAN_EXCEED_SHARE_PTE,
  THP_SCAN_EXCEED_SWAP_PTE,
} from "./vm_event_item.js";

/* enum scan_result, the ones this model can give. */
const SCAN_FAIL = 0;
const SCAN_SUCCEED = 1;
const SCAN_PMD_NULL = 2;
const SCAN_PMD_MAPPED = 4;
const SCAN_EXCEED_NONE_PTE = 5;
const SCAN_EXCEED_SWAP_PTE = 6;
const SCAN_EXCEED_SHARED_PTE = 7;
const SCAN_PAGE_RO = 11;
const SCAN_LACK_REFERENCED_PAGE = 12;
const SCAN_PAGE_COUNT = 15;
const SCAN_PAGE_LRU = 16;
const SCAN_PAGE_ANON = 18;
const SCAN_PAGE_COMPOUND = 19;
const SCAN_ALLOC_HUGE_PAGE_FAIL = 25;

/** Looking at one PTE, and copying one page, on the model machine (ns). */
const SCAN_PTE_COST = 10;
const COLLAPSE_COPY_COST = 400 * HPAGE_PMD_NR;

/** khugepaged's list and cursor (struct khugepaged_scan), kept with the THP state. */
interface KhugepagedScan {
  /** mm_head: the mms registered (MMF_VM_HUGEPAGE), in list order. */
  mms: MmStruct[];
  /** The mm being scanned, or null (the next pass starts at the list's head). */
  mm: MmStruct | null;
  /** The next address to look at in it. */
  address: number;
  /** mms that exited while khugepaged was on them: dropped when it moves on (collect_mm_slot). */
  exiting: Set<MmStruct>;
  /** khugepaged_sleep_expire (ns): a wake-up before it does not end the sleep between scans. */
  sleep_expire: number;
}

const scans = new WeakMap<Kernel, KhugepagedScan>();

function khugepaged_scan(k: Kernel): KhugepagedScan {
  let s = scans.get(k);
  if (!s) {
    s = { mms: [], mm: null, address: 0, exiting: new Set(), sleep_expire: 0 };
    scans.set(k, s);
  }
  return s;
}

/** hugepage_flags_enabled: enabled is always or madvise. */
function hugepage_flags_enabled(k: Kernel): boolean {
  return (thp(k).flags & (TRANSPARENT_HUGEPAGE_FLAG | TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG)) !== 0;
}

function khugepaged_has_work(k: Kernel): boolean {
  return khugepaged_scan(k).mms.length > 0 && hugepage_flags_enabled(k);
}

/** wake_up_interruptible(&khugepaged_wait); with expire (a sysfs store), the sleep between scans ends too. */
export function wake_khugepaged(k: Kernel, expire = false): void {
  if (expire) khugepaged_scan(k).sleep_expire = 0;
  const wq = k.kthread_wq.get("khugepaged");
  if (wq) wake_up(k, wq);
}

/** __khugepaged_enter: the mm joins the list's tail (behind the cursor), once. */
function __khugepaged_enter(k: Kernel, mm: MmStruct): void {
  const s = khugepaged_scan(k);
  if (s.mms.includes(mm)) return;
  const wakeup = s.mms.length === 0;
  s.mms.push(mm);
  if (wakeup) wake_khugepaged(k);
}

/** khugepaged_enter_vma: register the area's mm if the area could hold a THP (THP kernels only). */
export function khugepaged_enter_vma(k: Kernel, vma: VmAreaStruct): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE || !hugepage_flags_enabled(k)) return;
  if (hugepage_vma_check_khugepaged(k, vma)) __khugepaged_enter(k, vma.vm_mm);
}

/** khugepaged_fork: a child of a registered mm is registered too. */
export function khugepaged_fork(k: Kernel, mm: MmStruct, oldmm: MmStruct): void {
  if (k.cfg.TRANSPARENT_HUGEPAGE && khugepaged_scan(k).mms.includes(oldmm)) __khugepaged_enter(k, mm);
}

/** __khugepaged_exit: the mm leaves the list, or, if khugepaged is on it, when it moves on. */
export function khugepaged_exit(k: Kernel, mm: MmStruct): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE) return;
  const s = khugepaged_scan(k);
  const i = s.mms.indexOf(mm);
  if (i < 0) return;
  if (s.mm === mm) s.exiting.add(mm);
  else s.mms.splice(i, 1);
}

/** What the scan of one 2 MiB found (for collapse_huge_page). */
interface ScanInfo {
  referenced: number;
  unmapped: number;
}

/**
 * hpage_collapse_scan_pmd: may the 512 PTEs of the table at haddr become
 * one THP? The limits are the sysfs ones; each exceeded one counts its
 * thp_scan_exceed_* event.
 */
function hpage_collapse_scan_pmd(k: Kernel, pt: PageTable, info: ScanInfo): number {
  const s = thp(k);
  const mem = k.mem;
  const e = pt.entries;
  let none_or_zero = 0;
  let unmapped = 0;
  let shared = 0;
  let referenced = 0;
  let writable = false;
  const t = k.sched.current;
  if (t) t.cost += SCAN_PTE_COST * HPAGE_PMD_NR;
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    const pte = e[i];
    if (pte !== 0 && !pte_present(pte)) {
      if (++unmapped > s.khugepaged_max_ptes_swap) {
        k.vm_events[THP_SCAN_EXCEED_SWAP_PTE]++;
        return SCAN_EXCEED_SWAP_PTE;
      }
      continue;
    }
    if (pte === 0 || pte_pfn(pte) === k.zero_pfn) {
      if (++none_or_zero > s.khugepaged_max_ptes_none) {
        k.vm_events[THP_SCAN_EXCEED_NONE_PTE]++;
        return SCAN_EXCEED_NONE_PTE;
      }
      continue;
    }
    if (pte_write(pte)) writable = true;
    const pfn = pte_pfn(pte);
    const f = mem.flags[pfn];
    if (f & (PG_head | PG_tail)) return SCAN_PAGE_COMPOUND;
    if (mem.page_mapcount(pfn) > 1 && ++shared > s.khugepaged_max_ptes_shared) {
      k.vm_events[THP_SCAN_EXCEED_SHARE_PTE]++;
      return SCAN_EXCEED_SHARED_PTE;
    }
    if (!(f & PG_lru)) return SCAN_PAGE_LRU;
    // KSM pages stay where ksmd put them (6.1 would copy them into the THP).
    if (!(f & PG_anon) || f & PG_ksm) return SCAN_PAGE_ANON;
    // is_refcount_suitable: no reference but its mappings (and the swap cache's).
    if (mem.page_ref_count(pfn) !== mem.page_mapcount(pfn) + (f & PG_swapcache ? 1 : 0))
      return SCAN_PAGE_COUNT;
    if (pte_young(pte) || f & PG_referenced) referenced++;
  }
  info.referenced = referenced;
  info.unmapped = unmapped;
  if (!writable) return SCAN_PAGE_RO;
  if (!referenced || (unmapped && referenced < HPAGE_PMD_NR / 2)) return SCAN_LACK_REFERENCED_PAGE;
  return SCAN_SUCCEED;
}

/**
 * collapse_huge_page: a new THP for the 2 MiB at haddr, the swapped-out
 * pages brought back first, the old pages copied (zeroes for the holes)
 * and freed; the PTE table becomes the deposit of the huge PMD.
 */
function collapse_huge_page(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  pt: PageTable,
  haddr: number,
  info: ScanInfo,
): number {
  const s = thp(k);
  const gfp =
    (s.flags & TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG ? GFP_TRANSHUGE : GFP_TRANSHUGE_LIGHT) |
    __GFP_THISNODE;
  const head = alloc_pages(k, gfp, HPAGE_PMD_ORDER);
  if (head < 0) {
    k.vm_events[THP_COLLAPSE_ALLOC_FAILED]++;
    return SCAN_ALLOC_HUGE_PAGE_FAIL;
  }
  k.vm_events[THP_COLLAPSE_ALLOC]++;
  const e = pt.entries;
  // __collapse_huge_page_swapin: each swap entry is read back (do_swap_page, a read fault).
  if (info.unmapped)
    for (let i = 0; i < HPAGE_PMD_NR; i++)
      if (e[i] !== 0 && !pte_present(e[i]))
        k.mm_hooks.do_swap_page(k, mm, vma, haddr + i * 4096, pt, i, false);
  // __collapse_huge_page_isolate's checks, again, now that the pages are in.
  const again: ScanInfo = { referenced: 0, unmapped: 0 };
  const r = hpage_collapse_scan_pmd(k, pt, again);
  if (r !== SCAN_SUCCEED || again.unmapped) {
    put_page(k, head);
    return r === SCAN_SUCCEED ? SCAN_FAIL : r;
  }
  // __collapse_huge_page_copy: the contents move; the old pages lose this mapping and go.
  const mem = k.mem;
  let present = 0;
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    const pte = e[i];
    const dst = head + i;
    if (pte === 0 || pte_pfn(pte) === k.zero_pfn) {
      if (mem.flags[dst] & PG_data) page_drop_bytes(k, dst);
      mem.setTag(dst, 0);
      continue;
    }
    const src = pte_pfn(pte);
    copy_highpage(k, dst, src);
    present++;
    page_remove_rmap(k, src);
    if (vma.vm_flags & VM_LOCKED) munlock_page(k, src, vma);
    if (mem.flags[src] & PG_swapcache && mem.page_mapcount(src) === 0) try_to_free_swap(k, src);
    put_page(k, src);
  }
  mm.rss[MM_ANONPAGES] += HPAGE_PMD_NR - present;
  const t = k.sched.current;
  if (t) t.cost += COLLAPSE_COPY_COST;
  install_collapsed_thp(k, mm, vma, pt, haddr, head);
  return SCAN_SUCCEED;
}

/**
 * khugepaged_scan_mm_slot: scan the cursor's mm from its address for up to
 * `pages` PTEs' worth; returns the progress made. A collapse ends the
 * call (6.1 drops mmap_lock there).
 */
function khugepaged_scan_mm_slot(k: Kernel, pages: number, last: { result: number }): number {
  const s = khugepaged_scan(k);
  if (!s.mm) {
    s.mm = s.mms[0];
    s.address = 0;
  }
  const mm = s.mm;
  let progress = 0;
  if (!s.exiting.has(mm)) {
    // for_each_vma from the cursor: a VMA that cannot hold a THP costs one.
    for (const v of mm.vmas) {
      if (v.vm_end <= s.address) continue;
      if (!hugepage_vma_check_khugepaged(k, v)) {
        if (++progress >= pages) return progress;
        continue;
      }
      const hstart = Math.ceil(v.vm_start / HPAGE_PMD_SIZE) * HPAGE_PMD_SIZE;
      const hend = Math.floor(v.vm_end / HPAGE_PMD_SIZE) * HPAGE_PMD_SIZE;
      if (s.address < hstart) s.address = hstart;
      while (s.address < hend) {
        const haddr = s.address;
        const pt = pmd_table(k, mm, haddr, false)?.children?.[pmd_index(haddr)];
        const info: ScanInfo = { referenced: 0, unmapped: 0 };
        let result = !pt ? SCAN_PMD_NULL : pt.huge ? SCAN_PMD_MAPPED : hpage_collapse_scan_pmd(k, pt, info);
        const collapsing = result === SCAN_SUCCEED;
        if (collapsing && pt) result = collapse_huge_page(k, mm, v, pt, haddr, info);
        last.result = result;
        if (result === SCAN_SUCCEED) thp(k).khugepaged_pages_collapsed++;
        s.address += HPAGE_PMD_SIZE;
        progress += HPAGE_PMD_NR;
        // After a collapse attempt 6.1 has dropped mmap_lock: this call ends there.
        if (collapsing || progress >= pages) return progress;
      }
      if (progress >= pages) return progress;
    }
  }
  // This mm is done (or exiting): on to the next one, or the end of a full scan.
  const i = s.mms.indexOf(mm);
  if (i + 1 < s.mms.length) {
    s.mm = s.mms[i + 1];
    s.address = 0;
  } else {
    s.mm = null;
    thp(k).khugepaged_full_scans++;
  }
  // collect_mm_slot: an mm that exited leaves the list now.
  if (s.exiting.delete(mm)) s.mms.splice(s.mms.indexOf(mm), 1);
  return progress;
}

/**
 * khugepaged_do_scan: pages_to_scan PTEs' worth, at most one pass over the
 * list; a failed THP allocation makes it sleep alloc_sleep_millisecs
 * (returned, in ns; 0 otherwise).
 */
export function khugepaged_do_scan(k: Kernel): number {
  const pages = thp(k).khugepaged_pages_to_scan;
  const s = khugepaged_scan(k);
  let progress = 0;
  let pass_through_head = 0;
  const last = { result: SCAN_FAIL };
  while (progress < pages) {
    if (!s.mm) pass_through_head++;
    if (!khugepaged_has_work(k) || pass_through_head >= 2) break;
    progress += khugepaged_scan_mm_slot(k, pages - progress, last);
    if (last.result === SCAN_ALLOC_HUGE_PAGE_FAIL) return thp(k).khugepaged_alloc_sleep_millisecs * 1e6;
  }
  return 0;
}

/**
 * khugepaged: a scan, then scan_sleep_millisecs of sleep while there is
 * work (khugepaged_wait_work: a wake-up ends it only once it has expired,
 * or a sysfs store expired it); with nothing registered it waits for an
 * mm. A failed THP allocation sleeps alloc_sleep_millisecs first.
 */
export function* khugepaged(k: Kernel, _t: Task): TaskGen {
  const wq = k.kthread_wq.get("khugepaged")!;
  const s = khugepaged_scan(k);
  for (;;) {
    const alloc_sleep = khugepaged_has_work(k) ? khugepaged_do_scan(k) : 0;
    if (alloc_sleep) yield { nr: "__kwait", wq, until: k.clock.ns + alloc_sleep };
    if (khugepaged_has_work(k)) {
      s.sleep_expire = k.clock.ns + thp(k).khugepaged_scan_sleep_millisecs * 1e6;
      while (khugepaged_has_work(k) && k.clock.ns < s.sleep_expire)
        yield { nr: "__kwait", wq, until: s.sleep_expire };
    }
    while (!khugepaged_has_work(k)) yield { nr: "__kwait", wq };
  }
}
