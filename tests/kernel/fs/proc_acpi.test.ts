/*
 * /proc/acpi on pc (drivers/acpi/proc.c): QEMU's DSDT gives no device a
 * _PRW, so wakeup is its header; writes name no device and are taken.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/acpi", () => {
  it("pc: wakeup lists no device", () => {
    const r = sh(
      [
        "ls -l /proc/acpi | cut -c1-10,57-",
        "cat /proc/acpi/wakeup",
        "echo PS2K > /proc/acpi/wakeup; echo rc=$?",
      ],
      {
        machine: "pc",
      },
    );
    expect(r.output).toBe("total 0\n-rw-r--r-- wakeup\nDevice\tS-state\t  Status   Sysfs node\nrc=0\n");
  });

  it("vexpress-a9 has no ACPI", () => {
    expect(sh(["ls /proc/acpi 2>&1"]).output).toBe("ls: /proc/acpi: No such file or directory\n");
  });
});
