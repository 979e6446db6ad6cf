/*
 * vars.ts - builtins about variables and options (BusyBox shell/ash.c:
 * setcmd/options, shiftcmd, unsetcmd, exportcmd, localcmd, getoptscmd).
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts } from "../../libc/stdio.js";
import type { Builtin } from "../builtins.js";
import { isName } from "../lexer.js";
import { LONG_OPTS, OPT_NAMES, type Shell, sh_error } from "../shell.js";
import { setsignal } from "../trap.js";
import { ReadonlyError, single_quote } from "../vars.js";
import { number } from "./core.js";

/** Options `set -o` lists, in ash's order. */
const SET_O_LIST = [
  "errexit",
  "noglob",
  "ignoreeof",
  "monitor",
  "noexec",
  "xtrace",
  "verbose",
  "noclobber",
  "allexport",
  "notify",
  "nounset",
  "errtrace",
  "vi",
  "pipefail",
];

function optKey(name: string): string | null {
  if (name in OPT_NAMES) return OPT_NAMES[name];
  if (LONG_OPTS.includes(name) || name === "errtrace") return name;
  return null;
}

/** options(): -e +x -o name; returns the index of the first non-option, or -1 after an error. */
function* setOptions(sh: Shell, argv: string[]): UserGen<number> {
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      if (i === argv.length) sh.setparam([]);
      return i;
    }
    if (a === "-" || a === "+") return i + 1;
    if (a[0] !== "-" && a[0] !== "+") return i;
    const on = a[0] === "-";
    for (const c of a.slice(1)) {
      if (c === "o") {
        const name = argv[i + 1];
        if (name === undefined) {
          yield* printOptions(sh, on);
          continue;
        }
        i++;
        const k = optKey(name);
        if (k === null) {
          yield* puts(2, `${sh.msgPrefix()}illegal option ${a[0]}o ${name}\n`);
          return -1;
        }
        yield* setOpt(sh, k, on);
        continue;
      }
      if (!"efIimnsxvCabu".includes(c) || c === "i" || c === "s") {
        yield* puts(2, `${sh.msgPrefix()}illegal option ${a[0]}${c}\n`);
        return -1;
      }
      yield* setOpt(sh, c, on);
    }
  }
  return i;
}

function* setOpt(sh: Shell, k: string, on: boolean): UserGen<void> {
  if (k === "vi" && on) sh.opts.emacs = false;
  if (k === "emacs" && on) sh.opts.vi = false;
  const was = sh.opts[k];
  sh.opts[k] = on;
  if (k === "m" && was !== on) for (const sig of [20, 21, 22]) yield* setsignal(sh, sig);
}

/** set -o (a table) and set +o (commands that restore the options). */
function* printOptions(sh: Shell, minus: boolean): UserGen<void> {
  let out = "";
  for (const name of SET_O_LIST) {
    const on = sh.opts[optKey(name)!] ?? false;
    out += minus ? `${name.padEnd(16)}${on ? "on" : "off"}\n` : `set ${on ? "-" : "+"}o ${name}\n`;
  }
  yield* puts(1, out);
}

function* setcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length === 1) {
    for (const name of sh.vars.sortedNames()) {
      const v = sh.vars.map.get(name)!;
      if (v.value !== null) yield* puts(1, `${name}=${single_quote(v.value)}\n`);
    }
    return 0;
  }
  const i = yield* setOptions(sh, argv);
  if (i < 0) return 1;
  if (i < argv.length || argv[i - 1] === "--") sh.setparam(argv.slice(i));
  return 0;
}

function* shiftcmd(sh: Shell, argv: string[]): UserGen<number> {
  const n = argv[1] === undefined ? 1 : yield* number(sh, argv[1]);
  if (n > sh.params.length) return 1;
  sh.setparam(sh.params.slice(n));
  return 0;
}

function* unsetcmd(sh: Shell, argv: string[]): UserGen<number> {
  let i = 1;
  let funcs = false;
  for (; i < argv.length && /^-[fv]+$/.test(argv[i]); i++) funcs = argv[i].includes("f");
  for (const name of argv.slice(i)) {
    if (funcs) {
      sh.funcs.delete(name);
      continue;
    }
    if (!isName(name)) return yield* sh_error(sh, `${name}: bad variable name`);
    if (!sh.vars.unset(name)) return yield* sh_error(sh, `${name}: is read only`);
  }
  return 0;
}

