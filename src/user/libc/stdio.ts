/*
 * stdio.ts - text in and out for programs: UTF-8 encoding, whole writes,
 * buffered line reading, and BusyBox-style error messages.
 */

import { strerror_table } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read, write } from "./sys.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

export function dec(b: Uint8Array): string {
  return decoder.decode(b);
}

/**
 * Bytes as a "byte string": one character 0-255 per byte, the way a C
 * program sees text in the C locale (sed, cut). latin1_bytes() undoes it.
 */
export function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** The bytes of a byte string (see latin1). */
export function latin1_bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export function strerror(errno: number): string {
  return strerror_table[Math.abs(errno)] ?? `Unknown error ${Math.abs(errno)}`;
}

/** Writes all of data (retrying short writes); returns bytes written or -errno. */
export function* write_all(fd: number, data: Uint8Array): UserGen<number> {
  let off = 0;
  while (off < data.length) {
    const n = yield* write(fd, off === 0 ? data : data.subarray(off));
    if (n < 0) return n;
    if (n === 0) break;
    off += n;
  }
  return off;
}

export function* puts(fd: number, s: string): UserGen<number> {
  return yield* write_all(fd, enc(s));
}

/** Reads everything until end of file; -errno on error. */
export function* read_all(fd: number): UserGen<Uint8Array | number> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const r = yield* read(fd, 65536);
    if (typeof r === "number") return r;
    if (r.length === 0) break;
    chunks.push(r);
    total += r.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Buffered reading of lines from a descriptor (one reader per descriptor). */
export class LineReader {
  private buf = new Uint8Array(0);
  private eof = false;
  constructor(readonly fd: number) {}

  /** The next line without its newline, null at end of file, -errno on error. */
  *readLine(): UserGen<string | null | number> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        const line = dec(this.buf.subarray(0, nl));
        this.buf = this.buf.slice(nl + 1);
        return line;
      }
      if (this.eof) {
        if (this.buf.length === 0) return null;
        const line = dec(this.buf);
        this.buf = new Uint8Array(0);
        return line;
      }
      const r = yield* read(this.fd, 4096);
      if (typeof r === "number") return r;
      if (r.length === 0) this.eof = true;
      else {
        const n = new Uint8Array(this.buf.length + r.length);
        n.set(this.buf);
        n.set(r, this.buf.length);
        this.buf = n;
      }
    }
  }
}
