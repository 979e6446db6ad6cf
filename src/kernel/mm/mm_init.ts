/*
 * mm_init.ts - from memblock to the buddy allocator (Linux mm/mm_init.c and
 * the init parts of mm/page_alloc.c, memblock.c, highmem setup in
 * arch/arm/mm/init.c, mem_init_print_info).
 *
 * Boot order, as start_kernel does it:
 *   free_area_init       size each node and zone (spanned/present), create
 *                        struct pages (all PG_reserved), mark every pageblock
 *                        MIGRATE_MOVABLE, print the zone ranges
 *   memblock_free_all    hand every free lowmem page to the buddy allocator in
 *                        aligned max-order chunks; ARM frees HighMem itself;
 *                        x86 defers most of its highest zone to later
 *   mem_init_print_info  the "Memory: ...K/...K available" line
 *   cma_init_reserved_areas   CMA pageblocks go to the buddy as MIGRATE_CMA
 *   deferred_init_memmap      x86: the deferred pages join late in boot
 *   free_reserved_area   initrd and __init memory given back at the end
 */

import { sprintf } from "../../lib/sprintf.js";
import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { MemMap, PG_reserved, SECTION_SHIFT } from "./mm_types.js";
import { MIGRATE_CMA, MIGRATE_MOVABLE, MIGRATE_TYPES, NR_FREE_PAGES, PglistData, Zone } from "./mmzone.js";
import { __free_pages, __free_pages_core, build_all_zonelists, PAGE_SHIFT, PAGE_SIZE } from "./page_alloc.js";
import { boot_pagesets } from "./watermark.js";

const info = (k: Kernel, s: string): void => k.printk.printk(KERN_INFO, s);

/** "%#018Lx" as the boot log prints physical addresses. */
export function phys(addr: number): string {
  return `0x${addr.toString(16).padStart(16, "0")}`;
}

/** A CMA area reserved at boot (mm/cma.c struct cma). */
export interface CmaArea {
  base_pfn: number;
  count: number;
  name: string;
}

/** Boot-time facts the later steps need. */
export interface MmInitState {
  /** Per zone type: exclusive end pfn (max_zone_pfn[]). */
  max_zone_pfn: number[];
  /** The last pfn of lowmem + 1 (max_low_pfn); all of RAM where there is no HighMem. */
  max_low_pfn: number;
  max_pfn: number;
  /** Node pfn ranges [start, end) (one per NUMA node). */
  node_ranges: [number, number][];
  nr_kernel_pages: number;
  nr_all_pages: number;
  /** x86: reserved pages below 16 MiB, kept out of ZONE_DMA's estimate (set_dma_reserve). */
  dma_reserve: number;
  cma: CmaArea[];
}

/**
 * free_area_init: size zones and nodes, build the struct page array and
 * print the layout lines of the boot log.
 */
