/*
 * factor.ts - factor (coreutils/factor.c): "N: p1 p2 ..." with the prime
 * factors of each NUMBER in ascending order (none for 0 and 1), or of the
 * whitespace-separated numbers on stdin's lines when none is given. A
 * number is unsigned and decimal (bb_strtoull: up to 2^64-1, one leading
 * '+' allowed, leading blanks on an argument too); anything else prints the
 * usage and exits 1, after what came before it was printed.
 *
 * BusyBox divides by a wheel of trial factors up to the square root; the
 * factors are the same whatever finds them, so this uses trial division
 * by small primes and then Miller-Rabin with Pollard's rho (Brent), which
 * stays quick for 64-bit semiprimes that would take seconds of division.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_show_usage } from "../libc/libbb.js";
import { latin1 } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `factor [NUMBER]...

Print prime factors`;

const mulmod = (a: bigint, b: bigint, m: bigint): bigint => (a * b) % m;

function powmod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
  }
  return r;
}

/** Miller-Rabin with the bases that decide every n < 3.3e24. */
function is_prime(n: bigint): boolean {
  if (n < 2n) return false;
  const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];
  for (const p of bases) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let s = 0;
  while (!(d & 1n)) {
    d >>= 1n;
    s++;
  }
  next: for (const a of bases) {
    let x = powmod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = mulmod(x, x, n);
      if (x === n - 1n) continue next;
    }
    return false;
  }
  return true;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/** Pollard's rho (Brent's cycle finding): a nontrivial factor of the odd composite n. */
function rho(n: bigint): bigint {
  for (let c = 1n; ; c++) {
    const f = (x: bigint): bigint => (x * x + c) % n;
    let y = 2n;
    let r = 1;
    let q = 1n;
    let g = 1n;
    let x = y;
    let ys = y;
    do {
      x = y;
      for (let i = 0; i < r; i++) y = f(y);
      for (let k = 0; k < r && g === 1n; k += 128) {
        ys = y;
        for (let i = 0; i < Math.min(128, r - k); i++) {
          y = f(y);
          q = mulmod(q, x > y ? x - y : y - x, n);
        }
        g = gcd(q, n);
      }
      r *= 2;
    } while (g === 1n);
    if (g === n) {
      do {
        ys = f(ys);
        g = gcd(x > ys ? x - ys : ys - x, n);
      } while (g === 1n);
    }
    if (g !== n) return g;
  }
}

/** The prime factors of n, ascending. */
export function factorize(n: bigint): bigint[] {
  const out: bigint[] = [];
  if (n < 4n) return n > 1n ? [n] : [];
  for (const p of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n]) {
    while (n % p === 0n) {
      out.push(p);
      n /= p;
    }
  }
  const stack = n > 1n ? [n] : [];
  while (stack.length) {
    const m = stack.pop()!;
    if (is_prime(m)) out.push(m);
    else {
      const d = rho(m);
      stack.push(d, m / d);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** bb_strtoull(s, NULL, 10) after one '+': the number, or null (errno set). */
function parse(numstr: string): bigint | null {
  const s = numstr[0] === "+" ? numstr.slice(1) : numstr;
  if (!/^[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v > 0xffffffffffffffffn ? null : v;
}

function* factor_main(argv: string[]): UserGen<number> {
  const out = yield* Writer.open(1);
  const one = function* (numstr: string): UserGen<boolean> {
    const n = parse(numstr);
    if (n === null) {
      yield* out.flush();
      yield* bb_show_usage(USAGE);
      return false;
    }
    yield* out.puts(
      `${n}:${factorize(n)
        .map((p) => ` ${p}`)
        .join("")}\n`,
    );
    return true;
  };
  if (argv.length > 1) {
    for (const a of argv.slice(1)) if (!(yield* one(a.replace(/^[ \t\n\v\f\r]+/, "")))) return 1;
  } else {
    const r = new Reader(0);
    // xmalloc_fgetline: lines end at "\n" or a NUL
    for (let l = yield* r.getchunkBytes(); l !== null; l = yield* r.getchunkBytes()) {
      const text = latin1(l.subarray(0, l.length - (l.at(-1) === 10 || l.at(-1) === 0 ? 1 : 0)));
      for (const tok of text.split(/[ \t\n\v\f\r]+/)) if (tok && !(yield* one(tok))) return 1;
    }
  }
  yield* out.flush();
  return 0;
}

export const factor: Applet = { name: "factor", dir: "/usr/bin", usage: USAGE, main: factor_main };
