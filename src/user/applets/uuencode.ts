/*
 * uuencode.ts - uuencode (coreutils/uuencode.c) and uudecode
 * (coreutils/uudecode.c).
 *
 *   begin 644 NAME          uuencode: the mode of FILE (or 0666 less the
 *   M86)C9&5F...            umask for stdin), then lines of 45 bytes, each
 *   `                       led by its length character; "`" and "end"
 *   end                     close it. -m: "begin-base64", base64 lines of
 *                           60 characters, "====" closes it.
 *
 * uudecode looks for the first "begin " or "begin-base64 " line, takes
 * the mode (octal) and the name after the next blank from it (or -o FILE;
 * "-" is stdout), and decodes what follows: historical lines until "end"
 * (a line shorter than its length character says is "short file"), or
 * base64 until a "====" line or the end of input.
 */

import { O_CREAT, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_uuenc_tbl_base64, bb_uuenc_tbl_std, bb_uuencode, read_base64 } from "../libc/base64.js";
import { open_or_warn_stdin, open_stdin } from "../libc/file.js";
import { bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { latin1, puts, strerror } from "../libc/stdio.js";
import { ByteReader, Reader, Writer } from "../libc/stream.js";
import { chmod, close, fstat, open, umask } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const UUENCODE_USAGE = `uuencode [-m] [FILE] STORED_FILENAME

Uuencode FILE (or stdin) to stdout

\t-m\tUse base64 encoding per RFC1521`;

const UUDECODE_USAGE = `uudecode [-o OUTFILE] [INFILE]

Uudecode a file
Finds OUTFILE in uuencoded source unless -o is given`;

/** Bytes a line encodes. */
const SRC_BUF_SIZE = 45;

function* uuencode_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "m", UUENCODE_USAGE);
  if (!o) return 1;
  if (o.rest.length < 1 || o.rest.length > 2) return yield* bb_show_usage(UUENCODE_USAGE);
  const tbl = o.has("m") ? bb_uuenc_tbl_base64 : bb_uuenc_tbl_std;
  const old = yield* umask(0o666);
  let mode = 0o666 & ~old;
  let fd = 0;
  if (o.rest.length === 2) {
    fd = yield* open_stdin(o.rest[0]);
    if (fd < 0) {
      yield* puts(2, `uuencode: can't open '${o.rest[0]}': ${strerror(fd)}\n`);
      return 1;
    }
    const st = yield* fstat(fd);
    if (typeof st === "object") mode = st.st_mode & 0o777;
  }
  const out = yield* Writer.open(1);
  yield* out.puts(`begin${tbl === bb_uuenc_tbl_std ? "" : "-base64"} ${mode.toString(8)} ${o.rest.at(-1)}`);
  const r = new Reader(fd);
  for (;;) {
    const src = yield* r.readBytes(SRC_BUF_SIZE);
    if (r.error) {
      yield* out.flush();
      yield* puts(2, `uuencode: read error: ${strerror(r.error)}\n`);
      return 1;
    }
    if (src.length === 0) break;
    yield* out.puts(tbl === bb_uuenc_tbl_std ? `\n${tbl[src.length]}` : "\n");
    yield* out.puts(bb_uuencode(src, tbl));
  }
  yield* out.puts(tbl === bb_uuenc_tbl_std ? "\n`\nend\n" : "\n====\n");
  yield* out.flush();
  if (fd > 0) yield* close(fd);
  return 0;
}

/**
 * read_stduu: historical lines until "end". Each character stands for
 * (c - 0x20) & 0x3f; the first is the line's byte count. Returns the
 * complaint that ends it, or null.
 */
