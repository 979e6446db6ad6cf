/*
 * halt.ts - halt, poweroff and reboot (init/halt.c, one main told apart by
 * the applet name's first letter).
 *
 * Without -f they ask init: SIGUSR1 is halt, SIGUSR2 poweroff, SIGTERM
 * reboot, and BusyBox init then runs its shutdown actions, signals every
 * process and calls reboot(2) itself. With -f (or when init does not catch
 * that signal: a simulated init without the handler would just die of it)
 * they sync and call reboot(2) directly; the kernel logs "reboot: Power
 * down" and the machine stops. -d SEC waits first, -n skips the sync, -w
 * only writes a wtmp record (there is no wtmp here, so it does nothing).
 */

import {
  LINUX_REBOOT_CMD_HALT,
  LINUX_REBOOT_CMD_POWER_OFF,
  LINUX_REBOOT_CMD_RESTART,
  SIGTERM,
  SIGUSR1,
  SIGUSR2,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_nomsg } from "../libc/libbb.js";
import { kill, nanosleep, reboot, sync } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const OPTS = `
\t-d SEC\tDelay interval
\t-n\tDo not sync
\t-f\tForce (don't go through init)`;

const HALT_USAGE = `halt [-d DELAY] [-nfw]

Halt the system
${OPTS}
\t-w\tOnly write a wtmp record`;
const POWEROFF_USAGE = `poweroff [-d DELAY] [-nf]

Halt and shut off power
${OPTS}`;
const REBOOT_USAGE = `reboot [-d DELAY] [-nf]

Reboot the system
${OPTS}`;

const MAGIC = [LINUX_REBOOT_CMD_HALT, LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_CMD_RESTART];
const SIGNALS = [SIGUSR1, SIGUSR2, SIGTERM];
const USAGES = [HALT_USAGE, POWEROFF_USAGE, REBOOT_USAGE];

/** Does init catch sig? (the SigCgt mask of /proc/1/status) */
function* init_catches(sig: number): UserGen<boolean> {
  const s = yield* read_text("/proc/1/status");
  const m = typeof s === "string" ? /^SigCgt:\s*([0-9a-f]+)$/m.exec(s) : null;
  return m !== null && (BigInt(`0x${m[1]}`) & (1n << BigInt(sig - 1))) !== 0n;
}

function* halt_main(argv: string[]): UserGen<number> {
  const applet = argv[0].slice(argv[0].lastIndexOf("/") + 1);
  const which = Math.max(0, "hpr".indexOf(applet[0]));
  const o = yield* bb_getopt(argv, "d:nfwi", USAGES[which]);
  if (!o) return 1;
  const d = o.arg("d");
  if (d !== undefined) {
    if (!/^[0-9]+$/.test(d) || Number(d) > 2147483647) {
      yield* bb_error_msg(applet, `invalid number '${d}'`);
      return 1;
    }
    yield* nanosleep(Number(d) * 1e9);
  }
  if (o.has("w")) return 0;
  if (!o.has("n")) yield* sync();
  let rc: number;
  if (!o.has("f") && (yield* init_catches(SIGNALS[which]))) rc = yield* kill(1, SIGNALS[which]);
  else rc = yield* reboot(MAGIC[which]);
  if (rc < 0) {
    yield* bb_perror_nomsg(applet, rc);
    return 1;
  }
  return 0;
}

export const halt: Applet = { name: "halt", dir: "/sbin", usage: HALT_USAGE, main: halt_main };
export const poweroff: Applet = { name: "poweroff", dir: "/sbin", usage: POWEROFF_USAGE, main: halt_main };
export const reboot_applet: Applet = { name: "reboot", dir: "/sbin", usage: REBOOT_USAGE, main: halt_main };
