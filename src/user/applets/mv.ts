/*
 * mv.ts - mv (coreutils/mv.c): rename SOURCE to DEST, or move SOURCEs
 * into DIRECTORY. A rename across filesystems (EXDEV) becomes a recursive
 * copy and a removal, as BusyBox does it. -f/-i/-n choose what happens to
 * an existing destination, -t DIR names the directory first, -T refuses
 * to move into a directory.
 */

import { S_ISDIR } from "../../kernel/uapi/abi.js";
import { EXDEV } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_ask_y_confirmation, copy_file, remove_file } from "../libc/copy.js";
import { bb_basename, bb_error_msg, bb_getopt, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { puts, strerror } from "../libc/stdio.js";
import { lstat, rename, stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mv [-finT] SOURCE DEST
or: mv [-fin] SOURCE... { -t DIRECTORY | DIRECTORY }

Rename SOURCE to DEST, or move SOURCEs to DIRECTORY

\t-f\tDon't prompt before overwriting
\t-i\tInteractive, prompt before overwrite
\t-n\tDon't overwrite an existing file
\t-T\tRefuse to move if DEST is a directory
\t-t DIR\tMove all SOURCEs into DIR`;

function* mv_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "finTt:v", USAGE, [
    { name: "interactive", arg: 0, val: "i" },
    { name: "force", arg: 0, val: "f" },
    { name: "no-clobber", arg: 0, val: "n" },
    { name: "no-target-directory", arg: 0, val: "T" },
    { name: "target-directory", arg: 1, val: "t" },
    { name: "verbose", arg: 0, val: "v" },
  ]);
  if (!o) return 1;
  const args = [...o.rest];
  const tdir = o.arg("t");
  if (tdir !== undefined) args.push(tdir);
  if (args.length < 2) return yield* bb_show_usage(USAGE);
  const dest = args.pop()!;
  const dst = yield* stat(dest);
  const destIsDir = typeof dst !== "number" && S_ISDIR(dst.st_mode) && !o.has("T");
  const mode = o.last("f", "i", "n");
  let status = 0;
  for (const src of args) {
    const target =
      destIsDir || args.length > 1 ? concat_path_file(dest, bb_basename(src.replace(/\/+$/, ""))) : dest;
    const exists = typeof (yield* lstat(target)) !== "number";
    if (exists && mode === "n") continue;
    if (exists && mode === "i" && !(yield* bb_ask_y_confirmation("mv", `overwrite '${target}'`))) continue;
    const r = yield* rename(src, target);
    if (r === 0) {
      if (o.has("v")) yield* puts(1, `'${src}' -> '${target}'\n`);
      continue;
    }
    if (r !== -EXDEV) {
      yield* bb_error_msg("mv", `can't rename '${src}': ${strerror(r)}`);
      status = 1;
      continue;
    }
    const flags = { recurse: true, preserve: true, noDereference: true, force: true };
    if (exists && (yield* remove_file("mv", target, { recurse: true, force: true })) < 0) status = 1;
    else if (
      (yield* copy_file("mv", src, target, flags)) < 0 ||
      (yield* remove_file("mv", src, { recurse: true, force: true })) < 0
    )
      status = 1;
  }
  return status;
}

export const mv: Applet = { name: "mv", dir: "/bin", usage: USAGE, main: mv_main };
