/*
 * main.ts - `npm run bench`: the numbers the issues ask for, measured on
 * the host, printed as a Markdown table (and written to BENCHMARKS.md with
 * --write). Each suite is a function returning rows; run one with
 * `npm run bench -- boot` (suite names: see SUITES).
 */

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { bootSuite } from "./boot.js";
import { compactionSuite } from "./compaction.js";
import { consoleSuite } from "./console.js";
import { mmSuite } from "./mm.js";
import { pageAllocSuite } from "./page_alloc.js";
import { reclaimSuite } from "./reclaim.js";
import { slabSuite } from "./slab.js";

export interface Row {
  what: string;
  value: string;
  target: string;
  ok: boolean | null;
}

/** A suite measures and returns its rows (the console suite is asynchronous: it waits for frames). */
const SUITES: Record<string, () => Row[] | Promise<Row[]>> = {
  boot: bootSuite,
  console: consoleSuite,
  page_alloc: pageAllocSuite,
  mm: mmSuite,
  slab: slabSuite,
  compaction: compactionSuite,
  reclaim: reclaimSuite,
};

/** One suite's rows as a Markdown section. */
async function runSuite(name: string): Promise<string> {
  // The suite starts from a collected heap: the garbage of what ran before is not its cost.
  (globalThis as { gc?: () => void }).gc?.();
  const rows = await SUITES[name]();
  let md = `\n### ${name}\n\n| measurement | value | target | |\n| --- | --- | --- | --- |\n`;
  for (const r of rows)
    md += `| ${r.what} | ${r.value} | ${r.target} | ${r.ok === null ? "" : r.ok ? "met" : "NOT met"} |\n`;
  return md;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes("--write");
  const names = args.filter((a) => !a.startsWith("--"));
  const run = names.length ? names : Object.keys(SUITES);
  for (const name of run)
    if (!SUITES[name]) {
      process.stderr.write(`bench: unknown suite '${name}' (known: ${Object.keys(SUITES).join(", ")})\n`);
      process.exit(2);
    }
  let md = "";
  for (const name of run) {
    // Several suites: each in a process of its own, so that one suite's code paths (and the
    // JIT's guesses about them) and garbage do not slow the next one down.
    const section =
      run.length > 1
        ? execFileSync(process.execPath, [...process.execArgv, process.argv[1], name], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
          }).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
        : await runSuite(name);
    process.stdout.write(section);
    md += section;
  }
  if (write) {
    const head = `# Benchmarks\n\nMeasured with \`npm run bench\` (\`node --expose-gc dist/bench/main.js\`, each suite in a process of its own) on the\ndevelopment machine (2 cores; Node ${process.version}), after the other work on it had stopped. Times are host time:\nmedians of several runs, or for the allocator and slab pairs the best of several (the least disturbed by the host).\n`;
    writeFileSync("BENCHMARKS.md", head + md);
  }
}

main();
