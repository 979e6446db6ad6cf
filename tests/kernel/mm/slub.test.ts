/*
 * slub.test.ts - the SLUB allocator: counters against a walk of the slabs,
 * meminfo's Slab against the slab pages, the per-CPU slab and partial
 * lists, kmalloc's size classes, ksize/krealloc/kmalloc_large, merging,
 * shrinking and destroying. The invariant checker (debug_vm's check_slab)
 * runs after every step.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meminfo_show } from "../../../src/kernel/fs/proc/meminfo.js";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { __GFP_ACCOUNT, __GFP_DMA, __GFP_RECLAIMABLE, GFP_KERNEL } from "../../../src/kernel/mm/gfp.js";
import { kmem_cache_lookup } from "../../../src/kernel/mm/kmem_caches.js";
import type { KmemCache } from "../../../src/kernel/mm/slab.js";
import {
  kfree,
  kmalloc,
  kmalloc_slab,
  kmem_cache_alloc,
  kmem_cache_create,
  kmem_cache_destroy,
  kmem_cache_free,
  kmem_cache_shrink,
  krealloc,
  ksize,
  slabinfo_show,
} from "../../../src/kernel/mm/slab_common.js";
import { booted } from "../../helpers/machine.js";

const MiB = 2 ** 20;

/** What /proc/slabinfo says of a cache: [active_objs, num_objs, objsize, objperslab, pagesperslab, slabs]. */
function slabinfo_row(k: Kernel, name: string): number[] {
  const line = slabinfo_show(k)
    .split("\n")
    .find((l) => l.split(/\s+/)[0] === name)!;
  const f = line.split(/\s+/);
  return [1, 2, 3, 4, 5, 14].map((i) => Number(f[i]));
}

/** The same numbers from the slabs themselves: free objects count only on the node partial lists. */
function walk(k: Kernel, s: KmemCache): number[] {
  let objs = 0;
  let slabs = 0;
  let free = 0;
  for (const slab of k.slab.slabs) {
    if (!slab || slab.cache !== s) continue;
    slabs++;
    objs += slab.objects;
    if (slab.on_list === 1) for (let p = slab.freelist; p >= 0; p = slab.fp[p]) free++;
  }
  return [objs - free, objs, s.size, s.objects, 1 << s.order, slabs];
}

function meminfo_kb(k: Kernel, key: string): number {
  const line = meminfo_show(k)
    .split("\n")
    .find((l) => l.startsWith(`${key}:`))!;
  return Number(line.split(/\s+/)[1]);
}

describe("slabinfo and meminfo", () => {
  it("slabinfo counters equal a walk of the slabs, and meminfo Slab equals the slab pages, after random work", () => {
    const m = booted({ memory: 256 * MiB });
    const k = m.k;
    const caches = ["filp", "dentry", "kmalloc-64", "kmalloc-1k", "task_struct"].map((n) =>
      kmem_cache_lookup(k, n),
    );
    const held: [KmemCache, number][] = [];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(4), fc.nat(3), fc.nat(400), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (steps) => {
          for (const [ci, cpu, n, alloc] of steps) {
            k.cpu = cpu;
            const s = caches[ci];
            if (alloc) for (let i = 0; i < n; i++) held.push([s, kmem_cache_alloc(k, s, GFP_KERNEL)]);
            else
              for (let i = 0; i < n && held.length; i++) {
                const [hs, a] = held.splice((i * 7919) % held.length, 1)[0];
                kmem_cache_free(k, hs, a);
              }
            check_page_alloc(k);
            for (const c of caches) expect(slabinfo_row(k, c.name)).toEqual(walk(k, c));
            let recl = 0;
            let unrecl = 0;
            for (const slab of k.slab.slabs)
              if (slab) {
                if (slab.cache.flags & 0x20000) recl += 4 << slab.order;
                else unrecl += 4 << slab.order;
              }
            unrecl += 4 * k.slab.nr_large_pages;
            expect([
              meminfo_kb(k, "SReclaimable"),
              meminfo_kb(k, "SUnreclaim"),
              meminfo_kb(k, "Slab"),
            ]).toEqual([recl, unrecl, recl + unrecl]);
          }
        },
      ),
      { numRuns: 12, seed: 4 },
    );
    k.cpu = 0;
  });
});

