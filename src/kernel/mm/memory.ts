/*
 * memory.ts - page faults and the page-range operations (Linux mm/memory.c,
 * mm/filemap.c filemap_fault, mm/shmem.c shmem_fault).
 *
 * handle_mm_fault is called when the CPU touches a page whose PTE is missing
 * or does not allow the access:
 *
 *   PTE empty, anonymous VMA      do_anonymous_page: a read maps the shared
 *                                 zero page read-only; a write gets a new
 *                                 zeroed page (GFP_HIGHUSER_MOVABLE)
 *   PTE empty, file VMA           do_fault: the page comes from the page
 *                                 cache (a major fault if it had to be read);
 *                                 a private write copies it (do_cow_fault)
 *   PTE present, write to a       do_wp_page: copy on write, unless this is
 *   read-only private page        the only mapping left: then reuse it
 *
 * zap_page_range unmaps (munmap, exit), copy_page_range duplicates the PTEs
 * of a VMA at fork (only of areas a fault could not refill: vma_needs_copy),
 * write-protecting private writable pages in both parent and child so that
 * the next write to either copies.
 */

import type { Kernel } from "../kernel.js";
import { list_add, list_del } from "../lib/list.js";
import type { Task } from "../sched/task.js";
import { add_to_page_cache_lru, find_get_page, page_bytes, page_drop_bytes } from "./filemap.js";
import { __GFP_COMP, __GFP_ZERO, GFP_HIGHUSER_MOVABLE } from "./gfp.js";
import { kmap_local_page, kmap_local_page_pair, kunmap_local } from "./highmem.js";
import {
  __split_huge_pmd,
  copy_huge_pmd,
  huge_pmd_fault,
  VM_FAULT_FALLBACK,
  zap_huge_pmd,
} from "./huge_memory.js";
import { alloc_pages_vma } from "./mempolicy.js";
import { mlock_page, munlock_page } from "./mlock.js";
import { CLEAR_PAGE_COST, COPY_PAGE_COST, COPY_PTE_COST, FAULT_COST, ZAP_PTE_COST } from "./mm_costs.js";
import {
  MM_ANONPAGES,
  MM_FILEPAGES,
  MM_SHMEMPAGES,
  type MmStruct,
  VM_EXEC,
  VM_LOCKED,
  VM_PFNMAP,
  VM_SHARED,
  VM_WRITE,
  type VmAreaStruct,
} from "./mm_struct.js";
import {
  FOLIO_PUT_CLEAR,
  FOLIO_PUT_FREE_CHECK,
  ORDER_SHIFT,
  PAGES_PER_SECTION,
  type PageExt,
  PG_active,
  PG_anon,
  PG_data,
  PG_head,
  PG_ksm,
  PG_locked,
  PG_lru,
  PG_swapbacked,
  PG_swapcache,
  PG_tail,
  PG_unevictable,
  PG_uptodate,
  SECTION_SHIFT,
} from "./mm_types.js";
import {
  LRU_ACTIVE_ANON,
  LRU_INACTIVE_ANON,
  MIGRATE_PCPTYPES,
  NR_ANON_MAPPED,
  NR_LRU_BASE,
  NR_ZONE_LRU_BASE,
  type PerCpuPages,
  type Zone,
} from "./mmzone.js";
import { alloc_pages, alloc_pages_pcp_zone, free_unref_page_0_excess, numa_node_id } from "./page_alloc.js";
import { folio_mark_dirty } from "./page_writeback.js";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_NX,
  _PAGE_PRESENT,
  _PAGE_RW,
  _PAGE_SOFT_DIRTY,
  _PAGE_SPECIAL,
  _PAGE_USER,
  for_each_pte,
  for_each_pte_table,
  type PageTable,
  pfn_pte,
  pte_clear,
  pte_dirty,
  pte_index,
  pte_pfn,
  pte_present,
  pte_set,
  pte_special,
  pte_write,
  set_pte,
  walk,
} from "./pgtable.js";
import {
  anon_vma_prepare,
  linear_page_index,
  page_add_file_rmap,
  page_dup_rmap,
  page_remove_rmap,
} from "./rmap.js";
import { shmem_getpage } from "./shmem.js";
import { get_page, page_lru, page_lru_of, put_page } from "./swap.js";
import { try_to_free_swap } from "./swap_state.js";
import { flush_tlb_page, flush_tlb_range } from "./tlbflush.js";
import { COW_KSM, PGFAULT, PGFREE, PGMAJFAULT, PGREUSE } from "./vm_event_item.js";

/* fault results (vm_fault_t) */
export const VM_FAULT_OOM = 0x1;
export const VM_FAULT_SIGBUS = 0x2;
export const VM_FAULT_SIGSEGV = 0x40;
export const VM_FAULT_MAJOR = 0x4;

/** The PTE a new mapping of pfn gets in vma (pte_mkyoung, maybe writable and dirty). */
function mk_pte(pfn: number, vma: VmAreaStruct, writable: boolean, dirty: boolean): number {
  let f = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
  if (writable) f |= _PAGE_RW;
  if (dirty) f |= _PAGE_DIRTY | _PAGE_SOFT_DIRTY;
  if (!(vma.vm_flags & VM_EXEC)) f |= _PAGE_NX;
  return pfn_pte(pfn, f);
}

