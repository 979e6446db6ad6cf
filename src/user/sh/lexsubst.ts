/*
 * lexsubst.ts - the inside of ${...} and $'...' for the lexer (BusyBox
 * shell/ash.c: readtoken1's PARSESUB, and bash's ANSI-C quoting which ash
 * 1.35 knows).
 *
 *   ${name}  ${#name}  ${name[:]-=?+word}  ${name%[%]pat}  ${name#[#]pat}
 *   ${name:off[:len]}  ${name/[/]pat[/rep]}
 *
 * A malformed one is a "bad substitution", which ash reports only when it
 * is expanded (a syntax error then: a script exits, the console's command
 * line is abandoned; one in a branch never taken is no error at all); an
 * unclosed one is "missing '}'" at once.
 */

import type { ParamOp, Part, Word } from "./ast.js";
import type { Lexer, Mode } from "./lexer.js";
import { ShSyntaxError } from "./lexer.js";

/** $'...': bash's ANSI-C quoting, which ash 1.35 has (\n \t \xHH \NNN ...). */
export function readDollarSingle(lx: Lexer): Part {
  const esc: Record<string, string> = {
    a: "\x07",
    b: "\b",
    e: "\x1b",
    E: "\x1b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
  };
  lx.pos += 2;
  let s = "";
  for (;;) {
    if (lx.atEnd()) lx.more("unterminated quoted string");
    const c = lx.ch();
    if (c === "'") {
      lx.pos++;
      break;
    }
    if (c === "\n") lx.line++;
    if (c !== "\\" || lx.atEnd(1)) {
      s += c;
      lx.pos++;
      continue;
    }
    const n = lx.ch(1);
    const rest = lx.src.slice(lx.pos + 1);
    let m: RegExpExecArray | null;
    if (n in esc) {
      s += esc[n];
      lx.pos += 2;
    } else if ((m = /^x([0-9A-Fa-f]{1,2})/.exec(rest))) {
      s += String.fromCharCode(Number.parseInt(m[1], 16));
      lx.pos += 1 + m[0].length;
    } else if ((m = /^[0-7]{1,3}/.exec(rest))) {
      s += String.fromCharCode(Number.parseInt(m[0], 8) & 0xff);
      lx.pos += 1 + m[0].length;
    } else {
      s += "\\";
      lx.pos++;
    }
  }
  return { t: "sq", s };
}

/** The inside of ${...}, after the brace. */
export function readBrace(lx: Lexer, dq: boolean): Part {
  const start = lx.pos;
  const bad = (): Part => {
    // skip to the closing brace; the error comes when the word is expanded
    while (!lx.atEnd() && lx.ch() !== "}") {
      if (lx.ch() === "\n") {
        if (lx.eof && lx.src.endsWith("\n")) lx.line--;
        throw new ShSyntaxError("missing '}'", lx.line + (lx.src.slice(lx.pos).match(/\n/g)?.length ?? 0));
      }
      lx.pos++;
    }
    if (lx.atEnd()) lx.more("missing '}'");
    lx.pos++;
    // (name keeps the text between the braces, for `type` and `set` to show)
    return {
      t: "param",
      name: lx.src.slice(start, lx.pos - 1),
      op: "bad",
      colon: false,
      arg: null,
      arg2: null,
    };
  };
  let op: ParamOp = "";
  if (lx.atEnd()) lx.more("missing '}'");
  if (lx.ch() === "#" && !lx.atEnd(1) && lx.ch(1) !== "}") {
    // ${#x}: length (but ${#} is $#, and ${#-x}, ${#:-x} apply to $#)
    const n1 = lx.ch(1);
    if (/[A-Za-z0-9_@*#?$!-]/.test(n1) && !((n1 === "-" || n1 === ":") && lx.ch(2) !== "}")) {
      op = "#len";
      lx.pos++;
    }
  }
  let name = "";
  if (lx.atEnd()) lx.more("missing '}'");
  const c = lx.ch();
  if (/[A-Za-z_]/.test(c)) {
    let j = lx.pos;
    while (j < lx.src.length && /[A-Za-z0-9_]/.test(lx.src[j])) j++;
    name = lx.src.slice(lx.pos, j);
    lx.pos = j;
  } else if (/[0-9]/.test(c)) {
    let j = lx.pos;
    while (j < lx.src.length && /[0-9]/.test(lx.src[j])) j++;
    name = lx.src.slice(lx.pos, j);
    lx.pos = j;
  } else if ("@*#?-$!".includes(c)) {
    name = c;
    lx.pos++;
  } else return bad();
  if (lx.atEnd()) lx.more("missing '}'");
  if (op === "#len") {
    if (lx.ch() !== "}") return bad();
    lx.pos++;
    return { t: "param", name, op, colon: false, arg: null, arg2: null };
  }
  let colon = false;
  const argMode: Mode = dq ? "argdq" : "arg";
  let d = lx.ch();
  if (d === "}") {
    lx.pos++;
    return { t: "param", name, op: "", colon, arg: null, arg2: null };
  }
  if (d === ":") {
    lx.pos++;
    if (lx.atEnd()) lx.more("missing '}'");
    d = lx.ch();
    if (d === "}") {
      // ${x:} : ash's parser no longer sees this brace and reads on to the end of the file
      if (!lx.eof) lx.more("");
      const last = lx.line + (lx.src.slice(lx.pos).match(/\n/g)?.length ?? 0);
      throw new ShSyntaxError(dq ? "unterminated quoted string" : "missing '}'", last);
    }
    if ("-=?+".includes(d)) colon = true;
    else {
      // ${x:offset:length}
      const arg = lx.readWord("arg", ":");
      let arg2: Word | null = null;
      if (lx.ch() === ":") {
        lx.pos++;
        arg2 = lx.readWord("arg", "");
      }
      lx.pos++;
      return { t: "param", name, op: ":", colon: false, arg, arg2 };
    }
  }
  if ("-=?+".includes(d)) {
    op = d as ParamOp;
    lx.pos++;
  } else if (d === "%" || d === "#") {
    lx.pos++;
    op = d as ParamOp;
    if (!lx.atEnd() && lx.ch() === d) {
      lx.pos++;
      op = (d + d) as ParamOp;
    }
  } else if (d === "/") {
    lx.pos++;
    op = "/";
    if (!lx.atEnd() && lx.ch() === "/") {
      lx.pos++;
      op = "//";
    }
    // the pattern stays a pattern inside double quotes; the replacement is quoted there.
    // Its first character is the pattern's even when it is a "/" (${v///} removes every /)
    const lead = !lx.atEnd() && lx.ch() === "/";
    if (lead) lx.pos++;
    const arg = lx.readWord("arg", "/");
    if (lead) arg.parts.unshift({ t: "lit", s: "/" });
    let arg2: Word | null = null;
    if (lx.ch() === "/") {
      lx.pos++;
      arg2 = lx.readWord(argMode, "");
    }
    lx.pos++;
    return { t: "param", name, op, colon: false, arg, arg2 };
  } else return bad();
  const patternOp = op === "%" || op === "%%" || op === "#" || op === "##";
  const arg = lx.readWord(patternOp ? "arg" : argMode, "");
  lx.pos++; // }
  return { t: "param", name, op, colon, arg, arg2: null };
}
