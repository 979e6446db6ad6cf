/*
 * vmstat_disk.ts - vmstat's disk modes (procps-ng 4.0.2): -d a line per
 * disk, -D the sums, -p one disk or partition. All read /proc/diskstats;
 * an entry is a disk when /sys/block has it (libproc2's test), a partition
 * otherwise.
 *
 *   disk- ------------reads------------ ------------writes----------- -----IO------
 *          total merged sectors      ms  total merged sectors      ms    cur    sec
 *   vda       58    141    1592    1489    172  43372  348352 2388377      0      0
 *
 * As procps 4.0.2 prints them, "cur" and "sec" are the I/Os in progress and
 * the milliseconds spent on I/O, each divided by 1000.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { puts } from "../libc/stdio.js";
import type { Writer } from "../libc/stream.js";
import { access, nanosleep } from "../libc/sys.js";
import { gmtime, strftime, time } from "../libc/time.js";

export interface DiskOpts {
  out: Writer;
  wide: boolean;
  timestamp: boolean;
  /** Seconds between samples, and how many (-1: forever). */
  delay: number;
  count: number;
  /** The header again every `height` entries (false with -n: once at the top). */
  moreheaders: boolean;
  height: number;
}

interface DiskStat {
  name: string;
  disk: boolean;
  /** The counters after the name, as /proc/diskstats gives them. */
  v: number[];
}

const READ = 0;
const READ_MERGE = 1;
const READ_SECT = 2;
const READ_TIME = 3;
const WRITE = 4;
const WRITE_MERGE = 5;
const WRITE_SECT = 6;
const WRITE_TIME = 7;
const IO = 8;
const IO_TIME = 9;
const IO_WTIME = 10;

/** procps_diskstats_reap: every entry of /proc/diskstats (null: the file cannot be read). */
function* reap(): UserGen<DiskStat[] | null> {
  const text = yield* read_text("/proc/diskstats");
  if (typeof text === "number") return null;
  const out: DiskStat[] = [];
  for (const l of text.split("\n")) {
    const f = l.trim().split(/\s+/);
    if (f.length < 14) continue;
    const name = f[2];
    out.push({ name, disk: (yield* access(`/sys/block/${name}`, 0)) === 0, v: f.slice(3).map(Number) });
  }
  return out;
}

/** -t's timestamp, "%Y-%m-%d %H:%M:%S" of now (the machine's clock is UTC). */
export function* stamp(): UserGen<string> {
  const t = yield* time();
  return strftime("%Y-%m-%d %H:%M:%S", gmtime(t), t);
}

const FORMAT = [5, 6, 6, 7, 7, 6, 6, 7, 7, 6, 6];
const WIDE_FORMAT = [5, 9, 9, 11, 11, 9, 9, 11, 11, 7, 7];

function* diskheader(o: DiskOpts): UserGen<void> {
  let h = o.wide
    ? "disk- -------------------reads------------------- -------------------writes------------------ ------IO-------"
    : "disk- ------------reads------------ ------------writes----------- -----IO------";
  if (o.timestamp) h += " -----timestamp-----";
  const names = [" ", "total", "merged", "sectors", "ms", "total", "merged", "sectors", "ms", "cur", "sec"];
  const w = o.wide ? WIDE_FORMAT : FORMAT;
  let h2 = names.map((n, i) => n.padStart(w[i])).join(" ");
  // The time zone's name, right-aligned under the timestamp's dashes.
  if (o.timestamp) h2 += ` ${"UTC".padStart(19)}`;
  yield* o.out.puts(`${h}\n${h2}\n`);
}

