/*
 * watermark.ts - per-zone watermarks, lowmem reserves and per-CPU list sizes
 * (the part of Linux mm/page_alloc.c that runs at init and whenever
 * min_free_kbytes, watermark_scale_factor or lowmem_reserve_ratio is written).
 *
 *   min_free_kbytes      sqrt(16 * lowmem KiB), clamped to [128, 262144]
 *                        (x86 with THP raises it so two pageblocks per zone
 *                        and migrate type can stay free)
 *   WMARK_MIN            min_free_kbytes shared among lowmem zones by size;
 *                        HighMem/Movable get managed/1024 clamped to [32, 128]
 *   WMARK_LOW, HIGH      MIN + max(min/4, managed * scale_factor / 10000), twice
 *   lowmem_reserve[j]    pages zone i keeps back from requests that could
 *                        have been served by zone j: sum(managed of zones
 *                        i+1..j) / lowmem_reserve_ratio[i]
 *   pcp batch            managed/1024/4, clamped to 256/4, made 2^n - 1
 *   pcp high             low watermark / CPUs of the node, at least 4*batch
 */

import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { GFP_HIGHUSER_MOVABLE, GFP_USER } from "./gfp.js";
import { MIGRATE_PCPTYPES, type PerCpuPages, WMARK_HIGH, WMARK_LOW, WMARK_MIN, type Zone } from "./mmzone.js";
import { free_pcppages_bulk, gfp_zone, PAGE_ALLOC_COSTLY_ORDER } from "./page_alloc.js";

const SWAP_CLUSTER_MAX = 32;

export function nr_pcp_lists(k: Kernel): number {
  return MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1) + (k.cfg.TRANSPARENT_HUGEPAGE ? 1 : 0);
}

/** The boot pagesets: high 0, batch 1, so every free goes straight to the buddy lists. */
export function boot_pagesets(k: Kernel): PerCpuPages[] {
  const out: PerCpuPages[] = [];
  for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++) {
    const lists = new Int32Array(nr_pcp_lists(k));
    const base = k.mem.links.newHeads(lists.length);
    for (let i = 0; i < lists.length; i++) lists[i] = base + i;
    out.push({ count: 0, high: 0, batch: 1, free_factor: 0, lists });
  }
  return out;
}

function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

function rounddown_pow_of_two(x: number): number {
  return x <= 0 ? 0 : 2 ** (fls(x) - 1);
}

/** zone_batchsize: pages moved between the buddy and pcp lists at a time. */
export function zone_batchsize(zone: Zone): number {
  let batch = Math.min(zone.managed_pages >> 10, (1024 * 1024) / 4096);
  batch = Math.floor(batch / 4);
  if (batch < 1) batch = 1;
  return rounddown_pow_of_two(batch + (batch >> 1)) - 1;
}

/** zone_highsize: the pcp high mark, from the low watermark split over the node's CPUs. */
export function zone_highsize(k: Kernel, zone: Zone, batch: number, cpu_online: number): number {
  let total_pages: number;
  const frac = k.sysctl_vm.percpu_pagelist_high_fraction;
  if (!frac) total_pages = zone.low_wmark_pages();
  else total_pages = Math.floor(zone.managed_pages / frac);
  let nr_split_cpus = cpus_of_node(k, zone.node) + cpu_online;
  if (!nr_split_cpus) nr_split_cpus = k.nr_cpu_ids;
  const high = Math.floor(total_pages / nr_split_cpus);
  return Math.max(high, batch << 2);
}

function cpus_of_node(k: Kernel, nid: number): number {
  let n = 0;
  for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++)
    if ((k.nodes.length === 1 ? 0 : cpu % k.nodes.length) === nid) n++;
  return n;
}

/** zone_pcp_update: recompute high/batch for every CPU's pageset of a zone. */
export function zone_pcp_update(k: Kernel, zone: Zone, cpu_online: number): void {
  const batch = Math.max(1, zone_batchsize(zone));
  const high = zone_highsize(k, zone, batch, cpu_online);
  for (const pcp of zone.pageset) {
    pcp.high = high;
    pcp.batch = batch;
    if (pcp.count > high) free_pcppages_bulk(k, zone, pcp.count - high, pcp, 0);
  }
}

/** setup_per_cpu_pageset: from boot pagesets to the real high/batch values. */
export function setup_per_cpu_pageset(k: Kernel): void {
  for (const z of k.zones) zone_pcp_update(k, z, 0);
}

/** nr_free_zone_pages: managed pages above the high watermark in zones up to `offset`. */
export function nr_free_zone_pages(k: Kernel, highest_zoneidx: number): number {
  let sum = 0;
  for (const z of k.zones) {
    if (z.zone_idx > highest_zoneidx) continue;
    const size = z.managed_pages;
    const high = z.high_wmark_pages();
    if (size > high) sum += size - high;
  }
  return sum;
}

export function nr_free_buffer_pages(k: Kernel): number {
  return nr_free_zone_pages(k, gfp_zone(k, GFP_USER));
}

/** The "Total pages" figure of the "Built N zonelists" boot line. */
export function vm_total_pages(k: Kernel): number {
  return nr_free_zone_pages(k, gfp_zone(k, GFP_HIGHUSER_MOVABLE));
}

