/*
 * gup.ts - faulting pages in on behalf of a process (Linux mm/gup.c
 * __mm_populate, populate_vma_page_range, faultin_page).
 *
 * MAP_POPULATE, MAP_LOCKED, mlock() and MADV_WILLNEED on anonymous memory
 * do what the program's own touches would: one fault per missing page. A
 * private writable area is faulted for write (so it gets its own pages and
 * copy-on-write is broken now rather than later); anything else for read.
 * The faults count as the process's own (min_flt, pgfault).
 *
 * Long ranges are done in slices, like a program's own accesses
 * (fault.ts), so that other tasks run in between.
 */

import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { handle_mm_fault, VM_FAULT_OOM } from "./memory.js";
import { mlock_page } from "./mlock.js";
import {
  type MmStruct,
  VM_EXEC,
  VM_IO,
  VM_LOCKED,
  VM_PFNMAP,
  VM_READ,
  VM_SHARED,
  VM_WRITE,
} from "./mm_struct.js";
import { find_vma } from "./mmap.js";
import { pte_get, pte_pfn, pte_present, pte_special, pte_write } from "./pgtable.js";

const PAGE_SIZE = 4096;
const PAGES_PER_SLICE = 256;

export interface PopulateState {
  next: number;
  end: number;
}

/**
 * Fault in [state.next, state.end). Returns 0 when done, 1 when a slice is
 * done and more remains, or -ENOMEM (12) when memory ran out.
 */
export function populate_range(k: Kernel, t: Task | null, mm: MmStruct, state: PopulateState): number {
  let budget = PAGES_PER_SLICE;
  while (state.next < state.end) {
    const vma = find_vma(mm, state.next);
    if (!vma || vma.vm_start >= state.end) break;
    if (vma.vm_start > state.next) state.next = vma.vm_start;
    const stop = Math.min(vma.vm_end, state.end);
    const inaccessible =
      !(vma.vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) || vma.vm_flags & (VM_IO | VM_PFNMAP);
    if (inaccessible) {
      state.next = stop;
      continue;
    }
    const write = (vma.vm_flags & (VM_WRITE | VM_SHARED)) === VM_WRITE;
    for (; state.next < stop; state.next += PAGE_SIZE) {
      if (budget-- === 0) return 1;
      let pte = pte_get(k, mm, state.next);
      if (!pte_present(pte) || (write && !pte_write(pte))) {
        const r = handle_mm_fault(k, t, mm, vma, state.next, write);
        if (r & VM_FAULT_OOM) return -12;
        pte = pte_get(k, mm, state.next);
      }
      if (vma.vm_flags & VM_LOCKED && pte_present(pte) && !pte_special(pte)) mlock_page(k, pte_pfn(pte));
    }
  }
  state.next = state.end;
  return 0;
}

/** Populate a whole range now (no slicing): for kernel-internal callers and tests. */
export function mm_populate(k: Kernel, t: Task | null, mm: MmStruct, start: number, len: number): number {
  const st: PopulateState = { next: start, end: start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE };
  let r: number;
  do r = populate_range(k, t, mm, st);
  while (r === 1);
  return r;
}
