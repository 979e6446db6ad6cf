/*
 * Runs scripts/check-asciinema.sh (recordings read by Debian's asciinema,
 * then replayed with --check) when asciinema and script(1) are installed;
 * skipped otherwise (CI installs neither).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

describe("recordings in asciinema", () => {
  it.skipIf(!has("asciinema") || !has("script"))(
    "asciinema cat and play show them, and they replay (scripts/check-asciinema.sh)",
    () => {
      const r = spawnSync("scripts/check-asciinema.sh", { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(
        "check-asciinema: ok: plain recording (asciinema cat, play; replay --check)\n" +
          "check-asciinema: ok: TUI recording (asciinema cat, play; replay --check)\n",
      );
      expect(r.status).toBe(0);
    },
    130_000,
  );
});
