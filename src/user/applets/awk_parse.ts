/*
 * awk_parse.ts - the awk grammar (POSIX, as BusyBox editors/awk.c's
 * parse_program/parse_expr/chain_group accept it) into a tree that
 * awk_interp.ts walks. Tokens come from awk_lex.ts.
 *
 * One function per grammar level, lowest precedence first:
 *
 *   expr       ternary [= += -= *= /= %= ^= expr]   (right to left)
 *   ternary    or [? expr : expr]
 *   or, and    || and &&, a newline allowed after either
 *   in_expr    match {in NAME}
 *   match      compare {~ !~ compare}
 *   compare    pipe [< <= != == > >= pipe]   (in print, a bare > redirects
 *              and a bare || is an error, as BusyBox's lexer sees a pipe)
 *   pipe       concat {| getline [lvalue]}
 *   concat     additive {additive}   (implicit: the next token starts an operand)
 *   additive, multiplicative, unary (! - +), power (^ **, right to left),
 *   postfix (++ --), primary: number, string, /regex/, (expr), (list) in A,
 *   $primary, ++lvalue, NAME, NAME[list], f(args), builtin[(args)],
 *   getline [lvalue] [< primary].
 *
 * Names are bound while parsing: a function's parameters become local
 * slots, every other name one global cell (the interpreter's table), so
 * nothing is looked up by name at run time. Calls to functions defined
 * later are bound after the whole program is read.
 */

import { AwkSyntaxError, type Token, tokenize } from "./awk_lex.js";
import type { Cell, Val } from "./awk_value.js";

/** An expression; `io` (set by awk_eval.ts's mark_io) when evaluating it may make system calls. */
export type Node = NodeKind & { io?: boolean };

type NodeKind =
  | { k: "num"; v: number }
  | { k: "val"; v: Val }
  | { k: "str"; v: string }
  | { k: "ere"; src: string }
  | { k: "var"; cell: Cell }
  | { k: "local"; i: number }
  | { k: "index"; arr: ArrRef; subs: Node[] }
  | { k: "field"; e: Node }
  | { k: "group"; e: Node }
  | { k: "list"; items: Node[] }
  | { k: "assign"; op: string; l: Node; r: Node }
  | { k: "cond"; c: Node; a: Node; b: Node }
  | { k: "and" | "or"; a: Node; b: Node }
  | { k: "in"; subs: Node[]; arr: ArrRef }
  | { k: "match"; neg: boolean; l: Node; r: Node }
  | { k: "cmp"; op: string; a: Node; b: Node }
  | { k: "concat"; a: Node; b: Node }
  | { k: "bin"; op: string; a: Node; b: Node }
  | { k: "unary"; op: string; e: Node }
  | { k: "incdec"; op: string; pre: boolean; l: Node }
  | { k: "call"; name: string; args: Node[]; line: number; fn?: Func }
  | { k: "builtin"; name: string; args: Node[] }
  | { k: "getline"; lv: Node | null; file: Node | null; cmd: Node | null };

export type ArrRef = { k: "var"; cell: Cell } | { k: "local"; i: number };

export interface Redir {
  op: ">" | ">>" | "|";
  e: Node;
}

/** A statement; `line` is where it starts, for run-time error messages; `io` as for Node. */
export type Stmt = StmtKind & { line?: number; io?: boolean };

type StmtKind =
  | { k: "print" | "printf"; args: Node[]; redir: Redir | null }
  | { k: "expr"; e: Node }
  | { k: "if"; c: Node; t: Stmt; f: Stmt | null }
  | { k: "while"; c: Node; body: Stmt }
  | { k: "do"; body: Stmt; c: Node }
  | { k: "for"; init: Node | null; c: Node | null; step: Node | null; body: Stmt }
  | { k: "forin"; v: Node; arr: ArrRef; body: Stmt }
  | { k: "block"; body: Stmt[] }
  | { k: "next" | "nextfile" | "break" | "continue" }
  | { k: "exit" | "return"; e: Node | null }
  | { k: "delete"; arr: ArrRef; subs: Node[] | null };

export interface Func {
  name: string;
  nparams: number;
  body: Stmt[];
  /** Does a call make system calls (awk_eval.ts's mark_io)? */
  io?: boolean;
}

export interface Rule {
  pat: Node | null;
  /** The end of a range pattern "p1, p2". */
  pat2: Node | null;
  /** null: the default action, print $0. */
  body: Stmt[] | null;
  inRange: boolean;
}

