/*
 * busybox.ts - the multi-call binary itself (libbb/appletlib.c): /bin/busybox
 * and every link to it start here. The applet is the name it was run as
 * (argv[0], a login shell's leading "-" removed) or, for "busybox APPLET
 * ARGS", the first argument. "busybox" alone prints the help with the list
 * of applets wrapped to the terminal width; --list and --list-full print
 * them one per line. "APPLET --help" prints the applet's usage on stdout.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { BANNER, bb_basename } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { prctl_get_name, prctl_set_name } from "../libc/sys.js";
import { get_terminal_width_height } from "../libc/termios.js";
import { applets } from "./registry.js";
import { find_applet_by_name, run_applet } from "./standalone.js";

const HELP = `${BANNER}
BusyBox is copyrighted by many authors between 1998-2015.
Licensed under GPLv2. See source distribution for detailed
copyright notices.

Usage: busybox [function [arguments]...]
   or: busybox --list[-full]
   or: busybox --show SCRIPT
   or: busybox --install [-s] [DIR]
   or: function [arguments]...

\tBusyBox is a multi-call binary that combines many common Unix
\tutilities into a single executable.  Most people will create a
\tlink to busybox for each function they wish to use and BusyBox
\twill act like whatever it was invoked as.

Currently defined functions:
`;

/** Names in strcmp order, as applet_names is sorted (BusyBox's applets: not mmbox's other programs). */
function names(): string[] {
  return [...applets.keys()]
    .filter((n) => find_applet_by_name(n))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The help text's list: "\tname, name," lines no wider than the terminal. */
export function wrap_applet_list(list: string[], width: number): string {
  let out = "";
  let col = 0;
  const w = width - 1; // keep the last comma off the very last column
  for (const a of list) {
    const len2 = a.length + 2;
    if (col >= w - len2) {
      out += ",\n";
      col = 0;
    }
    if (col === 0) {
      col = 6;
      out += "\t";
    } else out += ", ";
    out += a;
    col += len2;
  }
  return `${out}\n`;
}

/**
 * Run through /proc/self/exe (ash re-executing an applet) the process is
 * named "exe": it takes the name it was run as, as BusyBox's main does
 * (called before the C library's start-up, which takes a real program
 * microseconds but mmbox's simulated one long enough for a ps to see "exe").
 */
export function* busybox_comm_fixup(argv: string[]): UserGen<void> {
  if ((yield* prctl_get_name()) === "exe")
    yield* prctl_set_name(bb_basename(argv[0] ?? "busybox").replace(/^-/, ""));
}

export function* busybox_main(argv: string[], envp: string[], libc?: unknown): UserGen<number> {
  let name = bb_basename(argv[0] ?? "busybox").replace(/^-/, "");
  if (name === "busybox") {
    const arg = argv[1];
    if (arg === undefined || arg === "--help") {
      const [width] = yield* get_terminal_width_height(2, envp);
      yield* puts(1, HELP + wrap_applet_list(names(), width));
      return 0;
    }
    if (arg === "--list" || arg === "--list-full") {
      const full = arg === "--list-full";
      const lines = names().map((n) => (full ? `${applets.get(n)!.dir.slice(1)}/${n}` : n));
      yield* puts(1, `${lines.join("\n")}\n`);
      return 0;
    }
    argv = argv.slice(1);
    name = bb_basename(argv[0]);
    // procps' vmstat, pmap... share this binary here but are no applets of BusyBox's
    if (!find_applet_by_name(name)) {
      yield* puts(2, `${name}: applet not found\n`);
      return 127;
    }
  }
  const a = applets.get(name);
  if (!a) {
    yield* puts(2, `${name}: applet not found\n`);
    return 127;
  }
  return yield* run_applet(a, argv, envp, libc);
}
