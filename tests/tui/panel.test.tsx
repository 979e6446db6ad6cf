import { afterEach, describe, expect, it } from "vitest";
import { atPrompt, startTui, type TuiHarness } from "./harness.js";

let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const lastLine = (s: string): string => s.trimEnd().split("\n").at(-1) ?? "";

describe("tui memory panel, status line and keys", () => {
  it.each([
    ["xterm (ESC O Q)", "\x1bOQ"],
    ["vt220 (ESC [ 1 2 ~)", "\x1b[12~"],
    ["linux console (ESC [ [ B)", "\x1b[[B"],
  ])("F2 opens and closes the memory panel: %s", async (_name, f2) => {
    h = await atPrompt();
    expect(h.frame()).not.toContain("zones: free vs watermarks");
    await h.type(f2);
    const f = h.frame();
    for (const part of [
      "memory",
      "zones: free vs watermarks",
      "DMA",
      "HighMem",
      "buddy: free blocks per order",
    ])
      expect(f).toContain(part);
    expect(f).toMatch(/PID S COMMAND +RSS %MEM/);
    expect(f).toMatch(/ +1 S init +\d+K +0\.\d/);
    expect(lastLine(f)).toContain("F2 memory (on)");
    await h.type(f2);
    expect(h.frame()).not.toContain("zones: free vs watermarks");
    expect(h.frame()).toContain("Please press Enter");
  });

  it("shows the panel beside the console on a wide terminal, and the tty gets the narrower size", async () => {
    h = await atPrompt();
    await h.resize(140, 40);
    expect(h.m.winsize()).toEqual({ cols: 140, rows: 38 });
    await h.type("\x1bOQ");
    expect(h.m.winsize()).toEqual({ cols: 94, rows: 38 });
    const row = h
      .frame()
      .split("\n")
      .find((r) => r.startsWith("Please press Enter"));
    expect(row).toMatch(/^Please press Enter to activate this console\. {50}│ .{42} │$/);
    await h.type("\x1bOQ");
    expect(h.m.winsize()).toEqual({ cols: 140, rows: 38 });
  });

  it("refreshes the panel as simulated time passes", async () => {
    h = await atPrompt();
    await h.type("\x1bOQ");
    const t1 = /t=(\S+)/.exec(h.frame())?.[1];
    await h.advance(1500);
    const t2 = /t=(\S+)/.exec(h.frame())?.[1];
    expect(t1).toMatch(/^0:00:03\.\d$/);
    expect(t2).toMatch(/^0:00:0[45]\.\d$/);
    expect(t2).not.toBe(t1);
  });

  it("has a status line with the machine, its RAM and CPUs, uptime and speed", async () => {
    h = await startTui({ memory: 512 * 2 ** 20, smp: 2 });
    await h.advance(1200);
    expect(lastLine(h.frame())).toMatch(
      /^ vexpress-a9 {2}512 MiB {2}2 CPUs {2}up 0:00:01\.2 {2}1\.00x +F2 memory {2}F3 physmap {2}\^A x quit$/,
    );
  });

  it("scrolls back with Shift-PgUp and returns to the live screen on a key", async () => {
    h = await atPrompt();
    await h.type("cat /proc/zoneinfo\r");
    const live = h.d.vt.text();
    await h.type("\x1b[5;2~");
    expect(lastLine(h.frame())).toMatch(/scrolled back 21/);
    const back = h.d.vt.view(21).map((l) => l.text());
    expect(h.frame().split("\n").slice(0, 22)).toEqual(back);
    expect(back).not.toEqual(live.split("\n"));
    await h.type("\x1b[6;2~");
    expect(lastLine(h.frame())).not.toMatch(/scrolled back/);
    await h.type("\x1b[5;2~");
    await h.type("x");
    expect(lastLine(h.frame())).not.toMatch(/scrolled back/);
    expect(h.d.vt.lines[h.d.vt.y].text()).toMatch(/[#$] x$/);
  });

  it("Ctrl-A x quits; Ctrl-A Ctrl-A sends a Ctrl-A", async () => {
    h = await atPrompt();
    await h.type("\x01");
    expect(lastLine(h.frame())).toContain("^A-");
    await h.type("\x01");
    expect(h.d.state).toBe("running");
    await h.type("\x01x");
    expect(h.d.state).toBe("quit");
  });
});
