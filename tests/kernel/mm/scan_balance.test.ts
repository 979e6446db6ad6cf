/*
 * How reclaim splits its scanning between anonymous memory and file cache,
 * as 6.1's get_scan_count, prepare_scan_count and lru_note_cost do it: each
 * list's size >> priority, shared by swappiness weighed against the recent
 * reclaim cost of each side; file only without swap or in cache_trim_mode;
 * anon only when the file cache is tiny; every list in full at priority 0.
 * The lists' sizes are set by hand on a booted machine.
 */

import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { GFP_HIGHUSER_MOVABLE } from "../../../src/kernel/mm/gfp.js";
import {
  LRU_INACTIVE_FILE,
  NR_FREE_PAGES,
  NR_LRU_BASE,
  NR_ZONE_LRU_BASE,
  WORKINGSET_ACTIVATE_ANON,
  WORKINGSET_ACTIVATE_FILE,
} from "../../../src/kernel/mm/mmzone.js";
import { lru_note_cost } from "../../../src/kernel/mm/swap.js";
import {
  PGSCAN_ANON,
  PGSCAN_DIRECT,
  PGSCAN_FILE,
  PGSTEAL_DIRECT,
  PGSTEAL_KSWAPD,
} from "../../../src/kernel/mm/vm_event_item.js";
import {
  get_scan_count,
  prepare_scan_count,
  ScanControl,
  shrink_node,
  try_to_free_pages,
} from "../../../src/kernel/mm/vmscan.js";
import { booted, session } from "../../helpers/machine.js";

/** A booted machine whose node 0 has these list sizes (inactive anon, active anon, inactive file, active file). */
function machine(sizes: number[], swap_pages = 100_000): Kernel {
  const k = booted({ machine: "vexpress-a9" }).k;
  const pgdat = k.nodes[0];
  for (const z of k.zones) for (let lru = 0; lru < 4; lru++) z.vm_stat[NR_ZONE_LRU_BASE + lru] = 0;
  const z0 = k.zones.find((z) => z.node === 0 && z.managed_zone())!;
  sizes.forEach((n, lru) => {
    z0.vm_stat[NR_ZONE_LRU_BASE + lru] = n;
    pgdat.vm_stat[NR_LRU_BASE + lru] = n;
  });
  k.mm_stat.nr_swap_pages = swap_pages;
  // No refaults since the last reclaim run.
  pgdat.refaults_anon = pgdat.vm_stat[WORKINGSET_ACTIVATE_ANON];
  pgdat.refaults_file = pgdat.vm_stat[WORKINGSET_ACTIVATE_FILE];
  return k;
}

/** Direct reclaim's scan_control at a priority. */
function direct(k: Kernel, priority: number): ScanControl {
  const sc = new ScanControl(32, true, false, k.zones.length - 1);
  sc.priority = priority;
  return sc;
}

const P = 4096; // list sizes in units of 2^12: a list of n * P pages scans n at DEF_PRIORITY

