/*
 * page.ts - /proc/kpagecount and /proc/kpageflags (fs/proc/page.c): one
 * little-endian u64 per page frame, read at offset pfn * 8, as
 * tools/mm/page-types reads them (root only, mode 0400).
 *
 *   kpagecount  the page's mapcount (0 for slab, buddy and page-table
 *               pages, whose mapcount field holds a page type)
 *   kpageflags  stable_page_flags(): the KPF_* bits of
 *               include/uapi/linux/kernel-page-flags.h, from PG_* flags and
 *               a few facts (mapped, anonymous, in a free buddy block, the
 *               shared zero page, a hugetlb pool page)
 *
 *   kpagecgroup page_cgroup_ino(): the inode number of the memory cgroup
 *               the page is charged to. Every task is in the root cgroup
 *               (ino 1 of the cgroup2 hierarchy the memory controller sits
 *               on): user pages - anonymous, page cache and tmpfs, swap
 *               cache - are charged to it; kernel pages (slab, page
 *               tables, stacks) are not charged for the root, nor are free
 *               pages, the zero pages and hugetlb pages (6.1): 0.
 *
 * Reads must start and end on 8-byte boundaries (EINVAL otherwise); the
 * file ends at max_pfn rounded up to a memory section. A pfn in a section
 * without RAM has no struct page: KPF_NOPAGE, count 0.
 */

import type { Kernel } from "../../kernel.js";
import { is_huge_zero_page } from "../../mm/huge_memory.js";
import { default_hstate } from "../../mm/hugetlb.js";
import {
  PAGES_PER_SECTION,
  PG_active,
  PG_anon,
  PG_buddy,
  PG_dirty,
  PG_head,
  PG_idle,
  PG_ksm,
  PG_locked,
  PG_lru,
  PG_mlocked,
  PG_private,
  PG_reclaim,
  PG_referenced,
  PG_reserved,
  PG_slab,
  PG_swapbacked,
  PG_swapcache,
  PG_table,
  PG_tail,
  PG_unevictable,
  PG_uptodate,
  PG_writeback,
  SECTION_SHIFT,
} from "../../mm/mm_types.js";
import { EINVAL } from "../../uapi/errno.js";

/* include/uapi/linux/kernel-page-flags.h, and the kernel-internal bits above 31. */
export const KPF_LOCKED = 0;
export const KPF_ERROR = 1;
export const KPF_REFERENCED = 2;
export const KPF_UPTODATE = 3;
export const KPF_DIRTY = 4;
export const KPF_LRU = 5;
export const KPF_ACTIVE = 6;
export const KPF_SLAB = 7;
export const KPF_WRITEBACK = 8;
export const KPF_RECLAIM = 9;
export const KPF_BUDDY = 10;
export const KPF_MMAP = 11;
export const KPF_ANON = 12;
export const KPF_SWAPCACHE = 13;
export const KPF_SWAPBACKED = 14;
export const KPF_COMPOUND_HEAD = 15;
export const KPF_COMPOUND_TAIL = 16;
export const KPF_HUGE = 17;
export const KPF_UNEVICTABLE = 18;
export const KPF_NOPAGE = 20;
export const KPF_KSM = 21;
export const KPF_THP = 22;
export const KPF_ZERO_PAGE = 24;
export const KPF_IDLE = 25;
export const KPF_PGTABLE = 26;
export const KPF_RESERVED = 32;
export const KPF_MLOCKED = 33;
export const KPF_PRIVATE = 35;

const KPMSIZE = 8;

/** PG_* flag -> KPF_* bit, the bits stable_page_flags copies as they are. */
const COPIED: readonly [number, number][] = [
  [PG_locked, KPF_LOCKED],
  [PG_dirty, KPF_DIRTY],
  [PG_uptodate, KPF_UPTODATE],
  [PG_writeback, KPF_WRITEBACK],
  [PG_lru, KPF_LRU],
  [PG_referenced, KPF_REFERENCED],
  [PG_active, KPF_ACTIVE],
  [PG_reclaim, KPF_RECLAIM],
  [PG_swapbacked, KPF_SWAPBACKED],
  [PG_unevictable, KPF_UNEVICTABLE],
  [PG_mlocked, KPF_MLOCKED],
  [PG_reserved, KPF_RESERVED],
  [PG_private, KPF_PRIVATE],
];

/** get_max_dump_pfn: max_pfn rounded up to a whole section (its memmap exists). */
function max_dump_pfn(k: Kernel): number {
  return Math.ceil(k.mem.max_pfn / PAGES_PER_SECTION) * PAGES_PER_SECTION;
}

/** pfn_to_online_page: does pfn's section hold RAM (and so struct pages)? */
function pfn_online(k: Kernel, pfn: number): boolean {
  const lo = (pfn >>> SECTION_SHIFT) * PAGES_PER_SECTION * 4096;
  const hi = lo + PAGES_PER_SECTION * 4096;
  return k.memblock.memory.some((r) => r.base < hi && r.base + r.size > lo);
}

/** is_free_buddy_page: pfn lies inside a block on a free list. */
function is_free_buddy_page(k: Kernel, pfn: number): boolean {
  const mem = k.mem;
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const head = pfn & ~((1 << order) - 1);
    if (head < mem.max_pfn && mem.flags[head] & PG_buddy && mem.order(head) >= order) return true;
  }
  return false;
}

/** The head pfns of hugetlb pool pages (every pool page is free: nothing maps them). */
function huge_heads(k: Kernel): Set<number> {
  return new Set(default_hstate(k).hugepage_freelists.flat());
}

