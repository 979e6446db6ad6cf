/*
 * busybox.ts - the programs of the rootfs: /bin/busybox (the multi-call
 * binary of user/applets, with the shell registered as sh and ash).
 */

import type { ProgramMain } from "../kernel/uapi/syscalls.js";
import { busybox_main } from "./applets/busybox.js";
import { register } from "./applets/registry.js";
import { crt0 } from "./libc/crt0.js";
import { sh_main } from "./sh/main.js";

register({ name: "sh", dir: "/bin", main: sh_main }, { name: "ash", dir: "/bin", main: sh_main });

/** The programs of the rootfs, by the entry name their ELF header gives (crt0 runs first). */
export const PROGRAMS: Record<string, ProgramMain> = { busybox: crt0(busybox_main) };
