/*
 * procps.ts - walking the processes the way BusyBox does (libbb/procps.c,
 * find_pid_by_name.c): readdir("/proc"), and for each numeric entry read
 * /proc/PID/stat (and /proc/PID/cmdline when the command line is wanted).
 * ps, top, pidof and killall are built on it; none of them knows anything
 * the kernel does not print in those files.
 *
 * /proc/PID/stat, after "PID (comm) ":
 *   state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
 *   utime stime cutime cstime priority nice num_threads itrealvalue
 *   starttime vsize rss rsslim ...
 * The comm may hold spaces and parentheses, so the fields start after the
 * LAST ')'. vsize is bytes, rss is pages.
 *
 * The three-letter state BusyBox shows ("S  ", "SW ", "IW<", "SWN") is the
 * kernel's letter, then 'W' when the process has no memory (vsize 0: a
 * kernel thread), then '<' or 'N' for a negative or positive nice value.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir, read_text } from "./file.js";
import { bb_basename } from "./libbb.js";
import { readlink, stat } from "./sys.js";

/** The page size of every simulated machine (sysconf(_SC_PAGESIZE)). */
export const PAGE_SIZE = 4096;

/** procps_status_t: what one scan step knows about a process. */
export interface ProcStatus {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  uid: number;
  gid: number;
  /** "S  ", "SW ", "IW<", "R N"... as described above. */
  state: string;
  /** The kernel's comm, at most 15 characters. */
  comm: string;
  /** Controlling tty: 0 when none. */
  tty_major: number;
  tty_minor: number;
  /** Clock ticks (USER_HZ) in user and kernel mode. */
  utime: number;
  stime: number;
  nice: number;
  /** Clock ticks after boot at which the process started. */
  start_time: number;
  /** Virtual size and resident set, KiB. */
  vsz: number;
  rss: number;
  /** Page faults: minor and major. */
  min_flt: number;
  maj_flt: number;
  /** Which CPU the process last ran on. */
  last_cpu: number;
  /** The sums of /proc/PID/smaps, when the scan asked for them. */
  smaps?: SmapsTotal;
  /** The raw /proc/PID/cmdline, read right after the stat file when the scan asked for it. */
  cmdline?: string;
}

/** Parses one /proc/PID/stat line; null when it is not one. */
export function parse_proc_stat(pid: number, text: string): ProcStatus | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < 0 || text[close + 1] !== " ") return null;
  const comm = text.slice(open + 1, close).slice(0, 15);
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  if (f.length < 22) return null;
  const n = (i: number): number => Number(f[i]) || 0;
  const tty = n(4);
  const vsize = n(20);
  const nice = n(16);
  const letter = f[0];
  const state =
    letter + (vsize === 0 && letter !== "Z" ? "W" : " ") + (nice < 0 ? "<" : nice > 0 ? "N" : " ");
  return {
    pid,
    ppid: n(1),
    pgid: n(2),
    sid: n(3),
    uid: 0,
    gid: 0,
    state,
    comm,
    tty_major: (tty >> 8) & 0xfff,
    tty_minor: (tty & 0xff) | ((tty >> 12) & 0xfff00),
    utime: n(11),
    stime: n(12),
    nice,
    start_time: n(19),
    vsz: Math.floor(vsize / 1024),
    rss: (n(21) * PAGE_SIZE) / 1024,
    min_flt: n(7),
    maj_flt: n(9),
    last_cpu: f.length > 36 ? n(36) : 0,
  };
}

/**
 * struct smaprec as top's memory mode sums it over a process (KiB):
 *
 *   mapped_rw / mapped_ro  sizes of the writable / read-only mappings,
 *                          except /dev/ files other than /dev/zero
 *   private_* / shared_*   the Private_Clean/Dirty, Shared_Clean/Dirty lines
 *   stack                  size of the [stack] mapping
 *   smap_size              size of every mapping
 */
export interface SmapsTotal {
  mapped_rw: number;
  mapped_ro: number;
  private_clean: number;
  private_dirty: number;
  shared_clean: number;
  shared_dirty: number;
  stack: number;
  smap_size: number;
}

const NO_SMAPS: SmapsTotal = {
  mapped_rw: 0,
  mapped_ro: 0,
  private_clean: 0,
  private_dirty: 0,
  shared_clean: 0,
  shared_dirty: 0,
  stack: 0,
  smap_size: 0,
};

/**
 * procps_read_smaps: the totals of /proc/PID/smaps, read as libbb does: a
 * line starting with one of the four Private_/Shared_ names adds its number;
 * any other line with a '-' is the next mapping's "start-end mode offset
 * dev inode name". A mapping's mode letter 1 ('w' or '-') decides rw or ro;
 * a name starting "/dev/" is left out of both unless it is exactly
 * "/dev/zero". null when the file cannot be read (the process is gone).
 */
