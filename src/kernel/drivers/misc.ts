/*
 * misc.ts - miscellaneous character devices (Linux drivers/char/misc.c):
 * drivers that need one minor of major 10. misc_register takes a fixed
 * minor or, for MISC_DYNAMIC_MINOR, the highest free one of the 64 dynamic
 * minors (63 first). /proc/misc lists them newest first, since each
 * registration goes to the head of misc_list.
 *
 * The built-in ones of this kernel, in initcall order: vga_arbiter
 * (subsys_initcall; "vgaarb" in the boot log), hpet on the pc (the
 * drivers/char/hpet.c device that logs "hpet0: at MMIO"), cpu_dma_latency
 * (kernel/power/qos.c, late) and userfaultfd (fs/userfaultfd.c, late;
 * CONFIG_USERFAULTFD).
 */

import type { Kernel } from "../kernel.js";

export const MISC_DYNAMIC_MINOR = 255;
const DYNAMIC_MINORS = 64;
const HPET_MINOR = 228;

export interface MiscDevice {
  minor: number;
  name: string;
}

/** misc_register. */
export function misc_register(k: Kernel, minor: number, name: string): MiscDevice {
  const list = k.vfs.misc_list;
  let m = minor;
  if (m === MISC_DYNAMIC_MINOR) {
    let i = 0;
    while (list.some((d) => d.minor === DYNAMIC_MINORS - i - 1)) i++;
    m = DYNAMIC_MINORS - i - 1;
  }
  const dev = { minor: m, name };
  list.unshift(dev);
  return dev;
}

export function misc_init(k: Kernel): void {
  misc_register(k, MISC_DYNAMIC_MINOR, "vga_arbiter");
  if (k.profile.arch === "x86_64") misc_register(k, HPET_MINOR, "hpet");
  misc_register(k, MISC_DYNAMIC_MINOR, "cpu_dma_latency");
  misc_register(k, MISC_DYNAMIC_MINOR, "userfaultfd");
}

/** misc_seq_show: "%3i %s". */
export function misc_show(k: Kernel): string {
  return k.vfs.misc_list.map((d) => `${String(d.minor).padStart(3)} ${d.name}\n`).join("");
}
