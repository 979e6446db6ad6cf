/*
 * kill.ts - kill and killall (procps/kill.c, one main for both, told apart
 * by the applet name as BusyBox does).
 *
 *   kill [-l [SIG]...] [-SIG | -s SIG] PID...   signal (default TERM) to PIDs
 *   killall [-lq] [-SIG] NAME...                to every process called NAME
 *
 * The arguments are parsed by hand, not by getopt: only the first argument
 * may be an option, so "kill -9 -1" works and "kill -x 1" is a bad signal
 * name rather than an invalid option. "-l" alone lists the signals; with
 * operands, a number prints its name (exit codes above 128 name the signal
 * that killed: kill -l 137 is KILL) and a name prints its number. A pid may
 * be negative (a process group) and "--" ends the options. killall never
 * signals itself. The exit status is the number of failures.
 *
 * The shell has a kill builtin that also takes %jobs; this is /bin/kill.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { find_pid_by_name } from "../libc/procps.js";
import { get_signame, get_signum, print_signames } from "../libc/signals.js";
import { puts } from "../libc/stdio.js";
import { getpid, kill as sys_kill } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const KILL_USAGE = `kill [-l] [-SIG] PID...

Send a signal (default: TERM) to given PIDs

\t-l\tList all signal names and numbers`;

const KILLALL_USAGE = `killall [-lq] [-SIG] PROCESS_NAME...

Send a signal (default: TERM) to given processes

\t-l\tList all signal names and numbers
\t-q\tDon't complain if no processes were killed`;

const SIGTERM = 15;

/** kill -l [SIG]... */
function* list_signals(applet: string, args: string[]): UserGen<number> {
  if (args.length === 0) {
    yield* puts(1, print_signames());
    return 0;
  }
  let out = "";
  for (const arg of args) {
    if (/^[0-9]/.test(arg)) {
      if (!/^[0-9]+$/.test(arg) || Number(arg) > 4294967295) {
        yield* puts(1, out);
        yield* bb_error_msg(applet, `unknown signal '${arg}'`);
        return 1;
      }
      out += `${get_signame(Number(arg) & 0x7f)}\n`;
    } else {
      const signo = get_signum(arg);
      if (signo < 0) {
        yield* puts(1, out);
        yield* bb_error_msg(applet, `unknown signal '${arg}'`);
        return 1;
      }
      out += `${signo}\n`;
    }
  }
  yield* puts(1, out);
  return 0;
}

/** What the first arguments say: the signal, -q, and where the operands start. */
interface KillArgs {
  signo: number;
  quiet: boolean;
  first: number;
}

/** Parses "-l", "-q", "-SIG", "-s SIG" and "--" by hand; a number is the exit status. */
function* parse_args(applet: string, argv: string[], isKillall: boolean): UserGen<KillArgs | number> {
  const a: KillArgs = { signo: SIGTERM, quiet: false, first: 1 };
  let arg = argv[a.first];
  if (arg === undefined || arg[0] !== "-") return a;
  if (arg === "-l") return yield* list_signals(applet, argv.slice(2));
  if (isKillall && arg === "-q") {
    a.quiet = true;
    arg = argv[++a.first];
    if (arg === undefined) return yield* bb_show_usage(KILLALL_USAGE);
    if (arg[0] !== "-") return a;
  }
  let name = arg.slice(1);
  if (name === "-") {
    a.first++;
    return a;
  }
  if (name === "s" && argv[a.first + 1] !== undefined) name = argv[++a.first];
  a.signo = get_signum(name);
  if (a.signo < 0) {
    yield* bb_error_msg(applet, `bad signal name '${name}'`);
    return 1;
  }
  a.first++;
  return a;
}

function* kill_main(argv: string[]): UserGen<number> {
  const applet = argv[0].slice(argv[0].lastIndexOf("/") + 1);
  const isKillall = applet === "killall";
  const a = yield* parse_args(applet, argv, isKillall);
  if (typeof a === "number") return a;
  const { signo, quiet } = a;
  if (a.first >= argv.length) {
    yield* bb_error_msg(applet, "you need to specify whom to kill");
    return 1;
  }
  const self = yield* getpid();
  let errors = 0;
  for (const arg of argv.slice(a.first)) {
    if (isKillall) {
      const pids = yield* find_pid_by_name(arg);
      if (pids.length === 0) {
        errors++;
        if (!quiet) yield* bb_error_msg(applet, `${arg}: no process killed`);
        continue;
      }
      for (const pid of pids) {
        if (pid === self) continue;
        const r = yield* sys_kill(pid, signo);
        if (r < 0) {
          errors++;
          if (!quiet) yield* bb_perror_msg(applet, `can't kill pid ${pid}`, r);
        }
      }
      continue;
    }
    if (!/^-?[0-9]+$/.test(arg) || Number(arg) > 2147483647 || Number(arg) < -2147483648) {
      yield* bb_error_msg(applet, `invalid number '${arg}'`);
      errors++;
      continue;
    }
    const pid = Number(arg);
    const r = yield* sys_kill(pid, signo);
    if (r < 0) {
      yield* bb_perror_msg(applet, `can't kill pid ${pid}`, r);
      errors++;
    }
  }
  return errors;
}

export const kill: Applet = { name: "kill", dir: "/bin", usage: KILL_USAGE, main: kill_main };
export const killall: Applet = { name: "killall", dir: "/usr/bin", usage: KILLALL_USAGE, main: kill_main };
