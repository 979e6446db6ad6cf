/*
 * printk.ts - the kernel log (Linux kernel/printk/printk.c).
 *
 * Every message becomes a record in a ring of at most log_buf_len bytes with
 * its level and the simulated time it was logged at. Records whose level is
 * below console_loglevel are also written to the registered console (the
 * serial port the machine's front end shows). dmesg reads the ring through
 * syslog(2) and formats "[%5lu.%06lu] text" the way the real dmesg does.
 *
 * Two readers walk the ring, each with its own position: syslog_print
 * (syslog(SYSLOG_ACTION_READ), /proc/kmsg) consumes records from syslog_seq
 * on, "<6>[    1.234567] text\n" each, and leaves a record cut by a short
 * read at syslog_partial; dmesg's SYSLOG_ACTION_READ_ALL starts at clear_seq
 * and consumes nothing. A record overwritten before a reader got to it is
 * skipped, as prb_read_valid skips to the oldest one left.
 *
 * Simplified: one console, no continuation lines (KERN_CONT).
 */

export const KERN_EMERG = 0;
export const KERN_ALERT = 1;
export const KERN_CRIT = 2;
export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;
/** CONFIG_MESSAGE_LOGLEVEL_DEFAULT: the level of a message that names none. */
export const DEFAULT_MESSAGE_LOGLEVEL = KERN_WARNING;

export interface LogRecord {
  seq: number;
  tsNs: number; // simulated nanoseconds since boot
  level: number;
  /** 0 for the kernel's own messages; /dev/kmsg writes are LOG_USER (1) unless they say. */
  facility: number;
  text: string;
}

import { WaitQueue } from "../sched/task.js";

export interface Console {
  write(text: string): void;
}

export const LOG_BUF_LEN = 1 << 17; // CONFIG_LOG_BUF_SHIFT=17
/** LOGLEVEL_DEFAULT: "no level saved". */
export const LOGLEVEL_DEFAULT = -1;
/** CONSOLE_LOGLEVEL_MIN: the lowest console_loglevel syslog(2) may set. */
export const MINIMUM_CONSOLE_LOGLEVEL = 1;

export class Printk {
  records: LogRecord[] = [];
  private bytes = 0;
  private seq = 0;
  /** Index of the first record not yet cleared by syslog(SYSLOG_ACTION_CLEAR). */
  clearSeq = 0;
  /** The next record syslog(SYSLOG_ACTION_READ) and /proc/kmsg return (syslog_seq). */
  syslog_seq = 0;
  /** Bytes of the record at syslog_seq a short read already returned (syslog_partial). */
  syslog_partial = 0;
  /** Readers of syslog_print waiting for a record (log_wait). */
  readonly log_wait = new WaitQueue();
  /** wake_up_klogd: the kernel wakes the readers sleeping on log_wait (and in poll). */
  wake_up_klogd: () => void = () => {};
  console_loglevel = 7; // default CONSOLE_LOGLEVEL_DEFAULT
  /** The level SYSLOG_ACTION_CONSOLE_OFF saved for CONSOLE_ON. */
  saved_console_loglevel = LOGLEVEL_DEFAULT;
  consoles: Console[] = [];

  constructor(private readonly now: () => number) {}

  /** Ratelimit state per call site (struct ratelimit_state of each *_ratelimited). */
  private ratelimits = new Map<string, { begin: number; printed: number; missed: number }>();

  /**
   * printk_ratelimited: at most 10 messages from one site (`func`) in 5 s
   * (DEFAULT_RATELIMIT_BURST, DEFAULT_RATELIMIT_INTERVAL); when the next
   * window opens, "func: N callbacks suppressed" tells how many were dropped.
   */
  printk_ratelimited(level: number, func: string, text: string): void {
    const now = this.now();
    let rs = this.ratelimits.get(func);
    if (!rs) {
      rs = { begin: now, printed: 0, missed: 0 };
      this.ratelimits.set(func, rs);
    }
    if (now - rs.begin >= 5e9) {
      if (rs.missed) this.printk(KERN_WARNING, `${func}: ${rs.missed} callbacks suppressed`);
      rs.begin = now;
      rs.printed = 0;
      rs.missed = 0;
    }
    if (rs.printed < 10) {
      rs.printed++;
      this.printk(level, text);
    } else rs.missed++;
  }

