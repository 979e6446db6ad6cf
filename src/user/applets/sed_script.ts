/*
 * sed_script.ts - sed's script compiler (the add_cmd() half of BusyBox's
 * editors/sed.c) and its "s" command: addresses, commands and their
 * arguments become SedCmd records that sed.ts runs over the input.
 * See sed.ts for the commands and the quirks kept from Debian's build.
 */

import { O_CREAT, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { REG_NOTBOL, type Regex, regcomp, regexec } from "../libc/regex.js";
import { dec, latin1_bytes, strerror } from "../libc/stdio.js";
import { type Reader, Writer } from "../libc/stream.js";
import { open } from "../libc/sys.js";

/** A fatal error: sed prints "sed: MSG" (null: already said) and exits with status (1). */
export class Die {
  constructor(
    readonly msg: string | null,
    readonly status = 1,
  ) {}
}

/**
 * How an input line ended: "\n", a NUL, nothing (NO_EOL_CHAR: the file's
 * last line had no "\n"), or a NUL that was the file's last byte
 * (LAST_IS_NUL). Output lines end the same way.
 */
export const NO_EOL_CHAR = "";
export const LAST_IS_NUL = "nul-at-eof";
export type GetsChar = "\n" | "\0" | typeof NO_EOL_CHAR | typeof LAST_IS_NUL;

/**
 * Where a command's text output goes, with puts_maybe_newline's "last
 * char written": "\n" or "\0" after a line's end, "x" after text - the
 * next line then starts with a "\n".
 */
export interface Out {
  w: Writer;
  last: string;
}

export interface SedCmd {
  cmd: string;
  begLine: number; // 0: none, -1: $, -2: dead range start
  begLineOrig: number;
  endLine: number; // 0: none, -1: $, <= -2: +N
  endLineOrig: number;
  begMatch: Regex | null;
  endMatch: Regex | null;
  subMatch: Regex | null;
  string: string | null;
  whichMatch: number;
  invert: boolean;
  inMatch: boolean;
  subP: boolean;
  swFile: Out | null;
  swName: string | null;
}

export interface Sed {
  cmds: SedCmd[];
  quiet: number;
  extended: boolean;
  previousRegex: Regex | null;
  addCmdLine: string | null;
  hold: string | null;
  append: string[];
  exitcode: number;
  /** The input files ("-": stdin); process_files() reads cur..last. */
  files: string[];
  cur: number;
  last: number;
  /** The file being read: it stays open after a "q". */
  fp: Reader | null;
  out: Out;
  /** -i's temporary file while it is written (removed if sed dies). */
  outname: string | null;
}

const WS = "; \n\r\t\v";

/**
 * parse_escapes: "\from" becomes `to`; with to === "" every "\x" becomes
 * "x" (and a lone "\" at the end ends the string, as its NUL would).
 */
function parse_escapes(s: string, from: string, to: string): string {
  let d = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && !to && i + 1 === s.length) break;
    if (s[i] === "\\" && i + 1 < s.length) {
      if (!to || s[i + 1] === from) {
        d += to || s[i + 1];
        i++;
        continue;
      }
      d += "\\";
      i++;
    }
    d += s[i];
  }
  return d;
}

/** copy_parsing_escapes: \n, \t and \r (as GNU sed). */
function copy_parsing_escapes(s: string): string {
  return parse_escapes(parse_escapes(parse_escapes(s, "n", "\n"), "t", "\t"), "r", "\r");
}

/** The index of the next unescaped delimiter (not inside [...] unless delim < 0). */
function next_delim(delim: string, str: string, checkBrackets: boolean): number {
  let bracket = checkBrackets ? -1 : -2;
  let escaped = false;
  for (let idx = 0; idx < str.length; idx++) {
    const ch = str[idx];
    if (bracket >= 0) {
      if (ch === "]" && !(bracket === idx - 1 || (bracket === idx - 2 && str[idx - 1] === "^"))) bracket = -1;
    } else if (escaped) escaped = false;
    else if (ch === "\\") escaped = true;
    else if (bracket === -1 && ch === "[") bracket = idx;
    else if (ch === delim) return idx;
  }
  throw new Die(`unmatched '${delim}'`);
}

export function compile(sed: Sed, re: string, icase = false): Regex {
  const r = regcomp(re, sed.extended, icase);
  if (typeof r === "string") throw new Die(`bad regex '${re}': ${r}`);
  return r;
}

