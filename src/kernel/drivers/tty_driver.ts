/*
 * tty_driver.ts - the tty drivers' registry (Linux drivers/tty/tty_io.c
 * tty_register_driver, include/linux/tty_driver.h) and /proc/tty/drivers
 * (fs/proc/proc_tty.c show_tty_driver).
 *
 * A tty driver owns a range of minors of a major and says what kind of
 * terminal it drives. tty_register_driver claims the character device
 * range and puts the driver at the head of tty_drivers (list_add), so
 * /proc/tty/drivers lists the newest first, after the pseudo-drivers of
 * the tty core (/dev/tty, /dev/console, /dev/vc/0) that have no driver:
 *
 *   /dev/tty             /dev/tty        5       0 system:/dev/tty
 *   ttyAMA               /dev/ttyAMA   204 64-77 serial
 *   unknown              /dev/tty        4 1-63 console
 *   |driver_name "%-20s"| "/dev/%-8s"  |%3d| minors | type
 *
 * This kernel's drivers: the virtual terminals (vty_init), and the serial
 * drivers of drivers/serial_core.ts. No ptys (no /dev/ptmx, as in
 * /proc/devices: !CONFIG_UNIX98_PTYS for this model).
 */

import { register_chrdev_region } from "../fs/char_dev.js";
import type { Kernel } from "../kernel.js";

export const TTY_DRIVER_TYPE_SYSTEM = 1;
export const TTY_DRIVER_TYPE_CONSOLE = 2;
export const TTY_DRIVER_TYPE_SERIAL = 3;
export const TTY_DRIVER_TYPE_PTY = 4;

/** struct tty_driver, the fields /proc/tty shows. */
export interface TtyDriver {
  /** driver_name ("serial", "ttyAMA"; null prints "unknown"). */
  driver_name: string | null;
  /** The device name without its number ("ttyS"). */
  name: string;
  major: number;
  minor_start: number;
  /** How many minors (devices) it drives. */
  num: number;
  type: number;
  /** ops->proc_show: its /proc/tty/driver/<driver_name> file, if any. */
  proc_show: ((k: Kernel) => string) | null;
}

/** tty_register_driver: claim the minors, add at the head of tty_drivers. */
export function tty_register_driver(k: Kernel, d: TtyDriver): void {
  register_chrdev_region(k, d.major, d.minor_start, d.num, d.name);
  k.vfs.tty_drivers.unshift(d);
}

/** vty_init: the virtual consoles tty1..tty63 (MAX_NR_CONSOLES), type console, no driver_name. */
export function vty_init(k: Kernel): void {
  tty_register_driver(k, {
    driver_name: null,
    name: "tty",
    major: 4,
    minor_start: 1,
    num: 63,
    type: TTY_DRIVER_TYPE_CONSOLE,
    proc_show: null,
  });
}

const MINORBITS = 20;

/** show_tty_range: one line for the minors of one major. */
function show_tty_range(d: TtyDriver, major: number, from: number, num: number): string {
  let s = `${(d.driver_name ?? "unknown").padEnd(20)} /dev/${d.name.padEnd(8)} `;
  s +=
    d.num > 1
      ? `${String(major).padStart(3)} ${from}-${from + num - 1} `
      : `${String(major).padStart(3)} ${String(from).padStart(7)} `;
  const types = ["", "system", "console", "serial", "pty"];
  return `${s}${types[d.type] ?? `type:${d.type}.0`}\n`;
}

/** /proc/tty/drivers: the pseudo-drivers, then each driver's ranges, one per major. */
export function tty_drivers_show(k: Kernel): string {
  const list = k.vfs.tty_drivers;
  if (list.length === 0) return "";
  const pseudo = (name: string, dev: string, major: number, minor: number, what: string): string =>
    `${name.padEnd(20)} /dev/${dev.padEnd(8)} ${String(major).padStart(3)} ${String(minor).padStart(7)} ${what}\n`;
  let out = pseudo("/dev/tty", "tty", 5, 0, "system:/dev/tty");
  out += pseudo("/dev/console", "console", 5, 1, "system:console");
  out += pseudo("/dev/vc/0", "vc/0", 4, 0, "system:vtmaster"); // CONFIG_VT
  for (const d of list) {
    let from = (d.major << MINORBITS) + d.minor_start;
    const to = from + d.num;
    while (from >> MINORBITS < to >> MINORBITS) {
      const next = ((from >> MINORBITS) + 1) << MINORBITS;
      out += show_tty_range(d, from >> MINORBITS, from & ((1 << MINORBITS) - 1), next - from);
      from = next;
    }
    if (from !== to) out += show_tty_range(d, from >> MINORBITS, from & ((1 << MINORBITS) - 1), to - from);
  }
  return out;
}
