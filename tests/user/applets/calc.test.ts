/*
 * calc.test.ts - bc, dc, gzip/gunzip/zcat and tar against what Debian's BusyBox
 * 1.35 printed for the same lines on the host (golden/bc.cmds, dc.cmds,
 * gzip.cmds, recorded by scripts/record-applet-goldens.sh): arithmetic at
 * every scale, bases, functions and the -l library; compressed bytes (md5
 * of the .gz and .tar files), file handling and the error messages.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const dir = new URL("./golden/", import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), "utf8");

describe("bc, dc, gzip and tar, as real BusyBox", () => {
  it.each(["bc", "dc", "gzip", "tar"])("%s", (name) => {
    expect(sh(read(`${name}.cmds`).trimEnd().split("\n")).output).toBe(read(`${name}.out`));
  });
});