/** The flags of a new anonymous page's PTE in vma: mk_pte(pfn, vma, true, true)'s. */
export function anon_pte_flags(vma: VmAreaStruct): number {
  return (
    _PAGE_PRESENT |
    _PAGE_USER |
    _PAGE_ACCESSED |
    _PAGE_RW |
    _PAGE_DIRTY |
    _PAGE_SOFT_DIRTY |
    (vma.vm_flags & VM_EXEC ? 0 : _PAGE_NX)
  );
}

/** The rss counter a page of this VMA counts in. */
function mm_counter(vma: VmAreaStruct, pfn: number, k: Kernel): number {
  if (k.mem.flags[pfn] & PG_anon) return MM_ANONPAGES;
  const m = vma.vm_file?.f_inode.i_mapping;
  return m?.shmem ? MM_SHMEMPAGES : MM_FILEPAGES;
}

function charge(k: Kernel, ns: number): void {
  const t = k.sched.current;
  if (t) t.cost += ns;
}

/** The GFP flags of a new anonymous page: x86 and arm64 ask for a zeroed page; ARM32 clears it after (clear_user_highpage). */
export function anon_gfp(k: Kernel): number {
  return GFP_HIGHUSER_MOVABLE | __GFP_COMP | (k.profile.arch === "arm" ? 0 : __GFP_ZERO);
}

/**
 * A fresh anonymous page for vma at page vpn (vma_alloc_zeroed_movable_folio);
 * -1 on OOM. (The page number, not the address: see do_anonymous_write_fault.)
 */
function new_anon_page(k: Kernel, vma: VmAreaStruct, vpn: number): number {
  const pfn = alloc_pages_vma(k, anon_gfp(k), vma, vpn * 4096, k.sched.current);
  if (pfn < 0) return -1;
  const mem = k.mem;
  anon_page_add(k, vma, vpn, pfn, k.zones[mem.pageblock_zone[pfn >>> k.pageblock_order]]);
  return pfn;
}

/**
 * new_anon_page's page pfn of zone, just allocated, for vma at page vpn:
 * zeroed, then page_add_new_anon_rmap and lru_cache_add, written out here
 * with the section extension and the zone found once: every anonymous fault
 * and COW copy comes this way. Same state and counters as those calls.
 */
function anon_page_add(k: Kernel, vma: VmAreaStruct, vpn: number, pfn: number, zone: Zone): void {
  // page_drop_bytes, and the zeroed page's tag (prep_new_page made its section extension).
  const mem = k.mem;
  const flags = mem.flags;
  if (flags[pfn] & PG_data) page_drop_bytes(k, pfn);
  const ext = mem.sections[pfn >>> SECTION_SHIFT]!;
  const j = pfn & (PAGES_PER_SECTION - 1);
  ext.tag[j] = 0;
  // clear_user_highpage: zeroing a HighMem page goes through a kmap_local slot.
  if (k.cfg.HIGHMEM) kmap_local_page_pair(k, zone);
  flags[pfn] |= PG_uptodate; // __SetPageUptodate: its contents (zeros, or the copy) are valid
  // page_add_new_anon_rmap: mapped once, swap-backed, in the area's anon_vma at its linear index.
  const av = anon_vma_prepare(k, vma);
  ext._mapcount[j] = 0;
  flags[pfn] |= PG_anon | PG_swapbacked;
  ext.mapping[j] = av.id;
  ext.index[j] = vma.vm_pgoff + (vpn - vma.vm_start / 4096); // linear_page_index
  const node = k.nodes[zone.node];
  node.vm_stat[NR_ANON_MAPPED]++;
  // lru_cache_add: the head of its inactive list (add_page_to_lru_list), one page.
  const lru = page_lru(k, pfn);
  list_add(mem.links, pfn, node.lru_lists[lru]);
  flags[pfn] |= PG_lru;
  node.vm_stat[NR_LRU_BASE + lru] += 1;
  zone.vm_stat[NR_ZONE_LRU_BASE + lru] += 1;
}

function do_anonymous_page(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  pt: PageTable,
  i: number,
  write: boolean,
): number {
  if (!write) {
    // The zero page: special, read-only, not counted anywhere.
    set_pte(
      pt,
      i,
      pfn_pte(k.zero_pfn, _PAGE_PRESENT | _PAGE_USER | _PAGE_SPECIAL | _PAGE_ACCESSED | _PAGE_NX),
    );
    return 0;
  }
  return do_anonymous_write(k, mm, vma, addr / 4096, pt, i);
}

/** do_anonymous_page's write half: a new zeroed page, mapped writable and dirty, at page vpn. */
function do_anonymous_write(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  vpn: number,
  pt: PageTable,
  i: number,
): number {
  const pfn = new_anon_page(k, vma, vpn);
  if (pfn < 0) return VM_FAULT_OOM;
  anon_page_map(k, mm, vma, pfn, pt, i);
  return 0;
}

/** do_anonymous_write's new page pfn, cleared, mapped at pt.entries[i]: set_pte(pt, i, mk_pte(pfn, vma, true, true)), written out. */
function anon_page_map(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  pfn: number,
  pt: PageTable,
  i: number,
): void {
  charge(k, CLEAR_PAGE_COST);
  const f = anon_pte_flags(vma);
  const e = pt.entries;
  if (e[i] === 0) pt.used++;
  e[i] = pfn_pte(pfn, f);
  mm.rss[MM_ANONPAGES]++;
}

