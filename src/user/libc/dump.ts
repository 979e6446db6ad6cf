/*
 * dump.ts - the hexdump format engine of libbb (libbb/dump.c, from BSD
 * hexdump): format strings of format units, applied block by block.
 *
 *   '"%07.7_ax " 8/2 "%04x " "\n"'
 *    ^^^^^^^^^^^ ^^^^^^^^^^^ ^^^^
 *    a unit      8 times, 2 bytes each     literal text
 *
 * Every format string (-e, one per option) is applied to each block of
 * input; the block is as long as the longest format string consumes. A
 * unit without an iteration count at the end of a shorter format string is
 * repeated to fill the block. Conversions: %d %i %o %u %x %X (4 bytes unless
 * the unit says otherwise), %c (1), %e %f %g (8), %s, and the underscore
 * ones: %_a[dox] the address, %_A[dox] the address after the last byte
 * (printed once at the end), %_c characters as od -c, %_p printable or '.',
 * %_u names as od -a. The last repetition of a unit drops its trailing
 * blank; past the end of the data conversions print as blanks of their
 * width (%_p, %_c... as nothing). A block equal to the previous one prints
 * "*" once, unless -v.
 */

/** A conversion (or literal text) inside a unit (BusyBox's PR). */
interface Pr {
  kind: "text" | "addr" | "int" | "uint" | "char" | "dbl" | "str" | "_c" | "_p" | "_u";
  /** printf pieces around the conversion: flags/width/precision and the letter. */
  pre: string;
  flags: string;
  width: number;
  prec: number | null;
  conv: string;
  post: string;
  bcnt: number;
}

/** A format unit (FU): reps times its conversions over bcnt bytes. */
interface Fu {
  reps: number;
  setRep: boolean;
  bcnt: number;
  prs: Pr[];
  /** Contains %_A: printed once, at the end. */
  atEnd: boolean;
}

type Fs = Fu[];

const ESC: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  f: "\f",
  v: "\v",
  b: "\b",
  a: "\x07",
  "\\": "\\",
  '"': '"',
  "0": "\0",
};

