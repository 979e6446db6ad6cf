/*
 * printk.ts - the kernel log (Linux kernel/printk/printk.c).
 *
 * Every message becomes a record in a ring of at most log_buf_len bytes with
 * its level and the simulated time it was logged at. Records whose level is
 * below console_loglevel are also written to the registered console (the
 * serial port the machine's front end shows). dmesg reads the ring through
 * syslog(2) and formats "[%5lu.%06lu] text" the way the real dmesg does.
 *
 * Simplified: one console, no continuation lines (KERN_CONT), no facilities.
 */

export const KERN_EMERG = 0;
export const KERN_ALERT = 1;
export const KERN_CRIT = 2;
export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;

export interface LogRecord {
  seq: number;
  tsNs: number; // simulated nanoseconds since boot
  level: number;
  text: string;
}

export interface Console {
  write(text: string): void;
}

const LOG_BUF_LEN = 1 << 17; // CONFIG_LOG_BUF_SHIFT=17

export class Printk {
  records: LogRecord[] = [];
  private bytes = 0;
  private seq = 0;
  /** Index of the first record not yet cleared by syslog(SYSLOG_ACTION_CLEAR). */
  clearSeq = 0;
  console_loglevel = 7; // default CONSOLE_LOGLEVEL_DEFAULT
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

  printk(level: number, text: string): void {
    // A message may carry several lines: each becomes its own record, as
    // vprintk_store splits on newlines.
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const ts = this.now();
    for (const line of lines) {
      const rec: LogRecord = { seq: this.seq++, tsNs: ts, level, text: line };
      this.records.push(rec);
      this.bytes += line.length + 16;
      while (this.bytes > LOG_BUF_LEN && this.records.length > 1) {
        const old = this.records.shift()!;
        this.bytes -= old.text.length + 16;
      }
      if (level < this.console_loglevel) for (const c of this.consoles) c.write(`${formatTime(ts)}${line}\n`);
    }
  }

  /** Records not yet cleared, for dmesg / syslog(SYSLOG_ACTION_READ_ALL). */
  readAll(): LogRecord[] {
    return this.records.filter((r) => r.seq >= this.clearSeq);
  }

  clear(): void {
    this.clearSeq = this.seq;
  }
}

/** "[    1.234567] " as printk prefixes each console line. */
export function formatTime(ns: number): string {
  const us = Math.floor(ns / 1000);
  const sec = Math.floor(us / 1e6);
  const frac = String(us % 1e6).padStart(6, "0");
  return `[${String(sec).padStart(5, " ")}.${frac}] `;
}
