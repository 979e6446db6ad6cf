/*
 * task_mmu.ts - a process's memory as /proc shows it (Linux
 * fs/proc/task_mmu.c, fs/proc/array.c).
 *
 *   maps           one line per VMA: range, rights, offset, device, inode,
 *                  then (padded to a column) the file or [heap]/[stack]/...
 *   smaps          the same plus what each area has in memory: Rss, Pss
 *                  (each page divided by the number of processes mapping
 *                  it), shared/private and clean/dirty, Anonymous, Locked,
 *                  Swap..., and the VmFlags mnemonics
 *   smaps_rollup   the smaps sums over all areas
 *   statm          sizes in pages: total, resident, shared, text, lib, data
 *   status         the Vm* and Rss* lines (task_mem)
 *   stat           vsize, rss and the layout addresses (do_task_stat)
 *   pagemap, clear_refs   see pagemap.ts
 *
 * The zero page and the raw frames of VM_PFNMAP areas are not "normal"
 * pages (vm_normal_page): they are mapped but never counted.
 */

import type { Kernel, TaskStatMem } from "../../kernel.js";
import { HPAGE_PMD_SIZE, thp_eligible_smaps } from "../../mm/huge_mm.js";
import {
  MM_ANONPAGES,
  MM_FILEPAGES,
  MM_SHMEMPAGES,
  MM_SWAPENTS,
  type MmStruct,
  VM_EXEC,
  VM_LOCKED,
  VM_MAYSHARE,
  VM_READ,
  VM_WRITE,
  type VmAreaStruct,
  vm_flag_names,
} from "../../mm/mm_struct.js";
import { PG_anon, PG_dirty, PG_mlocked, PG_referenced, PG_swapbacked, PG_tail } from "../../mm/mm_types.js";
import { for_each_pte, pte_dirty, pte_pfn, pte_present, pte_special, pte_young } from "../../mm/pgtable.js";
import { ARM_VECTORS_BASE } from "../../mm/vdso.js";
import type { Task } from "../../sched/task.js";
import { d_path } from "../namei.js";
import { file, type ProcEntry } from "./generic.js";
import { pagemap_entries } from "./pagemap.js";

const PAGE_SIZE = 4096;
const PSS_SHIFT = 12;

const hex = (v: number, w: number): string => v.toString(16).padStart(w, "0");

/** The name shown after the padding: the file, or what the area is for. */
function vma_name(k: Kernel, mm: MmStruct, v: VmAreaStruct): string | null {
  if (v.vm_file) {
    const f = v.vm_file;
    const path = d_path(null, f.f_path, k.vfs.root_mnt!);
    return f.f_inode.i_nlink === 0 ? `${path} (deleted)` : path;
  }
  if (v.special) return v.special;
  if (v.vm_start <= mm.brk && v.vm_end >= mm.start_brk) return "[heap]";
  if (v.vm_start <= mm.start_stack && v.vm_end >= mm.start_stack) return "[stack]";
  return null;
}

/** One maps line (show_map_vma), without the newline. */
function map_line(
  k: Kernel,
  v: {
    start: number;
    end: number;
    flags: number;
    pgoff: number;
    dev: string;
    ino: number;
    name: string | null;
  },
): string {
  const w = k.profile.pointerBits === 32 ? 8 : 8;
  const perms = `${v.flags & VM_READ ? "r" : "-"}${v.flags & VM_WRITE ? "w" : "-"}${v.flags & VM_EXEC ? "x" : "-"}${v.flags & VM_MAYSHARE ? "s" : "p"}`;
  let s = `${hex(v.start, w)}-${hex(v.end, w)} ${perms} ${hex(v.pgoff * PAGE_SIZE, 8)} ${v.dev} ${v.ino} `;
  if (v.name !== null) {
    const width = 25 + (k.profile.pointerBits / 8) * 6 - 1;
    s = `${s.padEnd(width, " ")} ${v.name}`;
  }
  return s;
}

function dev_of(v: VmAreaStruct): string {
  if (!v.vm_file) return "00:00";
  const dev = v.vm_file.f_inode.i_sb.s_dev;
  return `${hex(Math.floor(dev / 2 ** 20) & 0xfff, 2)}:${hex(dev % 2 ** 20, 2)}`;
}

