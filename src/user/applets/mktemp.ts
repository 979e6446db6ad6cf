/*
 * mktemp.ts - mktemp (debianutils/mktemp.c): make a file (mode 0600) or,
 * with -d, a directory (0700) whose name is TEMPLATE with its last six
 * "X"s replaced by random letters and digits, and print the name (glibc's
 * mkstemp/mkdtemp: retried while the name exists). -u only picks a name.
 * Without TEMPLATE it is "-t tmp.XXXXXX"; -t and -p DIR put it in DIR,
 * $TMPDIR or /tmp. A TEMPLATE not ending in XXXXXX is "Invalid argument";
 * -q fails silently.
 *
 * The letters come from glibc's random_bits: getrandom(GRND_NONBLOCK)
 * fails while the kernel's CRNG is not seeded (as on a QEMU machine that
 * nobody has asked for randomness yet), so glibc falls back to the
 * monotonic clock mixed with the pid - which is what is used here; it
 * reads no /dev/urandom, which would seed the CRNG and log it.
 */

import { CLOCK_MONOTONIC, O_CREAT, O_EXCL, O_RDWR } from "../../kernel/uapi/abi.js";
import { EEXIST, EINVAL, ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, bb_show_usage, concat_path_file } from "../libc/libbb.js";
import { getenv } from "../libc/proc.js";
import { Writer } from "../libc/stream.js";
import { clock_gettime, close, getpid, lstat, mkdir, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mktemp [-dt] [-p DIR] [TEMPLATE]

Create a temporary file with name based on TEMPLATE and print its name.
TEMPLATE must end with XXXXXX (e.g. [/dir/]nameXXXXXX).
Without TEMPLATE, -t tmp.XXXXXX is assumed.

\t-d\tMake directory, not file
\t-q\tFail silently on errors
\t-t\tPrepend base directory name to TEMPLATE
\t-p DIR\tUse DIR as a base directory (implies -t)
\t-u\tDo not create anything; print a name

Base directory is: -p DIR, else $TMPDIR, else /tmp`;

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** glibc's TMP_MAX attempts: 62^3. */
const ATTEMPTS = 62 * 62 * 62;

type Kind = "file" | "dir" | "name";

/** Base-62 digits a 64-bit value gives. */
const BASE_62_DIGITS = 10;

/** random_bits without getrandom: the monotonic clock, the pid and the previous value, mixed (splitmix64). */
function* random_bits(prev: bigint): UserGen<bigint> {
  const ns = BigInt(yield* clock_gettime(CLOCK_MONOTONIC));
  let z = BigInt.asUintN(64, prev + ns + (BigInt(yield* getpid()) << 32n) + 0x9e3779b97f4a7c15n);
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

/** __gen_tempname: the name made (or picked, for "name"), or -errno (dos2unix's mkstemp too). */
export function* gen_tempname(template: string, kind: Kind): UserGen<string | number> {
  if (template.length < 6 || !template.endsWith("XXXXXX")) return -EINVAL;
  let v = 0n;
  let vdigits = 0;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let suffix = "";
    for (let i = 0; i < 6; i++) {
      if (vdigits === 0) {
        v = yield* random_bits(v);
        vdigits = BASE_62_DIGITS;
      }
      suffix += LETTERS[Number(v % 62n)];
      v /= 62n;
      vdigits--;
    }
    const name = template.slice(0, -6) + suffix;
    let res: number;
    if (kind === "file") {
      res = yield* open(name, O_RDWR | O_CREAT | O_EXCL, 0o600);
      if (res >= 0) yield* close(res);
    } else if (kind === "dir") res = yield* mkdir(name, 0o700);
    else {
      const st = yield* lstat(name);
      res = typeof st === "number" ? (st === -ENOENT ? 0 : st) : -EEXIST;
    }
    if (res >= 0) return name;
    if (res !== -EEXIST) return res;
  }
  return -EEXIST;
}

function* mktemp_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "dqtp:u", USAGE, [
    { name: "directory", arg: 0, val: "d" },
    { name: "quiet", arg: 0, val: "q" },
    { name: "dry-run", arg: 0, val: "u" },
    { name: "tmpdir", arg: 2, val: "p" },
  ]);
  if (!o) return 1;
  if (o.rest.length > 1) return yield* bb_show_usage(USAGE);
  let path = getenv(envp, "TMPDIR") || "/tmp";
  const p = o.arg("p");
  if (p !== undefined) path = p;
  let chp = o.rest[0];
  let t = o.has("t") || o.has("p");
  if (chp === undefined) {
    chp = "tmp.XXXXXX";
    t = true;
  }
  if (t) chp = concat_path_file(path, chp);
  const r = yield* gen_tempname(chp, o.has("u") ? "name" : o.has("d") ? "dir" : "file");
  if (typeof r === "number") {
    if (o.has("q")) return 1;
    // bb_perror_nomsg_and_die as 1.35 calls it: with a NULL message, which glibc prints "(null)"
    yield* bb_perror_msg("mktemp", "(null)", r);
    return 1;
  }
  const out = yield* Writer.open(1);
  yield* out.puts(`${r}\n`);
  yield* out.flush();
  return 0;
}

export const mktemp: Applet = { name: "mktemp", dir: "/bin", usage: USAGE, main: mktemp_main };
