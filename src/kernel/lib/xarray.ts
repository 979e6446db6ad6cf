/*
 * xarray.ts - the shape of an xarray (Linux lib/xarray.c,
 * include/linux/xarray.h): which xa_nodes the page cache and the swap
 * cache need for their entries, each a radix_tree_node slab object, and
 * what each leaf node holds.
 *
 * A node has 64 slots (XA_CHUNK_SHIFT 6). A leaf node holds the entries of
 * one chunk of 64 indices; a node one level up holds 64 leaf nodes, and so
 * on up to the root:
 *
 *   index bits:   ... 23..18 | 17..12 | 11..6 | 5..0
 *                     level 4  level 3  level 2  leaf slot
 *
 * An entry is a page, or a value: the shadow an evicted page leaves behind
 * (workingset.ts), or a tmpfs page's swap entry. An xarray whose only entry
 * is at index 0 keeps it in xa_head and needs no node; otherwise the tree is
 * as tall as its highest index needs (it shrinks only while the root's one
 * child is in slot 0, xas_shrink), with a node for every group of indices,
 * at every level, that has an entry below it:
 *
 *   entries 0..63       1 node (the leaf is the root)
 *   entries 0..64       3 nodes: leaves 0 and 1, the root above them
 *   entries 0 and 5000  5 nodes: leaves 0 and 78, their parents 0 and 1, the root
 *   entry 5000 alone    3 nodes: leaf 78, its parent 1, the root
 *
 * The entries themselves stay with their owner (a mapping's page and shadow
 * Maps, the swap cache's sparse arrays). Here each xarray keeps its leaf
 * nodes by chunk (index >> 6) and, for each higher level, how many nodes
 * each group has below it; the leaf nodes' fields live in one table per
 * kernel, in typed arrays indexed by node id (struct xa_node: count,
 * nr_values, the memory node it was allocated on, its private_list links).
 *
 * The owner calls xa_account for every entry it stores or erases; a leaf
 * that changed is passed to the xarray's update callback (xas_set_update:
 * workingset_update_node for the page cache and the swap cache) when its
 * values-only state may no longer match its list membership (the only thing
 * the callback keeps), and the radix_tree_node objects follow the number of
 * nodes the shape needs.
 *
 * Simplified: the interior nodes are counted, not kept; an entry is one
 * index (no multi-index entries); a node is accounted to the memory node of
 * the page whose insertion created it.
 */

import type { Kernel } from "../kernel.js";
import { GFP_KERNEL } from "../mm/gfp.js";
import { kmem_cache_lookup } from "../mm/kmem_caches.js";
import { kobj_alloc, kobj_free_one } from "../mm/kobj.js";
import { BUG } from "./bug.js";
import { XA_CHUNK_SHIFT, XA_CHUNK_SIZE, XA_MAX_LEVELS } from "./xarray_types.js";

export { XA_CHUNK_SHIFT, XA_CHUNK_SIZE };

/** xas_set_update's callback: node id's count or nr_values changed (count 0: it is being freed). */
export type XaUpdateNode = (k: Kernel, id: number) => void;

/** The leaf nodes of every xarray of a kernel: struct xa_node's fields by node id. */
export class XaNodes {
  /** Entries present (node->count) and, of those, values (node->nr_values). */
  count = new Uint8Array(256);
  nr_values = new Uint8Array(256);
  /** The memory node the xa_node sits on (its list_lru node). */
  nid = new Uint8Array(256);
  /** private_list: the list_lru links (-1: none) and whether the node is on a list. */
  next = new Int32Array(256).fill(-1);
  prev = new Int32Array(256).fill(-1);
  listed = new Uint8Array(256);
  /** node->offset as an index: the chunk (index >> 6) the leaf holds. */
  chunk = new Float64Array(256);
  /**
   * node->array. It starts with an element (node 0, not allocated yet) so
   * that its elements kind never changes: an empty literal's allocation site
   * remembers the change, and the next machine's table got another map.
   */
  array: (XArray | null)[] = [null];
  /** Ids free for reuse, and the next never used. */
  private free: number[] = [];
  private top = 0;

