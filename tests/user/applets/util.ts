/*
 * util.ts - shared expectations of the applet tests: BusyBox's usage block
 * as an applet prints it, and the getopt complaint that precedes it.
 */

import { applets } from "../../../src/user/applets/registry.js";

export const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

/** What bb_show_usage() prints for an applet. */
export function usage(name: string): string {
  const a = applets.get(name);
  if (!a?.usage) throw new Error(`${name} has no usage`);
  return `${BANNER}\n\nUsage: ${a.usage}\n`;
}

/** glibc's complaint about an unknown short option, then the usage. */
export function badopt(name: string, opt: string): string {
  return `${name}: invalid option -- '${opt}'\n${usage(name)}`;
}
