/*
 * Random address-space programs, thousands of them: sequences of mmap,
 * munmap, mprotect, mremap, madvise, mlock, brk, loads and stores, fork and
 * exit on a few processes at once. After each program the whole machine
 * passes the invariant checker (VMAs, RSS against PTEs, mapcounts against
 * rmap walks, the allocator's lists) and every page is back.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_mm } from "../../../src/kernel/mm/debug_mm.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { sys_cpu_access } from "../../../src/kernel/mm/fault.js";
import { thp } from "../../../src/kernel/mm/huge_mm.js";
import { khugepaged_do_scan } from "../../../src/kernel/mm/khugepaged.js";
import { do_madvise } from "../../../src/kernel/mm/madvise.js";
import type { MmStruct } from "../../../src/kernel/mm/mm_struct.js";
import {
  do_brk,
  do_mmap,
  do_mprotect,
  do_munmap,
  dup_mmap,
  mm_alloc,
  mmput,
} from "../../../src/kernel/mm/mmap.js";
import { NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B } from "../../../src/kernel/mm/mmzone.js";
import { do_mremap } from "../../../src/kernel/mm/mremap.js";
import { drop_slab } from "../../../src/kernel/mm/shrinker.js";
import { mm_sys_call_table } from "../../../src/kernel/mm/sys_mm.js";
import {
  THP_COLLAPSE_ALLOC,
  THP_DEFERRED_SPLIT_PAGE,
  THP_FAULT_ALLOC,
  THP_SPLIT_PAGE,
  THP_SPLIT_PMD,
  THP_ZERO_PAGE_ALLOC,
} from "../../../src/kernel/mm/vm_event_item.js";
import { new_signal_struct } from "../../../src/kernel/sched/fork.js";
import { Task } from "../../../src/kernel/sched/task.js";
import { default_rlimits } from "../../../src/kernel/sys.js";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED } from "../../../src/kernel/uapi/mman.js";
import { booted } from "../../helpers/machine.js";

const P = 4096;
const BASE = 0x10000000;
const SPAN = 64; // pages of address space the programs play in

type Op =
  | { op: "mmap"; page: number; pages: number; prot: number; shared: boolean }
  | { op: "munmap"; page: number; pages: number }
  | { op: "mprotect"; page: number; pages: number; prot: number }
  | { op: "mremap"; page: number; pages: number; to: number }
  | { op: "madvise"; page: number; pages: number; advice: number }
  | { op: "mlock"; page: number; pages: number; on: boolean }
  | { op: "brk"; pages: number }
  | { op: "touch"; page: number; pages: number; write: boolean }
  | { op: "fork" }
  | { op: "exit" }
  | { op: "switch"; to: number }
  | { op: "drop_slab" }
  | { op: "khugepaged" }
  | { op: "mremap_fixed"; page: number; pages: number; to: number }
  | { op: "small_pages"; page: number; pages: number };

/**
 * The operations, on pages of [0, span), up to maxPages at once; with huge,
 * also whole writable 2 MiB-aligned areas and touches of them (THPs).
 */
