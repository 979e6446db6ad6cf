/*
 * vt.ts - a small VT100/ANSI terminal emulator: what the machine's serial
 * console is plugged into in the TUI (the role xterm plays for
 * `qemu-system-arm -nographic`).
 *
 * Console bytes go through a parser (the state machine of Paul Williams'
 * "A parser for DEC's ANSI-compatible video terminals", trimmed):
 *
 *   GROUND --ESC--> ESCAPE --[--> CSI (params, ?, final byte) --> GROUND
 *                          --]/P/X/^/_--> STRING (OSC, DCS...: ignored until BEL or ESC \)
 *                          --( ) # %--> ESC_INTER (one more byte: charset, ignored)
 *                          --7 8 D E M c--> the action, GROUND
 *
 * and act on a screen of cells (vt-buffer.ts): enough for BusyBox lineedit
 * (CR, BS, ESC[K, ESC[nC/D, ESC[6n cursor reports), `clear` (ESC[H ESC[J),
 * `top` (home, erase, reverse video), and colours. Lines scrolled off the
 * top of the whole-screen region go to the scrollback. Bytes are UTF-8.
 *
 * Simplified: no character sets (line drawing), no insert mode, no mouse,
 * tab stops fixed every 8 columns, one cell per character.
 */

import { applySgr, blankAttr, DEFAULT_ATTR, Line, scrollDown, scrollUp } from "./vt-buffer.js";

enum P {
  GROUND,
  ESCAPE,
  ESC_INTER,
  CSI,
  STRING,
  STRING_ESC,
}

/**
 * Lines kept above the screen: at least this many, at most twice as many.
 * The oldest are cut in batches: cutting one line off the front of a
 * 2,000-line array at every line feed cost more than all the rest of
 * showing a flood of output (`yes`).
 */
export const SCROLLBACK_LINES = 2000;

interface Saved {
  x: number;
  y: number;
  attr: number;
}

export class Vt {
  cols: number;
  rows: number;
  /** The lines on screen (the alternate screen's while it is active). */
  lines: Line[] = [];
  /** Lines that scrolled off the top, oldest first. */
  scrollback: Line[] = [];
  x = 0;
  y = 0;
  attr = DEFAULT_ATTR;
  cursorVisible = true;
  /** Bumped on every change: the front end redraws when it moves. */
  version = 0;
  /** Answers the terminal sends back (cursor position reports): keyboard input for the machine. */
  onReply: (s: string) => void = () => {};

  /** Lines last cut from the scrollback, reused as blank lines (fewer allocations in a flood). */
  private spare: Line[] = [];
  private pendingWrap = false;
  private autowrap = true;
  private top = 0;
  private bottom: number;
  private saved: Saved = { x: 0, y: 0, attr: DEFAULT_ATTR };
  private altSaved: { lines: Line[]; saved: Saved } | null = null;
  private state = P.GROUND;
  private params = "";
  private utf8 = { need: 0, cp: 0 };

  constructor(cols = 80, rows = 24) {
    this.cols = cols;
    this.rows = rows;
    this.bottom = rows - 1;
    for (let i = 0; i < rows; i++) this.lines.push(new Line(cols));
  }

  /** Feeds console bytes (a latin1 string of bytes; code points above 255 are taken as characters). */
  write(data: string): void {
    for (let i = 0; i < data.length; i++) this.byte(data.charCodeAt(i));
    this.version++;
  }

  /** The screen as text: one line per row, trailing blanks removed. */
  text(): string {
    return this.lines.map((l) => l.text()).join("\n");
  }

  /** The rows to show when scrolled back `offset` lines (0: the live screen). */
  view(offset: number): Line[] {
    offset = Math.max(0, Math.min(offset, this.scrollback.length));
    if (offset === 0) return this.lines;
    const sb = this.scrollback.slice(this.scrollback.length - offset);
    return [...sb, ...this.lines].slice(0, this.rows);
  }

  get altScreen(): boolean {
    return this.altSaved !== null;
  }

