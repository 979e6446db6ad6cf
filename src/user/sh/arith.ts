/*
 * arith.ts - $((...)) arithmetic (BusyBox shell/math.c).
 *
 * C's integer expressions on 64-bit signed values: literals in decimal,
 * octal (0755), hex (0x1f) and base#digits; variables (a variable whose
 * value is itself an expression is evaluated in turn); unary + - ! ~;
 * ** * / % + - << >> < <= > >= == != & ^ | && || ?: ; assignment with
 * = *= /= %= += -= <<= >>= &= ^= |=; ++ and -- before and after a name;
 * and the comma operator.
 *
 * The evaluation is math.c's operator-precedence machine (MathState below),
 * quirks included: both sides of && || ?: are evaluated, a parenthesis may
 * hold the ':' half of a ?: ($((1 ? (2 : 3))) is 2), a variable's value is
 * an expression of its own with the implicit parentheses closing what it
 * left open (v='(1' is 1), and the same name met again inside its own value
 * is "expression recursion loop detected".
 */

export class ArithError {
  constructor(readonly msg: string) {}
}

export interface ArithVars {
  get(name: string): string | null;
  set(name: string, value: string): void;
}

/** strtoull's result as arith_t: past 2^64 - 1 it is ERANGE, which math.c turns into 0 ("bash compat"). */
const strtoull = (v: bigint): bigint => (v > 0xffffffffffffffffn ? 0n : BigInt.asIntN(64, v));

function parseNumber(t: string): bigint | null {
  if (/^0[xX][0-9A-Fa-f]+$/.test(t)) return strtoull(BigInt(t));
  if (/^0[0-7]+$/.test(t)) return strtoull(BigInt(`0o${t.slice(1)}`));
  if (/^0[0-9]+$/.test(t)) return null;
  if (/^[0-9]+$/.test(t)) return strtoull(BigInt(t));
  const m = /^([0-9]+)#([0-9A-Za-z@_]*)$/.exec(t);
  if (m) {
    const base = Number(m[1]);
    if (base < 2 || base > 64) return null;
    let v = 0n;
    for (const ch of m[2]) {
      let d: number;
      if (ch >= "0" && ch <= "9") d = ch.charCodeAt(0) - 48;
      else if (ch >= "a" && ch <= "z") d = ch.charCodeAt(0) - 87;
      else if (ch >= "A" && ch <= "Z") d = base <= 36 ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 29;
      else if (ch === "@") d = 62;
      else d = 63;
      if (d >= base) return null;
      v = v * BigInt(base) + BigInt(d);
    }
    // base#digits: digit by digit without an overflow check, wrapping as C's unsigned arithmetic
    return BigInt.asIntN(64, v);
  }
  return null;
}

/*
 * math.c's operators: the low 5 bits of a token are its precedence, the
 * high 3 tell apart the operators of one precedence. Assignments take two
 * precedences (2 and 3: there are 11 of them) that count as one.
 */
const tok = (prec: number, id: number): number => (id << 5) | prec;
const PREC = (op: number): number => op & 0x1f;
const fix_prec = (prec: number): number => (prec === 3 ? 2 : prec);

const TOK_LPAREN = tok(0, 0);
const TOK_COMMA = tok(1, 0);
const TOK_ASSIGN = tok(2, 0);
const TOK_AND_ASSIGN = tok(2, 1);
const TOK_OR_ASSIGN = tok(2, 2);
const TOK_XOR_ASSIGN = tok(2, 3);
const TOK_PLUS_ASSIGN = tok(2, 4);
const TOK_MINUS_ASSIGN = tok(2, 5);
const TOK_LSHIFT_ASSIGN = tok(2, 6);
const TOK_RSHIFT_ASSIGN = tok(2, 7);
const TOK_MUL_ASSIGN = tok(3, 0);
const TOK_DIV_ASSIGN = tok(3, 1);
const TOK_REM_ASSIGN = tok(3, 2);
const TOK_CONDITIONAL = tok(4, 0);
const TOK_CONDITIONAL_SEP = tok(4, 1);
const TOK_OR = tok(5, 0);
const TOK_AND = tok(6, 0);
const TOK_BOR = tok(7, 0);
const TOK_BXOR = tok(8, 0);
const TOK_BAND = tok(9, 0);
const TOK_EQ = tok(10, 0);
const TOK_NE = tok(10, 1);
const TOK_LT = tok(11, 0);
const TOK_GT = tok(11, 1);
const TOK_GE = tok(11, 2);
const TOK_LE = tok(11, 3);
const TOK_LSHIFT = tok(12, 0);
const TOK_RSHIFT = tok(12, 1);
const TOK_ADD = tok(13, 0);
const TOK_SUB = tok(13, 1);
const TOK_MUL = tok(14, 0);
const TOK_DIV = tok(14, 1);
const TOK_REM = tok(14, 2);
const TOK_EXPONENT = tok(15, 1);
const UNARYPREC = 16;
const TOK_BNOT = tok(UNARYPREC, 0);
const TOK_NOT = tok(UNARYPREC, 1);
const TOK_UMINUS = tok(UNARYPREC + 1, 0);
const TOK_UPLUS = tok(UNARYPREC + 1, 1);
const PREC_PRE = UNARYPREC + 2;
const TOK_PRE_INC = tok(PREC_PRE, 0);
const TOK_PRE_DEC = tok(PREC_PRE, 1);
const PREC_POST = UNARYPREC + 3;
const TOK_POST_INC = tok(PREC_POST, 0);
const TOK_POST_DEC = tok(PREC_POST, 1);
const SPEC_PREC = UNARYPREC + 4;
const TOK_NUM = tok(SPEC_PREC, 0);
const TOK_RPAREN = tok(SPEC_PREC, 1);

