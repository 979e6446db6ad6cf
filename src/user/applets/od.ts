/*
 * od.ts - od as Debian builds BusyBox: od_bloaty.c, coreutils' od.
 *
 *   0000000 062550 066154 020157 067567 066162 005144 177401 061141
 *   0000020 ...
 *   0000114
 *
 * Each line shows -w bytes (16; 32 for a bare -w) once per output type, an
 * address in front of the first (octal, -A d/x/n), every item right-aligned
 * in its type's width after one space. Types are -t [acdfoux][SIZE] (SIZE
 * 1 2 4 8, or C S I L; f takes 4 8 F D L) or the traditional letters:
 * -a a1  -b o1  -c c  -d u2  -f f4  -h x2  -i d2  -l d4  -o o2  -s d2  -x x2.
 * Multi-byte items are little-endian (ARM and x86 alike); a short last item
 * is zero-padded. A line equal to the one before is "*" unless -v. -j SKIP
 * and -N COUNT pick the bytes, -S N prints NUL-terminated strings of N or
 * more printable characters instead. The last line is the end address.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_bytes } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bkm_suffixes, strtou_range_sfx } from "../libc/libbb.js";
import { read_all } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `od [-abcdfhilovxs] [-t TYPE] [-A RADIX] [-N SIZE] [-j SKIP] [-S MINSTR] [-w WIDTH] [FILE]...

Print FILEs (or stdin) unambiguously, as octal bytes by default`;

/** An output type: how many bytes an item takes and how it is printed. */
interface Spec {
  kind: "a" | "c" | "d" | "u" | "o" | "x" | "f";
  size: number;
  width: number;
}

const WIDTHS: Record<string, Record<number, number>> = {
  o: { 1: 3, 2: 6, 4: 11, 8: 22 },
  u: { 1: 3, 2: 5, 4: 10, 8: 20 },
  d: { 1: 4, 2: 6, 4: 11, 8: 20 },
  x: { 1: 2, 2: 4, 4: 8, 8: 16 },
  f: { 4: 15, 8: 23 },
};
const TRADITIONAL: Record<string, string> = {
  a: "a",
  b: "o1",
  c: "c",
  d: "u2",
  f: "f4",
  h: "x2",
  i: "d2",
  l: "d4",
  o: "o2",
  s: "d2",
  x: "x2",
};
const NAMES = [
  "nul",
  "soh",
  "stx",
  "etx",
  "eot",
  "enq",
  "ack",
  "bel",
  "bs",
  "ht",
  "nl",
  "vt",
  "ff",
  "cr",
  "so",
  "si",
  "dle",
  "dc1",
  "dc2",
  "dc3",
  "dc4",
  "nak",
  "syn",
  "etb",
  "can",
  "em",
  "sub",
  "esc",
  "fs",
  "gs",
  "rs",
  "us",
  "sp",
];

/** decode_format_string: one -t argument, or the error message. */
export function decode_type(s: string): Spec[] | string {
  const out: Spec[] = [];
  let i = 0;
  while (i < s.length) {
    const k = s[i++];
    if (k === "a" || k === "c") {
      out.push({ kind: k, size: 1, width: 3 });
      continue;
    }
    if (!"doux f".includes(k) || k === " ") return `invalid character '${k}' in type string '${s}'`;
    let size = k === "f" ? 8 : 4;
    const m = /^([0-9]+|[CSILFD])/.exec(s.slice(i));
    if (m) {
      i += m[0].length;
      const sym: Record<string, number> = { C: 1, S: 2, I: 4, L: 8, F: 4, D: 8 };
      size = m[0] in sym ? sym[m[0]] : Number(m[0]);
      // bb_strtou: digits running into a letter or digit are out of range (UINT_MAX).
      if (!(m[0] in sym) && /^[0-9A-Za-z]/.test(s.slice(i))) size = 4294967295;
    }
    if (!WIDTHS[k][size])
      return k === "f"
        ? `invalid type string '${s}'; ${size}-byte floating point type is not supported`
        : `invalid type string '${s}'; ${size}-byte integral type is not supported`;
    out.push({ kind: k as Spec["kind"], size, width: WIDTHS[k][size] });
  }
  return out;
}

/** One item of `size` bytes at data[off] (zero-padded past the end), formatted. */
function item(sp: Spec, data: Uint8Array, off: number): string {
  let v = 0n;
  for (let b = sp.size - 1; b >= 0; b--) v = (v << 8n) | BigInt(data[off + b] ?? 0);
  let s: string;
  switch (sp.kind) {
    case "a": {
      const c = Number(v) & 0x7f;
      s = c <= 32 ? NAMES[c] : c === 127 ? "del" : String.fromCharCode(c);
      break;
    }
    case "c": {
      const c = Number(v);
      const esc: Record<number, string> = {
        0: "\\0",
        7: "\\a",
        8: "\\b",
        9: "\\t",
        10: "\\n",
        11: "\\v",
        12: "\\f",
        13: "\\r",
      };
      s = c in esc ? esc[c] : c >= 32 && c < 127 ? String.fromCharCode(c) : c.toString(8).padStart(3, "0");
      break;
    }
    case "o":
      s = v.toString(8).padStart(sp.width, "0");
      break;
    case "x":
      s = v.toString(16).padStart(sp.width, "0");
      break;
    case "u":
      s = v.toString();
      break;
    case "d":
      s = BigInt.asIntN(sp.size * 8, v).toString();
      break;
    case "f": {
      const buf = new DataView(new ArrayBuffer(8));
      for (let b = 0; b < sp.size; b++) buf.setUint8(b, data[off + b] ?? 0);
      const f = sp.size === 4 ? buf.getFloat32(0, true) : buf.getFloat64(0, true);
      // " %15.7e" for a float, " %24.15e" for a double: always the exponent form.
      s = Number.isFinite(f)
        ? f.toExponential(sp.size === 4 ? 7 : 15).replace(/e([+-])(\d)$/, "e$10$2")
        : Number.isNaN(f)
          ? (data[off + sp.size - 1] ?? 0) & 0x80
            ? "-nan"
            : "nan"
          : f < 0
            ? "-inf"
            : "inf";
      break;
    }
  }
  return s.padStart(sp.width);
}

