/*
 * main.ts - ash_main (BusyBox shell/ash.c: ash_main, procargs, init,
 * read_profile, exitshell): the shell as a program.
 *
 *   sh [-/+OPTIONS] [-c 'SCRIPT' [ARG0 [ARGS]] | FILE [ARGS] | -s [ARGS]]
 *
 * With neither -c nor FILE, commands come from standard input; when that
 * is a terminal the shell is interactive: it takes the terminal for job
 * control, catches SIGINT, prints the banner and PS1 (not on a plain
 * transcript console, see MMBOX_TIOCGTRANSCRIPT), and edits lines.
 * A login shell (argv[0] starting with "-") first runs /etc/profile and
 * $HOME/.profile.
 */

import {
  MMBOX_TIOCGTRANSCRIPT,
  SIGINT,
  SIGQUIT,
  SIGTERM,
  TCGETS,
  TIOCGPGRP,
  TIOCSPGRP,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { puts } from "../libc/stdio.js";
import { getcwd, getpgid, getpid, getppid, ioctl, setpgid, uname } from "../libc/sys.js";
import { readFile } from "./eval.js";
import { cmdloop, noMore, stdinReader } from "./input.js";
import { Lexer } from "./lexer.js";
import { OPT_NAMES, Shell, ShellError, ShellExit } from "./shell.js";
import { runExitTrap, setsignal } from "./trap.js";

export const BANNER =
  "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) built-in shell (ash)\nEnter 'help' for a list of built-in commands.\n";

/** The variables ash sets at startup (init()). */
function* initVars(sh: Shell): UserGen<void> {
  const v = sh.vars;
  const dflt = (name: string, value: string): void => {
    if (v.get(name) === null) v.set(name, value);
  };
  if (v.get("PATH") === null) v.set("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", { export: true });
  dflt("IFS", " \t\n");
  dflt("PS1", "\\w \\$ ");
  dflt("PS2", "> ");
  dflt("PS4", "+ ");
  dflt("FUNCNAME", "");
  v.set("OPTIND", "1");
  v.set("PPID", String(yield* getppid()));
  const u = yield* uname();
  dflt("HOSTNAME", u.nodename);
  const lvl = Number(v.get("SHLVL") ?? "0") || 0;
  v.set("SHLVL", String(lvl + 1), { export: true });
  const cwd = yield* getcwd();
  const pwd = v.get("PWD");
  if (typeof cwd === "string" && pwd !== cwd) v.set("PWD", cwd, { export: true });
  else if (pwd !== null) v.set("PWD", pwd, { export: true });
}

interface Args {
  command: string | null;
  file: string | null;
  login: boolean;
  forceInteractive: boolean;
  rest: string[];
}

/** procargs: options, then -c STRING or FILE, then the positional parameters. */
function* procargs(sh: Shell, argv: string[]): UserGen<Args | number> {
  const a: Args = {
    command: null,
    file: null,
    login: argv[0]?.startsWith("-") ?? false,
    forceInteractive: false,
    rest: [],
  };
  let i = 1;
  let wantC = false;
  let stdin = false;
  for (; i < argv.length; i++) {
    const s = argv[i];
    if (s === "--" || s === "-") {
      i++;
      break;
    }
    if ((s[0] !== "-" && s[0] !== "+") || s.length < 2) break;
    const on = s[0] === "-";
    for (let j = 1; j < s.length; j++) {
      const c = s[j];
      if (c === "c" && on) {
        wantC = true;
        sh.opts.c = true;
      } else if (c === "s" && on) stdin = true;
      else if (c === "i") a.forceInteractive = on;
      else if (c === "l") a.login = true;
      else if (c === "o") {
        const name = argv[++i];
        if (!name || !(name in OPT_NAMES)) {
          yield* puts(2, `${sh.applet}: illegal option ${s[0]}o ${name ?? ""}\n`);
          return 2;
        }
        sh.opts[OPT_NAMES[name]] = on;
      } else if ("efIimnxvCabu".includes(c)) sh.opts[c] = on;
      else {
        yield* puts(2, `${sh.applet}: illegal option ${s[0]}${c}\n`);
        return 2;
      }
    }
  }
  const rest = argv.slice(i);
  if (wantC) {
    if (rest.length === 0) {
      yield* puts(2, `${sh.applet}: -c requires an argument\n`);
      return 2;
    }
    a.command = rest[0];
    if (rest.length > 1) sh.arg0 = rest[1];
    a.rest = rest.slice(2);
  } else if (!stdin && rest.length) {
    a.file = rest[0];
    sh.arg0 = rest[0];
    a.rest = rest.slice(1);
  } else a.rest = rest;
  sh.params = a.rest;
  return a;
}

/** Runs a file of commands if it exists (profiles). */
function* readProfile(sh: Shell, path: string): UserGen<void> {
  const text = yield* readFile(path);
  if (typeof text === "number") return;
  const oldName = sh.commandname;
  yield* cmdloop(sh, new Lexer(text, true), noMore);
  sh.commandname = oldName;
}

/** Takes the terminal for job control (setjobctl). */
function* setjobctl(sh: Shell): UserGen<void> {
  const pgrp = yield* ioctl(0, TIOCGPGRP);
  if (typeof pgrp !== "number" || pgrp < 0) {
    yield* puts(2, `${sh.applet}: can't access tty; job control turned off\n`);
    sh.opts.m = false;
    return;
  }
  const me = yield* getpid();
  yield* setpgid(0, me);
  const r = yield* ioctl(0, TIOCSPGRP, me);
  if (typeof r === "number" && r < 0) {
    yield* puts(2, `${sh.applet}: can't access tty; job control turned off\n`);
    sh.opts.m = false;
    return;
  }
  sh.opts.m = true;
  void getpgid;
}

function* run(sh: Shell, argv: string[]): UserGen<number> {
  const a = yield* procargs(sh, argv);
  if (typeof a === "number") return a;
  sh.rootpid = yield* getpid();
  yield* initVars(sh);
  if (a.command !== null) {
    const lx = new Lexer(a.command, true);
    lx.line = 0;
    yield* cmdloop(sh, lx, noMore);
    return sh.status;
  }
  if (a.file !== null) {
    const text = yield* readFile(a.file);
    if (typeof text === "number") {
      yield* puts(2, `${sh.applet}: can't open '${a.file}': No such file or directory\n`);
      return 2;
    }
    sh.scriptname = a.file;
    sh.commandname = a.file;
    sh.fromFile = true;
    yield* cmdloop(sh, new Lexer(text, true), noMore);
    return sh.status;
  }
  const tty = typeof (yield* ioctl(0, TCGETS)) !== "number" || false;
  const isTty = yield* isatty(0);
  if (a.forceInteractive || (isTty && (yield* isatty(2)))) {
    sh.opts.i = true;
    sh.transcript = (yield* ioctl(0, MMBOX_TIOCGTRANSCRIPT)) === 1;
    for (const sig of [SIGINT, SIGQUIT, SIGTERM]) yield* setsignal(sh, sig);
    if (isTty) yield* setjobctl(sh);
    else {
      yield* puts(2, `${sh.applet}: can't access tty; job control turned off\n`);
    }
    for (const sig of [20, 21, 22]) yield* setsignal(sh, sig);
  }
  sh.opts.s = true;
  if (a.login) {
    yield* readProfile(sh, "/etc/profile");
    const home = sh.vars.get("HOME");
    if (home) yield* readProfile(sh, `${home === "/" ? "" : home}/.profile`);
  }
  // an interactive shell runs the file named by $ENV
  const env = sh.interactive ? sh.vars.get("ENV") : null;
  if (env) yield* readProfile(sh, env);
  if (sh.interactive && !sh.transcript) yield* puts(2, `\n\n${BANNER}\n`);
  void tty;
  yield* cmdloop(sh, new Lexer("", false), stdinReader(sh, isTty));
  return sh.status;
}

function* isatty(fd: number): UserGen<boolean> {
  const r = yield* ioctl(fd, TCGETS);
  return typeof r !== "number";
}

/** The sh / ash applet. */
export function* sh_main(argv: string[], envp: string[], libc?: unknown): UserGen<number> {
  const sh = new Shell(envp);
  sh.libc = libc;
  const base = (argv[0] ?? "sh").split("/").pop() ?? "sh";
  sh.applet = base.startsWith("-") ? base.slice(1) : base;
  sh.arg0 = argv[0] ?? "sh";
  let status: number;
  try {
    status = yield* run(sh, argv);
  } catch (e) {
    if (e instanceof ShellExit || e instanceof ShellError) status = e.status;
    else throw e;
  }
  sh.status = status;
  const after = yield* runExitTrap(sh);
  return after ?? status;
}
