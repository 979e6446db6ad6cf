/*
 * debug_vm.ts - CONFIG_DEBUG_VM-style consistency checks of the page
 * allocator, run after every step in tests and after every command with
 * `--append debug_vm`. Linux scatters VM_BUG_ON()s along its paths; mmbox
 * also walks the whole state, because a simulation can afford to.
 *
 * Invariants of the buddy allocator:
 *   1. every entry of free_area[o].free_list[mt] heads a free block: PG_buddy,
 *      order o, naturally aligned, inside its zone, refcount 0;
 *   2. nr_free[o] equals the number of entries on the order-o lists;
 *   3. NR_FREE_PAGES equals the pages in free blocks (not on ISOLATE lists),
 *      NR_FREE_CMA_PAGES those on CMA lists; so MemFree == buddyinfo sum;
 *   4. free blocks never overlap each other, reserved pages or pcp pages;
 *   5. pcp->count equals the pages on that CPU's lists, which are not PG_buddy;
 *   6. managed_pages == free + pcp + in use (zone.nr_in_use);
 *   7. every pageblock has a valid migrate type.
 * A violation panics the machine with the invariant that broke.
 */

import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { xa_check } from "../lib/xarray.js";
import { check_mm } from "./debug_mm.js";
import { PG_buddy, PG_lru, PG_reserved, PG_slab, PG_swapcache, PG_writeback } from "./mm_types.js";
import {
  MIGRATE_CMA,
  MIGRATE_ISOLATE,
  MIGRATE_TYPES,
  NR_FREE_CMA_PAGES,
  NR_FREE_PAGES,
  NR_ISOLATED_ANON,
  NR_ISOLATED_FILE,
  NR_LRU_BASE,
  NR_LRU_LISTS,
  NR_SLAB_RECLAIMABLE_B,
  NR_SLAB_UNRECLAIMABLE_B,
  NR_SWAPCACHE,
  NR_WRITEBACK,
  NR_ZONE_LRU_BASE,
  type Zone,
} from "./mmzone.js";
import { page_zone, pindex_to_order } from "./page_alloc.js";
import { shmem_swap_indices } from "./shmem.js";
import { type KmemCache, SLAB_RECLAIM_ACCOUNT, type Slab } from "./slab.js";
import { folio_nr_pages, page_lru } from "./swap.js";
import { swap_slots_held } from "./swap_slots.js";
import { check_swap_cache_xarrays, lookup_swap_cache } from "./swap_state.js";
import { SWAP_MAP_BAD, swap_state, swp_entry } from "./swapfile.js";
import { check_shadow_nodes } from "./workingset.js";

function fail(what: string): never {
  return BUG(`debug_vm: ${what}`);
}

