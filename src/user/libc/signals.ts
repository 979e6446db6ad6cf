/*
 * signals.ts - signal names and numbers as libbb knows them
 * (libbb/u_signal_names.c): get_signum("KILL") is 9, get_signame(9) is
 * "KILL", print_signames() is "kill -l".
 *
 * The table is BusyBox's, not the kernel's: signal 29 is printed as
 * "POLL" because SIGPOLL is listed after SIGIO in BusyBox's initialiser and
 * takes the slot; both names are accepted. Names match case-insensitively
 * with or without a "SIG" prefix; "CLD" is CHLD; a number below NSIG is
 * itself; RTMIN, RTMAX, RTMIN+n and RTMAX-n name the real-time signals.
 */

import { NSIG } from "../../kernel/uapi/abi.js";

const SIGRTMIN = 34;
const SIGRTMAX = NSIG - 1;

/** signals[]: index = signal number. */
const SIGNALS: readonly string[] = [
  "EXIT",
  "HUP",
  "INT",
  "QUIT",
  "ILL",
  "TRAP",
  "ABRT",
  "BUS",
  "FPE",
  "KILL",
  "USR1",
  "SEGV",
  "USR2",
  "PIPE",
  "ALRM",
  "TERM",
  "STKFLT",
  "CHLD",
  "CONT",
  "STOP",
  "TSTP",
  "TTIN",
  "TTOU",
  "URG",
  "XCPU",
  "XFSZ",
  "VTALRM",
  "PROF",
  "WINCH",
  "POLL",
  "PWR",
  "SYS",
];

/** get_signum: the number a name or number stands for, -1 when none. */
export function get_signum(name: string): number {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    return n < NSIG ? n : -1;
  }
  let s = name.toUpperCase();
  if (s.startsWith("SIG")) s = s.slice(3);
  const i = SIGNALS.indexOf(s);
  if (i >= 0) return i;
  if (s === "CLD") return 17;
  if (s === "IO") return 29;
  if (s === "IOT") return 6;
  const rt = /^RT(MIN|MAX)(?:([+-])([0-9]+))?$/.exec(s);
  if (rt) {
    const base = rt[1] === "MIN" ? SIGRTMIN : SIGRTMAX;
    const off = rt[3] === undefined ? 0 : Number(rt[3]);
    if ((rt[1] === "MIN" && rt[2] === "-") || (rt[1] === "MAX" && rt[2] === "+")) return -1;
    const n = rt[2] === "-" ? base - off : base + off;
    return n >= SIGRTMIN && n <= SIGRTMAX ? n : -1;
  }
  return -1;
}

/** get_signame: the name of a signal, or its number as text when it has none. */
export function get_signame(n: number): string {
  if (n >= 0 && n < SIGNALS.length) return SIGNALS[n];
  if (n === SIGRTMIN) return "RTMIN";
  if (n === SIGRTMAX) return "RTMAX";
  return String(n);
}

/** print_signames: " 1) HUP" ... " 31) SYS", one per line (kill -l). */
export function print_signames(): string {
  let out = "";
  for (let i = 1; i < SIGNALS.length; i++) out += `${String(i).padStart(2)}) ${SIGNALS[i]}\n`;
  return out;
}
