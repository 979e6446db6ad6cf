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
 * The text is parsed into a small tree first, so && || and ?: skip the
 * branch they do not take without side effects (as math.c does by
 * evaluating it with assignments turned off).
 */

export class ArithError {
  constructor(readonly msg: string) {}
}

export interface ArithVars {
  get(name: string): string | null;
  set(name: string, value: string): void;
}

type Expr =
  | { k: "num"; v: bigint }
  | { k: "var"; name: string }
  | { k: "un"; op: string; e: Expr }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "assign"; op: string; name: string; e: Expr }
  | { k: "incdec"; op: string; post: boolean; name: string }
  | { k: "cond"; c: Expr; t: Expr; f: Expr };

const BINARY: Record<string, number> = {
  ",": 1,
  "||": 4,
  "&&": 5,
  "|": 6,
  "^": 7,
  "&": 8,
  "==": 9,
  "!=": 9,
  "<": 10,
  "<=": 10,
  ">": 10,
  ">=": 10,
  "<<": 11,
  ">>": 11,
  "+": 12,
  "-": 12,
  "*": 13,
  "/": 13,
  "%": 13,
  "**": 14,
};
const ASSIGN = ["=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|="];
const TOKENS = [
  "<<=",
  ">>=",
  "**",
  "<<",
  ">>",
  "<=",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "++",
  "--",
  "*=",
  "/=",
  "%=",
  "+=",
  "-=",
  "&=",
  "^=",
  "|=",
];

const syntax = (): never => {
  throw new ArithError("arithmetic syntax error");
};

function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (" \t\n".includes(c)) {
      i++;
      continue;
    }
    const m = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+#[0-9A-Za-z@_]*|[0-9]+|[A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i));
    if (m) {
      out.push(m[0]);
      i += m[0].length;
      continue;
    }
    const t = TOKENS.find((x) => s.startsWith(x, i)) ?? c;
    if (!"+-*/%<>=!~&^|?:(),".includes(t[0])) syntax();
    out.push(t);
    i += t.length;
  }
  return out;
}

/** strtoull's result as arith_t: past 2^64 - 1 it is ERANGE, which math.c turns into 0 ("bash compat"). */
const strtoull = (v: bigint): bigint => (v > 0xffffffffffffffffn ? 0n : BigInt.asIntN(64, v));