/** vmstat -d */
export function* diskformat(o: DiskOpts): UserGen<number> {
  if (!o.moreheaders) yield* diskheader(o);
  const w = o.wide ? WIDE_FORMAT : FORMAT;
  for (let i = 0; o.count < 0 || i < o.count; i++) {
    const all = yield* reap();
    if (!all) {
      yield* o.out.flush();
      yield* puts(2, "vmstat: Unable to retrieve disk statistics\n");
      return 1;
    }
    const when = o.timestamp ? yield* stamp() : "";
    for (const [j, d] of all.entries()) {
      if (!d.disk) continue;
      if (o.moreheaders && j % o.height === 0) yield* diskheader(o);
      const v = d.v;
      const vals = [
        v[READ],
        v[READ_MERGE],
        v[READ_SECT],
        v[READ_TIME],
        v[WRITE],
        v[WRITE_MERGE],
        v[WRITE_SECT],
        v[WRITE_TIME],
        Math.trunc(v[IO] / 1000),
        Math.floor(v[IO_TIME] / 1000),
      ];
      const line = d.name.padEnd(w[0]) + vals.map((x, k) => ` ${String(x).padStart(w[k + 1])}`).join("");
      yield* o.out.puts(o.timestamp ? `${line} ${when}\n` : `${line}\n`);
      yield* o.out.flush();
    }
    if (o.count < 0 || i + 1 < o.count) yield* nanosleep(o.delay * 1e9);
  }
  yield* o.out.flush();
  return 0;
}

/** vmstat -D */
export function* disksum_format(o: DiskOpts): UserGen<number> {
  const all = yield* reap();
  if (!all) {
    yield* puts(2, "vmstat: Unable to retrieve disk statistics\n");
    return 1;
  }
  const sum = new Array<number>(11).fill(0);
  let disks = 0;
  let parts = 0;
  for (const d of all) {
    if (!d.disk) {
      parts++;
      continue;
    }
    disks++;
    for (const i of [READ, READ_MERGE, READ_SECT, READ_TIME, WRITE, WRITE_MERGE, WRITE_SECT, WRITE_TIME])
      sum[i] += d.v[i];
    for (const i of [IO, IO_TIME, IO_WTIME]) sum[i] += Math.trunc(d.v[i] / 1000);
  }
  const rows: [number, string][] = [
    [disks, "disks"],
    [parts, "partitions"],
    [sum[READ], "total reads"],
    [sum[READ_MERGE], "merged reads"],
    [sum[READ_SECT], "read sectors"],
    [sum[READ_TIME], "milli reading"],
    [sum[WRITE], "writes"],
    [sum[WRITE_MERGE], "merged writes"],
    [sum[WRITE_SECT], "written sectors"],
    [sum[WRITE_TIME], "milli writing"],
    [sum[IO], "inprogress IO"],
    [sum[IO_TIME], "milli spent IO"],
    [sum[IO_WTIME], "milli weighted IO"],
  ];
  yield* o.out.puts(rows.map(([n, what]) => `${String(n).padStart(13)} ${what}\n`).join(""));
  yield* o.out.flush();
  return 0;
}

/** vmstat -p NAME: reads and writes of one disk or partition ("/dev/" may lead its name). */
export function* diskpartition_format(o: DiskOpts, name: string): UserGen<number> {
  const part = name.startsWith("/dev/") ? name.slice(5) : name;
  const find = function* (): UserGen<DiskStat | null | undefined> {
    const all = yield* reap();
    return all ? (all.find((d) => d.name === part) ?? null) : undefined;
  };
  const first = yield* find();
  if (first === undefined) {
    yield* puts(2, "vmstat: Unable to create diskstat structure\n");
    return 1;
  }
  if (first === null) {
    yield* puts(2, `vmstat: Disk/Partition ${part} not found\n`);
    return 1;
  }
  yield* o.out.puts(
    `${part.padEnd(10)} ${"reads".padStart(10)}  ${"read sectors".padStart(16)}  ${"writes".padStart(10)}  ${"requested writes".padStart(16)}\n`,
  );
  for (let i = 0; o.count < 0 || i < o.count; i++) {
    const d = yield* find();
    if (!d) {
      yield* o.out.flush();
      yield* puts(2, `vmstat: Disk/Partition ${part} not found\n`);
      return 1;
    }
    yield* o.out.puts(
      `${String(d.v[READ]).padStart(21)}  ${String(d.v[READ_SECT]).padStart(16)}  ${String(d.v[WRITE]).padStart(10)}  ${String(d.v[WRITE_SECT]).padStart(16)}\n`,
    );
    yield* o.out.flush();
    if (o.count < 0 || i + 1 < o.count) yield* nanosleep(o.delay * 1e9);
  }
  return 0;
}
