/*
 * iomem.ts - /proc/iomem and /proc/ioports: the physical address map and
 * the I/O port space (Linux kernel/resource.c r_show, with the resources
 * registered by the platform, the firmware map and setup_arch's "System
 * RAM" and "Kernel code/data" children).
 */

import { pci_hole32, pci_hole64 } from "../../arch/pc_layout.js";
import { mmio_base, pc_io_after_virtio, virtio_disks } from "../../block/virtio_blk.js";
import { kernel_sections } from "../../init/layout.js";
import type { Kernel } from "../../kernel.js";

interface Res {
  start: number;
  end: number; // inclusive
  name: string;
  children?: Res[];
}

/* The device windows of the reference machines (they do not move). */
const VEXPRESS_DEVICES: [number, number, string, [number, number, string][]?][] = [
  [0x10000008, 0x1000000b, "basic-mmio-gpio.0.auto dat"],
  [0x10000048, 0x1000004b, "basic-mmio-gpio.1.auto dat"],
  [0x1000004c, 0x1000004f, "basic-mmio-gpio.2.auto dat"],
  [0x10000060, 0x100000ab, "vexpress-syscfg.3.auto vexpress-syscfg.3.auto"],
  [0x10004000, 0x10004fff, "aaci@4000"],
  [0x10005000, 0x10005fff, "mmci@5000"],
  [0x10006000, 0x10006fff, "kmi@6000"],
  [0x10007000, 0x10007fff, "kmi@7000"],
  [0x10009000, 0x10009fff, "uart@9000", [[0x10009000, 0x10009fff, "10009000.uart uart@9000"]]],
  [0x1000a000, 0x1000afff, "uart@a000", [[0x1000a000, 0x1000afff, "1000a000.uart uart@a000"]]],
  [0x1000b000, 0x1000bfff, "uart@b000", [[0x1000b000, 0x1000bfff, "1000b000.uart uart@b000"]]],
  [0x1000c000, 0x1000cfff, "uart@c000", [[0x1000c000, 0x1000cfff, "1000c000.uart uart@c000"]]],
  [0x1000f000, 0x1000ffff, "wdt@f000"],
  [0x10011000, 0x10011fff, "timer@11000"],
  [0x10012000, 0x10012fff, "timer@12000"],
  [0x10017000, 0x10017fff, "rtc@17000", [[0x10017000, 0x10017fff, "rtc-pl031"]]],
  [0x1001f000, 0x1001ffff, "clcd@1f000"],
  [0x10020000, 0x10020fff, "clcd@10020000"],
  [0x100e0000, 0x100e0fff, "memory-controller@100e0000"],
  [0x100e1000, 0x100e1fff, "memory-controller@100e1000"],
  [0x100e5000, 0x100e5fff, "watchdog@100e5000"],
];

const PC_LOW: [number, number, string, [number, number, string][]?][] = [
  [0x000a0000, 0x000bffff, "PCI Bus 0000:00"],
  [0x000c0000, 0x000c9bff, "Video ROM"],
  [0x000ca000, 0x000cadff, "Adapter ROM"],
  [0x000cb000, 0x000cb5ff, "Adapter ROM"],
];

const PC_HIGH: [number, number, string, [number, number, string][]?][] = [
  [
    0x40000000,
    0xfebfffff,
    "PCI Bus 0000:00",
    [
      [0xfd000000, 0xfdffffff, "0000:00:02.0"],
      [0xfeb80000, 0xfebbffff, "0000:00:03.0"],
      [0xfebc0000, 0xfebdffff, "0000:00:03.0"],
      [0xfebf0000, 0xfebf0fff, "0000:00:02.0"],
    ],
  ],
  [0xfec00000, 0xfec003ff, "IOAPIC 0"],
  [0xfed00000, 0xfed003ff, "HPET 0", [[0xfed00000, 0xfed003ff, "PNP0103:00"]]],
  [0xfee00000, 0xfee00fff, "Local APIC"],
];

/** The host bridge's 64-bit window (ACPI _CRS). */
function window64(e820: readonly (readonly [number, number, string])[]): Res {
  const [start, end] = pci_hole64(e820);
  return { start, end, name: "PCI Bus 0000:00" };
}

function res(list: [number, number, string, [number, number, string][]?][]): Res[] {
  return list.map(([s, e, n, c]) => ({
    start: s,
    end: e,
    name: n,
    children: c?.map(([a, b, m]) => ({ start: a, end: b, name: m })),
  }));
}

