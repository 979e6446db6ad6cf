/*
 * mm_struct.ts - address spaces and their areas (Linux
 * include/linux/mm_types.h struct mm_struct and vm_area_struct,
 * include/linux/mm.h VM_* flags).
 *
 * A process's address space is a set of VMAs, sorted and disjoint, each a
 * range [vm_start, vm_end) with its rights (VM_READ/WRITE/EXEC), whether it
 * is shared, what backs it (a file at vm_pgoff, or anonymous memory through
 * an anon_vma), and the page tables that map its pages once touched.
 *
 *   mm_struct
 *   +-- vmas[]  sorted by vm_start (Linux: a maple tree; a sorted array with
 *   |           binary search gives the same O(log n) find_vma)
 *   +-- pgd     the root of the page tables (pgtable.ts)
 *   +-- rss     pages mapped, by kind: file, anon, swap entries, shmem
 *   +-- total_vm, locked_vm, data_vm, exec_vm, stack_vm (in pages)
 *   +-- brk, stack and argument boundaries (start_code... env_end)
 */

import type { File } from "../fs/fs.js";
import type { ExecInfo } from "../uapi/syscalls.js";
import type { Mempolicy } from "./mempolicy.js";
import type { PageTable } from "./pgtable.js";
import type { AnonVma } from "./rmap.js";

/* vm_flags (include/linux/mm.h) */
export const VM_NONE = 0;
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_MAYSHARE = 0x80;
export const VM_GROWSDOWN = 0x100; // the stack
export const VM_PFNMAP = 0x400; // no struct page behind the mapping
export const VM_LOCKED = 0x2000; // mlock()ed
export const VM_IO = 0x4000;
export const VM_SEQ_READ = 0x8000; // MADV_SEQUENTIAL
export const VM_RAND_READ = 0x10000; // MADV_RANDOM
export const VM_DONTCOPY = 0x20000; // MADV_DONTFORK
export const VM_DONTEXPAND = 0x40000; // no mremap growth
export const VM_LOCKONFAULT = 0x80000;
export const VM_ACCOUNT = 0x100000; // counted in Committed_AS
export const VM_NORESERVE = 0x200000; // MAP_NORESERVE
export const VM_HUGETLB = 0x400000;
export const VM_WIPEONFORK = 0x2000000;
export const VM_DONTDUMP = 0x4000000;
export const VM_SOFTDIRTY = 0x8000000;
export const VM_HUGEPAGE = 0x20000000; // MADV_HUGEPAGE
export const VM_NOHUGEPAGE = 0x40000000; // MADV_NOHUGEPAGE
export const VM_MERGEABLE = 0x80000000; // MADV_MERGEABLE (KSM)

/* rss counters (enum NR_MM_COUNTERS; constants first, so that the bundle inlines them) */
export const MM_FILEPAGES = 0;
export const MM_ANONPAGES = 1;
export const MM_SWAPENTS = 2;
export const MM_SHMEMPAGES = 3;
export const NR_MM_COUNTERS = 4;

/** The two-letter names of /proc/PID/smaps VmFlags, in show_smap_vma_flags order. */
export const vm_flag_names: readonly [number, string][] = [
  [VM_READ, "rd"],
  [VM_WRITE, "wr"],
  [VM_EXEC, "ex"],
  [VM_SHARED, "sh"],
  [VM_MAYREAD, "mr"],
  [VM_MAYWRITE, "mw"],
  [VM_MAYEXEC, "me"],
  [VM_MAYSHARE, "ms"],
  [VM_GROWSDOWN, "gd"],
  [VM_PFNMAP, "pf"],
  [VM_LOCKED, "lo"],
  [VM_IO, "io"],
  [VM_SEQ_READ, "sr"],
  [VM_RAND_READ, "rr"],
  [VM_DONTCOPY, "dc"],
  [VM_DONTEXPAND, "de"],
  [VM_LOCKONFAULT, "lf"],
  [VM_ACCOUNT, "ac"],
  [VM_NORESERVE, "nr"],
  [VM_HUGETLB, "ht"],
  [VM_WIPEONFORK, "wf"],
  [VM_DONTDUMP, "dd"],
  [VM_SOFTDIRTY, "sd"],
  [VM_HUGEPAGE, "hg"],
  [VM_NOHUGEPAGE, "nh"],
  [VM_MERGEABLE, "mg"],
];

