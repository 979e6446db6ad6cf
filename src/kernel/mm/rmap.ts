/*
 * rmap.ts - reverse mapping: from a page to every PTE that maps it (Linux
 * mm/rmap.c, include/linux/rmap.h).
 *
 * Anonymous pages point (page->mapping, with PG_anon) at the anon_vma of the
 * VMA that created them; an anon_vma knows every VMA that may map its pages
 * (the anon_vma_chain: after fork, the child's VMA joins the parent's
 * anon_vmas, so copy-on-write-shared pages can be found from either side).
 * File pages point at their address_space, whose i_mmap lists the VMAs that
 * map the file. page->index gives where in the VMA the page sits, so a walk
 * computes one address per VMA and looks at that PTE.
 *
 * _mapcount counts the PTEs mapping a page; the first mapping of a page
 * makes it count in NR_ANON_MAPPED or NR_FILE_MAPPED (AnonPages, Mapped).
 */

import type { Kernel } from "../kernel.js";
import { VM_BUG_ON } from "../lib/bug.js";
import { deferred_split_huge_page } from "./huge_memory.js";
import { rmap_walk_ksm } from "./ksm_mm.js";
import { anon_vma_kmem_alloc, avc_kmem_alloc, mm_kmem_free } from "./mm_kmem.js";
import type { MmStruct, VmAreaStruct } from "./mm_struct.js";
import { PAGES_PER_SECTION, PG_anon, PG_head, PG_ksm, PG_swapbacked, PG_tail } from "./mm_types.js";
import { NR_ANON_MAPPED, NR_FILE_MAPPED } from "./mmzone.js";
import { page_zone } from "./page_alloc.js";
import { type PageTable, pte_pfn, pte_present, walk_vpn } from "./pgtable.js";

export class AnonVma {
  readonly id: number;
  /** The VMAs whose pages may live in this anon_vma (via anon_vma_chain). */
  readonly vmas = new Set<VmAreaStruct>();
  /** The same VMAs as an array for the rmap walk, which runs for every page reclaim looks at (null: stale). */
  private list: VmAreaStruct[] | null = null;
  constructor(id: number) {
    this.id = id;
  }
  add(vma: VmAreaStruct): void {
    this.vmas.add(vma);
    this.list = null;
  }
  delete(vma: VmAreaStruct): void {
    this.vmas.delete(vma);
    this.list = null;
  }
  /** The VMAs in the order they joined (the Set's order). */
  get vma_list(): VmAreaStruct[] {
    this.list ??= [...this.vmas];
    return this.list;
  }
}

/** Each VMA's anon_vma_chain: its own anon_vma plus the ones it inherited by fork. */
const chains = new WeakMap<VmAreaStruct, AnonVma[]>();

export function vma_anon_chain(vma: VmAreaStruct): AnonVma[] {
  return chains.get(vma) ?? [];
}

/** anon_vma_prepare: the first anonymous page of a VMA gives it an anon_vma. */
export function anon_vma_prepare(k: Kernel, vma: VmAreaStruct): AnonVma {
  return vma.anon_vma ?? __anon_vma_prepare(k, vma);
}

/** __anon_vma_prepare: the VMA's first anonymous page; its anon_vma is made. */
function __anon_vma_prepare(k: Kernel, vma: VmAreaStruct): AnonVma {
  const av = new AnonVma(k.anon_vmas.length);
  k.anon_vmas.push(av);
  anon_vma_kmem_alloc(k, av);
  av.add(vma);
  vma.anon_vma = av;
  chains.set(vma, [av, ...(chains.get(vma) ?? [])]);
  avc_kmem_alloc(k, vma);
  return av;
}

/** anon_vma_fork: the child's VMA joins the parent's anon_vmas and gets its own. */
export function anon_vma_fork(k: Kernel, child: VmAreaStruct, parent: VmAreaStruct): void {
  const pchain = chains.get(parent) ?? [];
  for (const av of pchain) {
    av.add(child);
    avc_kmem_alloc(k, child);
  }
  chains.set(child, [...pchain]);
  child.anon_vma = null;
  if (parent.anon_vma) anon_vma_prepare(k, child);
}

