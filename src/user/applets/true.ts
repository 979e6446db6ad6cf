/*
 * true.ts - true and false (coreutils/true.c, false.c): exit 0 or 1,
 * whatever the arguments (even --help).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import type { Applet } from "./registry.js";

// biome-ignore lint/correctness/useYield: true makes no system call
function* true_main(): UserGen<number> {
  return 0;
}

// biome-ignore lint/correctness/useYield: nor does false
function* false_main(): UserGen<number> {
  return 1;
}

export const true_applet: Applet = { name: "true", dir: "/bin", main: true_main };
export const false_applet: Applet = { name: "false", dir: "/bin", main: false_main };
