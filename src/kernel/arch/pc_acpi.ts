/*
 * acpi.ts - the ACPI tables QEMU's pc firmware (SeaBIOS) hands the kernel,
 * as acpi_table_print and acpi_reserve_initial_tables log them
 * (drivers/acpi/tables.c).
 *
 * SeaBIOS builds the tables in the reserved tail of low RAM (the e820
 * "reserved" range right above the last usable low RAM), 128 KiB below its
 * top, in this order: FACS, DSDT, FACP, APIC (the MADT), HPET, WAET, RSDT.
 * Only the MADT's size depends on the machine: one 8-byte Local APIC entry
 * per possible CPU besides the I/O APIC, five interrupt source overrides
 * and the LAPIC NMI entry QEMU always adds.
 */

import { low_ram_top } from "./pc_layout.js";

const hex16u = (x: number): string => `0x${x.toString(16).toUpperCase().padStart(16, "0")}`;
const hex8 = (x: number): string => `0x${x.toString(16).padStart(8, "0")}`;

/** A table: signature, length, and the text after the length (revision and OEM ids). */
type Table = [string, number, string];

const BOCHS = "(v01 BOCHS  BXPC     00000001 BXPC 00000001)";

/** The MADT of QEMU pc: header and local APIC address (44), N Local APICs, I/O APIC, 5 overrides, NMI. */
const madt_length = (ncpus: number): number => 44 + 8 * ncpus + 12 + 5 * 10 + 6;

function tables(ncpus: number): Table[] {
  return [
    ["FACS", 0x40, ""],
    ["DSDT", 0x199f, BOCHS],
    ["FACP", 0x74, BOCHS],
    ["APIC", madt_length(ncpus), BOCHS],
    ["HPET", 0x38, BOCHS],
    ["WAET", 0x28, BOCHS],
    ["RSDT", 0x34, BOCHS],
  ];
}

/** Each table's physical address and length. */
function layout(e820: [number, number, string][], ncpus: number): Map<string, [number, number, string]> {
  const out = new Map<string, [number, number, string]>();
  let at = low_ram_top(e820) - 0x20000;
  for (const [sig, len, oem] of tables(ncpus)) {
    out.set(sig, [at, len, oem]);
    at += len;
  }
  return out;
}

/** "ACPI: RSDT 0x000000003FFE1B33 000034 (v01 BOCHS ...)" (acpi_table_print). */
export function acpi_table_line(e820: [number, number, string][], ncpus: number, sig: string): string {
  const [at, len, oem] = layout(e820, ncpus).get(sig)!;
  const head = `ACPI: ${sig} ${hex16u(at)} ${len.toString(16).toUpperCase().padStart(6, "0")}`;
  return oem ? `${head} ${oem}` : head;
}

/** "ACPI: Reserving FACP table memory at [mem 0x3ffe19df-0x3ffe1a52]" (acpi_reserve_initial_tables). */
export function acpi_reserve_line(e820: [number, number, string][], ncpus: number, sig: string): string {
  const [at, len] = layout(e820, ncpus).get(sig)!;
  return `ACPI: Reserving ${sig} table memory at [mem ${hex8(at)}-${hex8(at + len - 1)}]`;
}
