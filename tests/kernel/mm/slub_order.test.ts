/*
 * slub_order.test.ts - slab geometry against real kernels: for every cache
 * the reference kernels' /proc/slabinfo lists (their slab sizes, 4 CPUs on
 * armhf, 2 on x86_64), calculate_order must choose the same order and so
 * the same objects per slab; then a table of sizes worked out by hand from
 * mm/slub.c; then the kmalloc families each machine creates, in the order
 * slabinfo lists them.
 */

import { describe, expect, it } from "vitest";
import { ARM_SLABINFO, X86_SLABINFO } from "../../../src/kernel/mm/kmem_caches_data.js";
import { calculate_order, order_objects, type SlubOrderParams } from "../../../src/kernel/mm/slub_layout.js";
import { booted } from "../../helpers/machine.js";

const params = (nr_cpus: number, max_order = 11): SlubOrderParams => ({
  slub_min_order: 0,
  slub_max_order: 3,
  slub_min_objects: 0,
  nr_cpus,
  max_order,
});

describe("calculate_order", () => {
  it.each([
    ["armhf", ARM_SLABINFO, 4, 12],
    ["x86_64", X86_SLABINFO, 2, 11],
  ] as const)(
    "gives every %s reference cache its objects per slab and pages per slab",
    (_arch, table, cpus, max) => {
      const mismatches = table
        .map(([name, size, per, pages]) => {
          const order = calculate_order(params(cpus, max), size);
          return { name, size, want: `${per}/${pages}`, got: `${order_objects(order, size)}/${1 << order}` };
        })
        .filter((r) => r.want !== r.got);
      expect(mismatches).toEqual([]);
    },
  );

  // size, CPUs -> order, objects (min_objects = 4 * (fls(cpus) + 1), waste <= 1/16, 1/8, 1/4 of the slab)
  it.each([
    [8, 4, 0, 512],
    [96, 2, 0, 42],
    [700, 1, 1, 11], // 8 objects wanted: 5600 bytes, order 1; 8192 % 700 = 492 <= 512
    [700, 64, 3, 46], // 32 wanted: order 3 (32768 % 700 = 568 <= 2048)
    [2752, 4, 3, 11], // min_objects capped at 11 (what order 3 holds); waste 2496 > 1/16, ok at 1/8
    [6208, 2, 3, 5],
    [4104, 4, 3, 7], // slub_debug's names_cache
    [9000, 4, 3, 3], // min_objects capped at 3 (order 3 holds 3); 32768 % 9000 = 5768 is within 1/4
    [40000, 4, 4, 1], // above slub_max_order: the smallest order that fits one object
  ])("size %i with %i CPUs: order %i, %i objects", (size, cpus, order, objects) => {
    const o = calculate_order(params(cpus), size);
    expect([o, order_objects(o, size)]).toEqual([order, objects]);
  });
});

describe("kmalloc caches", () => {
  const kmalloc_names = (machine: "vexpress-a9" | "pc" | "virt"): string[] => {
    const m = booted({ machine, memory: 256 * 2 ** 20 });
    return m.k.slab.slab_caches.map((s) => s.name).filter((n) => /kmalloc/.test(n));
  };
  const family = (prefix: string, sizes: string[]): string[] => sizes.map((s) => `${prefix}${s}`);
  const X86 = ["8", "16", "32", "64", "96", "128", "192", "256", "512", "1k", "2k", "4k", "8k"];
  const ARM = ["64", "128", "192", "256", "512", "1k", "2k", "4k", "8k"];
  const ARM64 = ["128", "256", "512", "1k", "2k", "4k", "8k"];

  it.each([
    ["pc", X86],
    ["vexpress-a9", ARM],
    ["virt", ARM64],
  ] as const)(
    "%s creates kmalloc-, kmalloc-cg-, kmalloc-rcl- and dma-kmalloc- from its smallest class",
    (machine, sizes) => {
      expect(kmalloc_names(machine)).toEqual([
        ...family("kmalloc-", sizes),
        ...family("kmalloc-cg-", sizes),
        ...family("kmalloc-rcl-", sizes),
        ...family("dma-kmalloc-", sizes),
      ]);
    },
  );

  it("lists caches newest first, kmem_cache at the bottom, as the reference does", () => {
    const m = booted({ memory: 256 * 2 ** 20 });
    const names = m.k.slab.slab_caches.map((s) => s.name).reverse();
    const ref = ARM_SLABINFO.map((r) => r[0]).reverse();
    expect(names.slice(-ref.length)).toEqual(ref);
  });
});
