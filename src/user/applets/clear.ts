/*
 * clear.ts - clear (console-tools/clear.c): cursor home and erase to the
 * end of the screen ("\e[H\e[J"). Operands are ignored, as in BusyBox.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `clear

Clear screen`;

function* clear_main(): UserGen<number> {
  yield* puts(1, "\x1b[H\x1b[J");
  return 0;
}

export const clear: Applet = { name: "clear", dir: "/usr/bin", usage: USAGE, main: clear_main };
