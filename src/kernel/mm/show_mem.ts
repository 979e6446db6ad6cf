/*
 * show_mem.ts - the "Mem-Info:" block that allocation failures and the OOM
 * killer print (Linux lib/show_mem.c and show_free_areas in page_alloc.c).
 * Every number comes from the same counters /proc/meminfo and /proc/zoneinfo
 * read, so the report and /proc agree.
 */

import type { Kernel } from "../kernel.js";
import * as mz from "./mmzone.js";
import { MIGRATE_CMA, MIGRATE_TYPES } from "./mmzone.js";

const K = (pages: number): number => pages * 4;
const migrate_type_letters = ["U", "M", "E", "H", "C", "I"];

/** Pages sitting on the per-CPU lists of a zone (or of all zones). */
export function free_pcp_pages(k: Kernel, zone?: mz.Zone): number {
  let n = 0;
  for (const z of zone ? [zone] : k.zones) for (const p of z.pageset) n += p.count;
  return n;
}

export function global_node_page_state(k: Kernel, item: number): number {
  let n = 0;
  for (const pgdat of k.nodes) n += pgdat.node_page_state(item);
  return n;
}

export function global_zone_page_state(k: Kernel, item: number): number {
  let n = 0;
  for (const z of k.zones) n += z.zone_page_state(item);
  return n;
}

