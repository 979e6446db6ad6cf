/*
 * expr.ts - expr (coreutils/expr.c): evaluate the expression its
 * arguments spell, one token an argument, and print the value.
 *
 * A recursive-descent evaluator with no tree, one function a precedence
 * level, as BusyBox's eval..eval7:
 *
 *   eval   a | b          (lowest)
 *   eval1  a & b
 *   eval2  < <= = == != >= >
 *   eval3  + -
 *   eval4  * / %
 *   eval5  a : regex
 *   eval6  quote length match index substr
 *   eval7  ( expr ) and plain operands
 *
 * A value is an integer (64-bit, wrapping as C's arithmetic does) or a
 * string; a string becomes a number where one is needed when strtoll
 * takes all of it (leading blanks and a sign allowed, saturating at the
 * int64 limits). Strings are handled as bytes (the C locale), so length,
 * index and substr count bytes. The exit status is 1 when the value is
 * null or 0, 0 otherwise, and 2 on an error ("expr: syntax error").
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg } from "../libc/libbb.js";
import { regcomp, regexec } from "../libc/regex.js";
import { write_all } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `expr EXPRESSION

Print the value of EXPRESSION

EXPRESSION may be:
\tARG1 | ARG2\tARG1 if it is neither null nor 0, otherwise ARG2
\tARG1 & ARG2\tARG1 if neither argument is null or 0, otherwise 0
\tARG1 < ARG2\t1 if ARG1 is less than ARG2, else 0. Similarly:
\tARG1 <= ARG2
\tARG1 = ARG2
\tARG1 != ARG2
\tARG1 >= ARG2
\tARG1 > ARG2
\tARG1 + ARG2\tSum of ARG1 and ARG2. Similarly:
\tARG1 - ARG2
\tARG1 * ARG2
\tARG1 / ARG2
\tARG1 % ARG2
\tSTRING : REGEXP\t\tAnchored pattern match of REGEXP in STRING
\tmatch STRING REGEXP\tSame as STRING : REGEXP
\tsubstr STRING POS LEN\tSubstring of STRING, POS counts from 1
\tindex STRING CHARS\tIndex in STRING where any CHARS is found, or 0
\tlength STRING\t\tLength of STRING
\tquote TOKEN\t\tInterpret TOKEN as a string, even if
\t\t\t\tit is a keyword like 'match' or an
\t\t\t\toperator like '/'
\t(EXPRESSION)\t\tValue of EXPRESSION

Beware that many operators need to be escaped or quoted for shells.
Comparisons are arithmetic if both ARGs are numbers, else
lexicographical. Pattern matches return the string matched between
\\( and \\) or null; if \\( and \\) are not used, they return the number
of characters matched or 0.`;

/** A value: an int64 or a string of bytes (one character a byte). */
type Value = bigint | string;

/** bb_error_msg_and_die with expr's status 2. */
class Die {
  constructor(readonly msg: string) {}
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** The evaluator's state: the arguments and the warnings to print (BusyBox's G.args). */
interface Expr {
  args: string[];
  pos: number;
  warnings: string[];
}

/** null(): a zero integer, an empty string or "0". */
const isNull = (v: Value): boolean => (typeof v === "bigint" ? v === 0n : v === "" || v === "0");

const tostring = (v: Value): string => (typeof v === "bigint" ? v.toString() : v);

/** toarith: the integer strtoll reads from all of the string, or null. */
function toarith(v: Value): bigint | null {
  if (typeof v === "bigint") return v;
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(v);
  if (!m) return null;
  let n = BigInt(m[2]);
  if (m[1] === "-") n = -n;
  return n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n;
}

/** Is the next argument exactly s? */
const nextarg = (e: Expr, s: string): boolean => e.pos < e.args.length && e.args[e.pos] === s;

function cmp_common(l: Value, r: Value, op: string): boolean {
  const li = toarith(l);
  const ri = toarith(r);
  let ll: bigint | number;
  let rr: bigint | number;
  if (li === null || ri === null) {
    const a = tostring(l);
    const b = tostring(r);
    ll = a < b ? -1 : a > b ? 1 : 0;
    rr = 0;
  } else {
    ll = li;
    rr = ri;
  }
  switch (op) {
    case "<":
      return ll < rr;
    case "<=":
      return ll <= rr;
    case "=":
    case "==":
      return ll === rr;
    case "!=":
      return ll !== rr;
    case ">":
      return ll > rr;
    default:
      return ll >= rr;
  }
}

function arithmetic_common(l: Value, r: Value, op: string): bigint {
  const li = toarith(l);
  const ri = toarith(r);
  if (li === null || ri === null) throw new Die("non-numeric argument");
  let v: bigint;
  if (op === "+") v = li + ri;
  else if (op === "-") v = li - ri;
  else if (op === "*") v = li * ri;
  else {
    if (ri === 0n) throw new Die("division by zero");
    v = op === "/" ? li / ri : li % ri;
  }
  return BigInt.asIntN(64, v);
}

