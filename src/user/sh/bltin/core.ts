/*
 * core.ts - the builtins that steer the shell itself (BusyBox
 * shell/ash.c: truecmd, falsecmd, breakcmd, returncmd, exitcmd, evalcmd,
 * dotcmd, execcmd, commandcmd, typecmd, hashcmd, timescmd, umaskcmd,
 * letcmd, ulimitcmd, aliascmd, unaliascmd).
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts } from "../../libc/stdio.js";
import { getrusage, stat, umask } from "../../libc/sys.js";
import type { Builtin } from "../builtins.js";
import {
  type ExecEntry,
  findCommand,
  runBuiltin,
  runExternal,
  shellexec,
  shellexec_entry,
} from "../command.js";
import { evalstring, evaltree, readFile } from "../eval.js";
import { arithExpand } from "../expand.js";
import { JOBSTOPPED } from "../jobs.js";
import { Lexer, ShSyntaxError } from "../lexer.js";
import { Parser } from "../parser.js";
import { type Shell, ShellExit, sh_error } from "../shell.js";
import { single_quote } from "../vars.js";

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;

export const KEYWORDS = [
  "!",
  "case",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "if",
  "in",
  "then",
  "until",
  "while",
  "{",
  "}",
];

/** ash's number(): a non-negative decimal, else "Illegal number". */
export function* number(sh: Shell, s: string): UserGen<number> {
  if (!/^\d+$/.test(s)) return yield* sh_error(sh, `Illegal number: ${s}`);
  return Number(s);
}

// biome-ignore lint/correctness/useYield: a builtin that needs no syscall
const ok = function* (): UserGen<number> {
  return 0;
};

// biome-ignore lint/correctness/useYield: a builtin that needs no syscall
const fail = function* (): UserGen<number> {
  return 1;
};

function* breakcmd(sh: Shell, argv: string[]): UserGen<number> {
  const n = argv[1] === undefined ? 1 : yield* number(sh, argv[1]);
  if (n === 0) return yield* sh_error(sh, `Illegal number: ${argv[1]}`);
  if (sh.loopnest === 0) return 0;
  sh.skip = argv[0] === "break" ? "break" : "continue";
  sh.skipcount = Math.min(n, sh.loopnest);
  return 0;
}

function* returncmd(sh: Shell, argv: string[]): UserGen<number> {
  const n = argv[1] === undefined ? sh.status : yield* number(sh, argv[1]);
  sh.skip = "return";
  sh.status = n & 255;
  return n & 255;
}

function* exitcmd(sh: Shell, argv: string[]): UserGen<number> {
  // stoppedjobs(): the first exit with a stopped job only warns
  if (sh.interactive && !sh.subshell && sh.jobWarning === 0 && sh.jobs.current()?.state === JOBSTOPPED) {
    yield* puts(2, "You have stopped jobs.\n");
    sh.jobWarning = 2;
    return 0;
  }
  const n = argv[1] === undefined ? sh.status : yield* number(sh, argv[1]);
  sh.status = n & 255;
  throw new ShellExit(n & 255);
}

function* evalcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length < 2) return 0;
  return yield* evalstring(sh, argv.slice(1).join(" "));
}

