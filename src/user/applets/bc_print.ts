/*
 * bc_print.ts - how bc and dc print numbers and strings (BusyBox
 * miscutils/bc.c: zxc_num_print, bc_num_printNewline, xc_program_printString).
 * Lines break with "\" before the line length (BC_LINE_LENGTH, 70: 68
 * characters then the backslash; dc one wider); in a base above 16 each
 * digit is a space and a zero-padded decimal group (" 01 23"); fractions in
 * another base print as many digits as the decimal scale can hold.
 */

import { BcNum, num_mul, num_sub, num_ulong, num_ulong2num, pow10 } from "./bc_num.js";

/** What printing reads and updates of the program. */
export interface PrintHost {
  ob: number;
  /** the line length less one */
  len: number;
  /** characters on the current output line */
  nchars: number;
  isBc: boolean;
  emit(fd: number, s: string): void;
}

export class NumPrinter {
  constructor(readonly h: PrintHost) {}

  put(s: string): void {
    this.h.emit(1, s);
  }

  private printNewline(): void {
    if (this.h.nchars === this.h.len - 1) {
      this.put("\\\n");
      this.h.nchars = 0;
    }
  }

  private printHex(num: number, width: number, radix: boolean): void {
    if (radix) {
      this.printNewline();
      this.put(".");
      this.h.nchars++;
    }
    this.printNewline();
    this.put("0123456789ABCDEF"[num]!);
    this.h.nchars += width;
  }

  private printDigits(num: number, width: number, radix: boolean): void {
    this.printNewline();
    this.put(radix ? "." : " ");
    this.h.nchars++;
    this.printNewline();
    let pow = 1;
    for (let e = 0; e < width - 1; e++) pow *= 10;
    for (let e = 0; e < width; pow /= 10, this.h.nchars++, e++) {
      this.printNewline();
      const dig = Math.floor(num / pow);
      num -= dig * pow;
      this.put(String.fromCharCode(dig + 48));
    }
  }

  printChar(num: number, width: number): void {
    this.put(String.fromCharCode(num & 0xff));
    this.h.nchars += width;
  }

  private printDecimal(n: BcNum): void {
    if (n.neg) {
      this.put("-");
      this.h.nchars++;
    }
    const s = n.m.toString().padStart(n.len, "0");
    for (let i = 0; i < s.length; i++) this.printHex(s.charCodeAt(i) - 48, 1, s.length - 1 - i === n.rdx - 1);
  }

  /** zxc_num_printNum: integer digits by repeated division, the fraction by multiplication. */
  printNum(
    n: BcNum,
    base: number,
    width: number,
    print: (d: number, w: number, radix: boolean) => void,
  ): void {
    if (n.len === 0) {
      print(0, width, false);
      return;
    }
    const b = BigInt(base);
    let intp = n.m / pow10(n.rdx);
    const stack: number[] = [];
    while (intp !== 0n) {
      stack.push(Number(intp % b));
      intp /= b;
    }
    for (let i = stack.length - 1; i >= 0; i--) print(stack[i]!, width, false);
    if (!n.rdx) return;
    let fracp = new BcNum(n.m % pow10(n.rdx), n.rdx, false);
    const bn = num_ulong2num(base);
    let fracLen = 1n;
    const limit = pow10(n.rdx);
    for (let radix = true; fracLen < limit; radix = false) {
      fracp = num_mul(fracp, bn, n.rdx);
      const dig = num_ulong(fracp);
      fracp = num_sub(fracp, num_ulong2num(dig));
      print(Number(dig), width, radix);
      fracLen *= b;
    }
  }

  private printBase(n: BcNum): void {
    if (n.neg) {
      this.put("-");
      this.h.nchars++;
    }
    const abs = new BcNum(n.m, n.rdx, false);
    if (this.h.ob <= 16) this.printNum(abs, this.h.ob, 1, (d, w, r) => this.printHex(d, w, r));
    else {
      const width = String(this.h.ob - 1).length;
      this.printNum(abs, this.h.ob, width, (d, w, r) => this.printDigits(d, w, r));
    }
  }

  numPrint(n: BcNum, newline: boolean): void {
    this.printNewline();
    if (n.len === 0) {
      this.put("0");
      this.h.nchars++;
    } else if (this.h.ob === 10) this.printDecimal(n);
    else this.printBase(n);
    if (newline) {
      this.put("\n");
      this.h.nchars = 0;
    }
  }

  /** xc_program_printString: print's escapes (\n \t \\ ...); dc prints "" as a NUL. */
  printString(str: string): void {
    if (!str && !this.h.isBc) {
      this.put("\0");
      return;
    }
    const esc = "nabfrte\\";
    const rep = "\n\x07\b\f\r\t\\\\";
    for (let i = 0; i < str.length; i++) {
      let c = str[i]!;
      if (c === "\\") {
        c = str[++i] ?? "";
        const k = c ? esc.indexOf(c) : -1;
        if (k < 0) {
          this.put("\\");
          this.h.nchars++;
          if (!c) break;
        } else {
          // bc.c sets SIZE_MAX, which the count below wraps to 0
          if (k === 0) this.h.nchars = -1;
          c = rep[k]!;
        }
      }
      this.put(c);
      this.h.nchars++;
    }
  }
}
