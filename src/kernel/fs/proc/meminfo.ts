/*
 * meminfo.ts - /proc/meminfo and the per-node meminfo of sysfs (Linux
 * fs/proc/meminfo.c, mm/show_mem.c si_mem_available, drivers/base/node.c).
 *
 * Every line is one counter or a sum of counters the subsystems keep;
 * nothing here is stored. Lines appear only where the profile's kernel was
 * built with the option behind them (HighMem, CMA, THP, hugetlb...), in
 * Linux's order and with its column widths.
 */

import type { Kernel } from "../../kernel.js";
import { hugetlb_report_meminfo } from "../../mm/hugetlb.js";
import { nr_free_pages, totalhigh_pages } from "../../mm/mm_init.js";
import * as mz from "../../mm/mmzone.js";
import { writeback_complete } from "../../mm/page_writeback.js";
import { global_node_page_state, global_zone_page_state } from "../../mm/show_mem.js";

const KB = (pages: number): number => pages * 4;
const hugetlb_sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);

/** show_val_kb: "Name:" padded to 16 columns, the value right-aligned in 8. */
function val(name: string, pages: number): string {
  return `${`${name}:`.padEnd(16, " ")}${String(KB(pages)).padStart(8, " ")} kB\n`;
}

/** si_mem_available: what could be allocated without swapping. */
export function si_mem_available(k: Kernel): number {
  let wmark_low = 0;
  for (const z of k.zones) wmark_low += z.low_wmark_pages();
  let available = global_zone_page_state(k, mz.NR_FREE_PAGES) - k.totalreserve_pages;
  let pagecache =
    global_node_page_state(k, mz.NR_ACTIVE_FILE) + global_node_page_state(k, mz.NR_INACTIVE_FILE);
  pagecache -= Math.min(Math.floor(pagecache / 2), wmark_low);
  available += pagecache;
  const reclaimable =
    global_node_page_state(k, mz.NR_SLAB_RECLAIMABLE_B) +
    global_node_page_state(k, mz.NR_KERNEL_MISC_RECLAIMABLE);
  available += reclaimable - Math.min(Math.floor(reclaimable / 2), wmark_low);
  return Math.max(0, available);
}

/** vm_commit_limit: the overcommit ceiling for mode 2. */
export function vm_commit_limit(k: Kernel): number {
  const s = k.sysctl_vm;
  const swap = k.mm_stat.total_swap_pages;
  if (s.overcommit_kbytes) return Math.floor(s.overcommit_kbytes / 4) + swap;
  const hugetlb = hugetlb_sum(k.mm_stat.hugetlb_total) * 512;
  return Math.floor(((k.totalram_pages - hugetlb) * s.overcommit_ratio) / 100) + swap;
}

