/*
 * workingset.ts - refault detection (Linux mm/workingset.c).
 *
 * When reclaim evicts a page, it leaves a shadow where the page was (the
 * page cache index of a file page, the swap slot of an anonymous one):
 * the node's nonresident age at that moment, and whether the page was part
 * of the workingset (see pack_shadow below). The age counts evictions and
 * activations. If the page
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
 *   workingset_nodereclaim         such nodes the shadow shrinker freed
 *
 * Shadow nodes. A shadow takes a slot in the page cache's (or the swap
 * cache's) xarray, and a leaf node whose every entry is a shadow is memory
 * spent on pages that are gone. workingset_update_node, the xarray's update
 * callback (lib/xarray.ts), keeps exactly those nodes on the shadow_nodes
 * list_lru, oldest first, and counts them in WORKINGSET_NODES: a node joins
 * when its last page leaves, and leaves when a page comes back or the node
 * is freed. A shrinker (count_shadow_nodes, scan_shadow_nodes) keeps them
 * in proportion to the memory whose refaults they could still detect: at
 * most one node per 8 pages on the node's LRU lists (pages >> (6 - 3), a
 * worst case of 8 shadows per 64-slot node). Anything beyond that is
 * reported as freeable; freeing a node erases its shadows and frees it
 * (WORKINGSET_NODERECLAIM). Its seeks are 0: reclaim asks for half the
 * excess every time, drop_caches 2 until nothing is left above the limit.
 */

import type { Kernel } from "../kernel.js";
import { WARN_ON_ONCE } from "../lib/bug.js";
import {
  XA_CHUNK_SHIFT,
  xa_delete_node,
  xa_flush_deferred,
  xa_node_values_only,
  xa_nodes,
} from "../lib/xarray.js";
import { PG_active, PG_workingset } from "./mm_types.js";
import {
  NR_ACTIVE_ANON,
  NR_ACTIVE_FILE,
  NR_INACTIVE_ANON,
  NR_INACTIVE_FILE,
  NR_LRU_BASE,
  NR_LRU_LISTS,
  WORKINGSET_ACTIVATE_ANON,
  WORKINGSET_ACTIVATE_FILE,
  WORKINGSET_NODERECLAIM,
  WORKINGSET_NODES,
  WORKINGSET_REFAULT_ANON,
  WORKINGSET_REFAULT_FILE,
  WORKINGSET_RESTORE_ANON,
  WORKINGSET_RESTORE_FILE,
} from "./mmzone.js";
import { page_zone } from "./page_alloc.js";
import { register_shrinker, type ShrinkControl, type Shrinker } from "./shrinker.js";
import { lru_note_cost } from "./swap.js";

/*
 * A shadow entry (pack_shadow): the eviction age, the memory node it was
 * evicted from and the workingset bit, packed into one value entry:
 *
 *   shadow = (eviction * MAX_NUMNODES + nid) * 2 + workingset
 *
 * Only timestamp_bits of the age fit beside the memory cgroup id and the
 * node (EVICTION_MASK: 14 bits on 32-bit machines, 36 on 64-bit ones), so
 * when memory is larger than that covers, ages are kept in buckets of
 * 2^bucket_order evictions (workingset_init's line in the boot log). As in
 * 6.1, the distance is taken modulo 2^timestamp_bits after the bucket is
 * shifted back: a shadow old enough can look recent.
 */
export type Shadow = number;

const MAX_NUMNODES = 1024; // NODES_SHIFT 10

/** EVICTION_MASK's width: the age bits a shadow keeps. */
export function workingset_timestamp_bits(k: Kernel): number {
  return k.profile.pointerBits === 32 ? 14 : 36;
}

/** bucket_order: the low age bits dropped so that ages up to all of RAM fit in timestamp_bits. */
export function workingset_bucket_order(k: Kernel): number {
  const max_order = 32 - Math.clz32(Math.max(1, k.totalram_pages - 1));
  return Math.max(0, max_order - workingset_timestamp_bits(k));
}

