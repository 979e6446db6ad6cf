/*
 * expand.ts - word expansion (BusyBox shell/ash.c: expandarg, argstr,
 * evalvar, subevalvar, expbackq, expari, ifsbreakup, expandmeta).
 *
 * A word becomes fields in the POSIX order:
 *   1. tilde, parameter, command and arithmetic expansion, left to right;
 *   2. field splitting of the unquoted results of step 1 on $IFS;
 *   3. pathname expansion of fields with unquoted * ? [ (unless set -f);
 *   4. quote removal (implicit: quotes never reach the output).
 *
 * While step 1 runs, each field is a list of segments, each remembering
 * whether its text was quoted. Splitting only cuts unquoted expansion
 * results; a pattern is built by escaping quoted characters with a
 * backslash, so quoted "*" stays literal.
 *
 * IFS splitting: IFS white space (space, tab, newline) separates fields and
 * is dropped at both ends; every other IFS character ends exactly one field,
 * so "a::b" with IFS=: gives "a", "", "b".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { ArithError, arith_eval } from "./arith.js";
import type { Part, Word } from "./ast.js";
import { evalBackcmd } from "./eval.js";
import { glob, hasMeta, pmatch } from "./glob.js";
import { getpwnam_dir } from "./passwd.js";
import { type Shell, sh_error } from "./shell.js";
import { ReadonlyError } from "./vars.js";

interface Seg {
  s: string;
  q: boolean;
}

const DEFAULT_IFS = " \t\n";

class Fields {
  out: Seg[][] = [];
  cur: Seg[] = [];
  /** The current field exists (has text, or a quoted empty string). */
  has = false;
  constructor(
    readonly split: boolean,
    readonly ifs: string,
  ) {}

  add(s: string, q: boolean): void {
    this.boundary = false;
    if (s) {
      this.cur.push({ s, q });
      this.has = true;
    } else if (q) this.has = true;
  }

  end(): void {
    this.out.push(this.cur);
    this.cur = [];
    this.has = false;
  }

  /**
   * Between the words of unquoted $@ and $*: the boundary acts as IFS white
   * space, so it ends a begun field and swallows one IFS character that
   * starts the next word (set -- 10 foo; IFS=foo; $@ gives 10, "", "").
   */
  breakField(): void {
    if (this.has) this.end();
    this.boundary = true;
  }

  /** A word boundary of $@ was just crossed (see breakField). */
  boundary = false;

  /** Adds the unquoted result of an expansion, split on IFS. */
  addSplit(s: string): void {
    const ifs = this.ifs;
    if (!this.split || ifs === "") {
      this.add(s, false);
      return;
    }
    const isWs = (c: string): boolean => (c === " " || c === "\t" || c === "\n") && ifs.includes(c);
    let i = 0;
    if (this.boundary) {
      this.boundary = false;
      while (i < s.length && isWs(s[i])) i++;
      if (i < s.length && ifs.includes(s[i])) {
        i++;
        while (i < s.length && isWs(s[i])) i++;
      }
    }
    let text = "";
    while (i < s.length) {
      const c = s[i];
      if (!ifs.includes(c)) {
        text += c;
        i++;
        continue;
      }
      if (text) {
        this.add(text, false);
        text = "";
      }
      let j = i;
      while (j < s.length && isWs(s[j])) j++;
      let nws = false;
      if (j < s.length && ifs.includes(s[j]) && !isWs(s[j])) {
        nws = true;
        j++;
        while (j < s.length && isWs(s[j])) j++;
      }
      if (nws || this.has) this.end();
      i = j;
    }
    if (text) this.add(text, false);
  }

  finish(): Seg[][] {
    if (this.has) this.end();
    return this.out;
  }
}

function ifsOf(sh: Shell): string {
  const v = sh.vars.get("IFS");
  return v === null ? DEFAULT_IFS : v;
}