export function free_area_init(k: Kernel, st: MmInitState): void {
  const zt = k.zt;
  const names = k.profile.zones;
  const mb = k.memblock;
  const arch_lowest: number[] = [];
  const arch_highest: number[] = [];
  let start_pfn = Math.floor(mb.memory[0].base / PAGE_SIZE);
  // Zone type boundaries: each zone type begins where the previous one ended.
  for (let i = 0; i < zt.MAX_NR_ZONES; i++) {
    if (i === zt.ZONE_MOVABLE || i === zt.ZONE_DEVICE) {
      arch_lowest.push(0);
      arch_highest.push(0);
      continue;
    }
    const end_pfn = Math.max(st.max_zone_pfn[i], start_pfn);
    arch_lowest.push(start_pfn);
    arch_highest.push(end_pfn);
    start_pfn = end_pfn;
  }

  info(k, "Zone ranges:");
  for (let i = 0; i < zt.MAX_NR_ZONES; i++) {
    if (i === zt.ZONE_MOVABLE) continue;
    const name = `  ${names[i].padEnd(8, " ")} `;
    if (arch_lowest[i] === arch_highest[i]) info(k, `${name}empty`);
    else info(k, `${name}[mem ${phys(arch_lowest[i] * PAGE_SIZE)}-${phys(arch_highest[i] * PAGE_SIZE - 1)}]`);
  }
  info(k, "Movable zone start for each node");
  info(k, "Early memory node ranges");
  for (const [ni, [ns, ne]] of st.node_ranges.entries()) {
    for (const m of mb.memory) {
      const b = Math.max(m.base, ns * PAGE_SIZE);
      const e = Math.min(m.base + m.size, ne * PAGE_SIZE);
      if (e > b) info(k, `  node ${String(ni).padStart(3, " ")}: [mem ${phys(b)}-${phys(e - 1)}]`);
    }
  }

  k.mem = new MemMap(st.max_pfn, k.pageblock_order);
  k.mem.flags.fill(PG_reserved);
  const memmap_pages = (spanned: number, present: number): number => {
    let pages = spanned;
    if (k.profile.arch !== "arm" && spanned > present + (present >> 4)) pages = present;
    return Math.ceil((pages * k.profile.structPageSize) / PAGE_SIZE);
  };

  k.nodes = [];
  k.zones = [];
  for (const [nid, [ns, ne]] of st.node_ranges.entries()) {
    const pgdat = new PglistData(nid);
    pgdat.node_start_pfn = ns;
    pgdat.node_spanned_pages = ne - ns;
    pgdat.node_present_pages = pagesIn(k, ns, ne);
    info(k, `Initmem setup node ${nid} [mem ${phys(ns * PAGE_SIZE)}-${phys(ne * PAGE_SIZE - 1)}]`);
    for (let i = 0; i < zt.MAX_NR_ZONES; i++) {
      const z = new Zone(names[i], i, nid, k.zones.length, zt.MAX_NR_ZONES, k.MAX_ORDER);
      const zs = Math.max(ns, arch_lowest[i]);
      const ze = Math.min(ne, arch_highest[i]);
      if (ze > zs) {
        z.zone_start_pfn = zs;
        z.spanned_pages = ze - zs;
        z.present_pages = pagesIn(k, zs, ze);
      }
      // zone_init_internals: an estimate of managed pages, fixed up by memblock_free_all
      let freesize = z.present_pages;
      const mm = memmap_pages(z.spanned_pages, z.present_pages);
      if (i !== zt.ZONE_HIGHMEM && freesize >= mm) freesize -= mm;
      if (i === 0 && freesize > st.dma_reserve) freesize -= st.dma_reserve;
      if (i !== zt.ZONE_HIGHMEM) st.nr_kernel_pages += freesize;
      else if (st.nr_kernel_pages > mm * 2) st.nr_kernel_pages -= mm;
      st.nr_all_pages += freesize;
      z.managed_pages = freesize;
      z.free_list_base = k.mem.links.newHeads(k.MAX_ORDER * MIGRATE_TYPES);
      z.pageset = boot_pagesets(k);
      pgdat.node_zones.push(z);
      k.zones.push(z);
    }
    for (let l = 0; l < pgdat.lru_lists.length; l++) pgdat.lru_lists[l] = k.mem.links.newHead();
    k.nodes.push(pgdat);
  }
  memmap_init(k);
}

/** Pages of memblock memory in the pfn range [s, e). */
function pagesIn(k: Kernel, s: number, e: number): number {
  return Math.floor(k.memblock.memoryIn(s * PAGE_SIZE, e * PAGE_SIZE) / PAGE_SIZE);
}

/**
 * memmap_init: every pageblock learns its zone and starts MIGRATE_MOVABLE;
 * holes inside a zone (and up to the MAX_ORDER-aligned zone end) are counted
 * as "unavailable ranges" the way x86 reports them.
 */
function memmap_init(k: Kernel): void {
  const mem = k.mem;
  const pbo = k.pageblock_order;
  for (const z of k.zones) {
    if (!z.spanned_pages) continue;
    const first = z.zone_start_pfn >>> pbo;
    const last = (z.zone_end_pfn - 1) >>> pbo;
    for (let b = first; b <= last; b++) {
      mem.pageblock_zone[b] = z.id;
      mem.pageblock_mt[b] = MIGRATE_MOVABLE;
    }
  }
  if (k.profile.arch !== "x86_64") return;
  // init_unavailable_range reports, per zone, the pfns that are not memory.
  const maxOrderPages = 1 << (k.MAX_ORDER - 1);
  let hole = 0;
  const ranges = k.memblock.memory.map((m) => [m.base / PAGE_SIZE, (m.base + m.size) / PAGE_SIZE]);
  const report = (zoneOf: number, from: number, to: number): void => {
    if (to > from)
      info(k, `On node 0, zone ${k.zones[zoneOf].name}: ${to - from} pages in unavailable ranges`);
  };
  for (const [s, e] of ranges) {
    if (s > hole) report(zoneIdFor(k, s), hole, s);
    hole = Math.ceil(e);
  }
  const last = k.zones.filter((z) => z.spanned_pages).pop();
  if (last) report(last.id, hole, Math.ceil(hole / maxOrderPages) * maxOrderPages);
}

