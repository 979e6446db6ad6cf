/*
 * sys_mm.ts - the memory-management system calls (Linux mm/mmap.c
 * SYSCALL_DEFINE(brk), ksys_mmap_pgoff, mm/mprotect.c, mm/mremap.c,
 * mm/madvise.c, mm/mlock.c, mm/mincore.c), and the program's own memory
 * accesses (__cpu_access, see fault.ts).
 *
 * Calls that fault many pages in (MAP_POPULATE, MAP_LOCKED, mlock) keep
 * their progress in the request and return CONTINUE between slices, so a
 * large populate does not stall every other process.
 */

import { fget, fput } from "../fs/file_table.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { EBADF, EINVAL, ENOMEM } from "../uapi/errno.js";
import {
  MAP_ANONYMOUS,
  MAP_LOCKED,
  MAP_POPULATE,
  MAP_SHARED,
  MCL_CURRENT,
  MCL_FUTURE,
  MCL_ONFAULT,
  MLOCK_ONFAULT,
  type MmSys,
} from "../uapi/mman.js";
import { CONTINUE, sys_cpu_access } from "./fault.js";
import { find_get_page } from "./filemap.js";
import { type PopulateState, populate_range } from "./gup.js";
import { do_madvise } from "./madvise.js";
import { do_get_mempolicy, do_mbind, do_set_mempolicy } from "./mempolicy.js";
import { check_locked_range, mlock_fixup_pages } from "./mlock.js";
import { type MmStruct, VM_LOCKED, VM_LOCKONFAULT } from "./mm_struct.js";
import { do_brk, do_mmap, do_mprotect, do_munmap, vma_modify } from "./mmap.js";
import { do_mremap } from "./mremap.js";
import { pte_get, pte_present } from "./pgtable.js";
import { shmem_zero_setup } from "./shmem.js";
import { sys_swapoff, sys_swapon } from "./swapfile.js";

const PAGE_SIZE = 4096;

/** Continue (or finish) a populate kept in the request. */
function populate_step(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  st: PopulateState,
  result: number,
): number | typeof CONTINUE {
  const r = populate_range(k, t, mm, st);
  if (r === 1) return CONTINUE;
  return r < 0 && result === 0 ? -ENOMEM : result;
}

function sys_mmap(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  r: Extract<MmSys, { nr: "mmap" }>,
): number | typeof CONTINUE {
  if (r.populate) return populate_step(k, t, mm, r.populate, r.addr);
  let file = null;
  if (!(r.flags & MAP_ANONYMOUS)) {
    file = fget(t, r.fd);
    if (!file) return -EBADF;
  } else if (r.flags & MAP_SHARED) {
    // shmem_zero_setup: shared anonymous memory is an unlinked tmpfs file.
    if (r.length <= 0) return -EINVAL;
    file = shmem_zero_setup(k, Math.ceil(r.length / PAGE_SIZE) * PAGE_SIZE);
  }
  const addr = do_mmap(k, t, mm, r.addr, r.length, r.prot, r.flags, file, r.offset);
  if (file && r.flags & MAP_ANONYMOUS) fput(k, file); // the mapping holds the only reference
  if (addr < 0) return addr;
  const locked = (r.flags & MAP_LOCKED) !== 0;
  if (locked) vma_modify(k, mm, addr, addr + r.length, (v) => v.vm_flags | VM_LOCKED);
  if (r.flags & MAP_POPULATE || locked || mm.def_flags & VM_LOCKED) {
    r.addr = addr;
    r.populate = { next: addr, end: addr + Math.ceil(r.length / PAGE_SIZE) * PAGE_SIZE };
    return populate_step(k, t, mm, r.populate, addr);
  }
  return addr;
}

/** mlock2/munlock on [start, start+len): flip VM_LOCKED, then (un)lock the pages. */
function apply_mlock(
  k: Kernel,
  mm: MmStruct,
  start: number,
  len: number,
  on: boolean,
  onfault: boolean,
): void {
  const end = start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  const lockbits = VM_LOCKED | (onfault ? VM_LOCKONFAULT : 0);
  vma_modify(k, mm, start, end, (v) =>
    on ? (v.vm_flags & ~VM_LOCKONFAULT) | lockbits : v.vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT),
  );
  for (const v of mm.vmas) if (v.vm_end > start && v.vm_start < end) mlock_fixup_pages(k, mm, v, on);
  let locked = 0;
  for (const v of mm.vmas) if (v.vm_flags & VM_LOCKED) locked += v.pages;
  mm.locked_vm = locked;
}

