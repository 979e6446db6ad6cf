/*
 * which.ts - which (debianutils/which.c): where each COMMAND is found in
 * $PATH (the default root path when PATH is unset): the first executable
 * regular file, or every one with -a. A name with a slash is only checked.
 * Nothing is printed for a command that is not found; the status is then 1.
 * Shell builtins are not looked at: "which cd" finds nothing.
 */

import { S_ISREG, X_OK } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { DEFAULT_PATH, getenv } from "../libc/proc.js";
import { Writer } from "../libc/stream.js";
import { access, stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `which [-a] COMMAND...

Locate COMMAND

\t-a\tShow all matches`;

/** file_is_executable: access(X_OK) and a regular file. */
function* file_is_executable(name: string): UserGen<boolean> {
  if ((yield* access(name, X_OK)) !== 0) return false;
  const st = yield* stat(name);
  return typeof st !== "number" && S_ISREG(st.st_mode);
}

function* which_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "a", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const path = getenv(envp, "PATH") ?? DEFAULT_PATH;
  const out = yield* Writer.open(1);
  let status = 0;
  for (const name of o.rest) {
    let missing = true;
    if (name.includes("/")) {
      if (yield* file_is_executable(name)) {
        missing = false;
        yield* out.puts(`${name}\n`);
      }
    } else {
      for (const dir of path.split(":")) {
        const p = concat_path_file(dir || ".", name);
        if (!(yield* file_is_executable(p))) continue;
        missing = false;
        yield* out.puts(`${p}\n`);
        if (!o.has("a")) break;
      }
    }
    if (missing) status = 1;
  }
  yield* out.flush();
  return status;
}

export const which: Applet = { name: "which", dir: "/usr/bin", usage: USAGE, main: which_main };
