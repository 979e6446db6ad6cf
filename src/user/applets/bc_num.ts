/*
 * bc_num.ts - the arbitrary-precision decimal numbers of bc and dc
 * (BusyBox miscutils/bc.c: BcNum, zbc_num_*). A number is a sign, an
 * unsigned integer mantissa and rdx, the count of its digits after the
 * point: 12.50 is { m: 1250n, rdx: 2 }. Every operation truncates (never
 * rounds) to the scale bc.c gives it:
 *
 *   a + b, a - b   exact, rdx = max(a.rdx, b.rdx) (a zero operand is
 *                  skipped: 0.00 + 1 is 1)
 *   a * b          rdx = min(a.rdx + b.rdx, max(scale, a.rdx, b.rdx))
 *   a / b          rdx = scale
 *   a % b          a - (a / b) * b, rdx = max(scale + b.rdx, a.rdx)
 *   a ^ n          integer n; rdx = min(a.rdx * n, max(scale, a.rdx))
 *   sqrt(a)        Newton's iteration, rdx = max(scale, a.rdx)
 *
 * bc.c keeps one decimal digit per byte; here the mantissa is a BigInt and
 * `len` (the digit count bc.c would hold: at least rdx, no leading zero
 * above the point) is derived, since bc_num_cmp's answer, which sqrt's loop
 * reads, counts digits.
 */

/** An error of bc/dc: the message after "bc: ", printed by the driver. */
export class BcError extends Error {}

export class BcNum {
  constructor(
    /** |value| * 10^rdx */
    public m = 0n,
    /** digits after the radix point */
    public rdx = 0,
    public neg = false,
  ) {}

  /** bc.c's len: the digits held, 0 for zero. */
  get len(): number {
    if (this.m === 0n) return 0;
    return Math.max(this.m.toString().length, this.rdx);
  }

  clone(): BcNum {
    return new BcNum(this.m, this.rdx, this.neg);
  }

  isOne(): boolean {
    return this.m === 1n && this.rdx === 0;
  }
}

const P10: bigint[] = [];
export function pow10(n: number): bigint {
  if (n < 64) {
    if (P10[n] === undefined) P10[n] = 10n ** BigInt(n);
    return P10[n]!;
  }
  return 10n ** BigInt(n);
}

/** A result with bc_num_clean's shape: zero loses its sign. */
function num(m: bigint, rdx: number, neg: boolean): BcNum {
  return new BcNum(m, rdx, m !== 0n && neg);
}

export function num_zero(rdx = 0): BcNum {
  return new BcNum(0n, rdx, false);
}

export function num_ulong2num(v: number | bigint): BcNum {
  return new BcNum(BigInt(v), 0, false);
}

/** The mantissa with rdx digits: extend (append zeros) or truncate. */
function rescale(n: BcNum, rdx: number): bigint {
  if (rdx >= n.rdx) return n.m * pow10(rdx - n.rdx);
  return n.m / pow10(n.rdx - rdx);
}

/** bc_num_truncate/extend then bc_num_clean, keeping the sign of a nonzero result. */
export function num_setscale(n: BcNum, rdx: number): BcNum {
  return num(rescale(n, rdx), rdx, n.neg);
}

/** bc_num_cmp, with its digit-position magnitudes (sqrt's loop reads them). */
export function num_cmp(a: BcNum, b: BcNum): number {
  if (a === b) return 0;
  const alen = a.len;
  const blen = b.len;
  if (alen === 0) return blen === 0 ? 0 : b.neg ? 1 : -1;
  if (blen === 0) return a.neg ? -1 : 1;
  if (a.neg !== b.neg) return (b.neg ? 1 : 0) - (a.neg ? 1 : 0);
  let neg = a.neg;
  const aint = alen - a.rdx;
  const bint = blen - b.rdx;
  if (aint !== bint) return neg ? bint - aint : aint - bint;
  const ad = digits(a, alen);
  const bd = digits(b, blen);
  let maxd: number[];
  let mind: number[];
  let min: number;
  let diff: number;
  if (a.rdx > b.rdx) {
    min = b.rdx;
    diff = a.rdx - b.rdx;
    maxd = ad;
    mind = bd;
  } else {
    min = a.rdx;
    diff = b.rdx - a.rdx;
    maxd = bd;
    mind = ad;
    neg = !neg;
  }
  for (let i = bint + min; i > 0; i--) {
    const c = maxd[diff + i - 1]! - mind[i - 1]!;
    if (c !== 0) return c < 0 !== neg ? -i : i;
  }
  for (let i = diff - 1; i >= 0; i--) if (maxd[i]) return neg ? -1 : 1;
  return 0;
}

/** The len digits, least significant first. */
function digits(n: BcNum, len: number): number[] {
  const s = n.m.toString();
  const d = new Array<number>(len).fill(0);
  for (let i = 0; i < s.length; i++) d[i] = s.charCodeAt(s.length - 1 - i) - 48;
  return d;
}