/** Escapes pattern characters of quoted text. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}

/** The value of a parameter; null when unset. */
export function lookupParam(sh: Shell, name: string): string | null {
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(name);
    if (n === 0) return sh.arg0;
    return sh.params[n - 1] ?? null;
  }
  switch (name) {
    case "#":
      return String(sh.params.length);
    case "?":
      return String(sh.status);
    case "$":
      return String(sh.rootpid);
    case "!":
      return sh.bgpid ? String(sh.bgpid) : "";
    case "-":
      return sh.optionLetters();
    case "@":
    case "*":
      return sh.params.length ? sh.params.join(" ") : null;
    case "LINENO":
      return String(sh.lineno);
  }
  return sh.vars.get(name);
}

/** Assignment from ${x=...} and arithmetic: a readonly variable is an error. */
export function* assignVar(sh: Shell, name: string, value: string): UserGen<void> {
  try {
    sh.vars.set(name, value, sh.opts.a ? { export: true } : {});
  } catch (e) {
    if (e instanceof ReadonlyError) yield* sh_error(sh, `${name}: is read only`);
    throw e;
  }
}

function* arith(sh: Shell, text: string): UserGen<bigint> {
  const pendingSets: [string, string][] = [];
  let r: bigint;
  try {
    r = arith_eval(text, {
      get: (n) => {
        for (let i = pendingSets.length - 1; i >= 0; i--)
          if (pendingSets[i][0] === n) return pendingSets[i][1];
        return sh.vars.get(n);
      },
      set: (n, v) => {
        if (sh.vars.map.get(n)?.readonly) throw new ReadonlyError(n);
        pendingSets.push([n, v]);
        sh.vars.set(n, v, sh.opts.a ? { export: true } : {});
      },
    });
  } catch (e) {
    if (e instanceof ArithError) return yield* sh_error(sh, e.msg);
    if (e instanceof ReadonlyError) return yield* sh_error(sh, `${e.name}: is read only`);
    throw e;
  }
  return r;
}

/**
 * Expands parts into f. splitLit: unquoted literal text is field-split too,
 * as in the word of ${x-word} and ${x+word}, which ash splits like the
 * expansion it stands for.
 */
function* expandParts(sh: Shell, parts: Part[], quoted: boolean, f: Fields, splitLit = false): UserGen<void> {
  for (const p of parts) {
    switch (p.t) {
      case "lit":
        if (splitLit && !quoted) f.addSplit(p.s);
        else f.add(p.s, quoted);
        break;
      case "sq":
        f.add(p.s, true);
        break;
      case "dq":
        // "$@" with no parameters makes no field at all
        if (
          !(
            p.parts.length === 1 &&
            p.parts[0].t === "param" &&
            p.parts[0].name === "@" &&
            p.parts[0].op === ""
          )
        )
          f.has = true;
        yield* expandParts(sh, p.parts, true, f);
        break;
      case "tilde": {
        const home = p.user === "" ? sh.vars.get("HOME") : yield* getpwnam_dir(p.user);
        if (home === null) f.add(`~${p.user}`, quoted);
        else f.add(home, true);
        break;
      }
      case "param":
        yield* expandParam(sh, p, quoted, f);
        break;
      case "cmdsub": {
        const out = yield* evalBackcmd(sh, p.body);
        addValue(f, out.replace(/\n+$/, ""), quoted);
        break;
      }
      case "arith": {
        const text = yield* expandString(sh, p.expr, true);
        addValue(f, String(yield* arith(sh, text)), quoted);
        break;
      }
    }
  }
}

function addValue(f: Fields, v: string, quoted: boolean): void {
  if (quoted) f.add(v, true);
  else f.addSplit(v);
}

type ParamPart = Extract<Part, { t: "param" }>;

