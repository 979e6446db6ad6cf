/*
 * memhog.ts - numactl's memhog (numactl 2.0.16, memhog.c): map SIZE bytes
 * (anonymous, or MAP_SHARED from -fFILE), give them a NUMA policy, and
 * memset them 10 MiB at a time, printing a dot per 10 MiB and a newline per
 * pass (-rNUM passes; -r0 forever). -H asks for no transparent huge pages.
 *
 * On a kernel without NUMA (the reference ARM box) mbind and get_mempolicy
 * fail with ENOSYS: memhog says so and carries on, as the real one does.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import {
  get_mempolicy,
  MADV_NOHUGEPAGE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MAP_SHARED,
  madvise,
  mbind,
  memset,
  mmap,
  PROT_READ,
  PROT_WRITE,
} from "../libc/mman.js";
import { puts, strerror } from "../libc/stdio.js";
import { close, open } from "../libc/sys.js";

const UNIT = 10 * 1024 * 1024;
const MPOL_F_ADDR = 2;

/** numactl's policy table, in its order. */
const POLICIES: [string, number, boolean][] = [
  ["preferred-many", 5, false],
  ["local", 4, true],
  ["interleave", 3, false],
  ["membind", 2, false],
  ["preferred", 1, false],
  ["default", 0, true],
];

const USAGE = `memhog [-fFILE] [-rNUM] size[kmg] [policy [nodeset]]
-f mmap is backed by FILE
-rNUM repeat memset NUM times
-H disable transparent hugepages
Policies: ${POLICIES.map((p) => p[0]).join(" ")}
`;

/** strtoul(s, &end, 0) then an optional k/m/g suffix (numactl's memsize). */
export function memsize(s: string): number {
  const m = /^\s*[+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?(.*)$/.exec(s)!;
  let v = 0;
  if (m[1])
    v =
      m[1].startsWith("0x") || m[1].startsWith("0X")
        ? Number.parseInt(m[1].slice(2), 16)
        : m[1].length > 1 && m[1][0] === "0"
          ? Number.parseInt(m[1], 8)
          : Number(m[1]);
  // G, M and K fall through to each other in numactl's memsize.
  const shift = { G: 3, M: 2, K: 1 }[(m[2][0] ?? "").toUpperCase()] ?? 0;
  return v * 1024 ** shift;
}

/** numa_parse_nodestring: "0", "0-2", "0,2", "all". */
function parse_nodes(s: string | undefined): number[] | null {
  if (!s) return null;
  if (s === "all") return [0];
  const out: number[] = [];
  for (const part of s.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    for (let n = Number(m[1]); n <= Number(m[2] ?? m[1]); n++) out.push(n);
  }
  return out;
}

function* usage(): UserGen<number> {
  yield* puts(1, USAGE);
  return 1;
}

export function* memhog_main(argv: string[]): UserGen<number> {
  let av = argv.slice(1);
  let repeat = 1;
  let fd = -1;
  let nohuge = false;
  while (av[0]?.startsWith("-")) {
    const opt = av[0];
    if (opt[1] === "f") {
      fd = yield* open(opt.slice(2), 2 /* O_RDWR */);
      if (fd < 0) yield* puts(2, `${opt.slice(2)}: ${strerror(fd)}\n`);
    } else if (opt[1] === "r") repeat = Number.parseInt(opt.slice(2), 10) || 0;
    else if (opt[1] === "H") nohuge = true;
    else return yield* usage();
    av = av.slice(1);
  }
  if (!av[0]) return yield* usage();
  const length = memsize(av[0]);
  if (av[1]) {
    const probe = yield* get_mempolicy(0, 0);
    if (probe === -38) {
      yield* puts(1, "Kernel doesn't support NUMA policy\n");
      return 1;
    }
  }
  const pol = av[1] === undefined ? POLICIES[5] : POLICIES.find((p) => p[0] === av[1]);
  if (!pol || (!av[2] && !pol[2])) return yield* usage();
  let nodes: number[] = [];
  if (pol[1] !== 0) {
    const n = parse_nodes(av[2]);
    if (!n) {
      yield* puts(1, `<${av[2]}> is invalid\n`);
      return 1;
    }
    nodes = n;
  }
  const map =
    fd >= 0
      ? yield* mmap(0, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
      : yield* mmap(0, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  if (map < 0) {
    yield* puts(2, `numactl: mmap: ${strerror(map)}\n`);
    return 1;
  }
  if (fd >= 0) yield* close(fd);
  const b = yield* mbind(map, length, pol[1], nodes);
  if (b < 0) yield* puts(2, `mbind: ${strerror(b)}\n`);
  if (nohuge) yield* madvise(map, length, MADV_NOHUGEPAGE);
  const g = yield* get_mempolicy(map, MPOL_F_ADDR);
  if (typeof g === "number" && g < 0) yield* puts(2, `get_mempolicy: ${strerror(g)}\n`);
  for (let i = 0; repeat === 0 || i < repeat; i++) {
    for (let off = 0; off < length; off += UNIT) {
      yield* puts(1, ".");
      const r = yield* memset(map + off, 0xff, Math.min(UNIT, length - off));
      if (r < 0) return 139; // the kernel has sent SIGSEGV/SIGBUS by now
    }
    yield* puts(1, "\n");
  }
  return 0;
}
