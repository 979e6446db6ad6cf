/*
 * ptep_clear_flush_young's TLB side, per architecture: ARM flushes the page
 * from every CPU's TLB when reclaim clears a young PTE; x86 leaves the TLBs
 * alone (a stale young entry is harmless, arch/x86/mm/pgtable.c).
 */

import { describe, expect, it } from "vitest";
import type { MmStruct } from "../../../src/kernel/mm/mm_struct.js";
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
