/*
 * serial_core.ts - the serial drivers and their ports (Linux
 * drivers/tty/serial/serial_core.c uart_register_driver, uart_proc_show,
 * uart_line_info; 8250_core.c, amba-pl010.c, amba-pl011.c).
 *
 * Each serial driver registers a tty driver of `nr` lines; the ports its
 * probe found fill some of them. /proc/tty/driver/<driver_name> (root only)
 * has a line per port:
 *
 *   serinfo:1.0 driver revision:
 *   0: uart:16550A port:000003F8 irq:4 tx:1520 rx:31 RTS|CTS|DTR|DSR|CD
 *   1: uart:unknown port:000002F8 irq:3
 *
 * The port's type and address (I/O port, or "mmio:0x" and the MMIO base),
 * its interrupt; for a port whose UART was found, the bytes it sent and
 * received and its modem lines (the ones the driver drives, then the ones
 * it reads). The console's port is the live one (drivers/serial.ts); the
 * other UARTs of the board were probed and never opened.
 *
 * Which drivers and ports: what the boot log says. The 8250 driver
 * ("Serial: 8250/16550 driver, N ports") has UART_NR (32) lines and sets up
 * nr_uarts of them: on x86 at the legacy COM addresses (SERIAL_PORT_DFNS),
 * of which QEMU has only the first, a 16550A; on ARM with no address and
 * nothing found. vexpress has the PL010 driver ("Serial: AMBA driver", no
 * such UART on the board) and four PL011s (ttyAMA0-3); virt one PL011.
 */

import type { Kernel } from "../kernel.js";
import { TIOCM_CAR, TIOCM_CTS, TIOCM_DSR, TIOCM_DTR, TIOCM_RNG, TIOCM_RTS } from "./serial.js";
import { TTY_DRIVER_TYPE_SERIAL, tty_register_driver } from "./tty_driver.js";

/** A port a driver's probe set up (struct uart_port, the fields shown). */
interface UartPortInfo {
  line: number;
  /** uart_type(): "16550A", "PL011 rev1", or "unknown" (PORT_UNKNOWN: nothing there). */
  type: string;
  /** iotype >= UPIO_MEM: the address is a mapbase. */
  mmio: boolean;
  addr: number;
  irq: number;
}

/** struct uart_driver. */
interface UartDriver {
  driver_name: string;
  dev_name: string;
  major: number;
  minor: number;
  nr: number;
  ports: UartPortInfo[];
}

/** uart_line_info. */
function uart_line_info(k: Kernel, p: UartPortInfo, console: boolean): string {
  const addr = p.addr.toString(16).toUpperCase().padStart(8, "0");
  let s = `${p.line}: uart:${p.type} ${p.mmio ? "mmio:0x" : "port:"}${addr} irq:${p.irq}`;
  if (p.type === "unknown") return `${s}\n`;
  const live = console ? k.console.port : null;
  const mctrl = live ? live.mctrl : 0;
  const status = live ? live.get_mctrl() : 0;
  s += ` tx:${live ? live.icount.tx : 0} rx:${live ? live.icount.rx : 0}`;
  let stat = "";
  if (mctrl & TIOCM_RTS) stat += "|RTS";
  if (status & TIOCM_CTS) stat += "|CTS";
  if (mctrl & TIOCM_DTR) stat += "|DTR";
  if (status & TIOCM_DSR) stat += "|DSR";
  if (status & TIOCM_CAR) stat += "|CD";
  if (status & TIOCM_RNG) stat += "|RI";
  if (stat) stat = ` ${stat.slice(1)}`;
  return `${s}${stat}\n`;
}

/** uart_register_driver: its tty driver, with uart_proc_show for /proc/tty/driver. */
function uart_register_driver(k: Kernel, drv: UartDriver): void {
  tty_register_driver(k, {
    driver_name: drv.driver_name,
    name: drv.dev_name,
    major: drv.major,
    minor_start: drv.minor,
    num: drv.nr,
    type: TTY_DRIVER_TYPE_SERIAL,
    proc_show: (kk) =>
      `serinfo:1.0 driver revision:\n${drv.ports
        .map((p) => uart_line_info(kk, p, `${drv.dev_name}${p.line}` === kk.profile.console))
        .join("")}`,
  });
}

/** The serial drivers' registrations, in initcall (and first probe) order. */
export function serial_init(k: Kernel): void {
  const arch = k.profile.arch;
  if (arch !== "arm64") {
    // serial8250_init: nr_uarts ports of UART_NR lines (4 on amd64, 5 on armmp, as the boot log says).
    const legacy: [number, number][] = [
      [0x3f8, 4],
      [0x2f8, 3],
      [0x3e8, 4],
      [0x2e8, 3],
    ];
    const ports: UartPortInfo[] = [];
    const n = arch === "x86_64" ? 4 : 5;
    for (let i = 0; i < n; i++) {
      const [addr, irq] = arch === "x86_64" ? legacy[i] : [0, 0];
      const found = arch === "x86_64" && i === 0;
      ports.push({ line: i, type: found ? "16550A" : "unknown", mmio: false, addr, irq });
    }
    uart_register_driver(k, { driver_name: "serial", dev_name: "ttyS", major: 4, minor: 64, nr: 32, ports });
  }
  if (arch === "arm") {
    // pl010_init: the driver, no PL010 on the board.
    uart_register_driver(k, {
      driver_name: "ttyAM",
      dev_name: "ttyAM",
      major: 204,
      minor: 16,
      nr: 8,
      ports: [],
    });
  }
  if (arch !== "x86_64") {
    // pl011_register_port at the first PL011's probe: UART_NR 14 lines.
    const ports: UartPortInfo[] =
      arch === "arm"
        ? [0, 1, 2, 3].map((i) => ({
            line: i,
            type: "PL011 rev1",
            mmio: true,
            addr: 0x10009000 + i * 0x1000,
            irq: 31 + i,
          }))
        : [{ line: 0, type: "PL011 rev1", mmio: true, addr: 0x9000000, irq: 13 }];
    uart_register_driver(k, {
      driver_name: "ttyAMA",
      dev_name: "ttyAMA",
      major: 204,
      minor: 64,
      nr: 14,
      ports,
    });
  }
}
