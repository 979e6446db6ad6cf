/*
 * pc_layout.ts - where QEMU's pc machine (i440FX, SeaBIOS) puts things
 * around the RAM it was given: the top of RAM below the 32-bit PCI hole and
 * the host bridge's two memory windows (ACPI _CRS), which the kernel logs
 * at PCI probe and lists in /proc/iomem.
 */

type E820 = readonly (readonly [number, number, string])[];

const GiB = 0x40000000;

/** The top of RAM below 4 GiB: the last usable range and the firmware's reserved tail right above it. */
export function low_ram_top(e820: E820): number {
  const usable = e820.filter((r) => r[2] === "usable" && r[0] >= 0x100000 && r[1] <= 4 * GiB);
  const last = usable[usable.length - 1];
  const tail = e820.find((r) => r[2] === "reserved" && r[0] === last[1]);
  return tail ? tail[1] : last[1];
}

/** The 32-bit window: from the top of low RAM up to the I/O APIC. */
export function pci_hole32(e820: E820): [number, number] {
  return [low_ram_top(e820), 0xfebfffff];
}

/**
 * The 64-bit window: i440fx's pci-hole64 (2 GiB by default) at the first
 * GiB boundary at or above both 4 GiB and the end of RAM.
 */
export function pci_hole64(e820: E820): [number, number] {
  let top = 4 * GiB;
  for (const [, e, type] of e820) if (type === "usable") top = Math.max(top, e);
  const start = Math.ceil(top / GiB) * GiB;
  return [start, start + 2 * GiB - 1];
}

/**
 * "pci_bus 0000:00: root bus resource [mem 0x40000000-0xfebfffff window]":
 * what is "root bus resource 32" / "resource 7 64" - the words before the
 * window, and which window.
 */
export function pci_window_line(e820: E820, what: string): string {
  const words = what.slice(0, what.lastIndexOf(" "));
  const [s, e] = what.endsWith(" 64") ? pci_hole64(e820) : pci_hole32(e820);
  const hex = (x: number): string => `0x${x.toString(16).padStart(8, "0")}`;
  return `pci_bus 0000:00: ${words} [mem ${hex(s)}-${hex(e)} window]`;
}
