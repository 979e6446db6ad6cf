#!/usr/bin/env node
// Fails when an import crosses the layering of DESIGN.md section 1:
//   lib <- hw <- kernel <- user (through kernel/uapi only) <- machine.ts <- front ends
// Type-only imports count too: a layer should not even know the shape of what is above it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = "src";
const layerOf = (file) => {
  const rel = relative(SRC, file).replaceAll("\\", "/");
  if (rel === "machine.ts" || rel === "machine.js" || rel === "machine") return "machine";
  return rel.split("/")[0];
};
// What each layer may import (besides itself).
const ALLOWED = {
  lib: [],
  hw: ["lib"],
  kernel: ["hw", "lib"],
  user: ["lib", "kernel/uapi"],
  host: ["lib", "kernel", "user"],
  machine: ["lib", "hw", "kernel", "user", "host"],
  plain: ["lib", "hw", "machine"],
  tui: ["lib", "hw", "machine", "plain"],
  cli: ["lib", "hw", "machine", "plain", "tui"],
  bench: ["lib", "hw", "kernel", "user", "host", "machine", "plain", "tui"],
};

const files = [];
const walk = (d) => {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(n)) files.push(p);
  }
};
walk(SRC);

let bad = 0;
for (const f of files) {
  const from = layerOf(f);
  const allowed = ALLOWED[from];
  if (!allowed) {
    console.error(`${f}: folder '${from}' has no place in the layering (scripts/check-layers.mjs)`);
    bad++;
    continue;
  }
  const text = readFileSync(f, "utf8");
  for (const m of text.matchAll(
    /(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith(".")) continue;
    const target = normalize(join(dirname(f), spec));
    const rel = relative(SRC, target).replaceAll("\\", "/");
    if (rel.startsWith("..")) continue;
    const to = layerOf(target);
    if (to === from) continue;
    const ok = allowed.some((a) => rel === a || rel.startsWith(`${a}/`) || to === a);
    if (!ok) {
      console.error(`${f}: imports ${spec} (${to}), which layer '${from}' may not use`);
      bad++;
    }
  }
}
if (bad) {
  console.error(`check-layers: ${bad} import(s) break the layering`);
  process.exit(1);
}
console.log(`check-layers: ${files.length} files, layering respected`);
