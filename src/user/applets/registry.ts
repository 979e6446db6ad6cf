/*
 * registry.ts - the applets of the BusyBox binary, one table (BusyBox's
 * applet_tables). /bin/busybox is one program; which applet runs depends on
 * the name it was started as (argv[0]), or on its first argument.
 */

import type { ProgramMain } from "../../kernel/uapi/syscalls.js";

export interface Applet {
  name: string;
  /** Where `busybox --install` links it: /bin, /sbin, /usr/bin or /usr/sbin. */
  dir: "/bin" | "/sbin" | "/usr/bin" | "/usr/sbin";
  main: ProgramMain;
}

export const applets = new Map<string, Applet>();

export function register(...list: Applet[]): void {
  for (const a of list) applets.set(a.name, a);
}