function* od_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "abcdfhilovxsA:N:j:S:t:w::", USAGE, [
    { name: "skip-bytes", arg: 1, val: "j" },
    { name: "address-radix", arg: 1, val: "A" },
    { name: "read-bytes", arg: 1, val: "N" },
    { name: "format", arg: 1, val: "t" },
    { name: "output-duplicates", arg: 0, val: "v" },
    { name: "strings", arg: 2, val: "S" },
    { name: "width", arg: 2, val: "w" },
  ]);
  if (!o) return 1;
  // od_bloaty's order, each letter once: a b c d f h i l o, every -t as given, then x and s.
  const types: string[] = [];
  for (const k of "abcdfhilo") if (o.has(k)) types.push(TRADITIONAL[k]);
  types.push(...o.list("t"));
  for (const k of "xs") if (o.has(k)) types.push(TRADITIONAL[k]);
  const specs: Spec[] = [];
  for (const t of types) {
    const d = decode_type(t);
    if (typeof d === "string") {
      yield* bb_error_msg("od", d);
      return 1;
    }
    specs.push(...d);
  }
  if (specs.length === 0) specs.push({ kind: "o", size: 2, width: 6 });
  const radix = o.arg("A") ?? "o";
  if (!"doxn".includes(radix) || radix.length !== 1) {
    yield* bb_error_msg("od", `bad output address radix '${radix}' (must be [doxn])`);
    return 1;
  }
  const num = function* (key: string): UserGen<number | null | undefined> {
    const a = o.arg(key);
    if (a === undefined) return undefined;
    const r = strtou_range_sfx(a, 0, 0, Number.MAX_SAFE_INTEGER, bkm_suffixes);
    if (!r.ok) {
      yield* bb_error_msg("od", `invalid number '${a}'`);
      return null;
    }
    return r.value;
  };
  const skip = yield* num("j");
  const limit = yield* num("N");
  if (skip === null || limit === null) return 1;
  let width = 16;
  if (o.has("w")) {
    const w = o.arg("w");
    width = w === undefined ? 32 : Number(w);
    if (!/^[0-9]+$/.test(w ?? "32") || width === 0) {
      yield* bb_error_msg("od", `invalid number '${w}'`);
      return 1;
    }
  }
  // the input: all FILEs (or stdin) as one stream
  const parts: Uint8Array[] = [];
  let status = 0;
  for (const f of o.rest.length ? o.rest : ["-"]) {
    const d = f === "-" ? yield* read_all(0) : yield* read_bytes(f);
    if (typeof d === "number") {
      yield* bb_perror_msg("od", f, d);
      status = 1;
      continue;
    }
    parts.push(d);
  }
  // No FILE could be opened: nothing to dump (open_next_file left no stream).
  if (parts.length === 0) return 1;
  let all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  if ((skip ?? 0) > all.length) {
    yield* bb_error_msg("od", "can't skip past end of combined input");
    return 1;
  }
  const start = skip ?? 0;
  all = all.subarray(start, limit === undefined ? all.length : start + limit);
  const addrWidth = radix === "x" ? 6 : 7;
  /*
   * With -An the lines after a block's first are indented by
   * address_pad_len_char - '0', read from one past the end of od_bloaty's
   * three-entry table: in Debian's 1.35 binary that byte is the 'u' the next
   * table starts with, so 69.
   */
  const AN_PAD = 69;
  const addr = (n: number): string =>
    radix === "n" ? "" : n.toString(radix === "o" ? 8 : radix === "d" ? 10 : 16).padStart(addrWidth, "0");
  const out = yield* Writer.open(1);
  const strMin = o.has("S") ? Number(o.arg("S") ?? "3") : 0;
  if (strMin) {
    // -S: NUL-terminated runs of printable characters
    let run = "";
    for (let i = 0; i <= all.length; i++) {
      const c = all[i];
      if (c !== undefined && c >= 32 && c < 127) run += String.fromCharCode(c);
      else {
        if (c === 0 && run.length >= strMin) yield* out.puts(`${addr(start + i - run.length)} ${run}\n`);
        run = "";
      }
    }
    yield* out.flush();
    return status;
  }
  let prev: string | null = null;
  let starred = false;
  for (let off = 0; off < all.length; off += width) {
    const n = Math.min(width, all.length - off);
    let block = "";
    specs.forEach((sp, si) => {
      let line = si === 0 ? "" : " ".repeat(radix === "n" ? AN_PAD : addrWidth);
      for (let i = 0; i < n; i += sp.size) line += ` ${item(sp, all.subarray(0, off + n), off + i)}`;
      block += `${line}\n`;
    });
    if (!o.has("v") && n === width && block === prev) {
      if (!starred) yield* out.puts("*\n");
      starred = true;
      continue;
    }
    starred = false;
    prev = n === width ? block : null;
    yield* out.puts(addr(start + off) + block);
  }
  if (radix !== "n") yield* out.puts(`${addr(start + all.length)}\n`);
  yield* out.flush();
  return status;
}

export const od: Applet = { name: "od", dir: "/usr/bin", usage: USAGE, main: od_main };
