/*
 * regex.ts - POSIX regular expressions (glibc's regcomp/regexec, as grep
 * and sed use them), translated to JavaScript RegExp.
 *
 * Basic (BRE) and extended (ERE) syntax, with the GNU extensions glibc
 * accepts:
 *
 *   BRE  \( \) groups, \{m,n\} intervals, \1-\9 back references, * (literal
 *        at the start), ^ and $ anchors only at the ends of the expression
 *        or of a group, and \+ \? \| as GNU allows; + ? | ( ) { } literal
 *   ERE  ( ) | + ? {m,n} special; a "{" that starts no interval is literal
 *   both [...] brackets with [:class:], [.x.], [=x=] (bracket.ts, shared
 *        with the shell's patterns); a backslash in a bracket is literal;
 *        "." matches any character (newline too);
 *        \< \> \b \B \w \W \s \S \` \'
 *
 * Simplified: JavaScript picks the leftmost-first alternative where POSIX
 * wants the leftmost-longest match; it only shows with alternations whose
 * branches match different lengths at one place.
 */

import { reEscape as lit, parseBracket } from "./bracket.js";

export interface Regex {
  re: RegExp;
  /** Number of capture groups. */
  ngroups: number;
}

/** regcomp(): a RegExp, or glibc's complaint. */
export function regcomp(p: string, extended: boolean, icase = false): Regex | string {
  let out = "";
  let groups = 0;
  const open: number[] = [];
  /** Can a "*" here only be a literal (start of the expression or of a group/branch)? */
  let atStart: boolean = true;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    const start: boolean = atStart;
    atStart = false;
    if (c === "[") {
      const b = parseBracket(p, i, false);
      if (b === null) return "Unmatched [, [^, [:, [., or [=";
      if (typeof b === "string") return b;
      out += b.re;
      i = b.next;
      continue;
    }
    if (c === "\\") {
      const n = p[i + 1];
      if (n === undefined) return "Trailing backslash";
      i += 2;
      if (!extended && n === "(") {
        out += "(";
        open.push(++groups);
        atStart = true;
      } else if (!extended && n === ")") {
        if (!open.length) return "Unmatched ) or \\)";
        open.pop();
        out += ")";
      } else if (!extended && n === "|") {
        out += "|";
        atStart = true;
      } else if (!extended && (n === "+" || n === "?")) out += start ? `\\${n}` : n;
      else if (!extended && n === "{") {
        const m = /^(\d*)(,(\d*))?\\\}/.exec(p.slice(i));
        if (!m) return p.slice(i).includes("\\}") ? "Invalid content of \\{\\}" : "Unmatched \\{";
        if (m[1] === "" || (m[3] && Number(m[3]) < Number(m[1]))) return "Invalid content of \\{\\}";
        out += `{${m[1]}${m[2] ?? ""}}`;
        i += m[0].length;
      } else if (n >= "1" && n <= "9") {
        if (Number(n) > groups) return "Invalid back reference";
        out += `\\${n}`;
      } else if (n === "<") out += "\\b(?=\\w)";
      else if (n === ">") out += "\\b(?<=\\w)";
      else if (n === "`") out += "^";
      else if (n === "'") out += "$";
      else if ("wWsSbB".includes(n)) out += `\\${n}`;
      else if (n === "n") out += "\\n";
      else if (n === "t") out += "\\t";
      else out += lit(n);
      continue;
    }
    i++;
    if (c === "*") {
      if (start) {
        if (!extended) out += "\\*";
      } else out += "*";
    } else if (c === "^") {
      out += extended || start ? "^" : "\\^";
      atStart = !extended || start;
    } else if (c === "$") {
      const rest = p.slice(i);
      const end = rest === "" || (!extended && (rest.startsWith("\\)") || rest.startsWith("\\|")));
      out += extended || end ? "$" : "\\$";
    } else if (c === ".") out += "[^]";
    else if (extended && c === "(") {
      out += "(";
      open.push(++groups);
      atStart = true;
    } else if (extended && c === ")") {
      if (!open.length) return "Unmatched ) or \\)";
      open.pop();
      out += ")";
    } else if (extended && c === "|") {
      out += "|";
      atStart = true;
    } else if (extended && (c === "+" || c === "?")) out += start ? "" : c;
    else if (extended && c === "{") {
      const m = /^(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (m && !start) {
        if (m[3] && Number(m[3]) < Number(m[1])) return "Invalid content of \\{\\}";
        out += `{${m[0]}`;
        i += m[0].length;
      } else out += "\\{";
    } else out += lit(c);
  }
  if (open.length) return "Unmatched ( or \\(";
  try {
    return { re: new RegExp(out, icase ? "gi" : "g"), ngroups: groups };
  } catch {
    return "Invalid regular expression";
  }
}

/** regexec from `from`: the match, or null. */
export function regexec(r: Regex, s: string, from = 0): RegExpExecArray | null {
  r.re.lastIndex = from;
  return r.re.exec(s);
}