/** The operator table, longest spellings first (math.c's op_tokens order). */
const OPS: [string, number][] = [
  ["<<=", TOK_LSHIFT_ASSIGN],
  [">>=", TOK_RSHIFT_ASSIGN],
  ["<<", TOK_LSHIFT],
  [">>", TOK_RSHIFT],
  ["||", TOK_OR],
  ["&&", TOK_AND],
  ["!=", TOK_NE],
  ["<=", TOK_LE],
  [">=", TOK_GE],
  ["==", TOK_EQ],
  ["|=", TOK_OR_ASSIGN],
  ["&=", TOK_AND_ASSIGN],
  ["*=", TOK_MUL_ASSIGN],
  ["/=", TOK_DIV_ASSIGN],
  ["%=", TOK_REM_ASSIGN],
  ["+=", TOK_PLUS_ASSIGN],
  ["-=", TOK_MINUS_ASSIGN],
  ["--", TOK_POST_DEC],
  ["^=", TOK_XOR_ASSIGN],
  ["++", TOK_POST_INC],
  ["**", TOK_EXPONENT],
  ["!", TOK_NOT],
  ["<", TOK_LT],
  [">", TOK_GT],
  ["=", TOK_ASSIGN],
  ["|", TOK_BOR],
  ["&", TOK_BAND],
  ["*", TOK_MUL],
  ["/", TOK_DIV],
  ["%", TOK_REM],
  ["+", TOK_ADD],
  ["-", TOK_SUB],
  ["^", TOK_BXOR],
  ["~", TOK_BNOT],
  [",", TOK_COMMA],
  ["?", TOK_CONDITIONAL],
  [":", TOK_CONDITIONAL_SEP],
  [")", TOK_RPAREN],
  ["(", TOK_LPAREN],
];

const is_assign_op = (op: number): boolean => {
  const prec = fix_prec(PREC(op));
  return prec === PREC(TOK_ASSIGN) || prec === PREC_PRE || prec === PREC_POST;
};
const is_right_associative = (prec: number): boolean =>
  prec === PREC(TOK_ASSIGN) || prec === PREC(TOK_EXPONENT) || prec === PREC(TOK_CONDITIONAL);

/** A value on the number stack: a number, or a variable's name not looked up yet; ':' adds a second value. */
interface Operand {
  val: bigint;
  second: bigint;
  has_second: boolean;
  name: string | null;
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const syntax = (): never => {
  throw new ArithError("arithmetic syntax error");
};
const isspace = (c: string): boolean => c === " " || (c >= "\t" && c <= "\r");
const is_name = (c: string): boolean => c === "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const is_in_name = (c: string): boolean => is_name(c) || (c >= "0" && c <= "9");

/** x ** n on 64 bits: math.c multiplies n times, each product wrapping; squaring gets there sooner. */
function power(x: bigint, n: bigint): bigint {
  let r = 1n;
  let b = BigInt.asUintN(64, x);
  for (let e = n; e > 0n; e >>= 1n) {
    if (e & 1n) r = BigInt.asUintN(64, r * b);
    b = BigInt.asUintN(64, b * b);
  }
  return wrap(r);
}

/** The number at text[i]: strtoull's base-0 prefix, or BASE#DIGITS; [value, end]. */
function scan_number(text: string, i: number): [bigint, number] {
  const rest = text.slice(i);
  const based = /^[1-9][0-9]*#[0-9A-Za-z@_]*/.exec(rest);
  if (based) {
    const v = parseNumber(based[0]);
    return v === null ? syntax() : [v, i + based[0].length];
  }
  const m = /^(?:0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*)/.exec(rest)!;
  return [parseNumber(m[0]) ?? 0n, i + m[0].length];
}

/**
 * evaluate_string: math.c's two stacks. Numbers and names go on one; an
 * operator first applies the operators on the other that bind at least as
 * tightly (only tighter for a right-associative one), then waits there. The
 * whole text sits inside an implicit pair of parentheses. Both sides of
 * && || and ?: are evaluated, assignments included, as math.c does; ?: is two
 * binary operators, ':' pairing its two values and '?' picking one.
 */
class MathState {
  /** The variables being evaluated, innermost last: a=b b=a is a loop. */
  private names: string[] = [];
  constructor(private readonly vars: ArithVars) {}