  /**
   * Changes the size. Growing pulls lines back from the scrollback and
   * shrinking pushes top lines into it, so the cursor's line stays on screen
   * (as xterm does); line contents are cut or padded.
   */
  resize(cols: number, rows: number): void {
    cols = Math.max(1, Math.floor(cols));
    rows = Math.max(1, Math.floor(rows));
    if (cols === this.cols && rows === this.rows) return;
    const main = !this.altScreen;
    let lines = this.lines.map((l) => l.resized(cols));
    // Shrinking: blank lines below the cursor go first, then lines above it (to the scrollback).
    while (lines.length > rows && this.y < lines.length - 1 && lines[lines.length - 1].text() === "")
      lines.pop();
    while (lines.length > rows && this.y >= rows) {
      const gone = lines.shift()!;
      if (main) this.pushScrollback(gone);
      this.y--;
    }
    lines.length = Math.min(lines.length, rows);
    while (lines.length < rows) {
      const back = main ? this.scrollback.pop() : undefined;
      if (back) {
        lines = [back.resized(cols), ...lines];
        this.y++;
      } else lines.push(new Line(cols));
    }
    this.lines = lines;
    if (this.altSaved) this.altSaved.lines = this.altSaved.lines.map((l) => l.resized(cols)).slice(0, rows);
    while (this.altSaved && this.altSaved.lines.length < rows) this.altSaved.lines.push(new Line(cols));
    this.cols = cols;
    this.rows = rows;
    this.top = 0;
    this.bottom = rows - 1;
    this.x = Math.min(this.x, cols - 1);
    this.y = Math.max(0, Math.min(this.y, rows - 1));
    this.pendingWrap = false;
    this.version++;
  }

  /* ---- the parser ---- */

  private byte(c: number): void {
    switch (this.state) {
      case P.GROUND:
        if (c < 0x20 || c === 0x7f) this.control(c);
        else this.printable(c);
        return;
      case P.ESCAPE:
        this.escape(c);
        return;
      case P.ESC_INTER:
        this.state = P.GROUND;
        return;
      case P.CSI:
        if (c === 0x1b) this.state = P.ESCAPE;
        else if (c === 0x18 || c === 0x1a) this.state = P.GROUND;
        else if (c < 0x20) this.control(c);
        else if (c >= 0x40 && c <= 0x7e) {
          this.state = P.GROUND;
          this.csi(String.fromCharCode(c));
        } else this.params += String.fromCharCode(c);
        return;
      case P.STRING:
        if (c === 0x07 || c === 0x18 || c === 0x1a) this.state = P.GROUND;
        else if (c === 0x1b) this.state = P.STRING_ESC;
        return;
      case P.STRING_ESC:
        this.state = c === 0x5c ? P.GROUND : P.STRING;
        return;
    }
  }

  /** A printable byte: UTF-8 decoding, then the character. */
  private printable(c: number): void {
    const u = this.utf8;
    if (c < 0x80 || c > 0xff) {
      if (u.need) this.put(0xfffd);
      u.need = 0;
      this.put(c);
    } else if (c >= 0xc0) {
      if (u.need) this.put(0xfffd);
      u.need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      u.cp = c & (0x3f >> u.need);
    } else if (u.need) {
      u.cp = (u.cp << 6) | (c & 0x3f);
      if (--u.need === 0) this.put(u.cp);
    } else this.put(0xfffd);
  }

  private control(c: number): void {
    switch (c) {
      case 0x07: // BEL
        return;
      case 0x08: // BS
        this.x = Math.max(0, this.x - 1);
        this.pendingWrap = false;
        return;
      case 0x09: // HT
        this.x = Math.min(this.cols - 1, (Math.floor(this.x / 8) + 1) * 8);
        this.pendingWrap = false;
        return;
      case 0x0a: // LF, VT, FF
      case 0x0b:
      case 0x0c:
        this.lineFeed();
        return;
      case 0x0d: // CR
        this.x = 0;
        this.pendingWrap = false;
        return;
      case 0x1b:
        this.state = P.ESCAPE;
        this.params = "";
        return;
      case 0x18: // CAN, SUB: abort a sequence
      case 0x1a:
        this.state = P.GROUND;
        return;
    }
  }

