/*
 * top.ts - top (procps/top.c) as Debian builds it: CPU usage per process
 * and globally, no per-CPU lines, plus the memory mode of FEATURE_TOPMEM
 * (-m or the s key, drawn by topmem.ts). That option is on in BusyBox's
 * default configuration; Debian's build leaves it out, and then its CPU
 * screen (the default) is the same as here.
 *
 *   Mem: 27660K used, 993072K free, 4936K shrd, 0K buff, 4936K cached
 *   CPU:   0% usr   4% sys   0% nic  95% idle   0% io   0% irq   0% sirq
 *   Load average: 0.16 0.03 0.01 1/64 201
 *     PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND
 *     201   117 root     R     1556   0%   4% top -bn1
 *
 * Everything comes from /proc: meminfo for the Mem line (used = MemTotal -
 * MemFree, shrd = MemShared + Shmem), the "cpu" line of /proc/stat for the
 * CPU line, loadavg verbatim, and /proc/PID/stat for the processes. %CPU
 * and the CPU line are deltas between two samples, so the first screen is
 * drawn after a 100 ms look (as BusyBox does); %VSZ is VSZ against
 * MemTotal. Both use BusyBox's fixed-point scale-and-shift arithmetic, so
 * the rounding is the same. Processes sort by %CPU, then VSZ, then total
 * CPU time (keys P, M, T; N by pid; R reverses).
 *
 * -b prints plain text with every process, -n N stops after N screens, -d
 * SECONDS (fractions allowed) is the delay. Without -b the screen is
 * cleared and redrawn ("\e[H\e[J"), the header is in reverse video, as many
 * processes as fit are shown, and keys are read raw from stdin (a terminal
 * or not) between refreshes and once before the first screen, so
 * "top -n1 < keys" applies the keys in the file: q or ^C quits. top always
 * ends with a newline, so a batch screen ends with an empty line. As in
 * BusyBox, options need no dash ("top bn1").
 */