export interface Program {
  begin: Stmt[][];
  rules: Rule[];
  end: Stmt[][];
  funcs: Map<string, Func>;
  /** Every call, bound to its function once all the program text is read. */
  calls: Extract<Node, { k: "call" }>[];
}

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "^=", "**="]);

class Parser {
  private pos = 0;
  private params: string[] | null = null;
  private loops = 0;
  constructor(
    private readonly toks: Token[],
    private readonly global: (name: string) => Cell,
    readonly prog: Program,
  ) {}

  private get t(): Token {
    return this.toks[this.pos];
  }
  private is(v: string): boolean {
    const t = this.t;
    return (t.k === "op" || t.k === "kw") && t.v === v;
  }
  /** syntax_error for the current token: a newline (or the end after one) is the end of string. */
  private fail(): never {
    const t = this.t;
    const prev = this.toks[this.pos - 1];
    const eos = t.k === "nl" || (t.k === "eof" && prev?.k === "nl");
    throw new AwkSyntaxError(eos ? "Unexpected end of string" : "Unexpected token", t.line);
  }
  private expect(v: string): void {
    if (!this.is(v)) this.fail();
    this.pos++;
  }
  private skipNl(): void {
    while (this.t.k === "nl") this.pos++;
  }
  private skipTerms(): void {
    while (this.t.k === "nl" || this.is(";")) this.pos++;
  }

  program(): Program {
    this.skipTerms();
    while (this.t.k !== "eof") {
      this.item();
      this.skipTerms();
    }
    return this.prog;
  }

  private item(): void {
    if (this.is("BEGIN")) {
      this.pos++;
      this.prog.begin.push(this.action());
    } else if (this.is("END")) {
      this.pos++;
      this.prog.end.push(this.action());
    } else if (this.is("function")) {
      this.pos++;
      const t = this.t;
      if (t.k !== "funcname" && t.k !== "name") this.fail();
      this.pos++;
      this.expect("(");
      const params: string[] = [];
      while (!this.is(")")) {
        if (this.t.k !== "name") this.fail();
        params.push(this.t.v);
        this.pos++;
        if (this.is(",")) this.pos++;
        else if (!this.is(")")) this.fail();
      }
      this.pos++;
      this.skipNl();
      const f: Func = { name: t.v, nparams: params.length, body: [] };
      this.prog.funcs.set(t.v, f);
      this.params = params;
      f.body = this.action();
      this.params = null;
    } else {
      let pat: Node | null = null;
      let pat2: Node | null = null;
      if (!this.is("{")) {
        pat = this.expr(false);
        if (this.is(",")) {
          this.pos++;
          this.skipNl();
          pat2 = this.expr(false);
        }
      }
      const body = this.is("{") ? this.action() : null;
      this.prog.rules.push({ pat, pat2, body, inRange: false });
    }
  }

  /** "{" statements "}" */
  private action(): Stmt[] {
    this.expect("{");
    const body: Stmt[] = [];
    this.skipTerms();
    while (!this.is("}")) {
      if (this.t.k === "eof") this.fail();
      body.push(this.statement());
      this.skipTerms();
    }
    this.pos++;
    return body;
  }

  /** A simple statement ends at ";", a newline, or before "}". */
  private end_simple(): void {
    if (this.is(";") || this.t.k === "nl") {
      this.pos++;
      return;
    }
    if (this.is("}") || this.t.k === "eof") return;
    this.fail();
  }

  private body(): Stmt {
    this.loops++;
    const s = this.stmt_after_nl();
    this.loops--;
    return s;
  }

  private stmt_after_nl(): Stmt {
    this.skipNl();
    if (this.is(";")) {
      this.pos++;
      return { k: "block", body: [] };
    }
    return this.statement();
  }

  private statement(): Stmt {
    const line = this.t.line;
    const s = this.statement_kind();
    s.line = line;
    return s;
  }