export function check_page_alloc(k: Kernel): void {
  const mem = k.mem;
  const links = mem.links;
  const seen = new Uint8Array(mem.max_pfn);
  for (const z of k.zones) {
    let free = 0;
    let cma = 0;
    for (let order = 0; order < k.MAX_ORDER; order++) {
      let blocks = 0;
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        const head = z.free_list(order, mt);
        let guard = 0;
        for (let p = links.lru[head << 1]; p !== head; p = links.lru[p << 1]) {
          if (++guard > mem.max_pfn) fail(`free list ${z.name}/${order}/${mt} is circular without its head`);
          if (p < 0 || p >= mem.max_pfn) fail(`free list ${z.name}/${order}/${mt} holds bad pfn ${p}`);
          if (!(mem.flags[p] & PG_buddy)) fail(`pfn ${p} on ${z.name} free list without PG_buddy`);
          if (mem.order(p) !== order) fail(`pfn ${p} on order-${order} list has order ${mem.order(p)}`);
          if (p & ((1 << order) - 1)) fail(`free block at pfn ${p} not aligned to order ${order}`);
          if (!z.zone_spans_pfn(p) || !z.zone_spans_pfn(p + (1 << order) - 1))
            fail(`free block ${p} outside zone ${z.name}`);
          for (let i = 0; i < 1 << order; i++) {
            const q = p + i;
            if (seen[q]) fail(`pfn ${q} is in two free blocks`);
            seen[q] = 1;
            if (mem.flags[q] & PG_reserved) fail(`reserved pfn ${q} inside a free block`);
            if (mem.page_ref_count(q) !== 0)
              fail(`pfn ${q} in a free block has refcount ${mem.page_ref_count(q)}`);
          }
          blocks++;
          if (mt !== MIGRATE_ISOLATE) free += 1 << order;
          if (mt === MIGRATE_CMA) cma += 1 << order;
        }
      }
      if (blocks !== z.nr_free[order])
        fail(`${z.name} nr_free[${order}]=${z.nr_free[order]} but lists hold ${blocks}`);
    }
    if (free !== z.vm_stat[NR_FREE_PAGES])
      fail(`${z.name} NR_FREE_PAGES=${z.vm_stat[NR_FREE_PAGES]} but free lists hold ${free}`);
    if (cma !== z.vm_stat[NR_FREE_CMA_PAGES])
      fail(`${z.name} NR_FREE_CMA_PAGES=${z.vm_stat[NR_FREE_CMA_PAGES]} but CMA lists hold ${cma}`);
    let pcp_pages = 0;
    z.pageset.forEach((pcp, cpu) => {
      let n = 0;
      for (let i = 0; i < pcp.lists.length; i++) {
        const order = pindex_to_order(k, i);
        const head = pcp.lists[i];
        for (let p = links.lru[head << 1]; p !== head; p = links.lru[p << 1]) {
          if (mem.flags[p] & PG_buddy) fail(`pcp page ${p} has PG_buddy`);
          for (let j = 0; j < 1 << order; j++) {
            if (seen[p + j]) fail(`pcp page ${p + j} is also free in the buddy lists`);
            seen[p + j] = 2;
          }
          n += 1 << order;
        }
      }
      if (n !== pcp.count) fail(`${z.name} cpu ${cpu} pcp count ${pcp.count} but lists hold ${n}`);
      pcp_pages += n;
    });
    if (z.managed_pages !== free + pcp_pages + z.nr_in_use + isolated(k, z))
      fail(`${z.name} managed ${z.managed_pages} != free ${free} + pcp ${pcp_pages} + in use ${z.nr_in_use}`);
  }
  // Reclaim and migration isolate pages and put every one back (or free it) before they yield.
  for (const pgdat of k.nodes)
    for (const item of [NR_ISOLATED_ANON, NR_ISOLATED_FILE])
      if (pgdat.vm_stat[item] !== 0)
        fail(
          `node ${pgdat.node_id} nr_isolated_${item === NR_ISOLATED_ANON ? "anon" : "file"} ${pgdat.vm_stat[item]} between steps`,
        );
  for (let b = 0; b < mem.pageblock_mt.length; b++)
    if (mem.pageblock_mt[b] >= MIGRATE_TYPES) fail(`pageblock ${b} has migrate type ${mem.pageblock_mt[b]}`);
  check_slab(k);
  check_vmalloc(k);
}

/** Free pages sitting on ISOLATE lists (not counted in NR_FREE_PAGES). */
function isolated(k: Kernel, z: import("./mmzone.js").Zone): number {
  let n = 0;
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const head = z.free_list(order, MIGRATE_ISOLATE);
    for (let p = k.mem.links.lru[head << 1]; p !== head; p = k.mem.links.lru[p << 1]) n += 1 << order;
  }
  return n;
}

/** Everything the checker knows: the allocator, then every address space. */
export function check_vm(k: Kernel): void {
  check_page_alloc(k);
  check_mm(k);
  check_xarrays(k);
  const counts = count_page_flags(k);
  check_writeback(k, counts);
  check_lru(k, counts);
}

/** How many pages have PG_writeback, PG_lru and PG_swapcache: one pass over mem_map for both checks below. */
function count_page_flags(k: Kernel): { writeback: number; lru: number; swapcache: number } {
  const flags = k.mem.flags;
  let writeback = 0;
  let lru = 0;
  let swapcache = 0;
  for (let pfn = 0; pfn < k.mem.max_pfn; pfn++) {
    const f = flags[pfn];
    if (f & PG_writeback) writeback++;
    if (f & PG_lru) lru++;
    if (f & PG_swapcache) swapcache++;
  }
  return { writeback, lru, swapcache };
}