  private escape(c: number): void {
    this.state = P.GROUND;
    switch (String.fromCharCode(c)) {
      case "[":
        this.state = P.CSI;
        this.params = "";
        return;
      case "]":
      case "P":
      case "X":
      case "^":
      case "_":
        this.state = P.STRING;
        return;
      case "(":
      case ")":
      case "*":
      case "+":
      case "#":
      case "%":
        this.state = P.ESC_INTER;
        return;
      case "7":
        this.saved = { x: this.x, y: this.y, attr: this.attr };
        return;
      case "8":
        this.restoreCursor();
        return;
      case "D": // IND
        this.lineFeed();
        return;
      case "E": // NEL
        this.x = 0;
        this.lineFeed();
        return;
      case "M": // RI
        if (this.y === this.top) scrollDown(this.lines, this.top, this.bottom, 1, this.cols, this.attr);
        else this.y = Math.max(0, this.y - 1);
        this.pendingWrap = false;
        return;
      case "c": // RIS
        this.reset();
        return;
    }
  }

  /* ---- actions ---- */

  private put(cp: number): void {
    if (this.pendingWrap && this.autowrap) {
      this.lines[this.y].wrapped = true;
      this.x = 0;
      this.lineFeed();
    }
    const l = this.lines[this.y];
    l.ch[this.x] = cp;
    l.at[this.x] = this.attr;
    l.touch();
    if (this.x === this.cols - 1) this.pendingWrap = true;
    else this.x++;
  }

  private lineFeed(): void {
    this.pendingWrap = false;
    if (this.y === this.bottom && this.top === 0 && this.bottom === this.rows - 1 && !this.altScreen) {
      // The common case, once per line of a flood of output: the top line goes to the
      // scrollback and a recycled one enters at the bottom.
      this.pushScrollback(this.lines.shift()!);
      this.lines.push(this.blankLine());
    } else if (this.y === this.bottom) {
      const gone = scrollUp(this.lines, this.top, this.bottom, 1, this.cols, this.attr);
      if (this.top === 0 && !this.altScreen) for (const l of gone) this.pushScrollback(l);
    } else if (this.y < this.rows - 1) this.y++;
  }

  private pushScrollback(l: Line): void {
    this.scrollback.push(l);
    if (this.scrollback.length > 2 * SCROLLBACK_LINES)
      this.spare = this.scrollback.splice(0, this.scrollback.length - SCROLLBACK_LINES);
  }

  /** A blank line for the bottom of the screen: one cut from the scrollback if any fits. */
  private blankLine(): Line {
    let l = this.spare.pop();
    while (l && l.cols !== this.cols) l = this.spare.pop();
    if (!l) return new Line(this.cols, blankAttr(this.attr));
    l.erase(0, this.cols, this.attr);
    l.wrapped = false;
    return l;
  }

  private restoreCursor(): void {
    this.x = Math.min(this.saved.x, this.cols - 1);
    this.y = Math.min(this.saved.y, this.rows - 1);
    this.attr = this.saved.attr;
    this.pendingWrap = false;
  }

  private goto(x: number, y: number): void {
    this.x = Math.max(0, Math.min(x, this.cols - 1));
    this.y = Math.max(0, Math.min(y, this.rows - 1));
    this.pendingWrap = false;
  }

  private reset(): void {
    this.altSaved = null;
    this.lines = [];
    for (let i = 0; i < this.rows; i++) this.lines.push(new Line(this.cols));
    this.attr = DEFAULT_ATTR;
    this.top = 0;
    this.bottom = this.rows - 1;
    this.autowrap = true;
    this.cursorVisible = true;
    this.goto(0, 0);
  }

