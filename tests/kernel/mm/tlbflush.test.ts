/*
 * ptep_clear_flush_young's TLB side, per architecture: ARM flushes the page
 * from every CPU's TLB when reclaim clears a young PTE; x86 leaves the TLBs
 * alone (a stale young entry is harmless, arch/x86/mm/pgtable.c). A young
 * huge PMD (pmdp_clear_flush_young) is flushed, 2 MiB of it, on x86 too.
 */

import { describe, expect, it } from "vitest";
import { pmdp_clear_flush_young } from "../../../src/kernel/mm/huge_memory.js";
import type { MmStruct } from "../../../src/kernel/mm/mm_struct.js";
import { _PAGE_ACCESSED, PageTable } from "../../../src/kernel/mm/pgtable.js";
import { ptep_clear_flush_young_tlb } from "../../../src/kernel/mm/tlbflush.js";
import { booted } from "../../helpers/machine.js";

/** The TLB lookups on every CPU of (asid 7, vpn 0x1234) after each CPU cached it and reclaim aged the PTE. */
function after_aging(machine: "pc" | "vexpress-a9"): { hits: number[]; flushes: number } {
  const k = booted({ machine }).k;
  const mm = { asid: 7 } as MmStruct;
  for (const tlb of k.tlb) tlb.fill(7, 0x1234, 0x5678 * 4096 + 0x63);
  const flushes = k.tlb_set.page_flushes;
  ptep_clear_flush_young_tlb(k, mm, 0x1234);
  return { hits: k.tlb.map((tlb) => tlb.lookup(7, 0x1234)), flushes: k.tlb_set.page_flushes - flushes };
}

describe("ptep_clear_flush_young", () => {
  it("flushes the page from every CPU on ARM", () => {
    const { hits, flushes } = after_aging("vexpress-a9");
    expect(hits).toEqual([-1, -1, -1, -1]);
    expect(flushes).toBe(1);
  });

  it("flushes nothing on x86: every CPU keeps its entry", () => {
    const { hits, flushes } = after_aging("pc");
    expect(hits.length).toBeGreaterThan(0);
    expect(hits).toEqual(hits.map(() => 0x5678 * 4096 + 0x63));
    expect(flushes).toBe(0);
  });
});

describe("pmdp_clear_flush_young", () => {
  it("clears a young huge PMD and flushes its 2 MiB from every CPU on x86; an old one flushes nothing", () => {
    const k = booted({ machine: "pc" }).k;
    const mm = { asid: 7 } as MmStruct;
    const pt = new PageTable(-1, 0, 512);
    pt.huge = true;
    const base = 0x40000; // vpn of a 2 MiB-aligned address
    for (let i = 0; i < 512; i++) pt.entries[i] = (0x80000 + i) * 4096 + 0x63;
    // Every CPU caches the first and the last 4 KiB of the huge page, and a page after it.
    for (const tlb of k.tlb) {
      tlb.fill(7, base, pt.entries[0]);
      tlb.fill(7, base + 511, pt.entries[511]);
      tlb.fill(7, base + 512, 0x1234 * 4096 + 0x63);
    }
    expect(pmdp_clear_flush_young(k, mm, pt, base * 4096)).toBe(true);
    expect([...pt.entries].every((e) => (e & _PAGE_ACCESSED) === 0)).toBe(true);
    expect(
      k.tlb.map((tlb) => [tlb.lookup(7, base), tlb.lookup(7, base + 511), tlb.lookup(7, base + 512)]),
    ).toEqual(k.tlb.map(() => [-1, -1, 0x1234 * 4096 + 0x63]));
    // Old now: nothing is flushed.
    for (const tlb of k.tlb) tlb.fill(7, base, pt.entries[0]);
    expect(pmdp_clear_flush_young(k, mm, pt, base * 4096)).toBe(false);
    expect(k.tlb.map((tlb) => tlb.lookup(7, base))).toEqual(k.tlb.map(() => pt.entries[0]));
  });
});
