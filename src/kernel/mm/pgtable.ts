/*
 * pgtable.ts - page tables (Linux include/linux/pgtable.h, mm/memory.c
 * __pte_alloc and free_pgtables, arch/arm/include/asm/pgtable-2level.h,
 * arch/x86/include/asm/pgtable_64_types.h).
 *
 * Each table is a real page from the buddy allocator (PageTables in
 * meminfo, VmPTE of the process); its entries live in a typed array beside.
 *
 *   ARM short-descriptor, 2 levels (VMSPLIT_3G, 4 KiB pages):
 *     31         21 20       12 11        0
 *    +-------------+-----------+-----------+
 *    |  pgd index  | pte index |  offset   |    pgd: 2048 entries, each a
 *    +-------------+-----------+-----------+    pair of hardware PMDs (2 MiB)
 *   A pte page holds two 256-entry hardware tables and the two matching
 *   Linux tables (young/dirty bits the hardware lacks): 512 entries, 2 MiB.
 *
 *   x86_64 and arm64, 4 levels, 48-bit addresses:
 *     47    39 38    30 29    21 20    12 11     0
 *    +--------+--------+--------+--------+--------+
 *    |  pgd   |  pud   |  pmd   |  pte   | offset |  512 entries a level
 *    +--------+--------+--------+--------+--------+
 *
 * A PTE is pfn * 4096 + flags (the low 12 bits):
 *   _PAGE_PRESENT  the page is mapped         _PAGE_ACCESSED  young (referenced)
 *   _PAGE_RW       writable                   _PAGE_DIRTY     written since cleaned
 *   _PAGE_USER     user accessible            _PAGE_SPECIAL   the zero page / vdso
 *   _PAGE_NX       not executable             _PAGE_SOFT_DIRTY written since clear_refs 4
 * A PTE without _PAGE_PRESENT but non-zero is a swap entry (swap issue).
 *
 * A huge PMD (transparent huge pages, huge_memory.ts) maps 2 MiB with one
 * entry of the PMD level. mmbox keeps it as the leaf table that 6.1 x86
 * deposits beside every huge PMD anyway (pgtable_trans_huge_deposit),
 * flagged `huge`, whose 512 entries hold what the MMU sees through the PMD
 * for each 4 KiB: head pfn + i, the PMD's bits. Readers (the CPU's walk,
 * smaps, pagemap, rmap, the checker) need no change; writers that are not
 * taught the huge PMD split it first (split_huge_pmd).
 *
 * Addresses above 2^31 (every 64-bit user address) are handled with
 * division, never with JavaScript's 32-bit shifts.
 */

import type { Kernel } from "../kernel.js";
import { __GFP_ZERO, GFP_KERNEL_ACCOUNT } from "./gfp.js";
import type { MmStruct } from "./mm_struct.js";
import { PG_table } from "./mm_types.js";
import { NR_PAGETABLE } from "./mmzone.js";
import { __free_pages, alloc_pages, page_zone } from "./page_alloc.js";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_PRESENT,
  _PAGE_RW,
  _PAGE_SPECIAL,
  PTE_FLAGS_MASK,
} from "./pgtable_types.js";

export * from "./pgtable_types.js";

export const pte_present = (pte: number): boolean => (pte & _PAGE_PRESENT) !== 0;
export const pte_none = (pte: number): boolean => pte === 0;
export const pte_write = (pte: number): boolean => (pte & _PAGE_RW) !== 0;
export const pte_young = (pte: number): boolean => (pte & _PAGE_ACCESSED) !== 0;
export const pte_dirty = (pte: number): boolean => (pte & _PAGE_DIRTY) !== 0;
export const pte_special = (pte: number): boolean => (pte & _PAGE_SPECIAL) !== 0;
export const pte_pfn = (pte: number): number => Math.floor(pte / 4096);
export const pfn_pte = (pfn: number, flags: number): number => pfn * 4096 + (flags & PTE_FLAGS_MASK);
/*
 * Testing a bit with & is safe for any PTE (ToInt32 keeps the low bits, so
 * pte & 0xfff is the flags even above 2^32, without a floating-point
 * modulo), but setting or clearing one with | or & would cut the value to
 * 32 bits: a PTE is pfn * 4096 + flags and easily passes 2^31. These keep
 * the pfn.
 */
export const pte_flags = (pte: number): number => pte & PTE_FLAGS_MASK;
export const pte_set = (pte: number, bits: number): number =>
  pte - (pte & PTE_FLAGS_MASK) + ((pte & PTE_FLAGS_MASK) | bits);
