/*
 * vt-buffer.ts - the cells of a terminal screen: lines of characters with
 * their attributes, and the operations an escape sequence performs on them
 * (erase, scroll a region, insert and delete characters and lines).
 *
 * vt.ts parses the byte stream and calls these; vt-render.ts turns a line
 * into styled text for ink. A line is two typed arrays of the screen's
 * width, the way a hardware text buffer is:
 *
 *   ch[x]  Unicode code point (32 for an empty cell)
 *   at[x]  attribute word:
 *
 *     31        26 25       18 17        9 8         0
 *    +------------+-----------+-----------+-----------+
 *    |   unused   |   flags   |  bg 0-256 |  fg 0-256 |   256: default colour
 *    +------------+-----------+-----------+-----------+
 *
 * Simplified compared to xterm: every character is one cell wide (no wide
 * CJK cells), no reflow of wrapped lines on resize (lines are cut or padded).
 */

/* Attribute flags (bits 18 and up of an attribute word). */
export const A_BOLD = 1 << 18;
export const A_DIM = 1 << 19;
export const A_ITALIC = 1 << 20;
export const A_UNDERLINE = 1 << 21;
export const A_BLINK = 1 << 22;
export const A_INVERSE = 1 << 23;
export const A_HIDDEN = 1 << 24;
export const A_STRIKE = 1 << 25;
export const A_FLAGS = 0xff << 18;

/** The colour index meaning "the terminal's default". */
export const COLOR_DEFAULT = 256;
export const DEFAULT_ATTR = COLOR_DEFAULT | (COLOR_DEFAULT << 9);

export const fgOf = (a: number): number => a & 0x1ff;
export const bgOf = (a: number): number => (a >>> 9) & 0x1ff;
export const withFg = (a: number, c: number): number => (a & ~0x1ff) | c;
export const withBg = (a: number, c: number): number => (a & ~(0x1ff << 9)) | (c << 9);

/** The attribute of a blank cell erased with attribute `a`: only its background survives (BCE). */
export const blankAttr = (a: number): number => withBg(DEFAULT_ATTR, bgOf(a));

let lineVersions = 0;

/** One screen line. `ver` changes whenever a cell does (the renderer caches by it). */
export class Line {
  ch: Uint32Array;
  at: Uint32Array;
  /** The line continues on the next one (autowrap happened at its end). */
  wrapped = false;
  ver = ++lineVersions;

  constructor(cols: number, attr = DEFAULT_ATTR) {
    this.ch = new Uint32Array(cols).fill(32);
    this.at = new Uint32Array(cols).fill(attr);
  }

  get cols(): number {
    return this.ch.length;
  }

  touch(): void {
    this.ver = ++lineVersions;
  }

  /** Cells [from, to) become blanks with attribute `attr`. */
  erase(from: number, to: number, attr: number): void {
    from = Math.max(0, from);
    to = Math.min(this.cols, to);
    if (from >= to) return;
    this.ch.fill(32, from, to);
    this.at.fill(blankAttr(attr), from, to);
    this.touch();
  }

  /** Inserts n blanks at x, shifting the rest right (ICH). */
  insertBlanks(x: number, n: number, attr: number): void {
    n = Math.min(n, this.cols - x);
    if (n <= 0) return;
    this.ch.copyWithin(x + n, x, this.cols - n);
    this.at.copyWithin(x + n, x, this.cols - n);
    this.erase(x, x + n, attr);
  }

  /** Deletes n cells at x, shifting the rest left and blanking the end (DCH). */
  deleteChars(x: number, n: number, attr: number): void {
    n = Math.min(n, this.cols - x);
    if (n <= 0) return;
    this.ch.copyWithin(x, x + n);
    this.at.copyWithin(x, x + n);
    this.erase(this.cols - n, this.cols, attr);
  }

  /** A copy cut or padded to `cols` cells. */
  resized(cols: number): Line {
    const l = new Line(cols);
    const n = Math.min(cols, this.cols);
    l.ch.set(this.ch.subarray(0, n));
    l.at.set(this.at.subarray(0, n));
    l.wrapped = this.wrapped && cols >= this.cols;
    return l;
  }

  /** The characters, trailing blanks removed. */
  text(): string {
    let end = this.cols;
    while (end > 0 && this.ch[end - 1] === 32) end--;
    let s = "";
    for (let x = 0; x < end; x++) s += String.fromCodePoint(this.ch[x]);
    return s;
  }
}

/**
 * Scrolls lines [top, bottom] of `lines` up by n: the top n leave (returned,
 * for the scrollback) and blank lines enter at the bottom.
 */
export function scrollUp(
  lines: Line[],
  top: number,
  bottom: number,
  n: number,
  cols: number,
  attr: number,
): Line[] {
  n = Math.min(n, bottom - top + 1);
  const gone = lines.splice(top, n);
  const fresh: Line[] = [];
  for (let i = 0; i < n; i++) fresh.push(new Line(cols, blankAttr(attr)));
  lines.splice(bottom - n + 1, 0, ...fresh);
  return gone;
}

/** Scrolls lines [top, bottom] down by n: blank lines enter at the top. */
export function scrollDown(
  lines: Line[],
  top: number,
  bottom: number,
  n: number,
  cols: number,
  attr: number,
): void {
  n = Math.min(n, bottom - top + 1);
  lines.splice(bottom - n + 1, n);
  const fresh: Line[] = [];
  for (let i = 0; i < n; i++) fresh.push(new Line(cols, blankAttr(attr)));
  lines.splice(top, 0, ...fresh);
}