/** The kernel's timestamp modulus and bucket size, worked out once (workingset_init's numbers). */
let last_k: Kernel | null = null;
let ts_mod = 0;
let bucket = 1;
/* The same for ages below 2^31, in 32-bit operations (no floating-point modulo per eviction). */
let bucket_order = 0;
let ts_mask31 = 0;

function eviction_params(k: Kernel): void {
  if (k === last_k) return;
  last_k = k;
  ts_mod = 2 ** workingset_timestamp_bits(k);
  bucket_order = workingset_bucket_order(k);
  bucket = 2 ** bucket_order;
  ts_mask31 = ts_mod < 2 ** 31 ? ts_mod - 1 : 0x7fffffff;
}

/** workingset_eviction: a page leaves memory; the shadow to keep in its place. */
export function workingset_eviction(k: Kernel, pfn: number): Shadow {
  return workingset_eviction_node(k, pfn, page_zone(k, pfn).node);
}

/** workingset_eviction of a page of memory node nid. */
export function workingset_eviction_node(k: Kernel, pfn: number, nid: number): Shadow {
  eviction_params(k);
  const pgdat = k.nodes[nid];
  const age = pgdat.nonresident_age;
  const eviction = age < 2 ** 31 ? (age >>> bucket_order) & ts_mask31 : Math.floor(age / bucket) % ts_mod;
  pgdat.nonresident_age++;
  return (eviction * MAX_NUMNODES + nid) * 2 + (k.mem.flags[pfn] & PG_workingset ? 1 : 0);
}

/** workingset_activation: an activated page ages the node like an eviction does. */
export function workingset_age_nonresident(k: Kernel, pfn: number): void {
  k.nodes[page_zone(k, pfn).node].nonresident_age++;
}

/**
 * workingset_refault: page pfn (just read back in, not yet on the LRU)
 * replaces the shadow. The distance is measured on the node the page was
 * evicted from, against the memory the page competes with there: the
 * active file list, the inactive file list too for an anonymous page, and
 * while swap has free slots the active anon list, the inactive anon list
 * too for a file page. Within it, the page starts active; a page that was
 * in the workingset before is restored to it.
 */
export function workingset_refault(k: Kernel, pfn: number, shadow: Shadow, file: boolean): void {
  eviction_params(k);
  const workingset = shadow % 2 === 1;
  const nid = Math.floor(shadow / 2) % MAX_NUMNODES;
  const eviction = Math.floor(shadow / 2 / MAX_NUMNODES) * bucket;
  const pgdat = k.nodes[page_zone(k, pfn).node];
  pgdat.vm_stat[file ? WORKINGSET_REFAULT_FILE : WORKINGSET_REFAULT_ANON]++;
  const evicted_from = k.nodes[nid] ?? pgdat;
  const distance = (((evicted_from.nonresident_age - eviction) % ts_mod) + ts_mod) % ts_mod;
  const v = evicted_from.vm_stat;
  let size = v[NR_ACTIVE_FILE];
  if (!file) size += v[NR_INACTIVE_FILE];
  if (k.mm_stat.nr_swap_pages > 0) {
    size += v[NR_ACTIVE_ANON];
    if (file) size += v[NR_INACTIVE_ANON];
  }
  if (distance > size) return;
  k.mem.flags[pfn] |= PG_active;
  pgdat.nonresident_age++;
  pgdat.vm_stat[file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON]++;
  if (!workingset) return;
  k.mem.flags[pfn] |= PG_workingset;
  // Thrashing: waiting for this page to be read back is a memory stall as well (psi.ts).
  const t = k.sched.current;
  if (t) t.psi_thrashing = true;
  // lru_note_cost_refault: a workingset page read back in is reclaim's cost on its side.
  lru_note_cost(pgdat, file, 1);
  pgdat.vm_stat[file ? WORKINGSET_RESTORE_FILE : WORKINGSET_RESTORE_ANON]++;
}

