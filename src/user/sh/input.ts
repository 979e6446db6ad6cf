/*
 * input.ts - where commands come from (BusyBox shell/ash.c: struct
 * parsefile, preadfd, pgetc, setprompt/expandstr, cmdloop).
 *
 * A script or -c string is known whole. Standard input is read as it
 * comes: on a terminal one line at a time (through the line editor, or
 * plainly when the console is a transcript), from a pipe in chunks. The
 * parser asks for more with NeedMore; the loop then reads another line
 * (prompting with PS2) and parses the command again from its start.
 *
 * cmdloop: parse one top-level line, run it, repeat. An error abandons the
 * line: an interactive shell reports it and prompts again, a script exits.
 */

import { EINTR } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { dec, puts } from "../libc/stdio.js";
import { read } from "../libc/sys.js";
import type { Node } from "./ast.js";
import { currentDir } from "./bltin/cd.js";
import { showChangedJobs } from "./bltin/jobs.js";
import { evaltree } from "./eval.js";
import { expandString } from "./expand.js";
import { Lexer, NeedMore, ShSyntaxError } from "./lexer.js";
import { lineedit } from "./lineedit.js";
import { Parser } from "./parser.js";
import { type Shell, ShellError, ShellExit, ShellInterrupt, sh_warn } from "./shell.js";
import { dotrap } from "./trap.js";

/** Reads more text for the parser; null at end of file. */
export type Reader = (prompt: string) => UserGen<string | null>;

/** The whole text is there already (a script file, -c, eval). */
// biome-ignore lint/correctness/useYield: nothing to read
export const noMore: Reader = function* () {
  return null;
};

/** Reads standard input: the line editor on a terminal, else plain reads. */
export function stdinReader(sh: Shell, tty: boolean): Reader {
  return function* (prompt: string) {
    if (tty && !sh.transcript) return yield* lineedit(sh, prompt);
    if (prompt && !sh.transcript && sh.interactive) yield* puts(2, prompt);
    for (;;) {
      const r = yield* read(0, tty ? 4096 : 1024);
      if (typeof r === "number") {
        if (r === -EINTR) {
          if (sh.pending.length) {
            yield* dotrap(sh);
            if (sh.interactive) return "\n";
          }
          continue;
        }
        return null;
      }
      if (r.length === 0) return null;
      return dec(r);
    }
  };
}

/**
 * expandstr for prompts: the line editor's escapes \w \W \u \h \$ \n \\
 * (BusyBox lineedit's parse_and_put_prompt) are replaced first, their text
 * protected, then $var and $(cmd) expand as in a here-document.
 */
export function* expandPrompt(sh: Shell, ps: string): UserGen<string> {
  let pre = "";
  for (let i = 0; i < ps.length; i++) {
    if (ps[i] !== "\\" || i + 1 >= ps.length) {
      pre += ps[i];
      continue;
    }
    const c = ps[++i];
    let rep: string;
    switch (c) {
      case "w": {
        const cwd = yield* currentDir(sh);
        const home = sh.vars.get("HOME") ?? "";
        rep =
          home.length > 1 && (cwd === home || cwd.startsWith(`${home}/`))
            ? `~${cwd.slice(home.length)}`
            : cwd;
        break;
      }
      case "W": {
        const cwd = yield* currentDir(sh);
        rep = cwd === "/" ? "/" : cwd.slice(cwd.lastIndexOf("/") + 1);
        break;
      }
      case "u":
        rep = sh.vars.get("USER") ?? "root";
        break;
      case "h":
        rep = (sh.vars.get("HOSTNAME") ?? "").split(".")[0];
        break;
      case "$":
        rep = "#";
        break;
      case "n":
        rep = "\n";
        break;
      default:
        rep = `\\${c}`;
    }
    pre += rep.replace(/[$`\\]/g, "\\$&");
  }
  try {
    const lx = new Parser(new Lexer(pre, true)).lx;
    return yield* expandString(sh, lx.readWord("heredoc", ""), true);
  } catch (e) {
    if (e instanceof ShSyntaxError) return pre;
    throw e;
  }
}

/**
 * cmdloop: reads, parses and runs commands until the end of the input.
 * Returns when the input ends; exits (ShellExit) go to the caller.
 */
export function* cmdloop(sh: Shell, lx: Lexer, more: Reader): UserGen<void> {
  const parser = new Parser(lx);
  lx.aliases = sh.aliases;
  for (;;) {
    if (sh.interactive && !sh.subshell) {
      yield* showChangedJobs(sh);
      if (sh.jobWarning > 0) sh.jobWarning--;
    }
    let n: Node | null | "eof";
    const mark = lx.mark();
    let prompt = sh.interactive ? yield* expandPrompt(sh, sh.vars.get("PS1") ?? "") : "";
    try {
      for (;;) {
        try {
          if (lx.pos >= lx.src.length && !lx.eof) throw new NeedMore("");
          n = parser.parseLine();
          break;
        } catch (e) {
          if (!(e instanceof NeedMore)) throw e;
          const text = yield* more(prompt);
          prompt = sh.interactive ? yield* expandPrompt(sh, sh.vars.get("PS2") ?? "") : "";
          lx.restore(mark);
          if (text === null) lx.eof = true;
          else lx.src += text;
        }
      }
    } catch (e) {
      if (e instanceof ShellInterrupt && sh.interactive) {
        // ^C while a line (or its continuation) was typed: all of it goes
        yield* puts(2, "\n");
        sh.status = e.status;
        lx.src = "";
        lx.restore({ pos: 0, line: lx.line });
        continue;
      }
      if (!(e instanceof ShSyntaxError)) throw e;
      sh.lineno = e.line;
      const old = sh.commandname;
      sh.commandname = sh.scriptname;
      yield* sh_warn(sh, `syntax error: ${e.msg}`);
      sh.commandname = old;
      sh.status = 2;
      if (!sh.interactive) throw new ShellExit(2);
      // drop the rest of what was typed
      lx.src = "";
      lx.restore({ pos: 0, line: lx.line });
      continue;
    }
    // where the parser stopped: ash's g_parsefile->linno, which a syntax error found at run time reports
    sh.parseLineno = lx.line;
    // forget the text parsed so far
    if (!lx.eof || lx.pos >= lx.src.length) lx.discard();
    if (n === "eof") return;
    // set -n: read and parse only (an interactive shell ignores it)
    if (!n || (sh.opts.n && !sh.interactive)) continue;
    try {
      yield* evaltree(sh, n, 0);
    } catch (e) {
      if (e instanceof ShellInterrupt) {
        if (sh.interactive) yield* puts(2, "\n");
        sh.status = e.status;
        continue;
      }
      if (e instanceof ShellError && !(e instanceof ShellExit)) {
        sh.status = e.status;
        if (sh.interactive) continue;
        throw new ShellExit(e.status);
      }
      throw e;
    }
    if (sh.skip) {
      const ret = sh.skip === "return";
      sh.skip = "";
      if (ret && !sh.interactive) return;
    }
  }
}
