/*
 * shell.ts - the state of one shell process (BusyBox shell/ash.c's
 * globals: optlist, shellparam, exitstatus, rootpid, backgndpid, trap[],
 * funcnest/loopnest/evalskip, the job table, the command hash table).
 *
 * A subshell is a forked child: a simulated process cannot copy its
 * JavaScript stack, so the child runs a closure over clone() of this state,
 * which shares nothing mutable with the parent (function bodies are
 * immutable trees and are shared).
 *
 * Errors: ash raises EXERROR (print, abandon the command line; a
 * non-interactive shell exits) and EXEXIT (exit now, running the EXIT trap).
 * Here they are the exceptions ShellError and ShellExit, thrown through the
 * interpreter's generators and caught by the command loop or a subshell.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { puts } from "../libc/stdio.js";
import type { Node } from "./ast.js";
import { JobTable } from "./jobs.js";
import { Vars } from "./vars.js";

/** ash's option letters, in optlist order ($- lists them backwards). */
export const OPT_LETTERS = "efIimnscxvCabu";
export const OPT_NAMES: Record<string, string> = {
  errexit: "e",
  noglob: "f",
  ignoreeof: "I",
  interactive: "i",
  monitor: "m",
  noexec: "n",
  stdin: "s",
  xtrace: "x",
  verbose: "v",
  noclobber: "C",
  allexport: "a",
  notify: "b",
  nounset: "u",
};
/** Long-only options (set -o NAME). */
export const LONG_OPTS = ["vi", "emacs", "pipefail", "debug"];

/** EXERROR: an error that ends the current command line (a script exits). */
export class ShellError {
  constructor(readonly status = 2) {}
}

/** EXINT: ^C interrupted the shell or its foreground job; the command line is abandoned. */
export class ShellInterrupt extends ShellError {}

/** EXEXIT: the shell exits (exit builtin, set -e, a fatal error). */
export class ShellExit {
  constructor(readonly status: number) {}
}

export type SkipKind = "" | "break" | "continue" | "return";

export class Shell {
  vars: Vars;
  funcs = new Map<string, Node>();
  opts: Record<string, boolean> = {};
  /** $1 ... */
  params: string[] = [];
  /** The name the shell was run as ("sh", "ash"): BusyBox's applet_name in its messages. */
  applet = "sh";
  /** The C library state main() received (a NOEXEC applet run in a child uses a copy). */
  libc: unknown = undefined;
  /** $0, and the name error messages begin with. */
  arg0 = "sh";
  /** $? */
  status = 0;
  /** $$: the pid of the top shell (subshells keep it). */
  rootpid = 0;
  /** $!: the last background job's pid (0: none yet). */
  bgpid = 0;
  /** trap[sig]: the action text; "" ignores; null is the default. Index 0 is EXIT. */
  traps: (string | null)[] = [];
  /** In a command substitution: the parent's traps, which `trap` still lists until one is set. */
  shownTraps: (string | null)[] | null = null;
  /** Signals caught and not yet handled (set by the tiny handlers). */
  pending: number[] = [];
  jobs = new JobTable();
  /** Line of the command running (for "line N:" in messages and $LINENO). */
  lineno = 0;
  /** The line the top-level parser has read up to (past the command being run). */
  parseLineno = 0;
  /** The builtin running, named in error messages ("sh: cd: ..."); see msgPrefix. */
  commandname: string | null = null;
  /** What commandname is when no builtin runs: the script's name, or null. */
  scriptname: string | null = null;
  /** break/continue/return in progress, and how many loops it still crosses. */
  skip: SkipKind = "";
  skipcount = 0;
  loopnest = 0;
  funcnest = 0;
  /** Inside a forked subshell (no job control, traps reset). */
  subshell = false;
  /** Reading commands from a file or -c string rather than a terminal. */
  fromFile = false;
  /** The console is a plain-mode transcript: no prompts, no line editing. */
  transcript = false;
  /**
   * Command path cache (hash): each name's path, and its rehash mark (set by
   * cd: hash shows "*" until the name is looked up again).
   */
  hash = new Map<string, { path: string; rehash: boolean }>();
  /** Evaluation nesting of conditions (if, while, && ||, !), where set -e does not apply. */
  tested = 0;
  /** Set when a command substitution ran during the current expansion. */
  backExitStatus: number | null = null;
  /** Prompts left before `exit` warns about stopped jobs again. */
  jobWarning = 0;
  /** alias name=value */
  aliases = new Map<string, string>();
  /**
   * getopts' state (ash's shellparam.optind/optoff): the next word, and the
   * place inside the word being taken apart (-1: none). Assigning OPTIND,
   * set --, shift and each function call start it again at 1/-1.
   */
  optind = 1;
  optoff = -1;
  /** Line editing history (interactive). */
  history: string[] = [];

