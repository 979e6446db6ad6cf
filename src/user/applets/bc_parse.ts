/*
 * bc_parse.ts - bc's and dc's parsers (BusyBox miscutils/bc.c: zbc_parse_*,
 * zdc_parse_*). They compile to a stack machine's code, as bc.c does: an
 * expression by shunting-yard (operators wait on `ops` until one of lower
 * precedence comes), statements with jumps through per-function labels.
 * The machine (bc_program.ts) runs the main function's code after each
 * top-level statement and then drops it.
 *
 * Code is an array of instructions (I), each followed by its operands:
 * an index (NUM, STR, JUMP...) or a name (VAR, ARRAY...).
 */

import { L, type Lexer } from "./bc_lex.js";
import { BcError } from "./bc_num.js";

/** Instructions (BcInst); the binary operators keep the tokens' order. */
export enum I {
  INC_PRE,
  DEC_PRE,
  INC_POST,
  DEC_POST,
  NEG,
  REL_EQ,
  REL_LE,
  REL_GE,
  REL_NE,
  REL_LT,
  REL_GT,
  POWER,
  MULTIPLY,
  DIVIDE,
  MODULUS,
  PLUS,
  MINUS,
  BOOL_NOT,
  BOOL_OR,
  BOOL_AND,
  ASSIGN_POWER,
  ASSIGN_MULTIPLY,
  ASSIGN_DIVIDE,
  ASSIGN_MODULUS,
  ASSIGN_PLUS,
  ASSIGN_MINUS,
  ASSIGN,
  NUM,
  VAR,
  ARRAY_ELEM,
  ARRAY,
  SCALE_FUNC,
  IBASE,
  OBASE,
  SCALE,
  LAST,
  LENGTH,
  READ,
  SQRT,
  PRINT,
  PRINT_POP,
  STR,
  PRINT_STR,
  HALT,
  JUMP,
  JUMP_ZERO,
  CALL,
  RET0,
  RET,
  POP,
  // dc
  POP_EXEC,
  MODEXP,
  DIVMOD,
  EXECUTE,
  EXEC_COND,
  ASCIIFY,
  PRINT_STREAM,
  PRINT_STACK,
  CLEAR_STACK,
  STACK_LEN,
  DUPLICATE,
  SWAP,
  LOAD,
  PUSH_VAR,
  PUSH_TO_VAR,
  QUIT,
  NQUIT,
}

/** BC_TYPE_*: what a function parameter or auto is. */
export enum T {
  VAR,
  ARRAY,
  REF,
}

export type Code = (number | string)[];

export interface BcFunc {
  code: Code;
  labels: number[];
  autos: { name: string; type: T }[];
  strs: string[];
  consts: string[];
  nparams: number;
  voidfunc: boolean;
}

export function newFunc(): BcFunc {
  return { code: [], labels: [], autos: [], strs: [], consts: [], nparams: 0, voidfunc: false };
}

/** What the parsers need of the program: its functions and, for dc, its strings. */
export interface ParseHost {
  fns: BcFunc[];
  fnMap: Map<string, number>;
  /** bc_program_addFunc: a new (or emptied) function of that name. */
  addFunc(name: string): number;
  /** dc: the program-wide strings and constants. */
  strs: string[];
  consts: string[];
  /** bc's "limits" and "quit" act while parsing. */
  limits(): void;
  quit(): never;
}

/** Operator precedence (lower binds tighter) and left associativity, from NEG on. */
const PREC: [number, boolean][] = [
  [1, false], // neg
  [6, true],
  [6, true],
  [6, true],
  [6, true],
  [6, true],
  [6, true], // == <= >= != < >
  [2, false], // ^
  [3, true],
  [3, true],
  [3, true], // * / %
  [4, true],
  [4, true], // + -
  [1, false], // !
  [7, true],
  [7, true], // || &&
  [5, false],
  [5, false],
  [5, false],
  [5, false],
  [5, false],
  [5, false],
  [5, false], // assignments
  [0, false],
  [0, false], // ++ --
];
const prec = (t: L): [number, boolean] => PREC[t - L.NEG]!;
/** BC_TOKEN_2_INST: a binary operator (or NEG/!) token's instruction. */
const tok2inst = (t: L): I => t - L.NEG + I.NEG;

