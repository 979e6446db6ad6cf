/*
 * xargs.ts - xargs (findutils/xargs.c): build command lines from the words
 * on stdin (or -a FILE) and run them (default: echo).
 *
 * Words are separated by blanks and newlines; '...' and "..." quote, a
 * backslash takes the next character literally (BusyBox's
 * process_stdin). -0 splits at NULs only, -I STR runs once per input line
 * with STR replaced in the arguments. A command gets at most -n N words and
 * -s N bytes (each argument counts its length plus one, the command's own
 * too); -E STR (or -e[STR]) ends the input at the word STR; -r runs nothing
 * for empty input; -t prints each command on stderr first; -x gives up when
 * a line does not fit; -p asks "CMD ?..." and reads the answer from
 * /dev/tty; -P N runs up to N commands at once (0: no limit).
 *
 * Exit status as in BusyBox: 123 when a command exited 1-125, 124 when one
 * exited 255 (xargs stops), 125 when one was killed, 126/127 when it could
 * not be run or found.
 */

import { O_RDONLY, WEXITSTATUS, WIFSIGNALED, WTERMSIG } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, strtou_range_sfx } from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { dec, LineReader, puts, read_all, strerror } from "../libc/stdio.js";
import { close, exit, fork, open, wait4 } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `xargs [OPTIONS] [PROG ARGS]

Run PROG on every item given by stdin

\t-0\tNUL terminated input
\t-a FILE\tRead from FILE instead of stdin
\t-r\tDon't run command if input is empty
\t-t\tPrint the command on stderr before execution
\t-p\tAsk user whether to run each command
\t-E STR,-e[STR]\tSTR stops input processing
\t-I STR\tReplace STR within PROG ARGS with input line
\t-n N\tPass no more than N args to PROG
\t-s N\tPass command line of no more than N bytes
\t-P N\tRun up to N PROGs in parallel
\t-x\tExit if size is exceeded`;

/** The largest command line (ARG_MAX less the environment, as BusyBox computes it). */
const ARG_MAX = 128 * 1024;

/** process_stdin: the words of the input, or an error message. */
export function split_words(text: string, eofStr: string | undefined): string[] | string {
  const out: string[] = [];
  let word = "";
  let inWord = false;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
      else word += c;
      continue;
    }
    if (c === "\\") {
      if (i + 1 < text.length) word += text[++i];
      inWord = true;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === " " || c === "\t" || c === "\n") {
      if (inWord) {
        if (eofStr !== undefined && word === eofStr) return out;
        out.push(word);
      }
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return `unmatched ${quote === "'" ? "single" : "double"} quote`;
  if (inWord && !(eofStr !== undefined && word === eofStr)) out.push(word);
  return out;
}

/** Starts one command line; its pid, or -errno when fork failed. */
function* xargs_spawn(args: string[], envp: string[]): UserGen<number> {
  const pid = yield* fork(function* () {
    const r = yield* execvp(args, envp);
    yield* bb_error_msg("xargs", `${args[0]}: ${strerror(r)}`);
    return yield* exit(r === -2 ? 127 : 126);
  });
  if (pid < 0) yield* bb_perror_msg("xargs", "fork", pid);
  return pid;
}

/** Waits for one of the commands running; [pid, wait status], or null when none is left. */
function* xargs_wait(): UserGen<[number, number] | null> {
  for (;;) {
    const w = yield* wait4(-1);
    if (typeof w !== "number") return [w.pid, w.status];
    if (w !== -4) return null; // ECHILD
  }
}

/** -p: "CMD ?..." on stderr and a y/Y answer from the terminal. */
function* ask_confirmation(): UserGen<boolean> {
  yield* puts(2, " ?...");
  const fd = yield* open("/dev/tty", O_RDONLY);
  if (fd < 0) return false;
  const line = yield* new LineReader(fd).readLine();
  yield* close(fd);
  return typeof line === "string" && /^[yY]/.test(line);
}

