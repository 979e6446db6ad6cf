/*
 * radix_tree.ts - the memory of the page cache's index (Linux
 * lib/radix-tree.c radix_tree_node_cachep, lib/xarray.c): which xa_nodes a
 * mapping's i_pages needs, each a radix_tree_node slab object.
 *
 * An xarray node has 64 slots. A node at level 1 holds 64 pages; a node at
 * level l covers 64^l indices. A mapping whose only page is index 0 keeps
 * it in xa_head and needs no node; otherwise its tree is as tall as its
 * highest index needs, and holds one node for every group of indices at
 * every level that has a page below it:
 *
 *   pages 0..63          1 node           pages 0 and 5000   2 + 1 = 3 nodes
 *   pages 0..64          2 + 1 = 3 nodes  (leaf groups 0 and 78, their parents
 *                                          0 and 1, and the root)
 *
 * The index itself stays a Map in filemap.ts; this file only keeps counts
 * per level, so that the node objects follow insertions and deletions.
 */

import type { Kernel } from "../kernel.js";
import { GFP_KERNEL } from "../mm/gfp.js";
import { kmem_cache_lookup } from "../mm/kmem_caches.js";
import { kobj_alloc, kobj_free_one } from "../mm/kobj.js";

const XA_CHUNK_SHIFT = 6;
const MAX_LEVELS = 6; // 2^36 pages: any file the simulation can hold

interface XaCounts {
  levels: Map<number, number>[]; // levels[l-1]: group (index >> 6l) -> pages below it
  nodes: number; // radix_tree_node objects held
  nr: number; // pages in the tree
  has_zero: boolean;
}

const trees = new WeakMap<object, XaCounts>();

/** Nodes the tree needs now (see the file comment). */
function nodes_needed(t: XaCounts): number {
  if (t.nr === 0 || (t.nr === 1 && t.has_zero)) return 0;
  let top = 0; // the highest level with a group other than 0
  for (let l = 1; l <= MAX_LEVELS; l++) {
    const m = t.levels[l - 1];
    if (m.size > 1 || (m.size === 1 && !m.has(0))) top = l;
  }
  let n = 0;
  for (let l = 1; l <= top + 1 && l <= MAX_LEVELS; l++) n += t.levels[l - 1].size;
  return n;
}

/** A page was added to (+1) or removed from (-1) the mapping `owner` at index. */
export function xa_node_account(k: Kernel, owner: object, index: number, delta: 1 | -1): void {
  if (!k.slab.up) return;
  let t = trees.get(owner);
  if (!t) {
    t = { levels: Array.from({ length: MAX_LEVELS }, () => new Map()), nodes: 0, nr: 0, has_zero: false };
    trees.set(owner, t);
  }
  t.nr += delta;
  if (index === 0) t.has_zero = delta > 0;
  let g = index;
  for (let l = 0; l < MAX_LEVELS; l++) {
    g = Math.floor(g / 2 ** XA_CHUNK_SHIFT);
    const m = t.levels[l];
    const c = (m.get(g) ?? 0) + delta;
    if (c) m.set(g, c);
    else m.delete(g);
  }
  const need = nodes_needed(t);
  if (need === t.nodes) return;
  const cache = kmem_cache_lookup(k, "radix_tree_node");
  while (t.nodes < need && kobj_alloc(k, cache, owner, GFP_KERNEL)) t.nodes++;
  while (t.nodes > need) {
    kobj_free_one(k, owner, cache);
    t.nodes--;
  }
}
