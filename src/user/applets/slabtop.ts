/*
 * slabtop.ts - slabtop (procps-ng 4.0 src/slabtop.c, library/slabinfo.c):
 * the slab caches of /proc/slabinfo, biggest first.
 *
 *    Active / Total Objects (% used)    : 97585 / 99876 (97.7%)
 *    Active / Total Slabs (% used)      : 2849 / 2849 (100.0%)
 *    Active / Total Caches (% used)     : 104 / 152 (68.4%)
 *    Active / Total Size (% used)       : 23491.13K / 24351.04K (96.5%)
 *    Minimum / Average / Maximum Object : 0.01K / 0.24K / 8.00K
 *
 *     OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME
 *    23660  23660 100%    0.10K    606       39      2424K buffer_head
 *
 * As libproc2 computes them: a cache is active when it has objects; USE is
 * (unsigned)(100 * (float)active / objs); CACHE SIZE is slabs * pages per
 * slab * 4 KiB; sizes are objects times object size. -o prints everything
 * once; otherwise the screen is redrawn every -d seconds (default 3) with
 * as many caches as fit, and a key re-sorts it (q quits). -s picks the sort:
 * a b c l v n o (default) p s u, all descending except n.
 */

import { SIGHUP, SIGINT, SIGTERM } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { POLLIN } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { GetoptError, getopt } from "../libc/getopt.js";
import { puts, strerror } from "../libc/stdio.js";
import { getpid, kill, poll, read, sigaction } from "../libc/sys.js";
import { get_terminal_width_height, set_termios_to_raw, tcsetattr } from "../libc/termios.js";
import type { Applet } from "./registry.js";

const USAGE = `
Usage:
 slabtop [options]

Options:
 -d, --delay <secs>  delay updates
 -o, --once          only display once, then exit
 -s, --sort <char>   specify sort criteria by character (see below)

 -h, --help     display this help and exit
 -V, --version  output version information and exit

The following are valid sort criteria:
 a: sort by number of active objects
 b: sort by objects per slab
 c: sort by cache size
 l: sort by number of slabs
 v: sort by (non display) number of active slabs
 n: sort by name
 o: sort by number of objects (the default)
 p: sort by (non display) pages per slab
 s: sort by object size
 u: sort by cache utilization

For more details see slabtop(1).
`;

export interface SlabNode {
  name: string;
  nr_active_objs: number;
  nr_objs: number;
  obj_size: number;
  objs_per_slab: number;
  pages_per_slab: number;
  nr_active_slabs: number;
  nr_slabs: number;
  cache_size: number;
  use: number;
}

export type SortKey = keyof SlabNode;

const SORT_KEYS: Record<string, SortKey> = {
  a: "nr_active_objs",
  b: "objs_per_slab",
  c: "cache_size",
  l: "nr_slabs",
  v: "nr_active_slabs",
  n: "name",
  o: "nr_objs",
  p: "pages_per_slab",
  s: "obj_size",
  u: "use",
};

/** parse_slabinfo20: one node per cache line. */
export function parse(text: string): SlabNode[] | null {
  const lines = text.split("\n");
  if (!/^slabinfo - version: 2\.\d+/.test(lines[0] ?? "")) return null;
  const out: SlabNode[] = [];
  for (const line of lines.slice(1)) {
    if (!line || line.startsWith("#")) continue;
    const m =
      /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+\d+\s+\d+\s+\d+ : slabdata\s+(\d+)\s+(\d+)/.exec(
        line,
      );
    if (!m) return null;
    const n: SlabNode = {
      name: m[1].slice(0, 128),
      nr_active_objs: Number(m[2]),
      nr_objs: Number(m[3]),
      obj_size: Number(m[4]),
      objs_per_slab: Number(m[5]),
      pages_per_slab: Number(m[6]),
      nr_active_slabs: Number(m[7]),
      nr_slabs: Number(m[8]),
      cache_size: 0,
      use: 0,
    };
    n.cache_size = n.nr_slabs * n.pages_per_slab * 4096;
    n.use = n.nr_objs ? Math.trunc(100 * Math.fround(n.nr_active_objs / n.nr_objs)) : 0;
    out.push(n);
  }
  return out;
}

const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);