export function meminfo_show(k: Kernel): string {
  writeback_complete(k);
  const g = (i: number): number => global_node_page_state(k, i);
  const free = nr_free_pages(k);
  const bufferram = k.mm_stat.nr_blockdev_pages;
  const swapcache = g(mz.NR_SWAPCACHE);
  const cached = Math.max(0, g(mz.NR_FILE_PAGES) - swapcache - bufferram);
  const sreclaimable = g(mz.NR_SLAB_RECLAIMABLE_B);
  const sunreclaim = g(mz.NR_SLAB_UNRECLAIMABLE_B);
  let out = "";
  out += val("MemTotal", k.totalram_pages);
  out += val("MemFree", free);
  out += val("MemAvailable", si_mem_available(k));
  out += val("Buffers", bufferram);
  out += val("Cached", cached);
  out += val("SwapCached", swapcache);
  out += val("Active", g(mz.NR_ACTIVE_ANON) + g(mz.NR_ACTIVE_FILE));
  out += val("Inactive", g(mz.NR_INACTIVE_ANON) + g(mz.NR_INACTIVE_FILE));
  out += val("Active(anon)", g(mz.NR_ACTIVE_ANON));
  out += val("Inactive(anon)", g(mz.NR_INACTIVE_ANON));
  out += val("Active(file)", g(mz.NR_ACTIVE_FILE));
  out += val("Inactive(file)", g(mz.NR_INACTIVE_FILE));
  out += val("Unevictable", g(mz.NR_UNEVICTABLE));
  out += val("Mlocked", global_zone_page_state(k, mz.NR_MLOCK));
  if (k.cfg.HIGHMEM) {
    const th = totalhigh_pages(k);
    let fh = 0;
    for (const z of k.zones) if (z.zone_idx === k.zt.ZONE_HIGHMEM) fh += z.zone_page_state(mz.NR_FREE_PAGES);
    out += val("HighTotal", th);
    out += val("HighFree", fh);
    out += val("LowTotal", k.totalram_pages - th);
    out += val("LowFree", free - fh);
  }
  out += val("SwapTotal", k.mm_stat.total_swap_pages);
  out += val("SwapFree", k.mm_stat.nr_swap_pages);
  out += val("Zswap", 0);
  out += val("Zswapped", 0);
  out += val("Dirty", g(mz.NR_FILE_DIRTY));
  out += val("Writeback", g(mz.NR_WRITEBACK));
  out += val("AnonPages", g(mz.NR_ANON_MAPPED));
  out += val("Mapped", g(mz.NR_FILE_MAPPED));
  out += val("Shmem", g(mz.NR_SHMEM));
  out += val("KReclaimable", sreclaimable + g(mz.NR_KERNEL_MISC_RECLAIMABLE));
  out += val("Slab", sreclaimable + sunreclaim);
  out += val("SReclaimable", sreclaimable);
  out += val("SUnreclaim", sunreclaim);
  out += `${"KernelStack:".padEnd(16, " ")}${String(g(mz.NR_KERNEL_STACK_KB)).padStart(8, " ")} kB\n`;
  out += val("PageTables", g(mz.NR_PAGETABLE));
  out += val("SecPageTables", g(mz.NR_SECONDARY_PAGETABLE));
  out += val("NFS_Unstable", 0);
  out += val("Bounce", global_zone_page_state(k, mz.NR_BOUNCE));
  out += val("WritebackTmp", g(mz.NR_WRITEBACK_TEMP));
  out += val("CommitLimit", vm_commit_limit(k));
  out += val("Committed_AS", k.mm_stat.vm_committed_as);
  out += `${"VmallocTotal:".padEnd(16, " ")}${String(k.profile.vmallocTotalKB).padStart(8, " ")} kB\n`;
  out += val("VmallocUsed", k.mm_stat.nr_vmalloc_pages);
  out += val("VmallocChunk", 0);
  out += val("Percpu", k.mm_stat.pcpu_nr_pages);
  if (k.cfg.MEMORY_FAILURE) out += "HardwareCorrupted:     0 kB\n";
  if (k.cfg.TRANSPARENT_HUGEPAGE) {
    out += val("AnonHugePages", g(mz.NR_ANON_THPS));
    out += val("ShmemHugePages", g(mz.NR_SHMEM_THPS));
    out += val("ShmemPmdMapped", g(mz.NR_SHMEM_PMDMAPPED));
    out += val("FileHugePages", g(mz.NR_FILE_THPS));
    out += val("FilePmdMapped", g(mz.NR_FILE_PMDMAPPED));
  }
  if (k.cfg.CMA) {
    out += val("CmaTotal", k.totalcma_pages);
    out += val("CmaFree", global_zone_page_state(k, mz.NR_FREE_CMA_PAGES));
  }
  if (k.cfg.HUGETLB_PAGE) out += hugetlb_report_meminfo(k);
  if (k.cfg.DIRECT_MAP) {
    const [dm4k, dm2m] = direct_map_sizes(k);
    out += `DirectMap4k:    ${String(dm4k).padStart(8, " ")} kB\n`;
    out += `DirectMap2M:    ${String(dm2m).padStart(8, " ")} kB\n`;
  }
  return out;
}

/**
 * x86 direct map: 2 MiB pages where a range allows, 4 KiB pages at the
 * unaligned ends, and around the kernel image, which set_memory_ro/nx split
 * into 4 KiB pages (16 large pages on the reference kernel).
 */
export function direct_map_sizes(k: Kernel): [number, number] {
  const M2 = 2 * 1024 * 1024;
  let small = 0;
  let large = 0;
  const ranges = k.memblock.memory.map((m) => [m.base, m.base + m.size]);
  // The first megabyte is mapped with 4 KiB pages together with the first range.
  if (ranges.length) ranges[0][0] = 0;
  for (const [s, e] of ranges) {
    const a = Math.ceil(s / M2) * M2;
    const b = Math.floor(e / M2) * M2;
    if (b > a) {
      large += b - a;
      small += a - s + (e - b);
    } else small += e - s;
  }
  const split = Math.min(large, 16 * M2);
  return [(small + split) / 1024, (large - split) / 1024];
}

