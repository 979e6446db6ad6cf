/*
 * acpi.ts - /proc/acpi on x86 (Linux drivers/acpi/bus.c acpi_bus_init makes
 * the directory, drivers/acpi/proc.c acpi_system_wakeup_device_seq_show
 * and _write).
 *
 * wakeup lists the devices whose ACPI object has a _PRW (a GPE that can
 * wake the machine) with their deepest wake state, enabled or not. The
 * DSDT QEMU builds for pc gives no device a _PRW, so the list is empty: the
 * header alone. A write names a device to toggle; no device matches, and
 * the write is taken whole, as Linux takes it. Nothing else lives here:
 * the button driver only adds a directory for a lid, which pc has not.
 */

import { S_IFREG } from "../../uapi/abi.js";
import { dir, file, type ProcEntry } from "./generic.js";

export function proc_acpi(): ProcEntry {
  return dir("acpi", [
    file("wakeup", () => "Device\tS-state\t  Status   Sysfs node\n", {
      mode: S_IFREG | 0o644,
      write: (_k, _t, text) => text.length,
    }),
  ]);
}