/** __show_mem: zones above max_zone_idx (gfp_zone of the failed allocation) are left out. */
export function show_mem(
  k: Kernel,
  p: (line: string) => void,
  max_zone_idx = Number.POSITIVE_INFINITY,
): void {
  const g = (i: number): number => global_node_page_state(k, i);
  p("Mem-Info:");
  p(
    `active_anon:${g(mz.NR_ACTIVE_ANON)} inactive_anon:${g(mz.NR_INACTIVE_ANON)} isolated_anon:${g(mz.NR_ISOLATED_ANON)}\n` +
      ` active_file:${g(mz.NR_ACTIVE_FILE)} inactive_file:${g(mz.NR_INACTIVE_FILE)} isolated_file:${g(mz.NR_ISOLATED_FILE)}\n` +
      ` unevictable:${g(mz.NR_UNEVICTABLE)} dirty:${g(mz.NR_FILE_DIRTY)} writeback:${g(mz.NR_WRITEBACK)}\n` +
      ` slab_reclaimable:${g(mz.NR_SLAB_RECLAIMABLE_B)} slab_unreclaimable:${g(mz.NR_SLAB_UNRECLAIMABLE_B)}\n` +
      ` mapped:${g(mz.NR_FILE_MAPPED)} shmem:${g(mz.NR_SHMEM)} pagetables:${g(mz.NR_PAGETABLE)}\n` +
      ` sec_pagetables:${g(mz.NR_SECONDARY_PAGETABLE)} bounce:${global_zone_page_state(k, mz.NR_BOUNCE)}\n` +
      ` kernel_misc_reclaimable:${g(mz.NR_KERNEL_MISC_RECLAIMABLE)}\n` +
      ` free:${global_zone_page_state(k, mz.NR_FREE_PAGES)} free_pcp:${free_pcp_pages(k)} free_cma:${global_zone_page_state(k, mz.NR_FREE_CMA_PAGES)}`,
  );
  const thp = k.cfg.TRANSPARENT_HUGEPAGE;
  for (const pgdat of k.nodes) {
    const s = (i: number): number => pgdat.node_page_state(i);
    const unreclaimable = pgdat.kswapd_failures >= 16 ? "yes" : "no";
    p(
      `Node ${pgdat.node_id} active_anon:${K(s(mz.NR_ACTIVE_ANON))}kB inactive_anon:${K(s(mz.NR_INACTIVE_ANON))}kB` +
        ` active_file:${K(s(mz.NR_ACTIVE_FILE))}kB inactive_file:${K(s(mz.NR_INACTIVE_FILE))}kB` +
        ` unevictable:${K(s(mz.NR_UNEVICTABLE))}kB isolated(anon):${K(s(mz.NR_ISOLATED_ANON))}kB` +
        ` isolated(file):${K(s(mz.NR_ISOLATED_FILE))}kB mapped:${K(s(mz.NR_FILE_MAPPED))}kB` +
        ` dirty:${K(s(mz.NR_FILE_DIRTY))}kB writeback:${K(s(mz.NR_WRITEBACK))}kB shmem:${K(s(mz.NR_SHMEM))}kB` +
        (thp
          ? ` shmem_thp: ${K(s(mz.NR_SHMEM_THPS))}kB shmem_pmdmapped: ${K(s(mz.NR_SHMEM_PMDMAPPED))}kB anon_thp: ${K(s(mz.NR_ANON_THPS))}kB`
          : "") +
        ` writeback_tmp:${K(s(mz.NR_WRITEBACK_TEMP))}kB kernel_stack:${s(mz.NR_KERNEL_STACK_KB)}kB` +
        ` pagetables:${K(s(mz.NR_PAGETABLE))}kB sec_pagetables:${K(s(mz.NR_SECONDARY_PAGETABLE))}kB` +
        ` all_unreclaimable? ${unreclaimable}`,
    );
  }
  const node = (z: mz.Zone): string => (k.cfg.NUMA ? `Node ${z.node} ` : "");
  const populated = k.zones.filter((z) => z.populated_zone() && z.zone_idx <= max_zone_idx);
  for (const z of populated) {
    const s = (i: number): number => z.zone_page_state(i);
    const local = z.pageset[k.cpu]?.count ?? 0;
    p(
      `${node(z)}${z.name} free:${K(s(mz.NR_FREE_PAGES))}kB boost:${K(z.watermark_boost)}kB` +
        ` min:${K(z.min_wmark_pages())}kB low:${K(z.low_wmark_pages())}kB high:${K(z.high_wmark_pages())}kB` +
        ` reserved_highatomic:${K(z.nr_reserved_highatomic)}KB` +
        ` active_anon:${K(s(mz.NR_ZONE_ACTIVE_ANON))}kB inactive_anon:${K(s(mz.NR_ZONE_INACTIVE_ANON))}kB` +
        ` active_file:${K(s(mz.NR_ZONE_ACTIVE_FILE))}kB inactive_file:${K(s(mz.NR_ZONE_INACTIVE_FILE))}kB` +
        ` unevictable:${K(s(mz.NR_ZONE_UNEVICTABLE))}kB writepending:${K(s(mz.NR_ZONE_WRITE_PENDING))}kB` +
        ` present:${K(z.present_pages)}kB managed:${K(z.managed_pages)}kB mlocked:${K(s(mz.NR_MLOCK))}kB` +
        ` bounce:${K(s(mz.NR_BOUNCE))}kB free_pcp:${K(free_pcp_pages(k, z))}kB local_pcp:${K(local)}kB` +
        ` free_cma:${K(s(mz.NR_FREE_CMA_PAGES))}kB`,
    );
    p(`lowmem_reserve[]: ${z.lowmem_reserve.join(" ")}`);
  }
  for (const z of populated) {
    let total = 0;
    let line = `${node(z)}${z.name}: `;
    for (let order = 0; order < k.MAX_ORDER; order++) {
      const nr = z.nr_free[order];
      total += nr << order;
      line += `${nr}*${4 << order}kB `;
      if (nr) {
        let types = "";
        for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
          if (mt === MIGRATE_CMA && !k.cfg.CMA) continue;
          const head = z.free_list(order, mt);
          if (k.mem.links.lru[head << 1] !== head) types += migrate_type_letters[mt];
        }
        line += `(${types}) `;
      }
    }
    p(`${line}= ${K(total)}kB`);
  }
  if (k.cfg.HUGETLB_PAGE)
    for (const pgdat of k.nodes)
      p(
        `Node ${pgdat.node_id} hugepages_total=${k.mm_stat.hugetlb_total[pgdat.node_id] ?? 0} hugepages_free=${k.mm_stat.hugetlb_free[pgdat.node_id] ?? 0} hugepages_surp=0 hugepages_size=2048kB`,
      );
  p(`${global_node_page_state(k, mz.NR_FILE_PAGES)} total pagecache pages`);
  p(`${global_node_page_state(k, mz.NR_SWAPCACHE)} pages in swap cache`);
  p(`Free swap  = ${K(k.mm_stat.nr_swap_pages)}kB`);
  p(`Total swap = ${K(k.mm_stat.total_swap_pages)}kB`);
  let total = 0;
  let reserved = 0;
  let highmem = 0;
  for (const z of k.zones) {
    if (!z.populated_zone()) continue;
    total += z.present_pages;
    reserved += z.present_pages - z.managed_pages;
    if (z.zone_idx === k.zt.ZONE_HIGHMEM || z.zone_idx === k.zt.ZONE_MOVABLE) highmem += z.present_pages;
  }
  p(`${total} pages RAM`);
  p(`${highmem} pages HighMem/MovableOnly`);
  p(`${reserved} pages reserved`);
  if (k.cfg.CMA) p(`${k.totalcma_pages} pages cma reserved`);
  if (k.cfg.MEMORY_FAILURE) p("0 pages hwpoisoned");
}
