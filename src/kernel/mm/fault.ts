/*
 * fault.ts - the simulated CPU touching user memory, and the architecture's
 * page-fault entry (Linux arch/x86/mm/fault.c do_user_addr_fault,
 * arch/arm/mm/fault.c do_page_fault, mm/mmap.c expand_stack).
 *
 * A program's loads, stores and instruction fetches are not system calls;
 * mmbox's programs describe them as ranges ("store 0xff into these 300 MiB",
 * see the __cpu_access request). For each page the CPU asks its TLB; on a
 * miss it walks the page tables; a missing or read-only PTE raises a page
 * fault, handled here like the real entry code does:
 *
 *   find_vma -> below a stack VMA? expand_stack -> no VMA, or the access is
 *   not allowed (write to read-only, exec of NX): SIGSEGV -> otherwise
 *   handle_mm_fault; VM_FAULT_OOM runs the OOM killer (pagefault_out_of_memory).
 *
 * Work is done a slice at a time: a long access returns CONTINUE after a
 * few hundred pages so the scheduler can run others in between.
 */

import { fault_regs, RIP, RSP, uregs_sync } from "../arch/ptrace.js";
import type { Kernel } from "../kernel.js";
import { KERN_EMERG, KERN_INFO } from "../lib/printk.js";
import { schedule_timeout_uninterruptible } from "../sched/core.js";
import { force_sig } from "../sched/signal.js";
import type { Task } from "../sched/task.js";
import { SIGBUS, SIGKILL, SIGSEGV } from "../uapi/abi.js";
import type { CpuAccess } from "../uapi/mman.js";
import { anon_write_batch, anon_write_batch_replan } from "./anon_fault_run.js";
import { make_tag, SAME_FILLED, TAG_ORDINARY, TAG_REPETITIVE } from "./content.js";
import { page_drop_bytes, page_write } from "./filemap.js";
import {
  anon_fault_zone,
  do_anonymous_write_fault,
  handle_mm_fault,
  VM_FAULT_OOM,
  VM_FAULT_SIGBUS,
  VM_FAULT_SIGSEGV,
} from "./memory.js";
import { TLB_MISS_COST, TOUCH_COST } from "./mm_costs.js";
import {
  type MmStruct,
  VM_ACCOUNT,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_LOCKED,
  VM_READ,
  VM_WRITE,
} from "./mm_struct.js";
import { PG_data } from "./mm_types.js";
import { __vm_enough_memory, find_vma, may_expand_vm } from "./mmap.js";
import type { Zone } from "./mmzone.js";
import { alloc_pages_pcp_zone_low } from "./page_alloc.js";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_NX,
  _PAGE_SOFT_DIRTY,
  type PageTable,
  pte_pfn,
  pte_present,
  pte_set,
  pte_write,
  set_pte,
  walk,
} from "./pgtable.js";
import { check_and_switch_context } from "./tlbflush.js";
import { PGFREE } from "./vm_event_item.js";

/** Pages handled before the CPU is given up for other tasks (about 100 us of work). */
const PAGES_PER_SLICE = 256;

export const CONTINUE = Symbol("CONTINUE");

/** expand_stack: grow a VM_GROWSDOWN area down to addr, within RLIMIT_STACK. */
function expand_stack(k: Kernel, t: Task, mm: MmStruct, addr: number): boolean {
  const vma = find_vma(mm, addr);
  if (!vma || !(vma.vm_flags & VM_GROWSDOWN)) return false;
  const start = Math.floor(addr / 4096) * 4096;
  const limit = t.rlim[3]?.[0] ?? 8 << 20;
  if (limit >= 0 && vma.vm_end - start > limit) return false;
  const i = mm.vmas.indexOf(vma);
  const prev = i > 0 ? mm.vmas[i - 1] : null;
  if (prev && start - prev.vm_end < 256 * 4096) return false; // stack_guard_gap
  // acct_stack_growth: RLIMIT_AS, then the commit charge.
  const grow = (vma.vm_start - start) / 4096;
  if (!may_expand_vm(k, t, mm, vma.vm_flags, grow)) return false;
  if (vma.vm_flags & VM_ACCOUNT && __vm_enough_memory(k, t, mm, grow) < 0) return false;
  vma.vm_start = start;
  vma.vm_pgoff -= grow;
  mm.total_vm += grow;
  mm.stack_vm += grow;
  if (vma.vm_flags & VM_LOCKED) mm.locked_vm += grow;
  return true;
}

