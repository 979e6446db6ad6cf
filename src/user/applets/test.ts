/*
 * test.ts - test, [ and [[ (coreutils/test.c): evaluate a conditional
 * expression; the status is 0 (true), 1 (false) or 2 (a syntax error).
 *
 * The grammar and its quirks are BusyBox's:
 *   oexpr   := aexpr [ -o oexpr ]
 *   aexpr   := nexpr [ -a aexpr ]
 *   nexpr   := ! nexpr | primary
 *   primary := ( oexpr ) | UNOP arg | arg BINOP arg | arg
 * preceded by POSIX's rules for 0 to 4 arguments ("test ! a", "test a = b",
 * "test ( a )"), so that an operand that looks like an operator is still an
 * operand. Numbers are 64-bit (strtoll: "bad number", "out of range"). As
 * root, -r and -w are always true and -x needs one execute bit. "[" needs a
 * last argument "]", "[[" a "]]". The shell's builtin test is separate.
 *
 * "[[" is bash's conditional as BusyBox 1.35 has it (BASH_TEST2): the same
 * grammar with && and || where -a and -o were (which are operands there),
 * = == != matching a glob pattern, =~ an extended regex (a bad one: status
 * 2, no message). The shell passes && and || to it as words; the words are
 * expanded as any command's (split, globbed, quotes removed: ash's TODO).
 */

import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
} from "../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg } from "../libc/libbb.js";
import { regcomp, regexec } from "../libc/regex.js";
import { isatty } from "../libc/stream.js";
import { lstat, stat } from "../libc/sys.js";
import { pmatch } from "../sh/glob.js";
import type { Applet } from "./registry.js";

type OpType = "UNOP" | "BINOP" | "BUNOP" | "BBINOP" | "PAREN";
const OPS: Record<string, OpType> = {
  "-r": "UNOP",
  "-w": "UNOP",
  "-x": "UNOP",
  "-e": "UNOP",
  "-f": "UNOP",
  "-d": "UNOP",
  "-c": "UNOP",
  "-b": "UNOP",
  "-p": "UNOP",
  "-u": "UNOP",
  "-g": "UNOP",
  "-k": "UNOP",
  "-s": "UNOP",
  "-t": "UNOP",
  "-z": "UNOP",
  "-n": "UNOP",
  "-h": "UNOP",
  "-O": "UNOP",
  "-G": "UNOP",
  "-L": "UNOP",
  "-S": "UNOP",
  "=": "BINOP",
  "==": "BINOP",
  "!=": "BINOP",
  "<": "BINOP",
  ">": "BINOP",
  "-eq": "BINOP",
  "-ne": "BINOP",
  "-ge": "BINOP",
  "-gt": "BINOP",
  "-le": "BINOP",
  "-lt": "BINOP",
  "-nt": "BINOP",
  "-ot": "BINOP",
  "-ef": "BINOP",
  "!": "BUNOP",
  "-a": "BBINOP",
  "-o": "BBINOP",
  "(": "PAREN",
  ")": "PAREN",
};

/** A syntax error: the message test prints (none when empty), after which it exits 2. */
export class Syntax {
  constructor(readonly msg: string) {}
}

/** The operators of [[: && and || instead of -a and -o, and =~. */
const OPS2: Record<string, OpType> = Object.fromEntries([
  ...Object.entries(OPS).filter(([op]) => op !== "-a" && op !== "-o"),
  ["&&", "BBINOP"],
  ["||", "BBINOP"],
  ["=~", "BINOP"],
]);

function syntax(op: string | undefined, msg: string): never {
  throw new Syntax(op ? `${op}: ${msg}` : msg);
}

/** getn(): strtoll with test's checks. */
function getn(s: string): bigint {
  const m = /^\s*([-+]?\d+)\s*$/.exec(s);
  if (!m) {
    if (/^\s*[-+]?\d/.test(s)) syntax(s, "bad number");
    syntax(s, "bad number");
  }
  const v = BigInt(m[1]);
  if (v >= 1n << 63n || v < -(1n << 63n)) syntax(s, "out of range");
  return v;
}

