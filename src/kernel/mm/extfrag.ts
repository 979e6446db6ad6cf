/*
 * extfrag.ts - external fragmentation indices (the CONFIG_COMPACTION part of
 * Linux mm/vmstat.c): fragmentation_index for compaction_suitable, and
 * /sys/kernel/debug/extfrag/{unusable_index,extfrag_index}.
 *
 * Both look at a zone's free areas for a request of 2^order pages:
 *
 *   unusable free space index   the share of free memory in blocks too small
 *                               for the request: 0 none, 1 all of it
 *       (free_pages - suitable_blocks * 2^order) / free_pages
 *
 *   fragmentation index         why the request would fail, when it would:
 *                               towards 0 lack of memory, towards 1
 *                               fragmentation; -1 when it would not fail
 *       1 - (1 + free_pages / 2^order) / free_blocks_total
 *
 * Values are kept in thousandths and printed as "%d.%03d " per order, after
 * "Node %d, zone %8s ", for every populated zone.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { S_IFDIR, S_IFREG } from "../uapi/abi.js";
import type { Zone } from "./mmzone.js";

/** struct contig_page_info */
interface ContigPageInfo {
  free_pages: number; // pages in free blocks
  free_blocks_total: number; // free blocks of any order
  free_blocks_suitable: number; // blocks of the requested size that the free blocks make
}

const info: ContigPageInfo = { free_pages: 0, free_blocks_total: 0, free_blocks_suitable: 0 };

/** fill_contig_page_info: count the zone's free blocks for a request of suitable_order. */
function fill_contig_page_info(k: Kernel, zone: Zone, suitable_order: number, out: ContigPageInfo): void {
  out.free_pages = 0;
  out.free_blocks_total = 0;
  out.free_blocks_suitable = 0;
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const blocks = zone.nr_free[order];
    out.free_blocks_total += blocks;
    out.free_pages += blocks * 2 ** order;
    if (order >= suitable_order) out.free_blocks_suitable += blocks * 2 ** (order - suitable_order);
  }
}

/** __fragmentation_index: in thousandths; -1000 when the request would succeed, 0 with nothing free. */
function __fragmentation_index(order: number, i: ContigPageInfo): number {
  const requested = 2 ** order;
  if (!i.free_blocks_total) return 0;
  if (i.free_blocks_suitable) return -1000;
  return 1000 - Math.floor((1000 + Math.floor((i.free_pages * 1000) / requested)) / i.free_blocks_total);
}

/** fragmentation_index: of this zone, for this order (compaction_suitable's test). */
export function fragmentation_index(k: Kernel, zone: Zone, order: number): number {
  fill_contig_page_info(k, zone, order, info);
  return __fragmentation_index(order, info);
}

/** unusable_free_index: in thousandths; 1000 with nothing free. */
function unusable_free_index(order: number, i: ContigPageInfo): number {
  if (i.free_pages === 0) return 1000;
  return Math.floor(((i.free_pages - i.free_blocks_suitable * 2 ** order) * 1000) / i.free_pages);
}

/** extfrag_for_order: the unusable share in percent (the fragmentation score's unit). */
export function extfrag_for_order(k: Kernel, zone: Zone, order: number): number {
  fill_contig_page_info(k, zone, order, info);
  if (info.free_pages === 0) return 0;
  return Math.floor(((info.free_pages - info.free_blocks_suitable * 2 ** order) * 100) / info.free_pages);
}

/** "%d.%03d " of a value in thousandths, with C's truncating division and remainder. */
function thousandths(v: number): string {
  return `${Math.trunc(v / 1000)}.${String(Math.abs(v % 1000)).padStart(3, "0")} `;
}

/** walk_zones_in_node over every node, populated zones only. */
function show_zones(k: Kernel, print: (zone: Zone) => string): string {
  let s = "";
  for (const pgdat of k.nodes)
    for (const zone of pgdat.node_zones)
      if (zone.populated_zone())
        s += `Node ${pgdat.node_id}, zone ${zone.name.padStart(8, " ")} ${print(zone)}\n`;
  return s;
}

export function unusable_show(k: Kernel): string {
  return show_zones(k, (zone) => {
    let s = "";
    for (let order = 0; order < k.MAX_ORDER; order++) {
      fill_contig_page_info(k, zone, order, info);
      s += thousandths(unusable_free_index(order, info));
    }
    return s;
  });
}

export function extfrag_show(k: Kernel): string {
  return show_zones(k, (zone) => {
    let s = "";
    for (let order = 0; order < k.MAX_ORDER; order++) s += thousandths(fragmentation_index(k, zone, order));
    return s;
  });
}

/** extfrag_debug_init: the debugfs directory. */
export function extfrag_debugfs_entry(): ProcEntry {
  return {
    name: "extfrag",
    mode: S_IFDIR | 0o755,
    children: [
      { name: "extfrag_index", mode: S_IFREG | 0o444, show: (k) => extfrag_show(k) },
      { name: "unusable_index", mode: S_IFREG | 0o444, show: (k) => unusable_show(k) },
    ],
  };
}