/** get_address: [consumed, line, regex]. */
function get_address(sed: Sed, s: string): [number, number, Regex | null] {
  let m: RegExpExecArray | null;
  if ((m = /^\d+/.exec(s))) return [m[0].length, Number(m[0]), null];
  if (s[0] === "$") return [1, -1, null];
  if (s[0] === "/" || s[0] === "\\") {
    let pos = 0;
    let delim = "/";
    if (s[0] === "\\") delim = s[++pos];
    pos++;
    const next = next_delim(delim, s.slice(pos), true);
    let re: Regex;
    if (next !== 0) re = sed.previousRegex = compile(sed, copy_parsing_escapes(s.slice(pos, pos + next)));
    else {
      if (!sed.previousRegex) throw new Die("no previous regexp");
      re = sed.previousRegex;
    }
    return [pos + next + 1, 0, re];
  }
  return [0, 0, null];
}

/** parse_file_cmd: a file name to the end of the line. */
function file_arg(s: string): [number, string] {
  let start = 0;
  while (/\s/.test(s[start] ?? "")) start++;
  let idx = start;
  while (idx < s.length && s[idx] !== "\n") idx++;
  if (idx === start) throw new Die("empty filename");
  return [idx, s.slice(start, idx)];
}

/** A file name of the script (a byte string) as a path. */
export function path_of(name: string): string {
  return dec(latin1_bytes(name));
}

/** xfopen_for_write of a file named in the script (a byte string). */
export function* open_w(name: string): UserGen<Out> {
  const fd = yield* open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, 0o666);
  if (fd < 0) throw new Die(`can't open '${name}': ${strerror(fd)}`);
  return { w: yield* Writer.open(fd), last: "\n" };
}

/** parse_subst_cmd: fills c from "/re/repl/flags"; returns chars consumed. */
function* parse_subst(sed: Sed, c: SedCmd, s: string): UserGen<number> {
  if (!s) throw new Die("bad format in substitution expression");
  const delim = s[0];
  const i1 = next_delim(delim, s.slice(1), true);
  const match = copy_parsing_escapes(s.slice(1, 1 + i1));
  const i2 = next_delim(delim, s.slice(2 + i1), false);
  c.string = copy_parsing_escapes(s.slice(2 + i1, 2 + i1 + i2));
  let idx = 2 + i1 + i2;
  let icase = false;
  c.whichMatch = 1;
  while (++idx < s.length) {
    const ch = s[idx];
    const num = /^\d+/.exec(s.slice(idx));
    if (num) {
      if (match[0] !== "^") c.whichMatch = Number(num[0]);
      idx += num[0].length - 1;
      continue;
    }
    if (/\s/.test(ch)) continue;
    // "g" replaces every match, even of a regex that starts with "^" (only N is ignored there).
    if (ch === "g") c.whichMatch = 0;
    else if (ch === "p") c.subP = true;
    else if (ch === "w") {
      const [n, name] = file_arg(s.slice(idx + 1));
      idx += n;
      c.swFile = yield* open_w(name);
    } else if (ch === "i" || ch === "I") icase = true;
    else if (ch === "#") {
      idx = s.length;
      break;
    } else if (ch === ";" || ch === "}") break;
    else throw new Die("bad option in substitution expression");
  }
  if (match) c.subMatch = compile(sed, match, icase);
  return idx;
}

/** parse_cmd_args: the arguments of c.cmd from s; returns what is left of the line. */
function* parse_args(sed: Sed, c: SedCmd, s: string): UserGen<string> {
  const ch = c.cmd;
  if (ch === "s") return s.slice(yield* parse_subst(sed, c, s));
  if ("aic".includes(ch)) {
    if (ch !== "c" && (c.endLine || c.endMatch)) throw new Die(`command '${ch}' uses only one address`);
    let i = 0;
    for (;;) {
      if (s[i] === "\n" || s[i] === "\\") {
        i++;
        break;
      }
      if (!/\s/.test(s[i] ?? "x")) break;
      i++;
    }
    c.string = parse_escapes(copy_parsing_escapes(s.slice(i)), "", "");
    return "";
  }
  if (ch === "r" || ch === "w") {
    if (ch === "r" && (c.endLine || c.endMatch)) throw new Die(`command '${ch}' uses only one address`);
    const [n, name] = file_arg(s);
    c.string = name;
    if (ch === "w") c.swFile = yield* open_w(name);
    return s.slice(n);
  }
  if (":btT".includes(ch)) {
    const t = s.replace(/^\s+/, "");
    let n = 0;
    while (n < t.length && !WS.includes(t[n])) n++;
    if (n) c.string = t.slice(0, n);
    return t.slice(n);
  }
  if (ch === "y") {
    const d = s[0];
    if (!d) throw new Die("bad format in substitution expression");
    const i1 = next_delim(d, s.slice(1), true);
    const i2 = next_delim(d, s.slice(2 + i1), false);
    const from = parse_escapes(copy_parsing_escapes(s.slice(1, 1 + i1)), d, d);
    const to = parse_escapes(copy_parsing_escapes(s.slice(2 + i1, 2 + i1 + i2)), d, d);
    let map = "";
    for (let i = 0; i < from.length && i < to.length; i++) map += from[i] + to[i];
    c.string = map;
    return s.slice(3 + i1 + i2);
  }
  if (!"dDgGhHlnNpPqx={}".includes(ch)) throw new Die(`unsupported command ${ch}`);
  return s;
}

