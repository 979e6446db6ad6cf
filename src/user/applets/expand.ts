/*
 * expand.ts - expand and unexpand (coreutils/expand.c), with one tab size
 * (-t N, 8) and no tab lists.
 *
 * expand turns each tab into the spaces up to the next tab stop (with -i
 * only the tabs among a line's leading blanks). unexpand turns runs of
 * blanks into tabs where they reach a tab stop: only the leading ones by
 * default (-f), all of them with -a (which -t implies). Columns count bytes,
 * or UTF-8 characters when Unicode is on (libc/unicode.ts).
 * Lines are read as bb_get_chunk_from_file gives them: a NUL ends one too,
 * and is dropped (the C string stops there).
 */

import { EIO } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, strtou_range_sfx, UINT_MAX } from "../libc/libbb.js";
import { latin1, latin1_bytes } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { unicode_on, unicode_strwidth } from "../libc/unicode.js";
import type { Applet } from "./registry.js";

const EXPAND_USAGE = `expand [-i] [-t N] [FILE]...

Convert tabs to spaces, writing to stdout

\t-i\tDon't convert tabs after non blanks
\t-t\tTabstops every N chars`;

const UNEXPAND_USAGE = `unexpand [-fa][-t N] [FILE]...

Convert spaces to tabs, writing to stdout

\t-a\tConvert all blanks
\t-f\tConvert only leading blanks
\t-t N\tTabstops every N chars`;

/** expand(): one line (a C string), its tabs as spaces. */
function expand_line(line: string, tab: number, initial: boolean, width: (s: string) => number): string {
  let out = "";
  let beg = 0;
  for (let p = 0; p < line.length; p++) {
    const c = line[p];
    if (initial && c !== " " && c !== "\t") break;
    if (c === "\t") {
      out += line.slice(beg, p) + " ".repeat(tab - (width(line.slice(beg, p)) % tab));
      beg = p + 1;
    }
  }
  return out + line.slice(beg);
}

/** unexpand(): one line, runs of blanks that reach tab stops as tabs. */
function unexpand_line(line: string, tab: number, initial: boolean, width: (s: string) => number): string {
  let out = "";
  let p = 0;
  let column = 0;
  while (p < line.length) {
    let len = 0;
    while (line[p] === " ") {
      p++;
      len++;
    }
    column += len;
    if (line[p] === "\t") {
      column += tab - (column % tab);
      p++;
      continue;
    }
    const n = Math.floor(column / tab);
    if (n) {
      len = column = column % tab;
      out += "\t".repeat(n);
    }
    if (initial && p !== 0) {
      out += " ".repeat(len) + line.slice(p);
      break;
    }
    let w = p;
    while (w < line.length && line[w] !== " " && line[w] !== "\t") w++;
    out += " ".repeat(len) + line.slice(p, w);
    column = (column + width(line.slice(p, w))) % tab;
    p = w;
  }
  return out;
}

function* expand_main(argv: string[], envp: string[], isExpand: boolean): UserGen<number> {
  const unicode = unicode_on(envp);
  const width = (x: string): number => unicode_strwidth(latin1_bytes(x), unicode);
  const name = isExpand ? "expand" : "unexpand";
  const o = isExpand
    ? yield* bb_getopt(argv, "it:", EXPAND_USAGE, [
        { name: "initial", arg: 0, val: "i" },
        { name: "tabs", arg: 1, val: "t" },
      ])
    : yield* bb_getopt(argv, "ft:a", UNEXPAND_USAGE, [
        { name: "first-only", arg: 0, val: "i" },
        { name: "tabs", arg: 1, val: "t" },
        { name: "all", arg: 0, val: "a" },
      ]);
  if (!o) return 1;
  // unexpand: -t implies -a; without -a only leading blanks (-f is the default, and wins over -a)
  const initial = isExpand ? o.has("i") : o.has("f") || !(o.has("a") || o.has("t"));
  const t = strtou_range_sfx(o.arg("t") ?? "8", 10, 1, UINT_MAX);
  if (!t.ok) {
    yield* bb_error_msg(name, t.msg);
    return 1;
  }
  const out = yield* Writer.open(1);
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin(name, f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    for (let c = yield* r.getchunkBytes(); c !== null; c = yield* r.getchunkBytes()) {
      const z = c.indexOf(0);
      const line = latin1(z < 0 ? c : c.subarray(0, z));
      const res = isExpand
        ? expand_line(line, t.value, initial, width)
        : unexpand_line(line, t.value, initial, width);
      yield* out.write(latin1_bytes(res));
    }
    yield* close_stdin(fd);
    if (r.error) {
      // fclose() of a stream whose read failed: EIO
      yield* out.flush();
      yield* bb_perror_msg(name, f, -EIO);
      status = 1;
    }
  }
  yield* out.flush();
  return status;
}

export const expand: Applet = {
  name: "expand",
  dir: "/usr/bin",
  usage: EXPAND_USAGE,
  main: (argv, envp) => expand_main(argv, envp, true),
};
export const unexpand: Applet = {
  name: "unexpand",
  dir: "/usr/bin",
  usage: UNEXPAND_USAGE,
  main: (argv, envp) => expand_main(argv, envp, false),
};
