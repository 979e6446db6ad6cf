/*
 * ln.ts - ln (coreutils/ln.c): make hard links, or symlinks with -s. The
 * link is LINK, or DIR/basename(TARGET) when the last operand is a
 * directory (not with -n when it is a symlink, nor with -T), or
 * basename(TARGET) in the current directory when only TARGET is given. -f
 * removes an existing LINK, -b renames it to LINK~ (-S SUF for another
 * suffix), -v tells what it made.
 */

import { S_ISDIR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_basename, bb_getopt, bb_perror_msg, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { link, lstat, rename, stat, symlink, unlink } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR

Create a link LINK or DIR/TARGET to the specified TARGET(s)

\t-s\tMake symlinks instead of hardlinks
\t-f\tRemove existing destinations
\t-n\tDon't dereference symlinks - treat like normal file
\t-b\tMake a backup of the target (if exists) before link operation
\t-S SUF\tUse suffix instead of ~ when making backup files
\t-T\tTreat LINK as a file, not DIR
\t-v\tVerbose`;

function* ln_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "sfnbS:vT", USAGE);
  if (!o) return 1;
  const args = [...o.rest];
  if (args.length === 0) return yield* bb_show_usage(USAGE);
  let last: string;
  if (args.length === 1) last = bb_basename(args[0]);
  else last = args.pop()!;
  if (o.has("T") && args.length > 1) return yield* bb_show_usage(USAGE);
  const lst = o.has("n") ? yield* lstat(last) : yield* stat(last);
  const lastIsDir = typeof lst !== "number" && S_ISDIR(lst.st_mode) && !o.has("T");
  if (args.length > 1 && !lastIsDir) {
    yield* bb_perror_msg("ln", last, -20); // ENOTDIR
    return 1;
  }
  let status = 0;
  for (const target of args) {
    const name = lastIsDir ? concat_path_file(last, bb_basename(target)) : last;
    if (!o.has("s")) {
      const st = yield* stat(target);
      if (typeof st === "number") {
        yield* bb_perror_msg("ln", target, st);
        status = 1;
        continue;
      }
    }
    if (o.has("b")) yield* rename(name, `${name}${o.arg("S") ?? "~"}`);
    if (o.has("f")) yield* unlink(name);
    const r = o.has("s") ? yield* symlink(target, name) : yield* link(target, name);
    if (r < 0) {
      yield* bb_perror_msg("ln", name, r);
      status = 1;
    } else if (o.has("v")) yield* puts(1, `'${name}' -> '${target}'\n`);
  }
  return status;
}

export const ln: Applet = { name: "ln", dir: "/bin", usage: USAGE, main: ln_main };
