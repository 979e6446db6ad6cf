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

/** head and tail count: [value, negative/plus sign seen], or an error message. */
export function parse_count(s: string): { n: number; sign: string } | string {
  const sign = s[0] === "-" || s[0] === "+" ? s[0] : "";
  const r = strtou_range_sfx(sign ? s.slice(1) : s, 10, 0, Number.MAX_SAFE_INTEGER, bkm_suffixes);
  return r.ok ? { n: r.value, sign } : `invalid number '${s}'`;
}

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

function* head_main(argv: string[]): UserGen<number> {
  // "head -5" is "head -n 5"
  const args = [...argv];
  if (args[1] && /^-\d+$/.test(args[1])) args[1] = `-n${args[1].slice(1)}`;
  // head uses getopt(), not getopt32: no long options at all
  const o = yield* bb_getopt(args, "n:c:qv", USAGE, null);
  if (!o) return 1;
  const which = o.last("n", "c");
  const spec = which ? o.arg(which)! : "10";
  const c = parse_count(spec);
  if (typeof c === "string") {
    yield* bb_error_msg("head", c);
    return 1;
  }
  const files = o.rest.length ? o.rest : ["-"];
  const headers = o.has("v") || (files.length > 1 && !o.has("q"));
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
    yield* head_file(new Reader(fd), out, c.n, which === "c", c.sign === "-");
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

export const head: Applet = { name: "head", dir: "/usr/bin", usage: USAGE, main: head_main };
