/*
 * debug_mm.ts - consistency checks of every address space (what Linux's
 * VM_BUG_ON_MM, validate_mm and the rmap sanity checks catch, and more:
 * a simulation can afford to walk everything).
 *
 * For every process's mm:
 *   1. the VMAs are page-aligned, non-empty, sorted and disjoint, below
 *      TASK_SIZE, and point back at their mm; total_vm and its parts agree
 *      with them;
 *   2. every present PTE lies inside a VMA and maps a page in use (never a
 *      free one); the mm's RSS counters equal the PTEs that map each kind
 *      of page, and MM_SWAPENTS the swap entries;
 *   3. each page-table page's use count equals its non-empty entries, and
 *      VmPTE equals the tables below the root.
 * Across all of them:
 *   4. each page's _mapcount equals the PTEs that map it, and an rmap walk
 *      from the page finds exactly those PTEs;
 *   5. AnonPages and Mapped (NR_ANON_MAPPED, NR_FILE_MAPPED) count the
 *      mapped pages of each kind; PageTables counts the table pages;
 *      Committed_AS equals the accounted areas.
 *   6. a huge PMD maps one aligned THP (or the huge zero page) inside one
 *      VMA; a THP's compound_mapcount counts its huge PMDs, and
 *      NR_ANON_THPS the THPs some huge PMD maps.
 */

import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { compound_mapcount, is_huge_zero_page } from "./huge_memory.js";
import { HPAGE_PMD_NR, HPAGE_PMD_ORDER, HPAGE_PMD_SIZE } from "./huge_mm.js";
import {
  MM_ANONPAGES,
  MM_FILEPAGES,
  MM_SHMEMPAGES,
  MM_SWAPENTS,
  type MmStruct,
  VM_ACCOUNT,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_SHARED,
  VM_WRITE,
} from "./mm_struct.js";
import { PG_anon, PG_buddy, PG_head, PG_ksm, PG_swapbacked } from "./mm_types.js";
import { NR_ANON_MAPPED, NR_ANON_THPS, NR_FILE_MAPPED, NR_PAGETABLE } from "./mmzone.js";
import {
  _PAGE_NX,
  _PAGE_PRESENT,
  _PAGE_RW,
  _PAGE_SPECIAL,
  type PageTable,
  pte_pfn,
  pte_present,
  pte_special,
} from "./pgtable.js";
import { rmap_count } from "./rmap.js";
import { is_special_page } from "./vdso.js";

function fail(mm: MmStruct | null, what: string): never {
  return BUG(`debug_vm: ${mm ? `mm ${mm.id}: ` : ""}${what}`);
}

/** Every live address space, once. */
export function all_mms(k: Kernel): MmStruct[] {
  const set = new Set<MmStruct>();
  for (const t of k.sched.tasks.values()) if (t.mm) set.add(t.mm);
  return [...set];
}

function check_vmas(mm: MmStruct): number {
  let prev = -1;
  let total = 0;
  let committed = 0;
  const per = { data: 0, exec: 0, stack: 0 };
  for (const v of mm.vmas) {
    if (v.vm_mm !== mm) fail(mm, "vma of another mm");
    if (v.vm_start % 4096 || v.vm_end % 4096 || v.vm_start >= v.vm_end)
      fail(mm, `bad vma ${v.vm_start.toString(16)}-${v.vm_end.toString(16)}`);
    if (v.vm_start < prev) fail(mm, `vmas overlap or unsorted at ${v.vm_start.toString(16)}`);
    if (v.vm_end > mm.task_size) fail(mm, "vma above TASK_SIZE");
    prev = v.vm_end;
    total += v.pages;
    if (v.vm_flags & VM_ACCOUNT) committed += v.pages;
    if ((v.vm_flags & (VM_EXEC | VM_WRITE)) === VM_EXEC) per.exec += v.pages;
    else if (v.vm_flags & VM_GROWSDOWN) per.stack += v.pages;
    else if ((v.vm_flags & (VM_WRITE | VM_SHARED)) === VM_WRITE) per.data += v.pages;
  }
  if (total !== mm.total_vm) fail(mm, `total_vm ${mm.total_vm} but vmas cover ${total} pages`);
  if (per.exec !== mm.exec_vm || per.stack !== mm.stack_vm || per.data !== mm.data_vm)
    fail(
      mm,
      `exec/stack/data_vm ${mm.exec_vm}/${mm.stack_vm}/${mm.data_vm}, vmas say ${per.exec}/${per.stack}/${per.data}`,
    );
  return committed;
}

