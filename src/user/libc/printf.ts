/*
 * printf.ts - C's floating-point conversions (%f %e %g and capitals), the
 * part of printf that src/lib/sprintf.ts (integers and strings) leaves out.
 * Used by the printf and seq applets.
 *
 *   %f   fixed, precision 6            3.141593
 *   %e   d.dddddde+XX, at least two exponent digits
 *   %g   %e when the exponent is < -4 or >= precision, else %f; trailing
 *        zeros dropped unless '#'
 * inf and nan print as "inf"/"nan" ("INF"/"NAN" for capitals).
 */

/**
 * The exact decimal expansion of a finite double >= 0: its digits and where
 * the decimal point goes (value = 0.DIGITS * 10^point). A double is m * 2^e,
 * and m * 2^-k = m * 5^k / 10^k, so BigInt arithmetic gives every digit.
 */
function exact(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: "0", point: 1 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = bexp - 1075;
  if (bexp === 0) e = -1074;
  else m |= 1n << 52n;
  if (e >= 0) {
    const d = (m << BigInt(e)).toString();
    return { digits: d, point: d.length };
  }
  const d = (m * 5n ** BigInt(-e)).toString();
  return { digits: d, point: d.length + e };
}

/** Rounds 0.DIGITS*10^point to `keep` significant digits, half to even as glibc does. */
function round_digits(digits: string, point: number, keep: number): { digits: string; point: number } {
  if (keep < 0) return { digits: "0", point: point };
  if (digits.length <= keep) return { digits: digits.padEnd(keep, "0"), point };
  const head = digits.slice(0, keep);
  const rest = digits.slice(keep);
  const last = keep > 0 ? Number(head[keep - 1]) : 0;
  const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || last % 2 === 1));
  if (!up) return { digits: head || "0", point: keep > 0 ? point : point };
  const n = (BigInt(head || "0") + 1n).toString();
  if (n.length > keep) return { digits: n.slice(0, Math.max(keep, 1)), point: point + 1 };
  return { digits: n.padStart(keep, "0"), point };
}

/** %.{prec}f of x >= 0, exactly. */
function fixed(x: number, prec: number): string {
  const { digits, point } = exact(x);
  const r = round_digits(digits, point, point + prec);
  let d = r.digits;
  let p = r.point;
  if (p <= 0) {
    d = "0".repeat(1 - p) + d;
    p = 1;
  }
  d = d.padEnd(p + prec, "0");
  const int = d.slice(0, p).replace(/^0+(?=\d)/, "");
  return prec > 0 ? `${int}.${d.slice(p, p + prec)}` : int;
}

/** %.{prec}e of x >= 0, exactly: [digit, fraction, exponent]. */
function sci(x: number, prec: number): { mant: string; exp: number } {
  if (x === 0) return { mant: prec > 0 ? `0.${"0".repeat(prec)}` : "0", exp: 0 };
  const { digits, point } = exact(x);
  const nz = digits.replace(/^0+/, "");
  const p = point - (digits.length - nz.length);
  const r = round_digits(nz, p, prec + 1);
  const d = r.digits;
  return { mant: prec > 0 ? `${d[0]}.${d.slice(1, prec + 1)}` : d[0], exp: r.point - 1 };
}

function expstr(mant: string, exp: number): string {
  return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

function strip_zeros(s: string): string {
  if (!s.includes(".")) return s;
  const m = /^([^e]*?)\.?0*(e.*)?$/.exec(s);
  return m ? m[1] + (m[2] ?? "") : s;
}

/** One floating conversion: conv in "fFeEgG", flags from "-+ 0#". */
export function format_double(
  conv: string,
  flags: string,
  width: number,
  prec: number | undefined,
  v: number,
  /** A NaN's sign bit (JavaScript keeps none): "-nan". */
  negnan = false,
): string {
  const upper = conv === "E" || conv === "G" || conv === "F";
  const c = conv.toLowerCase();
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let body: string;
  if (!Number.isFinite(a)) body = Number.isNaN(a) ? "nan" : "inf";
  else if (c === "f") body = fixed(a, prec ?? 6);
  else if (c === "e") {
    const r = sci(a, prec ?? 6);
    body = expstr(r.mant, r.exp);
  } else {
    let p = prec ?? 6;
    if (p === 0) p = 1;
    const r = sci(a, p - 1);
    body = r.exp < -4 || r.exp >= p ? expstr(r.mant, r.exp) : fixed(a, p - 1 - r.exp);
    if (!flags.includes("#")) body = strip_zeros(body);
  }
  if (flags.includes("#") && !body.includes(".") && Number.isFinite(a)) body = body.replace(/^(\d+)/, "$1.");
  if (upper) body = body.toUpperCase();
  const sign =
    (neg && !Number.isNaN(v)) || (negnan && Number.isNaN(v))
      ? "-"
      : flags.includes("+")
        ? "+"
        : flags.includes(" ")
          ? " "
          : "";
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (flags.includes("-")) return sign + body + " ".repeat(width - len);
  if (flags.includes("0") && Number.isFinite(a)) return sign + "0".repeat(width - len) + body;
  return " ".repeat(width - len) + sign + body;
}

/**
 * printf's conv_strtod: strtod over the whole argument. Leading blanks are
 * skipped; an empty argument converts nothing and leaves nothing over (0,
 * no complaint); anything left after the number is an error and the value
 * is 0. Hex floats, inf and nan as glibc reads them.
 */
export function conv_strtod(a: string): { v: number; ok: boolean; negnan?: boolean } {
  const m =
    /^[ \t\n\v\f\r]*([-+]?)(?:(0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?\d+)?)|((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?))/i.exec(
      a,
    );
  if (!m) return { v: 0, ok: a === "" };
  if (m[0].length !== a.length) return { v: 0, ok: false };
  const sign = m[1] === "-" ? -1 : 1;
  if (m[4]) return { v: sign * Infinity, ok: true };
  if (m[5]) return { v: Number.NaN, ok: true, negnan: sign < 0 };
  if (m[3]) return { v: sign * Number(m[3]), ok: true };
  // A hex float: mantissa digits, then a binary exponent.
  const [mant, exp] = m[2].slice(2).split(/[pP]/);
  const [ip, fp = ""] = mant.split(".");
  const v =
    (Number.parseInt(ip || "0", 16) + (fp ? Number.parseInt(fp, 16) / 16 ** fp.length : 0)) *
    2 ** Number(exp ?? 0);
  return { v: sign * v, ok: true };
}
