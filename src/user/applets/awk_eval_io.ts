/*
 * awk_eval_io.ts - the generator path of evaluation (BusyBox's evaluate()
 * for the nodes awk_eval.ts's mark_io flagged: they may make system
 * calls, through getline, system(), close(), fflush() or a function that
 * does). Each child goes back through Awk.eval, so whatever part of the
 * tree makes no system call runs in awk_eval.ts's plain functions.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { call_builtin } from "./awk_builtin.js";
import { frame_cell, ReturnSig } from "./awk_eval.js";
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

export function* assign_io(awk: Awk, l: Node, v: Val): UserGen<void> {
  switch (l.k) {
    case "var":
      return awk.set_cell(l.cell, v);
    case "local":
      return awk.set_cell(awk.local(l.i), v);
    case "index":
      return awk.arr(l.arr).set(yield* subscript_io(awk, l.subs), v);
    case "field":
      return awk.set_field(Math.trunc(awk.num(yield* awk.eval(l.e))), v);
  }
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
      if (n.op === "=") {
        const v = yield* awk.eval(n.r);
        yield* assign_io(awk, n.l, v);
        return v;
      }
      const r = awk.num(yield* awk.eval(n.r));
      const l = awk.num(yield* awk.eval(n.l));
      const v = awk.arith(n.op[0], l, r);
      yield* assign_io(awk, n.l, v);
      return v;
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
      const re = n.r.k === "ere" ? n.r.src : awk.str(yield* awk.eval(n.r));
      return awk.matches(re, s) !== n.neg ? 1 : 0;
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
    case "incdec": {
      const old = awk.num(yield* awk.eval(n.l));
      const v = n.op === "++" ? old + 1 : old - 1;
      yield* assign_io(awk, n.l, v);
      return n.pre ? v : old;
    }
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
    if (e instanceof ReturnSig) return e.v;
    throw e;
  } finally {
    awk.frames.pop();
  }
  return undefined;
}