/** The resource tree of the machine as it stands. */
export function iomem_resources(k: Kernel): Res[] {
  const p = k.profile;
  const b = k.boot_layout;
  const kernelKids = (): Res[] => {
    const s = kernel_sections(p, b.text_start);
    if (p.arch === "x86_64")
      return [
        { start: s.text, end: s.etext - 1, name: "Kernel code" },
        { start: s.rodata, end: s.rodata_end - 1, name: "Kernel rodata" },
        { start: s.sdata, end: s.edata - 1, name: "Kernel data" },
        { start: s.bss_start, end: s.end - 1, name: "Kernel bss" },
      ];
    // ARM: "Kernel code" runs from _text to __init_begin, "Kernel data" from _sdata to _end.
    return [
      { start: s.text, end: s.init_begin - 1, name: "Kernel code" },
      { start: s.sdata, end: s.end - 1, name: "Kernel data" },
    ];
  };
  const out: Res[] = [];
  if (p.arch === "x86_64") {
    let kernelDone = false;
    const low: Res[] = [];
    for (const [s, e, type] of b.e820) {
      if (type === "usable") {
        const r: Res = { start: s === 0 ? 0x1000 : s, end: e - 1, name: "System RAM" };
        if (!kernelDone && b.text_start >= s && b.text_start < e) {
          r.children = kernelKids();
          kernelDone = true;
        }
        if (s === 0) low.push({ start: 0, end: 0xfff, name: "Reserved" });
        low.push(r);
      } else {
        const r: Res = { start: s, end: e - 1, name: "Reserved" };
        if (s === 0xf0000) r.children = [{ start: 0xf0000, end: 0xfffff, name: "System ROM" }];
        low.push(r);
      }
    }
    const high = res(PC_HIGH);
    // The 32-bit window starts where low RAM ends.
    high[0].start = pci_hole32(b.e820)[0];
    const bus = high[0].children!;
    for (const d of virtio_disks(k)) {
      const i = d.slot - 4;
      const name = `0000:00:${String(d.slot).padStart(2, "0")}.0`;
      const pref = 0xfe000000 + 0x4000 * i;
      bus.push({
        start: pref,
        end: pref + 0x3fff,
        name,
        children: [{ start: pref, end: pref + 0x3fff, name: "virtio-pci-modern" }],
      });
      bus.push({ start: 0xfebf1000 + 0x1000 * i, end: 0xfebf1fff + 0x1000 * i, name });
    }
    bus.sort((a, c) => a.start - c.start);
    out.push(...low, ...res(PC_LOW), ...high, window64(b.e820));
    out.sort((a, c) => a.start - c.start);
    return out;
  }
  if (p.arch === "arm") out.push(...res(VEXPRESS_DEVICES));
  for (const d of virtio_disks(k)) {
    const base = mmio_base(p.arch, d.slot);
    const hex = base.toString(16);
    out.push({ start: base, end: base + 0x1ff, name: `${hex}.virtio_mmio virtio_mmio@${hex}` });
  }
  out.sort((a, c) => a.start - c.start);
  for (const m of k.memblock.memory) {
    out.push({ start: m.base, end: m.base + m.size - 1, name: "System RAM", children: kernelKids() });
  }
  return out;
}

/**
 * The I/O port space (ioport_resource). The pc's: the legacy ISA devices
 * setup_arch reserves (reserve_standard_io_resources), the VGA console,
 * the 8250's "serial", rtc_cmos, the ACPI fixed blocks, the PCI
 * configuration ports and each PCI device's I/O BARs (the IDE legacy
 * ranges, the PIIX4 regions its quirk claims, the BARs firmware gave the
 * NIC, the virtio disks and the IDE bus master), all inside the host
 * bridge's two windows, which insert_resource put above what was there.
 * No driver claims a BAR (ata_piix and e1000 are modules not loaded,
 * virtio-pci uses the memory BAR). ARM boards have no I/O ports: empty.
 */
export function ioport_resources(k: Kernel): Res[] {
  if (k.profile.arch !== "x86_64") return [];
  const ide = "0000:00:01.1";
  const acpi = "0000:00:01.3";
  const low = res([
    [0x0000, 0x001f, "dma1"],
    [0x0020, 0x0021, "pic1"],
    [0x0040, 0x0043, "timer0"],
    [0x0050, 0x0053, "timer1"],
    [0x0060, 0x0060, "keyboard"],
    [0x0064, 0x0064, "keyboard"],
    [0x0070, 0x0077, "rtc_cmos"],
    [0x0080, 0x008f, "dma page reg"],
    [0x00a0, 0x00a1, "pic2"],
    [0x00c0, 0x00df, "dma2"],
    [0x00f0, 0x00ff, "fpu"],
    [0x0170, 0x0177, ide],
    [0x01f0, 0x01f7, ide],
    [0x0376, 0x0376, ide],
    [0x03c0, 0x03df, "vga+"],
    [0x03f6, 0x03f6, ide],
    [0x03f8, 0x03ff, "serial"],
    [
      0x0600,
      0x063f,
      acpi,
      [
        [0x0600, 0x0603, "ACPI PM1a_EVT_BLK"],
        [0x0604, 0x0605, "ACPI PM1a_CNT_BLK"],
        [0x0608, 0x060b, "ACPI PM_TMR"],
      ],
    ],
    [0x0700, 0x070f, acpi],
  ]);
  const high: Res[] = [{ start: 0xafe0, end: 0xafe3, name: "ACPI GPE0_BLK" }];
  for (const d of virtio_disks(k)) {
    const io = 0xc000 + 0x80 * (d.slot - 4);
    high.push({ start: io, end: io + 0x7f, name: `0000:00:${String(d.slot).padStart(2, "0")}.0` });
  }
  const nic = pc_io_after_virtio(k);
  high.push({ start: nic, end: nic + 0x3f, name: "0000:00:03.0" });
  high.push({ start: nic + 0x40, end: nic + 0x4f, name: ide });
  return [
    { start: 0x0000, end: 0x0cf7, name: "PCI Bus 0000:00", children: low },
    { start: 0x0cf8, end: 0x0cff, name: "PCI conf1" },
    { start: 0x0d00, end: 0xffff, name: "PCI Bus 0000:00", children: high },
  ];
}

/** r_show: "%*s%0*llx-%0*llx : %s", two spaces per level, 4 digits below 0x10000 (ioports), else 8. */
function r_show(list: Res[], width: number): string {
  let out = "";
  const walk = (l: Res[], depth: number): void => {
    for (const r of l) {
      out += `${" ".repeat(depth * 2)}${r.start.toString(16).padStart(width, "0")}-${r.end.toString(16).padStart(width, "0")} : ${r.name}\n`;
      if (r.children) walk(r.children, depth + 1);
    }
  };
  walk(list, 0);
  return out;
}

export function iomem_show(k: Kernel): string {
  return r_show(iomem_resources(k), 8);
}

export function ioports_show(k: Kernel): string {
  return r_show(ioport_resources(k), 4);
}
