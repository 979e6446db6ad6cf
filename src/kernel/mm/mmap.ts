/*
 * mmap.ts - address-space layout: the VMA set, mmap/munmap/brk/mprotect, and
 * overcommit accounting (Linux mm/mmap.c, mm/mprotect.c, mm/util.c).
 *
 * VMAs are kept sorted and disjoint. A new mapping first looks for a hole
 * (get_unmapped_area, top-down below mmap_base), then tries to merge with
 * its neighbours: two areas merge when they touch, have the same flags, the
 * same file at contiguous offsets (or are both anonymous with compatible
 * anon_vmas). Unmapping or mprotecting part of an area splits it first.
 *
 * Overcommit (vm.overcommit_memory): every private writable mapping is
 * "committed" (Committed_AS) when created. Mode 0 refuses a single request
 * larger than RAM + swap; mode 1 never refuses; mode 2 refuses once the
 * total would pass CommitLimit = swap + RAM * overcommit_ratio%.
 */

import { fput } from "../fs/file_table.js";
import { type File, IS_SWAPFILE } from "../fs/fs.js";
import { vm_commit_limit } from "../fs/proc/meminfo.js";
import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { KERN_WARNING } from "../lib/printk.js";
import type { Task } from "../sched/task.js";
import { EACCES, EINVAL, ENODEV, ENOMEM, ETXTBSY } from "../uapi/errno.js";
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN,
  MAP_LOCKED,
  MAP_NORESERVE,
  MAP_PRIVATE,
  MAP_SHARED,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
} from "../uapi/mman.js";
import { vma_adjust_trans_huge } from "./huge_memory.js";
import { khugepaged_enter_vma, khugepaged_exit, khugepaged_fork } from "./khugepaged.js";
import { ksm_exit, ksm_fork } from "./ksm_mm.js";
import { copy_page_range, zap_page_range } from "./memory.js";
import { same_policy } from "./mempolicy.js";
import { mm_kmem_alloc, mm_kmem_free, vma_kmem_alloc } from "./mm_kmem.js";
import {
  MmStruct,
  VM_ACCOUNT,
  VM_DONTCOPY,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_LOCKED,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_NORESERVE,
  VM_READ,
  VM_SHARED,
  VM_SOFTDIRTY,
  VM_WIPEONFORK,
  VM_WRITE,
  VmAreaStruct,
} from "./mm_struct.js";
import {
  _PAGE_RW,
  for_each_pte,
  free_pgtables,
  pgd_alloc,
  pgd_free,
  pte_clear,
  pte_present,
  set_pte,
} from "./pgtable.js";
import { anon_vma_clone, anon_vma_fork, unlink_anon_vmas } from "./rmap.js";
import { flush_tlb_mm, flush_tlb_range, new_context } from "./tlbflush.js";

export const PAGE_SIZE = 4096;

const OVERCOMMIT_GUESS = 0;
const OVERCOMMIT_ALWAYS = 1;
/** stack_guard_gap: 256 pages kept free below a stack. */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

export const page_align = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;

/* ---- the VMA set ---- */

/** find_vma: the first VMA that ends above addr (it may start above it too). */
export function find_vma(mm: MmStruct, addr: number): VmAreaStruct | null {
  const v = mm.vmas;
  let ends = mm.vma_ends;
  if (ends === null) {
    ends = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) ends[i] = v[i].vm_end;
    mm.vma_ends = ends;
  }
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo < v.length ? v[lo] : null;
}

/** Is every page of [start, end) inside some area? (mprotect, mlock and mbind need it.) */
export function range_is_mapped(mm: MmStruct, start: number, end: number): boolean {
  let cur = start;
  for (const v of mm.vmas) {
    if (v.vm_end <= cur) continue;
    if (v.vm_start > cur) break;
    cur = v.vm_end;
    if (cur >= end) break;
  }
  return cur >= end;
}

/** The VMA containing addr, or null. */
export function vma_lookup(mm: MmStruct, addr: number): VmAreaStruct | null {
  const v = find_vma(mm, addr);
  return v && v.vm_start <= addr ? v : null;
}

