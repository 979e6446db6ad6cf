/*
 * rmmod.ts - rmmod (BusyBox modutils/rmmod.c): unload kernel modules.
 *
 *   rmmod [-wfa] [MODULE]...
 *
 * A module is named by file or module name: the last path component, cut
 * at its first '.', with '-' read as '_' (filename2modname), so
 * "rmmod /lib/modules/slab-demo.ko" unloads slab_demo. delete_module(2)
 * gets O_NONBLOCK|O_EXCL (-w drops O_NONBLOCK, -f adds O_TRUNC); -a asks
 * the kernel to remove every unused module (a NULL name). The first
 * failure ends it: "rmmod: can't unload module 'x': <strerror>", status 1.
 */

import { O_EXCL, O_NONBLOCK, O_TRUNC } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { delete_module } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `rmmod [-wfa] [MODULE]...

Unload kernel modules

\t-w\tWait until the module is no longer used
\t-f\tForce unload
\t-a\tRemove all unused modules (recursively)`;

const MODULE_NAME_LEN = 56;

/** filename2modname: up to the first '.', '-' read as '_'. */
export function filename2modname(filename: string): string {
  let out = "";
  for (let i = 0; i < MODULE_NAME_LEN - 1 && i < filename.length && filename[i] !== "."; i++)
    out += filename[i] === "-" ? "_" : filename[i];
  return out;
}

function* rmmod_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "wfas", USAGE);
  if (!o) return 1;
  let flags = O_NONBLOCK | O_EXCL;
  if (o.has("w")) flags &= ~O_NONBLOCK;
  if (o.has("f")) flags |= O_TRUNC;
  if (o.has("a")) {
    const r = yield* delete_module("", flags);
    if (r < 0 && r !== -14) {
      yield* bb_perror_msg("rmmod", "rmmod", r);
      return 1;
    }
    return 0;
  }
  if (!o.rest.length) return yield* bb_show_usage(USAGE);
  for (const arg of o.rest) {
    const bname = arg.split("/").filter(Boolean).pop() ?? arg;
    const modname = filename2modname(bname);
    const r = yield* delete_module(modname, flags);
    if (r < 0) {
      yield* bb_perror_msg("rmmod", `can't unload module '${modname}'`, r);
      return 1;
    }
  }
  return 0;
}

export const rmmod: Applet = { name: "rmmod", dir: "/sbin", usage: USAGE, main: rmmod_main };
