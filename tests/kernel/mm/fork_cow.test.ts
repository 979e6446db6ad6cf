/*
 * fork and copy-on-write through the kernel's own paths: dup_mmap shares
 * every page read-only, the first write in either process copies, content
 * tags tell the copies apart, and exit gives every page back.
 */

import { describe, expect, it } from "vitest";
import { smaps_rollup_show } from "../../../src/kernel/fs/proc/task_mmu.js";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { sys_cpu_access } from "../../../src/kernel/mm/fault.js";
import { MM_ANONPAGES, type MmStruct } from "../../../src/kernel/mm/mm_struct.js";
import { do_mmap, dup_mmap, mm_alloc, mmput } from "../../../src/kernel/mm/mmap.js";
import { NR_INACTIVE_ANON } from "../../../src/kernel/mm/mmzone.js";
import { pte_get, pte_pfn, pte_write } from "../../../src/kernel/mm/pgtable.js";
import { Task } from "../../../src/kernel/sched/task.js";
import { default_rlimits } from "../../../src/kernel/sys.js";
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  PROT_READ,
  PROT_WRITE,
} from "../../../src/kernel/uapi/mman.js";
import { booted, sh } from "../../helpers/machine.js";

const P = 4096;
const BASE = 0x20000000;

function task(k: Kernel, pid: number, mm: MmStruct): Task {
  const t = new Task(pid, `t${pid}`, null as never, null as never, null as never);
  t.rlim = default_rlimits(k);
  t.mm = mm;
  k.sched.tasks.set(pid, t);
  return t;
}

/** Runs a CPU access to completion (it may take several slices). */
function access(
  k: Kernel,
  t: Task,
  addr: number,
  len: number,
  how: { write?: boolean; fill?: number } = {},
): number {
  const a = { addr, len, ...how };
  for (;;) {
    const r = sys_cpu_access(k, t, a);
    if (typeof r === "number") return r;
  }
}

/** Pages handed out by the allocator (free pages and per-CPU lists excluded). */
const used = (k: Kernel): number => k.zones.reduce((s, z) => s + z.nr_in_use, 0);
const tag = (k: Kernel, mm: MmStruct, addr: number): number => k.mem.getTag(pte_pfn(pte_get(k, mm, addr)));

