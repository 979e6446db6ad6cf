/*
 * more.ts - more (util-linux/more.c): show FILEs (stdin when none) one
 * screenful at a time.
 *
 * When stdout is not a terminal, or there is no /dev/tty to take keys
 * from, more is cat (bb_cat in cat.ts, messages and all). Otherwise the
 * keys come from /dev/tty in libbb's raw mode with flags 0 (termios_raw in
 * libc/termios.ts: no line editing, no echo; ^C still a signal, Enter
 * still "\n"), and the text goes to stdout:
 *
 *   - a screen is the terminal's rows - 1 lines; a line longer than the
 *     terminal wraps (the terminal does it: more only counts), a tab is
 *     spaces to the next multiple of 8;
 *   - after a screen, when more text follows, the prompt
 *       --More-- (23% of 292 bytes)
 *     (the part in brackets when fstat gives a size: the read position
 *     over size / 100); keys, case ignored: Space the next screen, Enter
 *     one line more, r the rest without prompts (for the other files too),
 *     q quits; any other key shows
 *       (Enter:next line Space:next page Q:quit R:show the rest)
 *     and waits again. What was shown is erased with "\r", spaces, "\r";
 *   - the terminal's size is read again after every key;
 *   - a file that cannot be opened is skipped after "more: FILE: error";
 *     files follow each other with no header and no prompt in between;
 *   - a fatal signal (BusyBox's BB_FATAL_SIGS) prints "\n" on stderr, puts
 *     the terminal back and exits 1; otherwise more ends with status 0.
 *
 * Options -d -f -l -s -u are accepted and ignored, as in BusyBox.
 * Simplified: BusyBox spins for ever printing the help line once /dev/tty
 * is at its end (a hung-up terminal, until SIGHUP comes); here the end of
 * the keys quits as q does.
 */

