/*
 * shuf.ts - shuf (coreutils/shuf.c): the lines of FILE (or stdin), the
 * ARGs (-e) or the numbers L..H (-i) in random order, at most NUM of them
 * (-n), ending in NUL with -z, to FILE with -o (opened after the input is
 * read). Lines are read as xmalloc_fgetline gives them: a NUL ends one too.
 *
 * The order is BusyBox's Fisher-Yates walk from the last line down, each
 * swapped with rand() % (i + 1), rand() being glibc's seeded with
 * srand(monotonic_us()) - the simulated CLOCK_MONOTONIC, so a run is
 * random-looking but repeats exactly with the machine's --seed and script.
 */

import { CLOCK_MONOTONIC, O_CREAT, O_TRUNC, O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_or_warn_stdin } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage, strtou_range_sfx } from "../libc/libbb.js";
import { GlibcRand, RAND_MAX } from "../libc/rand.js";
import { latin1_bytes } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { clock_gettime, close, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `shuf [-n NUM] [-o FILE] [-z] [FILE | -e [ARG...] | -i L-H]

Randomly permute lines

\t-n NUM\tOutput at most NUM lines
\t-o FILE\tWrite to FILE, not standard output
\t-z\tNUL terminated output
\t-e\tTreat ARGs as lines
\t-i L-H\tTreat numbers L-H as lines`;

const UINT_MAX = 4294967295;

/** shuffle_lines: Fisher-Yates with glibc's rand() seeded from monotonic_us(). */
function* shuffle_lines(lines: Uint8Array[]): UserGen<void> {
  const us = Math.floor((yield* clock_gettime(CLOCK_MONOTONIC)) / 1000);
  const g = new GlibcRand(us % 2 ** 32);
  for (let i = lines.length - 1; i > 0; i--) {
    let r = g.rand();
    if (i > RAND_MAX) r = (r ^ (g.rand() << 15)) >>> 0;
    r %= i + 1;
    [lines[i], lines[r]] = [lines[r], lines[i]];
  }
}

function* shuf_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "ei:n:o:z", USAGE);
  if (!o) return 1;
  // "e--i:i--e" and at most one FILE
  if ((o.has("e") && o.has("i")) || (!o.has("e") && o.rest.length > (o.has("i") ? 0 : 1)))
    return yield* bb_show_usage(USAGE);
  const die = function* (msg: string): UserGen<number> {
    yield* bb_error_msg("shuf", msg);
    return 1;
  };
  let lines: Uint8Array[] = [];
  const range = o.arg("i");
  if (o.has("e")) lines = o.rest.map((a) => latin1_bytes(a));
  else if (range !== undefined) {
    const dash = range.indexOf("-");
    if (dash < 0) return yield* die(`bad range '${range}'`);
    const lo = strtou_range_sfx(range.slice(0, dash), 10, 0, 2 ** 64 - 1);
    if (!lo.ok) return yield* die(lo.msg);
    const hi = strtou_range_sfx(range.slice(dash + 1), 10, 0, 2 ** 64 - 1);
    if (!hi.ok) return yield* die(hi.msg);
    // the count must fit an unsigned int
    if (hi.value < lo.value || hi.value - lo.value >= UINT_MAX) return yield* die(`bad range '${range}'`);
    for (let v = lo.value; v <= hi.value; v++) lines.push(latin1_bytes(String(v)));
  } else {
    const name = o.rest[0] ?? "-";
    const fd = yield* open_or_warn_stdin("shuf", name);
    if (fd < 0) return 1;
    const r = new Reader(fd);
    for (let l = yield* r.getchunkBytes(); l !== null; l = yield* r.getchunkBytes()) {
      const end = l.at(-1) === 10 || l.at(-1) === 0 ? l.length - 1 : l.length;
      lines.push(l.subarray(0, end));
    }
    yield* close_stdin(fd);
  }
  if (lines.length) yield* shuffle_lines(lines);
  const n = o.arg("n");
  let count = lines.length;
  if (n !== undefined) {
    const v = strtou_range_sfx(n, 10, 0, UINT_MAX);
    if (!v.ok) return yield* die(v.msg);
    count = Math.min(count, v.value);
  }
  let ofd = 1;
  const oname = o.arg("o");
  if (oname !== undefined) {
    ofd = yield* open(oname, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    if (ofd < 0) {
      yield* bb_perror_msg("shuf", `can't open '${oname}'`, ofd);
      return 1;
    }
  }
  const out = yield* Writer.open(ofd);
  const eol = Uint8Array.of(o.has("z") ? 0 : 10);
  for (let i = 0; i < count; i++) {
    yield* out.write(lines[i]);
    yield* out.write(eol);
  }
  yield* out.flush();
  if (ofd !== 1) yield* close(ofd);
  return 0;
}

export const shuf: Applet = { name: "shuf", dir: "/usr/bin", usage: USAGE, main: shuf_main };
