/*
 * diff.ts - diff (editors/diff.c): compare two files, or two directories
 * (recursively with -r), and print the differences as unified hunks:
 *
 *   --- OLD                  the names (or -L LABELs), no timestamps
 *   +++ NEW
 *   @@ -a,n +c,m @@          -U LINES (3) of context around changes,
 *    same / -old / +new      changes closer than 2*LINES+1 share a hunk
 *
 * The matching is in diff_lcs.ts. Files are compared byte by byte first:
 * equal ones print nothing (-s: "Files A and B are identical"), and when
 * a NUL shows up in the part both have, "Files A and B differ" replaces
 * the hunks (-a diffs them anyway); -q prints only that line. -b, -w, -i
 * ignore white space changes, all white space, case; -B skips hunks that
 * only add or remove blank lines; -t expands tabs, -T puts a tab after the
 * -/+/space; -N treats a missing file as empty. The status is 0 when all
 * is the same, 1 when something differs, 2 when a FILE cannot be found.
 */

import { S_ISDIR, S_ISREG } from "../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import { read_bytes, read_dir } from "../libc/file.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  concat_path_file,
  INT_MAX,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { latin1_bytes, read_all } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { fstat, stat } from "../libc/sys.js";
import { create_J, type DiffFlags, Ft } from "./diff_lcs.js";
import type { Applet } from "./registry.js";

const USAGE = `diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2

Compare files line by line and output the differences between them.
This implementation supports unified diffs only.

\t-a\tTreat all files as text
\t-b\tIgnore changes in the amount of whitespace
\t-B\tIgnore changes whose lines are all blank
\t-d\tTry hard to find a smaller set of changes
\t-i\tIgnore case differences
\t-L\tUse LABEL instead of the filename in the unified header
\t-N\tTreat absent files as empty
\t-q\tOutput only whether files differ
\t-r\tRecurse
\t-S\tStart with FILE when comparing directories
\t-T\tMake tabs line up by prefixing a tab when necessary
\t-s\tReport when two files are the same
\t-t\tExpand tabs to spaces in output
\t-U\tOutput LINES lines of context
\t-w\tIgnore all whitespace`;

const STATUS_SAME = 0;
const STATUS_DIFFER = 1;
const STATUS_BINARY = 2;

/** The run's options and state (BusyBox's globals). */
interface Ctx extends DiffFlags {
  a: boolean;
  B: boolean;
  N: boolean;
  q: boolean;
  r: boolean;
  s: boolean;
  t: boolean;
  T: boolean;
  context: number;
  label: (string | undefined)[];
  exit_status: number;
  out: Writer;
}

/** fetch(): lines a..b of a file, each after `ch` (and a tab with -T). */
function fetch(c: Ctx, ft: Ft, ix: number[], a: number, b: number, ch: string): string {
  let s = "";
  for (let i = a; i <= b; i++) {
    s += c.T ? `${ch}\t` : ch;
    let col = 0;
    for (let p = ix[i - 1]; p < ix[i]; p++) {
      if (p >= ft.b.length) return `${s}\n\\ No newline at end of file\n`;
      const x = ft.b[p];
      if (x === 9 && c.t) {
        do s += " ";
        while (++col & 7);
      } else {
        s += String.fromCharCode(x);
        col++;
      }
    }
  }
  return s;
}