  constructor(envp: readonly string[]) {
    this.vars = Vars.fromEnv(envp);
    this.vars.onPathChange = () => this.hash.clear();
    this.vars.onOptindChange = (v) => this.getoptsreset(v);
    for (const c of OPT_LETTERS) this.opts[c] = false;
    for (const n of LONG_OPTS) this.opts[n] = false;
  }

  /** setparam: new positional parameters (getopts starts again). */
  setparam(params: string[]): void {
    this.params = params;
    this.optind = 1;
    this.optoff = -1;
  }

  /** getoptsreset: OPTIND was assigned (or unset). */
  getoptsreset(value: string | null): void {
    const n = value !== null && /^[0-9]+$/.test(value) ? Number(value) : 0;
    this.optind = n || 1;
    this.optoff = -1;
  }

  /** The state a forked subshell starts with. */
  clone(): Shell {
    const c = Object.create(Shell.prototype) as Shell;
    Object.assign(c, this);
    c.vars = this.vars.clone();
    c.vars.onPathChange = () => c.hash.clear();
    c.vars.onOptindChange = (v) => c.getoptsreset(v);
    c.funcs = new Map(this.funcs);
    c.opts = { ...this.opts };
    c.params = [...this.params];
    c.traps = [...this.traps];
    c.pending = [];
    c.jobs = new JobTable();
    c.hash = new Map([...this.hash].map(([k, e]) => [k, { ...e }]));
    c.history = [];
    c.aliases = new Map(this.aliases);
    c.subshell = true;
    return c;
  }

  /**
   * The state a child gets when all it will do is exec a program: its own
   * options and traps (forkchild changes those), and nothing of the
   * variables, functions or jobs, which it never reads. Cheaper than
   * clone() for every command.
   */
  cloneForExec(): Shell {
    const c = Object.create(Shell.prototype) as Shell;
    Object.assign(c, this);
    c.opts = { ...this.opts };
    c.traps = [...this.traps];
    c.pending = [];
    c.jobs = new JobTable();
    c.subshell = true;
    return c;
  }

  /** ash's may_have_traps: a trap is set, so a child cannot exec in place (its EXIT trap must run). */
  mayHaveTraps(): boolean {
    return this.traps.some((t) => t !== null && t !== undefined && t !== "");
  }

  get interactive(): boolean {
    return this.opts.i;
  }

  /** $- */
  optionLetters(): string {
    let s = "";
    for (let i = OPT_LETTERS.length - 1; i >= 0; i--) if (this.opts[OPT_LETTERS[i]]) s += OPT_LETTERS[i];
    return s;
  }

  /**
   * The prefix of an error message, as ash_vmsg builds it: "sh: ", then the
   * running builtin's name, then "line N: " unless reading a terminal.
   * commandname is the script's name while a script runs (null for -c and
   * stdin), and the builtin's name while a builtin runs.
   */
  msgPrefix(): string {
    let p = `${this.arg0}: `;
    if (this.commandname !== null) {
      if (this.commandname !== this.arg0) p += `${this.commandname}: `;
      if (!this.interactive || this.fromFile) p += `line ${this.lineno}: `;
    }
    return p;
  }
}

/** Prints an error in ash's format ("sh: cd: line 3: ...") to stderr. */
export function* sh_warn(sh: Shell, msg: string): UserGen<void> {
  yield* puts(2, `${sh.msgPrefix()}${msg}\n`);
}

/** ash_msg_and_raise_error: print, then abandon the command line. */
export function* sh_error(sh: Shell, msg: string, status = 2): UserGen<never> {
  yield* sh_warn(sh, msg);
  throw new ShellError(status);
}
