/*
 * Shadow nodes (mm/workingset.c): a file read and then evicted under
 * pressure leaves a shadow in each page's slot, and every xarray node that
 * holds shadows only is counted in workingset_nodes; reading the pages
 * back, or dropping the pages beside the shadows, moves the count as the
 * nodes fill or empty; the shadow shrinker frees the nodes beyond one per
 * 8 LRU pages (workingset_nodereclaim) and their radix_tree_node objects;
 * the swap cache's shadows count the same way. The invariant checker
 * (which recounts every node from the page cache and the swap cache) runs
 * after every line.
 */

import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { GFP_KERNEL } from "../../../src/kernel/mm/gfp.js";
import {
  NR_ACTIVE_ANON,
  NR_ACTIVE_FILE,
  NR_INACTIVE_ANON,
  NR_INACTIVE_FILE,
  WORKINGSET_ACTIVATE_ANON,
  WORKINGSET_ACTIVATE_FILE,
} from "../../../src/kernel/mm/mmzone.js";
import { __free_pages, alloc_pages } from "../../../src/kernel/mm/page_alloc.js";
import { swap_state } from "../../../src/kernel/mm/swapfile.js";
import { workingset_eviction, workingset_refault } from "../../../src/kernel/mm/workingset.js";
import type { PlainSession } from "../../../src/plain/run.js";
import { booted, procNums, session } from "../../helpers/machine.js";

const MiB = 2 ** 20;

/** A 128 MiB machine with a 512 MiB disk: ext2 on /mnt, or swap. */
function machine(swap = false): { run: (l: string) => string; s: PlainSession } {
  const s = session({ memory: 128 * MiB, disks: [512 * MiB] });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  if (swap) run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
  else run("mke2fs -q /dev/vda > /dev/null; mount /dev/vda /mnt > /dev/null");
  return { run, s };
}

/** The page cache's chunks of 64 indices that hold shadows and no page (a mapping of one entry at 0 has no node). */
function shadow_only_chunks(k: Kernel): number {
  let n = 0;
  for (const m of k.mappings) {
    if (!m || m.shmem || !m.shadows.size) continue;
    if (m.pages.size + m.shadows.size === 1 && (m.pages.has(0) || m.shadows.has(0))) continue;
    const pages = new Set([...m.pages.keys()].map((i) => Math.floor(i / 64)));
    n += new Set([...m.shadows.keys()].map((i) => Math.floor(i / 64)).filter((c) => !pages.has(c))).size;
  }
  return n;
}

/**
 * The 64-slot chunks of the swap areas (a swap cache node's span) that hold
 * a slot in use: referenced, or held by the swap cache (SWAP_HAS_CACHE, as
 * a slot whose last reference went waits in the swap slots cache to be freed).
 */
function used_chunks(k: Kernel): number {
  let n = 0;
  for (const si of swap_state(k).info) {
    if (!si) continue;
    for (let c = 0; c * 64 < si.swap_map.length; c++)
      for (let i = c * 64; i < c * 64 + 64 && i < si.swap_map.length; i++)
        if (si.swap_map[i] > 0 || si.has_cache[i]) {
          n++;
          break;
        }
  }
  return n;
}

const vm = (run: (l: string) => string): Record<string, number> => procNums(run("cat /proc/vmstat"));
const radix = (run: (l: string) => string): number =>
  Number(/^radix_tree_node +(\d+)/m.exec(run("cat /proc/slabinfo"))![1]);

describe("workingset_nodes", () => {
  it("counts the nodes a file's evicted pages leave shadows in, and the file read back empties them", () => {
    const { run, s } = machine();
    run("dd if=/dev/zero of=/mnt/f bs=1M count=64 2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches");
    // drop_caches leaves no shadows.
    expect(run("grep -E '^workingset_node' /proc/vmstat")).toBe(
      "workingset_nodes 0\nworkingset_nodereclaim 0\n",
    );
    run("cat /mnt/f > /dev/null");
    const objs = radix(run);
    run("memhog 80M > /dev/null");
    const evicted = vm(run).workingset_nodes;
    // Most of the file's 256 chunks of 64 pages, and disk metadata pages evicted with them.
    expect(evicted).toBeGreaterThan(200);
    expect(evicted).toBe(shadow_only_chunks(s.m.k));
    // The nodes stay: only their entries changed.
    expect(radix(run)).toBe(objs);
    run("cat /mnt/f > /dev/null");
    const back = vm(run);
    expect(back.workingset_refault_file).toBeGreaterThan(200 * 64);
    expect(back.workingset_nodes).toBeLessThan(evicted - 200);
    expect(back.workingset_nodes).toBe(shadow_only_chunks(s.m.k));
    // Removing the file erases its shadows with its pages.
    run("memhog 80M > /dev/null");
    expect(vm(run).workingset_nodes).toBeGreaterThan(200);
    run("rm /mnt/f");
    expect(vm(run).workingset_nodes).toBe(shadow_only_chunks(s.m.k));
  });

  it("follows pages read next to shadows, and drop_caches 1 dropping them again", () => {
    const { run, s } = machine();
    run("dd if=/dev/zero of=/mnt/f bs=1M count=16 2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches");
    run("cat /mnt/f > /dev/null; memhog 80M > /dev/null");
    const evicted = vm(run).workingset_nodes;
    expect(evicted).toBe(shadow_only_chunks(s.m.k));
    // One page read (with its readahead) puts pages into the first chunk: it holds both now.
    run("dd if=/mnt/f of=/dev/null bs=4k count=1 2>/dev/null");
    expect(vm(run).workingset_nodes).toBe(evicted - 1);
    // drop_caches takes the pages and leaves the shadows: shadows only again.
    run("echo 1 > /proc/sys/vm/drop_caches");
    expect(vm(run).workingset_nodes).toBe(shadow_only_chunks(s.m.k));
    expect(shadow_only_chunks(s.m.k)).toBeGreaterThanOrEqual(evicted);
  });
});

