/*
 * awk_eval_io.ts - the generator path of evaluation (BusyBox's evaluate()
 * for the nodes awk_eval.ts's mark_io flagged: they may make system
 * calls, through getline, system(), close(), fflush() or a function that
 * does). Each child goes back through Awk.eval, so whatever part of the
 * tree makes no system call runs in awk_eval.ts's plain functions.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { regexec } from "../libc/regex.js";
import { call_builtin } from "./awk_builtin.js";
import {
  assign_op,
  elem_ref,
  frame_cell,
  incdec,
  type Ref,
  ReturnSig,
  ref_get,
  ref_of,
  ref_set,
} from "./awk_eval.js";
import type { Awk } from "./awk_interp.js";
import type { Func, Node } from "./awk_parse.js";
import { AwkError } from "./awk_printf.js";
import type { Cell, Val } from "./awk_value.js";

export function* subscript_io(awk: Awk, subs: Node[]): UserGen<string> {
  if (subs.length === 1) return awk.str(yield* awk.eval(subs[0]));
  const parts: string[] = [];
  for (const s of subs) parts.push(awk.str(yield* awk.eval(s)));
  return parts.join(awk.sv("SUBSEP"));
}

/** The reference of an lvalue (awk_eval.ts's Ref), its subscript or field number evaluated here. */
function* ref_of_io(awk: Awk, l: Node): UserGen<Ref> {
  if (l.k === "index") return elem_ref(awk.arr(l.arr), yield* subscript_io(awk, l.subs));
  if (l.k === "field") return { k: "field", i: Math.trunc(awk.num(yield* awk.eval(l.e))) };
  return ref_of(awk, l);
}

export function* assign_io(awk: Awk, l: Node, v: Val): UserGen<void> {
  ref_set(awk, yield* ref_of_io(awk, l), v);
}

/** evaluate(): the generator path, for nodes that may make system calls (see awk_eval.ts). */
export function* eval_io(awk: Awk, n: Node): UserGen<Val> {
  switch (n.k) {
    case "num":
    case "val":
      return n.v;
    case "str":
      return n.v;
    case "ere":
      return awk.match_record(n.src) ? 1 : 0;
    case "var":
      return n.cell.v;
    case "local":
      return awk.local(n.i).v;
    case "index": {
      const a = awk.arr(n.arr);
      const k = yield* subscript_io(awk, n.subs);
      if (!a.has(k)) a.set(k, undefined);
      return a.get(k);
    }
    case "field":
      return awk.get_field(Math.trunc(awk.num(yield* awk.eval(n.e))));
    case "group":
      return yield* awk.eval(n.e);
    case "list":
      return yield* subscript_io(awk, n.items);
    case "assign": {
      const r = yield* ref_of_io(awk, n.l);
      const old = n.op === "=" ? 0 : awk.num(ref_get(awk, r));
      return assign_op(awk, r, n.op, old, yield* awk.eval(n.r));
    }
    case "cond":
      return yield* awk.eval(awk.truth(yield* awk.eval(n.c)) ? n.a : n.b);
    case "and":
      return awk.truth(yield* awk.eval(n.a)) && awk.truth(yield* awk.eval(n.b)) ? 1 : 0;
    case "or":
      return awk.truth(yield* awk.eval(n.a)) || awk.truth(yield* awk.eval(n.b)) ? 1 : 0;
    case "in": {
      const k = yield* subscript_io(awk, n.subs);
      return awk.arr(n.arr).has(k) ? 1 : 0;
    }
    case "match": {
      const s = awk.str(yield* awk.eval(n.l));
      const re = n.r.k === "ere" ? awk.regex(n.r.src) : awk.as_regex(awk.str(yield* awk.eval(n.r)));
      return (regexec(re, s, 0) !== null) !== n.neg ? 1 : 0;
    }
    case "cmp":
      return awk.compare(n.op, yield* awk.eval(n.a), yield* awk.eval(n.b)) ? 1 : 0;
    case "concat": {
      const a = awk.str(yield* awk.eval(n.a));
      return a + awk.str(yield* awk.eval(n.b));
    }
    case "bin": {
      const a = awk.num(yield* awk.eval(n.a));
      return awk.arith(n.op, a, awk.num(yield* awk.eval(n.b)));
    }
    case "unary": {
      const v = yield* awk.eval(n.e);
      if (n.op === "!") return awk.truth(v) ? 0 : 1;
      return n.op === "-" ? -awk.num(v) : awk.num(v);
    }
    case "incdec":
      return incdec(awk, yield* ref_of_io(awk, n.l), n.op, n.pre);
    case "call":
      return yield* call_io(awk, n);
    case "builtin":
      return yield* call_builtin(awk, n.name, n.args);
    case "getline":
      return yield* awk.getline(n.lv, n.file, n.cmd);
  }
}

function* call_io(awk: Awk, n: Extract<Node, { k: "call" }>): UserGen<Val> {
  const f: Func | undefined = n.fn;
  if (!f) throw new AwkError("Call to undefined function");
  const frame: Cell[] = [];
  for (let i = 0; i < Math.max(f.nparams, n.args.length); i++) {
    const a = n.args[i];
    const v = a && a.k !== "var" && a.k !== "local" ? yield* awk.eval(a) : undefined;
    frame.push(frame_cell(awk, a, () => v));
  }
  awk.frames.push(frame);
  try {
    yield* awk.exec_list(f.body);
  } catch (e) {
    if (e instanceof ReturnSig) return e.v ?? "";
    throw e;
  } finally {
    awk.frames.pop();
  }
  return "";
}
