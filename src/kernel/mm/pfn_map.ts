/*
 * pfn_map.ts - /sys/kernel/debug/mmbox/pfn_map: what every page frame of
 * each zone is used for, as a map (mmbox's own; Linux has the raw material
 * in /proc/kpageflags and tools/mm/page-types.c, and /proc/pagetypeinfo for
 * the pageblocks).
 *
 * Each pfn falls into one class, decided from struct page alone:
 *
 *   class            glyph  test (first that holds)
 *   free               .    inside a PG_buddy block (on a free_area list)
 *   pcp                P    on a per-CPU page list (free, but not the buddy's)
 *   anon               A    PG_anon (anonymous, movable)
 *   file               F    has a mapping or is on an LRU (page cache, movable)
 *   slab_reclaimable   R    PG_slab of a SLAB_RECLAIM_ACCOUNT cache
 *   slab               S    PG_slab of any other cache
 *   pagetable          T    PG_table
 *   kernel             K    allocated, none of the above (stacks, vmalloc...)
 *   reserved           X    PG_reserved and RAM (memblock: image, mem_map...)
 *   hole               ' '  PG_reserved and not RAM
 *
 * Tail pages of a compound page take their head's class. The pfns of a zone
 * are cut into cells of 2^cell_order pages (aligned to their size, so the
 * first cell may start below the zone), the order chosen so that the
 * machine has about PFN_MAP_CELLS cells; a cell is drawn as '.' when all its
 * pages are free, otherwise as the glyph of its most common class (ties go
 * to the earlier class) - upper case when more than half of its RAM is in
 * use, lower case when most of it is free or on pcp lists. A cell without
 * RAM is a blank. A second map gives each pageblock's migrate type as
 * /proc/pagetypeinfo names it (U M R H C I).
 *
 * The file, per populated zone (map lines hold 64 cells after their pfn):
 *
 *   Node 0, zone      DMA
 *     pfn 0x60000-0x63fff cell_order 4 pageblock_order 11
 *     pages free 11000 pcp 62 anon 1350 file 0 ... hole 0
 *     0x60000 XXXXFFAA.....
 *     pageblocks UMMMMMMM
 *
 * Reading walks mem_map once (a peek: nothing changes), so it costs a pass
 * over all pfns; the TUI panel calls pfn_map() directly for the same data.
 */

import { dir, file } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { S_IFREG } from "../uapi/abi.js";
import {
  PG_anon,
  PG_buddy,
  PG_lru,
  PG_reserved,
  PG_slab,
  PG_swapcache,
  PG_table,
  PG_tail,
} from "./mm_types.js";
import type { Zone } from "./mmzone.js";
import { pindex_to_order } from "./page_alloc.js";
import { SLAB_RECLAIM_ACCOUNT } from "./slab.js";

/* Page classes (an enum ending in its count, names and glyphs in parallel tables). */
export const PFN_FREE = 0;
export const PFN_PCP = 1;
export const PFN_ANON = 2;
export const PFN_FILE = 3;
export const PFN_SLAB_RECLAIMABLE = 4;
export const PFN_SLAB = 5;
export const PFN_PAGETABLE = 6;
export const PFN_KERNEL = 7;
export const PFN_RESERVED = 8;
export const PFN_HOLE = 9;
export const NR_PFN_CLASSES = 10;

export const pfn_class_names: readonly string[] = [
  "free",
  "pcp",
  "anon",
  "file",
  "slab_reclaimable",
  "slab",
  "pagetable",
  "kernel",
  "reserved",
  "hole",
];
export const pfn_class_glyphs = ".PAFRSTKX ";

/** Migrate type letters of the pageblock map, in enum migratetype order. */
export const migratetype_glyphs = "UMRHCI";

/** The machine gets about this many cells. */
export const PFN_MAP_CELLS = 1024;
/** Cells per line of the file's map. */
const CELLS_PER_LINE = 64;

/** One zone's map. */
export interface ZonePfnMap {
  node: number;
  name: string;
  start_pfn: number;
  end_pfn: number;
  cell_order: number;
  pageblock_order: number;
  /** Pages of each class (pfn_class_names). */
  pages: number[];
  /** One glyph per cell. */
  cells: string;
  /** One migrate type letter per pageblock. */
  pageblocks: string;
}

/** The cell order that gives the machine about `cells` cells. */
export function pfn_map_cell_order(k: Kernel, cells = PFN_MAP_CELLS): number {
  let spanned = 0;
  for (const z of k.zones) if (z.populated_zone()) spanned += z.spanned_pages;
  let order = 0;
  while (spanned >> order > cells) order++;
  return order;
}

/** Marks the pages on z's per-CPU lists with 1 in `pcp` (indexed from the zone's start). */
function mark_pcp_pages(k: Kernel, z: Zone, pcp: Uint8Array): void {
  const links = k.mem.links;
  for (const set of z.pageset)
    for (let i = 0; i < set.lists.length; i++) {
      const n = 1 << pindex_to_order(k, i);
      const head = set.lists[i];
      for (let p = links.lru[head << 1]; p !== head; p = links.lru[p << 1])
        pcp.fill(1, p - z.zone_start_pfn, p - z.zone_start_pfn + n);
    }
}

/** Marks pfns outside memblock.memory with 1 in `hole`. */
function mark_holes(k: Kernel, z: Zone, hole: Uint8Array): void {
  hole.fill(1);
  for (const r of k.memblock.memory) {
    const lo = Math.max(Math.floor(r.base / 4096), z.zone_start_pfn);
    const hi = Math.min(Math.floor((r.base + r.size) / 4096), z.zone_end_pfn);
    if (lo < hi) hole.fill(0, lo - z.zone_start_pfn, hi - z.zone_start_pfn);
  }
}

