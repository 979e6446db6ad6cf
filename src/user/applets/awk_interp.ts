/*
 * awk_interp.ts - running an awk program (BusyBox editors/awk.c's
 * evaluate(), the record loop of awk_main, and the fields): the tree from
 * awk_parse.ts is walked directly. Built-in functions are in
 * awk_builtin.ts, streams in awk_io.ts, number formats in awk_printf.ts.
 *
 * Values follow awk's rules as BusyBox keeps them: a number, a string, or
 * a string from input (StrNum: a field, getline, -v, ARGV) that compares as
 * a number when all of it reads as one; an uninitialized value is both 0
 * and "". A comparison is numeric when both sides are numeric, else it
 * compares the strings. Numbers become strings through CONVFMT (print uses
 * OFMT), whole numbers print as integers.
 *
 * Fields are split as soon as a record is read (with the FS of that
 * moment; a new FS applies from the next record). Assigning a field
 * rebuilds $0 with OFS, assigning NF cuts or extends the fields.
 *
 * break, continue, next, nextfile, exit and return unwind as exceptions
 * through the generators, which is how they cross nested statements.
 */

import { O_RDONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { type Regex, regcomp, regexec } from "../libc/regex.js";
import { strerror } from "../libc/stdio.js";
import type { Writer } from "../libc/stream.js";
import { open } from "../libc/sys.js";
import { call_builtin } from "./awk_builtin.js";
import { close_output, type OStream, open_output, popen, type RecSep, RStream } from "./awk_io.js";
import { unescape_string } from "./awk_lex.js";
import {
  type ArrRef,
  empty_program,
  type Func,
  type Node,
  type Program,
  parse_program,
  type Redir,
  type Stmt,
} from "./awk_parse.js";
import { AwkError, fmt_num } from "./awk_printf.js";
import { AwkArray, type Cell, StrNum, strtod_prefix, type Val } from "./awk_value.js";

class BreakSig {}
class ContinueSig {}
class NextSig {}
class NextFileSig {}
export class ExitSig {
  constructor(readonly code: number | null) {}
}
class ReturnSig {
  constructor(readonly v: Val) {}
}
const BREAK = new BreakSig();
const CONTINUE = new ContinueSig();
const NEXT = new NextSig();
const NEXTFILE = new NextFileSig();

/** How fields are cut: runs of blanks, one character, or a regex. */
type Splitter =
  | { mode: "space" }
  | { mode: "char"; c: string }
  | { mode: "re"; re: Regex }
  | { mode: "chars" };

export class Awk {
  readonly globals = new Map<string, Cell>();
  readonly prog: Program = empty_program();
  /** $0 and the fields $1..$NF. */
  fields: Val[] = [""];
  nf = 0;
  private frames: Cell[][] = [];
  out!: Writer;
  readonly outputs = new Map<string, OStream>();
  readonly inputs = new Map<string, RStream>();
  /** The main input: the file being read and the next ARGV index to look at. */
  private cur: RStream | null = null;
  private argind = 1;
  private filesHappened = false;
  private readonly regexCache = new Map<string, Regex>();
  private splitCache: [string, Splitter] | null = null;
  exitCode = 0;
  /** The line of the statement running, for error messages. */
  lineno = 1;
  seed = 1;
  rand: () => number = Math.random;

  constructor(
    readonly envp: string[],
    /** Printed before line numbers in errors: "cmd. line" or the -f file. */
    readonly progname: string,
  ) {
    for (const [name, v] of [
      ["CONVFMT", "%.6g"],
      ["OFMT", "%.6g"],
      ["FS", " "],
      ["OFS", " "],
      ["ORS", "\n"],
      ["RS", "\n"],
      ["SUBSEP", "\x1c"],
      ["FILENAME", undefined],
      ["NR", 0],
      ["FNR", 0],
      ["NF", 0],
      ["RSTART", 0],
      ["RLENGTH", -1],
    ] as [string, Val][])
      this.globals.set(name, { v, a: null, special: name });
    const env = new AwkArray();
    for (const e of envp) {
      const i = e.indexOf("=");
      if (i > 0) env.set(e.slice(0, i), new StrNum(e.slice(i + 1)));
    }
    this.globals.set("ENVIRON", { v: undefined, a: env });
  }

  cell(name: string): Cell {
    let c = this.globals.get(name);
    if (!c) {
      c = { v: undefined, a: null };
      this.globals.set(name, c);
    }
    return c;
  }

  parse_more(text: string): void {
    parse_program(text, (n) => this.cell(n), this.prog);
  }

  /* ---- values ---- */

  sv(name: string): string {
    return this.str(this.cell(name).v);
  }
  num(v: Val): number {
    if (typeof v === "number") return v;
    if (v === undefined) return 0;
    if (typeof v === "string") return strtod_prefix(v);
    return v.n;
  }
  str(v: Val): string {
    if (typeof v === "string") return v;
    if (v === undefined) return "";
    if (typeof v === "number") return fmt_num(this.sv("CONVFMT"), v);
    return v.s;
  }
  /** print's conversion: OFMT for numbers. */
  ostr(v: Val): string {
    return typeof v === "number" ? fmt_num(this.sv("OFMT"), v) : this.str(v);
  }
  isNum(v: Val): boolean {
    if (typeof v === "number" || v === undefined) return true;
    if (typeof v === "string") return false;
    return v.isNum;
  }
  truth(v: Val): boolean {
    if (this.isNum(v)) return this.num(v) !== 0;
    return this.str(v) !== "";
  }

  /* ---- regular expressions ---- */

  regex(src: string): Regex {
    let r = this.regexCache.get(src);
    if (!r) {
      const c = regcomp(src, true);
      if (typeof c === "string") throw new AwkError(c);
      r = c;
      this.regexCache.set(src, r);
    }
    return r;
  }
  /** as_regex: a /regex/ literal, or any other value's text compiled as one. */
  *as_regex(n: Node): UserGen<Regex> {
    if (n.k === "ere") return this.regex(n.src);
    return this.regex(this.str(yield* this.eval(n)));
  }

  /* ---- fields ---- */

  private splitter(fs: string): Splitter {
    if (this.splitCache && this.splitCache[0] === fs) return this.splitCache[1];
    const s = this.make_splitter(fs);
    this.splitCache = [fs, s];
    return s;
  }
  /** mk_splitter: " " splits at blanks, "" into characters, one other character at itself, more at a regex. */
  make_splitter(fs: string): Splitter {
    if (fs === " ") return { mode: "space" };
    if (fs === "") return { mode: "chars" };
    if (fs.length <= 1) return { mode: "char", c: fs };
    return { mode: "re", re: this.regex(fs) };
  }
  /** awk_split: the pieces of s. In paragraph mode a newline always separates. */
  split(s: string, sp: Splitter): string[] {
    if (s === "") return [];
    switch (sp.mode) {
      case "space":
        return s.split(/[ \t\n]+/).filter((x) => x !== "");
      case "chars":
        return [...s];
      case "char":
      case "re": {
        const lines = this.sv("RS") === "" ? s.split("\n") : [s];
        const out: string[] = [];
        for (const line of lines) {
          if (sp.mode === "char") {
            if (sp.c === "") out.push(line);
            else out.push(...line.split(sp.c));
            continue;
          }
          let from = 0;
          let at = 0;
          while (at <= line.length) {
            const m = regexec(sp.re, line, at);
            if (!m) break;
            if (m[0].length === 0) {
              at = m.index + 1;
              continue;
            }
            out.push(line.slice(from, m.index));
            from = at = m.index + m[0].length;
          }
          out.push(line.slice(from));
        }
        return out;
      }
    }
  }
  /** A new $0: split it into the fields. */
  set_record(v: Val): void {
    const s = this.str(v);
    const parts = this.split(s, this.splitter(this.sv("FS")));
    this.fields = [v, ...parts.map((p) => new StrNum(p))];
    this.nf = parts.length;
    this.cell("NF").v = this.nf;
  }
  get_field(i: number): Val {
    if (i < 0) throw new AwkError(`Trying to access field ${i}`);
    return i <= this.nf ? this.fields[i] : undefined;
  }
  set_field(i: number, v: Val): void {
    if (i < 0) throw new AwkError(`Trying to access field ${i}`);
    if (i === 0) {
      this.set_record(v);
      return;
    }
    while (this.nf < i) this.fields[++this.nf] = undefined;
    this.fields[i] = v;
    this.rebuild();
  }
  /** NF=n: fewer fields, or empty ones added; $0 is rebuilt. */
  set_nf(n: number): void {
    n = Math.max(0, Math.trunc(n));
    while (this.nf < n) this.fields[++this.nf] = undefined;
    this.nf = n;
    this.fields.length = n + 1;
    this.rebuild();
  }
  private rebuild(): void {
    const ofs = this.sv("OFS");
    let s = "";
    for (let i = 1; i <= this.nf; i++) s += (i > 1 ? ofs : "") + this.str(this.fields[i]);
    this.fields[0] = s;
    this.cell("NF").v = this.nf;
  }

  /* ---- variables and arrays ---- */

  private local(i: number): Cell {
    return this.frames[this.frames.length - 1][i];
  }
  ref_cell(r: ArrRef): Cell {
    return r.k === "var" ? r.cell : this.local(r.i);
  }
  /** iamarray: the cell's array, made (in the caller's variable, for a parameter) when missing. */
  array(c: Cell): AwkArray {
    if (c.a) return c.a;
    c.a = c.parent ? this.array(c.parent) : new AwkArray();
    return c.a;
  }
  arr(r: ArrRef): AwkArray {
    return this.array(this.ref_cell(r));
  }
  *subscript(subs: Node[]): UserGen<string> {
    if (subs.length === 1) return this.str(yield* this.eval(subs[0]));
    const parts: string[] = [];
    for (const s of subs) parts.push(this.str(yield* this.eval(s)));
    return parts.join(this.sv("SUBSEP"));
  }
  /** setvar: a value into a variable, with a special variable's side effect. */
  set_cell(c: Cell, v: Val): void {
    c.v = v;
    if (c.special === "NF") this.set_nf(this.num(v));
  }
  *assign(l: Node, v: Val): UserGen<void> {
    switch (l.k) {
      case "var":
        return this.set_cell(l.cell, v);
      case "local":
        return this.set_cell(this.local(l.i), v);
      case "index":
        return this.arr(l.arr).set(yield* this.subscript(l.subs), v);
      case "field":
        return this.set_field(Math.trunc(this.num(yield* this.eval(l.e))), v);
    }
  }

  /* ---- expressions ---- */

  *eval(n: Node): UserGen<Val> {
    switch (n.k) {
      case "num":
        return n.v;
      case "str":
        return n.v;
      case "ere":
        return regexec(this.regex(n.src), this.str(this.fields[0]), 0) ? 1 : 0;
      case "var":
        return n.cell.v;
      case "local":
        return this.local(n.i).v;
      case "index": {
        const a = this.arr(n.arr);
        const k = yield* this.subscript(n.subs);
        if (!a.has(k)) a.set(k, undefined);
        return a.get(k);
      }
      case "field":
        return this.get_field(Math.trunc(this.num(yield* this.eval(n.e))));
      case "group":
        return yield* this.eval(n.e);
      case "list": {
        let v: Val;
        for (const e of n.items) v = yield* this.eval(e);
        return v;
      }
      case "assign": {
        if (n.op === "=") {
          const v = yield* this.eval(n.r);
          yield* this.assign(n.l, v);
          return v;
        }
        const r = this.num(yield* this.eval(n.r));
        const l = this.num(yield* this.eval(n.l));
        const v = this.arith(n.op[0], l, r);
        yield* this.assign(n.l, v);
        return v;
      }
      case "cond":
        return yield* this.eval(this.truth(yield* this.eval(n.c)) ? n.a : n.b);
      case "and":
        return this.truth(yield* this.eval(n.a)) && this.truth(yield* this.eval(n.b)) ? 1 : 0;
      case "or":
        return this.truth(yield* this.eval(n.a)) || this.truth(yield* this.eval(n.b)) ? 1 : 0;
      case "in": {
        const k = yield* this.subscript(n.subs);
        return this.arr(n.arr).has(k) ? 1 : 0;
      }
      case "match": {
        const s = this.str(yield* this.eval(n.l));
        const re = yield* this.as_regex(n.r);
        return (regexec(re, s, 0) !== null) !== n.neg ? 1 : 0;
      }
      case "cmp":
        return this.compare(n.op, yield* this.eval(n.a), yield* this.eval(n.b)) ? 1 : 0;
      case "concat": {
        const a = this.str(yield* this.eval(n.a));
        return a + this.str(yield* this.eval(n.b));
      }
      case "bin": {
        const a = this.num(yield* this.eval(n.a));
        return this.arith(n.op, a, this.num(yield* this.eval(n.b)));
      }
      case "unary": {
        const v = yield* this.eval(n.e);
        if (n.op === "!") return this.truth(v) ? 0 : 1;
        return n.op === "-" ? -this.num(v) : this.num(v);
      }
      case "incdec": {
        const old = this.num(yield* this.eval(n.l));
        const v = n.op === "++" ? old + 1 : old - 1;
        yield* this.assign(n.l, v);
        return n.pre ? v : old;
      }
      case "call":
        return yield* this.call(n);
      case "builtin":
        return yield* call_builtin(this, n.name, n.args);
      case "getline":
        return yield* this.getline(n.lv, n.file, n.cmd);
    }
  }

  arith(op: string, a: number, b: number): number {
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        if (b === 0) throw new AwkError("Division by zero");
        return a / b;
      case "%":
        if (b === 0) throw new AwkError("Division by zero");
        return a % b;
      default:
        // Debian builds BusyBox without FEATURE_AWK_LIBM: "^" needs pow()
        throw new AwkError("Math support is not compiled in");
    }
  }

  compare(op: string, a: Val, b: Val): boolean {
    let d: number;
    if (this.isNum(a) && this.isNum(b)) d = this.num(a) - this.num(b);
    else {
      const x = this.str(a);
      const y = this.str(b);
      d = x < y ? -1 : x > y ? 1 : 0;
    }
    switch (op) {
      case "<":
        return d < 0;
      case "<=":
        return d <= 0;
      case ">":
        return d > 0;
      case ">=":
        return d >= 0;
      case "==":
        return d === 0;
      default:
        return d !== 0;
    }
  }

  private *call(n: Extract<Node, { k: "call" }>): UserGen<Val> {
    const f: Func | undefined = n.fn;
    if (!f) throw new AwkError("Call to undefined function");
    const frame: Cell[] = [];
    for (let i = 0; i < Math.max(f.nparams, n.args.length); i++) {
      const a = n.args[i];
      let c: Cell;
      if (!a) c = { v: undefined, a: null };
      else if (a.k === "var" || a.k === "local") {
        const src = a.k === "var" ? a.cell : this.local(a.i);
        if (src.a) c = src;
        else if (src.v === undefined) c = { v: undefined, a: null, parent: src };
        else c = { v: src.v, a: null };
      } else c = { v: yield* this.eval(a), a: null };
      frame.push(c);
    }
    this.frames.push(frame);
    try {
      yield* this.exec_list(f.body);
    } catch (e) {
      if (e instanceof ReturnSig) return e.v;
      throw e;
    } finally {
      this.frames.pop();
    }
    return undefined;
  }

  /* ---- input ---- */

  recsep(): RecSep {
    const rs = this.sv("RS");
    if (rs === "") return { mode: "para" };
    if (rs.length === 1) return { mode: "char", c: rs };
    return { mode: "re", re: this.regex(rs) };
  }

  /** next_input_file: the next ARGV operand (assignments done on the way), stdin when there was none. */
  private *next_file(): UserGen<RStream | null> {
    const argv = this.array(this.cell("ARGV"));
    for (;;) {
      if (this.argind >= this.num(this.cell("ARGC").v)) {
        if (this.filesHappened) return null;
        this.filesHappened = true;
        this.cell("FILENAME").v = undefined;
        return new RStream(0);
      }
      const name = this.str(argv.get(String(this.argind++)));
      if (!name) continue;
      if (this.operand_assignment(name)) continue;
      this.filesHappened = true;
      const fd = name === "-" ? 0 : yield* open(name, O_RDONLY);
      if (fd < 0) throw new AwkFatal(`${name}: ${strerror(fd)}`);
      this.cell("FILENAME").v = name;
      return new RStream(fd);
    }
  }

  /** VAR=VALUE among the operands (or -v): an assignment with escapes, as input. */
  operand_assignment(s: string): boolean {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(s);
    if (!m) return false;
    this.set_cell(this.cell(m[1]), new StrNum(unescape_string(s.slice(m[0].length))));
    return true;
  }

  /** The next main-input record, or null when every file is read. */
  *next_record(): UserGen<string | null> {
    for (;;) {
      if (!this.cur) {
        this.cur = yield* this.next_file();
        if (!this.cur) return null;
        this.cell("FNR").v = 0;
      }
      const r = yield* this.cur.record(this.recsep());
      if (r !== null) {
        this.set_cell(this.cell("NR"), this.num(this.cell("NR").v) + 1);
        this.set_cell(this.cell("FNR"), this.num(this.cell("FNR").v) + 1);
        return r;
      }
      yield* this.cur.close();
      this.cur = null;
    }
  }

  private *getline(lv: Node | null, file: Node | null, cmd: Node | null): UserGen<Val> {
    let rec: string | null;
    if (file || cmd) {
      const name = this.str(yield* this.eval((file ?? cmd)!));
      let rs = this.inputs.get(name);
      if (!rs) {
        yield* this.flush_all();
        let opened: RStream | number;
        if (cmd) {
          const r = yield* popen(name, "r", this.envp);
          opened = typeof r === "number" ? r : new RStream(r[0], r[1]);
        } else {
          const fd = name === "-" ? 0 : yield* open(name, O_RDONLY);
          opened = fd < 0 ? fd : new RStream(fd);
        }
        if (typeof opened === "number") return -1;
        rs = opened;
        this.inputs.set(name, rs);
      }
      rec = yield* rs.record(this.recsep());
      if (rec === null) return 0;
      if (cmd) this.set_cell(this.cell("NR"), this.num(this.cell("NR").v) + 1);
    } else {
      rec = yield* this.next_record();
      if (rec === null) return 0;
    }
    if (lv) yield* this.assign(lv, new StrNum(rec));
    else this.set_record(new StrNum(rec));
    return 1;
  }

  /* ---- output ---- */

  *output(r: Redir | null): UserGen<Writer> {
    if (!r) return this.out;
    const name = this.str(yield* this.eval(r.e));
    let o = this.outputs.get(name);
    if (!o) {
      if (r.op === "|") yield* this.flush_all();
      const opened = yield* open_output(name, r.op, this.envp);
      if (typeof opened === "number") throw new AwkFatal(`can't open '${name}': ${strerror(opened)}`);
      o = opened;
      this.outputs.set(name, o);
    }
    return o.w;
  }

  *flush_all(): UserGen<void> {
    yield* this.out.flush();
    for (const o of this.outputs.values()) yield* o.w.flush();
  }

  /** close(): an output or input stream by its name; its status. */
  *close_stream(name: string): UserGen<number> {
    const o = this.outputs.get(name);
    if (o) {
      this.outputs.delete(name);
      return yield* close_output(o);
    }
    const i = this.inputs.get(name);
    if (i) {
      this.inputs.delete(name);
      return yield* i.close();
    }
    return 0;
  }

  /* ---- statements ---- */

  *exec_list(list: Stmt[]): UserGen<void> {
    for (const s of list) yield* this.exec(s);
  }

  *exec(s: Stmt): UserGen<void> {
    if (s.line) this.lineno = s.line;
    switch (s.k) {
      case "expr":
        yield* this.eval(s.e);
        return;
      case "print": {
        const w = yield* this.output(s.redir);
        if (s.args.length === 0) {
          yield* w.puts(this.str(this.fields[0]) + this.sv("ORS"));
          return;
        }
        const ofs = this.sv("OFS");
        for (let i = 0; i < s.args.length; i++) {
          const v = this.ostr(yield* this.eval(s.args[i]));
          yield* w.puts(i < s.args.length - 1 ? v + ofs : v + this.sv("ORS"));
        }
        return;
      }
      case "printf": {
        const w = yield* this.output(s.redir);
        yield* w.puts(
          this.str(yield* call_builtin(this, "sprintf", s.args.length ? s.args : [{ k: "str", v: "" }])),
        );
        return;
      }
      case "if":
        if (this.truth(yield* this.eval(s.c))) yield* this.exec(s.t);
        else if (s.f) yield* this.exec(s.f);
        return;
      case "block":
        return yield* this.exec_list(s.body);
      case "while":
        while (this.truth(yield* this.eval(s.c))) if (!(yield* this.loop_body(s.body))) break;
        return;
      case "do":
        do if (!(yield* this.loop_body(s.body))) break;
        while (this.truth(yield* this.eval(s.c)));
        return;
      case "for":
        if (s.init) yield* this.eval(s.init);
        while (!s.c || this.truth(yield* this.eval(s.c))) {
          if (!(yield* this.loop_body(s.body))) break;
          if (s.step) yield* this.eval(s.step);
        }
        return;
      case "forin": {
        const a = this.arr(s.arr);
        for (const k of a.keys()) {
          yield* this.assign(s.v, new StrNum(k));
          if (!(yield* this.loop_body(s.body))) break;
        }
        return;
      }
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
      case "next":
        throw NEXT;
      case "nextfile":
        throw NEXTFILE;
      case "exit":
        throw new ExitSig(s.e ? Math.trunc(this.num(yield* this.eval(s.e))) : null);
      case "return":
        throw new ReturnSig(s.e ? yield* this.eval(s.e) : undefined);
      case "delete": {
        const a = this.arr(s.arr);
        if (s.subs) a.delete(yield* this.subscript(s.subs));
        else a.clear();
        return;
      }
    }
  }

  /** One pass of a loop body: false when it breaks. */
  private *loop_body(body: Stmt): UserGen<boolean> {
    try {
      yield* this.exec(body);
    } catch (e) {
      if (e === BREAK) return false;
      if (e !== CONTINUE) throw e;
    }
    return true;
  }

  /* ---- the program ---- */

  private *rule_matches(r: Program["rules"][number]): UserGen<boolean> {
    if (!r.pat) return true;
    if (!r.pat2) return this.truth(yield* this.eval(r.pat));
    if (!r.inRange) {
      if (!this.truth(yield* this.eval(r.pat))) return false;
      r.inRange = true;
    }
    if (this.truth(yield* this.eval(r.pat2))) r.inRange = false;
    return true;
  }

  /** BEGIN, the records, END: the exit status. */
  *run(): UserGen<number> {
    for (const c of this.prog.calls) c.fn = this.prog.funcs.get(c.name);
    let exiting = false;
    try {
      for (const b of this.prog.begin) yield* this.exec_block(b);
    } catch (e) {
      if (!(e instanceof ExitSig)) throw e;
      if (e.code !== null) this.exitCode = e.code;
      exiting = true;
    }
    if (!exiting && (this.prog.rules.length || this.prog.end.length)) {
      try {
        yield* this.main_loop();
      } catch (e) {
        if (!(e instanceof ExitSig)) throw e;
        if (e.code !== null) this.exitCode = e.code;
      }
    }
    try {
      for (const b of this.prog.end) yield* this.exec_block(b);
    } catch (e) {
      if (!(e instanceof ExitSig)) throw e;
      if (e.code !== null) this.exitCode = e.code;
    }
    return this.exitCode;
  }

  /** A BEGIN or END action: next there ends the action. */
  private *exec_block(b: Stmt[]): UserGen<void> {
    try {
      yield* this.exec_list(b);
    } catch (e) {
      if (e !== NEXT && e !== NEXTFILE) throw e;
    }
  }

  private *main_loop(): UserGen<void> {
    for (;;) {
      const rec = yield* this.next_record();
      if (rec === null) return;
      this.set_record(new StrNum(rec));
      try {
        for (const r of this.prog.rules) {
          if (!(yield* this.rule_matches(r))) continue;
          if (r.body) yield* this.exec_list(r.body);
          else yield* this.out.puts(this.str(this.fields[0]) + this.sv("ORS"));
        }
      } catch (e) {
        if (e === NEXTFILE) {
          if (this.cur) yield* this.cur.close();
          this.cur = null;
        } else if (e !== NEXT) throw e;
      }
    }
  }

  /** At exit: every output flushed, every command waited for. */
  *finish(): UserGen<void> {
    yield* this.out.flush();
    for (const name of [...this.outputs.keys()]) yield* this.close_stream(name);
    for (const name of [...this.inputs.keys()]) yield* this.close_stream(name);
  }
}

/** An error that is no syntax error: "awk: MSG" (a file that cannot be opened). */
export class AwkFatal extends Error {
  constructor(readonly msg: string) {
    super(msg);
  }
}