describe("per-CPU slabs", () => {
  it("an alloc+free pair on one CPU stays on its slab's lockless freelist", () => {
    const k = booted({ memory: 256 * MiB }).k;
    const s = kmem_cache_lookup(k, "filp");
    const a = kmem_cache_alloc(k, s, GFP_KERNEL);
    const c = s.cpu_slab[k.cpu];
    const slab = c.slab!;
    const before = [slab.inuse, slab.freelist];
    kmem_cache_free(k, s, a);
    expect(c.freelist).toBe((a - slab.base) / s.size);
    expect(kmem_cache_alloc(k, s, GFP_KERNEL)).toBe(a);
    expect([slab.inuse, slab.freelist]).toEqual(before);
    check_page_alloc(k);
  });

  it("a free from another CPU goes on the slab's own list; a full slab freed into joins that CPU's partial list", () => {
    const k = booted({ memory: 256 * MiB }).k;
    const s = kmem_cache_create(k, "test_cache", 200, 0, { ctor: true })!;
    k.cpu = 0;
    const objs = Array.from({ length: s.objects * 2 }, () => kmem_cache_alloc(k, s, GFP_KERNEL));
    const full = s.cpu_slab[0].slab === null ? null : objs[0];
    expect(full).not.toBeNull();
    k.cpu = 1;
    kmem_cache_free(k, s, objs[0]); // the first slab is full and nobody's: it is frozen onto CPU 1's partial list
    expect(s.cpu_slab[1].partial?.pfn).toBe(Math.floor(objs[0] / 4096));
    kmem_cache_free(k, s, objs[s.objects]); // CPU 0's current slab: a remote free
    const cur = s.cpu_slab[0].slab!;
    expect(cur.freelist).toBe((objs[s.objects] - cur.base) / s.size);
    check_page_alloc(k);
    k.cpu = 0;
    for (const o of objs.slice(1)) if (o !== objs[s.objects]) kmem_cache_free(k, s, o);
    expect(kmem_cache_destroy(k, s)).toBe(true);
    expect(slabinfo_show(k)).not.toContain("test_cache");
    check_page_alloc(k);
  });

  it("kmem_cache_shrink gives the empty slabs back to the buddy allocator", () => {
    const k = booted({ memory: 256 * MiB }).k;
    const s = kmem_cache_create(k, "shrink_me", 500, 0, { ctor: true })!;
    const objs = Array.from({ length: 10 * s.objects }, () => kmem_cache_alloc(k, s, GFP_KERNEL));
    for (const o of objs) kmem_cache_free(k, s, o);
    expect(s.node[0].nr_slabs).toBeGreaterThan(0);
    kmem_cache_shrink(k, s);
    expect([s.node[0].nr_slabs, s.node[0].nr_partial]).toEqual([0, 0]);
    check_page_alloc(k);
  });
});

describe("kmalloc", () => {
  it.each([
    [
      "pc",
      [1, 8, 9, 24, 33, 65, 96, 97, 129, 193, 257, 1025, 8192],
      "8 8 16 32 64 96 96 128 192 256 512 2k 8k",
    ],
    [
      "vexpress-a9",
      [1, 8, 33, 65, 96, 97, 129, 193, 257, 1025, 8192],
      "64 64 64 128 128 128 192 256 512 2k 8k",
    ],
    ["virt", [1, 65, 96, 129, 192, 193, 8192], "128 128 128 256 256 256 8k"],
  ] as const)("%s rounds sizes up to its classes", (machine, sizes, classes) => {
    const k = booted({ machine, memory: 256 * MiB }).k;
    expect(sizes.map((n) => kmalloc_slab(k, n, GFP_KERNEL)!.name.replace("kmalloc-", "")).join(" ")).toBe(
      classes,
    );
  });

  it("picks the family from the GFP flags: DMA, then reclaimable, then accounted", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const name = (gfp: number): string => kmalloc_slab(k, 100, GFP_KERNEL | gfp)!.name;
    expect([0, __GFP_ACCOUNT, __GFP_RECLAIMABLE, __GFP_DMA, __GFP_DMA | __GFP_ACCOUNT].map(name)).toEqual([
      "kmalloc-128",
      "kmalloc-cg-128",
      "kmalloc-rcl-128",
      "dma-kmalloc-128",
      "dma-kmalloc-128",
    ]);
  });

  it("ksize, krealloc and kmalloc_large (compound pages counted in SUnreclaim)", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const a = kmalloc(k, 100, GFP_KERNEL);
    expect(ksize(k, a)).toBe(128);
    expect(krealloc(k, a, 120, GFP_KERNEL)).toBe(a);
    const b = krealloc(k, a, 300, GFP_KERNEL);
    expect([b !== a, ksize(k, b)]).toEqual([true, 512]);
    const before = meminfo_kb(k, "SUnreclaim");
    const big = kmalloc(k, 20000, GFP_KERNEL);
    expect([big % 4096, ksize(k, big), k.slab.nr_large_pages]).toEqual([0, 32768, 8]);
    expect(meminfo_kb(k, "SUnreclaim") - before).toBe(32);
    check_page_alloc(k);
    kfree(k, big);
    kfree(k, b);
    expect([k.slab.nr_large_pages, krealloc(k, 0, 0, GFP_KERNEL)]).toEqual([0, 16]);
    check_page_alloc(k);
  });
});

describe("merging", () => {
  it("a new cache merges into a compatible old one, which lists it among its aliases", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const a = kmem_cache_create(k, "merge_a", 56, 0)!;
    expect(a.name).toBe("ftrace_event_field");
    expect([a.aliases, a.refcount]).toEqual([["merge_a"], 2]);
    // The accounting flags must agree: a reclaimable one joins a reclaimable cache; a constructor keeps it apart.
    expect(kmem_cache_create(k, "merge_b", 56, 0x20000)!.name).toBe("mbcache");
    expect(kmem_cache_create(k, "merge_c", 56, 0, { ctor: true })!.name).toBe("merge_c");
    expect(kmem_cache_destroy(k, a)).toBe(false); // only the alias's reference goes
    expect(a.alive).toBe(true);
    check_page_alloc(k);
  });
});
