/*
 * The xarray's shape (lib/xarray.ts): how many xa_nodes a set of indices
 * needs, as the file comment's table says, and the update callback keeping
 * a values-only leaf on shadow_nodes, except when the array fits in xa_head.
 */

import { describe, expect, it } from "vitest";
import { XArray, xa_account } from "../../../src/kernel/lib/xarray.js";
import { WORKINGSET_NODES } from "../../../src/kernel/mm/mmzone.js";
import { workingset_update_node } from "../../../src/kernel/mm/workingset.js";
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
