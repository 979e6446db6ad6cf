/*
 * bracket.ts - bracket expressions, [...], as POSIX regular expressions
 * (glibc's regcomp, for grep and sed) and shell patterns (glibc's fnmatch,
 * for ash's case, ${x#pat} and pathname expansion) write them, turned into
 * a JavaScript character class. One parser serves both; they differ in:
 *
 *                   regular expression          shell pattern
 *   negation        [^...]                      [!...] or [^...]
 *   backslash       stands for itself           quotes the next character
 *   [:bogus:]       "Invalid character class    the bracket matches nothing
 *                   name" (regcomp fails)       (fnmatch: FNM_NOMATCH)
 *   [z-a]           "Invalid range end"         the range adds nothing
 *   no closing ]    "Unmatched [, [^, ..."      the [ is an ordinary character
 *
 * Both: a "]" first (after the negation) is a member, so is a "-" first or
 * last; [:class:] is one of the C locale's classes; [.x.] and [=x=] stand
 * for x (the C locale has no multi-character collating elements or
 * equivalence classes beyond the character itself).
 */

/** The C locale's character classes as JavaScript class members. */
export const CHAR_CLASSES: Readonly<Record<string, string>> = {
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

/** A character for a JavaScript RegExp, inside a class or out of one: escaped if special. */
export function reEscape(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** A parsed bracket expression: its JavaScript class and the index just past its "]". */
export interface Bracket {
  re: string;
  next: number;
}

/**
 * Parses the bracket expression that starts at p[i] ("["), as a shell
 * pattern or as a regular expression. Null when no "]" closes it; a string
 * is regcomp's complaint (regular expressions only).
 */
export function parseBracket(p: string, i: number, shell: boolean): Bracket | string | null {
  let j = i + 1;
  let neg = false;
  if (p[j] === "^" || (shell && p[j] === "!")) {
    neg = true;
    j++;
  }
  let body = "";
  // A shell pattern's bracket with an unknown class matches nothing at all.
  let nothing = false;
  for (let first = true; ; first = false) {
    if (j >= p.length) return null;
    let c = p[j];
    if (c === "]" && !first) break;
    const kind = p[j + 1];
    if (c === "[" && (kind === ":" || kind === "." || kind === "=")) {
      const end = p.indexOf(`${kind}]`, j + 2);
      if (end >= 0) {
        const name = p.slice(j + 2, end);
        if (kind !== ":") body += [...name].map(reEscape).join("");
        else if (name in CHAR_CLASSES) body += CHAR_CLASSES[name];
        else if (shell) nothing = true;
        else return "Invalid character class name";
        j = end + 2;
        continue;
      }
      // Unclosed: an error for regcomp; in a shell pattern the "[" is a member.
      if (!shell) return null;
    }
    if (shell && c === "\\" && j + 1 < p.length) c = p[++j];
    // A range lo-hi, unless the "-" is the last member.
    if (p[j + 1] === "-" && p[j + 2] !== undefined && p[j + 2] !== "]") {
      let k = j + 2;
      let hi = p[k];
      if (shell && hi === "\\" && k + 1 < p.length) hi = p[++k];
      if (hi >= c) body += `${reEscape(c)}-${reEscape(hi)}`;
      else if (!shell) return "Invalid range end";
      j = k + 1;
      continue;
    }
    body += reEscape(c);
    j++;
  }
  return { re: nothing ? "(?!)" : `[${neg ? "^" : ""}${body}]`, next: j + 1 };
}
