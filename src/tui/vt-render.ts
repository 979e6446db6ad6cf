/*
 * vt-render.ts - a screen line as text with SGR escape sequences, which is
 * what ink's <Text> draws (it keeps SGR and strips every other sequence).
 *
 * Lines are rendered once per change: the cache is keyed by the Line object
 * and its version, so a screen that scrolls re-renders only its new line.
 */

import {
  A_BLINK,
  A_BOLD,
  A_DIM,
  A_HIDDEN,
  A_INVERSE,
  A_ITALIC,
  A_STRIKE,
  A_UNDERLINE,
  bgOf,
  COLOR_DEFAULT,
  DEFAULT_ATTR,
  fgOf,
  type Line,
} from "./vt-buffer.js";

const FLAG_CODES: readonly [number, number][] = [
  [A_BOLD, 1],
  [A_DIM, 2],
  [A_ITALIC, 3],
  [A_UNDERLINE, 4],
  [A_BLINK, 5],
  [A_INVERSE, 7],
  [A_STRIKE, 9],
];

function colorCode(c: number, base: number, brightBase: number): string {
  if (c < 8) return String(base + c);
  if (c < 16) return String(brightBase + c - 8);
  return `${base + 8};5;${c}`;
}

/** The SGR sequence selecting attribute `a` from a reset state. */
export function sgrOf(a: number): string {
  const codes: string[] = ["0"];
  for (const [flag, code] of FLAG_CODES) if (a & flag) codes.push(String(code));
  if (fgOf(a) !== COLOR_DEFAULT) codes.push(colorCode(fgOf(a), 30, 90));
  if (bgOf(a) !== COLOR_DEFAULT) codes.push(colorCode(bgOf(a), 40, 100));
  return `\x1b[${codes.join(";")}m`;
}

const cache = new WeakMap<Line, { ver: number; s: string }>();

/** The line as styled text, trailing default blanks removed. */
export function renderLine(l: Line): string {
  const hit = cache.get(l);
  if (hit && hit.ver === l.ver) return hit.s;
  let end = l.cols;
  while (end > 0 && l.ch[end - 1] === 32 && l.at[end - 1] === DEFAULT_ATTR) end--;
  let s = "";
  let cur = DEFAULT_ATTR;
  for (let x = 0; x < end; x++) {
    const a = l.at[x];
    if (a !== cur) {
      s += a === DEFAULT_ATTR ? "\x1b[0m" : sgrOf(a);
      cur = a;
    }
    s += a & A_HIDDEN ? " " : String.fromCodePoint(l.ch[x]);
  }
  if (cur !== DEFAULT_ATTR) s += "\x1b[0m";
  cache.set(l, { ver: l.ver, s });
  return s;
}