/** diff(): the hunks of two different files; whether any was printed (or would be, with -q). */
function* diff_files(c: Ctx, ft: [Ft, Ft], file: [string, string]): UserGen<boolean> {
  const { J, nlen, ix } = create_J(ft, c);
  type Vec = [{ a: number; b: number }, { a: number; b: number }];
  let vec: Vec[] = [];
  let i = 1;
  let anychange = false;
  do {
    let nonempty = false;
    for (;;) {
      const v: Vec = [
        { a: i, b: 0 },
        { a: 0, b: 0 },
      ];
      while (v[0].a <= nlen[0] && J[v[0].a] === J[v[0].a - 1] + 1) v[0].a++;
      v[1].a = J[v[0].a - 1] + 1;
      for (v[0].b = v[0].a - 1; v[0].b < nlen[0] && !J[v[0].b + 1]; ) v[0].b++;
      v[1].b = J[v[0].b + 1] - 1;
      if (v[0].a <= v[0].b || v[1].a <= v[1].b) {
        const ct = 2 * c.context + 1;
        const last = vec[vec.length - 1];
        if (last && v[0].a > last[0].b + ct && v[1].a > last[1].b + ct) break;
        for (let j = 0; j < 2; j++)
          for (let k = v[j].a; k <= v[j].b; k++) nonempty ||= ix[j][k] - ix[j][k - 1] !== 1;
        vec.push(v);
      }
      i = v[0].b + 1;
      if (i > nlen[0]) break;
      J[v[0].b] = v[1].b;
    }
    if (vec.length && !(c.B && !nonempty)) {
      if (!c.q) {
        let s = "";
        if (!anychange) s += `--- ${c.label[0] ?? file[0]}\n+++ ${c.label[1] ?? file[1]}\n`;
        s += "@@";
        const span = [
          { a: 0, b: 0 },
          { a: 0, b: 0 },
        ];
        for (let j = 0; j < 2; j++) {
          const a = (span[j].a = Math.max(1, vec[0][j].a - c.context));
          const b = (span[j].b = Math.min(nlen[j], vec[vec.length - 1][j].b + c.context));
          s += ` ${j ? "+" : "-"}${Math.min(a, b)}`;
          if (a !== b) s += `,${a < b ? b - a + 1 : 0}`;
        }
        s += " @@\n";
        let lowa = span[0].a;
        for (let cv = 0; ; lowa = vec[cv++][0].b + 1) {
          const end = cv >= vec.length;
          s += fetch(c, ft[0], ix[0], lowa, end ? span[0].b : vec[cv][0].a - 1, " ");
          if (end) break;
          for (let j = 0; j < 2; j++) s += fetch(c, ft[j], ix[j], vec[cv][j].a, vec[cv][j].b, j ? "+" : "-");
        }
        yield* c.out.write(latin1_bytes(s));
      }
      anychange = true;
    }
    vec = [];
  } while (i <= nlen[0]);
  return anychange;
}

/** diffreg(): compare two files (names, "-" for stdin); the status to print. */
function* diffreg(c: Ctx, file: [string, string]): UserGen<number> {
  const data: Uint8Array[] = [];
  for (const f of file) {
    let d: Uint8Array | number;
    if (f === "-") d = yield* read_all(0);
    else {
      d = yield* read_bytes(f);
      // -N: a file that cannot be opened is /dev/null
      if (typeof d === "number" && c.N) d = new Uint8Array(0);
    }
    if (typeof d === "number") {
      yield* c.out.flush();
      yield* bb_perror_msg("diff", `can't open '${f}'`, d);
      return STATUS_SAME;
    }
    data.push(d);
  }
  const [b0, b1] = data;
  const n = Math.min(b0.length, b1.length);
  let differ = b0.length !== b1.length;
  let binary = false;
  for (let k = 0; k < n; k++) {
    if (!b0[k] || !b1[k]) binary = true;
    if (b0[k] !== b1[k]) differ = true;
  }
  let status = STATUS_SAME;
  if (differ) {
    if (binary && !c.a) status = STATUS_BINARY;
    else if (yield* diff_files(c, [new Ft(b0), new Ft(b1)], file)) status = STATUS_DIFFER;
  }
  if (status !== STATUS_SAME) c.exit_status |= 1;
  return status;
}

function* print_status(c: Ctx, status: number, path: [string, string]): UserGen<void> {
  if (status === STATUS_BINARY || (status === STATUS_DIFFER && c.q))
    yield* c.out.puts(`Files ${path[0]} and ${path[1]} differ\n`);
  else if (status === STATUS_SAME && c.s)
    yield* c.out.puts(`Files ${path[0]} and ${path[1]} are identical\n`);
}

