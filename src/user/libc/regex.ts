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

/** RE_DUP_MAX: the largest count an interval may give. */
const RE_DUP_MAX = 0x7fff;

/**
 * regcomp(): a RegExp, or glibc's complaint. Duplications follow glibc:
 * in an ERE one at the start of the expression, of a group or a branch, or
 * after "^" is an "Invalid preceding regular expression", and stacked ones
 * ("a**", "a+?", "a{1}{2}") apply in turn; in a BRE a "*" there is a
 * literal, and a duplication right after another one is invalid.
 *
 * With gnu (BusyBox grep: re_compile_pattern with RE_SYNTAX_GREP or
 * RE_SYNTAX_POSIX_EGREP) the rules are GNU's: duplications stack in both
 * syntaxes; in an ERE one with nothing before it is dropped and a "{" that
 * starts no well-formed interval is a literal; in a BRE "\\{" with nothing
 * before it is a literal too.
 */
export function regcomp(p: string, extended: boolean, icase = false, gnu = false): Regex | string {
  let out = "";
  let groups = 0;
  /** Open groups: where each one's "(" is in out. */
  const open: number[] = [];
  /** Can a "*" here only be a literal (start of the expression or of a group/branch)? */
  let atStart: boolean = true;
  /** Where the last atom starts in out, and whether a duplication was applied to it. */
  let atom = 0;
  let duplicated = false;
  /** Applies a duplication (JS quantifier q) to the last atom; a string is glibc's complaint. */
  const dup = (q: string, start: boolean): string | null => {
    if (start) return "Invalid preceding regular expression";
    if (duplicated) {
      if (!extended && !gnu) return "Invalid preceding regular expression";
      out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
    }
    out += q;
    duplicated = true;
    return null;
  };
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    const start: boolean = atStart;
    atStart = false;
    const before = out.length;
    let quantifier = false;
    if (c === "[") {
      const b = parseBracket(p, i, false);
      if (b === null) {
        // A "[" (or "[^") with nothing after it is glibc's REG_BADPAT.
        const rest = p.slice(i + 1);
        return rest === "" || rest === "^" ? "Invalid regular expression" : "Unmatched [, [^, [:, [., or [=";
      }
      if (typeof b === "string") return b;
      out += b.re;
      i = b.next;
    } else if (c === "\\") {
      const n = p[i + 1];
      if (n === undefined) return "Trailing backslash";
      i += 2;
      if (!extended && n === "(") {
        open.push(out.length);
        groups++;
        out += "(";
        atStart = true;
      } else if (!extended && n === ")") {
        if (!open.length) return "Unmatched ) or \\)";
        out += ")";
        atom = open.pop()!;
        duplicated = false;
        continue;
      } else if (!extended && n === "|") {
        out += "|";
        atStart = true;
      } else if (!extended && (n === "+" || n === "?")) {
        if (start) out += `\\${n}`;
        else {
          const e = dup(n, false);
          if (e) return e;
          quantifier = true;
        }
      } else if (!extended && n === "{" && start && gnu) {
        out += "\\{";
        atStart = true;
      } else if (!extended && n === "{") {
        const m = /^(\d*)(,(\d*))?\\\}/.exec(p.slice(i));
        if (!m) return p.slice(i).includes("\\}") ? "Invalid content of \\{\\}" : "Unmatched \\{";
        const e = interval(m) ?? dup(`{${m[1] || "0"}${m[2] ?? ""}}`, start);
        if (e) return e;
        i += m[0].length;
        quantifier = true;
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
    } else {
      i++;
      if (c === "*") {
        if (start && !extended) out += "\\*";
        else if (start && gnu) atStart = true;
        else {
          const e = dup("*", start);
          if (e) return e;
          quantifier = true;
        }
      } else if (c === "^") {
        out += extended || start ? "^" : "\\^";
        atStart = extended || start;
      } else if (c === "$") {
        const rest = p.slice(i);
        const end = rest === "" || (!extended && (rest.startsWith("\\)") || rest.startsWith("\\|")));
        out += extended || end ? "$" : "\\$";
      } else if (c === ".") out += "[^]";
      else if (extended && c === "(") {
        open.push(out.length);
        groups++;
        out += "(";
        atStart = true;
      } else if (extended && c === ")") {
        if (!open.length) return "Unmatched ) or \\)";
        out += ")";
        atom = open.pop()!;
        duplicated = false;
        continue;
      } else if (extended && c === "|") {
        out += "|";
        atStart = true;
      } else if (extended && (c === "+" || c === "?") && start && gnu) atStart = true;
      else if (extended && (c === "+" || c === "?")) {
        const e = dup(c, start);
        if (e) return e;
        quantifier = true;
      } else if (extended && c === "{" && start && gnu) atStart = true;
      else if (extended && c === "{" && gnu && !/^(\d*)(,(\d*))?\}/.test(p.slice(i))) out += "\\{";
      else if (extended && c === "{") {
        if (start) return "Invalid preceding regular expression";
        const m = /^(\d*)(,(\d*))?\}/.exec(p.slice(i));
        if (!m) return p.slice(i).includes("}") ? "Invalid content of \\{\\}" : "Unmatched \\{";
        const e = interval(m) ?? dup(`{${m[1] || "0"}${m[2] ?? ""}}`, false);
        if (e) return e;
        i += m[0].length;
        quantifier = true;
      } else out += lit(c);
    }
    if (!quantifier && out.length !== before) {
      // A new atom (or an anchor, a "|", a "("): what a duplication would apply to next.
      atom = before;
      duplicated = false;
    }
  }
  if (open.length) return "Unmatched ( or \\(";
  try {
    return { re: new RegExp(out, icase ? "gi" : "g"), ngroups: groups };
  } catch {
    return "Invalid regular expression";
  }
}

/** An interval's counts: "{,n}" is from 0, "{}" is invalid, a count above RE_DUP_MAX too big. */
function interval(m: RegExpExecArray): string | null {
  if (m[1] === "" && m[2] === undefined) return "Invalid content of \\{\\}";
  const lo = Number(m[1] || "0");
  const hi = m[3] ? Number(m[3]) : lo;
  if (lo > RE_DUP_MAX || hi > RE_DUP_MAX) return "Regular expression too big";
  if (m[3] && hi < lo) return "Invalid content of \\{\\}";
  return null;
}

/** regexec from `from`: the match, or null. */
export function regexec(r: Regex, s: string, from = 0): RegExpExecArray | null {
  r.re.lastIndex = from;
  return r.re.exec(s);
}
