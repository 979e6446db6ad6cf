/*
 * sparse.ts - a sparse array of numbers keyed by large integers (pfns, swap
 * entries), in typed-array chunks made on first use: the xarray's role for
 * the swap cache, without a hash lookup per page. A key absent reads as -1;
 * values must be >= 0.
 */

const SHIFT = 12;
const SIZE = 1 << SHIFT;

export class SparseArray {
  private chunks = new Map<number, Float64Array>();
  private n = 0;

  get size(): number {
    return this.n;
  }

  get(key: number): number {
    const c = this.chunks.get(Math.floor(key / SIZE));
    return c ? c[key % SIZE] - 1 : -1;
  }

  set(key: number, value: number): void {
    const ci = Math.floor(key / SIZE);
    let c = this.chunks.get(ci);
    if (!c) {
      c = new Float64Array(SIZE);
      this.chunks.set(ci, c);
    }
    const i = key % SIZE;
    if (c[i] === 0) this.n++;
    c[i] = value + 1;
  }

  /** Removes key; true if it was there. */
  delete(key: number): boolean {
    const c = this.chunks.get(Math.floor(key / SIZE));
    if (!c) return false;
    const i = key % SIZE;
    if (c[i] === 0) return false;
    c[i] = 0;
    this.n--;
    return true;
  }

  /** [key, value] pairs in key order within each chunk. */
  *entries(): Generator<[number, number]> {
    for (const [ci, c] of this.chunks)
      for (let i = 0; i < SIZE; i++) if (c[i] !== 0) yield [ci * SIZE + i, c[i] - 1];
  }
}
