/*
 * labs.test.ts - every lab in rootfs/root/labs runs on the machine its first
 * line names ("# mmbox -m 256M --disk 512M < rootfs/root/labs/12-swap.sh"),
 * with a fixed seed, and prints exactly tests/fixtures/labs/NN-topic.out.
 *
 * The numbers in a lab's output come from the whole kernel, so another
 * change to mm/ can move them legitimately: scripts/update-lab-goldens.sh
 * rewrites the goldens (UPDATE_LAB_GOLDENS=1); read the diff before
 * committing it, as a learner would read the lab.
 */

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const LABS = join(ROOT, "rootfs/root/labs");
const GOLDEN = join(ROOT, "tests/fixtures/labs");
const DOCS = join(ROOT, "docs/labs");
const update = process.env.UPDATE_LAB_GOLDENS === "1";

const labs = readdirSync(LABS)
  .filter((f) => /^\d\d-[a-z0-9-]+\.sh$/.test(f))
  .sort();

/** The mmbox flags of a lab: its first line is "# mmbox FLAGS < rootfs/root/labs/NAME". */
function labFlags(name: string, script: string): string[] {
  const first = script.split("\n", 1)[0] ?? "";
  const m = /^# mmbox((?: [^<"']+?)?) < rootfs\/root\/labs\/(\S+)$/.exec(first);
  if (!m) throw new Error(`${name}: the first line must be "# mmbox FLAGS < rootfs/root/labs/${name}"`);
  if (m[2] !== name) throw new Error(`${name}: the first line names ${m[2]}`);
  return (m[1] ?? "").trim().split(/\s+/).filter(Boolean);
}

/** Runs a lab as a learner would from the host, with seed 1 unless the lab picks one. */
function runLab(name: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const script = readFileSync(join(LABS, name), "utf8");
  const flags = labFlags(name, script);
  if (!flags.includes("--seed")) flags.push("--seed", "1");
  const child = spawn(process.execPath, [join(ROOT, "bin/mmbox.js"), ...flags], {
    env: { ...process.env, CI: "true" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  child.stdin.end(script);
  return new Promise((resolve) => child.on("close", (status) => resolve({ stdout, stderr, status })));
}

describe("labs", () => {
  it("are numbered in order, each with its explanation", () => {
    expect(labs.length).toBeGreaterThan(0);
    labs.forEach((f, i) => {
      expect(f.slice(0, 2)).toBe(String(i + 1).padStart(2, "0"));
      expect(existsSync(join(DOCS, f.replace(/\.sh$/, ".md")))).toBe(true);
    });
  });

  it.concurrent.each(labs)("%s prints its golden output", async (name) => {
    const r = await runLab(name);
    const golden = join(GOLDEN, name.replace(/\.sh$/, ".out"));
    if (update) writeFileSync(golden, r.stdout);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n").length;
    expect(lines).toBeLessThanOrEqual(160);
    expect(r.stdout).not.toMatch(/Kernel panic|not found|can't|syntax error/);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });
});
