/*
 * awk_value.ts - awk's variables and values (BusyBox editors/awk.c's
 * var_s and xhash): the cell of a variable, the value kinds, a string
 * from input that may read as a number (VF_USER), and arrays that walk in
 * BusyBox's hash order. Conversions that need CONVFMT are in
 * awk_interp.ts; the tree that refers to cells is in awk_parse.ts.
 */

/** A variable: a scalar value and/or an array (awk's var_s). */
export interface Cell {
  v: Val;
  a: AwkArray | null;
  /** A parameter that was passed an untyped variable: becoming an array makes the caller's one. */
  parent?: Cell;
  /** Which special variable (NF, FS, $0...) it is, when assigning it has side effects. */
  special?: string;
}

/** A value: a number, a string, a string from input that may read as a number, or uninitialized. */
export type Val = number | string | StrNum | undefined;

/** A string that came from input (a field, getline, ARGV, -v): numeric if it all reads as a number. */
export class StrNum {
  private num: number | null = null;
  private numeric = false;
  constructor(readonly s: string) {}
  private parse(): void {
    if (this.num !== null) return;
    const m =
      /^[ \t\n\r\f\v]*([-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?|nan))/i.exec(
        this.s,
      );
    if (!m) {
      // strtod converts nothing; what is left after blanks decides ("" is a string, " " a number)
      this.num = 0;
      this.numeric = this.s !== "" && /^[ \t\n\r\f\v]*$/.test(this.s);
      return;
    }
    this.num = strtod_prefix(this.s);
    this.numeric = /^[ \t\n\r\f\v]*$/.test(this.s.slice(m[0].length));
  }
  get n(): number {
    this.parse();
    return this.num!;
  }
  get isNum(): boolean {
    this.parse();
    return this.numeric;
  }
}

/** my_strtod: the number at the start of s (0 when none); hex as an integer, as BusyBox reads it. */
export function strtod_prefix(s: string): number {
  // A leading 0 may start an octal integer (strtoull base 0), unless a digit or "." follows it.
  const oct = /^0[0-7]*(?![0-9.xX])/.exec(s);
  if (oct) return Number.parseInt(oct[0], 8);
  const m =
    /^[ \t\n\r\f\v]*([-+]?)(?:(0[xX][0-9a-fA-F]+)|((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(inf(?:inity)?)|(nan))/i.exec(
      s,
    );
  if (!m) return 0;
  const sign = m[1] === "-" ? -1 : 1;
  if (m[2]) return sign * Number.parseInt(m[2].slice(2), 16);
  if (m[3]) return sign * Number(m[3]);
  if (m[4]) return sign * Infinity;
  return Number.NaN;
}

/*
 * BusyBox's xhash: a for-in walks the buckets in order and each bucket's
 * chain newest first, so the order of a for-in is the one real BusyBox
 * prints. The table starts at 61 buckets and grows through PRIMES when it
 * averages more than 10 items a bucket (re-linking reverses each chain).
 */
const FIRST_PRIME = 61;
const PRIMES = [251, 1021, 4093, 16381, 65521];

function hashidx(name: string): number {
  let idx = 0;
  for (const b of new TextEncoder().encode(name)) idx = (b + ((idx << 6) >>> 0) - idx) >>> 0;
  return idx;
}

export class AwkArray {
  readonly map = new Map<string, Val>();
  private buckets: string[][] = Array.from({ length: FIRST_PRIME }, () => []);
  private nprime = 0;

  get size(): number {
    return this.map.size;
  }
  has(k: string): boolean {
    return this.map.has(k);
  }
  get(k: string): Val {
    return this.map.get(k);
  }
  /** hash_find: the element, created (uninitialized) when missing. */
  set(k: string, v: Val): void {
    if (!this.map.has(k)) {
      if (Math.floor((this.map.size + 1) / this.buckets.length) > 10) this.rebuild();
      this.buckets[hashidx(k) % this.buckets.length].unshift(k);
    }
    this.map.set(k, v);
  }
  delete(k: string): void {
    if (!this.map.delete(k)) return;
    const b = this.buckets[hashidx(k) % this.buckets.length];
    b.splice(b.indexOf(k), 1);
  }
  clear(): void {
    this.map.clear();
    for (const b of this.buckets) b.length = 0;
  }
  /** hashwalk_init: the keys in BusyBox's walking order. */
  keys(): string[] {
    return this.buckets.flat();
  }
  private rebuild(): void {
    if (this.nprime === PRIMES.length) return;
    const size = PRIMES[this.nprime++];
    const nb: string[][] = Array.from({ length: size }, () => []);
    for (const b of this.buckets) for (const k of b) nb[hashidx(k) % size].unshift(k);
    this.buckets = nb;
  }
}
