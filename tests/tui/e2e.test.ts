/*
 * Runs scripts/tui-e2e.sh, which drives the real TUI in tmux as a person
 * would and checks the screen after each step; skipped when tmux is not
 * installed (CI). The script runs mmbox with CI unset (ink draws nothing
 * interactive under CI).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const hasTmux = spawnSync("sh", ["-c", "command -v tmux"]).status === 0;

describe("the TUI end to end, in tmux", () => {
  it.skipIf(!hasTmux)(
    "boots, runs commands, edits lines, Ctrl-C, F2, resizes, quits, and replays (scripts/tui-e2e.sh)",
    () => {
      const env = { ...process.env };
      delete env.CI;
      const r = spawnSync("scripts/tui-e2e.sh", { cwd: ROOT, encoding: "utf8", timeout: 290_000, env });
      expect(r.stderr).toBe("");
      expect(r.stdout.endsWith("tui-e2e: all checks passed\n")).toBe(true);
      expect(r.status).toBe(0);
    },
    300_000,
  );
});
