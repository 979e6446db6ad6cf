/*
 * highmem.ts - temporary kernel mappings of HighMem pages (Linux
 * mm/highmem.c, arch/arm/mm/highmem.c, include/linux/highmem-internal.h).
 *
 * On 32-bit ARM only lowmem (the first 768 MiB here) is mapped into the
 * kernel's address space for good. To touch a HighMem page's bytes the
 * kernel maps it for a moment:
 *
 *   kmap(page)          a pkmap entry: one of LAST_PKMAP (512) PTEs at
 *                       PKMAP_BASE 0xbfe00000..0xc0000000; may sleep; the
 *                       same page mapped twice shares its entry (counted)
 *   kmap_local_page()   a fixmap slot of this CPU (KM_MAX_IDX = 16 each,
 *                       below FIXADDR_TOP 0xffeff000), stacked: unmapped in
 *                       reverse order; never sleeps (kmap_atomic too)
 *
 * pkmap_count[i]: 0 free, 1 mapped but unused (its TLB entry may still be
 * live: flushed in one go, flush_all_zero_pkmaps, when the search for a
 * free entry wraps around), n > 1 in use by n - 1 users.
 *
 * A lowmem page (or any page on a 64-bit kernel) needs no mapping: both
 * calls return its linear-map address. /sys/kernel/debug/highmem counts
 * what happened.
 */