/** export and readonly: set flags, or list the variables that have them. */
function* exportcmd(sh: Shell, argv: string[]): UserGen<number> {
  const ro = argv[0] === "readonly";
  let i = 1;
  let unexport = false;
  for (; i < argv.length && /^-[pn]+$/.test(argv[i]); i++) if (argv[i].includes("n") && !ro) unexport = true;
  if (argv[i] === "--") i++;
  if (i >= argv.length) {
    for (const name of sh.vars.sortedNames()) {
      const v = sh.vars.map.get(name)!;
      if (ro ? !v.readonly : !v.exported) continue;
      yield* puts(1, `${argv[0]} ${name}${v.value === null ? "" : `=${single_quote(v.value)}`}\n`);
    }
    return 0;
  }
  for (const a of argv.slice(i)) {
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!isName(name)) return yield* sh_error(sh, `${name}: bad variable name`);
    if (unexport) {
      sh.vars.unexport(name);
      continue;
    }
    try {
      sh.vars.set(name, eq >= 0 ? a.slice(eq + 1) : null, ro ? { readonly: true } : { export: true });
    } catch (e) {
      if (e instanceof ReadonlyError) return yield* sh_error(sh, `${name}: is read only`);
      throw e;
    }
  }
  return 0;
}

function* localcmd(sh: Shell, argv: string[]): UserGen<number> {
  if (sh.funcnest === 0) return yield* sh_error(sh, "not in a function");
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!isName(name)) return yield* sh_error(sh, `${name}: bad variable name`);
    sh.vars.makeLocal(name);
    if (eq >= 0)
      try {
        sh.vars.set(name, a.slice(eq + 1));
      } catch (e) {
        if (e instanceof ReadonlyError) return yield* sh_error(sh, `${name}: is read only`);
        throw e;
      }
  }
  return 0;
}

/**
 * getopts OPTSTRING NAME [ARG...]: one option per call. The shell keeps the
 * next word's index and the place inside the word being taken apart
 * (sh.optind/optoff, as ash's shellparam); OPTIND shows the index. An index
 * past the words (other words than last time) starts again at the first.
 */
function* getoptscmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length < 3) return yield* sh_error(sh, "usage: getopts optstring var [arg]");
  const optstr = argv[1];
  const words = argv.length > 3 ? argv.slice(3) : sh.params;
  if (sh.optind > words.length + 1) {
    sh.optind = 1;
    sh.optoff = -1;
  }
  // next: the index (from 0) of the word after the one p is in
  let next = sh.optind - 1;
  let word = next > 0 ? words[next - 1] : "";
  let p = sh.optind > 1 && sh.optoff >= 0 && sh.optoff <= word.length ? sh.optoff : -1;
  const silent = (): boolean => sh.vars.get("OPTERR") === "0" || optstr[0] === ":";
  const setv = (n: string, v: string | null): void => {
    if (v === null) sh.vars.unset(n);
    else sh.vars.set(n, v);
  };
  const out = (c: string, done: boolean): number => {
    sh.vars.set("OPTIND", String(next + 1), { nofunc: true });
    setv(argv[2], c);
    sh.optoff = p;
    sh.optind = next + 1;
    return done ? 1 : 0;
  };
  if (p < 0 || p === word.length) {
    // the current word is done: the next one must be an option word
    word = words[next];
    if (word === undefined || word[0] !== "-" || word.length === 1) {
      setv("OPTARG", null);
      p = -1;
      return out("?", true);
    }
    next++;
    if (word === "--") {
      setv("OPTARG", null);
      p = -1;
      return out("?", true);
    }
    p = 1;
  }
  const c = word[p++];
  const k = c === ":" ? -1 : optstr.indexOf(c);
  if (k < 0) {
    if (silent()) setv("OPTARG", c);
    else {
      yield* puts(2, `Illegal option -${c}\n`);
      setv("OPTARG", null);
    }
    return out("?", false);
  }
  if (optstr[k + 1] !== ":") {
    // an option without argument leaves OPTARG empty, not unset
    setv("OPTARG", "");
    return out(c, false);
  }
  let arg: string | undefined = word.slice(p);
  if (arg === "") {
    arg = words[next];
    if (arg === undefined) {
      p = -1;
      if (silent()) {
        setv("OPTARG", c);
        return out(":", false);
      }
      yield* puts(2, `No arg for -${c} option\n`);
      setv("OPTARG", null);
      return out("?", false);
    }
    next++;
  }
  setv("OPTARG", arg);
  p = -1;
  return out(c, false);
}

export const varBuiltins: Builtin[] = [
  { name: "set", special: true, fn: setcmd },
  { name: "shift", special: true, fn: shiftcmd },
  { name: "unset", special: true, fn: unsetcmd },
  { name: "export", special: true, fn: exportcmd },
  { name: "readonly", special: true, fn: exportcmd },
  { name: "local", special: true, fn: localcmd },
  { name: "getopts", special: false, fn: getoptscmd },
];