export const pte_clear = (pte: number, bits: number): number =>
  pte - (pte & PTE_FLAGS_MASK) + (pte & PTE_FLAGS_MASK & ~bits);

/*
 * A swap entry in a PTE (not present, bit 1 set): the area in bits 2..6,
 * the slot above bit 12, as x86 and ARM keep it in their own bit layouts.
 */
export const __swp_entry_to_pte = (type: number, offset: number): number => offset * 4096 + (type << 2) + 2;
export const pte_swp_type = (pte: number): number => (pte >>> 2) & 0x1f;
export const pte_swp_offset = (pte: number): number => Math.floor(pte / 4096);

/** One page-table page. Level 0 holds PTEs; upper levels hold child tables. */
export class PageTable {
  /** The page backing this table (-1 for ARM's pgd, which is the 16 KiB block in pgd_pfn). */
  pfn: number;
  level: number;
  entries: Float64Array;
  /** Child tables of an upper level (a holey array: a missing child is undefined). */
  children: (PageTable | null | undefined)[] | null;
  /** Entries in use: a table is freed when it empties. */
  used = 0;
  /** A huge PMD's deposited table: the entries are the PMD's view of one THP (see above). */
  huge = false;
  constructor(pfn: number, level: number, nr: number) {
    this.pfn = pfn;
    this.level = level;
    this.entries = level === 0 ? pte_store_get(nr) : NO_ENTRIES;
    this.children = level === 0 ? null : new Array(nr);
  }
}

/*
 * The entries of leaf tables come from a shared store of 512-entry slices
 * of big buffers, not from a Float64Array of their own: a 4 KiB typed
 * array is allocated outside the JavaScript heap, which costs a few
 * microseconds each and pushes the collector (a 2 GiB fault-in makes 1024
 * tables). A freed table's slice goes back to the store zeroed; the table
 * keeps an empty array, so that a stale reader finds nothing rather than
 * another table's entries. Host memory only: nothing the machine sees.
 */
const NO_ENTRIES = new Float64Array(0);
const PTE_STORE_CHUNK = 64;
/** Zeroed free slices, reused first (at most PTE_STORE_MAX kept). */
const pte_store_free: Float64Array[] = [];
const PTE_STORE_MAX = 4096;
/** The chunk slices are cut from, and the next slice's index in it. */
let pte_store_buf: ArrayBuffer | null = null;
let pte_store_next = PTE_STORE_CHUNK;

function pte_store_get(nr: number): Float64Array {
  if (nr !== 512) return new Float64Array(nr);
  const e = pte_store_free.pop();
  if (e !== undefined) return e;
  if (pte_store_next === PTE_STORE_CHUNK) {
    pte_store_buf = new ArrayBuffer(PTE_STORE_CHUNK * 512 * 8);
    pte_store_next = 0;
  }
  return new Float64Array(pte_store_buf!, 512 * 8 * pte_store_next++, 512);
}

/** A leaf table's slice back to the store (the table is being freed). */
function pte_store_put(t: PageTable): void {
  const e = t.entries;
  t.entries = NO_ENTRIES;
  if (e.length !== 512 || pte_store_free.length >= PTE_STORE_MAX) return;
  e.fill(0);
  pte_store_free.push(e);
}

/** The page table geometry of the profile: index bits per level, root first. */
const GEOMETRY_2LEVEL = { levels: 2, bits: [11, 9] } as const;
const GEOMETRY_4LEVEL = { levels: 4, bits: [9, 9, 9, 9] } as const;
export function pt_geometry(k: Kernel): { levels: number; bits: readonly number[] } {
  return k.profile.pgtableLevels === 2 ? GEOMETRY_2LEVEL : GEOMETRY_4LEVEL;
}

/** Every leaf table has 512 entries: the PTE index of an address. */
export const pte_index = (vaddr: number): number => Math.floor(vaddr / 4096) % 512;

/** pgd_alloc: ARM's 16 KiB pgd (order 2), one page elsewhere. */
export function pgd_alloc(k: Kernel): PageTable | null {
  const { bits } = pt_geometry(k);
  const order = k.profile.pgtableLevels === 2 ? 2 : 0;
  const pfn = alloc_pages(k, GFP_KERNEL_ACCOUNT | __GFP_ZERO, order);
  if (pfn < 0) return null;
  return new PageTable(pfn, bits.length - 1, 2 ** bits[0]);
}

export function pgd_free(k: Kernel, pgd: PageTable): void {
  __free_pages(k, pgd.pfn, k.profile.pgtableLevels === 2 ? 2 : 0);
}