function opsOf(span: number, maxPages: number, huge: boolean): fc.Arbitrary<Op> {
  const page = fc.integer({ min: 0, max: span - 1 });
  const pages = fc.integer({ min: 1, max: maxPages });
  const hugeOps: fc.Arbitrary<Op>[] = huge
    ? [
        fc.record({
          op: fc.constant("mmap" as const),
          page: fc.constantFrom(0, 512),
          pages: fc.constantFrom(1024, 900),
          prot: fc.constant(3),
          shared: fc.constant(false),
        }),
        fc.record({
          op: fc.constant("touch" as const),
          page: fc.constantFrom(0, 300, 512),
          pages,
          write: fc.boolean(),
        }),
        fc.record({ op: fc.constant("munmap" as const), page: fc.constantFrom(100, 600), pages }),
        // drop_caches 2: the deferred split shrinker splits the THPs partial unmaps queued.
        fc.constant({ op: "drop_slab" as const }),
        fc.constant({ op: "drop_slab" as const }),
        // MADV_NOHUGEPAGE then MADV_HUGEPAGE: 4 KiB pages where a THP fits, for khugepaged; and
        // MADV_DONTNEED and MADV_FREE of whole THPs
        fc.record({
          op: fc.constant("madvise" as const),
          page: fc.constantFrom(0, 512),
          pages: fc.constantFrom(512, 1024),
          advice: fc.constantFrom(4, 8, 14, 15),
        }),
        // mremap to a fixed place: whole huge PMDs move as they are when it is aligned
        fc.record({
          op: fc.constant("mremap_fixed" as const),
          page: fc.constantFrom(0, 512),
          pages: fc.constantFrom(512, 1024, 600),
          to: fc.constantFrom(1024, 1030),
        }),
        // an aligned 2 MiB area written in 4 KiB pages, then open to THPs: work for khugepaged
        fc.record({ op: fc.constant("small_pages" as const), page: fc.constantFrom(0, 512), pages }),
        // a pass of khugepaged: 4 KiB pages collapsed into THPs
        fc.constant({ op: "khugepaged" as const }),
        fc.constant({ op: "khugepaged" as const }),
      ]
    : [];
  return fc.oneof(
    ...hugeOps,
    fc.record({
      op: fc.constant("mmap" as const),
      page,
      pages,
      prot: fc.integer({ min: 0, max: 7 }),
      shared: fc.boolean(),
    }),
    fc.record({ op: fc.constant("munmap" as const), page, pages }),
    fc.record({ op: fc.constant("mprotect" as const), page, pages, prot: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ op: fc.constant("mremap" as const), page, pages, to: pages }),
    fc.record({
      op: fc.constant("madvise" as const),
      page,
      pages,
      advice: fc.constantFrom(3, 4, 8, 10, 11, 12, 14, 15),
    }),
    fc.record({ op: fc.constant("mlock" as const), page, pages, on: fc.boolean() }),
    fc.record({ op: fc.constant("brk" as const), pages: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ op: fc.constant("touch" as const), page, pages, write: fc.boolean() }),
    fc.record({ op: fc.constant("touch" as const), page, pages, write: fc.constant(true) }),
    fc.constant({ op: "fork" as const }),
    fc.constant({ op: "exit" as const }),
    fc.record({ op: fc.constant("switch" as const), to: fc.integer({ min: 0, max: 3 }) }),
  );
}

let nextPid = 5000;

function newTask(k: Kernel, mm: MmStruct): Task {
  // init's files and fs: drop_slab's dcache shrinker looks at every task's.
  const init = k.sched.tasks.get(1)!;
  const t = new Task(nextPid++, "fuzz", init.files, init.fs, new_signal_struct());
  t.rlim = default_rlimits(k);
  t.mm = mm;
  k.sched.tasks.set(t.pid, t);
  return t;
}

function freshMm(k: Kernel, span: number): MmStruct {
  const mm = mm_alloc(k)!;
  mm.task_size = 0xbf000000;
  mm.mmap_base = 0xb0000000;
  mm.start_brk = mm.brk = BASE + (span + 16) * P;
  return mm;
}

function retire(k: Kernel, t: Task): void {
  k.sched.tasks.delete(t.pid);
  const mm = t.mm!;
  t.mm = null;
  mmput(k, mm);
}

