// Bundles the CLI with esbuild so start-up does not compile TypeScript.
// Output: dist/mmbox.js (the plain path) plus lazily loaded chunks (the TUI).
import { build } from "esbuild";

await build({
  entryPoints: { mmbox: "src/cli/main.ts", "bench/main": "src/bench/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: false,
  logLevel: "warning",
});
