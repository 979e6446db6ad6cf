/*
 * du.ts - du (coreutils/du.c): disk space used under each FILE, from the
 * st_blocks (512-byte units) that lstat reports, summed over directories.
 *
 *   du /tmp        every directory under /tmp, then /tmp itself, in KiB
 *   du -s -h /tmp  one human-readable total
 *
 * -a lists files too, -s only the operands, -d N down to depth N, -c adds
 * "total". Units: KiB by default (-k), -m MiB rounded up, -h human, -b the
 * apparent size in bytes. A file with several links is counted once
 * (unless -l); -x stays on one filesystem; -H/-L follow symlinks.
 */

import { S_ISDIR, S_ISLNK } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir } from "../libc/file.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  concat_path_file,
  make_human_readable_str,
} from "../libc/libbb.js";
import { Writer } from "../libc/stream.js";
import { lstat, stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `du [-aHLdclsxhmk] [FILE]...

Summarize disk space used for FILEs (or directories)

\t-a\tShow file sizes too
\t-b\tApparent size (including holes)
\t-L\tFollow all symlinks
\t-H\tFollow symlinks on command line
\t-d N\tLimit output to directories (and files with -a) of depth < N
\t-c\tShow grand total
\t-l\tCount sizes many times if hard linked
\t-s\tDisplay only a total for each argument
\t-x\tSkip directories on different filesystems
\t-h\tSizes in human readable format (e.g., 1K 243M 2G)
\t-m\tSizes in megabytes
\t-k\tSizes in kilobytes (default)`;

interface Du {
  out: Writer;
  /** 0: human readable. */
  disp_unit: number;
  apparent: boolean;
  all: boolean;
  hardlinks: boolean;
  oneFs: boolean;
  max_print_depth: number;
  slink_depth: number;
  depth: number;
  dir_dev: number;
  seen: Set<string>;
  status: number;
}

function* print(d: Du, size: number, name: string): UserGen<void> {
  // coreutils rounds fixed units up: add all but one of a unit's 1 KiB halves first
  if (d.disp_unit) size += Math.floor((d.disp_unit - 1) / 1024);
  yield* d.out.puts(`${make_human_readable_str(size, d.apparent ? 1 : 512, d.disp_unit)}\t${name}\n`);
}

function* du_walk(d: Du, filename: string): UserGen<number> {
  let st = yield* lstat(filename);
  if (typeof st === "number") {
    yield* d.out.flush();
    yield* bb_perror_msg("du", filename, st);
    d.status = 1;
    return 0;
  }
  if (d.oneFs) {
    if (d.depth === 0) d.dir_dev = st.st_dev;
    else if (d.dir_dev !== st.st_dev) return 0;
  }
  let sum = d.apparent ? st.st_size : st.st_blocks;
  if (S_ISLNK(st.st_mode) && d.slink_depth > d.depth) {
    const t = yield* stat(filename);
    if (typeof t === "number") {
      yield* d.out.flush();
      yield* bb_perror_msg("du", filename, t);
      d.status = 1;
      return 0;
    }
    st = t;
    sum = d.apparent ? st.st_size : st.st_blocks;
    if (d.slink_depth === 1) d.slink_depth = Number.MAX_SAFE_INTEGER; // -H becomes -L below the operands
  }
  // counted once: files with several links, and directories (nlink >= 2) too
  if (!d.hardlinks && st.st_nlink > 1) {
    const key = `${st.st_dev}:${st.st_ino}`;
    if (d.seen.has(key)) return 0;
    d.seen.add(key);
  }
  if (S_ISDIR(st.st_mode)) {
    const ents = yield* read_dir(filename);
    if (typeof ents === "number") {
      yield* d.out.flush();
      yield* bb_perror_msg("du", `can't open '${filename}'`, ents);
      d.status = 1;
      return sum;
    }
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      d.depth++;
      sum += yield* du_walk(d, concat_path_file(filename, e.d_name));
      d.depth--;
    }
  } else if (!d.all && d.depth !== 0) return sum;
  if (d.depth <= d.max_print_depth) yield* print(d, sum, filename);
  return sum;
}

function* du_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "aHkLsxd:lchbm", USAGE);
  if (!o) return 1;
  // "h-km:k-hm:m-hk:H-L:L-H:s-d:d-s": the later of conflicting options wins
  const d: Du = {
    out: yield* Writer.open(1),
    disp_unit: envp.some((e) => e.startsWith("POSIXLY_CORRECT=")) ? 512 : 1024,
    apparent: o.has("b"),
    all: o.has("a"),
    hardlinks: o.has("l"),
    oneFs: o.has("x"),
    max_print_depth: Number.MAX_SAFE_INTEGER,
    slink_depth: 0,
    depth: 0,
    dir_dev: 0,
    seen: new Set(),
    status: 0,
  };
  const unit = o.last("h", "k", "m");
  if (unit === "h") d.disp_unit = 0;
  else if (unit === "m") d.disp_unit = 1024 * 1024;
  else if (unit === "k") d.disp_unit = 1024;
  if (d.apparent) d.disp_unit = 1;
  const dep = o.arg("d");
  if (dep !== undefined) {
    if (!/^[0-9]+$/.test(dep)) {
      yield* bb_error_msg("du", `invalid number '${dep}'`);
      return 1;
    }
    d.max_print_depth = Number(dep);
  }
  const follow = o.last("H", "L");
  if (follow === "H") d.slink_depth = 1;
  else if (follow === "L") d.slink_depth = Number.MAX_SAFE_INTEGER;
  if (o.last("s", "d") === "s") d.max_print_depth = 0;
  const args = o.rest.length ? o.rest : ["."];
  if (o.rest.length === 0 && d.slink_depth === 1) d.slink_depth = 0;
  const save = d.slink_depth;
  let total = 0;
  for (const a of args) {
    // Debian's 1.35 keeps the seen-inode table across operands: "du /d /d" shows /d once
    total += yield* du_walk(d, a);
    d.slink_depth = save;
  }
  if (o.has("c")) yield* print(d, total, "total");
  yield* d.out.flush();
  return d.status;
}

export const du: Applet = { name: "du", dir: "/usr/bin", usage: USAGE, main: du_main };
