/*
 * rev.ts - rev (util-linux/rev.c): each line of the FILEs (stdin by
 * default) with its characters in reverse order, the newline kept at the
 * end: bytes, or with Unicode on ($LC_ALL/$LC_CTYPE/$LANG naming UTF-8)
 * UTF-8 characters, a line that is not valid UTF-8 then printed unreversed.
 * A line is read as a C string: a NUL ends what is reversed and printed
 * (and the newline after it is lost).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_getopt } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import { unicode_on, utf8_chars } from "../libc/unicode.js";
import type { Applet } from "./registry.js";

const USAGE = `rev [FILE]...

Reverse lines of FILE`;

function* rev_main(argv: string[], envp: string[]): UserGen<number> {
  const unicode = unicode_on(envp);
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  const out = yield* Writer.open(1);
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    yield* out.flush();
    const fd = yield* open_or_warn_stdin("rev", f);
    if (fd < 0) {
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    for (let l = yield* r.getlineBytes(); l !== null; l = yield* r.getlineBytes()) {
      const z = l.indexOf(0);
      const s = z < 0 ? l : l.subarray(0, z);
      // strrev: all but a last "\n" (when the string is longer than it)
      const body = s.length > 1 && s[s.length - 1] === 10 ? s.subarray(0, s.length - 1) : s;
      // with Unicode on, characters are reversed, and a line that is no valid UTF-8 stays as it is
      const chars = unicode ? utf8_chars(body) : null;
      if (chars) for (const ch of chars.reverse()) yield* out.write(ch);
      else if (unicode) yield* out.write(body);
      else yield* out.write(Uint8Array.from(body).reverse());
      if (body !== s) yield* out.write(Uint8Array.of(10));
    }
    yield* close_stdin(fd);
  }
  yield* out.flush();
  return status;
}

export const rev: Applet = { name: "rev", dir: "/bin", usage: USAGE, main: rev_main };