/** . FILE: runs a file's commands in this shell. */
function* dotcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length < 2) return 2;
  const name = argv[1];
  let path = name;
  if (!name.includes("/")) {
    const found: string | null = yield* findDotFile(sh, name);
    if (found === null) return yield* sh_error(sh, `${name}: not found`);
    path = found;
  }
  const text = yield* readFile(path);
  if (typeof text === "number") return yield* sh_error(sh, `can't open '${name}': No such file or directory`);
  const oldParams = sh.params;
  if (argv.length > 2) sh.params = argv.slice(2);
  const lx = new Lexer(text, true);
  lx.aliases = sh.aliases;
  const p = new Parser(lx);
  let status = 0;
  const oldName = sh.commandname;
  sh.commandname = sh.scriptname;
  try {
    for (;;) {
      let n: ReturnType<Parser["parseLine"]>;
      try {
        n = p.parseLine();
      } catch (e) {
        if (e instanceof ShSyntaxError) {
          sh.lineno = e.line;
          return yield* sh_error(sh, `syntax error: ${e.msg}`);
        }
        throw e;
      }
      if (n === "eof") break;
      if (!n) continue;
      status = yield* evaltree(sh, n, 0);
      if (sh.skip) {
        if (sh.skip === "return") {
          sh.skip = "";
          status = sh.status;
        }
        break;
      }
    }
  } finally {
    sh.commandname = oldName;
    if (argv.length > 2) sh.params = oldParams;
  }
  return status;
}

function* findDotFile(sh: Shell, name: string): UserGen<string | null> {
  for (const dir of (sh.vars.get("PATH") ?? "").split(":")) {
    const full = `${dir || "."}/${name}`;
    const st = yield* stat(full);
    if (typeof st !== "number" && (st.st_mode & 0o170000) === 0o100000) return full;
  }
  return null;
}
function* execcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length < 2) return 0;
  const args = argv.slice(1);
  const e = yield* findCommand(sh, args[0], true);
  if (e.kind === "none") {
    yield* puts(2, `${sh.msgPrefix()}${args[0]}: not found\n`);
    throw new ShellExit(127);
  }
  if (e.kind === "file" || e.kind === "applet") return yield* shellexec_entry(sh, e, args, sh.vars.environ());
  return yield* shellexec(sh, `/bin/${args[0]}`, args, sh.vars.environ());
}

/** describe_command: the line `type` and `command -V` print. */
export function* describe(sh: Shell, name: string, verbose: boolean): UserGen<string | null> {
  if (KEYWORDS.includes(name)) return verbose ? `${name} is a shell keyword` : name;
  const alias = sh.aliases.get(name);
  if (alias !== undefined)
    return verbose ? `${name} is an alias for ${alias}` : `alias ${name}=${single_quote(alias)}`;
  const e = yield* findCommand(sh, name);
  switch (e.kind) {
    case "function":
      return verbose ? `${name} is a function` : name;
    case "builtin":
      return verbose ? `${name} is a ${e.b.special ? "special " : ""}shell builtin` : name;
    case "file": {
      // find_command(DO_ABS): a path with a slash only has to exist (a directory or a
      // file without x is "found" too)
      if (name.includes("/") && typeof (yield* stat(name)) === "number") return null;
      return verbose ? `${name} is ${e.path}` : e.path;
    }
    case "applet":
      // find_command's applet entry has no path: the name is all there is to show
      return verbose ? `${name} is ${name}` : name;
    case "none":
      return null;
  }
}

function* typecmd(sh: Shell, argv: string[]): UserGen<number> {
  let status = 0;
  let args = argv.slice(1);
  // ash: any first argument starting with "-" (-p, -t...) makes it terse
  let pathOnly = false;
  if (args[0]?.startsWith("-")) {
    pathOnly = true;
    args = args.slice(1);
  }
  for (const name of args) {
    const d = yield* describe(sh, name, !pathOnly);
    if (d === null) {
      yield* puts(1, `${name}: not found\n`);
      status = 127;
    } else yield* puts(1, `${d}\n`);
  }
  return status;
}

