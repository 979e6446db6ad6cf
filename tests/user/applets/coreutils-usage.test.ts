/*
 * coreutils-usage.test.ts - "--help", an invalid short option and an
 * unknown long option for every file and text applet, and edge cases found
 * by comparing with the host's BusyBox (empty names, "--", cut's field walk,
 * grep's GNU and sed's POSIX regex syntax), against what Debian's busybox
 * 1.35 printed for the same lines on the host (golden/*.cmds, recorded by
 * scripts/record-applet-goldens.sh).
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const dir = new URL("./golden/", import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), "utf8");

describe("usage texts and bad options of the file and text applets, as real BusyBox", () => {
  it.each([
    "coreutils-usage",
    "coreutils-badopts",
    "coreutils-edges",
    "text-edges",
    "headtail-edges",
    "sort-edges",
    "test-edges",
    "printf-edges",
    "dump-edges",
    "chmod-edges",
    "ls-edges",
    "date-edges",
    "misc-edges",
    "fileops-edges",
    "awk",
    "awk-edges",
    "awk-idioms",
    "sed-edges",
    "regex-edges",
    "find-edges",
    "mkfifo",
    "expr",
    "stat",
    "sums",
    "cmp-readlink",
    "text-more",
    "mktemp",
    "xxd",
    "strings",
    "base64",
    "uuencode",
    "text-small",
    "getopt",
    "cal-shuf",
    "diff",
    "diff-random",
    "text-unicode",
  ])("%s", (name) => {
    expect(sh(read(`${name}.cmds`).trimEnd().split("\n")).output).toBe(read(`${name}.out`));
  });
});
