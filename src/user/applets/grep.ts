/*
 * grep.ts - grep, egrep and fgrep (findutils/grep.c): print the lines of
 * FILEs (or stdin) that match a PATTERN (basic regex; -E extended, -F
 * fixed strings; egrep is grep -E, fgrep grep -F). Several patterns come
 * from -e, -f FILE or newlines in PATTERN; a line matches if any does.
 *
 *   -i -w -x -v        ignore case, whole words, whole lines, invert
 *   -n -H -h -c -l -L  line numbers, file names, counts, names only
 *   -o -q -s -m N      only the matched parts, quiet, no file errors, N matches
 *   -A -B -C N         context lines ("-" separator, "--" between groups)
 *   -r -R -z           recurse into directories, NUL-terminated lines
 *
 * Exit status: 0 when a line was selected, 1 when none, 2 on an error
 * (a missing file, a bad regex) unless -q found a match.
 */

import { S_ISDIR } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin, read_dir, read_text } from "../libc/file.js";
import type { Options } from "../libc/getopt.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  concat_path_file,
  INT_MAX,
  strtou_range_sfx,
  xnum,
} from "../libc/libbb.js";
import { type Regex, regcomp, regexec } from "../libc/regex.js";
import { dec, strerror } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { lstat, stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...

Search for PATTERN in FILEs (or stdin)

\t-H\tAdd 'filename:' prefix
\t-h\tDo not add 'filename:' prefix
\t-n\tAdd 'line_no:' prefix
\t-l\tShow only names of files that match
\t-L\tShow only names of files that don't match
\t-c\tShow only count of matching lines
\t-o\tShow only the matching part of line
\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise
\t-v\tSelect non-matching lines
\t-s\tSuppress open and read errors
\t-r\tRecurse
\t-R\tRecurse and dereference symlinks
\t-i\tIgnore case
\t-w\tMatch whole words only
\t-x\tMatch whole lines only
\t-F\tPATTERN is a literal (not regexp)
\t-E\tPATTERN is an extended regexp
\t-z\tNUL terminated input
\t-m N\tMatch up to N times per file
\t-A N\tPrint N lines of trailing context
\t-B N\tPrint N lines of leading context
\t-C N\tSame as '-A N -B N'
\t-e PTRN\tPattern to match
\t-f FILE\tRead pattern from file`;

interface Grep {
  o: Options;
  name: string;
  patterns: Regex[];
  out: Writer;
  showNames: boolean;
  before: number;
  after: number;
  maxCount: number;
  /** A line has been printed after which "--" may separate the next group. */
  printedAny: boolean;
  status: number;
  matched: boolean;
}

const isword = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);

/** The matches of the line (one, or all with -o), honouring -w and -x. */
function find(g: Grep, line: string, all: boolean): [number, number][] {
  const found: [number, number][] = [];
  let from = 0;
  while (from <= line.length) {
    let best: [number, number] | null = null;
    for (const r of g.patterns) {
      let at = from;
      for (;;) {
        const m = regexec(r, line, at);
        if (!m) break;
        const s = m.index;
        const e = s + m[0].length;
        const ok =
          (!g.o.has("x") || (s === 0 && e === line.length)) &&
          (!g.o.has("w") || (!isword(line[s - 1]) && !isword(line[e])));
        if (ok) {
          if (!best || s < best[0] || (s === best[0] && e > best[1])) best = [s, e];
          break;
        }
        at = s + 1;
        if (at > line.length) break;
      }
    }
    if (!best) break;
    found.push(best);
    if (!all) break;
    from = best[1] > best[0] ? best[1] : best[1] + 1;
  }
  return found;
}

function* grep_fd(g: Grep, fd: number, fname: string): UserGen<void> {
  const o = g.o;
  const rd = new Reader(fd);
  const delim = o.has("z") ? 0 : 10;
  const prefix = (n: number, sep: string): string =>
    `${g.showNames ? `${fname}${sep}` : ""}${o.has("n") ? `${n}${sep}` : ""}`;
  const held: [number, string][] = [];
  let lineno = 0;
  let count = 0;
  let afterLeft = 0;
  let lastPrinted = 0;
  const quiet = o.has("q") || o.has("l") || o.has("L") || o.has("c");
  for (;;) {
    if (count >= g.maxCount && afterLeft === 0) break;
    const b = yield* rd.getlineBytes(delim);
    if (b === null) break;
    lineno++;
    const line = dec(b[b.length - 1] === delim ? b.subarray(0, b.length - 1) : b);
    const hits = count < g.maxCount ? find(g, line, o.has("o") && !o.has("v")) : [];
    const selected = hits.length > 0 !== o.has("v");
    if (selected && count < g.maxCount) {
      count++;
      if (!o.has("L")) g.matched = true;
      if (o.has("q")) return;
      if (quiet) continue;
      if ((g.before || g.after) && g.printedAny && lastPrinted && lineno - held.length > lastPrinted + 1)
        yield* g.out.puts("--\n");
      for (const [n, l] of held) yield* g.out.puts(`${prefix(n, "-")}${l}\n`);
      held.length = 0;
      if (o.has("o") && !o.has("v")) {
        for (const [s, e] of hits)
          if (e > s) yield* g.out.puts(`${prefix(lineno, ":")}${line.slice(s, e)}\n`);
      } else yield* g.out.puts(`${prefix(lineno, ":")}${line}${String.fromCharCode(delim)}`);
      g.printedAny = true;
      lastPrinted = lineno;
      afterLeft = g.after;
    } else if (afterLeft > 0 && !quiet) {
      yield* g.out.puts(`${prefix(lineno, "-")}${line}\n`);
      lastPrinted = lineno;
      afterLeft--;
    } else if (g.before && !quiet) {
      held.push([lineno, line]);
      if (held.length > g.before) held.shift();
    }
  }
  if (o.has("c")) yield* g.out.puts(`${g.showNames ? `${fname}:` : ""}${count}\n`);
  if (o.has("l") && count > 0) yield* g.out.puts(`${fname}\n`);
  if (o.has("L") && count === 0) {
    // -L succeeds when it lists a file
    g.matched = true;
    yield* g.out.puts(`${fname}\n`);
  }
}

function* grep_path(g: Grep, path: string, top: boolean): UserGen<void> {
  const o = g.o;
  if (o.has("r") || o.has("R")) {
    const st = top || o.has("R") ? yield* stat(path) : yield* lstat(path);
    if (typeof st !== "number" && S_ISDIR(st.st_mode)) {
      if (!o.has("h")) g.showNames = true;
      const ents = yield* read_dir(path);
      if (typeof ents === "number") {
        if (!o.has("s")) yield* bb_perror_msg(g.name, path, ents);
        g.status = 2;
        return;
      }
      for (const e of ents.map((x) => x.d_name).sort()) {
        if (e === "." || e === "..") continue;
        yield* grep_path(g, concat_path_file(path, e), false);
      }
      return;
    }
  }
  const fd = yield* open_stdin(path);
  if (fd < 0) {
    if (!o.has("s")) {
      yield* g.out.flush();
      yield* bb_perror_msg(g.name, path, fd);
    }
    g.status = 2;
    return;
  }
  yield* grep_fd(g, fd, path === "-" ? "(standard input)" : path);
  yield* close_stdin(fd);
  yield* g.out.flush();
}

function* grep_common(argv: string[], name: string, mode: "" | "E" | "F"): UserGen<number> {
  const usage = name === "grep" ? USAGE : ""; // egrep and fgrep have no help text
  const o = yield* bb_getopt(argv, "HhnlLoqvsrRiwxFEzcm:A:B:C:e:f:", usage);
  if (!o) return 2;
  const num = function* (k: string): UserGen<number | null> {
    const a = o.arg(k);
    return a === undefined ? 0 : yield* xnum(name, strtou_range_sfx(a, 10, 0, INT_MAX));
  };
  const m = o.has("m") ? yield* num("m") : INT_MAX;
  const C = yield* num("C");
  const A = o.has("A") ? yield* num("A") : C;
  const B = o.has("B") ? yield* num("B") : C;
  if (m === null || A === null || B === null || C === null) return 2;
  const rest = [...o.rest];
  let pats: string[] = [];
  for (const e of o.list("e")) pats.push(...e.split("\n"));
  for (const f of o.list("f")) {
    const text = yield* read_text(f);
    if (typeof text === "number") {
      yield* bb_error_msg(name, `${f}: ${strerror(text)}`);
      return 2;
    }
    pats.push(...text.replace(/\n$/, "").split("\n"));
  }
  if (!o.has("e") && !o.has("f")) {
    if (rest.length === 0) {
      yield* bb_show_usage(usage);
      return 2;
    }
    pats = rest.shift()!.split("\n");
  }
  const fixed = mode === "F" || o.last("E", "F") === "F";
  const extended = mode === "E" || o.last("E", "F") === "E";
  const patterns: Regex[] = [];
  for (const p of pats) {
    const r = fixed
      ? regcomp(p.replace(/[\\^$.*[\]]/g, "\\$&"), false, o.has("i"))
      : regcomp(p, extended, o.has("i"), true);
    if (typeof r === "string") {
      yield* bb_error_msg(name, `bad regex '${p}'`);
      return 2;
    }
    patterns.push(r);
  }
  const files = rest.length ? rest : o.has("r") || o.has("R") ? ["."] : ["-"];
  const g: Grep = {
    o,
    name,
    patterns,
    out: yield* Writer.open(1),
    showNames: o.last("H", "h") === "H" || (!o.has("h") && files.length > 1),
    before: B,
    after: A,
    maxCount: m,
    printedAny: false,
    status: 0,
    matched: false,
  };
  for (const f of files) {
    yield* grep_path(g, f, true);
    if (g.matched && o.has("q")) break;
  }
  yield* g.out.flush();
  if (g.matched && o.has("q")) return 0;
  return g.status || (g.matched ? 0 : 1);
}

export const grep: Applet = {
  name: "grep",
  dir: "/bin",
  usage: USAGE,
  main: (argv) => grep_common(argv, "grep", ""),
};
export const egrep: Applet = {
  name: "egrep",
  dir: "/bin",
  usage: "",
  main: (argv) => grep_common(argv, "egrep", "E"),
};
export const fgrep: Applet = {
  name: "fgrep",
  dir: "/bin",
  usage: "",
  main: (argv) => grep_common(argv, "fgrep", "F"),
};
