/*
 * consoles.ts - /proc/consoles (Linux fs/proc/consoles.c): one line per
 * registered console, here the machine's one serial console.
 *
 *   ttyS0                -W- (EC p a)    4:64
 *   name+index, padded   read/write/unblank, flags, the tty device
 *
 * Flags: E enabled, C the preferred console (CONSDEV), B a boot console,
 * p print the log buffer on registration, b braille, a usable while a CPU
 * comes up (ANYTIME). The 8250 driver registers its console with
 * CON_PRINTBUFFER | CON_ANYTIME, the PL011 (ttyAMA) with CON_PRINTBUFFER
 * only; both write but neither reads nor unblanks. The boot console of
 * earlycon is gone by the time user space runs.
 */

import type { Kernel } from "../../kernel.js";

const CON_PRINTBUFFER = 1 << 0;
const CON_CONSDEV = 1 << 1;
const CON_ENABLED = 1 << 2;
const CON_BOOT = 1 << 3;
const CON_ANYTIME = 1 << 4;
const CON_BRL = 1 << 5;

/** con_flags[] of show_console_dev, in its order. */
const con_flags: readonly [number, string][] = [
  [CON_ENABLED, "E"],
  [CON_CONSDEV, "C"],
  [CON_BOOT, "B"],
  [CON_PRINTBUFFER, "p"],
  [CON_BRL, "b"],
  [CON_ANYTIME, "a"],
];

/** The serial console: its driver's name, flags and tty device (major, first minor). */
function serial_console(k: Kernel): {
  name: string;
  index: number;
  flags: number;
  major: number;
  minor: number;
} {
  const m = /^(\D+)(\d+)$/.exec(k.profile.console)!;
  const enabled = CON_ENABLED | CON_CONSDEV | CON_PRINTBUFFER;
  if (m[1] === "ttyS")
    return { name: m[1], index: Number(m[2]), flags: enabled | CON_ANYTIME, major: 4, minor: 64 };
  return { name: m[1], index: Number(m[2]), flags: enabled, major: 204, minor: 64 };
}

/** show_console_dev for each console. */
export function consoles_show(k: Kernel): string {
  const c = serial_console(k);
  const flags = con_flags.map(([bit, ch]) => (c.flags & bit ? ch : " ")).join("");
  const dev = ` ${String(c.major).padStart(4)}:${c.minor + c.index}`;
  return `${`${c.name}${c.index}`.padEnd(20)} -W- (${flags})${dev}\n`;
}