/**
 * filemap_fault / shmem_fault: the page of the file at pgoff, from the
 * page cache; tmpfs pages that do not exist yet are created zeroed. Returns
 * the pfn (with a reference for the caller) and whether it was a major fault.
 */
function filemap_fault(k: Kernel, vma: VmAreaStruct, pgoff: number): { pfn: number; major: boolean } {
  const inode = vma.vm_file!.f_inode;
  const m = inode.i_mapping;
  if (!m) return { pfn: -1, major: false };
  let pfn = find_get_page(m, pgoff);
  if (pfn >= 0) {
    get_page(k, pfn);
    return { pfn, major: false };
  }
  // A page past the end of the file: SIGBUS.
  if (pgoff * 4096 >= inode.i_size) return { pfn: -2, major: false };
  // Major only when the fault waited for a read: from the disk, or a tmpfs page from swap.
  let major = true;
  if (m.shmem) {
    const vmf = { major: false };
    pfn = shmem_getpage(k, inode, pgoff, vmf);
    major = vmf.major;
  } else if (m.read_folio) pfn = m.read_folio(k, pgoff) < 0 ? -1 : find_get_page(m, pgoff);
  else {
    major = false;
    pfn = alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (pfn >= 0) {
      page_drop_bytes(k, pfn);
      k.mem.setTag(pfn, 0);
      add_to_page_cache_lru(k, pfn, m, pgoff);
    }
  }
  if (pfn === -2) return { pfn: -2, major: false }; // tmpfs full: SIGBUS too
  if (pfn < 0) return { pfn: -1, major: false };
  get_page(k, pfn);
  return { pfn, major };
}

/** fault_around_bytes: a read fault on a file maps its cached neighbours too (64 KiB). */
export const FAULT_AROUND_BYTES = 65536;

/**
 * do_fault_around (filemap_map_pages): map, read-only, the pages of the
 * aligned 64 KiB window around addr that are already in the page cache and
 * not mapped yet. They cost no fault now and none later: this is why a
 * program's text shows far more Rss than it took faults.
 */
function do_fault_around(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  pt: PageTable,
  i: number,
): void {
  const m = vma.vm_file?.f_inode.i_mapping;
  if (!m) return;
  const span = pt.entries.length * 4096; // what one leaf table covers
  const tableStart = Math.floor(addr / span) * span;
  const start = Math.max(
    Math.floor(addr / FAULT_AROUND_BYTES) * FAULT_AROUND_BYTES,
    vma.vm_start,
    tableStart,
  );
  const end = Math.min(start + FAULT_AROUND_BYTES, vma.vm_end, tableStart + span);
  const eof = Math.ceil(vma.vm_file!.f_inode.i_size / 4096);
  for (let a = start; a < end; a += 4096) {
    const j = i + (a - addr) / 4096;
    if (a === addr || pt.entries[j] !== 0) continue;
    const pgoff = linear_page_index(vma, a);
    if (pgoff >= eof && !m.shmem) break;
    const pfn = find_get_page(m, pgoff);
    if (pfn < 0 || !(k.mem.flags[pfn] & PG_uptodate) || k.mem.flags[pfn] & PG_locked) continue;
    get_page(k, pfn);
    page_add_file_rmap(k, pfn);
    // Prefaulted entries start young, except on arm64 (arch_wants_old_prefaulted_pte).
    const pte = mk_pte(pfn, vma, false, false);
    set_pte(pt, j, k.profile.arch === "arm64" ? pte - _PAGE_ACCESSED : pte);
    mm.rss[mm_counter(vma, pfn, k)]++;
  }
}

function do_fault(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  pt: PageTable,
  i: number,
  write: boolean,
): number {
  const pgoff = linear_page_index(vma, addr);
  if (!write) do_fault_around(k, mm, vma, addr, pt, i);
  const { pfn, major } = filemap_fault(k, vma, pgoff);
  if (pfn === -2) return VM_FAULT_SIGBUS;
  if (pfn < 0) return VM_FAULT_OOM;
  const shared = (vma.vm_flags & VM_SHARED) !== 0;
  if (write && !shared) {
    // do_cow_fault: a private copy of the file page.
    const copy = new_anon_page(k, vma, addr / 4096);
    if (copy < 0) {
      put_page(k, pfn);
      return VM_FAULT_OOM;
    }
    copy_highpage(k, copy, pfn);
    put_page(k, pfn);
    set_pte(pt, i, mk_pte(copy, vma, true, true));
    mm.rss[MM_ANONPAGES]++;
    charge(k, COPY_PAGE_COST);
    return major ? VM_FAULT_MAJOR : 0;
  }
  page_add_file_rmap(k, pfn);
  if (write) folio_mark_dirty(k, pfn);
  set_pte(pt, i, mk_pte(pfn, vma, write && shared, write));
  mm.rss[mm_counter(vma, pfn, k)]++;
  return major ? VM_FAULT_MAJOR : 0;
}

/** copy_user_highpage: the new page gets the old one's contents (and tag). */
export function copy_highpage(k: Kernel, to: number, from: number): void {
  // Both pages are mapped for the copy; a HighMem page only has a kernel address while kmapped.
  if (k.cfg.HIGHMEM) {
    kmap_local_page(k, from);
    kmap_local_page(k, to);
    kunmap_local(k, to);
    kunmap_local(k, from);
  }
  const bytes = k.pagedata.get(from);
  if (bytes) {
    page_drop_bytes(k, to);
    k.pagedata.set(to, page_bytes(k, from));
    k.mem.flags[to] |= 1 << 28; // PG_data
  }
  k.mem.setTag(to, k.mem.getTag(from));
}

