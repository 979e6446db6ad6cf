/*
 * proc_tty.ts - /proc/tty (Linux fs/proc/proc_tty.c proc_tty_init).
 *
 *   drivers   the tty drivers (drivers/tty_driver.ts tty_drivers_show)
 *   ldiscs    the registered line disciplines, "%-10s %2d": only n_tty,
 *             the others (N_HDLC, N_GSM, PPP...) are modules nobody loaded
 *   ldisc/    empty, kept because user space knows it
 *   driver/   0500: a file per driver with a proc_show (the serial ones),
 *             root only since its byte counts reveal keystroke timings
 */

import { tty_drivers_show } from "../../drivers/tty_driver.js";
import { S_IFDIR } from "../../uapi/abi.js";
import { dir, file, type ProcEntry } from "./generic.js";

export function proc_tty(): ProcEntry {
  return dir("tty", [
    dir(
      "driver",
      (k) =>
        k.vfs.tty_drivers
          .filter((d) => d.driver_name && d.proc_show)
          .map((d) => file(d.driver_name!, (kk) => d.proc_show!(kk))),
      { mode: S_IFDIR | 0o500 },
    ),
    file("drivers", (k) => tty_drivers_show(k)),
    dir("ldisc", []),
    file("ldiscs", () => `${"n_tty".padEnd(10)} ${String(0).padStart(2)}\n`),
  ]);
}
