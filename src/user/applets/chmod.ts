/*
 * chmod.ts - chmod (coreutils/chmod.c): change the mode of FILEs to an
 * octal MODE or symbolic clauses [ugoa]{+|-|=}[rwxXst] (bb_parse_mode,
 * applied to each file's current mode). Among the leading "-" arguments the
 * first that is not an option is the mode ("chmod -x FILE"), as BusyBox
 * arranges before getopt; an invalid mode is fatal when it is first applied.
 * -R recurses (symlinks below the operands are skipped), -v tells every
 * file, -c the changed ones, -f hides chmod(2)'s own failures.
 */

import { S_ISDIR, S_ISLNK } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { bb_mode_string, bb_parse_mode } from "../libc/mode.js";
import { puts } from "../libc/stdio.js";
import { lstat, stat, chmod as sys_chmod, umask } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `chmod [-Rcvf] MODE[,MODE]... FILE...

MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]

\t-R\tRecurse
\t-c\tList changed files
\t-v\tVerbose
\t-f\tHide errors`;

interface Chmod {
  mode: string;
  recurse: boolean;
  verbose: boolean;
  changes: boolean;
  quiet: boolean;
  status: number;
  /** The process's umask, for clauses that name nobody ("+w"). */
  umask: number;
}

/** Changes one file (and, with -R, what is below it); false after an invalid mode (fatal). */
function* one(c: Chmod, path: string, top: boolean): UserGen<boolean> {
  const st = top ? yield* stat(path) : yield* lstat(path);
  if (typeof st === "number") {
    yield* bb_perror_msg("chmod", path, st);
    c.status = 1;
    return true;
  }
  if (!top && S_ISLNK(st.st_mode)) return true;
  const mode = bb_parse_mode(c.mode, st.st_mode, c.umask);
  if (mode === null) {
    yield* bb_error_msg("chmod", `invalid mode '${c.mode}'`);
    return false;
  }
  const r = yield* sys_chmod(path, mode);
  if (r < 0) {
    if (!c.quiet) yield* bb_perror_msg("chmod", path, r);
    c.status = 1;
  } else if (c.verbose || (c.changes && (st.st_mode & 0o7777) !== mode)) {
    const octal = mode.toString(8).padStart(4, "0");
    yield* puts(1, `mode of '${path}' changed to ${octal} (${bb_mode_string(mode).slice(1)})\n`);
  }
  if (c.recurse && S_ISDIR(st.st_mode)) {
    const ents = yield* read_dir(path);
    if (typeof ents === "number") return true;
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      if (!(yield* one(c, concat_path_file(path, e.d_name), false))) return false;
    }
  }
  return true;
}

function* chmod_main(argv: string[]): UserGen<number> {
  const args = [...argv];
  let modeAt = -1;
  for (let i = 1; i < args.length && args[i][0] === "-"; i++)
    if (args[i][1] && !"-Rvcf".includes(args[i][1])) {
      modeAt = i;
      args[i] = `a${args[i]}`; // getopt leaves it alone; the "-" comes back below
      break;
    }
  const o = yield* bb_getopt(args, "Rvcf", USAGE);
  if (!o) return 1;
  if (o.rest.length < 2) return yield* bb_show_usage(USAGE);
  const mode = modeAt >= 0 && o.rest[0] === args[modeAt] ? argv[modeAt] : o.rest[0];
  const c: Chmod = {
    mode,
    recurse: o.has("R"),
    verbose: o.has("v"),
    changes: o.has("c"),
    quiet: o.has("f"),
    status: 0,
    umask: 0,
  };
  // umask(0) then back, as bb_parse_mode reads it.
  c.umask = yield* umask(0);
  yield* umask(c.umask);
  for (const f of o.rest.slice(1)) if (!(yield* one(c, f, true))) return 1;
  return c.status;
}

export const chmod: Applet = { name: "chmod", dir: "/bin", usage: USAGE, main: chmod_main };
