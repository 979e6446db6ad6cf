/*
 * awk_lex.ts - the tokens of an awk program (BusyBox editors/awk.c's
 * next_token and tokenlist), for the parser in awk_parse.ts.
 *
 * The whole program text is cut into tokens up front. Two things depend on
 * what came before, as in BusyBox:
 *   - "/" starts a regular expression where an operand may start (after an
 *     operator, "(", ",", a keyword...), and divides after an operand
 *     (a number, a string, a name, ")", "]", "$" excluded, "++"/"--");
 *   - a newline is dropped after the tokens that cannot end a statement
 *     (TC_NOTERM: "," "{" "&&" "||" "do" "else" and every binary operator),
 *     so an expression may go on on the next line after "+" or ",".
 * A backslash before a newline joins the lines; "#" starts a comment.
 * Strings take C escapes (\n \t \" \\ \/ \ooo; an unknown \z is z); in a
 * regex the known escapes become their character and the others keep their
 * backslash for regcomp (so \. and \/ stay), as BusyBox's lexer does.
 *
 * Errors are BusyBox's: an unterminated string or regex is "Unexpected end
 * of string", a character that starts no token "Unexpected token".
 */

export type TokKind = "num" | "str" | "ere" | "name" | "funcname" | "builtin" | "kw" | "op" | "nl" | "eof";

export interface Token {
  k: TokKind;
  /** The text: operator, keyword, name, or the string/regex contents. */
  v: string;
  /** A number token's value. */
  n: number;
  /** The program line (from 1) the token is on. */
  line: number;
}

/** A syntax error at a line: awk.ts prints "awk: PROG:LINE: MSG". */
export class AwkSyntaxError extends Error {
  constructor(
    readonly msg: string,
    readonly line: number,
  ) {
    super(msg);
  }
}

export const KEYWORDS = new Set([
  "BEGIN",
  "END",
  "function",
  "func",
  "if",
  "else",
  "while",
  "for",
  "do",
  "break",
  "continue",
  "next",
  "nextfile",
  "exit",
  "return",
  "delete",
  "print",
  "printf",
  "getline",
  "in",
]);

/** The built-in functions (tokenlist's TC_BUILTIN words). */
export const BUILTINS = new Set([
  "length",
  "substr",
  "index",
  "split",
  "sub",
  "gsub",
  "match",
  "sprintf",
  "sin",
  "cos",
  "atan2",
  "exp",
  "log",
  "sqrt",
  "int",
  "rand",
  "srand",
  "tolower",
  "toupper",
  "system",
  "close",
  "fflush",
]);

/** Operators, longest first so that "**=" wins over "**" and "*". */
const OPS = [
  "**=",
  "&&",
  "||",
  "==",
  "!=",
  "<=",
  ">=",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "^=",
  "**",
  ">>",
  "!~",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ";",
  ",",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "!",
  ">",
  "<",
  "|",
  "?",
  ":",
  "~",
  "$",
  "=",
];

/** After these a newline is no statement end (TC_NOTERM). */
const NOTERM = new Set([
  ",",
  "{",
  "&&",
  "||",
  "do",
  "else",
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "^=",
  "**=",
  "==",
  "!=",
  "<=",
  ">=",
  "<",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "**",
  "!~",
  "~",
  "?",
  ":",
  "in",
]);

/** C escapes of bb_process_escape_sequence: [char, length consumed after "\"], or null when unknown. */
export function awk_escape(s: string, i: number): [string, number] | null {
  const c = s[i];
  const simple: Record<string, string> = {
    n: "\n",
    t: "\t",
    r: "\r",
    a: "\x07",
    b: "\b",
    f: "\f",
    v: "\v",
    "\\": "\\",
  };
  if (c in simple) return [simple[c], 1];
  if (c >= "0" && c <= "7") {
    let j = i;
    let v = 0;
    while (j < i + 3 && s[j] >= "0" && s[j] <= "7") v = v * 8 + Number(s[j++]);
    return [String.fromCharCode(v & 255), j - i];
  }
  if (c === "x" && /[0-9a-fA-F]/.test(s[i + 1] ?? "")) {
    let j = i + 1;
    while (j < i + 3 && /[0-9a-fA-F]/.test(s[j] ?? "")) j++;
    return [String.fromCharCode(Number.parseInt(s.slice(i + 1, j), 16)), j - i];
  }
  return null;
}

