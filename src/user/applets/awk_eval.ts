/*
 * awk_eval.ts - the fast path of awk_interp.ts: most of a program needs no
 * system call (arithmetic, fields, arrays, string functions, print to
 * stdout), so it runs as plain recursive JavaScript instead of nested
 * generators. That is quicker, and a recursive awk function can go as
 * deep as BusyBox lets it (thousands of calls), where a chain of
 * generators runs out of stack after a few hundred.
 *
 * mark_io() flags every node and statement that may need the kernel:
 * getline, system(), close(), fflush(), srand() (it reads the clock),
 * print/printf with a redirection, and calls to functions that do any of
 * these (found by iterating until nothing changes). Unflagged ones run
 * here; flagged ones run in awk_interp.ts's generators, which come back
 * here for every unflagged part. print to stdout only appends to the
 * interpreter's buffer (awk.obuf); the generators write it out.
 *
 * The control-flow signals are shared by both paths.
 */

import { type Regex, regexec } from "../libc/regex.js";
import { call_builtin_sync } from "./awk_builtin.js";
import type { Awk } from "./awk_interp.js";
import type { Func, Node, Program, Stmt } from "./awk_parse.js";
import { AwkError } from "./awk_printf.js";
import type { AwkArray, Cell, Val } from "./awk_value.js";
import { StrNum } from "./awk_value.js";

export class BreakSig {}
export class ContinueSig {}
export class NextSig {}
export class NextFileSig {}
export class ExitSig {
  constructor(readonly code: number | null) {}
}
export class ReturnSig {
  constructor(readonly v: Val) {}
}
export const BREAK = new BreakSig();
export const CONTINUE = new ContinueSig();
export const NEXT = new NextSig();
export const NEXTFILE = new NextFileSig();

/** Builtins that make system calls. */
const IO_BUILTINS = new Set(["system", "close", "fflush"]);

/* ---- which parts need system calls ---- */

function node_io(n: Node): boolean {
  let io = false;
  const sub = (c: Node | null | undefined): void => {
    if (c && node_io(c)) io = true;
  };
  switch (n.k) {
    case "index":
      n.subs.forEach(sub);
      break;
    case "in":
      n.subs.forEach(sub);
      break;
    case "field":
    case "group":
    case "unary":
      sub(n.e);
      break;
    case "list":
      n.items.forEach(sub);
      break;
    case "assign":
    case "match":
      sub(n.l);
      sub(n.r);
      break;
    case "cond":
      sub(n.c);
      sub(n.a);
      sub(n.b);
      break;
    case "and":
    case "or":
    case "cmp":
    case "concat":
    case "bin":
      sub(n.a);
      sub(n.b);
      break;
    case "incdec":
      sub(n.l);
      break;
    case "call":
      n.args.forEach(sub);
      if (!n.fn || n.fn.io) io = true;
      break;
    case "builtin":
      n.args.forEach(sub);
      if (IO_BUILTINS.has(n.name) || (n.name === "srand" && n.args.length === 0)) io = true;
      break;
    case "getline":
      sub(n.lv);
      sub(n.file);
      sub(n.cmd);
      io = true;
      break;
  }
  n.io = io;
  return io;
}

function stmt_io(s: Stmt): boolean {
  let io = false;
  const e = (c: Node | null | undefined): void => {
    if (c && node_io(c)) io = true;
  };
  const st = (c: Stmt | null): void => {
    if (c && stmt_io(c)) io = true;
  };
  switch (s.k) {
    case "print":
    case "printf":
      s.args.forEach(e);
      if (s.redir) {
        e(s.redir.e);
        io = true;
      }
      break;
    case "expr":
      e(s.e);
      break;
    case "if":
      e(s.c);
      st(s.t);
      st(s.f);
      break;
    case "while":
    case "do":
      e(s.c);
      st(s.body);
      break;
    case "for":
      e(s.init);
      e(s.c);
      e(s.step);
      st(s.body);
      break;
    case "forin":
      e(s.v);
      st(s.body);
      break;
    case "block":
      s.body.forEach(st);
      break;
    case "exit":
    case "return":
      e(s.e);
      break;
    case "delete":
      s.subs?.forEach(e);
      break;
  }
  s.io = io;
  return io;
}

const list_io = (l: Stmt[]): boolean => l.map(stmt_io).some((x) => x);

/** Flags the whole program, functions first (a function is io when its body is, calls included). */
export function mark_io(p: Program): void {
  for (const c of p.calls) c.fn = p.funcs.get(c.name);
  const funcs: Func[] = [...p.funcs.values()];
  for (const f of funcs) f.io = false;
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of funcs) if (!f.io && list_io(f.body)) changed = f.io = true;
  }
  for (const f of funcs) list_io(f.body);
  for (const b of [...p.begin, ...p.end]) list_io(b);
  for (const r of p.rules) {
    if (r.pat) node_io(r.pat);
    if (r.pat2) node_io(r.pat2);
    if (r.body) list_io(r.body);
  }
}

