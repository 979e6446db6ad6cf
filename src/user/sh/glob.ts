/*
 * glob.ts - shell patterns (BusyBox shell/ash.c: pmatch for case and
 * ${x#pat}, expandmeta/expmeta for pathname expansion).
 *
 * A pattern is text where * ? and [...] are special and a backslash quotes
 * the next character (expansion marks quoted characters that way). It is
 * compiled once to a RegExp and cached. Pathname expansion walks the
 * pattern one component at a time, listing directories with getdents; a
 * leading dot must be matched explicitly; the matches are sorted. Bracket
 * expressions are libc/bracket.ts's, shared with the regular expressions.
 */

import { O_DIRECTORY, O_RDONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { parseBracket } from "../libc/bracket.js";
import { fnmatch } from "../libc/fnmatch.js";
import { close, getdents, lstat, open } from "../libc/sys.js";

/** Matches a whole string against a pattern (fnmatch without flags, as ash's pmatch). */
export function pmatch(pat: string, s: string): boolean {
  return fnmatch(pat, s);
}

/** Does a pattern have an unquoted * ? or [ ? */
export function hasMeta(pat: string): boolean {
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[" && parseBracket(pat, i, true) !== null) return true;
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
