/*
 * link.ts - link (coreutils/link.c): make LINK a hard link to FILE with
 * link(2): exactly two operands, no options but "--".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { link as sys_link } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `link FILE LINK

Create hard LINK to FILE`;

function* link_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  if (o.rest.length !== 2) return yield* bb_show_usage(USAGE);
  const [file, name] = o.rest;
  const r = yield* sys_link(file, name);
  if (r < 0) {
    yield* bb_perror_msg("link", `can't create hardlink '${name}' to '${file}'`, r);
    return 1;
  }
  return 0;
}

export const link: Applet = { name: "link", dir: "/bin", usage: USAGE, main: link_main };
