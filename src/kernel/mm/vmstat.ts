/*
 * vmstat.ts - the memory counters and their /proc files (Linux mm/vmstat.c):
 * /proc/vmstat, /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo.
 *
 * Subsystems only bump counters (zone->vm_stat, pgdat->vm_stat,
 * vm_event_states); the text is produced here at read time with Linux's own
 * format strings. Linux batches counter updates per CPU and folds them in
 * once they exceed "vm stats threshold"; mmbox applies every update at once,
 * so its files never lag (the threshold is still computed and shown).
 */

import { sprintf } from "../../lib/sprintf.js";
import type { Kernel } from "../kernel.js";
import { list_count } from "../lib/list.js";
import {
  MIGRATE_CMA,
  MIGRATE_TYPES,
  migratetype_names,
  NR_ANON_THPS,
  NR_FILE_PMDMAPPED,
  NR_FILE_THPS,
  NR_SHMEM_PMDMAPPED,
  NR_SHMEM_THPS,
  NR_VM_NODE_STAT_ITEMS,
  NR_VM_ZONE_STAT_ITEMS,
  NR_ZONE_ONLY_ITEMS,
  node_stat_names,
  PGPROMOTE_SUCCESS,
  type PglistData,
  type Zone,
  zone_stat_names,
} from "./mmzone.js";
import { global_dirty_limits, writeback_complete } from "./page_writeback.js";
import { PGPGIN, PGPGOUT, vmstat_event_names } from "./vm_event_item.js";

const HPAGE_PMD_NR = 512;

function print_in_thp(i: number): boolean {
  return (
    i === NR_ANON_THPS ||
    i === NR_SHMEM_THPS ||
    i === NR_SHMEM_PMDMAPPED ||
    i === NR_FILE_THPS ||
    i === NR_FILE_PMDMAPPED
  );
}

/** Node stat items this kernel has (pgpromote_* need NUMA balancing). */
function node_items(k: Kernel): number {
  return k.cfg.NUMA ? NR_VM_NODE_STAT_ITEMS : PGPROMOTE_SUCCESS;
}
function zone_items(k: Kernel): number {
  return k.cfg.NUMA ? NR_VM_ZONE_STAT_ITEMS : NR_ZONE_ONLY_ITEMS;
}

function node_value(pgdat: PglistData, i: number): number {
  let v = pgdat.node_page_state(i);
  if (print_in_thp(i)) v = Math.floor(v / HPAGE_PMD_NR);
  return v;
}

/** /proc/vmstat */
export function vmstat_show(k: Kernel): string {
  writeback_complete(k);
  let out = "";
  for (let i = 0; i < zone_items(k); i++) {
    let v = 0;
    for (const z of k.zones) v += z.zone_page_state(i);
    out += `${zone_stat_names[i]} ${v}\n`;
  }
  for (let i = 0; i < node_items(k); i++) {
    let v = 0;
    for (const pgdat of k.nodes) v += node_value(pgdat, i);
    out += `${node_stat_names[i]} ${v}\n`;
  }
  const [bg, thresh] = global_dirty_limits(k);
  out += `nr_dirty_threshold ${thresh}\nnr_dirty_background_threshold ${bg}\n`;
  const names = vmstat_event_names(k.cfg, k.profile.zones, k.profile.arch === "x86_64");
  for (const [i, name] of names) {
    let v = Math.floor(k.vm_events[i]);
    if (i === PGPGIN || i === PGPGOUT) v = Math.floor(v / 2);
    out += `${name} ${v}\n`;
  }
  return `${out}nr_unstable 0\n`;
}

/**
 * /sys/devices/system/node/nodeN/vmstat (node_read_vmstat): the zone items summed over the
 * node's zones (with NUMA the numa_* events are among them), then the node's own items.
 */
export function node_vmstat_show(k: Kernel, nid: number): string {
  const pgdat = k.nodes[nid];
  let out = "";
  for (let i = 0; i < zone_items(k); i++) {
    let v = 0;
    for (const z of pgdat.node_zones) v += z.zone_page_state(i);
    out += `${zone_stat_names[i]} ${v}\n`;
  }
  for (let i = 0; i < node_items(k); i++) out += `${node_stat_names[i]} ${node_value(pgdat, i)}\n`;
  return out;
}

function populated(k: Kernel): Zone[] {
  return k.zones.filter((z) => z.populated_zone());
}

