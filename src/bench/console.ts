/*
 * console.ts - the console's numbers (issue 3):
 *
 *   start-up to first output   `node bin/mmbox.js` with "echo hi" on a pipe, from
 *                              spawn to the first byte on stdout (the whole
 *                              plain path: node, the bundle, boot, the shell)
 *   simple commands per second a plain session types `/bin/true` 2,000 times; each
 *                              is a fork+exec inside the machine (boot not counted;
 *                              plain `true` is ash's builtin, reported beside it)
 *   keystroke-to-frame latency the TUI on an in-memory terminal while
 *                              `yes > /dev/null &`, then memhog, runs: from a key's
 *                              arrival to the frame that shows it (tui/latency.ts)
 *
 * The TUI part loads ink, so it is imported only here, lazily, with CI unset
 * (ink draws no frames under CI) and React's production build, as the real
 * TUI runs (cli/main.ts).
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PlainSession } from "../plain/run.js";
import type { Row } from "./main.js";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** bin/mmbox.js, found from wherever the bundle put this code. */
function mmboxBin(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, "bin", "mmbox.js"))) {
    const up = dirname(d);
    if (up === d) throw new Error("bench console: bin/mmbox.js not found");
    d = up;
  }
  return join(d, "bin", "mmbox.js");
}

/** Milliseconds from spawning mmbox (plain, a pipe on stdin) to its first output byte. */
function firstOutput(bin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env = { ...process.env, CI: "true" };
    const c = spawn(process.execPath, [bin], { stdio: ["pipe", "pipe", "ignore"], env });
    let t = -1;
    c.stdout.once("data", () => {
      t = performance.now() - t0;
    });
    c.stdout.resume();
    c.on("error", reject);
    c.on("exit", () => (t >= 0 ? resolve(t) : reject(new Error("bench console: mmbox printed nothing"))));
    c.stdin.end("echo hi\n");
  });
}

/** Commands per second in a plain session typing `cmd` n times (the boot is not timed). */
function commandsPerSecond(cmd: string, n: number): number {
  const s = new PlainSession({ machine: "vexpress-a9" });
  for (let i = 0; i < 50; i++) s.line(cmd); // warm up the JIT
  s.take();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s.line(cmd);
  const ms = performance.now() - t0;
  const out = s.take();
  if (out !== "" || !s.ready)
    throw new Error(`bench console: \`${cmd}\` printed ${JSON.stringify(out.slice(0, 80))}`);
  return (n / ms) * 1000;
}

/**
 * A command that costs a fork and an exec: ash runs `true` itself (a
 * builtin), so the program is named by its path; /bin/echo -n where the
 * true applet is not installed.
 */
function forkExecCommand(): string {
  const s = new PlainSession({ machine: "vexpress-a9" });
  return s.m.peekDir("/bin")?.some((e) => e.name === "true") ? "/bin/true" : "/bin/echo -n";
}

export async function consoleSuite(): Promise<Row[]> {
  const rows: Row[] = [];

  const bin = mmboxBin();
  await firstOutput(bin); // the first run warms the file cache
  const starts: number[] = [];
  for (let i = 0; i < 7; i++) starts.push(await firstOutput(bin));
  const start = median(starts);
  rows.push({
    what: "start-up to first output, plain (`echo hi` on a pipe)",
    value: `${start.toFixed(0)} ms`,
    target: "< 400 ms",
    ok: start < 400,
  });

  const fe = forkExecCommand();
  const cps = median([0, 1, 2].map(() => commandsPerSecond(fe, 2000)));
  rows.push({
    what: `simple commands per second, plain (\`${fe}\` x 2000: a fork and an exec each)`,
    value: `${cps.toFixed(0)} /s`,
    target: ">= 2000 /s",
    ok: cps >= 2000,
  });
  const builtin = median([0, 1, 2].map(() => commandsPerSecond("true", 2000)));
  rows.push({
    what: "simple commands per second, plain (`true` x 2000: ash's builtin, no fork)",
    value: `${builtin.toFixed(0)} /s`,
    target: "",
    ok: null,
  });

  delete process.env.CI;
  process.env.NODE_ENV ??= "production";
  const { measureKeystrokeLatency } = await import("../tui/latency.js");
  // yes keeps a CPU busy with cheap system calls; memhog (stderr too: it reports that mbind
  // is missing) with page faults, whose steps cost the host far more.
  for (const background of ["yes > /dev/null &", "memhog -r1000000 64M > /dev/null 2>&1 &"]) {
    const r = await measureKeystrokeLatency({ keys: 100, background });
    // The shell may answer a background job with its number; an error means no load ran.
    const failed = /not found|can't|No such|Permission denied/.test(r.backgroundOutput);
    const load = failed ? `; the load failed: ${r.backgroundOutput.split("\n")[0]}` : "";
    rows.push({
      what: `keystroke to frame, TUI, \`${r.background}\` running (p50 / p95 / max of 100 keys${load})`,
      value: `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} / ${r.max.toFixed(1)} ms`,
      target: "p95 < 20 ms",
      ok: load ? null : r.p95 < 20,
    });
  }
  return rows;
}
