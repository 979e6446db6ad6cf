/*
 * ps.ts - ps (procps/ps.c), as Debian builds BusyBox: the DESKTOP variant
 * with -o, but without FEATURE_PS_TIME, so the default columns are
 * "pid,user,args" and there is no time or etime column (the reference
 * transcript's "PID   USER     COMMAND").
 *
 *   ps [-o COL1,COL2=HEADER] [-T]     (-a -A -d -e -f -l are accepted, ignored)
 *
 * Each column has a width; every column but the last is padded to it plus
 * one space; a value wider than its column pushes the rest right (by C's
 * "%*s" with a negative width, |width - len + 1| spaces follow it). An
 * empty value prints "-". "name=HEADER" renames a column and makes it as
 * wide as the new header; "name=" hides the header (no header line at all
 * when every column hides it). When stdout is a terminal the line is cut
 * at its width minus one, else at 2048 characters.
 *
 * VSZ and RSS are KiB from /proc/PID/stat, in four characters
 * (smart_ulltoa4: "1556", " 27m", "1.2g"); they stay 0 for a process whose
 * address space the kernel does not account.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, smart_ulltoa4 } from "../libc/libbb.js";
import { format_cmdline, type ProcStatus, procps_scan } from "../libc/procps.js";
import { NameCache } from "../libc/pwd.js";
import { isatty, Writer } from "../libc/stream.js";
import { get_terminal_width_height } from "../libc/termios.js";
import type { Applet } from "./registry.js";

const USAGE = `ps [-o COL1,COL2=HEADER] [-T]

Show list of processes

\t-o COL1,COL2=HEADER\tSelect columns for display
\t-T\t\t\tShow threads`;

/** Absolute maximum on output line length. */
const MAX_WIDTH = 2 * 1024;

/** A process and the names and command line its columns may show. */
interface Row extends ProcStatus {
  user: string;
  group: string;
  args: string;
}

/** ps_out_t: a column. */
interface PsOut {
  width: number;
  name: string;
  header: string;
  f: (p: Row, size: number) => string;
}

const num = (v: number, size: number): string => String(v).padStart(size);

/** out_spec[], in BusyBox's order (the order of the error message's list). */
const OUT_SPEC: PsOut[] = [
  { width: 8, name: "user", header: "USER", f: (p, s) => p.user.slice(0, s) },
  { width: 8, name: "group", header: "GROUP", f: (p, s) => p.group.slice(0, s) },
  { width: 16, name: "comm", header: "COMMAND", f: (p, s) => p.comm.slice(0, s) },
  { width: MAX_WIDTH, name: "args", header: "COMMAND", f: (p) => p.args },
  { width: 5, name: "pid", header: "PID", f: (p, s) => num(p.pid, s) },
  { width: 5, name: "ppid", header: "PPID", f: (p, s) => num(p.ppid, s) },
  { width: 5, name: "pgid", header: "PGID", f: (p, s) => num(p.pgid, s) },
  { width: 5, name: "nice", header: "NI", f: (p, s) => num(p.nice, s) },
  { width: 8, name: "rgroup", header: "RGROUP", f: (p, s) => p.group.slice(0, s) },
  { width: 8, name: "ruser", header: "RUSER", f: (p, s) => p.user.slice(0, s) },
  {
    width: 6,
    name: "tty",
    header: "TT",
    f: (p, s) => (p.tty_major ? `${p.tty_major},${p.tty_minor}` : "?").slice(0, s),
  },
  { width: 4, name: "vsz", header: "VSZ", f: (p, s) => smart_ulltoa4(p.vsz).slice(0, s) },
  { width: 5, name: "sid", header: "SID", f: (p, s) => num(p.sid, s) },
  { width: 4, name: "stat", header: "STAT", f: (p, s) => p.state.slice(0, s) },
  { width: 4, name: "rss", header: "RSS", f: (p, s) => smart_ulltoa4(p.rss).slice(0, s) },
];

/** find_out_spec: names compare on their first six characters, as strncmp(name, name6, 6). */
function find_out_spec(name: string): PsOut | string {
  const hit = OUT_SPEC.find((s) => name.slice(0, 6) === s.name);
  if (hit) return { ...hit };
  return `bad -o argument '${name}', supported arguments: ${OUT_SPEC.map((s) => s.name).join(",")}`;
}

/** parse_o: "COL,COL=HEADER,..." appended to `out`; an error message, or null. */
function parse_o(opt: string, out: PsOut[]): string | null {
  for (const item of opt.split(",")) {
    const eq = item.indexOf("=");
    const spec = find_out_spec(eq < 0 ? item : item.slice(0, eq));
    if (typeof spec === "string") return spec;
    if (eq >= 0) {
      spec.header = item.slice(eq + 1);
      if (spec.header) spec.width = spec.header.length;
    }
    out.push(spec);
  }
  return null;
}

function* ps_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "Zo:aAdeflT", USAGE);
  if (!o) return 1;
  const out: PsOut[] = [];
  const specs = o.list("o");
  for (const s of specs.length ? specs : ["pid,user,args"]) {
    const err = parse_o(s, out);
    if (err) {
      yield* bb_error_msg("ps", err);
      return 1;
    }
  }
  let terminal_width = MAX_WIDTH;
  if (yield* isatty(1)) {
    const [w] = yield* get_terminal_width_height(0, envp);
    terminal_width = Math.min(w - 1, MAX_WIDTH);
  }
  // alloc_line_buffer: columns that start beyond the line are dropped.
  let width = 0;
  let cnt = out.length;
  for (let i = 0; i < out.length; i++) {
    width += out[i].width + 1;
    if (width - terminal_width > 0) {
      cnt = i + 1;
      break;
    }
  }
  const cols = out.slice(0, cnt);
  const w = yield* Writer.open(1);
  if (cols.some((c) => c.header !== "")) {
    let line = "";
    cols.forEach((c, i) => {
      line += i === cols.length - 1 ? c.header : `${c.header.padEnd(c.width)} `;
    });
    yield* w.puts(`${line.slice(0, terminal_width)}\n`);
  }
  const names = new NameCache();
  const args = cols.find((c) => c.name === "args");
  // (the command line with the stat file, one process after the other, as procps_scan does it for
  // PSSCAN_ARGVN: the two agree about a process that is just exec'ing)
  for (const p of yield* procps_scan(true, false, args !== undefined)) {
    const row: Row = {
      ...p,
      user: yield* names.user(p.uid),
      group: yield* names.group(p.gid),
      args: args ? format_cmdline(p.cmdline ?? "", args.width + 1, p.comm) : "",
    };
    let line = "";
    for (let i = 0; i < cols.length; i++) {
      let v = cols[i].f(row, cols[i].width);
      if (v === "") v = "-";
      line += v;
      // sprintf("%*s", width - len + 1, ""): a negative width pads just the same.
      if (i < cols.length - 1) line += " ".repeat(Math.abs(cols[i].width - v.length + 1));
    }
    yield* w.puts(`${line.slice(0, terminal_width)}\n`);
  }
  yield* w.flush();
  return 0;
}

export const ps: Applet = { name: "ps", dir: "/bin", usage: USAGE, main: ps_main };
