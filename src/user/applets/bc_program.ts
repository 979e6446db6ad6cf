/*
 * bc_program.ts - the stack machine bc and dc run (BusyBox miscutils/bc.c:
 * zxc_program_exec and its helpers). Results go on `results`, calls on
 * `exestack` ({ function, instruction index }); a variable is a stack of
 * values (autos and parameters push on call, pop on return), an array a
 * stack of arrays. A new variable is 0, a new array has one element, 0.
 *
 * Output goes through one queue of (fd, text) pieces so that stdout and
 * stderr come out in bc.c's order (it flushes stdout after every
 * instruction and before every message); the applet writes the queue out.
 * Printing is bc_print.ts's.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { L, Lexer } from "./bc_lex.js";
import {
  BcError,
  BcNum,
  num_add,
  num_cmp,
  num_div,
  num_divmod,
  num_mod,
  num_modexp,
  num_mul,
  num_parse,
  num_pow,
  num_sqrt,
  num_sub,
  num_ulong,
  num_ulong2num,
  num_zero,
  pow10,
} from "./bc_num.js";
import { type BcFunc, BcParser, I, newFunc, type ParseHost, T } from "./bc_parse.js";
import { NumPrinter } from "./bc_print.js";
import { DcParser } from "./dc_parse.js";

/** A dc string kept where a number could be (BC_PROG_STR): its index in strs. */
export class BcStr {
  constructor(readonly idx: number) {}
}
type Val = BcNum | BcStr;
interface Arr {
  v: BcNum[];
}

enum R {
  TEMP,
  VOID,
  VAR,
  ARRAY_ELEM,
  ARRAY,
  STR,
  IBASE,
  OBASE,
  SCALE,
  LAST,
  CONSTANT,
  ONE,
}

interface Result {
  t: R;
  n?: Val;
  name?: string;
  idx?: number;
}

/** Thrown by quit, halt and dc's q: leave with status 0. */
export class BcQuit extends Error {}

export interface ProgramHost {
  /** Reads one line of stdin for read() / dc's ?; null at EOF. */
  readLine(): UserGen<string | null>;
}

const MAX_OBASE = 999;

export class Program implements ParseHost {
  scale = 0;
  ib = 10;
  ob = 10;
  /** BC_LINE_LENGTH - 1 */
  len = 69;
  nchars = 0;
  results: Result[] = [];
  exestack: { func: number; idx: number }[] = [{ func: 0, idx: 0 }];
  fns: BcFunc[] = [];
  fnMap = new Map<string, number>();
  vars = new Map<string, Val[]>();
  arrs = new Map<string, Arr[]>();
  strs: string[] = [];
  consts: string[] = [];
  last = num_zero();
  out: { fd: number; s: string }[] = [];
  lexer!: Lexer;
  exreg = false;
  pr = new NumPrinter(this);

  constructor(
    readonly isBc: boolean,
    readonly host: ProgramHost,
  ) {
    if (isBc) {
      this.addFunc("");
      this.addFunc("1");
    } else {
      this.fns.push(newFunc(), newFunc());
    }
  }

  emit(fd: number, s: string): void {
    const last = this.out[this.out.length - 1];
    if (last && last.fd === fd) last.s += s;
    else this.out.push({ fd, s });
  }

  private put(s: string): void {
    this.emit(1, s);
  }

  addFunc(name: string): number {
    const idx = this.fnMap.get(name);
    if (idx !== undefined) {
      Object.assign(this.fns[idx]!, newFunc());
      return idx;
    }
    this.fnMap.set(name, this.fns.length);
    this.fns.push(newFunc());
    return this.fns.length - 1;
  }

  limits(): void {
    this.put(
      "BC_BASE_MAX     = 999\nBC_DIM_MAX      = 2147483647\nBC_SCALE_MAX    = 4294967295\nBC_STRING_MAX   = 4294967294\nMAX Exponent    = 999999999\nNumber of vars  = 999999999\n",
    );
  }

  quit(): never {
    throw new BcQuit();
  }