/** Tokens that may continue a bc expression (BC_PARSE_EXPRS_BITS). */
function allowedInExpr(t: L): boolean {
  if (t >= L.STR && t <= L.NUMBER) return t !== L.STR;
  if (t >= L.NEG && t <= L.DEC) return true;
  if (t === L.LPAREN || t === L.RPAREN) return true;
  return (
    t === L.KEY_IBASE ||
    t === L.KEY_OBASE ||
    t === L.KEY_LAST ||
    t === L.KEY_LENGTH ||
    t === L.KEY_READ ||
    t === L.KEY_SCALE ||
    t === L.KEY_SQRT
  );
}

const F_REL = 1;
const F_PRINT = 2;
const F_ARRAY = 4;
const F_NOCALL = 8;

export class BcParser {
  func: BcFunc;
  fidx = 0;
  inFuncdef = 0;
  exits: number[] = [];
  conds: number[] = [];
  ops: L[] = [];

  constructor(
    readonly p: Lexer,
    readonly host: ParseHost,
  ) {
    this.func = host.fns[0]!;
  }

  private push(...x: (number | string)[]): void {
    this.func.code.push(...x);
  }

  private posix(msg: string): void {
    const h = this.p.host;
    if (!h.posixMode) return;
    if (h.posixMode === 2) throw new BcError(msg);
    h.warn(msg);
  }

  private badExpr(): BcError {
    return this.p.errorAt("bad expression");
  }

  private badToken(): BcError {
    return this.p.errorAt("bad token");
  }

  /** xc_parse_reset: after an error, back to the main function, ops dropped. */
  reset(): void {
    if (this.fidx !== 0) {
      Object.assign(this.func, newFunc());
      this.fidx = 0;
      this.func = this.host.fns[0]!;
    }
    this.exits = [];
    this.conds = [];
    this.ops = [];
  }

  private pushNum(): void {
    this.push(I.NUM, this.func.consts.push(this.p.str) - 1);
  }

  private pushStr(): void {
    this.push(I.STR, this.func.strs.push(this.p.str) - 1);
    this.p.next();
  }

  /** zbc_parse_stmt_or_funcdef */
  stmtOrFuncdef(): void {
    if (this.p.tok() === L.KEY_DEFINE) this.funcdef();
    else this.stmt();
  }

  private stmtAllowNlineBefore(after: string): void {
    this.p.next();
    if (this.p.tok() === L.NLINE) this.p.next();
    if (this.p.tok() === L.NLINE) throw new BcError(`no statement after '${after}'`);
    this.stmt();
  }

  private operator(type: L, start: number, nexprs: { n: number }): void {
    const [r, left] = prec(type);
    while (this.ops.length > start) {
      const t = this.ops[this.ops.length - 1]!;
      if (t === L.LPAREN) break;
      const l = prec(t)[0];
      if (l >= r && (l !== r || !left)) break;
      this.push(tok2inst(t));
      this.ops.pop();
      nexprs.n -= t !== L.BOOL_NOT && t !== L.NEG ? 1 : 0;
    }
    this.ops.push(type);
  }

  private rightParen(start: number, nexprs: { n: number }): void {
    if (this.ops.length <= start) throw this.badExpr();
    let top = this.ops[this.ops.length - 1]!;
    while (top !== L.LPAREN) {
      this.push(tok2inst(top));
      this.ops.pop();
      nexprs.n -= top !== L.BOOL_NOT && top !== L.NEG ? 1 : 0;
      if (this.ops.length <= start) throw this.badExpr();
      top = this.ops[this.ops.length - 1]!;
    }
    this.ops.pop();
  }

  private params(flags: number): void {
    flags = (flags & ~(F_PRINT | F_REL)) | F_ARRAY;
    this.p.next();
    let n = 0;
    if (this.p.tok() !== L.RPAREN) {
      for (;;) {
        this.expr(flags);
        n++;
        if (this.p.tok() !== L.COMMA) {
          if (this.p.tok() === L.RPAREN) break;
          throw this.badToken();
        }
        this.p.next();
      }
    }
    this.push(I.CALL, n);
  }

  private call(name: string, flags: number): void {
    this.params(flags);
    if (this.p.tok() !== L.RPAREN) throw this.badToken();
    let idx = this.host.fnMap.get(name);
    if (idx === undefined) idx = this.host.addFunc(name);
    this.push(idx);
    this.p.next();
  }

