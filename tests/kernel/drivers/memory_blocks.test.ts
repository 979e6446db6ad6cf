/*
 * Memory block devices (drivers/base/memory.c): one memoryN per 128 MiB
 * block holding RAM, linked from its node; the 32-bit ARM kernel has no
 * memory hotplug and so no /sys/devices/system/memory.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const GiB = 1 << 30;

describe("/sys/devices/system/memory", () => {
  it("pc with 1 GiB: eight blocks, the first spanning DMA and DMA32", () => {
    const r = sh(
      [
        "cd /sys/devices/system/memory",
        "ls",
        "cat block_size_bytes auto_online_blocks",
        "ls memory0",
        "cat memory0/valid_zones memory1/valid_zones memory7/phys_index memory7/state memory7/online memory7/removable",
        "ls -l memory7/node0 memory7/subsystem | sed 's/.*memory7/memory7/'",
        "cat memory7/subsystem/devices/memory7/node0/cpulist",
      ],
      { machine: "pc", smp: 2 },
    );
    expect(r.output).toBe(
      "auto_online_blocks  memory2             memory6\n" +
        "block_size_bytes    memory3             memory7\n" +
        "memory0             memory4             power\n" +
        "memory1             memory5             uevent\n" +
        "8000000\noffline\n" +
        "node0        phys_device  power        state        uevent\n" +
        "online       phys_index   removable    subsystem    valid_zones\n" +
        "none\nDMA32\n00000007\nonline\n1\n1\n" +
        "memory7/node0 -> ../../node/node0\nmemory7/subsystem -> ../../../../bus/memory\n" +
        "0-1\n",
    );
  });

  it("pc with 5 GiB: no blocks in the PCI hole below 4 GiB, Normal above it", () => {
    const r = sh(
      [
        "cd /sys/devices/system/memory",
        "ls -d memory* | wc -l",
        "ls -d memory2? memory3? | tr '\\n' ' '; echo",
        "cat memory23/valid_zones memory32/valid_zones memory47/valid_zones",
      ],
      { machine: "pc", memory: 5 * GiB },
    );
    expect(r.output).toBe(
      "40\nmemory20 memory21 memory22 memory23 memory32 memory33 memory34 memory35 memory36 memory37 memory38 memory39 \n" +
        "DMA32\nNormal\nNormal\n",
    );
  });

  it("state and online: the state a block has is accepted, another is EBUSY, nonsense EINVAL", () => {
    const r = sh(
      [
        "cd /sys/devices/system/memory/memory3",
        "echo online > state; echo 1 > online; echo rc=$?",
        "echo offline > state; echo 0 > online; echo bogus > state",
        "echo online_movable > ../auto_online_blocks; cat ../auto_online_blocks; echo x > ../auto_online_blocks",
      ],
      { machine: "pc" },
    );
    expect(r.output).toBe(
      "rc=0\n" +
        "sh: write error: Device or resource busy\n".repeat(2) +
        "sh: write error: Invalid argument\nonline_movable\nsh: write error: Invalid argument\n",
    );
  });

  it("virt with two nodes: each node links the blocks of its RAM", () => {
    const r = sh(
      [
        "cd /sys/devices/system/node",
        "ls node0 | grep memory | tr '\\n' ' '; echo",
        "ls node1 | grep memory | tr '\\n' ' '; echo",
        "ls /sys/bus/node/devices",
      ],
      { machine: "virt", numa: 2, memory: 2 * GiB },
    );
    expect(r.output).toBe(
      "memory10 memory11 memory12 memory13 memory14 memory15 memory8 memory9 \n" +
        "memory16 memory17 memory18 memory19 memory20 memory21 memory22 memory23 \n" +
        "node0  node1\n",
    );
  });

  it("vexpress-a9 (no memory hotplug, no NUMA): neither directory", () => {
    expect(sh("ls /sys/devices/system; ls /sys/bus").output).toBe("cpu\n");
  });
});