import type { Termios } from "../../kernel/uapi/abi.js";
import {
  O_RDONLY,
  SEEK_CUR,
  SIGABRT,
  SIGALRM,
  SIGHUP,
  SIGINT,
  SIGPIPE,
  SIGQUIT,
  SIGTERM,
  SIGUSR1,
  SIGUSR2,
  SIGVTALRM,
  SIGXCPU,
  SIGXFSZ,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { ByteReader, isatty, Reader, Writer } from "../libc/stream.js";
import { close, exit, fstat, lseek, open, sigaction } from "../libc/sys.js";
import { get_terminal_width_height, tcsetattr, termios_raw } from "../libc/termios.js";
import { bb_cat } from "./cat.js";
import type { Applet } from "./registry.js";

const USAGE = `more [FILE]...

View FILE (or stdin) one screenful at a time`;

const PROMPT = "--More-- ";
const HELP = "(Enter:next line Space:next page Q:quit R:show the rest)";
const CONVERTED_TAB_SIZE = 8;
/** stdout's buffer (glibc's BUFSIZ for a terminal). */
const BUFSIZ = 4096;

const TAB = 9;
const NL = 10;
const SPACE = 32;
const KEY_Q = 0x71;
const KEY_R = 0x72;

/** BB_FATAL_SIGS: every signal that would kill more, but those of a bug (SEGV, ILL, FPE). */
const BB_FATAL_SIGS = [
  SIGHUP,
  SIGINT,
  SIGTERM,
  SIGPIPE,
  SIGQUIT,
  SIGABRT,
  SIGALRM,
  SIGVTALRM,
  SIGXCPU,
  SIGXFSZ,
  SIGUSR1,
  SIGUSR2,
];

/** The pager's state from file to file (BusyBox's globals and more_main's locals). */
interface More {
  /** stdout: a terminal, so line-buffered. */
  out: Writer;
  /** Bytes put out and not yet handed to `out` (putchar's). */
  buf: number[];
  /** /dev/tty, where the keys come from. */
  tty: number;
  /** getc(tty): keys typed ahead wait in its buffer. */
  keys: ByteReader;
  /** The terminal's settings before raw mode (null: none to put back). */
  saved: Termios | null;
  /** For $COLUMNS and $LINES when the terminal has no size. */
  envp: readonly string[];
  /** Columns of the terminal. */
  width: number;
  /** Lines of text a screen: the rows less the prompt's. */
  height: number;
  /** The last key, lower-cased (BusyBox's `input`): r ends the prompts, Enter pages by lines. */
  key: number;
}

/** get_wh: the terminal's size again (the user may have resized it). */
function* get_wh(m: More): UserGen<void> {
  const [w, h] = yield* get_terminal_width_height(m.tty, m.envp);
  m.width = w;
  m.height = h - 1;
}

/** Hands putchar's bytes to stdout; an output error ends more (die_if_ferror_stdout). */
function* emit(m: More): UserGen<void> {
  if (m.buf.length === 0) return;
  yield* m.out.write(Uint8Array.from(m.buf));
  m.buf = [];
  if (m.out.error) {
    yield* bb_error_msg("more", "standard output: I/O error");
    yield* exit(1);
  }
}

/** printf of a plain ASCII string: its length. */
function print(m: More, s: string): number {
  for (let i = 0; i < s.length; i++) m.buf.push(s.charCodeAt(i));
  return s.length;
}

/** fflush_all: what stdout holds goes to the terminal. */
function* fflush_all(m: More): UserGen<void> {
  yield* emit(m);
  yield* m.out.flush();
}

/**
 * The prompt after a screen, and the keys until one means something:
 * false when the user quits. `pos` is where the file is read up to.
 */
function* more_prompt(m: More, size: number, pos: number): UserGen<boolean> {
  let len = print(m, PROMPT);
  if (size !== 0) {
    const d = Math.floor(size / 100) || 1;
    len += print(m, `(${Math.floor(pos / d)}% of ${size} bytes)`);
  }
  for (;;) {
    yield* fflush_all(m);
    let key = yield* m.keys.getc();
    if (key >= 0x41 && key <= 0x5a) key += 0x20; // tolower
    m.key = key;
    print(m, `\r${" ".repeat(len)}\r`);
    if (key === KEY_Q || key < 0) return false;
    // Only known keys page on: an arrow key's escape sequence must not.
    if (key === SPACE || key === NL || key === KEY_R) return true;
    len = print(m, HELP);
  }
}

/**
 * One file, a byte at a time. `len` counts the columns used on the row,
 * `lines` the rows shown since the last prompt. A newline, or a byte
 * that would go past the right margin, starts a line; once a screen's
 * worth is out (or a line, after Enter) the prompt waits before the next
 * byte - and before a wrapped byte, which is then shown on the new line.
 * A tab is a space plus `spaces` more. False when the user quit.
 */
function* more_file(m: More, file: ByteReader, size: number, start: number): UserGen<boolean> {
  let pos = start;
  let please_display_more_prompt = false;
  let len = 0;
  let lines = 0;
  let spaces = 0;
  let c = 0;
  yield* get_wh(m);
  for (;;) {
    if (spaces > 0) spaces--;
    else {
      c = yield* file.getc();
      if (c < 0) break;
      pos++;
    }
    for (;;) {
      if (m.key !== KEY_R && please_display_more_prompt) {
        if (!(yield* more_prompt(m, size, pos))) return false;
        len = 0;
        lines = 0;
        please_display_more_prompt = false;
        yield* get_wh(m);
      }
      if (c === TAB) {
        spaces = CONVERTED_TAB_SIZE - 1 - (len % CONVERTED_TAB_SIZE);
        c = SPACE;
      }
      const wrap = ++len > m.width;
      if (c === NL || wrap) {
        if (++lines >= m.height || m.key === NL) please_display_more_prompt = true;
        len = 0;
      }
      // A wrapped byte starts the next line: the prompt (if due) comes first.
      if (c === NL || !wrap) break;
    }
    m.buf.push(c);
    if (c === NL || m.buf.length >= BUFSIZ) yield* emit(m);
  }
  return true;
}

function* more_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "dflsu", USAGE);
  if (!o) return 1;
  const files = o.rest;
  // As the pager "most" does: output that is not a terminal is not paged.
  if (!(yield* isatty(1))) return yield* bb_cat("more", files);
  const tty = yield* open("/dev/tty", O_RDONLY);
  if (tty < 0) return yield* bb_cat("more", files);

  const m: More = {
    out: yield* Writer.open(1),
    buf: [],
    tty,
    keys: new ByteReader(new Reader(tty)),
    saved: yield* termios_raw(tty, 0),
    envp,
    width: 80,
    height: 23,
    key: 0,
  };
  // gotsig: a newline, the terminal as it was, and exit at once (stdout's buffer is lost).
  const gotsig = function* (_sig: number): UserGen<void> {
    yield* puts(2, "\n");
    if (m.saved) yield* tcsetattr(m.tty, m.saved);
    yield* exit(1);
  };
  for (const sig of BB_FATAL_SIGS) yield* sigaction(sig, gotsig);

  let i = 0;
  do {
    let fd = 0;
    if (i < files.length) {
      fd = yield* open(files[i], O_RDONLY);
      if (fd < 0) {
        // fopen_or_warn
        yield* bb_perror_msg("more", files[i], fd);
        continue;
      }
    }
    const st = yield* fstat(fd);
    const size = typeof st === "object" ? st.st_size : 0;
    const start = yield* lseek(fd, 0, SEEK_CUR);
    if (!(yield* more_file(m, new ByteReader(new Reader(fd)), size, Math.max(start, 0)))) break;
    yield* close(fd);
    yield* fflush_all(m);
  } while (i < files.length && ++i < files.length);
  if (m.saved) yield* tcsetattr(m.tty, m.saved);
  // exit(0) flushes stdout: what a q left there (the prompt's eraser) goes out last.
  yield* fflush_all(m);
  return 0;
}

export const more: Applet = { name: "more", dir: "/bin", usage: USAGE, main: more_main };
