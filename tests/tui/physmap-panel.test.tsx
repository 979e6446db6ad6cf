/*
 * The physical memory map panel (F3): it opens in the memory panel's
 * place, draws the kernel's pfn map (kernel/mm/pfn_map.ts) with cells sized
 * to the panel, and follows the machine as memory is taken and given back.
 */

import { afterEach, describe, expect, it, vi } from "vitest";
import { atPrompt, type TuiHarness } from "./harness.js";

// Under CI=true ink draws no frames; these tests read frames.
vi.hoisted(() => {
  process.env.CI = "false";
  process.env.CONTINUOUS_INTEGRATION = "false";
});

const MiB = 1024 * 1024;
let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The panel's rows between its borders, without the border and padding columns. */
function panelRows(frame: string): string[] {
  const rows = frame.split("\n");
  const top = rows.findIndex((r) => r.includes("╭"));
  const left = [...rows[top]].indexOf("╭");
  const bottom = rows.findIndex((r, i) => i > top && r.includes("╰"));
  return rows.slice(top + 1, bottom).map((r) =>
    [...r]
      .slice(left + 2, -2)
      .join("")
      .trimEnd(),
  );
}

describe("tui physical memory map", () => {
  it("F3 shows the map in the panel's place, F2 swaps it for the memory panel, F3 again closes it", async () => {
    h = await atPrompt({ memory: 64 * MiB });
    await h.type("\x1bOR");
    const f = h.frame();
    expect(f.split("\n").at(-1)).toMatch(/ {2}F2 memory {2}F3 physmap \(on\) {2}\^A x quit$/);
    // 100 x 22 over the console: 96 cells a line, 15 lines for one zone, so 16-page cells.
    const maps = h.m.pfnMap(96, 15);
    expect(maps.map((m) => [m.name, m.cell_order])).toEqual([["DMA", 4]]);
    const m = maps[0];
    const rows: string[] = [];
    for (let i = 0; i < m.cells.length; i += 96) rows.push(m.cells.slice(i, i + 96).trimEnd());
    expect(panelRows(f)).toEqual([
      expect.stringMatching(/^physical memory {2}t=0:00:03\.\d {2}F3 closes$/),
      "DMA 0x60000-0x63fff  a cell is 64K",
      ...rows,
      expect.stringMatching(/^free \d+\.\dM {2}anon \d+K {2}cache \d+\.\dM {2}slab \d+\.\dM {2}tables \d+K$/),
      ". free P pcp A anon F page cache R S slab",
      "T tables K kernel X reserved; a: mostly free",
      "",
      "",
      "",
      "",
    ]);
    await h.type("\x1bOQ");
    expect(h.frame()).toContain("zones: free vs watermarks");
    expect(h.frame()).not.toContain("physical memory");
    await h.type("\x1bOR");
    await h.type("\x1bOR");
    expect(h.frame()).not.toContain("physical memory");
    expect(h.frame()).toContain("Please press Enter");
  });

  it("fits the cells to the narrow panel beside the console on a wide terminal", async () => {
    h = await atPrompt({ memory: 64 * MiB });
    await h.resize(140, 40);
    await h.type("\x1bOR");
    // 46 columns: 42 cells a line; 38 rows: 31 lines for the map of one zone.
    const [m] = h.m.pfnMap(42, 31);
    expect(m.cell_order).toBe(4);
    const rows = panelRows(h.frame());
    expect(rows[1]).toBe("DMA 0x60000-0x63fff  a cell is 64K");
    const map = rows.slice(2, 2 + Math.ceil(m.cells.length / 42));
    expect(map.join("")).toBe(m.cells);
    expect(map.slice(0, -1).every((r) => r.length === 42)).toBe(true);
    expect(rows[2 + map.length]).toMatch(/^free /);
  });

  it("follows a hog: anonymous cells appear while it runs and are gone after it", async () => {
    h = await atPrompt({ memory: 64 * MiB });
    await h.type("\x1bOR");
    const count = (c: string): number => panelRows(h!.frame()).slice(2, -6).join("").split(c).length - 1;
    const before = count("A");
    await h.type("stress-ng --vm 1 --vm-bytes 16M --vm-keep --vm-hang 0 -t 3 > /dev/null\r");
    await h.advance(1500);
    // 16 MiB is 256 cells of 64K.
    expect(count("A") - before).toBeGreaterThanOrEqual(256);
    await h.advance(3000);
    expect(count("A")).toBeLessThanOrEqual(before + 2);
  });
});