/** Walks one mm's tables: returns the number of table pages below the root. */
/**
 * A huge PMD (huge_memory.ts): its 512 entries map one aligned order-9
 * compound page (or the huge zero page) in order, with the same rights, in
 * one VMA that covers the whole 2 MiB. Counts it in pmds (per head).
 */
function check_huge_pmd(
  k: Kernel,
  mm: MmStruct,
  t: PageTable,
  base: number,
  pmds: Map<number, number>,
): void {
  const e = t.entries;
  const addr = base * 4096;
  const head = pte_pfn(e[0]);
  const what = `huge pmd at ${addr.toString(16)}`;
  const v = mm.vmas.find((x) => x.vm_start <= addr && addr + HPAGE_PMD_SIZE <= x.vm_end);
  if (!v) fail(mm, `${what} not inside one vma`);
  if (head % HPAGE_PMD_NR) fail(mm, `${what} maps unaligned pfn ${head}`);
  const rights = _PAGE_PRESENT | _PAGE_RW | _PAGE_NX | _PAGE_SPECIAL;
  for (let i = 0; i < HPAGE_PMD_NR; i++)
    if (pte_pfn(e[i]) !== head + i || (e[i] & rights) !== (e[0] & rights))
      fail(mm, `${what}: entry ${i} is not the PMD's view of pfn ${head + i}`);
  if (pte_special(e[0])) {
    if (!is_huge_zero_page(k, head)) fail(mm, `${what}: special but not the huge zero page`);
    return;
  }
  if (!(k.mem.flags[head] & PG_head) || k.mem.order(head) !== HPAGE_PMD_ORDER)
    fail(mm, `${what} maps pfn ${head}, no order-9 compound head`);
  pmds.set(head, (pmds.get(head) ?? 0) + 1);
}

function check_tables(
  k: Kernel,
  mm: MmStruct,
  mapped: Map<number, number>,
  pmds: Map<number, number>,
): number {
  const rss = new Int32Array(4);
  let tables = 0;
  const visit = (t: PageTable, base: number, span: number): void => {
    let used = 0;
    if (t.huge) check_huge_pmd(k, mm, t, base, pmds);
    if (t.level === 0) {
      for (let i = 0; i < t.entries.length; i++) {
        const pte = t.entries[i];
        if (pte === 0) continue;
        used++;
        const addr = (base + i) * 4096;
        const v = mm.vmas.find((x) => x.vm_start <= addr && addr < x.vm_end);
        if (!v) fail(mm, `pte at ${addr.toString(16)} outside every vma`);
        if (!pte_present(pte)) {
          rss[MM_SWAPENTS]++;
          continue;
        }
        if (pte_special(pte)) continue;
        const pfn = pte_pfn(pte);
        const f = k.mem.flags[pfn];
        if (f & PG_buddy || k.mem.page_ref_count(pfn) <= 0)
          fail(mm, `pte at ${addr.toString(16)} maps a free page (pfn ${pfn})`);
        mapped.set(pfn, (mapped.get(pfn) ?? 0) + 1);
        if (f & PG_anon) rss[MM_ANONPAGES]++;
        else if (f & PG_swapbacked && v.vm_file) rss[MM_SHMEMPAGES]++;
        else rss[MM_FILEPAGES]++;
      }
    } else {
      const child = span / t.children!.length;
      for (let i = 0; i < t.children!.length; i++) {
        const c = t.children![i];
        if (!c) continue;
        used++;
        tables++;
        visit(c, base + i * child, child);
      }
    }
    if (used !== t.used) fail(mm, `page table at level ${t.level} counts ${t.used} entries, has ${used}`);
  };
  const levels = mm.pgd.level + 1;
  const span = k.profile.pgtableLevels === 2 ? 2 ** 20 : 2 ** 36; // pages the root covers
  void levels;
  visit(mm.pgd, 0, span);
  for (const [i, name] of ["file", "anon", "swap", "shmem"].entries())
    if (rss[i] !== mm.rss[i]) fail(mm, `rss ${name} counter ${mm.rss[i]}, page tables map ${rss[i]}`);
  const per = k.profile.pgtableLevels === 2 ? 2048 : 4096;
  if (tables * per !== mm.pgtables_bytes) fail(mm, `VmPTE ${mm.pgtables_bytes} bytes for ${tables} tables`);
  return tables;
}

