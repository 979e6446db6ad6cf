/*
 * mremap.ts - resizing and moving a mapping (Linux mm/mremap.c).
 *
 * Shrinking unmaps the tail. Growing extends the area in place when the
 * address space above it is free; otherwise, with MREMAP_MAYMOVE, a new
 * range is found and the page-table entries are moved there (the pages
 * themselves stay where they are: nothing is copied, which is why realloc
 * of a large block is cheap). A moved area keeps its vm_pgoff, so rmap
 * still finds each page at its new address.
 */

import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { EFAULT, EINVAL, ENOMEM } from "../uapi/errno.js";
import { MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE } from "../uapi/mman.js";
import { mm_populate } from "./gup.js";
import { move_huge_pmds } from "./huge_memory.js";
import { type MmStruct, VM_ACCOUNT, VM_DONTEXPAND, VM_LOCKED, VmAreaStruct } from "./mm_struct.js";
import {
  __vm_enough_memory,
  do_munmap,
  find_vma,
  get_unmapped_area,
  may_expand_vm,
  page_align,
  split_vma,
  vm_stat_account,
  vma_link,
  vma_merge,
} from "./mmap.js";
import { for_each_pte, free_pgtables, pte_index, set_pte, walk } from "./pgtable.js";
import { anon_vma_clone } from "./rmap.js";
import { flush_tlb_range } from "./tlbflush.js";

/** move_page_tables: every PTE of [old, old+len) goes to the same offset at new_addr. */
function move_page_tables(k: Kernel, mm: MmStruct, old: number, new_addr: number, len: number): boolean {
  // Huge PMDs first: moved whole when they can be, else split (move_huge_pmd, split_huge_pmd).
  const vma = find_vma(mm, old);
  if (vma) move_huge_pmds(k, vma, old, new_addr, len);
  const moves: [number, number][] = [];
  for_each_pte(k, mm, old, old + len, (pt, i, addr) => {
    const pte = pt.entries[i];
    if (pte === 0) return;
    moves.push([addr, pte]);
    set_pte(pt, i, 0);
  });
  for (const [addr, pte] of moves) {
    const pt = walk(k, mm, addr - old + new_addr, true);
    if (!pt) return false;
    set_pte(pt, pte_index(addr - old + new_addr), pte);
  }
  flush_tlb_range(k, mm, old, old + len);
  free_pgtables(k, mm, old, old + len);
  return true;
}

/** mremap(2): returns the new address or -errno. */
export function do_mremap(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  addr: number,
  old_len: number,
  new_len: number,
  flags: number,
  new_addr: number,
): number {
  if (addr % 4096 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
  old_len = page_align(old_len);
  new_len = page_align(new_len);
  if (new_len === 0) return -EINVAL;
  if (flags & MREMAP_FIXED) {
    if (new_addr % 4096 || new_addr + new_len > mm.task_size) return -EINVAL;
    if (new_addr < addr + old_len && addr < new_addr + new_len) return -EINVAL;
  }
  let vma = find_vma(mm, addr);
  if (!vma || vma.vm_start > addr) return -EFAULT;
  if (old_len === 0 || addr + old_len > vma.vm_end) return -EFAULT;
  if (new_len > old_len && vma.vm_flags & VM_DONTEXPAND) return -EFAULT;
  if (new_len > old_len && !may_expand_vm(k, t, mm, vma.vm_flags, (new_len - old_len) / 4096)) return -ENOMEM;
  if (!(flags & MREMAP_FIXED)) {
    if (new_len <= old_len) {
      if (new_len < old_len) do_munmap(k, mm, addr + new_len, old_len - new_len);
      return addr;
    }
    // Grow in place when the end is the end of the area and the space above is free.
    const next = find_vma(mm, vma.vm_end);
    if (
      addr + old_len === vma.vm_end &&
      (!next || next.vm_start >= addr + new_len) &&
      addr + new_len <= mm.task_size
    ) {
      const more = (new_len - old_len) / 4096;
      if (vma.vm_flags & VM_ACCOUNT && __vm_enough_memory(k, t, mm, more) < 0) return -ENOMEM;
      vma.vm_end = addr + new_len;
      vm_stat_account(mm, vma.vm_flags, more);
      mm.update_hiwater_vm();
      if (vma.vm_flags & VM_LOCKED) mm_populate(k, t, mm, addr + old_len, new_len - old_len);
      return addr;
    }
    if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
    new_addr = get_unmapped_area(k, mm, 0, new_len);
    if (new_addr < 0) return new_addr;
  } else {
    do_munmap(k, mm, new_addr, new_len);
    if (new_len < old_len) {
      do_munmap(k, mm, addr + new_len, old_len - new_len);
      old_len = new_len;
      vma = find_vma(mm, addr)!;
    }
  }
  // Move: the part of the area being moved becomes an area of its own first.
  if (vma.vm_start < addr) vma = split_vma(k, mm, vma, addr);
  if (vma.vm_end > addr + old_len) split_vma(k, mm, vma, addr + old_len);
  const more = (new_len - old_len) / 4096;
  if (more > 0 && vma.vm_flags & VM_ACCOUNT && __vm_enough_memory(k, t, mm, more) < 0) return -ENOMEM;
  const moved = new VmAreaStruct(mm, new_addr, new_addr + new_len, vma.vm_flags, vma.vm_pgoff, vma.vm_file);
  anon_vma_clone(k, moved, vma);
  moved.policy = vma.policy;
  if (vma.vm_file) vma.vm_file.f_count++;
  vma_link(k, mm, moved);
  vm_stat_account(mm, moved.vm_flags, new_len / 4096);
  if (!move_page_tables(k, mm, addr, new_addr, Math.min(old_len, new_len))) return -ENOMEM;
  // The old area's pages and commit charge now belong to the new one (move_vma drops
  // VM_ACCOUNT so that unmapping the old area does not give the charge back).
  vma.vm_flags &= ~VM_ACCOUNT;
  do_munmap(k, mm, addr, old_len);
  mm.update_hiwater_vm();
  vma_merge(k, mm, moved);
  if (new_len > old_len && moved.vm_flags & VM_LOCKED)
    mm_populate(k, t, mm, new_addr + old_len, new_len - old_len);
  return new_addr;
}
