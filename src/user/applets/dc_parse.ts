/*
 * dc_parse.ts - dc's parser (BusyBox miscutils/bc.c: zdc_parse_*): one
 * command at a time; most are one instruction, registers follow s l S L
 * : ; and the conditionals, strings become functions run by x.
 * The instructions and code layout are bc_parse.ts's.
 */

import { L, type Lexer } from "./bc_lex.js";
import { type BcFunc, I, newFunc, type ParseHost } from "./bc_parse.js";

/** The instruction of a dc command token that compiles one-to-one (dc_LEX_to_INST). */
const DC_INST: Partial<Record<L, I>> = {
  [L.POWER]: I.POWER,
  [L.MULTIPLY]: I.MULTIPLY,
  [L.DIVIDE]: I.DIVIDE,
  [L.MODULUS]: I.MODULUS,
  [L.PLUS]: I.PLUS,
  [L.MINUS]: I.MINUS,
  [L.BOOL_NOT]: I.BOOL_NOT,
  [L.DC_LPAREN]: I.REL_GT,
  [L.DC_IBASE]: I.IBASE,
  [L.DC_SCALE]: I.SCALE,
  [L.DC_OBASE]: I.OBASE,
  [L.DC_LENGTH]: I.LENGTH,
  [L.DC_PRINT]: I.PRINT,
  [L.DC_QUIT]: I.QUIT,
  [L.DC_SQRT]: I.SQRT,
  [L.DC_LBRACE]: I.REL_GE,
  [L.DC_EQ_NO_REG]: I.REL_EQ,
  [L.DC_MODEXP]: I.MODEXP,
  [L.DC_DIVMOD]: I.DIVMOD,
  [L.DC_EXECUTE]: I.EXECUTE,
  [L.DC_PRINT_STACK]: I.PRINT_STACK,
  [L.DC_CLEAR_STACK]: I.CLEAR_STACK,
  [L.DC_STACK_LEVEL]: I.STACK_LEN,
  [L.DC_DUPLICATE]: I.DUPLICATE,
  [L.DC_SWAP]: I.SWAP,
  [L.DC_POP]: I.POP,
  [L.DC_ASCIIFY]: I.ASCIIFY,
  [L.DC_PRINT_STREAM]: I.PRINT_STREAM,
  [L.DC_PRINT_POP]: I.PRINT,
  [L.DC_NQUIT]: I.NQUIT,
  [L.DC_SCALE_FACTOR]: I.SCALE_FUNC,
};

export class DcParser {
  constructor(
    readonly p: Lexer,
    readonly host: ParseHost,
    public func: BcFunc,
  ) {}

  private push(...x: (number | string)[]): void {
    this.func.code.push(...x);
  }

  private register(): void {
    this.p.next();
    if (this.p.tok() !== L.NAME) throw this.p.errorAt("bad token");
    this.push(this.p.str);
  }

  private mem(inst: I, name: boolean, store: boolean): void {
    this.push(inst);
    if (name) this.register();
    if (store) this.push(I.SWAP, I.ASSIGN, I.POP);
  }

  private cond(inst: I): void {
    this.push(inst, I.EXEC_COND);
    this.register();
    this.p.next();
    if (this.p.tok() === L.DC_ELSE) {
      this.register();
      this.p.next();
    } else this.push("");
  }

  private token(t: L): void {
    const p = this.p;
    let getToken = true;
    switch (t) {
      case L.REL_EQ:
      case L.REL_LE:
      case L.REL_GE:
      case L.REL_NE:
      case L.REL_LT:
      case L.REL_GT:
        this.cond(t - L.REL_EQ + I.REL_EQ);
        getToken = false;
        break;
      case L.DC_SCOLON:
      case L.DC_COLON:
        this.mem(I.ARRAY_ELEM, true, t === L.DC_COLON);
        break;
      case L.STR:
        this.push(I.STR, this.host.strs.push(p.str) - 1);
        this.host.fns.push(newFunc());
        break;
      case L.NEG:
        p.next();
        if (p.tok() !== L.NUMBER) throw p.errorAt("bad token");
        this.push(I.NUM, this.host.consts.push(p.str) - 1, I.NEG);
        break;
      case L.NUMBER:
        this.push(I.NUM, this.host.consts.push(p.str) - 1);
        break;
      case L.DC_READ:
        this.push(I.READ);
        break;
      case L.DC_ASSIGN:
      case L.DC_STORE_PUSH: {
        const assign = t === L.DC_ASSIGN;
        this.mem(assign ? I.VAR : I.PUSH_TO_VAR, true, assign);
        break;
      }
      case L.DC_LOAD:
      case L.DC_LOAD_POP:
        this.mem(t === L.DC_LOAD_POP ? I.PUSH_VAR : I.LOAD, true, false);
        break;
      case L.DC_STORE_IBASE:
        this.mem(I.IBASE, false, true);
        break;
      case L.DC_STORE_SCALE:
        this.mem(I.SCALE, false, true);
        break;
      case L.DC_STORE_OBASE:
        this.mem(I.OBASE, false, true);
        break;
      default:
        throw p.errorAt("bad token");
    }
    if (getToken) p.next();
  }

  /** zdc_parse_expr: one command. */
  expr(): void {
    if (this.p.tok() === L.NLINE) {
      this.p.next();
      return;
    }
    const inst = DC_INST[this.p.tok()];
    if (inst !== undefined) {
      this.push(inst);
      this.p.next();
      return;
    }
    this.token(this.p.tok());
  }

  exprsUntilEof(): void {
    while (this.p.tok() !== L.EOF) this.expr();
  }
}