  /** xc_program_reset: after an error, drop the stacks. */
  reset(): void {
    this.exestack.length = 1;
    this.results = [];
    this.exestack[0]!.idx = this.fns[0]!.code.length;
  }

  /* ---- storage ---- */

  private varStack(name: string): Val[] {
    let v = this.vars.get(name);
    if (!v) {
      v = [num_zero()];
      this.vars.set(name, v);
    }
    return v;
  }

  private arrStack(name: string): Arr[] {
    let v = this.arrs.get(name);
    if (!v) {
      v = [{ v: [num_zero()] }];
      this.arrs.set(name, v);
    }
    return v;
  }

  private str(idx: number): string {
    if (this.isBc) return this.fns[this.exestack[this.exestack.length - 1]!.func]!.strs[idx]!;
    return this.strs[idx]!;
  }

  /** zxc_program_num: the value a result stands for. */
  private num(r: Result): Val | Arr {
    switch (r.t) {
      case R.STR:
      case R.TEMP:
      case R.VOID:
      case R.IBASE:
      case R.SCALE:
      case R.OBASE:
        return r.n!;
      case R.CONSTANT: {
        const consts = this.isBc
          ? this.fns[this.exestack[this.exestack.length - 1]!.func]!.consts
          : this.consts;
        r.n = num_parse(consts[r.idx!]!, this.ib);
        r.t = R.TEMP;
        return r.n;
      }
      case R.VAR: {
        const v = this.varStack(r.name!);
        return v[v.length - 1]!;
      }
      case R.ARRAY: {
        const a = this.arrStack(r.name!);
        return a[a.length - 1]!;
      }
      case R.ARRAY_ELEM: {
        const a = this.arrStack(r.name!);
        const arr = a[a.length - 1]!;
        while (arr.v.length <= r.idx!) arr.v.push(num_zero());
        return arr.v[r.idx!]!;
      }
      case R.LAST:
        return this.last;
      case R.ONE:
        return new BcNum(1n);
    }
  }

  /** Stores into what a result names (a variable, an element, last). */
  private store(r: Result, n: BcNum): void {
    switch (r.t) {
      case R.VAR: {
        const v = this.varStack(r.name!);
        v[v.length - 1] = n;
        break;
      }
      case R.ARRAY_ELEM: {
        const a = this.arrStack(r.name!);
        a[a.length - 1]!.v[r.idx!] = n;
        break;
      }
      case R.LAST:
        this.last = n;
        break;
      default:
        r.n = n;
    }
  }

  private isNum(r: Result, n: Val | Arr): n is BcNum {
    return r.t !== R.ARRAY && r.t !== R.STR && n instanceof BcNum;
  }

  private top(k = 0): Result {
    return this.results[this.results.length - 1 - k]!;
  }

  private need(n: number): void {
    if (this.results.length < n) throw new BcError("stack has too few elements");
  }

  /** zxc_program_binOpPrep */
  private binOpPrep(assign: boolean): [Result, Val | Arr, Result, Val | Arr] {
    this.need(2);
    const r = this.top(0);
    const l = this.top(1);
    const ln = this.num(l);
    const rn = this.num(r);
    if (!this.isNum(l, ln) && (!assign || l.t !== R.VAR)) throw new BcError("variable is wrong type");
    if (!assign && !this.isNum(r, ln)) throw new BcError("variable is wrong type");
    return [l, ln, r, rn];
  }

  /** zxc_program_prep */
  private prep(): [Result, BcNum] {
    this.need(1);
    const r = this.top();
    const n = this.num(r);
    if (!this.isNum(r, n)) throw new BcError("variable is wrong type");
    return [r, n];
  }

  private binOpRetire(n: Val): void {
    this.results.pop();
    this.results[this.results.length - 1] = { t: R.TEMP, n };
  }

  private retire(n: Val, t: R = R.TEMP): void {
    this.results[this.results.length - 1] = { t, n };
  }

