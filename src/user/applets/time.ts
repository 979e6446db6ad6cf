/*
 * time.ts - time (miscutils/time.c): run PROG ARGS, then say how long it
 * took and what it cost, from the rusage wait4(2) returns with the child:
 *
 *   real	0m 0.10s
 *   user	0m 0.00s
 *   sys	0m 0.00s
 *
 * -p is the POSIX format, -v GNU time's 23 lines (page faults, context
 * switches, maximum RSS...), -f FMT (or $TIME) a format of %-letters:
 *   %C command  %E elapsed m:ss  %e elapsed s  %U %S user/system s  %u %T m:ss
 *   %P CPU%  %M max RSS KiB  %F major faults  %R minor faults  %w %c context
 *   switches  %W swaps  %I %O block I/O  %Z page size  %x exit status ...
 * As in BusyBox "%%" prints nothing, an unknown letter nothing, and "\c"
 * the character c. The report goes to stderr, or to -o FILE (-a appends);
 * a command that did not exit 0 gets "Command exited with non-zero status
 * N" or "Command terminated by signal N" first. time exits with the
 * command's status (the signal number when it was killed).
 */

import {
  CLOCK_MONOTONIC,
  O_APPEND,
  O_CREAT,
  O_TRUNC,
  O_WRONLY,
  WEXITSTATUS,
  WIFSIGNALED,
  WIFSTOPPED,
  WSTOPSIG,
  WTERMSIG,
} from "../../kernel/uapi/abi.js";
import type { Rusage, UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { execvp, getenv } from "../libc/proc.js";
import { PAGE_SIZE } from "../libc/procps.js";
import { puts, strerror } from "../libc/stdio.js";
import { clock_gettime, close, exit, fork, open, wait4 } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `time [-vpa] [-o FILE] PROG ARGS

Run PROG, display resource usage when it exits

\t-v\tVerbose
\t-p\tPOSIX output format
\t-f FMT\tCustom format
\t-o FILE\tWrite result to FILE
\t-a\tAppend (else overwrite)`;

const DEFAULT_FORMAT = "real\t%E\nuser\t%u\nsys\t%T";
const POSIX_FORMAT = "real %e\nuser %U\nsys %S";
const LONG_FORMAT =
  '\tCommand being timed: "%C"\n' +
  "\tUser time (seconds): %U\n" +
  "\tSystem time (seconds): %S\n" +
  "\tPercent of CPU this job got: %P\n" +
  "\tElapsed (wall clock) time (h:mm:ss or m:ss): %E\n" +
  "\tAverage shared text size (kbytes): %X\n" +
  "\tAverage unshared data size (kbytes): %D\n" +
  "\tAverage stack size (kbytes): %p\n" +
  "\tAverage total size (kbytes): %K\n" +
  "\tMaximum resident set size (kbytes): %M\n" +
  "\tAverage resident set size (kbytes): %t\n" +
  "\tMajor (requiring I/O) page faults: %F\n" +
  "\tMinor (reclaiming a frame) page faults: %R\n" +
  "\tVoluntary context switches: %w\n" +
  "\tInvoluntary context switches: %c\n" +
  "\tSwaps: %W\n" +
  "\tFile system inputs: %I\n" +
  "\tFile system outputs: %O\n" +
  "\tSocket messages sent: %s\n" +
  "\tSocket messages received: %r\n" +
  "\tSignals delivered: %k\n" +
  "\tPage size (bytes): %Z\n" +
  "\tExit status: %x";

/** resource_t: what wait4 told about the child, and the wall-clock time it took. */
interface Resources {
  waitstatus: number;
  ru: Rusage;
  elapsed_ms: number;
}

/** "0m 0.10s", or "1h 2m 03s" from an hour on. */
function m_s(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds >= 3600)
    return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 60)}m ${seconds % 60}.${String(Math.floor(ms / 10) % 100).padStart(2, "0")}s`;
}

/** "%u.%02u" seconds of a time in ns. */
const secs = (ns: number): string =>
  `${Math.floor(ns / 1e9)}.${String(Math.floor(ns / 1e7) % 100).padStart(2, "0")}`;

/** m_s of a CPU time in ns (the %u and %T letters truncate to whole 1/100 s). */
const cpu_m_s = (ns: number): string => m_s(Math.floor(ns / 1e7) * 10);

/** summarize: the format with every %-letter replaced. */
export function summarize(fmt: string, command: string[], r: Resources): string {
  const ru = r.ru;
  const vv_ms = Math.floor((ru.ru_utime + ru.ru_stime) / 1e6);
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === "\\") {
      if (i + 1 < fmt.length) out += fmt[++i];
      continue;
    }
    if (c !== "%") {
      out += c;
      continue;
    }
    const l = fmt[++i];
    switch (l) {
      case "C":
        out += command.join(" ");
        break;
      case "E":
        out += m_s(r.elapsed_ms);
        break;
      case "e":
        out += `${Math.floor(r.elapsed_ms / 1000)}.${String(Math.floor(r.elapsed_ms / 10) % 100).padStart(2, "0")}`;
        break;
      case "U":
        out += secs(ru.ru_utime);
        break;
      case "S":
        out += secs(ru.ru_stime);
        break;
      case "u":
        out += cpu_m_s(ru.ru_utime);
        break;
      case "T":
        out += cpu_m_s(ru.ru_stime);
        break;
      case "P":
        out += r.elapsed_ms > 0 ? `${Math.floor((vv_ms * 100) / r.elapsed_ms)}%` : "?%";
        break;
      case "M":
        out += String(ru.ru_maxrss);
        break;
      case "F":
        out += String(ru.ru_majflt);
        break;
      case "R":
        out += String(ru.ru_minflt);
        break;
      case "w":
        out += String(ru.ru_nvcsw);
        break;
      case "c":
        out += String(ru.ru_nivcsw);
        break;
      case "Z":
        out += String(PAGE_SIZE);
        break;
      case "x":
        out += String(WEXITSTATUS(r.waitstatus));
        break;
      // not accounted by this kernel: integral sizes, swaps, block I/O, IPC, signals
      case "D":
      case "K":
      case "X":
      case "p":
      case "t":
      case "W":
      case "I":
      case "O":
      case "s":
      case "r":
      case "k":
        out += "0";
        break;
      default:
        // "%%", an unknown letter and a trailing "%" print nothing, as in BusyBox
        break;
    }
  }
  return `${out}\n`;
}

function* time_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+vpao:f:", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  let fmt = getenv(envp, "TIME") ?? DEFAULT_FORMAT;
  const f = o.arg("f");
  if (f !== undefined) fmt = f;
  if (o.has("v")) fmt = LONG_FORMAT;
  if (o.has("p")) fmt = POSIX_FORMAT;
  let out_fd = 2;
  const file = o.arg("o");
  if (file !== undefined) {
    out_fd = yield* open(file, O_CREAT | O_WRONLY | (o.has("a") ? O_APPEND : O_TRUNC), 0o666);
    if (out_fd < 0) {
      yield* bb_perror_msg("time", `can't open '${file}'`, out_fd);
      return 1;
    }
  }
  const cmd = o.rest;
  const start = yield* clock_gettime(CLOCK_MONOTONIC);
  const pid = yield* fork(function* () {
    const r = yield* execvp(cmd, envp);
    yield* bb_error_msg("time", `can't execute '${cmd[0]}': ${strerror(r)}`);
    return yield* exit(r === -2 ? 127 : 126);
  });
  if (pid < 0) {
    yield* bb_perror_msg("time", "fork", pid);
    return 1;
  }
  let w = yield* wait4(pid);
  while (typeof w === "number" && w === -4) w = yield* wait4(pid); // EINTR
  if (typeof w === "number") {
    yield* bb_perror_msg("time", "wait", w);
    return 1;
  }
  const end = yield* clock_gettime(CLOCK_MONOTONIC);
  const res: Resources = { waitstatus: w.status, ru: w.rusage, elapsed_ms: Math.floor((end - start) / 1e6) };
  let report = "";
  const st = res.waitstatus;
  if (WIFSTOPPED(st)) report += `Command stopped by signal ${WSTOPSIG(st)}\n`;
  else if (WIFSIGNALED(st)) report += `Command terminated by signal ${WTERMSIG(st)}\n`;
  else if (WEXITSTATUS(st)) report += `Command exited with non-zero status ${WEXITSTATUS(st)}\n`;
  report += summarize(fmt, cmd, res);
  yield* puts(out_fd, report);
  if (out_fd !== 2) yield* close(out_fd);
  return WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st);
}

export const time: Applet = { name: "time", dir: "/usr/bin", usage: USAGE, main: time_main };
