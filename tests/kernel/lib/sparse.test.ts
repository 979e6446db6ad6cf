/*
 * lib/sparse.ts: a sparse array of numbers keyed by pfns and swap entries
 * (keys past 2^31 through its Map), -1 for a key absent.
 */

import { describe, expect, it } from "vitest";
import { SparseArray } from "../../../src/kernel/lib/sparse.js";

describe("SparseArray", () => {
  it.each([
    ["a small key", 5],
    ["a key past 2^31 (swap area 1)", 2 ** 40 + 7],
  ])("%s: set, get, take, delete", (_what, key) => {
    const a = new SparseArray();
    expect(a.get(key)).toBe(-1);
    a.set(key, 0);
    a.set(key + 1, 42);
    expect([a.get(key), a.get(key + 1), a.size]).toEqual([0, 42, 2]);
    expect(a.take(key + 1)).toBe(42);
    expect([a.get(key + 1), a.take(key + 1), a.size]).toEqual([-1, -1, 1]);
    expect(a.delete(key)).toBe(true);
    expect([a.delete(key), a.size, [...a.entries()]]).toEqual([false, 0, []]);
  });

  it("lists its entries by chunk, in the order the chunks were made", () => {
    const a = new SparseArray();
    for (const [k, v] of [
      [9000, 1],
      [3, 2],
      [9001, 3],
    ])
      a.set(k, v);
    expect([...a.entries()]).toEqual([
      [9000, 1],
      [9001, 3],
      [3, 2],
    ]);
  });
});
