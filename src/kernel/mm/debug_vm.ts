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
import { check_mm } from "./debug_mm.js";
import { PG_buddy, PG_reserved } from "./mm_types.js";
import { MIGRATE_CMA, MIGRATE_ISOLATE, MIGRATE_TYPES, NR_FREE_CMA_PAGES, NR_FREE_PAGES } from "./mmzone.js";
import { pindex_to_order } from "./page_alloc.js";

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
        for (let p = links.next[head]; p !== head; p = links.next[p]) {
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
        for (let p = links.next[head]; p !== head; p = links.next[p]) {
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
  for (let b = 0; b < mem.pageblock_mt.length; b++)
    if (mem.pageblock_mt[b] >= MIGRATE_TYPES) fail(`pageblock ${b} has migrate type ${mem.pageblock_mt[b]}`);
}

/** Free pages sitting on ISOLATE lists (not counted in NR_FREE_PAGES). */
function isolated(k: Kernel, z: import("./mmzone.js").Zone): number {
  let n = 0;
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const head = z.free_list(order, MIGRATE_ISOLATE);
    for (let p = k.mem.links.next[head]; p !== head; p = k.mem.links.next[p]) n += 1 << order;
  }
  return n;
}

/** Everything the checker knows: the allocator, then every address space. */
export function check_vm(k: Kernel): void {
  check_page_alloc(k);
  check_mm(k);
}