/** __pte_alloc and friends: a new table below the root, counted in PageTables and VmPTE. */
function table_alloc(k: Kernel, mm: MmStruct, level: number, nr: number): PageTable | null {
  const pfn = alloc_pages(k, GFP_KERNEL_ACCOUNT | __GFP_ZERO, 0);
  if (pfn < 0) return null;
  k.mem.flags[pfn] |= PG_table;
  k.nodes[page_zone(k, pfn).node].vm_stat[NR_PAGETABLE]++;
  mm.pgtables_bytes += table_bytes(k);
  return new PageTable(pfn, level, nr);
}

/**
 * What one table adds to VmPTE (mm_inc_nr_ptes and friends): a whole page on
 * 4-level machines; on ARM, PTRS_PER_PTE * sizeof(pte_t) = 2 KiB, the Linux
 * half of the page (the hardware half is not counted).
 */
function table_bytes(k: Kernel): number {
  return k.profile.pgtableLevels === 2 ? 2048 : 4096;
}

/** pte_alloc_one: a leaf table not yet linked in (the one a huge PMD deposits). */
export function pte_alloc_one(k: Kernel, mm: MmStruct): PageTable | null {
  return table_alloc(k, mm, 0, 512);
}

/** pte_free: a leaf table that is no longer linked in (a huge PMD's, withdrawn). */
export function pte_free(k: Kernel, mm: MmStruct, t: PageTable): void {
  table_free(k, mm, t);
}

function table_free(k: Kernel, mm: MmStruct, t: PageTable): void {
  k.mem.flags[t.pfn] &= ~PG_table;
  k.nodes[page_zone(k, t.pfn).node].vm_stat[NR_PAGETABLE]--;
  mm.pgtables_bytes -= table_bytes(k);
  __free_pages(k, t.pfn, 0);
  if (t.level === 0) pte_store_put(t);
}

/** The child table at index i of t, created when alloc says so (null when absent or out of memory). */
function child(
  k: Kernel,
  mm: MmStruct,
  t: PageTable,
  i: number,
  alloc: boolean,
  nr: number,
): PageTable | null {
  const c = t.children![i];
  if (c || !alloc) return c ?? null;
  const n = table_alloc(k, mm, t.level - 1, nr);
  if (!n) return null;
  t.children![i] = n;
  t.used++;
  return n;
}

/**
 * The leaf table holding vaddr's PTE (its index is pte_index(vaddr)); with
 * alloc, missing tables are created. Null when a table is missing, or
 * cannot be allocated. No allocation of JS objects on this path: it runs
 * for every page fault and TLB miss.
 */
export function walk(k: Kernel, mm: MmStruct, vaddr: number, alloc: boolean): PageTable | null {
  if (k.profile.pgtableLevels !== 2) return walk_4level(k, mm, vaddr, alloc);
  const t = mm.pgd.children![Math.floor(vaddr / 4096) >>> 9];
  if (t || !alloc) return t ?? null;
  return child(k, mm, mm.pgd, Math.floor(vaddr / 4096) >>> 9, alloc, 512);
}

/** walk (no allocation) for the page vpn: on 32-bit ARM, the pgd's slot vpn >>> 9 without an address. */
export function walk_vpn(k: Kernel, mm: MmStruct, vpn: number): PageTable | null {
  if (k.profile.pgtableLevels !== 2) return walk_4level(k, mm, vpn * 4096, false);
  return mm.pgd.children![vpn >>> 9] ?? null;
}

/** walk on x86_64 and arm64. */
function walk_4level(k: Kernel, mm: MmStruct, vaddr: number, alloc: boolean): PageTable | null {
  const vpn = Math.floor(vaddr / 4096);
  const pgd = mm.pgd;
  // 4 levels of 9 bits over a 36-bit page number: split it in two 18-bit halves for the bit operations.
  const hi = Math.floor(vpn / 262144);
  const lo = vpn - hi * 262144;
  const pud = child(k, mm, pgd, hi >>> 9, alloc, 512);
  if (!pud) return null;
  const pmd = child(k, mm, pud, hi & 511, alloc, 512);
  if (!pmd) return null;
  return child(k, mm, pmd, lo >>> 9, alloc, 512);
}

/**
 * pmd_offset: the PMD-level table holding vaddr's PMD entry (its index is
 * pmd_index(vaddr): the slot of the leaf table), made if alloc. 4-level
 * machines only (the ARM32 kernel has no THP).
 */
