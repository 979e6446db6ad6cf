/*
 * mini.ts - a first, small shell: simple commands, pipelines, redirections
 * (<, >, >>, 2>&1), ;, && and ||, variables in the environment, cd, exit,
 * export. It runs /etc/init.d/rcS and gives the console a prompt until the
 * full ash interpreter (user/sh) replaces it.
 */

import {
  MMBOX_TIOCGTRANSCRIPT,
  O_APPEND,
  O_CREAT,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  SIG_DFL,
  SIG_IGN,
  SIGINT,
  SIGQUIT,
  TIOCSPGRP,
  WEXITSTATUS,
  WIFSIGNALED,
  WTERMSIG,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { execvp, getenv } from "../libc/proc.js";
import { dec, LineReader, puts, read_all, strerror } from "../libc/stdio.js";
import {
  chdir,
  close,
  dup2,
  exit,
  fork,
  getcwd,
  getpid,
  ioctl,
  open,
  pipe,
  setpgid,
  sigaction,
  wait4,
} from "../libc/sys.js";

interface Simple {
  argv: string[];
  redirs: [string, string][]; // [op, target]
}

function tokenize(line: string): string[] | null {
  const out: string[] = [];
  let cur = "";
  let have = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const j = line.indexOf(c, i + 1);
      if (j < 0) return null;
      cur += line.slice(i + 1, j);
      have = true;
      i = j;
    } else if (c === " " || c === "\t") {
      if (have) out.push(cur);
      cur = "";
      have = false;
    } else if ("|;&<>".includes(c)) {
      if (have) out.push(cur);
      cur = "";
      have = false;
      const two = line.slice(i, i + 2);
      const four = line.slice(i, i + 4);
      if (four === "2>&1") {
        out.push(four);
        i += 3;
      } else if (two === "&&" || two === "||" || two === ">>") {
        out.push(two);
        i++;
      } else out.push(c);
    } else if (c === "#" && !have) break;
    else {
      cur += c;
      have = true;
    }
  }
  if (have) out.push(cur);
  return out;
}

function* run_pipeline(cmds: Simple[], env: string[]): UserGen<number> {
  const pids: number[] = [];
  let prev = -1;
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    let p: [number, number] | null = null;
    if (i < cmds.length - 1) {
      const r = yield* pipe();
      if (typeof r === "number") return 1;
      p = r;
    }
    const inFd = prev;
    const pid = yield* fork(function* () {
      yield* sigaction(SIGINT, SIG_DFL);
      yield* sigaction(SIGQUIT, SIG_DFL);
      if (inFd >= 0) {
        yield* dup2(inFd, 0);
        yield* close(inFd);
      }
      if (p) {
        yield* dup2(p[1], 1);
        yield* close(p[0]);
        yield* close(p[1]);
      }
      for (const [op, target] of c.redirs) {
        if (op === "2>&1") {
          yield* dup2(1, 2);
          continue;
        }
        const flags =
          op === "<" ? O_RDONLY : op === ">>" ? O_WRONLY | O_CREAT | O_APPEND : O_WRONLY | O_CREAT | O_TRUNC;
        const fd = yield* open(target, flags, 0o666);
        if (fd < 0) {
          yield* puts(
            2,
            `sh: can't ${op === "<" ? "open" : "create"} ${target}: ${fd === -2 && op !== "<" ? "nonexistent directory" : strerror(fd)}\n`,
          );
          return yield* exit(1);
        }
        yield* dup2(fd, op === "<" ? 0 : 1);
        yield* close(fd);
      }
      const r = yield* execvp(c.argv, env);
      if (r === -2) yield* puts(2, `sh: ${c.argv[0]}: not found\n`);
      else yield* puts(2, `sh: ${c.argv[0]}: ${strerror(r)}\n`);
      return yield* exit(r === -2 ? 127 : 126);
    });
    if (inFd >= 0) yield* close(inFd);
    if (p) {
      yield* close(p[1]);
      prev = p[0];
    }
    if (pid > 0) pids.push(pid);
  }
  let status = 0;
  for (const pid of pids) {
    const r = yield* wait4(pid, 0);
    if (typeof r !== "number") status = r.status;
  }
  if (WIFSIGNALED(status)) {
    const sig = WTERMSIG(status);
    if (sig === 9) yield* puts(2, "Killed\n");
    else if (sig === 11) yield* puts(2, "Segmentation fault\n");
    return 128 + sig;
  }
  return WEXITSTATUS(status);
}