/** recursive_action over a directory: the files below it (relative, and directories without -r). */
function* dirlist(c: Ctx, top: string, other: string): UserGen<string[]> {
  const list: string[] = [];
  const walk = function* (dir: string, rel: string, depth: number): UserGen<void> {
    const ents = yield* read_dir(dir);
    if (typeof ents === "number") {
      yield* c.out.flush();
      yield* bb_perror_msg("diff", `can't open '${dir}'`, ents);
      return;
    }
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      const path = concat_path_file(dir, e.d_name);
      const name = rel ? `${rel}/${e.d_name}` : e.d_name;
      const st = yield* stat(path);
      if (typeof st === "object" && S_ISDIR(st.st_mode)) {
        // skip_dir
        if (!c.r) {
          list.push(name);
          continue;
        }
        if (!c.N) {
          const o = yield* stat(concat_path_file(other, name));
          if (typeof o !== "object" || !S_ISDIR(o.st_mode)) {
            c.exit_status |= 1;
            continue;
          }
        }
        yield* walk(path, name, depth + 1);
      } else list.push(name);
    }
  };
  yield* walk(top, "", 0);
  return list.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function* diffdir(c: Ctx, p: [string, string], s_start: string | undefined): UserGen<void> {
  const lists = [yield* dirlist(c, p[0], p[1]), yield* dirlist(c, p[1], p[0])];
  const pos = [0, 0];
  if (s_start !== undefined)
    for (let i = 0; i < 2; i++) while (pos[i] < lists[i].length && lists[i][pos[i]] < s_start) pos[i]++;
  for (;;) {
    const dp = [lists[0][pos[0]], lists[1][pos[1]]];
    if (dp[0] === undefined && dp[1] === undefined) break;
    const cmp =
      dp[0] === undefined ? 1 : dp[1] === undefined ? -1 : dp[0] < dp[1] ? -1 : dp[0] > dp[1] ? 1 : 0;
    const k = cmp > 0 ? 1 : 0;
    if (cmp && !c.N) {
      yield* c.out.puts(`Only in ${p[k]}: ${dp[k]}\n`);
      c.exit_status |= 1;
    } else {
      const fullpath: [string, string] = ["", ""];
      const path: [string, string] = ["", ""];
      const stb: (Stat | number)[] = [0, 0];
      for (let i = 0; i < 2; i++) {
        if (cmp === 0 || i === k) {
          path[i] = fullpath[i] = concat_path_file(p[i], dp[i]!);
          stb[i] = yield* stat(fullpath[i]);
        } else {
          fullpath[i] = concat_path_file(p[i], dp[1 - i]!);
          path[i] = "/dev/null";
        }
      }
      if (cmp) stb[1 - k] = yield* stat(fullpath[k]);
      const mode = stb.map((s) => (typeof s === "object" ? s.st_mode : 0));
      if (S_ISDIR(mode[0]) && S_ISDIR(mode[1]))
        yield* c.out.puts(`Common subdirectories: ${fullpath[0]} and ${fullpath[1]}\n`);
      else if (!S_ISREG(mode[0]) && !S_ISDIR(mode[0]))
        yield* c.out.puts(`File ${fullpath[0]} is not a regular file or directory and was skipped\n`);
      else if (!S_ISREG(mode[1]) && !S_ISDIR(mode[1]))
        yield* c.out.puts(`File ${fullpath[1]} is not a regular file or directory and was skipped\n`);
      else if (S_ISDIR(mode[0]) !== S_ISDIR(mode[1])) {
        const kinds = S_ISDIR(mode[0]) ? ["directory", "regular file"] : ["regular file", "directory"];
        yield* c.out.puts(
          `File ${fullpath[0]} is a ${kinds[0]} while file ${fullpath[1]} is a ${kinds[1]}\n`,
        );
      } else yield* print_status(c, yield* diffreg(c, path), fullpath);
    }
    pos[k]++;
    if (cmp === 0) pos[1 - k]++;
  }
}