export function parseNumber(t: string): bigint | null {
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

class ArithParser {
  i = 0;
  constructor(readonly t: string[]) {}
  peek(): string | undefined {
    return this.t[this.i];
  }
  /** expression: assignment (',' assignment)* */
  expr(): Expr {
    let l = this.assignment();
    while (this.peek() === ",") {
      this.i++;
      l = { k: "bin", op: ",", l, r: this.assignment() };
    }
    return l;
  }
  assignment(): Expr {
    const name = this.peek();
    const op = this.t[this.i + 1];
    if (name && /^[A-Za-z_]/.test(name) && op && ASSIGN.includes(op)) {
      this.i += 2;
      return { k: "assign", op, name, e: this.assignment() };
    }
    return this.conditional();
  }
  conditional(): Expr {
    const c = this.binary(4);
    if (this.peek() !== "?") return c;
    // math.c: no top-level assignment or comma in the middle, none after the colon
    this.i++;
    const t = this.conditional();
    if (this.peek() !== ":") throw new ArithError("malformed ?: operator");
    this.i++;
    const f = this.conditional();
    return { k: "cond", c, t, f };
  }
  /** Binary operators by precedence climbing (** binds right to left). */
  binary(minPrec: number): Expr {
    let l = this.unary();
    for (;;) {
      const op = this.peek();
      if (op === undefined || op === "," || !(op in BINARY) || BINARY[op] < minPrec) return l;
      this.i++;
      const r = this.binary(op === "**" ? BINARY[op] : BINARY[op] + 1);
      l = { k: "bin", op, l, r };
    }
  }
  unary(): Expr {
    const t = this.peek();
    if (t === undefined) return syntax();
    if (t === "++" || t === "--") {
      this.i++;
      const n = this.peek();
      // before anything but a name, "--" is two minus signs (math.c)
      if (!n || !/^[A-Za-z_]/.test(n)) {
        const e = this.unary();
        return { k: "un", op: t[0], e: { k: "un", op: t[0], e } };
      }
      this.i++;
      return { k: "incdec", op: t, post: false, name: n };
    }
    if (t === "+" || t === "-" || t === "!" || t === "~") {
      this.i++;
      // math.c applies a prefix operator to a whole assignment: !y/=0 is !(y/=0)
      const n = this.peek();
      const op = this.t[this.i + 1];
      if (n && /^[A-Za-z_]/.test(n) && op && ASSIGN.includes(op))
        return { k: "un", op: t, e: this.assignment() };
      return { k: "un", op: t, e: this.unary() };
    }
    if (t === "(") {
      this.i++;
      const e = this.expr();
      if (this.peek() !== ")") syntax();
      this.i++;
      return e;
    }
    this.i++;
    if (/^[A-Za-z_]/.test(t)) {
      const n = this.peek();
      if (n === "++" || n === "--") {
        this.i++;
        return { k: "incdec", op: n, post: true, name: t };
      }
      return { k: "var", name: t };
    }
    const v = parseNumber(t);
    if (v === null) return syntax();
    return { k: "num", v };
  }
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

export function arith_eval(s: string, vars: ArithVars, depth = 0): bigint {
  if (depth > 100) throw new ArithError("expression recursion loop detected");
  const toks = tokenize(s);
  if (toks.length === 0) return 0n;
  const p = new ArithParser(toks);
  const e = p.expr();
  if (p.i !== toks.length) {
    if (toks[p.i] === ":") throw new ArithError("malformed ?: operator");
    syntax();
  }
  const val = (name: string): bigint => {
    const v = vars.get(name);
    if (v === null || v.trim() === "") return 0n;
    const n = parseNumber(v.trim().replace(/^\+/, ""));
    if (n !== null) return n;
    if (/^-[0-9]/.test(v.trim())) {
      const m = parseNumber(v.trim().slice(1));
      if (m !== null) return -m;
    }
    return arith_eval(v, vars, depth + 1);
  };
  const ev = (x: Expr): bigint => {
    switch (x.k) {
      case "num":
        return x.v;
      case "var":
        return val(x.name);
      case "un": {
        const v = ev(x.e);
        return x.op === "-" ? wrap(-v) : x.op === "!" ? (v === 0n ? 1n : 0n) : x.op === "~" ? ~v : v;
      }
      case "incdec": {
        const old = val(x.name);
        const nv = wrap(x.op === "++" ? old + 1n : old - 1n);
        vars.set(x.name, String(nv));
        return x.post ? old : nv;
      }
      case "assign": {
        const r = ev(x.e);
        const v = x.op === "=" ? r : binop(x.op.slice(0, -1), val(x.name), r);
        vars.set(x.name, String(v));
        return v;
      }
      case "cond": {
        // math.c evaluates both branches (their assignments happen either way)
        const c = ev(x.c);
        const t = ev(x.t);
        const f = ev(x.f);
        return c !== 0n ? t : f;
      }
      case "bin":
        // math.c evaluates both sides (assignments on the right happen too)
        if (x.op === "&&") {
          const l = ev(x.l);
          const r = ev(x.r);
          return l !== 0n && r !== 0n ? 1n : 0n;
        }
        if (x.op === "||") {
          const l = ev(x.l);
          const r = ev(x.r);
          return l !== 0n || r !== 0n ? 1n : 0n;
        }
        if (x.op === ",") {
          ev(x.l);
          return ev(x.r);
        }
        return binop(x.op, ev(x.l), ev(x.r));
    }
  };
  return ev(e);
}

function binop(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case "+":
      return wrap(a + b);
    case "-":
      return wrap(a - b);
    case "*":
      return wrap(a * b);
    case "/":
    case "%":
      if (b === 0n) throw new ArithError("divide by zero");
      return wrap(op === "/" ? a / b : a % b);
    case "**":
      if (b < 0n) throw new ArithError("exponent less than 0");
      return wrap(a ** b);
    case "<<":
      return wrap(a << (b & 63n));
    case ">>":
      return a >> (b & 63n);
    case "<":
      return a < b ? 1n : 0n;
    case "<=":
      return a <= b ? 1n : 0n;
    case ">":
      return a > b ? 1n : 0n;
    case ">=":
      return a >= b ? 1n : 0n;
    case "==":
      return a === b ? 1n : 0n;
    case "!=":
      return a !== b ? 1n : 0n;
    case "&":
      return a & b;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
  }
  return syntax();
}