  /** zbc_parse_name: a variable, an array element, "a[]" or a call. */
  private name(flags: number): I {
    const name = this.p.str;
    this.p.next();
    if (this.p.tok() === L.LBRACKET) {
      this.p.next();
      let type: I;
      if (this.p.tok() === L.RBRACKET) {
        if (!(flags & F_ARRAY)) throw this.badExpr();
        type = I.ARRAY;
      } else {
        type = I.ARRAY_ELEM;
        this.expr(flags & ~(F_PRINT | F_REL));
      }
      this.p.next();
      this.push(type, name);
      return type;
    }
    if (this.p.tok() === L.LPAREN) {
      if (flags & F_NOCALL) throw this.badToken();
      this.call(name, flags);
      return I.CALL;
    }
    this.push(I.VAR, name);
    return I.VAR;
  }

  private read(): void {
    this.p.next();
    if (this.p.tok() !== L.LPAREN) throw this.badToken();
    this.p.next();
    if (this.p.tok() !== L.RPAREN) throw this.badToken();
    this.push(I.READ);
  }

  private builtin(type: L, flags: number): I {
    this.p.next();
    if (this.p.tok() !== L.LPAREN) throw this.badToken();
    this.p.next();
    this.expr((flags & ~(F_PRINT | F_REL)) | F_ARRAY);
    if (this.p.tok() !== L.RPAREN) throw this.badToken();
    const inst = type === L.KEY_LENGTH ? I.LENGTH : I.SQRT;
    this.push(inst);
    return inst;
  }

  private scale(flags: number): I {
    this.p.next();
    if (this.p.tok() !== L.LPAREN) {
      this.push(I.SCALE);
      return I.SCALE;
    }
    this.p.next();
    this.expr(flags & ~(F_PRINT | F_REL));
    if (this.p.tok() !== L.RPAREN) throw this.badToken();
    this.push(I.SCALE_FUNC);
    this.p.next();
    return I.SCALE_FUNC;
  }

  private incdec(prev: I, nexprs: { n: number }, flags: number): I {
    const dec = this.p.tok() !== L.INC ? 1 : 0;
    if (
      prev === I.VAR ||
      prev === I.ARRAY_ELEM ||
      prev === I.SCALE ||
      prev === I.LAST ||
      prev === I.IBASE ||
      prev === I.OBASE
    ) {
      const inst = I.INC_POST + dec;
      this.push(inst);
      this.p.next();
      return inst;
    }
    const inst = I.INC_PRE + dec;
    this.p.next();
    const type = this.p.tok();
    nexprs.n++;
    switch (type) {
      case L.NAME:
        this.name(flags | F_NOCALL);
        break;
      case L.KEY_IBASE:
      case L.KEY_LAST:
      case L.KEY_OBASE:
        this.push(keyInst(type));
        this.p.next();
        break;
      case L.KEY_SCALE:
        this.p.next();
        if (this.p.tok() === L.LPAREN) throw this.badToken();
        this.push(I.SCALE);
        break;
      default:
        throw this.badToken();
    }
    this.push(inst);
    return inst;
  }

  private print(): void {
    for (;;) {
      this.p.next();
      if (this.p.tok() === L.STR) this.pushStr();
      else this.expr(0);
      this.push(I.PRINT_POP);
      if (this.p.tok() !== L.COMMA) break;
    }
  }

  private ret(): void {
    this.p.next();
    const t = this.p.tok();
    if (t === L.NLINE || t === L.SCOLON || t === L.RBRACE) {
      this.push(I.RET0);
      return;
    }
    this.expr(0);
    if (t !== L.LPAREN || this.p.last !== L.RPAREN)
      this.posix("POSIX requires parentheses around return expressions");
    this.push(I.RET);
  }

  private newLabel(at: number): number {
    return this.func.labels.push(at) - 1;
  }

  private if_(): void {
    this.p.next();
    if (this.p.tok() !== L.LPAREN) throw this.badToken();
    this.p.next();
    this.expr(F_REL);
    if (this.p.tok() !== L.RPAREN) throw this.badToken();
    let ip = this.newLabel(0);
    this.push(I.JUMP_ZERO, ip);
    this.stmtAllowNlineBefore("if");
    if (this.p.tok() === L.KEY_ELSE) {
      const ip2 = this.newLabel(0);
      this.push(I.JUMP, ip2);
      this.func.labels[ip] = this.func.code.length;
      ip = ip2;
      this.stmtAllowNlineBefore("else");
    }
    this.func.labels[ip] = this.func.code.length;
  }

