/*
 * vmstat.ts - vmstat as procps-ng 4.0.2 prints it (BusyBox 1.35 has no
 * vmstat; Debian's procps package provides /usr/bin/vmstat).
 *
 *   procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
 *    r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
 *    1  0      0 993072      0   4936    0    0     0     0    0    0  0  0 100  0  0
 *
 * r and b are procs_running and procs_blocked of /proc/stat; swpd, free,
 * buff and cache (Cached + SReclaimable) come from /proc/meminfo, in KiB
 * unless -S; si/so (pswpin/pswpout, in KiB), bi/bo (pgpgin/pgpgout) from
 * /proc/vmstat; in and cs from the intr and ctxt lines of /proc/stat; us
 * (user+nice), sy (system+irq+softirq), id, wa and st are shares of the
 * CPU ticks of the "cpu" line. The first line averages since boot the way
 * procps does (rates per second of CPU time over all CPUs); each later line,
 * DELAY seconds apart, shows the change since the previous one. The header
 * comes back every (terminal rows - 3) lines unless -n.
 *
 * -a shows inactive/active instead of buff/cache, -w is wider, -t adds a
 * timestamp, -y skips the since-boot line, -s prints the event counters,
 * -f the forks since boot, -m the slab caches of /proc/slabinfo; -d, -D and
 * -p the disks of /proc/diskstats (vmstat_disk.ts).
 */

import type { Winsize } from "../../kernel/uapi/abi.js";
import { TIOCGWINSZ } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { parse_kv_numbers, read_text } from "../libc/file.js";
import { GetoptError, getopt } from "../libc/getopt.js";
import { puts } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { ioctl, nanosleep } from "../libc/sys.js";
import type { Applet } from "./registry.js";
import { type DiskOpts, diskformat, diskpartition_format, disksum_format, stamp } from "./vmstat_disk.js";

const HELP = `
Usage:
 vmstat [options] [delay [count]]

Options:
 -a, --active           active/inactive memory
 -f, --forks            number of forks since boot
 -m, --slabs            slabinfo
 -n, --one-header       do not redisplay header
 -s, --stats            event counter statistics
 -d, --disk             disk statistics
 -D, --disk-sum         summarize disk statistics
 -p, --partition <dev>  partition specific statistics
 -S, --unit <char>      define display unit
 -w, --wide             wide output
 -t, --timestamp        show timestamp
 -y, --no-first         skips first line of output

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see vmstat(8).
`;

const HEADER = "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----";
const WIDE_HEADER =
  "--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------";
const FMT = [2, 2, 6, 6, 6, 6, 4, 4, 5, 5, 4, 4, 2, 2, 2, 2, 2];
const WIDE_FMT = [4, 4, 12, 12, 12, 12, 4, 4, 5, 5, 4, 4, 3, 3, 3, 3, 3, 3];

/** One sample of everything a line needs. */
interface Sample {
  mem: Map<string, number>;
  vm: Map<string, number>;
  /** usr nic sys idl iow irq srq sto of the "cpu" line */
  cpu: number[];
  intr: number;
  ctxt: number;
  running: number;
  blocked: number;
  btime: number;
  processes: number;
}

function* sample(): UserGen<Sample> {
  const mi = yield* read_text("/proc/meminfo");
  const vmText = yield* read_text("/proc/vmstat");
  const st = yield* read_text("/proc/stat");
  const vm = new Map<string, number>();
  if (typeof vmText === "string")
    for (const l of vmText.split("\n")) {
      const [k, v] = l.split(" ");
      if (k) vm.set(k, Number(v) || 0);
    }
  const s: Sample = {
    mem: parse_kv_numbers(typeof mi === "string" ? mi : ""),
    vm,
    cpu: [0, 0, 0, 0, 0, 0, 0, 0],
    intr: 0,
    ctxt: 0,
    running: 0,
    blocked: 0,
    btime: 0,
    processes: 0,
  };
  for (const l of (typeof st === "string" ? st : "").split("\n")) {
    const f = l.trim().split(/\s+/);
    const n = Number(f[1]) || 0;
    if (f[0] === "cpu") s.cpu = f.slice(1, 9).map((x) => Number(x) || 0);
    else if (f[0] === "intr") s.intr = n;
    else if (f[0] === "ctxt") s.ctxt = n;
    else if (f[0] === "procs_running") s.running = n;
    else if (f[0] === "procs_blocked") s.blocked = n;
    else if (f[0] === "btime") s.btime = n;
    else if (f[0] === "processes") s.processes = n;
  }
  while (s.cpu.length < 8) s.cpu.push(0);
  return s;
}

interface Vm {
  out: Writer;
  wide: boolean;
  active: boolean;
  timestamp: boolean;
  /** Bytes per display unit (-S). */
  unit: number;
}

