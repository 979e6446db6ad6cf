/*
 * lineedit.ts - the interactive line editor (BusyBox libbb/lineedit.c:
 * read_line_input).
 *
 * The terminal goes to raw mode (no ICANON, ECHO or ISIG) while a line is
 * typed, and back afterwards. Keys:
 *   printable         insert at the cursor
 *   Left/Right ^B ^F  move;  Home ^A, End ^E;  Alt-b Alt-f  a word left, right
 *   Backspace ^H, Delete ^D (on a non-empty line)
 *   ^U ^K ^W          delete to the start, to the end, the word before
 *   Up/Down ^P ^N     history
 *   Tab               complete a command name (first word) or a path
 *   ^L                clear the screen;  ^C  abandon the line (SIGINT)
 *   ^D                on an empty line: end of input
 * Plain typing at the end of the line is echoed as it comes, so a typed
 * session reads like a transcript; only editing redraws the line.
 */

import {
  ECHO,
  ECHONL,
  ICANON,
  ISIG,
  O_DIRECTORY,
  S_ISDIR,
  TCGETS,
  TCSETSW,
  type Termios,
  TIOCGWINSZ,
  VMIN,
  VTIME,
  type Winsize,
} from "../../kernel/uapi/abi.js";
import { EINTR } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { dec, puts } from "../libc/stdio.js";
import { close, getdents, ioctl, open, read, stat } from "../libc/sys.js";
import { BUILTINS } from "./builtins.js";
import { type Shell, ShellInterrupt } from "./shell.js";

interface EditState {
  buf: string[];
  cur: number;
  /** The last line of the prompt (what a redraw prints again) and its width on screen. */
  prompt: string;
  plen: number;
  /** Terminal columns, and the row (below the prompt's) the cursor is on. */
  width: number;
  row: number;
  /** Position in history while browsing (history.length = the line being typed). */
  hpos: number;
  saved: string;
  lastTab: boolean;
}

/*
 * A line longer than the terminal wraps: buffer position k sits on row
 * (plen + k) / width, column (plen + k) % width, counting from the
 * prompt's row. When the text ends exactly at a right margin the terminal
 * has not moved to the next row yet; " \b" makes it (as BusyBox does).
 */
function place(st: EditState, k: number): [number, number] {
  const p = st.plen + k;
  return [Math.floor(p / st.width), p % st.width];
}