/** print_summary + print_headings + print_details for `rows` caches. */
export function render(nodes: SlabNode[], sort: SortKey, rows: number): string {
  let objs = 0;
  let aobjs = 0;
  let slabs = 0;
  let aslabs = 0;
  let caches = 0;
  let acaches = 0;
  let total = 0;
  let active = 0;
  let min = 2147483647;
  let max = 0;
  for (const n of nodes) {
    min = Math.min(min, n.obj_size);
    max = Math.max(max, n.obj_size);
    if (n.nr_objs) acaches++;
    caches++;
    objs += n.nr_objs;
    aobjs += n.nr_active_objs;
    total += n.nr_objs * n.obj_size;
    active += n.nr_active_objs * n.obj_size;
    slabs += n.nr_slabs;
    aslabs += n.nr_active_slabs;
  }
  const avg = objs ? Math.floor(total / objs) : 0;
  const pct = (a: number, b: number): string => f1((100 * a) / b);
  const label = (s: string): string => ` ${s.padEnd(35, " ")}: `;
  let out = "";
  out += `${label("Active / Total Objects (% used)")}${aobjs} / ${objs} (${pct(aobjs, objs)}%)\n`;
  out += `${label("Active / Total Slabs (% used)")}${aslabs} / ${slabs} (${pct(aslabs, slabs)}%)\n`;
  out += `${label("Active / Total Caches (% used)")}${acaches} / ${caches} (${pct(acaches, caches)}%)\n`;
  out += `${label("Active / Total Size (% used)")}${f2(active / 1024)}K / ${f2(total / 1024)}K (${pct(active, total)}%)\n`;
  out += `${label("Minimum / Average / Maximum Object")}${f2(min / 1024)}K / ${f2(avg / 1024)}K / ${f2(max / 1024)}K\n\n`;
  out += `${"  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME".padEnd(78, " ")}\n`;
  const sorted = nodes
    .map((n, i) => ({ n, i }))
    .sort((a, b) => {
      if (sort === "name") return a.n.name < b.n.name ? -1 : a.n.name > b.n.name ? 1 : a.i - b.i;
      return (b.n[sort] as number) - (a.n[sort] as number) || a.i - b.i;
    })
    .map((x) => x.n);
  for (const n of sorted.slice(0, rows))
    out += `${String(n.nr_objs).padStart(6)} ${String(n.nr_active_objs).padStart(6)} ${String(n.use).padStart(3)}% ${f2(n.obj_size / 1024).padStart(7)}K ${String(n.nr_slabs).padStart(6)} ${String(n.objs_per_slab).padStart(8)} ${String(Math.floor(n.cache_size / 1024)).padStart(9)}K ${n.name.padEnd(23, " ")}\n`;
  return out;
}

function* fail(msg: string): UserGen<number> {
  yield* puts(2, `slabtop: ${msg}\n`);
  return 1;
}

function* slabtop_main(argv: string[], envp: string[]): UserGen<number> {
  const o = getopt(argv, "d:s:ohV", [
    { name: "delay", arg: 1, val: "d" },
    { name: "sort", arg: 1, val: "s" },
    { name: "once", arg: 0, val: "o" },
    { name: "help", arg: 0, val: "h" },
    { name: "version", arg: 0, val: "V" },
  ]);
  if (o instanceof GetoptError) {
    yield* puts(2, `${o.message}\n${USAGE}`);
    return 1;
  }
  let delay = 0;
  let once = false;
  let sort: SortKey = "nr_objs";
  for (const { key, arg } of o.seen) {
    if (key === "h") {
      yield* puts(1, USAGE);
      return 0;
    }
    if (key === "V") {
      yield* puts(1, "slabtop from procps-ng 4.0.2\n");
      return 0;
    }
    if (key === "d") {
      if (once) return yield* fail("Cannot combine -d and -o options");
      if (!/^[-+]?\d+$/.test(arg!)) return yield* fail(`illegal delay: '${arg}'`);
      delay = Number(arg);
      if (delay < 1) return yield* fail("delay must be positive integer");
    } else if (key === "o") {
      if (delay) return yield* fail("Cannot combine -d and -o options");
      once = true;
    } else if (key === "s") sort = SORT_KEYS[arg![0]?.toLowerCase()] ?? "nr_objs";
  }
  if (o.rest.length) {
    yield* puts(2, USAGE);
    return 1;
  }
  if (!once && !delay) delay = 3;
  const sample = function* (): UserGen<SlabNode[] | number> {
    const text = yield* read_text("/proc/slabinfo");
    if (typeof text === "number") return text;
    return parse(text) ?? -34;
  };
  const first = yield* sample();
  if (typeof first === "number")
    return yield* fail(`Unable to create slabinfo structure: ${strerror(first)}`);
  if (once) {
    yield* puts(1, render(first, sort, Number.MAX_SAFE_INTEGER));
    return 0;
  }
  const saved = yield* set_termios_to_raw(0, true);
  const catcher = function* (sig: number): UserGen<void> {
    if (saved) yield* tcsetattr(0, saved);
    yield* sigaction(sig, 0);
    yield* kill(yield* getpid(), sig);
  };
  for (const sig of [SIGHUP, SIGINT, SIGTERM]) yield* sigaction(sig, catcher);
  let nodes: SlabNode[] | number = first;
  for (;;) {
    if (typeof nodes === "number") break;
    const [, rows] = yield* get_terminal_width_height(1, envp);
    yield* puts(1, `\x1b[H\x1b[2J${render(nodes, sort, Math.max(0, rows - 8))}`);
    const fds = [{ fd: 0, events: POLLIN, revents: 0 }];
    if ((yield* poll(fds, delay * 1000)) > 0) {
      const c = yield* read(0, 1);
      if (typeof c === "number" || c.length === 0) break;
      const ch = String.fromCharCode(c[0]);
      if (ch === "q" || ch === "Q") break;
      sort = SORT_KEYS[ch.toLowerCase()] ?? "nr_objs";
    }
    nodes = yield* sample();
  }
  if (saved) yield* tcsetattr(0, saved);
  return 0;
}

export const slabtop: Applet = { name: "slabtop", dir: "/usr/bin", main: slabtop_main };