function vma_line(k: Kernel, mm: MmStruct, v: VmAreaStruct): string {
  return map_line(k, {
    start: v.vm_start,
    end: v.vm_end,
    flags: v.vm_flags,
    pgoff: v.vm_file ? v.vm_pgoff : 0,
    dev: dev_of(v),
    ino: v.vm_file ? v.vm_file.f_inode.i_ino : 0,
    name: vma_name(k, mm, v),
  });
}

/** ARM's vector page: the gate area, shown after the real areas. */
function gate_line(k: Kernel): string | null {
  if (k.profile.arch !== "arm") return null;
  return map_line(k, {
    start: ARM_VECTORS_BASE,
    end: ARM_VECTORS_BASE + PAGE_SIZE,
    flags: VM_READ | VM_EXEC,
    pgoff: 0,
    dev: "00:00",
    ino: 0,
    name: "[vectors]",
  });
}

export function maps_show(k: Kernel, t: Task): string {
  const mm = t.mm;
  if (!mm) return "";
  let s = "";
  for (const v of mm.vmas) s += `${vma_line(k, mm, v)}\n`;
  const gate = gate_line(k);
  if (gate) s += `${gate}\n`;
  return s;
}

/** struct mem_size_stats: byte counts (pss ones shifted by PSS_SHIFT). */
class MemSizeStats {
  resident = 0;
  shared_clean = 0;
  shared_dirty = 0;
  private_clean = 0;
  private_dirty = 0;
  referenced = 0;
  anonymous = 0;
  lazyfree = 0;
  anonymous_thp = 0;
  swap = 0;
  pss = 0;
  pss_anon = 0;
  pss_file = 0;
  pss_shmem = 0;
  pss_dirty = 0;
  pss_locked = 0;
  swap_pss = 0;
}

/** smap_gather_stats: walk the area's PTEs and account each normal page. */
function gather(k: Kernel, mm: MmStruct, v: VmAreaStruct, mss: MemSizeStats): void {
  const mem = k.mem;
  const locked = (v.vm_flags & VM_LOCKED) !== 0;
  for_each_pte(k, mm, v.vm_start, v.vm_end, (pt, i) => {
    const pte = pt.entries[i];
    if (pte === 0) return;
    // smaps_pmd_entry: a huge PMD of a THP (not the huge zero page) is AnonHugePages; its
    // subpages are accounted one by one below, as 6.1 does for a THP its PMD shares.
    if (i === 0 && pt.huge && !pte_special(pte)) mss.anonymous_thp += HPAGE_PMD_SIZE;
    if (!pte_present(pte)) {
      mss.swap += PAGE_SIZE;
      mss.swap_pss += PAGE_SIZE << PSS_SHIFT;
      return;
    }
    if (pte_special(pte)) return;
    const pfn = pte_pfn(pte);
    // A THP's subpage has its head's anon/swapbacked/dirty/referenced/mlocked state.
    const f = mem.flags[mem.flags[pfn] & PG_tail ? mem.compound_head(pfn) : pfn];
    const dirty = pte_dirty(pte) || (f & PG_dirty) !== 0;
    if (f & PG_anon) {
      mss.anonymous += PAGE_SIZE;
      if (!(f & PG_swapbacked) && !dirty) mss.lazyfree += PAGE_SIZE;
    }
    mss.resident += PAGE_SIZE;
    if (pte_young(pte) || f & PG_referenced) mss.referenced += PAGE_SIZE;
    const mapcount = mem.page_mapcount(pfn);
    const only = mem.page_ref_count(pfn) === 1;
    const pss =
      only || mapcount < 2 ? PAGE_SIZE << PSS_SHIFT : Math.floor((PAGE_SIZE << PSS_SHIFT) / mapcount);
    const priv = only || mapcount < 2;
    mss.pss += pss;
    if (f & PG_anon) mss.pss_anon += pss;
    else if (f & PG_swapbacked) mss.pss_shmem += pss;
    else mss.pss_file += pss;
    if (locked || f & PG_mlocked) mss.pss_locked += pss;
    if (dirty) {
      mss.pss_dirty += pss;
      if (priv) mss.private_dirty += PAGE_SIZE;
      else mss.shared_dirty += PAGE_SIZE;
    } else if (priv) mss.private_clean += PAGE_SIZE;
    else mss.shared_clean += PAGE_SIZE;
  });
}

