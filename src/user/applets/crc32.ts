/*
 * crc32.ts - crc32 (coreutils/cksum.c as crc32; Debian's build has no
 * cksum): the CRC-32 of zlib and Ethernet (reflected polynomial 0xedb88320,
 * starting from all ones, inverted at the end) of each FILE, "%08x NAME",
 * or "%08x" alone for stdin when no FILE is named. A FILE that cannot be
 * opened is "can't open" and status 1; one that cannot be read ends it all.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { crc32_block_endian0 } from "../libc/crc32.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import { bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { Reader, Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `crc32 FILE...

Calculate CRC32 checksum of FILEs`;

function* crc32_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "", USAGE);
  if (!o) return 1;
  const out = yield* Writer.open(1);
  let status = 0;
  const names = o.rest.length ? o.rest : [undefined];
  for (const name of names) {
    const fd = yield* open_stdin(name ?? "-");
    if (fd < 0) {
      yield* out.flush();
      yield* bb_perror_msg("crc32", `can't open '${name ?? "standard input"}'`, fd);
      status = 1;
      continue;
    }
    const r = new Reader(fd);
    let crc = 0xffffffff;
    for (let b = yield* r.chunk(); b.length; b = yield* r.chunk()) crc = crc32_block_endian0(crc, b);
    yield* close_stdin(fd);
    if (r.error) {
      yield* out.flush();
      yield* bb_perror_msg("crc32", name ?? "standard input", r.error);
      return 1;
    }
    const hex = (~crc >>> 0).toString(16).padStart(8, "0");
    yield* out.puts(name === undefined ? `${hex}\n` : `${hex} ${name}\n`);
  }
  yield* out.flush();
  return status;
}

export const crc32: Applet = { name: "crc32", dir: "/usr/bin", usage: USAGE, main: crc32_main };