/**
 * show_signal_msg: the "segfault at" line x86 prints for an unhandled
 * SIGSEGV (KERN_INFO, KERN_EMERG for init); ARM kernels print nothing
 * unless booted with user_debug. The instruction pointer is in the
 * program's text; print_vma_addr names the file and the area it is in.
 */
function show_signal_msg(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  addr: number,
  write: boolean,
  present: boolean,
): void {
  if (k.profile.arch !== "x86_64") return;
  const err = (present ? 1 : 0) | (write ? 2 : 0) | 4;
  const px = (v: number): string => v.toString(16).padStart(16, "0");
  // The faulting instruction and stack pointer, as the access left them (fault_regs).
  const r = uregs_sync(k, t);
  const ip = r ? r[RIP] : mm.start_code;
  const sp = r ? r[RSP] : mm.start_stack;
  const text = find_vma(mm, ip);
  const where =
    text?.vm_file && text.vm_start <= ip
      ? ` in ${text.vm_file.f_path.dentry.d_name}[${text.vm_start.toString(16)}+${(text.vm_end - text.vm_start).toString(16)}]`
      : "";
  k.printk.printk(
    t.pid > 1 ? KERN_INFO : KERN_EMERG,
    `${t.comm}[${t.pid}]: segfault at ${addr.toString(16)} ip ${px(ip)} sp ${px(sp)} error ${err}${where} likely on CPU ${k.cpu} (core ${k.cpu}, socket 0)`,
  );
}

/** Does this PTE let the access through without a fault? */
function pte_allows(pte: number, write: boolean, exec: boolean): boolean {
  return pte_present(pte) && (!write || pte_write(pte)) && !(exec && pte & _PAGE_NX);
}

/**
 * One page of an access: TLB, walk, fault. Returns ACCESS_OK, ACCESS_STOP
 * when the task got SIGSEGV (or must die) and the access must stop, or
 * ACCESS_RETRY when the fault found no memory and is to be retried.
 * (write and exec are a.write and a.exec, read once per slice.)
 *
 * The page is given by its number and the offset in it, not by its address:
 * an ARM user address above 2 GiB is a heap number, boxed wherever it is
 * passed on. Only the fault paths that need the address make it.
 */
function access_page(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  vpn: number,
  off: number,
  a: CpuAccess,
  write: boolean,
  exec: boolean,
): number {
  const tlb = k.tlb[k.cpu];
  let pte = tlb.lookup(mm.asid, vpn);
  if (pte < 0 || !pte_allows(pte, write, exec)) {
    t.cost += TLB_MISS_COST;
    // walk, with the 2-level (32-bit ARM) table in line: vpn >>> 9 indexes the pgd.
    const pt =
      k.profile.pgtableLevels === 2 ? (mm.pgd.children![vpn >>> 9] ?? null) : walk_vpn(k, mm, vpn, off);
    const i = vpn & 511; // pte_index
    pte = pt ? pt.entries[i] : 0;
    if (!pte_allows(pte, write, exec)) {
      const r = do_user_fault(k, t, mm, vpn, off, a, write, exec, pt, i, pte);
      if (r !== ACCESS_OK) return r;
      // The fault filled the PTE in the table the walk found (or made, if there was none).
      pte = (pt ?? walk_vpn(k, mm, vpn, off)!).entries[i];
    } else if (pt)
      set_pte(pt, i, pte_set(pte, _PAGE_ACCESSED | (write ? _PAGE_DIRTY | _PAGE_SOFT_DIRTY : 0)));
    tlb.fill(mm.asid, vpn, pte);
  }
  t.ucost += TOUCH_COST;
  if (write) {
    const pfn = pte_pfn(pte);
    if (a.fill !== undefined && !a.data && !a.distinct) {
      // store's memset case (the common one), in line.
      const mem = k.mem;
      if (mem.flags[pfn] & PG_data) page_drop_bytes(k, pfn);
      mem.setTag(pfn, a.fill === 0 ? 0 : (SAME_FILLED | (a.fill & 0xff)) >>> 0);
    } else store(k, pfn, vpn, off, a);
  }
  return ACCESS_OK;
}

