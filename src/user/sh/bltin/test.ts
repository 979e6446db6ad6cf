/*
 * test.ts - test, [ and [[ as ash's builtins: BusyBox's ash runs
 * coreutils/test.c's test_main in-process, so these are the applets' own
 * code (applets/test.ts) with the shell's prefix on messages ("sh: ").
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { test_main } from "../../applets/test.js";
import { puts } from "../../libc/stdio.js";
import type { Builtin } from "../builtins.js";
import type { Shell } from "../shell.js";

/** test_main: 0 true, 1 false, 2 error. */
export function* testcmd(sh: Shell, argv: string[]): UserGen<number> {
  return yield* test_main(argv, (msg) => puts(2, `${sh.applet}: ${msg}\n`));
}

export const testBuiltins: Builtin[] = [
  { name: "test", special: false, fn: testcmd },
  { name: "[", special: false, fn: testcmd },
  { name: "[[", special: false, fn: testcmd },
];
