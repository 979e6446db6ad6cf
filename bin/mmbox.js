#!/usr/bin/env node
// Entry point: runs the prebuilt bundle (npm run build) so start-up pays for no TypeScript compile.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
const main = fileURLToPath(new URL("../dist/mmbox.js", import.meta.url));
if (!existsSync(main)) {
  process.stderr.write("mmbox: not built yet; run `npm run build` (npm install does it too)\n");
  process.exit(1);
}
await import(main);