export function check_mm(k: Kernel): void {
  const mapped = new Map<number, number>();
  const pmds = new Map<number, number>();
  let committed = 0;
  let tables = 0;
  for (const mm of all_mms(k)) {
    committed += check_vmas(mm);
    tables += check_tables(k, mm, mapped, pmds);
  }
  // 6. A THP's compound_mapcount is the huge PMDs mapping it; AnonHugePages counts those THPs.
  for (const [head, n] of pmds)
    if (compound_mapcount(k, head) !== n)
      fail(null, `pfn ${head}: compound_mapcount ${compound_mapcount(k, head)}, mapped by ${n} huge pmds`);
  if (k.cfg.TRANSPARENT_HUGEPAGE) {
    const thps = k.nodes.reduce((a, nd) => a + nd.vm_stat[NR_ANON_THPS], 0);
    if (thps !== pmds.size * HPAGE_PMD_NR)
      fail(null, `NR_ANON_THPS ${thps}, PMD-mapped THPs ${pmds.size} (of ${HPAGE_PMD_NR} pages)`);
  }
  let anon = 0;
  let file = 0;
  for (const [pfn, n] of mapped) {
    const mc = k.mem.page_mapcount(pfn);
    if (mc !== n) fail(null, `pfn ${pfn}: mapcount ${mc}, mapped by ${n} ptes`);
    if (k.mem.flags[pfn] & PG_anon) anon++;
    else file++;
    if (!is_special_page(k, pfn)) {
      const found = rmap_count(k, pfn);
      // A KSM page's walk goes through the rmap_items ksmd made: a mapping it has not scanned yet
      // (a forked child's, one swapped back in after its item went) is found once it has, as in Linux.
      const ksm = (k.mem.flags[pfn] & PG_ksm) !== 0;
      if (ksm ? found > n : found !== n) fail(null, `pfn ${pfn}: rmap walk finds ${found} of its ${n} ptes`);
    }
  }
  const node = (item: number): number => k.nodes.reduce((a, nd) => a + nd.vm_stat[item], 0);
  if (node(NR_ANON_MAPPED) !== anon)
    fail(null, `NR_ANON_MAPPED ${node(NR_ANON_MAPPED)}, mapped anonymous pages ${anon}`);
  if (node(NR_FILE_MAPPED) !== file)
    fail(null, `NR_FILE_MAPPED ${node(NR_FILE_MAPPED)}, mapped file pages ${file}`);
  if (node(NR_PAGETABLE) !== tables)
    fail(null, `NR_PAGETABLE ${node(NR_PAGETABLE)}, page-table pages ${tables}`);
  if (k.mm_stat.vm_committed_as !== committed)
    fail(null, `Committed_AS ${k.mm_stat.vm_committed_as} pages, accounted areas ${committed}`);
}
