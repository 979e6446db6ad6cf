/*
 * vt-buffer.ts - the cells of a terminal screen: lines of characters with
 * their attributes, and the operations an escape sequence performs on them
 * (erase, scroll a region, insert and delete characters and lines, SGR).
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

/** SGR (CSI ... m): `attr` with parameters `ps` applied: attributes and colours (16, 256 and, approximated, 24-bit). */
export function applySgr(attr: number, ps: number[]): number {
  let a = attr;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (p === 0) a = DEFAULT_ATTR;
    else if (p === 1) a |= A_BOLD;
    else if (p === 2) a |= A_DIM;
    else if (p === 3) a |= A_ITALIC;
    else if (p === 4) a |= A_UNDERLINE;
    else if (p === 5) a |= A_BLINK;
    else if (p === 7) a |= A_INVERSE;
    else if (p === 8) a |= A_HIDDEN;
    else if (p === 9) a |= A_STRIKE;
    else if (p === 21 || p === 22) a &= ~(A_BOLD | A_DIM);
    else if (p === 23) a &= ~A_ITALIC;
    else if (p === 24) a &= ~A_UNDERLINE;
    else if (p === 25) a &= ~A_BLINK;
    else if (p === 27) a &= ~A_INVERSE;
    else if (p === 28) a &= ~A_HIDDEN;
    else if (p === 29) a &= ~A_STRIKE;
    else if (p >= 30 && p <= 37) a = withFg(a, p - 30);
    else if (p === 39) a = withFg(a, COLOR_DEFAULT);
    else if (p >= 40 && p <= 47) a = withBg(a, p - 40);
    else if (p === 49) a = withBg(a, COLOR_DEFAULT);
    else if (p >= 90 && p <= 97) a = withFg(a, p - 90 + 8);
    else if (p >= 100 && p <= 107) a = withBg(a, p - 100 + 8);
    else if (p === 38 || p === 48) {
      let c = -1;
      if (ps[i + 1] === 5) {
        c = (ps[i + 2] ?? 0) & 0xff;
        i += 2;
      } else if (ps[i + 1] === 2) {
        c = rgbTo256(ps[i + 2] ?? 0, ps[i + 3] ?? 0, ps[i + 4] ?? 0);
        i += 4;
      }
      if (c >= 0) a = p === 38 ? withFg(a, c) : withBg(a, c);
    }
  }
  return a;
}

/** The nearest colour of xterm's 6x6x6 cube. */
function rgbTo256(r: number, g: number, b: number): number {
  const q = (v: number): number => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40)));
  return 16 + 36 * q(r) + 6 * q(g) + q(b);
}
