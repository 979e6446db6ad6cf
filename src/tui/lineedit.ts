/*
 * lineedit.ts - the console's line editor on the host side, for when the
 * program reading the console leaves line editing to the tty (canonical
 * mode: the temporary shell, `cat`, `read`). Like a terminal with local
 * editing or rlwrap, it edits the line on the terminal emulator's screen and
 * types it at the console whole when Enter is pressed; the tty then echoes
 * it, so the screen ends up exactly as if it had been typed key by key.
 *
 *   keys ──▶ LineEditor.key() ──(edits buf, redraws on the Vt)──▶ ""
 *                             └─(Enter, ^C, ^D on an empty line)─▶ bytes for the console
 *
 * It is active only while Machine.consoleWantsLine() holds (driver.ts
 * checks before each key). A shell that edits lines itself (BusyBox
 * lineedit puts the tty in raw mode) gets every key as it is.
 *
 * Keys, as BusyBox lineedit binds them: Left/Right (^B/^F), Home/End
 * (^A/^E), Alt-b/Alt-f word left/right, Backspace, Delete (^D on a non-empty
 * line), ^U/^K kill to start/end, ^W kill the word before, Up/Down (^P/^N)
 * history, Tab completion (complete.ts; a second Tab lists the matches), ^L
 * clears the screen, ^C/^Z/^\ go to the tty with the line (its ISIG chars).
 *
 * The line is drawn from a start position (x, y) just after the prompt:
 * a redraw moves there, erases to the end of the screen, writes the line
 * and puts the cursor at its place, following the screen when a long line
 * scrolls it. Machine output that arrives while a line is being edited
 * (a background job) is written where the line was, and the prompt and the
 * line are drawn again below it, as readline does.
 */

import { type CompletionSource, columns, complete } from "./complete.js";
import { toBytes } from "./keys.js";
import type { Vt } from "./vt.js";

/** How many lines the history keeps (BusyBox's MAX_HISTORY default is 255). */
export const HISTORY_MAX = 255;

interface Edit {
  /** The line, one code point per element. */
  buf: string[];
  /** Cursor index in buf. */
  cur: number;
  /** Screen position where buf starts (just after the prompt). */
  x: number;
  y: number;
  /** The prompt's text, to draw it again after output or ^L. */
  prompt: string;
  /** Position in the history while browsing it (history.length: the new line). */
  hist: number;
  /** The new line, kept while browsing the history. */
  draft: string[];
  /** The previous key was Tab (a second one lists the matches). */
  tab: boolean;
}

/** Keys that go to the tty with the line typed so far: its signal characters. */
const SIGNAL_KEYS = new Set(["\x03", "\x1a", "\x1c"]);
const LEFT = new Set(["\x1b[D", "\x1bOD", "\x02"]);
const RIGHT = new Set(["\x1b[C", "\x1bOC", "\x06"]);
const HOME = new Set(["\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~", "\x01"]);
const END = new Set(["\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~", "\x05"]);
const UP = new Set(["\x1b[A", "\x1bOA", "\x10"]);
const DOWN = new Set(["\x1b[B", "\x1bOB", "\x0e"]);
const WORD_LEFT = new Set(["\x1bb", "\x1b[1;5D", "\x1b[1;3D"]);
const WORD_RIGHT = new Set(["\x1bf", "\x1b[1;5C", "\x1b[1;3C"]);

export class LineEditor {
  private e: Edit | null = null;
  readonly history: string[] = [];

  constructor(
    private readonly vt: Vt,
    private readonly src: CompletionSource,
  ) {}

  /** A line is being edited. */
  get active(): boolean {
    return this.e !== null;
  }

  /** The line being edited ("" when none). */
  get line(): string {
    return this.e ? this.e.buf.join("") : "";
  }

  /** Starts editing a line at the cursor; what is left of it on its row is the prompt. */
  begin(): void {
    const vt = this.vt;
    const row = vt.lines[vt.y];
    let prompt = "";
    for (let i = 0; i < vt.x && i < row.cols; i++) prompt += String.fromCodePoint(row.ch[i]);
    this.e = { buf: [], cur: 0, x: vt.x, y: vt.y, prompt, hist: this.history.length, draft: [], tab: false };
  }

  /** The console stopped waiting for a line: the text goes to it as typed-ahead keys. */
  abandon(): string {
    const e = this.e;
    if (!e) return "";
    this.erase();
    this.e = null;
    return toBytes(e.buf.join(""));
  }

