/*
 * /sys/devices/system/node/nodeN on NUMA kernels (drivers/base/node.c): the
 * CPU links and masks, the distance row and the per-node vmstat.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/sys/devices/system/node/node0", () => {
  it("lists the node's CPUs as links, their mask and list, and its distances", () => {
    const r = sh(
      [
        "cd /sys/devices/system/node/node0",
        "ls",
        "cat cpumap cpulist distance uevent",
        "ls -l cpu1 | sed 's/.* cpu1/cpu1/'",
      ],
      { machine: "pc", smp: 2 },
    );
    expect(r.output).toBe(
      // As the x86_64 reference lists it (1 GiB: memory0-7 of 128 MiB; x86 is SGX's group).
      "compact    cpumap     memory0    memory4    numastat   vmstat\n" +
        "cpu0       distance   memory1    memory5    power      x86\n" +
        "cpu1       hugepages  memory2    memory6    subsystem\n" +
        "cpulist    meminfo    memory3    memory7    uevent\n" +
        "3\n0-1\n10\ncpu1 -> ../../cpu/cpu1\n",
    );
  });

  it("prints a 32-bit group per 32 CPUs in cpumap, the first only as wide as needed", () => {
    const r = sh(["cat /sys/devices/system/node/node0/cpumap"], { machine: "pc", smp: 40 });
    expect(r.output).toBe("ff,ffffffff\n");
  });

  it("vmstat: the zone items summed over the node's zones, then the node items", () => {
    const r = sh(
      [
        "cd /sys/devices/system/node/node0",
        "cut -d' ' -f1 vmstat > /tmp/n",
        "sed -n '/^nr_free_pages/,/^nr_dirty_threshold/p' /proc/vmstat | cut -d' ' -f1 | grep -v threshold > /tmp/g",
        '[ "$(cat /tmp/n)" = "$(cat /tmp/g)" ] && echo same names',
        "wc -l < /tmp/n; head -n 2 /tmp/n; tail -n 1 /tmp/n",
      ],
      { machine: "pc" },
    );
    expect(r.output).toBe("same names\n60\nnr_free_pages\nnr_zone_inactive_anon\npgpromote_candidate\n");
  });
});