/** The evaluator over argv, with BusyBox's cursor `i` into it. */
class Eval {
  i = 0;
  readonly ops: Record<string, OpType>;
  /** The "and" and "or" operators. */
  readonly and: string;
  readonly or: string;
  constructor(
    readonly args: (string | undefined)[],
    readonly dbl = false,
  ) {
    this.ops = dbl ? OPS2 : OPS;
    this.and = dbl ? "&&" : "-a";
    this.or = dbl ? "||" : "-o";
  }

  op(s: string | undefined): OpType | "EOI" | "OPERAND" {
    if (s === undefined) return "EOI";
    return this.ops[s] ?? "OPERAND";
  }

  *binop(): UserGen<boolean> {
    const a = this.args;
    const opnd1 = a[this.i]!;
    const op = a[++this.i]!;
    const opnd2 = a[++this.i];
    if (opnd2 === undefined) syntax(op, "argument expected");
    if (["-eq", "-ne", "-ge", "-gt", "-le", "-lt"].includes(op)) {
      const v1 = getn(opnd1);
      const v2 = getn(opnd2);
      return {
        "-eq": v1 === v2,
        "-ne": v1 !== v2,
        "-ge": v1 >= v2,
        "-gt": v1 > v2,
        "-le": v1 <= v2,
        "-lt": v1 < v2,
      }[op]!;
    }
    if (this.dbl && op === "=~") {
      const re = regcomp(opnd2, true);
      if (typeof re === "string") throw new Syntax("");
      return regexec(re, opnd1) !== null;
    }
    if (this.dbl && (op === "=" || op === "==" || op === "!=")) return pmatch(opnd2, opnd1) !== (op === "!=");
    if (["=", "==", "!=", "<", ">"].includes(op)) {
      const c = opnd1 < opnd2 ? -1 : opnd1 > opnd2 ? 1 : 0;
      return op === "!=" ? c !== 0 : op === "<" ? c < 0 : op === ">" ? c > 0 : c === 0;
    }
    const s1 = yield* stat(opnd1);
    const s2 = yield* stat(opnd2);
    if (typeof s1 === "number" || typeof s2 === "number") return false;
    if (op === "-nt") return s1.st_mtime > s2.st_mtime;
    if (op === "-ot") return s1.st_mtime < s2.st_mtime;
    return s1.st_dev === s2.st_dev && s1.st_ino === s2.st_ino;
  }

  *filstat(nm: string, op: string): UserGen<boolean> {
    if (op === "-h" || op === "-L") {
      const st = yield* lstat(nm);
      return typeof st !== "number" && (st.st_mode & S_IFMT) === S_IFLNK;
    }
    const st: Stat | number = yield* stat(nm);
    if (typeof st === "number") return false;
    const type = (t: number): boolean => (st.st_mode & S_IFMT) === t;
    switch (op) {
      case "-e":
      case "-r":
      case "-w":
        return true; // root may read and write anything
      case "-x":
        return (st.st_mode & 0o111) !== 0;
      case "-f":
        return type(S_IFREG);
      case "-d":
        return type(S_IFDIR);
      case "-c":
        return type(S_IFCHR);
      case "-b":
        return type(S_IFBLK);
      case "-p":
        return type(S_IFIFO);
      case "-S":
        return type(S_IFSOCK);
      case "-u":
        return (st.st_mode & 0o4000) !== 0;
      case "-g":
        return (st.st_mode & 0o2000) !== 0;
      case "-k":
        return (st.st_mode & 0o1000) !== 0;
      case "-s":
        return st.st_size > 0;
      case "-O":
        return st.st_uid === 0;
      case "-G":
        return st.st_gid === 0;
    }
    return true;
  }

  *primary(): UserGen<boolean> {
    const a = this.args;
    const cur = a[this.i];
    const kind = this.op(cur);
    if (kind === "EOI") syntax(undefined, "argument expected");
    if (cur === "(") {
      this.i++;
      const res = yield* this.oexpr();
      if (a[++this.i] !== ")") syntax(undefined, "closing paren expected");
      return res;
    }
    // "arg BINOP arg" first, as coreutils does
    if (a[this.i + 1] !== undefined && a[this.i + 2] !== undefined && this.op(a[this.i + 1]) === "BINOP")
      return yield* this.binop();
    if (kind === "UNOP") {
      if (a[this.i + 1] === undefined) return cur !== "";
      const arg = a[++this.i]!;
      if (cur === "-z") return arg === "";
      if (cur === "-n") return arg !== "";
      if (cur === "-t") return yield* isatty(Number(getn(arg)));
      return yield* this.filstat(arg, cur!);
    }
    if (this.op(a[this.i + 1]) === "BINOP") return yield* this.binop();
    return cur !== "";
  }

