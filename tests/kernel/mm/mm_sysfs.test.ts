/*
 * The small /sys/kernel/mm directories of 6.1: lru_gen (mm/vmscan.c, with
 * CONFIG_LRU_GEN_ENABLED unset), swap/vma_ra_enabled (mm/swap_state.c) and
 * numa/demotion_enabled (mm/memory-tiers.c, NUMA kernels only).
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/sys/kernel/mm", () => {
  it.each([
    // As the x86_64 reference lists it (transparent_hugepage: huge_memory_sysfs.ts).
    [
      "pc",
      "hugepages             lru_gen               swap\nksm                   numa                  transparent_hugepage\n",
    ],
    ["vexpress-a9", "ksm      lru_gen  swap\n"],
  ] as const)("lists the directories of %s's kernel", (machine, want) => {
    expect(sh("ls /sys/kernel/mm", { machine }).output).toBe(want);
  });

  it.each([
    // x86 has the hardware accessed bit (MM_WALK) and non-leaf PMD young bits: all three capabilities.
    ["pc", "0x0000\n0x0007\n0x0005\n0x0000\n0x0003\n"],
    // ARM: only LRU_GEN_CORE reads back.
    ["vexpress-a9", "0x0000\n0x0001\n0x0001\n0x0000\n0x0001\n"],
  ] as const)(
    "lru_gen/enabled on %s: off at boot, y, a number, n, and what the machine can have",
    (machine, want) => {
      const r = sh(
        [
          "cd /sys/kernel/mm/lru_gen",
          "cat enabled",
          "echo y > enabled; cat enabled",
          "echo 0x5 > enabled; cat enabled",
          "echo N > enabled; cat enabled",
          "echo 11 > enabled; cat enabled",
        ],
        { machine },
      );
      expect(r.output).toBe(want);
    },
  );

  it("lru_gen: bad values are EINVAL; min_ttl_ms is kept in jiffies (HZ 250) and capped", () => {
    const r = sh([
      "cd /sys/kernel/mm/lru_gen",
      "echo abc > enabled; echo -1 > min_ttl_ms; echo 0x1g > min_ttl_ms",
      "cat min_ttl_ms",
      "echo 1001 > min_ttl_ms; cat min_ttl_ms",
      "echo 010 > min_ttl_ms; cat min_ttl_ms",
      "echo 4294967295 > min_ttl_ms; cat min_ttl_ms",
      "echo 4294967296 > min_ttl_ms; cat min_ttl_ms",
      "ls -l | cut -c1-10",
    ]);
    const einval = "sh: write error: Invalid argument\n";
    expect(r.output).toBe(
      `${einval.repeat(3)}0\n1004\n8\n4294967288\n${einval}4294967288\ntotal 0\n-rw-r--r--\n-rw-r--r--\n`,
    );
  });

  it("swap/vma_ra_enabled and numa/demotion_enabled are kstrtobool switches", () => {
    const r = sh(
      [
        "cd /sys/kernel/mm",
        "cat swap/vma_ra_enabled numa/demotion_enabled",
        "echo off > swap/vma_ra_enabled; echo Y > numa/demotion_enabled",
        "cat swap/vma_ra_enabled numa/demotion_enabled",
        "echo maybe > swap/vma_ra_enabled; echo 2 > numa/demotion_enabled",
        "cat swap/vma_ra_enabled numa/demotion_enabled",
      ],
      { machine: "pc" },
    );
    expect(r.output).toBe(
      "true\nfalse\nfalse\ntrue\nsh: write error: Invalid argument\nsh: write error: Invalid argument\nfalse\ntrue\n",
    );
  });
});
