/*
 * cow.ts - the learning material's `cow` (reference/real-linux/programs/
 * cow.c): fork and copy-on-write accounting, step by step.
 *
 *   cow [SIZE_MiB [thp]]     (default 50)
 *
 *   0 start; 1 the parent maps SIZE anonymous bytes (MADV_NOHUGEPAGE unless
 *   "thp") and writes them; 2 fork (the child has written nothing); 3 the
 *   child writes the first half; 4 the child reads everything (reads copy
 *   nothing); 5 the child exits; 6 the parent unmaps the buffer.
 *
 * Each report quotes /proc/self/status, /proc/self/smaps_rollup, the
 * minor/major faults from getrusage and two lines of /proc/meminfo. Parent
 * and child take turns through two pipes.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import {
  MADV_NOHUGEPAGE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  madvise,
  memset,
  mmap,
  munmap,
  PROT_READ,
  PROT_WRITE,
  touch,
} from "../libc/mman.js";
import { enc, puts, strerror } from "../libc/stdio.js";
import { close, fork, getpid, getrusage, pipe, read, wait4, write } from "../libc/sys.js";

/** The "key=value" list of the given keys found in a /proc file. */
function* grep_file(path: string, keys: string[]): UserGen<string> {
  const text = yield* read_text(path);
  if (typeof text === "number") return "";
  let out = "";
  for (const line of text.split("\n"))
    for (const key of keys)
      if (line.startsWith(`${key}:`)) out += ` ${key}=${line.slice(key.length + 1).replace(/^[ \t]+/, "")}`;
  return out;
}

function* report(who: string, step: string): UserGen<void> {
  const ru = yield* getrusage(0);
  const pid = yield* getpid();
  let s = `[${who} pid=${pid}] ${step}\n  status:`;
  s += yield* grep_file("/proc/self/status", ["VmRSS", "RssAnon", "RssFile", "RssShmem"]);
  s += "\n  smaps_rollup:";
  s += yield* grep_file("/proc/self/smaps_rollup", [
    "Rss",
    "Pss",
    "Shared_Dirty",
    "Private_Dirty",
    "Anonymous",
    "AnonHugePages",
  ]);
  s += `\n  minflt=${ru.ru_minflt} majflt=${ru.ru_majflt}\n  meminfo:`;
  s += yield* grep_file("/proc/meminfo", ["MemFree", "AnonPages", "AnonHugePages"]);
  yield* puts(1, `${s}\n`);
}

export function* cow_main(argv: string[]): UserGen<number> {
  const mib = argv.length > 1 ? Number.parseInt(argv[1], 10) || 0 : 50;
  const thp = argv.length > 2 && argv[2] === "thp";
  const size = mib * 1024 * 1024;
  yield* report("parent", "step 0: start");
  const buf = yield* mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  if (buf < 0) {
    yield* puts(2, `mmap: ${strerror(buf)}\n`);
    return 1;
  }
  if (!thp) yield* madvise(buf, size, MADV_NOHUGEPAGE);
  yield* memset(buf, 0x11, size);
  yield* report(
    "parent",
    thp ? "step 1: after mmap+touch (THP allowed)" : "step 1: after mmap+touch (MADV_NOHUGEPAGE)",
  );
  const p2c = yield* pipe();
  const c2p = yield* pipe();
  if (typeof p2c === "number" || typeof c2p === "number") {
    yield* puts(2, "pipe: Too many open files\n");
    return 1;
  }
  const one = (fd: number, c: string): UserGen<number> => write(fd, enc(c));
  const pid = yield* fork(function* () {
    yield* report("child", "step 2: after fork, before any write");
    yield* one(c2p[1], "a");
    yield* read(p2c[0], 1);
    yield* memset(buf, 0x22, size / 2);
    yield* report("child", "step 3: after child wrote first half");
    yield* one(c2p[1], "b");
    yield* read(p2c[0], 1);
    for (let off = 0; off < size; off += 4096) yield* touch(buf + off, 1);
    yield* report("child", "step 4: after child read all pages");
    return 0;
  });
  if (pid < 0) {
    yield* puts(2, `fork: ${strerror(pid)}\n`);
    return 1;
  }
  yield* read(c2p[0], 1);
  yield* report("parent", "step 2: after fork");
  yield* one(p2c[1], "x");
  yield* read(c2p[0], 1);
  yield* report("parent", "step 3: after child wrote first half");
  yield* one(p2c[1], "y");
  yield* wait4(pid, 0);
  yield* report("parent", "step 5: after child exited");
  yield* munmap(buf, size);
  yield* report("parent", "step 6: after munmap");
  for (const fd of [...p2c, ...c2p]) yield* close(fd);
  return 0;
}
