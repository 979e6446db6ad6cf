/*
 * pagealloc.ts - pagealloc, an mmbox applet (no BusyBox counterpart): the
 * buddy allocator by hand, through the kernel's test interface
 * /sys/kernel/debug/page_alloc_test (kernel/mm/page_alloc_test.ts), the
 * way a kernel test module would be driven.
 *
 *   pagealloc alloc 3 GFP_KERNEL     take one order-3 block (8 pages)
 *   pagealloc                        the blocks held, with pfn, zone, migratetype
 *   pagealloc free 0x8fff0           give one back (or "free all")
 *
 * After an alloc or free the kernel logs the zone's free areas before and
 * after (on the console at the default log level, and in dmesg), so the
 * split of a larger block into buddies, and their merging on free, can be
 * read off directly. alloc prints the block it got; -q keeps it quiet. An allocation that
 * cannot be satisfied logs the kernel's "page allocation failure" report
 * and pagealloc exits 1.
 */

import { O_WRONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { ensure_debugfs, read_text } from "../libc/file.js";
import { bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { enc, puts } from "../libc/stdio.js";
import { close, open, write } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `pagealloc [-q] [alloc ORDER [GFP_FLAGS] | free PFN|all]

Allocate and free blocks of pages with the buddy allocator
(through /sys/kernel/debug/page_alloc_test)

\talloc ORDER [GFP]\tAllocate 2^ORDER pages (default GFP_KERNEL;
\t\t\tflags as in C: GFP_HIGHUSER_MOVABLE, GFP_ATOMIC|__GFP_ZERO...)
\tfree PFN\t\tFree the block at PFN (0x... or decimal)
\tfree all\t\tFree every block allocated here
\t-q\t\t\tPrint nothing on success
With no command, list the blocks held.`;

const FILE = "/sys/kernel/debug/page_alloc_test";

function* held(): UserGen<string | null> {
  yield* ensure_debugfs(FILE);
  const t = yield* read_text(FILE);
  if (typeof t === "number") {
    yield* bb_perror_msg("pagealloc", `can't open '${FILE}'`, t);
    return null;
  }
  return t;
}

function* pagealloc_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+q", USAGE);
  if (!o) return 1;
  const [cmd, ...args] = o.rest;
  if (cmd === undefined || cmd === "list") {
    const t = yield* held();
    if (t === null) return 1;
    yield* puts(1, t);
    return 0;
  }
  if (cmd === "alloc") {
    if (args.length < 1 || !/^[0-9]+$/.test(args[0])) return yield* bb_show_usage(USAGE);
  } else if (cmd === "free") {
    if (args.length !== 1) return yield* bb_show_usage(USAGE);
  } else return yield* bb_show_usage(USAGE);
  const before = yield* held();
  if (before === null) return 1;
  const line = [cmd, ...args].join(" ");
  const fd = yield* open(FILE, O_WRONLY);
  if (fd < 0) {
    yield* bb_perror_msg("pagealloc", `can't open '${FILE}'`, fd);
    return 1;
  }
  const r = yield* write(fd, enc(`${line}\n`));
  yield* close(fd);
  if (r < 0) {
    yield* bb_perror_msg("pagealloc", line, r);
    return 1;
  }
  if (o.has("q")) return 0;
  if (cmd === "alloc") {
    // the new block is the line that was not there before
    const after = yield* held();
    if (after === null) return 1;
    const old = new Set(before.split("\n"));
    const lines = after.split("\n");
    const added = lines.slice(1).filter((l) => l && !old.has(l));
    yield* puts(1, `${lines[0]}\n${added.join("\n")}\n`);
  }
  return 0;
}

export const pagealloc: Applet = { name: "pagealloc", dir: "/usr/bin", usage: USAGE, main: pagealloc_main };