  private binop(inst: I, a: BcNum, b: BcNum): BcNum {
    switch (inst) {
      case I.POWER:
        return num_pow(a, b, this.scale);
      case I.MULTIPLY:
        return num_mul(a, b, this.scale);
      case I.DIVIDE:
        return num_div(a, b, this.scale);
      case I.MODULUS:
        return num_mod(a, b, this.scale);
      case I.PLUS:
        return num_add(a, b);
      default:
        return num_sub(a, b);
    }
  }

  private op(inst: I): void {
    const [, n1, , n2] = this.binOpPrep(false);
    this.binOpRetire(this.binop(inst, n1 as BcNum, n2 as BcNum));
  }

  private logical(inst: I): void {
    const [, a, , b] = this.binOpPrep(false);
    const n1 = a as BcNum;
    const n2 = b as BcNum;
    const zero = num_zero();
    let cond: boolean;
    if (inst === I.BOOL_AND) cond = num_cmp(n1, zero) !== 0 && num_cmp(n2, zero) !== 0;
    else if (inst === I.BOOL_OR) cond = num_cmp(n1, zero) !== 0 || num_cmp(n2, zero) !== 0;
    else {
      const c = num_cmp(n1, n2);
      cond =
        inst === I.REL_EQ
          ? c === 0
          : inst === I.REL_LE
            ? c <= 0
            : inst === I.REL_GE
              ? c >= 0
              : inst === I.REL_LT
                ? c < 0
                : inst === I.REL_GT
                  ? c > 0
                  : c !== 0;
    }
    this.binOpRetire(new BcNum(cond ? 1n : 0n));
  }

  /** zxc_program_assign, with ibase/obase/scale's range checks. */
  private assign(inst: I): void {
    const [left, lv, right, rv] = this.binOpPrep(inst === I.ASSIGN);
    if (!this.isBc && right.t === R.STR) {
      if (left.t !== R.VAR) throw new BcError("variable is wrong type");
      this.need(2);
      const v = this.varStack(left.name!);
      v.pop();
      v.push(new BcStr(right.idx!));
      this.results.pop();
      this.retire(new BcStr(right.idx!), R.STR);
      this.top().idx = right.idx;
      return;
    }
    if (left.t === R.CONSTANT || left.t === R.TEMP || left.t === R.VOID)
      throw this.lexer.errorAt("bad assignment: left side must be variable or array element");
    let r: BcNum;
    if (inst === I.ASSIGN) r = rv as BcNum;
    else r = this.binop(inst - I.ASSIGN_POWER + I.POWER, lv as BcNum, rv as BcNum);
    if (!(rv instanceof BcNum)) throw new BcError("variable is wrong type");
    this.store(left, r);
    if (left.t === R.IBASE || left.t === R.OBASE || left.t === R.SCALE) {
      // the message says 16, but BusyBox 1.35 takes digits up to Z (36)
      const msg = [
        "bad ibase; must be [2,16]",
        `bad obase; must be [2,${MAX_OBASE}]`,
        "bad scale; must be [0,4294967295]",
      ][left.t - R.IBASE]!;
      const val = num_ulong(r);
      if (left.t === R.SCALE) {
        if (val > 4294967295n) throw new BcError(msg);
        this.scale = Number(val);
      } else {
        if (val < 2n) throw new BcError(msg);
        if (val > (left.t === R.IBASE ? 36n : BigInt(MAX_OBASE))) throw new BcError(msg);
        if (left.t === R.IBASE) this.ib = Number(val);
        else this.ob = Number(val);
      }
    }
    this.binOpRetire(r);
  }

  private pushVar(name: string, pop: boolean, copy: boolean): void {
    if (pop || copy) {
      const v = this.varStack(name);
      if (v.length <= (copy ? 0 : 1)) throw new BcError("stack has too few elements");
      const n = v[v.length - 1]!;
      if (n instanceof BcStr) this.results.push({ t: R.STR, idx: n.idx, n });
      else this.results.push({ t: R.TEMP, n });
      if (!copy) v.pop();
      return;
    }
    this.results.push({ t: R.VAR, name });
  }

