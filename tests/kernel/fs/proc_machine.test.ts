/*
 * Lines of /proc that depend on the machine: the speculation controls of
 * /proc/PID/status and the PCI host bridge's 64-bit window in /proc/iomem,
 * and tmpfs's inode64 in /proc/mounts, as the reference guests print them.
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

describe("/proc/mounts: tmpfs says inode64 where ino_t has 64 bits", () => {
  it.each([
    [
      "pc",
      "rootfs / rootfs rw,size=486544k,nr_inodes=121636,inode64 0 0\n" +
        "devtmpfs /dev devtmpfs rw,relatime,size=486544k,nr_inodes=121636,mode=755,inode64 0 0\n" +
        "tmpfs /tmp tmpfs rw,relatime,inode64 0 0\n",
    ],
    [
      "vexpress-a9",
      "rootfs / rootfs rw,size=499960k,nr_inodes=124990 0 0\n" +
        "devtmpfs /dev devtmpfs rw,relatime,size=499960k,nr_inodes=124990,mode=755 0 0\n" +
        "tmpfs /tmp tmpfs rw,relatime 0 0\n",
    ],
  ] as const)("%s", (machine, want) => {
    expect(sh(["grep -v -e proc -e sys /proc/mounts"], { machine }).output).toBe(want);
  });
});