const kb = (bytes: number): number => Math.floor(bytes / 1024);
const line = (name: string, bytes: number): string =>
  `${name.padEnd(16)}${String(kb(bytes)).padStart(8)} kB\n`;
const pssline = (name: string, shifted: number): string => line(name, Math.floor(shifted / 2 ** PSS_SHIFT));

/** __show_smap: the counters an smaps entry and the rollup share. */
function show_smap(mss: MemSizeStats, rollup: boolean): string {
  let s = line("Rss:", mss.resident);
  s += pssline("Pss:", mss.pss);
  s += pssline("Pss_Dirty:", mss.pss_dirty);
  if (rollup) {
    s += pssline("Pss_Anon:", mss.pss_anon);
    s += pssline("Pss_File:", mss.pss_file);
    s += pssline("Pss_Shmem:", mss.pss_shmem);
  }
  s += line("Shared_Clean:", mss.shared_clean);
  s += line("Shared_Dirty:", mss.shared_dirty);
  s += line("Private_Clean:", mss.private_clean);
  s += line("Private_Dirty:", mss.private_dirty);
  s += line("Referenced:", mss.referenced);
  s += line("Anonymous:", mss.anonymous);
  s += line("LazyFree:", mss.lazyfree);
  s += line("AnonHugePages:", mss.anonymous_thp);
  s += line("ShmemPmdMapped:", 0);
  s += line("FilePmdMapped:", 0);
  s += line("Shared_Hugetlb:", 0);
  s += line("Private_Hugetlb:", 0);
  s += line("Swap:", mss.swap);
  s += pssline("SwapPss:", mss.swap_pss);
  s += line("Locked:", Math.floor(mss.pss_locked / 2 ** PSS_SHIFT));
  return s;
}

function vmflags(k: Kernel, flags: number): string {
  let s = "VmFlags: ";
  for (const [bit, name] of vm_flag_names) if ((flags & bit) !== 0) s += `${name} `;
  void k;
  return `${s}\n`;
}

export function smaps_show(k: Kernel, t: Task): string {
  const mm = t.mm;
  if (!mm) return "";
  let s = "";
  for (const v of mm.vmas) {
    const mss = new MemSizeStats();
    gather(k, mm, v, mss);
    s += `${vma_line(k, mm, v)}\n`;
    s += line("Size:", v.vm_end - v.vm_start);
    s += line("KernelPageSize:", PAGE_SIZE);
    s += line("MMUPageSize:", PAGE_SIZE);
    s += show_smap(mss, false);
    s += `THPeligible:    ${k.cfg.TRANSPARENT_HUGEPAGE && thp_eligible_smaps(k, v) ? 1 : 0}\n`;
    s += vmflags(k, v.vm_flags);
  }
  const gate = gate_line(k);
  if (gate) {
    s += `${gate}\n`;
    s += line("Size:", PAGE_SIZE) + line("KernelPageSize:", PAGE_SIZE) + line("MMUPageSize:", PAGE_SIZE);
    s += show_smap(new MemSizeStats(), false);
    s += "THPeligible:    0\n";
    s += "VmFlags: rd ex mr me \n";
  }
  return s;
}

export function smaps_rollup_show(k: Kernel, t: Task): string {
  const mm = t.mm;
  if (!mm || mm.vmas.length === 0) return "";
  const mss = new MemSizeStats();
  for (const v of mm.vmas) gather(k, mm, v, mss);
  const first = mm.vmas[0].vm_start;
  const last = mm.vmas[mm.vmas.length - 1].vm_end;
  const head = map_line(k, {
    start: first,
    end: last,
    flags: 0,
    pgoff: 0,
    dev: "00:00",
    ino: 0,
    name: "[rollup]",
  });
  return `${head}\n${show_smap(mss, true)}`;
}

/** VmExe and VmLib: executable areas split between the program's text and the rest. */
function text_lib(mm: MmStruct): [number, number] {
  const text = Math.min(
    Math.ceil(mm.end_code / PAGE_SIZE) * PAGE_SIZE - Math.floor(mm.start_code / PAGE_SIZE) * PAGE_SIZE,
    mm.exec_vm * PAGE_SIZE,
  );
  return [text, mm.exec_vm * PAGE_SIZE - text];
}

