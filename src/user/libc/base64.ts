/*
 * base64.ts - libbb's uuencode.c: the encoding tables, bb_uuencode (three
 * bytes to four characters of a table, padded with the table's 65th
 * character) and the base64 decoder read_base64 that base64 -d and
 * uudecode share, over stream.ts's getc-style ByteReader.
 *
 * read_base64 reads at most 80 characters at a time, stopping early at any
 * byte up to ' ' (so whitespace and control characters end a piece and are
 * dropped), and decodes the piece with decode_base64: characters outside
 * the alphabet are skipped, '=' counts only as the 3rd and 4th of a group
 * ("==AA" and "A=A=" are not padding), and a padded group ends the piece -
 * what is left of it is carried into the next one. At the end of the input
 * everything must have been used up, or it is "truncated input".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import type { ByteReader } from "./stream.js";

export const bb_uuenc_tbl_base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
/** Historical uuencode: ' ' + value, with '`' for 0 (and as the pad). */
export const bb_uuenc_tbl_std = "`!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`";

/** bb_uuencode: `src` as characters of `tbl`, 4 for every 3 bytes, the last group padded. */
export function bb_uuencode(src: Uint8Array, tbl: string): string {
  let p = "";
  for (let i = 0; i < src.length; i += 3) {
    const s0 = src[i];
    const s1 = src[i + 1] ?? 0;
    const s2 = src[i + 2] ?? 0;
    p +=
      tbl[s0 >> 2] + tbl[((s0 & 3) << 4) + (s1 >> 4)] + tbl[((s1 & 0xf) << 2) + (s2 >> 6)] + tbl[s2 & 0x3f];
  }
  const pad = (3 - (src.length % 3)) % 3;
  return pad ? p.slice(0, p.length - pad) + tbl[64].repeat(pad) : p;
}

/**
 * decode_base64 over the piece `src` (byte values): the bytes decoded and
 * how many characters of the piece were used (a partial group is not).
 */
export function decode_base64(src: number[]): { out: number[]; used: number } {
  const out: number[] = [];
  let ch = 0;
  let i = 0;
  let k = 0;
  while (k < src.length) {
    let t = src[k++];
    if (t >= 48 && t <= 57) t = t - 48 + 52;
    else if (t >= 65 && t <= 90) t -= 65;
    else if (t >= 97 && t <= 122) t = t - 97 + 26;
    else if (t === 43) t = 62;
    else if (t === 47) t = 63;
    else if (t === 61 && (i === 3 || (i === 2 && src[k] === 61))) t = 0x1000000;
    else continue;
    // ch keeps the padding marks above its 24 data bits (as the C's unsigned does)
    ch = (ch * 64 + t) % 2 ** 32;
    i = (i + 1) & 3;
    if (i === 0) {
      out.push((ch >>> 16) & 0xff, (ch >>> 8) & 0xff, ch & 0xff);
      if (ch & 0x1000000) {
        out.pop(); // the last input character was '='
        if (ch & (0x1000000 << 6)) out.pop(); // and the one before it
        break;
      }
      ch = 0;
    }
  }
  return { out, used: k - i };
}

/**
 * read_base64: decode from `src` to `write` until the end of input, or until a
 * piece that is exactly "====" when `uuStop` (uudecode's end line). Returns
 * null, or BusyBox's complaint ("truncated input").
 */
export function* read_base64(
  src: ByteReader,
  write: (b: number[]) => UserGen<unknown>,
  uuStop: boolean,
): UserGen<string | null> {
  const BUFFER_SIZE = 80;
  let buf: number[] = [];
  for (;;) {
    let term = false;
    while (buf.length < BUFFER_SIZE) {
      const ch = yield* src.getc();
      if (ch < 0) {
        // base64's exit_char is EOF itself: nothing pending ends it quietly
        if (!uuStop && buf.length === 0) return null;
        term = true;
        break;
      }
      if (ch <= 32) break;
      buf.push(ch);
    }
    // the C string stops at a NUL, but no NUL gets into it (a control character ends the piece)
    if (uuStop && buf.length === 4 && buf.every((c) => c === 61)) return null;
    const { out, used } = decode_base64(buf);
    if (out.length) yield* write(out);
    if (term) return used === buf.length ? null : "truncated input";
    buf = buf.slice(used);
  }
}