function* expandParam(sh: Shell, p: ParamPart, quoted: boolean, f: Fields): UserGen<void> {
  // ash's evalvar meets the malformed ${...} parsesub let through.
  if (p.op === "bad") {
    // raise_error_syntax: the line is where the parser is, not the command's
    if (sh.parseLineno) sh.lineno = sh.parseLineno;
    yield* sh_error(sh, "syntax error: bad substitution");
  }
  const name = p.name;
  const isList = name === "@" || name === "*";
  let v = lookupParam(sh, name);
  const isSet = v !== null;
  const nonEmpty = isSet && v !== "";
  const useArg = p.colon ? !nonEmpty : !isSet;
  switch (p.op) {
    case "-":
      if (useArg) {
        if (p.arg) yield* expandParts(sh, p.arg.parts, quoted, f, true);
        return;
      }
      break;
    case "+":
      if (!useArg && p.arg) yield* expandParts(sh, p.arg.parts, quoted, f, true);
      return;
    case "=":
      if (useArg) {
        const nv = p.arg ? yield* expandString(sh, p.arg, false) : "";
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) yield* sh_error(sh, `${name}: bad variable name`);
        yield* assignVar(sh, name, nv);
        v = nv;
      }
      break;
    case "?":
      if (useArg) {
        const msg = p.arg?.parts.length ? yield* expandString(sh, p.arg, false) : "";
        yield* sh_error(
          sh,
          `${name}: ${msg || (p.colon ? "parameter not set or null" : "parameter not set")}`,
        );
      }
      break;
    case "#len":
      if (isList) v = String(sh.params.join(" ").length);
      else {
        if (v === null && sh.opts.u) yield* sh_error(sh, `${name}: parameter not set`);
        // ash counts bytes (Debian's BusyBox has no Unicode support)
        v = String(new TextEncoder().encode(v ?? "").length);
      }
      addValue(f, v, quoted);
      return;
    case "%":
    case "%%":
    case "#":
    case "##": {
      if (v === null && sh.opts.u) yield* sh_error(sh, `${name}: parameter not set`);
      const pat = p.arg ? yield* expandPattern(sh, p.arg) : "";
      addValue(f, trimPattern(v ?? "", pat, p.op), quoted);
      return;
    }
    case ":": {
      // an unset variable gives nothing, without evaluating the offsets
      if (v === null) {
        addValue(f, "", quoted);
        return;
      }
      const s = v;
      const off = Number(yield* arith(sh, p.arg ? yield* expandString(sh, p.arg, true) : "0"));
      let start = off < 0 ? Math.max(0, s.length + off) : Math.min(off, s.length);
      if (off < 0 && s.length + off < 0) start = s.length;
      let out = s.slice(start);
      if (p.arg2) {
        const len = Number(yield* arith(sh, yield* expandString(sh, p.arg2, true)));
        out = len < 0 ? s.slice(start, Math.max(start, s.length + len)) : out.slice(0, len);
      }
      addValue(f, out, quoted);
      return;
    }
    case "/":
    case "//": {
      const pat = p.arg ? yield* expandPattern(sh, p.arg) : "";
      const rep = p.arg2 ? yield* expandString(sh, p.arg2, false) : "";
      addValue(f, replacePattern(v ?? "", pat, rep, p.op === "//"), quoted);
      return;
    }
  }
  if (v === null && sh.opts.u && !isList) yield* sh_error(sh, `${name}: parameter not set`);
  if (isList) {
    const list = sh.params;
    if (quoted && name === "@" && f.split) {
      list.forEach((x, i) => {
        if (i > 0) f.end();
        f.add(x, true);
      });
      return;
    }
    if (quoted) {
      const ifs = ifsOf(sh);
      f.add(list.join(name === "*" ? ifs.slice(0, 1) : " "), true);
      return;
    }
    if (!f.split) {
      f.add(list.join(" "), false);
      return;
    }
    list.forEach((x, i) => {
      if (i > 0) f.breakField();
      f.addSplit(x);
    });
    return;
  }
  addValue(f, v ?? "", quoted);
}

