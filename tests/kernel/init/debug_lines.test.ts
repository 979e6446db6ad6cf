/*
 * Boot lines printed at KERN_DEBUG: in dmesg (as in the reference's), never
 * on the console. pcpu_dump_alloc_info after "percpu: Embedded", and
 * run_init_process's arguments and environment after "Run /init".
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("pcpu-alloc lines", () => {
  it.each([
    ["pc", 2, "pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152\npcpu-alloc: [0] 0 1 \n"],
    ["pc", 3, "pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152\npcpu-alloc: [0] 0 1 [0] 2 - \n"],
    [
      "vexpress-a9",
      4,
      "pcpu-alloc: s45012 r8192 d20524 u73728 alloc=18*4096\npcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 \n",
    ],
  ] as const)("%s with %d CPUs", (machine, smp, want) => {
    const r = sh(["dmesg | grep pcpu-alloc | sed 's/^\\[[ 0-9.]*\\] //'"], { machine, smp });
    expect(r.output).toBe(want);
  });
});

describe("run_init_process", () => {
  it("lists init's arguments and environment, with the unknown parameters of the command line", () => {
    const r = sh(["dmesg | grep -A7 'Run /init' | sed 's/^\\[[ 0-9.]*\\] //'"], {
      machine: "pc",
      append: "refmode=batch single",
    });
    expect(r.output).toBe(
      "Run /init as init process\n  with arguments:\n    /init\n    single\n  with environment:\n" +
        "    HOME=/\n    TERM=linux\n    refmode=batch\n",
    );
  });

  it("keeps them off the console", () => {
    const r = sh(["true"], { machine: "vexpress-a9", bootLog: true });
    expect(r.output).not.toMatch(/pcpu-alloc|with arguments|with environment/);
    expect(r.output).toMatch(/Run \/init as init process\n/);
  });
});

describe("e820 lines", () => {
  it.each([
    [1024, "0x3ffda000-0x3fffffff"],
    [512, "0x1ffda000-0x1fffffff"],
  ])("pc with %d MiB: trim_bios_range, and the RAM buffers after the last RAM of each range", (mib, tail) => {
    const r = sh(["dmesg | grep '] e820: ' | sed 's/^\\[[ 0-9.]*\\] //'", "dmesg | grep -c '] e820: '"], {
      machine: "pc",
      memory: mib * 2 ** 20,
    });
    expect(r.output).toBe(
      "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n" +
        "e820: remove [mem 0x000a0000-0x000fffff] usable\n" +
        "e820: reserve RAM buffer [mem 0x0009fc00-0x0009ffff]\n" +
        `e820: reserve RAM buffer [mem ${tail}]\n` +
        "4\n",
    );
  });
  it("logs them at KERN_DEBUG", () => {
    const r = sh(["dmesg -r | grep '] e820: ' | cut -c1-3 | uniq -c"], { machine: "pc" });
    expect(r.output).toBe("      4 <7>\n");
  });
});
