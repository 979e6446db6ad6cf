/*
 * measureKeystrokeLatency() runs (the bench reports its numbers; no timing
 * is asserted here, a test machine's load would make that flaky).
 */
import { describe, expect, it, vi } from "vitest";
import { measureKeystrokeLatency } from "../../src/tui/latency.js";

// Ink decides once, when it loads, whether it runs in CI (CI=true), and then
// draws no frames at all: the keys would never show. The bench never runs
// under CI; here ink must load as it does in a terminal.
vi.hoisted(() => {
  process.env.CI = "false";
  process.env.CONTINUOUS_INTEGRATION = "false";
});

describe("measureKeystrokeLatency", () => {
  it("times each key from its arrival to the frame that shows it", async () => {
    const r = await measureKeystrokeLatency({ keys: 12, gapMs: 5, speed: 20, background: "true &" });
    expect(r.samples).toHaveLength(12);
    for (const ms of r.samples) expect(ms).toBeGreaterThan(0);
    expect(r.p50).toBeLessThanOrEqual(r.p95);
    expect(r.p95).toBeLessThanOrEqual(r.max);
    expect(r.background).toBe("true &");
  });
});