/** unlink_anon_vmas: a VMA going away leaves every anon_vma it was on. */
export function unlink_anon_vmas(k: Kernel, vma: VmAreaStruct): void {
  for (const av of chains.get(vma) ?? []) {
    av.delete(vma);
    // No area left on it: no page can be mapped through it any more (anon_vma_free).
    if (av.vmas.size === 0) {
      mm_kmem_free(k, av);
      k.anon_vmas[av.id] = undefined;
    }
  }
  chains.delete(vma);
  vma.anon_vma = null;
}

/** A split VMA: the new part shares the same chain. */
export function anon_vma_clone(k: Kernel, dst: VmAreaStruct, src: VmAreaStruct): void {
  const chain = chains.get(src) ?? [];
  for (const av of chain) {
    av.add(dst);
    avc_kmem_alloc(k, dst);
  }
  chains.set(dst, [...chain]);
  dst.anon_vma = src.anon_vma;
}

/** The page index within its mapping / anon_vma that addr has in vma. */
export function linear_page_index(vma: VmAreaStruct, addr: number): number {
  return vma.vm_pgoff + (addr - vma.vm_start) / 4096;
}

function mapcount_add(k: Kernel, pfn: number, d: number): number {
  const e = k.mem.ext(pfn);
  const i = pfn & (PAGES_PER_SECTION - 1);
  e._mapcount[i] += d;
  return e._mapcount[i] + 1;
}

/** page_add_new_anon_rmap: a fresh anonymous page, mapped once. */
export function page_add_new_anon_rmap(k: Kernel, pfn: number, vma: VmAreaStruct, addr: number): void {
  const av = anon_vma_prepare(k, vma);
  const mem = k.mem;
  const ext = mem.ext(pfn);
  const j = pfn & (PAGES_PER_SECTION - 1);
  ext._mapcount[j] = 0; // mapped once
  // __folio_set_swapbacked: an anonymous page lives on the anon LRU and can go to swap.
  mem.flags[pfn] |= PG_anon | PG_swapbacked;
  ext.mapping[j] = av.id;
  ext.index[j] = linear_page_index(vma, addr);
  k.nodes[page_zone(k, pfn).node].vm_stat[NR_ANON_MAPPED]++;
}

/**
 * page_add_anon_rmap for a page coming back from swap: other processes
 * (forked from a common ancestor) may point at the same slot, so the page
 * goes into the root anon_vma of the chain, which every one of their areas
 * is on (__page_set_anon_rmap for a non-exclusive page).
 */
export function page_add_anon_rmap_root(k: Kernel, pfn: number, vma: VmAreaStruct, addr: number): void {
  anon_vma_prepare(k, vma);
  const chain = vma_anon_chain(vma);
  const root = chain[chain.length - 1];
  k.mem.set_page_mapcount(pfn, 1);
  k.mem.flags[pfn] |= PG_anon | PG_swapbacked;
  k.mem.setMapping(pfn, root.id, linear_page_index(vma, addr));
  k.nodes[page_zone(k, pfn).node].vm_stat[NR_ANON_MAPPED]++;
}

/** page_add_anon_rmap / page_dup_rmap: one more PTE maps an anonymous page. */
export function page_dup_rmap(k: Kernel, pfn: number): void {
  mapcount_add(k, pfn, 1);
}

/** page_add_file_rmap: a page-cache page mapped into a process. */
export function page_add_file_rmap(k: Kernel, pfn: number): void {
  if (mapcount_add(k, pfn, 1) === 1) k.nodes[page_zone(k, pfn).node].vm_stat[NR_FILE_MAPPED]++;
}

/** page_remove_rmap: one PTE less; the last one takes the page out of AnonPages/Mapped. */
export function page_remove_rmap(k: Kernel, pfn: number): void {
  const left = mapcount_add(k, pfn, -1);
  VM_BUG_ON(left < 0, "page_mapcount < 0");
  if (left === 0) {
    const f = k.mem.flags[pfn];
    const anon = (f & PG_anon) !== 0;
    k.nodes[page_zone(k, pfn).node].vm_stat[anon ? NR_ANON_MAPPED : NR_FILE_MAPPED]--;
    // A subpage of a THP no longer mapped: the THP may be split to free it (6.1 queues it each time).
    if (f & (PG_head | PG_tail) && anon) deferred_split_huge_page(k, k.mem.compound_head(pfn));
  }
}

/**
 * What an rmap walk calls for each PTE that maps the page: the page is
 * given by its number in the address space (vpn), not by its address: an
 * ARM user address above 2 GiB is a heap number, boxed at every call.
 */
