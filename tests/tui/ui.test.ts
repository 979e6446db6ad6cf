import { describe, expect, it } from "vitest";
import type { ZoneSnapshot } from "../../src/machine.js";
import { logColumns, zoneBar, zoneLevel } from "../../src/tui/components/charts.js";
import { formatCount, formatPages, formatSpeed, formatUptime } from "../../src/tui/format.js";
import { routeKey, splitKeys, toBytes } from "../../src/tui/keys.js";
import { computeLayout } from "../../src/tui/layout.js";
import { initialUi, uiReducer } from "../../src/tui/state.js";

describe("keys", () => {
  it.each([
    ["free\r", ["f", "r", "e", "e", "\r"]],
    ["\x1b[A\x1b[B", ["\x1b[A", "\x1b[B"]],
    ["a\x1bOQb", ["a", "\x1bOQ", "b"]],
    ["\x1b[5;2~x", ["\x1b[5;2~", "x"]],
    ["\x1b[[B", ["\x1b[[B"]],
    ["\x1bb", ["\x1bb"]],
    ["\x1b", ["\x1b"]],
    ["\x1b\x1b[A", ["\x1b", "\x1b[A"]],
    ["é😀", ["é", "😀"]],
  ])("splits %j", (chunk, keys) => {
    expect(splitKeys(chunk)).toEqual(keys);
  });

  it.each([
    ["a", { kind: "send", key: "a" }],
    ["\x03", { kind: "send", key: "\x03" }],
    ["é", { kind: "send", key: "é" }],
    ["\x1bOQ", { kind: "panel" }],
    ["\x1b[12~", { kind: "panel" }],
    ["\x1bOR", { kind: "physmap" }],
    ["\x1b[13~", { kind: "physmap" }],
    ["\x1b[[C", { kind: "physmap" }],
    ["\x1b[5;2~", { kind: "scroll", pages: 1 }],
    ["\x1b[6;2~", { kind: "scroll", pages: -1 }],
  ])("routes %j", (key, cmd) => {
    expect(routeKey({ prefix: false }, key)).toEqual([{ prefix: false }, cmd]);
  });

  it("sends Ctrl-A on and quits when x follows it", () => {
    expect(routeKey({ prefix: false }, "\x01")).toEqual([{ prefix: true }, { kind: "send", key: "\x01" }]);
    expect(routeKey({ prefix: true }, "x")).toEqual([{ prefix: false }, { kind: "quit" }]);
    expect(routeKey({ prefix: true }, "\x01")).toEqual([{ prefix: true }, { kind: "send", key: "\x01" }]);
    expect(routeKey({ prefix: true }, "q")).toEqual([{ prefix: false }, { kind: "send", key: "q" }]);
    expect(routeKey({ prefix: false }, "x")).toEqual([{ prefix: false }, { kind: "send", key: "x" }]);
  });

  it("sends ASCII as is and the rest as UTF-8 bytes", () => {
    expect(toBytes("\x1b[A")).toBe("\x1b[A");
    expect(toBytes("█")).toBe("\xe2\x96\x88");
  });
});

describe("layout and state", () => {
  it.each([
    [80, 24, false, { console: { cols: 80, rows: 22 }, panel: null }],
    [80, 24, true, { console: { cols: 80, rows: 22 }, panel: { at: "over", cols: 80, rows: 22 } }],
    [100, 50, true, { console: { cols: 100, rows: 26 }, panel: { at: "bottom", cols: 100, rows: 22 } }],
    [140, 40, true, { console: { cols: 94, rows: 38 }, panel: { at: "right", cols: 46, rows: 38 } }],
  ])("a %ix%i terminal, panel %s", (cols, rows, panel, layout) => {
    expect(computeLayout(cols, rows, panel)).toEqual(layout);
  });

  it("reduces UI actions", () => {
    let s = initialUi(80, 24);
    s = uiReducer(s, { type: "togglePanel" });
    s = uiReducer(s, { type: "scroll", by: 21, max: 30 });
    s = uiReducer(s, { type: "scroll", by: 21, max: 30 });
    expect(s).toEqual({ cols: 80, rows: 24, panel: true, physmap: false, scroll: 30, prefix: false });
    s = uiReducer(s, { type: "scroll", by: -50, max: 30 });
    expect(s.scroll).toBe(0);
    expect(uiReducer(s, { type: "live" })).toBe(s);
    expect(uiReducer(s, { type: "resize", cols: 90, rows: 30 })).toEqual({ ...s, cols: 90, rows: 30 });
    // The physical memory map takes the panel's place, and the memory panel takes it back.
    s = uiReducer(s, { type: "togglePhysmap" });
    expect([s.panel, s.physmap]).toEqual([false, true]);
    s = uiReducer(s, { type: "togglePanel" });
    expect([s.panel, s.physmap]).toEqual([true, false]);
  });
});

describe("panel pictures and numbers", () => {
  const zone = (free: number): ZoneSnapshot => ({
    node: 0,
    name: "DMA",
    managed: 100000,
    free,
    min: 100,
    low: 125,
    high: 150,
    freeBlocks: [],
  });

  it.each([
    [50, "min", "█·│││···········"],
    [120, "low", "██│││···········"],
    [140, "high", "██│││···········"],
    [400, "ok", "██│││██████·····"],
    [601, "ok", "██│││██████████»"],
  ])("draws a zone with %i free pages (%s)", (free, level, text) => {
    const z = zone(free);
    expect(zoneLevel(z)).toBe(level);
    // The scale is 4 x high = 600 pages in 16 cells: the marks of min, low, high fall in cells 2, 3, 4.
    expect(
      zoneBar(z, 16)
        .map((s) => s.text)
        .join(""),
    ).toBe(text);
  });

  it("draws a log-scale column chart", () => {
    expect(logColumns([0, 1, 100000], 2, 1, 1)).toEqual(["    █", "  ▁ █"]);
  });

  it.each([
    [formatPages(128), "512K"],
    [formatPages(190234), "743.1M"],
    [formatPages(4 * 262144), "4.0G"],
    [formatUptime(3_296_000_000), "0:00:03.2"],
    [formatUptime(3_723_400_000_000), "1:02:03.4"],
    [formatSpeed(1), "1.00x"],
    [formatSpeed(0.25), "0.25x"],
    [formatSpeed(20), "20x"],
    [formatCount(999), "999"],
    [formatCount(12_345), "12k"],
    [formatCount(345_678), ".3M"],
  ])("formats %s", (got, want) => {
    expect(got).toBe(want);
  });
});
