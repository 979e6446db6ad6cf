/*
 * main.ts - `npm run bench`: the numbers the issues ask for, measured on
 * the host, printed as a Markdown table (and written to BENCHMARKS.md with
 * --write). Each suite is a function returning rows; run one with
 * `npm run bench -- boot` (suite names: see SUITES).
 */

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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes("--write");
  const names = args.filter((a) => !a.startsWith("--"));
  const run = names.length ? names : Object.keys(SUITES);
  let md = "";
  for (const name of run) {
    const suite = SUITES[name];
    if (!suite) {
      process.stderr.write(`bench: unknown suite '${name}' (known: ${Object.keys(SUITES).join(", ")})\n`);
      process.exit(2);
    }
    const rows = await suite();
    md += `\n### ${name}\n\n| measurement | value | target | |\n| --- | --- | --- | --- |\n`;
    for (const r of rows)
      md += `| ${r.what} | ${r.value} | ${r.target} | ${r.ok === null ? "" : r.ok ? "met" : "NOT met"} |\n`;
    process.stdout.write(md);
    if (!write) md = "";
  }
  if (write) {
    const head = `# Benchmarks\n\nMeasured with \`npm run bench\` (\`node --expose-gc dist/bench/main.js\`) on the development machine\n(2 cores; Node ${process.version}). Times are host time; medians of several runs.\n`;
    writeFileSync("BENCHMARKS.md", head + md);
  }
}

main();
