/*
 * VMA merging and splitting, after the scenarios of Linux's VMA tests
 * (tools/testing/vma: merge with the previous area, the next, both, none;
 * splits on partial munmap and mprotect; brk growth; mremap), checked with
 * the full invariant checker after each step.
 */

import { beforeEach, describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { mm_populate } from "../../../src/kernel/mm/gup.js";
import type { MmStruct } from "../../../src/kernel/mm/mm_struct.js";
import {
  do_brk,
  do_mmap,
  do_mprotect,
  do_munmap,
  find_vma,
  mm_alloc,
  mmput,
} from "../../../src/kernel/mm/mmap.js";
import { do_mremap } from "../../../src/kernel/mm/mremap.js";
import { Task } from "../../../src/kernel/sched/task.js";
import { default_rlimits } from "../../../src/kernel/sys.js";
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  MREMAP_MAYMOVE,
  PROT_EXEC,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
} from "../../../src/kernel/uapi/mman.js";
import { booted } from "../../helpers/machine.js";

const P = 4096;
const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const BASE = 0x10000000;

let k: Kernel;
let mm: MmStruct;
let t: Task;

/** The areas as [start page, end page, rights] relative to BASE. */
function layout(): [number, number, string][] {
  return mm.vmas.map((v) => [
    (v.vm_start - BASE) / P,
    (v.vm_end - BASE) / P,
    `${v.vm_flags & 1 ? "r" : "-"}${v.vm_flags & 2 ? "w" : "-"}${v.vm_flags & 4 ? "x" : "-"}`,
  ]);
}

function map(page: number, pages: number, prot = RW, flags = ANON): number {
  return do_mmap(k, t, mm, BASE + page * P, pages * P, prot, flags, null, 0);
}

beforeEach(() => {
  k = booted().k;
  mm = mm_alloc(k)!;
  mm.task_size = 0xbf000000;
  mm.mmap_base = 0xb0000000;
  t = new Task(999, "vmatest", null as never, null as never, null as never);
  t.rlim = default_rlimits(k);
  t.mm = mm;
  k.sched.tasks.set(999, t);
});

function done(): void {
  check_vm(k);
  k.sched.tasks.delete(999);
  t.mm = null;
  mmput(k, mm);
  check_vm(k);
}

describe("vma_merge", () => {
  it("merges a new area with the previous one", () => {
    map(0, 2);
    map(2, 3);
    expect(layout()).toEqual([[0, 5, "rw-"]]);
    done();
  });

  it("merges a new area with the next one", () => {
    map(3, 2);
    map(0, 3);
    expect(layout()).toEqual([[0, 5, "rw-"]]);
    done();
  });

  it("fills a hole between two areas and merges all three", () => {
    map(0, 2);
    map(4, 2);
    map(2, 2);
    expect(layout()).toEqual([[0, 6, "rw-"]]);
    done();
  });

  it("does not merge areas with different rights", () => {
    map(0, 2, PROT_READ);
    map(2, 2, RW);
    map(4, 2, PROT_READ);
    expect(layout()).toEqual([
      [0, 2, "r--"],
      [2, 4, "rw-"],
      [4, 6, "r--"],
    ]);
    done();
  });

  it("does not merge with a non-adjacent area", () => {
    map(0, 2);
    map(3, 2);
    expect(layout()).toEqual([
      [0, 2, "rw-"],
      [3, 5, "rw-"],
    ]);
    done();
  });

  it("does not merge anonymous areas whose pages belong to different anon_vmas", () => {
    map(0, 2);
    mm_populate(k, t, mm, BASE, 2 * P);
    map(3, 2);
    mm_populate(k, t, mm, BASE + 3 * P, 2 * P);
    // Filling the hole could join them only if they shared one anon_vma.
    map(2, 1);
    expect(mm.vmas.length).toBe(2);
    check_vm(k);
    done();
  });
});

