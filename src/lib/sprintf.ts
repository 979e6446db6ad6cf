/*
 * sprintf.ts - C printf formatting, shared by the kernel's *_show functions
 * (Linux's vsprintf.c) and user space (libc printf).
 *
 * Conversions: d i u x X o c s p %, with flags "-+ 0#", a width and a
 * precision (either may be "*"), and the length modifiers h hh l ll z t j,
 * which are accepted and ignored: every integer is a JS number or bigint.
 * Negative numbers given to %u/%x print as 64-bit two's complement, as an
 * unsigned long would on a 64-bit kernel.
 */

export type PrintfArg = number | bigint | string;

const CONV = /%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|z|t|j|L)?([diuxXocsp%])/g;

function toBig(v: PrintfArg): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  const n = Number(v);
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

function pad(body: string, sign: string, width: number, flags: string, zeroOk: boolean): string {
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (flags.includes("-")) return sign + body + " ".repeat(width - len);
  if (flags.includes("0") && zeroOk) return sign + "0".repeat(width - len) + body;
  return " ".repeat(width - len) + sign + body;
}

/** Formats one conversion; exported for the user-space printf applet. */
export function formatOne(
  conv: string,
  flags: string,
  width: number,
  prec: number | undefined,
  arg: PrintfArg | undefined,
): string {
  switch (conv) {
    case "%":
      return "%";
    case "c": {
      const s = typeof arg === "number" ? String.fromCharCode(arg) : String(arg ?? "").slice(0, 1);
      return pad(s, "", width, flags, false);
    }
    case "s": {
      let s = arg === undefined ? "" : String(arg);
      if (prec !== undefined) s = s.slice(0, prec);
      return pad(s, "", width, flags, false);
    }
    case "d":
    case "i": {
      const v = toBig(arg ?? 0);
      const neg = v < 0n;
      let body = (neg ? -v : v).toString();
      if (prec !== undefined) body = prec === 0 && v === 0n ? "" : body.padStart(prec, "0");
      const sign = neg ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
      return pad(body, sign, width, flags, prec === undefined);
    }
    default: {
      let v = toBig(arg ?? 0);
      if (v < 0n) v = BigInt.asUintN(64, v);
      const radix = conv === "o" ? 8 : conv === "u" ? 10 : 16;
      let body = v.toString(radix);
      if (conv === "X") body = body.toUpperCase();
      if (prec !== undefined) body = prec === 0 && v === 0n ? "" : body.padStart(prec, "0");
      let prefix = "";
      if (conv === "p") prefix = "0x";
      else if (flags.includes("#") && conv === "o") {
        // '#' makes an octal number start with 0: "%#o" of 8 is 010, "%#.0o" of 0 is 0
        if (!body.startsWith("0")) body = `0${body}`;
      } else if (flags.includes("#") && v !== 0n) prefix = conv === "X" ? "0X" : conv === "x" ? "0x" : "";
      return pad(body, prefix, width, flags, prec === undefined);
    }
  }
}

/** sprintf("%-8s %6lu", "DMA", 42): C semantics, see the file comment. */
export function sprintf(fmt: string, ...args: PrintfArg[]): string {
  let i = 0;
  return fmt.replace(CONV, (_m, flags: string, w?: string, p?: string, _len?: string, conv?: string) => {
    if (conv === "%") return "%";
    let width = 0;
    if (w === "*") {
      width = Number(args[i++] ?? 0);
      if (width < 0) {
        flags += "-";
        width = -width;
      }
    } else if (w) width = Number(w);
    let prec: number | undefined;
    if (p !== undefined) {
      prec = p === "*" ? Number(args[i++] ?? 0) : Number(p || 0);
      if (prec < 0) prec = undefined;
    }
    return formatOne(conv!, flags, width, prec, args[i++]);
  });
}