  private statement_kind(): Stmt {
    const t = this.t;
    if (this.is("{")) return { k: "block", body: this.action() };
    if (this.is("if")) {
      this.pos++;
      this.expect("(");
      const c = this.expr(false);
      this.expect(")");
      const then = this.stmt_after_nl();
      const save = this.pos;
      this.skipTerms();
      if (this.is("else")) {
        this.pos++;
        return { k: "if", c, t: then, f: this.stmt_after_nl() };
      }
      this.pos = save;
      return { k: "if", c, t: then, f: null };
    }
    if (this.is("while")) {
      this.pos++;
      this.expect("(");
      const c = this.expr(false);
      this.expect(")");
      if (this.is(";")) {
        this.pos++;
        return { k: "while", c, body: { k: "block", body: [] } };
      }
      return { k: "while", c, body: this.body() };
    }
    if (this.is("do")) {
      this.pos++;
      const body = this.body();
      this.skipTerms();
      this.expect("while");
      this.expect("(");
      const c = this.expr(false);
      this.expect(")");
      this.end_simple();
      return { k: "do", body, c };
    }
    if (this.is("for")) return this.for_stmt();
    if (t.k === "kw" && (t.v === "break" || t.v === "continue")) {
      if (!this.loops) throw new AwkSyntaxError(`'${t.v}' not in a loop`, t.line);
      this.pos++;
      this.end_simple();
      return { k: t.v };
    }
    if (t.k === "kw" && (t.v === "next" || t.v === "nextfile")) {
      this.pos++;
      this.end_simple();
      return { k: t.v };
    }
    if (t.k === "kw" && (t.v === "exit" || t.v === "return")) {
      this.pos++;
      const e =
        this.is(";") || this.is("}") || this.t.k === "nl" || this.t.k === "eof" ? null : this.expr(false);
      this.end_simple();
      return { k: t.v, e };
    }
    if (this.is("delete")) {
      this.pos++;
      const n = this.t;
      if (n.k !== "name") this.fail();
      this.pos++;
      const arr = this.arr_ref(n.v);
      let subs: Node[] | null = null;
      if (this.is("[")) {
        this.pos++;
        subs = this.expr_list("]");
      }
      this.end_simple();
      return { k: "delete", arr, subs };
    }
    if (this.is("print") || this.is("printf")) {
      this.pos++;
      let args: Node[] = [];
      if (
        !(this.is(";") || this.is("}") || this.is(">") || this.is(">>") || this.is("|") || this.t.k === "nl")
      )
        args = this.print_list();
      if (args.length === 1 && args[0].k === "list") args = args[0].items;
      let redir: Redir | null = null;
      if (this.is(">") || this.is(">>") || this.is("|")) {
        const op = this.t.v as Redir["op"];
        this.pos++;
        redir = { op, e: this.ternary(false) };
      }
      this.end_simple();
      return { k: t.v as "print", args, redir };
    }
    const e = this.comma_expr();
    this.end_simple();
    return { k: "expr", e };
  }

  private for_stmt(): Stmt {
    this.pos++;
    this.expect("(");
    const a = this.toks;
    const p = this.pos;
    const paren = a[p].k === "op" && a[p].v === "(";
    const q = paren ? p + 1 : p;
    if (
      a[q].k === "name" &&
      a[q + 1].k === "kw" &&
      a[q + 1].v === "in" &&
      a[q + 2].k === "name" &&
      a[q + 3].k === "op" &&
      a[q + 3].v === ")" &&
      (!paren || (a[q + 4].k === "op" && a[q + 4].v === ")"))
    ) {
      const v = this.name_ref(a[q].v);
      const arr = this.arr_ref(a[q + 2].v);
      this.pos = q + (paren ? 5 : 4);
      return { k: "forin", v, arr, body: this.body() };
    }
    const init = this.is(";") ? null : this.comma_expr();
    this.expect(";");
    this.skipNl();
    const c = this.is(";") ? null : this.expr(false);
    this.expect(";");
    this.skipNl();
    const step = this.is(")") ? null : this.comma_expr();
    this.expect(")");
    if (this.is(";")) {
      this.pos++;
      return { k: "for", init, c, step, body: { k: "block", body: [] } };
    }
    return { k: "for", init, c, step, body: this.body() };
  }

  /** print's expression list: a top-level ">" is the redirection, not a comparison. */
  private print_list(): Node[] {
    const out = [this.expr(true)];
    while (this.is(",")) {
      this.pos++;
      this.skipNl();
      out.push(this.expr(true));
    }
    return out;
  }

  /** "a = 1, b = 2" as a statement: BusyBox's comma operator (the values joined by SUBSEP). */
  private comma_expr(): Node {
    const e = this.expr(false);
    if (!this.is(",")) return e;
    const items = [e];
    while (this.is(",")) {
      this.pos++;
      this.skipNl();
      items.push(this.expr(false));
    }
    return { k: "list", items };
  }

  private expr_list(close: string): Node[] {
    const out: Node[] = [];
    this.skipNl();
    while (!this.is(close)) {
      out.push(this.expr(false));
      this.skipNl();
      if (this.is(",")) {
        this.pos++;
        this.skipNl();
      } else if (!this.is(close)) this.fail();
    }
    this.pos++;
    return out;
  }