/** The class of an allocated, non-tail page. */
function page_class(k: Kernel, pfn: number, f: number): number {
  if (f & PG_slab) {
    const s = k.slab.caches[k.mem.getMapping(pfn) - 1];
    return s && s.flags & SLAB_RECLAIM_ACCOUNT ? PFN_SLAB_RECLAIMABLE : PFN_SLAB;
  }
  if (f & PG_table) return PFN_PAGETABLE;
  if (f & PG_anon) return PFN_ANON;
  if (f & (PG_lru | PG_swapcache) || k.mem.getMapping(pfn) !== 0) return PFN_FILE;
  return PFN_KERNEL;
}

/** The glyph of a cell with `count` pages of each class. */
function cell_glyph(count: Int32Array): string {
  const ram = count.reduce((a, b) => a + b, 0) - count[PFN_HOLE];
  if (ram === 0) return pfn_class_glyphs[PFN_HOLE];
  if (count[PFN_FREE] === ram) return pfn_class_glyphs[PFN_FREE];
  let best = PFN_PCP;
  for (let c = PFN_PCP + 1; c < PFN_HOLE; c++) if (count[c] > count[best]) best = c;
  const in_use = ram - count[PFN_FREE] - count[PFN_PCP];
  const g = pfn_class_glyphs[best];
  return 2 * in_use > ram ? g : g.toLowerCase();
}

/** One zone's map with cells of 2^cell_order pages (a peek: changes nothing). */
export function zone_pfn_map(k: Kernel, z: Zone, cell_order: number): ZonePfnMap {
  const mem = k.mem;
  const start = z.zone_start_pfn;
  const end = z.zone_end_pfn;
  const pcp = new Uint8Array(end - start);
  const hole = new Uint8Array(end - start);
  mark_pcp_pages(k, z, pcp);
  mark_holes(k, z, hole);
  const pages = new Array<number>(NR_PFN_CLASSES).fill(0);
  const count = new Int32Array(NR_PFN_CLASSES);
  let cells = "";
  let head_class = PFN_KERNEL;
  let buddy_end = start; // pfns below this are inside the current free block
  const cell = 1 << cell_order;
  // Cells are aligned to their size: the first one may begin below the zone (x86's DMA starts at pfn 1).
  for (let c = start - (start & (cell - 1)); c < end; c += cell) {
    count.fill(0);
    for (let pfn = Math.max(c, start); pfn < Math.min(c + cell, end); pfn++) {
      const f = mem.flags[pfn];
      let cls: number;
      if (pfn < buddy_end) cls = PFN_FREE;
      else if (f & PG_buddy) {
        buddy_end = pfn + (1 << mem.order(pfn));
        cls = PFN_FREE;
      } else if (pcp[pfn - start]) cls = PFN_PCP;
      else if (f & PG_reserved) cls = hole[pfn - start] ? PFN_HOLE : PFN_RESERVED;
      else if (f & PG_tail) cls = head_class;
      else cls = head_class = page_class(k, pfn, f);
      count[cls]++;
    }
    for (let i = 0; i < NR_PFN_CLASSES; i++) pages[i] += count[i];
    cells += cell_glyph(count);
  }
  let pageblocks = "";
  const pageblock = 1 << mem.pageblock_order;
  for (let pfn = start - (start & (pageblock - 1)); pfn < end; pfn += pageblock)
    pageblocks += migratetype_glyphs[mem.get_pageblock_migratetype(pfn)] ?? "?";
  return {
    node: z.node,
    name: z.name,
    start_pfn: start,
    end_pfn: end,
    cell_order,
    pageblock_order: mem.pageblock_order,
    pages,
    cells,
    pageblocks,
  };
}

/** Every populated zone's map; cell_order defaults to pfn_map_cell_order(). */
export function pfn_map(k: Kernel, cell_order = pfn_map_cell_order(k)): ZonePfnMap[] {
  return k.zones.filter((z) => z.populated_zone()).map((z) => zone_pfn_map(k, z, cell_order));
}

/** The debugfs file's text (see the comment at the top). */
export function pfn_map_show(k: Kernel): string {
  let s = "";
  const hex = (n: number): string => `0x${n.toString(16)}`;
  for (const m of pfn_map(k)) {
    s += `Node ${m.node}, zone ${m.name.padStart(8)}\n`;
    s += `  pfn ${hex(m.start_pfn)}-${hex(m.end_pfn - 1)} cell_order ${m.cell_order} pageblock_order ${m.pageblock_order}\n`;
    s += `  pages ${pfn_class_names.map((n, i) => `${n} ${m.pages[i]}`).join(" ")}\n`;
    const first = m.start_pfn - (m.start_pfn & ((1 << m.cell_order) - 1));
    for (let i = 0; i < m.cells.length; i += CELLS_PER_LINE)
      s += `  ${hex(first + (i << m.cell_order))} ${m.cells.slice(i, i + CELLS_PER_LINE)}\n`;
    s += `  pageblocks ${m.pageblocks}\n`;
  }
  return s;
}

/** Registers /sys/kernel/debug/mmbox/pfn_map (at mem_init; debugfs is built at mount). */
export function pfn_map_init(k: Kernel): void {
  k.debugfs_extra.push(dir("mmbox", [file("pfn_map", (kk) => pfn_map_show(kk), { mode: S_IFREG | 0o444 })]));
}