/*
 * Invariants of the LRU lists (swap.ts, vmscan.ts):
 *   1. a page on a node's list has PG_lru, belongs to that node, and its
 *      flags name that list (page_lru); no page is on two lists;
 *   2. every page with PG_lru is on a list (reclaim and compaction clear it
 *      while they hold a page isolated);
 *   3. the node's and the zones' NR_*_LRU counters equal the pages listed
 *      (a THP counting its pages);
 *   4. NR_SWAPCACHE counts the pages with PG_swapcache.
 */
function check_lru(k: Kernel, counts: { lru: number; swapcache: number }): void {
  const mem = k.mem;
  const links = mem.links;
  const zone_count = new Map<Zone, Float64Array>();
  let listed = 0;
  for (const pgdat of k.nodes) {
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      const head = pgdat.lru_lists[lru];
      let nr = 0;
      for (let pfn = links.lru[head << 1]; pfn !== head; pfn = links.lru[pfn << 1]) {
        if (++listed > mem.max_pfn) fail(`LRU list ${lru} of node ${pgdat.node_id} does not end`);
        if (!(mem.flags[pfn] & PG_lru)) fail(`pfn ${pfn} is on LRU list ${lru} without PG_lru`);
        if (page_lru(k, pfn) !== lru)
          fail(`pfn ${pfn} is on LRU list ${lru} but its flags say ${page_lru(k, pfn)}`);
        const zone = page_zone(k, pfn);
        if (zone.node !== pgdat.node_id)
          fail(`pfn ${pfn} of node ${zone.node} is on node ${pgdat.node_id}'s LRU`);
        const n = folio_nr_pages(mem.flags[pfn]);
        nr += n;
        let c = zone_count.get(zone);
        if (!c) {
          c = new Float64Array(NR_LRU_LISTS);
          zone_count.set(zone, c);
        }
        c[lru] += n;
      }
      if (nr !== pgdat.vm_stat[NR_LRU_BASE + lru])
        fail(
          `node ${pgdat.node_id} LRU list ${lru}: ${nr} pages listed, counter ${pgdat.vm_stat[NR_LRU_BASE + lru]}`,
        );
    }
  }
  for (const zone of k.zones)
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      const nr = zone_count.get(zone)?.[lru] ?? 0;
      if (nr !== zone.vm_stat[NR_ZONE_LRU_BASE + lru])
        fail(
          `zone ${zone.name} LRU list ${lru}: ${nr} pages listed, counter ${zone.vm_stat[NR_ZONE_LRU_BASE + lru]}`,
        );
    }
  if (counts.lru !== listed) fail(`${counts.lru} pages have PG_lru but ${listed} are on the LRU lists`);
  let counted = 0;
  for (const pgdat of k.nodes) counted += pgdat.vm_stat[NR_SWAPCACHE];
  if (counted !== counts.swapcache)
    fail(`NR_SWAPCACHE ${counted} but ${counts.swapcache} pages have PG_swapcache`);
}

/*
 * Invariants of writeback (page_writeback.ts): the requests in flight are
 * exactly the pages with PG_writeback, each once, in completion order, and
 * NR_WRITEBACK counts them.
 */
function check_writeback(k: Kernel, counts: { writeback: number }): void {
  const q = k.wb.inflight;
  const seen = new Set<number>();
  for (let i = 0; i < q.length; i++) {
    const pfn = q.pfn_at(i);
    if (!(k.mem.flags[pfn] & PG_writeback)) fail(`pfn ${pfn} is in flight without PG_writeback`);
    if (seen.has(pfn)) fail(`pfn ${pfn} is in flight twice`);
    if (i > 0 && q.done_at(i) < q.done_at(i - 1))
      fail(`writeback request ${i} completes before the one ahead of it`);
    seen.add(pfn);
  }
  if (counts.writeback !== q.length)
    fail(`${counts.writeback} pages have PG_writeback but ${q.length} are in flight`);
  let counted = 0;
  for (const pgdat of k.nodes) counted += pgdat.vm_stat[NR_WRITEBACK];
  if (counted !== q.length) fail(`NR_WRITEBACK ${counted} but ${q.length} pages in flight`);
}

