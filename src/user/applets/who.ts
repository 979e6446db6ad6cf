/*
 * who.ts - who and w (coreutils/who.c): the sessions in /var/run/utmp. The
 * simulated machine keeps no utmp (nothing logs in: init starts the shell
 * on the console directly), so who lists nobody; -H and w print only the
 * header. Operands are a usage error.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const WHO_USAGE = `who [-aH]

Show who is logged on

\t-a\tShow all
\t-H\tPrint column headers`;

const W_USAGE = `w

Show who is logged on`;

const HEADER = "USER\t\tTTY\t\tIDLE\tTIME\t\t HOST\n";

function* who_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "aH", WHO_USAGE);
  if (!o) return 1;
  if (o.rest.length) return yield* bb_show_usage(WHO_USAGE);
  if (o.has("H")) yield* puts(1, HEADER);
  return 0;
}

function* w_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", W_USAGE);
  if (!o) return 1;
  if (o.rest.length) return yield* bb_show_usage(W_USAGE);
  yield* puts(1, HEADER);
  return 0;
}

export const who: Applet = { name: "who", dir: "/usr/bin", usage: WHO_USAGE, main: who_main };
export const w: Applet = { name: "w", dir: "/usr/bin", usage: W_USAGE, main: w_main };
