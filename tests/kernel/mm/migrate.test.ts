/*
 * migrate_pages on its own: swap-cache pages follow their slot, pages that
 * cannot move (locked, pinned page cache) stay isolated for the caller to
 * put back, and pgmigrate_success / pgmigrate_fail count each page.
 */

import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { sys_cpu_access } from "../../../src/kernel/mm/fault.js";
import { GFP_HIGHUSER_MOVABLE } from "../../../src/kernel/mm/gfp.js";
import {
  MIGRATE_SYNC_LIGHT,
  MR_SYSCALL,
  migrate_pages,
  mod_isolated,
  putback_movable_pages,
} from "../../../src/kernel/mm/migrate.js";
import { PG_locked, PG_lru, PG_swapcache } from "../../../src/kernel/mm/mm_types.js";
import { alloc_pages } from "../../../src/kernel/mm/page_alloc.js";
import { writeback_complete } from "../../../src/kernel/mm/page_writeback.js";
import { pte_get, pte_present, pte_swp_offset, pte_swp_type } from "../../../src/kernel/mm/pgtable.js";
import { del_page_from_lru_list, get_page } from "../../../src/kernel/mm/swap.js";
import { lookup_swap_cache } from "../../../src/kernel/mm/swap_state.js";
import { swp_entry } from "../../../src/kernel/mm/swapfile.js";
import { PGMIGRATE_FAIL, PGMIGRATE_SUCCESS } from "../../../src/kernel/mm/vm_event_item.js";
import { try_to_free_pages } from "../../../src/kernel/mm/vmscan.js";
import { PlainSession } from "../../../src/plain/run.js";
import { anon_task, BASE, P, pfns } from "../../helpers/fragment.js";

/** Take pages off the LRU as compaction does (isolate_migratepages_block). */
function isolate(k: Kernel, list: number[]): number[] {
  for (const pfn of list) {
    get_page(k, pfn);
    del_page_from_lru_list(k, pfn);
    mod_isolated(k, pfn, 1);
  }
  return [...list];
}

describe("migrate_pages", () => {
  it("moves swap-cache pages: the slot finds the new page, and faulting it in gives the same contents", () => {
    // Swap on a disk: a zram slot one PTE refers to is read past the swap cache, with no readahead.
    const s = new PlainSession({ machine: "pc", disks: [256 * 2 ** 20] });
    s.line("mkswap /dev/vda > /dev/null && swapon /dev/vda");
    const k = s.m.k;
    const N = 64;
    const { t, mm } = anon_task(k, 7400, N);
    const tags = pfns(k, mm, N).map((pfn) => k.mem.getTag(pfn));
    for (let round = 0; round < 200 && pte_present(pte_get(k, mm, BASE + (N - 1) * P)); round++)
      try_to_free_pages(k, 0xcc0, 0, 3);
    // The swap-outs complete (a page under writeback is not migrated: -EBUSY).
    s.line("sleep 1");
    writeback_complete(k);
    // Every page whose PTE is a swap entry and whose slot still has a page in the swap cache.
    const cached = (): { i: number; pfn: number }[] =>
      Array.from({ length: N }, (_, i) => {
        const pte = pte_get(k, mm, BASE + i * P);
        if (pte_present(pte) || pte === 0) return { i, pfn: -1 };
        return { i, pfn: lookup_swap_cache(k, swp_entry(pte_swp_type(pte), pte_swp_offset(pte))) };
      }).filter((x) => x.pfn >= 0);
    // One swapped-out page read back brings its neighbours into the swap cache (readahead).
    const first = Array.from({ length: N }, (_, i) => i).find(
      (i) => !pte_present(pte_get(k, mm, BASE + i * P)),
    )!;
    const acc = { addr: BASE + first * P, len: P };
    while (typeof sys_cpu_access(k, t, acc) === "symbol");
    const before = cached();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every(({ pfn }) => k.mem.flags[pfn] & PG_swapcache)).toBe(true);
    const ev = k.vm_events.slice();
    const list = isolate(
      k,
      before.map((x) => x.pfn),
    );
    const out = { nr_succeeded: 0 };
    expect(
      migrate_pages(
        k,
        list,
        (kk) => alloc_pages(kk, GFP_HIGHUSER_MOVABLE, 0),
        MIGRATE_SYNC_LIGHT,
        MR_SYSCALL,
        out,
      ),
    ).toBe(0);
    expect(list).toEqual([]);
    expect(out.nr_succeeded).toBe(before.length);
    expect(k.vm_events[PGMIGRATE_SUCCESS] - ev[PGMIGRATE_SUCCESS]).toBe(before.length);
    check_vm(k);
    const after = cached();
    expect(after.map((x) => x.i)).toEqual(before.map((x) => x.i));
    expect(after.every((x, j) => x.pfn !== before[j].pfn && k.mem.flags[x.pfn] & PG_swapcache)).toBe(true);
    const back = { addr: BASE, len: N * P };
    while (typeof sys_cpu_access(k, t, back) === "symbol");
    expect(pfns(k, mm, N).map((pfn) => k.mem.getTag(pfn))).toEqual(tags);
    check_vm(k);
  });

  it("leaves a locked page isolated, counts it in pgmigrate_fail, and putback returns it to its LRU", () => {
    const s = new PlainSession({ machine: "pc" });
    const k = s.m.k;
    const { mm } = anon_task(k, 7401, 4);
    const [a, b] = pfns(k, mm, 2);
    const list = isolate(k, [a, b]);
    k.mem.flags[a] |= PG_locked; // under I/O
    const ev = k.vm_events.slice();
    const out = { nr_succeeded: 0 };
    expect(
      migrate_pages(
        k,
        list,
        (kk) => alloc_pages(kk, GFP_HIGHUSER_MOVABLE, 0),
        MIGRATE_SYNC_LIGHT,
        MR_SYSCALL,
        out,
      ),
    ).toBe(1);
    expect(list).toEqual([a]);
    expect(k.vm_events[PGMIGRATE_SUCCESS] - ev[PGMIGRATE_SUCCESS]).toBe(1);
    expect(k.vm_events[PGMIGRATE_FAIL] - ev[PGMIGRATE_FAIL]).toBe(1);
    expect(pfns(k, mm, 2)[1]).not.toBe(b);
    k.mem.flags[a] &= ~PG_locked;
    putback_movable_pages(k, list);
    expect(k.mem.flags[a] & PG_lru).toBeTruthy();
    expect(pfns(k, mm, 2)[0]).toBe(a);
    check_vm(k);
  });
});