function* commandcmd(sh: Shell, argv: string[]): UserGen<number> {
  let i = 1;
  let mode = "";
  for (; i < argv.length && argv[i].startsWith("-") && argv[i] !== "-"; i++) {
    if (argv[i] === "--") {
      i++;
      break;
    }
    for (const c of argv[i].slice(1)) {
      if (c === "v" || c === "V") mode = c;
      else if (c !== "p") return yield* sh_error(sh, `illegal option -${c}`);
    }
  }
  const args = argv.slice(i);
  if (args.length === 0) return 0;
  if (mode) {
    const d = yield* describe(sh, args[0], mode === "V");
    if (d === null) {
      if (mode === "V") yield* puts(1, `${args[0]}: not found\n`);
      return 127;
    }
    yield* puts(1, `${d}\n`);
    return 0;
  }
  const e = yield* findCommand(sh, args[0], true);
  if (e.kind === "builtin") return yield* runBuiltin(sh, e.b, args, []);
  if (e.kind === "none") {
    yield* puts(2, `${sh.msgPrefix().replace(/command: /, "")}${args[0]}: not found\n`);
    return 127;
  }
  return yield* runExternal(sh, e as ExecEntry, args);
}

/** cmdlookup's bucket of a name in ash's command table (CMDTABLESIZE 31). */
function cmdbucket(name: string): number {
  let h = (name.charCodeAt(0) & 0xff) << 4;
  for (let i = 0; i < name.length; i++) h += name.charCodeAt(i) & 0xff;
  return (h & 0x7fff) % 31;
}

function* hashcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv[1] === "-r") {
    sh.hash.clear();
    return 0;
  }
  if (argv.length === 1) {
    // in the order of ash's table: by bucket, each bucket's names in the order they came
    const entries = [...sh.hash].sort(([a], [b]) => cmdbucket(a) - cmdbucket(b));
    for (const [, e] of entries) yield* puts(1, `${e.path}${e.rehash ? "*" : ""}\n`);
    return 0;
  }
  let status = 0;
  for (const name of argv.slice(1)) {
    const e = yield* findCommand(sh, name);
    if (e.kind === "none") {
      yield* puts(2, `${sh.msgPrefix()}${name}: not found\n`);
      status = 1;
    }
  }
  return status;
}

function fmtTime(ns: number): string {
  const s = ns / 1e9;
  const m = Math.floor(s / 60);
  return `${m}m${(s - m * 60).toFixed(3)}s`;
}

function* timescmd(_sh: Shell): UserGen<number> {
  const self = yield* getrusage(RUSAGE_SELF);
  const kids = yield* getrusage(RUSAGE_CHILDREN);
  yield* puts(1, `${fmtTime(self.ru_utime)} ${fmtTime(self.ru_stime)}\n`);
  yield* puts(1, `${fmtTime(kids.ru_utime)} ${fmtTime(kids.ru_stime)}\n`);
  return 0;
}

/** chmod-style [ugoa]*[+-=][rwx]* clauses applied to perm; null when malformed. */
export function symbolicMode(text: string, perm: number): number | null {
  for (const clause of text.split(",")) {
    const m = /^([ugoa]*)([+=-])([rwx]*)$/.exec(clause);
    if (!m) return null;
    let who = 0;
    for (const c of m[1] || "a") who |= c === "u" ? 0o700 : c === "g" ? 0o070 : c === "o" ? 0o007 : 0o777;
    let bits = 0;
    for (const c of m[3]) bits |= c === "r" ? 0o444 : c === "w" ? 0o222 : 0o111;
    bits &= who;
    if (m[2] === "=") perm = (perm & ~who) | bits;
    else if (m[2] === "+") perm |= bits;
    else perm &= ~bits;
  }
  return perm;
}

function* umaskcmd(sh: Shell, argv: string[]): UserGen<number> {
  const symbolic = argv[1] === "-S";
  const arg = argv[symbolic ? 2 : 1];
  if (arg === undefined) {
    const m = yield* umask(0);
    yield* umask(m);
    if (symbolic) {
      const perm = (bits: number): string =>
        `${bits & 4 ? "r" : ""}${bits & 2 ? "w" : ""}${bits & 1 ? "x" : ""}`;
      const p = ~m & 0o777;
      yield* puts(1, `u=${perm(p >> 6)},g=${perm((p >> 3) & 7)},o=${perm(p & 7)}\n`);
    } else yield* puts(1, `${m.toString(8).padStart(4, "0")}\n`);
    return 0;
  }
  if (/^[0-7]+$/.test(arg)) {
    yield* umask(Number.parseInt(arg, 8));
    return 0;
  }
  // a symbolic mode (u=rwx,g+w,o-r) edits the permissions the mask lets through
  const old = yield* umask(0);
  const perm = symbolicMode(arg, ~old & 0o777);
  yield* umask(perm === null ? old : ~perm & 0o777);
  if (perm === null) return yield* sh_error(sh, `illegal mode: ${arg}`);
  return 0;
}

function* letcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length < 2) return yield* sh_error(sh, "expression expected");
  let v = 0n;
  for (const e of argv.slice(1)) v = yield* arithExpand(sh, e);
  return v === 0n ? 1 : 0;
}

function* aliascmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length === 1) {
    for (const [k, v] of [...sh.aliases].sort()) yield* puts(1, `${k}=${single_quote(v)}\n`);
    return 0;
  }
  let status = 0;
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    if (eq > 0) sh.aliases.set(a.slice(0, eq), a.slice(eq + 1));
    else {
      const v = sh.aliases.get(a);
      if (v === undefined) {
        yield* puts(2, `alias: ${a} not found\n`);
        status = 1;
      } else yield* puts(1, `${a}=${single_quote(v)}\n`);
    }
  }
  return status;
}

function* unaliascmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv[1] === "-a") {
    sh.aliases.clear();
    return 0;
  }
  let status = 0;
  for (const a of argv.slice(1))
    if (!sh.aliases.delete(a)) {
      yield* puts(2, `unalias: ${a} not found\n`);
      status = 1;
    }
  return status;
}

/** ash's builtin table, in its order, as `help` lists it. */
const HELP_NAMES =
  ". : [ [[ alias bg break cd chdir command continue echo eval exec exit export false fg getopts hash help history jobs kill let local printf pwd read readonly return set shift source test times trap true type ulimit umask unalias unset wait";

/** help: the builtins, wrapped after column 60 as ash does. */
function* helpcmd(): UserGen<number> {
  let out = "Built-in commands:\n------------------\n";
  let col = 0;
  for (const name of HELP_NAMES.split(" ")) {
    const s = `${col === 0 ? "\t" : " "}${name}`;
    out += s;
    col += s.length;
    if (col > 60) {
      out += "\n";
      col = 0;
    }
  }
  if (col) out += "\n";
  yield* puts(1, out);
  return 0;
}

/** history: the line editor's history, numbered from 0. */
function* historycmd(sh: Shell): UserGen<number> {
  yield* puts(1, sh.history.map((l, i) => `${String(i).padStart(4)} ${l}\n`).join(""));
  return 0;
}

export const coreBuiltins: Builtin[] = [
  { name: ":", special: true, fn: ok },
  { name: "true", special: false, fn: ok },
  { name: "false", special: false, fn: fail },
  { name: "break", special: true, fn: breakcmd },
  { name: "continue", special: true, fn: breakcmd },
  { name: "return", special: true, fn: returncmd },
  { name: "exit", special: true, fn: exitcmd },
  { name: "eval", special: true, fn: evalcmd },
  { name: ".", special: true, fn: dotcmd },
  { name: "source", special: false, fn: dotcmd },
  { name: "exec", special: true, fn: execcmd },
  { name: "command", special: false, fn: commandcmd },
  { name: "type", special: false, fn: typecmd },
  { name: "hash", special: false, fn: hashcmd },
  { name: "times", special: true, fn: timescmd },
  { name: "umask", special: false, fn: umaskcmd },
  { name: "let", special: false, fn: letcmd },
  { name: "alias", special: false, fn: aliascmd },
  { name: "help", special: false, fn: helpcmd },
  { name: "history", special: false, fn: historycmd },
  { name: "unalias", special: false, fn: unaliascmd },
];
