/*
 * /proc/tty (fs/proc/proc_tty.c): the tty drivers newest first after the
 * core's pseudo-drivers, n_tty, and a serial file per driver under the
 * root-only driver/ with each port's type, address, interrupt, byte counts
 * and modem lines (QEMU's 16550 reports CTS/DSR/CD, its PL011 nothing).
 * rx is the 136 bytes typed; tx what the shell printed before the cat, with
 * ONLCR's \r (printk's console output is not counted).
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const PSEUDO =
  "/dev/tty             /dev/tty        5       0 system:/dev/tty\n" +
  "/dev/console         /dev/console    5       1 system:console\n" +
  "/dev/vc/0            /dev/vc/0       4       0 system:vtmaster\n";
const VT = "unknown              /dev/tty        4 1-63 console\n";
const SERIAL = "serial               /dev/ttyS       4 64-95 serial\n";
const AMA = "ttyAMA               /dev/ttyAMA   204 64-77 serial\n";
const HDR = "serinfo:1.0 driver revision:\n";

describe("/proc/tty", () => {
  it.each([
    [
      "vexpress-a9",
      `${PSEUDO}${AMA}ttyAM                /dev/ttyAM    204 16-23 serial\n${SERIAL}${VT}`,
      `-- serial\n${HDR}${"0 1 2 3 4"
        .split(" ")
        .map((i) => `${i}: uart:unknown port:00000000 irq:0\n`)
        .join("")}-- ttyAM\n${HDR}-- ttyAMA\n${HDR}` +
        "0: uart:PL011 rev1 mmio:0x10009000 irq:31 tx:803 rx:136 RTS|DTR\n" +
        "1: uart:PL011 rev1 mmio:0x1000A000 irq:32 tx:0 rx:0\n" +
        "2: uart:PL011 rev1 mmio:0x1000B000 irq:33 tx:0 rx:0\n" +
        "3: uart:PL011 rev1 mmio:0x1000C000 irq:34 tx:0 rx:0\n",
    ],
    [
      "pc",
      `${PSEUDO}${SERIAL}${VT}`,
      `-- serial\n${HDR}` +
        "0: uart:16550A port:000003F8 irq:4 tx:442 rx:136 RTS|CTS|DTR|DSR|CD\n" +
        "1: uart:unknown port:000002F8 irq:3\n" +
        "2: uart:unknown port:000003E8 irq:4\n" +
        "3: uart:unknown port:000002E8 irq:3\n",
    ],
    [
      "virt",
      `${PSEUDO}${AMA}${VT}`,
      `-- ttyAMA\n${HDR}0: uart:PL011 rev1 mmio:0x09000000 irq:13 tx:442 rx:136 RTS|DTR\n`,
    ],
  ] as const)("%s", (machine, drivers, serial) => {
    const r = sh(
      [
        "ls -l /proc/tty | cut -c1-10,57-",
        "cat /proc/tty/drivers /proc/tty/ldiscs",
        'cd /proc/tty/driver; for f in *; do echo "-- $f"; cat $f; done',
      ],
      { machine },
    );
    expect(r.output).toBe(
      "total 0\ndr-x------ driver\n-r--r--r-- drivers\ndr-xr-xr-x ldisc\n-r--r--r-- ldiscs\n" +
        `${drivers}n_tty       0\n${serial}`,
    );
  });
});