  alloc(xa: XArray, chunk: number, nid: number): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.top++;
      if (id >= this.count.length) this.grow();
    }
    this.count[id] = 0;
    this.nr_values[id] = 0;
    this.nid[id] = nid;
    this.chunk[id] = chunk;
    this.array[id] = xa;
    return id;
  }

  release(id: number): void {
    if (this.listed[id]) BUG(`xa_node ${id} freed while on a list_lru`);
    this.array[id] = null;
    this.free.push(id);
  }

  private grow(): void {
    const n = this.count.length * 2;
    const g8 = (a: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n).fill(-1);
      b.set(a);
      return b;
    };
    this.count = g8(this.count);
    this.nr_values = g8(this.nr_values);
    this.nid = g8(this.nid);
    this.listed = g8(this.listed);
    this.next = g32(this.next);
    this.prev = g32(this.prev);
    const c = new Float64Array(n);
    c.set(this.chunk);
    this.chunk = c;
  }
}

const tables = new WeakMap<Kernel, XaNodes>();
let last_k: Kernel | null = null;
let last_t: XaNodes | null = null;

/** The kernel's xa_node table. */
export function xa_nodes(k: Kernel): XaNodes {
  if (k === last_k) return last_t!;
  let t = tables.get(k);
  if (!t) {
    t = new XaNodes();
    tables.set(k, t);
  }
  last_k = k;
  last_t = t;
  return t;
}

/** One xarray (an address_space's i_pages). */
export class XArray {
  /** Leaf nodes by chunk: ids in the kernel's XaNodes. */
  readonly leaves = new Map<number, number>();
  /** upper[l - 2]: group (index >> 6l) -> nodes one level below it, for levels 2.. (made on first use). */
  private upper: Map<number, number>[] | null = null;
  /** Entries (pages and values), and whether one is at index 0. */
  nr = 0;
  has_zero = false;
  /** radix_tree_node objects held. */
  nodes = 0;
  /**
   * The leaf used last (most stores are to the same chunk as the one before),
   * and the one used before it (reclaim stores pages into one leaf while it
   * replaces older pages by their shadows in another).
   */
  last_chunk = -1;
  last_node = -1;
  prev_chunk = -1;
  prev_node = -1;
  constructor(
    /** xas_set_update: null for tmpfs (mapping_set_update leaves shmem out). */
    readonly update: XaUpdateNode | null,
    /** Erases the values at indices first..last (each through xa_account): xa_delete_node's work. */
    readonly clear_values: (k: Kernel, first: number, last: number) => void,
    /**
     * What the update calls do in all for a values-only leaf (count === nr_values) that takes
     * an entry and then a value (xa_store_value_pair); null: the calls are made.
     */
    readonly requeue: XaUpdateNode | null = null,
  ) {}

  /** The whole array lives in xa_head: no node at all. */
  head_only(): boolean {
    return this.nr === 1 && this.has_zero;
  }

  /** A leaf came (+1) or went (-1): the groups above it count it. */
  link(chunk: number, delta: 1 | -1): void {
    this.upper ??= Array.from({ length: XA_MAX_LEVELS - 1 }, () => new Map<number, number>());
    let g = chunk;
    for (const m of this.upper) {
      g = Math.floor(g / XA_CHUNK_SIZE);
      const c = (m.get(g) ?? 0) + delta;
      if (c) m.set(g, c);
      else m.delete(g);
      // A group that keeps other children keeps its own parent's count as it was.
      if ((delta > 0 && c !== 1) || (delta < 0 && c !== 0)) return;
    }
  }

  /** Nodes the shape needs now (see the file comment). */
  nodes_needed(): number {
    if (this.nr === 0 || this.head_only()) return 0;
    const l1 = this.leaves;
    let top = l1.size > 1 || !l1.has(0) ? 1 : 0; // the highest level with a group other than 0
    const up = this.upper ?? [];
    up.forEach((m, i) => {
      if (m.size > 1 || (m.size === 1 && !m.has(0))) top = i + 2;
    });
    let n = l1.size;
    for (let l = 2; l <= top + 1 && l <= XA_MAX_LEVELS; l++) n += up[l - 2].size;
    return n;
  }
}

/**
 * xa_account: the entry at index changed: dcount entries more (+1 stored,
 * -1 erased, 0 replaced) and dvalues values more. A new leaf is created on
 * memory node nid. Calls the update callback for the leaf (and for leaf 0
 * when the array moves in or out of xa_head), and allocates or frees
 * radix_tree_node objects as the shape needs.
 */
export function xa_account(
  k: Kernel,
  xa: XArray,
  index: number,
  dcount: number,
  dvalues: number,
  nid: number,
): void {
  if (deferred_store !== null || runs_waiting !== 0) xa_flush_deferred();
  xa_change(k, xa, index, dcount, dvalues, nid);
}