/**
 * Is a page only this PTE maps held by nothing else? A page a read fault
 * brought back from swap is still in the swap cache: its slot is freed
 * first when no other PTE needs it (folio_free_swap), then it is ours.
 */
function wp_can_reuse_anon(k: Kernel, pfn: number): boolean {
  const ref = k.mem.page_ref_count(pfn);
  if (ref === 1) return true;
  if (ref !== 2 || !(k.mem.flags[pfn] & PG_swapcache)) return false;
  return try_to_free_swap(k, pfn) && k.mem.page_ref_count(pfn) === 1;
}

/**
 * do_wp_page: a write to a present, write-protected page. An anonymous page
 * only this PTE maps (and nobody else holds) is reused in place; otherwise
 * the writer gets its own copy and drops its reference to the shared one.
 */
function do_wp_page(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  pt: PageTable,
  i: number,
): number {
  const pte = pt.entries[i];
  const old = pte_pfn(pte);
  const special = pte_special(pte);
  // A KSM page is never reused: the writer always gets its own copy (cow_ksm).
  if (
    !special &&
    (k.mem.flags[old] & (PG_anon | PG_ksm)) === PG_anon &&
    k.mem.page_mapcount(old) === 1 &&
    wp_can_reuse_anon(k, old)
  ) {
    set_pte(pt, i, pte_set(pte, _PAGE_RW | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_ACCESSED));
    k.vm_events[PGREUSE]++;
    flush_tlb_page(k, mm, addr);
    return 0;
  }
  if (!special && vma.vm_flags & VM_SHARED) {
    set_pte(pt, i, pte_set(pte, _PAGE_RW | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_ACCESSED));
    // wp_page_shared: fault_dirty_shared_page marks the file page dirty (and counts it).
    folio_mark_dirty(k, old);
    return 0;
  }
  if (!special && k.mem.flags[old] & PG_ksm) k.vm_events[COW_KSM]++;
  const copy = new_anon_page(k, vma, addr / 4096);
  if (copy < 0) return VM_FAULT_OOM;
  if (special) k.mem.setTag(copy, 0);
  else copy_highpage(k, copy, old);
  charge(k, special ? CLEAR_PAGE_COST : COPY_PAGE_COST);
  if (!special) {
    mm.rss[mm_counter(vma, old, k)]--;
    page_remove_rmap(k, old);
    if (vma.vm_flags & VM_LOCKED) munlock_page(k, old, vma);
    put_page(k, old);
  }
  mm.rss[MM_ANONPAGES]++;
  set_pte(pt, i, mk_pte(copy, vma, true, true));
  flush_tlb_page(k, mm, addr);
  return 0;
}

/**
 * special_mapping_fault: the vDSO's pages are the kernel's own; a mapping
 * of them counts as a file page. VM_PFNMAP areas (x86's [vvar]) map raw
 * frames that no counter sees.
 */
function special_mapping_fault(
  k: Kernel,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  pt: PageTable,
  i: number,
): number {
  const pfn = vma.special_pages[(addr - vma.vm_start) / 4096];
  if (pfn === undefined) return VM_FAULT_SIGSEGV;
  if (vma.vm_flags & VM_PFNMAP) {
    set_pte(pt, i, pfn_pte(pfn, _PAGE_PRESENT | _PAGE_USER | _PAGE_SPECIAL | _PAGE_ACCESSED | _PAGE_NX));
    return 0;
  }
  get_page(k, pfn);
  page_add_file_rmap(k, pfn);
  set_pte(pt, i, mk_pte(pfn, vma, false, false));
  mm.rss[MM_FILEPAGES]++;
  return 0;
}

/**
 * handle_mm_fault: resolve one faulting access of task t at addr in vma.
 * Returns 0, VM_FAULT_MAJOR, VM_FAULT_OOM or VM_FAULT_SIGSEGV.
 */
export function handle_mm_fault(
  k: Kernel,
  t: Task | null,
  mm: MmStruct,
  vma: VmAreaStruct,
  addr: number,
  write: boolean,
): number {
  addr = Math.floor(addr / 4096) * 4096;
  k.vm_events[PGFAULT]++;
  charge(k, FAULT_COST);
  // The PMD level first, on kernels with THP (one test where there is none): an empty PMD of an
  // eligible anonymous area gets a huge page, a huge PMD takes the fault (huge_memory.ts).
  let r = VM_FAULT_FALLBACK;
  if (k.cfg.TRANSPARENT_HUGEPAGE && vma.vm_file === null && vma.special === null) {
    r = huge_pmd_fault(k, mm, vma, addr, write);
    if (r === VM_FAULT_OOM) return r;
  }
  // walk (alloc), the 2-level case's existing table in line.
  const pt =
    (k.profile.pgtableLevels === 2 ? mm.pgd.children![(addr / 4096) >>> 9] : null) ?? walk(k, mm, addr, true);
  if (!pt) return VM_FAULT_OOM;
  const i = pte_index(addr);
  const pte = pt.entries[i];
  if (r !== VM_FAULT_FALLBACK) {
    // Done at the PMD level.
  } else if (!pte_present(pte)) {
    if (pte !== 0) r = k.mm_hooks.do_swap_page(k, mm, vma, addr, pt, i, write);
    else if (vma.special) r = special_mapping_fault(k, mm, vma, addr, pt, i);
    else if (vma.vm_file) r = do_fault(k, mm, vma, addr, pt, i, write);
    else r = do_anonymous_page(k, mm, vma, addr, pt, i, write);
  } else if (write && !pte_write(pte)) r = do_wp_page(k, mm, vma, addr, pt, i);
  else {
    set_pte(pt, i, pte_set(pte, _PAGE_ACCESSED | (write ? _PAGE_DIRTY | _PAGE_SOFT_DIRTY : 0)));
    r = 0;
  }
  if (r === 0 || r === VM_FAULT_MAJOR) {
    if (vma.vm_flags & VM_LOCKED) {
      const now = pt.entries[i];
      if (pte_present(now) && !pte_special(now)) mlock_page(k, pte_pfn(now));
    }
    mm.update_hiwater_rss();
    if (t) {
      if (r === VM_FAULT_MAJOR) {
        t.maj_flt++;
        k.vm_events[PGMAJFAULT]++;
      } else t.min_flt++;
    }
  }
  return r;
}

