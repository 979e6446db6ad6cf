/*
 * builtins.ts - the table of ash's builtin commands (BusyBox shell/ash.c
 * builtintab). A special builtin (POSIX 2.14: break, :, continue, ., eval,
 * exec, exit, export, readonly, return, set, shift, trap, unset) is found
 * before functions, and its assignments stay; the others behave like
 * programs that happen to run inside the shell. The commands themselves
 * live in bltin/, grouped by theme.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { cdBuiltins } from "./bltin/cd.js";
import { coreBuiltins } from "./bltin/core.js";
import { echoBuiltins } from "./bltin/echo.js";
import { jobBuiltins } from "./bltin/jobs.js";
import { readBuiltins } from "./bltin/read.js";
import { testBuiltins } from "./bltin/test.js";
import { ulimitBuiltins } from "./bltin/ulimit.js";
import { varBuiltins } from "./bltin/vars.js";
import type { Shell } from "./shell.js";

export interface Builtin {
  name: string;
  special: boolean;
  fn: (sh: Shell, argv: string[]) => UserGen<number>;
}

export const BUILTINS = new Map<string, Builtin>();
for (const b of [
  ...coreBuiltins,
  ...varBuiltins,
  ...cdBuiltins,
  ...echoBuiltins,
  ...readBuiltins,
  ...testBuiltins,
  ...jobBuiltins,
  ...ulimitBuiltins,
])
  BUILTINS.set(b.name, b);