/** calculate_min_free_kbytes: int_sqrt(lowmem_kbytes * 16), clamped. */
export function calculate_min_free_kbytes(k: Kernel): void {
  const lowmem_kbytes = nr_free_buffer_pages(k) * 4;
  const v = Math.floor(Math.sqrt(lowmem_kbytes * 16));
  if (v > k.sysctl_vm.user_min_free_kbytes) k.sysctl_vm.min_free_kbytes = Math.min(Math.max(v, 128), 262144);
  else
    k.printk.printk(
      4,
      `min_free_kbytes is not updated to ${v} because user defined value ${k.sysctl_vm.user_min_free_kbytes} is preferred`,
    );
}

function is_highmem_or_movable(k: Kernel, z: Zone): boolean {
  return z.zone_idx === k.zt.ZONE_HIGHMEM || z.zone_idx === k.zt.ZONE_MOVABLE;
}

/** __setup_per_zone_wmarks: min/low/high of every zone from min_free_kbytes. */
function __setup_per_zone_wmarks(k: Kernel): void {
  const pages_min = k.sysctl_vm.min_free_kbytes >> 2;
  let lowmem_pages = 0;
  for (const z of k.zones) if (!is_highmem_or_movable(k, z)) lowmem_pages += z.managed_pages;
  for (const z of k.zones) {
    const tmp = lowmem_pages ? Math.floor((pages_min * z.managed_pages) / lowmem_pages) : 0;
    if (is_highmem_or_movable(k, z)) {
      const min_pages = Math.floor(z.managed_pages / 1024);
      z._watermark[WMARK_MIN] = Math.min(Math.max(min_pages, SWAP_CLUSTER_MAX), 128);
    } else z._watermark[WMARK_MIN] = tmp;
    const gap = Math.max(
      tmp >> 2,
      Math.floor((z.managed_pages * k.sysctl_vm.watermark_scale_factor) / 10000),
    );
    z.watermark_boost = 0;
    z._watermark[WMARK_LOW] = z._watermark[WMARK_MIN] + gap;
    z._watermark[WMARK_HIGH] = z._watermark[WMARK_LOW] + gap;
  }
  calculate_totalreserve_pages(k);
}

export function setup_per_zone_wmarks(k: Kernel): void {
  __setup_per_zone_wmarks(k);
  for (const z of k.zones) zone_pcp_update(k, z, 0);
}

/** setup_per_zone_lowmem_reserve: see the file comment. */
export function setup_per_zone_lowmem_reserve(k: Kernel): void {
  const n = k.zt.MAX_NR_ZONES;
  for (const pgdat of k.nodes) {
    for (let i = 0; i < n - 1; i++) {
      const zone = pgdat.node_zones[i];
      const ratio = k.sysctl_vm.lowmem_reserve_ratio[i];
      const clear = !ratio || !zone.managed_pages;
      let managed = 0;
      for (let j = i + 1; j < n; j++) {
        managed += pgdat.node_zones[j].managed_pages;
        zone.lowmem_reserve[j] = clear ? 0 : Math.floor(managed / ratio);
      }
    }
  }
  calculate_totalreserve_pages(k);
}

/** calculate_totalreserve_pages: high watermark plus the largest lowmem reserve, per zone. */
export function calculate_totalreserve_pages(k: Kernel): void {
  let total = 0;
  for (const pgdat of k.nodes) {
    pgdat.totalreserve_pages = 0;
    for (const zone of pgdat.node_zones) {
      let max = 0;
      for (let j = zone.zone_idx; j < zone.lowmem_reserve.length; j++)
        max = Math.max(max, zone.lowmem_reserve[j]);
      max += zone.high_wmark_pages();
      max = Math.min(max, zone.managed_pages);
      pgdat.totalreserve_pages += max;
      total += max;
    }
  }
  k.totalreserve_pages = total;
}

/** calculate_normal_threshold: the per-CPU vmstat drift allowed before folding. */
export function refresh_zone_stat_thresholds(k: Kernel): void {
  for (const z of k.zones) {
    const mem = z.managed_pages >> (27 - 12);
    z.stat_threshold = Math.min(125, 2 * fls(k.nr_cpu_ids) * (1 + fls(mem)));
  }
}

/** init_per_zone_wmark_min (postcore_initcall). */
export function init_per_zone_wmark_min(k: Kernel): void {
  calculate_min_free_kbytes(k);
  setup_per_zone_wmarks(k);
  refresh_zone_stat_thresholds(k);
  setup_per_zone_lowmem_reserve(k);
}

/**
 * set_recommended_min_free_kbytes (THP, khugepaged): keep two pageblocks
 * free per zone, plus room for fallbacks between the three pcp types.
 */
export function set_recommended_min_free_kbytes(k: Kernel): void {
  let nr_zones = 0;
  for (const z of k.zones) if (z.populated_zone() && z.zone_idx <= gfp_zone(k, GFP_USER)) nr_zones++;
  let recommended = k.pageblock_nr_pages * nr_zones * 2;
  recommended += k.pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
  recommended = Math.min(recommended, Math.floor(nr_free_buffer_pages(k) / 20));
  recommended *= 4;
  if (recommended > k.sysctl_vm.min_free_kbytes) {
    if (k.sysctl_vm.user_min_free_kbytes >= 0)
      k.printk.printk(
        KERN_INFO,
        `raising min_free_kbytes from ${k.sysctl_vm.min_free_kbytes} to ${recommended} to help transparent hugepage allocations`,
      );
    k.sysctl_vm.min_free_kbytes = recommended;
  }
  setup_per_zone_wmarks(k);
}
