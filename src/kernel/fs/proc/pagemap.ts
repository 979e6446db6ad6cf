/*
 * pagemap.ts - /proc/PID/pagemap and /proc/PID/clear_refs (Linux
 * fs/proc/task_mmu.c, Documentation/admin-guide/mm/pagemap.rst).
 *
 * pagemap: one little-endian u64 per virtual page of the process, read at
 * offset (vaddr / PAGE_SIZE) * 8, up to TASK_SIZE (mode 0400):
 *
 *   bits 0-54   the page frame number when present (root sees it), or the
 *               swap type (bits 0-4) and offset (bits 5-54) when swapped
 *   bit 55      soft-dirty: the PTE was written since clear_refs 4, or the
 *               VMA is new since then (VM_SOFTDIRTY); x86 only
 *   bit 56      the page is mapped exactly once (exclusively)
 *   bit 61      a file page or shared anonymous (shmem) page
 *   bit 62      swapped
 *   bit 63      present
 *
 * Reads must start and end on 8-byte boundaries (EINVAL); a kernel thread,
 * without an address space, reads nothing. Pages with nothing mapped read
 * 0, or only the soft-dirty bit inside a VM_SOFTDIRTY area.
 *
 * clear_refs (write-only, mode 0200): 1 clears the young bits of every
 * mapped page and their PG_referenced (what a working-set estimate does
 * before it looks again at smaps' Referenced), 2 of anonymous areas only,
 * 3 of file-backed areas only, 4 the soft-dirty bits (and write-protects
 * the present PTEs, so that the next write to each faults and marks it
 * again), 5 resets VmHWM to the current RSS. Other values: EINVAL.
 */

import type { Kernel } from "../../kernel.js";
import { kstrtoint } from "../../lib/kstrtox.js";
import { type MmStruct, VM_SOFTDIRTY } from "../../mm/mm_struct.js";
import { PG_anon, PG_referenced, PG_tail } from "../../mm/mm_types.js";
import { find_vma } from "../../mm/mmap.js";
import {
  _PAGE_ACCESSED,
  _PAGE_RW,
  _PAGE_SOFT_DIRTY,
  for_each_pte_table,
  pte_clear,
  pte_pfn,
  pte_present,
  pte_special,
  pte_swp_offset,
  pte_swp_type,
} from "../../mm/pgtable.js";
import { flush_tlb_mm } from "../../mm/tlbflush.js";
import type { Task } from "../../sched/task.js";
import { S_IFREG } from "../../uapi/abi.js";
import { EINVAL } from "../../uapi/errno.js";
import type { ProcEntry } from "./generic.js";

const PM_ENTRY_BYTES = 8;
const MAX_SWAPFILES_SHIFT = 5;
/* The flag bits, as bit numbers within the high 32 bits of the u64. */
const PM_SOFT_DIRTY = 1 << (55 - 32);
const PM_MMAP_EXCLUSIVE = 1 << (56 - 32);
const PM_FILE = 1 << (61 - 32);
const PM_SWAP = 1 << (62 - 32);
const PM_PRESENT = (1 << (63 - 32)) >>> 0;

/** Writes one entry: a 55-bit frame and the flag bits above it. */
function put(dv: DataView, at: number, frame: number, flags: number): void {
  dv.setUint32(at, frame >>> 0, true);
  dv.setUint32(at + 4, (flags | Math.floor(frame / 2 ** 32)) >>> 0, true);
}

/** pte_to_pagemap_entry (and pagemap_pmd_range's per-subpage view of a huge PMD). */
function pte_entry(k: Kernel, pte: number, huge: boolean, vma_flags: number): [number, number] {
  const mem = k.mem;
  const sd = k.cfg.MEM_SOFT_DIRTY;
  let frame = 0;
  let flags = sd && vma_flags & VM_SOFTDIRTY ? PM_SOFT_DIRTY : 0;
  if (pte_present(pte)) {
    const pfn = pte_pfn(pte);
    frame = pfn;
    flags |= PM_PRESENT;
    if (sd && pte & _PAGE_SOFT_DIRTY) flags |= PM_SOFT_DIRTY;
    // vm_normal_page: the zero pages are mapped but are no page of the process.
    if (!pte_special(pte)) {
      const head = mem.flags[pfn] & PG_tail ? mem.compound_head(pfn) : pfn;
      if (!(mem.flags[head] & PG_anon)) flags |= PM_FILE;
      if (mem.page_mapcount(huge ? head : pfn) === 1) flags |= PM_MMAP_EXCLUSIVE;
    }
  } else if (pte !== 0) {
    frame = pte_swp_type(pte) + pte_swp_offset(pte) * 2 ** MAX_SWAPFILES_SHIFT;
    flags |= PM_SWAP;
    if (sd && pte & _PAGE_SOFT_DIRTY) flags |= PM_SOFT_DIRTY;
  }
  return [frame, flags];
}