  private pushArray(name: string, inst: I): void {
    if (inst === I.ARRAY) {
      this.results.push({ t: R.ARRAY, name });
      return;
    }
    const [, n] = this.prep();
    const temp = num_ulong(n);
    if (temp > 2147483647n) throw new BcError("array too long; must be [1,2147483647]");
    this.retire(num_zero(), R.ARRAY_ELEM);
    const r = this.top();
    r.name = name;
    r.idx = Number(temp);
    delete r.n;
  }

  private incdec(inst: I): void {
    const [, n] = this.prep();
    const copy = n;
    this.results.push({ t: R.ONE });
    this.assign(inst === I.INC_PRE || inst === I.INC_POST ? I.ASSIGN_PLUS : I.ASSIGN_MINUS);
    if (inst === I.INC_POST || inst === I.DEC_POST) this.retire(copy);
  }

  /** zxc_program_popResultAndCopyToVar: a call's argument into its parameter. */
  private popResultAndCopyToVar(name: string, t: T): void {
    this.need(1);
    const ptr = this.top();
    const isVar = t === T.VAR;
    if ((ptr.t === R.ARRAY) === isVar) throw new BcError("variable is wrong type");
    if (ptr.t === R.STR) {
      if (!isVar) throw new BcError("variable is wrong type");
      this.varStack(name).push(new BcStr(ptr.idx!));
      this.results.pop();
      return;
    }
    const n = this.num(ptr);
    if (isVar) this.varStack(name).push((n as BcNum).clone());
    else {
      const a = n as Arr;
      this.arrStack(name).push(t === T.REF ? a : { v: a.v.map((x) => x.clone()) });
    }
    this.results.pop();
  }

  private call(code: (number | string)[], ip: { idx: number }): void {
    const nparams = code[ip.idx++] as number;
    const fidx = code[ip.idx++] as number;
    const func = this.fns[fidx]!;
    if (func.code.length === 0) throw new BcError("undefined function");
    if (nparams !== func.nparams)
      throw new BcError(`function has ${func.nparams} parameters, but called with ${nparams}`);
    for (let i = 0; i < nparams; i++) {
      const a = func.autos[nparams - 1 - i]!;
      const arg = this.top();
      const arr = a.type === T.ARRAY || a.type === T.REF;
      if (arr !== (arg.t === R.ARRAY)) throw new BcError("variable is wrong type");
      this.popResultAndCopyToVar(a.name, a.type);
    }
    for (let i = nparams; i < func.autos.length; i++) {
      const a = func.autos[i]!;
      if (a.type === T.VAR) this.varStack(a.name).push(num_zero());
      else this.arrStack(a.name).push({ v: [num_zero()] });
    }
    this.exestack.push({ func: fidx, idx: 0 });
  }

  private ret(inst: I): void {
    const ip = this.exestack[this.exestack.length - 1]!;
    const f = this.fns[ip.func]!;
    let res: Result;
    if (inst === I.RET) {
      const n = this.num(this.top()) as BcNum;
      this.results.pop();
      res = { t: R.TEMP, n: n.clone() };
    } else res = { t: f.voidfunc ? R.VOID : R.TEMP, n: num_zero() };
    this.results.push(res);
    this.exestack.pop();
    for (const a of f.autos) {
      if (a.type === T.VAR) this.varStack(a.name).pop();
      else this.arrStack(a.name).pop();
    }
  }

  private builtin(inst: I): void {
    this.need(1);
    const opnd = this.top();
    const n = this.num(opnd);
    const len = inst === I.LENGTH;
    if (!this.isBc && !this.isNum(opnd, n) && !len) throw new BcError("variable is wrong type");
    let res: BcNum;
    if (inst === I.SQRT) res = num_sqrt(n as BcNum, this.scale);
    else if (len && opnd.t === R.ARRAY) res = num_ulong2num((n as Arr).v.length);
    else if (len && !this.isNum(opnd, n)) {
      const idx = opnd.t === R.STR ? opnd.idx! : (n as BcStr).idx;
      res = num_ulong2num(this.str(idx).length);
    } else {
      const x = n as BcNum;
      res = num_ulong2num(len ? progLen(x, this.isBc) : x.rdx);
    }
    this.retire(res);
  }

