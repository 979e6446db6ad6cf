/*
 * Compaction and migration through the kernel's own paths: a zone left in
 * order-0 holes between movable pages gets its big blocks back, every page
 * keeps its contents and every mapping follows it, pinned pages stay, the
 * deferral arithmetic and the fragmentation index are 6.1's, and the
 * invariant checker agrees after each step.
 */

import { describe, expect, it } from "vitest";
import {
  COMPACT_COMPLETE,
  COMPACT_CONTINUE,
  COMPACT_DEFERRED,
  COMPACT_PRIO_ASYNC,
  COMPACT_SKIPPED,
  COMPACT_SUCCESS,
  compact_nodes,
  compaction_deferred,
  compaction_suitable,
  DEF_COMPACT_PRIORITY,
  defer_compaction,
  MIN_COMPACT_PRIORITY,
  try_to_compact_pages,
} from "../../../src/kernel/mm/compaction.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { fragmentation_index } from "../../../src/kernel/mm/extfrag.js";
import { GFP_HIGHUSER_MOVABLE } from "../../../src/kernel/mm/gfp.js";
import { dup_mmap } from "../../../src/kernel/mm/mmap.js";
import type { Zone } from "../../../src/kernel/mm/mmzone.js";
import type { AllocContext } from "../../../src/kernel/mm/page_alloc.js";
import { get_page, put_page } from "../../../src/kernel/mm/swap.js";
import {
  COMPACTISOLATED,
  COMPACTMIGRATE_SCANNED,
  PGMIGRATE_SUCCESS,
} from "../../../src/kernel/mm/vm_event_item.js";
import {
  big_zone,
  fragment_with_movable,
  fragment_with_unmovable,
  highest_free_order,
  pfns,
  task_of,
} from "../../helpers/fragment.js";
import { booted } from "../../helpers/machine.js";

const MiB = 1024 * 1024;

describe("compact_memory on a zone fragmented by movable pages", () => {
  it.each(["pc", "vexpress-a9"] as const)(
    "%s: the highest free order rises and no page changes",
    (machine) => {
      const k = booted({ machine, memory: 256 * MiB }).k;
      const z = big_zone(k);
      const { mm, n } = fragment_with_movable(k, z, 7000);
      check_vm(k);
      const before = pfns(k, mm, n);
      const tags = before.map((pfn) => (pfn < 0 ? -1 : k.mem.getTag(pfn)));
      // Written pages hold (almost always) different contents: 30-bit tags may collide.
      expect(new Set(tags.filter((t) => t !== -1)).size).toBeGreaterThan(0.99 * Math.ceil(n / 2));
      const order_before = highest_free_order(k, z);
      expect(order_before).toBeLessThan(k.pageblock_order);

      const ev = k.vm_events.slice();
      compact_nodes(k);
      check_vm(k);

      const after = pfns(k, mm, n);
      // Every page is still mapped where it was, with the same contents; many moved.
      expect(after.map((pfn) => (pfn < 0 ? -1 : k.mem.getTag(pfn)))).toEqual(tags);
      expect(after.map((pfn) => pfn < 0)).toEqual(before.map((pfn) => pfn < 0));
      const moved = after.filter((pfn, i) => pfn !== before[i]).length;
      expect(moved).toBeGreaterThan(n / 8);
      expect(highest_free_order(k, z)).toBe(k.MAX_ORDER - 1);
      expect(k.vm_events[PGMIGRATE_SUCCESS] - ev[PGMIGRATE_SUCCESS]).toBeGreaterThanOrEqual(moved);
      expect(k.vm_events[COMPACTISOLATED] - ev[COMPACTISOLATED]).toBeGreaterThanOrEqual(2 * moved);
      expect(k.vm_events[COMPACTMIGRATE_SCANNED]).toBeGreaterThan(ev[COMPACTMIGRATE_SCANNED]);
    },
  );
});

describe("migration", () => {
  it("moves a page shared by parent and child: both mappings follow, mapcount 2", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const z = big_zone(k);
    const { mm, n } = fragment_with_movable(k, z, 7001);
    const child = dup_mmap(k, null, mm)!;
    task_of(k, 7101, child);
    check_vm(k);
    const before = pfns(k, mm, n);
    compact_nodes(k);
    check_vm(k);
    const after = pfns(k, mm, n);
    expect(pfns(k, child, n)).toEqual(after);
    const i = after.findIndex((pfn, j) => pfn >= 0 && pfn !== before[j]);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(k.mem.page_mapcount(after[i])).toBe(2);
    expect(k.mem.page_ref_count(after[i])).toBe(2);
    expect(k.mem.page_mapcount(before[i])).toBe(0);
  });

  it("leaves a pinned page where it is, and moves its unpinned neighbours", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const { mm, n } = fragment_with_movable(k, big_zone(k), 7002);
    const before = pfns(k, mm, n);
    // The lowest page is the first the migrate scanner meets.
    const pinned = Math.min(...before.filter((pfn) => pfn >= 0));
    const i = before.indexOf(pinned);
    get_page(k, pinned); // as get_user_pages would
    compact_nodes(k);
    check_vm(k);
    const after = pfns(k, mm, n);
    expect(after[i]).toBe(pinned);
    const block = (pfn: number): number => pfn >>> k.pageblock_order;
    const neighbours = before.filter((pfn, j) => j !== i && pfn >= 0 && block(pfn) === block(pinned));
    expect(neighbours.length).toBeGreaterThan(0);
    expect(neighbours.every((pfn) => after[before.indexOf(pfn)] !== pfn)).toBe(true);
    put_page(k, pinned);
    check_vm(k);
  });
});