describe("split_vma", () => {
  it("splits one area in three when its middle is unmapped", () => {
    map(0, 10);
    expect(do_munmap(k, mm, BASE + 3 * P, 4 * P)).toBe(0);
    expect(layout()).toEqual([
      [0, 3, "rw-"],
      [7, 10, "rw-"],
    ]);
    done();
  });

  it("mprotect of the middle splits, mprotect back merges again", () => {
    map(0, 10);
    mm_populate(k, t, mm, BASE, 10 * P);
    expect(do_mprotect(k, t, mm, BASE + 2 * P, 3 * P, PROT_READ)).toBe(0);
    expect(layout()).toEqual([
      [0, 2, "rw-"],
      [2, 5, "r--"],
      [5, 10, "rw-"],
    ]);
    check_vm(k);
    expect(do_mprotect(k, t, mm, BASE + 2 * P, 3 * P, RW)).toBe(0);
    expect(layout()).toEqual([[0, 10, "rw-"]]);
    done();
  });

  it("mprotect of the end and of the start splits in two", () => {
    map(0, 6);
    do_mprotect(k, t, mm, BASE + 4 * P, 2 * P, PROT_READ | PROT_EXEC);
    do_mprotect(k, t, mm, BASE, P, PROT_NONE);
    expect(layout()).toEqual([
      [0, 1, "---"],
      [1, 4, "rw-"],
      [4, 6, "r-x"],
    ]);
    done();
  });

  it("munmap across several areas removes exactly the range", () => {
    map(0, 2, PROT_READ);
    map(2, 2, RW);
    map(4, 2, PROT_READ);
    do_munmap(k, mm, BASE + P, 4 * P);
    expect(layout()).toEqual([
      [0, 1, "r--"],
      [5, 6, "r--"],
    ]);
    done();
  });

  it("mprotect refuses a range with a hole (ENOMEM) and changes nothing", () => {
    map(0, 2);
    map(3, 2);
    expect(do_mprotect(k, t, mm, BASE, 5 * P, PROT_READ)).toBe(-12);
    expect(layout()).toEqual([
      [0, 2, "rw-"],
      [3, 5, "rw-"],
    ]);
    done();
  });
});

describe("brk and mremap", () => {
  it("brk grows the heap as one area and shrinks it", () => {
    mm.start_brk = mm.brk = BASE;
    expect(do_brk(k, t, mm, BASE + 3 * P + 100)).toBe(BASE + 3 * P + 100);
    expect(do_brk(k, t, mm, BASE + 8 * P)).toBe(BASE + 8 * P);
    expect(layout()).toEqual([[0, 8, "rw-"]]);
    expect(do_brk(k, t, mm, BASE + 2 * P)).toBe(BASE + 2 * P);
    expect(layout()).toEqual([[0, 2, "rw-"]]);
    done();
  });

  it("brk stops below the next mapping", () => {
    mm.start_brk = mm.brk = BASE;
    map(5, 1);
    expect(do_brk(k, t, mm, BASE + 10 * P)).toBe(BASE);
    done();
  });

  it("mremap grows in place when it can, and moves the pages when it cannot", () => {
    map(0, 4);
    mm_populate(k, t, mm, BASE, 4 * P);
    expect(do_mremap(k, t, mm, BASE, 4 * P, 6 * P, 0, 0)).toBe(BASE);
    expect(layout()).toEqual([[0, 6, "rw-"]]);
    map(6, 1, PROT_READ);
    expect(do_mremap(k, t, mm, BASE, 6 * P, 8 * P, 0, 0)).toBe(-12);
    const moved = do_mremap(k, t, mm, BASE, 6 * P, 8 * P, MREMAP_MAYMOVE, 0);
    expect(moved).toBeGreaterThan(BASE);
    // The populated pages went with the area: still 4 resident, now at the new address.
    expect(mm.rss[1]).toBe(4);
    expect(find_vma(mm, moved)!.vm_end - moved).toBe(8 * P);
    check_vm(k);
    done();
  });
});

describe("address-space accounting", () => {
  it("counts Committed_AS for private writable areas only, and gives it back", () => {
    const before = k.mm_stat.vm_committed_as;
    map(0, 10);
    map(20, 10, PROT_READ);
    do_mmap(k, t, mm, BASE + 40 * P, 10 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, null, 0);
    expect(k.mm_stat.vm_committed_as - before).toBe(10);
    done();
    expect(k.mm_stat.vm_committed_as).toBe(before);
  });

  it("refuses under overcommit_memory=2 once CommitLimit is reached", () => {
    k.sysctl_vm.overcommit_memory = 2;
    const huge = Math.floor(k.totalram_pages * 0.6);
    expect(map(0, huge)).toBe(-12);
    expect(mm.vmas.length).toBe(0);
    expect(k.printk.records.map((r) => r.text).join("\n")).toMatch(
      /__vm_enough_memory: pid: 999, comm: vmatest, no enough memory for the allocation/,
    );
    k.sysctl_vm.overcommit_memory = 0;
    done();
  });
});

describe("resource limits", () => {
  it("RLIMIT_AS refuses mmap and brk beyond it; RLIMIT_DATA the private writable part", () => {
    t.rlim[9] = [64 * P, -1];
    expect(map(0, 60)).toBe(BASE);
    expect(map(100, 8)).toBe(-12);
    t.rlim[9] = [-1, -1];
    t.rlim[2] = [70 * P, -1];
    expect(map(100, 8, PROT_READ)).toBe(BASE + 100 * P); // not data: allowed
    expect(map(200, 20)).toBe(-12);
    expect(k.printk.records.map((r) => r.text).join("\n")).toMatch(
      /vmatest \(999\): VmData \d+ exceed data ulimit 286720\. Update limits or use boot option ignore_rlimit_data\./,
    );
    mm.start_brk = mm.brk = BASE + 300 * P;
    expect(do_brk(k, t, mm, BASE + 320 * P)).toBe(BASE + 300 * P);
    t.rlim[2] = [-1, -1];
    done();
  });
});
