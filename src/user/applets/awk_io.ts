/*
 * awk_io.ts - awk's streams (BusyBox editors/awk.c's rstream and the
 * fdhash of redirections): records read by RS, output files and pipes,
 * commands for "cmd | getline", "print | cmd" and system().
 *
 * A record ends at RS's one character; RS="" is paragraph mode (records
 * are separated by blank lines, leading newlines skipped; the last one
 * keeps a lone final newline, as BusyBox's does); a longer RS is a regular
 * expression. Commands run as
 * "/bin/sh -c CMD" in a forked child with a pipe on its stdin or stdout,
 * as popen() does; close() waits for it and returns pclose's wait status.
 */

import { O_APPEND, O_CLOEXEC, O_CREAT, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { type Regex, regexec } from "../libc/regex.js";
import { Writer } from "../libc/stream.js";
import { close, dup2, execve, exit, fork, open, pipe, read, wait4 } from "../libc/sys.js";

/** How records end: one character, blank lines, or a regex. */
export type RecSep = { mode: "char"; c: string } | { mode: "para" } | { mode: "re"; re: Regex };

/** An input stream (a file, stdin or a command's output) cut into records. */
export class RStream {
  private buf = "";
  private off = 0;
  private eof = false;
  private readonly decoder = new TextDecoder();

  constructor(
    readonly fd: number,
    readonly pid = 0,
  ) {}

  private *fill(): UserGen<boolean> {
    if (this.eof) return false;
    const r = yield* read(this.fd, 65536);
    if (typeof r === "number" || r.length === 0) {
      this.eof = true;
      this.buf = this.buf.slice(this.off) + this.decoder.decode();
      this.off = 0;
      return false;
    }
    this.buf = this.buf.slice(this.off) + this.decoder.decode(r, { stream: true });
    this.off = 0;
    return true;
  }

  /** The next record (without its separator), or null at the end. */
  *record(rs: RecSep): UserGen<string | null> {
    if (rs.mode === "para") return yield* this.paragraph();
    for (;;) {
      let start = -1;
      let end = -1;
      if (rs.mode === "char") {
        start = this.buf.indexOf(rs.c, this.off);
        end = start + 1;
      } else {
        const m = regexec(rs.re, this.buf, this.off);
        // A match that reaches the end of what is buffered might grow with more input.
        if (m && m[0].length > 0 && (this.eof || m.index + m[0].length < this.buf.length)) {
          start = m.index;
          end = start + m[0].length;
        }
      }
      if (start >= 0) {
        const rec = this.buf.slice(this.off, start);
        this.off = end;
        return rec;
      }
      if (!(yield* this.fill())) {
        if (this.off >= this.buf.length) return null;
        const rec = this.buf.slice(this.off);
        this.off = this.buf.length;
        return rec;
      }
    }
  }

  private *paragraph(): UserGen<string | null> {
    for (;;) {
      while (this.off < this.buf.length && this.buf[this.off] === "\n") this.off++;
      if (this.off < this.buf.length || !(yield* this.fill())) break;
    }
    for (;;) {
      const i = this.buf.indexOf("\n\n", this.off);
      if (i >= 0) {
        const rec = this.buf.slice(this.off, i);
        this.off = i;
        // the separator is every newline that follows
        for (;;) {
          while (this.off < this.buf.length && this.buf[this.off] === "\n") this.off++;
          if (this.off < this.buf.length || !(yield* this.fill())) break;
        }
        return rec;
      }
      if (!(yield* this.fill())) {
        if (this.off >= this.buf.length) return null;
        // at the end a record keeps a single trailing newline, as BusyBox's does
        const rec = this.buf.slice(this.off);
        this.off = this.buf.length;
        return rec;
      }
    }
  }

  /** fclose/pclose: the command's wait status for a pipe, 0 for a file. */
  *close(): UserGen<number> {
    if (this.fd > 0) yield* close(this.fd);
    return this.pid ? yield* reap(this.pid) : 0;
  }
}

/** An output redirection: a file or a command's stdin. */
export interface OStream {
  w: Writer;
  pid: number;
}

/** waitpid: the child's raw wait status (pclose's value: "exit 3" is 768), -1 when there is none. */
function* reap(pid: number): UserGen<number> {
  for (;;) {
    const w = yield* wait4(pid);
    if (typeof w !== "number") return w.status;
    if (w !== -4) return -1;
  }
}

/** Starts "sh -c cmd" with one end of a pipe as its stdin (write) or stdout (read): [our fd, pid] or -errno. */
export function* popen(cmd: string, mode: "r" | "w", envp: string[]): UserGen<[number, number] | number> {
  const p = yield* pipe(O_CLOEXEC);
  if (typeof p === "number") return p;
  const [r, w] = p;
  const pid = yield* fork(function* () {
    yield* dup2(mode === "r" ? w : r, mode === "r" ? 1 : 0);
    yield* execve("/bin/sh", ["sh", "-c", cmd], envp);
    return yield* exit(127);
  });
  yield* close(mode === "r" ? w : r);
  if (pid < 0) {
    yield* close(mode === "r" ? r : w);
    return pid;
  }
  return [mode === "r" ? r : w, pid];
}

/** system(): runs cmd and waits; the wait status shifted right by 8, as BusyBox returns it (a signal gives 0). */
export function* awk_system(cmd: string, envp: string[]): UserGen<number> {
  const pid = yield* fork(function* () {
    yield* execve("/bin/sh", ["sh", "-c", cmd], envp);
    return yield* exit(127);
  });
  if (pid < 0) return -1;
  return (yield* reap(pid)) >> 8;
}

/** Opens "> file", ">> file" or "| cmd" for print; -errno when it cannot. */
export function* open_output(name: string, op: ">" | ">>" | "|", envp: string[]): UserGen<OStream | number> {
  if (op === "|") {
    const r = yield* popen(name, "w", envp);
    if (typeof r === "number") return r;
    return { w: new Writer(r[0], false), pid: r[1] };
  }
  // mmbox's /dev has no stdout/stderr links: the two names go to the descriptors themselves
  if (name === "/dev/stdout" || name === "/dev/stderr")
    return { w: yield* Writer.open(name === "/dev/stdout" ? 1 : 2), pid: 0 };
  const fd = yield* open(name, O_WRONLY | O_CREAT | (op === ">" ? O_TRUNC : O_APPEND), 0o666);
  if (fd < 0) return fd;
  return { w: new Writer(fd, false), pid: 0 };
}

/** Flushes and closes an output stream; a command's wait status, else 0. */
export function* close_output(o: OStream): UserGen<number> {
  yield* o.w.flush();
  if (o.w.fd > 2) yield* close(o.w.fd);
  return o.pid ? yield* reap(o.pid) : 0;
}