function* header(v: Vm): UserGen<void> {
  let h1 = v.wide ? WIDE_HEADER : HEADER;
  const names = ["r", "b", "swpd", "free", v.active ? "inact" : "buff", v.active ? "active" : "cache"];
  names.push("si", "so", "bi", "bo", "in", "cs", "us", "sy", "id", "wa", "st");
  if (v.wide) names.push("gu");
  const widths = v.wide ? WIDE_FMT : FMT;
  let h2 = names.map((n, i) => n.padStart(widths[i])).join(" ");
  if (v.timestamp) {
    h1 += " -----timestamp-----";
    h2 += `${"UTC".padStart(20)}`;
  }
  yield* v.out.puts(`${h1}\n${h2}\n`);
}

/** One line: since boot when prev is null, else the change over `secs` seconds. */
function* line(v: Vm, cur: Sample, prev: Sample | null, secs: number, hz: number): UserGen<void> {
  const conv = (kb: number): number => Math.floor((kb * 1024) / v.unit);
  const m = (k: string): number => cur.mem.get(k) ?? 0;
  const d = (a: number, b: number): number => (prev ? a - b : a);
  const c = cur.cpu.map((x, i) => d(x, prev ? prev.cpu[i] : 0));
  const use = c[0] + c[1];
  const sys = c[2] + c[5] + c[6];
  let idl = c[3];
  const iow = c[4];
  const sto = c[7];
  let div = use + sys + idl + iow + sto;
  if (!div) {
    div = 1;
    idl = 1;
  }
  const divo2 = Math.floor(div / 2);
  const pct = (x: number): number => Math.floor((100 * x + divo2) / div);
  const vmd = (k: string): number => d(cur.vm.get(k) ?? 0, prev?.vm.get(k) ?? 0);
  // since boot: count * HZ / CPU ticks; later: count / seconds, both rounded
  const rate = (x: number): number =>
    prev ? Math.floor((x + Math.floor(secs / 2)) / secs) : Math.floor((x * hz + divo2) / div);
  const vals = [
    cur.running,
    cur.blocked,
    conv(m("SwapTotal") - m("SwapFree")),
    conv(m("MemFree")),
    conv(v.active ? m("Inactive") : m("Buffers")),
    conv(v.active ? m("Active") : m("Cached") + m("SReclaimable")),
    rate(conv(vmd("pswpin") * 4)),
    rate(conv(vmd("pswpout") * 4)),
    rate(vmd("pgpgin")),
    rate(vmd("pgpgout")),
    rate(d(cur.intr, prev?.intr ?? 0)),
    rate(d(cur.ctxt, prev?.ctxt ?? 0)),
    pct(use),
    pct(sys),
    pct(idl),
    pct(iow),
    pct(sto),
  ];
  if (v.wide) vals.push(0);
  const widths = v.wide ? WIDE_FMT : FMT;
  let s = vals.map((x, i) => String(x).padStart(widths[i])).join(" ");
  if (v.timestamp) {
    s += ` ${yield* stamp()}`;
  }
  yield* v.out.puts(`${s}\n`);
  yield* v.out.flush();
}

/** vmstat -s */
function* stats(v: Vm, s: Sample, unitName: string): UserGen<void> {
  const m = (k: string): number => s.mem.get(k) ?? 0;
  const conv = (kb: number): number => Math.floor((kb * 1024) / v.unit);
  const n = (x: number): string => String(x).padStart(13);
  const mem: [number, string][] = [
    [m("MemTotal"), "total memory"],
    [m("MemTotal") - m("MemAvailable"), "used memory"],
    [m("Active"), "active memory"],
    [m("Inactive"), "inactive memory"],
    [m("MemFree"), "free memory"],
    [m("Buffers"), "buffer memory"],
    [m("Cached") + m("SReclaimable"), "swap cache"],
    [m("SwapTotal"), "total swap"],
    [m("SwapTotal") - m("SwapFree"), "used swap"],
    [m("SwapFree"), "free swap"],
  ];
  let out = mem.map(([x, what]) => `${n(conv(x))} ${unitName} ${what}\n`).join("");
  const ticks = ["non-nice user", "nice user", "system", "idle", "IO-wait", "IRQ", "softirq", "stolen"];
  ticks.forEach((what, i) => {
    out += `${n(s.cpu[i])} ${what} cpu ticks\n`;
  });
  out += `${n(0)} non-nice guest cpu ticks\n${n(0)} nice guest cpu ticks\n`;
  const vm = (k: string): number => s.vm.get(k) ?? 0;
  out += `${n(vm("pgpgin"))} K paged in\n${n(vm("pgpgout"))} K paged out\n`;
  out += `${n(vm("pswpin"))} pages swapped in\n${n(vm("pswpout"))} pages swapped out\n`;
  out += `${n(s.intr)} interrupts\n${n(s.ctxt)} CPU context switches\n${n(s.btime)} boot time\n${n(s.processes)} forks\n`;
  yield* v.out.puts(out);
}

