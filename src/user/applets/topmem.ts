/*
 * topmem.ts - top's memory mode (procps/top.c, FEATURE_TOPMEM, on in
 * BusyBox's default configuration though Debian's build leaves it out):
 * what `top -m` and the s key show instead of the CPU screen. top.ts owns
 * the loop and the keys; this file scans, sorts and draws.
 *
 *   Mem total:1020732 anon:10368 map:1004 free:987860
 *    slab:11352 buf:0 cache:5320 dirty:0 write:0
 *   Swap total:0 free:0
 *     PID^^^VSZ^VSZRW   RSS (SHR) DIRTY (SHR) STACK COMMAND
 *      37 31524 30892 31136   852 30292   852   132 hog 30M 10M hold
 *
 * The three header lines are /proc/meminfo fields verbatim (KiB). The rows
 * come from /proc/PID/smaps summed by procps_read_smaps (libc/procps.ts):
 *
 *   VSZ    size of all mappings (not /dev/ files other than /dev/zero)
 *   VSZRW  the writable part of VSZ
 *   RSS    Private_Clean + Private_Dirty + Shared_Clean + Shared_Dirty
 *   (SHR)  the Shared_ part of RSS
 *   DIRTY  Private_Dirty + Shared_Dirty
 *   (SHR)  the Shared_Dirty part of DIRTY
 *   STACK  size of the [stack] mapping
 *
 * A process with no mapping at all (a kernel thread) is left out. Every
 * number, the PID included, is smart_ulltoa5's five characters and a blank
 * (BusyBox 1.35; later versions narrow VSZ for seven-digit PIDs). Rows sort
 * by one column, largest first, DIRTY breaking ties; each s steps to the
 * next column (after STACK back to VSZ), and R reverses. The column header
 * marks the sort column with ^ (_ when reversed) on both sides.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { parse_kv_numbers, read_text } from "../libc/file.js";
import { smart_ulltoa5 } from "../libc/libbb.js";
import { procps_scan, read_cmdline } from "../libc/procps.js";
import type { Writer } from "../libc/stream.js";

/** topmem_status_t: one process of the memory screen (KiB). */
export interface TopmemStatus {
  pid: number;
  comm: string;
  /** The sort fields, in column order: vsz vszrw rss rss_sh dirty dirty_sh stack. */
  mem: number[];
}

/** The sortable columns, VSZ to STACK (NUM_SORT_FIELD). */
export const NUM_SORT_FIELD = 7;
const DIRTY = 4;

/** "  PID   VSZ VSZRW   RSS (SHR) DIRTY (SHR) STACK": eight 6-column fields less a blank. */
const HDR_STR = "  PID   VSZ VSZRW   RSS (SHR) DIRTY (SHR) STACK";
const MIN_WIDTH = HDR_STR.length + 1; // sizeof(HDR_STR)

/** The processes with their smaps totals, kernel threads left out, in /proc order. */
export function* scan_topmem(): UserGen<TopmemStatus[]> {
  const out: TopmemStatus[] = [];
  for (const p of yield* procps_scan(false, true)) {
    const s = p.smaps;
    if (!s || !(s.mapped_ro || s.mapped_rw)) continue; // kernel threads are ignored
    const rss_sh = s.shared_clean + s.shared_dirty;
    out.push({
      pid: p.pid,
      comm: p.comm,
      mem: [
        s.mapped_rw + s.mapped_ro,
        s.mapped_rw,
        s.private_clean + s.private_dirty + rss_sh,
        rss_sh,
        s.private_dirty + s.shared_dirty,
        s.shared_dirty,
        s.stack,
      ],
    });
  }
  return out;
}

/** topmem_sort: largest first in `field`, then by DIRTY; `inverted` turns it round. */
export function topmem_sort(field: number, inverted: boolean): (a: TopmemStatus, b: TopmemStatus) => number {
  return (a, b) => {
    let l = a.mem[field];
    let r = b.mem[field];
    if (l === r) {
      l = a.mem[DIRTY];
      r = b.mem[DIRTY];
    }
    const n = l > r ? -1 : l !== r ? 1 : 0;
    return inverted ? -n : n;
  };
}

/** The column header with the sort field marked: "  PID^^^VSZ^VSZRW ...". */
export function topmem_column_header(field: number, inverted: boolean): string {
  const b = `${HDR_STR} COMMAND`.split("");
  const ch = inverted ? "_" : "^";
  let cp = 5 + field * 6;
  b[cp + 6] = ch;
  do b[cp++] = ch;
  while (b[cp] === " ");
  return b.join("");
}

/** display_topmem_header: three lines of /proc/meminfo. */
function* display_topmem_header(out: Writer, batch: boolean, scr_width: number): UserGen<void> {
  const text = yield* read_text("/proc/meminfo");
  const mi = parse_kv_numbers(typeof text === "number" ? "" : text);
  const v = (k: string): number => mi.get(k) ?? 0;
  const lines = [
    `Mem total:${v("MemTotal")} anon:${v("AnonPages")} map:${v("Mapped")} free:${v("MemFree")}`,
    ` slab:${v("Slab")} buf:${v("Buffers")} cache:${v("Cached")} dirty:${v("Dirty")} write:${v("Writeback")}`,
    `Swap total:${v("SwapTotal")} free:${v("SwapFree")}`,
  ];
  yield* out.puts(batch ? "" : "\x1b[H\x1b[J");
  for (const l of lines) yield* out.puts(`${l.slice(0, scr_width)}\n`);
}

/**
 * display_topmem_process_list: the header, the column header (reverse
 * video on a terminal) and as many rows as `lines` leaves room for, each
 * cut to `scr_width`; the command line fills what is left after column 48.
 */
export function* display_topmem_process_list(
  out: Writer,
  batch: boolean,
  procs: TopmemStatus[],
  field: number,
  inverted: boolean,
  lines: number,
  scr_width: number,
): UserGen<void> {
  yield* display_topmem_header(out, batch, scr_width);
  lines -= 3;
  const hdr = topmem_column_header(field, inverted).slice(0, scr_width);
  yield* out.puts(batch ? hdr : `\x1b[7m${hdr}\x1b[m`);
  lines--;
  const n = Math.min(lines, procs.length);
  for (let i = 0; i < n; i++) {
    const s = procs[i];
    let line = [s.pid, ...s.mem].map((x) => `${smart_ulltoa5(x)} `).join("");
    if (scr_width > MIN_WIDTH) line += yield* read_cmdline(s.pid, scr_width - MIN_WIDTH, s.comm);
    yield* out.puts(`\n${line.slice(0, scr_width)}`);
  }
  yield* out.puts(batch ? "\n" : "\r");
  yield* out.flush();
}
