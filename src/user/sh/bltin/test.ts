/*
 * test.ts - test and [ (BusyBox coreutils/test.c, run in-process by ash).
 *
 *   oexpr   : aexpr ( -o aexpr )*
 *   aexpr   : nexpr ( -a nexpr )*
 *   nexpr   : ! nexpr | primary
 *   primary : ( oexpr ) | UNARY arg | arg BINARY arg | arg
 *
 * As POSIX asks, the number of arguments decides first: one argument is
 * true when not empty (even "-n"), "! x" and "( x )" are read before
 * operators. Errors print "sh: ..." and return 2.
 */

import { F_OK, R_OK, S_IFMT, TCGETS, W_OK, X_OK } from "../../../kernel/uapi/abi.js";
import type { Stat, UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts } from "../../libc/stdio.js";
import { access, ioctl, lstat, stat } from "../../libc/sys.js";
import type { Builtin } from "../builtins.js";
import type { Shell } from "../shell.js";

class TestError {
  constructor(readonly msg: string) {}
}

const UNARY = new Set([
  "-b",
  "-c",
  "-d",
  "-e",
  "-f",
  "-g",
  "-G",
  "-h",
  "-k",
  "-L",
  "-n",
  "-O",
  "-p",
  "-r",
  "-s",
  "-S",
  "-t",
  "-u",
  "-w",
  "-x",
  "-z",
]);
const BINARY = new Set([
  "=",
  "==",
  "!=",
  "<",
  ">",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
  "-nt",
  "-ot",
  "-ef",
]);

function num(s: string): bigint {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new TestError(s === "" ? "bad number" : `${s}: bad number`);
  return BigInt(t);
}

function* unary(op: string, arg: string): UserGen<boolean> {
  switch (op) {
    case "-n":
      return arg !== "";
    case "-z":
      return arg === "";
    case "-t": {
      const r = yield* ioctl(Number(num(arg)), TCGETS);
      return typeof r !== "number" || r >= 0;
    }
    case "-r":
      return (yield* access(arg, R_OK)) === 0;
    case "-w":
      return (yield* access(arg, W_OK)) === 0;
    case "-x":
      return (yield* access(arg, X_OK)) === 0;
    case "-e":
      return (yield* access(arg, F_OK)) === 0;
  }
  const st = op === "-h" || op === "-L" ? yield* lstat(arg) : yield* stat(arg);
  if (typeof st === "number") return false;
  const type = st.st_mode & S_IFMT;
  switch (op) {
    case "-f":
      return type === 0o100000;
    case "-d":
      return type === 0o040000;
    case "-b":
      return type === 0o060000;
    case "-c":
      return type === 0o020000;
    case "-p":
      return type === 0o010000;
    case "-S":
      return type === 0o140000;
    case "-h":
    case "-L":
      return type === 0o120000;
    case "-s":
      return st.st_size > 0;
    case "-u":
      return (st.st_mode & 0o4000) !== 0;
    case "-g":
      return (st.st_mode & 0o2000) !== 0;
    case "-k":
      return (st.st_mode & 0o1000) !== 0;
    case "-O":
      return st.st_uid === 0;
    case "-G":
      return st.st_gid === 0;
  }
  return false;
}

function* binary(a: string, op: string, b: string): UserGen<boolean> {
  switch (op) {
    case "=":
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "-eq":
      return num(a) === num(b);
    case "-ne":
      return num(a) !== num(b);
    case "-lt":
      return num(a) < num(b);
    case "-le":
      return num(a) <= num(b);
    case "-gt":
      return num(a) > num(b);
    case "-ge":
      return num(a) >= num(b);
  }
  const sa = yield* stat(a);
  const sb = yield* stat(b);
  const ok = (s: Stat | number): s is Stat => typeof s !== "number";
  if (op === "-nt") return ok(sa) && ok(sb) && sa.st_mtime > sb.st_mtime;
  if (op === "-ot") return ok(sa) && ok(sb) && sa.st_mtime < sb.st_mtime;
  return ok(sa) && ok(sb) && sa.st_dev === sb.st_dev && sa.st_ino === sb.st_ino;
}

