/*
 * shrinker.ts - shrinkers: caches outside the page cache that memory
 * pressure can ask to give objects back (Linux mm/vmscan.c shrink_slab,
 * do_shrink_slab, drop_slab; include/linux/shrinker.h).
 *
 * A shrinker says how many objects it could free (count_objects) and frees
 * up to a number asked (scan_objects, in batches of batch or
 * SHRINK_BATCH). Reclaim asks each shrinker for a share proportional to the
 * pages it scanned; drop_caches 2 (drop_slab) asks everybody for
 * everything, again and again while more than 10 objects come back.
 *
 * The dcache and icache of each cached superblock register one (super.c's
 * super_cache_scan), and the shadow nodes of the page cache theirs
 * (workingset.ts); shrink_node calls shrink_slab after each pass over the
 * LRU lists, in kswapd and direct reclaim. Simplified: one nr_deferred per
 * shrinker, not one per memory node.
 */

import type { Kernel } from "../kernel.js";
import { SLABS_SCANNED } from "./vm_event_item.js";

export const SHRINK_BATCH = 128;
export const SHRINK_STOP = -1;
export const DEFAULT_SEEKS = 2;

/** What a shrinker is asked to do (struct shrink_control). */
export interface ShrinkControl {
  gfp_mask: number; // the allocation that caused the pressure
  nid: number; // node being reclaimed
  nr_to_scan: number; // objects to scan in this call
  nr_scanned: number; // objects the shrinker looked at (set by scan_objects)
}

/** struct shrinker. */
export interface Shrinker {
  name: string; // for debugging (shrinker_debugfs_name)
  count_objects(k: Kernel, sc: ShrinkControl): number;
  /** Frees up to sc.nr_to_scan objects; returns how many were freed or SHRINK_STOP. */
  scan_objects(k: Kernel, sc: ShrinkControl): number;
  seeks: number; // cost of recreating an object (DEFAULT_SEEKS)
  batch: number; // objects per scan_objects call (0: SHRINK_BATCH)
  nr_deferred: number; // work carried over from earlier calls
}

export function register_shrinker(k: Kernel, s: Shrinker): void {
  k.shrinker_list.push(s);
}

export function unregister_shrinker(k: Kernel, s: Shrinker): void {
  const i = k.shrinker_list.indexOf(s);
  if (i >= 0) k.shrinker_list.splice(i, 1);
}

/**
 * do_shrink_slab: ask one shrinker for its share, as 6.1 computes it. The
 * new work (delta) is freeable >> priority scaled by 4 / seeks, or half of
 * freeable for a shrinker whose objects cost nothing to recreate (seeks 0);
 * work deferred by earlier calls is added, shifted by the priority, and the
 * total capped at twice freeable. It is done in batches while a batch is
 * left, or everything when the total covers all the shrinker has (tight on
 * memory). What was asked and not done is deferred to the next call, capped
 * at twice freeable. Every object looked at counts in slabs_scanned.
 */
function do_shrink_slab(k: Kernel, sc: ShrinkControl, s: Shrinker, priority: number): number {
  const freeable = s.count_objects(k, sc);
  if (freeable === 0 || freeable === SHRINK_STOP) return 0;
  // xchg_nr_deferred: this call takes the deferred work.
  const nr = s.nr_deferred;
  s.nr_deferred = 0;
  const batch_size = s.batch || SHRINK_BATCH;
  let delta: number;
  if (s.seeks) {
    delta = Math.floor(freeable / 2 ** priority);
    delta = Math.floor((delta * 4) / s.seeks);
  } else delta = Math.floor(freeable / 2);
  let total_scan = Math.floor(nr / 2 ** priority) + delta;
  total_scan = Math.min(total_scan, 2 * freeable);
  let freed = 0;
  let scanned = 0;
  while (total_scan >= batch_size || total_scan >= freeable) {
    const nr_to_scan = Math.min(batch_size, total_scan);
    sc.nr_to_scan = nr_to_scan;
    sc.nr_scanned = nr_to_scan;
    const ret = s.scan_objects(k, sc);
    if (ret === SHRINK_STOP) break;
    freed += ret;
    k.vm_events[SLABS_SCANNED] += sc.nr_scanned;
    total_scan -= sc.nr_scanned;
    scanned += sc.nr_scanned;
    if (sc.nr_scanned === 0) break;
  }
  // add_nr_deferred: new work not done, less old work done now, capped.
  const next_deferred = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
  s.nr_deferred += next_deferred;
  return freed;
}

/** shrink_slab: every shrinker, for node nid, at a reclaim priority (DEF_PRIORITY 12 .. 0). */
export function shrink_slab(k: Kernel, gfp: number, nid: number, priority: number): number {
  let freed = 0;
  for (const s of [...k.shrinker_list]) {
    const sc: ShrinkControl = { gfp_mask: gfp, nid, nr_to_scan: 0, nr_scanned: 0 };
    freed += do_shrink_slab(k, sc, s, priority);
  }
  return freed;
}

/** drop_slab (drop_caches 2): shrink everything until a pass frees 10 objects or fewer. */
export function drop_slab(k: Kernel): void {
  let freed: number;
  let shift = 0;
  do {
    freed = 0;
    for (let nid = 0; nid < k.nodes.length; nid++) freed += shrink_slab(k, 0, nid, 0);
  } while (freed >> shift++ > 1);
}