describe("the shadow node shrinker", () => {
  it("frees the shadow nodes beyond one per 8 LRU pages, with their radix_tree_nodes", () => {
    const { run } = machine();
    run("dd if=/dev/zero of=/mnt/f bs=1M count=64 2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches");
    run("cat /mnt/f > /dev/null; memhog 80M > /dev/null");
    // memhog is gone, and drop_caches 1 takes the pages of the file reclaim left (how many
    // depends on how far reclaim overshot): few pages, mostly the tmpfs root's, are left on
    // the LRU lists to justify the shadows.
    run("echo 1 > /proc/sys/vm/drop_caches");
    const before = vm(run);
    const objs = radix(run);
    for (let i = 0; i < 3; i++) run("echo 2 > /proc/sys/vm/drop_caches");
    const after = vm(run);
    const lru = procNums(run("cat /proc/meminfo"));
    const pages =
      (lru["Active(anon)"] +
        lru["Inactive(anon)"] +
        lru["Active(file)"] +
        lru["Inactive(file)"] +
        lru.Unevictable) /
      4;
    expect(before.workingset_nodes).toBeGreaterThan(pages >> 3);
    expect(after.workingset_nodes).toBeLessThanOrEqual(pages >> 3);
    expect(after.workingset_nodes).toBeGreaterThan(0);
    expect(after.workingset_nodereclaim).toBe(before.workingset_nodes - after.workingset_nodes);
    // Each node looked at counts in slabs_scanned, with the dentries and inodes scanned.
    expect(after.slabs_scanned - before.slabs_scanned).toBeGreaterThanOrEqual(after.workingset_nodereclaim);
    expect(radix(run)).toBeLessThanOrEqual(objs - after.workingset_nodereclaim);
    // Their shadows are gone: reading the file back refaults only the pages whose shadows stayed.
    run("cat /mnt/f > /dev/null");
    expect(vm(run).workingset_refault_file - after.workingset_refault_file).toBeLessThan(16384);
  });
});

describe("the swap cache's shadows", () => {
  it("count while their slots are in use, and go with the slots", () => {
    const { run, s } = machine(true);
    run("hog 160M 10M hold > /dev/null & sleep 3");
    const used = Number(/partition\t\d+\t\t(\d+)/.exec(run("cat /proc/swaps"))![1]);
    expect(used).toBeGreaterThan(40_000);
    const swapped = vm(run).workingset_nodes - shadow_only_chunks(s.m.k);
    // Most of the hog's slots are whole nodes of shadows.
    expect(swapped).toBeGreaterThan(used / 4 / 64 / 2);
    expect(swapped).toBeLessThanOrEqual(Math.ceil(used / 4 / 64) + 1);
    // The hog's slots are freed with it, and their shadows: what stays is the shell's and init's.
    run("kill %1; wait");
    const left = Number(/partition\t\d+\t\t(\d+)/.exec(run("cat /proc/swaps"))![1]);
    expect(left).toBeLessThan(used / 10);
    // At most a node for each 64 slots where a slot is still in use (and one for index 0's head).
    expect(vm(run).workingset_nodes - shadow_only_chunks(s.m.k)).toBeLessThanOrEqual(used_chunks(s.m.k) + 1);
    expect(used_chunks(s.m.k)).toBeLessThanOrEqual(left / 4);
  });
});

describe("workingset_refault", () => {
  // A 32-bit machine of 1 GiB: 14 timestamp bits, ages in buckets of 16 (bucket_order 4).
  const k = booted({ memory: 1024 * MiB }).k;
  const v = k.nodes[0].vm_stat;
  const af = v[NR_ACTIVE_FILE];
  const inf = v[NR_INACTIVE_FILE];
  const aa = v[NR_ACTIVE_ANON];
  const ia = v[NR_INACTIVE_ANON];
  it.each([
    // what, file, free swap, distance, activated
    ["activates a file page within the active file list", true, 0, af, true],
    ["leaves a file page beyond it inactive, without swap", true, 0, af + 1, false],
    ["activates a file page within the anon lists too, with free swap", true, 1, af + aa + ia, true],
    ["leaves a file page beyond them inactive", true, 1, af + aa + ia + 1, false],
    ["activates an anon page within both file lists", false, 0, af + inf, true],
    ["leaves an anon page beyond them inactive, without swap", false, 0, af + inf + 1, false],
    ["activates an anon page within the active anon list too, with free swap", false, 1, af + inf + aa, true],
    [
      "leaves an anon page beyond it inactive (the inactive anon list does not count)",
      false,
      1,
      af + inf + aa + 1,
      false,
    ],
    [
      "activates a file page 2^14 evictions further: the distance wraps (EVICTION_MASK)",
      true,
      0,
      2 ** 14 + af,
      true,
    ],
  ])("%s", (_what, file, swap, distance, activated) => {
    const pfn = alloc_pages(k, GFP_KERNEL, 0);
    const before = v[file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON];
    const free_swap = k.mm_stat.nr_swap_pages;
    k.mm_stat.nr_swap_pages = swap;
    k.nodes[0].nonresident_age = 0;
    const shadow = workingset_eviction(k, pfn);
    k.nodes[0].nonresident_age = distance;
    workingset_refault(k, pfn, shadow, file);
    k.mm_stat.nr_swap_pages = free_swap;
    expect(v[file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON] - before).toBe(activated ? 1 : 0);
    k.mem.flags[pfn] = 0;
    __free_pages(k, pfn, 0);
  });
});