import type { Termios } from "../../kernel/uapi/abi.js";
import { SIGHUP, SIGINT, SIGTERM, VEOF, VINTR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { POLLIN } from "../../kernel/uapi/syscalls.js";
import { parse_duration_str } from "../libc/duration.js";
import { parse_kv_numbers, read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt, smart_ulltoa5 } from "../libc/libbb.js";
import { type ProcStatus, procps_scan, read_cmdline } from "../libc/procps.js";
import { NameCache } from "../libc/pwd.js";
import { Writer } from "../libc/stream.js";
import { getpid, kill, nanosleep, poll, read, sigaction } from "../libc/sys.js";
import { get_terminal_width_height, set_termios_to_raw, tcsetattr } from "../libc/termios.js";
import type { Applet } from "./registry.js";
import { display_topmem_process_list, NUM_SORT_FIELD, scan_topmem, topmem_sort } from "./topmem.js";

/*
 * The usage text is Debian's, the build whose other output mmbox follows:
 * without FEATURE_TOPMEM it names neither -m nor the S key, which work here.
 */
const USAGE = `top [-bH] [-n COUNT] [-d SECONDS]

Show a view of process activity in real time.
Read the status of all processes from /proc each SECONDS
and show a screenful of them.
Keys:
\tN/M/P/T: sort by pid/mem/cpu/time
\tR: reverse sort
\tH: toggle threads
\tQ,^C: exit
Options:
\t-b\tBatch mode
\t-n N\tExit after N iterations
\t-d SEC\tDelay between updates
\t-H\tShow threads`;

/** The longest line top builds (LINE_BUF_SIZE - 2 of BusyBox's buffer). */
const LINE_BUF = 1022;

/** jiffy_counts_t: one "cpu" line of /proc/stat. */
interface Jiffies {
  usr: number;
  nic: number;
  sys: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  total: number;
  busy: number;
}

/** top_status_t: a process and its CPU ticks since the previous sample. */
interface TopStatus extends ProcStatus {
  ticks: number;
  pcpu: number;
}

type Cmp = (p: TopStatus, q: TopStatus) => number;
const pid_sort: Cmp = (p, q) => q.pid - p.pid;
const mem_sort: Cmp = (p, q) => (q.vsz < p.vsz ? -1 : q.vsz !== p.vsz ? 1 : 0);
const pcpu_sort: Cmp = (p, q) => q.pcpu - p.pcpu;
const time_sort: Cmp = (p, q) => (q.ticks < p.ticks ? -1 : q.ticks !== p.ticks ? 1 : 0);

/** Everything that lives from one screen to the next (BusyBox's globals). */
interface Top {
  batch: boolean;
  out: Writer;
  names: NameCache;
  sort: Cmp[];
  inverted: boolean;
  /** The memory screen instead of the CPU one (scan_mask == TOPMEM_MASK). */
  mem: boolean;
  /** The memory screen's sort column, 0 (VSZ) to NUM_SORT_FIELD - 1. */
  sortField: number;
  cur: Jiffies;
  prev: Jiffies;
  /** pid -> ticks at the previous sample. */
  prevHist: Map<number, number> | null;
  totalPcpu: number;
  eof: boolean;
  termios: Termios | null;
  /** Bytes read from stdin and not yet taken as keys (G.kbd_input). */
  kbd: number[];
}

const ZERO: Jiffies = { usr: 0, nic: 0, sys: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, total: 0, busy: 0 };

/** read_cpu_jiffy: the first line of /proc/stat. */
function* read_cpu_jiffy(): UserGen<Jiffies | null> {
  const text = yield* read_text("/proc/stat");
  if (typeof text === "number" || !text.startsWith("cpu")) return null;
  const f = text.split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4) return null;
  const [usr, nic, sys, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const total = usr + nic + sys + idle + iowait + irq + softirq + steal;
  // procps 2.x does not count iowait as busy time
  return { usr, nic, sys, idle, iowait, irq, softirq, total, busy: total - idle - iowait };
}

/** do_stats: ticks since the previous sample for every process, and their sum. */
function* do_stats(t: Top, procs: TopStatus[]): UserGen<boolean> {
  const j = yield* read_cpu_jiffy();
  if (!j) return false;
  t.prev = t.cur;
  t.cur = j;
  t.totalPcpu = 0;
  const hist = new Map<number, number>();
  for (const p of procs) {
    hist.set(p.pid, p.ticks);
    const before = t.prevHist?.get(p.pid);
    p.pcpu = before === undefined ? 0 : p.ticks - before;
    t.totalPcpu += p.pcpu;
  }
  t.prevHist = hist;
  return true;
}

/** The "CPU:" line: each state's share of the ticks between the samples. */
function cpu_line(t: Top): string {
  const total = t.cur.total - t.prev.total || 1;
  const pct = (k: keyof Jiffies): string =>
    `${String(Math.floor((100 * (t.cur[k] - t.prev[k])) / total)).padStart(4)}% `;
  return `CPU:${pct("usr")}usr${pct("sys")}sys${pct("nic")}nic${pct("idle")}idle${pct("iowait")}io${pct("irq")}irq${pct("softirq")}sirq`;
}

/** display_header: the Mem, CPU and Load average lines; returns MemTotal (KiB). */
function* display_header(t: Top, scr_width: number): UserGen<number> {
  const text = yield* read_text("/proc/meminfo");
  const mi = parse_kv_numbers(typeof text === "number" ? "" : text);
  const v = (k: string): number => mi.get(k) ?? 0;
  const w = Math.min(scr_width, 100) - 1; // snprintf(scrbuf, scr_width) into char scrbuf[100]
  const mem = `Mem: ${v("MemTotal") - v("MemFree")}K used, ${v("MemFree")}K free, ${v("MemShared") + v("Shmem")}K shrd, ${v("Buffers")}K buff, ${v("Cached")}K cached`;
  yield* t.out.puts(`${t.batch ? "" : "\x1b[H\x1b[J"}${mem.slice(0, w)}\n`);
  yield* t.out.puts(`${cpu_line(t).slice(0, w)}\n`);
  const load = yield* read_text("/proc/loadavg");
  const la = `Load average: ${typeof load === "number" ? "" : load.split("\n")[0]}`;
  yield* t.out.puts(`${la.slice(0, w)}\n`);
  return v("MemTotal");
}

/** display_process_list: the header row and as many processes as there are lines. */
function* display_process_list(t: Top, procs: TopStatus[], lines: number, scr_width: number): UserGen<void> {
  const total_memory = (yield* display_header(t, scr_width)) || 1;
  lines -= 3;
  const hdr = "  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND".slice(0, scr_width);
  yield* t.out.puts(t.batch ? hdr : `\x1b[7m${hdr}\x1b[m`);
  lines--;
  // %VSZ = vsz / MemTotal and %CPU = pcpu / sum(pcpu) * busy / total, in
  // BusyBox's 32-bit scale-and-shift arithmetic (UPSCALE 100, no decimals).
  let pmem_shift = 32 - 11;
  let pmem_scale = Math.floor((100 * 2 ** (32 - 11)) / total_memory);
  while (pmem_scale >= 512) {
    pmem_scale = Math.floor(pmem_scale / 4);
    pmem_shift -= 2;
  }
  const pmem_half = Math.floor(2 ** pmem_shift / 2);
  const busy_jifs = t.cur.busy - t.prev.busy;
  if (t.totalPcpu < busy_jifs) t.totalPcpu = busy_jifs;
  let pcpu_shift = 6;
  let pcpu_scale = 100 * 64 * (busy_jifs & 0xffff) || 1;
  while (pcpu_scale < 2 ** 30) {
    pcpu_scale *= 4;
    pcpu_shift += 2;
  }
  pcpu_scale = Math.floor(pcpu_scale / (((t.cur.total - t.prev.total) & 0xffff) * t.totalPcpu || 1));
  while (pcpu_scale >= 1024) {
    pcpu_scale = Math.floor(pcpu_scale / 4);
    pcpu_shift -= 2;
  }
  const pcpu_half = Math.floor(2 ** pcpu_shift / 2);
  const n = Math.min(lines, procs.length);
  for (let i = 0; i < n; i++) {
    const s = procs[i];
    const pmem = Math.floor((s.vsz * pmem_scale + pmem_half) / 2 ** pmem_shift);
    const pcpu = Math.floor((s.pcpu * pcpu_scale + pcpu_half) / 2 ** pcpu_shift);
    const user = (yield* t.names.user(s.uid)).slice(0, 8).padEnd(8);
    let line = `${String(s.pid).padStart(5)}${String(s.ppid).padStart(6)} ${user} ${s.state.padEnd(4)} ${smart_ulltoa5(s.vsz)}`;
    line += `${String(pmem).padStart(4)}%${String(pcpu).padStart(4)}% `;
    line = line.slice(0, scr_width);
    if (line.length + 2 < scr_width + 2)
      line += yield* read_cmdline(s.pid, scr_width + 1 - line.length, s.comm);
    yield* t.out.puts(`\n${line}`);
  }
  yield* t.out.puts(t.batch ? "\n" : "\r");
  yield* t.out.flush();
}

/**
 * handle_input: keys until the delay is over; false when top is to quit.
 * A read may bring several keys ("NR" from a file): they wait in t.kbd and
 * are taken one at a time, as read_key does. An escape sequence (an arrow
 * key: ESC [ A, ESC [ 5 ~, ESC O A) is taken whole and only refreshes.
 */
function* handle_input(t: Top, interval_ms: number): UserGen<boolean> {
  if (t.eof) {
    yield* nanosleep(interval_ms * 1e6);
    return true;
  }
  let timeout = interval_ms;
  for (;;) {
    if (t.kbd.length === 0) {
      const fds = [{ fd: 0, events: POLLIN, revents: 0 }];
      const r = yield* poll(fds, timeout);
      if (r === 0) return true;
      if (r < 0) return true; // a signal: redraw
      const b = yield* read(0, 16);
      if (typeof b === "number" || b.length === 0) {
        t.eof = true;
        return true;
      }
      t.kbd = Array.from(b);
    }
    timeout = 0;
    const c = t.kbd.shift() ?? 0;
    if (t.termios && (c === t.termios.c_cc[VINTR] || c === t.termios.c_cc[VEOF])) return false;
    if (c === 0x1b && t.kbd.length > 0) {
      if (t.kbd[0] === 0x5b || t.kbd[0] === 0x4f) {
        // '[' or 'O', parameters, then a final byte in 0x40..0x7e
        t.kbd.shift();
        while (t.kbd.length > 0 && !(t.kbd[0] >= 0x40 && t.kbd[0] <= 0x7e)) t.kbd.shift();
        t.kbd.shift();
      }
      return true;
    }
    const k = String.fromCharCode(c | 0x20);
    if (k === "q") return false;
    if ("nmpt".includes(k)) t.mem = false;
    if (k === "n") t.sort[0] = pid_sort;
    else if (k === "m") t.sort = [mem_sort, pcpu_sort, time_sort];
    else if (k === "p") t.sort = [pcpu_sort, mem_sort, time_sort];
    else if (k === "t") t.sort = [time_sort, mem_sort, pcpu_sort];
    else if (k === "s") {
      // the memory screen; the CPU one starts from a new sample when it comes back
      t.mem = true;
      t.prevHist = null;
      t.sortField = (t.sortField + 1) % NUM_SORT_FIELD;
    } else if (k === "r") t.inverted = !t.inverted;
    else if (k !== "h") return true; // unknown key: refresh now
  }
}

function* top_main(argv: string[], envp: string[]): UserGen<number> {
  // make_all_argv_opts: "top bn1" is "top -bn1"
  const args = [argv[0], ...argv.slice(1).map((a) => (a.startsWith("-") ? a : `-${a}`))];
  // -m and -H are accepted even where they do nothing (getopt32's "d:n:bHm")
  const o = yield* bb_getopt(args, "d:n:bHm", USAGE);
  if (!o) return 1;
  let interval = 5;
  const d = o.arg("d");
  if (d !== undefined) {
    const v = parse_duration_str(d.replace(/^-/, ""));
    if (v === null) {
      yield* bb_error_msg("top", `invalid number '${d.replace(/^-/, "")}'`);
      return 1;
    }
    interval = v;
  }
  let iterations = 0; // 0: forever
  const n = o.arg("n");
  if (n !== undefined) {
    const s = n.replace(/^-/, "");
    if (!/^[0-9]+$/.test(s) || Number(s) > 4294967295) {
      yield* bb_error_msg("top", `invalid number '${s}'`);
      return 1;
    }
    iterations = Number(s);
  }
  const t: Top = {
    batch: o.has("b"),
    out: yield* Writer.open(1),
    names: new NameCache(),
    sort: [pcpu_sort, mem_sort, time_sort],
    inverted: false,
    mem: o.has("m"),
    sortField: 0,
    cur: ZERO,
    prev: ZERO,
    prevHist: null,
    totalPcpu: 0,
    eof: o.has("b"),
    termios: null,
    kbd: [],
  };
  if (!t.batch) {
    t.termios = yield* set_termios_to_raw(0, true);
    const saved = t.termios;
    // sig_catcher: put the terminal back, then die of the signal.
    const catcher = function* (sig: number): UserGen<void> {
      if (saved) yield* tcsetattr(0, saved);
      yield* sigaction(sig, 0);
      yield* kill(yield* getpid(), sig);
    };
    for (const sig of [SIGHUP, SIGINT, SIGTERM]) yield* sigaction(sig, catcher);
  }
  // eat the input that is already there ("top < keys")
  let running = yield* handle_input(t, 0);
  while (running) {
    let lines = 24;
    let col = 79;
    if (t.batch) {
      lines = Number.MAX_SAFE_INTEGER;
      col = LINE_BUF;
    } else {
      [col, lines] = yield* get_terminal_width_height(1, envp);
      col = Math.min(col, LINE_BUF);
    }
    if (t.mem) {
      const procs = yield* scan_topmem();
      if (procs.length === 0) {
        yield* bb_error_msg("top", "no process info in /proc");
        break;
      }
      procs.sort(topmem_sort(t.sortField, t.inverted));
      yield* display_topmem_process_list(t.out, t.batch, procs, t.sortField, t.inverted, lines, col);
      if (iterations > 0 && --iterations === 0) break;
      running = yield* handle_input(t, Math.round(interval * 1000));
      continue;
    }
    const procs: TopStatus[] = (yield* procps_scan(true)).map((p) => ({
      ...p,
      ticks: p.utime + p.stime,
      pcpu: 0,
    }));
    const first = t.prevHist === null;
    if (!(yield* do_stats(t, procs))) {
      yield* bb_error_msg("top", "can't read /proc/stat");
      return 1;
    }
    if (first) {
      yield* nanosleep(100e6);
      continue;
    }
    procs.sort((a, b) => {
      let c = 0;
      for (const f of t.sort) if ((c = f(a, b)) !== 0) break;
      return t.inverted ? -c : c;
    });
    yield* display_process_list(t, procs, lines, col);
    if (iterations > 0 && --iterations === 0) break;
    running = yield* handle_input(t, Math.round(interval * 1000));
  }
  yield* t.out.puts("\n");
  yield* t.out.flush();
  if (t.termios) yield* tcsetattr(0, t.termios);
  return 0;
}

export const top: Applet = { name: "top", dir: "/usr/bin", usage: USAGE, main: top_main };