export function* procps_read_smaps(pid: number): UserGen<SmapsTotal | null> {
  const text = yield* read_text(`/proc/${pid}/smaps`);
  if (typeof text === "number") return null;
  const t: SmapsTotal = { ...NO_SMAPS };
  const scan: [string, keyof SmapsTotal][] = [
    ["Private_Dirty:", "private_dirty"],
    ["Private_Clean:", "private_clean"],
    ["Shared_Dirty:", "shared_dirty"],
    ["Shared_Clean:", "shared_clean"],
  ];
  next: for (const line of text.split("\n")) {
    for (const [prefix, key] of scan) {
      if (line.startsWith(prefix)) {
        t[key] += Number.parseInt(line.slice(prefix.length).trim(), 10) || 0;
        continue next;
      }
    }
    if (!line.includes("-")) continue;
    const f = line.replace("-", " ").trim().split(/\s+/);
    const size = Math.floor((Number.parseInt(f[1], 16) - Number.parseInt(f[0], 16)) / 1024) || 0;
    const name = f.slice(6).join(" ");
    if (!name.startsWith("/dev/") || name === "/dev/zero") {
      if (f[2]?.[1] === "w") t.mapped_rw += size;
      else if (f[2]?.[1] === "-") t.mapped_ro += size;
    }
    if (name === "[stack]") t.stack += size;
    t.smap_size += size;
  }
  return t;
}

/**
 * procps_scan: every process, in /proc's (ascending pid) order. A process
 * that exits between readdir and the read of its stat file is skipped.
 * With `uidgid`, the owner comes from stat("/proc/PID") as BusyBox takes it;
 * with `smaps` (PSSCAN_SMAPS), each process's smaps totals are read right
 * after its stat (all zero when that file is gone).
 */
export function* procps_scan(uidgid = false, smaps = false, cmdline = false): UserGen<ProcStatus[]> {
  const ents = yield* read_dir("/proc");
  if (typeof ents === "number") return [];
  const out: ProcStatus[] = [];
  for (const e of ents) {
    if (!/^[0-9]+$/.test(e.d_name)) continue;
    const pid = Number(e.d_name);
    const text = yield* read_text(`/proc/${pid}/stat`);
    if (typeof text === "number") continue;
    const p = parse_proc_stat(pid, text);
    if (!p) continue;
    if (uidgid) {
      const st = yield* stat(`/proc/${pid}`);
      if (typeof st === "number") continue;
      p.uid = st.st_uid;
      p.gid = st.st_gid;
    }
    if (smaps) p.smaps = (yield* procps_read_smaps(pid)) ?? { ...NO_SMAPS };
    if (cmdline) p.cmdline = yield* read_cmdline_raw(pid);
    out.push(p);
  }
  return out;
}

/** The raw /proc/PID/cmdline (NUL-separated), "" when empty or gone. */
export function* read_cmdline_raw(pid: number): UserGen<string> {
  const t = yield* read_text(`/proc/${pid}/cmdline`);
  return typeof t === "number" ? "" : t;
}

/**
 * read_cmdline(buf, col, pid, comm): the command line as ps and top show
 * it, at most col-1 characters. NULs (and other control characters) become
 * spaces; a process without one (a kernel thread) is "[comm]"; when the
 * basename of argv[0] does not start with comm (a renamed thread, a
 * process that has forked but not yet exec'd) "{comm} " goes in front.
 */
export function format_cmdline(raw: string, col: number, comm: string): string {
  let buf = raw.slice(0, Math.max(0, col - 1));
  buf = buf.replace(/\0+$/, "");
  if (buf.length === 0) return `[${comm}]`.slice(0, Math.max(0, col - 1));
  let argv0 = buf.split("\0")[0];
  const sp = argv0.indexOf(" ");
  if (sp >= 0) argv0 = argv0.slice(0, sp);
  let base = bb_basename(argv0);
  if (base.startsWith("-")) base = base.slice(1);
  buf = buf.replace(/[\x00-\x1f]/g, " ");
  if (!base.startsWith(comm)) buf = `{${comm}} ${buf}`;
  return buf.slice(0, Math.max(0, col - 1));
}

/** read_cmdline for one process. */
export function* read_cmdline(pid: number, col: number, comm: string): UserGen<string> {
  return format_cmdline(yield* read_cmdline_raw(pid), col, comm);
}

/**
 * find_pid_by_name: the processes whose comm is `name`, or whose argv[0]
 * or /proc/PID/exe has `name` as its basename. Newest first, as BusyBox's
 * pidof prints them.
 */
export function* find_pid_by_name(name: string): UserGen<number[]> {
  const out: number[] = [];
  for (const p of yield* procps_scan()) {
    let hit = p.comm === name || (name.length > 15 && name.startsWith(p.comm) && p.comm.length === 15);
    if (!hit) {
      const raw = yield* read_cmdline_raw(p.pid);
      const argv0 = raw.split("\0")[0];
      hit = argv0 !== "" && bb_basename(argv0) === name;
    }
    if (!hit) {
      const exe = yield* readlink(`/proc/${p.pid}/exe`);
      hit = typeof exe === "string" && bb_basename(exe) === name;
    }
    if (hit) out.push(p.pid);
  }
  return out.reverse();
}