export function* add_cmd(sed: Sed, line: string): UserGen<void> {
  let s = line;
  if (sed.addCmdLine !== null) {
    s = `${sed.addCmdLine}\n${line}`;
    sed.addCmdLine = null;
  }
  const trailing = /\\*$/.exec(s)![0].length;
  if (trailing & 1) {
    sed.addCmdLine = s.slice(0, -1);
    return;
  }
  while (s) {
    s = s.replace(/^[; \n\r\t\v]+/, "");
    if (!s) break;
    if (s[0] === "#") {
      if (s[1] === "n") sed.quiet++;
      const nl = s.search(/[\n\r]/);
      if (nl < 0) break;
      s = s.slice(nl);
      continue;
    }
    const c: SedCmd = {
      cmd: "",
      begLine: 0,
      begLineOrig: 0,
      endLine: 0,
      endLineOrig: 0,
      begMatch: null,
      endMatch: null,
      subMatch: null,
      string: null,
      whichMatch: 0,
      invert: false,
      inMatch: false,
      subP: false,
      swFile: null,
      swName: null,
    };
    const [n1, l1, r1] = get_address(sed, s);
    s = s.slice(n1);
    c.begLine = c.begLineOrig = l1;
    c.begMatch = r1;
    if (s[0] === ",") {
      s = s.slice(1);
      const plus = /^\+(\d+)/.exec(s);
      if (plus) {
        c.endLine = -2 - Number(plus[1]);
        s = s.slice(plus[0].length);
      } else {
        const [n2, l2, r2] = get_address(sed, s);
        if (n2 === 0) throw new Die("no address after comma");
        s = s.slice(n2);
        c.endLine = l2;
        c.endMatch = r2;
      }
      c.endLineOrig = c.endLine;
    }
    s = s.replace(/^\s+/, "");
    if (s[0] === "!") {
      c.invert = true;
      s = s.slice(1).replace(/^\s+/, "");
    }
    if (!s) throw new Die("missing command");
    c.cmd = s[0];
    s = yield* parse_args(sed, c, s.slice(1));
    sed.cmds.push(c);
  }
}

/**
 * do_subst_command: the pattern space after "s", or null if nothing was
 * replaced. After each match the regex runs again on the rest of the line
 * alone, with REG_NOTBOL: "^" no longer matches, but "\<", "\b" and "\`"
 * see a start there. An empty match right after a non-empty one is not
 * replaced ("cccd" with s/c*\/R/g is "RdR"); after an empty match one
 * character is copied before matching again.
 */
export function do_subst(sed: Sed, c: SedCmd, ps: string): string | null {
  const re = c.subMatch ?? sed.previousRegex;
  if (!re) throw new Die("no previous regexp");
  sed.previousRegex = re;
  let line = ps;
  let m = regexec(re, line, 0);
  if (!m) return null;
  let out = "";
  let count = 0;
  let altered = false;
  let prevEmpty = true;
  let triedEol = false;
  for (; m; m = regexec(re, line, 0, REG_NOTBOL)) {
    const start = m.index;
    let end = start + m[0].length;
    count++;
    if (c.whichMatch && c.whichMatch !== count) {
      // Not the wanted match: keep it (and one more character after an empty one).
      if (start === end && end < line.length) end++;
      out += line.slice(0, end);
      line = line.slice(end);
    } else {
      out += line.slice(0, start);
      if (prevEmpty || start !== 0 || start !== end) {
        out += backrefs(c.string!, m);
        altered = true;
      }
      prevEmpty = start === end;
      if (prevEmpty) {
        if (end === line.length) triedEol = true;
        else out += line[end++];
      }
      line = line.slice(end);
      if (c.whichMatch !== 0) break;
    }
    if (line === "") {
      if (triedEol) break;
      triedEol = true;
    }
  }
  return altered ? out + line : null;
}

/** do_subst_w_backrefs: the replacement with & and \0..\9 filled in; "\x" is x. */
function backrefs(r: string, m: RegExpExecArray): string {
  let s = "";
  for (let i = 0; i < r.length; i++) {
    if (r[i] === "\\") {
      const d = r[++i];
      if (d >= "0" && d <= "9") s += m[Number(d)] ?? "";
      else if (d !== undefined) s += d;
    } else if (r[i] === "&") s += m[0];
    else s += r[i];
  }
  return s;
}