/** walk (no allocation) for the page vpn, the address made here. */
function walk_vpn(k: Kernel, mm: MmStruct, vpn: number, off: number): PageTable | null {
  return walk(k, mm, vpn * 4096 + off, false);
}

/**
 * The access faults (do_user_addr_fault / do_page_fault): the PTE at
 * pt.entries[i] (pt null when the walk found no table) does not allow it.
 * A first write to an anonymous page whose table exists, the commonest
 * fault of all, takes handle_mm_fault's path in one piece
 * (do_anonymous_write_fault); every other fault goes through user_fault.
 */
function do_user_fault(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  vpn: number,
  off: number,
  a: CpuAccess,
  write: boolean,
  exec: boolean,
  pt: PageTable | null,
  i: number,
  pte: number,
): number {
  const addr = vpn * 4096 + off;
  const vma = find_vma(mm, addr);
  if (
    pte === 0 &&
    write &&
    pt !== null &&
    vma !== null &&
    vma.vm_start <= addr &&
    vma.vm_flags & VM_WRITE &&
    vma.vm_file === null &&
    vma.special === null &&
    !k.cfg.TRANSPARENT_HUGEPAGE
  ) {
    fault_regs(t, a, vpn, off);
    t.in_fault = true;
    const r = do_anonymous_write_fault(k, t, mm, vma, vpn, pt, i);
    t.in_fault = false;
    return r === 0 ? ACCESS_OK : fault_error(k, t, r);
  }
  return user_fault(k, t, mm, vpn, off, a, write, exec, pte);
}