  private print(inst: I, idx: number): void {
    this.need(idx + 1);
    const r = this.top(idx);
    if (inst === I.PRINT && r.t === R.VOID) return;
    const n = this.num(r);
    if (this.isNum(r, n)) {
      this.pr.numPrint(n, inst === I.PRINT);
      if (this.isBc) this.last = n;
    } else {
      const sidx = r.t === R.STR ? r.idx! : (n as BcStr).idx;
      const str = this.str(sidx);
      if (inst === I.PRINT_STR) {
        this.put(str);
        const nl = str.lastIndexOf("\n");
        this.nchars = nl >= 0 ? str.length - nl - 1 : this.nchars + str.length;
      } else {
        this.pr.printString(str);
        if (inst === I.PRINT) this.put("\n");
      }
    }
    if (inst !== I.PRINT) this.results.pop();
  }

  /* ---- dc ---- */

  private divmod(): void {
    const [, n1, , n2] = this.binOpPrep(false);
    const [q, r] = num_divmod(n1 as BcNum, n2 as BcNum, this.scale);
    this.binOpRetire(q);
    this.results.push({ t: R.TEMP, n: r });
  }

  private modexp(): void {
    this.need(3);
    const [, n2, , n3] = this.binOpPrep(false);
    const r1 = this.top(2);
    const n1 = this.num(r1);
    if (!this.isNum(r1, n1)) throw new BcError("variable is wrong type");
    const res = num_modexp(n1, n2 as BcNum, n3 as BcNum);
    this.results.pop();
    this.binOpRetire(res);
  }

  private asciify(): void {
    this.need(1);
    const r = this.top();
    const n = this.num(r);
    let c: string;
    if (this.isNum(r, n)) {
      const int = new BcNum(n.m / pow10(n.rdx), 0, n.neg);
      const m = num_mod(int, num_ulong2num(256), 0);
      c = String.fromCharCode(Number(num_ulong(m)));
    } else {
      const idx = r.t === R.STR ? r.idx! : (n as BcStr).idx;
      c = this.strs[idx]![0] ?? "";
    }
    let idx = this.strs.indexOf(c);
    if (idx < 0 || c === "") {
      idx = this.strs.push(c) - 1;
      this.fns.push(newFunc());
    }
    this.retire(new BcStr(idx), R.STR);
    this.top().idx = idx;
  }

  private printStream(): void {
    this.need(1);
    const r = this.top();
    const n = this.num(r);
    if (this.isNum(r, n)) this.pr.printNum(n, 256, 1, (d, w) => this.pr.printChar(d, w));
    else {
      const idx = r.t === R.STR ? r.idx! : (n as BcStr).idx;
      this.put(this.strs[idx]!);
    }
  }

  private nquit(): void {
    const [, n] = this.prep();
    const val = num_ulong(n);
    this.results.pop();
    if (BigInt(this.exestack.length) < val) throw new BcError("stack has too few elements");
    if (BigInt(this.exestack.length) === val) this.quit();
    this.exestack.length -= Number(val);
  }

