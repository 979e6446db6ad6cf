/*
 * standalone.ts - how ash runs BusyBox's own applets (FEATURE_SH_STANDALONE
 * and FEATURE_PREFER_APPLETS of Debian's busybox-static, the binary of the
 * reference guests' initramfs; shell/ash.c find_command and tryexec,
 * libbb/vfork_daemon_rexec.c run_noexec_applet_and_exit).
 *
 * A command name that is an applet is found before $PATH is searched (so
 * it runs even with PATH unset, `type ls` says "ls is ls", and hash does
 * not remember it). The forked child then either
 *   - runs a NOEXEC applet in place: no exec, so the process keeps the
 *     shell's memory and its /proc/PID/cmdline ("sh -l"), and only its name
 *     changes (set_task_comm): ps shows it as "{ps} sh -l";
 *   - or re-executes the binary through /proc/self/exe with the applet's
 *     arguments (the kernel names it "exe"; BusyBox's main renames it).
 *
 * Which applets are NOEXEC is a property of each applet in BusyBox's table;
 * the list below is the one of Debian's 1.35.0-4+deb12u1 busybox-static,
 * read off the binary with strace (a fork and PR_SET_NAME without execve).
 * mmbox's own programs that share the binary (procps' vmstat, pmap, ...)
 * are not applets there: ash finds them in $PATH like any program.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { type Libc, run_code } from "../libc/crt0.js";
import { usage_text } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { exit, prctl_set_name } from "../libc/sys.js";
import { type Applet, applets } from "./registry.js";

/** Applets the static binary runs without exec. */
const NOEXEC = new Set(
  (
    "arch awk basename blockdev cal chgrp chmod chown clear cp crc32 cttyhack cut date dd df dirname " +
    "dos2unix env expr find fold free getopt groups head hexdump hostid hostname id insmod ionice " +
    "killall link ln logname ls lsmod md5sum mkdir mkfifo mknod mktemp mv nproc paste ps readlink " +
    "realpath renice reset rm rmdir rmmod seq sha1sum sha256sum sha3sum sha512sum shuf sort stat stty " +
    "sync sysctl tac taskset touch truncate tty umount uname unix2dos unlink uptime usleep w which who " +
    "whoami xargs xxd yes"
  ).split(" "),
);

/** Programs of mmbox's binary that Debian's BusyBox does not have as applets. */
const NOT_APPLETS = new Set(["mkfs.ext2", "pagealloc", "physmap", "pmap", "slabtop", "stress-ng", "vmstat"]);

/** find_applet_by_name: the applet ash runs for a command name, if any. */
export function find_applet_by_name(name: string): Applet | undefined {
  return NOT_APPLETS.has(name) ? undefined : applets.get(name);
}

export function APPLET_IS_NOEXEC(name: string): boolean {
  return NOEXEC.has(name);
}

/** run_applet_no_and_exit's work: "APPLET --help" prints the usage, anything else runs main. */
export function* run_applet(a: Applet, argv: string[], envp: string[], libc: unknown): UserGen<number> {
  if (argv.length === 2 && argv[1] === "--help" && a.usage !== undefined) {
    yield* puts(1, usage_text(a.usage));
    return 0;
  }
  return yield* a.main(argv, envp, libc);
}

/**
 * run_noexec_applet_and_exit: the applet's main in this (forked) process,
 * named after it; libc is the process's own C library state.
 */
export function* run_noexec_applet_and_exit(
  a: Applet,
  argv: string[],
  envp: string[],
  libc: unknown,
): UserGen<never> {
  yield* prctl_set_name(a.name);
  // The applet's code and data, and the C library's it calls, fetched in this child.
  const info = (libc as Libc | undefined)?.info;
  if (info) yield* run_code(info, a.name);
  const rc = yield* run_applet(a, argv, envp, libc);
  return yield* exit(rc & 0xff);
}
