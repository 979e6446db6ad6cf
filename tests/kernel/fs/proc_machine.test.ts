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

describe("pc: what sits at the top of low RAM moves with it", () => {
  // 1 GiB is the reference's (x86_64 mem1024M); 4 GiB ends low RAM at 3 GiB (the rest above 4 GiB).
  it.each([
    [0.5, 2, "0x20000000", "1FFE", "000080", "0x100000000-0x17fffffff"],
    [1, 2, "0x40000000", "3FFE", "000080", "0x100000000-0x17fffffff"],
    [4, 1, "0xc0000000", "BFFE", "000078", "0x140000000-0x1bfffffff"],
  ])("%d GiB, %d CPUs", (gib, smp, hole, acpi, madt, hole64) => {
    const r = sh(["dmesg | grep -E 'ACPI: (RSDT|APIC|WAET) |Reserving APIC|root bus resource \\[mem'"], {
      machine: "pc",
      memory: gib * GiB,
      smp,
    });
    // The MADT has one 8-byte Local APIC entry per CPU: the tables after it move by 8 bytes.
    const d = smp === 1 ? -8 : 0;
    const at = (x: number): string => (x + d).toString(16).toUpperCase();
    const low = acpi.toLowerCase();
    const lines = r.output.replace(/^\[[ .0-9]+\] /gm, "");
    expect(lines).toBe(
      [
        `ACPI: RSDT 0x00000000${acpi}${at(0x1b33)} 000034 (v01 BOCHS  BXPC     00000001 BXPC 00000001)`,
        `ACPI: APIC 0x00000000${acpi}1A53 ${madt} (v01 BOCHS  BXPC     00000001 BXPC 00000001)`,
        `ACPI: WAET 0x00000000${acpi}${at(0x1b0b)} 000028 (v01 BOCHS  BXPC     00000001 BXPC 00000001)`,
        `ACPI: Reserving APIC table memory at [mem 0x${low}1a53-0x${low}${at(0x1ad2).toLowerCase()}]`,
        "pci_bus 0000:00: root bus resource [mem 0x000a0000-0x000bffff window]",
        `pci_bus 0000:00: root bus resource [mem ${hole}-0xfebfffff window]`,
        `pci_bus 0000:00: root bus resource [mem ${hole64} window]`,
        "",
      ].join("\n"),
    );
    const io = sh(["grep 'PCI Bus' /proc/iomem"], { machine: "pc", memory: gib * GiB, smp });
    expect(io.output).toBe(
      `000a0000-000bffff : PCI Bus 0000:00\n${hole.slice(2)}-febfffff : PCI Bus 0000:00\n${hole64.replaceAll("0x", "")} : PCI Bus 0000:00\n`,
    );
  });
});

describe("/proc/mounts: tmpfs says inode64 where ino_t has 64 bits", () => {
  it.each([
    [
      "pc",
      "rootfs / rootfs rw,size=486540k,nr_inodes=121635,inode64 0 0\n" +
        "devtmpfs /dev devtmpfs rw,relatime,size=486540k,nr_inodes=121635,mode=755,inode64 0 0\n" +
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