  /** arith_lookup_val: a name's value is itself an expression (unset: 0). */
  private lookup(t: Operand): void {
    if (t.name === null) return;
    const text = this.vars.get(t.name);
    if (text === null) {
      t.val = 0n;
      return;
    }
    if (this.names.includes(t.name)) throw new ArithError("expression recursion loop detected");
    this.names.push(t.name);
    t.val = this.evaluate(text);
    this.names.pop();
  }

  /** arith_apply: an operator on the top of the number stack. */
  private apply(op: number, nums: Operand[]): void {
    if (nums.length === 0) syntax();
    let top = nums[nums.length - 1];
    this.lookup(top);
    let rez = top.val;
    if (op === TOK_UMINUS) rez = wrap(-rez);
    else if (op === TOK_NOT) rez = rez === 0n ? 1n : 0n;
    else if (op === TOK_BNOT) rez = ~rez;
    else if (op === TOK_POST_INC || op === TOK_PRE_INC) rez = wrap(rez + 1n);
    else if (op === TOK_POST_DEC || op === TOK_PRE_DEC) rez = wrap(rez - 1n);
    else if (op !== TOK_UPLUS) {
      if (nums.length === 1) syntax();
      const right = nums.pop()!;
      // '?' needs the pair ':' made; any other operator must not meet one.
      if (op === TOK_CONDITIONAL ? !right.has_second : right.has_second)
        throw new ArithError("malformed ?: operator");
      top = nums[nums.length - 1];
      if (op !== TOK_ASSIGN) this.lookup(top);
      const r = rez;
      rez = top.val;
      rez = this.binary(op, rez, r, right, top, nums.length === 1);
    }
    if (is_assign_op(op)) {
      if (top.name === null) throw new ArithError("arithmetic syntax error"); // 1=2
      this.vars.set(top.name, String(rez));
      if (op === TOK_POST_INC) rez = wrap(rez - 1n);
      else if (op === TOK_POST_DEC) rez = wrap(rez + 1n);
    }
    top.val = rez;
    top.name = null;
  }

  private binary(op: number, a: bigint, b: bigint, right: Operand, left: Operand, bottom: boolean): bigint {
    switch (op) {
      case TOK_CONDITIONAL:
        return a !== 0n ? b : right.second;
      case TOK_CONDITIONAL_SEP:
        if (bottom) throw new ArithError("malformed ?: operator"); // $((1 : 2))
        left.has_second = true;
        left.second = b;
        return a;
      case TOK_BOR:
      case TOK_OR_ASSIGN:
        return a | b;
      case TOK_OR:
        return b !== 0n || a !== 0n ? 1n : 0n;
      case TOK_BAND:
      case TOK_AND_ASSIGN:
        return a & b;
      case TOK_BXOR:
      case TOK_XOR_ASSIGN:
        return a ^ b;
      case TOK_AND:
        return a !== 0n && b !== 0n ? 1n : 0n;
      case TOK_EQ:
        return a === b ? 1n : 0n;
      case TOK_NE:
        return a !== b ? 1n : 0n;
      case TOK_GE:
        return a >= b ? 1n : 0n;
      case TOK_GT:
        return a > b ? 1n : 0n;
      case TOK_LT:
        return a < b ? 1n : 0n;
      case TOK_LE:
        return a <= b ? 1n : 0n;
      // Shifts by 64 or more take the count modulo 64, as the CPU does.
      case TOK_RSHIFT:
      case TOK_RSHIFT_ASSIGN:
        return a >> (b & 63n);
      case TOK_LSHIFT:
      case TOK_LSHIFT_ASSIGN:
        return wrap(a << (b & 63n));
      case TOK_MUL:
      case TOK_MUL_ASSIGN:
        return wrap(a * b);
      case TOK_ADD:
      case TOK_PLUS_ASSIGN:
        return wrap(a + b);
      case TOK_SUB:
      case TOK_MINUS_ASSIGN:
        return wrap(a - b);
      case TOK_ASSIGN:
      case TOK_COMMA:
        return b;
      case TOK_EXPONENT:
        if (b < 0n) throw new ArithError("exponent less than 0");
        return power(a, b);
    }
    if (b === 0n) throw new ArithError("divide by zero");
    // INT64_MIN / -1 wraps to INT64_MIN (math.c divides by 1 instead), INT64_MIN % -1 is 0.
    return op === TOK_DIV || op === TOK_DIV_ASSIGN ? wrap(a / b) : a % b;
  }

