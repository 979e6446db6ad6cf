/*
 * rand.ts - glibc's srand() and rand() (stdlib/random_r.c, TYPE_3): an
 * additive feedback generator over 34 words, r[i] = r[i-31] + r[i-3] mod
 * 2^32, seeded by the "minimal standard" LCG (16807 x mod 2^31-1) and
 * run 310 steps before the first value; rand() is the word shifted right
 * by one (0..RAND_MAX). Programs seed it from the simulated clock, so the
 * sequence follows the machine's state, never the host's.
 */

export const RAND_MAX = 2147483647;

export class GlibcRand {
  private r: number[] = [];
  private i = 0;

  constructor(seed: number) {
    this.srand(seed);
  }

  srand(seed: number): void {
    seed >>>= 0;
    if (seed === 0) seed = 1;
    const r = new Array<number>(34);
    // the seed as a signed int32, then word = 16807 * word % 2147483647 (Schrage's method, kept signed)
    r[0] = seed | 0;
    for (let i = 1; i < 31; i++) {
      const hi = Math.trunc(r[i - 1] / 127773);
      const lo = r[i - 1] % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    for (let i = 31; i < 34; i++) r[i] = r[i - 31];
    this.r = r;
    this.i = 34;
    for (let k = 0; k < 310; k++) this.step();
  }

  private step(): number {
    const r = this.r;
    const v = (r[(this.i - 31) % 34] + r[(this.i - 3) % 34]) | 0;
    r[this.i % 34] = v;
    this.i++;
    return v >>> 1;
  }

  rand(): number {
    return this.step();
  }
}
