import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { __GFP_NOWARN, GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from "../../../src/kernel/mm/gfp.js";
import {
  MIGRATE_MOVABLE,
  MIGRATE_TYPES,
  MIGRATE_UNMOVABLE,
  NR_FREE_PAGES,
  type Zone,
} from "../../../src/kernel/mm/mmzone.js";
import { __free_pages, alloc_pages, drain_all_pages, page_zone } from "../../../src/kernel/mm/page_alloc.js";
import { pageblock_counts } from "../../../src/kernel/mm/vmstat.js";
import { Machine } from "../../../src/machine.js";
import { booted } from "../../helpers/machine.js";

function nr_free(z: Zone): number[] {
  return Array.from(z.nr_free);
}

/** Blocks on free_list[order][mt] (read through the page links). */
function list_len(k: Kernel, z: Zone, order: number, mt: number): number {
  const head = z.free_list(order, mt);
  let n = 0;
  for (let p = k.mem.links.lru[head << 1]; p !== head; p = k.mem.links.lru[p << 1]) n++;
  return n;
}

function buddy_sum(k: Kernel): number {
  let s = 0;
  for (const z of k.zones) for (let o = 0; o < k.MAX_ORDER; o++) s += z.nr_free[o] << o;
  return s;
}

function memfree(k: Kernel): number {
  return k.zones.reduce((s, z) => s + z.vm_stat[NR_FREE_PAGES], 0);
}

/** Runs fn as the kernel would between two drains of the per-CPU lists. */
function drained<T>(k: Kernel, fn: () => T): T {
  drain_all_pages(k, null);
  const r = fn();
  drain_all_pages(k, null);
  return r;
}

describe("buddy allocator", () => {
  it("splits the smallest suitable block and merges it back on free", () => {
    const m = booted({ memory: 256 * 2 ** 20 });
    const k = m.k;
    drain_all_pages(k, null);
    const z = k.zones[0];
    const before = nr_free(z);
    // The buddy algorithm: the first order >= 3 with an Unmovable block is split down to order 3.
    let o = 3;
    while (o < k.MAX_ORDER && list_len(k, z, o, MIGRATE_UNMOVABLE) === 0) o++;
    expect(o).toBeLessThan(k.MAX_ORDER);
    const pfn = drained(k, () => alloc_pages(k, GFP_KERNEL, 3));
    expect(page_zone(k, pfn)).toBe(z);
    const expected = before.slice();
    expected[o]--;
    for (let i = 3; i < o; i++) expected[i]++;
    expect(nr_free(z)).toEqual(expected);
    drained(k, () => __free_pages(k, pfn, 3));
    expect(nr_free(z)).toEqual(before);
    check_page_alloc(k);
  });

  it("keeps MemFree equal to the buddyinfo sum in every state", () => {
    const m = booted({ memory: 128 * 2 ** 20 });
    const k = m.k;
    const held: [number, number][] = [];
    for (let i = 0; i < 200; i++) {
      const order = i % 5;
      const pfn = alloc_pages(k, i % 2 ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE, order);
      if (pfn >= 0) held.push([pfn, order]);
      expect(memfree(k)).toBe(buddy_sum(k));
      if (i % 3 === 0 && held.length) {
        const [p, ord] = held.splice(i % held.length, 1)[0];
        __free_pages(k, p, ord);
      }
      check_page_alloc(k);
    }
    for (const [p, ord] of held) __free_pages(k, p, ord);
    expect(memfree(k)).toBe(buddy_sum(k));
    check_page_alloc(k);
  });

  it("steals a whole pageblock when unmovable requests fall back to movable", () => {
    const m = booted({ memory: 128 * 2 ** 20 });
    const k = m.k;
    const z = k.zones[0];
    // Keep allocating unmovable pages; once the Unmovable and Reclaimable free lists are
    // empty, the next request falls back to the largest Movable block and takes over its
    // whole pageblock (can_steal_fallback: order >= pageblock_order).
    const held: number[] = [];
    let changed: [number[], number[], number] | null = null;
    for (let i = 0; i < 100000 && !changed; i++) {
      const before = pageblock_counts(k, z);
      const pfn = drained(k, () => alloc_pages(k, GFP_KERNEL | __GFP_NOWARN, 0));
      if (pfn < 0) break;
      held.push(pfn);
      const after = pageblock_counts(k, z);
      if (after[MIGRATE_UNMOVABLE] !== before[MIGRATE_UNMOVABLE]) changed = [before, after, pfn];
    }
    expect(changed).not.toBeNull();
    const [before, after] = changed!;
    expect(after[MIGRATE_UNMOVABLE]).toBe(before[MIGRATE_UNMOVABLE] + 1);
    expect(after[MIGRATE_MOVABLE]).toBe(before[MIGRATE_MOVABLE] - 1);
    expect(after.reduce((a, b) => a + b)).toBe(before.reduce((a, b) => a + b));
    expect(after.length).toBe(MIGRATE_TYPES);
    check_page_alloc(k);
    for (const p of held) __free_pages(k, p, 0);
    check_page_alloc(k);
  });

  it("fails an order the allocator does not have and warns", () => {
    const m = booted({ memory: 64 * 2 ** 20 });
    const k = m.k;
    const all: number[] = [];
    for (;;) {
      const p = alloc_pages(k, GFP_KERNEL | __GFP_NOWARN, 10);
      if (p < 0) break;
      all.push(p);
    }
    const p = alloc_pages(k, GFP_KERNEL, 10);
    expect(p).toBe(-1);
    const log = k.printk.records.map((r) => r.text);
    expect(log).toContain(
      "swapper/0: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0",
    );
    expect(log).toContain("Mem-Info:");
    for (const q of all) __free_pages(k, q, 10);
    check_page_alloc(k);
  });

  it("panics with the broken invariant when the free lists and counters disagree", () => {
    const m = new Machine({ machine: "vexpress-a9", memory: 64 * 2 ** 20 });
    m.boot();
    m.runUntilInput();
    m.k.zones[0].nr_free[2]++;
    m.checkInvariants();
    expect(m.panicked).toBe("Fatal exception");
    const log = m.k.printk.records.map((r) => r.text);
    expect(log).toContain(
      "kernel BUG: debug_vm: DMA nr_free[2]=" +
        m.k.zones[0].nr_free[2] +
        " but lists hold " +
        (m.k.zones[0].nr_free[2] - 1),
    );
    expect(log).toContain("Kernel panic - not syncing: Fatal exception");
  });
});