describe("get_scan_count", () => {
  it("scans file cache only when there is no swap", () => {
    const k = machine([4 * P, 2 * P, 8 * P, 1 * P], 0);
    expect(get_scan_count(k, k.nodes[0], direct(k, 12))).toEqual([0, 0, 8, 1]);
  });

  it("shares by swappiness, 60 against 140, when neither side has cost anything", () => {
    const k = machine([200 * P, 200 * P, 200 * P, 200 * P]);
    expect(k.sysctl_vm.swappiness).toBe(60);
    expect(get_scan_count(k, k.nodes[0], direct(k, 12))).toEqual([60, 60, 140, 140]);
  });

  it("scans the side whose reclaim cost I/O less", () => {
    const k = machine([200 * P, 200 * P, 200 * P, 200 * P]);
    const sc = direct(k, 12);
    // 1000 pages of anon written out recently, none of file: anon's share drops from 60/200.
    sc.anon_cost = 1000;
    // ap = 60 * 3001 / 2001 = 89, fp = 140 * 3001 / 1001 = 419 (rounded down): 200 * 89 / 508, 200 * 419 / 508.
    expect(get_scan_count(k, k.nodes[0], sc)).toEqual([35, 35, 164, 164]);
    sc.anon_cost = 0;
    sc.file_cost = 1000;
    // ap = 60 * 3001 / 1001 = 179, fp = 140 * 3001 / 2001 = 209: 200 * 179 / 388, 200 * 209 / 388.
    expect(get_scan_count(k, k.nodes[0], sc)).toEqual([92, 92, 107, 107]);
  });

  it("leaves anon alone with swappiness 0", () => {
    const k = machine([200 * P, 200 * P, 200 * P, 200 * P]);
    k.sysctl_vm.swappiness = 0;
    expect(get_scan_count(k, k.nodes[0], direct(k, 12))).toEqual([0, 0, 200, 200]);
  });

  it("scans every list in full at priority 0, and one side only when told", () => {
    const k = machine([300, 200, 100, 50]);
    expect(get_scan_count(k, k.nodes[0], direct(k, 0))).toEqual([300, 200, 100, 50]);
    const sc = direct(k, 1);
    sc.file_is_tiny = true;
    expect(get_scan_count(k, k.nodes[0], sc)).toEqual([150, 100, 0, 0]);
    sc.file_is_tiny = false;
    sc.cache_trim_mode = true;
    expect(get_scan_count(k, k.nodes[0], sc)).toEqual([0, 0, 50, 25]);
  });

  it("counts only the zones the allocation can use", () => {
    const k = machine([0, 0, 0, 0], 0);
    const zones = k.zones.filter((z) => z.node === 0 && z.managed_zone());
    expect(zones.length).toBeGreaterThan(1);
    const [low, high] = [zones[0], zones[zones.length - 1]];
    low.vm_stat[NR_ZONE_LRU_BASE + LRU_INACTIVE_FILE] = 10 * P;
    high.vm_stat[NR_ZONE_LRU_BASE + LRU_INACTIVE_FILE] = 30 * P;
    const sc = direct(k, 12);
    expect(get_scan_count(k, k.nodes[0], sc)[LRU_INACTIVE_FILE]).toBe(40);
    sc.highest_zoneidx = low.zone_idx;
    expect(get_scan_count(k, k.nodes[0], sc)[LRU_INACTIVE_FILE]).toBe(10);
  });
});

describe("prepare_scan_count", () => {
  it("trims the cache alone while it is plenty and not refaulting, and ages the active file list once it refaults", () => {
    const k = machine([100 * P, 50 * P, 100 * P, 50 * P]);
    const pgdat = k.nodes[0];
    const sc = direct(k, 12);
    prepare_scan_count(k, pgdat, sc);
    expect([sc.may_deactivate, sc.cache_trim_mode, sc.file_is_tiny]).toEqual([0, true, false]);
    // A file refault since the last reclaim run: the active file list may be aged, no trim mode.
    pgdat.vm_stat[WORKINGSET_ACTIVATE_FILE]++;
    prepare_scan_count(k, pgdat, sc);
    expect([sc.may_deactivate, sc.cache_trim_mode]).toEqual([2, false]);
    // An anon refault: the active anon list too.
    pgdat.vm_stat[WORKINGSET_ACTIVATE_ANON]++;
    prepare_scan_count(k, pgdat, sc);
    expect(sc.may_deactivate).toBe(3);
  });

  it("ages an active list whose inactive list is the shorter one, and both when forced", () => {
    const k = machine([10 * P, 50 * P, 100 * P, 50 * P]);
    const sc = direct(k, 12);
    prepare_scan_count(k, k.nodes[0], sc);
    expect(sc.may_deactivate).toBe(1);
    const all = machine([100 * P, 50 * P, 100 * P, 50 * P]);
    const forced = direct(all, 12);
    forced.force_deactivate = true;
    prepare_scan_count(all, all.nodes[0], forced);
    expect([forced.may_deactivate, forced.cache_trim_mode]).toEqual([3, false]);
  });

  it("makes anon the target when the file cache and free memory are under the high watermarks", () => {
    const k = machine([100 * P, 50 * P, 5, 5]);
    for (const z of k.zones) z.vm_stat[NR_FREE_PAGES] = 0;
    const sc = direct(k, 12);
    prepare_scan_count(k, k.nodes[0], sc);
    expect(sc.file_is_tiny).toBe(true);
    // (The active anon list's count stands too: shrink_list ages it only if may_deactivate says so.)
    expect(get_scan_count(k, k.nodes[0], sc)).toEqual([100, 50, 0, 0]);
    // Not while the active anon list may be aged (extreme pressure rather than a file LRU run dry).
    k.nodes[0].vm_stat[WORKINGSET_ACTIVATE_ANON]++;
    prepare_scan_count(k, k.nodes[0], sc);
    expect(sc.file_is_tiny).toBe(false);
  });

  it("takes the node's recent reclaim costs", () => {
    const k = machine([100 * P, 50 * P, 100 * P, 50 * P]);
    k.nodes[0].anon_cost = 123;
    k.nodes[0].file_cost = 45;
    const sc = direct(k, 12);
    prepare_scan_count(k, k.nodes[0], sc);
    expect([sc.anon_cost, sc.file_cost]).toEqual([123, 45]);
  });
});

