/*
 * Runs scripts/check-cast.sh (recordings read by Debian's asciinema: plain,
 * SIGKILLed and, with tmux, interactive; replayed with --check) when
 * asciinema and script(1) are installed; skipped otherwise (CI has neither).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

describe("recordings in asciinema", () => {
  it.skipIf(!has("asciinema") || !has("script"))(
    "asciinema cat and play read them, and they replay (scripts/check-cast.sh)",
    () => {
      const env = { ...process.env };
      delete env.CI;
      const r = spawnSync("scripts/check-cast.sh", { cwd: ROOT, encoding: "utf8", timeout: 120_000, env });
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^check-cast: ok: plain recording.*\ncheck-cast: ok: SIGKILLed session.*\n/);
      expect(r.stdout.endsWith("check-cast: all checks passed\n")).toBe(true);
      expect(r.status).toBe(0);
    },
    130_000,
  );
});
