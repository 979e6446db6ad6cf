/*
 * lsmod.ts - lsmod (BusyBox modutils/lsmod.c with
 * FEATURE_LSMOD_PRETTY_2_6_OUTPUT): /proc/modules as a table.
 *
 *   Module                  Size  Used by    Tainted: G
 *   slab_demo              16384  0
 *
 * The header ends with check_tainted(): "Not tainted", or "Tainted: " and
 * three letters from /proc/sys/kernel/tainted (P or G, F, S). Each line is
 * the first four fields of /proc/modules, "%-19s %8s %2s %s", with the
 * users' list losing its trailing comma ("-" for none prints nothing).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `lsmod

List loaded kernel modules`;

function* lsmod_main(_argv: string[]): UserGen<number> {
  let out = `${"Module".padEnd(24, " ")}Size  Used by`;
  const t = yield* read_text("/proc/sys/kernel/tainted");
  const tainted = typeof t === "string" ? Number.parseInt(t, 10) || 0 : 0;
  if (tainted)
    out += `    Tainted: ${tainted & 1 ? "P" : "G"}${tainted & 2 ? "F" : " "}${tainted & 4 ? "S" : " "}\n`;
  else out += "    Not tainted\n";
  const text = yield* read_text("/proc/modules");
  if (typeof text === "string")
    for (const line of text.split("\n")) {
      const tok = line.split(/[ \t]+/).filter(Boolean);
      if (tok.length < 4 || tok[0].startsWith("#")) continue;
      const users = tok[3].length > 1 ? tok[3].slice(0, -1) : "";
      out += `${tok[0].padEnd(19, " ")} ${tok[1].padStart(8, " ")} ${tok[2].padStart(2, " ")} ${users}\n`;
    }
  yield* puts(1, out);
  return 0;
}

export const lsmod: Applet = { name: "lsmod", dir: "/sbin", usage: USAGE, main: lsmod_main };