function vma_index(mm: MmStruct, vma: VmAreaStruct): number {
  const i = mm.vmas.indexOf(vma);
  if (i < 0) BUG("vma not in its mm");
  return i;
}

export function vma_link(k: Kernel, mm: MmStruct, vma: VmAreaStruct): void {
  const v = mm.vmas;
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v[mid].vm_start < vma.vm_start) lo = mid + 1;
    else hi = mid;
  }
  v.splice(lo, 0, vma);
  mm.vma_ends = null;
  if (vma.vm_file) vma.vm_file.f_inode.i_mapping?.i_mmap.add(vma);
  vma_kmem_alloc(k, vma);
}

function vma_unlink(k: Kernel, mm: MmStruct, vma: VmAreaStruct): void {
  mm.vmas.splice(vma_index(mm, vma), 1);
  mm.vma_ends = null;
  if (vma.vm_file) vma.vm_file.f_inode.i_mapping?.i_mmap.delete(vma);
  mm_kmem_free(k, vma); // vm_area_free: the VMA's object and its anon_vma_chain links
}

/** vm_stat_account: total_vm and the per-kind counters of /proc/PID/status. */
export function vm_stat_account(mm: MmStruct, flags: number, npages: number): void {
  mm.total_vm += npages;
  if ((flags & (VM_EXEC | VM_WRITE)) === VM_EXEC) mm.exec_vm += npages;
  else if (flags & VM_GROWSDOWN) mm.stack_vm += npages;
  else if ((flags & (VM_WRITE | VM_SHARED)) === VM_WRITE) mm.data_vm += npages;
  if (flags & VM_LOCKED) mm.locked_vm += npages;
}

const RLIMIT_DATA = 2;
const RLIMIT_AS = 9;
const warned_rlimit_data = new WeakSet<Kernel>();

/** Bytes of [start, end) that are mapped now. */
function mapped_bytes(mm: MmStruct, start: number, end: number): number {
  let n = 0;
  for (const v of mm.vmas)
    if (v.vm_end > start && v.vm_start < end) n += Math.min(end, v.vm_end) - Math.max(start, v.vm_start);
  return n;
}

/**
 * may_expand_vm: may the address space grow by npages? RLIMIT_AS bounds all
 * of it (ulimit -v); RLIMIT_DATA the private writable part (ulimit -d), with
 * the kernel's one-time warning when that is what refuses.
 */