  private while_(): void {
    this.p.next();
    if (this.p.tok() !== L.LPAREN) throw this.badToken();
    this.p.next();
    const cond = this.newLabel(this.func.code.length);
    const ip = cond + 1;
    this.conds.push(cond);
    this.exits.push(ip);
    this.newLabel(ip);
    this.expr(F_REL);
    if (this.p.tok() !== L.RPAREN) throw this.badToken();
    this.push(I.JUMP_ZERO, ip);
    this.stmtAllowNlineBefore("while");
    this.push(I.JUMP, cond);
    this.func.labels[ip] = this.func.code.length;
    this.exits.pop();
    this.conds.pop();
  }

  private for_(): void {
    this.p.next();
    if (this.p.tok() !== L.LPAREN) throw this.badToken();
    this.p.next();
    if (this.p.tok() !== L.SCOLON) {
      this.expr(0);
      this.push(I.POP);
    } else this.posix("POSIX does not allow an empty init expression in 'for()'");
    if (this.p.tok() !== L.SCOLON) throw this.badToken();
    this.p.next();
    const cond = this.newLabel(this.func.code.length);
    const update = cond + 1;
    const body = update + 1;
    const exit = body + 1;
    if (this.p.tok() !== L.SCOLON) this.expr(F_REL);
    else {
      this.p.str = "1";
      this.pushNum();
      this.posix("POSIX does not allow an empty condition expression in 'for()'");
    }
    if (this.p.tok() !== L.SCOLON) throw this.badToken();
    this.p.next();
    this.push(I.JUMP_ZERO, exit);
    this.push(I.JUMP, body);
    this.conds.push(update);
    this.newLabel(this.func.code.length);
    if (this.p.tok() !== L.RPAREN) {
      this.expr(0);
      if (this.p.tok() !== L.RPAREN) throw this.badToken();
      this.push(I.POP);
    } else this.posix("POSIX does not allow an empty update expression in 'for()'");
    this.push(I.JUMP, cond);
    this.newLabel(this.func.code.length);
    this.exits.push(exit);
    this.newLabel(exit);
    this.stmtAllowNlineBefore("for");
    this.push(I.JUMP, update);
    this.func.labels[exit] = this.func.code.length;
    this.exits.pop();
    this.conds.pop();
  }

  private breakOrContinue(type: L): void {
    let i: number;
    if (type === L.KEY_BREAK) {
      if (this.exits.length === 0) throw this.badToken();
      i = this.exits[this.exits.length - 1]!;
    } else {
      // bc.c reads the top of an empty vector here; a continue outside a loop jumps nowhere useful
      if (this.conds.length === 0) throw this.badToken();
      i = this.conds[this.conds.length - 1]!;
    }
    this.push(I.JUMP, i);
    this.p.next();
  }

  private funcInsert(name: string, type: T): void {
    for (const a of this.func.autos)
      if (a.name === name && a.type === type) throw new BcError("duplicate function parameter or auto name");
    this.func.autos.push({ name, type });
  }

  private funcdef(): void {
    const p = this.p;
    p.next();
    if (p.tok() !== L.NAME) throw p.errorAt("bad function definition");
    let voidfunc = p.str === "void";
    p.next();
    voidfunc = voidfunc && p.tok() === L.NAME;
    if (voidfunc) p.next();
    if (p.tok() !== L.LPAREN) throw p.errorAt("bad function definition");
    this.fidx = this.host.addFunc(p.str);
    this.func = this.host.fns[this.fidx]!;
    this.func.voidfunc = voidfunc;
    p.next();
    let comma = false;
    while (p.tok() !== L.RPAREN) {
      let t = T.VAR;
      if (p.tok() === L.MULTIPLY) {
        t = T.REF;
        p.next();
        this.posix("POSIX does not allow references");
      }
      if (p.tok() !== L.NAME) throw p.errorAt("bad function definition");
      this.func.nparams++;
      const name = p.str;
      p.next();
      if (p.tok() === L.LBRACKET) {
        if (t === T.VAR) t = T.ARRAY;
        p.next();
        if (p.tok() !== L.RBRACKET) throw p.errorAt("bad function definition");
        p.next();
      } else if (t === T.REF) throw p.errorAt("vars can't be references");
      comma = p.tok() === L.COMMA;
      if (comma) p.next();
      this.funcInsert(name, t);
    }
    if (comma) throw p.errorAt("bad function definition");
    p.next();
    if (p.tok() !== L.LBRACE)
      this.posix("POSIX requires the left brace be on the same line as the function header");
    if (p.tok() === L.NLINE) p.next();
    if (p.tok() !== L.LBRACE) throw new BcError("function { body } expected");
    this.inFuncdef++;
    try {
      this.stmtPossiblyAuto(true);
    } finally {
      this.inFuncdef--;
    }
    this.push(I.RET0);
    this.fidx = 0;
    this.func = this.host.fns[0]!;
  }