describe("lru_note_cost", () => {
  it("adds to its side, and halves both once they pass a quarter of the LRU pages", () => {
    const k = machine([400, 300, 200, 100]); // 1000 pages: a quarter is 250
    const pgdat = k.nodes[0];
    lru_note_cost(pgdat, false, 200);
    lru_note_cost(pgdat, true, 50);
    expect([pgdat.anon_cost, pgdat.file_cost]).toEqual([200, 50]);
    lru_note_cost(pgdat, true, 1);
    expect([pgdat.anon_cost, pgdat.file_cost]).toEqual([100, 25]);
  });
});

describe("shrink_lruvec", () => {
  it("has direct reclaim at DEF_PRIORITY scan its whole batch, however early it freed its 32 pages", () => {
    // 1.2 GiB of clean cache read once (all inactive) on a 2 GiB pc without swap: the batch at
    // priority 12 is the inactive file list >> 12, over 32 pages, every one of them reclaimable.
    const s = session({ machine: "pc", memory: 2048 * 2 ** 20, disks: [1280 * 2 ** 20] });
    s.line("exec 3</dev/vda");
    s.line("dd if=/dev/vda of=/dev/null bs=1M count=1200 2>/dev/null");
    s.take();
    const k = s.m.k;
    const pgdat = k.nodes[0];
    const sc = new ScanControl(32, true, false, k.zones.length - 1);
    prepare_scan_count(k, pgdat, sc);
    const nr = get_scan_count(k, pgdat, sc);
    expect(nr[LRU_INACTIVE_FILE]).toBeGreaterThan(64);
    const scanned = k.vm_events[PGSCAN_DIRECT];
    const stolen = k.vm_events[PGSTEAL_DIRECT];
    const freed = try_to_free_pages(k, GFP_HIGHUSER_MOVABLE, 0, k.zones.length - 1);
    // Not the first 32 and stop: the whole inactive file batch, all freed (anon: no swap).
    expect(k.vm_events[PGSCAN_DIRECT] - scanned).toBe(nr[LRU_INACTIVE_FILE]);
    expect(k.vm_events[PGSTEAL_DIRECT] - stolen).toBe(nr[LRU_INACTIVE_FILE]);
    expect(freed).toBe(nr[LRU_INACTIVE_FILE]);
    s.m.checkInvariants();
  });

  it("has kswapd stop the smaller side once it freed nr_to_reclaim, nudge the other once, and end", () => {
    // Clean cache (1.2 GiB, inactive) and a process's young anonymous memory (300 MiB), swap on,
    // a file refault since the last run (no cache_trim_mode): at priority 8 the targets are
    // anon 91, file 840 (60 against 140 of each list >> 8).
    const s = session({ machine: "pc", memory: 2048 * 2 ** 20, disks: [1280 * 2 ** 20, 512 * 2 ** 20] });
    s.line("mkswap /dev/vdb > /dev/null; swapon /dev/vdb");
    s.line("exec 3</dev/vda");
    s.line("dd if=/dev/vda of=/dev/null bs=1M count=1200 2>/dev/null");
    s.line("hog 300M 10M hold > /dev/null &");
    s.line("sleep 1");
    s.take();
    const k = s.m.k;
    const pgdat = k.nodes[0];
    pgdat.refaults_file = -1;
    const sc = new ScanControl(32, true, true, k.zones.length - 1);
    sc.priority = 8;
    prepare_scan_count(k, pgdat, sc);
    expect(get_scan_count(k, pgdat, sc)).toEqual([91, 0, 840, 0]);
    const v = k.vm_events;
    const before = [v[PGSCAN_ANON], v[PGSCAN_FILE], v[PGSTEAL_KSWAPD]];
    shrink_node(k, pgdat, sc);
    // The first round: 32 anon pages (young: kept) and 32 file pages (freed) - nr_to_reclaim is
    // met. Anon has less left (59 of 91): it stops, and file's count is cut to its share
    // (840 * 36% = 302, less the 32 scanned). The next round scans 32 more file pages; anon has
    // nothing left then, so the loop ends (one nudge towards proportionality), not after 840.
    expect([v[PGSCAN_ANON] - before[0], v[PGSCAN_FILE] - before[1], v[PGSTEAL_KSWAPD] - before[2]]).toEqual([
      32, 64, 64,
    ]);
    s.m.checkInvariants();
  });
});