/** ${v%pat} ${v%%pat} ${v#pat} ${v##pat} */
function trimPattern(v: string, pat: string, op: string): string {
  const n = v.length;
  switch (op) {
    case "#":
      for (let i = 0; i <= n; i++) if (pmatch(pat, v.slice(0, i))) return v.slice(i);
      break;
    case "##":
      for (let i = n; i >= 0; i--) if (pmatch(pat, v.slice(0, i))) return v.slice(i);
      break;
    case "%":
      for (let i = n; i >= 0; i--) if (pmatch(pat, v.slice(i))) return v.slice(0, i);
      break;
    case "%%":
      for (let i = 0; i <= n; i++) if (pmatch(pat, v.slice(i))) return v.slice(0, i);
      break;
  }
  return v;
}

/** ${v/pat/rep} and ${v//pat/rep}: the longest match at the leftmost place (1.35 has no # % anchors). */
function replacePattern(v: string, pat: string, rep: string, all: boolean): string {
  if (pat === "") return v;
  if (v === "") return pmatch(pat, "") ? rep : v;
  let out = "";
  let i = 0;
  while (i < v.length) {
    let m = -1;
    for (let j = v.length; j > i; j--)
      if (pmatch(pat, v.slice(i, j))) {
        m = j;
        break;
      }
    if (m < 0) {
      out += v[i];
      i++;
      continue;
    }
    out += rep;
    i = m;
    if (!all) return out + v.slice(i);
  }
  return out;
}

/** Expands a word to one string: no field splitting, no pathname expansion. */
export function* expandString(sh: Shell, w: Word, quoted = false): UserGen<string> {
  if (w.parts.length === 1 && (w.parts[0].t === "lit" || w.parts[0].t === "sq")) return w.parts[0].s;
  const f = new Fields(false, ifsOf(sh));
  yield* expandParts(sh, w.parts, quoted, f);
  return f
    .finish()
    .map((segs) => segs.map((g) => g.s).join(""))
    .join(" ");
}

/** Expands a word into a pattern (case, ${x#pat}): quoted characters are escaped. */
export function* expandPattern(sh: Shell, w: Word): UserGen<string> {
  const f = new Fields(false, ifsOf(sh));
  yield* expandParts(sh, w.parts, false, f);
  return f
    .finish()
    .map((segs) => segs.map((g) => (g.q ? escapeGlob(g.s) : g.s)).join(""))
    .join(" ");
}

/** expandarg with full expansion: the fields of a list of words. */
export function* expandArgs(sh: Shell, words: Word[]): UserGen<string[]> {
  const out: string[] = [];
  for (const word of words) {
    // A tilde after = or : expands only in an assignment (and in export/local/readonly
    // arguments, see command.ts); as a command's argument `x=~` stays as it is.
    const w = word.parts.some((p, i) => i > 0 && p.t === "tilde")
      ? {
          parts: word.parts.map(
            (p, i): Part => (i > 0 && p.t === "tilde" ? { t: "lit", s: `~${p.user}` } : p),
          ),
        }
      : word;
    if (w.parts.length === 1) {
      const p = w.parts[0];
      if (p.t === "sq" || (p.t === "lit" && !/[*?[]/.test(p.s))) {
        out.push(p.s);
        continue;
      }
    }
    const f = new Fields(true, ifsOf(sh));
    yield* expandParts(sh, w.parts, false, f);
    for (const segs of f.finish()) {
      const text = segs.map((g) => g.s).join("");
      if (!sh.opts.f && segs.some((g) => !g.q && /[*?[]/.test(g.s))) {
        const pat = segs.map((g) => (g.q ? escapeGlob(g.s) : g.s)).join("");
        if (hasMeta(pat)) {
          const found = yield* glob(pat);
          if (found.length) {
            out.push(...found);
            continue;
          }
        }
      }
      out.push(text);
    }
  }
  return out;
}

export { arith as arithExpand };
