/*
 * getopt_mk_fifo_nod.ts - libbb's getopt_mk_fifo_nod: mkfifo's and mknod's
 * shared -m MODE. The mode starts as 0666; with -m the umask is cleared
 * first (so the mode is exact), and a bad mode leaves it restored and the
 * mode all ones, which the kernel then refuses.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt } from "./libbb.js";
import { bb_parse_mode } from "./mode.js";
import { umask } from "./sys.js";

/** The operands and the mode, or null after getopt's complaint. */
export function* getopt_mk_fifo_nod(
  argv: string[],
  usage: string,
): UserGen<{ rest: string[]; mode: number } | null> {
  const o = yield* bb_getopt(argv, "m:", usage);
  if (!o) return null;
  let mode = 0o666;
  const m = o.arg("m");
  if (m !== undefined) {
    const old = yield* umask(0);
    const parsed = bb_parse_mode(m, mode, old);
    if (parsed === null) {
      yield* umask(old);
      mode = 0xffffffff;
    } else mode = parsed;
  }
  return { rest: o.rest, mode };
}
