/*
 * swap_slots.ts - the per-CPU swap slots cache (Linux mm/swap_slots.c).
 *
 * Reclaim takes swap slots one page at a time, and going to the areas for
 * each would be dear, so each CPU keeps two batches of SWAP_SLOTS_CACHE_SIZE
 * (64) slots: free slots taken from one area in one go (get_swap_pages) and
 * handed out one by one, and freed slots given back to their areas in one
 * go when the batch is full. A slot in either batch is still in use
 * (SWAP_HAS_CACHE): /proc/swaps' Used and SwapFree count it.
 *
 *   get_swap_page:  this CPU's slots[cur], cur+1 ... -- empty: refill from the
 *                   first area of the avail list, which then goes behind its
 *                   equals (so equal areas alternate by batches of 64)
 *   free_swap_slot: this CPU's slots_ret[n_ret++] -- full: swapcache_free_entries
 *
 * The cache is on from the first swapon while there is swap to share
 * (swap_slot_cache_enabled), and in use while free swap is over 5 batches
 * per CPU; under 2 batches per CPU it is drained and left until there is
 * more again (check_cache_active). swapoff drains it and keeps it off
 * while it brings the area's pages back.
 *
 * Simplified: no CPU hotplug; the caches of every possible CPU exist from
 * the first swapon.
 */

import type { Kernel } from "../kernel.js";
import {
  SWAP_SLOTS_CACHE_SIZE,
  THRESHOLD_ACTIVATE_SWAP_SLOTS_CACHE,
  THRESHOLD_DEACTIVATE_SWAP_SLOTS_CACHE,
} from "./swap_types.js";
import {
  get_swap_pages,
  type SwpEntry,
  swap_active,
  swapcache_free_entries,
  swp_offset,
  swp_type,
} from "./swapfile.js";

export { SWAP_SLOTS_CACHE_SIZE };

/** struct swap_slots_cache: one CPU's batches. */
export class SwapSlotsCache {
  slots = new Float64Array(SWAP_SLOTS_CACHE_SIZE); // free slots to hand out, from cur
  nr = 0;
  cur = 0;
  slots_ret = new Float64Array(SWAP_SLOTS_CACHE_SIZE); // freed slots to give back, up to n_ret
  n_ret = 0;
}

/** (Classes, not object literals: see swap_state.ts's SwapCache.) */
class SwapSlotsState {
  caches: SwapSlotsCache[] = [];
  initialized = false; // swap_slot_cache_initialized: the caches exist
  enabled = false; // swap_slot_cache_enabled: there is swap, and no swapoff runs
  active = false; // swap_slot_cache_active: enough free swap to be worth it
}

const states = new WeakMap<Kernel, SwapSlotsState>();
let last_k: Kernel | null = null;
let last_s: SwapSlotsState | null = null;

function state(k: Kernel): SwapSlotsState {
  if (k === last_k) return last_s!;
  let s = states.get(k);
  if (!s) {
    s = new SwapSlotsState();
    states.set(k, s);
  }
  last_k = k;
  last_s = s;
  return s;
}

/** This kernel's slots caches become the ones looked up last (swap_init). */
export function swap_slots_select(k: Kernel): void {
  state(k);
}

/* (The flags are compared with true: a bare test of a boolean field is the generic ToBoolean in optimized code.) */
const use_swap_slot_cache = (s: SwapSlotsState): boolean =>
  s.active === true && s.enabled === true && s.initialized === true;

/** __drain_swap_slots_cache: every CPU's batches go back to the areas. */
function drain_swap_slots_cache(k: Kernel, s: SwapSlotsState): void {
  for (const c of s.caches) {
    if (c.nr) swapcache_free_entries(k, c.slots, c.cur, c.cur + c.nr);
    c.nr = c.cur = 0;
    if (c.n_ret) swapcache_free_entries(k, c.slots_ret, 0, c.n_ret);
    c.n_ret = 0;
  }
}

/**
 * check_cache_active: turn the cache on over 5 batches of free swap per CPU,
 * drain it under 2. (Turning on is a store on every call, not a branch taken
 * once per machine: code run once has no type feedback, and the second
 * machine of a process then deoptimized the swap-out path there.)
 */
function check_cache_active(k: Kernel, s: SwapSlotsState): boolean {
  if (s.enabled !== true) return false;
  const pages = k.mm_stat.nr_swap_pages;
  if (s.active === true && pages < k.nr_cpu_ids * THRESHOLD_DEACTIVATE_SWAP_SLOTS_CACHE) {
    s.active = false;
    drain_swap_slots_cache(k, s);
    return false;
  }
  const enough = pages > k.nr_cpu_ids * THRESHOLD_ACTIVATE_SWAP_SLOTS_CACHE;
  const active = s.active === true || enough;
  s.active = active;
  return active;
}

/** folio_alloc_swap's cache half: a slot from this CPU's batch (refilled when empty), or -1. */
export function swap_slots_alloc(k: Kernel): SwpEntry {
  const s = state(k);
  if (s.initialized !== true || check_cache_active(k, s) !== true) return -1;
  const c = s.caches[k.cpu];
  if (!c.nr) {
    // refill_swap_slots_cache.
    c.cur = 0;
    c.nr = get_swap_pages(k, SWAP_SLOTS_CACHE_SIZE, c.slots);
    if (!c.nr) return -1;
  }
  c.nr--;
  return c.slots[c.cur++];
}

/**
 * The batch free_swap_slot puts slots in (this CPU's), or null when the
 * cache is off and slots are freed at once. A run of slots freed together
 * (zap's swap entries, free_swap_entries) looks it up once: nothing the
 * run does turns the cache on or off.
 */
export function swap_slots_ret_cache(k: Kernel): SwapSlotsCache | null {
  const s = state(k);
  return use_swap_slot_cache(s) ? s.caches[k.cpu] : null;
}

/** free_swap_slot's cache half: slot e waits in batch c, which is given back first when it is full. */
export function swap_slots_ret(k: Kernel, c: SwapSlotsCache, e: SwpEntry): void {
  if (c.n_ret >= SWAP_SLOTS_CACHE_SIZE) {
    swapcache_free_entries(k, c.slots_ret, 0, c.n_ret);
    c.n_ret = 0;
  }
  c.slots_ret[c.n_ret++] = e;
}

/** enable_swap_slots_cache (swapon) and reenable_swap_slots_cache_unlock (the end of swapoff). */
export function enable_swap_slots_cache(k: Kernel): void {
  const s = state(k);
  if (!s.initialized) {
    for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++) s.caches.push(new SwapSlotsCache());
    s.initialized = true;
  }
  s.enabled = swap_active(k);
}

/** disable_swap_slots_cache_lock: swapoff drains the caches and keeps them off. */
export function disable_swap_slots_cache(k: Kernel): void {
  const s = state(k);
  s.enabled = false;
  if (s.initialized) drain_swap_slots_cache(k, s);
}

/** The slots the caches hold, for the invariant checker: each must be marked in use and unreferenced. */
export function swap_slots_held(k: Kernel): { type: number; offset: number }[] {
  const out: { type: number; offset: number }[] = [];
  for (const c of state(k).caches) {
    for (let i = c.cur; i < c.cur + c.nr; i++)
      out.push({ type: swp_type(c.slots[i]), offset: swp_offset(c.slots[i]) });
    for (let i = 0; i < c.n_ret; i++)
      out.push({ type: swp_type(c.slots_ret[i]), offset: swp_offset(c.slots_ret[i]) });
  }
  return out;
}