  private auto(): void {
    const p = this.p;
    p.next();
    for (;;) {
      if (p.tok() !== L.NAME) throw p.errorAt("bad 'auto' syntax");
      const name = p.str;
      p.next();
      let t = T.VAR;
      if (p.tok() === L.LBRACKET) {
        t = T.ARRAY;
        p.next();
        if (p.tok() !== L.RBRACKET) throw p.errorAt("bad 'auto' syntax");
        p.next();
      }
      this.funcInsert(name, t);
      if (p.tok() === L.NLINE || p.tok() === L.SCOLON) break;
      if (p.tok() !== L.COMMA) throw p.errorAt("bad 'auto' syntax");
      p.next();
    }
  }

  stmt(): void {
    this.stmtPossiblyAuto(false);
  }

  private stmtPossiblyAuto(autoAllowed: boolean): void {
    const p = this.p;
    if (p.tok() === L.NLINE || p.tok() === L.SCOLON) return;
    if (p.tok() === L.LBRACE) {
      do p.next();
      while (p.tok() === L.NLINE);
      if (autoAllowed && p.tok() === L.KEY_AUTO) this.auto();
      while (p.tok() !== L.RBRACE) {
        this.stmt();
        if (p.tok() === L.RBRACE) break;
        if (p.tok() !== L.SCOLON && p.tok() !== L.NLINE) throw p.errorAt("bad statement terminator");
        p.next();
      }
      p.next();
      return;
    }
    switch (p.tok()) {
      case L.MINUS:
      case L.INC:
      case L.DEC:
      case L.BOOL_NOT:
      case L.LPAREN:
      case L.NAME:
      case L.NUMBER:
      case L.KEY_IBASE:
      case L.KEY_LAST:
      case L.KEY_LENGTH:
      case L.KEY_OBASE:
      case L.KEY_READ:
      case L.KEY_SCALE:
      case L.KEY_SQRT:
        this.expr(F_PRINT);
        break;
      case L.STR:
        this.pushStr();
        this.push(I.PRINT_STR);
        break;
      case L.KEY_BREAK:
      case L.KEY_CONTINUE:
        this.breakOrContinue(p.tok());
        break;
      case L.KEY_FOR:
        this.for_();
        break;
      case L.KEY_HALT:
        this.push(I.HALT);
        p.next();
        break;
      case L.KEY_IF:
        this.if_();
        break;
      case L.KEY_LIMITS:
        this.host.limits();
        p.next();
        break;
      case L.KEY_PRINT:
        this.print();
        break;
      case L.KEY_QUIT:
        this.host.quit();
        break;
      case L.KEY_RETURN:
        if (!this.inFuncdef) throw new BcError("'return' not in a function");
        this.ret();
        break;
      case L.KEY_WHILE:
        this.while_();
        break;
      default:
        throw this.badToken();
    }
  }