/** pagemap_read: entries from pos / 8 on, count / 8 of them at most, none past TASK_SIZE. */
export function pagemap_read(
  k: Kernel,
  mm: MmStruct | null,
  pos: number,
  count: number,
): Uint8Array | number {
  if (!mm) return new Uint8Array(0);
  if (pos % PM_ENTRY_BYTES || count % PM_ENTRY_BYTES) return -EINVAL;
  const first = pos / PM_ENTRY_BYTES;
  const last = Math.min(first + count / PM_ENTRY_BYTES, Math.floor(mm.task_size / 4096));
  if (last <= first) return new Uint8Array(0);
  const out = new Uint8Array((last - first) * PM_ENTRY_BYTES);
  const dv = new DataView(out.buffer);
  const sd = k.cfg.MEM_SOFT_DIRTY;
  for (let vpn = first; vpn < last; ) {
    // pagemap_pte_hole: nothing below the next area reads 0.
    const vma = find_vma(mm, vpn * 4096);
    if (!vma) break;
    const lo = Math.max(vpn, vma.vm_start / 4096);
    const hi = Math.min(last, vma.vm_end / 4096);
    if (sd && vma.vm_flags & VM_SOFTDIRTY)
      for (let p = lo; p < hi; p++) put(dv, (p - first) * PM_ENTRY_BYTES, 0, PM_SOFT_DIRTY);
    for_each_pte_table(k, mm, lo * 4096, hi * 4096, (pt, a, b, base) => {
      const e = pt.entries;
      for (let i = a; i <= b; i++) {
        if (e[i] === 0) continue;
        const [frame, flags] = pte_entry(k, e[i], pt.huge, vma.vm_flags);
        put(dv, (base + i - first) * PM_ENTRY_BYTES, frame, flags);
      }
    });
    vpn = hi;
  }
  return out;
}

const CLEAR_REFS_ALL = 1;
const CLEAR_REFS_ANON = 2;
const CLEAR_REFS_MAPPED = 3;
const CLEAR_REFS_SOFT_DIRTY = 4;
const CLEAR_REFS_MM_HIWATER_RSS = 5;

/** clear_refs_write: the kind of reference to forget, over every area of the process. */
export function clear_refs_write(k: Kernel, mm: MmStruct | null, text: string): number {
  // kstrtoint(strstrip(buf), 10, ...): decimal only.
  const word = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
  if (/^[+-]?0[xX]/.test(word)) return -EINVAL;
  const [err, type] = kstrtoint(word);
  if (err) return err;
  if (type < CLEAR_REFS_ALL || type > CLEAR_REFS_MM_HIWATER_RSS) return -EINVAL;
  if (!mm) return text.length;
  if (type === CLEAR_REFS_MM_HIWATER_RSS) {
    mm.hiwater_rss = mm.get_mm_rss(); // reset_mm_hiwater_rss
    return text.length;
  }
  const mem = k.mem;
  for (const vma of mm.vmas) {
    if (type === CLEAR_REFS_ANON && vma.vm_file) continue;
    if (type === CLEAR_REFS_MAPPED && !vma.vm_file) continue;
    if (type === CLEAR_REFS_SOFT_DIRTY) vma.vm_flags &= ~VM_SOFTDIRTY;
    for_each_pte_table(k, mm, vma.vm_start, vma.vm_end, (pt, a, b) => {
      const e = pt.entries;
      for (let i = a; i <= b; i++) {
        const pte = e[i];
        if (pte === 0) continue;
        if (type === CLEAR_REFS_SOFT_DIRTY) {
          // clear_soft_dirty: a present PTE is also write-protected (where the arch tracks
          // soft-dirty), so the next write faults (do_wp_page reuses the page) and sets the bit
          // again; a swap PTE only loses the bit.
          const wp = k.cfg.MEM_SOFT_DIRTY && pte_present(pte) && !pte_special(pte) ? _PAGE_RW : 0;
          e[i] = pte_clear(pte, _PAGE_SOFT_DIRTY | wp);
          continue;
        }
        if (!pte_present(pte) || pte_special(pte)) continue;
        const pfn = pte_pfn(pte);
        e[i] = pte_clear(pte, _PAGE_ACCESSED);
        const head = mem.flags[pfn] & PG_tail ? mem.compound_head(pfn) : pfn;
        mem.flags[head] &= ~PG_referenced;
      }
    });
  }
  flush_tlb_mm(k, mm);
  return text.length;
}

/** The two files, for /proc/PID of a task (its mm as it is when they are used). */
export function pagemap_entries(self: Task): ProcEntry[] {
  return [
    {
      name: "clear_refs",
      mode: S_IFREG | 0o200,
      write: (kk: Kernel, _t: Task, text: string) => clear_refs_write(kk, self.mm, text),
    },
    {
      name: "pagemap",
      mode: S_IFREG | 0o400,
      read_at: (kk: Kernel, _t: Task, pos: number, n: number) => pagemap_read(kk, self.mm, pos, n),
    },
  ];
}