/** A string's escapes (the lexer's nextchar, also -v values): \z unknown is z. */
export function unescape_string(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\" || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const e = awk_escape(s, i + 1);
    if (e) {
      out += e[0];
      i += e[1];
    } else out += s[++i];
  }
  return out;
}

/** Can the token just read end an operand (so "/" divides and concatenation may follow)? */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.k === "num" || t.k === "str" || t.k === "ere" || t.k === "name") return true;
  if (t.k === "builtin") return true;
  return t.k === "op" && (t.v === ")" || t.v === "]" || t.v === "++" || t.v === "--");
}

const isalnum_ = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** my_strtod on program text: decimal (with fraction and exponent), 0x hex, or 0-octal integers. */
function lex_number(p: string, i: number): [number, number] {
  const hex = /^0[xX][0-9a-fA-F]+/.exec(p.slice(i));
  if (hex) return [Number.parseInt(hex[0].slice(2), 16), i + hex[0].length];
  const oct = /^0[0-7]+(?![0-9.eE])/.exec(p.slice(i));
  if (oct) return [Number.parseInt(oct[0], 8), i + oct[0].length];
  const m = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(p.slice(i));
  if (!m) return [0, i];
  return [Number(m[0]), i + m[0].length];
}

export function tokenize(p: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  const push = (k: TokKind, v: string, n = 0): void => {
    out.push({ k, v, n, line });
  };
  for (;;) {
    // skip_spaces: blanks and backslash-newline
    for (;;) {
      if (p[i] === "\\" && p[i + 1] === "\n") {
        i += 2;
        line++;
      } else if (p[i] === " " || p[i] === "\t" || p[i] === "\r") i++;
      else break;
    }
    if (p[i] === "#") while (i < p.length && p[i] !== "\n") i++;
    if (i >= p.length) {
      push("eof", "");
      return out;
    }
    const c = p[i];
    const prev = out[out.length - 1];
    if (c === "\n") {
      i++;
      const dropped = prev && (prev.k === "op" || prev.k === "kw") && NOTERM.has(prev.v);
      if (!dropped) push("nl", "\n");
      line++;
      continue;
    }
    if (c === '"') {
      let s = "";
      i++;
      while (p[i] !== '"') {
        if (i >= p.length || p[i] === "\n") throw new AwkSyntaxError("Unexpected end of string", line);
        if (p[i] === "\\" && i + 1 < p.length) {
          const e = awk_escape(p, i + 1);
          if (e) {
            s += e[0];
            i += 1 + e[1];
          } else {
            s += p[i + 1];
            i += 2;
          }
        } else s += p[i++];
      }
      i++;
      push("str", s);
      continue;
    }
    if (c === "/" && !endsOperand(prev)) {
      let s = "";
      i++;
      while (p[i] !== "/") {
        if (i >= p.length || p[i] === "\n") throw new AwkSyntaxError("Unexpected end of string", line);
        if (p[i] === "\\" && i + 1 < p.length) {
          const e = awk_escape(p, i + 1);
          if (e && p[i + 1] !== "\\") {
            s += e[0];
            i += 1 + e[1];
          } else {
            s += p[i] + p[i + 1];
            i += 2;
          }
        } else s += p[i++];
      }
      i++;
      push("ere", s);
      continue;
    }
    if (c === "." || (c >= "0" && c <= "9")) {
      const [n, j] = lex_number(p, i);
      if (j === i || p[j] === ".") throw new AwkSyntaxError("Unexpected token", line);
      i = j;
      push("num", String(n), n);
      continue;
    }
    if (isalnum_(c)) {
      let j = i;
      while (isalnum_(p[j])) j++;
      const w = p.slice(i, j);
      i = j;
      if (KEYWORDS.has(w)) push("kw", w === "func" ? "function" : w);
      else if (BUILTINS.has(w)) push("builtin", w);
      else push(p[i] === "(" ? "funcname" : "name", w);
      continue;
    }
    const op = OPS.find((o) => p.startsWith(o, i));
    if (!op) throw new AwkSyntaxError("Unexpected token", line);
    i += op.length;
    push("op", op);
  }
}
