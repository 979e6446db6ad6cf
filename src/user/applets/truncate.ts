/*
 * truncate.ts - truncate (coreutils/truncate.c): set each FILE's size to
 * SIZE (k K kB KB M MB G GB... suffixes), creating it unless -c. A file
 * that -c finds missing is no error.
 */

import { O_CREAT, O_NONBLOCK, O_WRONLY } from "../../kernel/uapi/abi.js";
import { ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  cwbkMG_suffixes,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { close, ftruncate, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `truncate [-c] -s SIZE FILE...

Truncate FILEs to SIZE

\t-c\tDo not create files
\t-s SIZE`;

/** kMG_suffixes: cwbkMG's without c, w and b. */
const kMG_suffixes = cwbkMG_suffixes.filter((s) => !["c", "w", "b"].includes(s.suffix));

function* truncate_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "cs:", USAGE);
  if (!o) return 1;
  const s = o.arg("s");
  if (s === undefined || o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const r = strtou_range_sfx(s, 10, 0, Number.MAX_SAFE_INTEGER, kMG_suffixes, 2 ** 63 - 1);
  if (!r.ok) {
    yield* bb_error_msg("truncate", r.msg);
    return 1;
  }
  const nocreate = o.has("c");
  let status = 0;
  for (const f of o.rest) {
    const fd = yield* open(f, O_WRONLY | O_NONBLOCK | (nocreate ? 0 : O_CREAT), 0o666);
    if (fd < 0) {
      if (fd !== -ENOENT || !nocreate) {
        yield* bb_perror_msg("truncate", `${f}: open`, fd);
        status = 1;
      }
      continue;
    }
    const t = yield* ftruncate(fd, r.value);
    if (t < 0) {
      yield* bb_perror_msg("truncate", `${f}: truncate`, t);
      status = 1;
    }
    yield* close(fd);
  }
  return status;
}

export const truncate: Applet = { name: "truncate", dir: "/usr/bin", usage: USAGE, main: truncate_main };