  private name_ref(name: string): Node {
    const i = this.params?.indexOf(name) ?? -1;
    return i >= 0 ? { k: "local", i } : { k: "var", cell: this.global(name) };
  }

  private arr_ref(name: string): ArrRef {
    return this.name_ref(name) as ArrRef;
  }

  private is_lvalue(n: Node): boolean {
    return n.k === "var" || n.k === "local" || n.k === "index" || n.k === "field";
  }

  expr(noGt: boolean): Node {
    const l = this.ternary(noGt);
    if ((this.t.k === "op" && ASSIGN_OPS.has(this.t.v)) || (this.is("/=") && this.is_lvalue(l))) {
      if (!this.is_lvalue(l)) this.fail();
      const op = this.t.v === "**=" ? "^=" : this.t.v;
      this.pos++;
      this.skipNl();
      return { k: "assign", op, l, r: this.expr(noGt) };
    }
    return l;
  }

  private ternary(noGt: boolean): Node {
    const c = this.or(noGt);
    if (!this.is("?")) return c;
    this.pos++;
    this.skipNl();
    const a = this.expr(noGt);
    this.skipNl();
    this.expect(":");
    this.skipNl();
    const b = this.expr(noGt);
    return { k: "cond", c, a, b };
  }

  private or(noGt: boolean): Node {
    let a = this.and(noGt);
    // In print, BusyBox's lexer takes the "|" of "||" for a pipe: only a parenthesized || works there.
    if (noGt && this.is("||")) this.fail();
    while (this.is("||")) {
      this.pos++;
      this.skipNl();
      a = { k: "or", a, b: this.and(noGt) };
    }
    return a;
  }

  private and(noGt: boolean): Node {
    let a = this.in_expr(noGt);
    while (this.is("&&")) {
      this.pos++;
      this.skipNl();
      a = { k: "and", a, b: this.in_expr(noGt) };
    }
    return a;
  }

  private in_expr(noGt: boolean): Node {
    let a = this.match(noGt);
    while (this.is("in")) {
      this.pos++;
      if (this.t.k !== "name") this.fail();
      a = { k: "in", subs: [a], arr: this.arr_ref(this.t.v) };
      this.pos++;
    }
    return a;
  }

  private match(noGt: boolean): Node {
    let l = this.compare(noGt);
    while (this.is("~") || this.is("!~")) {
      const neg = this.t.v === "!~";
      this.pos++;
      l = { k: "match", neg, l, r: this.compare(noGt) };
    }
    return l;
  }

  private compare(noGt: boolean): Node {
    const a = this.pipe();
    const t = this.t;
    if (t.k === "op" && ["<", "<=", "!=", "==", ">=", ">"].includes(t.v) && !(noGt && t.v === ">")) {
      this.pos++;
      return { k: "cmp", op: t.v, a, b: this.pipe() };
    }
    return a;
  }

  private pipe(): Node {
    let a = this.concat();
    while (this.is("|") && this.toks[this.pos + 1].k === "kw" && this.toks[this.pos + 1].v === "getline") {
      this.pos += 2;
      a = { k: "getline", cmd: a, lv: this.opt_lvalue(), file: null };
    }
    return a;
  }

  /** Can the current token start an operand of an implicit concatenation? */
  private starts_operand(): boolean {
    const t = this.t;
    if (t.k === "num" || t.k === "str" || t.k === "ere" || t.k === "name" || t.k === "funcname") return true;
    if (t.k === "builtin") return true;
    if (t.k === "kw") return t.v === "getline";
    return (
      t.k === "op" &&
      (t.v === "$" || t.v === "(" || t.v === "++" || t.v === "--" || t.v === "!" || t.v === "-")
    );
  }

  private concat(): Node {
    let a = this.additive();
    while (this.starts_operand() && !this.is("-") && !this.is("!")) {
      a = { k: "concat", a, b: this.additive() };
    }
    return a;
  }

  private additive(): Node {
    let a = this.mult();
    while (this.is("+") || this.is("-")) {
      const op = this.t.v;
      this.pos++;
      a = { k: "bin", op, a, b: this.mult() };
    }
    return a;
  }

