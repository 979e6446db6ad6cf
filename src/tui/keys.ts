/*
 * keys.ts - what the keyboard sends, cut into keys and sorted into what the
 * TUI keeps for itself and what goes to the machine's console.
 *
 * A terminal delivers bytes: "a", "\r", "\x03" (Ctrl-C), "\x1b[A" (Up),
 * "\x1bOQ" (F2). A paste, or keys typed while the event loop was busy,
 * arrive as one chunk ("free\r"), so chunks are split here, one key each,
 * escape sequences kept whole. Keys the TUI keeps:
 *
 *   F2                     memory panel on/off
 *   F3                     physical memory map on/off
 *   Shift-PgUp/Shift-PgDn  scroll the console back and forth
 *   Ctrl-A x               quit at once (QEMU's -nographic escape; the Ctrl-A itself
 *                          still reaches the console, where it is the line editor's Home)
 *
 * Everything else goes to the console (driver.ts: through the line editor
 * or as UTF-8 bytes).
 */

/** Cuts a chunk of terminal input into keys. */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < chunk.length) {
    if (chunk[i] !== "\x1b" || i + 1 >= chunk.length) {
      const cp = chunk.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      keys.push(chunk.slice(i, i + n));
      i += n;
      continue;
    }
    const next = chunk[i + 1];
    let end = i + 2;
    if (next === "[") {
      // CSI: parameter and intermediate bytes, then a final byte (ESC [ [ A: the Linux console's F1).
      if (chunk[end] === "[") end++;
      while (end < chunk.length && chunk.charCodeAt(end) >= 0x20 && chunk.charCodeAt(end) < 0x40) end++;
      end = Math.min(end + 1, chunk.length);
    } else if (next === "O") end = Math.min(i + 3, chunk.length);
    else if (next === "\x1b") end = i + 1; // ESC ESC: a lone Escape, then whatever follows
    keys.push(chunk.slice(i, end));
    i = end;
  }
  return keys;
}

const F2 = new Set(["\x1bOQ", "\x1b[12~", "\x1b[[B"]);
const F3 = new Set(["\x1bOR", "\x1b[13~", "\x1b[[C"]);
const SCROLL_UP = new Set(["\x1b[5;2~"]);
const SCROLL_DOWN = new Set(["\x1b[6;2~"]);

/** What a key means. */
export type KeyCommand =
  | { kind: "send"; key: string }
  | { kind: "panel" }
  | { kind: "physmap" }
  | { kind: "scroll"; pages: number }
  | { kind: "quit" };

/** The key router's state: Ctrl-A was the last key, so x quits. */
export interface KeyState {
  prefix: boolean;
}

/**
 * Routes one key (a reducer: state in, state and command out). Ctrl-A goes
 * to the console at once (it is the line editor's Home) and arms the prefix:
 * an x right after it quits instead of being typed.
 */
export function routeKey(s: KeyState, key: string): [KeyState, KeyCommand] {
  if (s.prefix && (key === "x" || key === "X")) return [{ prefix: false }, { kind: "quit" }];
  const next = { prefix: key === "\x01" };
  if (F2.has(key)) return [next, { kind: "panel" }];
  if (F3.has(key)) return [next, { kind: "physmap" }];
  if (SCROLL_UP.has(key)) return [next, { kind: "scroll", pages: 1 }];
  if (SCROLL_DOWN.has(key)) return [next, { kind: "scroll", pages: -1 }];
  return [next, { kind: "send", key }];
}

/** A key as console bytes: UTF-8, one byte per char of the result. */
export function toBytes(key: string): string {
  return /^[\x00-\x7f]*$/.test(key) ? key : Buffer.from(key, "utf8").toString("latin1");
}
