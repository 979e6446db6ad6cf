/*
 * The xarray's shape (lib/xarray.ts): how many xa_nodes a set of indices
 * needs, as the file comment's table says, and the update callback keeping
 * a values-only leaf on shadow_nodes, except when the array fits in xa_head;
 * a deferred store (reclaim's, in the swap cache) changes nothing anyone sees.
 */

import { describe, expect, it } from "vitest";
import {
  XArray,
  xa_account,
  xa_defer_store,
  xa_nodes,
  xa_store_deferrable,
  xa_store_value_pair,
} from "../../../src/kernel/lib/xarray.js";
import { WORKINGSET_NODES } from "../../../src/kernel/mm/mmzone.js";
import { workingset_requeue_node, workingset_update_node } from "../../../src/kernel/mm/workingset.js";
import { booted } from "../../helpers/machine.js";

const k = booted().k;
const nodes = (indices: number[]): number => {
  const xa = new XArray(null, () => {});
  for (const i of indices) xa_account(k, xa, i, 1, 0, 0);
  return xa.nodes;
};

describe("the xarray's shape", () => {
  it.each([
    ["index 0 alone (xa_head)", [0], 0],
    ["index 5 alone", [5], 1],
    ["entries 0..63", Array.from({ length: 64 }, (_, i) => i), 1],
    ["entries 0..64", Array.from({ length: 65 }, (_, i) => i), 3],
    ["entries 0 and 5000", [0, 5000], 5],
    ["entry 5000 alone", [5000], 3],
    ["entries 0 and 2^18", [0, 2 ** 18], 7],
  ])("%s: %i nodes", (_what, indices, n) => {
    expect(nodes(indices)).toBe(n);
  });

  it("shrinks back as entries go, down to xa_head", () => {
    const xa = new XArray(null, () => {});
    for (const i of [0, 5000]) xa_account(k, xa, i, 1, 0, 0);
    xa_account(k, xa, 5000, -1, 0, 0);
    expect(xa.nodes).toBe(0);
  });
});

describe("the update callback", () => {
  it("lists a leaf of values only, unless the array is back in xa_head", () => {
    const stat = k.nodes[0].vm_stat;
    const xa = new XArray(workingset_update_node, () => {});
    const before = stat[WORKINGSET_NODES];
    xa_account(k, xa, 0, 1, 0, 0);
    xa_account(k, xa, 5, 1, 0, 0);
    xa_account(k, xa, 0, 0, 1, 0); // page 0 evicted: its shadow
    expect(stat[WORKINGSET_NODES]).toBe(before);
    xa_account(k, xa, 5, 0, 1, 0); // page 5 too: shadows only
    expect(stat[WORKINGSET_NODES]).toBe(before + 1);
    xa_account(k, xa, 5, -1, -1, 0); // shadow 5 erased: index 0 alone, in xa_head
    expect(stat[WORKINGSET_NODES]).toBe(before);
    expect(xa.nodes).toBe(0);
    xa_account(k, xa, 0, -1, -1, 0);
  });
});

describe("a deferred store", () => {
  /** Pages 2 and 3 stored and replaced by shadows, 4 stored, then 5: deferred or not; the leaf, list and count after. */
  const run = (defer: boolean): number[] => {
    const stat = k.nodes[0].vm_stat;
    const T = xa_nodes(k);
    const xa = new XArray(workingset_update_node, () => {}, defer ? workingset_requeue_node : null);
    const before = stat[WORKINGSET_NODES];
    xa_account(k, xa, 1, 1, 0, 0);
    xa_account(k, xa, 1, 0, 1, 0); // a leaf of shadows only
    for (const i of [2, 3]) {
      if (defer) {
        expect(xa_store_deferrable(xa, i)).toBe(true);
        xa_defer_store(() => xa_account(k, xa, i, 1, 0, 0));
        xa_store_value_pair(k, xa);
      } else {
        xa_account(k, xa, i, 1, 0, 0);
        xa_account(k, xa, i, 0, 1, 0);
      }
    }
    // Deferred, then completed by the next change.
    if (defer) xa_defer_store(() => xa_account(k, xa, 4, 1, 0, 0));
    else xa_account(k, xa, 4, 1, 0, 0);
    xa_account(k, xa, 5, 1, 0, 0);
    const id = xa.last_node;
    const after = [T.count[id], T.nr_values[id], T.listed[id], xa.nr, stat[WORKINGSET_NODES] - before];
    for (const i of [1, 2, 3]) xa_account(k, xa, i, -1, -1, 0);
    for (const i of [4, 5]) xa_account(k, xa, i, -1, 0, 0);
    return after;
  };

  it("and its replacement by a value leave what the two stores leave", () => {
    expect(run(false)).toEqual([5, 3, 0, 5, 0]);
    expect(run(true)).toEqual(run(false));
  });
});