/**
 * do_anonymous_write_fault: handle_mm_fault for the commonest fault of all,
 * the first write to a page of a private anonymous area whose PTE is empty
 * (or whose leaf table is not there yet: pt null), on a kernel without THP.
 * The caller (the CPU's access loop, fault.ts) has checked exactly that;
 * what is left is handle_mm_fault's path - its walk making the table if
 * need be - through do_anonymous_page, in one piece, with the page number
 * instead of the address (an ARM user address above 2 GiB is a heap number
 * once it crosses a call). Same counters, same state.
 */
export function do_anonymous_write_fault(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  vma: VmAreaStruct,
  vpn: number,
  pt: PageTable | null,
  i: number,
): number {
  k.vm_events[PGFAULT]++;
  charge(k, FAULT_COST);
  if (pt === null) {
    pt = walk(k, mm, vpn * 4096, true);
    if (!pt) return VM_FAULT_OOM;
  }
  const r = do_anonymous_write(k, mm, vma, vpn, pt, i);
  if (r !== 0) return r;
  if (vma.vm_flags & VM_LOCKED) {
    const now = pt.entries[i];
    if (pte_present(now) && !pte_special(now)) mlock_page(k, pte_pfn(now));
  }
  mm.update_hiwater_rss();
  t.min_flt++;
  return 0;
}

/**
 * A run of first writes to a private anonymous area (fault.ts
 * anon_write_run) faults page after page with nothing in between that the
 * page allocator's walk reads. anon_fault_zone says which zone's pcp list
 * the next fault's page comes from (alloc_pages_pcp_zone), or null when the
 * fault would go anywhere else (no anon_vma yet, VM_LOCKED, a NUMA policy,
 * a refill, a watermark under low...). While only such faults ran since
 * (anon_fault_run.ts), that zone stays the one.
 */
export function anon_fault_zone(k: Kernel, vma: VmAreaStruct): Zone | null {
  if (vma.vm_flags & VM_LOCKED || vma.anon_vma === null) return null;
  // alloc_pages_vma's test: no policy, or one node.
  if ((vma.policy ?? k.sched.current?.mempolicy ?? null) !== null && k.nodes.length !== 1) return null;
  return alloc_pages_pcp_zone(k, anon_gfp(k), numa_node_id(k));
}

/**
 * zap_page_range: unmap [start, end) of vma: every mapped page loses this
 * PTE (and the reference it held); dirty file pages stay dirty in the cache.
 */
export function zap_page_range(k: Kernel, mm: MmStruct, vma: VmAreaStruct, start: number, end: number): void {
  zap.k = k;
  zap.mm = mm;
  zap.vma = vma;
  zap.file_counter = vma_file_counter(vma);
  zap.locked = (vma.vm_flags & VM_LOCKED) !== 0;
  zap.n = 0;
  for_each_pte_table(k, mm, start, end, zap_pte_range);
  const n = zap.n;
  zap.k = null;
  zap.mm = null;
  zap.vma = null;
  charge(k, n * ZAP_PTE_COST);
  if (n) flush_tlb_range(k, mm, start, end);
}

/** zap_page_range's state, for zap_pte_range (a named function, not a closure per call). */
const zap = {
  k: null as Kernel | null,
  mm: null as MmStruct | null,
  vma: null as VmAreaStruct | null,
  /** The rss counter the area's file pages count in. */
  file_counter: 0,
  locked: false,
  /** PTEs cleared. */
  n: 0,
};

/**
 * zap_pte_range: the entries lo..hi of one leaf table. The commonest page,
 * an anonymous page of its own that this PTE maps once and holds the last
 * reference to (as an exiting process's pages are), is unmapped and freed
 * in line: page_remove_rmap, put_page's __folio_put of a single page (off
 * the LRU, flags, mapping and index cleared, the reference dropped), then
 * free_unref_page_0_unmapped's commit to this CPU's pcp list, with the
 * zone, node and pcp of the last such page kept, and their counts added up
 * in locals, stored before any call (zap_flush). A page the free would not
 * pass (FOLIO_PUT_FREE_CHECK) or of a pageblock type without a pcp list, an
 * unevictable page and everything else go through the calls. Same state
 * and counters as the calls.
 */