/** xa_account's change itself, with nothing deferred left to make first (or only another leaf's run: see below). */
function xa_change(k: Kernel, xa: XArray, index: number, dcount: number, dvalues: number, nid: number): void {
  const T = xa_nodes(k);
  const chunk = xa_chunk(index);
  // The common case first: one of the two leaves used last keeps entries, and nothing is or was
  // at index 0 (the array cannot move in or out of xa_head): the counts and the list_lru check alone.
  // (Flags compared with true/null: a bare test of a field is the generic ToBoolean in optimized code.)
  if (index !== 0 && xa.has_zero !== true) {
    let leaf = -1;
    if (chunk === xa.last_chunk) leaf = xa.last_node;
    else if (chunk === xa.prev_chunk) {
      // It becomes the one used last.
      leaf = xa.prev_node;
      xa.prev_chunk = xa.last_chunk;
      xa.prev_node = xa.last_node;
      xa.last_chunk = chunk;
      xa.last_node = leaf;
    }
    if (leaf >= 0) {
      const count = T.count[leaf] + dcount;
      if (count !== 0) {
        const values = T.nr_values[leaf] + dvalues;
        T.count[leaf] = count;
        T.nr_values[leaf] = values;
        xa.nr += dcount;
        if (xa.update !== null && (count === values) !== (T.listed[leaf] === 1)) xa.update(k, leaf);
        return;
      }
    }
  }
  let id =
    chunk === xa.last_chunk
      ? xa.last_node
      : chunk === xa.prev_chunk
        ? xa.prev_node
        : (xa.leaves.get(chunk) ?? -1);
  const was_head_only = xa.head_only();
  let reshape = false;
  if (id < 0) {
    if (dcount <= 0) BUG(`xa_account: index ${index} has no node to erase from`);
    id = T.alloc(xa, chunk, nid);
    xa.leaves.set(chunk, id);
    xa.link(chunk, 1);
    reshape = true;
  }
  T.count[id] += dcount;
  T.nr_values[id] += dvalues;
  xa.nr += dcount;
  if (index === 0 && dcount) xa.has_zero = dcount > 0;
  if (T.count[id] === 0) {
    // xas_delete_node: the empty leaf goes, and the groups above it lose it.
    if (T.listed[id]) xa.update?.(k, id);
    xa.leaves.delete(chunk);
    xa.link(chunk, -1);
    T.release(id);
    xa.last_chunk = -1;
    if (xa.prev_chunk === chunk) xa.prev_chunk = -1;
    reshape = true;
  } else {
    if (chunk !== xa.last_chunk) {
      xa.prev_chunk = xa.last_chunk;
      xa.prev_node = xa.last_node;
    }
    xa.last_chunk = chunk;
    xa.last_node = id;
    // The callback only keeps list_lru membership in step: skip it when nothing can have moved.
    if (xa.update !== null && (T.count[id] === T.nr_values[id]) !== (T.listed[id] === 1)) xa.update(k, id);
  }
  if (xa.head_only() !== was_head_only) {
    // xas_expand / xas_shrink: index 0's entry moves between xa_head and leaf 0.
    const z = xa.leaves.get(0);
    if (z !== undefined) xa.update?.(k, z);
    reshape = true;
  }
  if (reshape) xa_resize(k, xa);
}

/** The leaf chunk of an index (index >> 6, for indices past 2^31 too). */
export const xa_chunk = (index: number): number =>
  index < 0x80000000 ? index >>> XA_CHUNK_SHIFT : Math.floor(index / XA_CHUNK_SIZE);

/*
 * A deferred store. Reclaim stores a page in a swap cache slot and, most of
 * the time, replaces it by the page's shadow a moment later (the page was
 * written and is freed): two changes of one leaf, each followed by the
 * update callback. A store that cannot change the shape (xa_store_deferrable:
 * the leaf is the one used last and keeps its entries, index 0 is neither
 * changed nor used) may be deferred by its owner (xa_defer_store), who then
 * either
 *
 *   - replaces it by a value: both changes at once (xa_store_value_pair).
 *     The callback would have been called twice, and only if the leaf held
 *     values only: the page makes it hold one, the shadow makes it
 *     values-only again - off the list and back at its tail, which the
 *     xarray's requeue callback does in one go; or
 *   - has it completed as it was (xa_flush_deferred, which calls the
 *     owner's completion). The next xa_account, of any xarray, does that
 *     first, and so does whatever looks at the leaves (xa_check, the shadow
 *     node shrinker and checks), and the owner when its window ends
 *     (reclaim: the end of shrink_folio_list).
 *
 * Every change thus happens in the same order as without the deferral, and
 * nothing can see the difference.
 */
let deferred_store: (() => void) | null = null;

