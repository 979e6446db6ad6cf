/*
 * ARM's /proc/cpu (arch/arm/mm/alignment.c, arch/arm/kernel/swp_emulate.c)
 * and /proc/mtd (drivers/mtd/mtdcore.c): no alignment fault or SWP in the
 * programs here, fixup mode made safe for ARMv7, no MTD device.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/cpu and /proc/mtd", () => {
  it("vexpress-a9: counters, the user-fault mode and its writes", () => {
    const r = sh([
      "ls -l /proc/cpu /proc/mtd | cut -c1-10,57-",
      "cat /proc/cpu/alignment /proc/cpu/swp_emulation /proc/mtd",
      "echo 0 > /proc/cpu/alignment; tail -n 1 /proc/cpu/alignment; dmesg | tail -n 1 | cut -c16-",
      "echo 5 > /proc/cpu/alignment; echo x > /proc/cpu/alignment; echo rc=$?; tail -n 1 /proc/cpu/alignment",
    ]);
    expect(r.output).toBe(
      "-r--r--r-- /proc/mtd\n\n/proc/cpu:\ntotal 0\n-rw-r--r-- alignment\n-r--r--r-- swp_emulation\n" +
        "User:\t\t0\nSystem:\t\t0\nSkipped:\t0\nHalf:\t\t0\nWord:\t\t0\nDWord:\t\t0\nMulti:\t\t0\nUser faults:\t2 (fixup)\n" +
        "Emulated SWP:\t\t0\nEmulated SWPB:\t\t0\nAborted SWP{B}:\t\t0\n" +
        "dev:    size   erasesize  name\n" +
        // safe_usermode's warning goes to the console too (level 4 < console_loglevel 7)
        "[    3.297609] alignment: ignoring faults is unsafe on this CPU.  Defaulting to fixup mode.\n" +
        "User faults:\t2 (fixup)\n" +
        "alignment: ignoring faults is unsafe on this CPU.  Defaulting to fixup mode.\n" +
        // any other byte is taken and ignored
        "rc=0\nUser faults:\t5 (signal+warn)\n",
    );
  });
});
