/*
 * page_writeback.ts - dirty limits (Linux mm/page-writeback.c).
 *
 * How many dirty page-cache pages the system tolerates before writers are
 * throttled (dirty_ratio) and before the flusher starts writing in the
 * background (dirty_background_ratio), as a share of "dirtyable" memory:
 * free pages beyond the reserves, plus file LRU pages, minus HighMem unless
 * highmem_is_dirtyable. /proc/vmstat shows both as nr_dirty_threshold and
 * nr_dirty_background_threshold. The flusher itself arrives with writeback.
 */

import type { Kernel } from "../kernel.js";
import {
  NR_ACTIVE_FILE,
  NR_FREE_PAGES,
  NR_INACTIVE_FILE,
  NR_ZONE_ACTIVE_FILE,
  NR_ZONE_INACTIVE_FILE,
} from "./mmzone.js";
import { global_node_page_state, global_zone_page_state } from "./show_mem.js";

const PAGE_SIZE = 4096;

function highmem_dirtyable_memory(k: Kernel, total: number): number {
  let x = 0;
  for (const z of k.zones) {
    if (z.zone_idx !== k.zt.ZONE_HIGHMEM || !z.populated_zone()) continue;
    let nr = z.zone_page_state(NR_FREE_PAGES);
    nr -= Math.min(nr, z.high_wmark_pages());
    nr += z.zone_page_state(NR_ZONE_INACTIVE_FILE) + z.zone_page_state(NR_ZONE_ACTIVE_FILE);
    x += nr;
  }
  return Math.min(x, total);
}

/** global_dirtyable_memory: the pages dirty limits are a share of. */
export function global_dirtyable_memory(k: Kernel): number {
  let x = global_zone_page_state(k, NR_FREE_PAGES);
  x -= Math.min(x, k.totalreserve_pages);
  x += global_node_page_state(k, NR_INACTIVE_FILE) + global_node_page_state(k, NR_ACTIVE_FILE);
  if (!k.sysctl_vm.highmem_is_dirtyable) x -= highmem_dirtyable_memory(k, x);
  return x + 1;
}

/** global_dirty_limits: [background threshold, threshold] in pages. */
export function global_dirty_limits(k: Kernel): [number, number] {
  const s = k.sysctl_vm;
  const available = global_dirtyable_memory(k);
  const ratio = Math.floor((s.dirty_ratio * PAGE_SIZE) / 100);
  const bg_ratio = Math.floor((s.dirty_background_ratio * PAGE_SIZE) / 100);
  const thresh = s.dirty_bytes
    ? Math.ceil(s.dirty_bytes / PAGE_SIZE)
    : Math.floor((ratio * available) / PAGE_SIZE);
  let bg = s.dirty_background_bytes
    ? Math.ceil(s.dirty_background_bytes / PAGE_SIZE)
    : Math.floor((bg_ratio * available) / PAGE_SIZE);
  if (bg >= thresh) bg = Math.floor(thresh / 2);
  return [bg, thresh];
}
