/*
 * busybox.ts - the programs of the rootfs: /bin/busybox (the multi-call
 * binary of user/applets, with the shell registered as sh and ash).
 */

import type { ProgramMain } from "../kernel/uapi/syscalls.js";
import { busybox_comm_fixup, busybox_main } from "./applets/busybox.js";
import { register } from "./applets/registry.js";
import { crt0 } from "./libc/crt0.js";
import { cow_main } from "./progs/cow.js";
import { hog_main } from "./progs/hog.js";
import { memhog_main } from "./progs/memhog.js";
import { run_main } from "./progs/run/interp.js";
import { sh_main } from "./sh/main.js";

register({ name: "sh", dir: "/bin", main: sh_main }, { name: "ash", dir: "/bin", main: sh_main });

/**
 * The programs of the rootfs, by the entry name their ELF header gives
 * (crt0 runs first): BusyBox, numactl's memhog, the learning material's
 * hog and cow, and the run interpreter.
 */
export const PROGRAMS: Record<string, ProgramMain> = {
  busybox: (() => {
    const start = crt0(busybox_main);
    return function* (argv: string[], envp: string[]) {
      yield* busybox_comm_fixup(argv);
      return yield* start(argv, envp);
    };
  })(),
  memhog: crt0(memhog_main),
  hog: crt0(hog_main),
  cow: crt0(cow_main),
  run: crt0(run_main),
};
