/*
 * sync.ts - sync (coreutils/sync.c, FEATURE_SYNC_FANCY): with no operand,
 * sync(2) writes every dirty page back; with FILEs, fsync(2) each one
 * (-d fdatasync, -f syncfs: both are fsync here). A FILE that cannot be
 * opened is reported and makes the status 1.
 */

import { O_RDONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { close, fsync, open, sync } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `sync [-df] [FILE]...

Write all buffered blocks (in FILEs) to disk
\t-d\tAvoid syncing metadata
\t-f\tSync filesystems underlying FILEs`;

function* sync_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "df", USAGE);
  if (!o) return 1;
  if (o.has("d") && o.has("f")) return yield* bb_show_usage(USAGE);
  if (o.rest.length === 0) {
    yield* sync();
    return 0;
  }
  let ret = 0;
  for (const f of o.rest) {
    const fd = yield* open(f, O_RDONLY);
    if (fd < 0) {
      yield* bb_perror_msg("sync", `can't open '${f}'`, fd);
      ret = 1;
      continue;
    }
    const r = yield* fsync(fd);
    if (r < 0) {
      yield* bb_perror_msg("sync", f, r);
      ret = 1;
    }
    yield* close(fd);
  }
  return ret;
}

export const sync_applet: Applet = { name: "sync", dir: "/bin", usage: USAGE, main: sync_main };