  private mult(): Node {
    let a = this.unary();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = this.t.v;
      this.pos++;
      a = { k: "bin", op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Node {
    if (this.is("!") || this.is("-") || this.is("+")) {
      const op = this.t.v;
      this.pos++;
      return { k: "unary", op, e: this.unary() };
    }
    return this.power();
  }

  private power(): Node {
    const a = this.postfix();
    if (this.is("^") || this.is("**")) {
      this.pos++;
      return { k: "bin", op: "^", a, b: this.unary_power() };
    }
    return a;
  }

  /** The right side of "^": a sign is allowed (2^-1), and it groups right to left. */
  private unary_power(): Node {
    if (this.is("-") || this.is("+") || this.is("!")) {
      const op = this.t.v;
      this.pos++;
      return { k: "unary", op, e: this.unary_power() };
    }
    return this.power();
  }

  private postfix(): Node {
    const e = this.primary();
    if ((this.is("++") || this.is("--")) && this.is_lvalue(e)) {
      const op = this.t.v;
      this.pos++;
      return { k: "incdec", op, pre: false, l: e };
    }
    return e;
  }

  private opt_lvalue(): Node | null {
    const t = this.t;
    if (t.k === "name") {
      this.pos++;
      if (this.is("[")) {
        this.pos++;
        return { k: "index", arr: this.arr_ref(t.v), subs: this.expr_list("]") };
      }
      return this.name_ref(t.v);
    }
    if (this.is("$")) {
      this.pos++;
      return { k: "field", e: this.field_operand() };
    }
    return null;
  }

  /** What "$" applies to: ++/-- lvalue, a sign, or a primary (postfix ++ then applies to the field). */
  private field_operand(): Node {
    if (this.is("++") || this.is("--")) {
      const op = this.t.v;
      this.pos++;
      const l = this.primary();
      if (!this.is_lvalue(l)) this.fail();
      return { k: "incdec", op, pre: true, l };
    }
    if (this.is("-") || this.is("+") || this.is("!")) {
      const op = this.t.v;
      this.pos++;
      return { k: "unary", op, e: this.field_operand() };
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.t;
    switch (t.k) {
      case "num":
        this.pos++;
        return { k: "num", v: t.n };
      case "str":
        this.pos++;
        return { k: "str", v: t.v };
      case "ere":
        this.pos++;
        return { k: "ere", src: t.v };
      case "name": {
        this.pos++;
        if (this.is("[")) {
          this.pos++;
          return { k: "index", arr: this.arr_ref(t.v), subs: this.expr_list("]") };
        }
        return this.name_ref(t.v);
      }
      case "funcname": {
        this.pos += 2;
        const call: Extract<Node, { k: "call" }> = {
          k: "call",
          name: t.v,
          args: this.expr_list(")"),
          line: t.line,
        };
        this.prog.calls.push(call);
        return call;
      }
      case "builtin": {
        this.pos++;
        if (this.is("(")) {
          this.pos++;
          return { k: "builtin", name: t.v, args: this.expr_list(")") };
        }
        if (t.v !== "length") this.fail();
        return { k: "builtin", name: t.v, args: [] };
      }
      case "kw":
        if (t.v === "getline") {
          this.pos++;
          const lv = this.opt_lvalue();
          let file: Node | null = null;
          if (this.is("<")) {
            this.pos++;
            file = this.postfix();
          }
          return { k: "getline", lv, file, cmd: null };
        }
        break;
      case "op":
        if (t.v === "(") {
          this.pos++;
          this.skipNl();
          const items = this.expr_list(")");
          if (items.length === 0) this.fail();
          if (items.length > 1) {
            if (this.is("in")) {
              this.pos++;
              if (this.t.k !== "name") this.fail();
              const arr = this.arr_ref(this.t.v);
              this.pos++;
              return { k: "in", subs: items, arr };
            }
            return { k: "list", items };
          }
          return { k: "group", e: items[0] };
        }
        if (t.v === "$") {
          this.pos++;
          return { k: "field", e: this.field_operand() };
        }
        if (t.v === "++" || t.v === "--") {
          this.pos++;
          const l = this.primary();
          if (!this.is_lvalue(l)) this.fail();
          return { k: "incdec", op: t.v, pre: true, l };
        }
        if (t.v === "-" || t.v === "+" || t.v === "!") return this.unary();
        break;
    }
    this.fail();
  }
}

/** parse_program: one program text (-f file, -e text) added to prog; an AwkSyntaxError when it is wrong. */
export function parse_program(text: string, global: (name: string) => Cell, prog: Program): void {
  new Parser(tokenize(text), global, prog).program();
}

export function empty_program(): Program {
  return { begin: [], rules: [], end: [], funcs: new Map(), calls: [] };
}
