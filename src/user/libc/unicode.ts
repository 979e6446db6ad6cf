/*
 * unicode.ts - libbb's unicode.c as Debian's BusyBox builds it (its own
 * UTF-8 code, no libc locale): init_unicode() turns Unicode on when the
 * first of $LC_ALL, $LC_CTYPE, $LANG that is set names UTF-8 ("C.UTF-8",
 * "en_US.utf8"); otherwise every byte is a character of width 1. Applets
 * that measure or reverse text (rev, expand, unexpand) ask it.
 *
 * Simplified: every decoded character is one column wide (no wide CJK, no
 * zero-width combining marks).
 */

import { getenv } from "./proc.js";

/** init_unicode: is Unicode on for this environment? */
export function unicode_on(envp: readonly string[]): boolean {
  const s = getenv(envp, "LC_ALL") ?? getenv(envp, "LC_CTYPE") ?? getenv(envp, "LANG");
  return s !== undefined && /utf-?8/i.test(s);
}

/** The length of the UTF-8 sequence lead byte `c` starts; 0 when it starts none. */
function seqlen(c: number): number {
  if (c < 0x80) return 1;
  if (c < 0xc0) return 0;
  if (c < 0xe0) return 2;
  if (c < 0xf0) return 3;
  if (c < 0xf8) return 4;
  if (c < 0xfc) return 5;
  return c < 0xfe ? 6 : 0;
}

/** Is there a whole sequence of `n` bytes at b[i]? */
function whole(b: Uint8Array, i: number, n: number): boolean {
  if (n === 0 || i + n > b.length) return false;
  for (let k = 1; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return false;
  return true;
}

/**
 * mbstowcs with Unicode on: `b` (up to a NUL) as UTF-8 sequences, each
 * returned as its bytes; null when a byte starts no valid sequence.
 */
export function utf8_chars(b: Uint8Array): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length && b[i] !== 0; ) {
    const n = seqlen(b[i]);
    if (!whole(b, i, n)) return null;
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** unicode_strwidth: the columns `b` takes (a byte that starts no valid sequence counts one). */
export function unicode_strwidth(b: Uint8Array, on: boolean): number {
  if (!on) return b.length;
  let w = 0;
  for (let i = 0; i < b.length; w++) {
    const n = seqlen(b[i]);
    i += whole(b, i, n) ? n : 1;
  }
  return w;
}
