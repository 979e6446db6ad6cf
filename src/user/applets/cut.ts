/*
 * cut.ts - cut (coreutils/cut.c): print selected parts of lines. A LIST is
 * N, N-, -M or N-M, comma-separated; the pieces are sorted by their start
 * (not with -D) and each byte or field is printed once.
 *   -b/-c LIST   bytes (characters are bytes here)
 *   -f LIST      fields split at the -d character (TAB); lines without it
 *                are printed whole, or dropped with -s; joined with -O
 *                (default: the -d character)
 *   -F LIST      fields split at a regex (-d, default runs of whitespace),
 *                joined with -O (default one space)
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_show_usage, INT_MAX, strtou_range_sfx } from "../libc/libbb.js";
import { dec } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `cut [OPTIONS] [FILE]...

Print selected fields from FILEs to stdout

\t-b LIST\tOutput only bytes from LIST
\t-c LIST\tOutput only characters from LIST
\t-d SEP\tField delimiter for input (default -f TAB, -F run of whitespace)
\t-O SEP\tField delimiter for output (default = -d for -f, one space for -F)
\t-D\tDon't sort/collate sections or match -fF lines without delimiter
\t-f LIST\tPrint only these fields (-d is single char)
\t-F LIST\tPrint only these fields (-d is regex)
\t-s\tOutput only lines containing delimiter
\t-n\tIgnored`;

const EOL = INT_MAX;

/** The list as [start, end] zero-based inclusive pairs; a string is an error message. */
function parse_list(spec: string, sort: boolean): [number, number][] | string {
  const out: [number, number][] = [];
  for (const tok of spec.split(",")) {
    if (!tok) continue;
    const dash = tok.indexOf("-");
    const a = dash < 0 ? tok : tok.slice(0, dash);
    const b = dash < 0 ? undefined : tok.slice(dash + 1);
    let s = 0;
    if (a) {
      const r = strtou_range_sfx(a, 10, 0, INT_MAX);
      if (!r.ok) return r.msg;
      s = r.value > 0 ? r.value - 1 : 0;
    }
    let e = s;
    if (b !== undefined) {
      if (!b) e = EOL;
      else {
        const r = strtou_range_sfx(b, 10, 0, INT_MAX);
        if (!r.ok) return r.msg;
        e = r.value === 0 ? EOL : r.value - 1;
      }
    }
    out.push([s, e]);
  }
  if (out.length === 0) return "missing list of positions";
  if (sort) out.sort((x, y) => x[0] - y[0]);
  return out;
}

function pick<T>(items: T[], lists: [number, number][]): T[] {
  const seen = new Set<number>();
  const out: T[] = [];
  for (const [s, e] of lists)
    for (let i = s; i <= Math.min(e, items.length - 1); i++) {
      if (seen.has(i)) continue;
      seen.add(i);
      out.push(items[i]);
    }
  return out;
}

function* cut_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "b:c:d:f:F:nO:sD", USAGE);
  if (!o) return 1;
  const modes = ["b", "c", "f", "F"].filter((k) => o.has(k));
  if (modes.length === 0) {
    yield* bb_error_msg("cut", "expected a list of bytes, characters, or fields");
    return 1;
  }
  if (modes.length > 1) return yield* bb_show_usage(USAGE);
  const mode = modes[0];
  const fields = mode === "f" || mode === "F";
  if (o.has("d") && !fields) {
    yield* bb_error_msg("cut", "a delimiter may be specified only when operating on fields");
    return 1;
  }
  const lists = parse_list(o.arg(mode)!, !o.has("D"));
  if (typeof lists === "string") {
    yield* bb_error_msg("cut", lists);
    return 1;
  }
  const d = o.arg("d");
  if (mode === "f" && d !== undefined && d.length > 1) {
    yield* bb_error_msg("cut", "the delimiter must be a single character");
    return 1;
  }
  const delim = mode === "f" ? (d ?? "\t") : "";
  const splitRe = mode === "F" ? new RegExp(d ?? "[ \\t\\n\\v\\f\\r]+") : null;
  const osep = o.arg("O") ?? (mode === "F" ? " " : delim);
  const out = yield* Writer.open(1);
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("cut", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const rd = new Reader(fd);
    for (;;) {
      const b = yield* rd.getlineBytes();
      if (b === null) break;
      const body = b[b.length - 1] === 10 ? b.subarray(0, b.length - 1) : b;
      if (!fields) {
        yield* out.write(Uint8Array.from(pick([...body], lists)));
        yield* out.puts("\n");
        continue;
      }
      const line = dec(body);
      if (mode === "F") {
        const parts = line.replace(/^[ \t]+/, "").split(splitRe!);
        yield* out.puts(`${pick(parts, lists).join(osep)}\n`);
        continue;
      }
      if (!line.includes(delim)) {
        if (!o.has("s")) yield* out.puts(`${line}\n`);
        continue;
      }
      yield* out.puts(`${pick(line.split(delim), lists).join(osep)}\n`);
    }
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

export const cut: Applet = { name: "cut", dir: "/usr/bin", usage: USAGE, main: cut_main };
