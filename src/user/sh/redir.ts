/*
 * redir.ts - redirections (BusyBox shell/ash.c: expredir, redirect,
 * openredirect, openhere, popredir).
 *
 * Targets are expanded first (in the shell, before any fork). A command run
 * in the shell itself (a builtin, a function, a compound command) has its
 * descriptors saved above 10 and put back afterwards; a forked command just
 * applies them. A here-document is written into a pipe: directly when it
 * fits in PIPE_BUF, else by a forked writer, as ash does.
 *
 * Error texts are ash's errmsg(): "can't create X: nonexistent directory",
 * "can't open X: no such file".
 */

import {
  F_DUPFD_CLOEXEC,
  O_APPEND,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  S_ISREG,
} from "../../kernel/uapi/abi.js";
import { EBADF, EEXIST, ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { enc, strerror, write_all } from "../libc/stdio.js";
import { close, dup2, exit, fcntl, fork, open, pipe, stat } from "../libc/sys.js";
import type { Redir } from "./ast.js";
import { expandString } from "./expand.js";
import { type Shell, ShellError, ShellInterrupt } from "./shell.js";

export interface ExpRedir {
  op: Redir["op"];
  fd: number;
  /** File name, descriptor text for <& >&, or here-document text. */
  target: string;
}

const PIPE_BUF = 4096;

/**
 * The redirections' targets and here-documents, expanded. Null when a
 * here-document's expansion failed: ash expands it while it applies the
 * redirections (openhere), so the error (already printed) fails them as a
 * file that cannot be opened does - status 1, the command not run - where
 * an error in a word would end the script.
 */
export function* expandRedirs(sh: Shell, redirs: Redir[]): UserGen<ExpRedir[] | null> {
  const out: ExpRedir[] = [];
  for (const r of redirs) {
    let target: string;
    if (r.op === "<<" || r.op === "<<-") {
      try {
        target = yield* expandString(sh, r.target, !r.quoted);
      } catch (e) {
        if (e instanceof ShellError && !(e instanceof ShellInterrupt)) return null;
        throw e;
      }
    } else target = yield* expandString(sh, r.target, false);
    out.push({ op: r.op, fd: r.fd, target });
  }
  return out;
}

/** Descriptors saved while a command runs in the shell: [fd, copy or -1 when it was closed]. */
export type Saved = [number, number][];

/** ash's errmsg(e, E_OPEN / E_CREAT). */
function errmsg(e: number, creat: boolean): string {
  if (e === -ENOENT) return creat ? "nonexistent directory" : "no such file";
  return strerror(e);
}

function* openHere(text: string): UserGen<number> {
  const p = yield* pipe();
  if (typeof p === "number") return p;
  const [rd, wr] = p;
  const data = enc(text);
  if (data.length <= PIPE_BUF) {
    yield* write_all(wr, data);
  } else {
    yield* fork(function* () {
      yield* close(rd);
      yield* write_all(wr, data);
      return yield* exit(0);
    });
  }
  yield* close(wr);
  return rd;
}

/**
 * Applies redirections. Returns null when done, else the error message
 * (already in ash's words, without the "sh: " prefix).
 */
export function* applyRedirs(sh: Shell, list: ExpRedir[], saved: Saved | null): UserGen<string | null> {
  for (const r of list) {
    if (saved && !saved.some(([fd]) => fd === r.fd)) {
      const copy = yield* fcntl(r.fd, F_DUPFD_CLOEXEC, 10);
      saved.push([r.fd, copy >= 0 ? copy : -1]);
    }
    let fd: number;
    switch (r.op) {
      case "<":
        fd = yield* open(r.target, O_RDONLY);
        if (fd < 0) return `can't open ${r.target}: ${errmsg(fd, false)}`;
        break;
      case "<>":
        fd = yield* open(r.target, O_RDWR | O_CREAT, 0o666);
        if (fd < 0) return `can't create ${r.target}: ${errmsg(fd, true)}`;
        break;
      case ">":
      case ">|":
      case ">>": {
        let flags = O_WRONLY | O_CREAT | (r.op === ">>" ? O_APPEND : O_TRUNC);
        if (r.op === ">" && sh.opts.C) {
          const st = yield* stat(r.target);
          if (typeof st !== "number" && S_ISREG(st.st_mode))
            return `can't create ${r.target}: ${strerror(-EEXIST)}`;
          if (typeof st === "number") flags |= O_EXCL;
        }
        fd = yield* open(r.target, flags, 0o666);
        if (fd < 0) return `can't create ${r.target}: ${errmsg(fd, true)}`;
        break;
      }
      case "<&":
      case ">&": {
        if (r.target === "-") {
          yield* close(r.fd);
          continue;
        }
        if (!/^\d+$/.test(r.target)) {
          if (r.op === ">&") {
            // >&file: stdout and stderr to a file (bash extension ash knows)
            fd = yield* open(r.target, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
            if (fd < 0) return `can't create ${r.target}: ${errmsg(fd, true)}`;
            yield* dup2(fd, 1);
            yield* dup2(fd, 2);
            if (fd !== 1 && fd !== 2) yield* close(fd);
            continue;
          }
          return `${r.target}: bad number`;
        }
        const src = Number(r.target);
        if (src === r.fd) continue;
        const e = yield* dup2(src, r.fd);
        if (e < 0) return `${src}: ${strerror(e === -EBADF ? e : e)}`;
        continue;
      }
      case "<<":
      case "<<-":
        fd = yield* openHere(r.target);
        if (fd < 0) return `can't create pipe: ${strerror(fd)}`;
        break;
    }
    if (fd !== r.fd) {
      yield* dup2(fd, r.fd);
      yield* close(fd);
    }
  }
  return null;
}

/** popredir: puts saved descriptors back. */
export function* restoreRedirs(saved: Saved): UserGen<void> {
  for (let i = saved.length - 1; i >= 0; i--) {
    const [fd, copy] = saved[i];
    if (copy >= 0) {
      yield* dup2(copy, fd);
      yield* close(copy);
    } else yield* close(fd);
  }
}
