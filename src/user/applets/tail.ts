/*
 * tail.ts - tail (coreutils/tail.c): the last 10 lines of each FILE. -n N
 * lines, -c N bytes (b k m suffixes), "+N" starts at line/byte N instead;
 * "-5" and "+5" alone are accepted as in old tails. With several files each
 * comes under "==> FILE <==". -f keeps reading what is appended, every -s
 * SECONDS (default 1), until killed; -F is -f. Files that cannot be opened
 * are reported, and "no files" when none could be.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bkm_suffixes, strtou_range_sfx, UINT_MAX } from "../libc/libbb.js";
import { strerror } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { nanosleep, read } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `tail [OPTIONS] [FILE]...

Print last 10 lines of FILEs (or stdin) to.
With more than one FILE, precede each with a filename header.

\t-c [+]N[bkm]\tPrint last N bytes
\t-n N[bkm]\tPrint last N lines
\t-n +N[bkm]\tStart on Nth line and print the rest
\t\t\t(b:*512 k:*1024 m:*1024^2)
\t-q\t\tNever print headers
\t-v\t\tAlways print headers
\t-f\t\tPrint data as file grows
\t-F\t\tSame as -f, but keep retrying
\t-s SECONDS\tWait SECONDS between reads with -f`;

/** Prints the tail of one file, streaming: a ring of the last n lines (or bytes). */
function* tail_file(rd: Reader, out: Writer, n: number, bytes: boolean, fromStart: boolean): UserGen<void> {
  if (fromStart) {
    let skip = Math.max(n - 1, 0);
    for (;;) {
      if (bytes) {
        const b = yield* rd.chunk();
        if (b.length === 0) break;
        const cut = Math.min(skip, b.length);
        skip -= cut;
        if (cut < b.length) yield* out.write(b.subarray(cut));
      } else {
        const line = yield* rd.getlineBytes();
        if (line === null) break;
        if (skip > 0) skip--;
        else yield* out.write(line);
      }
    }
    return;
  }
  if (bytes) {
    let keep = new Uint8Array(0);
    for (;;) {
      const b = yield* rd.chunk();
      if (b.length === 0) break;
      const joined = new Uint8Array(keep.length + b.length);
      joined.set(keep);
      joined.set(b, keep.length);
      keep = joined.length > n ? joined.slice(joined.length - n) : joined;
    }
    yield* out.write(keep);
    return;
  }
  const ring: Uint8Array[] = [];
  for (;;) {
    const line = yield* rd.getlineBytes();
    if (line === null) break;
    ring.push(line);
    if (ring.length > n) ring.shift();
  }
  for (const l of ring) yield* out.write(l);
}

/**
 * tail_main's options as getopt32 leaves them: only the last -c and the
 * last -n are read (-c first, then -n: with both, -n's count is taken as
 * bytes); a "+" in any count read (or in the legacy "+N") starts from the
 * top; -v wins over -q whatever their order.
 */
function* tail_main(argv: string[]): UserGen<number> {
  const args = [...argv];
  let count = 10;
  let from_top = false;
  /** eat_num: "-" is dropped, "+" starts from the top; the rest is xatou_sfx's. */
  const eat_num = (p: string): string | null => {
    if (p[0] === "-") p = p.slice(1);
    else if (p[0] === "+") {
      p = p.slice(1);
      from_top = true;
    }
    const r = strtou_range_sfx(p, 10, 0, UINT_MAX, bkm_suffixes);
    if (!r.ok) return r.msg;
    count = r.value;
    return null;
  };
  // Old style "tail -5" / "tail +5" as the first argument.
  if (args[1] && /^[-+]\d/.test(args[1])) {
    const e = eat_num(args[1]);
    if (e) {
      yield* bb_error_msg("tail", e);
      return 1;
    }
    args.splice(1, 1);
  }
  const o = yield* bb_getopt(args, "fc:n:qs:vF", USAGE, [
    { name: "lines", arg: 1, val: "n" },
    { name: "bytes", arg: 1, val: "c" },
    { name: "follow", arg: 0, val: "f" },
    { name: "quiet", arg: 0, val: "q" },
    { name: "verbose", arg: 0, val: "v" },
  ]);
  if (!o) return 1;
  const bytes = o.has("c");
  for (const key of ["c", "n"]) {
    const a = o.arg(key);
    const e = a === undefined ? null : eat_num(a);
    if (e) {
      yield* bb_error_msg("tail", e);
      return 1;
    }
  }
  let sleepNs = 1e9;
  const sArg = o.arg("s");
  if (sArg !== undefined) {
    const v = Number(sArg);
    if (!/^\d+(\.\d*)?$/.test(sArg)) {
      yield* bb_error_msg("tail", `invalid number '${sArg}'`);
      return 1;
    }
    sleepNs = v * 1e9;
  }
  const files = o.rest.length ? o.rest : ["-"];
  const threshold = o.has("v") ? 0 : o.has("q") ? UINT_MAX : 1;
  const out = yield* Writer.open(1);
  const open: { fd: number; name: string }[] = [];
  let status = 0;
  for (const f of files) {
    const fd = yield* open_stdin(f);
    if (fd < 0) {
      yield* out.flush();
      yield* bb_error_msg("tail", `can't open '${f}': ${strerror(fd)}`);
      status = 1;
      continue;
    }
    open.push({ fd, name: f });
  }
  if (open.length === 0) {
    yield* bb_error_msg("tail", "no files");
    return 1;
  }
  // Headers when more files opened than the threshold.
  const headers = open.length > threshold;
  const header = (name: string, first: boolean): string =>
    headers ? `${first ? "" : "\n"}==> ${name === "-" ? "standard input" : name} <==\n` : "";
  for (let i = 0; i < open.length; i++) {
    yield* out.puts(header(open[i].name, i === 0));
    yield* tail_file(new Reader(open[i].fd), out, count, bytes, from_top);
  }
  yield* out.flush();
  if (!(o.has("f") || o.has("F"))) {
    for (const f of open) yield* close_stdin(f.fd);
    return status;
  }
  // Follow: print what is appended, naming the file when it changes.
  let last = open.length - 1;
  for (;;) {
    yield* nanosleep(sleepNs);
    for (let i = 0; i < open.length; i++) {
      for (;;) {
        const r = yield* read(open[i].fd, 65536);
        if (typeof r === "number" || r.length === 0) break;
        if (i !== last) yield* out.puts(header(open[i].name, false));
        last = i;
        yield* out.write(r);
      }
    }
    yield* out.flush();
  }
}

export const tail: Applet = { name: "tail", dir: "/usr/bin", usage: USAGE, main: tail_main };
