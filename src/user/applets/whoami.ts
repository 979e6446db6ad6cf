/*
 * whoami.ts - whoami (coreutils/whoami.c): the name of the effective user,
 * from /etc/passwd (its number when it has no entry). No operands.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { NameCache } from "../libc/pwd.js";
import { puts } from "../libc/stdio.js";
import { getuid } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `whoami

Print the user name associated with the current effective user id`;

function* whoami_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  if (o.rest.length) return yield* bb_show_usage(USAGE);
  yield* puts(1, `${yield* new NameCache().user(yield* getuid())}\n`);
  return 0;
}

export const whoami: Applet = { name: "whoami", dir: "/usr/bin", usage: USAGE, main: whoami_main };
