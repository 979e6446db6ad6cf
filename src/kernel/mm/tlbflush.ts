/*
 * tlbflush.ts - keeping the CPUs' TLBs in step with the page tables (Linux
 * include/asm-generic/tlb.h, arch/arm/mm/context.c ASID allocation,
 * arch/x86/mm/tlb.c).
 *
 * Every address space gets an ASID; after ASID_LIMIT of them the generation
 * rolls over and every TLB is flushed, as the ARM ASID allocator does.
 */

import type { Kernel } from "../kernel.js";
import type { MmStruct } from "./mm_struct.js";

const ASID_LIMIT = 256; // 8-bit ASIDs on ARMv7

/** new_context: an ASID for a new address space. */
export function new_context(k: Kernel, mm: MmStruct): void {
  const n = k.nr_mms++;
  mm.asid = n % ASID_LIMIT;
  if (n > 0 && mm.asid === 0) for (const tlb of k.tlb) tlb.flushAsid(null);
}

export function flush_tlb_page(k: Kernel, mm: MmStruct, addr: number): void {
  const vpn = Math.floor(addr / 4096);
  for (const tlb of k.tlb) tlb.flushRange(mm.asid, vpn, vpn + 1);
}

export function flush_tlb_range(k: Kernel, mm: MmStruct, start: number, end: number): void {
  for (const tlb of k.tlb) tlb.flushRange(mm.asid, Math.floor(start / 4096), Math.ceil(end / 4096));
}

export function flush_tlb_mm(k: Kernel, mm: MmStruct): void {
  for (const tlb of k.tlb) tlb.flushAsid(mm.asid);
}
