/*
 * base64.ts - base64 (coreutils/uudecode.c's baseNUM_main; Debian's build
 * has no base32): FILE (or stdin) in base64, lines wrapped at COL (76)
 * characters, -w 0 one line with no newline at all; -d decodes with libbb's
 * read_base64 (libc/base64.ts): non-alphabet characters are skipped, an
 * incomplete last group is "truncated input".
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_uuenc_tbl_base64, bb_uuencode, read_base64 } from "../libc/base64.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_show_usage, INT_MAX, strtou_range_sfx } from "../libc/libbb.js";
import { puts, strerror } from "../libc/stdio.js";
import { ByteReader, Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `base64 [-d] [-w COL] [FILE]

Base64 encode or decode FILE to standard output

\t-d\tDecode data
\t-w COL\tWrap lines at COL (default 76, 0 disables)`;

/** What full_read reads at a time: a multiple of 3, so pieces encode as the whole would. */
const SRC_BUF_SIZE = 480;

function* base64_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "dw:", USAGE);
  if (!o) return 1;
  let col = 76;
  const w = o.arg("w");
  if (w !== undefined) {
    const r = strtou_range_sfx(w, 10, 0, INT_MAX);
    if (!r.ok) {
      yield* bb_error_msg("base64", r.msg);
      return 1;
    }
    col = r.value;
  }
  if (o.rest.length > 1) return yield* bb_show_usage(USAGE);
  const name = o.rest[0] ?? "-";
  const fd = yield* open_or_warn_stdin("base64", name);
  if (fd < 0) return 1;
  const r = new Reader(fd);
  const out = yield* Writer.open(1);
  if (o.has("d")) {
    const err = yield* read_base64(new ByteReader(r), (b) => out.write(Uint8Array.from(b)), false);
    if (err) {
      // bb_error_msg_and_die (bb_verror_msg flushes stdout first)
      yield* out.flush();
      yield* puts(2, `base64: ${err}\n`);
      return 1;
    }
  } else {
    let rem = 0;
    for (;;) {
      const src = yield* r.readBytes(SRC_BUF_SIZE);
      if (r.error) {
        yield* out.flush();
        yield* puts(2, `base64: read error: ${strerror(r.error)}\n`);
        return 1;
      }
      if (src.length === 0) {
        if (rem !== 0) yield* out.puts("\n");
        break;
      }
      let enc = bb_uuencode(src, bb_uuenc_tbl_base64);
      if (col === 0) {
        yield* out.puts(enc);
        continue;
      }
      if (rem === 0) rem = col;
      for (;;) {
        const n = Math.min(enc.length, rem);
        rem -= n;
        yield* out.puts(rem !== 0 ? enc.slice(0, n) : `${enc.slice(0, n)}\n`);
        if (rem !== 0) break;
        enc = enc.slice(n);
        if (enc.length === 0) break;
        rem = col;
      }
    }
  }
  yield* out.flush();
  yield* close_stdin(fd);
  return 0;
}

export const base64: Applet = { name: "base64", dir: "/bin", usage: USAGE, main: base64_main };