/* ---- shadow nodes ---- */

/** The shadow_nodes list_lru: per memory node, a list of xa_node ids (links in the node table), oldest first. */
class ShadowNodes {
  head: number[];
  tail: number[];
  nr: number[];
  constructor(n: number) {
    this.head = new Array(n).fill(-1);
    this.tail = new Array(n).fill(-1);
    this.nr = new Array(n).fill(0);
  }
}

const lrus = new WeakMap<Kernel, ShadowNodes>();
let lru_k: Kernel | null = null;
let lru_l: ShadowNodes | null = null;

function shadow_nodes(k: Kernel): ShadowNodes {
  if (k === lru_k) return lru_l!;
  let l = lrus.get(k);
  if (!l) {
    const n = k.nodes.length;
    l = new ShadowNodes(n);
    lrus.set(k, l);
  }
  lru_k = k;
  lru_l = l;
  return l;
}

/** This kernel's timestamp parameters and shadow node lists become the ones looked up last (swap_init). */
export function workingset_select(k: Kernel): void {
  eviction_params(k);
  shadow_nodes(k);
}

/** list_lru_add: node id at the tail of its memory node's list. */
function list_lru_add(k: Kernel, id: number): void {
  const T = xa_nodes(k);
  const l = shadow_nodes(k);
  const nid = T.nid[id];
  const tail = l.tail[nid];
  T.prev[id] = tail;
  T.next[id] = -1;
  if (tail >= 0) T.next[tail] = id;
  // (The head is stored either way: a store only an empty list makes is a branch each new
  // machine takes first, where code optimized on an earlier machine has no feedback for it.)
  l.head[nid] = tail >= 0 ? l.head[nid] : id;
  l.tail[nid] = id;
  T.listed[id] = 1;
  l.nr[nid]++;
}

/** list_lru_del. */
function list_lru_del(k: Kernel, id: number): void {
  const T = xa_nodes(k);
  const l = shadow_nodes(k);
  const nid = T.nid[id];
  const p = T.prev[id];
  const n = T.next[id];
  if (p >= 0) T.next[p] = n;
  else l.head[nid] = n;
  if (n >= 0) T.prev[n] = p;
  else l.tail[nid] = p;
  T.next[id] = T.prev[id] = -1;
  T.listed[id] = 0;
  l.nr[nid]--;
}

/**
 * workingset_update_node: the xarray's update callback. A leaf holding
 * only shadows goes on shadow_nodes; one that holds a page again, or is
 * being freed, comes off. WORKINGSET_NODES follows.
 */
export function workingset_update_node(k: Kernel, id: number): void {
  const T = xa_nodes(k);
  if (xa_node_values_only(T, id)) {
    if (!T.listed[id]) {
      list_lru_add(k, id);
      k.nodes[T.nid[id]].vm_stat[WORKINGSET_NODES]++;
    }
  } else if (T.listed[id]) {
    list_lru_del(k, id);
    k.nodes[T.nid[id]].vm_stat[WORKINGSET_NODES]--;
  }
}

/**
 * workingset_requeue_node: what workingset_update_node does, called as the
 * xarray calls it, when a leaf that held only shadows takes a page and then
 * a shadow again (lib/xarray.ts's deferred store): a leaf on shadow_nodes
 * leaves it and joins it again at the tail, WORKINGSET_NODES as it was; one
 * that was not on it joins it.
 */
export function workingset_requeue_node(k: Kernel, id: number): void {
  const T = xa_nodes(k);
  if (!T.listed[id]) {
    list_lru_add(k, id);
    k.nodes[T.nid[id]].vm_stat[WORKINGSET_NODES]++;
    return;
  }
  // At the tail already (the leaf reclaim stored into last, as a rule), it stays there.
  if (shadow_nodes(k).tail[T.nid[id]] === id) return;
  list_lru_del(k, id);
  list_lru_add(k, id);
}

