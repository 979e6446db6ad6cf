/*
 * awk_builtin.ts - awk's built-in functions (BusyBox editors/awk.c's
 * exec_builtin and the F_xx simple ones), called from awk_interp.ts.
 *
 *   length([s|A]) substr(s,m[,n]) index(s,t) split(s,A[,sep]) sub/gsub(re,
 *   repl[,target]) match(s,re) sprintf(fmt,...) tolower toupper int rand
 *   srand([seed]) system(cmd) close(name) fflush([name])
 *
 * As in BusyBox: substr truncates its numbers and clamps the start to the
 * string ("substr(s,0,2)" is the first two characters); split(s,A,"")
 * cuts s into characters; in a replacement "&" is the match and "\\&" a
 * literal "&"; the target is assigned even when nothing matched (a field
 * so rebuilds $0).
 * Debian builds BusyBox without FEATURE_AWK_LIBM, so sin cos atan2 exp
 * log sqrt fail with "Math support is not compiled in", as there.
 * rand() gives the host's sequence: glibc's random() seeded by srand (1 at
 * start), three calls mixed into one fraction.
 */

import { CLOCK_REALTIME } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import type { Regex } from "../libc/regex.js";
import { REG_NOTBOL, regexec } from "../libc/regex.js";
import { clock_gettime } from "../libc/sys.js";
import { ev, ref_get, ref_of, ref_set, regex_of } from "./awk_eval.js";
import type { Awk } from "./awk_interp.js";
import { awk_system } from "./awk_io.js";
import type { Node } from "./awk_parse.js";
import { AwkError, awk_printf } from "./awk_printf.js";
import { StrNum, type Val } from "./awk_value.js";

/** The fewest arguments each function takes ("Too few arguments" below that). */
const MIN_ARGS: Record<string, number> = {
  substr: 2,
  index: 2,
  split: 2,
  sub: 2,
  gsub: 2,
  match: 2,
  atan2: 2,
  tolower: 1,
  toupper: 1,
  int: 1,
  sin: 1,
  cos: 1,
  exp: 1,
  log: 1,
  sqrt: 1,
  system: 1,
  close: 1,
};

/**
 * The simple builtins (BusyBox's F_xx, one optional or required operand)
 * refuse more ("Too many arguments"); the others ignore what is extra.
 */
const MAX_ARGS: Record<string, number> = {
  rand: 0,
  int: 1,
  srand: 1,
  length: 1,
  system: 1,
  fflush: 1,
  close: 1,
  sin: 1,
  cos: 1,
  exp: 1,
  log: 1,
  sqrt: 1,
};

const MATH = new Set(["sin", "cos", "atan2", "exp", "log", "sqrt"]);

/**
 * glibc's random() (TYPE_3: x[i] = x[i-31] + x[i-3], the first 310
 * outputs thrown away), which srandom() seeds; awk starts as if seeded 1.
 * Each awk process has its own (Awk.rng): every simulated process shares
 * this module.
 */
export class GlibcRandom {
  private r: number[] = [];
  private i = 0;
  constructor(seed: number) {
    const r = [seed === 0 ? 1 : seed | 0];
    for (let i = 1; i < 31; i++) {
      // 16807 * r[i-1] % 2147483647 without overflow (Schrage), as srandom_r computes it
      const hi = Math.trunc(r[i - 1] / 127773);
      const lo = r[i - 1] % 127773;
      let w = 16807 * lo - 2836 * hi;
      if (w < 0) w += 2147483647;
      r.push(w);
    }
    for (let i = 31; i < 34; i++) r.push(r[i - 31]);
    this.r = r;
    this.i = 34;
    for (let k = 0; k < 310; k++) this.next();
  }
  /** random(): 31 bits. */
  next(): number {
    const r = this.r;
    const v = (r[(this.i - 31) % 34] + r[(this.i - 3) % 34]) | 0;
    r[this.i % 34] = v;
    this.i++;
    return v >>> 1;
  }
}

/**
 * rand(): three random() calls, the last as the high 31 bits of a 63-bit
 * fraction and the first two mixed into the low 32, as BusyBox 1.35's
 * F_rn does (checked against the host's busybox awk, seed by seed).
 */
function awk_rand(rng: GlibcRandom): number {
  const a = rng.next();
  const b = rng.next();
  const c = rng.next();
  const low = ((a << 16) ^ b) >>> 0;
  return (c * 4294967296 + low) / 2 ** 63;
}

function check_args(name: string, args: Node[]): void {
  if (args.length < (MIN_ARGS[name] ?? 0)) throw new AwkError("Too few arguments");
  if (args.length > (MAX_ARGS[name] ?? Infinity)) throw new AwkError("Too many arguments");
  if (MATH.has(name)) throw new AwkError("Math support is not compiled in");
}

/** srand(): the new seed, the old one returned. */
function srand(awk: Awk, seed: number): number {
  const old = awk.seed;
  awk.seed = seed;
  awk.rng = new GlibcRandom(seed);
  return old;
}

/**
 * exec_builtin, the generator path: the functions that make system calls,
 * and the others when an argument does (that argument is evaluated first).
 */
