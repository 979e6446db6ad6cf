/*
 * drop_caches.ts - /proc/sys/vm/drop_caches (Linux fs/drop_caches.c).
 *
 *   1  drop the clean, unmapped page cache of every file (tmpfs pages are
 *      the files themselves and stay; dirty pages stay until written back)
 *   2  shrink the slab caches through their shrinkers (dentries, inodes)
 *   3  both
 *   4  stop logging these writes
 * Each write logs "comm (pid): drop_caches: N", unless 4 was written before.
 */

import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import type { Task } from "../sched/task.js";
import { delete_from_page_cache } from "./filemap.js";
import { PG_dirty, PG_writeback } from "./mm_types.js";
import { writeback_complete } from "./page_writeback.js";
import { DROP_PAGECACHE, DROP_SLAB } from "./vm_event_item.js";
import { workingset_eviction } from "./workingset.js";

/**
 * A clean, unmapped page-cache page nobody else holds leaves the cache and is
 * freed (what reclaim does with one: __remove_mapping). False if it must stay.
 */
export function drop_pagecache_page(k: Kernel, pfn: number, shadow = false, free = true): boolean {
  const f = k.mem.flags[pfn];
  if (f & (PG_dirty | PG_writeback)) return false;
  if (k.mem.page_mapcount(pfn) > 0 || k.mem.page_ref_count(pfn) > 1) return false;
  const m = k.mappings[k.mem.getMapping(pfn)];
  if (!m || m.shmem) return false;
  const index = k.mem.getIndex(pfn);
  // Reclaim leaves a shadow to notice a refault (drop_caches does not).
  delete_from_page_cache(k, m, index, shadow ? workingset_eviction(k, pfn) : undefined, free);
  return true;
}

/** invalidate_mapping_pages for every non-shmem mapping: returns pages dropped. */
export function drop_pagecache(k: Kernel): number {
  writeback_complete(k);
  let n = 0;
  for (const m of k.mappings) {
    if (!m || m.shmem) continue;
    // (A Map may lose entries while it is iterated: no copy of a million-page index.)
    for (const [index, pfn] of m.pages) {
      const f = k.mem.flags[pfn];
      if (f & (PG_dirty | PG_writeback)) continue;
      if (k.mem.page_mapcount(pfn) > 0) continue;
      if (k.mem.page_ref_count(pfn) > 1) continue;
      delete_from_page_cache(k, m, index);
      n++;
    }
  }
  return n;
}

export function drop_caches_sysctl_handler(k: Kernel, t: Task, v: number): void {
  if (v & 1) {
    drop_pagecache(k);
    k.vm_events[DROP_PAGECACHE]++;
  }
  if (v & 2) {
    k.mm_hooks.drop_slab(k);
    k.vm_events[DROP_SLAB]++;
  }
  if (!k.drop_caches_stfu) k.printk.printk(KERN_INFO, `${t.comm} (${t.pid}): drop_caches: ${v}`);
  if (v & 4) k.drop_caches_stfu = true;
}
