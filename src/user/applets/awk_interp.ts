/*
 * awk_interp.ts - running an awk program (BusyBox editors/awk.c's
 * awk_main record loop, the fields, the streams by name, and the
 * statements that make system calls): the tree from awk_parse.ts is walked
 * directly. Whatever makes no system call runs in awk_eval.ts as plain
 * functions; the rest of evaluation is in awk_eval_io.ts. Built-in
 * functions are in awk_builtin.ts, streams in awk_io.ts, number formats in
 * awk_printf.ts.
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
import { call_builtin, GlibcRandom } from "./awk_builtin.js";
import {
  BREAK,
  CONTINUE,
  ExitSig,
  ev,
  exec as exec_sync,
  mark_io,
  NEXT,
  NEXTFILE,
  ReturnSig,
} from "./awk_eval.js";
import { assign_io, eval_io, subscript_io } from "./awk_eval_io.js";
import { close_output, type OStream, open_output, popen, type RecSep, RStream } from "./awk_io.js";
import { unescape_string } from "./awk_lex.js";
import {
  type ArrRef,
  empty_program,
  type Node,
  type Program,
  parse_program,
  type Redir,
  type Stmt,
} from "./awk_parse.js";
import { AwkError, fmt_num } from "./awk_printf.js";
import { AwkArray, type Cell, StrNum, strtod_prefix, type Val } from "./awk_value.js";

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
  frames: Cell[][] = [];
  /** What print wrote to stdout and drain() has not handed to `out` yet. */
  obuf = "";
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
  /** srand's seed and random()'s state (awk_builtin.ts). */
  seed = 1;
  rng = new GlibcRandom(1);

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
      // xregcomp's complaint, as for a bad regex anywhere in BusyBox.
      if (typeof c === "string") throw new AwkFatal(`bad regex '${src}': ${c}`);
      r = c;
      this.regexCache.set(src, r);
    }
    return r;
  }
  /**
   * as_regex: a string used as a regex (~, match, sub, gsub) is an ERE, or
   * a BRE when it is no valid ERE ("a{" and "a(" match themselves); the
   * BRE's complaint if it is neither.
   */
  as_regex(src: string): Regex {
    const key = `\0${src}`;
    let r = this.regexCache.get(key);
    if (!r) {
      let c = regcomp(src, true);
      if (typeof c === "string") c = regcomp(src, false);
      if (typeof c === "string") throw new AwkFatal(`bad regex '${src}': ${c}`);
      r = c;
      this.regexCache.set(key, r);
    }
    return r;
  }
  matches(src: string, s: string): boolean {
    return regexec(this.regex(src), s, 0) !== null;
  }
  /** A bare /regex/: does $0 match? */
  match_record(src: string): boolean {
    return this.matches(src, this.str(this.fields[0]));
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
    if (i < 0) throw new AwkError("Access to negative field");
    return i <= this.nf ? this.fields[i] : undefined;
  }
  set_field(i: number, v: Val): void {
    if (i < 0) throw new AwkError("Access to negative field");
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
    n = Math.trunc(n);
    if (n < 0) throw new AwkError("NF set to negative value");
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

  local(i: number): Cell {
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
  /** setvar: a value into a variable, with a special variable's side effect. */
  set_cell(c: Cell, v: Val): void {
    c.v = v;
    if (c.special === "NF") this.set_nf(this.num(v));
  }

  /* ---- expressions ---- */

  /** evaluate(): in awk_eval.ts, or awk_eval_io.ts for a node that may make system calls. */
  *eval(n: Node): UserGen<Val> {
    return n.io ? yield* eval_io(this, n) : ev(this, n);
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
    yield* this.drain();
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

  *getline(lv: Node | null, file: Node | null, cmd: Node | null): UserGen<Val> {
    yield* this.drain();
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
    if (lv) yield* assign_io(this, lv, new StrNum(rec));
    else this.set_record(new StrNum(rec));
    return 1;
  }

  /* ---- output ---- */

  /** print's line: the values (numbers through OFMT) joined by OFS, then ORS; no values is $0. */
  print_text(vals: Val[]): string {
    if (vals.length === 0) return this.str(this.fields[0]) + this.sv("ORS");
    const ofs = this.sv("OFS");
    let t = "";
    for (let i = 0; i < vals.length; i++) t += (i ? ofs : "") + this.ostr(vals[i]);
    return t + this.sv("ORS");
  }

  /** Hands what print buffered to stdout's Writer (which buffers like stdio). */
  *drain(): UserGen<void> {
    if (!this.obuf) return;
    const t = this.obuf;
    this.obuf = "";
    yield* this.out.puts(t);
  }

  *output(r: Redir | null): UserGen<Writer> {
    if (!r) {
      yield* this.drain();
      return this.out;
    }
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
    yield* this.drain();
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

  /** The generator path of a statement; one without system calls runs in awk_eval.ts. */
  *exec(s: Stmt): UserGen<void> {
    if (!s.io) {
      exec_sync(this, s);
      if (this.obuf.length >= 4096) yield* this.drain();
      return;
    }
    if (s.line) this.lineno = s.line;
    switch (s.k) {
      case "expr":
        yield* this.eval(s.e);
        return;
      case "print":
      case "printf": {
        let text: string;
        if (s.k === "printf")
          text = this.str(
            yield* call_builtin(this, "sprintf", s.args.length ? s.args : [{ k: "str", v: "" }]),
          );
        else {
          const vals: Val[] = [];
          for (const a of s.args) vals.push(yield* this.eval(a));
          text = this.print_text(vals);
        }
        if (!s.redir) this.obuf += text;
        else yield* (yield* this.output(s.redir)).puts(text);
        yield* this.drain();
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
          yield* assign_io(this, s.v, new StrNum(k));
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
        if (s.subs) a.delete(yield* subscript_io(this, s.subs));
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
    mark_io(this.prog);
    let exiting = false;
    try {
      yield* this.exec_chain(this.prog.begin);
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
      yield* this.exec_chain(this.prog.end);
    } catch (e) {
      if (!(e instanceof ExitSig)) throw e;
      if (e.code !== null) this.exitCode = e.code;
    }
    return this.exitCode;
  }

  /**
   * All BEGIN (or END) actions, one chain as BusyBox joins them: a next,
   * nextfile or return outside a function ends the whole chain.
   */
  private *exec_chain(chain: Stmt[][]): UserGen<void> {
    try {
      for (const b of chain) yield* this.exec_list(b);
    } catch (e) {
      if (e !== NEXT && e !== NEXTFILE && !(e instanceof ReturnSig)) throw e;
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
          else this.obuf += this.print_text([]);
        }
      } catch (e) {
        if (e === NEXTFILE) {
          if (this.cur) yield* this.cur.close();
          this.cur = null;
        } else if (e !== NEXT && !(e instanceof ReturnSig)) throw e;
      }
    }
  }

  /** At exit: every output flushed, every command waited for. */
  *finish(): UserGen<void> {
    yield* this.flush_all();
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
