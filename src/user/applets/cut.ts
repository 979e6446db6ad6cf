/*
 * cut.ts - cut (coreutils/cut.c, 1.35 with FEATURE_CUT_REGEX): print
 * selected parts of lines. A LIST is N, N-, -M or N-M, comma-separated; the
 * sections are sorted by their start (not with -D).
 *   -b/-c LIST   bytes (characters are bytes here), each printed once
 *   -f LIST      fields split at the first byte of -d (TAB); lines without
 *                it are printed whole, or dropped with -s; joined with -O
 *                (default: the -d string)
 *   -F LIST      fields split at an extended regex (-d, default runs of
 *                whitespace), joined with -O (default one space)
 *   -d '\n' -f   whole lines by number
 * Fields are cut by BusyBox's walk along the line (cut_fields), quirks
 * included: an empty line is always printed, "-f1,3" of "a<TAB>b" prints
 * "a<TAB>". Only one of -b -c -f -F, once.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_show_usage, INT_MAX, strtou_range_sfx } from "../libc/libbb.js";
import { type Regex, regcomp, regexec } from "../libc/regex.js";
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

/** A section of a LIST: zero-based first and last (last may be below first: "3-2"). */
type Section = [number, number];

/**
 * The LIST as sections, as cut_main parses it: "N" is [N-1, N-1], "N-" runs
 * to INT_MAX, "-M" starts at 0, "N-M" ends at M-1 (M below N is an error
 * "M<N-1", M equal to N-1... leaves a section that ends before it starts);
 * 0 counts as 1. Sorted by start unless -D. A string is the complaint.
 */
function parse_list(spec: string, sort: boolean): Section[] | string {
  const out: Section[] = [];
  const num = (t: string): number | string => {
    const r = strtou_range_sfx(t, 10, 0, INT_MAX);
    return r.ok ? r.value : r.msg;
  };
  for (const tok of spec.split(",")) {
    if (!tok) continue;
    const dash = tok.indexOf("-");
    const a = dash < 0 ? tok : tok.slice(0, dash);
    let s = 0;
    if (a) {
      const v = num(a);
      if (typeof v === "string") return v;
      s = v ? v - 1 : 0;
    }
    let e = s;
    if (dash >= 0) {
      const b = tok.slice(dash + 1);
      if (!b) e = INT_MAX;
      else {
        const v = num(b);
        if (typeof v === "string") return v;
        if (v < s) return `${v}<${s}`;
        e = v - 1;
      }
    }
    out.push([s, e]);
  }
  if (out.length === 0) return "missing list of positions";
  if (sort) out.sort((x, y) => x[0] - y[0]);
  return out;
}

/** -b / -c: each byte of each section once, in section order. */
function cut_bytes(line: string, lists: Section[]): string {
  const printed = new Uint8Array(line.length);
  let r = "";
  for (const [first, last] of lists)
    for (let pos = first; pos < line.length; ) {
      if (!printed[pos]) {
        printed[pos] = 1;
        r += line[pos];
      }
      if (++pos > last) break;
    }
  return r;
}

/**
 * -f / -F: cut_file's walk along the line. Delimiters (a byte, or the
 * regex's matches) are counted; a field inside the current section is
 * printed, joined by odelim. With -D each section starts from the line's
 * beginning again. A line without any delimiter is printed whole, or
 * dropped with -s (null). The quirks stay: an empty line is always printed,
 * "-f1,3" of "a<TAB>b" prints "a<TAB>" (the third field is empty).
 */
function cut_fields(
  line: string,
  delim: string,
  re: Regex | null,
  odelim: string,
  lists: Section[],
  suppress: boolean,
  nosort: boolean,
): string | null {
  const len = line.length;
  let uu = 0;
  let start = 0;
  let end = 0;
  let out = 0;
  let dcount = 0;
  let cl = 0;
  let r = "";
  for (;;) {
    // End of the current section?
    if (end === len || dcount > lists[cl][1]) {
      if (++cl >= lists.length) break;
      if (nosort) start = dcount = uu = 0;
      end = 0;
    }
    if (uu === len) {
      // End of the line: with no delimiter seen at all, -s drops it.
      if (!cl && !dcount && !re) {
        if (suppress) return null;
      } else if (dcount < lists[cl][0]) start = len;
      end = len;
    } else {
      if (re) {
        const m = regexec(re, line, uu);
        // (An empty match would never move on: it ends the line's delimiters.)
        if (!m || m[0].length === 0) {
          uu = len;
          continue;
        }
        end = m.index;
        uu = m.index + m[0].length;
      } else if (line[(end = uu++)] !== delim) continue;
      // A delimiter: not yet inside the section?
      if (dcount++ < lists[cl][0]) {
        start = uu;
        continue;
      }
    }
    if (end !== start || !re) r += (out++ ? odelim : "") + line.slice(start, end);
    start = uu;
    if (!dcount) break;
  }
  return r;
}

function* cut_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "b:c:f:d:O:sDF:n", USAGE);
  if (!o) return 1;
  // "b--bcfF:c--bcfF:f--bcfF:F--bcfF": one list option, given once.
  const listopts = o.seen.filter((x) => "bcfF".includes(x.key));
  if (listopts.length > 1) return yield* bb_show_usage(USAGE);
  if (listopts.length === 0) {
    yield* bb_error_msg("cut", "expected a list of bytes, characters, or fields");
    return 1;
  }
  const mode = listopts[0].key;
  const regex = mode === "F";
  if (mode === "b" || mode === "c") {
    if (o.has("s")) {
      yield* bb_error_msg("cut", "suppressing non-delimited lines makes sense only when operating on fields");
      return 1;
    }
    if (o.has("d")) {
      yield* bb_error_msg("cut", "a delimiter may be specified only when operating on fields");
      return 1;
    }
  }
  const d = o.arg("d");
  const delim = d ? d : regex ? "[[:space:]]+" : "\t";
  const odelim = o.arg("O") ?? (regex ? " " : delim);
  let re: Regex | null = null;
  if (regex) {
    const c = regcomp(delim, true);
    if (typeof c === "string") {
      yield* bb_error_msg("cut", `bad regex '${delim}': ${c}`);
      return 1;
    }
    re = c;
  }
  const lists = parse_list(listopts[0].arg!, !o.has("D"));
  if (typeof lists === "string") {
    yield* bb_error_msg("cut", lists);
    return 1;
  }
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
    for (let linenum = 0; ; linenum++) {
      const b = yield* rd.getlineBytes();
      if (b === null) break;
      const body = b[b.length - 1] === 10 ? b.subarray(0, b.length - 1) : b;
      const line = latin1(body);
      let r: string | null;
      if (mode === "b" || mode === "c") r = cut_bytes(line, lists);
      else if (delim[0] === "\n" && !regex) r = line_selected(linenum, lists) ? line : null;
      else r = cut_fields(line, delim[0], re, odelim, lists, o.has("s"), o.has("D"));
      if (r !== null) yield* out.write(bytes(`${r}\n`));
    }
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

/** -d '\n' -f: whole lines, by number (cut_file's "cut by lines"). */
function line_selected(linenum: number, lists: Section[]): boolean {
  return lists.some(([first, last]) => linenum >= first && linenum <= Math.max(first, last));
}

const latin1 = (b: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
};
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

export const cut: Applet = { name: "cut", dir: "/usr/bin", usage: USAGE, main: cut_main };