/** /sys/devices/system/node/nodeN/meminfo */
export function node_meminfo_show(k: Kernel, nid: number): string {
  const pgdat = k.nodes[nid];
  const n = (i: number): number => pgdat.node_page_state(i);
  let total = 0;
  let free = 0;
  let mlock = 0;
  let bounce = 0;
  for (const z of pgdat.node_zones) {
    total += z.managed_pages;
    free += z.zone_page_state(mz.NR_FREE_PAGES);
    mlock += z.zone_page_state(mz.NR_MLOCK);
    bounce += z.zone_page_state(mz.NR_BOUNCE);
  }
  const line = (name: string, kb: number, w = 16): string =>
    `Node ${nid} ${`${name}:`.padEnd(w, " ")}${String(kb).padStart(8, " ")} kB\n`;
  let out = "";
  out += line("MemTotal", KB(total));
  out += line("MemFree", KB(free));
  out += line("MemUsed", KB(total - free));
  out += line("SwapCached", KB(n(mz.NR_SWAPCACHE)));
  out += line("Active", KB(n(mz.NR_ACTIVE_ANON) + n(mz.NR_ACTIVE_FILE)));
  out += line("Inactive", KB(n(mz.NR_INACTIVE_ANON) + n(mz.NR_INACTIVE_FILE)));
  out += line("Active(anon)", KB(n(mz.NR_ACTIVE_ANON)));
  out += line("Inactive(anon)", KB(n(mz.NR_INACTIVE_ANON)));
  out += line("Active(file)", KB(n(mz.NR_ACTIVE_FILE)));
  out += line("Inactive(file)", KB(n(mz.NR_INACTIVE_FILE)));
  out += line("Unevictable", KB(n(mz.NR_UNEVICTABLE)));
  out += line("Mlocked", KB(mlock));
  out += line("Dirty", KB(n(mz.NR_FILE_DIRTY)));
  out += line("Writeback", KB(n(mz.NR_WRITEBACK)));
  out += line("FilePages", KB(n(mz.NR_FILE_PAGES)));
  out += line("Mapped", KB(n(mz.NR_FILE_MAPPED)));
  out += line("AnonPages", KB(n(mz.NR_ANON_MAPPED)));
  out += line("Shmem", KB(n(mz.NR_SHMEM)));
  out += line("KernelStack", n(mz.NR_KERNEL_STACK_KB));
  out += line("PageTables", KB(n(mz.NR_PAGETABLE)));
  out += line("SecPageTables", KB(n(mz.NR_SECONDARY_PAGETABLE)));
  out += line("NFS_Unstable", 0);
  out += line("Bounce", KB(bounce));
  out += line("WritebackTmp", KB(n(mz.NR_WRITEBACK_TEMP)));
  out += line("KReclaimable", KB(n(mz.NR_SLAB_RECLAIMABLE_B) + n(mz.NR_KERNEL_MISC_RECLAIMABLE)));
  out += line("Slab", KB(n(mz.NR_SLAB_RECLAIMABLE_B) + n(mz.NR_SLAB_UNRECLAIMABLE_B)));
  out += line("SReclaimable", KB(n(mz.NR_SLAB_RECLAIMABLE_B)));
  out += line("SUnreclaim", KB(n(mz.NR_SLAB_UNRECLAIMABLE_B)));
  if (k.cfg.TRANSPARENT_HUGEPAGE) {
    out += line("AnonHugePages", KB(n(mz.NR_ANON_THPS)));
    out += line("ShmemHugePages", KB(n(mz.NR_SHMEM_THPS)));
    out += line("ShmemPmdMapped", KB(n(mz.NR_SHMEM_PMDMAPPED)));
    out += line("FileHugePages", KB(n(mz.NR_FILE_THPS)), 15);
    out += line("FilePmdMapped", KB(n(mz.NR_FILE_PMDMAPPED)), 15);
  }
  if (k.cfg.HUGETLB_PAGE) {
    const t = k.mm_stat.hugetlb_total[nid] ?? 0;
    out += `Node ${nid} HugePages_Total: ${String(t).padStart(5, " ")}\n`;
    out += `Node ${nid} HugePages_Free:  ${String(k.mm_stat.hugetlb_free[nid] ?? 0).padStart(5, " ")}\n`;
    out += `Node ${nid} HugePages_Surp:  ${String(0).padStart(5, " ")}\n`;
  }
  return out;
}
