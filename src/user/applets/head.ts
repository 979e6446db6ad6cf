/*
 * head.ts - head (coreutils/head.c, FEATURE_FANCY_HEAD): the first 10
 * lines of each FILE. -n N lines, -c N bytes (N may end in b, k or m); a
 * negative N ("-n -5") prints all but the last N. "-5" means "-n 5". With
 * several files each comes under "==> FILE <==" (-q never, -v always).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bkm_suffixes, strtou_range_sfx } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `head [OPTIONS] [FILE]...

Print first 10 lines of FILEs (or stdin).
With more than one FILE, precede each with a filename header.

\t-n N[bkm]\tPrint first N lines
\t-n -N[bkm]\tPrint all except N last lines
\t-c [-]N[bkm]\tPrint first N bytes
\t\t\t(b:*512 k:*1024 m:*1024^2)
\t-q\t\tNever print headers
\t-v\t\tAlways print headers`;

function* head_file(rd: Reader, out: Writer, count: number, bytes: boolean, allBut: boolean): UserGen<void> {
  if (!allBut) {
    let left = count;
    while (left > 0) {
      if (bytes) {
        const b = yield* rd.chunk();
        if (b.length === 0) break;
        const part = b.length > left ? b.subarray(0, left) : b;
        yield* out.write(part);
        left -= part.length;
      } else {
        const line = yield* rd.getlineBytes();
        if (line === null) break;
        yield* out.write(line);
        left--;
      }
    }
    return;
  }
  // All but the last `count`: hold that many back.
  const held: Uint8Array[] = [];
  for (;;) {
    const item = bytes ? yield* rd.readBytes(1) : yield* rd.getlineBytes();
    if (item === null || item.length === 0) break;
    held.push(item);
    if (held.length > count) {
      const first = held.shift()!;
      yield* out.write(first);
    }
  }
}

/**
 * head_main's options, in the order given (getopt): -c makes the count bytes
 * and -n or -c with a leading "-" makes it "all but the last" - both stay
 * once set, whatever comes later ("-n-2 -n2" is all but the last 2 lines);
 * the last count wins, the last of -q and -v too.
 */
function* head_main(argv: string[]): UserGen<number> {
  const args = [...argv];
  let count = 10;
  let bytes = false;
  let negative = false;
  let threshold = 1;
  /** eat_num: a leading "-" is "all but"; the rest is xatoul_sfx's. */
  const eat_num = (p: string): string | null => {
    if (p[0] === "-") {
      negative = true;
      p = p.slice(1);
    }
    const r = strtou_range_sfx(p, 10, 0, Number.MAX_SAFE_INTEGER, bkm_suffixes);
    if (!r.ok) return r.msg;
    count = r.value;
    return null;
  };
  // The legacy "head -5": a first argument "-" and a digit.
  if (args[1] && /^-\d/.test(args[1])) {
    const e = eat_num(args[1].slice(1));
    if (e) {
      yield* bb_error_msg("head", e);
      return 1;
    }
    args.splice(1, 1);
  }
  // head uses getopt(), not getopt32: no long options at all
  const o = yield* bb_getopt(args, "n:c:qv", USAGE, null);
  if (!o) return 1;
  for (const { key, arg } of o.seen) {
    if (key === "q") threshold = Number.MAX_SAFE_INTEGER;
    else if (key === "v") threshold = -1;
    else {
      if (key === "c") bytes = true;
      const e = eat_num(arg!);
      if (e) {
        yield* bb_error_msg("head", e);
        return 1;
      }
    }
  }
  const files = o.rest.length ? o.rest : ["-"];
  const headers = files.length > threshold;
  const out = yield* Writer.open(1);
  let status = 0;
  let first = true;
  for (const f of files) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("head", f);
    const sep = first ? "" : "\n";
    first = false;
    if (fd < 0) {
      status = 1;
      continue;
    }
    if (headers) yield* out.puts(`${sep}==> ${f === "-" ? "standard input" : f} <==\n`);
    yield* head_file(new Reader(fd), out, count, bytes, negative);
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

export const head: Applet = { name: "head", dir: "/usr/bin", usage: USAGE, main: head_main };