function zoneIdFor(k: Kernel, pfn: number): number {
  for (const z of k.zones) if (z.spanned_pages && z.zone_spans_pfn(pfn)) return z.id;
  return k.zones[0].id;
}

/**
 * defer_init (x86, CONFIG_DEFERRED_STRUCT_PAGE_INIT): only the lower zones and
 * the first section-aligned stretch of a node's highest zone are initialised
 * before mem_init; the rest waits for deferred_init_memmap.
 */
export function compute_first_deferred_pfn(k: Kernel): void {
  if (!k.cfg.DEFERRED_STRUCT_PAGE_INIT) return;
  const pps = 1 << SECTION_SHIFT;
  for (const pgdat of k.nodes) {
    const top = pgdat.node_zones
      .filter((z) => z.spanned_pages && z.zone_end_pfn === pgdat.node_end_pfn)
      .pop();
    if (!top) continue;
    let counted = 0;
    for (const m of k.memblock.memory) {
      const s = Math.max(top.zone_start_pfn, Math.ceil(m.base / PAGE_SIZE));
      const e = Math.min(top.zone_end_pfn, Math.floor((m.base + m.size) / PAGE_SIZE));
      if (e <= s) continue;
      if (counted + (e - s) <= pps) {
        counted += e - s;
        continue;
      }
      // The first section boundary after more than a section's worth of pages.
      const after = s + (pps - counted) + 1;
      const first = Math.ceil(after / pps) * pps;
      if (first < e) {
        pgdat.first_deferred_pfn = first;
        break;
      }
      counted += e - s;
    }
  }
}

function deferred(k: Kernel, pfn: number): boolean {
  for (const pgdat of k.nodes) if (pfn >= pgdat.first_deferred_pfn && pfn < pgdat.node_end_pfn) return true;
  return false;
}

/** __free_pages_memory: free [start, end) in the largest aligned chunks that fit. */
function __free_pages_memory(k: Kernel, start: number, end: number, skipDeferred: boolean): void {
  const maxo = k.MAX_ORDER - 1;
  while (start < end) {
    let order = Math.min(maxo, start === 0 ? maxo : ctz(start));
    while (start + (1 << order) > end) order--;
    if (!(skipDeferred && deferred(k, start))) __free_pages_core(k, start, order);
    start += 1 << order;
  }
}

function ctz(x: number): number {
  let n = 0;
  while ((x & 1) === 0 && n < 31) {
    x = Math.floor(x / 2);
    n++;
  }
  return n;
}

/**
 * memblock_free_all: every free lowmem range goes to the buddy allocator;
 * totalram_pages counts them all, deferred ones included. On HIGHMEM kernels
 * the architecture then frees the highmem ranges (free_highpages).
 */
export function memblock_free_all(k: Kernel, st: MmInitState): void {
  for (const z of k.zones) z.managed_pages = 0;
  for (const [b, e] of k.memblock.freeRanges()) {
    const s = Math.ceil(b / PAGE_SIZE);
    const end = Math.min(Math.floor(e / PAGE_SIZE), st.max_low_pfn);
    if (end <= s) continue;
    __free_pages_memory(k, s, end, true);
    k.totalram_pages += end - s;
  }
  if (k.zt.ZONE_HIGHMEM < 0) return;
  for (const [b, e] of k.memblock.freeRanges()) {
    const s = Math.max(Math.ceil(b / PAGE_SIZE), st.max_low_pfn);
    const end = Math.floor(e / PAGE_SIZE);
    if (end <= s) continue;
    __free_pages_memory(k, s, end, false);
    k.totalram_pages += end - s;
  }
}

/** Pages of the HighMem zones that the buddy allocator manages. */
export function totalhigh_pages(k: Kernel): number {
  let n = 0;
  for (const z of k.zones) if (z.zone_idx === k.zt.ZONE_HIGHMEM) n += z.managed_pages;
  return n;
}

export function nr_free_pages(k: Kernel): number {
  let n = 0;
  for (const z of k.zones) n += z.zone_page_state(NR_FREE_PAGES);
  return n;
}