/* ---- evaluation ---- */

function subscript(awk: Awk, subs: Node[]): string {
  if (subs.length === 1) return awk.str(ev(awk, subs[0]));
  return subs.map((s) => awk.str(ev(awk, s))).join(awk.sv("SUBSEP"));
}

/**
 * An lvalue found once (BusyBox evaluates the left side of an assignment
 * first: a[i] is created before the right side runs, and a[i++] += 1
 * moves i once).
 */
export type Ref =
  | { k: "cell"; c: Cell }
  | { k: "elem"; a: AwkArray; key: string }
  | { k: "field"; i: number };

export function ref_get(awk: Awk, r: Ref): Val {
  if (r.k === "cell") return r.c.v;
  if (r.k === "elem") return r.a.get(r.key);
  return awk.get_field(r.i);
}

export function ref_set(awk: Awk, r: Ref, v: Val): void {
  if (r.k === "cell") awk.set_cell(r.c, v);
  else if (r.k === "elem") r.a.set(r.key, v);
  else awk.set_field(r.i, v);
}

/** The reference of an lvalue node; an array element is created. */
export function elem_ref(a: AwkArray, key: string): Ref {
  if (!a.has(key)) a.set(key, undefined);
  return { k: "elem", a, key };
}

export function ref_of(awk: Awk, l: Node): Ref {
  switch (l.k) {
    case "var":
      return { k: "cell", c: l.cell };
    case "local":
      return { k: "cell", c: awk.local(l.i) };
    case "index":
      return elem_ref(awk.arr(l.arr), subscript(awk, l.subs));
    case "field":
      return { k: "field", i: Math.trunc(awk.num(ev(awk, l.e))) };
  }
  throw new AwkError("Internal error");
}

export function assign(awk: Awk, l: Node, v: Val): void {
  ref_set(awk, ref_of(awk, l), v);
}

/** "=", "+=" ...: the new value (`old` is the left side's number, read before the right side ran). */
export function assign_op(awk: Awk, r: Ref, op: string, old: number, v: Val): Val {
  // copying an uninitialized value gives "" (BusyBox's copyvar makes a string of it)
  const nv = op === "=" ? (v ?? "") : awk.arith(op[0], old, awk.num(v));
  ref_set(awk, r, nv);
  return nv;
}

/** ++ and --: [new value, value returned]. */
export function incdec(awk: Awk, r: Ref, op: string, pre: boolean): Val {
  const old = awk.num(ref_get(awk, r));
  const v = op === "++" ? old + 1 : old - 1;
  ref_set(awk, r, v);
  return pre ? v : old;
}

/** evaluate(): a node's value, for a node without system calls. */
export function ev(awk: Awk, n: Node): Val {
  switch (n.k) {
    case "num":
    case "str":
    case "val":
      return n.v;
    case "ere":
      return awk.match_record(n.src) ? 1 : 0;
    case "var":
      return n.cell.v;
    case "local":
      return awk.local(n.i).v;
    case "index": {
      const a = awk.arr(n.arr);
      const k = subscript(awk, n.subs);
      if (!a.has(k)) a.set(k, undefined);
      return a.get(k);
    }
    case "field":
      return awk.get_field(Math.trunc(awk.num(ev(awk, n.e))));
    case "group":
      return ev(awk, n.e);
    case "list":
      // the comma operator: the values joined by SUBSEP, as "(a, b) in A" looks them up
      return subscript(awk, n.items);
    case "assign": {
      // BusyBox's order: the left side, its number (for += ...), then the right side
      const r = ref_of(awk, n.l);
      const old = n.op === "=" ? 0 : awk.num(ref_get(awk, r));
      return assign_op(awk, r, n.op, old, ev(awk, n.r));
    }
    case "cond":
      return ev(awk, awk.truth(ev(awk, n.c)) ? n.a : n.b);
    case "and":
      return awk.truth(ev(awk, n.a)) && awk.truth(ev(awk, n.b)) ? 1 : 0;
    case "or":
      return awk.truth(ev(awk, n.a)) || awk.truth(ev(awk, n.b)) ? 1 : 0;
    case "in":
      return awk.arr(n.arr).has(subscript(awk, n.subs)) ? 1 : 0;
    case "match": {
      const s = awk.str(ev(awk, n.l));
      return (regexec(regex_of(awk, n.r), s, 0) !== null) !== n.neg ? 1 : 0;
    }
    case "cmp":
      return awk.compare(n.op, ev(awk, n.a), ev(awk, n.b)) ? 1 : 0;
    case "concat": {
      const a = awk.str(ev(awk, n.a));
      return a + awk.str(ev(awk, n.b));
    }
    case "bin": {
      const a = awk.num(ev(awk, n.a));
      return awk.arith(n.op, a, awk.num(ev(awk, n.b)));
    }
    case "unary": {
      const v = ev(awk, n.e);
      if (n.op === "!") return awk.truth(v) ? 0 : 1;
      return n.op === "-" ? -awk.num(v) : awk.num(v);
    }
    case "incdec":
      return incdec(awk, ref_of(awk, n.l), n.op, n.pre);
    case "call":
      return call(awk, n.fn!, n.args);
    case "builtin":
      return call_builtin_sync(awk, n.name, n.args);
    case "getline":
      throw new AwkError("Internal error");
  }
}

