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
 *   ERE  ( ) | + ? {m,n} special; a "{" that starts no interval is literal,
 *        so is a ")" that closes no group (RE_UNMATCHED_RIGHT_PAREN_ORD)
 *   both [...] brackets with [:class:], [.x.], [=x=] (bracket.ts, shared
 *        with the shell's patterns); a backslash in a bracket is literal;
 *        "." matches any character (newline too);
 *        \< \> \b \B \w \W \s \S \` \'
 *
 * Matches are leftmost-longest, as POSIX wants: JavaScript finds where the
 * leftmost match starts and takes the first way of matching there (its
 * alternatives in order, its quantifiers greedy); when the pattern has an
 * alternation or a repeated group - where that first way may be shorter -
 * regexec() then looks for the longest one from that start (longest_end).
 * The groups are those of the first way JavaScript finds to that end.
 *
 * regexec()'s REG_NOTBOL: the string does not start a line, "^" cannot
 * match at its start (sed's "s///g" matches the rest of the line after
 * each match this way, so "\<" and "\`" see a start there, as in glibc).
 *
 * Simplified: group contents follow JavaScript's order, not POSIX's
 * subexpression rules.
 */

import { reEscape as lit, parseBracket } from "./bracket.js";

export interface Regex {
  re: RegExp;
  /** Number of capture groups. */
  ngroups: number;
  /** The JavaScript source, BOL where "^" anchors. */
  src: string;
  /** Can the first match JavaScript finds at a place be shorter than the longest? */
  longest: boolean;
  /** re with "^" never matching (REG_NOTBOL), made on first use. */
  notbol?: RegExp;
}

/**
 * REG_ICASE folds ASCII letters only (the C locale), but JavaScript's "i"
 * also folds bytes 0x80-0xff that are Latin-1 letters (\xe9 and \xc9): with
 * it, those bytes of the pattern and of the string become HIGH_BYTES + byte,
 * private-use characters that have no case, while they are matched.
 */
const HIGH_BYTES = 0xe100;
const caseless = (s: string): string =>
  s.replace(/[\x80-\xff]/g, (c) => String.fromCharCode(HIGH_BYTES + c.charCodeAt(0)));
const cased = (s: string): string =>
  s.replace(/[\ue180-\ue1ff]/g, (c) => String.fromCharCode(c.charCodeAt(0) - HIGH_BYTES));

/** regexec()'s flags. */
export const REG_NOTBOL = 1;

/** Stands for a "^" anchor in Regex.src (a private-use character: patterns are bytes). */
const BOL = "\uE000";

/** RE_DUP_MAX: the largest count an interval may give. */
const RE_DUP_MAX = 0x7fff;

/**
 * regcomp(): a RegExp, or glibc's complaint. Duplications follow glibc:
 * in an ERE one at the start of the expression, of a group or a branch, or
 * after an anchor ("^", "$", "\\<", "\\b", ...: glibc's ANCHOR tokens take
 * no duplication) is an "Invalid preceding regular expression", and stacked
 * ones ("a**", "a+?", "a{1}{2}") apply in turn; in a BRE a "*", "\\+" or "\\?"
 * there is a literal and a "\\{" invalid, and after another duplication a
 * "*" or "\\{" is invalid (RE_CONTEXT_INVALID_DUP) while "\\+" and "\\?" stack.
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
  /** Open groups: where each one's "(" is in out, and its number. */
  const open: number[] = [];
  const opened: number[] = [];
  /** The groups closed so far: only they can be referred back to. */
  const completed = new Set<number>();
  /** Can a "*" here only be a literal (start of the expression or of a group/branch)? */
  let atStart: boolean = true;
  /** Was the last token an anchor (nothing a duplication could apply to either)? */
  let anchored = false;
  /** Where the last atom starts in out, and whether a duplication was applied to it. */
  let atom = 0;
  let duplicated = false;
  /** An alternation or a repeated group: see regexec(). */
  let longest = false;
  /** Applies a duplication (JS quantifier q) to the last atom; a string is glibc's complaint. */
  const dup = (q: string, start: boolean): string | null => {
    if (start) return "Invalid preceding regular expression";
    if (duplicated) {
      if (!extended && !gnu && (q === "*" || q[0] === "{")) return "Invalid preceding regular expression";
      out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
    }
    out += q;
    duplicated = true;
    if (out[atom] === "(") longest = true;
    return null;
  };
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    const start: boolean = atStart;
    atStart = false;
    const noAtom = start || anchored;
    anchored = false;
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
        opened.push(++groups);
        out += "(";
        atStart = true;
      } else if (!extended && n === ")") {
        // regcomp() reports REG_ERPAREN as REG_EPAREN (POSIX has only the one).
        if (!open.length) return gnu ? "Unmatched ) or \\)" : "Unmatched ( or \\(";
        out += ")";
        atom = open.pop()!;
        completed.add(opened.pop()!);
        duplicated = false;
        continue;
      } else if (!extended && n === "|") {
        out += "|";
        longest = true;
        atStart = true;
      } else if (!extended && (n === "+" || n === "?")) {
        if (noAtom) out += `\\${n}`;
        else {
          const e = dup(n, false);
          if (e) return e;
          quantifier = true;
        }
      } else if (!extended && n === "{" && noAtom && gnu) {
        out += "\\{";
        atStart = start;
      } else if (!extended && n === "{") {
        // With nothing to repeat, or right after a duplication, "\{" is refused before its counts are read.
        if (!gnu && (noAtom || duplicated)) return "Invalid preceding regular expression";
        const m = /^(\d*)(,(\d*))?\\\}/.exec(p.slice(i));
        if (!m) return p.slice(i).includes("\\}") ? "Invalid content of \\{\\}" : "Unmatched \\{";
        const e = interval(m) ?? dup(`{${m[1] || "0"}${m[2] ?? ""}}`, noAtom);
        if (e) return e;
        i += m[0].length;
        quantifier = true;
      } else if (n >= "1" && n <= "9") {
        if (!completed.has(Number(n))) return "Invalid back reference";
        out += `\\${n}`;
      } else if ("<>`'bB".includes(n)) {
        out += { "<": "\\b(?=\\w)", ">": "\\b(?<=\\w)", "`": "^", "'": "$", b: "\\b", B: "\\B" }[n];
        anchored = true;
      } else if ("wWsS".includes(n)) out += `\\${n}`;
      else if (n === "n") out += "\\n";
      else if (n === "t") out += "\\t";
      else out += lit(n);
    } else {
      i++;
      if (c === "*") {
        if (noAtom && !extended) out += "\\*";
        else if (noAtom && gnu) {
          atStart = start;
          anchored = !start;
        } else {
          const e = dup("*", noAtom);
          if (e) return e;
          quantifier = true;
        }
      } else if (c === "^") {
        out += extended || start ? BOL : "\\^";
        atStart = extended || start;
        anchored = atStart;
      } else if (c === "$") {
        const rest = p.slice(i);
        const end = rest === "" || (!extended && (rest.startsWith("\\)") || rest.startsWith("\\|")));
        out += extended || end ? "$" : "\\$";
        anchored = extended || end;
      } else if (c === ".") out += "[^]";
      else if (extended && c === "(") {
        open.push(out.length);
        opened.push(++groups);
        out += "(";
        atStart = true;
      } else if (extended && c === ")" && !open.length) out += "\\)";
      else if (extended && c === ")") {
        out += ")";
        atom = open.pop()!;
        completed.add(opened.pop()!);
        duplicated = false;
        continue;
      } else if (extended && c === "|") {
        out += "|";
        longest = true;
        atStart = true;
      } else if (extended && (c === "+" || c === "?" || c === "{") && noAtom && gnu) {
        atStart = start;
        anchored = !start;
      } else if (extended && (c === "+" || c === "?")) {
        const e = dup(c, noAtom);
        if (e) return e;
        quantifier = true;
      } else if (extended && c === "{" && gnu && !/^(\d*)(,(\d*))?\}/.test(p.slice(i))) out += "\\{";
      else if (extended && c === "{") {
        if (noAtom) return "Invalid preceding regular expression";
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
  if (icase) out = caseless(out);
  try {
    return {
      re: new RegExp(out.replaceAll(BOL, "^"), icase ? "gi" : "g"),
      ngroups: groups,
      src: out,
      longest,
    };
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

/** A RegExp of r's source with "^" as bol, in addition to flags. */
function variant(r: Regex, bol: string, flags: string, wrap = (x: string) => x): RegExp {
  return new RegExp(wrap(r.src.replaceAll(BOL, bol)), r.re.flags.replace("g", "") + flags);
}

/**
 * regexec from `from`: the leftmost-longest match, or null. With REG_NOTBOL
 * "^" does not match at the start of s.
 */
export function regexec(r: Regex, s: string, from = 0, eflags = 0): RegExpExecArray | null {
  if (r.re.ignoreCase && /[\x80-\xff]/.test(s)) {
    const m = regexec_raw(r, caseless(s), from, eflags);
    if (m) for (let i = 0; i < m.length; i++) if (m[i] !== undefined) m[i] = cased(m[i]);
    return m;
  }
  return regexec_raw(r, s, from, eflags);
}

function regexec_raw(r: Regex, s: string, from: number, eflags: number): RegExpExecArray | null {
  const notbol = (eflags & REG_NOTBOL) !== 0;
  let re = r.re;
  if (notbol) re = r.notbol ??= variant(r, "(?!)", "g");
  re.lastIndex = from;
  const m = re.exec(s);
  if (!m || !r.longest) return m;
  return longest_end(r, s, m, notbol) ?? m;
}

/**
 * The longest match from where m starts, if longer than m: a sticky RegExp
 * whose match must end past m's - (?<=^[^]{P,}) asks for P characters
 * before the end - is run from there, again past each one it finds, until
 * there is none.
 */
function longest_end(r: Regex, s: string, m: RegExpExecArray, notbol: boolean): RegExpExecArray | null {
  let best: RegExpExecArray | null = null;
  for (let end = m.index + m[0].length; ; ) {
    const re = variant(r, notbol ? "(?!)" : "^", "y", (x) => `(?:${x})(?<=^[^]{${end + 1},})`);
    re.lastIndex = m.index;
    const l = re.exec(s);
    if (!l) return best;
    best = l;
    end = l.index + l[0].length;
  }
}