  *nexpr(): UserGen<boolean> {
    if (this.args[this.i] === "!") {
      this.i++;
      if (this.args[this.i] === undefined) {
        this.i--;
        return true;
      }
      return !(yield* this.nexpr());
    }
    return yield* this.primary();
  }

  *aexpr(): UserGen<boolean> {
    const res = yield* this.nexpr();
    if (this.args[++this.i] === this.and) {
      this.i++;
      return (yield* this.aexpr()) && res;
    }
    this.i--;
    return res;
  }

  *oexpr(): UserGen<boolean> {
    const res = yield* this.aexpr();
    if (this.args[++this.i] === this.or) {
      this.i++;
      return (yield* this.oexpr()) || res;
    }
    this.i--;
    return res;
  }
}

/**
 * test_main after the brackets are checked: 0, 1, or 2 with a message.
 * POSIX's cases by argument count come first; each leading "!" they meet
 * is dropped and counted (negate), but only the cases that end here (no
 * argument, one, or "a BINOP b") apply it. Otherwise the full grammar reads
 * the arguments from the start, "!" included - and "( x y )" with four
 * arguments has had its ")" taken away, as test.c's argv[3] = NULL does
 * ("test ! ( -z a )" is "closing paren expected").
 */
function* evaluate(argv: string[], dbl: boolean): UserGen<number | Syntax> {
  const ops = dbl ? OPS2 : OPS;
  const args: (string | undefined)[] = [...argv];
  let at = 0;
  let negate = 0;
  for (;;) {
    if (args[at] === undefined) return 1 ^ negate;
    if (args[at + 1] === undefined) return Number(args[at] === "") ^ negate;
    if (args[at + 2] !== undefined) {
      if (args[at + 3] === undefined) {
        if (ops[args[at + 1]!] === "BINOP") {
          try {
            return Number(!(yield* new Eval(args.slice(at), dbl).binop())) ^ negate;
          } catch (e) {
            if (e instanceof Syntax) return e;
            throw e;
          }
        }
      } else if (args[at + 4] === undefined && args[at] === "(" && args[at + 3] === ")") {
        args[at + 3] = undefined;
        at++;
      }
    }
    if (args[at] !== "!") break;
    at++;
    negate ^= 1;
  }
  const end = args.indexOf(undefined);
  const ev = new Eval(end < 0 ? args : args.slice(0, end), dbl);
  try {
    const res = Number(!(yield* ev.oexpr()));
    if (ev.args[ev.i] !== undefined && ev.args[++ev.i] !== undefined)
      return new Syntax(`${ev.args[ev.i]}: unknown operand`);
    return res;
  } catch (e) {
    if (e instanceof Syntax) return e;
    throw e;
  }
}

/**
 * test_main: 0 true, 1 false, 2 after printing "NAME: message" through say.
 * The applets and the shell's builtins (ash runs this same code in-process,
 * its messages prefixed as the shell's) share it.
 */
export function* test_main(argv: string[], say: (msg: string) => UserGen<unknown>): UserGen<number> {
  let args = argv.slice(1);
  const name = argv[0];
  if (name === "[" || name === "[[") {
    const close = name === "[" ? "]" : "]]";
    if (args[args.length - 1] !== close) {
      yield* say(`missing ${close}`);
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = yield* evaluate(args, name === "[[");
  if (r instanceof Syntax) {
    if (r.msg) yield* say(r.msg);
    return 2;
  }
  return r;
}

function* test_common(argv: string[], name: string): UserGen<number> {
  return yield* test_main([name, ...argv.slice(1)], (msg) => bb_error_msg(name, msg));
}

export const test: Applet = { name: "test", dir: "/usr/bin", main: (argv) => test_common(argv, "test") };
export const bracket: Applet = {
  name: "[",
  dir: "/usr/bin",
  usage: "",
  main: (argv) => test_common(argv, "["),
};
export const bracket2: Applet = {
  name: "[[",
  dir: "/usr/bin",
  usage: "",
  main: (argv) => test_common(argv, "[["),
};