function* run_line(line: string, env: string[], last: { status: number }): UserGen<boolean> {
  const expanded = line
    .replace(/\$\?/g, String(last.status))
    .replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, n) => getenv(env, n) ?? "");
  const toks = tokenize(expanded);
  if (!toks) {
    yield* puts(2, "sh: syntax error: unterminated quoted string\n");
    last.status = 2;
    return true;
  }
  let i = 0;
  let skip = false;
  while (i < toks.length) {
    const cmds: Simple[] = [{ argv: [], redirs: [] }];
    let sep = ";";
    for (; i < toks.length; i++) {
      const t = toks[i];
      if (t === ";" || t === "&&" || t === "||") {
        sep = t;
        i++;
        break;
      }
      if (t === "|") cmds.push({ argv: [], redirs: [] });
      else if (t === ">" || t === ">>" || t === "<") cmds[cmds.length - 1].redirs.push([t, toks[++i] ?? ""]);
      else if (t === "2>&1") cmds[cmds.length - 1].redirs.push([t, ""]);
      else cmds[cmds.length - 1].argv.push(t);
    }
    if (!skip && cmds[0].argv.length) {
      const [name, ...args] = cmds[0].argv;
      if (cmds.length === 1 && name === "exit") {
        last.status = args.length ? Number(args[0]) & 255 : last.status;
        return false;
      }
      if (cmds.length === 1 && name === "cd") {
        const dir = args[0] ?? getenv(env, "HOME") ?? "/";
        const r = yield* chdir(dir);
        if (r < 0) yield* puts(2, `sh: cd: can't cd to ${dir}: ${strerror(r)}\n`);
        last.status = r < 0 ? 2 : 0;
      } else if (cmds.length === 1 && name === "export") {
        for (const a of args) if (a.includes("=")) env.push(a);
        last.status = 0;
      } else if (cmds.length === 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(name) && args.length === 0) {
        env.push(name);
        last.status = 0;
      } else last.status = yield* run_pipeline(cmds, env);
    }
    skip = (sep === "&&" && last.status !== 0) || (sep === "||" && last.status === 0);
  }
  return true;
}

export function* mini_sh_main(argv: string[], envp: string[]): UserGen<number> {
  const env = [...envp];
  const last = { status: 0 };
  if (argv[1] === "-c") {
    yield* run_line(argv[2] ?? "", env, last);
    return last.status;
  }
  if (argv[1]) {
    const fd = yield* open(argv[1], O_RDONLY);
    if (fd < 0) {
      yield* puts(2, `sh: can't open '${argv[1]}': ${strerror(fd)}\n`);
      return 2;
    }
    const data = yield* read_all(fd);
    yield* close(fd);
    if (typeof data === "number") return 2;
    for (const line of dec(data).split("\n")) if (!(yield* run_line(line, env, last))) break;
    return last.status;
  }
  const transcript = (yield* ioctl(0, MMBOX_TIOCGTRANSCRIPT)) === 1;
  const me = yield* getpid();
  yield* setpgid(0, me);
  yield* ioctl(0, TIOCSPGRP, me);
  yield* sigaction(SIGINT, SIG_IGN);
  const reader = new LineReader(0);
  for (;;) {
    if (!transcript) {
      const cwd = yield* getcwd();
      yield* puts(2, `${typeof cwd === "string" ? cwd : "?"} # `);
    }
    const line = yield* reader.readLine();
    if (line === null || typeof line === "number") {
      if (!transcript) yield* puts(2, "\n");
      break;
    }
    if (!(yield* run_line(line, env, last))) break;
  }
  return last.status;
}