import { file, type ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { object_array } from "../lib/shapes.js";
import { S_IFREG } from "../uapi/abi.js";
import type { Zone } from "./mmzone.js";
import { page_zone } from "./page_alloc.js";

export const LAST_PKMAP = 512;
export const PKMAP_BASE = 0xbfe00000;
export const KM_MAX_IDX = 16;
const FIXADDR_TOP = 0xfff00000 - 4096;
const FIX_KMAP_BEGIN = 1; // after FIX_EARLYCON_MEM_BASE

export interface HighmemState {
  pkmap_count: Int32Array;
  pkmap_page: Int32Array; // pfn mapped by each entry, -1 when none
  page_address: Map<number, number>; // pfn -> pkmap entry (page_address_htable)
  last_pkmap_nr: number;
  /** Per CPU: the pfns of the kmap_local slots in use, innermost last. */
  kmap_local: number[][];
  /* what /sys/kernel/debug/highmem shows */
  nr_kmap: number;
  nr_kunmap: number;
  nr_kmap_local: number;
  nr_kunmap_local: number;
  nr_flush: number;
  nr_lowmem: number; // calls that needed no mapping
}

/** (A class, not an object literal: see lib/shapes.ts.) */
class Highmem implements HighmemState {
  pkmap_count = new Int32Array(LAST_PKMAP);
  pkmap_page = new Int32Array(LAST_PKMAP).fill(-1);
  page_address = new Map<number, number>();
  last_pkmap_nr = 0;
  kmap_local: number[][] = object_array();
  nr_kmap = 0;
  nr_kunmap = 0;
  nr_kmap_local = 0;
  nr_kunmap_local = 0;
  nr_flush = 0;
  nr_lowmem = 0;
}

export function new_highmem_state(): HighmemState {
  return new Highmem();
}

export function PageHighMem(k: Kernel, pfn: number): boolean {
  return k.zt.ZONE_HIGHMEM >= 0 && page_zone(k, pfn).zone_idx === k.zt.ZONE_HIGHMEM;
}

/** The linear-map address of a lowmem page (page_address); 64-bit addresses in their low 48 bits. */
function lowmem_address(k: Kernel, pfn: number): number {
  const p = k.profile;
  if (p.arch === "arm") {
    k.pkmap.nr_lowmem++;
    return p.vmsplit!.pageOffset + (pfn * 4096 - p.ramBase);
  }
  return p.arch === "x86_64" ? 0x888000000000 + pfn * 4096 : pfn * 4096 - p.ramBase;
}

function PKMAP_ADDR(nr: number): number {
  return PKMAP_BASE + nr * 4096;
}

/** flush_all_zero_pkmaps: entries nobody uses any more become free (one TLB flush). */
function flush_all_zero_pkmaps(k: Kernel): void {
  const h = k.pkmap;
  h.nr_flush++;
  for (let i = 0; i < LAST_PKMAP; i++) {
    if (h.pkmap_count[i] !== 1) continue;
    h.pkmap_count[i] = 0;
    h.page_address.delete(h.pkmap_page[i]);
    h.pkmap_page[i] = -1;
  }
}

/** map_new_virtual: the next free pkmap entry after the last one used. */
function map_new_virtual(k: Kernel, pfn: number): number {
  const h = k.pkmap;
  let count = LAST_PKMAP;
  for (;;) {
    h.last_pkmap_nr = (h.last_pkmap_nr + 1) & (LAST_PKMAP - 1);
    if (h.last_pkmap_nr === 0) {
      flush_all_zero_pkmaps(k);
      count = LAST_PKMAP;
    }
    if (!h.pkmap_count[h.last_pkmap_nr]) break;
    if (--count) continue;
    BUG("kmap: every pkmap entry is in use");
  }
  const nr = h.last_pkmap_nr;
  h.pkmap_count[nr] = 1;
  h.pkmap_page[nr] = pfn;
  h.page_address.set(pfn, nr);
  return nr;
}

/** kmap: a mapping that may be held across sleeps; returns the kernel address. */
export function kmap(k: Kernel, pfn: number): number {
  if (!PageHighMem(k, pfn)) return lowmem_address(k, pfn);
  const h = k.pkmap;
  h.nr_kmap++;
  let nr = h.page_address.get(pfn);
  if (nr === undefined) nr = map_new_virtual(k, pfn);
  h.pkmap_count[nr]++;
  return PKMAP_ADDR(nr);
}

/** kunmap: drop one user of the page's pkmap entry. */
export function kunmap(k: Kernel, pfn: number): void {
  if (!PageHighMem(k, pfn)) return;
  const h = k.pkmap;
  const nr = h.page_address.get(pfn);
  if (nr === undefined || h.pkmap_count[nr] < 2) BUG("kunmap of a page that is not kmapped");
  h.nr_kunmap++;
  h.pkmap_count[nr]--;
}

/** kmap_local_page (and kmap_atomic): this CPU's next fixmap slot. */
export function kmap_local_page(k: Kernel, pfn: number): number {
  if (!PageHighMem(k, pfn)) return lowmem_address(k, pfn);
  const h = k.pkmap;
  const stack = h.kmap_local[k.cpu] ?? (h.kmap_local[k.cpu] = []);
  if (stack.length >= KM_MAX_IDX) BUG("kmap_local: no free slot (KM_MAX_IDX)");
  stack.push(pfn);
  h.nr_kmap_local++;
  const idx = FIX_KMAP_BEGIN + stack.length - 1 + KM_MAX_IDX * k.cpu;
  return FIXADDR_TOP - idx * 4096;
}

/** kunmap_local: releases the innermost slot of this CPU. */
export function kunmap_local(k: Kernel, pfn: number): void {
  if (!PageHighMem(k, pfn)) return;
  const stack = k.pkmap.kmap_local[k.cpu];
  if (!stack?.length || stack[stack.length - 1] !== pfn) BUG("kunmap_local out of order");
  stack.pop();
  k.pkmap.nr_kunmap_local++;
}

/**
 * kmap_local_page then kunmap_local of one page, with nothing mapped in
 * between (clear_user_highpage around its clear_page); zone is the page's
 * (the caller has it at hand).
 */
export function kmap_local_page_pair(k: Kernel, zone: Zone): void {
  const h = k.pkmap;
  const highmem = k.zt.ZONE_HIGHMEM;
  // PageHighMem
  const low = highmem < 0 || zone.zone_idx !== highmem;
  // lowmem_address's count, without the address nobody uses. (Added on every call: a count
  // bumped only in a branch that the first machine of a process seldom took deoptimized the
  // fault path of the next one.)
  h.nr_lowmem += k.profile.arch === "arm" && low ? 1 : 0;
  if (low) return;
  // kmap_local_page's slot, given back at once by kunmap_local: only their counts remain.
  const stack = h.kmap_local[k.cpu] ?? (h.kmap_local[k.cpu] = []);
  if (stack.length >= KM_MAX_IDX) BUG("kmap_local: no free slot (KM_MAX_IDX)");
  h.nr_kmap_local++;
  h.nr_kunmap_local++;
}

/**
 * kmap_local_page_pair(k, zone) nr times (a run of faults clearing its
 * pages, anon_fault_run.ts): the same counts.
 */
export function kmap_local_page_pairs(k: Kernel, zone: Zone, nr: number): void {
  const h = k.pkmap;
  const highmem = k.zt.ZONE_HIGHMEM;
  const low = highmem < 0 || zone.zone_idx !== highmem;
  if (k.profile.arch === "arm" && low) h.nr_lowmem += nr;
  if (low) return;
  const stack = h.kmap_local[k.cpu] ?? (h.kmap_local[k.cpu] = []);
  if (stack.length >= KM_MAX_IDX) BUG("kmap_local: no free slot (KM_MAX_IDX)");
  h.nr_kmap_local += nr;
  h.nr_kunmap_local += nr;
}

export const kmap_atomic = kmap_local_page;
export const kunmap_atomic = kunmap_local;

/** /sys/kernel/debug/highmem (mmbox's own file). */
function highmem_show(k: Kernel): string {
  const h = k.pkmap;
  let used = 0;
  let mapped = 0;
  for (let i = 0; i < LAST_PKMAP; i++) {
    if (h.pkmap_count[i] > 1) used++;
    if (h.pkmap_count[i] >= 1) mapped++;
  }
  const row = (name: string, v: number): string =>
    `${`${name}:`.padEnd(24, " ")}${String(v).padStart(10, " ")}\n`;
  let out = "";
  out += row("pkmap entries", LAST_PKMAP);
  out += row("pkmap entries in use", used);
  out += row("pkmap entries mapped", mapped);
  out += row("pkmap flushes", h.nr_flush);
  out += row("kmap", h.nr_kmap);
  out += row("kunmap", h.nr_kunmap);
  out += row("kmap_local", h.nr_kmap_local);
  out += row("kunmap_local", h.nr_kunmap_local);
  out += row("lowmem pages (no map)", h.nr_lowmem);
  return out;
}

export function highmem_debugfs_entry(): ProcEntry {
  return file("highmem", (kk) => highmem_show(kk), { mode: S_IFREG | 0o444 });
}
