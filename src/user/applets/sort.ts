/*
 * sort.ts - sort (coreutils/sort.c, FEATURE_SORT_BIG): sort the lines of
 * FILEs (or stdin).
 *
 * Comparison as BusyBox's compare_keys(): each -k key in turn (or the whole
 * line), compared as text (strcmp: the C locale), -n (atof), -g (strtod,
 * non-numbers first), -M (month names), -V (version); lines equal on every
 * key fall back to comparing the whole lines, unless -s (keep input order)
 * or -u (drop all but the first of equal lines). A key is
 * F1[.C1][flags][,F2[.C2][flags]]; fields are split at the -t character, or
 * else at runs of blanks that belong to the following field. Errors exit 2.
 */

import { O_CREAT, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { dec, enc, read_all, strerror, write_all } from "../libc/stdio.js";
import { close, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `sort [-nrugMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...

Sort lines of text

\t-o FILE\tOutput to FILE
\t-c\tCheck whether input is sorted
\t-b\tIgnore leading blanks
\t-f\tIgnore case
\t-i\tIgnore unprintable characters
\t-d\tDictionary order (blank or alphanumeric only)
\t-n\tSort numbers
\t-g\tGeneral numerical sort
\t-M\tSort month
\t-V\tSort version
\t-t CHAR\tField separator
\t-k N[,M] Sort by Nth field
\t-r\tReverse sort order
\t-s\tStable (don't sort ties alphabetically)
\t-u\tSuppress duplicate lines
\t-z\tNUL terminated input and output`;

/** The flags a key (or the whole command line) can carry. */
interface Flags {
  b: boolean; // leading blanks of the key's start
  bb: boolean; // trailing blanks of its end
  d: boolean;
  f: boolean;
  i: boolean;
  n: boolean;
  g: boolean;
  M: boolean;
  V: boolean;
  r: boolean;
}

interface Key {
  range: [number, number, number, number]; // F1 C1 F2 C2
  flags: Flags | null; // null: the global flags
}

const isspace = (c: string | undefined): boolean => c !== undefined && /[ \t\n\v\f\r]/.test(c);
const strcmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function empty_flags(): Flags {
  return {
    b: false,
    bb: false,
    d: false,
    f: false,
    i: false,
    n: false,
    g: false,
    M: false,
    V: false,
    r: false,
  };
}

/** "2.3nr" of -k: field, char, and flags set on `f`; null when malformed. */
function parse_pos(s: string, end: boolean, f: Flags): [number, number] | null {
  const m = /^(\d+)(?:\.(\d+))?([bdfgiMnrV]*)$/.exec(s);
  if (!m) return null;
  for (const c of m[3]) {
    if (c === "b") f[end ? "bb" : "b"] = true;
    else f[c as keyof Flags] = true;
  }
  // str2u(): no zero, nothing past INT_MAX
  const field = Number(m[1]);
  const char = m[2] === undefined ? 0 : Number(m[2]);
  if (field > 2147483647 || char > 2147483647 || (m[2] !== undefined && char === 0 && !end)) return null;
  return [field, char];
}

/** get_key(): the part of the line a key covers, transformed by -d -i -f. */
function get_key(str: string, key: Key, fl: Flags, sep: string): string {
  const len = str.length;
  let start = 0;
  let end = 0;
  for (let j = 0; j < 2; j++) {
    if (!key.range[2 * j]) end = len;
    else {
      let ch = "";
      end = 0;
      for (let i = 1; i < key.range[2 * j] + j; i++) {
        if (sep) {
          while (end < len) {
            ch = str[end++];
            if (ch === sep) break;
            ch = "";
          }
        } else {
          while (isspace(str[end])) end++;
          while (end < len && !isspace(str[end])) end++;
        }
      }
      if (j && ch) end--;
    }
    if (!j) start = end;
  }
  if (fl.b) while (isspace(str[start])) start++;
  if (fl.bb) while (end > start && isspace(str[end - 1])) end--;
  if (key.range[3]) end = Math.min(key.range[3], len);
  if (key.range[1]) start = Math.min(start + key.range[1] - 1, len);
  if (end < start) end = start;
  let s = str.slice(start, end);
  if (fl.d) s = s.replace(/[^\sA-Za-z0-9]/g, "");
  if (fl.i) s = s.replace(/[^\x20-\x7e]/g, "");
  if (fl.f) s = s.toUpperCase();
  return s;
}

/** strtod's prefix: the number and whether there was one. */
function strtod(s: string): [number, boolean] {
  const m = /^\s*([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf(?:inity)?|nan))/i.exec(s);
  if (!m) return [0, false];
  const t = m[1].toLowerCase();
  if (t.includes("inf")) return [t.startsWith("-") ? -Infinity : Infinity, true];
  if (t.includes("nan")) return [Number.NaN, true];
  return [Number(m[1]), true];
}

function verscmp(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (/^\d/.test(pa[i]) && /^\d/.test(pb[i])) return Number(pa[i]) - Number(pb[i]) || strcmp(pa[i], pb[i]);
    return strcmp(pa[i], pb[i]);
  }
  return pa.length - pb.length;
}

function compare_values(x: string, y: string, fl: Flags): number {
  if (fl.n) {
    const dx = strtod(x)[0];
    const dy = strtod(y)[0];
    return dx > dy ? 1 : dx < dy ? -1 : 0;
  }
  if (fl.g) {
    const [dx, okx] = strtod(x);
    const [dy, oky] = strtod(y);
    if (!okx) return oky ? -1 : 0;
    if (!oky) return 1;
    if (Number.isNaN(dx)) return Number.isNaN(dy) ? 0 : -1;
    if (Number.isNaN(dy)) return 1;
    return dx > dy ? 1 : dx < dy ? -1 : 0;
  }
  if (fl.M) {
    const mx = MONTHS.indexOf(x.trimStart().slice(0, 3).toLowerCase());
    const my = MONTHS.indexOf(y.trimStart().slice(0, 3).toLowerCase());
    if (mx < 0) return my < 0 ? 0 : -1;
    if (my < 0) return 1;
    return mx - my;
  }
  if (fl.V) return verscmp(x, y);
  return strcmp(x, y);
}

interface SortCtx {
  keys: Key[];
  global: Flags;
  sep: string;
  stable: boolean;
  noTieBreak: boolean;
}

/** compare_keys met flags naming more than one of -n -g -M -V: "unknown sort type" (only when it compares). */
class UnknownSortType extends Error {}

function compare_keys(ctx: SortCtx, a: { s: string; i: number }, b: { s: string; i: number }): number {
  let retval = 0;
  let fl = ctx.global;
  const keys: Key[] = ctx.keys.length ? ctx.keys : [{ range: [1, 0, 0, 0], flags: null }];
  for (const key of keys) {
    fl = key.flags ?? ctx.global;
    if (Number(fl.n) + Number(fl.g) + Number(fl.M) + Number(fl.V) > 1) throw new UnknownSortType();
    retval = compare_values(get_key(a.s, key, fl, ctx.sep), get_key(b.s, key, fl, ctx.sep), fl);
    if (retval) break;
  }
  if (retval === 0) {
    if (ctx.stable) retval = a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    else if (!ctx.noTieBreak) {
      fl = ctx.global;
      retval = strcmp(a.s, b.s);
    }
  }
  return fl.r ? -retval : retval;
}

function* sort_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "nrugMcszbdfiVk:t:o:mST:", USAGE);
  if (!o) return 2; // sort sets xfunc_error_retval = 2 first
  const global = empty_flags();
  for (const c of "nrgMbdfiV") if (o.has(c)) global[c as keyof Flags] = true;
  let sep = "";
  const t = o.arg("t");
  if (t !== undefined) {
    if (t.length !== 1) {
      yield* bb_error_msg("sort", "bad -t parameter");
      return 2;
    }
    sep = t;
  }
  const keys: Key[] = [];
  for (const spec of o.list("k")) {
    const f = empty_flags();
    const [s1, s2] = spec.split(",", 2);
    const p1 = parse_pos(s1, false, f);
    const p2 = s2 === undefined ? [0, 0] : parse_pos(s2, true, f);
    if (!p1 || !p2 || p1[0] === 0 || (s2 !== undefined && p2[0] === 0)) {
      yield* bb_error_msg("sort", "bad field specification");
      return 2;
    }
    const any = Object.values(f).some(Boolean);
    keys.push({ range: [p1[0], p1[1], p2[0], p2[1]], flags: any ? f : null });
  }
  // The last-resort whole-line comparison is off only for -u's pass over the sorted lines.
  const ctx: SortCtx = { keys, global, sep, stable: o.has("s"), noTieBreak: false };
  const delim = o.has("z") ? "\0" : "\n";
  const lines: { s: string; i: number }[] = [];
  for (const f of o.rest.length ? o.rest : ["-"]) {
    const fd = yield* open_stdin(f);
    const data = fd < 0 ? fd : yield* read_all(fd);
    if (fd >= 0) yield* close_stdin(fd);
    if (typeof data === "number") {
      yield* bb_perror_msg("sort", f, data);
      return 2;
    }
    const text = dec(data);
    const parts = text.split(delim);
    if (parts[parts.length - 1] === "") parts.pop();
    for (const p of parts) lines.push({ s: p, i: lines.length });
  }
  let result = lines;
  try {
    if (o.has("c")) {
      const j = o.has("u") ? -1 : 0;
      for (let i = 1; i < lines.length; i++) {
        if (compare_keys(ctx, lines[i - 1], lines[i]) > j) {
          yield* write_all(2, enc(`Check line ${i}\n`));
          return 1;
        }
      }
      return 0;
    }
    lines.sort((a, b) => compare_keys(ctx, a, b));
    if (o.has("u")) {
      ctx.noTieBreak = true;
      result = [];
      for (const l of lines)
        if (!result.length || compare_keys(ctx, result[result.length - 1], l) !== 0) result.push(l);
    }
  } catch (e) {
    if (!(e instanceof UnknownSortType)) throw e;
    yield* bb_error_msg("sort", "unknown sort type");
    return 2;
  }
  let fd = 1;
  const outFile = o.arg("o");
  if (outFile !== undefined) {
    fd = yield* open(outFile, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    if (fd < 0) {
      yield* bb_error_msg("sort", `can't open '${outFile}': ${strerror(fd)}`);
      return 2;
    }
  }
  yield* write_all(fd, enc(result.map((l) => l.s + delim).join("")));
  if (fd !== 1) yield* close(fd);
  return 0;
}

export const sort: Applet = { name: "sort", dir: "/usr/bin", usage: USAGE, main: sort_main };