/** Every other fault: find_vma, expand_stack, the permission check, handle_mm_fault. */
function user_fault(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  vpn: number,
  off: number,
  a: CpuAccess,
  write: boolean,
  exec: boolean,
  pte: number,
): number {
  const addr = vpn * 4096 + off;
  let vma = find_vma(mm, addr);
  if (vma && vma.vm_start > addr && vma.vm_flags & VM_GROWSDOWN && expand_stack(k, t, mm, addr))
    vma = find_vma(mm, addr);
  const allowed =
    vma &&
    vma.vm_start <= addr &&
    (write
      ? vma.vm_flags & VM_WRITE
      : exec
        ? vma.vm_flags & VM_EXEC
        : vma.vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
  fault_regs(t, a, vpn, off);
  if (!vma || !allowed) {
    show_signal_msg(k, t, mm, addr, write, pte_present(pte));
    force_sig(k, t, SIGSEGV);
    return ACCESS_STOP;
  }
  t.in_fault = true;
  const r = handle_mm_fault(k, t, mm, vma, addr, write);
  t.in_fault = false;
  return r & (VM_FAULT_SIGSEGV | VM_FAULT_SIGBUS | VM_FAULT_OOM) ? fault_error(k, t, r) : ACCESS_OK;
}

/** A fault that failed: SIGSEGV or SIGBUS stop the access; out of memory retries it. */
function fault_error(k: Kernel, t: Task, r: number): number {
  if (r & (VM_FAULT_SIGSEGV | VM_FAULT_SIGBUS)) {
    force_sig(k, t, r & VM_FAULT_SIGBUS ? SIGBUS : SIGSEGV);
    return ACCESS_STOP;
  }
  if (r & VM_FAULT_OOM) {
    // pagefault_out_of_memory, then the instruction faults again (unless the task dies first).
    k.mm_hooks.pagefault_out_of_memory(k);
    return t.signal?.pending.has(SIGKILL) ? ACCESS_STOP : ACCESS_RETRY;
  }
  return ACCESS_OK;
}

const ACCESS_OK = 0;
const ACCESS_STOP = 1;
const ACCESS_RETRY = 2;

/** What the last page of anon_write_run's run gave (an ACCESS_ code). */
let run_result = ACCESS_OK;

/**
 * The memset access loop over a stretch of first writes to a private
 * anonymous area: page vpn and the following ones up to stop, while they
 * are in the same leaf table and area and their PTEs are empty. Each page
 * goes exactly as access_page would take it (TLB lookup, miss, the fault
 * as do_user_fault's do_anonymous_write_fault, fill, the store), with the
 * area, the table and the access's constants found once for the run
 * rather than once a page; while nothing but such faults ran, their pages
 * come from the zone anon_fault_zone found (do_anonymous_write_fault_next),
 * the allocator's walk made again only after a full fault (the slow
 * path, a refill that steals...) or a batch whose refill left the zone
 * under its mark. Returns the pages done, the last one's result
 * in run_result (a fault that failed ends the run, its page counted); 0
 * when page vpn does not start such a run (access_page then takes it).
 * Stops after a page that leaves SIGKILL pending, as the caller's loop
 * checks after each page.
 */
function anon_write_run(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  vpn: number,
  stop: number,
  off: number,
  a: CpuAccess,
): number {
  // The leaf table (null: the first fault makes it, as handle_mm_fault's walk would).
  let pt = leaf_table(k, mm, vpn, off);
  if (pt !== null && (pt.huge || pt.entries[vpn & 511] !== 0)) return 0;
  const addr = vpn * 4096 + off;
  const vma = find_vma(mm, addr);
  if (
    vma === null ||
    vma.vm_start > addr ||
    !(vma.vm_flags & VM_WRITE) ||
    vma.vm_file !== null ||
    vma.special !== null
  )
    return 0;
  // The run: this table's entries, inside the area, up to stop.
  const end = Math.min(stop, vpn - (vpn & 511) + 511, vma.vm_end / 4096 - 1);
  const tlb = k.tlb[k.cpu];
  const asid = mm.asid;
  const mem = k.mem;
  const tag = a.fill === 0 ? 0 : (SAME_FILLED | (a.fill! & 0xff)) >>> 0;
  let n = 0;
  run_result = ACCESS_OK;
  // The zone the faults' pages come from while nothing else ran (anon_fault_zone), once looked for.
  let zone: Zone | null = null;
  let planned = false;
  let low_frees = -1; // PGFREE when the zone was looked for and all were under their min marks
  for (let v = vpn; v <= end; v++) {
    const i = v & 511;
    if (pt !== null && pt.entries[i] !== 0) break;
    if (pt !== null && !planned) {
      // (No zone was over its min mark: none is before a page is freed - the full faults'
      // reclaim. Under the low mark but over the min one, the slow path's zone is the one.)
      zone = k.vm_events[PGFREE] !== low_frees ? anon_fault_zone(k, vma) : null;
      if (zone === null && alloc_pages_pcp_zone_low()) low_frees = k.vm_events[PGFREE];
      planned = true;
    }
    if (pt !== null && zone !== null) {
      // As many pages as go straight from the zone's pcp list (anon_fault_run.ts).
      const m = anon_write_batch(k, t, mm, vma, pt, v, end, zone, tag, a, vpn, off);
      if (m > 0) {
        n += m;
        v += m - 1;
        if (anon_write_batch_replan()) planned = false; // a refill moved the zone under its mark
        const pending = t.signal?.pending;
        if (pending?.size && pending.has(SIGKILL)) break;
        continue;
      }
    }
    // This page the full way.
    let pte = tlb.lookup(asid, v);
    if (pte < 0 || !pte_allows(pte, true, false)) {
      t.cost += TLB_MISS_COST;
      fault_regs(t, a, v, v === vpn ? off : 0);
      t.in_fault = true;
      const r = do_anonymous_write_fault(k, t, mm, vma, v, pt, i);
      t.in_fault = false;
      planned = false; // the allocator's walk may end elsewhere now
      n++;
      if (r !== 0) {
        run_result = fault_error(k, t, r);
        if (run_result !== ACCESS_OK) return n;
      }
      pt ??= leaf_table(k, mm, v, 0)!;
      pte = pt.entries[i];
      tlb.fill(asid, v, pte);
    } else n++;
    t.ucost += TOUCH_COST;
    const pfn = pte_pfn(pte);
    if (mem.flags[pfn] & PG_data) page_drop_bytes(k, pfn);
    mem.setTag(pfn, tag);
    const pending = t.signal?.pending;
    if (pending?.size && pending.has(SIGKILL)) break;
  }
  return n;
}

/** The leaf table of page vpn, if the tables down to it exist (walk without allocation). */
function leaf_table(k: Kernel, mm: MmStruct, vpn: number, off: number): PageTable | null {
  return k.profile.pgtableLevels === 2 ? (mm.pgd.children![vpn >>> 9] ?? null) : walk_vpn(k, mm, vpn, off);
}

/** What a store leaves in the page: its content tag (and bytes, for exact small writes). */
function store(k: Kernel, pfn: number, vpn: number, off: number, a: CpuAccess): void {
  if (a.data) store_data(k, pfn, vpn * 4096 + off, a.addr, a.data);
  else if (a.fill !== undefined && !a.distinct) {
    // memset: the common case, kept small enough to be inlined into the access loop.
    const mem = k.mem;
    if (mem.flags[pfn] & PG_data) page_drop_bytes(k, pfn);
    mem.setTag(pfn, a.fill === 0 ? 0 : (SAME_FILLED | (a.fill & 0xff)) >>> 0);
  } else store_random(k, pfn, a);
}

/** An exact write: the bytes of data that fall in this page. */
function store_data(k: Kernel, pfn: number, addr: number, start: number, data: Uint8Array): void {
  const pageStart = Math.floor(addr / 4096) * 4096;
  const lo = Math.max(start, pageStart);
  const hi = Math.min(start + data.length, pageStart + 4096);
  if (hi > lo) page_write(k, pfn, lo - pageStart, data.subarray(lo - start, hi - start));
}

/** A distinct fill (a repetitive page of its own) or ordinary data. */
function store_random(k: Kernel, pfn: number, a: CpuAccess): void {
  page_drop_bytes(k, pfn);
  if (a.fill !== undefined)
    k.mem.setTag(pfn, make_tag(TAG_REPETITIVE, (k.prng.u32() & ~0xff) | (a.fill & 0xff)));
  else k.mem.setTag(pfn, make_tag(TAG_ORDINARY, k.prng.u32()));
}

/**
 * The __cpu_access request: touch [addr, addr+len). Returns 0 when done,
 * CONTINUE to be called again, or -14 (EFAULT) after a SIGSEGV.
 */
export function sys_cpu_access(k: Kernel, t: Task, a: CpuAccess): number | typeof CONTINUE {
  const mm = t.mm;
  if (!mm) return -14;
  check_and_switch_context(k, mm);
  const first = Math.floor(a.addr / 4096);
  const last = Math.floor((a.addr + Math.max(1, a.len) - 1) / 4096);
  let i = first + (a.done ?? 0);
  const stop = Math.min(last, i + PAGES_PER_SLICE - 1);
  const write = a.write === true;
  const exec = a.exec === true;
  const memset = write && !exec && a.fill !== undefined && !a.data && !a.distinct;
  for (; i <= stop; i++) {
    let r: number;
    if (memset && !k.cfg.TRANSPARENT_HUGEPAGE) {
      // A run of first writes to anonymous pages, when there is one here (see anon_write_run).
      const n = anon_write_run(k, t, mm, i, stop, i === first ? a.addr - first * 4096 : 0, a);
      if (n > 0) {
        i += n - 1;
        r = run_result;
      } else r = access_page(k, t, mm, i, i === first ? a.addr - first * 4096 : 0, a, write, exec);
    } else r = access_page(k, t, mm, i, i === first ? a.addr - first * 4096 : 0, a, write, exec);
    if (r === ACCESS_STOP) return -14;
    if (r === ACCESS_RETRY) {
      // Wait a tick for the OOM victim to go, then touch this page again.
      a.done = i - first;
      schedule_timeout_uninterruptible(k, 1e9 / k.clock.hz);
      return CONTINUE;
    }
    // A task the OOM killer chose (or anyone killed) stops touching memory at once.
    const pending = t.signal?.pending;
    if (pending?.size && pending.has(SIGKILL)) {
      a.done = i + 1 > last ? 0 : i + 1 - first;
      return a.done ? CONTINUE : 0;
    }
  }
  if (i > last) {
    a.done = 0;
    return 0;
  }
  a.done = i - first;
  return CONTINUE;
}
