/*
 * Helpers for the compaction, hugetlb and swap tests: a process with an
 * anonymous mapping of written pages (up to filling a zone), and ways to
 * leave the zone's free memory in holes between movable or unmovable pages.
 */

import type { Kernel } from "../../src/kernel/kernel.js";
import { sys_cpu_access } from "../../src/kernel/mm/fault.js";
import { GFP_KERNEL } from "../../src/kernel/mm/gfp.js";
import { do_madvise } from "../../src/kernel/mm/madvise.js";
import type { MmStruct } from "../../src/kernel/mm/mm_struct.js";
import { do_mmap, mm_alloc } from "../../src/kernel/mm/mmap.js";
import { NR_FREE_PAGES, type Zone } from "../../src/kernel/mm/mmzone.js";
import { __free_pages, alloc_pages, drain_all_pages } from "../../src/kernel/mm/page_alloc.js";
import { pte_get, pte_pfn, pte_present } from "../../src/kernel/mm/pgtable.js";
import { setup_per_zone_wmarks } from "../../src/kernel/mm/watermark.js";
import { new_signal_struct } from "../../src/kernel/sched/fork.js";
import { Task } from "../../src/kernel/sched/task.js";
import { default_rlimits } from "../../src/kernel/sys.js";
import {
  MADV_DONTNEED,
  MADV_NOHUGEPAGE,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  PROT_READ,
  PROT_WRITE,
} from "../../src/kernel/uapi/mman.js";

export const P = 4096;
/** Where the test mappings go: a user address of either word size. */
export const BASE = 0x20000000;

/** The biggest zone of node 0 (DMA32 on a small pc, Normal elsewhere). */
export function big_zone(k: Kernel): Zone {
  return k.nodes[0].node_zones.reduce((a, b) => (b.managed_pages > a.managed_pages ? b : a));
}

/** The highest order with a free block in the zone, -1 when none. */
export function highest_free_order(k: Kernel, z: Zone): number {
  for (let o = k.MAX_ORDER - 1; o >= 0; o--) if (z.nr_free[o] > 0) return o;
  return -1;
}

/** A task owning mm (so that the invariant checker sees the address space). */
export function task_of(k: Kernel, pid: number, mm: MmStruct): Task {
  // init's files and fs: reclaim's dcache shrinker looks at every task's.
  const init = k.sched.tasks.get(1)!;
  const t = new Task(pid, `frag${pid}`, init.files, init.fs, new_signal_struct());
  t.rlim = default_rlimits(k);
  t.mm = mm;
  k.sched.tasks.set(pid, t);
  return t;
}

/** A process with an anonymous mapping of n pages at BASE, each written (distinct contents). */
export function anon_task(k: Kernel, pid: number, n: number): { t: Task; mm: MmStruct } {
  const mm = mm_alloc(k)!;
  mm.task_size = k.profile.pointerBits === 32 ? 0xbf000000 : 2 ** 47 - P;
  const t = task_of(k, pid, mm);
  k.sched.current = t;
  do_mmap(k, t, mm, BASE, n * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
  // 4 KiB pages, as a test program on a kernel with THP asks for them (MADV_NOHUGEPAGE).
  do_madvise(k, mm, BASE, n * P, MADV_NOHUGEPAGE);
  const acc = { addr: BASE, len: n * P, write: true };
  while (typeof sys_cpu_access(k, t, acc) === "symbol");
  return { t, mm };
}

/** The pfn each page of the mapping sits in (-1 where nothing is mapped). */
export function pfns(k: Kernel, mm: MmStruct, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const pte = pte_get(k, mm, BASE + i * P);
    return pte_present(pte) ? pte_pfn(pte) : -1;
  });
}

/**
 * Low watermarks (min_free_kbytes=128, as `sysctl -w vm.min_free_kbytes=128`
 * would set), so that filling a zone up to them leaves no big free block.
 */
export function low_watermarks(k: Kernel): void {
  k.sysctl_vm.min_free_kbytes = 128;
  k.sysctl_vm.user_min_free_kbytes = 128;
  k.sysctl_vm.watermark_boost_factor = 0;
  setup_per_zone_wmarks(k);
}

/** Pages to fill so that about `keep` pages stay free in the zone. */
export function fill_size(z: Zone, keep: number): number {
  return Math.max(0, z.vm_stat[NR_FREE_PAGES] - z.high_wmark_pages() - keep);
}

/**
 * Fill the zone with the process's anonymous pages, then drop every other
 * one: the zone's free memory is then mostly order-0 holes between movable
 * pages. Returns the mapping's size in pages.
 *
 * Which half goes is the odd pages of the mapping, or with `even_pfns` the
 * pages at even pfns. The pfns of the mapping's pages follow from what the
 * kernel allocated before (one page more at boot swaps the halves), and
 * async compaction's free scanner only looks at every COMPACT_CLUSTER_MAX-th
 * pfn of a block (offsets 0, 32, 64...): `even_pfns` puts a hole under each.
 */
export function fragment_with_movable(
  k: Kernel,
  z: Zone,
  pid: number,
  even_pfns = false,
): { mm: MmStruct; n: number } {
  low_watermarks(k);
  const n = fill_size(z, 128);
  const { mm } = anon_task(k, pid, n);
  const at = pfns(k, mm, n);
  for (let i = 0; i < n; i++)
    if (even_pfns ? at[i] >= 0 && at[i] % 2 === 0 : i % 2 === 1)
      do_madvise(k, mm, BASE + i * P, P, MADV_DONTNEED);
  drain_all_pages(k, null);
  return { mm, n };
}

/**
 * Fill the zone with kernel (unmovable) pages, then free every other one:
 * holes no compaction can close. Returns the pages still held.
 */
export function fragment_with_unmovable(k: Kernel, z: Zone): number[] {
  low_watermarks(k);
  const held: number[] = [];
  const n = fill_size(z, 128);
  for (let i = 0; i < n; i++) {
    const pfn = alloc_pages(k, GFP_KERNEL, 0);
    if (pfn < 0) break;
    held.push(pfn);
  }
  held.sort((a, b) => a - b);
  const kept: number[] = [];
  held.forEach((pfn, i) => {
    if (i % 2) __free_pages(k, pfn, 0);
    else kept.push(pfn);
  });
  drain_all_pages(k, null);
  return kept;
}
