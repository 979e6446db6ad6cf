/*
 * xxd.ts - xxd (util-linux/hexdump_xxd.c): a hex dump of FILE (or stdin)
 * in vim's xxd layout, made by BusyBox with its hexdump engine (libbb/dump.c).
 *
 *   xxd        00000000: 6162 6364 ...  abcd     address, -g N bytes a group,
 *                                                -c N bytes a line (16)
 *   xxd -p     61626364...                       30 bytes a line
 *   xxd -i     "  0x61, 0x62," lines (12 a line), with a C array around
 *              them when a FILE is named
 *   xxd -r     the bytes back from hex text (BusyBox ignores every
 *              non-hex character, and a nibble can continue on the next line)
 *
 * The engine's block walk is kept because its quirks show: a short last
 * line is padded to the full width (-p and -i stop at the data instead,
 * BusyBox's xxd_eofstring); -s seeks (so a pipe says "Illegal seek"), and
 * a skip as long as a regular file only adds its size to the address - when
 * it is exactly the size the file is then dumped from its start, the first
 * line at that address and the next ones counted from 0 again (savaddress).
 * -o adds to the shown address (64-bit, wrapping); -l stops after LENGTH.
 */

import { S_ISREG, SEEK_SET } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin } from "../libc/file.js";
import {
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  INT_MAX,
  strtoll_range,
  strtou_range_sfx,
  strtoull_range,
} from "../libc/libbb.js";
import { latin1_bytes } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { fstat, lseek } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `xxd [-pri] [-g N] [-c N] [-n LEN] [-s OFS] [-o OFS] [FILE]

Hex dump FILE (or stdin)

\t-g N\t\tBytes per group
\t-c N\t\tBytes per line
\t-p\t\tShow only hex bytes, assumes -c30
\t-i\t\tC include file style
\t-l LENGTH\tShow only first LENGTH bytes
\t-s OFFSET\tSkip OFFSET bytes
\t-o OFFSET\tAdd OFFSET to displayed offset
\t-r\t\tReverse (with -p, assumes no offsets in input)`;

const hex2 = (b: number): string => b.toString(16).padStart(2, "0");
const isspace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const xdigit = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;

/**
 * A chunk as xmalloc_fgetline gives it (bb_get_chunk_from_file ends one at
 * a "\n" or at a NUL) read as a C string: without the "\n", up to the NUL.
 */
function cstring(line: Uint8Array): Uint8Array {
  let end = line.length && line[line.length - 1] === 10 ? line.length - 1 : line.length;
  const z = line.subarray(0, end).indexOf(0);
  if (z >= 0) end = z;
  return line.subarray(0, end);
}

/** reverse(): hex text back to bytes; without -p each line's leading address (and ':') is skipped. */
function* reverse(plain: boolean, name: string | undefined): UserGen<number> {
  const fd = name === undefined ? 0 : yield* open_stdin(name);
  if (fd < 0) {
    yield* bb_perror_msg("xxd", `can't open '${name}'`, fd);
    return 1;
  }
  const r = new Reader(fd);
  const out = yield* Writer.open(1);
  const bytes: number[] = [];
  let raw = yield* r.getchunkBytes();
  while (raw !== null) {
    let p = cstring(raw);
    let i = 0;
    if (!plain) {
      while (i < p.length && xdigit(p[i]) >= 0) i++;
      if (p[i] === 58 /* ':' */) i++;
    }
    const next = (): number => {
      while (i < p.length && isspace(p[i])) i++;
      return i < p.length ? p[i++] : 0;
    };
    let val = -1; // the first nibble, shifted; -1 while none
    for (;;) {
      const c = next();
      const d = xdigit(c);
      if (val < 0) {
        if (d >= 0) val = d << 4;
        else if (c === 0) break;
        continue;
      }
      if (d >= 0) {
        bytes.push(val | d);
        val = -1;
      } else if (c !== 0) {
        val = -1; // "3<not hex>" drops both
      } else {
        // the byte's second nibble may be on the next line (whose address is not skipped)
        raw = yield* r.getchunkBytes();
        if (raw === null) break;
        p = cstring(raw);
        i = 0;
      }
    }
    if (bytes.length >= 4096) yield* out.write(Uint8Array.from(bytes.splice(0)));
    if (raw !== null) raw = yield* r.getchunkBytes();
  }
  yield* out.write(Uint8Array.from(bytes));
  yield* out.flush();
  yield* close_stdin(fd);
  return 0;
}

/** print_C_style: NAME with "__" before a leading digit and '_' for each non-alphanumeric. */
function c_name(name: string): string {
  return (/^[0-9]/.test(name) ? "__" : "") + name.replace(/[^A-Za-z0-9]/g, "_");
}