/** /proc/buddyinfo: free blocks per order, per populated zone. */
export function frag_show(k: Kernel): string {
  let out = "";
  for (const z of populated(k)) {
    out += sprintf("Node %d, zone %8s ", z.node, z.name);
    for (let order = 0; order < k.MAX_ORDER; order++) out += sprintf("%6lu ", z.nr_free[order]);
    out += "\n";
  }
  return out;
}

/** /proc/pagetypeinfo: free blocks per order and migrate type, and pageblocks per type. */
export function pagetypeinfo_show(k: Kernel): string {
  let out = `Page block order: ${k.pageblock_order}\nPages per block:  ${k.pageblock_nr_pages}\n\n`;
  out += sprintf("%-43s ", "Free pages count per migrate type at order");
  for (let order = 0; order < k.MAX_ORDER; order++) out += sprintf("%6d ", order);
  out += "\n";
  // MIGRATE_CMA only exists in kernels built with CONFIG_CMA.
  const types = [...Array(MIGRATE_TYPES).keys()].filter((mt) => k.cfg.CMA || mt !== MIGRATE_CMA);
  for (const z of populated(k)) {
    for (const mt of types) {
      out += sprintf("Node %4d, zone %8s, type %12s ", z.node, z.name, migratetype_names[mt]);
      for (let order = 0; order < k.MAX_ORDER; order++) {
        const n = list_count(k.mem.links, z.free_list(order, mt));
        out += n >= 100000 ? sprintf(">%6lu ", 100000) : sprintf("%6lu ", n);
      }
      out += "\n";
    }
  }
  out += sprintf("\n%-23s", "Number of blocks type ");
  for (const mt of types) out += sprintf("%12s ", migratetype_names[mt]);
  out += "\n";
  for (const z of populated(k)) {
    const count = pageblock_counts(k, z);
    out += sprintf("Node %d, zone %8s ", z.node, z.name);
    for (const mt of types) out += sprintf("%12lu ", count[mt]);
    out += "\n";
  }
  return out;
}

/** Pageblocks of each migrate type in a zone. */
export function pageblock_counts(k: Kernel, z: Zone): number[] {
  const count = new Array(MIGRATE_TYPES).fill(0);
  for (let pfn = z.zone_start_pfn; pfn < z.zone_end_pfn; pfn += k.pageblock_nr_pages) {
    if (k.mem.pageblock_zone[pfn >>> k.pageblock_order] !== z.id) continue;
    count[k.mem.get_pageblock_migratetype(pfn)]++;
  }
  return count;
}

/** /proc/zoneinfo */
export function zoneinfo_show(k: Kernel): string {
  let out = "";
  for (const pgdat of k.nodes) {
    const first = pgdat.node_zones.find((z) => z.populated_zone());
    for (const z of pgdat.node_zones) {
      out += sprintf("Node %d, zone %8s", pgdat.node_id, z.name);
      if (z === first) {
        out += "\n  per-node stats";
        for (let i = 0; i < node_items(k); i++)
          out += sprintf("\n      %-12s %lu", node_stat_names[i], node_value(pgdat, i));
      }
      out += sprintf(
        "\n  pages free     %lu\n        boost    %lu\n        min      %lu\n        low      %lu\n        high     %lu\n        spanned  %lu\n        present  %lu\n        managed  %lu\n        cma      %lu",
        z.zone_page_state(0),
        z.watermark_boost,
        z.min_wmark_pages(),
        z.low_wmark_pages(),
        z.high_wmark_pages(),
        z.spanned_pages,
        z.present_pages,
        z.managed_pages,
        z.cma_pages,
      );
      out += `\n        protection: (${z.lowmem_reserve.join(", ")})`;
      if (!z.populated_zone()) {
        out += "\n";
        continue;
      }
      for (let i = 0; i < zone_items(k); i++)
        out += sprintf("\n      %-12s %lu", zone_stat_names[i], z.zone_page_state(i));
      out += "\n  pagesets";
      z.pageset.forEach((pcp, cpu) => {
        out += sprintf(
          "\n    cpu: %i\n              count: %i\n              high:  %i\n              batch: %i",
          cpu,
          pcp.count,
          pcp.high,
          pcp.batch,
        );
        out += sprintf("\n  vm stats threshold: %d", z.stat_threshold);
      });
      out += sprintf(
        "\n  node_unreclaimable:  %u\n  start_pfn:           %lu\n",
        pgdat.kswapd_failures >= 16 ? 1 : 0,
        z.zone_start_pfn,
      );
    }
  }
  return out;
}
