/*
 * taskset.ts - taskset (util-linux/taskset.c, FEATURE_TASKSET_FANCY and
 * _CPULIST): show or set a process's CPU affinity, or run PROG with one.
 *
 *   taskset HEXMASK PROG ARGS     taskset -c LIST PROG ARGS
 *   taskset -p PID                "pid N's current affinity mask: f"
 *   taskset -p HEXMASK PID        the current mask, then the new one
 *
 * The mask is as many longs as sched_getaffinity accepts (starting with
 * one, doubling on EINVAL). A HEXMASK is read from its last digit, so bits
 * beyond the mask are dropped; a LIST is "0,2-3" or "0-7:2" (a stride).
 * -a would walk /proc/PID/task; without such a directory (mmbox's procfs
 * has none, every process has one thread) it works on PID itself.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir } from "../libc/file.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  INT_MAX,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { puts, strerror } from "../libc/stdio.js";
import { sched_getaffinity, sched_setaffinity, uname } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `taskset [-ap] [HEXMASK | -c LIST] { PID | PROG ARGS }

Set or get CPU affinity

\t-p\tOperate on PID
\t-a\tOperate on all threads
\t-c\tAffinity is a list, not mask`;

/** Thrown to end the applet with status 1 after its message (bb_error_msg_and_die). */
class Die {}

/** bb_strtou with an end pointer: digits from s[i]; UINT_MAX when there are none or too many. */
function strtou(s: string, i: number): [number, number] {
  const m = /^[0-9]+/.exec(s.slice(i));
  if (!m) return [0xffffffff, i];
  const v = Number(m[0]);
  return [Math.min(v, 0xffffffff), i + m[0].length];
}

/** parse_cpulist: "1,3,5-7", "0-7:2"; null when malformed. */
function parse_cpulist(s: string, max: number): bigint | null {
  let mask = 0n;
  let i = 0;
  for (;;) {
    let bit: number;
    let end: number;
    let stride = 1;
    [bit, i] = strtou(s, i);
    end = bit;
    if (s[i] === "-") {
      [end, i] = strtou(s, i + 1);
      if (s[i] === ":") [stride, i] = strtou(s, i + 1);
    }
    if (
      (s[i] !== "," && i < s.length) ||
      bit > end ||
      end === 0xffffffff ||
      (stride - 1) >>> 0 > 0xffffffff / 4
    )
      return null;
    for (; bit <= end && bit < max; bit += stride) mask |= 1n << BigInt(bit);
    if (i >= s.length) return mask;
    i++;
  }
}

/** The hex digits of HEXMASK from the last one up; bits at max and beyond are dropped. */
function parse_hexmask(aff: string, max: number): bigint | null {
  let mask = 0n;
  let bit = 0;
  for (let j = aff.length - 1; j >= 0; j--, bit += 4) {
    const v = Number.parseInt(aff[j], 16);
    if (Number.isNaN(v)) return null;
    if (bit < max) mask |= BigInt(v) << BigInt(bit);
  }
  return mask & ((1n << BigInt(max)) - 1n);
}

/** print_cpulist: "0-1,3" */
function cpulist(mask: bigint): string {
  const out: string[] = [];
  for (let i = 0; mask >> BigInt(i); i++) {
    if (!((mask >> BigInt(i)) & 1n)) continue;
    let j = i;
    while ((mask >> BigInt(j + 1)) & 1n) j++;
    out.push(i === j ? `${i}` : `${i}-${j}`);
    i = j;
  }
  return out.join(",");
}

function* die(msg: string, errno?: number): UserGen<never> {
  if (errno === undefined) yield* bb_error_msg("taskset", msg);
  else yield* bb_perror_msg("taskset", msg, errno);
  throw new Die();
}

/** process_pid_str: show and/or set one pid's affinity (pid_str null: our own, for PROG). */
function* process_pid_str(
  pid_str: string | null,
  opt_p: boolean,
  opt_c: boolean,
  aff: string | null,
): UserGen<void> {
  let pid = 0;
  if (pid_str !== null) {
    const r = strtou_range_sfx(pid_str, 10, 1, INT_MAX);
    if (!r.ok) yield* die(r.msg);
    else pid = r.value;
  }
  const sizeof_long = (yield* uname()).machine === "armv7l" ? 4 : 8;
  let size = sizeof_long;
  let current_new = "current";
  for (;;) {
    // get_aff: a bigger buffer while the kernel says EINVAL
    let mask: bigint | number;
    for (;;) {
      mask = yield* sched_getaffinity(pid, size);
      if (typeof mask !== "number") break;
      size *= 2;
      if (mask !== -22 || size > INT_MAX) yield* die(`can't get pid ${pid}'s affinity`, mask);
    }
    if (opt_p) {
      if (opt_c) yield* puts(1, `pid ${pid}'s ${current_new} affinity list: ${cpulist(mask)}\n`);
      else yield* puts(1, `pid ${pid}'s ${current_new} affinity mask: ${mask.toString(16)}\n`);
      if (aff === null) return;
      current_new = "new";
    }
    let text = aff!;
    let m: bigint | null;
    if (opt_c) m = parse_cpulist(text, size * 8);
    else {
      if (text[0] === "0" && text[1] !== undefined && (text.charCodeAt(1) | 0x20) === 0x78)
        text = text.slice(2);
      m = parse_hexmask(text, size * 8);
    }
    if (m === null) return yield* die(`bad affinity '${text}'`);
    const r = yield* sched_setaffinity(pid, size, m);
    if (r < 0) yield* die(`can't set pid ${pid}'s affinity`, r);
    if (!(opt_p && aff !== null)) return;
    aff = null; // "-p MASK PID": show the new mask too
  }
}

function* taskset_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+pac", USAGE);
  if (!o) return 1;
  if (o.rest.length < 1) return yield* bb_show_usage(USAGE);
  const opt_p = o.has("p");
  const opt_c = o.has("c");
  let aff: string | null = o.rest[0];
  const args = o.rest.slice(1);
  try {
    if (!opt_p) {
      if (args.length === 0) return yield* bb_show_usage(USAGE);
      yield* process_pid_str(null, false, opt_c, aff);
      const r = yield* execvp(args, envp);
      yield* bb_error_msg("taskset", `can't execute '${args[0]}': ${strerror(r)}`);
      return r === -2 ? 127 : 126;
    }
    let pid_str = aff;
    if (args.length) pid_str = args[0];
    else aff = null;
    if (o.has("a")) {
      const tasks = yield* read_dir(`/proc/${pid_str}/task`);
      if (typeof tasks !== "number") {
        for (const d of tasks)
          if (/^[0-9]/.test(d.d_name)) yield* process_pid_str(d.d_name, opt_p, opt_c, aff);
        return 0;
      }
    }
    yield* process_pid_str(pid_str, opt_p, opt_c, aff);
    return 0;
  } catch (e) {
    if (e instanceof Die) return 1;
    throw e;
  }
}

export const taskset: Applet = { name: "taskset", dir: "/usr/bin", usage: USAGE, main: taskset_main };
