/*
 * usage.test.ts - "--help", an invalid short option and an unknown long
 * option for every procps/system applet, against what Debian's busybox 1.35
 * printed on the host for the same commands (golden/usage.out,
 * golden/badopts.out: "busybox APPLET --help", "busybox APPLET -y",
 * "busybox APPLET --bogus", each with its exit status).
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const dir = new URL("./golden/", import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), "utf8");

describe("usage texts and bad options, as real BusyBox", () => {
  it.each([
    ["usage.cmds", "usage.out"],
    ["badopts.cmds", "badopts.out"],
  ])("%s", (cmds, out) => {
    expect(sh(read(cmds).trimEnd().split("\n")).output).toBe(read(out));
  });
});