function zap_pte_range(pt: PageTable, lo: number, hi: number, base: number): void {
  const k = zap.k!;
  const mm = zap.mm!;
  if (pt.huge) {
    // zap_huge_pmd for the whole 2 MiB; part of it: split the PMD, then zap those PTEs.
    if (lo === 0 && hi === pt.entries.length - 1) {
      zap_huge_pmd(k, mm, zap.vma!, pt, base * 4096);
      zap.n++;
      return;
    }
    __split_huge_pmd(k, mm, zap.vma!, pt, base * 4096);
  }
  const mem = k.mem;
  const flags = mem.flags;
  const sections = mem.sections;
  const links = mem.links;
  const lw = links.lru;
  const pageblock_zone = mem.pageblock_zone;
  const pageblock_mt = mem.pageblock_mt;
  const pbo = k.pageblock_order;
  const vm_events = k.vm_events;
  const rss = mm.rss;
  const e = pt.entries;
  const locked = zap.locked;
  // The zone (its node's stats, this CPU's pcp) of the last page freed in line.
  let zid = -1;
  let zone: Zone | null = null;
  let node_stat: Float64Array | null = null;
  let pcp: PerCpuPages | null = null;
  let n = 0;
  // The in-line frees' counts, added up here and stored before any call and at the end (zap_flush):
  // the table's used entries, rss, and the last zone's node and zone counts.
  let used = 0;
  let anon_rss = 0;
  let anon_mapped = 0;
  let lru_anon = 0; // the inactive anon list's
  let lru_active_anon = 0;
  let frees = 0;
  for (let i = lo; i <= hi; i++) {
    const pte = e[i];
    if (pte === 0) continue;
    if (!pte_present(pte)) {
      if (frees !== 0) {
        zap_flush(vm_events, zone!, node_stat!, anon_mapped, lru_anon, lru_active_anon, frees);
        anon_mapped = lru_anon = lru_active_anon = frees = 0;
      }
      // A run of swap entries, each cleared and given up (free_swap_and_cache) in one call.
      pt.used -= used;
      rss[MM_ANONPAGES] -= anon_rss;
      used = anon_rss = 0;
      const m = k.mm_hooks.free_swap_entries(k, mm, e, i, hi);
      n += m;
      pt.used -= m;
      i += m - 1;
      continue;
    }
    n++;
    // set_pte(pt, i, 0)
    e[i] = 0;
    used++;
    if (pte_special(pte)) continue;
    const pfn = pte_pfn(pte);
    const f = flags[pfn];
    const ext = sections[pfn >>> SECTION_SHIFT];
    const j = pfn & (PAGES_PER_SECTION - 1);
    const mt = pageblock_mt[pfn >>> pbo];
    if (
      (f & (PG_anon | PG_head | PG_tail | PG_swapcache | PG_unevictable | FOLIO_PUT_FREE_CHECK)) ===
        PG_anon &&
      mt < MIGRATE_PCPTYPES &&
      !locked &&
      ext !== null &&
      ext._mapcount[j] === 0 &&
      ext._refcount[j] === 1
    ) {
      // The last mapping and reference of an anonymous page of its own, in line.
      anon_rss++;
      // page_remove_rmap: no mapping left, out of AnonPages.
      ext._mapcount[j] = -1;
      const z = pageblock_zone[pfn >>> pbo];
      if (z !== zid) {
        if (frees !== 0) {
          zap_flush(vm_events, zone!, node_stat!, anon_mapped, lru_anon, lru_active_anon, frees);
          anon_mapped = lru_anon = lru_active_anon = frees = 0;
        }
        zid = z;
        zone = k.zones[z];
        node_stat = k.nodes[zone.node].vm_stat;
        pcp = zone.pageset[k.cpu];
      }
      anon_mapped++;
      // (The page the LRU list has before this one: the next page of a run, see zap_run.)
      const lru_prev = lw[(pfn << 1) + 1];
      // put_page: __folio_put.
      if (f & PG_lru) {
        // del_page_from_lru_list (an anonymous page's list: swap-backed, evictable)
        list_del(links, pfn);
        if (f & PG_swapbacked) {
          if (f & PG_active) lru_active_anon++;
          else lru_anon++;
        } else {
          const lru = page_lru_of(f);
          node_stat![NR_LRU_BASE + lru] -= 1;
          zone!.vm_stat[NR_ZONE_LRU_BASE + lru] -= 1;
        }
      }
      const ff = f & ~(PG_lru | FOLIO_PUT_CLEAR);
      ext.mapping[j] = 0;
      ext.index[j] = 0;
      ext._refcount[j] = 0;
      // free_unref_page_0_unmapped, in line: the page passes the flag check and is of a pcp type
      // (FOLIO_PUT_FREE_CHECK and mt, tested above - before the in-line free starts, not in the
      // middle of it: a branch met that rarely, a highatomic pageblock's page say, is one a new
      // machine takes with no type feedback in code optimized on an earlier one.)
      if (ff & PG_data) k.pagedata.delete(pfn);
      // free_unref_page_0_commit: onto this CPU's pcp list of its type, that in its flags.
      frees++;
      flags[pfn] = mt << ORDER_SHIFT;
      const head = pcp!.lists[mt];
      const first = lw[head << 1];
      lw[pfn << 1] = first;
      lw[(pfn << 1) + 1] = head;
      lw[(first << 1) + 1] = pfn;
      lw[head << 1] = pfn;
      if (++pcp!.count >= pcp!.high) {
        zap_flush(vm_events, zone!, node_stat!, anon_mapped, lru_anon, lru_active_anon, frees);
        anon_mapped = lru_anon = lru_active_anon = frees = 0;
        free_unref_page_0_excess(k, zone!, pcp!, mt);
        continue;
      }
      // The pages after it that are its like (zap_run), all at once.
      if ((f & (PG_lru | PG_swapbacked | PG_data)) !== (PG_lru | PG_swapbacked) || i === hi) continue;
      const m = zap_run(k, e, i, hi, pte, pfn, f, lru_prev, ext, head, pcp!.high - pcp!.count);
      if (m === 0) continue;
      i += m;
      n += m;
      used += m;
      anon_rss += m;
      anon_mapped += m;
      if (f & PG_active) lru_active_anon += m;
      else lru_anon += m;
      frees += m;
      pcp!.count += m;
      if (pcp!.count >= pcp!.high) {
        zap_flush(vm_events, zone!, node_stat!, anon_mapped, lru_anon, lru_active_anon, frees);
        anon_mapped = lru_anon = lru_active_anon = frees = 0;
        free_unref_page_0_excess(k, zone!, pcp!, mt);
      }
      continue;
    }
    if (frees !== 0) {
      zap_flush(vm_events, zone!, node_stat!, anon_mapped, lru_anon, lru_active_anon, frees);
      anon_mapped = lru_anon = lru_active_anon = frees = 0;
    }
    pt.used -= used;
    rss[MM_ANONPAGES] -= anon_rss;
    used = anon_rss = 0;
    const anon = (f & PG_anon) !== 0;
    if (pte_dirty(pte) && !anon) folio_mark_dirty(k, pfn);
    rss[anon ? MM_ANONPAGES : zap.file_counter]--;
    page_remove_rmap(k, pfn);
    if (locked) munlock_page(k, pfn, zap.vma!);
    // free_pages_and_swap_cache: an anonymous page nothing maps any more leaves the swap cache.
    if (flags[pfn] & PG_swapcache && anon && k.mem.page_mapcount(pfn) === 0) try_to_free_swap(k, pfn);
    put_page(k, pfn);
  }
  if (frees !== 0) zap_flush(vm_events, zone!, node_stat!, anon_mapped, lru_anon, lru_active_anon, frees);
  pt.used -= used;
  rss[MM_ANONPAGES] -= anon_rss;
  zap.n += n;
}