  printk(level: number, text: string, facility = 0): void {
    // A message may carry several lines: each becomes its own record, as
    // vprintk_store splits on newlines.
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const ts = this.now();
    for (const line of lines) {
      const rec: LogRecord = { seq: this.seq++, tsNs: ts, level, facility, text: line };
      this.records.push(rec);
      this.bytes += line.length + 16;
      while (this.bytes > LOG_BUF_LEN && this.records.length > 1) {
        const old = this.records.shift()!;
        this.bytes -= old.text.length + 16;
      }
      if (level < this.console_loglevel) for (const c of this.consoles) c.write(`${formatTime(ts)}${line}\n`);
    }
    this.wake_up_klogd();
  }

  /** prb_read_valid: the record at seq, or the oldest one after it still in the ring; null if none. */
  prb_read_valid(seq: number): LogRecord | null {
    const r = this.records;
    if (r.length === 0 || r[r.length - 1].seq < seq) return null;
    return r[Math.max(0, seq - r[0].seq)];
  }

  /**
   * syslog_print: whole records from syslog_seq on while they fit in size
   * bytes, consuming them; a first record longer than size is returned in
   * pieces (syslog_partial remembers how much went). Empty when nothing is left.
   */
  syslog_print(size: number): Uint8Array {
    const out: Uint8Array[] = [];
    let len = 0;
    while (size > 0) {
      const r = this.prb_read_valid(this.syslog_seq);
      if (!r) break;
      if (r.seq !== this.syslog_seq) {
        // message is gone, move to next valid one
        this.syslog_seq = r.seq;
        this.syslog_partial = 0;
      }
      const text = enc.encode(record_print_text(r));
      const skip = this.syslog_partial;
      let n = text.length;
      if (n - skip <= size) {
        // message fits into buffer, move forward
        this.syslog_seq = r.seq + 1;
        n -= skip;
        this.syslog_partial = 0;
      } else if (len === 0) {
        // partial read(), remember position
        n = size;
        this.syslog_partial += n;
      } else break;
      out.push(text.subarray(skip, skip + n));
      len += n;
      size -= n;
    }
    const buf = new Uint8Array(len);
    let at = 0;
    for (const p of out) {
      buf.set(p, at);
      at += p.length;
    }
    return buf;
  }

  /**
   * SYSLOG_ACTION_SIZE_UNREAD: the bytes syslog_print has left to return, or
   * for /proc/kmsg (fromProc) only how many records (enough for poll).
   */
  syslog_size_unread(fromProc: boolean): number {
    const first = this.prb_read_valid(this.syslog_seq);
    if (!first) return 0;
    if (first.seq !== this.syslog_seq) {
      this.syslog_seq = first.seq;
      this.syslog_partial = 0;
    }
    if (fromProc) return this.seq - this.syslog_seq;
    let n = 0;
    for (const r of this.records) if (r.seq >= this.syslog_seq) n += enc.encode(record_print_text(r)).length;
    return n - this.syslog_partial;
  }

  /** Records not yet cleared, for dmesg / syslog(SYSLOG_ACTION_READ_ALL). */
  readAll(): LogRecord[] {
    return this.records.filter((r) => r.seq >= this.clearSeq);
  }

  clear(): void {
    this.clearSeq = this.seq;
  }
}

/**
 * record_print_text with syslog and printk_time: the "<%u>" of facility and
 * level (info_print_prefix), the time stamp, the text and its newline.
 */
export function record_print_text(r: LogRecord): string {
  return `<${(r.facility << 3) | r.level}>${formatTime(r.tsNs)}${r.text}\n`;
}

const enc = new TextEncoder();
/** "[    1.234567] " as printk prefixes each console line. */
export function formatTime(ns: number): string {
  const us = Math.floor(ns / 1000);
  const sec = Math.floor(us / 1e6);
  const frac = String(us % 1e6).padStart(6, "0");
  return `[${String(sec).padStart(5, " ")}.${frac}] `;
}