/** Prints the line again from the prompt on, and puts the cursor back where it belongs. */
function* redraw(st: EditState): UserGen<void> {
  const text = st.buf.join("");
  const tail = st.buf.length - st.cur;
  if (st.row === 0 && st.plen + st.buf.length < st.width) {
    yield* puts(1, `\r${st.prompt}${text}\x1b[K${tail ? `\x1b[${tail}D` : ""}`);
    return;
  }
  let out = `${st.row ? `\x1b[${st.row}A` : ""}\r${st.prompt}${text}\x1b[J`;
  const [er, ec] = place(st, st.buf.length);
  if (ec === 0) out += " \b";
  const [tr, tc] = place(st, st.cur);
  if (er > tr) out += `\x1b[${er - tr}A`;
  if (tail) out += `\r${tc ? `\x1b[${tc}C` : ""}`;
  st.row = tr;
  yield* puts(1, out);
}

function* left(st: EditState): UserGen<void> {
  if (st.cur === 0) return;
  st.cur--;
  const [r, c] = place(st, st.cur);
  if (r < st.row) {
    st.row = r;
    yield* puts(1, `\x1b[A\r\x1b[${c}C`);
  } else yield* puts(1, "\b");
}

function* right(st: EditState): UserGen<void> {
  if (st.cur === st.buf.length) return;
  st.cur++;
  const [r] = place(st, st.cur);
  if (r > st.row) {
    st.row = r;
    yield* puts(1, "\x1b[B\r");
  } else yield* puts(1, "\x1b[C");
}

/** Alt-b / Alt-f: to the start of this or the previous word, or past the end of the next one. */
function* wordMove(st: EditState, dir: number): UserGen<void> {
  let i = st.cur;
  if (dir < 0) {
    while (i > 0 && st.buf[i - 1] === " ") i--;
    while (i > 0 && st.buf[i - 1] !== " ") i--;
  } else {
    while (i < st.buf.length && st.buf[i] === " ") i++;
    while (i < st.buf.length && st.buf[i] !== " ") i++;
  }
  if (i === st.cur) return;
  st.cur = i;
  yield* redraw(st);
}

function* insert(st: EditState, text: string): UserGen<void> {
  const chars = [...text];
  st.buf.splice(st.cur, 0, ...chars);
  st.cur += chars.length;
  if (st.cur !== st.buf.length) {
    yield* redraw(st);
    return;
  }
  // typing at the end: just echo it
  const [r, c] = place(st, st.cur);
  st.row = r;
  yield* puts(1, c === 0 ? `${text} \b` : text);
}

function* listDir(dir: string): UserGen<string[]> {
  const fd = yield* open(dir || ".", O_DIRECTORY);
  if (fd < 0) return [];
  const names: string[] = [];
  for (;;) {
    const ents = yield* getdents(fd);
    if (typeof ents === "number" || ents.length === 0) break;
    for (const e of ents) if (e.d_name !== "." && e.d_name !== "..") names.push(e.d_name);
  }
  yield* close(fd);
  return names;
}

/** The completions of the word before the cursor, and the word's start. */
function* completions(sh: Shell, st: EditState): UserGen<{ start: number; list: string[] }> {
  const before = st.buf.slice(0, st.cur).join("");
  const m = /[^\s;|&<>()]*$/.exec(before)!;
  const word = m[0];
  const start = st.cur - [...word].length;
  const head = before.slice(0, before.length - word.length);
  const command = /(^|[;|&(])\s*$/.test(head) && !word.includes("/");
  const out = new Set<string>();
  if (command) {
    for (const n of [...BUILTINS.keys(), ...sh.funcs.keys(), ...sh.aliases.keys()])
      if (n.startsWith(word)) out.add(n);
    for (const dir of (sh.vars.get("PATH") ?? "").split(":"))
      for (const n of yield* listDir(dir || ".")) if (n.startsWith(word)) out.add(n);
  } else {
    const slash = word.lastIndexOf("/");
    const dir = slash >= 0 ? word.slice(0, slash + 1) : "";
    const base = word.slice(slash + 1);
    for (const n of yield* listDir(dir || ".")) {
      if (!n.startsWith(base) || (n.startsWith(".") && !base.startsWith("."))) continue;
      const s = yield* stat(`${dir}${n}`);
      out.add(`${dir}${n}${typeof s !== "number" && S_ISDIR(s.st_mode) ? "/" : ""}`);
    }
  }
  return { start, list: [...out].sort() };
}

function* complete(sh: Shell, st: EditState): UserGen<void> {
  const { start, list } = yield* completions(sh, st);
  if (list.length === 0) return;
  const word = st.buf.slice(start, st.cur).join("");
  let common = list[0];
  for (const x of list) while (!x.startsWith(common)) common = common.slice(0, -1);
  if (list.length === 1) {
    const add = common.slice(word.length) + (common.endsWith("/") ? "" : " ");
    yield* insert(st, add);
    return;
  }
  if (common.length > word.length) {
    yield* insert(st, common.slice(word.length));
    return;
  }
  if (!st.lastTab) return;
  const width = Math.max(...list.map((x) => x.length)) + 2;
  const cols = Math.max(1, Math.floor(80 / width));
  let out = "\n";
  list.forEach((x, i) => {
    out +=
      (i % cols === cols - 1 || i === list.length - 1 ? x : x.padEnd(width)) +
      (i % cols === cols - 1 ? "\n" : "");
  });
  if (!out.endsWith("\n")) out += "\n";
  yield* puts(1, out);
  st.row = 0;
  yield* redraw(st);
}

function* historyMove(sh: Shell, st: EditState, dir: number): UserGen<void> {
  const h = sh.history;
  const np = st.hpos + dir;
  if (np < 0 || np > h.length) return;
  if (st.hpos === h.length) st.saved = st.buf.join("");
  st.hpos = np;
  st.buf = [...(np === h.length ? st.saved : h[np])];
  st.cur = st.buf.length;
  yield* redraw(st);
}

/** read_line_input: one edited line with its newline; null at end of input. */
export function* lineedit(sh: Shell, prompt: string): UserGen<string | null> {
  const old = yield* ioctl<Termios>(0, TCGETS);
  if (typeof old === "number") {
    yield* puts(2, prompt);
    const r = yield* read(0, 4096);
    return typeof r === "number" || r.length === 0 ? null : dec(r);
  }
  const raw: Termios = {
    ...old,
    c_lflag: old.c_lflag & ~(ICANON | ECHO | ECHONL | ISIG),
    c_cc: [...old.c_cc],
  };
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  yield* ioctl(0, TCSETSW, raw);
  const ws = yield* ioctl<Winsize>(0, TIOCGWINSZ);
  const last = prompt.slice(prompt.lastIndexOf("\n") + 1);
  const st: EditState = {
    buf: [],
    cur: 0,
    prompt: last,
    plen: [...last.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")].length,
    width: typeof ws === "number" || ws.ws_col <= 0 ? 80 : ws.ws_col,
    row: 0,
    hpos: sh.history.length,
    saved: "",
    lastTab: false,
  };
  yield* puts(1, prompt);
  let pending: number[] = [];
  try {
    for (;;) {
      if (pending.length === 0) {
        const r = yield* read(0, 256);
        if (typeof r === "number") {
          if (r === -EINTR) continue;
          return null;
        }
        if (r.length === 0) return null;
        pending = [...r];
      }
      const c = pending.shift()!;
      const tab = c === 9;
      if (c === 13 || c === 10) {
        yield* puts(1, "\n");
        const line = st.buf.join("");
        if (line.trim() && sh.history[sh.history.length - 1] !== line) {
          sh.history.push(line);
          if (sh.history.length > 255) sh.history.shift();
        }
        return `${line}\n`;
      }
      if (c === 4) {
        if (st.buf.length === 0) {
          yield* puts(1, "\n");
          return null;
        }
        if (st.cur < st.buf.length) {
          st.buf.splice(st.cur, 1);
          yield* redraw(st);
        }
      } else if (c === 3) {
        // ^C: the line (and any continuation lines before it) is abandoned
        yield* puts(1, "^C");
        throw new ShellInterrupt(130);
      } else if (c === 1) {
        st.cur = 0;
        yield* redraw(st);
      } else if (c === 5) {
        st.cur = st.buf.length;
        yield* redraw(st);
      } else if (c === 2) yield* left(st);
      else if (c === 6) yield* right(st);
      else if (c === 8 || c === 127) {
        if (st.cur > 0) {
          const [, col] = place(st, st.cur);
          st.buf.splice(--st.cur, 1);
          if (st.cur === st.buf.length && col > 0) yield* puts(1, "\b \b");
          else yield* redraw(st);
        }
      } else if (c === 21) {
        st.buf.splice(0, st.cur);
        st.cur = 0;
        yield* redraw(st);
      } else if (c === 11) {
        st.buf.length = st.cur;
        yield* redraw(st);
      } else if (c === 23) {
        let i = st.cur;
        while (i > 0 && st.buf[i - 1] === " ") i--;
        while (i > 0 && st.buf[i - 1] !== " ") i--;
        st.buf.splice(i, st.cur - i);
        st.cur = i;
        yield* redraw(st);
      } else if (c === 12) {
        yield* puts(1, "\x1b[H\x1b[J");
        st.row = 0;
        yield* redraw(st);
      } else if (c === 16) yield* historyMove(sh, st, -1);
      else if (c === 14) yield* historyMove(sh, st, 1);
      else if (tab) yield* complete(sh, st);
      else if (c === 27) {
        // ESC [ X, ESC [ n ~, ESC O X; or Alt-b / Alt-f (ESC b, ESC f): a word left or right
        const more = function* (): UserGen<void> {
          if (pending.length) return;
          const r = yield* read(0, 16);
          if (typeof r !== "number") pending.push(...r);
        };
        yield* more();
        const a = pending.shift();
        if (a === 98 || a === 102) {
          yield* wordMove(st, a === 98 ? -1 : 1);
          st.lastTab = false;
          continue;
        }
        if (a !== 91 && a !== 79) continue;
        yield* more();
        let b = pending.shift();
        let num = "";
        while (b !== undefined && b >= 48 && b <= 57) {
          num += String.fromCharCode(b);
          b = pending.shift();
          if (b === undefined) {
            const r = yield* read(0, 16);
            if (typeof r !== "number") pending.push(...r);
            b = pending.shift();
          }
        }
        const key = b === 126 ? `~${num}` : String.fromCharCode(b ?? 0);
        if (key === "A") yield* historyMove(sh, st, -1);
        else if (key === "B") yield* historyMove(sh, st, 1);
        else if (key === "C") yield* right(st);
        else if (key === "D") yield* left(st);
        else if (key === "H" || key === "~1" || key === "~7") {
          st.cur = 0;
          yield* redraw(st);
        } else if (key === "F" || key === "~4" || key === "~8") {
          st.cur = st.buf.length;
          yield* redraw(st);
        } else if (key === "~3" && st.cur < st.buf.length) {
          st.buf.splice(st.cur, 1);
          yield* redraw(st);
        }
      } else if (c >= 32) {
        // a UTF-8 sequence arrives whole in one read in practice
        let bytes = [c];
        if (c >= 0xc0) {
          const need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
          bytes = [c, ...pending.splice(0, need)];
        }
        yield* insert(st, dec(new Uint8Array(bytes)));
      }
      st.lastTab = tab;
    }
  } finally {
    yield* ioctl(0, TCSETSW, old);
  }
}