  /** zdc_program_execStr: x, and the conditional executions of <r =r >r... */
  private execStr(code: (number | string)[], ip: { idx: number }, cond: boolean): void {
    this.need(1);
    const r = this.top();
    let sidx: number;
    if (cond) {
      const thenName = code[ip.idx++] as string;
      const elseName = code[ip.idx++] as string;
      let exec = r.n instanceof BcNum && r.n.m !== 0n;
      let name = thenName;
      if (!exec && elseName !== "") {
        exec = true;
        name = elseName;
      }
      let n: Val | undefined;
      if (exec) {
        const v = this.varStack(name);
        n = v[v.length - 1]!;
      }
      if (!exec) {
        this.results.pop();
        return;
      }
      if (!(n instanceof BcStr)) {
        this.results.pop();
        throw new BcError("variable is wrong type");
      }
      sidx = n.idx;
    } else if (r.t === R.STR) sidx = r.idx!;
    else if (r.t === R.VAR) {
      const n = this.num(r);
      if (!(n instanceof BcStr)) {
        this.results.pop();
        return;
      }
      sidx = n.idx;
    } else return;
    const fidx = sidx + 2;
    const f = this.fns[fidx]!;
    if (f.code.length === 0) {
      const lx = new Lexer(false, this.lexer.host);
      lx.exreg = this.exreg;
      lx.setText(this.strs[sidx]!);
      try {
        lx.next();
        const dp = new DcParser(lx, this, f);
        dp.exprsUntilEof();
        f.code.push(I.POP_EXEC);
        if (lx.tok() !== L.EOF) throw lx.errorAt("bad expression");
      } catch (e) {
        f.code = [];
        this.results.pop();
        throw e;
      }
    }
    this.results.pop();
    this.exestack.push({ func: fidx, idx: 0 });
  }

  private pushGlobal(inst: I): void {
    const t = inst === I.IBASE ? R.IBASE : inst === I.SCALE ? R.SCALE : R.OBASE;
    const val = inst === I.IBASE ? this.ib : inst === I.SCALE ? this.scale : this.ob;
    this.results.push({ t, n: num_ulong2num(val) });
  }

  /** zxc_program_read: read() / ? parse a line of stdin and run it. */
  private *read(): UserGen<void> {
    const line = (yield* this.host.readLine()) ?? "";
    const f = this.fns[1]!;
    f.code = [];
    f.consts = [];
    f.strs = [];
    const lx = new Lexer(this.isBc, this.lexer.host);
    lx.exreg = this.exreg;
    lx.setText(line);
    lx.next();
    if (this.isBc) {
      const bp = new BcParser(lx, this);
      bp.func = f;
      bp.fidx = 1;
      bp.expr(0);
    } else {
      const dp = new DcParser(lx, this, f);
      dp.exprsUntilEof();
    }
    if (lx.tok() !== L.NLINE && lx.tok() !== L.EOF) throw lx.errorAt("bad read() expression");
    f.code.push(I.RET);
    this.exestack.push({ func: 1, idx: 0 });
  }