export function* call_builtin(awk: Awk, name: string, args: Node[]): UserGen<Val> {
  check_args(name, args);
  const s = function* (i: number): UserGen<string> {
    return awk.str(yield* awk.eval(args[i]));
  };
  switch (name) {
    case "srand":
      if (args.length) break;
      return srand(awk, Math.trunc((yield* clock_gettime(CLOCK_REALTIME)) / 1e9));
    case "system": {
      const cmd = yield* s(0);
      yield* awk.flush_all();
      return yield* awk_system(cmd, awk.envp);
    }
    case "close":
      return yield* awk.close_stream(yield* s(0));
    case "fflush": {
      if (args.length === 0) yield* awk.out.flush();
      else {
        const o = awk.outputs.get(yield* s(0));
        if (o) yield* o.w.flush();
      }
      return 0;
    }
  }
  const pre: Node[] = [];
  for (const a of args) pre.push(a.io ? { k: "val", v: yield* awk.eval(a) } : a);
  return call_builtin_sync(awk, name, pre);
}

/** exec_builtin for the functions that make no system call: arguments evaluated in awk_eval.ts. */
export function call_builtin_sync(awk: Awk, name: string, args: Node[]): Val {
  check_args(name, args);
  const s = (i: number): string => awk.str(ev(awk, args[i]));
  const n = (i: number): number => awk.num(ev(awk, args[i]));
  switch (name) {
    case "length": {
      if (args.length === 0) return awk.str(awk.fields[0]).length;
      const a = args[0];
      if (a.k === "var" || a.k === "local") {
        const c = awk.ref_cell(a);
        if (c.a) return c.a.size;
      }
      return s(0).length;
    }
    case "substr": {
      const str = s(0);
      const l = str.length;
      let i = Math.trunc(n(1) - 1);
      if (i > l) i = l;
      if (i < 0) i = 0;
      let cnt = args.length > 2 ? Math.trunc(n(2)) : l - i;
      if (cnt < 0) cnt = 0;
      return str.substr(i, cnt);
    }
    case "index": {
      const a = s(0);
      const b = s(1);
      return b === "" ? 0 : a.indexOf(b) + 1;
    }
    case "split": {
      const str = s(0);
      const a = args[1];
      if (a.k !== "var" && a.k !== "local") throw new AwkError("Not an array");
      let parts: string[];
      if (args.length > 2) {
        const sep = args[2];
        if (sep.k === "ere") parts = awk.split(str, { mode: "re", re: awk.regex(sep.src) });
        else parts = awk.split(str, awk.make_splitter(s(2)));
      } else parts = awk.split(str, awk.make_splitter(awk.sv("FS")));
      const arr = awk.array(awk.ref_cell(a));
      arr.clear();
      for (let i = 0; i < parts.length; i++) arr.set(String(i + 1), new StrNum(parts[i]));
      return parts.length;
    }
    case "sub":
    case "gsub": {
      const re = regex_of(awk, args[0]);
      const repl = s(1);
      const target: Node = args[2] ?? { k: "field", e: { k: "num", v: 0 } };
      const lvalue =
        target.k === "var" || target.k === "local" || target.k === "index" || target.k === "field";
      const r = lvalue ? ref_of(awk, target) : null;
      const src = awk.str(r ? ref_get(awk, r) : ev(awk, target));
      const [out, count] = substitute(re, repl, src, name === "gsub");
      if (r) ref_set(awk, r, out);
      return count;
    }
    case "match": {
      const str = s(0);
      const m = regexec(regex_of(awk, args[1]), str, 0);
      awk.set_cell(awk.cell("RSTART"), m ? m.index + 1 : 0);
      awk.set_cell(awk.cell("RLENGTH"), m ? m[0].length : -1);
      return m ? m.index + 1 : 0;
    }
    case "sprintf": {
      const vals: Val[] = [];
      for (let i = 1; i < args.length; i++) vals.push(ev(awk, args[i]));
      return awk_printf(
        args.length ? s(0) : "",
        vals.map((v) => ({ str: () => awk.str(v), num: () => awk.num(v), isNum: () => awk.isNum(v) })),
      );
    }
    case "tolower":
      return s(0).replace(/[A-Z]/g, (c) => c.toLowerCase());
    case "toupper":
      return s(0).replace(/[a-z]/g, (c) => c.toUpperCase());
    case "int":
      return Math.trunc(n(0));
    case "rand":
      return awk_rand(awk.rng);
    case "srand":
      return srand(awk, Math.trunc(n(0)) >>> 0);
  }
  throw new AwkError("Call to undefined function");
}

/**
 * The replacement text for one match, as awk_sub builds it: every
 * character is copied; at "&" the backslashes before it are halved, and
 * an odd count makes it a literal "&", else it becomes the match. Debian's
 * build has no GNU "\\1" groups: they stay as they are.
 */
function expand(repl: string, m: RegExpExecArray): string {
  let out = "";
  let nbs = 0;
  for (const c of repl) {
    out += c;
    if (c === "\\") {
      nbs++;
      continue;
    }
    if (c === "&") {
      out = out.slice(0, out.length - ((nbs + 3) >> 1));
      out += nbs % 2 ? c : m[0];
    }
    nbs = 0;
  }
  return out;
}

/**
 * sub/gsub as awk_sub: [result, number of replacements]. After each match
 * the regex runs on the rest of the string alone with REG_NOTBOL ("^" no
 * longer matches, "\\<" sees a start there); an empty match is replaced
 * too, even right after another match, and one character is copied past it.
 */
export function substitute(re: Regex, repl: string, src: string, global: boolean): [string, number] {
  let out = "";
  let sp = src;
  let count = 0;
  for (let m = regexec(re, sp, 0); m; m = regexec(re, sp, 0, REG_NOTBOL)) {
    const so = m.index;
    const eo = so + m[0].length;
    out += sp.slice(0, so) + expand(repl, m);
    count++;
    sp = sp.slice(eo);
    if (!global) break;
    if (so === eo) {
      if (sp === "") break;
      out += sp[0];
      sp = sp.slice(1);
    }
  }
  return [out + sp, count];
}