function* xxd_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "l:s:apirg:c:o:", USAGE);
  if (!o) return 1;
  if (o.rest.length > 1) return yield* bb_show_usage(USAGE);
  let bytes = 2;
  let cols = 0;
  // getopt32's "g:+c:+" converts each as it is met
  for (const s of o.seen) {
    if (s.key !== "g" && s.key !== "c") continue;
    const v = strtou_range_sfx(s.arg!, 10, 0, INT_MAX);
    if (!v.ok) {
      yield* bb_error_msg("xxd", v.msg);
      return 1;
    }
    if (s.key === "g") bytes = v.value;
    else cols = v.value;
  }
  let length = -1;
  let skip = 0n;
  const l = o.arg("l");
  if (l !== undefined) {
    const v = strtou_range_sfx(l, 0, 0, INT_MAX);
    if (!v.ok) {
      yield* bb_error_msg("xxd", v.msg);
      return 1;
    }
    length = v.value;
  }
  const s = o.arg("s");
  if (s !== undefined) {
    const v = strtoull_range(s, 0, 0n, (1n << 63n) - 1n);
    if (!v.ok) {
      yield* bb_error_msg("xxd", v.msg);
      return 1;
    }
    skip = v.value;
  }
  const name = o.rest[0];
  if (o.has("r")) return yield* reverse(o.has("p"), name);
  let displayoff = 0n;
  const off = o.arg("o");
  if (off !== undefined) {
    const v = strtoll_range(off, 0);
    if (!v.ok) {
      yield* bb_error_msg("xxd", v.msg);
      return 1;
    }
    displayoff = v.value;
  }
  const plain = o.has("p");
  const cstyle = o.has("i");
  if (plain) {
    if (cols === 0) cols = 30;
    bytes = cols;
  } else {
    if (cols === 0) cols = cstyle ? 12 : 16;
    if (cstyle) bytes = 1;
  }
  /** Does a blank follow byte i (1-based) of a line? */
  const sep = (i: number): boolean => bytes >= 1 && bytes < cols && i < cols && i % bytes === 0;
  /** -i's " 0xXX," needs groups of 1 on lines of more than one byte; otherwise plain "XX". */
  const cbytes = cstyle && !plain && bytes === 1 && cols > 1;

  const out = yield* Writer.open(1);
  // bb_dump_dump's state: the address of the block shown, and savaddress that the next one follows
  let address = 0n;
  const dump = function* (): UserGen<number> {
    let savaddress = 0n;
    const fname = name ?? "stdin";
    const fd = name === undefined ? 0 : yield* open_stdin(name);
    if (fd < 0) {
      yield* out.flush();
      yield* bb_perror_msg("xxd", name!, fd);
      return 1;
    }
    // do_skip
    if (skip) {
      const st = yield* fstat(fd);
      if (typeof st === "object" && S_ISREG(st.st_mode) && skip >= BigInt(st.st_size)) {
        skip -= BigInt(st.st_size);
        address += BigInt(st.st_size);
        if (skip) return 0; // no more files: nothing to show
      } else {
        const r = yield* lseek(fd, Number(skip), SEEK_SET);
        if (r < 0) {
          yield* out.flush();
          yield* bb_perror_msg("xxd", fname, r);
          return 1;
        }
        address += skip;
        savaddress = address;
      }
    }
    const rd = new Reader(fd);
    for (let first = true; ; first = false) {
      if (!first) {
        savaddress += BigInt(cols);
        address = savaddress;
      }
      const want = length < 0 ? cols : Math.min(length, cols);
      const block = want ? yield* rd.readBytes(want) : new Uint8Array(0);
      if (length >= 0) length -= block.length;
      if (rd.error) {
        yield* out.flush();
        yield* bb_perror_msg("xxd", fname, rd.error);
      }
      if (block.length === 0) break;
      const n = block.length;
      if (plain || cstyle) {
        // each format string starts over at the block; at the data's end xxd_eofstring ends it all
        let line = cstyle && !plain ? " " : "";
        for (let i = 0; i < n; i++) line += cbytes ? ` 0x${hex2(block[i])},` : hex2(block[i]);
        yield* out.puts(`${line}\n`);
        if (n < cols) {
          address += BigInt(n);
          break;
        }
        continue;
      }
      let line = `${BigInt.asUintN(64, address + displayoff)
        .toString(16)
        .padStart(8, "0")}: `;
      for (let i = 1; i <= cols; i++) line += (i <= n ? hex2(block[i - 1]) : "  ") + (sep(i) ? " " : "");
      line += "  ";
      for (const c of block) line += c >= 32 && c < 127 ? String.fromCharCode(c) : ".";
      yield* out.write(latin1_bytes(`${line}\n`));
      if (n < cols) {
        savaddress += BigInt(cols);
        address = savaddress;
        break;
      }
    }
    yield* close_stdin(fd);
    return 0;
  };
  if (cstyle && name !== undefined) yield* out.puts(`unsigned char ${c_name(name)}[] = {\n`);
  const ret = yield* dump();
  if (ret === 0 && cstyle && name !== undefined)
    yield* out.puts(`};\nunsigned int ${c_name(name)}_len = ${address};\n`);
  yield* out.flush();
  return ret;
}

export const xxd: Applet = { name: "xxd", dir: "/usr/bin", usage: USAGE, main: xxd_main };