function* read_stduu(src: ByteReader, write: (b: number[]) => UserGen<unknown>): UserGen<string | null> {
  for (;;) {
    const raw = yield* src.until([10]);
    if (raw === null) break;
    while (raw.length && (raw[raw.length - 1] === 10 || raw[raw.length - 1] === 13)) raw.pop();
    const z = raw.indexOf(0);
    const line = z < 0 ? raw : raw.slice(0, z);
    if (line.length === 3 && latin1(Uint8Array.from(line)) === "end") return null;
    const v = line.map((c) => (c - 0x20) & 0x3f);
    let encoded_len = Math.floor(((v[0] ?? 0) * 4) / 3);
    if (v.length <= encoded_len) break;
    if (encoded_len <= 0) continue;
    if (encoded_len > 60) return "line too long";
    const out: number[] = [];
    let p = 1;
    for (;;) {
      out.push(((v[p] << 2) | (v[p + 1] >> 4)) & 0xff);
      if (--encoded_len === 0) break;
      out.push(((v[p + 1] << 4) | (v[p + 2] >> 2)) & 0xff);
      if (--encoded_len === 0) break;
      out.push(((v[p + 2] << 6) | v[p + 3]) & 0xff);
      p += 4;
      encoded_len -= 2;
      if (encoded_len <= 0) break;
    }
    yield* write(out);
  }
  return "short file";
}

/** bb_strtou(s, NULL, 8) as uudecode uses it: garbage after the digits (a letter or digit) is all ones. */
function octal_mode(s: string): number {
  if (!/^[A-Za-z0-9]/.test(s)) return 0o777;
  const m = /^[0-7]*/.exec(s)![0];
  if (/^[A-Za-z0-9]/.test(s.slice(m.length)) || m.length > 11) return 0o777;
  return Number.parseInt(m || "0", 8) & 0o777;
}

function* uudecode_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "o:", UUDECODE_USAGE);
  if (!o) return 1;
  if (o.rest.length > 1) return yield* bb_show_usage(UUDECODE_USAGE);
  const fd = yield* open_or_warn_stdin("uudecode", o.rest[0] ?? "-");
  if (fd < 0) return 1;
  const src = new ByteReader(new Reader(fd));
  let outname = o.arg("o");
  for (;;) {
    // xmalloc_fgetline: a line up to "\n" (or a NUL), as a C string
    const raw = yield* src.until([10, 0]);
    if (raw === null) break;
    if (raw.at(-1) === 10 || raw.at(-1) === 0) raw.pop();
    const line = latin1(Uint8Array.from(raw));
    let rest: string;
    let base64: boolean;
    if (line.startsWith("begin-base64 ")) {
      rest = line.slice(13);
      base64 = true;
    } else if (line.startsWith("begin ")) {
      rest = line.slice(6);
      base64 = false;
    } else continue;
    const mode = octal_mode(rest);
    if (outname === undefined) {
      const sp = rest.indexOf(" ");
      if (sp < 0) break;
      outname = rest.slice(sp + 1).replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, "");
      if (!outname) break;
    }
    let ofd = 1;
    if (outname !== "-") {
      ofd = yield* open(outname, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      if (ofd < 0) {
        yield* puts(2, `uudecode: can't open '${outname}': ${strerror(ofd)}\n`);
        return 1;
      }
      yield* chmod(outname, mode);
    }
    const out = yield* Writer.open(ofd);
    const write = (b: number[]): UserGen<number> => out.write(Uint8Array.from(b));
    const err = base64 ? yield* read_base64(src, write, true) : yield* read_stduu(src, write);
    yield* out.flush();
    if (err) yield* puts(2, `uudecode: ${err}\n`);
    if (ofd !== 1) yield* close(ofd);
    return err ? 1 : 0;
  }
  yield* puts(2, "uudecode: no 'begin' line\n");
  return 1;
}

export const uuencode: Applet = {
  name: "uuencode",
  dir: "/usr/bin",
  usage: UUENCODE_USAGE,
  main: uuencode_main,
};
export const uudecode: Applet = {
  name: "uudecode",
  dir: "/usr/bin",
  usage: UUDECODE_USAGE,
  main: uudecode_main,
};