  private after_name(nums: Operand[]): boolean {
    return nums.length > 0 && nums[nums.length - 1].name !== null;
  }

  private before_name(expr: string, i: number): boolean {
    while (i < expr.length && isspace(expr[i])) i++;
    return i < expr.length && is_name(expr[i]);
  }

  evaluate(expr: string): bigint {
    let i = 0;
    while (i < expr.length && isspace(expr[i])) i++;
    const start = i;
    const nums: Operand[] = [];
    const ops: number[] = [TOK_LPAREN];
    let lasttok = TOK_LPAREN;
    let closed = false;
    for (;;) {
      while (i < expr.length && isspace(expr[i])) i++;
      let op: number;
      if (i >= expr.length) {
        if (i === start) return 0n; // the null expression
        if (closed) {
          if (nums.length !== 1) syntax();
          this.lookup(nums[0]); // $((var)) alone
          return nums[0].val;
        }
        // the implicit closing parenthesis, processed as if it were in the text
        closed = true;
        op = TOK_RPAREN;
      } else {
        const c = expr[i];
        if (is_name(c)) {
          let e = i + 1;
          while (e < expr.length && is_in_name(expr[e])) e++;
          nums.push({ val: 0n, second: 0n, has_second: false, name: expr.slice(i, e) });
          i = e;
          lasttok = TOK_NUM;
          continue;
        }
        if (c >= "0" && c <= "9") {
          const [v, e] = scan_number(expr, i);
          nums.push({ val: v, second: 0n, has_second: false, name: null });
          i = e;
          lasttok = TOK_NUM;
          continue;
        }
        // ++ and -- are increments only next to a variable's name: after one still on the stack
        // (a+++v is a++ + v) or before one (7+++v is 7 + ++v); otherwise two signs (--7 is - -7).
        if (
          (c === "+" || c === "-") &&
          expr[i + 1] === c &&
          !this.after_name(nums) &&
          !this.before_name(expr, i + 2)
        ) {
          op = c === "+" ? TOK_ADD : TOK_SUB;
          i += 1;
        } else {
          const hit = OPS.find(([spelling]) => expr.startsWith(spelling, i));
          if (!hit) return syntax();
          op = hit[1];
          i += hit[0].length;
        }
      }
      if (lasttok === TOK_POST_INC || lasttok === TOK_POST_DEC) lasttok = TOK_NUM;
      // + - ++ -- are unary unless they follow a number (or a closing parenthesis).
      if (lasttok !== TOK_NUM) {
        if (op === TOK_ADD) op = TOK_UPLUS;
        else if (op === TOK_SUB) op = TOK_UMINUS;
        else if (op === TOK_POST_INC) op = TOK_PRE_INC;
        else if (op === TOK_POST_DEC) op = TOK_PRE_DEC;
      }
      const prec = fix_prec(PREC(op));
      if ((prec > 0 && prec < UNARYPREC) || prec === SPEC_PREC) {
        if (lasttok !== TOK_NUM) syntax(); // a binary operator or ) after no number
        let matched = false;
        while (ops.length > 0) {
          const prev = ops.pop()!;
          if (op === TOK_RPAREN) {
            if (prev === TOK_LPAREN) {
              matched = true;
              break;
            }
          } else {
            const prev_prec = fix_prec(PREC(prev));
            if (prev_prec < prec || (prev_prec === prec && is_right_associative(prec))) {
              ops.push(prev);
              break;
            }
          }
          this.apply(prev, nums);
        }
        if (matched) {
          // A parenthesized name is a value from here on: (x)++ is (x) + +..., (x) = 1 an error.
          const t = nums[nums.length - 1];
          if (t && t.name !== null) {
            this.lookup(t);
            t.name = null;
          }
          lasttok = TOK_NUM; // what follows a ) is binary
          continue;
        }
        if (op === TOK_RPAREN) syntax();
      }
      ops.push(op);
      lasttok = op;
    }
  }
}

/** arith(): the value of $((text)); an ArithError carries math.c's message. */
export function arith_eval(text: string, vars: ArithVars): bigint {
  return new MathState(vars).evaluate(text);
}