/**
 * zap_pte_range's in-line free of the pages after entry i (page pfn, just
 * freed onto the head of pcp list head) that are as it was: the entries
 * i+1, i+2 ... map pfn+1, pfn+2 ... with the same PTE bits, in its section
 * and pageblock (zone, type), with its flags (an anonymous swap-backed page
 * on the LRU, nothing that needs a call), mapped once and holding the last
 * reference, and each the one the LRU list has before the last (lru_prev:
 * pfn's, read before pfn left the list), as an area faulted in one page
 * after the other keeps them. Up to room pages (the last may bring the pcp
 * list to its high mark: the caller drains it). Page by page each would
 * leave the LRU list and go onto the head of the pcp list: the links
 * between them stay as they are (the page after the next), only the run's
 * ends are linked again; their page fields get the values the page-by-page
 * frees give them. Returns the pages done (0: none); the caller counts them.
 */
function zap_run(
  k: Kernel,
  e: Float64Array,
  i: number,
  hi: number,
  pte: number,
  pfn: number,
  f: number,
  lru_prev: number,
  ext: PageExt,
  head: number,
  room: number,
): number {
  const mem = k.mem;
  const flags = mem.flags;
  const lw = mem.links.lru;
  const mapcount = ext._mapcount;
  const refcount = ext._refcount;
  const j = pfn & (PAGES_PER_SECTION - 1);
  const pb_mask = (1 << k.pageblock_order) - 1;
  // The run's pages are pfn+1 .. pfn+m.
  let max = hi - i;
  if (max > room) max = room;
  if (max > PAGES_PER_SECTION - 1 - j) max = PAGES_PER_SECTION - 1 - j;
  let m = 0;
  let q = pfn + 1;
  if (lru_prev !== q) return 0;
  while (
    m < max &&
    e[i + m + 1] === pte + (m + 1) * 4096 &&
    (q & pb_mask) !== 0 &&
    flags[q] === f &&
    mapcount[j + m + 1] === 0 &&
    refcount[j + m + 1] === 1 &&
    (m === 0 || lw[((q - 1) << 1) + 1] === q)
  ) {
    m++;
    q++;
  }
  if (m === 0) return 0;
  const last = pfn + m;
  // Off the LRU list: its neighbours on either side of the run linked.
  const a = lw[(last << 1) + 1];
  const b = lw[(pfn + 1) << 1];
  lw[a << 1] = b;
  lw[(b << 1) + 1] = a;
  // Onto the pcp list's head, the last first: pfn's link to it and the head's to the last.
  lw[(pfn + 1) << 1] = pfn;
  lw[(pfn << 1) + 1] = pfn + 1;
  lw[(last << 1) + 1] = head;
  lw[head << 1] = last;
  // set_pte 0, page_remove_rmap, __folio_put's clearing, the pcp type in the flags.
  const mt_flags = mem.pageblock_mt[pfn >>> k.pageblock_order] << ORDER_SHIFT;
  if (m < ZAP_RUN_FILL) {
    for (let x = 1; x <= m; x++) {
      e[i + x] = 0;
      mapcount[j + x] = -1;
      ext.mapping[j + x] = 0;
      ext.index[j + x] = 0;
      refcount[j + x] = 0;
      flags[pfn + x] = mt_flags;
    }
  } else {
    e.fill(0, i + 1, i + 1 + m);
    mapcount.fill(-1, j + 1, j + 1 + m);
    ext.mapping.fill(0, j + 1, j + 1 + m);
    ext.index.fill(0, j + 1, j + 1 + m);
    refcount.fill(0, j + 1, j + 1 + m);
    flags.fill(mt_flags, pfn + 1, pfn + 1 + m);
  }
  return m;
}