function runProgram(k: Kernel, ops: Op[], span: number): void {
  const tasks = [newTask(k, freshMm(k, span))];
  let cur = 0;
  for (const o of ops) {
    const t = tasks[cur];
    const mm = t.mm!;
    const a = BASE + ("page" in o ? o.page : 0) * P;
    const len = ("pages" in o ? o.pages : 0) * P;
    k.sched.current = t;
    switch (o.op) {
      case "mmap":
        do_mmap(
          k,
          t,
          mm,
          a,
          len,
          o.prot,
          (o.shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED,
          null,
          0,
        );
        if (o.shared) {
          // shared anonymous memory goes through the syscall (it needs its tmpfs file)
          do_munmap(k, mm, a, len);
          mm_sys_call_table.mmap(k, t, {
            nr: "mmap",
            addr: a,
            length: len,
            prot: o.prot,
            flags: MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
            fd: -1,
            offset: 0,
          });
        }
        break;
      case "munmap":
        do_munmap(k, mm, a, len);
        break;
      case "mprotect":
        do_mprotect(k, t, mm, a, len, o.prot);
        break;
      case "mremap":
        do_mremap(k, t, mm, a, len, o.to * P, 1, 0);
        break;
      case "madvise":
        do_madvise(k, mm, a, len, o.advice);
        break;
      case "mlock": {
        const r = { nr: o.on ? "mlock2" : "munlock", addr: a, length: len, flags: 0 } as const;
        for (let i = 0; i < 1000 && typeof mm_sys_call_table[r.nr](k, t, r) === "symbol"; i++);
        break;
      }
      case "brk":
        do_brk(k, t, mm, mm.start_brk + o.pages * P);
        break;
      case "touch": {
        const acc = { addr: a, len, write: o.write };
        for (let i = 0; i < 1000 && typeof sys_cpu_access(k, t, acc) === "symbol"; i++);
        break;
      }
      case "fork":
        if (tasks.length < 4) tasks.push(newTask(k, dup_mmap(k, t, mm)!));
        break;
      case "exit":
        if (tasks.length > 1) {
          retire(k, t);
          tasks.splice(cur, 1);
          cur = 0;
        }
        break;
      case "switch":
        cur = o.to % tasks.length;
        break;
      case "drop_slab":
        drop_slab(k);
        break;
      case "khugepaged":
        khugepaged_do_scan(k);
        break;
      case "small_pages": {
        do_mmap(k, t, mm, a, 512 * P, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
        do_madvise(k, mm, a, 512 * P, 15); // MADV_NOHUGEPAGE
        const acc = { addr: a, len: Math.min(len, 512 * P), write: true };
        for (let i = 0; i < 1000 && typeof sys_cpu_access(k, t, acc) === "symbol"; i++);
        do_madvise(k, mm, a, 512 * P, 14); // MADV_HUGEPAGE
        break;
      }
      case "mremap_fixed":
        do_mremap(k, t, mm, a, len, len, 3, BASE + o.to * P); // MREMAP_MAYMOVE | MREMAP_FIXED
        break;
    }
    check_mm(k);
  }
  k.sched.current = null;
  for (const t of tasks) retire(k, t);
}

/**
 * Runs numRuns random programs on machine over span pages (BASE is 2 MiB
 * aligned: on -M pc, areas of 512 pages and more get THPs, and the
 * programs split, fork and unmap them at random).
 */
function fuzz(machine: "vexpress-a9" | "pc", span: number, maxPages: number, numRuns: number): Kernel {
  const k = booted({ machine }).k;
  // A SIGSEGV from a random access goes to a task that is not scheduled: harmless here.
  // Pages in use, not counting slab pages (a slab keeps its pages for the next object) nor
  // the huge zero page (allocated at its first use, kept).
  const used = (): number =>
    k.zones.reduce((s, z) => s + z.nr_in_use, 0) -
    k.nodes.reduce((s, n) => s + n.vm_stat[NR_SLAB_RECLAIMABLE_B] + n.vm_stat[NR_SLAB_UNRECLAIMABLE_B], 0) -
    (k.cfg.TRANSPARENT_HUGEPAGE && thp(k).huge_zero_pfn >= 0 ? 512 : 0);
  const committed = k.mm_stat.vm_committed_as;
  let runs = 0;
  fc.assert(
    fc.property(fc.array(opsOf(span, maxPages, machine === "pc"), { minLength: 1, maxLength: 40 }), (ops) => {
      const before = used();
      try {
        runProgram(k, ops, span);
      } catch (e) {
        // The kernel's last words say which invariant broke.
        const log = k.printk.records.slice(-6).map((r) => r.text);
        throw new Error(`${(e as Error).message}\n${log.join("\n")}`);
      }
      runs++;
      if (runs % 100 === 0) check_vm(k);
      // Every page, table and pgd is free again; shared anonymous files are gone.
      expect(used()).toBe(before);
      expect(k.mm_stat.vm_committed_as).toBe(committed);
    }),
    { numRuns, seed: 42 },
  );
  check_vm(k);
  return k;
}

describe("random address-space programs", () => {
  it("never break an invariant, and give every page back", () => {
    fuzz("vexpress-a9", SPAN, 12, 2000);
  });

  it("with THP (-M pc, 3 x 2 MiB): never break an invariant, and give every page back", () => {
    const k = fuzz("pc", 3 * 512, 700, 1000);
    // The programs did make THPs, split their PMDs, queued and split them, mapped the huge zero
    // page, and khugepaged collapsed some.
    const ev = [
      THP_FAULT_ALLOC,
      THP_SPLIT_PMD,
      THP_DEFERRED_SPLIT_PAGE,
      THP_SPLIT_PAGE,
      THP_ZERO_PAGE_ALLOC,
      THP_COLLAPSE_ALLOC,
    ].map((e) => k.vm_events[e]);
    expect(ev.every((n) => n > 0)).toBe(true);
  });
});
