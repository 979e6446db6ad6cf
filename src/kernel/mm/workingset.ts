/*
 * workingset.ts - refault detection (Linux mm/workingset.c).
 *
 * When reclaim evicts a page, it leaves a shadow where the page was (the
 * page cache index of a file page, the swap slot of an anonymous one):
 * the node's nonresident age at that moment, and whether the page was part
 * of the workingset. The age counts evictions and activations. If the page
 * is faulted back in (a refault), the distance between the two ages says
 * how much memory it would have needed to stay: when the distance fits in
 * the workingset (the active lists the page competes with), the page goes
 * straight to the active list (workingset_activate); a page that was in the
 * workingset before is restored to it (workingset_restore).
 *
 *   workingset_refault_anon/file   every refault
 *   workingset_activate_anon/file  refaults activated
 *   workingset_restore_anon/file   refaults of pages that were workingset
 *   workingset_nodes               xarray nodes holding only shadows
 */

import type { Kernel } from "../kernel.js";
import { PG_active, PG_workingset } from "./mm_types.js";
import {
  NR_ACTIVE_ANON,
  NR_ACTIVE_FILE,
  NR_INACTIVE_ANON,
  WORKINGSET_ACTIVATE_ANON,
  WORKINGSET_ACTIVATE_FILE,
  WORKINGSET_REFAULT_ANON,
  WORKINGSET_REFAULT_FILE,
  WORKINGSET_RESTORE_ANON,
  WORKINGSET_RESTORE_FILE,
} from "./mmzone.js";
import { page_zone } from "./page_alloc.js";

/** A shadow entry: the eviction age and the workingset bit, packed (age * 2 + bit). */
export type Shadow = number;

/** workingset_eviction: a page leaves memory; the shadow to keep in its place. */
export function workingset_eviction(k: Kernel, pfn: number): Shadow {
  const pgdat = k.nodes[page_zone(k, pfn).node];
  const age = pgdat.nonresident_age++;
  return age * 2 + (k.mem.flags[pfn] & PG_workingset ? 1 : 0);
}

/** workingset_activation: an activated page ages the node like an eviction does. */
export function workingset_age_nonresident(k: Kernel, pfn: number): void {
  k.nodes[page_zone(k, pfn).node].nonresident_age++;
}

/**
 * workingset_refault: page pfn (just read back in, not yet on the LRU)
 * replaces the shadow; it starts active when its refault distance fits in
 * the workingset.
 */
export function workingset_refault(k: Kernel, pfn: number, shadow: Shadow, file: boolean): void {
  const pgdat = k.nodes[page_zone(k, pfn).node];
  const eviction = Math.floor(shadow / 2);
  const workingset = shadow % 2 === 1;
  k.nodes[page_zone(k, pfn).node].vm_stat[file ? WORKINGSET_REFAULT_FILE : WORKINGSET_REFAULT_ANON]++;
  const distance = pgdat.nonresident_age - eviction;
  // The workingset the page competes with: the active file list, and the anon lists while swap exists.
  let size = pgdat.vm_stat[NR_ACTIVE_FILE];
  if (k.mm_stat.total_swap_pages > 0) size += pgdat.vm_stat[NR_ACTIVE_ANON] + pgdat.vm_stat[NR_INACTIVE_ANON];
  if (distance > size) return;
  k.mem.flags[pfn] |= PG_active | PG_workingset;
  pgdat.nonresident_age++;
  pgdat.vm_stat[file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON]++;
  if (workingset) pgdat.vm_stat[file ? WORKINGSET_RESTORE_FILE : WORKINGSET_RESTORE_ANON]++;
}
