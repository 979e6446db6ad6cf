/*
 * md5_sha1_sum.ts - md5sum, sha1sum, sha256sum, sha512sum and sha3sum
 * (coreutils/md5_sha1_sum.c, one main picking the hash by its name; the
 * hashes themselves are src/lib/hash).
 *
 *   md5sum FILE...        "HASH  FILE" for each (stdin, "-", by default)
 *   md5sum -c LIST...     read "HASH  FILE" (or "HASH *FILE") lines and
 *                         print "FILE: OK" or "FILE: FAILED"; -s prints
 *                         nothing, -w names malformed lines
 *   sha3sum -a BITS       the SHA-3 width: 224 (default), 256, 384, 512,
 *                         or any multiple of 32 below 800
 *
 * -b and -t are accepted and ignored; -s and -w need -c. The hash in a
 * LIST must match exactly, in lower case (BusyBox 1.35 compares with
 * strcmp).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import type { Hash } from "../../lib/hash/md_block.js";
import { Md5 } from "../../lib/hash/md5.js";
import { Sha1 } from "../../lib/hash/sha1.js";
import { Sha3 } from "../../lib/hash/sha3.js";
import { Sha256 } from "../../lib/hash/sha256.js";
import { Sha512 } from "../../lib/hash/sha512.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  INT_MAX,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { dec } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { read } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const CHECK_HELP = `\t-c\tCheck sums against list in FILEs
\t-s\tDon't output anything, status code shows success
\t-w\tWarn about improperly formatted checksum lines`;

const usage = (name: string, what: string): string =>
  `${name} [-c[sw]] [FILE]...\n\nPrint or check ${what} checksums\n\n${CHECK_HELP}`;

const SHA3_USAGE = `sha3sum [-c[sw]] [-a BITS] [FILE]...

Print or check SHA3 checksums

${CHECK_HELP}
\t-a BITS\t224 (default), 256, 384, 512`;

/** One applet of the family: its name, usage and hash. */
interface SumKind {
  name: string;
  usage: string;
  make: (sha3_width: number) => Hash;
}

/** What a run needs: the applet and -a's width. */
interface SumRun {
  kind: SumKind;
  sha3_width: number;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Die with a message (sha3sum's bad -a). */
class Die {
  constructor(readonly msg: string) {}
}

/** hash_file: the hex digest of a file ("-" is stdin), or null after a warning. */
function* hash_file(run: SumRun, filename: string): UserGen<string | null> {
  const applet = run.kind.name;
  const fd = yield* open_stdin(filename);
  if (fd < 0) {
    yield* bb_perror_msg(applet, `can't open '${filename}'`, fd);
    return null;
  }
  const w = run.sha3_width;
  if (run.kind.name === "sha3sum" && (w >= 800 || w === 0 || w & 0x1f)) {
    yield* close_stdin(fd);
    throw new Die(`bad -a${w}`);
  }
  const h = run.kind.make(w);
  let err = 0;
  for (;;) {
    const r = yield* read(fd, 4096);
    if (typeof r === "number") {
      err = r;
      break;
    }
    if (r.length === 0) break;
    h.update(r);
  }
  yield* close_stdin(fd);
  if (err) {
    yield* bb_perror_msg(applet, `can't read '${filename}'`, err);
    return null;
  }
  return hex(h.digest());
}

/** -c: check each line of a LIST; the status (0 all matched). */
function* check_list(run: SumRun, out: Writer, list: string, fd: number, silent: boolean, warn: boolean) {
  const applet = run.kind.name;
  const reader = new Reader(fd);
  let total = 0;
  let failed = 0;
  let status = 0;
  for (;;) {
    const b = yield* reader.getlineBytes();
    if (b === null) break;
    const line = dec(b).replace(/\n$/, "");
    total++;
    let sep = line.indexOf("  ");
    if (sep < 0) sep = line.indexOf(" *");
    if (sep < 0) {
      if (warn) {
        yield* out.flush();
        yield* bb_error_msg(applet, "invalid format");
      }
      failed++;
      status = 1;
      continue;
    }
    const want = line.slice(0, sep);
    const filename = line.slice(sep + 2);
    yield* out.flush();
    const got = yield* hash_file(run, filename);
    if (got !== null && got === want) {
      if (!silent) yield* out.puts(`${filename}: OK\n`);
    } else {
      if (!silent) yield* out.puts(`${filename}: FAILED\n`);
      failed++;
      status = 1;
    }
  }
  yield* out.flush();
  if (failed && !silent)
    yield* bb_error_msg(applet, `WARNING: ${failed} of ${total} computed checksums did NOT match`);
  if (total === 0) {
    status = 1;
    yield* bb_error_msg(applet, `${list}: no checksum lines found`);
  }
  return status;
}

function* sum_main(kind: SumKind, argv: string[]): UserGen<number> {
  const sha3 = kind.name === "sha3sum";
  const o = yield* bb_getopt(argv, sha3 ? "scwbta:" : "scwbt", kind.usage);
  if (!o) return 1;
  if ((o.has("s") || o.has("w")) && !o.has("c")) return yield* bb_show_usage(kind.usage);
  const run: SumRun = { kind, sha3_width: 224 };
  const a = o.arg("a");
  if (a !== undefined) {
    const r = strtou_range_sfx(a, 10, 0, INT_MAX);
    if (!r.ok) {
      yield* bb_error_msg(kind.name, r.msg);
      return 1;
    }
    run.sha3_width = r.value;
  }
  const files = o.rest.length ? o.rest : ["-"];
  const out = yield* Writer.open(1);
  let status = 0;
  try {
    for (const f of files) {
      if (o.has("c")) {
        const fd = yield* open_stdin(f);
        if (fd < 0) {
          yield* out.flush();
          yield* bb_perror_msg(kind.name, f, fd);
          return 1;
        }
        const s = yield* check_list(run, out, f, fd, o.has("s"), o.has("w"));
        yield* close_stdin(fd);
        status |= s;
      } else {
        yield* out.flush();
        const h = yield* hash_file(run, f);
        if (h === null) status = 1;
        else yield* out.puts(`${h}  ${f}\n`);
      }
    }
  } catch (e) {
    if (!(e instanceof Die)) throw e;
    yield* out.flush();
    yield* bb_error_msg(kind.name, e.msg);
    return 1;
  }
  yield* out.flush();
  return status;
}

function applet(name: string, usage: string, make: (w: number) => Hash): Applet {
  const kind: SumKind = { name, usage, make };
  return { name, dir: "/usr/bin", usage, main: (argv) => sum_main(kind, argv) };
}

export const md5sum = applet("md5sum", usage("md5sum", "MD5"), () => new Md5());
export const sha1sum = applet("sha1sum", usage("sha1sum", "SHA1"), () => new Sha1());
export const sha256sum = applet("sha256sum", usage("sha256sum", "SHA256"), () => new Sha256());
export const sha512sum = applet("sha512sum", usage("sha512sum", "SHA512"), () => new Sha512());
export const sha3sum = applet("sha3sum", SHA3_USAGE, (w) => new Sha3(w));
