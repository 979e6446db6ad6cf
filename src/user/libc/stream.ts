/*
 * stream.ts - buffered input and output, what stdio's FILE does for a C
 * program: fewer system calls, and the same interleaving of stdout and
 * stderr as a real program shows.
 *
 * Writer buffers like glibc: line by line when the descriptor is a
 * terminal, in 4 KiB blocks otherwise (a pipe or a file); stderr is never
 * buffered. A program owns its Writer (there is no global stdout: every
 * simulated process shares this JavaScript module) and flushes it before it
 * exits, forks or execs.
 *
 * Reader hands out lines (with their "\n", as getline() does, so a last
 * line without one can be told apart) or raw chunks.
 */

import { TCGETS } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { dec, enc, write_all } from "./stdio.js";
import { ioctl, read } from "./sys.js";

/** isatty: does the descriptor answer a terminal's TCGETS? */
export function* isatty(fd: number): UserGen<boolean> {
  const r = yield* ioctl(fd, TCGETS);
  return typeof r === "object";
}

const BUFSIZ = 4096;

export class Writer {
  private chunks: Uint8Array[] = [];
  private pending = 0;
  /** The first write error (-errno), 0 while all is well. */
  error = 0;

  constructor(
    readonly fd: number,
    private readonly lineBuffered: boolean,
  ) {}

  /** A Writer for fd, line-buffered when it is a terminal. */
  static *open(fd: number): UserGen<Writer> {
    return new Writer(fd, yield* isatty(fd));
  }

  *puts(s: string): UserGen<number> {
    return yield* this.write(enc(s));
  }

  *write(b: Uint8Array): UserGen<number> {
    if (this.error) return this.error;
    this.chunks.push(b);
    this.pending += b.length;
    if (this.pending >= BUFSIZ || (this.lineBuffered && b.includes(10))) return yield* this.flush();
    return 0;
  }

  /** Writes out what is buffered; -errno on a write error. */
  *flush(): UserGen<number> {
    if (this.pending === 0) return this.error;
    const all = new Uint8Array(this.pending);
    let o = 0;
    for (const c of this.chunks) {
      all.set(c, o);
      o += c.length;
    }
    this.chunks = [];
    this.pending = 0;
    if (this.error) return this.error;
    const r = yield* write_all(this.fd, all);
    if (r < 0) this.error = r;
    return Math.min(r, 0);
  }
}

export class Reader {
  private buf: Uint8Array = new Uint8Array(0);
  private eof = false;
  /** The first read error (-errno), 0 while all is well. */
  error = 0;

  constructor(readonly fd: number) {}

  private *fill(): UserGen<boolean> {
    if (this.eof || this.error) return false;
    const r = yield* read(this.fd, 65536);
    if (typeof r === "number") {
      this.error = r;
      return false;
    }
    if (r.length === 0) {
      this.eof = true;
      return false;
    }
    if (this.buf.length === 0) this.buf = r;
    else {
      const n = new Uint8Array(this.buf.length + r.length);
      n.set(this.buf);
      n.set(r, this.buf.length);
      this.buf = n;
    }
    return true;
  }

  /** The next line as raw bytes, "\n" (or `delim`) included when present; null at the end. */
  *getlineBytes(delim = 10, delim2 = delim): UserGen<Uint8Array | null> {
    let from = 0;
    for (;;) {
      let nl = this.buf.indexOf(delim, from);
      if (delim2 !== delim) {
        const nl2 = this.buf.indexOf(delim2, from);
        if (nl2 >= 0 && (nl < 0 || nl2 < nl)) nl = nl2;
      }
      if (nl >= 0) {
        const line = this.buf.slice(0, nl + 1);
        this.buf = this.buf.subarray(nl + 1);
        return line;
      }
      from = this.buf.length;
      if (!(yield* this.fill())) {
        if (this.buf.length === 0) return null;
        const line = this.buf;
        this.buf = new Uint8Array(0);
        return line;
      }
    }
  }

  /** bb_get_chunk_from_file: up to a "\n" or a NUL, included when present; null at the end. */
  *getchunkBytes(): UserGen<Uint8Array | null> {
    return yield* this.getlineBytes(10, 0);
  }

  /** Is the input at its end? (fgetc() then ungetc()) */
  *atEof(): UserGen<boolean> {
    return this.buf.length === 0 && !(yield* this.fill());
  }

  /** The next line as text, "\n" included when present; null at the end (or on error). */
  *getline(): UserGen<string | null> {
    const b = yield* this.getlineBytes();
    return b === null ? null : dec(b);
  }

  /** Up to n bytes (fewer only at the end); an empty array at the end. */
  *readBytes(n: number): UserGen<Uint8Array> {
    while (this.buf.length < n && (yield* this.fill())) {
      /* keep filling */
    }
    const out = this.buf.slice(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  /** Whatever is buffered, or one read's worth; empty at the end. */
  *chunk(): UserGen<Uint8Array> {
    if (this.buf.length === 0) yield* this.fill();
    const out = this.buf;
    this.buf = new Uint8Array(0);
    return out;
  }
}

/** fgetc over a Reader: a byte, or -1 at the end (or on an error, which Reader.error tells). */
export class ByteReader {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  constructor(readonly reader: Reader) {}

  *getc(): UserGen<number> {
    if (this.pos === this.buf.length) {
      this.buf = yield* this.reader.chunk();
      this.pos = 0;
      if (this.buf.length === 0) return -1;
    }
    return this.buf[this.pos++];
  }

  /** Bytes up to and including the first of `ends` (or the end of input); null at the end. */
  *until(ends: number[]): UserGen<number[] | null> {
    const line: number[] = [];
    for (;;) {
      const c = yield* this.getc();
      if (c < 0) return line.length ? line : null;
      line.push(c);
      if (ends.includes(c)) return line;
    }
  }
}