describe("direct compaction (try_to_compact_pages)", () => {
  const ac = (z: Zone): AllocContext => ({
    zonelist: [z],
    nodemask: null,
    preferred_zone: z,
    migratetype: 1,
    highest_zoneidx: z.zone_idx,
  });

  it("stops at the first free block of the order, and the next run goes on from there", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const z = big_zone(k);
    // Holes at even pfns, where the async free scanner looks (see fragment_with_movable).
    fragment_with_movable(k, z, 7004, true);
    const r = try_to_compact_pages(k, GFP_HIGHUSER_MOVABLE, 9, 0, ac(z), COMPACT_PRIO_ASYNC);
    expect(r).toBe(COMPACT_SUCCESS);
    expect(z.nr_free.slice(9).some((n) => n > 0)).toBe(true);
    expect(z.compact_order_failed).toBe(10); // compaction_defer_reset
    // The scanners stopped half way: their positions are kept for the next run.
    expect(z.compact_cached_migrate_pfn[0]).toBeGreaterThan(z.zone_start_pfn);
    expect(z.compact_cached_free_pfn).toBeLessThan(z.zone_end_pfn - k.pageblock_nr_pages);
    check_vm(k);
  });

  it("defers a zone where a synchronous run failed, and skips it while deferred", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const z = big_zone(k);
    fragment_with_unmovable(k, z);
    const r = try_to_compact_pages(k, GFP_HIGHUSER_MOVABLE, 9, 0, ac(z), DEF_COMPACT_PRIORITY);
    expect(r).toBe(COMPACT_COMPLETE);
    expect(z.compact_defer_shift).toBe(1);
    expect(z.compact_order_failed).toBe(0); // never succeeded: every order is deferred
    expect(try_to_compact_pages(k, GFP_HIGHUSER_MOVABLE, 9, 0, ac(z), DEF_COMPACT_PRIORITY)).toBe(
      COMPACT_DEFERRED,
    );
    // The most thorough priority ignores the deferral (and may take targets from any block).
    const scanned = k.vm_events[COMPACTMIGRATE_SCANNED];
    expect(try_to_compact_pages(k, GFP_HIGHUSER_MOVABLE, 9, 0, ac(z), MIN_COMPACT_PRIORITY)).not.toBe(
      COMPACT_DEFERRED,
    );
    expect(k.vm_events[COMPACTMIGRATE_SCANNED]).toBeGreaterThan(scanned);
    check_vm(k);
  });
});

describe("deferral (defer_compaction, compaction_deferred)", () => {
  it("skips 2^defer_shift attempts after each failure, up to 64, for that order and above", () => {
    const z = { compact_considered: 0, compact_defer_shift: 0, compact_order_failed: 0 } as Zone;
    const skipped = (order: number): number => {
      let n = 0;
      while (compaction_deferred(z, order)) n++;
      return n;
    };
    z.compact_order_failed = 9;
    expect(compaction_deferred(z, 9)).toBe(false);
    const runs: number[] = [];
    for (let i = 0; i < 8; i++) {
      defer_compaction(z, 9);
      runs.push(skipped(9));
    }
    expect(runs).toEqual([1, 3, 7, 15, 31, 63, 63, 63]);
    defer_compaction(z, 9);
    expect(compaction_deferred(z, 4)).toBe(false); // a smaller order is not deferred
    expect(z.compact_defer_shift).toBe(6);
  });
});

describe("fragmentation_index and compaction_suitable", () => {
  const zone = (nr_free: number[]): Zone => {
    const a = new Int32Array(11);
    a.set(nr_free);
    return { nr_free: a } as unknown as Zone;
  };
  const k = { MAX_ORDER: 11 } as never;
  it.each([
    // nr_free per order, order asked, index in thousandths
    [[100], 1, 490],
    [[100], 4, 928],
    [[0, 0, 0, 4], 2, -1000],
    [[0, 0, 0, 4], 4, 250],
    [[], 3, 0],
    [[512, 256, 0, 1], 9, 997],
  ])("nr_free %j, order %i: %i", (nr_free, order, index) => {
    expect(fragmentation_index(k, zone(nr_free), order)).toBe(index);
  });

  it("says SUCCESS when the order is free already and SKIPPED when memory is short", () => {
    const k2 = booted({ machine: "pc", memory: 256 * MiB }).k;
    const z = big_zone(k2);
    expect(compaction_suitable(k2, z, 9, 0, z.zone_idx)).toBe(COMPACT_SUCCESS);
    fragment_with_movable(k2, z, 7003);
    expect(compaction_suitable(k2, z, 9, 0, z.zone_idx)).toBe(COMPACT_CONTINUE);
    // Raising extfrag_threshold past the index makes it "lack of memory": skipped.
    k2.sysctl_vm.extfrag_threshold = 1000;
    expect(compaction_suitable(k2, z, 9, 0, z.zone_idx)).toBe(COMPACT_SKIPPED);
  });
});
