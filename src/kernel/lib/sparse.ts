/*
 * sparse.ts - a sparse array of numbers keyed by large integers (pfns, swap
 * entries), in typed-array chunks made on first use: the xarray's role for
 * the swap cache, without a hash lookup per page. A key absent reads as -1;
 * values must be >= 0.
 *
 * Keys below 2^31 (every pfn, and the slots of swap area 0) find their
 * chunk by index in a plain array; larger keys (the other swap areas, whose
 * entries carry the type above bit 40) go through a Map. entries() visits
 * the chunks in the order they were made.
 */

const SHIFT = 12;
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;
/** Keys below this are looked up by array index. */
const SMALL = 2 ** 31;

export class SparseArray {
  /**
   * Chunks of the small keys, by key >>> SHIFT (undefined: not made yet).
   * It starts with an element so that it never changes elements kind: an
   * empty literal starts as small integers and moves to objects at its first
   * chunk, and its allocation site remembers that, so the arrays of the next
   * machine in the same process had other maps and deoptimized the lookups.
   */
  private low: (Float64Array | undefined)[] = [undefined];
  /** Chunks of the large keys, by Math.floor(key / SIZE). */
  private high = new Map<number, Float64Array>();
  /** Every chunk's number, in the order the chunks were made. */
  private order: number[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  private chunk(key: number): Float64Array | undefined {
    if (key >= SMALL) return this.high.get(Math.floor(key / SIZE));
    // (No read past the end: a first one deoptimizes code that never saw one.)
    const ci = key >>> SHIFT;
    return ci < this.low.length ? this.low[ci] : undefined;
  }

  get(key: number): number {
    const c = this.chunk(key);
    return c === undefined ? -1 : c[key < SMALL ? key & MASK : key % SIZE] - 1;
  }

  set(key: number, value: number): void {
    let c = this.chunk(key);
    if (c === undefined) {
      c = new Float64Array(SIZE);
      const ci = Math.floor(key / SIZE);
      if (key < SMALL) {
        // A packed array (no holes) keeps the lookups on the fast path.
        while (this.low.length < ci) this.low.push(undefined);
        this.low[ci] = c;
      } else this.high.set(ci, c);
      this.order.push(ci);
    }
    const i = key < SMALL ? key & MASK : key % SIZE;
    if (c[i] === 0) this.n++;
    c[i] = value + 1;
  }

  /** Removes key and returns its value (-1: it was not there): get and delete in one lookup. */
  take(key: number): number {
    const c = this.chunk(key);
    if (c === undefined) return -1;
    const i = key < SMALL ? key & MASK : key % SIZE;
    const v = c[i];
    if (v === 0) return -1;
    c[i] = 0;
    this.n--;
    return v - 1;
  }

  /** Removes key; true if it was there. */
  delete(key: number): boolean {
    const c = this.chunk(key);
    if (c === undefined) return false;
    const i = key < SMALL ? key & MASK : key % SIZE;
    if (c[i] === 0) return false;
    c[i] = 0;
    this.n--;
    return true;
  }

  /** [key, value] pairs in key order within each chunk, the chunks in the order they were made. */
  *entries(): Generator<[number, number]> {
    for (const ci of this.order) {
      const c = ci * SIZE < SMALL ? this.low[ci]! : this.high.get(ci)!;
      for (let i = 0; i < SIZE; i++) if (c[i] !== 0) yield [ci * SIZE + i, c[i] - 1];
    }
  }
}
