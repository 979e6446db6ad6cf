/*
 * paste.ts - paste (coreutils/paste.c): join the lines of the FILEs side
 * by side, separated by tabs or by the characters of -d LIST in turn
 * (escapes as in C: \t \n \\ and \0 for no separator; -d '' is refused).
 * -s pastes each file's lines onto one line instead. A file that runs out
 * adds nothing to the rows after it; the row ends with the last file's
 * newline, so it may end without one.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, process_escape } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `paste [-d LIST] [-s] [FILE]...

Paste lines from each input file, separated with tab

\t-d LIST\tUse delimiters from LIST, not tab
\t-s      Serial: one file at a time`;

/** strcpy_and_process_escape_sequences: the delimiters as bytes (0 is "none"). */
function delimiters(list: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < list.length; ) {
    if (list[i] === "\\") {
      const [c, next] = process_escape(list, i + 1);
      out.push(c);
      i = next;
    } else out.push(...new TextEncoder().encode(list[i++]));
  }
  return out;
}

/** xmalloc_fgetline: the next line without its newline, as bytes; null at the end. */
function* fgetline(r: Reader): UserGen<Uint8Array | null> {
  const b = yield* r.getlineBytes();
  if (b === null) return null;
  return b[b.length - 1] === 10 ? b.subarray(0, b.length - 1) : b;
}

function* paste_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "d:s", USAGE);
  if (!o) return 1;
  let delims = [9];
  const d = o.arg("d");
  if (d !== undefined) {
    if (d === "") {
      yield* bb_error_msg("paste", "-d '' is not supported");
      return 1;
    }
    delims = delimiters(d);
  }
  const files = o.rest.length ? o.rest : ["-"];
  const out = yield* Writer.open(1);
  const put = function* (b: Uint8Array | number): UserGen<void> {
    if (typeof b === "number") {
      if (b !== 0) yield* out.write(Uint8Array.of(b));
    } else yield* out.write(b);
  };
  if (o.has("s")) {
    let status = 0;
    for (const f of files) {
      yield* out.flush();
      const fd = yield* open_or_warn_stdin("paste", f);
      if (fd < 0) {
        status = 1;
        continue;
      }
      const r = new Reader(fd);
      let line: Uint8Array | null = null;
      let di = 0;
      for (let next = yield* fgetline(r); next !== null; next = yield* fgetline(r)) {
        if (line) {
          yield* put(line);
          yield* put(delims[di++]);
          if (di === delims.length) di = 0;
        }
        line = next;
      }
      if (line) {
        yield* put(line);
        yield* put(10);
      }
      yield* close_stdin(fd);
    }
    yield* out.flush();
    return status;
  }
  // xfopen_stdin: every file opened first; one that cannot be is fatal
  // ("-" named twice is the same stdin stream: "paste - - < f" takes its lines in pairs)
  const readers: (Reader | null)[] = [];
  let stdin: Reader | null = null;
  for (const f of files) {
    const fd = yield* open_or_warn_stdin("paste", f);
    if (fd < 0) return 1;
    readers.push(fd === 0 ? (stdin ??= new Reader(0)) : new Reader(fd));
  }
  let active = readers.length;
  while (active) {
    let di = 0;
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i];
      if (!r) continue;
      const line = yield* fgetline(r);
      if (line === null) {
        yield* close_stdin(r.fd);
        readers[i] = null;
        active--;
        continue;
      }
      yield* put(line);
      let delim = 10;
      if (i !== readers.length - 1) {
        delim = delims[di++];
        if (di === delims.length) di = 0;
      }
      yield* put(delim);
    }
  }
  yield* out.flush();
  return 0;
}

export const paste: Applet = { name: "paste", dir: "/usr/bin", usage: USAGE, main: paste_main };