  private csi(final: string): void {
    const priv = this.params.startsWith("?");
    const ps = (priv ? this.params.slice(1) : this.params)
      .split(";")
      .map((p) => (p === "" ? 0 : Number.parseInt(p, 10) || 0));
    const n = Math.max(1, ps[0]); // a count: missing or 0 means 1
    const l = this.lines[this.y];
    switch (final) {
      case "A": // CUU
        this.goto(this.x, Math.max(this.y - n, this.y >= this.top ? this.top : 0));
        return;
      case "B": // CUD
        this.goto(this.x, Math.min(this.y + n, this.y <= this.bottom ? this.bottom : this.rows - 1));
        return;
      case "C": // CUF
        this.goto(this.x + n, this.y);
        return;
      case "D": // CUB
        this.goto(this.x - n, this.y);
        return;
      case "E": // CNL
        this.goto(0, this.y + n);
        return;
      case "F": // CPL
        this.goto(0, this.y - n);
        return;
      case "G": // CHA
      case "`": // HPA
        this.goto(n - 1, this.y);
        return;
      case "d": // VPA
        this.goto(this.x, n - 1);
        return;
      case "H": // CUP
      case "f":
        this.goto(Math.max(1, ps[1] ?? 1) - 1, n - 1);
        return;
      case "J": // ED
        this.eraseDisplay(ps[0]);
        return;
      case "K": // EL
        if (ps[0] === 0) l.erase(this.x, this.cols, this.attr);
        else if (ps[0] === 1) l.erase(0, this.x + 1, this.attr);
        else if (ps[0] === 2) l.erase(0, this.cols, this.attr);
        this.pendingWrap = false;
        return;
      case "X": // ECH
        l.erase(this.x, this.x + n, this.attr);
        return;
      case "@": // ICH
        l.insertBlanks(this.x, n, this.attr);
        return;
      case "P": // DCH
        l.deleteChars(this.x, n, this.attr);
        this.pendingWrap = false;
        return;
      case "L": // IL
        if (this.y >= this.top && this.y <= this.bottom)
          scrollDown(this.lines, this.y, this.bottom, n, this.cols, this.attr);
        this.x = 0;
        return;
      case "M": // DL
        if (this.y >= this.top && this.y <= this.bottom)
          scrollUp(this.lines, this.y, this.bottom, n, this.cols, this.attr);
        this.x = 0;
        return;
      case "S": // SU
        scrollUp(this.lines, this.top, this.bottom, n, this.cols, this.attr);
        return;
      case "T": // SD
        scrollDown(this.lines, this.top, this.bottom, n, this.cols, this.attr);
        return;
      case "m":
        this.attr = applySgr(this.attr, ps);
        return;
      case "r": {
        // DECSTBM
        const t = Math.max(1, ps[0]) - 1;
        const b = Math.min(this.rows, ps[1] || this.rows) - 1;
        if (t < b) {
          this.top = t;
          this.bottom = b;
          this.goto(0, 0);
        }
        return;
      }
      case "s":
        this.saved = { x: this.x, y: this.y, attr: this.attr };
        return;
      case "u":
        this.restoreCursor();
        return;
      case "n": // DSR
        if (ps[0] === 6) this.onReply(`\x1b[${this.y + 1};${this.x + 1}R`);
        else if (ps[0] === 5) this.onReply("\x1b[0n");
        return;
      case "c": // DA: "a VT102"
        if (!priv && ps[0] === 0) this.onReply("\x1b[?6c");
        return;
      case "h":
      case "l":
        if (priv) for (const p of ps) this.mode(p, final === "h");
        return;
    }
  }

  private eraseDisplay(how: number): void {
    const l = this.lines[this.y];
    if (how === 0) {
      l.erase(this.x, this.cols, this.attr);
      for (let y = this.y + 1; y < this.rows; y++) this.lines[y].erase(0, this.cols, this.attr);
    } else if (how === 1) {
      for (let y = 0; y < this.y; y++) this.lines[y].erase(0, this.cols, this.attr);
      l.erase(0, this.x + 1, this.attr);
    } else if (how === 2) {
      for (const line of this.lines) line.erase(0, this.cols, this.attr);
    } else if (how === 3) this.scrollback = [];
    this.pendingWrap = false;
  }

  /** DEC private modes: cursor visibility, autowrap, the alternate screen. */
  private mode(p: number, on: boolean): void {
    if (p === 25) this.cursorVisible = on;
    else if (p === 7) this.autowrap = on;
    else if (p === 47 || p === 1047 || p === 1049) {
      if (on && !this.altSaved) {
        this.altSaved = { lines: this.lines, saved: { x: this.x, y: this.y, attr: this.attr } };
        this.lines = [];
        for (let i = 0; i < this.rows; i++) this.lines.push(new Line(this.cols));
      } else if (!on && this.altSaved) {
        this.lines = this.altSaved.lines;
        if (p === 1049) {
          this.saved = this.altSaved.saved;
          this.restoreCursor();
        }
        this.altSaved = null;
      }
    }
  }
}