/** as_regex: a /regex/ literal's source, or any other value's text. */
export function regex_of(awk: Awk, n: Node): Regex {
  return n.k === "ere" ? awk.regex(n.src) : awk.as_regex(awk.str(ev(awk, n)));
}

/**
 * The parameters of a call: an array (or an untyped variable, which may
 * become one) is passed by reference, anything else by value; missing
 * ones are empty locals.
 */
export function frame_cell(awk: Awk, a: Node | undefined, value: () => Val): Cell {
  if (!a) return { v: undefined, a: null };
  if (a.k === "var" || a.k === "local") {
    const src = a.k === "var" ? a.cell : awk.local(a.i);
    if (src.a) return src;
    // an untyped variable arrives as "" (copyvar), and still becomes the caller's array if used as one
    if (src.v === undefined) return { v: "", a: null, parent: src };
    return { v: src.v, a: null };
  }
  return { v: value(), a: null };
}

function call(awk: Awk, f: Func, args: Node[]): Val {
  const frame: Cell[] = [];
  for (let i = 0; i < Math.max(f.nparams, args.length); i++)
    frame.push(frame_cell(awk, args[i], () => ev(awk, args[i])));
  awk.frames.push(frame);
  try {
    exec_list(awk, f.body);
  } catch (e) {
    if (e instanceof ReturnSig) return e.v ?? "";
    throw e;
  } finally {
    awk.frames.pop();
  }
  return "";
}

/* ---- statements ---- */

export function exec_list(awk: Awk, list: Stmt[]): void {
  for (const s of list) exec(awk, s);
}

/** One pass of a loop body: false when it breaks. */
function body(awk: Awk, b: Stmt): boolean {
  try {
    exec(awk, b);
  } catch (e) {
    if (e === BREAK) return false;
    if (e !== CONTINUE) throw e;
  }
  return true;
}

/** Runs a statement without system calls (print goes to awk.obuf). */
export function exec(awk: Awk, s: Stmt): void {
  if (s.line) awk.lineno = s.line;
  switch (s.k) {
    case "expr":
      ev(awk, s.e);
      return;
    case "print":
      awk.obuf += awk.print_text(s.args.map((a) => ev(awk, a)));
      return;
    case "printf":
      if (s.args.length) awk.obuf += awk.str(call_builtin_sync(awk, "sprintf", s.args));
      return;
    case "if":
      if (awk.truth(ev(awk, s.c))) exec(awk, s.t);
      else if (s.f) exec(awk, s.f);
      return;
    case "block":
      exec_list(awk, s.body);
      return;
    case "while":
      while (awk.truth(ev(awk, s.c))) if (!body(awk, s.body)) break;
      return;
    case "do":
      do if (!body(awk, s.body)) break;
      while (awk.truth(ev(awk, s.c)));
      return;
    case "for":
      if (s.init) ev(awk, s.init);
      while (!s.c || awk.truth(ev(awk, s.c))) {
        if (!body(awk, s.body)) break;
        if (s.step) ev(awk, s.step);
      }
      return;
    case "forin":
      for (const k of awk.arr(s.arr).keys()) {
        assign(awk, s.v, new StrNum(k));
        if (!body(awk, s.body)) break;
      }
      return;
    case "break":
      throw BREAK;
    case "continue":
      throw CONTINUE;
    case "next":
      throw NEXT;
    case "nextfile":
      throw NEXTFILE;
    case "exit":
      throw new ExitSig(s.e ? Math.trunc(awk.num(ev(awk, s.e))) : null);
    case "return":
      throw new ReturnSig(s.e ? ev(awk, s.e) : undefined);
    case "delete": {
      const a = awk.arr(s.arr);
      if (s.subs) a.delete(subscript(awk, s.subs));
      else a.clear();
      return;
    }
  }
}