export function may_expand_vm(k: Kernel, t: Task, mm: MmStruct, flags: number, npages: number): boolean {
  const as = t.rlim[RLIMIT_AS]?.[0] ?? -1;
  if (as >= 0 && mm.total_vm + npages > Math.floor(as / PAGE_SIZE)) return false;
  const data = t.rlim[RLIMIT_DATA]?.[0] ?? -1;
  if (
    (flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE &&
    data >= 0 &&
    mm.data_vm + npages > Math.floor(data / PAGE_SIZE)
  ) {
    if (!warned_rlimit_data.has(k)) {
      warned_rlimit_data.add(k); // pr_warn_once
      k.printk.printk(
        KERN_WARNING,
        `${t.comm} (${t.pid}): VmData ${(mm.data_vm + npages) * PAGE_SIZE} exceed data ulimit ${data}. Update limits or use boot option ignore_rlimit_data.`,
      );
    }
    return false;
  }
  return true;
}

/** accountable_mapping: private writable areas are committed memory. */
export function accountable_mapping(file: File | null, flags: number): boolean {
  void file;
  return (flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE;
}

/**
 * __vm_enough_memory: may `pages` more be committed? On success they are
 * added to Committed_AS; on failure the kernel says so (ratelimited) and
 * the caller gets ENOMEM.
 */
export function __vm_enough_memory(k: Kernel, t: Task | null, mm: MmStruct | null, pages: number): number {
  const s = k.sysctl_vm;
  k.mm_stat.vm_committed_as += pages;
  if (s.overcommit_memory === OVERCOMMIT_GUESS) {
    if (pages <= k.totalram_pages + k.mm_stat.total_swap_pages) return 0;
  } else if (s.overcommit_memory === OVERCOMMIT_ALWAYS) return 0;
  else {
    let allowed = vm_commit_limit(k);
    allowed -= s.admin_reserve_kbytes >> 2; // root, but not cap_sys_admin for this purpose
    if (mm) allowed -= Math.min(Math.floor(mm.total_vm / 32), s.user_reserve_kbytes >> 2);
    if (k.mm_stat.vm_committed_as < allowed) return 0;
  }
  k.printk.printk_ratelimited(
    KERN_WARNING,
    "__vm_enough_memory",
    `__vm_enough_memory: pid: ${t?.pid ?? 0}, comm: ${t?.comm ?? "swapper/0"}, no enough memory for the allocation`,
  );
  k.mm_stat.vm_committed_as -= pages;
  return -ENOMEM;
}

export function vm_unacct_memory(k: Kernel, pages: number): void {
  k.mm_stat.vm_committed_as -= pages;
}

/** can_vma_merge: same flags, same backing, contiguous offsets. */
function mergeable(a: VmAreaStruct, b: VmAreaStruct): boolean {
  // is_mergeable_vma: soft-dirty tracking never keeps two areas apart.
  if ((a.vm_flags ^ b.vm_flags) & ~VM_SOFTDIRTY || a.vm_file !== b.vm_file || a.special || b.special)
    return false;
  if (!same_policy(a.policy, b.policy)) return false;
  if (a.vm_end !== b.vm_start) return false;
  if (a.vm_file && a.vm_pgoff + a.pages !== b.vm_pgoff) return false;
  if (a.anon_vma && b.anon_vma && a.anon_vma !== b.anon_vma) return false;
  // can_vma_merge_after: an area that may have anonymous pages keeps them at their index
  // (page->index, linear in vm_pgoff): only areas whose offsets follow on merge.
  if (!a.vm_file && (a.anon_vma || b.anon_vma) && b.vm_pgoff !== a.vm_pgoff + a.pages) return false;
  return true;
}

/** vma_merge: fold vma into its neighbours where possible; returns the surviving area. */
export function vma_merge(k: Kernel, mm: MmStruct, vma: VmAreaStruct): VmAreaStruct {
  let i = vma_index(mm, vma);
  const prev = i > 0 ? mm.vmas[i - 1] : null;
  if (prev && mergeable(prev, vma)) {
    prev.vm_end = vma.vm_end;
    if (!prev.anon_vma && vma.anon_vma) anon_vma_clone(k, prev, vma);
    vma_unlink(k, mm, vma);
    unlink_anon_vmas(k, vma);
    if (vma.vm_file) fput(k, vma.vm_file);
    vma = prev;
    i--;
  }
  const next = i + 1 < mm.vmas.length ? mm.vmas[i + 1] : null;
  if (next && mergeable(vma, next)) {
    vma.vm_end = next.vm_end;
    if (!vma.anon_vma && next.anon_vma) anon_vma_clone(k, vma, next);
    vma_unlink(k, mm, next);
    unlink_anon_vmas(k, next);
    if (next.vm_file) fput(k, next.vm_file);
  }
  return vma;
}

/** split_vma: vma becomes [vm_start, addr) and a new area [addr, vm_end) follows it. */
export function split_vma(k: Kernel, mm: MmStruct, vma: VmAreaStruct, addr: number): VmAreaStruct {
  const n = new VmAreaStruct(
    mm,
    addr,
    vma.vm_end,
    vma.vm_flags,
    vma.vm_pgoff + (addr - vma.vm_start) / PAGE_SIZE,
    vma.vm_file,
  );
  n.special = vma.special;
  n.policy = vma.policy;
  if (n.vm_file) n.vm_file.f_count++; // get_file: each area holds its own reference
  vma_adjust_trans_huge(k, vma, addr);
  vma.vm_end = addr;
  anon_vma_clone(k, n, vma);
  vma_link(k, mm, n);
  void k;
  return n;
}

/* ---- creating and removing mappings ---- */

/** get_unmapped_area: the highest hole of len bytes below mmap_base (or at hint if it is free). */
export function get_unmapped_area(k: Kernel, mm: MmStruct, hint: number, len: number): number {
  const low = Math.max(k.sysctl_vm.mmap_min_addr, PAGE_SIZE);
  if (len > mm.task_size) return -ENOMEM;
  if (hint) {
    hint = page_align(hint);
    const v = find_vma(mm, hint);
    if (
      hint + len <= mm.task_size &&
      hint >= low &&
      (!v || hint + len <= v.vm_start - (v.vm_flags & VM_GROWSDOWN ? STACK_GUARD_GAP : 0))
    )
      return hint;
  }
  let high = mm.mmap_base;
  for (let i = mm.vmas.length - 1; i >= -1; i--) {
    const v = i >= 0 ? mm.vmas[i] : null;
    const gapStart = v ? v.vm_end : low;
    if (gapStart >= high) {
      if (v) high = Math.min(high, v.vm_start - (v.vm_flags & VM_GROWSDOWN ? STACK_GUARD_GAP : 0));
      continue;
    }
    const top = high;
    if (top - gapStart >= len) return top - len;
    if (v) high = Math.min(high, v.vm_start - (v.vm_flags & VM_GROWSDOWN ? STACK_GUARD_GAP : 0));
  }
  return -ENOMEM;
}

/**
 * mmap_region: put a new area at [addr, addr+len) (anything mapped there
 * first goes), with Committed_AS accounting, then merge it with neighbours.
 */
export function mmap_region(
  k: Kernel,
  t: Task | null,
  mm: MmStruct,
  file: File | null,
  addr: number,
  len: number,
  vm_flags: number,
  pgoff: number,
): number {
  const end = addr + len;
  // may_expand_vm, counting what a MAP_FIXED mapping replaces as given back.
  if (t && !may_expand_vm(k, t, mm, vm_flags, (len - mapped_bytes(mm, addr, end)) / PAGE_SIZE))
    return -ENOMEM;
  do_munmap(k, mm, addr, len);
  let charged = 0;
  if (accountable_mapping(file, vm_flags)) {
    charged = len / PAGE_SIZE;
    if (__vm_enough_memory(k, t, mm, charged) < 0) return -ENOMEM;
    vm_flags |= VM_ACCOUNT;
  }
  if (k.cfg.MEM_SOFT_DIRTY) vm_flags |= VM_SOFTDIRTY;
  const vma = new VmAreaStruct(mm, addr, end, vm_flags | mm.def_flags, pgoff, file);
  if (file) file.f_count++;
  vma_link(k, mm, vma);
  vm_stat_account(mm, vma.vm_flags, len / PAGE_SIZE);
  mm.update_hiwater_vm();
  khugepaged_enter_vma(k, vma_merge(k, mm, vma));
  return addr;
}

/**
 * _install_special_mapping: an area backed by kernel pages (the vDSO and
 * friends), named in /proc/PID/maps, never merged.
 */
export function install_special_mapping(
  k: Kernel,
  mm: MmStruct,
  addr: number,
  name: string,
  vm_flags: number,
  pages: number[],
): VmAreaStruct {
  if (k.cfg.MEM_SOFT_DIRTY) vm_flags |= VM_SOFTDIRTY;
  const vma = new VmAreaStruct(mm, addr, addr + pages.length * PAGE_SIZE, vm_flags, 0, null);
  vma.special = name;
  vma.special_pages = pages;
  vma_link(k, mm, vma);
  vm_stat_account(mm, vm_flags, pages.length);
  mm.update_hiwater_vm();
  return vma;
}

/** do_munmap: unmap [start, start+len): split at the edges, zap and free the areas inside. */
export function do_munmap(k: Kernel, mm: MmStruct, start: number, len: number): number {
  if (start % PAGE_SIZE || len <= 0) return -EINVAL;
  const end = start + page_align(len);
  let vma = find_vma(mm, start);
  if (!vma || vma.vm_start >= end) return 0;
  if (vma.vm_start < start) vma = split_vma(k, mm, vma, start);
  const last = find_vma(mm, end - 1);
  if (last && last.vm_start < end && last.vm_end > end) split_vma(k, mm, last, end);
  const doomed = mm.vmas.filter((v) => v.vm_start >= start && v.vm_end <= end);
  for (const v of doomed) remove_vma(k, mm, v);
  free_pgtables(k, mm, start, end);
  flush_tlb_range(k, mm, start, end);
  return 0;
}

/** remove_vma: zap its pages, undo its accounting, unlink it. */
function remove_vma(k: Kernel, mm: MmStruct, v: VmAreaStruct): void {
  zap_page_range(k, mm, v, v.vm_start, v.vm_end);
  const npages = v.pages;
  vm_stat_account(mm, v.vm_flags, -npages);
  if (v.vm_flags & VM_ACCOUNT) vm_unacct_memory(k, npages);
  vma_unlink(k, mm, v);
  unlink_anon_vmas(k, v);
  if (v.vm_file) fput(k, v.vm_file);
}

/** calc_vm_prot_bits + calc_vm_flag_bits + the VM_MAY* rights. */
export function vm_flags_of(prot: number, flags: number, file: File | null): number {
  let vf =
    (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) | (prot & PROT_EXEC ? VM_EXEC : 0);
  vf |= VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (flags & MAP_SHARED) vf |= VM_SHARED | VM_MAYSHARE;
  if (flags & MAP_GROWSDOWN) vf |= VM_GROWSDOWN;
  if (flags & MAP_LOCKED) vf |= VM_LOCKED;
  void file;
  return vf;
}

/**
 * do_mmap: mmap(2) after the file lookup. Returns the address or -errno.
 */
export function do_mmap(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  addr: number,
  len: number,
  prot: number,
  flags: number,
  file: File | null,
  offset: number,
): number {
  if (len <= 0) return -EINVAL;
  if (offset % PAGE_SIZE) return -EINVAL;
  if (!(flags & (MAP_SHARED | MAP_PRIVATE)) || (flags & MAP_SHARED && flags & MAP_PRIVATE)) return -EINVAL;
  len = page_align(len);
  if (len > mm.task_size) return -ENOMEM;
  if (!file && !(flags & MAP_ANONYMOUS)) return -EINVAL;
  if (file) {
    const inode = file.f_inode;
    if (!inode.isReg() && !inode.i_mapping) return -ENODEV;
    const acc = file.f_flags & 3;
    if (acc === 1) return -EACCES; // write-only file
    if (flags & MAP_SHARED && prot & PROT_WRITE && acc !== 2) return -EACCES;
    if (flags & MAP_SHARED && prot & PROT_WRITE && IS_SWAPFILE(inode)) return -ETXTBSY;
  }
  if (flags & MAP_FIXED) {
    if (addr % PAGE_SIZE || addr < k.sysctl_vm.mmap_min_addr || addr + len > mm.task_size) return -EINVAL;
  } else {
    addr = get_unmapped_area(k, mm, flags & MAP_FIXED_NOREPLACE ? addr : addr, len);
    if (addr < 0) return addr;
  }
  if (mm.vmas.length >= k.sysctl_vm.max_map_count) return -ENOMEM;
  let vf = vm_flags_of(prot, flags, file);
  if (flags & MAP_NORESERVE && k.sysctl_vm.overcommit_memory !== 2) vf |= VM_NORESERVE;
  const pgoff = file ? offset / PAGE_SIZE : addr / PAGE_SIZE;
  return mmap_region(k, t, mm, file, addr, len, vf, pgoff);
}

/* ---- brk ---- */

/** brk(2): move the end of the heap; returns the new (or old) break. */
export function do_brk(k: Kernel, t: Task, mm: MmStruct, newbrk: number): number {
  const min = mm.start_brk;
  if (newbrk < min) return mm.brk;
  const oldEnd = page_align(mm.brk);
  const newEnd = page_align(newbrk);
  if (newEnd === oldEnd) {
    mm.brk = newbrk;
    return mm.brk;
  }
  if (newEnd < oldEnd) {
    do_munmap(k, mm, newEnd, oldEnd - newEnd);
    mm.brk = newbrk;
    return mm.brk;
  }
  const next = find_vma(mm, oldEnd);
  if (next && newEnd + PAGE_SIZE > next.vm_start) return mm.brk;
  const r = mmap_region(
    k,
    t,
    mm,
    null,
    oldEnd,
    newEnd - oldEnd,
    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
    oldEnd / PAGE_SIZE,
  );
  if (r < 0) return mm.brk;
  mm.brk = newbrk;
  return mm.brk;
}

/* ---- mprotect ---- */

/** mprotect(2): new rights for [start, start+len), splitting and merging areas. */
export function do_mprotect(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  start: number,
  len: number,
  prot: number,
): number {
  if (start % PAGE_SIZE) return -EINVAL;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) return -EINVAL;
  const end = start + page_align(len);
  if (end <= start) return len === 0 ? 0 : -ENOMEM;
  if (!range_is_mapped(mm, start, end)) return -ENOMEM;
  let vma = find_vma(mm, start)!;
  if (vma.vm_start < start) vma = split_vma(k, mm, vma, start);
  const last = find_vma(mm, end - 1)!;
  if (last.vm_end > end) split_vma(k, mm, last, end);
  const targets = mm.vmas.filter((v) => v.vm_start >= start && v.vm_end <= end);
  for (const v of targets) {
    const want =
      (prot & PROT_READ ? VM_READ : 0) |
      (prot & PROT_WRITE ? VM_WRITE : 0) |
      (prot & PROT_EXEC ? VM_EXEC : 0);
    if (want & VM_WRITE && !(v.vm_flags & VM_MAYWRITE)) return -EACCES;
    let nf = (v.vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | want;
    // Becoming privately writable commits memory.
    if (accountable_mapping(v.vm_file, nf) && !(v.vm_flags & VM_ACCOUNT)) {
      if (__vm_enough_memory(k, t, mm, v.pages) < 0) return -ENOMEM;
      nf |= VM_ACCOUNT;
    }
    vm_stat_account(mm, v.vm_flags, -v.pages);
    v.vm_flags = nf;
    vm_stat_account(mm, v.vm_flags, v.pages);
    // change_protection: write access goes from PTEs that lose it; gaining it waits for a fault.
    if (!(want & VM_WRITE))
      for_each_pte(k, mm, v.vm_start, v.vm_end, (pt, i) => {
        const pte = pt.entries[i];
        if (pte_present(pte) && pte & _PAGE_RW) set_pte(pt, i, pte_clear(pte, _PAGE_RW));
      });
  }
  flush_tlb_range(k, mm, start, end);
  for (const v of targets) if (mm.vmas.includes(v)) vma_merge(k, mm, v);
  return 0;
}

/**
 * vma_modify: give every area of [start, end) new flags, splitting areas
 * that straddle the edges and merging afterwards (mlock_fixup,
 * madvise_update_vma). The range must be mapped. Returns the areas changed.
 */
export function vma_modify(
  k: Kernel,
  mm: MmStruct,
  start: number,
  end: number,
  flags: (v: VmAreaStruct) => number,
): VmAreaStruct[] {
  const vma = find_vma(mm, start);
  if (!vma || vma.vm_start >= end) return [];
  const changes = (v: VmAreaStruct): boolean => flags(v) !== v.vm_flags;
  if (vma.vm_start < start && changes(vma)) split_vma(k, mm, vma, start);
  const last = find_vma(mm, end - 1);
  if (last && last.vm_start < end && last.vm_end > end && changes(last)) split_vma(k, mm, last, end);
  const targets = mm.vmas.filter((v) => v.vm_start >= start && v.vm_end <= end && changes(v));
  for (const v of targets) {
    vm_stat_account(mm, v.vm_flags, -v.pages);
    v.vm_flags = flags(v);
    vm_stat_account(mm, v.vm_flags, v.pages);
  }
  for (const v of targets) if (mm.vmas.includes(v)) vma_merge(k, mm, v);
  return targets.filter((v) => mm.vmas.includes(v));
}

/* ---- whole address spaces ---- */

/** mm_alloc: a new empty address space. */
export function mm_alloc(k: Kernel): MmStruct | null {
  const pgd = pgd_alloc(k);
  if (!pgd) return null;
  const mm = new MmStruct(k.nr_mms, pgd);
  new_context(k, mm);
  mm_kmem_alloc(k, mm);
  return mm;
}

/** mmput: drop a user of the address space; the last one tears it down. */
export function mmput(k: Kernel, mm: MmStruct): void {
  if (--mm.mm_users > 0) return;
  ksm_exit(k, mm);
  khugepaged_exit(k, mm);
  exit_mmap(k, mm);
  if (mm.exe_file) fput(k, mm.exe_file);
  mm.exe_file = null;
  mm_kmem_free(k, mm); // __mmdrop
}

/** exit_mmap: tear down every mapping, the page tables and the pgd. */
export function exit_mmap(k: Kernel, mm: MmStruct): void {
  for (const v of [...mm.vmas]) remove_vma(k, mm, v);
  free_pgtables(k, mm, 0, Number.MAX_SAFE_INTEGER);
  pgd_free(k, mm.pgd);
  flush_tlb_mm(k, mm);
}

/**
 * dup_mmap (fork): the child gets a copy of every area (except MADV_DONTFORK
 * ones), joins its anon_vmas, and maps the same pages copy-on-write
 * (copy_page_range); a MADV_WIPEONFORK area starts empty in the child.
 */
export function dup_mmap(k: Kernel, t: Task | null, old: MmStruct): MmStruct | null {
  const mm = mm_alloc(k);
  if (!mm) return null;
  for (const key of [
    "start_code",
    "end_code",
    "start_data",
    "end_data",
    "start_brk",
    "brk",
    "start_stack",
    "arg_start",
    "arg_end",
    "env_start",
    "env_end",
    "mmap_base",
    "task_size",
    "def_flags",
  ] as const)
    (mm as unknown as Record<string, number>)[key] = old[key];
  mm.exe_file = old.exe_file;
  mm.exec_info = old.exec_info;
  if (mm.exe_file) mm.exe_file.f_count++;
  for (const v of old.vmas) {
    if (v.vm_flags & VM_DONTCOPY) continue;
    if (v.vm_flags & VM_ACCOUNT && __vm_enough_memory(k, t, mm, v.pages) < 0) {
      exit_mmap(k, mm);
      return null;
    }
    const n = new VmAreaStruct(mm, v.vm_start, v.vm_end, v.vm_flags & ~VM_LOCKED, v.vm_pgoff, v.vm_file);
    n.special = v.special;
    n.special_pages = v.special_pages;
    n.policy = v.policy;
    if (v.vm_file) v.vm_file.f_count++;
    // MADV_WIPEONFORK: a clean slate in the child, no anon_vma until it faults.
    const wipe = (v.vm_flags & VM_WIPEONFORK) !== 0;
    if (!wipe) anon_vma_fork(k, n, v);
    vma_link(k, mm, n);
    vm_stat_account(mm, n.vm_flags, n.pages);
    if (!wipe && !copy_page_range(k, mm, old, v)) {
      exit_mmap(k, mm);
      return null;
    }
  }
  mm.hiwater_rss = old.get_mm_rss();
  mm.hiwater_vm = mm.total_vm;
  ksm_fork(k, mm, old);
  khugepaged_fork(k, mm, old);
  return mm;
}
