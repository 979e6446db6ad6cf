/*
 * busybox.ts - the BusyBox multi-call binary: /bin/busybox and every link to
 * it start here, and the applet is chosen by the name it was run as.
 */

import type { ProgramMain, UserGen } from "../kernel/uapi/syscalls.js";
import { applets } from "./applets/registry.js";
import { puts } from "./libc/stdio.js";
import "./applets/init.js";
import "./applets/basic.js";
import { register } from "./applets/registry.js";
import { mini_sh_main } from "./sh/mini.js";

register({ name: "sh", dir: "/bin", main: mini_sh_main }, { name: "ash", dir: "/bin", main: mini_sh_main });

export const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

function base(p: string): string {
  const s = p.split("/").pop() ?? p;
  return s.startsWith("-") ? s.slice(1) : s;
}

export const busybox_main: ProgramMain = function* (argv: string[], envp: string[]): UserGen<number> {
  let name = base(argv[0] ?? "busybox");
  if (name === "busybox") {
    if (argv.length < 2) {
      yield* puts(
        1,
        `${BANNER}\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n   or: busybox --show SCRIPT\n   or: busybox --install [-s] [DIR]\n   or: function [arguments]...\n\n\tBusyBox is a multi-call binary that combines many common Unix\n\tutilities into a single executable.  Most people will create a\n\tlink to busybox for each function they wish to use and BusyBox\n\twill act like whatever it was invoked as.\n\nCurrently defined functions:\n\t${[...applets.keys()].sort().join(", ")}\n\n`,
      );
      return 0;
    }
    if (argv[1] === "--list" || argv[1] === "--list-full") {
      const full = argv[1] === "--list-full";
      const names = [...applets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      yield* puts(1, `${names.map((a) => (full ? `${a.dir.slice(1)}/${a.name}` : a.name)).join("\n")}\n`);
      return 0;
    }
    argv = argv.slice(1);
    name = base(argv[0]);
  }
  const a = applets.get(name);
  if (!a) {
    yield* puts(2, `${name}: applet not found\n`);
    return 127;
  }
  return yield* a.main(argv, envp);
};

/** The programs of the rootfs, by the entry name their ELF header gives. */
export const PROGRAMS: Record<string, ProgramMain> = { busybox: busybox_main };
