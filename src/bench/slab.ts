/*
 * slab.ts - the object allocators' hot paths: a kmem_cache_alloc+free pair
 * on the per-CPU slab (the fast path both ways), a kmalloc-64 churn of a
 * million objects (allocate them all, free them all: slabs come from and
 * go back to the buddy allocator, through the partial lists), and a
 * vmalloc+vfree of 1 MiB (256 pages gathered one by one, the area purged
 * lazily).
 */

import { GFP_KERNEL } from "../kernel/mm/gfp.js";
import { kmem_cache_lookup } from "../kernel/mm/kmem_caches.js";
import { kfree, kmalloc, kmem_cache_alloc, kmem_cache_free } from "../kernel/mm/slab_common.js";
import { vfree, vmalloc } from "../kernel/mm/vmalloc.js";
import { Machine } from "../machine.js";
import type { Row } from "./main.js";

function pairNs(m: Machine, n: number): number {
  const k = m.k;
  const s = kmem_cache_lookup(k, "filp");
  for (let i = 0; i < 10000; i++) kmem_cache_free(k, s, kmem_cache_alloc(k, s, GFP_KERNEL));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = kmem_cache_alloc(k, s, GFP_KERNEL);
    kmem_cache_free(k, s, a);
  }
  return ((performance.now() - t0) * 1e6) / n;
}

function churnMs(m: Machine, n: number): number {
  const k = m.k;
  const held = new Float64Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) held[i] = kmalloc(k, 64, GFP_KERNEL);
  for (let i = 0; i < n; i++) kfree(k, held[i]);
  return performance.now() - t0;
}

function vmallocUs(m: Machine, n: number): number {
  const k = m.k;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) vfree(k, vmalloc(k, 1 << 20));
  return ((performance.now() - t0) * 1e3) / n;
}

export function slabSuite(): Row[] {
  const m = new Machine({ machine: "pc", memory: 2 ** 30, transcript: true });
  m.boot();
  m.runUntilInput();
  const best = (f: () => number): number => Math.min(f(), f(), f());
  const pair = best(() => pairNs(m, 2_000_000));
  const churn = best(() => churnMs(m, 1_000_000));
  const vm = best(() => vmallocUs(m, 2000));
  m.checkInvariants();
  return [
    {
      what: "kmem_cache_alloc+free pair, per-CPU slab (filp)",
      value: `${pair.toFixed(0)} ns`,
      target: "< 60 ns",
      ok: pair < 60,
    },
    {
      what: "kmalloc-64 churn: 1,000,000 kmalloc then 1,000,000 kfree",
      value: `${churn.toFixed(0)} ms (${((churn * 1e6) / 2e6).toFixed(0)} ns per call)`,
      target: "",
      ok: null,
    },
    { what: "vmalloc+vfree of 1 MiB (256 pages)", value: `${vm.toFixed(1)} us`, target: "", ok: null },
  ];
}