function* diff_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "abdiL:NqrsS:tTU:wupBE", USAGE, [
    { name: "ignore-case", arg: 0, val: "i" },
    { name: "ignore-tab-expansion", arg: 0, val: "E" },
    { name: "ignore-space-change", arg: 0, val: "b" },
    { name: "ignore-all-space", arg: 0, val: "w" },
    { name: "ignore-blank-lines", arg: 0, val: "B" },
    { name: "text", arg: 0, val: "a" },
    { name: "unified", arg: 1, val: "U" },
    { name: "label", arg: 1, val: "L" },
    { name: "show-c-function", arg: 0, val: "p" },
    { name: "brief", arg: 0, val: "q" },
    { name: "expand-tabs", arg: 0, val: "t" },
    { name: "initial-tab", arg: 0, val: "T" },
    { name: "recursive", arg: 0, val: "r" },
    { name: "new-file", arg: 0, val: "N" },
    { name: "report-identical-files", arg: 0, val: "s" },
    { name: "starting-file", arg: 1, val: "S" },
    { name: "minimal", arg: 0, val: "d" },
  ]);
  if (!o) return 1;
  let context = 3;
  // getopt32's "U:+" converts as it parses, before "=2" is checked
  for (const s of o.seen) {
    if (s.key !== "U") continue;
    const r = strtou_range_sfx(s.arg!, 10, 0, INT_MAX);
    if (!r.ok) {
      yield* bb_error_msg("diff", r.msg);
      return 1;
    }
    context = r.value;
  }
  if (o.rest.length !== 2) return yield* bb_show_usage(USAGE);
  const label: (string | undefined)[] = [undefined, undefined];
  for (const l of o.list("L")) label[label[0] === undefined ? 0 : 1] = l;
  const out = yield* Writer.open(1);
  const c: Ctx = {
    ...{ a: o.has("a"), b: o.has("b"), d: o.has("d"), i: o.has("i"), w: o.has("w"), B: o.has("B") },
    ...{ N: o.has("N"), q: o.has("q"), r: o.has("r"), s: o.has("s"), t: o.has("t"), T: o.has("T") },
    context,
    label,
    exit_status: 0,
    out,
  };
  const file: [string, string] = [o.rest[0], o.rest[1]];
  const stb: Stat[] = [];
  let gotstdin = 0;
  for (let i = 0; i < 2; i++) {
    let st: Stat | number;
    if (file[i] === "-") {
      st = yield* fstat(0);
      gotstdin++;
    } else {
      st = yield* stat(file[i]);
      if (typeof st === "number" && c.N) st = yield* stat("/dev/null");
    }
    if (typeof st === "number") {
      yield* bb_perror_msg("diff", `can't stat '${file[i]}'`, st);
      return 2;
    }
    stb.push(st);
  }
  const isdir = stb.map((s) => S_ISDIR(s.st_mode));
  if (gotstdin && (isdir[0] || isdir[1])) {
    yield* bb_error_msg("diff", "can't compare stdin to a directory");
    return 1;
  }
  const [s0, s1] = stb;
  if (
    s0.st_ino === s1.st_ino &&
    s0.st_dev === s1.st_dev &&
    s0.st_size === s1.st_size &&
    s0.st_mtime === s1.st_mtime &&
    s0.st_ctime === s1.st_ctime &&
    s0.st_mode === s1.st_mode &&
    s0.st_nlink === s1.st_nlink &&
    s0.st_uid === s1.st_uid &&
    s0.st_gid === s1.st_gid
  )
    return 0; // the same file
  if (isdir[0] && isdir[1]) yield* diffdir(c, file, o.arg("S"));
  else {
    if (isdir[0] || isdir[1]) {
      const dir = isdir[1] ? 1 : 0;
      const other = file[1 - dir];
      const slash = other.lastIndexOf("/");
      file[dir] = concat_path_file(file[dir], slash >= 0 ? other.slice(slash + 1) : other);
      const st = yield* stat(file[dir]);
      if (typeof st === "number") {
        yield* bb_perror_msg("diff", `can't stat '${file[dir]}'`, st);
        return 1;
      }
    }
    yield* print_status(c, gotstdin > 1 ? STATUS_SAME : yield* diffreg(c, file), file);
  }
  yield* out.flush();
  return c.exit_status;
}

export const diff: Applet = { name: "diff", dir: "/usr/bin", usage: USAGE, main: diff_main };
