/*
 * hog.ts - the learning material's `hog` (reference/real-linux/programs/
 * hog.c): malloc and touch memory STEP at a time up to TOTAL (0 or "inf":
 * until killed), printing progress with write(2) so that nothing is lost
 * when the OOM killer strikes; "hold" keeps it all until killed.
 *
 *   hog [TOTAL [STEP [hold]]]     sizes: plain numbers are MiB; K, M, G
 *
 * Each step is a malloc (glibc serves 10 MiB with mmap) and a memset, and
 * every page then gets distinct contents, so zram cannot store it as a
 * same-filled page.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { libc_of } from "../libc/crt0.js";
import { touch } from "../libc/mman.js";
import { puts } from "../libc/stdio.js";
import { getpid, pause } from "../libc/sys.js";

const MiB = 1024 * 1024;

/** hog.c's parse_size: strtoull, then the unit (MiB when none or unknown). */
export function parse_size(s: string): number {
  if (s === "inf") return 0;
  const m = /^\s*[+]?(\d*)(.?)/.exec(s)!;
  const v = Number(m[1] || "0");
  switch (m[2]) {
    case "k":
    case "K":
      return v * 1024;
    case "g":
    case "G":
      return v * 1024 * MiB;
    default:
      return v * MiB;
  }
}

export function* hog_main(argv: string[], _envp: string[], libc?: unknown): UserGen<number> {
  const { malloc } = libc_of(libc);
  const total = argv.length > 1 ? parse_size(argv[1]) : 0;
  const step = argv.length > 2 ? parse_size(argv[2]) : 10 * MiB;
  const hold = argv.length > 3 && argv[3] === "hold";
  const pid = yield* getpid();
  const say = (s: string): UserGen<number> => puts(1, `hog[${pid}]: ${s}\n`);
  yield* say(`target ${Math.floor(total / MiB)} MiB, step ${Math.floor(step / MiB)} MiB`);
  let done = 0;
  while (!total || done < total) {
    const n = total && total - done < step ? total - done : step;
    const p = yield* malloc.malloc(n);
    if (!p) {
      yield* say(`malloc failed after ${Math.floor(done / MiB)} MiB`);
      return 1;
    }
    // memset(p, 0x5a, n), then a distinct word at the start of every page.
    if ((yield* touch(p, n, { write: true, fill: 0x5a, distinct: true })) < 0) return 139;
    done += n;
    yield* say(`touched ${Math.floor(done / MiB)} MiB`);
  }
  if (hold) {
    yield* say(`holding ${Math.floor(done / MiB)} MiB`);
    for (;;) yield* pause();
  }
  yield* say(`done ${Math.floor(done / MiB)} MiB`);
  return 0;
}
