/*
 * mkfifo.ts - mkfifo (coreutils/mkfifo.c, libcoreutils/getopt_mk_fifo_nod.c):
 * make each NAME a named pipe. The mode is 0666 less the umask; -m MODE
 * (octal, or symbolic from a=rw) sets it exactly (the umask is cleared).
 * An invalid -m MODE is not an error of its own: BusyBox passes (mode_t)-1
 * on, and the kernel refuses it (EINVAL).
 */

import { S_IFIFO } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { getopt_mk_fifo_nod } from "../libc/getopt_mk_fifo_nod.js";
import { bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { mknod } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mkfifo [-m MODE] NAME

Create named pipe

\t-m MODE\tMode (default a=rw)`;

function* mkfifo_main(argv: string[]): UserGen<number> {
  const o = yield* getopt_mk_fifo_nod(argv, USAGE);
  if (!o) return 1;
  const mode = o.mode;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  let status = 0;
  for (const name of o.rest) {
    // mkfifo(3): mknod with S_IFIFO or'ed in
    const r = yield* mknod(name, (mode | S_IFIFO) >>> 0, 0);
    if (r < 0) {
      yield* bb_perror_msg("mkfifo", name, r);
      status = 1;
    }
  }
  return status;
}

export const mkfifo: Applet = { name: "mkfifo", dir: "/usr/bin", usage: USAGE, main: mkfifo_main };