/** zbc_num_add/zbc_num_sub (sub = b's sign flipped). */
export function num_add(a: BcNum, b: BcNum, sub = false): BcNum {
  const bneg = sub ? !b.neg : b.neg;
  if (a.m === 0n) return new BcNum(b.m, b.rdx, b.m !== 0n && bneg);
  if (b.m === 0n) return a.clone();
  const rdx = Math.max(a.rdx, b.rdx);
  const x = rescale(a, rdx) * (a.neg ? -1n : 1n) + rescale(b, rdx) * (bneg ? -1n : 1n);
  return num(x < 0n ? -x : x, rdx, x < 0n);
}

export function num_sub(a: BcNum, b: BcNum): BcNum {
  return num_add(a, b, true);
}

/** zbc_num_m: the product truncated to min(a.rdx + b.rdx, max(scale, a.rdx, b.rdx)). */
export function num_mul(a: BcNum, b: BcNum, scale: number): BcNum {
  scale = Math.min(a.rdx + b.rdx, Math.max(scale, a.rdx, b.rdx));
  const p = (a.m * b.m) / pow10(a.rdx + b.rdx - scale);
  return num(p, scale, a.neg !== b.neg);
}

/** zbc_num_d: the quotient truncated to scale digits. */
export function num_div(a: BcNum, b: BcNum, scale: number): BcNum {
  if (b.m === 0n) throw new BcError("divide by zero");
  if (a.m === 0n) return num_zero(scale);
  // a/b * 10^scale = a.m * 10^(scale + b.rdx) / (b.m * 10^a.rdx)
  const e = scale + b.rdx - a.rdx;
  const q = e >= 0 ? (a.m * pow10(e)) / b.m : a.m / (b.m * pow10(-e));
  return num(q, scale, a.neg !== b.neg);
}

/** zbc_num_r: quotient at scale and remainder at ts digits. */
function num_r(a: BcNum, b: BcNum, scale: number, ts: number): [BcNum, BcNum] {
  if (b.m === 0n) throw new BcError("divide by zero");
  if (a.m === 0n) return [num_zero(), num_zero(ts)];
  const c = num_div(a, b, scale);
  const temp = num_mul(c, b, scale !== 0 ? ts : 0);
  const d = num_sub(a, temp);
  const r = new BcNum(rescale(d, ts), ts, d.neg);
  return [c, r];
}

/** zbc_num_rem: a % b. */
export function num_mod(a: BcNum, b: BcNum, scale: number): BcNum {
  const ts = Math.max(scale + b.rdx, a.rdx);
  return num_r(a, b, scale, ts)[1];
}

/** zbc_num_divmod (dc's ~): quotient and remainder. */
export function num_divmod(a: BcNum, b: BcNum, scale: number): [BcNum, BcNum] {
  const ts = Math.max(scale + b.rdx, a.rdx);
  return num_r(a, b, scale, ts);
}

const ULONG_MAX = (1n << 64n) - 1n;

/** zbc_num_ulong_abs: the integer part as an unsigned long, "overflow" past 64 bits. */
export function num_ulong_abs(n: BcNum): bigint {
  const int = n.m / pow10(n.rdx);
  if (int > ULONG_MAX) throw new BcError("overflow");
  return int;
}

/** zbc_num_ulong: as num_ulong_abs, "negative number" below zero. */
export function num_ulong(n: BcNum): bigint {
  if (n.neg) throw new BcError("negative number");
  return num_ulong_abs(n);
}

/** zbc_num_p: a ^ b for an integer b. */
export function num_pow(a: BcNum, b: BcNum, scale: number): BcNum {
  if (b.m % pow10(b.rdx) !== 0n) throw new BcError("not an integer");
  if (b.m === 0n) return new BcNum(1n, 0, false);
  if (a.m === 0n) return num_zero(scale);
  if (b.m === pow10(b.rdx) && b.rdx === 0) return b.neg ? num_div(new BcNum(1n), a, scale) : a.clone();
  const neg = b.neg;
  let pow = num_ulong_abs(b);
  if (!neg) {
    if (a.rdx > scale) scale = a.rdx;
    if (BigInt(a.rdx) * pow < BigInt(scale)) scale = a.rdx * Number(pow);
  }
  let copy = a.clone();
  let powrdx = a.rdx;
  for (; !(pow & 1n); pow >>= 1n) {
    powrdx <<= 1;
    copy = num_mul(copy, copy, powrdx);
  }
  let c = copy.clone();
  let resrdx = powrdx;
  for (pow >>= 1n; pow !== 0n; pow >>= 1n) {
    powrdx <<= 1;
    copy = num_mul(copy, copy, powrdx);
    if (pow & 1n) {
      resrdx += powrdx;
      c = num_mul(c, copy, resrdx);
    }
  }
  if (neg) c = num_div(new BcNum(1n), c, scale);
  if (c.rdx > scale) c = new BcNum(c.m / pow10(c.rdx - scale), scale, c.neg);
  if (c.m === 0n) return num_zero(scale);
  return c;
}