/*
 * A run of deferred changes. Reclaim changes the swap cache slots of a
 * batch's pages one after the other - consecutive slots, most of them in
 * one leaf - and each change is of one kind: a page stored, or a page
 * replaced by its shadow. A change that grows a count of one of the two
 * leaves used last (no change of shape: the leaf keeps entries; index 0
 * neither changed nor used) may be made through xa_account_batched: a run
 * of equal changes to one leaf is made at once, one xa_account of n times
 * the change, when the run ends - at a change of its kind to another leaf,
 * at any other xa_account, and wherever a deferred store is completed
 * (xa_flush_deferred: the owner at the end of its pass, and whatever looks
 * at the leaves). Within a run the leaf's count, or its values, only grow,
 * so count === nr_values can turn true or false only at the run's last
 * change: the update callback is called, or not, just as the changes one
 * by one would have it, and with the counts it would see last.
 *
 * Two runs may wait at once, one of each kind (stores, and replacements by
 * a value: reclaim's pages going out, and older ones freed, interleave in a
 * batch), never on the same leaf. Nothing else happens to their leaves in
 * between, and what their update calls can do commutes: a run of stores
 * can only take its leaf off the shadow list (it holds a page at the end),
 * a run of replacements only put its leaf on it (it may hold values only
 * at the end), and those changes of two different nodes leave the same
 * list in either order.
 */
class XaRun {
  xa: XArray | null = null;
  k: Kernel | null = null;
  chunk = -1;
  index = 0;
  dcount = 0;
  dvalues = 0;
  n = 0;
}
/** The run of stores (dvalues 0) and the run of value changes. */
const store_run = new XaRun();
const value_run = new XaRun();
/** Runs with changes waiting (0..2). */
let runs_waiting = 0;

/**
 * xa_account for a change of (dcount, dvalues), (1, 0) or (0, 1), that may
 * wait in a run (see above). The caller calls xa_flush_deferred at the end
 * of its pass; nid serves a change that is made at once.
 */
export function xa_account_batched(
  k: Kernel,
  xa: XArray,
  index: number,
  dcount: number,
  dvalues: number,
  nid: number,
): void {
  const r = dvalues === 0 ? store_run : value_run;
  if (
    r.n !== 0 &&
    xa === r.xa &&
    dcount === r.dcount &&
    dvalues === r.dvalues &&
    index !== 0 &&
    xa_chunk(index) === r.chunk &&
    k === r.k
  )
    r.n++;
  else xa_run_start(k, xa, index, dcount, dvalues, nid, r);
}

/** xa_account_batched out of run r: r so far is made, and the change starts r again, or is made now. */
function xa_run_start(
  k: Kernel,
  xa: XArray,
  index: number,
  dcount: number,
  dvalues: number,
  nid: number,
  r: XaRun,
): void {
  if (r.n !== 0) xa_run_flush(r);
  if (deferred_store !== null) xa_flush_deferred();
  const chunk = xa_chunk(index);
  const other = r === store_run ? value_run : store_run;
  if (
    index !== 0 &&
    xa.has_zero !== true &&
    (chunk === xa.last_chunk || chunk === xa.prev_chunk) &&
    dcount + dvalues === 1 &&
    (other.n === 0 || other.xa !== xa || other.chunk !== chunk)
  ) {
    if (r.xa !== xa) r.xa = xa;
    if (r.k !== k) r.k = k;
    r.chunk = chunk;
    r.index = index;
    r.dcount = dcount;
    r.dvalues = dvalues;
    r.n = 1;
    runs_waiting++;
    return;
  }
  xa_account(k, xa, index, dcount, dvalues, nid);
}

/**
 * Run r's changes, at once (its leaf keeps its entries: no nid needed). The
 * other run, if one waits, may go on waiting: its leaf is another, and what
 * the two do commutes (see above).
 */
function xa_run_flush(r: XaRun): void {
  const n = r.n;
  r.n = 0;
  runs_waiting--;
  xa_change(r.k!, r.xa!, r.index, n * r.dcount, n * r.dvalues, 0);
}

/** Whether a store at index (xa_account(k, xa, index, 1, 0, nid)) could be deferred now. */
export function xa_store_deferrable(xa: XArray, index: number): boolean {
  return xa_chunk(index) === xa.last_chunk && index !== 0 && xa.has_zero !== true;
}

/** The owner defers a deferrable store; complete does it (xa_account) when the xarray asks. */
export function xa_defer_store(complete: () => void): void {
  if (deferred_store !== null || runs_waiting !== 0) xa_flush_deferred();
  deferred_store = complete;
}

