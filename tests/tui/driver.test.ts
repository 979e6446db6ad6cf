import { describe, expect, it } from "vitest";
import { Machine } from "../../src/machine.js";
import { Driver } from "../../src/tui/driver.js";

/** A driver on a fake wall clock; `advance` lets wall time pass in 10 ms slices. */
function driver(append = "", speed = 1) {
  const clock = { t: 0 };
  const m = new Machine({ machine: "vexpress-a9", append });
  const d = new Driver(m, { speed, cols: 80, rows: 24, now: () => clock.t });
  d.boot();
  const advance = (ms: number): void => {
    for (let t = 0; t < ms; t += 10) {
      clock.t += Math.min(10, ms - t);
      d.slice();
    }
  };
  return { d, m, clock, advance };
}

/** Everything the console showed: scrollback and screen. */
const shown = (d: Driver): string => [...d.vt.scrollback, ...d.vt.lines].map((l) => l.text()).join("\n");

describe("tui driver", () => {
  it("lets the boot log scroll by at the pace of its timestamps", () => {
    const { d, advance } = driver();
    advance(10);
    expect(shown(d)).toContain("[    0.000000] Booting Linux on physical CPU 0x0");
    expect(shown(d)).not.toContain("Run /init as init process");
    advance(1990);
    expect(shown(d)).toMatch(/\[ {4}1\.\d{6}\]/);
    expect(shown(d)).not.toMatch(/\[ {4}2\.[1-9]\d{5}\]/);
    advance(1400);
    expect(d.vt.text()).toContain("Please press Enter to activate this console.");
  });

  it("keeps simulated time with the wall clock, times --speed", () => {
    const one = driver("quiet");
    one.advance(5000);
    expect(one.d.status().uptimeNs / 1e9).toBeCloseTo(5, 1);
    const ten = driver("quiet", 10);
    ten.advance(1000);
    expect(ten.d.status().uptimeNs / 1e9).toBeCloseTo(10, 1);
    expect(ten.d.status().actualSpeed).toBeCloseTo(10, 0);
  });

  it("lets the pacing slide rather than catch up a long stall at once", () => {
    const { d, m, clock, advance } = driver("quiet");
    advance(4000);
    const before = m.ns;
    clock.t += 60_000;
    d.slice();
    expect(m.ns - before).toBeLessThanOrEqual(100_000_000 + 1_000_000);
    advance(1000);
    expect((m.ns - before) / 1e9).toBeCloseTo(1.1, 1);
  });

  it("answers the shell's cursor position queries through the console", () => {
    const { d, m, advance } = driver("quiet");
    advance(3400);
    const seen: string[] = [];
    const input = m.input.bind(m);
    m.input = (s: string) => {
      seen.push(s);
      input(s);
    };
    d.vt.write("\x1b[6n");
    d.slice();
    expect(seen).toEqual(["\x1b[2;46R"]);
  });

  it("reports the machine's state: running, then quit", () => {
    const { d, advance } = driver("quiet");
    advance(100);
    expect(d.status()).toMatchObject({ machine: "vexpress-a9", memoryMiB: 1024, smp: 4, state: "running" });
    d.quit();
    expect(d.slice()).toBe("stopped");
    expect(d.status().state).toBe("quit");
  });

  it("shows a frame with the halted state when poweroff stops the machine between two frames", () => {
    // A loaded host: every look at the wall clock finds 2 ms gone, so the key's own run stops
    // early and the machine halts in a later slice, less than a frame's interval after the
    // last frame. The loop stops at that slice, so the slice itself must publish the state
    // (the TUI leaves on it; without it the screen froze and mmbox never exited).
    const clock = { t: 0 };
    const m = new Machine({ machine: "vexpress-a9", append: "quiet" });
    const d = new Driver(m, { speed: 10, cols: 80, rows: 24, now: () => (clock.t += 2) });
    d.boot();
    for (let i = 0; i < 400 && !d.vt.text().includes("Please press Enter"); i++) d.slice();
    d.key("\r");
    for (let i = 0; i < 50; i++) d.slice();
    const seen: string[] = [];
    d.subscribe(() => seen.push(d.status().state));
    d.key("poweroff\r");
    expect(d.status().state).toBe("running");
    let slices = 0;
    while (d.slice() !== "stopped" && slices < 10_000) slices++;
    expect(d.status().state).toBe("halted");
    expect(seen.at(-1)).toBe("halted");
    expect(d.vt.text()).toContain("reboot: Power down");
  });
});