/** stable_page_flags for one pfn, as [low 32 bits, high 32 bits]. */
export function stable_page_flags(k: Kernel, pfn: number, huge: Set<number>): [number, number] {
  if (!pfn_online(k, pfn)) return [(1 << KPF_NOPAGE) >>> 0, 0];
  const mem = k.mem;
  // The tail of the last section past max_pfn: struct pages the kernel keeps reserved.
  const f = pfn < mem.max_pfn ? mem.flags[pfn] : PG_reserved;
  let u = 0;
  let hi = 0;
  const set = (bit: number): void => {
    if (bit < 32) u |= 1 << bit;
    else hi |= 1 << (bit - 32);
  };
  if (pfn < mem.max_pfn && mem.page_mapcount(pfn) > 0) set(KPF_MMAP);
  if (f & PG_anon) set(KPF_ANON);
  if (f & PG_ksm) set(KPF_KSM);
  if (f & PG_head) set(KPF_COMPOUND_HEAD);
  if (f & PG_tail) set(KPF_COMPOUND_TAIL);
  if (f & (PG_head | PG_tail) && huge.size) {
    const head = f & PG_head ? pfn : [...huge].find((h) => pfn > h && pfn < h + (1 << mem.order(h)));
    if (head !== undefined && huge.has(head)) set(KPF_HUGE);
  }
  if (pfn === k.zero_pfn) set(KPF_ZERO_PAGE);
  // A THP's pages (anonymous, or on the LRU) are KPF_THP; the huge zero page's too, and zero.
  if (f & (PG_head | PG_tail) && pfn < mem.max_pfn) {
    const hf = mem.flags[mem.compound_head(pfn)];
    if (hf & (PG_lru | PG_anon) && !huge.has(mem.compound_head(pfn))) set(KPF_THP);
    else if (is_huge_zero_page(k, pfn)) {
      set(KPF_ZERO_PAGE);
      set(KPF_THP);
    }
  }
  if (f & PG_buddy || (pfn < mem.max_pfn && mem.page_ref_count(pfn) === 0 && is_free_buddy_page(k, pfn)))
    set(KPF_BUDDY);
  if (f & PG_table) set(KPF_PGTABLE);
  if (f & PG_slab) set(KPF_SLAB);
  if (f & PG_idle) set(KPF_IDLE);
  for (const [pg, kpf] of COPIED) if (f & pg) set(kpf);
  if ((f & (PG_swapcache | PG_swapbacked)) === (PG_swapcache | PG_swapbacked)) set(KPF_SWAPCACHE);
  return [u >>> 0, hi >>> 0];
}

/** kpagecount's value: the mapcount, 0 where the field holds a page type (slab, buddy, table). */
function kpagecount_one(k: Kernel, pfn: number): number {
  if (!pfn_online(k, pfn) || pfn >= k.mem.max_pfn) return 0;
  if (k.mem.flags[pfn] & (PG_slab | PG_buddy | PG_table)) return 0;
  return Math.max(k.mem.page_mapcount(pfn), 0);
}

/** The shared part of both reads: alignment, the end of the file, one u64 per pfn. */
function kpage_read(
  k: Kernel,
  pos: number,
  count: number,
  one: (pfn: number, dv: DataView, at: number) => void,
): Uint8Array | number {
  if (pos % KPMSIZE || count % KPMSIZE) return -EINVAL;
  const end = max_dump_pfn(k) * KPMSIZE;
  if (pos >= end) return new Uint8Array(0);
  const n = Math.min(count, end - pos) / KPMSIZE;
  const out = new Uint8Array(n * KPMSIZE);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) one(pos / KPMSIZE + i, dv, i * KPMSIZE);
  return out;
}

export function kpagecount_read(k: Kernel, pos: number, count: number): Uint8Array | number {
  return kpage_read(k, pos, count, (pfn, dv, at) => dv.setUint32(at, kpagecount_one(k, pfn), true));
}

/** The root memory cgroup's inode number (cgroup_ino of the default hierarchy's root). */
const ROOT_MEMCG_INO = 1;

/** page_cgroup_ino: the memcg a page (its folio) is charged to, as an inode number, or 0. */
function kpagecgroup_one(k: Kernel, pfn: number, huge: Set<number>): number {
  if (!pfn_online(k, pfn) || pfn >= k.mem.max_pfn) return 0;
  const mem = k.mem;
  const head = mem.flags[pfn] & PG_tail ? mem.compound_head(pfn) : pfn;
  const f = mem.flags[head];
  if (f & (PG_slab | PG_table | PG_buddy) || huge.has(head)) return 0;
  if (head === k.zero_pfn || is_huge_zero_page(k, head)) return 0;
  return f & (PG_anon | PG_lru | PG_swapcache) ? ROOT_MEMCG_INO : 0;
}

export function kpagecgroup_read(k: Kernel, pos: number, count: number): Uint8Array | number {
  const huge = huge_heads(k);
  return kpage_read(k, pos, count, (pfn, dv, at) => dv.setUint32(at, kpagecgroup_one(k, pfn, huge), true));
}

export function kpageflags_read(k: Kernel, pos: number, count: number): Uint8Array | number {
  const huge = huge_heads(k);
  return kpage_read(k, pos, count, (pfn, dv, at) => {
    const [lo, hi] = stable_page_flags(k, pfn, huge);
    dv.setUint32(at, lo, true);
    dv.setUint32(at + 4, hi, true);
  });
}