/** Splits a unit's quoted text into literal text and conversions. */
function parse_prs(text: string, unitBcnt: number | null): Pr[] | string {
  const prs: Pr[] = [];
  let lit = "";
  let i = 0;
  const flush = (): void => {
    if (lit)
      prs.push({ kind: "text", pre: lit, flags: "", width: 0, prec: null, conv: "", post: "", bcnt: 0 });
    lit = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c !== "%") {
      lit += c;
      i++;
      continue;
    }
    if (text[i + 1] === "%") {
      lit += "%";
      i += 2;
      continue;
    }
    const m = /^%([-+ #0]*)([0-9]*)(?:\.([0-9]*))?(_[aA][dox]|_[cpu]|[diouxXcseEfgG])/.exec(text.slice(i));
    if (!m) return `bad format {${text.slice(i)}}`;
    flush();
    const conv = m[4];
    let kind: Pr["kind"];
    let bcnt: number;
    if (conv[0] === "_") {
      kind = conv[1] === "a" || conv[1] === "A" ? "addr" : (`_${conv[1]}` as Pr["kind"]);
      bcnt = kind === "addr" ? 0 : 1;
    } else if ("di".includes(conv)) {
      kind = "int";
      bcnt = unitBcnt ?? 4;
    } else if ("ouxX".includes(conv)) {
      kind = "uint";
      bcnt = unitBcnt ?? 4;
    } else if (conv === "c") {
      kind = "char";
      bcnt = 1;
    } else if (conv === "s") {
      kind = "str";
      bcnt = unitBcnt ?? 0;
      if (!bcnt && m[3] !== undefined) bcnt = Number(m[3]);
    } else {
      kind = "dbl";
      bcnt = unitBcnt === 4 ? 4 : 8;
    }
    prs.push({
      kind,
      pre: "",
      flags: m[1],
      width: m[2] ? Number(m[2]) : 0,
      prec: m[3] === undefined ? null : Number(m[3] || "0"),
      conv,
      post: "",
      bcnt,
    });
    i += m[0].length;
  }
  flush();
  return prs;
}

/** bb_dump_add: one format string; an error message or the units. */
export function parse_format(fmt: string): Fs | string {
  const fs: Fs = [];
  let i = 0;
  const skipWs = (): void => {
    while (i < fmt.length && /\s/.test(fmt[i])) i++;
  };
  for (;;) {
    skipWs();
    if (i >= fmt.length) break;
    let reps = 1;
    let setRep = false;
    let bcnt: number | null = null;
    let m = /^([0-9]+)/.exec(fmt.slice(i));
    if (m) {
      reps = Number(m[1]);
      setRep = true;
      i += m[0].length;
      skipWs();
      if (fmt[i] !== "/") return `bad format {${fmt}}`;
    }
    if (fmt[i] === "/") {
      i++;
      skipWs();
      m = /^([0-9]+)/.exec(fmt.slice(i));
      if (!m) return `bad format {${fmt}}`;
      bcnt = Number(m[1]);
      i += m[0].length;
      skipWs();
    }
    if (fmt[i] !== '"') return `bad format {${fmt}}`;
    let text = "";
    for (i++; i < fmt.length && fmt[i] !== '"'; i++) {
      if (fmt[i] === "\\" && i + 1 < fmt.length) text += ESC[fmt[++i]] ?? fmt[i];
      else text += fmt[i];
    }
    if (fmt[i] !== '"') return "missing closing quote";
    i++;
    const prs = parse_prs(text, bcnt);
    if (typeof prs === "string") return prs;
    const atEnd = prs.some((p) => p.kind === "addr" && p.conv[1] === "A");
    const sum = prs.reduce((n, p) => n + p.bcnt, 0);
    fs.push({ reps, setRep, bcnt: bcnt ?? sum, prs, atEnd });
  }
  return fs;
}

/** printf of one integer/text/double conversion as C would print it. */
function cfmt(pr: Pr, v: number | bigint | string): string {
  let s: string;
  const left = pr.flags.includes("-");
  let zero = pr.flags.includes("0") && !left;
  if (typeof v === "string") s = pr.prec !== null ? v.slice(0, pr.prec) : v;
  else if (pr.kind === "dbl") {
    const n = Number(v);
    const p = pr.prec ?? 6;
    s =
      pr.conv === "f"
        ? n.toFixed(p)
        : pr.conv.toLowerCase() === "e"
          ? n.toExponential(p).replace(/e([+-])(\d)$/, "e$10$2")
          : String(Number(n.toPrecision(p || 1)));
    if (pr.conv === "E" || pr.conv === "G") s = s.toUpperCase();
  } else {
    const big = BigInt(v);
    const neg = big < 0n;
    const mag = neg ? -big : big;
    const base = pr.conv === "o" ? 8 : pr.conv === "x" || pr.conv === "X" || pr.conv.endsWith("x") ? 16 : 10;
    let digits = mag.toString(base);
    if (pr.conv === "X") digits = digits.toUpperCase();
    if (pr.prec !== null) {
      digits = digits.padStart(pr.prec, "0");
      zero = false;
    }
    const sign = neg ? "-" : pr.flags.includes("+") ? "+" : pr.flags.includes(" ") ? " " : "";
    if (zero) digits = digits.padStart(pr.width - sign.length, "0");
    s = sign + digits;
  }
  return left ? s.padEnd(pr.width) : s.padStart(pr.width);
}

const NAMES =
  "nul soh stx etx eot enq ack bel bs ht lf vt ff cr so si dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs rs us sp".split(
    " ",
  );

/** The dumper: the format strings, and what display() needs between blocks. */
export class Dumper {
  private blocksize = 0;
  constructor(
    private readonly fss: Fs[],
    private readonly vflag: boolean,
  ) {
    for (const fs of fss)
      this.blocksize = Math.max(
        this.blocksize,
        fs.reduce((n, fu) => n + (fu.atEnd ? 0 : fu.reps * fu.bcnt), 0),
      );
    // rewrite(): the last unit of a shorter string repeats to fill the block
    for (const fs of fss) {
      const total = fs.reduce((n, fu) => n + (fu.atEnd ? 0 : fu.reps * fu.bcnt), 0);
      const last = fs[fs.length - 1];
      if (last && !last.setRep && last.bcnt && total < this.blocksize)
        last.reps += Math.floor((this.blocksize - total) / last.bcnt);
    }
  }

  /** The whole dump of `data`, whose first byte is at address `start`. */
  display(data: Uint8Array, start: number): string {
    let out = "";
    const bs = this.blocksize;
    const eaddress = start + data.length;
    // BusyBox's savp starts zero-filled: it is what a first partial block is compared with
    let prev: Uint8Array | null = new Uint8Array(bs);
    let starred = false;
    let first = true;
    let address = start;
    if (bs > 0)
      for (let off = 0; off < data.length; off += bs) {
        const n = Math.min(bs, data.length - off);
        const block = new Uint8Array(bs);
        block.set(data.subarray(off, off + n));
        const same = prev !== null && block.subarray(0, n).every((b, i) => b === prev![i]);
        if (n === bs && same && !this.vflag && !first) {
          if (!starred) out += "*\n";
          starred = true;
          address += bs;
          continue;
        }
        // get(): a short last block equal to the start of the one before is starred too, and shown
        if (n < bs && same && !this.vflag && !starred) out += "*\n";
        starred = false;
        first = false;
        prev = block;
        for (const fs of this.fss) out += this.display_fs(fs, block, address, n < bs ? eaddress : -1);
        address += bs;
      }
    // nothing read at all: no end address either
    if (data.length === 0 && start === 0) return out;
    // rewrite() keeps one endfu: the last format unit with %_A, whichever format string it is in.
    let endfu: Fs[number] | null = null;
    for (const fs of this.fss) for (const fu of fs) if (fu.atEnd) endfu = fu;
    if (endfu)
      for (const pr of endfu.prs) {
        if (pr.kind === "text") out += pr.pre;
        else if (pr.kind === "addr") out += cfmt({ ...pr, conv: pr.conv[2] }, eaddress);
      }
    return out;
  }

  private display_fs(fs: Fs, block: Uint8Array, base: number, eaddress: number): string {
    let out = "";
    let addr = base;
    let bp = 0;
    for (const fu of fs) {
      if (fu.atEnd) break;
      for (let cnt = fu.reps; cnt > 0; cnt--) {
        fu.prs.forEach((pr, pi) => {
          const last = cnt === 1 && pi === fu.prs.length - 1 && fu.reps > 1;
          let s: string;
          const past = eaddress >= 0 && addr >= eaddress;
          if (pr.kind === "text") s = pr.pre;
          else if (past && pr.kind !== "addr") {
            // bpad(): the conversion becomes "%Ns" of nothing (the % flags dropped)
            s =
              ["_c", "_p", "_u", "char", "str"].includes(pr.kind) && pr.width === 0
                ? ""
                : "".padStart(pr.width);
          } else s = this.conv(pr, block, bp, addr);
          // nospace: the last repetition drops the one blank that ends the unit's text
          if (last && pr.kind === "text" && /\s$/.test(s)) s = s.slice(0, -1);
          out += s;
          addr += pr.bcnt;
          bp += pr.bcnt;
        });
      }
    }
    return out;
  }

  private conv(pr: Pr, b: Uint8Array, at: number, addr: number): string {
    const u = (n: number): bigint => {
      let v = 0n;
      for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i] ?? 0);
      return v;
    };
    switch (pr.kind) {
      case "addr":
        return cfmt({ ...pr, conv: pr.conv[2] }, addr);
      case "int":
        return cfmt(pr, BigInt.asIntN(pr.bcnt * 8, u(pr.bcnt)));
      case "uint":
        return cfmt(pr, u(pr.bcnt));
      case "char":
        return cfmt(pr, String.fromCharCode(b[at]));
      case "str": {
        const bytes = b.subarray(at, at + pr.bcnt);
        const z = bytes.indexOf(0);
        return cfmt(pr, String.fromCharCode(...(z < 0 ? bytes : bytes.subarray(0, z))));
      }
      case "dbl": {
        const dv = new DataView(b.buffer, b.byteOffset + at, pr.bcnt);
        return cfmt(pr, pr.bcnt === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true));
      }
      case "_p": {
        const c = b[at];
        return cfmt(pr, c >= 32 && c < 127 ? String.fromCharCode(c) : ".");
      }
      case "_c": {
        const c = b[at];
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
        if (c in esc) return cfmt(pr, esc[c]);
        if (c >= 32 && c < 127) return cfmt(pr, String.fromCharCode(c));
        return cfmt(pr, c.toString(8).padStart(3, "0"));
      }
      case "_u": {
        const c = b[at];
        return cfmt(
          pr,
          c <= 32 ? NAMES[c] : c === 127 ? "del" : c > 127 ? c.toString(16) : String.fromCharCode(c),
        );
      }
      default:
        return "";
    }
  }
}
