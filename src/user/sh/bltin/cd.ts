/*
 * cd.ts - cd and pwd (BusyBox shell/ash.c: cdcmd, docd, updatepwd,
 * pwdcmd). The shell keeps $PWD logically: `cd ..` after following a
 * symbolic link goes back the way it came, as ash's default -L does.
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts, strerror } from "../../libc/stdio.js";
import { chdir, getcwd, stat } from "../../libc/sys.js";
import type { Builtin } from "../builtins.js";
import { type Shell, sh_error } from "../shell.js";

/** Lexical normalisation of an absolute path: // . and .. */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const c of p.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") out.pop();
    else out.push(c);
  }
  return `/${out.join("/")}`;
}

export function* currentDir(sh: Shell): UserGen<string> {
  const pwd = sh.vars.get("PWD");
  if (pwd?.startsWith("/")) return pwd;
  const cwd = yield* getcwd();
  return typeof cwd === "string" ? cwd : "/";
}

/**
 * cdopt: ash's nextopt("LP") over the arguments: "-" alone or a word not
 * starting with "-" ends the options, "--" ends them and is eaten, any
 * other letter is an illegal option. The last of -L and -P wins. Returns
 * the index of the first operand and whether -P is in force, or a string:
 * the complaint.
 */
function cdopt(argv: string[]): { i: number; physical: boolean } | string {
  let i = 1;
  let physical = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a[0] !== "-" || a.length === 1) break;
    if (a === "--") return { i: i + 1, physical };
    for (const c of a.slice(1)) {
      if (c !== "L" && c !== "P") return `illegal option -${c}`;
      physical = c === "P";
    }
  }
  return { i, physical };
}

function* cdcmd(sh: Shell, argv: string[]): UserGen<number> {
  const opt = cdopt(argv);
  if (typeof opt === "string") return yield* sh_error(sh, opt);
  const physical = opt.physical;
  let dir = argv[opt.i];
  let print = false;
  if (dir === undefined) {
    dir = sh.vars.get("HOME") ?? "";
    if (!dir) return 0;
  } else if (dir === "-") {
    dir = sh.vars.get("OLDPWD") ?? "";
    print = true;
  }
  const old = yield* currentDir(sh);
  const candidates: string[] = [];
  const cdpath = sh.vars.get("CDPATH");
  if (cdpath && !dir.startsWith("/") && !dir.startsWith(".")) {
    for (const d of cdpath.split(":")) candidates.push(d ? `${d}/${dir}` : dir);
  } else candidates.push(dir);
  let err = 0;
  for (const c of candidates) {
    const target = physical ? c : normalize(c.startsWith("/") ? c : `${old}/${c}`);
    const st = yield* stat(target);
    if (typeof st !== "number" && (st.st_mode & 0o170000) !== 0o040000) {
      err = -20;
      continue;
    }
    const r = yield* chdir(target);
    if (r < 0) {
      if (!err) err = r;
      continue;
    }
    let now = target;
    if (physical) {
      const cwd = yield* getcwd();
      now = typeof cwd === "string" ? cwd : target;
    }
    // hashcd: every hashed path is to be checked again
    for (const e of sh.hash.values()) e.rehash = true;
    sh.vars.set("OLDPWD", old, { export: true });
    sh.vars.set("PWD", now, { export: true });
    if (print || c !== dir) yield* puts(1, `${now}\n`);
    return 0;
  }
  return yield* sh_error(sh, `can't cd to ${dir}: ${strerror(err)}`);
}

/** pwdcmd: operands are ignored, as ash's cdopt leaves them. */
function* pwdcmd(sh: Shell, argv: string[]): UserGen<number> {
  const opt = cdopt(argv);
  if (typeof opt === "string") return yield* sh_error(sh, opt);
  if (opt.physical) {
    const cwd = yield* getcwd();
    yield* puts(1, `${typeof cwd === "string" ? cwd : "/"}\n`);
  } else yield* puts(1, `${yield* currentDir(sh)}\n`);
  return 0;
}

export const cdBuiltins: Builtin[] = [
  { name: "cd", special: false, fn: cdcmd },
  { name: "chdir", special: false, fn: cdcmd },
  { name: "pwd", special: false, fn: pwdcmd },
];