/** The deferred store or run, if any, is done now. */
export function xa_flush_deferred(): void {
  if (runs_waiting !== 0) {
    if (store_run.n !== 0) xa_run_flush(store_run);
    if (value_run.n !== 0) xa_run_flush(value_run);
  }
  const complete = deferred_store;
  if (complete === null) return;
  deferred_store = null;
  complete();
}

/**
 * The deferred store, in the leaf used last, and its replacement by a value
 * at once: xa_account(k, xa, index, 1, 0, nid) and then (k, xa, index, 0,
 * 1, nid), with the update callbacks they would have made (see above).
 */
export function xa_store_value_pair(k: Kernel, xa: XArray): void {
  deferred_store = null;
  const T = xa_nodes(k);
  const id = xa.last_node;
  if (xa.requeue !== null && T.count[id] === T.nr_values[id]) {
    // A values-only leaf: the entry makes it hold one, the value values-only again.
    T.count[id]++;
    T.nr_values[id]++;
    xa.nr++;
    xa.requeue(k, id);
    return;
  }
  // Otherwise each change, with the callback as xa_account makes it.
  T.count[id]++;
  xa.nr++;
  if (xa.update !== null && (T.count[id] === T.nr_values[id]) !== (T.listed[id] === 1)) xa.update(k, id);
  T.nr_values[id]++;
  if (xa.update !== null && (T.count[id] === T.nr_values[id]) !== (T.listed[id] === 1)) xa.update(k, id);
}

/** The radix_tree_node objects follow the shape (none before the slab allocator is up). */
function xa_resize(k: Kernel, xa: XArray): void {
  if (!k.slab.up) return;
  const need = xa.nodes_needed();
  if (need === xa.nodes) return;
  const cache = kmem_cache_lookup(k, "radix_tree_node");
  while (xa.nodes < need && kobj_alloc(k, cache, xa, GFP_KERNEL)) xa.nodes++;
  while (xa.nodes > need) {
    kobj_free_one(k, xa, cache);
    xa.nodes--;
  }
}

/** Whether leaf id holds values only (and is a node at all, not xa_head). */
export function xa_node_values_only(T: XaNodes, id: number): boolean {
  const c = T.count[id];
  return c > 0 && c === T.nr_values[id] && !T.array[id]!.head_only();
}

/** xa_delete_node: leaf id's values are erased and the node freed (its owner erases them). */
export function xa_delete_node(k: Kernel, id: number): void {
  xa_flush_deferred();
  const T = xa_nodes(k);
  const xa = T.array[id]!;
  const first = T.chunk[id] * XA_CHUNK_SIZE;
  xa.clear_values(k, first, first + XA_CHUNK_SIZE - 1);
  if (T.array[id] === xa && xa.leaves.get(T.chunk[id]) === id) BUG(`xa_delete_node: node ${id} kept entries`);
}

/**
 * Checks an xarray against its owner's entries (index -> is a value):
 * every leaf's count and nr_values, and no leaf without entries.
 */
export function xa_check(k: Kernel, xa: XArray, entries: Iterable<[number, boolean]>, what: string): void {
  xa_flush_deferred();
  const T = xa_nodes(k);
  const want = new Map<number, [number, number]>();
  let nr = 0;
  let zero = false;
  for (const [index, value] of entries) {
    const chunk = Math.floor(index / XA_CHUNK_SIZE);
    const c = want.get(chunk) ?? [0, 0];
    c[0]++;
    if (value) c[1]++;
    want.set(chunk, c);
    nr++;
    if (index === 0) zero = true;
  }
  if (nr !== xa.nr || zero !== xa.has_zero)
    BUG(`${what}: xarray counts ${xa.nr} entries, the owner has ${nr}`);
  if (want.size !== xa.leaves.size) BUG(`${what}: ${xa.leaves.size} leaf nodes for ${want.size} chunks`);
  for (const [chunk, [count, values]] of want) {
    const id = xa.leaves.get(chunk);
    if (id === undefined || T.array[id] !== xa) BUG(`${what}: chunk ${chunk} has no leaf node`);
    if (T.count[id] !== count || T.nr_values[id] !== values)
      BUG(`${what}: leaf ${chunk} counts ${T.count[id]}/${T.nr_values[id]}, holds ${count}/${values}`);
  }
  // (Fewer is possible: a node the slab allocator could not give is made up for at the next change.)
  if (xa.nodes > xa.nodes_needed())
    BUG(`${what}: holds ${xa.nodes} radix_tree_nodes, needs ${xa.nodes_needed()}`);
}