/** vmstat -m: the slab caches. */
function* slabs(v: Vm): UserGen<number> {
  const text = yield* read_text("/proc/slabinfo");
  if (typeof text === "number") {
    yield* puts(2, "vmstat: Unable to create slabinfo structure\n");
    return 1;
  }
  let out = "Cache                       Num  Total   Size  Pages\n";
  for (const l of text.split("\n")) {
    if (!l || l.startsWith("slabinfo") || l.startsWith("#")) continue;
    const f = l.split(/\s+/);
    out += `${f[0].slice(0, 24).padEnd(24)} ${f[1].padStart(6)} ${f[2].padStart(6)} ${f[3].padStart(6)} ${f[4].padStart(6)}\n`;
  }
  yield* v.out.puts(out);
  return 0;
}

function* vmstat_main(argv: string[]): UserGen<number> {
  const o = getopt(argv, "afmnsdDp:S:wtyhV", [
    { name: "active", arg: 0, val: "a" },
    { name: "forks", arg: 0, val: "f" },
    { name: "slabs", arg: 0, val: "m" },
    { name: "one-header", arg: 0, val: "n" },
    { name: "stats", arg: 0, val: "s" },
    { name: "disk", arg: 0, val: "d" },
    { name: "disk-sum", arg: 0, val: "D" },
    { name: "partition", arg: 1, val: "p" },
    { name: "unit", arg: 1, val: "S" },
    { name: "wide", arg: 0, val: "w" },
    { name: "timestamp", arg: 0, val: "t" },
    { name: "no-first", arg: 0, val: "y" },
    { name: "help", arg: 0, val: "h" },
    { name: "version", arg: 0, val: "V" },
  ]);
  if (o instanceof GetoptError) {
    yield* puts(2, `${o.message}\n${HELP}`);
    return 1;
  }
  if (o.has("h")) {
    yield* puts(1, HELP);
    return 0;
  }
  if (o.has("V")) {
    yield* puts(1, "vmstat from procps-ng 4.0.2\n");
    return 0;
  }
  let unit = 1024;
  let unitName = "K";
  const S = o.arg("S");
  if (S !== undefined) {
    const units: Record<string, number> = { k: 1000, K: 1024, m: 1000000, M: 1048576 };
    if (!(S in units) || S.length !== 1) {
      yield* puts(2, "vmstat: -S requires k, K, m or M (default is KiB)\n");
      return 1;
    }
    unit = units[S];
    unitName = S;
  }
  const v: Vm = {
    out: yield* Writer.open(1),
    wide: o.has("w"),
    active: o.has("a"),
    timestamp: o.has("t"),
    unit,
  };
  let delay = 0;
  let count = -1; // forever
  const num = (s: string): number | null => (/^[0-9]+$/.test(s) ? Number(s) : null);
  for (const [i, a] of o.rest.slice(0, 2).entries()) {
    const x = num(a);
    if (x === null) {
      yield* puts(2, `vmstat: failed to parse argument: '${a}'\n`);
      return 1;
    }
    if (i === 0) {
      if (x < 1) {
        yield* puts(2, "vmstat: delay must be positive integer\n");
        return 1;
      }
      delay = x;
    } else count = x;
  }
  if (o.rest.length === 0) count = 1;
  else if (o.rest.length === 1) count = -1;
  // statMode: one of the modes at most, else the usage text.
  if (["d", "D", "p", "m", "s"].filter((m) => o.has(m)).length > 1) {
    yield* puts(2, HELP);
    return 1;
  }
  // winhi() - 3 lines between headers; 24 rows when stdout is no terminal
  const ws = yield* ioctl<Winsize>(1, TIOCGWINSZ);
  const rows = typeof ws === "object" && ws.ws_row > 0 ? ws.ws_row : 24;
  const height = rows - 3 > 0 ? rows - 3 : 22;
  const disk: DiskOpts = {
    out: v.out,
    wide: v.wide,
    timestamp: v.timestamp,
    delay,
    count,
    moreheaders: !o.has("n"),
    height,
  };
  if (o.has("d")) return yield* diskformat(disk);
  if (o.has("D")) return yield* disksum_format(disk);
  const part = o.arg("p");
  if (part !== undefined) return yield* diskpartition_format(disk, part);
  if (o.has("m")) {
    const r = yield* slabs(v);
    yield* v.out.flush();
    return r;
  }
  if (o.has("f")) {
    const s = yield* sample();
    yield* v.out.puts(`${String(s.processes).padStart(13)} forks\n`);
    yield* v.out.flush();
    return 0;
  }
  if (o.has("s")) {
    yield* stats(v, yield* sample(), unitName);
    yield* v.out.flush();
    return 0;
  }
  yield* header(v);
  let prev = yield* sample();
  if (!o.has("y")) yield* line(v, prev, null, delay, 100);
  else if (count > 0) count++;
  for (let i = 1; count < 0 || i < count; i++) {
    yield* nanosleep(delay * 1e9);
    if (!o.has("n") && i % height === 0) yield* header(v);
    const cur = yield* sample();
    yield* line(v, cur, prev, delay, 100);
    prev = cur;
  }
  yield* v.out.flush();
  return 0;
}

export const vmstat: Applet = { name: "vmstat", dir: "/usr/bin", main: vmstat_main };
