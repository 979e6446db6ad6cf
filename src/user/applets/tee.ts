/*
 * tee.ts - tee (coreutils/tee.c): copy stdin to stdout and to each FILE
 * (-a appends). -i ignores SIGINT. A FILE that cannot be opened is
 * reported and skipped; the status is then 1.
 */

import { O_APPEND, O_CREAT, O_TRUNC, O_WRONLY, SIG_IGN, SIGINT } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { write_all } from "../libc/stdio.js";
import { close, open, read, sigaction } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `tee [-ai] [FILE]...

Copy stdin to each FILE, and also to stdout

\t-a\tAppend to the given FILEs, don't overwrite
\t-i\tIgnore interrupt signals (SIGINT)`;

function* tee_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "ia", USAGE, [
    { name: "append", arg: 0, val: "a" },
    { name: "ignore-interrupts", arg: 0, val: "i" },
  ]);
  if (!o) return 1;
  if (o.has("i")) yield* sigaction(SIGINT, SIG_IGN);
  const fds = [1];
  const names = ["standard output"];
  let status = 0;
  for (const f of o.rest) {
    const fd = f === "-" ? 1 : yield* open(f, O_WRONLY | O_CREAT | (o.has("a") ? O_APPEND : O_TRUNC), 0o666);
    if (fd < 0) {
      yield* bb_perror_msg("tee", f, fd);
      status = 1;
    } else {
      fds.push(fd);
      names.push(f);
    }
  }
  for (;;) {
    const r = yield* read(0, 65536);
    if (typeof r === "number") {
      yield* bb_perror_msg("tee", "read error", r);
      status = 1;
      break;
    }
    if (r.length === 0) break;
    for (let i = 0; i < fds.length; i++) {
      if (fds[i] < 0) continue;
      if ((yield* write_all(fds[i], r)) < 0) {
        yield* bb_perror_msg("tee", names[i], -32);
        fds[i] = -1;
        status = 1;
      }
    }
  }
  for (const fd of fds.slice(1)) if (fd > 1) yield* close(fd);
  return status;
}

export const tee: Applet = { name: "tee", dir: "/usr/bin", usage: USAGE, main: tee_main };