/**
 * count_shadow_nodes: the shadow nodes of sc.nid beyond one per 8 pages on
 * the node's LRU lists (the root memory cgroup's lruvec, which holds them
 * all here).
 */
function count_shadow_nodes(k: Kernel, sc: ShrinkControl): number {
  xa_flush_deferred();
  const nodes = shadow_nodes(k).nr[sc.nid];
  if (!nodes) return 0;
  const vm_stat = k.nodes[sc.nid].vm_stat;
  let pages = 0;
  for (let i = 0; i < NR_LRU_LISTS; i++) pages += vm_stat[NR_LRU_BASE + i];
  const max_nodes = pages >> (XA_CHUNK_SHIFT - 3);
  return nodes <= max_nodes ? 0 : nodes - max_nodes;
}

/**
 * scan_shadow_nodes: up to sc.nr_to_scan nodes from the head of sc.nid's
 * list (shadow_lru_isolate): each comes off the list, its shadows are
 * erased and it is freed.
 */
function scan_shadow_nodes(k: Kernel, sc: ShrinkControl): number {
  xa_flush_deferred();
  const T = xa_nodes(k);
  const l = shadow_nodes(k);
  let freed = 0;
  while (freed < sc.nr_to_scan && l.head[sc.nid] >= 0) {
    const id = l.head[sc.nid];
    const nid = T.nid[id];
    list_lru_del(k, id);
    k.nodes[nid].vm_stat[WORKINGSET_NODES]--;
    freed++;
    // The node should hold shadows only: they can all go, and the node with them.
    if (WARN_ON_ONCE(!T.nr_values[id], "shadow_lru_isolate: a node without shadows")) continue;
    if (WARN_ON_ONCE(T.count[id] !== T.nr_values[id], "shadow_lru_isolate: a node with pages")) continue;
    xa_delete_node(k, id);
    k.nodes[nid].vm_stat[WORKINGSET_NODERECLAIM]++;
  }
  return freed;
}

/** workingset_init: the shadow node shrinker. */
export function workingset_init(k: Kernel): void {
  const s: Shrinker = {
    name: "mm-shadow",
    count_objects: count_shadow_nodes,
    scan_objects: scan_shadow_nodes,
    seeks: 0, // count_objects reports only fully expendable nodes
    batch: 0,
    nr_deferred: 0,
  };
  register_shrinker(k, s);
}

/** Checks that shadow_nodes holds exactly the values-only leaves, and WORKINGSET_NODES counts them. */
export function check_shadow_nodes(k: Kernel, fail: (what: string) => never): void {
  xa_flush_deferred();
  const T = xa_nodes(k);
  const l = shadow_nodes(k);
  for (let nid = 0; nid < k.nodes.length; nid++) {
    let n = 0;
    for (let id = l.head[nid]; id >= 0; id = T.next[id]) {
      if (++n > l.nr[nid]) fail(`shadow_nodes of node ${nid} is longer than its count ${l.nr[nid]}`);
      if (!xa_node_values_only(T, id)) fail(`xa_node ${id} on shadow_nodes holds a page`);
      if (T.nid[id] !== nid) fail(`xa_node ${id} of node ${T.nid[id]} on node ${nid}'s shadow_nodes`);
    }
    if (n !== l.nr[nid]) fail(`shadow_nodes of node ${nid} holds ${n}, counts ${l.nr[nid]}`);
    if (k.nodes[nid].vm_stat[WORKINGSET_NODES] !== n)
      fail(`node ${nid} workingset_nodes ${k.nodes[nid].vm_stat[WORKINGSET_NODES]} but ${n} shadow nodes`);
  }
  for (let id = 0; id < T.array.length; id++)
    if (T.array[id]?.update && xa_node_values_only(T, id) && !T.listed[id])
      fail(`xa_node ${id} holds only shadows but is not on shadow_nodes`);
}
