/*
 * stress-ng on the interactive console: Ctrl-C reaches every process of
 * the job, the workers stop, and stress-ng reports the run as it does on a
 * terminal ("^C" then the summary), giving the prompt back.
 */

import { afterEach, expect, it, vi } from "vitest";
import { atPrompt, outputOf, type TuiHarness } from "./harness.js";

vi.hoisted(() => {
  process.env.CI = "false";
  process.env.CONTINUOUS_INTEGRATION = "false";
});

let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

it("Ctrl-C ends a stress-ng run with its summary", async () => {
  h = await atPrompt({ memory: 64 * 1024 * 1024 });
  const cmd = "stress-ng --vm 2 --vm-bytes 8M --vm-hang 0";
  await h.type(`${cmd}\r`);
  await h.advance(1500);
  await h.type("\x03");
  await h.advance(500);
  expect(outputOf(h, cmd)).toEqual([
    "stress-ng: info:  [61] defaulting to a 86400 second (1 day, 0.00 secs) run per stressor",
    "stress-ng: info:  [61] dispatching hogs: 2 vm",
    "^Cstress-ng: info:  [61] passed: 2: vm (2)",
    "stress-ng: info:  [61] failed: 0",
    "stress-ng: info:  [61] skipped: 0",
    "stress-ng: info:  [61] successful run completed in 1.50s",
  ]);
  h.m.checkInvariants();
});