/*
 * Invariants of the page cache's and the swap cache's xarrays (lib/xarray.ts)
 * and of the shadow nodes (workingset.ts):
 *   1. every leaf node counts exactly the pages and the values (shadows, a
 *      tmpfs file's swap entries) of its chunk, and no chunk without one
 *      has a node;
 *   2. an xarray holds no more radix_tree_node objects than its shape needs;
 *   3. shadow_nodes holds exactly the leaves of shadows only, on their memory
 *      node's list, and WORKINGSET_NODES counts them.
 */
export function check_xarrays(k: Kernel): void {
  for (const m of k.mappings) {
    if (!m) continue;
    const entries: [number, boolean][] = [];
    for (const index of m.pages.keys()) entries.push([index, false]);
    for (const index of m.shadows.keys()) entries.push([index, true]);
    if (m.shmem) for (const index of shmem_swap_indices(m)) entries.push([index, true]);
    xa_check(k, m.i_pages, entries, `mapping ${m.id}`);
  }
  check_swap_cache_xarrays(k);
  check_shadow_nodes(k, fail);
  check_swap_slots(k);
}

/*
 * Invariants of the swap areas and the swap slots cache:
 *   1. an area's inuse_pages counts its slots that PTEs refer to or that are
 *      marked SWAP_HAS_CACHE (the header and bad pages aside);
 *   2. a slot in a CPU's slots cache is marked in use, no PTE refers to it
 *      and no page of the swap cache stands for it.
 */
function check_swap_slots(k: Kernel): void {
  for (const si of swap_state(k).info) {
    if (!si) continue;
    let n = 0;
    for (let off = 1; off < si.max; off++)
      if ((si.swap_map[off] && si.swap_map[off] !== SWAP_MAP_BAD) || si.has_cache[off]) n++;
    if (n !== si.inuse_pages)
      fail(`swap area ${si.type}: inuse_pages ${si.inuse_pages} but ${n} slots in use`);
  }
  for (const { type, offset } of swap_slots_held(k)) {
    const si = swap_state(k).info[type];
    if (!si) fail(`swap slots cache holds a slot of area ${type}, which is gone`);
    if (!si.has_cache[offset] || si.swap_map[offset] || lookup_swap_cache(k, swp_entry(type, offset)) >= 0)
      fail(`swap slots cache holds slot ${offset} of area ${type}, which is in use`);
  }
}

/*
 * Invariants of the slab allocator (checked with the page allocator's):
 *   1. every slab of a cache: free objects (its freelist, plus the CPU's
 *      lockless freelist when it is a CPU slab) + inuse == objects, with no
 *      object free twice and no cycle;
 *   2. a node's nr_partial, nr_slabs and total_objects agree with its slabs;
 *      a partial slab has free objects and no CPU owns it; the frozen slabs
 *      are exactly the CPU slabs and the CPU partial slabs;
 *   3. every page of a slab is PG_slab-headed and names the slab;
 *   4. NR_SLAB_RECLAIMABLE_B and NR_SLAB_UNRECLAIMABLE_B equal the slab pages
 *      of each kind (plus kmalloc_large pages), so meminfo's Slab is exact.
 */
