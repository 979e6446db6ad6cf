/*
 * whoami.ts - whoami (coreutils/whoami.c): the name of the effective user,
 * from /etc/passwd (its number when it has no entry). Any argument, an
 * option or not, gets the usage (BusyBox does not run getopt here).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_show_usage } from "../libc/libbb.js";
import { NameCache } from "../libc/pwd.js";
import { puts } from "../libc/stdio.js";
import { getuid } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `whoami

Print the user name associated with the current effective user id`;

function* whoami_main(argv: string[]): UserGen<number> {
  // no getopt: any argument at all is the usage, with no "invalid option" line
  if (argv.length > 1) return yield* bb_show_usage(USAGE);
  yield* puts(1, `${yield* new NameCache().user(yield* getuid())}\n`);
  return 0;
}

export const whoami: Applet = { name: "whoami", dir: "/usr/bin", usage: USAGE, main: whoami_main };
