/*
 * glob.ts - shell patterns (BusyBox shell/ash.c: pmatch for case and
 * ${x#pat}, expandmeta/expmeta for pathname expansion).
 *
 * A pattern is text where * ? and [...] are special and a backslash quotes
 * the next character (expansion marks quoted characters that way). It is
 * compiled once to a RegExp and cached. Pathname expansion walks the
 * pattern one component at a time, listing directories with getdents; a
 * leading dot must be matched explicitly; the matches are sorted.
 */

import { O_DIRECTORY, O_RDONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close, getdents, lstat, open } from "../libc/sys.js";

const cache = new Map<string, RegExp>();

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

function reEscape(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** The body of a RegExp for a pattern; anchored by the caller. */
function translate(pat: string): string {
  let re = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === "\\" && i + 1 < pat.length) re += reEscape(pat[++i]);
    else if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = bracketEnd(pat, i);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let j = i + 1;
      let neg = false;
      if (pat[j] === "!" || pat[j] === "^") {
        neg = true;
        j++;
      }
      let set = "";
      for (let first = true; j < end; first = false) {
        if (pat[j] === "[" && pat[j + 1] === ":") {
          const k = pat.indexOf(":]", j + 2);
          if (k > 0 && k < end) {
            set += CLASSES[pat.slice(j + 2, k)] ?? "";
            j = k + 2;
            continue;
          }
        }
        if (pat[j] === "\\" && j + 1 < end) j++;
        const ch = pat[j];
        if (pat[j + 1] === "-" && j + 2 < end) {
          // a range a-z; one out of order ([z-a]) matches nothing, as in fnmatch
          let hi = pat[j + 2];
          let skip = 3;
          if (hi === "\\" && j + 3 < end && !first) {
            hi = pat[j + 3];
            skip = 4;
          }
          if (ch <= hi) set += `${reEscape(ch)}-${reEscape(hi)}`;
          j += skip;
          continue;
        }
        set += reEscape(ch);
        j++;
      }
      re += set ? `[${neg ? "^" : ""}${set}]` : neg ? "[\\s\\S]" : "(?!)";
      i = end;
    } else re += reEscape(c);
  }
  return re;
}

/** Index of the ] closing the bracket expression at i, or -1. */
function bracketEnd(pat: string, i: number): number {
  let j = i + 1;
  if (pat[j] === "!" || pat[j] === "^") j++;
  if (pat[j] === "]") j++;
  for (; j < pat.length; j++) {
    if (pat[j] === "\\") j++;
    else if (pat[j] === "[" && pat[j + 1] === ":") {
      const k = pat.indexOf(":]", j + 2);
      if (k > 0) j = k + 1;
    } else if (pat[j] === "]") return j;
  }
  return -1;
}

/** Matches a whole string against a pattern (fnmatch without flags). */
export function pmatch(pat: string, s: string): boolean {
  let re = cache.get(pat);
  if (!re) {
    try {
      re = new RegExp(`^${translate(pat)}$`);
    } catch {
      // a bracket expression JavaScript cannot take matches nothing, never crashes the shell
      re = /(?!)/;
    }
    if (cache.size > 500) cache.clear();
    cache.set(pat, re);
  }
  return re.test(s);
}

/** Does a pattern have an unquoted * ? or [ ? */
export function hasMeta(pat: string): boolean {
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[" && bracketEnd(pat, i) > 0) return true;
  }
  return false;
}

/** Removes the backslashes that quote characters in a pattern. */
export function unquote(pat: string): string {
  return pat.replace(/\\([\s\S])/g, "$1");
}

function* listDir(dir: string): UserGen<string[] | null> {
  const fd = yield* open(dir || ".", O_RDONLY | O_DIRECTORY);
  if (fd < 0) return null;
  const names: string[] = [];
  for (;;) {
    const ents = yield* getdents(fd);
    if (typeof ents === "number" || ents.length === 0) break;
    for (const e of ents) names.push(e.d_name);
  }
  yield* close(fd);
  return names;
}

/**
 * expmeta: the paths matching a pattern, sorted; an empty list when none
 * match (the caller then keeps the word as it is).
 */
export function* glob(pat: string): UserGen<string[]> {
  const abs = pat.startsWith("/");
  const comps = pat.split("/").filter((c, i) => c !== "" || i === 0);
  if (abs) comps.shift();
  let bases: string[] = [abs ? "/" : ""];
  for (let ci = 0; ci < comps.length; ci++) {
    const comp = comps[ci];
    const last = ci === comps.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      const join = (n: string): string => (base === "" ? n : base.endsWith("/") ? base + n : `${base}/${n}`);
      if (!hasMeta(comp)) {
        const p = join(unquote(comp));
        if (last) {
          if (typeof (yield* lstat(p)) !== "number") next.push(p);
        } else next.push(p);
        continue;
      }
      const names = yield* listDir(base);
      if (!names) continue;
      const dot = comp.startsWith(".") || comp.startsWith("\\.");
      const matched = names
        .filter((n) => (dot || !n.startsWith(".")) && pmatch(comp, n))
        .filter((n) => !((n === "." || n === "..") && !dot));
      matched.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const n of matched) next.push(join(n));
    }
    bases = next;
    if (bases.length === 0) return [];
  }
  if (pat.endsWith("/")) {
    const dirs: string[] = [];
    for (const b of bases) {
      const st = yield* lstat(`${b}/.`);
      if (typeof st !== "number") dirs.push(`${b}/`);
    }
    return dirs;
  }
  return bases;
}
