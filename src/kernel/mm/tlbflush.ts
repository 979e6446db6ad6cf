/*
 * tlbflush.ts - keeping the CPUs' TLBs in step with the page tables (Linux
 * include/asm-generic/tlb.h, arch/arm/mm/context.c ASID allocation,
 * arch/x86/mm/tlb.c).
 *
 * Every address space runs with an ASID, so TLB entries of different
 * processes can sit side by side and a context switch flushes nothing.
 * ASIDs are handed out in generations (ARM's allocator): when the 8-bit
 * space runs out, the generation rolls over, every TLB is flushed, and each
 * address space takes a fresh ASID the next time it runs
 * (check_and_switch_context). Two live address spaces of the same
 * generation never share an ASID.
 */

import { TLB_ENTRIES } from "../../hw/mmu.js";
import { flush_tlb_others, set_tlb_ubc_flush_pending } from "../irq/ipi.js";
import type { Kernel } from "../kernel.js";
import type { MmStruct } from "./mm_struct.js";

const ASID_LIMIT = 256; // 8-bit ASIDs on ARMv7

/** new_context: an ASID of the current generation (rolling over when they run out). */
export function new_context(k: Kernel, mm: MmStruct): void {
  const a = k.asid;
  if (a.next >= ASID_LIMIT) {
    a.generation++;
    a.next = 1; // ASID 0 stays reserved, as on ARM
    for (const tlb of k.tlb) tlb.flushAsid(null);
  }
  mm.asid = a.next++;
  mm.asid_generation = a.generation;
  k.nr_mms++;
}

/** check_and_switch_context: an address space about to run gets a valid ASID. */
export function check_and_switch_context(k: Kernel, mm: MmStruct): void {
  if (mm.asid_generation !== k.asid.generation) new_context(k, mm);
}

/* Each flush also reaches the other CPUs running mm: on x86 by IPI (irq/ipi.ts flush_tlb_others). */
export function flush_tlb_page(k: Kernel, mm: MmStruct, addr: number): void {
  k.tlb_set.flushPageAll(mm.asid, Math.floor(addr / 4096));
  flush_tlb_others(k, mm);
}

/**
 * Reclaim's flush of an unmapped page (TTU_BATCH_FLUSH): the CPUs are
 * flushed, but the other CPUs running mm only hear of it once per batch
 * (set_tlb_ubc_flush_pending, then try_to_unmap_flush).
 */
export function flush_tlb_page_batched(k: Kernel, mm: MmStruct, vpn: number, writable: boolean): void {
  k.tlb_set.flushPageAll(mm.asid, vpn);
  set_tlb_ubc_flush_pending(k, mm, writable);
}

/**
 * The TLB side of ptep_clear_flush_young, for a PTE that was young. ARM
 * (the generic version, and arm64's flush_tlb_page_nosync) flushes the
 * page, broadcast in hardware to every CPU. x86 flushes nothing: a stale
 * young entry in some TLB costs no correctness, at worst a hot page aged
 * as if idle, and the next context switch or VM operation flushes it
 * anyway (arch/x86/mm/pgtable.c).
 */
export function ptep_clear_flush_young_tlb(k: Kernel, mm: MmStruct, vpn: number): void {
  if (k.profile.arch === "x86_64") return;
  k.tlb_set.flushPageAll(mm.asid, vpn);
}

export function flush_tlb_range(k: Kernel, mm: MmStruct, start: number, end: number): void {
  for (const tlb of k.tlb) tlb.flushRange(mm.asid, Math.floor(start / 4096), Math.ceil(end / 4096));
  flush_tlb_others(k, mm);
}

export function flush_tlb_mm(k: Kernel, mm: MmStruct): void {
  for (const tlb of k.tlb) tlb.flushAsid(mm.asid);
  flush_tlb_others(k, mm);
}

/**
 * /sys/kernel/debug/tlb: what each CPU's TLB has done (mmbox's own file; on
 * real hardware these are perf events such as dTLB-load-misses).
 */
export function tlb_show(k: Kernel): string {
  let s = "cpu  entries         hits       misses    flushes\n";
  k.tlb.forEach((t, cpu) => {
    s += `${String(cpu).padStart(3)}  ${String(TLB_ENTRIES).padStart(7)} ${String(t.hits).padStart(12)} ${String(t.misses).padStart(12)} ${String(t.flushes).padStart(10)}\n`;
  });
  s += `asid generation ${k.asid.generation}, next asid ${k.asid.next}\n`;
  return s;
}
