/*
 * /proc/mtrr (arch/x86/kernel/cpu/mtrr/if.c): SeaBIOS's uncachable PCI hole
 * from pcimem_start (2 GiB, or 3 GiB when low RAM is above 2 GiB) to 4 GiB;
 * writes add ranges, count users of an enclosing range of the same type,
 * refuse misaligned or unknown ones (EINVAL, with mtrr_add_page's warning)
 * and drop users with disable=N.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/mtrr", () => {
  it("pc with 1 GiB: the PCI hole from 2 GiB, and writes", () => {
    const r = sh(
      [
        "ls -l /proc/mtrr | cut -c1-10,57-; cat /proc/mtrr",
        'echo "base=0xf0000000 size=0x1000000 type=write-combining" > /proc/mtrr',
        'echo "base=0xd0000000 size=0x10000000 type=uncachable" > /proc/mtrr',
        'echo "base=0x40000000 size=0x1000 type=write-back" > /proc/mtrr; cat /proc/mtrr',
        'echo "base=0x1000 size=0x3000 type=write-back" > /proc/mtrr; echo rc=$?',
        'echo "base=0x100000 size=0x100000 type=bogus" > /proc/mtrr; echo "size=1" > /proc/mtrr',
        "echo disable=2 > /proc/mtrr; echo disable=2 > /proc/mtrr; echo disable=0 > /proc/mtrr; cat /proc/mtrr",
        "dmesg | tail -n 2 | cut -c16-",
      ],
      { machine: "pc" },
    );
    expect(r.output).toBe(
      "-rw-r--r-- /proc/mtrr\n" +
        "reg00: base=0x080000000 ( 2048MB), size= 2048MB, count=1: uncachable\n" +
        // WC inside an uncachable range is compatible: a range of its own; UC inside it counts a user
        "reg00: base=0x080000000 ( 2048MB), size= 2048MB, count=2: uncachable\n" +
        "reg01: base=0x0f0000000 ( 3840MB), size=   16MB, count=1: write-combining\n" +
        "reg02: base=0x040000000 ( 1024MB), size=    4KB, count=1: write-back\n" +
        // the warnings reach the console too (level 4 < console_loglevel 7)
        "[    1.421255] mtrr: base(0x1000) is not aligned on a size(0x3000) boundary\n" +
        "sh: write error: Invalid argument\nrc=1\n" +
        // an unknown type and a line without base= fail in mtrr_write, silently
        "sh: write error: Invalid argument\nsh: write error: Invalid argument\n" +
        "[    1.421283] mtrr: MTRR 2 not used\n" +
        "sh: write error: Invalid argument\n" +
        "reg00: base=0x080000000 ( 2048MB), size= 2048MB, count=1: uncachable\n" +
        "reg01: base=0x0f0000000 ( 3840MB), size=   16MB, count=1: write-combining\n" +
        "mtrr: base(0x1000) is not aligned on a size(0x3000) boundary\n" +
        "mtrr: MTRR 2 not used\n",
    );
  });

  it("pc with 4 GiB: the PCI hole from 3 GiB", () => {
    expect(sh(["cat /proc/mtrr"], { machine: "pc", memory: 4 * 2 ** 30 }).output).toBe(
      "reg00: base=0x0c0000000 ( 3072MB), size= 1024MB, count=1: uncachable\n",
    );
  });
});