export function pmd_table(k: Kernel, mm: MmStruct, vaddr: number, alloc: boolean): PageTable | null {
  const hi = Math.floor(Math.floor(vaddr / 4096) / 262144);
  const pud = child(k, mm, mm.pgd, hi >>> 9, alloc, 512);
  if (!pud) return null;
  return child(k, mm, pud, hi & 511, alloc, 512);
}

/** The index of vaddr's entry in its PMD-level table. */
export const pmd_index = (vaddr: number): number => Math.floor(vaddr / (4096 * 512)) % 512;

/** The PTE for vaddr (0 when nothing is mapped or no table exists). */
export function pte_get(k: Kernel, mm: MmStruct, vaddr: number): number {
  const pt = walk(k, mm, vaddr, false);
  return pt ? pt.entries[pte_index(vaddr)] : 0;
}

/** set_pte_at: keeps the table's use count right. */
export function set_pte(pt: PageTable, i: number, pte: number): void {
  const old = pt.entries[i];
  if (old === 0 && pte !== 0) pt.used++;
  else if (old !== 0 && pte === 0) pt.used--;
  pt.entries[i] = pte;
}

/** Pages one entry covers at each level, root first. */
const SPANS_2LEVEL = [512, 1];
const SPANS_4LEVEL = [2 ** 27, 2 ** 18, 512, 1];

function spans_of(k: Kernel): number[] {
  return k.profile.pgtableLevels === 2 ? SPANS_2LEVEL : SPANS_4LEVEL;
}

type PteFn = (pt: PageTable, i: number, addr: number) => void;

type TableFn = (pt: PageTable, lo: number, hi: number, base: number) => void;

/** The leaf tables under t that meet [first, last] pages, with the range of their entries that does. */
function visit_tables(
  t: PageTable,
  spans: number[],
  depth: number,
  base: number,
  first: number,
  last: number,
  fn: TableFn,
): void {
  if (t.used === 0) return;
  const span = spans[depth];
  const n = t.level === 0 ? t.entries.length : t.children!.length;
  const lo = Math.max(0, Math.floor((first - base) / span));
  const hi = Math.min(n - 1, Math.floor((last - base) / span));
  if (t.level === 0) {
    fn(t, lo, hi, base);
    return;
  }
  const ch = t.children!;
  for (let i = lo; i <= hi; i++) {
    const c = ch[i];
    if (c) visit_tables(c, spans, depth + 1, base + i * span, first, last, fn);
  }
}

/**
 * Visits every leaf table with entries in [start, end): fn gets the table,
 * the first and last index in range, and the page number of entry 0 (entry
 * i maps (base + i) * 4096). For loops over many PTEs: one call per table,
 * not per entry, in the order for_each_pte visits them.
 */
export function for_each_pte_table(k: Kernel, mm: MmStruct, start: number, end: number, fn: TableFn): void {
  if (end <= start) return;
  visit_tables(mm.pgd, spans_of(k), 0, 0, Math.floor(start / 4096), Math.ceil(end / 4096) - 1, fn);
}

/**
 * Visits every non-empty PTE in [start, end), with its address. fn may
 * change the entry through set_pte.
 */
export function for_each_pte(k: Kernel, mm: MmStruct, start: number, end: number, fn: PteFn): void {
  for_each_pte_table(k, mm, start, end, (pt, lo, hi, base) => {
    const e = pt.entries;
    for (let i = lo; i <= hi; i++) if (e[i] !== 0) fn(pt, i, (base + i) * 4096);
  });
}

function free_tables(
  k: Kernel,
  mm: MmStruct,
  t: PageTable,
  spans: number[],
  depth: number,
  base: number,
  first: number,
  last: number,
): void {
  const span = spans[depth];
  const ch = t.children!;
  const lo = Math.max(0, Math.floor((first - base) / span));
  const hi = Math.min(ch.length - 1, Math.floor((last - base) / span));
  for (let i = lo; i <= hi && t.used > 0; i++) {
    const c = ch[i];
    if (!c) continue;
    if (c.level > 0) free_tables(k, mm, c, spans, depth + 1, base + i * span, first, last);
    if (c.used === 0) {
      table_free(k, mm, c);
      ch[i] = undefined;
      t.used--;
    }
  }
}

/** free_pgtables: releases the tables under [start, end) that have become empty. */
export function free_pgtables(k: Kernel, mm: MmStruct, start: number, end: number): void {
  if (end <= start || mm.pgd.level === 0) return;
  free_tables(k, mm, mm.pgd, spans_of(k), 0, 0, Math.floor(start / 4096), Math.ceil(end / 4096) - 1);
}