  /**
   * One key while editing. Returns the bytes to type at the console ("" when
   * the key only edited the line); the editing ends when they are not "".
   */
  key(k: string): string {
    const e = this.e;
    if (!e) return toBytes(k);
    const wasTab = e.tab;
    e.tab = false;
    if (k === "\r" || k === "\n") return this.finish(`${this.remember()}\r`);
    if (SIGNAL_KEYS.has(k)) return this.finish(toBytes(e.buf.join("")) + k);
    if (k === "\x04" && e.buf.length === 0) return this.finish("\x04");
    if (k === "\t") this.tab(wasTab);
    else if (k === "\x7f" || k === "\b") {
      if (e.cur > 0) e.buf.splice(--e.cur, 1);
    } else if (k === "\x04" || k === "\x1b[3~") e.buf.splice(e.cur, 1);
    else if (LEFT.has(k)) e.cur = Math.max(0, e.cur - 1);
    else if (RIGHT.has(k)) e.cur = Math.min(e.buf.length, e.cur + 1);
    else if (HOME.has(k)) e.cur = 0;
    else if (END.has(k)) e.cur = e.buf.length;
    else if (WORD_LEFT.has(k)) e.cur = this.wordStart(e.cur);
    else if (WORD_RIGHT.has(k)) e.cur = this.wordEnd(e.cur);
    else if (k === "\x15") {
      e.buf.splice(0, e.cur);
      e.cur = 0;
    } else if (k === "\x0b") e.buf.length = e.cur;
    else if (k === "\x17") {
      const from = this.wordStart(e.cur);
      e.buf.splice(from, e.cur - from);
      e.cur = from;
    } else if (UP.has(k)) this.browse(-1);
    else if (DOWN.has(k)) this.browse(1);
    else if (k === "\x0c") {
      this.vt.write("\x1b[H\x1b[2J");
      this.reprompt();
      return "";
    } else if (k.codePointAt(0)! >= 0x20 && k !== "\x7f" && !k.startsWith("\x1b")) {
      const chars = [...k];
      e.buf.splice(e.cur, 0, ...chars);
      e.cur += chars.length;
    }
    this.draw();
    return "";
  }

  /** Machine output arrives while editing: it goes where the line was, then prompt and line are drawn again. */
  output(bytes: string): void {
    if (!this.e) {
      this.vt.write(bytes);
      return;
    }
    this.erase();
    this.vt.write(bytes);
    if (this.vt.x !== 0) this.vt.write("\r\n");
    this.reprompt(false);
  }

  /** The screen is being resized: take the line off, let `resize` run, draw it again. */
  resize(resize: () => void): void {
    if (!this.e) {
      resize();
      return;
    }
    this.erase();
    resize();
    this.e.x = this.vt.x;
    this.e.y = this.vt.y;
    this.draw();
  }

  private finish(bytes: string): string {
    this.erase();
    this.e = null;
    return bytes;
  }

  /** Adds the line to the history (not blank lines, not a repeat of the last one) and returns it as bytes. */
  private remember(): string {
    const line = this.e!.buf.join("");
    if (line.trim() && this.history.at(-1) !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_MAX) this.history.shift();
    }
    return toBytes(line);
  }

  private browse(dir: number): void {
    const e = this.e!;
    const to = e.hist + dir;
    if (to < 0 || to > this.history.length) return;
    if (e.hist === this.history.length) e.draft = e.buf;
    e.hist = to;
    e.buf = to === this.history.length ? e.draft : [...this.history[to]];
    e.cur = e.buf.length;
  }

  private tab(again: boolean): void {
    const e = this.e!;
    const line = e.buf.join("");
    const c = complete(line, e.buf.slice(0, e.cur).join("").length, this.src);
    e.tab = c.matches.length > 1;
    if (c.insert) {
      const chars = [...c.insert];
      e.buf.splice(e.cur, 0, ...chars);
      e.cur += chars.length;
    } else if (e.tab && again) {
      // List them under the line, then the prompt and the line again (lineedit's showfiles).
      this.erase();
      this.vt.write(`${toBytes(line)}\r\n${columns(c.matches, this.vt.cols).map(toBytes).join("\r\n")}\r\n`);
      this.reprompt(false);
    }
  }

  private wordStart(i: number): number {
    const b = this.e!.buf;
    while (i > 0 && b[i - 1] === " ") i--;
    while (i > 0 && b[i - 1] !== " ") i--;
    return i;
  }

  private wordEnd(i: number): number {
    const b = this.e!.buf;
    while (i < b.length && b[i] === " ") i++;
    while (i < b.length && b[i] !== " ") i++;
    return i;
  }

  /** Draws the prompt at the cursor (a fresh line unless `here`), then the line. */
  private reprompt(here = true): void {
    const e = this.e!;
    if (!here && this.vt.x !== 0) this.vt.write("\r\n");
    this.vt.write(toBytes(e.prompt));
    e.x = this.vt.x;
    e.y = this.vt.y;
    this.draw();
  }

  /** Takes the line off the screen; the cursor is left at its start. */
  private erase(): void {
    const e = this.e;
    if (!e) return;
    // A long line may begin above the screen (it scrolled): then all of the screen is the line.
    this.vt.write(e.y < 0 ? "\x1b[H\x1b[J" : `\x1b[${e.y + 1};${e.x + 1}H\x1b[J`);
  }

  /** Draws the line from its start and places the cursor. */
  private draw(): void {
    const e = this.e!;
    const vt = this.vt;
    const cols = vt.cols;
    const bottom = vt.rows - 1;
    // The part above the screen (a line longer than the screen) is not drawn.
    const skip = e.y < 0 ? -e.y * cols - e.x : 0;
    this.erase();
    vt.write(toBytes(e.buf.slice(skip).join("")));
    // Writing past the bottom row scrolled the screen: the start moved up with it.
    if (e.buf.length) {
      const last = e.y + Math.floor((e.x + e.buf.length - 1) / cols);
      if (last > bottom) e.y -= last - bottom;
    }
    const off = e.x + e.cur;
    let row = e.y + Math.floor(off / cols);
    if (row > bottom) {
      // The cursor is past the end of a line that fills the bottom row: scroll one more.
      vt.write(`\x1b[${bottom + 1};1H\n`);
      e.y -= row - bottom;
      row = bottom;
    }
    vt.write(row < 0 ? "\x1b[H" : `\x1b[${row + 1};${(off % cols) + 1}H`);
  }
}
