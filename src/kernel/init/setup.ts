/*
 * setup.ts - setup_arch: what RAM there is and what is already taken
 * (Linux arch/arm/kernel/setup.c + arch/arm/mm/init.c, arch/x86/kernel/e820.c
 * + setup.c, arch/arm64/mm/init.c, kernel/dma/contiguous.c).
 *
 * From the profile and the -m / mem= / cma= settings this registers the RAM
 * ranges with memblock, reserves the kernel image, the initrd, the device
 * tree, the firmware areas and the CMA area, allocates the struct page array,
 * and works out the zone boundaries (max_zone_pfn) and node ranges.
 *
 *  vexpress-a9, 1 GiB (VMSPLIT_3G):
 *   0x60000000 +--------------------+ <- DMA (all lowmem)
 *              | swapper_pg_dir     |
 *   0x60300000 | kernel image       |  _stext .. _end
 *              |  ...               |
 *   0x68000000 | initrd, DTB        |  QEMU: RAM base + min(RAM/2, 128 MiB)
 *              |  ...               |
 *              | mem_map, hashes,   |  memblock allocations, top-down
 *   0x90000000 +--------------------+ <- HighMem (above 768 MiB of lowmem)
 *              |  ...               |
 *   0x9f000000 | CMA (16 MiB)       |
 *   0xa0000000 +--------------------+
 */

import { SIZE } from "../../hw/profiles.js";
import type { Kernel } from "../kernel.js";
import { BUG_ON } from "../lib/bug.js";
import type { MmInitState } from "../mm/mm_init.js";
import { SECTION_SHIFT } from "../mm/mm_types.js";
import { PAGE_SIZE } from "../mm/page_alloc.js";
import { kernel_sections } from "./layout.js";

const { KiB, MiB, GiB } = SIZE;

export interface SetupResult {
  st: MmInitState;
  /** Physical address of _text and of the end of the image. */
  text_start: number;
  image_end: number;
  /** [start, end) of the initrd (the packed rootfs). */
  initrd: [number, number];
  /** [start, end) of .init, freed late in boot. */
  init_section: [number, number];
  /** Extra image parts freed late (x86): [message, start, end]. */
  freed_later: [string, number, number][];
  /** The e820 map, x86 only: [start, end, type]. */
  e820: [number, number, string][];
  /** Lines setup_arch logs at its markers: "@cma", "@swiotlb". */
  log: Map<string, string>;
}

const pageAlign = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
const down = (x: number, a: number): number => Math.floor(x / a) * a;
const up = (x: number, a: number): number => Math.ceil(x / a) * a;

