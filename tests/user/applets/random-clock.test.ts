/*
 * random-clock.test.ts - the new text applets whose output follows the
 * machine rather than their arguments: cal without arguments shows the
 * month of the simulated clock, shuf draws from glibc's rand() seeded with
 * the simulated monotonic clock (so the same script shuffles the same
 * way on every run, and the lines are all there). Their fixed-argument
 * behaviour is in golden/cal-shuf, recorded from the host's BusyBox.
 */

import { describe, expect, it } from "vitest";
import { GlibcRand } from "../../../src/user/libc/rand.js";
import { sh } from "../../helpers/machine.js";

describe("cal and shuf on the simulated clock", () => {
  it("cal without arguments is the month date(1) shows", () => {
    const out = sh([
      "cal > now; cal $(date +%m) $(date +%Y) > named; cmp now named && echo same; tail -n +3 now | wc -l",
    ]);
    expect(out.output).toBe("same\n6\n");
  });

  it("cal -y without arguments is this year", () => {
    expect(sh(["cal -y > a; cal $(date +%Y) > b; cmp a b && echo same"]).output).toBe("same\n");
  });

  it("shuf permutes every line, the same way for the same script", () => {
    const script = [
      "seq 1 50 > s; shuf s > t; sort -n t | cmp - s && echo complete; wc -l < t",
      "shuf -i 1-9 | tr -d '\\n'; echo",
    ];
    const a = sh(script).output;
    expect(a).toMatch(/^complete\n50\n[1-9]{9}\n$/);
    expect([...a.split("\n")[2]].sort().join("")).toBe("123456789");
    expect(sh(script).output).toBe(a);
  });

  it("glibc's rand() after srand(seed), as the host's C library gives it", () => {
    const g = new GlibcRand(12345);
    expect(Array.from({ length: 5 }, () => g.rand())).toEqual([
      383100999, 858300821, 357768173, 455528251, 133005921,
    ]);
    const h = new GlibcRand(4000000000);
    expect(h.rand()).toBe(1111130805);
    expect(new GlibcRand(0).rand()).toBe(new GlibcRand(1).rand());
  });
});
