/*
 * touch.ts - touch (coreutils/touch.c): set the access and modification
 * times of FILEs to now, creating missing ones (not with -c). -d DATE and
 * -t [[CC]YY]MMDDhhmm[.ss] give another time, -r FILE copies its times, -a
 * and -m change only one of the two. -h and -f are accepted (and ignored).
 */

import { O_CREAT, O_WRONLY } from "../../kernel/uapi/abi.js";
import { ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { close, open, stat, utimens } from "../libc/sys.js";
import { gmtime, parse_datestr, time, timegm } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...

Update mtime of FILEs

\t-c\tDon't create files
\t-h\tDon't follow links
\t-a\tChange only atime
\t-m\tChange only mtime
\t-d DT\tDate/time to use
\t-t DT\tDate/time to use
\t-r FILE\tUse FILE's date/time`;

function* touch_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "cd:t:r:amhf", USAGE, [
    { name: "no-create", arg: 0, val: "c" },
    { name: "reference", arg: 1, val: "r" },
    { name: "date", arg: 1, val: "d" },
  ]);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  let atime = -1;
  let mtime = -1;
  const ref = o.arg("r");
  if (ref !== undefined) {
    const st = yield* stat(ref);
    if (typeof st === "number") {
      yield* bb_perror_msg("touch", ref, st);
      return 1;
    }
    atime = st.st_atime;
    mtime = st.st_mtime;
  }
  const ds = o.arg("d") ?? o.arg("t");
  if (ds !== undefined) {
    // Over "now": what the date does not give keeps the current time (then mktime carries over).
    const tm = parse_datestr(ds, gmtime(yield* time()));
    if (!tm) {
      yield* bb_error_msg("touch", `invalid date '${ds}'`);
      return 1;
    }
    atime = mtime = timegm(tm);
  }
  let status = 0;
  for (const f of o.rest) {
    let a = atime;
    let m = mtime;
    if (o.has("a") !== o.has("m")) {
      const st = yield* stat(f);
      if (typeof st !== "number") {
        if (!o.has("a")) a = st.st_atime;
        if (!o.has("m")) m = st.st_mtime;
      }
    }
    let r = yield* utimens(f, a, m);
    if (r === -ENOENT) {
      if (o.has("c")) continue;
      const fd = yield* open(f, O_WRONLY | O_CREAT, 0o666);
      if (fd >= 0) {
        yield* close(fd);
        r = atime >= 0 || mtime >= 0 ? yield* utimens(f, a, m) : 0;
      } else r = fd;
    }
    if (r < 0) {
      yield* bb_perror_msg("touch", f, r);
      status = 1;
    }
  }
  return status;
}

export const touch: Applet = { name: "touch", dir: "/bin", usage: USAGE, main: touch_main };
