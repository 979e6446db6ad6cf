/*
 * uname.ts - uname (coreutils/uname.c): the fields of uname(2), in the
 * order -s -n -r -v -m, then -p and -i ("unknown", which -a leaves out)
 * and -o ("GNU/Linux"). Operands are an error.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { uname as sys_uname } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `uname [-amnrspvio]

Print system information

\t-a\tPrint all
\t-m\tMachine (hardware) type
\t-n\tHostname
\t-r\tKernel release
\t-s\tKernel name (default)
\t-p\tProcessor type
\t-v\tKernel version
\t-i\tHardware platform
\t-o\tOS name`;

function* uname_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "snrvmpioa", USAGE);
  if (!o) return 1;
  if (o.rest.length) return yield* bb_show_usage(USAGE);
  const u = yield* sys_uname();
  const all = o.has("a");
  const want = (c: string): boolean => all || o.has(c);
  const parts: string[] = [];
  if (want("s") || o.seen.length === 0) parts.push(u.sysname);
  if (want("n")) parts.push(u.nodename);
  if (want("r")) parts.push(u.release);
  if (want("v")) parts.push(u.version);
  if (want("m")) parts.push(u.machine);
  if (o.has("p")) parts.push("unknown");
  if (o.has("i")) parts.push("unknown");
  if (want("o")) parts.push("GNU/Linux");
  yield* puts(1, `${parts.join(" ")}\n`);
  return 0;
}

export const uname: Applet = { name: "uname", dir: "/bin", usage: USAGE, main: uname_main };

const ARCH_USAGE = `arch

Print system architecture`;

/** arch (coreutils/uname.c as arch): uname -m; operands are ignored. */
function* arch_main(): UserGen<number> {
  const u = yield* sys_uname();
  yield* puts(1, `${u.machine}\n`);
  return 0;
}

export const arch: Applet = { name: "arch", dir: "/bin", usage: ARCH_USAGE, main: arch_main };
