/*
 * ulimit.ts - the ulimit builtin (BusyBox shell/shell_common.c:
 * shell_builtin_ulimit), over getrlimit/setrlimit.
 *
 *   ulimit [-SH] [-a | -cdefilmnqrstuvx [LIMIT]]
 *
 * Values are shown and set in the unit of each line of `ulimit -a`
 * (blocks of 512 bytes, KiB, or plain counts); the default is -f. Without
 * -S or -H a new limit sets both the soft and the hard one; shown is the
 * soft one unless -H.
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts, strerror } from "../../libc/stdio.js";
import { getrlimit, setrlimit } from "../../libc/sys.js";
import type { Builtin } from "../builtins.js";
import { type Shell, sh_error } from "../shell.js";

/** RLIM_INFINITY as the kernel's getrlimit reports it. */
const RLIM_INFINITY = -1;

interface Limit {
  opt: string;
  resource: number;
  /** Bytes per displayed unit. */
  factor: number;
  name: string;
}

/** BusyBox's limits_tbl, in its order. */
const LIMITS: Limit[] = [
  { opt: "c", resource: 4, factor: 512, name: "core file size (blocks)" },
  { opt: "d", resource: 2, factor: 1024, name: "data seg size (kb)" },
  { opt: "e", resource: 13, factor: 1, name: "scheduling priority" },
  { opt: "f", resource: 1, factor: 512, name: "file size (blocks)" },
  { opt: "i", resource: 11, factor: 1, name: "pending signals" },
  { opt: "l", resource: 8, factor: 1024, name: "max locked memory (kb)" },
  { opt: "m", resource: 5, factor: 1024, name: "max memory size (kb)" },
  { opt: "n", resource: 7, factor: 1, name: "open files" },
  { opt: "q", resource: 12, factor: 1, name: "POSIX message queues (bytes)" },
  { opt: "r", resource: 14, factor: 1, name: "real-time priority" },
  { opt: "s", resource: 3, factor: 1024, name: "stack size (kb)" },
  { opt: "t", resource: 0, factor: 1, name: "cpu time (seconds)" },
  { opt: "u", resource: 6, factor: 1, name: "max user processes" },
  { opt: "v", resource: 9, factor: 1024, name: "virtual memory (kb)" },
  { opt: "x", resource: 10, factor: 1, name: "file locks" },
];

function shown(v: number, l: Limit): string {
  return v === RLIM_INFINITY ? "unlimited" : String(Math.floor(v / l.factor));
}

function* ulimitcmd(sh: Shell, argv: string[]): UserGen<number> {
  let hard = false;
  let soft = false;
  let all = false;
  const chosen: Limit[] = [];
  let i = 1;
  for (; i < argv.length && argv[i].startsWith("-") && argv[i] !== "-"; i++)
    for (const c of argv[i].slice(1)) {
      if (c === "H") hard = true;
      else if (c === "S") soft = true;
      else if (c === "a") all = true;
      else {
        const l = LIMITS.find((x) => x.opt === c);
        if (!l) return yield* sh_error(sh, `illegal option -${c}`);
        chosen.push(l);
      }
    }
  if (all) {
    let out = "";
    for (const l of LIMITS) {
      const r = yield* getrlimit(l.resource);
      if (typeof r === "number") continue;
      out += `${l.name.padEnd(32)}(-${l.opt}) ${shown(hard ? r[1] : r[0], l)}\n`;
    }
    yield* puts(1, out);
    return 0;
  }
  if (chosen.length === 0) chosen.push(LIMITS.find((x) => x.opt === "f")!);
  const value = argv[i];
  if (value === undefined) {
    let out = "";
    for (const l of chosen) {
      const r = yield* getrlimit(l.resource);
      if (typeof r !== "number")
        out += `${chosen.length > 1 ? `${l.name.padEnd(32)}(-${l.opt}) ` : ""}${shown(hard ? r[1] : r[0], l)}\n`;
    }
    yield* puts(1, out);
    return 0;
  }
  let v: number;
  if (value === "unlimited") v = RLIM_INFINITY;
  else if (/^\d+$/.test(value)) v = Number(value) * chosen[0].factor;
  else return yield* sh_error(sh, `invalid number '${value}'`);
  for (const l of chosen) {
    const r = yield* getrlimit(l.resource);
    if (typeof r === "number") continue;
    const cur = hard && !soft ? r[0] : v;
    const max = soft && !hard ? r[1] : v;
    const e = yield* setrlimit(l.resource, cur, max);
    if (e < 0) return yield* sh_error(sh, `error setting limit (${strerror(e)})`);
  }
  return 0;
}

export const ulimitBuiltins: Builtin[] = [{ name: "ulimit", special: false, fn: ulimitcmd }];
