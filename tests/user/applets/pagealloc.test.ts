import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

/** The kernel's "before"/"after" free-area lines of a page_alloc_test log, as numbers. */
function logged(out: string, what: "alloc" | "free", zone: string): { before: number[]; after: number[] }[] {
  const re = new RegExp(
    `page_alloc_test: ${what} order-\\d+ at pfn 0x[0-9a-f]+ \\(${zone}[^)]*\\)\\n` +
      `\\[[ .0-9]+\\] page_alloc_test:  before +${zone}((?: +\\d+)+) \\n` +
      `\\[[ .0-9]+\\] page_alloc_test:  after +${zone}((?: +\\d+)+) \\n`,
    "g",
  );
  const nums = (s: string): number[] => s.trim().split(/\s+/).map(Number);
  return [...out.matchAll(re)].map((m) => ({ before: nums(m[1]), after: nums(m[2]) }));
}

/**
 * The buddy algorithm's prediction for one order-`order` allocation: take a
 * block of the smallest order k >= order that has one, and split it, leaving
 * one free buddy at each order from `order` to k-1. `reserved[k]` blocks of
 * an order cannot be used (HighMem's two order-11 CMA pageblocks, which a
 * movable allocation only takes when CMA is over half of the free memory,
 * and whole free pageblocks of another migratetype).
 */
function predict_alloc(before: number[], order: number, reserved: number[] = []): number[] {
  const after = [...before];
  let k = order;
  while (k < after.length && after[k] - (reserved[k] ?? 0) <= 0) k++;
  after[k]--;
  for (let j = order; j < k; j++) after[j]++;
  return after;
}

describe("pagealloc", () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])(
    "alloc order %i from HighMem splits as the buddy algorithm predicts, free merges it back",
    (order) => {
      // pagetypeinfo is read right after the block is freed, on the same command line: the
      // free lists are then as they were before the allocation (checked below).
      const r = sh([
        `pagealloc -q alloc ${order} GFP_HIGHUSER_MOVABLE`,
        "pagealloc -q free all; cat /proc/pagetypeinfo",
      ]);
      const [alloc] = logged(r.output, "alloc", "HighMem");
      const [free] = logged(r.output, "free", "HighMem");
      // Free blocks on other free lists than Movable, which a movable allocation does not
      // take while Movable has one: the two CMA pageblocks, the Unmovable one vmalloc's
      // HighMem pages claimed at boot, as on Linux, and whatever small blocks boot left there.
      const reserved: number[] = [];
      for (const m of r.output.matchAll(/zone +HighMem, type +(\w+)((?: +\d+)+)/g)) {
        if (m[1] === "Movable") continue;
        const n = m[2].trim().split(/\s+/).map(Number);
        n.forEach((c, o) => {
          reserved[o] = (reserved[o] ?? 0) + c;
        });
      }
      expect(reserved[11]).toBe(2);
      expect(alloc.after).toEqual(predict_alloc(alloc.before, order, reserved));
      // Freed, the block finds its buddies again: the free areas are as before the alloc.
      expect(free.before).toEqual(alloc.after);
      expect(free.after).toEqual(alloc.before);
    },
  );

  it("prints the block it got and lists the blocks held", () => {
    const r = sh([
      "dmesg -n 1",
      "pagealloc alloc 3 GFP_HIGHUSER_MOVABLE > /tmp/a",
      "pagealloc alloc 0 > /tmp/b",
      "cat /tmp/a /tmp/b",
      "pagealloc",
      "pagealloc free all",
      "pagealloc",
    ]);
    const m =
      /^ {5}pfn order zone {5}migratetype {2}gfp\n( 0x[0-9a-f]{5}) {5}3 HighMem {2}Movable {6}0x100cca\(GFP_HIGHUSER_MOVABLE\)\n {5}pfn order zone {5}migratetype {2}gfp\n( 0x[0-9a-f]{5}) {5}0 DMA {6}Unmovable {4}0xcc0\(GFP_KERNEL\)\n/.exec(
        r.output,
      );
    expect(m).not.toBeNull();
    const list =
      "     pfn order zone     migratetype  gfp\n" +
      `${m![1]}     3 HighMem  Movable      0x100cca(GFP_HIGHUSER_MOVABLE)\n` +
      `${m![2]}     0 DMA      Unmovable    0xcc0(GFP_KERNEL)\n`;
    expect(r.output.slice(m![0].length)).toBe(`${list}     pfn order zone     migratetype  gfp\n`);
  });

  it("reports what the kernel refuses, and bad commands with the usage", () => {
    const r = sh([
      "dmesg -n 1",
      "pagealloc free 0x1234; echo $?",
      "pagealloc alloc 12; echo $?",
      "pagealloc alloc 2 GFP_BOGUS; echo $?",
      "pagealloc frob > /dev/null 2>&1; echo $?",
      "pagealloc frob 2>&1 | cat > /tmp/u; cat /tmp/u",
    ]);
    expect(r.output).toBe(
      "pagealloc: free 0x1234: No such file or directory\n1\n" +
        "pagealloc: alloc 12: Invalid argument\n1\n" +
        "pagealloc: alloc 2 GFP_BOGUS: Invalid argument\n1\n1\n" +
        "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n" +
        "Usage: pagealloc [-q] [alloc ORDER [GFP_FLAGS] | free PFN|all]\n\n" +
        "Allocate and free blocks of pages with the buddy allocator\n(through /sys/kernel/debug/page_alloc_test)\n\n" +
        "\talloc ORDER [GFP]\tAllocate 2^ORDER pages (default GFP_KERNEL;\n" +
        "\t\t\tflags as in C: GFP_HIGHUSER_MOVABLE, GFP_ATOMIC|__GFP_ZERO...)\n" +
        "\tfree PFN\t\tFree the block at PFN (0x... or decimal)\n\tfree all\t\tFree every block allocated here\n" +
        "\t-q\t\t\tPrint nothing on success\nWith no command, list the blocks held.\n",
    );
  });
});