describe("fork and copy-on-write", () => {
  it("shares pages after fork, copies on the first write, and frees everything at exit", () => {
    const k = booted().k;
    const before = used(k);
    const pmm = mm_alloc(k)!;
    pmm.task_size = 0xbf000000;
    const parent = task(k, 900, pmm);
    expect(
      do_mmap(
        k,
        parent,
        pmm,
        BASE,
        64 * P,
        PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
        null,
        0,
      ),
    ).toBe(BASE);
    const inactiveAnon = (): number => k.nodes.reduce((a, n) => a + n.vm_stat[NR_INACTIVE_ANON], 0);
    const lru0 = inactiveAnon();
    expect(access(k, parent, BASE, 64 * P, { write: true, fill: 0x11 })).toBe(0);
    expect(pmm.rss[MM_ANONPAGES]).toBe(64);
    // New anonymous pages are swap-backed and start on the inactive anon list.
    expect(inactiveAnon() - lru0).toBe(64);
    const t11 = tag(k, pmm, BASE);
    check_vm(k);

    const cmm = dup_mmap(k, null, pmm)!;
    const child = task(k, 901, cmm);
    check_vm(k);
    // Same frames, write-protected in both, each mapped twice.
    expect(pte_pfn(pte_get(k, cmm, BASE))).toBe(pte_pfn(pte_get(k, pmm, BASE)));
    expect(pte_write(pte_get(k, pmm, BASE))).toBe(false);
    expect(pte_write(pte_get(k, cmm, BASE))).toBe(false);
    expect(k.mem.page_mapcount(pte_pfn(pte_get(k, pmm, BASE)))).toBe(2);
    expect(cmm.rss[MM_ANONPAGES]).toBe(64);
    const rollup = smaps_rollup_show(k, child);
    expect(rollup).toMatch(/\nShared_Dirty:\s+256 kB\n/);
    expect(rollup).toMatch(/\nPrivate_Dirty:\s+0 kB\n/);

    // The child writes 16 pages: those become its own, with new contents.
    expect(access(k, child, BASE, 16 * P, { write: true, fill: 0x22 })).toBe(0);
    expect(tag(k, cmm, BASE)).not.toBe(tag(k, pmm, BASE));
    expect(tag(k, pmm, BASE)).toBe(t11);
    expect(pte_pfn(pte_get(k, cmm, BASE + 20 * P))).toBe(pte_pfn(pte_get(k, pmm, BASE + 20 * P)));
    const after = smaps_rollup_show(k, child);
    expect(after).toMatch(/\nPrivate_Dirty:\s+64 kB\n/);
    expect(after).toMatch(/\nShared_Dirty:\s+192 kB\n/);
    check_vm(k);

    // The parent's write to a page the child already copied reuses it (mapcount 1).
    const reuse = k.vm_events.slice();
    expect(access(k, parent, BASE, P, { write: true, fill: 0x33 })).toBe(0);
    expect(k.mem.page_mapcount(pte_pfn(pte_get(k, pmm, BASE)))).toBe(1);
    expect(k.vm_events.some((v, i) => v !== reuse[i])).toBe(true);
    check_vm(k);

    // Both exit: every page, table and pgd is free again.
    k.sched.tasks.delete(901);
    child.mm = null;
    mmput(k, cmm);
    check_vm(k);
    k.sched.tasks.delete(900);
    parent.mm = null;
    mmput(k, pmm);
    check_vm(k);
    expect(used(k)).toBe(before);
  });

  it("read faults on fresh anonymous memory map the zero page and use no memory", () => {
    const k = booted().k;
    const mm = mm_alloc(k)!;
    mm.task_size = 0xbf000000;
    const t = task(k, 902, mm);
    do_mmap(
      k,
      t,
      mm,
      BASE,
      256 * P,
      PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
      null,
      0,
    );
    expect(access(k, t, BASE, 256 * P)).toBe(0);
    expect(pte_pfn(pte_get(k, mm, BASE + 100 * P))).toBe(k.zero_pfn);
    expect(mm.rss[MM_ANONPAGES]).toBe(0);
    // A write then replaces the zero page with a page of its own.
    expect(access(k, t, BASE + 100 * P, 1, { write: true, fill: 1 })).toBe(0);
    expect(mm.rss[MM_ANONPAGES]).toBe(1);
    check_vm(k);
    k.sched.tasks.delete(902);
    t.mm = null;
    mmput(k, mm);
    check_vm(k);
  });

  it("leaves shared mappings out of the child's page tables: the child refaults them", () => {
    // vma_needs_copy: areas without an anon_vma (shared anonymous memory, a shared
    // file mapping, the program's text, the vDSO) are not copied. The child's
    // counters (status) and its page tables (smaps_rollup walks them) agree.
    // Without randomisation: how many pages of g fault-around maps depends on where g lies
    // in its 64 kB window, which ASLR would move with every other draw on the PRNG.
    const prog = [
      "echo 0 > /proc/sys/kernel/randomize_va_space",
      "cat > /tmp/p <<EOF",
      "m = mmap 4M rw shared",
      "write m 4M 0x41",
      "f = open /tmp/data rw create trunc",
      "ftruncate f 1M",
      "g = mmap 1M rw shared fd=f",
      "write g 1M",
      "child = fork",
      '  print "== child after fork"',
      "  show status VmRSS RssAnon RssFile RssShmem",
      "  show smaps_rollup Rss",
      "  write m 1M 0x42",
      "  read g 512K",
      '  print "== child after touching 1M of m, 512K of g"',
      "  show status VmRSS RssAnon RssFile RssShmem",
      "  show smaps_rollup Rss",
      "  faults",
      "end",
      "wait child",
      'print "== parent"',
      "show status VmRSS RssAnon RssFile RssShmem",
      "show smaps_rollup Rss",
      "EOF",
      "run /tmp/p",
    ];
    expect(sh(prog).output).toBe(
      [
        "== child after fork",
        "VmRSS:\t      36 kB",
        "RssAnon:\t      36 kB",
        "RssFile:\t       0 kB",
        "RssShmem:\t       0 kB",
        "Rss:                  36 kB",
        "== child after touching 1M of m, 512K of g",
        "VmRSS:\t    1584 kB",
        "RssAnon:\t      36 kB",
        "RssFile:\t       0 kB",
        // 1M of m and 512K of g, and what fault-around maps past them
        "RssShmem:\t    1548 kB",
        "Rss:                1584 kB",
        // 256 write faults, then 9 read faults: fault-around maps each fault's 64K-aligned
        // window (clipped at the area's start, which the unrandomized layout puts 3 pages
        // before a 64K boundary), 3 + 8 x 16 pages, 524 kB for the 512K read.
        "minflt=265 majflt=0",
        "== parent",
        "VmRSS:\t    5524 kB",
        "RssAnon:\t      36 kB",
        "RssFile:\t       4 kB",
        "RssShmem:\t    5484 kB",
        "Rss:                5524 kB",
        "",
      ].join("\n"),
    );
  });

  it("gives the child a clean slate for a MADV_WIPEONFORK area, and nothing for MADV_DONTFORK", () => {
    const prog = [
      "cat > /tmp/w <<EOF",
      "m = mmap 1M rw",
      "write m 1M 0x41",
      "madvise m 256K wipeonfork",
      "madvise m+768K 256K dontfork",
      "child = fork",
      "  n = mincore m 768K",
      '  printf "child: %d of 192 pages resident\\n" n',
      "  r = try mincore m+768K 256K",
      '  printf "child: mincore of the dontfork part: %d (-ENOMEM)\\n" r',
      "end",
      "wait child",
      "n = mincore m 1M",
      'printf "parent: %d of 256 pages resident\\n" n',
      "EOF",
      "run /tmp/w",
    ];
    expect(sh(prog).output).toBe(
      "child: 128 of 192 pages resident\nchild: mincore of the dontfork part: -12 (-ENOMEM)\nparent: 256 of 256 pages resident\n",
    );
  });
});