export type RmapFn = (mm: MmStruct, vma: VmAreaStruct, vpn: number, pt: PageTable, i: number) => void;

/**
 * rmap_walk: every (mm, vma, page) whose PTE maps pfn. Anonymous pages
 * are found through their anon_vma, file pages through the mapping's i_mmap.
 */
export function rmap_walk(k: Kernel, pfn: number, fn: RmapFn): void {
  const mem = k.mem;
  const ext = mem.peekExt(pfn);
  if (ext === null) return;
  // A KSM page's mapping is its stable node: the walk goes through its rmap_items.
  if (mem.flags[pfn] & PG_ksm) rmap_walk_ksm(k, pfn, fn);
  else if (mem.flags[pfn] & PG_anon) {
    const vmas = anon_rmap_vmas(k, pfn);
    if (vmas === null) return;
    const index = rmap_index;
    for (let v = 0; v < vmas.length; v++) rmap_one(k, pfn, index, vmas[v], fn);
  } else {
    const j = pfn & (PAGES_PER_SECTION - 1);
    const m = k.mappings[ext.mapping[j]];
    if (m) for (const vma of m.i_mmap) rmap_one(k, pfn, ext.index[j], vma, fn);
  }
}

/** One VMA of an rmap walk: the PTE the page's index gives in it, if it maps pfn. */
function rmap_one(k: Kernel, pfn: number, index: number, vma: VmAreaStruct, fn: RmapFn): void {
  const pt = rmap_locate(k, pfn, index, vma);
  if (pt !== null) fn(vma.vm_mm, vma, rmap_vpn, pt, rmap_vpn & 511);
}

/** Where the last rmap_locate found the PTE: its page number in the address space. */
export let rmap_vpn = 0;

/** vma_address: the page number at which vma maps the page of index, or -1 when that is outside it. */
export function vma_address(vma: VmAreaStruct, index: number): number {
  const start = vma.vm_start / 4096;
  const vpn = start + (index - vma.vm_pgoff);
  return vpn < start || vpn >= vma.vm_end / 4096 ? -1 : vpn;
}

/** The leaf table of mm whose entry vpn & 511 (pte_index) maps pfn, or null. */
export function pte_table_mapping(k: Kernel, mm: MmStruct, vpn: number, pfn: number): PageTable | null {
  const pt = walk_vpn(k, mm, vpn);
  if (pt === null) return null;
  const pte = pt.entries[vpn & 511];
  return pte_present(pte) && pte_pfn(pte) === pfn ? pt : null;
}

/**
 * vma_address and the PTE walk of one VMA of an rmap walk: the leaf table
 * whose entry rmap_vpn & 511 maps pfn at the page's index in vma, or null
 * when vma does not map it there.
 */
export function rmap_locate(k: Kernel, pfn: number, index: number, vma: VmAreaStruct): PageTable | null {
  const vpn = vma_address(vma, index);
  if (vpn < 0) return null;
  const pt = pte_table_mapping(k, vma.vm_mm, vpn, pfn);
  if (pt !== null) rmap_vpn = vpn;
  return pt;
}

/** The page index of an anonymous page the last anon_rmap_vmas returned areas for. */
export let rmap_index = 0;

/**
 * The areas an rmap walk of pfn visits when it is an ordinary anonymous
 * page (not KSM): its anon_vma's VMAs, the page's index in rmap_index; null
 * for any other page. For a walk that calls its own function for each PTE
 * it finds (with rmap_locate) rather than rmap_walk's callback, which is
 * a call V8 cannot inline: folio_referenced, for every page reclaim scans.
 */
export function anon_rmap_vmas(k: Kernel, pfn: number): VmAreaStruct[] | null {
  if ((k.mem.flags[pfn] & (PG_anon | PG_ksm)) !== PG_anon) return null;
  const ext = k.mem.peekExt(pfn);
  if (ext === null) return null;
  const j = pfn & (PAGES_PER_SECTION - 1);
  const av = k.anon_vmas[ext.mapping[j]];
  if (av === undefined) return null;
  rmap_index = ext.index[j];
  return av.vma_list;
}

/** How many PTEs an rmap walk finds (the checker compares it with page_mapcount). */
export function rmap_count(k: Kernel, pfn: number): number {
  let n = 0;
  rmap_walk(k, pfn, () => {
    n++;
  });
  return n;
}