/** From this many pages on, zap_run's stores are fills (a call each, but no per-page checks). */
const ZAP_RUN_FILL = 8;

/**
 * zap_pte_range's counts of the pages it freed in line since the last
 * call, all of zone: AnonPages, the anon LRU lists' sizes (node and zone),
 * the zone's pages in use, pgfree.
 */
function zap_flush(
  vm_events: Float64Array,
  zone: Zone,
  node_stat: Float64Array,
  anon_mapped: number,
  lru_anon: number,
  lru_active_anon: number,
  frees: number,
): void {
  node_stat[NR_ANON_MAPPED] -= anon_mapped;
  node_stat[NR_LRU_BASE + LRU_INACTIVE_ANON] -= lru_anon;
  zone.vm_stat[NR_ZONE_LRU_BASE + LRU_INACTIVE_ANON] -= lru_anon;
  node_stat[NR_LRU_BASE + LRU_ACTIVE_ANON] -= lru_active_anon;
  zone.vm_stat[NR_ZONE_LRU_BASE + LRU_ACTIVE_ANON] -= lru_active_anon;
  zone.nr_in_use -= frees;
  vm_events[PGFREE] += frees;
}

/** The rss counter of the file pages of an area (its anonymous copies count as anon). */
function vma_file_counter(vma: VmAreaStruct): number {
  return vma.vm_file?.f_inode.i_mapping?.shmem ? MM_SHMEMPAGES : MM_FILEPAGES;
}

/**
 * vma_needs_copy: must fork copy the page tables of this area? Only where a
 * page fault could not rebuild them: an area with an anon_vma may map
 * anonymous pages (COW copies, private writes), which exist nowhere else;
 * VM_PFNMAP frames have no struct page for a fault to find. Everything else
 * (shared anonymous and shared file mappings, private file mappings never
 * written, the vDSO) is left empty in the child and refaulted from the page
 * cache or shmem when the child touches it: fork stays cheap for big shared
 * or read-only mappings. (Linux also copies VM_MIXEDMAP and uffd-wp areas;
 * neither exists here.)
 */
function vma_needs_copy(svma: VmAreaStruct): boolean {
  if (svma.vm_flags & VM_PFNMAP) return true;
  return svma.anon_vma !== null;
}

/**
 * copy_page_range (fork): the child maps what the parent maps, where
 * vma_needs_copy says so. Private writable pages become read-only in both,
 * to be copied on the next write. Returns false when a page table could not
 * be allocated.
 */
export function copy_page_range(k: Kernel, dst: MmStruct, src: MmStruct, svma: VmAreaStruct): boolean {
  if (!vma_needs_copy(svma)) return true;
  const cow = (svma.vm_flags & (VM_SHARED | VM_WRITE)) === VM_WRITE;
  const mem = k.mem;
  const fileCounter = vma_file_counter(svma);
  let ok = true;
  let n = 0;
  // The child's leaf table for the source table being copied (one walk per table, not per entry).
  let spt: PageTable | null = null;
  let dpt: PageTable | null = null;
  for_each_pte(k, src, svma.vm_start, svma.vm_end, (pt, i, addr) => {
    if (!ok) return;
    if (pt.huge) {
      // copy_huge_pmd, once for the table: the child maps the THP with its own huge PMD.
      if (pt !== spt) {
        spt = pt;
        dpt = null;
        n++;
        ok = copy_huge_pmd(k, dst, src, pt, addr - i * 4096);
      }
      return;
    }
    let pte = pt.entries[i];
    n++;
    if (pt !== spt) {
      spt = pt;
      dpt = walk(k, dst, addr, true);
      if (!dpt) {
        ok = false;
        return;
      }
    }
    const d = dpt!;
    if (!pte_present(pte)) {
      k.mm_hooks.dup_swap_entry(k, dst, pte);
      set_pte(d, i, pte);
      return;
    }
    if (!pte_special(pte)) {
      const pfn = pte_pfn(pte);
      get_page(k, pfn);
      page_dup_rmap(k, pfn);
      dst.rss[mem.flags[pfn] & PG_anon ? MM_ANONPAGES : fileCounter]++;
      if (cow && pte_write(pte)) {
        pte = pte_clear(pte, _PAGE_RW);
        set_pte(pt, i, pte);
      }
    }
    set_pte(d, i, pte);
  });
  charge(k, n * COPY_PTE_COST);
  if (cow && n) flush_tlb_range(k, src, svma.vm_start, svma.vm_end);
  return ok;
}