  /** zbc_parse_expr */
  expr(flags: number): void {
    const p = this.p;
    let prev: I = I.PRINT;
    const nexprs = { n: 0 };
    const opsBgn = this.ops.length;
    const parenFirst = p.tok() === L.LPAREN;
    let nparens = 0;
    let nrelops = 0;
    let rprn = false;
    let assign = false;
    let incdec = false;
    let binLast = true;
    const leaf = (): boolean => !binLast && (rprn || isLeaf(prev));
    loop: for (;;) {
      const t = p.tok();
      if (!allowedInExpr(t)) break;
      let getToken = false;
      switch (t) {
        case L.INC:
        case L.DEC:
          if (incdec) throw p.errorAt("bad assignment: left side must be variable or array element");
          prev = this.incdec(prev, nexprs, flags);
          incdec = true;
          rprn = binLast = false;
          break;
        case L.MINUS: {
          p.next();
          const type = leaf() ? L.MINUS : L.NEG;
          prev = tok2inst(type);
          if (type !== L.MINUS) this.ops.push(type);
          else this.operator(type, opsBgn, nexprs);
          rprn = false;
          binLast = prev === I.MINUS;
          if (binLast) incdec = false;
          break;
        }
        case L.ASSIGN_POWER:
        case L.ASSIGN_MULTIPLY:
        case L.ASSIGN_DIVIDE:
        case L.ASSIGN_MODULUS:
        case L.ASSIGN_PLUS:
        case L.ASSIGN_MINUS:
        case L.ASSIGN:
        case L.POWER:
        case L.MULTIPLY:
        case L.DIVIDE:
        case L.MODULUS:
        case L.PLUS:
        case L.REL_EQ:
        case L.REL_LE:
        case L.REL_GE:
        case L.REL_NE:
        case L.REL_LT:
        case L.REL_GT:
        case L.BOOL_NOT:
        case L.BOOL_OR:
        case L.BOOL_AND:
          if (t >= L.ASSIGN_POWER && t <= L.ASSIGN && !isLvalue(prev))
            throw p.errorAt("bad assignment: left side must be variable or array element");
          if (t === L.BOOL_NOT) {
            if (!binLast && p.last !== L.BOOL_NOT) throw this.badExpr();
          } else if (prev === I.BOOL_NOT) throw this.badExpr();
          if (t >= L.REL_EQ && t <= L.REL_GT) nrelops++;
          prev = tok2inst(t);
          this.operator(t, opsBgn, nexprs);
          rprn = incdec = false;
          getToken = true;
          binLast = t !== L.BOOL_NOT;
          break;
        case L.LPAREN:
          if (leaf()) throw this.badExpr();
          this.ops.push(t);
          nparens++;
          getToken = true;
          rprn = incdec = false;
          break;
        case L.RPAREN:
          if (binLast || prev === I.BOOL_NOT) throw this.badExpr();
          if (nparens === 0) break loop;
          this.rightParen(opsBgn, nexprs);
          nparens--;
          getToken = true;
          rprn = true;
          binLast = incdec = false;
          break;
        case L.NAME:
          if (leaf()) throw this.badExpr();
          prev = this.name(flags & ~F_NOCALL);
          rprn = prev === I.CALL;
          binLast = false;
          nexprs.n++;
          break;
        case L.NUMBER:
          if (leaf()) throw this.badExpr();
          this.pushNum();
          prev = I.NUM;
          getToken = true;
          rprn = binLast = false;
          nexprs.n++;
          break;
        case L.KEY_IBASE:
        case L.KEY_LAST:
        case L.KEY_OBASE:
          if (leaf()) throw this.badExpr();
          prev = keyInst(t);
          this.push(prev);
          getToken = true;
          rprn = binLast = false;
          nexprs.n++;
          break;
        case L.KEY_LENGTH:
        case L.KEY_SQRT:
          if (leaf()) throw this.badExpr();
          prev = this.builtin(t, flags);
          getToken = true;
          rprn = binLast = incdec = false;
          nexprs.n++;
          break;
        case L.KEY_READ:
          if (leaf()) throw this.badExpr();
          this.read();
          prev = I.READ;
          getToken = true;
          rprn = binLast = incdec = false;
          nexprs.n++;
          break;
        case L.KEY_SCALE:
          if (leaf()) throw this.badExpr();
          prev = this.scale(flags);
          rprn = binLast = false;
          nexprs.n++;
          break;
        default:
          throw this.badToken();
      }
      if (getToken) p.next();
    }
    while (this.ops.length > opsBgn) {
      const top = this.ops[this.ops.length - 1]!;
      assign = top >= L.ASSIGN_POWER && top <= L.ASSIGN;
      if (top === L.LPAREN || top === L.RPAREN) throw this.badExpr();
      this.push(tok2inst(top));
      nexprs.n -= top !== L.BOOL_NOT && top !== L.NEG ? 1 : 0;
      this.ops.pop();
    }
    if (prev === I.BOOL_NOT || nexprs.n !== 1) throw this.badExpr();
    if (!(flags & F_REL) && nrelops)
      this.posix("POSIX does not allow comparison operators outside if or loops");
    else if (flags & F_REL && nrelops > 1)
      this.posix("POSIX requires exactly one comparison operator per condition");
    if (flags & F_PRINT) {
      if (parenFirst || !assign) this.push(I.PRINT);
      this.push(I.POP);
    }
  }
}

function keyInst(t: L): I {
  return t === L.KEY_IBASE ? I.IBASE : t === L.KEY_OBASE ? I.OBASE : I.LAST;
}

function isLvalue(p: I): boolean {
  return p === I.VAR || p === I.ARRAY_ELEM || p === I.SCALE || p === I.IBASE || p === I.OBASE || p === I.LAST;
}

function isLeaf(p: I): boolean {
  return (p >= I.NUM && p <= I.SQRT) || p === I.INC_POST || p === I.DEC_POST;
}