function* xargs_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+trpxn:s:e::E:0I:a:P:", USAGE);
  if (!o) return 1;
  const prog = o.rest.length ? o.rest : ["echo"];
  let maxArgs = Number.MAX_SAFE_INTEGER;
  let maxSize = ARG_MAX;
  for (const [key, set] of [
    ["n", (v: number) => (maxArgs = v)],
    ["s", (v: number) => (maxSize = Math.min(v, ARG_MAX))],
  ] as const) {
    const a = o.arg(key);
    if (a === undefined) continue;
    const r = strtou_range_sfx(a, 10, 1, 2147483647);
    if (!r.ok) {
      yield* bb_error_msg("xargs", r.msg);
      return 1;
    }
    set(r.value);
  }
  let eofStr = o.arg("E");
  if (o.has("e")) eofStr = o.arg("e");
  let fd = 0;
  const file = o.arg("a");
  if (file !== undefined) {
    fd = yield* open(file, O_RDONLY);
    if (fd < 0) {
      yield* bb_perror_msg("xargs", `can't open '${file}'`, fd);
      return 1;
    }
  }
  const data = yield* read_all(fd);
  if (fd) yield* close(fd);
  const text = typeof data === "number" ? "" : dec(data);
  const repl = o.arg("I");
  let lines: string[][];
  if (repl !== undefined) {
    // -I: one command per line, STR replaced in every argument
    lines = text
      .split("\n")
      .map((l) => l.replace(/^[ \t]+/, ""))
      .filter((l) => l !== "")
      .map((l) => prog.map((a) => a.split(repl).join(l)));
  } else {
    let words: string[] | string;
    if (o.has("0")) words = text.split("\0").filter((w, i, all) => w !== "" || i < all.length - 1);
    else words = split_words(text, eofStr);
    if (typeof words === "string") {
      yield* bb_error_msg("xargs", words);
      return 1;
    }
    lines = [];
    const base = prog.reduce((n, a) => n + a.length + 1, 0);
    // The command alone already fills -s: no room for any argument.
    if (maxSize - base <= 0) {
      yield* bb_error_msg("xargs", "can't fit single argument within argument list size limit");
      return 1;
    }
    let cur: string[] = [];
    let size = base;
    for (const w of words) {
      if (base + w.length + 1 > maxSize) {
        yield* bb_error_msg("xargs", "argument line too long");
        return 1;
      }
      if (cur.length >= maxArgs || size + w.length + 1 > maxSize) {
        if (o.has("x") && cur.length < maxArgs) {
          yield* bb_error_msg("xargs", "argument line too long");
          return 1;
        }
        lines.push([...prog, ...cur]);
        cur = [];
        size = base;
      }
      cur.push(w);
      size += w.length + 1;
    }
    if (cur.length || (lines.length === 0 && !o.has("r"))) lines.push([...prog, ...cur]);
  }
  let maxProcs = 1;
  const P = o.arg("P");
  if (P !== undefined) {
    const r = strtou_range_sfx(P, 10, 0, 2147483647);
    if (!r.ok) {
      yield* bb_error_msg("xargs", r.msg);
      return 1;
    }
    maxProcs = r.value || Number.MAX_SAFE_INTEGER; // -P 0: as many as there are lines
  }
  let status = 0;
  const running = new Map<number, string>();
  /** Collects one exit; a code that stops xargs is returned (after the others are reaped). */
  const reap = function* (): UserGen<number | null> {
    const w = yield* xargs_wait();
    if (!w) return null;
    const [pid, st] = w;
    const name = running.get(pid) ?? "?";
    running.delete(pid);
    if (WIFSIGNALED(st)) {
      yield* bb_error_msg("xargs", `'${name}' terminated by signal ${WTERMSIG(st)}`);
      return 125;
    }
    const code = WEXITSTATUS(st);
    if (code === 255) {
      yield* bb_error_msg("xargs", `${name}: exited with status 255; aborting`);
      return 124;
    }
    if (code === 126 || code === 127) return code;
    if (code) status = 123;
    return null;
  };
  for (const args of lines) {
    if (o.has("p")) {
      yield* puts(2, args.join(" "));
      if (!(yield* ask_confirmation())) continue;
    } else if (o.has("t")) yield* puts(2, `${args.join(" ")}\n`);
    const pid = yield* xargs_spawn(args, envp);
    if (pid < 0) return 1;
    running.set(pid, args[0]);
    while (running.size >= maxProcs) {
      const stop = yield* reap();
      if (stop !== null) return stop;
    }
  }
  while (running.size) {
    const stop = yield* reap();
    if (stop !== null) return stop;
  }
  return status;
}

export const xargs: Applet = { name: "xargs", dir: "/usr/bin", usage: USAGE, main: xargs_main };
