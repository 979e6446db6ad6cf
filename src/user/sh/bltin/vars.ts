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
      if (i === argv.length) sh.params = [];
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
  if (i < argv.length || argv[i - 1] === "--") sh.params = argv.slice(i);
  return 0;
}

function* shiftcmd(sh: Shell, argv: string[]): UserGen<number> {
  const n = argv[1] === undefined ? 1 : yield* number(sh, argv[1]);
  if (n > sh.params.length) return 1;
  sh.params = sh.params.slice(n);
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

/** getopts OPTSTRING NAME [ARG...]: one option per call, tracked in OPTIND. */
function* getoptscmd(sh: Shell, argv: string[]): UserGen<number> {
  if (argv.length < 3) return yield* sh_error(sh, "usage: getopts optstring var [arg]");
  const optstr = argv[1];
  const name = argv[2];
  const args = argv.length > 3 ? argv.slice(3) : sh.params;
  // OPTIND names the next word; inside "-ab" it already points past it, and
  // the place inside the word is remembered as long as OPTIND is left alone
  const reported = Number(sh.vars.get("OPTIND") ?? "1") || 1;
  let optind = reported;
  let off = 0;
  if (sh.getoptsOff > 0 && reported === sh.getoptsInd + 1) {
    optind = sh.getoptsInd;
    off = sh.getoptsOff;
  }
  const silent = optstr.startsWith(":");
  const setv = (n: string, v: string | null): void => {
    if (v === null) sh.vars.unset(n);
    else sh.vars.set(n, v);
  };
  const finish = (c: string, arg: string | null, st: number): number => {
    setv(name, c);
    setv("OPTARG", arg);
    sh.vars.set("OPTIND", String(off > 0 ? optind + 1 : optind));
    sh.getoptsInd = optind;
    sh.getoptsOff = off;
    return st;
  };
  if (off === 0) {
    const a = args[optind - 1];
    if (a === undefined || a[0] !== "-" || a === "-") return finish("?", null, 1);
    if (a === "--") {
      optind++;
      return finish("?", null, 1);
    }
    off = 1;
  }
  const cur = args[optind - 1];
  const c = cur[off];
  off++;
  if (off >= cur.length) {
    optind++;
    off = 0;
  }
  const k = optstr.indexOf(c);
  if (k < 0 || c === ":") {
    if (!silent) yield* puts(2, `Illegal option -${c}\n`);
    return finish("?", silent ? c : null, 0);
  }
  if (optstr[k + 1] === ":") {
    let arg: string | undefined;
    if (off > 0) {
      arg = cur.slice(off);
      optind++;
      off = 0;
    } else {
      arg = args[optind - 1];
      if (arg !== undefined) optind++;
    }
    if (arg === undefined) {
      if (silent) return finish(":", c, 0);
      yield* puts(2, `No arg for -${c} option\n`);
      return finish("?", null, 0);
    }
    return finish(c, arg, 0);
  }
  // an option without argument leaves OPTARG empty, not unset (ash: setvar0("OPTARG", nullstr))
  return finish(c, "", 0);
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