/** docolon: an anchored match; the \(...\) group's text, else the length matched. */
function docolon(e: Expr, sv: Value, pv: Value): Value {
  const s = tostring(sv);
  const p = tostring(pv);
  if (p[0] === "^")
    e.warnings.push(
      `warning: '${p}': using '^' as the first character\nof a basic regular expression is not portable; it is ignored`,
    );
  const re = regcomp(p, false);
  if (typeof re === "string") throw new Die(`bad regex '${p}': ${re}`);
  let m = regexec(re, s);
  if (m && m.index === 0) {
    // POSIX wants the longest match at 0 where JavaScript takes the first alternative that fits.
    const whole = new RegExp(`^(?:${re.re.source})$`, re.re.flags.replace(/[gy]/g, ""));
    for (let len = s.length; len > m[0].length; len--) {
      const w = whole.exec(s.slice(0, len));
      if (w) {
        m = w;
        break;
      }
    }
    if (re.ngroups > 0 && m[1] !== undefined) return m[1];
    return BigInt(m[0].length);
  }
  return re.ngroups > 0 ? "" : 0n;
}

/** eval7: ( expr ) or an operand. */
function eval7(e: Expr): Value {
  if (e.pos >= e.args.length) throw new Die("syntax error");
  if (nextarg(e, "(")) {
    e.pos++;
    const v = evaluate(e);
    if (!nextarg(e, ")")) throw new Die("syntax error");
    e.pos++;
    return v;
  }
  if (nextarg(e, ")")) throw new Die("syntax error");
  return e.args[e.pos++];
}

/** eval6: the keywords quote, length, match, index, substr. */
function eval6(e: Expr): Value {
  const key = e.pos < e.args.length ? e.args[e.pos] : "";
  if (!["quote", "length", "match", "index", "substr"].includes(key)) return eval7(e);
  e.pos++;
  if (key === "quote") {
    if (e.pos >= e.args.length) throw new Die("syntax error");
    return e.args[e.pos++];
  }
  if (key === "length") return BigInt(tostring(eval6(e)).length);
  const l = eval6(e);
  if (key === "match") return docolon(e, l, eval6(e));
  if (key === "index") {
    const s = tostring(l);
    const chars = tostring(eval6(e));
    let i = 0;
    while (i < s.length && !chars.includes(s[i])) i++;
    return i === s.length ? 0n : BigInt(i + 1);
  }
  // substr
  const i1 = toarith(eval6(e));
  const i2 = toarith(eval6(e));
  const s = tostring(l);
  if (i1 === null || i2 === null || i1 > BigInt(s.length) || i1 <= 0n || i2 <= 0n) return "";
  const from = Number(i1) - 1;
  return s.slice(from, from + Number(i2 > BigInt(s.length) ? BigInt(s.length) : i2));
}

/** eval5: STRING : REGEXP. */
function eval5(e: Expr): Value {
  let l = eval6(e);
  while (nextarg(e, ":")) {
    e.pos++;
    l = docolon(e, l, eval6(e));
  }
  return l;
}

/** A left-associative level of binary operators. */
function binary(
  e: Expr,
  ops: string[],
  next: (e: Expr) => Value,
  apply: (l: Value, r: Value, op: string) => Value,
) {
  let l = next(e);
  for (;;) {
    const op = ops.find((o) => nextarg(e, o));
    if (!op) return l;
    e.pos++;
    l = apply(l, next(e), op);
  }
}

const eval4 = (e: Expr): Value => binary(e, ["*", "/", "%"], eval5, arithmetic_common);
const eval3 = (e: Expr): Value => binary(e, ["+", "-"], eval4, arithmetic_common);
const eval2 = (e: Expr): Value =>
  binary(e, ["<", "<=", "=", "==", "!=", ">=", ">"], eval3, (l, r, op) => (cmp_common(l, r, op) ? 1n : 0n));
const eval1 = (e: Expr): Value => binary(e, ["&"], eval2, (l, r) => (isNull(l) || isNull(r) ? 0n : l));
const evaluate = (e: Expr): Value => binary(e, ["|"], eval1, (l, r) => (isNull(l) ? r : l));

/** Bytes as a string of one character each (latin1), and back. */
const toBytes = (s: string): string => String.fromCharCode(...new TextEncoder().encode(s));
const fromBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string): string => new TextDecoder().decode(fromBytes(s));

function* expr_main(argv: string[]): UserGen<number> {
  const e: Expr = { args: argv.slice(1).map(toBytes), pos: 0, warnings: [] };
  let v: Value;
  try {
    if (e.args.length === 0) throw new Die("too few arguments");
    v = evaluate(e);
    if (e.pos < e.args.length) throw new Die("syntax error");
  } catch (err) {
    if (!(err instanceof Die)) throw err;
    for (const w of e.warnings) yield* bb_error_msg("expr", utf8(w));
    yield* bb_error_msg("expr", utf8(err.msg));
    return 2;
  }
  for (const w of e.warnings) yield* bb_error_msg("expr", utf8(w));
  yield* write_all(1, fromBytes(`${tostring(v)}\n`));
  return isNull(v) ? 1 : 0;
}

export const expr: Applet = { name: "expr", dir: "/usr/bin", usage: USAGE, main: expr_main };