function sys_mlock2(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  r: Extract<MmSys, { nr: "mlock2" }>,
): number | typeof CONTINUE {
  if (r.populate) return populate_step(k, t, mm, r.populate, 0);
  if (r.flags & ~MLOCK_ONFAULT) return -EINVAL;
  const start = Math.floor(r.addr / PAGE_SIZE) * PAGE_SIZE;
  const len = r.length + (r.addr - start);
  const err = check_locked_range(mm, start, len);
  if (err) return err;
  apply_mlock(k, mm, start, len, true, (r.flags & MLOCK_ONFAULT) !== 0);
  if (r.flags & MLOCK_ONFAULT) return 0;
  r.populate = { next: start, end: start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE };
  return populate_step(k, t, mm, r.populate, 0);
}

function sys_mlockall(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  r: Extract<MmSys, { nr: "mlockall" }>,
): number | typeof CONTINUE {
  if (r.populate) return populate_step(k, t, mm, r.populate, 0);
  if (!r.flags || r.flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || r.flags === MCL_ONFAULT)
    return -EINVAL;
  mm.def_flags = r.flags & MCL_FUTURE ? VM_LOCKED | (r.flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0) : 0;
  if (!(r.flags & MCL_CURRENT)) return 0;
  for (const v of [...mm.vmas])
    apply_mlock(k, mm, v.vm_start, v.vm_end - v.vm_start, true, (r.flags & MCL_ONFAULT) !== 0);
  if (r.flags & MCL_ONFAULT) return 0;
  r.populate = { next: 0, end: mm.task_size };
  return populate_step(k, t, mm, r.populate, 0);
}

/** mincore(2): one byte per page, 1 when the page is resident. */
function sys_mincore(k: Kernel, mm: MmStruct, addr: number, length: number): Uint8Array | number {
  if (addr % PAGE_SIZE) return -EINVAL;
  const n = Math.ceil(length / PAGE_SIZE);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = addr + i * PAGE_SIZE;
    const vma = mm.vmas.find((v) => v.vm_start <= a && a < v.vm_end);
    if (!vma) return -ENOMEM;
    if (pte_present(pte_get(k, mm, a))) out[i] = 1;
    else if (vma.vm_file?.f_inode.i_mapping)
      out[i] =
        find_get_page(vma.vm_file.f_inode.i_mapping, vma.vm_pgoff + (a - vma.vm_start) / PAGE_SIZE) >= 0
          ? 1
          : 0;
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: each handler receives its own request variant
type Handler = (k: Kernel, t: Task, mm: MmStruct, r: any) => unknown;

const mm_calls: Record<MmSys["nr"], Handler> = {
  brk: (k, t, mm, r) => do_brk(k, t, mm, r.addr),
  mmap: sys_mmap,
  munmap: (k, _t, mm, r) => do_munmap(k, mm, r.addr, r.length),
  mprotect: (k, t, mm, r) => do_mprotect(k, t, mm, r.addr, r.length, r.prot),
  mremap: (k, t, mm, r) => do_mremap(k, t, mm, r.old_address, r.old_size, r.new_size, r.flags, r.new_address),
  madvise: (k, _t, mm, r) => do_madvise(k, mm, r.addr, r.length, r.advice),
  mlock2: sys_mlock2,
  munlock: (k, _t, mm, r) => {
    const start = Math.floor(r.addr / PAGE_SIZE) * PAGE_SIZE;
    const len = r.length + (r.addr - start);
    const err = check_locked_range(mm, start, len);
    if (err) return err;
    apply_mlock(k, mm, start, len, false, false);
    return 0;
  },
  mlockall: sys_mlockall,
  munlockall: (k, _t, mm) => {
    mm.def_flags = 0;
    for (const v of [...mm.vmas]) apply_mlock(k, mm, v.vm_start, v.vm_end - v.vm_start, false, false);
    return 0;
  },
  mincore: (k, _t, mm, r) => sys_mincore(k, mm, r.addr, r.length),
  mbind: (k, _t, mm, r) => do_mbind(k, mm, r.addr, r.length, r.mode, r.nodes),
  set_mempolicy: (k, t, _mm, r) => do_set_mempolicy(k, t, r.mode, r.nodes),
  get_mempolicy: (k, t, mm, r) => do_get_mempolicy(k, t, mm, r.addr, r.flags),
  swapon: (k, t, _mm, r) => sys_swapon(k, t, r.path, r.flags),
  swapoff: (k, t, _mm, r) => sys_swapoff(k, t, r.path),
  __cpu_access: (k, t, _mm, r) => sys_cpu_access(k, t, r.access),
  __exec_info: (_k, _t, mm) => mm.exec_info,
};

/** The table the syscall dispatcher merges in: every call needs an address space. */
export const mm_sys_call_table: Record<string, (k: Kernel, t: Task, r: MmSys) => unknown> =
  Object.fromEntries(
    Object.entries(mm_calls).map(([nr, h]) => [
      nr,
      (k: Kernel, t: Task, r: MmSys) => (t.mm ? h(k, t, t.mm, r) : -EINVAL),
    ]),
  );