/** zbc_num_sqrt: Newton's iteration until the digits stop moving. */
export function num_sqrt(a: BcNum, scale: number): BcNum {
  // bc.c sizes the result from the integer digits, len - rdx, before it
  // looks for zero: for a zero that kept a scale of 2 or more that is
  // (SIZE_MAX - rdx + 2) / 2, some 2^63 bytes
  if (a.m === 0n && a.rdx >= 2) throw new BcError("out of memory");
  if (a.m === 0n) return num_zero(scale);
  if (a.neg) throw new BcError("negative number");
  if (a.isOne()) return new BcNum(pow10(scale), scale, false);
  scale = Math.max(scale, a.rdx) + 1;
  const half = new BcNum(5n, 1, false);
  let pow = a.len - a.rdx;
  let x0 = new BcNum(1n);
  if (pow) {
    const d = pow & 1 ? 2n : 6n;
    pow -= 2 - (pow & 1);
    x0 = new BcNum(d * pow10(pow), 0, false);
  }
  let digs = 0;
  let digs1 = 0;
  let resrdx = scale + 2;
  const len = x0.len - x0.rdx + resrdx - 1;
  let cmp = 1;
  let cmp1 = Number.MAX_SAFE_INTEGER;
  let cmp2 = Number.MAX_SAFE_INTEGER;
  let times = 0;
  while (cmp !== 0 || digs < len) {
    const f = num_div(a, x0, resrdx);
    const fprime = num_add(x0, f);
    const x1 = num_mul(fprime, half, resrdx);
    cmp = num_cmp(x1, x0);
    digs = x1.len - Math.abs(cmp);
    if (cmp === cmp2 && digs === digs1) times += 1;
    else times = 0;
    if (times > 4) resrdx += 1;
    cmp2 = cmp1;
    cmp1 = cmp;
    digs1 = digs;
    x0 = x1;
  }
  scale -= 1;
  if (x0.rdx > scale) x0 = new BcNum(x0.m / pow10(x0.rdx - scale), scale, x0.neg);
  return x0;
}

/** zdc_num_modexp: dc's | (a ^ b mod c, integers). */
export function num_modexp(a: BcNum, b: BcNum, c: BcNum): BcNum {
  if (c.m === 0n) throw new BcError("divide by zero");
  if (a.rdx || b.rdx || c.rdx) throw new BcError("not an integer");
  if (b.neg) throw new BcError("negative number");
  let d = new BcNum(1n);
  let base = num_mod(a, c, 0);
  let exp = b.m;
  while (exp !== 0n) {
    const bit = exp & 1n;
    exp >>= 1n;
    if (bit) d = num_mod(num_mul(d, base, 0), c, 0);
    base = num_mod(num_mul(base, base, 0), c, 0);
  }
  return d;
}

/* ---- parsing (zxc_num_parse) ---- */

/** xc_num_strValid: digits 0-9 A-Z and one point. */
function strValid(val: string): boolean {
  let radix = false;
  for (const c of val) {
    if (c === ".") {
      if (radix) return false;
      radix = true;
      continue;
    }
    if ((c < "0" || c > "9") && (c < "A" || c > "Z")) return false;
  }
  return true;
}

/**
 * zxc_num_parse. "A single digit has its value whatever ibase is (A = 10);
 * in a longer number a digit >= ibase counts as ibase-1" (bc's manual);
 * in base 10 every letter counts as 9.
 */
export function num_parse(val: string, base: number): BcNum {
  if (!strValid(val)) throw new BcError("bad number string");
  val = val.replace(/^0+/, "");
  if (/^[.0]*$/.test(val)) return num_zero();
  if (base === 10 || val.length === 1) return parseDecimal(val);
  return parseBase(val, base);
}

function parseDecimal(val: string): BcNum {
  const dot = val.indexOf(".");
  const rdx = dot < 0 ? 0 : val.length - dot - 1;
  if (val.length === 1) {
    const c = val.charCodeAt(0);
    return new BcNum(BigInt(c <= 57 ? c - 48 : c - 55), 0, false);
  }
  let s = "";
  for (const c of val) if (c !== ".") s += c > "9" ? "9" : c;
  return new BcNum(BigInt(s), rdx, false);
}

function parseBase(val: string, base: number): BcNum {
  const digit = (c: string): bigint => {
    const code = c.charCodeAt(0);
    const v = code <= 57 ? code - 48 : code - 55;
    return BigInt(Math.min(v, base - 1));
  };
  const b = BigInt(base);
  const dot = val.indexOf(".");
  const ipart = dot < 0 ? val : val.slice(0, dot);
  let n = 0n;
  for (const c of ipart) n = n * b + digit(c);
  if (dot < 0) return new BcNum(n);
  const fpart = val.slice(dot + 1);
  let result = 0n;
  let mult = 1n;
  for (const c of fpart) {
    result = result * b + digit(c);
    mult *= b;
  }
  const digits = fpart.length;
  const frac = num_div(new BcNum(result), new BcNum(mult), digits);
  const sum = num_add(new BcNum(n), frac);
  if (sum.m === 0n) return num_zero();
  return sum.rdx < digits ? new BcNum(rescale(sum, digits), digits, false) : sum;
}
