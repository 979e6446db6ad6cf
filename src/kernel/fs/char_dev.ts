/*
 * char_dev.ts - character device majors (Linux fs/char_dev.c
 * register_chrdev_region, chrdev_show) and the registrations of the
 * drivers this kernel has, in initcall order.
 *
 * Each registration claims a range of minors of a major under a name;
 * /proc/devices lists them by major, and within a major by first minor
 * (the order __register_chrdev_region keeps its lists in).
 *
 * Which drivers register is what the boot log and the machine show: the
 * memory devices, the virtual terminal ("Console: ..."), the tty core,
 * the serial drivers ("Serial: 8250/16550 driver", "Serial: AMBA driver",
 * the PL011 consoles; drivers/serial_core.ts),
 * misc, input (the i8042 keyboard, mousedev), fbmem (/proc/fb) and bsg
 * ("loaded (major 248)"). Simplified: drivers whose major is allocated
 * dynamically and not printed (rtc, pps, ptp, watchdog...) are left out,
 * as are those mmbox has no device for (ptys, usb, drm).
 */

import { serial_init } from "../drivers/serial_core.js";
import { vty_init } from "../drivers/tty_driver.js";
import type { Kernel } from "../kernel.js";

/** struct char_device_struct: a registered range. */
export interface CharDeviceStruct {
  major: number;
  baseminor: number;
  minorct: number;
  name: string;
}

/** register_chrdev_region: kept sorted by major, then first minor. */
export function register_chrdev_region(
  k: Kernel,
  major: number,
  baseminor: number,
  minorct: number,
  name: string,
): void {
  const list = k.vfs.char_devices;
  let i = 0;
  while (
    i < list.length &&
    (list[i].major < major || (list[i].major === major && list[i].baseminor < baseminor))
  )
    i++;
  list.splice(i, 0, { major, baseminor, minorct, name });
}

/** The built-in drivers' registrations, as their initcalls run. */
export function chrdev_init(k: Kernel): void {
  const arch = k.profile.arch;
  const reg = (major: number, base: number, n: number, name: string): void =>
    register_chrdev_region(k, major, base, n, name);
  reg(1, 0, 256, "mem"); // chr_dev_init
  reg(5, 0, 1, "/dev/tty"); // tty_init
  reg(5, 1, 1, "/dev/console");
  reg(4, 0, 1, "/dev/vc/0"); // vty_init
  vty_init(k);
  reg(7, 0, 256, "vcs"); // vcs_init
  reg(10, 0, 256, "misc"); // misc_init
  if (arch !== "arm64") reg(13, 0, 1024, "input"); // input_init (i8042's keyboard, mousedev)
  reg(29, 0, 32, "fb"); // fbmem_init
  reg(248, 0, 1 << 20, "bsg"); // bsg_init: "loaded (major 248)"
  serial_init(k); // serial8250_init, pl010_init, the first PL011 probe
}

/** chrdev_show for every major. */
export function chrdev_show(k: Kernel): string {
  return k.vfs.char_devices.map((cd) => `${String(cd.major).padStart(3)} ${cd.name}\n`).join("");
}