class TestParser {
  i = 0;
  constructor(readonly a: string[]) {}

  *oexpr(): UserGen<boolean> {
    let r = yield* this.aexpr();
    while (this.a[this.i] === "-o") {
      this.i++;
      const r2 = yield* this.aexpr();
      r = r || r2;
    }
    return r;
  }

  *aexpr(): UserGen<boolean> {
    let r = yield* this.nexpr();
    while (this.a[this.i] === "-a") {
      this.i++;
      const r2 = yield* this.nexpr();
      r = r && r2;
    }
    return r;
  }

  *nexpr(): UserGen<boolean> {
    if (this.a[this.i] === "!" && this.i + 1 < this.a.length) {
      this.i++;
      return !(yield* this.nexpr());
    }
    return yield* this.primary();
  }

  *primary(): UserGen<boolean> {
    const a = this.a;
    const t = a[this.i];
    if (t === undefined) throw new TestError("argument expected");
    if (t === "(" && this.i + 1 < a.length && !BINARY.has(a[this.i + 1])) {
      this.i++;
      const r = yield* this.oexpr();
      if (a[this.i] !== ")")
        throw new TestError(a[this.i] === undefined ? "')' expected" : `${a[this.i]}: unknown operand`);
      this.i++;
      return r;
    }
    // BusyBox's order: "a OP b" when all three are there, then a unary
    // operator with its operand, then "a OP" (which lacks its argument)
    if (BINARY.has(a[this.i + 1] ?? "") && this.i + 2 < a.length) {
      this.i += 3;
      return yield* binary(t, a[this.i - 2], a[this.i - 1]);
    }
    if (UNARY.has(t) && this.i + 1 < a.length) {
      this.i += 2;
      return yield* unary(t, a[this.i - 1]);
    }
    if (BINARY.has(a[this.i + 1] ?? "")) throw new TestError(`${a[this.i + 1]}: argument expected`);
    this.i++;
    return t !== "";
  }
}

/**
 * POSIX decides by the number of arguments first: 1 is a string, 2 is
 * "! s" or a unary operator, 3 a binary operator, "! a b" or "( a )",
 * 4 "! a op b" or "( a b )"; anything else goes to the full grammar.
 */
function* posixTest(args: string[]): UserGen<boolean> {
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return args[0] !== "";
    case 2:
      if (args[0] === "!") return args[1] === "";
      if (UNARY.has(args[0])) return yield* unary(args[0], args[1]);
      break;
    case 3:
      if (BINARY.has(args[1])) return yield* binary(args[0], args[1], args[2]);
      if (args[0] === "!") return !(yield* posixTest(args.slice(1)));
      if (args[0] === "(" && args[2] === ")") return args[1] !== "";
      break;
    case 4:
      if (args[0] === "!") return !(yield* posixTest(args.slice(1)));
      if (args[0] === "(" && args[3] === ")") return yield* posixTest(args.slice(1, 3));
      break;
  }
  const p = new TestParser(args);
  const r = yield* p.oexpr();
  if (p.i < args.length) throw new TestError(`${args[p.i]}: unknown operand`);
  return r;
}

/** test_main: 0 true, 1 false, 2 error. */
export function* testcmd(sh: Shell, argv: string[]): UserGen<number> {
  let args = argv.slice(1);
  if (argv[0] === "[" || argv[0] === "[[") {
    // ash's [[ is test with a ]] at the end, nothing more
    const close = argv[0] === "[" ? "]" : "]]";
    if (args[args.length - 1] !== close) {
      yield* puts(2, `${sh.applet}: missing ${close}\n`);
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    const r = yield* posixTest(args);
    return r ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) {
      yield* puts(2, `${sh.applet}: ${e.msg}\n`);
      return 2;
    }
    throw e;
  }
}

export const testBuiltins: Builtin[] = [
  { name: "test", special: false, fn: testcmd },
  { name: "[", special: false, fn: testcmd },
  { name: "[[", special: false, fn: testcmd },
];