/** task_mem: the Vm and Rss lines of /proc/PID/status. */
export function task_mem(k: Kernel, t: Task): string {
  const mm = t.mm;
  if (!mm) return "";
  const anon = mm.rss[MM_ANONPAGES];
  const filep = mm.rss[MM_FILEPAGES];
  const shmem = mm.rss[MM_SHMEMPAGES];
  const total_rss = anon + filep + shmem;
  const [text, lib] = text_lib(mm);
  const p = (pages: number): string => String(pages * 4).padStart(8);
  const b = (bytes: number): string => String(Math.floor(bytes / 1024)).padStart(8);
  let s = `VmPeak:\t${p(Math.max(mm.total_vm, mm.hiwater_vm))} kB\n`;
  s += `VmSize:\t${p(mm.total_vm)} kB\n`;
  s += `VmLck:\t${p(mm.locked_vm)} kB\n`;
  s += `VmPin:\t${p(mm.pinned_vm)} kB\n`;
  s += `VmHWM:\t${p(Math.max(total_rss, mm.hiwater_rss))} kB\n`;
  s += `VmRSS:\t${p(total_rss)} kB\n`;
  s += `RssAnon:\t${p(anon)} kB\nRssFile:\t${p(filep)} kB\nRssShmem:\t${p(shmem)} kB\n`;
  s += `VmData:\t${p(mm.data_vm)} kB\nVmStk:\t${p(mm.stack_vm)} kB\n`;
  s += `VmExe:\t${b(text)} kB\nVmLib:\t${b(lib)} kB\nVmPTE:\t${b(mm.pgtables_bytes)} kB\n`;
  s += `VmSwap:\t${p(mm.rss[MM_SWAPENTS])} kB\n`;
  if (k.cfg.HUGETLB_PAGE) s += "HugetlbPages:\t       0 kB\n";
  return s;
}

/** /proc/PID/statm (task_statm). */
export function statm_show(_k: Kernel, t: Task): string {
  const mm = t.mm;
  if (!mm) return "0 0 0 0 0 0 0\n";
  const shared = mm.rss[MM_FILEPAGES] + mm.rss[MM_SHMEMPAGES];
  const text = Math.floor(
    (Math.ceil(mm.end_code / PAGE_SIZE) * PAGE_SIZE - Math.floor(mm.start_code / PAGE_SIZE) * PAGE_SIZE) /
      PAGE_SIZE,
  );
  const resident = shared + mm.rss[MM_ANONPAGES];
  return `${mm.total_vm} ${resident} ${shared} ${text} 0 ${mm.data_vm + mm.stack_vm} 0\n`;
}

/** The memory fields of /proc/PID/stat. */
export function task_stat_mem(k: Kernel, t: Task): TaskStatMem {
  const mm = t.mm;
  const rsslim = k.profile.pointerBits === 32 ? 4294967295 : "18446744073709551615";
  if (!mm)
    return {
      vsize: 0,
      rss: 0,
      rsslim,
      startcode: 0,
      endcode: 0,
      startstack: 0,
      start_data: 0,
      end_data: 0,
      start_brk: 0,
      arg_start: 0,
      arg_end: 0,
      env_start: 0,
      env_end: 0,
    };
  return {
    vsize: mm.total_vm * PAGE_SIZE,
    rss: mm.get_mm_rss(),
    rsslim,
    startcode: mm.start_code,
    endcode: mm.end_code,
    startstack: mm.start_stack,
    start_data: mm.start_data,
    end_data: mm.end_data,
    start_brk: mm.start_brk,
    arg_start: mm.arg_start,
    arg_end: mm.arg_end,
    env_start: mm.env_start,
    env_end: mm.env_end,
  };
}

/** The /proc/PID files that exist once the process has an address space. */
export function proc_pid_mm_entries(_k: Kernel, self: Task): ProcEntry[] {
  return [
    file("maps", (kk) => maps_show(kk, self)),
    file("smaps", (kk) => smaps_show(kk, self)),
    file("smaps_rollup", (kk) => smaps_rollup_show(kk, self)),
    file("statm", (kk) => statm_show(kk, self)),
    ...pagemap_entries(self),
  ];
}