export function check_slab(k: Kernel): void {
  const st = k.slab;
  if (!st.up) return;
  const pages = [0, 0]; // reclaimable, unreclaimable
  const owned = new Set<Slab>();
  for (const s of st.slab_caches) {
    s.cpu_slab.forEach((c, cpu) => {
      if (c.slab) owned.add(c.slab);
      else if (c.freelist >= 0) fail(`slab ${s.name}: cpu ${cpu} has a freelist without a slab`);
      for (let p = c.partial; p; p = p.next) owned.add(p);
    });
  }
  const per_node = new Map<KmemCache, number[][]>();
  for (const slab of st.slabs) {
    if (!slab) continue;
    const s = slab.cache;
    if (!s.alive) fail(`slab of destroyed cache ${s.name}`);
    const seen = new Uint8Array(slab.objects);
    let free = 0;
    const walk = (head: number, what: string): void => {
      for (let p = head; p >= 0; p = slab.fp[p]) {
        if (p >= slab.objects || seen[p])
          fail(`slab ${s.name} pfn ${slab.pfn}: ${what} freelist corrupt at ${p}`);
        seen[p] = 1;
        free++;
      }
    };
    walk(slab.freelist, "slab");
    let cpu_free = 0;
    for (const c of s.cpu_slab)
      if (c.slab === slab) {
        const before = free;
        walk(c.freelist, "cpu");
        cpu_free = free - before;
      }
    if (free - cpu_free + slab.inuse !== slab.objects)
      fail(
        `slab ${s.name} pfn ${slab.pfn}: free ${free - cpu_free} + inuse ${slab.inuse} != objects ${slab.objects}`,
      );
    if (slab.frozen !== owned.has(slab))
      fail(`slab ${s.name} pfn ${slab.pfn}: frozen=${slab.frozen} but CPU-owned=${owned.has(slab)}`);
    if (!(k.mem.flags[slab.pfn] & PG_slab)) fail(`slab ${s.name} pfn ${slab.pfn} without PG_slab`);
    for (let i = 0; i < 1 << slab.order; i++)
      if (k.mem.getPrivate(slab.pfn + i) !== slab.id)
        fail(`page ${slab.pfn + i} does not name slab ${slab.id}`);
    pages[s.flags & SLAB_RECLAIM_ACCOUNT ? 0 : 1] += 1 << slab.order;
    let counts = per_node.get(s);
    if (!counts) per_node.set(s, (counts = k.nodes.map(() => [0, 0])));
    counts[slab.node][0]++;
    counts[slab.node][1] += slab.objects;
  }
  for (const s of st.slab_caches)
    s.node.forEach((n, node) => {
      const [nr, objs] = per_node.get(s)?.[node] ?? [0, 0];
      if (n.nr_slabs !== nr || n.total_objects !== objs)
        fail(
          `slab ${s.name} node ${node}: nr_slabs ${n.nr_slabs}/${nr} total_objects ${n.total_objects}/${objs}`,
        );
      let partial = 0;
      for (let p = k.mem.links.lru[n.partial << 1]; p !== n.partial; p = k.mem.links.lru[p << 1]) {
        const slab = st.slabs[k.mem.getPrivate(p)];
        if (!slab || slab.cache !== s) fail(`slab ${s.name}: foreign page ${p} on the partial list`);
        if (slab.frozen || slab.freelist < 0)
          fail(`slab ${s.name} pfn ${p}: frozen or full on the partial list`);
        partial++;
      }
      if (partial !== n.nr_partial)
        fail(`slab ${s.name} node ${node}: nr_partial ${n.nr_partial} but list holds ${partial}`);
    });
  let recl = 0;
  let unrecl = 0;
  for (const pgdat of k.nodes) {
    recl += pgdat.vm_stat[NR_SLAB_RECLAIMABLE_B];
    unrecl += pgdat.vm_stat[NR_SLAB_UNRECLAIMABLE_B];
  }
  if (recl !== pages[0]) fail(`NR_SLAB_RECLAIMABLE_B=${recl} but reclaimable slabs hold ${pages[0]} pages`);
  if (unrecl !== pages[1] + st.nr_large_pages)
    fail(
      `NR_SLAB_UNRECLAIMABLE_B=${unrecl} but slabs hold ${pages[1]} + kmalloc_large ${st.nr_large_pages} pages`,
    );
}

/**
 * Invariants of vmalloc: busy, free and lazily freed ranges are sorted and
 * never overlap; VmallocUsed equals the pages of the vmalloc'd areas.
 */
export function check_vmalloc(k: Kernel): void {
  const v = k.vmap;
  if (!v.free.length && !v.busy.length) return;
  const all = [...v.busy, ...v.free, ...v.purge].sort((a, b) => a.va_start - b.va_start);
  for (let i = 0; i < all.length; i++) {
    if (all[i].va_end <= all[i].va_start) fail(`vmap area ${all[i].va_start} is empty`);
    if (i && all[i].va_start < all[i - 1].va_end)
      fail(`vmap areas overlap at 0x${all[i].va_start.toString(16)}`);
  }
  let pages = 0;
  for (const a of v.busy) if (a.vm) pages += a.vm.nr_pages;
  if (pages !== k.mm_stat.nr_vmalloc_pages)
    fail(`nr_vmalloc_pages=${k.mm_stat.nr_vmalloc_pages} but vmalloc areas hold ${pages}`);
}
