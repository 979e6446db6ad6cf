/*
 * fnmatch.ts - glibc's fnmatch() for applets (find -name/-path): a shell
 * pattern matched against a whole string. "*" and "?" match any character,
 * "/" and a leading "." included (no FNM_PATHNAME, no FNM_PERIOD, as find
 * calls it), a backslash quotes the next character, and a "[" that no "]"
 * closes is an ordinary character. FNM_CASEFOLD folds case. Bracket
 * expressions are libc/bracket.ts's, shared with the shell's patterns
 * (src/user/sh/glob.ts, which compiles its own the same way).
 */

import { parseBracket, reEscape } from "./bracket.js";

/** Ignore case (FNM_CASEFOLD). */
export const FNM_CASEFOLD = 1 << 4;

const cache = new Map<string, RegExp>();

/** The body of a RegExp for a pattern. */
function translate(pat: string): string {
  let re = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === "\\" && i + 1 < pat.length) re += reEscape(pat[++i]);
    else if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const b = parseBracket(pat, i, true);
      if (b === null || typeof b === "string") re += "\\[";
      else {
        re += b.re;
        i = b.next - 1;
      }
    } else re += reEscape(c);
  }
  return re;
}

/** fnmatch(pattern, string, flags) == 0: does the whole string match? */
export function fnmatch(pat: string, s: string, flags = 0): boolean {
  const key = `${flags}:${pat}`;
  let re = cache.get(key);
  if (!re) {
    try {
      re = new RegExp(`^${translate(pat)}$`, flags & FNM_CASEFOLD ? "i" : "");
    } catch {
      // a bracket expression JavaScript cannot take matches nothing, never crashes the caller
      re = /(?!)/;
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  return re.test(s);
}
