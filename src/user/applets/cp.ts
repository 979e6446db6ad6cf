/*
 * cp.ts - cp (coreutils/cp.c): copy SOURCE to DEST, or SOURCEs into
 * DIRECTORY. -R/-r recurse (and then copy symlinks as links, as -d/-P do,
 * unless -L), -a is -dpR, -p keeps mode, owner and times, -f replaces a
 * destination it cannot open, -i asks, -n never overwrites, -u only when
 * newer, -l/-s make links instead, -t DIR names the directory first, -T
 * refuses to copy into a directory.
 */

import { S_ISDIR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { copy_file } from "../libc/copy.js";
import { bb_basename, bb_error_msg, bb_getopt, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `cp [-arPLHpfinlsTu] SOURCE DEST
or: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }

Copy SOURCEs to DEST

\t-a\tSame as -dpR
\t-R,-r\tRecurse
\t-d,-P\tPreserve symlinks (default if -R)
\t-L\tFollow all symlinks
\t-H\tFollow symlinks on command line
\t-p\tPreserve file attributes if possible
\t-f\tOverwrite
\t-i\tPrompt before overwrite
\t-n\tDon't overwrite
\t-l,-s\tCreate (sym)links
\t-T\tRefuse to copy if DEST is a directory
\t-t DIR\tCopy all SOURCEs into DIR
\t-u\tCopy only newer files`;

function* cp_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "aRrdPLHpfinlsTt:uv", USAGE, [
    { name: "archive", arg: 0, val: "a" },
    { name: "force", arg: 0, val: "f" },
    { name: "interactive", arg: 0, val: "i" },
    { name: "link", arg: 0, val: "l" },
    { name: "dereference", arg: 0, val: "L" },
    { name: "no-dereference", arg: 0, val: "P" },
    { name: "recursive", arg: 0, val: "R" },
    { name: "symbolic-link", arg: 0, val: "s" },
    { name: "no-target-directory", arg: 0, val: "T" },
    { name: "target-directory", arg: 1, val: "t" },
    { name: "update", arg: 0, val: "u" },
    { name: "verbose", arg: 0, val: "v" },
  ]);
  if (!o) return 1;
  const a = o.has("a");
  const recurse = a || o.has("R") || o.has("r");
  const flags = {
    recurse,
    preserve: a || o.has("p"),
    noDereference: (recurse || a || o.has("d") || o.has("P")) && !o.has("L"),
    followTop: o.has("H"),
    force: o.has("f"),
    interactive: o.last("i", "n", "f") === "i",
    noClobber: o.last("i", "n", "f") === "n",
    makeHardlink: o.has("l"),
    makeSoftlink: o.has("s"),
    update: o.has("u"),
    verbose: o.has("v"),
  };
  const args = [...o.rest];
  const tdir = o.arg("t");
  if (tdir !== undefined) args.push(tdir);
  if (args.length < 2) return yield* bb_show_usage(USAGE);
  const dest = args.pop()!;
  const dst = yield* stat(dest);
  const destIsDir = typeof dst !== "number" && S_ISDIR(dst.st_mode);
  if (o.has("T")) {
    if (args.length > 1) return yield* bb_show_usage(USAGE);
    if (destIsDir) {
      yield* bb_error_msg("cp", `'${dest}' is a directory`);
      return 1;
    }
  }
  let status = 0;
  for (const src of args) {
    const into = (destIsDir && !o.has("T")) || args.length > 1;
    const target = into ? concat_path_file(dest, bb_basename(src.replace(/\/+$/, ""))) : dest;
    if ((yield* copy_file("cp", src, target, flags)) < 0) status = 1;
  }
  return status;
}

export const cp: Applet = { name: "cp", dir: "/bin", usage: USAGE, main: cp_main };
