/*
 * Lines of /proc that depend on the machine: the speculation controls of
 * /proc/PID/status and the PCI host bridge's 64-bit window in /proc/iomem,
 * as the reference guests print them.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const GiB = 2 ** 30;

describe("/proc/PID/status speculation lines", () => {
  it.each([
    ["pc", "Speculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\talways enabled\n"],
    ["vexpress-a9", "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunsupported\n"],
  ] as const)("%s", (machine, want) => {
    const r = sh(["grep ^Spec /proc/self/status; grep ^Spec /proc/1/status"], { machine });
    expect(r.output).toBe(want + want);
  });
});

describe("/proc/iomem on pc: the 64-bit PCI window", () => {
  it.each([
    [1, "100000000-17fffffff : PCI Bus 0000:00\n"],
    [6, "100000000-1bfffffff : System RAM\n1c0000000-23fffffff : PCI Bus 0000:00\n"],
  ])("%d GiB: above 4 GiB and above RAM, 2 GiB long", (gib, want) => {
    const r = sh(["sed -n '/^fffc0000/,$p' /proc/iomem"], { machine: "pc", memory: gib * GiB });
    expect(r.output).toBe(`fffc0000-ffffffff : Reserved\n${want}fd00000000-ffffffffff : Reserved\n`);
  });
});
