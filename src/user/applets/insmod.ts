/*
 * insmod.ts - insmod (BusyBox modutils/insmod.c, modutils.c bb_init_module):
 * load one kernel module file with its parameters.
 *
 *   insmod FILE [SYMBOL=VALUE]...
 *
 * The file is read whole (BusyBox mmaps it) and handed to init_module(2)
 * with the parameters joined by spaces. Errors are moderror()'s words:
 * ENOEXEC "invalid module format", ENOENT "unknown symbol in module, or
 * unknown parameter", otherwise strerror; a file that cannot be read gives
 * its own errno. The exit status is the error number (BusyBox returns it
 * as is: 8 for ENOEXEC, 254 for a missing file's -ENOENT).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_bytes } from "../libc/file.js";
import { bb_error_msg, bb_show_usage } from "../libc/libbb.js";
import { strerror } from "../libc/stdio.js";
import { init_module } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `insmod FILE [SYMBOL=VALUE]...

Load kernel module`;

const ENOEXEC = 8;
const ENOENT = 2;
const ESRCH = 3;
const ENOSYS = 38;

/** moderror: the text of an init_module error (err > 0), or of a file error (err < 0). */
export function moderror(err: number): string {
  switch (err) {
    case -1:
      return "no such module";
    case ENOEXEC:
      return "invalid module format";
    case ENOENT:
      return "unknown symbol in module, or unknown parameter";
    case ESRCH:
      return "module has wrong symbol version";
    case ENOSYS:
      return "kernel does not support requested operation";
  }
  return strerror(Math.abs(err));
}

function* insmod_main(argv: string[]): UserGen<number> {
  const filename = argv[1];
  if (!filename) return yield* bb_show_usage(USAGE);
  const options = argv.slice(2).join(" ");
  let rc: number;
  const image = yield* read_bytes(filename);
  if (typeof image === "number") rc = image;
  else {
    const r = yield* init_module(image, options);
    rc = r < 0 ? -r : 0;
  }
  if (rc) yield* bb_error_msg("insmod", `can't insert '${filename}': ${moderror(rc)}`);
  return rc & 0xff;
}

export const insmod: Applet = { name: "insmod", dir: "/sbin", usage: USAGE, main: insmod_main };