  /** zxc_program_exec: run until the main function's code is done. */
  *exec(): UserGen<void> {
    let ip = this.exestack[this.exestack.length - 1]!;
    let func = this.fns[ip.func]!;
    let code = func.code;
    while (ip.idx < code.length) {
      const inst = code[ip.idx++] as I;
      let updated = false;
      switch (inst) {
        case I.RET:
        case I.RET0:
          if (this.isBc) this.ret(inst);
          else this.exestack.pop();
          updated = true;
          break;
        case I.JUMP_ZERO: {
          const [, num] = this.prep();
          const zero = num.m === 0n;
          this.results.pop();
          if (!zero) {
            ip.idx++;
            break;
          }
          ip.idx = func.labels[code[ip.idx] as number]!;
          break;
        }
        case I.JUMP:
          ip.idx = func.labels[code[ip.idx] as number]!;
          break;
        case I.CALL:
          this.call(code, ip);
          updated = true;
          break;
        case I.INC_PRE:
        case I.DEC_PRE:
        case I.INC_POST:
        case I.DEC_POST:
          this.incdec(inst);
          break;
        case I.HALT:
          this.quit();
          break;
        case I.BOOL_OR:
        case I.BOOL_AND:
        case I.REL_EQ:
        case I.REL_LE:
        case I.REL_GE:
        case I.REL_NE:
        case I.REL_LT:
        case I.REL_GT:
          this.logical(inst);
          break;
        case I.READ:
          yield* this.read();
          updated = true;
          break;
        case I.VAR:
          this.pushVar(code[ip.idx++] as string, false, false);
          break;
        case I.ARRAY_ELEM:
        case I.ARRAY:
          this.pushArray(code[ip.idx++] as string, inst);
          break;
        case I.LAST:
          this.results.push({ t: R.LAST });
          break;
        case I.IBASE:
        case I.OBASE:
        case I.SCALE:
          this.pushGlobal(inst);
          break;
        case I.SCALE_FUNC:
        case I.LENGTH:
        case I.SQRT:
          this.builtin(inst);
          break;
        case I.NUM:
          this.results.push({ t: R.CONSTANT, idx: code[ip.idx++] as number });
          break;
        case I.POP:
          this.need(1);
          this.results.pop();
          break;
        case I.PRINT:
        case I.PRINT_POP:
        case I.PRINT_STR:
          this.print(inst, 0);
          break;
        case I.STR: {
          const idx = code[ip.idx++] as number;
          this.results.push({ t: R.STR, idx, n: new BcStr(idx) });
          break;
        }
        case I.POWER:
        case I.MULTIPLY:
        case I.DIVIDE:
        case I.MODULUS:
        case I.PLUS:
        case I.MINUS:
          this.op(inst);
          break;
        case I.BOOL_NOT: {
          const [, num] = this.prep();
          this.retire(new BcNum(num.m === 0n ? 1n : 0n));
          break;
        }
        case I.NEG: {
          const [, num] = this.prep();
          this.retire(new BcNum(num.m, num.rdx, num.m !== 0n ? !num.neg : num.neg));
          break;
        }
        case I.ASSIGN_POWER:
        case I.ASSIGN_MULTIPLY:
        case I.ASSIGN_DIVIDE:
        case I.ASSIGN_MODULUS:
        case I.ASSIGN_PLUS:
        case I.ASSIGN_MINUS:
        case I.ASSIGN:
          this.assign(inst);
          break;
        case I.POP_EXEC:
          this.exestack.pop();
          updated = true;
          break;
        case I.MODEXP:
          this.modexp();
          break;
        case I.DIVMOD:
          this.divmod();
          break;
        case I.EXECUTE:
        case I.EXEC_COND:
          this.execStr(code, ip, inst === I.EXEC_COND);
          updated = true;
          break;
        case I.PRINT_STACK:
          for (let k = 0; k < this.results.length; k++) this.print(I.PRINT, k);
          break;
        case I.CLEAR_STACK:
          this.results = [];
          break;
        case I.STACK_LEN:
          this.results.push({ t: R.TEMP, n: num_ulong2num(this.results.length) });
          break;
        case I.DUPLICATE: {
          this.need(1);
          const r = this.top();
          this.results.push({ ...r, n: r.n instanceof BcNum ? r.n.clone() : r.n });
          break;
        }
        case I.SWAP: {
          this.need(2);
          const n = this.results.length;
          [this.results[n - 1], this.results[n - 2]] = [this.results[n - 2]!, this.results[n - 1]!];
          break;
        }
        case I.ASCIIFY:
          this.asciify();
          break;
        case I.PRINT_STREAM:
          this.printStream();
          break;
        case I.LOAD:
        case I.PUSH_VAR:
          this.pushVar(code[ip.idx++] as string, true, inst === I.LOAD);
          break;
        case I.PUSH_TO_VAR:
          this.popResultAndCopyToVar(code[ip.idx++] as string, T.VAR);
          break;
        case I.QUIT:
          if (this.exestack.length <= 2) this.quit();
          this.exestack.length -= 2;
          updated = true;
          break;
        case I.NQUIT:
          this.nquit();
          updated = true;
          break;
      }
      if (updated) {
        ip = this.exestack[this.exestack.length - 1]!;
        func = this.fns[ip.func]!;
        code = func.code;
      }
    }
  }
}

/**
 * xc_program_len: length(): significant digits (0.05 and 0 have 1); a zero
 * that kept a scale (0.01-0.01) has that many in bc, 1 in dc.
 */
function progLen(n: BcNum, isBc: boolean): number {
  if (n.m === 0n) return isBc && n.rdx ? n.rdx : 1;
  const len = n.len;
  if (n.rdx !== len) return len;
  return n.m.toString().length;
}