export class VmAreaStruct {
  vm_start: number;
  private _vm_end: number;
  vm_flags: number;
  /** Offset in the file, in pages (or the linear page index for anonymous memory). */
  vm_pgoff: number;
  vm_file: File | null;
  anon_vma: AnonVma | null = null;
  /** NUMA policy of the area (mbind), or null for the task's. */
  policy: Mempolicy | null = null;
  /** Special mappings: "[vdso]", "[vvar]", "[sigpage]" ([heap] and [stack] are found by address). */
  special: string | null = null;
  /** The page backing a special mapping (vdso, vectors), if any. */
  special_pages: number[] = [];
  /** The address space the area belongs to. */
  vm_mm: MmStruct;
  constructor(mm: MmStruct, start: number, end: number, flags: number, pgoff: number, file: File | null) {
    this.vm_mm = mm;
    this.vm_start = start;
    this._vm_end = end;
    this.vm_flags = flags;
    this.vm_pgoff = pgoff;
    this.vm_file = file;
  }
  /** The end (exclusive). Moving it invalidates the mm's lookup index. */
  get vm_end(): number {
    return this._vm_end;
  }
  set vm_end(v: number) {
    this._vm_end = v;
    this.vm_mm.vma_ends = null;
  }
  get pages(): number {
    return (this.vm_end - this.vm_start) / 4096;
  }
  vma_is_anonymous(): boolean {
    return this.vm_file === null && this.special === null;
  }
}

export class MmStruct {
  readonly id: number;
  vmas: VmAreaStruct[] = [];
  /**
   * The areas' ends in one typed array, for find_vma's binary search (the
   * role of the maple tree's dense nodes: a lookup reads a few cache lines,
   * not one object per step). Null when an area was added, removed or moved.
   */
  vma_ends: Float64Array | null = null;
  pgd: PageTable;
  /** ASID of the address space in the TLB (hw/mmu.ts). */
  asid = 0;
  asid_generation = -1;
  mm_users = 1;
  /** rss_stat[MM_*]: pages currently mapped, by kind. */
  rss = new Int32Array(NR_MM_COUNTERS);
  hiwater_rss = 0;
  hiwater_vm = 0;
  total_vm = 0;
  locked_vm = 0;
  pinned_vm = 0;
  data_vm = 0;
  exec_vm = 0;
  stack_vm = 0;
  /** Bytes of page tables (VmPTE), pgd excluded as Linux does. */
  pgtables_bytes = 0;
  start_code = 0;
  end_code = 0;
  start_data = 0;
  end_data = 0;
  start_brk = 0;
  brk = 0;
  start_stack = 0;
  arg_start = 0;
  arg_end = 0;
  env_start = 0;
  env_end = 0;
  mmap_base = 0;
  task_size = 0;
  /** What exec told the program about its image (auxv and linker symbols). */
  exec_info: ExecInfo | null = null;
  /** The program file (/proc/PID/exe). */
  exe_file: File | null = null;
  /** VM_LOCKED is added to new mappings (mlockall(MCL_FUTURE)). */
  def_flags = 0;
  /** MMF_OOM_SKIP: the OOM killer is done with this address space (reaped, or exiting). */
  oom_skip = false;
  constructor(id: number, pgd: PageTable) {
    this.id = id;
    this.pgd = pgd;
  }
  get map_count(): number {
    return this.vmas.length;
  }
  get_mm_rss(): number {
    return this.rss[MM_FILEPAGES] + this.rss[MM_ANONPAGES] + this.rss[MM_SHMEMPAGES];
  }
  update_hiwater_rss(): void {
    const r = this.get_mm_rss();
    if (r > this.hiwater_rss) this.hiwater_rss = r;
  }
  update_hiwater_vm(): void {
    if (this.total_vm > this.hiwater_vm) this.hiwater_vm = this.total_vm;
  }
}