export function get_num_physpages(k: Kernel): number {
  let n = 0;
  for (const pgdat of k.nodes) n += pgdat.node_present_pages;
  return n;
}

/** mem_init_print_info: the "Memory:" line of the boot log. */
export function mem_init_print_info(k: Kernel): void {
  const img = k.profile.image;
  const K = (p: number): number => p * 4;
  const physpages = get_num_physpages(k);
  let line = sprintf(
    "Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, %luK bss, %luK reserved, %luK cma-reserved",
    K(nr_free_pages(k)),
    K(physpages),
    img.textKB,
    img.rwdataKB,
    img.rodataKB,
    img.initKB,
    img.bssKB,
    K(physpages - k.totalram_pages - k.totalcma_pages),
    K(k.totalcma_pages),
  );
  if (k.cfg.HIGHMEM) line += `, ${K(totalhigh_pages(k))}K highmem`;
  info(k, `${line})`);
}

/**
 * cma_init_reserved_areas: each CMA pageblock becomes MIGRATE_CMA and its
 * pages join the buddy allocator (and MemTotal).
 */
export function cma_init_reserved_areas(k: Kernel, st: MmInitState): void {
  const pbn = k.pageblock_nr_pages;
  for (const cma of st.cma) {
    for (let pfn = cma.base_pfn; pfn < cma.base_pfn + cma.count; pfn += pbn) {
      k.mem.set_pageblock_migratetype(pfn, MIGRATE_CMA);
      const order = Math.min(k.pageblock_order, k.MAX_ORDER - 1);
      for (let p = pfn; p < pfn + pbn; p += 1 << order) {
        for (let i = 0; i < 1 << order; i++) k.mem.clear(p + i, PG_reserved);
        k.mem.set_page_count(p, 1);
        zoneOf(k, p).nr_in_use += 1 << order;
        __free_pages(k, p, order);
      }
      adjust_managed_page_count(k, pfn, pbn);
      zoneOf(k, pfn).cma_pages += pbn;
    }
  }
}

function zoneOf(k: Kernel, pfn: number): Zone {
  return k.zones[k.mem.pageblock_zone[pfn >>> k.pageblock_order]];
}

export function adjust_managed_page_count(k: Kernel, pfn: number, count: number): void {
  zoneOf(k, pfn).managed_pages += count;
  k.totalram_pages += count;
}

/** deferred_init_memmap: x86's deferred pages join the buddy allocator. */
export function deferred_init_memmap(k: Kernel): void {
  for (const pgdat of k.nodes) {
    if (pgdat.first_deferred_pfn >= pgdat.node_end_pfn) continue;
    const startNs = k.clock.ns;
    let nr = 0;
    for (const [b, e] of k.memblock.freeRanges()) {
      const s = Math.max(Math.ceil(b / PAGE_SIZE), pgdat.first_deferred_pfn);
      const end = Math.min(Math.floor(e / PAGE_SIZE), pgdat.node_end_pfn);
      if (end <= s) continue;
      __free_pages_memory(k, s, end, false);
      nr += end - s;
    }
    pgdat.first_deferred_pfn = Number.MAX_SAFE_INTEGER;
    // Struct page initialisation runs at roughly 40 ns a page on the reference machine.
    k.clock.advance(nr * 40);
    const ms = Math.round((k.clock.ns - startNs) / 1e6);
    info(k, `node ${pgdat.node_id} deferred pages initialised in ${ms}ms`);
  }
  build_all_zonelists(k);
}

/**
 * free_reserved_area: give a boot-only range (initrd, __init sections) back to
 * the buddy allocator a page at a time, as free_reserved_page does, and log
 * "Freeing <what> memory: NK". Returns the pages freed.
 */
export function free_reserved_area(k: Kernel, start: number, end: number, what: string): number {
  const s = Math.ceil(start / PAGE_SIZE);
  const e = Math.floor(end / PAGE_SIZE);
  let pages = 0;
  for (let pfn = s; pfn < e; pfn++) {
    if (!k.mem.test(pfn, PG_reserved)) continue;
    k.mem.clear(pfn, PG_reserved);
    k.mem.set_page_count(pfn, 1);
    zoneOf(k, pfn).nr_in_use++;
    __free_pages(k, pfn, 0);
    adjust_managed_page_count(k, pfn, 1);
    pages++;
  }
  if (what) info(k, `Freeing ${what} memory: ${pages << (PAGE_SHIFT - 10)}K`);
  return pages;
}
