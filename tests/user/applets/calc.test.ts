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
  it.each(["bc", "dc", "gzip", "tar", "stty"])("%s", (name) => {
    expect(sh(read(`${name}.cmds`).trimEnd().split("\n")).output).toBe(read(`${name}.out`));
  });
});

describe("the console's termios and the machine's identity", () => {
  it("stty sees the serial console as the kernel keeps it (115200 baud, the tests' transcript mode clears echo and onlcr)", () => {
    expect(sh(["stty -g", "stty", "stty size", "arch", "hostid"]).output).toBe(
      [
        "500:1:1cb2:8003:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0",
        "speed 115200 baud; line = 0;",
        "intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>;",
        "eol2 = <undef>; swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R;",
        "werase = ^W; lnext = ^V; flush = ^O; min = 1; time = 0;",
        "-brkint -imaxbel",
        "-onlcr",
        "-echo -echoe -echok -echoctl -echoke",
        "24 80",
        "armv7l",
        // no /etc/hostid, and the host name is in no /etc/hosts: gethostid() is 0
        "00000000",
        "",
      ].join("\n"),
    );
  });
});
