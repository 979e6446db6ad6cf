/*
 * The memory panel follows the machine as simulated time passes: a
 * program that takes memory shows up among the largest processes with
 * its RSS, and the zone it allocates from loses as much free memory.
 */
import { afterEach, describe, expect, it } from "vitest";
import { atPrompt, type TuiHarness } from "./harness.js";

let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The panel's rows (a 140-column terminal puts it in the last 46 columns), borders cut. */
const panel = (t: TuiHarness): string[] =>
  t
    .frame()
    .split("\n")
    .slice(1, -2)
    .map((l) => l.slice(94).replace(/^│ ?/, "").replace(/ *│$/, ""));

/** Free memory of a zone in MiB, from the line under its bar. */
function freeMiB(rows: string[], zone: string): number {
  const i = rows.findIndex((r) => r.startsWith(zone));
  const m = /^ +free (\d+\.\d)M /.exec(rows[i + 1] ?? "");
  if (!m) throw new Error(`no free memory for ${zone} in\n${rows.join("\n")}`);
  return Number(m[1]);
}

describe("tui memory panel, live", () => {
  it("shows memhog taking memory from HighMem as it runs", async () => {
    h = await atPrompt();
    await h.resize(140, 40);
    await h.type("\x1bOQ");
    const before = panel(h);
    expect(before.some((r) => r.includes("memhog"))).toBe(false);
    const t0 = /t=(\S+)/.exec(before[0])?.[1];

    await h.type("memhog -r1000 32M &\r");
    await h.advance(300);
    const after = panel(h);
    expect(/t=(\S+)/.exec(after[0])?.[1]).not.toBe(t0);
    const procs = after.slice(after.findIndex((r) => /^ +PID S COMMAND +RSS %MEM$/.test(r)) + 1);
    expect(procs[0]).toMatch(/^ +\d+ R memhog +3[23]\.\dM +3\.[23]$/);
    expect(freeMiB(before, "HighMem") - freeMiB(after, "HighMem")).toBeGreaterThanOrEqual(31.5);
    expect(freeMiB(after, "DMA")).toBeCloseTo(freeMiB(before, "DMA"), -1);
  }, 30_000);
});