/** setup_arch: memblock, reservations, CMA, zone limits. */
export function setup_arch(
  k: Kernel,
  memBytes: number,
  initrdBytes: number,
  params: Map<string, string>,
  numaNodes: number,
): SetupResult {
  const p = k.profile;
  const mb = k.memblock;
  const e820: [number, number, string][] = [];
  const log = new Map<string, string>();
  let lowRam = memBytes;
  let highRam = 0;

  if (p.arch === "x86_64") {
    // QEMU pc: RAM above 3.5 GiB moves above the 32-bit PCI hole at 3 GiB.
    if (memBytes >= 0xe0000000) {
      lowRam = p.lowRamLimit;
      highRam = memBytes - lowRam;
    }
    const lowTop = lowRam - 0x26000; // SeaBIOS keeps the top 152 KiB of low RAM for ACPI
    e820.push([0, 0x9fc00, "usable"], [0x9fc00, 0xa0000, "reserved"], [0xf0000, 0x100000, "reserved"]);
    e820.push(
      [0x100000, lowTop, "usable"],
      [lowTop, lowRam, "reserved"],
      [0xfffc0000, 0x100000000, "reserved"],
    );
    if (highRam) e820.push([p.highRamStart, p.highRamStart + highRam, "usable"]);
    e820.push([0xfd00000000, 0x10000000000, "reserved"]);
    // Page 0 is trimmed (BIOS data area) and the partial page below the EBDA dropped.
    mb.memblock_add(0x1000, 0x9f000 - 0x1000);
    mb.memblock_add(0x100000, lowTop - 0x100000);
    if (highRam) mb.memblock_add(p.highRamStart, highRam);
  } else {
    mb.memblock_add(p.ramBase, memBytes);
  }

  // mem= caps the RAM the kernel uses.
  const memParam = params.get("mem");
  if (memParam !== undefined) {
    const limit = parseSize(memParam);
    if (limit !== null && limit > 0) mb.memblock_mem_limit_remove_map(limit);
  }

  const memStart = mb.memory[0].base;
  const last = mb.memory[mb.memory.length - 1];
  const memEnd = last.base + last.size;
  const max_pfn = Math.floor(memEnd / PAGE_SIZE);

  // Zone limits (zone_sizes_init / arm_memblock_steal / arm64 zone_dma_bits).
  const zt = k.zt;
  const max_zone_pfn = new Array(zt.MAX_NR_ZONES).fill(0);
  let max_low_pfn = max_pfn;
  if (p.arch === "arm") {
    const lowEnd = Math.min(memEnd, memStart + p.lowmemLimit);
    max_low_pfn = Math.floor(lowEnd / PAGE_SIZE);
    max_zone_pfn[zt.ZONE_DMA] = max_low_pfn;
    max_zone_pfn[zt.ZONE_NORMAL] = max_low_pfn;
    max_zone_pfn[zt.ZONE_HIGHMEM] = max_pfn;
    mb.current_limit = lowEnd;
  } else {
    max_zone_pfn[zt.ZONE_DMA] = Math.min(max_pfn, Math.floor(p.dmaLimit / PAGE_SIZE));
    if (zt.ZONE_DMA32 >= 0)
      max_zone_pfn[zt.ZONE_DMA32] = Math.min(max_pfn, Math.floor(p.dma32Limit / PAGE_SIZE));
    max_zone_pfn[zt.ZONE_NORMAL] = max_pfn;
  }

  // The kernel image (KASLR on x86 picks a 2 MiB-aligned slot from the seed).
  const imgBytes = p.image.reservedKB * KiB;
  let text_start = p.ramBase + p.image.textOffset;
  if (p.image.kaslr) {
    const lo = 16 * MiB;
    const hi = Math.min(lowRam, GiB) - imgBytes - 64 * MiB;
    const slots = Math.max(1, Math.floor((hi - lo) / (2 * MiB)));
    text_start = lo + k.prng.below(slots) * 2 * MiB;
  }
  const reserve_start = text_start + p.image.reserveSkip;
  mb.memblock_reserve(reserve_start, imgBytes, "kernel image");
  const image_end = reserve_start + imgBytes;
  // .init sits after text and rodata; the x86 extras are carved from the image too.
  const sec = kernel_sections(p, text_start);
  // The reservation holds the whole image up to _end: .bss is where the zero page and the vDSO
  // pages live, which must never reach the buddy allocator.
  BUG_ON(image_end < sec.end, "kernel image reservation ends before _end");
  const init_section: [number, number] = [sec.init_begin, sec.init_end];
  const freed_later: [string, number, number][] = [];
  let cursor = p.arch === "x86_64" ? sec.init_end : sec.edata;
  // x86 frees the alignment gaps around rodata (free_kernel_image_pages), and
  // the SMP alternatives and unused .bss..decrypted parts that follow .init.
  for (const [msg, kb] of p.image.freedLater) {
    if (!kb) freed_later.push(["", init_section[0], init_section[1]]);
    else if (msg.includes("text/rodata gap")) freed_later.push([msg, up(sec.etext, PAGE_SIZE), sec.rodata]);
    else if (msg.includes("rodata/data gap"))
      freed_later.push([msg, up(sec.rodata_end, PAGE_SIZE), sec.sdata]);
    else {
      cursor = up(cursor, PAGE_SIZE);
      freed_later.push([msg, cursor, cursor + kb * KiB]);
      cursor += kb * KiB;
    }
  }
  if (p.arch === "x86_64") mb.memblock_reserve(0, MiB, "real mode / BIOS area");

  // The initrd: QEMU loads it at RAM base + min(RAM / 2, 128 MiB) on ARM, at the top of low RAM on a PC.
  let initrdStart: number;
  if (p.arch === "x86_64") {
    const top = down(mb.memory[1].base + mb.memory[1].size - 0xa000, 64 * KiB);
    initrdStart = down(top - initrdBytes, PAGE_SIZE);
  } else initrdStart = memStart + Math.min(Math.floor(memBytes / 2), 128 * MiB);
  const initrd: [number, number] = [initrdStart, initrdStart + pageAlign(initrdBytes)];
  mb.memblock_reserve(initrd[0], initrd[1] - initrd[0], "initrd");
  if (p.dtbSize) mb.memblock_reserve(up(initrd[1], PAGE_SIZE), p.dtbSize, "device tree");

  // CMA: dma_contiguous_reserve at the top of the allowed range.
  const st: MmInitState = {
    max_zone_pfn,
    max_low_pfn,
    max_pfn,
    node_ranges: [],
    nr_kernel_pages: 0,
    nr_all_pages: 0,
    dma_reserve: 0,
    cma: [],
  };
  if (k.cfg.CMA) {
    const cmaParam = params.get("cma");
    const size = cmaParam !== undefined ? (parseSize(cmaParam) ?? p.cmaDefault) : p.cmaDefault;
    if (size > 0) {
      const align = PAGE_SIZE << (k.MAX_ORDER - 1);
      const limit = p.arch === "arm64" ? Math.min(memEnd, 4 * GiB) : memEnd;
      const sz = up(size, align);
      const base = mb.memblock_alloc(sz, align, "cma", limit);
      if (base >= 0) {
        st.cma.push({ base_pfn: base / PAGE_SIZE, count: sz / PAGE_SIZE, name: "reserved" });
        k.totalcma_pages += sz / PAGE_SIZE;
        const addr = `0x${base.toString(16).padStart(p.pointerBits / 4, "0")}`;
        log.set("@cma", `cma: Reserved ${sz / MiB} MiB at ${addr}`);
      } else log.set("@cma", `cma: Failed to reserve ${size / MiB} MiB`);
    }
  }

  // Firmware and arch allocations.
  for (const [name, bytes] of p.archReserved) mb.memblock_alloc(bytes, PAGE_SIZE, name);

  // Nodes.
  const total = max_pfn - Math.floor(memStart / PAGE_SIZE);
  const first_pfn = Math.floor(memStart / PAGE_SIZE);
  if (numaNodes <= 1) st.node_ranges.push([first_pfn, max_pfn]);
  else {
    const per = down(Math.floor(total / numaNodes), 1 << SECTION_SHIFT);
    for (let n = 0; n < numaNodes; n++) {
      const s = first_pfn + n * per;
      st.node_ranges.push([s, n === numaNodes - 1 ? max_pfn : s + per]);
    }
  }

  // The struct page array: FLATMEM on ARM (one array per node), vmemmap
  // sections elsewhere (2 MiB of struct pages per 128 MiB section present).
  if (p.arch === "arm") {
    for (const [s, e] of st.node_ranges) {
      const maxo = 1 << (k.MAX_ORDER - 1);
      const pages = up(e, maxo) - down(s, maxo);
      mb.memblock_alloc(pageAlign(pages * p.structPageSize), PAGE_SIZE, "mem_map");
    }
  } else {
    const pps = 1 << SECTION_SHIFT;
    for (let sec = down(first_pfn, pps); sec < max_pfn; sec += pps) {
      if (mb.memoryIn(sec * PAGE_SIZE, (sec + pps) * PAGE_SIZE) === 0) continue;
      mb.memblock_alloc(pps * p.structPageSize, 2 * MiB, "vmemmap");
    }
  }
  // memblock_find_dma_reserve: pages below 16 MiB that memblock already holds.
  if (p.arch === "x86_64") {
    const lim = 16 * MiB;
    let reserved = 0;
    for (const [b, e] of mb.mergedReserved()) reserved += mb.memoryIn(Math.min(b, lim), Math.min(e, lim));
    st.dma_reserve = Math.floor(reserved / PAGE_SIZE);
  }
  // x86 with RAM above 4 GiB bounces DMA through a 64 MiB software IO TLB.
  if (p.arch === "x86_64" && highRam > 0) {
    const base = mb.memblock_alloc(64 * MiB, 2 * MiB, "swiotlb", 4 * GiB);
    if (base >= 0)
      log.set(
        "@swiotlb",
        `software IO TLB: mapped [mem ${hex16(base)}-${hex16(base + 64 * MiB - 1)}] (64MB)`,
      );
  }
  return { st, text_start, image_end, initrd, init_section, freed_later, e820, log };
}

export function hex16(x: number): string {
  return `0x${x.toString(16).padStart(16, "0")}`;
}

/** memparse: "512M", "1G", "64k", "4096" into bytes; null when malformed. */
export function parseSize(s: string): number | null {
  const m = /^(\d+)([kKmMgGtT]?)$/.exec(s.trim());
  if (!m) return null;
  const mult: Record<string, number> = { "": 1, k: KiB, m: MiB, g: GiB, t: 1024 * GiB };
  return Number(m[1]) * mult[m[2].toLowerCase()];
}
