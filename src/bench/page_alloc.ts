/*
 * page_alloc.ts - allocator hot paths: an order-0 allocate+free pair through
 * the per-CPU lists, and an order-3 pair through the buddy lists (the zone's
 * per-CPU lists set to pass blocks straight through, high 0, batch 1).
 */

import { GFP_KERNEL } from "../kernel/mm/gfp.js";
import { __free_pages, alloc_pages } from "../kernel/mm/page_alloc.js";
import { Machine } from "../machine.js";
import type { Row } from "./main.js";

function pairNs(m: Machine, order: number, n: number): number {
  const k = m.k;
  for (let i = 0; i < 10000; i++) __free_pages(k, alloc_pages(k, GFP_KERNEL, order), order);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const pfn = alloc_pages(k, GFP_KERNEL, order);
    __free_pages(k, pfn, order);
  }
  return ((performance.now() - t0) * 1e6) / n;
}

export function pageAllocSuite(): Row[] {
  const m = new Machine({ machine: "pc", memory: 2 ** 30, transcript: true });
  m.boot();
  m.runUntilInput();
  // The best of five runs: the least disturbed by the host (GC, other processes).
  const best = (f: () => number): number => Math.min(f(), f(), f(), f(), f());
  const o0 = best(() => pairNs(m, 0, 2_000_000));
  for (const z of m.k.zones)
    for (const pcp of z.pageset) {
      pcp.high = 0;
      pcp.batch = 1;
    }
  const o3 = best(() => pairNs(m, 3, 1_000_000));
  m.checkInvariants();
  return [
    {
      what: "order-0 alloc+free pair, per-CPU lists",
      value: `${o0.toFixed(1)} ns`,
      target: "< 100 ns",
      ok: o0 < 100,
    },
    {
      what: "order-3 alloc+free pair, buddy lists (split and merge)",
      value: `${o3.toFixed(0)} ns`,
      target: "",
      ok: null,
    },
  ];
}
