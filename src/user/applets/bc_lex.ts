/*
 * bc_lex.ts - the lexers of bc and dc (BusyBox miscutils/bc.c: zbc_lex_token,
 * zdc_lex_token). Input is taken a line at a time into one buffer, as
 * xc_read_line does; a token never needs more than its line except strings,
 * comments and "\<newline>" inside numbers, which read on.
 *
 * The buffer is kept the way bc.c's is: a new line overwrites the start and
 * leaves older bytes behind it, and at EOF only the first byte becomes NUL.
 * Error messages quote "at '...'" from where the last token began to the
 * end of its line, and at EOF that can be what an older line left there.
 *
 * When the input is a terminal (or a pipe not yet at EOF) and a token needs
 * a line that has not been read yet, the lexer throws NeedMore: the driver
 * reads a line and parses the statement again from its start.
 */

import { BcError } from "./bc_num.js";

/** Token types (BcLexType); the operators keep bc.c's order. */
export enum L {
  EOF,
  INVALID,
  NLINE,
  WHITESPACE,
  STR,
  NAME,
  NUMBER,
  NEG,
  REL_EQ,
  REL_LE,
  REL_GE,
  REL_NE,
  REL_LT,
  REL_GT,
  POWER,
  MULTIPLY,
  DIVIDE,
  MODULUS,
  PLUS,
  MINUS,
  BOOL_NOT,
  BOOL_OR,
  BOOL_AND,
  ASSIGN_POWER,
  ASSIGN_MULTIPLY,
  ASSIGN_DIVIDE,
  ASSIGN_MODULUS,
  ASSIGN_PLUS,
  ASSIGN_MINUS,
  ASSIGN,
  INC,
  DEC,
  LPAREN,
  RPAREN,
  LBRACKET,
  COMMA,
  RBRACKET,
  LBRACE,
  SCOLON,
  RBRACE,
  KEY_AUTO,
  KEY_BREAK,
  KEY_CONTINUE,
  KEY_DEFINE,
  KEY_ELSE,
  KEY_FOR,
  KEY_HALT,
  KEY_IBASE,
  KEY_OBASE,
  KEY_IF,
  KEY_LAST,
  KEY_LENGTH,
  KEY_LIMITS,
  KEY_PRINT,
  KEY_QUIT,
  KEY_READ,
  KEY_RETURN,
  KEY_SCALE,
  KEY_SQRT,
  KEY_WHILE,
  // dc only
  DC_ASSIGN,
  DC_LPAREN,
  DC_SCOLON,
  DC_READ,
  DC_IBASE,
  DC_SCALE,
  DC_OBASE,
  DC_LENGTH,
  DC_PRINT,
  DC_QUIT,
  DC_SQRT,
  DC_LBRACE,
  DC_EQ_NO_REG,
  DC_MODEXP,
  DC_DIVMOD,
  DC_COLON,
  DC_ELSE,
  DC_EXECUTE,
  DC_PRINT_STACK,
  DC_CLEAR_STACK,
  DC_STACK_LEVEL,
  DC_DUPLICATE,
  DC_SWAP,
  DC_POP,
  DC_ASCIIFY,
  DC_PRINT_STREAM,
  DC_STORE_IBASE,
  DC_STORE_OBASE,
  DC_STORE_SCALE,
  DC_LOAD,
  DC_LOAD_POP,
  DC_STORE_PUSH,
  DC_PRINT_POP,
  DC_NQUIT,
  DC_SCALE_FACTOR,
}

/** bc's keywords in bc_lex_kws order, and which POSIX has. */
export const KEYWORDS = [
  "auto",
  "break",
  "continue",
  "define",
  "else",
  "for",
  "halt",
  "ibase",
  "obase",
  "if",
  "last",
  "length",
  "limits",
  "print",
  "quit",
  "read",
  "return",
  "scale",
  "sqrt",
  "while",
];
const POSIX_KEYWORDS = new Set([
  "auto",
  "break",
  "define",
  "for",
  "ibase",
  "obase",
  "if",
  "length",
  "quit",
  "return",
  "scale",
  "sqrt",
  "while",
]);

/** dc's one-character commands ('%' to '~'), bc.c's dc_char_to_LEX. */
const DC_CHARS: Record<string, L> = {
  "%": L.MODULUS,
  "(": L.DC_LPAREN,
  "*": L.MULTIPLY,
  "+": L.PLUS,
  "-": L.MINUS,
  "/": L.DIVIDE,
  ":": L.DC_COLON,
  ";": L.DC_SCOLON,
  "<": L.REL_GT,
  "=": L.REL_EQ,
  ">": L.REL_LT,
  "?": L.DC_READ,
  G: L.DC_EQ_NO_REG,
  I: L.DC_IBASE,
  K: L.DC_SCALE,
  L: L.DC_LOAD_POP,
  N: L.BOOL_NOT,
  O: L.DC_OBASE,
  P: L.DC_PRINT_STREAM,
  Q: L.DC_NQUIT,
  R: L.DC_POP,
  S: L.DC_STORE_PUSH,
  X: L.DC_SCALE_FACTOR,
  Z: L.DC_LENGTH,
  "^": L.POWER,
  _: L.NEG,
  a: L.DC_ASCIIFY,
  c: L.DC_CLEAR_STACK,
  d: L.DC_DUPLICATE,
  e: L.DC_ELSE,
  f: L.DC_PRINT_STACK,
  i: L.DC_STORE_IBASE,
  k: L.DC_STORE_SCALE,
  l: L.DC_LOAD,
  n: L.DC_PRINT_POP,
  o: L.DC_STORE_OBASE,
  p: L.DC_PRINT,
  q: L.DC_QUIT,
  r: L.DC_SWAP,
  s: L.DC_ASSIGN,
  v: L.DC_SQRT,
  x: L.DC_EXECUTE,
  z: L.DC_STACK_LEVEL,
  "{": L.DC_LBRACE,
  "|": L.DC_MODEXP,
  "~": L.DC_DIVMOD,
};
/** After these a dc register name follows (dc_lex_regs). */
const DC_REG_TOKENS = new Set([
  L.REL_EQ,
  L.REL_LE,
  L.REL_GE,
  L.REL_NE,
  L.REL_LT,
  L.REL_GT,
  L.DC_SCOLON,
  L.DC_COLON,
  L.DC_ELSE,
  L.DC_LOAD,
  L.DC_LOAD_POP,
  L.DC_ASSIGN,
  L.DC_STORE_PUSH,
]);

/** Thrown when a token needs a line that has not been read yet. */
export class NeedMore extends Error {}

/** Where lines come from: a file, stdin, or nothing (a text given whole). */
export interface LineSource {
  /** The next line (with its "\n"), null at EOF; throws NeedMore if not read yet. */
  next(): string | null;
}

/** What posix warnings need: the flags and a way to print. */
export interface LexHost {
  posixMode: number; // 0: no checks, 1: -w warn, 2: -s error
  warn(msg: string): void;
}

const isdigit = (c: string): boolean => c >= "0" && c <= "9";
const isspace = (c: string): boolean => c === " " || (c >= "\t" && c <= "\r");
const isalnum = (c: string): boolean => isdigit(c) || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");

export class Lexer {
  /** The buffer being lexed (a text, or the shared input buffer), NUL-ended. */
  mem = "\0";
  i = 0;
  line = 1;
  errLine = 1;
  lex: L = L.INVALID;
  last: L = L.INVALID;
  /** The text of the last NAME, NUMBER or STR token. */
  str = "";
  nextAt = -1;
  src: LineSource | null = null;
  filename: string | null = null;
  /** bc.c's G.input_buffer, shared by every file and stdin. */
  input = "\0";
  /** dc -x: extended register names. */
  exreg = false;

  constructor(
    readonly isBc: boolean,
    readonly host: LexHost,
  ) {}

  /** The current token (a call, so that TypeScript does not narrow it across next()). */
  tok(): L {
    return this.lex;
  }

  setText(text: string): void {
    this.mem = `${text}\0`;
    this.i = 0;
  }

  /** bc_error_at's "MSG at 'rest of the token's line'". */
  errorAt(msg: string): BcError {
    if (this.nextAt < 0) return new BcError(msg);
    let e = this.nextAt;
    while (e < this.mem.length && this.mem[e] !== "\n" && this.mem[e] !== "\0") e++;
    return new BcError(`${msg} at '${this.mem.slice(this.nextAt, e)}'`);
  }

  private c(k = 0): string {
    return this.mem[this.i + k] ?? "\0";
  }

  /** peek_inbuf: the current character, reading a line if the buffer is done. */
  peek(): string {
    if (this.c() === "\0" && this.src) {
      const line = this.src.next();
      if (line === null) {
        this.input = `\0${this.input.slice(1)}`;
        this.src = null;
      } else {
        let clean = "";
        for (const ch of line) {
          if (ch === "\0") continue;
          const code = ch.charCodeAt(0);
          if ((code < 32 && ch !== "\t" && ch !== "\r" && ch !== "\n") || code > 0x7e)
            throw new BcError(`illegal character 0x${code.toString(16).padStart(2, "0")}`);
          clean += ch;
        }
        this.input = `${clean}\0${this.input.slice(clean.length + 1)}`;
      }
      this.mem = this.input;
      this.i = 0;
    }
    return this.c();
  }

  private eat(): string {
    const c = this.peek();
    if (c !== "\0") this.i++;
    return c;
  }

  private posix(msg: string): void {
    if (!this.host.posixMode) return;
    if (this.host.posixMode === 2) throw new BcError(msg);
    this.host.warn(msg);
  }

  /** zxc_lex_next: the next token, skipping whitespace and comments. */
  next(): void {
    this.errLine = this.line;
    this.last = this.lex;
    do {
      if (this.c() === "\0") {
        this.lex = L.EOF;
        if (this.peek() === "\0") return;
      }
      this.nextAt = this.i;
      if (this.isBc) this.bcToken();
      else this.dcToken();
    } while (this.lex === L.WHITESPACE);
  }

  private lineComment(): void {
    this.lex = L.WHITESPACE;
    while (this.c() !== "\n" && this.c() !== "\0") this.i++;
  }

  private whitespace(): void {
    this.lex = L.WHITESPACE;
    while (this.c() !== "\n" && isspace(this.c())) this.i++;
  }

  private number(first: string): void {
    const lastValid = this.isBc ? "Z" : "F";
    let pt = first === ".";
    let last = first;
    let s = first;
    this.lex = L.NUMBER;
    for (;;) {
      let c = this.c();
      if (c === "\0") break;
      if (c === "\\" && this.c(1) === "\n") {
        this.i += 2;
        this.line++;
        c = this.peek();
        if (c === "\0") break;
        continue;
      }
      if (!isdigit(c) && (c < "A" || c > lastValid)) {
        if (c !== ".") break;
        if (pt) break;
        pt = true;
      }
      last = c;
      s += c;
      this.i++;
    }
    if (last === ".") s = s.slice(0, -1);
    this.str = s;
    this.errLine = this.line;
  }

  /** xc_lex_name: [a-z][a-z0-9_]* starting one character back. */
  private name(): void {
    this.lex = L.NAME;
    const start = this.i - 1;
    let j = start;
    for (;;) {
      const c = this.mem[j] ?? "\0";
      if ((c < "a" || c > "z") && !isdigit(c) && c !== "_") break;
      j++;
    }
    this.str = this.mem.slice(start, j);
    this.i = j;
  }

  private identifier(): void {
    const start = this.i - 1;
    for (let k = 0; k < KEYWORDS.length; k++) {
      const kw = KEYWORDS[k]!;
      if (!this.mem.startsWith(kw, start)) continue;
      const after = this.mem[start + kw.length] ?? "\0";
      if (isalnum(after) || after === "_") continue;
      this.lex = L.KEY_AUTO + k;
      if (!POSIX_KEYWORDS.has(kw)) this.posix(`POSIX does not allow the '${kw}' keyword`);
      this.i = start + kw.length;
      return;
    }
    this.name();
    if (this.str.length > 1) {
      let e = start;
      while (e < this.mem.length && this.mem[e] !== "\n" && this.mem[e] !== "\0") e++;
      this.posix(`POSIX only allows one character names; this is bad: '${this.mem.slice(start, e)}'`);
    }
  }

  private bcString(): void {
    this.lex = L.STR;
    let s = "";
    for (;;) {
      const c = this.peek();
      if (c === "\0") throw new BcError("unterminated string");
      if (c === '"') break;
      if (c === "\n") this.line++;
      s += c;
      this.i++;
    }
    this.str = s;
    this.i++;
    this.errLine = this.line;
  }

  private comment(): void {
    this.lex = L.WHITESPACE;
    for (;;) {
      this.i++;
      let c = this.peek();
      while (c === "*") {
        this.i++;
        c = this.c();
        if (c === "/") {
          this.i++;
          this.errLine = this.line;
          return;
        }
      }
      if (c === "\0") throw new BcError("unterminated comment");
      if (c === "\n") this.line++;
    }
  }

  private eqSign(withEq: L, without: L): void {
    if (this.c() === "=") {
      this.i++;
      this.lex = withEq;
    } else this.lex = without;
  }

  private badChar(c: string): never {
    throw new BcError(c === "\0" ? "NUL character" : `bad character '${c}'`);
  }

  private bcToken(): void {
    const c = this.eat();
    switch (c) {
      case "\n":
        this.line++;
        this.lex = L.NLINE;
        return;
      case "\t":
      case "\v":
      case "\f":
      case "\r":
      case " ":
        this.whitespace();
        return;
      case "!":
        this.eqSign(L.REL_NE, L.BOOL_NOT);
        if (this.lex === L.BOOL_NOT) this.posix("POSIX does not allow boolean operators; this is bad: !");
        return;
      case '"':
        this.bcString();
        return;
      case "#":
        this.posix("POSIX does not allow '#' script comments");
        this.lineComment();
        return;
      case "%":
        this.eqSign(L.ASSIGN_MODULUS, L.MODULUS);
        return;
      case "&":
        if (this.c() === "&") {
          this.posix("POSIX does not allow boolean operators; this is bad: &&");
          this.i++;
          this.lex = L.BOOL_AND;
          return;
        }
        this.lex = L.INVALID;
        this.badChar("&");
        break;
      case "(":
        this.lex = L.LPAREN;
        return;
      case ")":
        this.lex = L.RPAREN;
        return;
      case "*":
        this.eqSign(L.ASSIGN_MULTIPLY, L.MULTIPLY);
        return;
      case "+":
        if (this.c() === "+") {
          this.i++;
          this.lex = L.INC;
        } else this.eqSign(L.ASSIGN_PLUS, L.PLUS);
        return;
      case ",":
        this.lex = L.COMMA;
        return;
      case "-":
        if (this.c() === "-") {
          this.i++;
          this.lex = L.DEC;
        } else this.eqSign(L.ASSIGN_MINUS, L.MINUS);
        return;
      case ".":
        if (isdigit(this.c())) this.number(c);
        else {
          this.lex = L.KEY_LAST;
          this.posix("POSIX does not allow '.' as 'last'");
        }
        return;
      case "/":
        if (this.c() === "*") this.comment();
        else this.eqSign(L.ASSIGN_DIVIDE, L.DIVIDE);
        return;
      case ";":
        this.lex = L.SCOLON;
        return;
      case "<":
        this.eqSign(L.REL_LE, L.REL_LT);
        return;
      case "=":
        this.eqSign(L.REL_EQ, L.ASSIGN);
        return;
      case ">":
        this.eqSign(L.REL_GE, L.REL_GT);
        return;
      case "[":
        this.lex = L.LBRACKET;
        return;
      case "]":
        this.lex = L.RBRACKET;
        return;
      case "\\":
        if (this.c() === "\n") {
          this.lex = L.WHITESPACE;
          this.i++;
          return;
        }
        this.badChar(c);
        break;
      case "^":
        this.eqSign(L.ASSIGN_POWER, L.POWER);
        return;
      case "{":
        this.lex = L.LBRACE;
        return;
      case "}":
        this.lex = L.RBRACE;
        return;
      case "|":
        if (this.c() === "|") {
          this.posix("POSIX does not allow boolean operators; this is bad: ||");
          this.i++;
          this.lex = L.BOOL_OR;
          return;
        }
        this.lex = L.INVALID;
        this.badChar(c);
        break;
      default:
        if (isdigit(c) || (c >= "A" && c <= "Z")) {
          this.number(c);
          return;
        }
        if (c >= "a" && c <= "z") {
          this.identifier();
          return;
        }
        this.lex = L.INVALID;
        this.badChar(c);
    }
  }

  private dcRegister(): void {
    if (this.exreg && isspace(this.c())) {
      this.whitespace();
      this.i++;
      this.name();
    } else {
      this.str = this.c();
      this.i++;
      this.lex = L.NAME;
    }
  }

  private dcString(): void {
    this.lex = L.STR;
    let s = "";
    let depth = 1;
    for (;;) {
      const c = this.peek();
      if (c === "\0") throw new BcError("unterminated string");
      if (c === "[") depth++;
      if (c === "]" && --depth === 0) break;
      if (c === "\n") this.line++;
      s += c;
      this.i++;
    }
    this.str = s;
    this.i++;
    this.errLine = this.line;
  }

  private dcToken(): void {
    if (DC_REG_TOKENS.has(this.last)) {
      this.dcRegister();
      return;
    }
    const c = this.eat();
    const t = DC_CHARS[c];
    if (t !== undefined) {
      this.lex = t;
      return;
    }
    switch (c) {
      case "\n":
        this.line++;
        this.lex = L.NLINE;
        return;
      case "\t":
      case "\v":
      case "\f":
      case "\r":
      case " ":
        this.whitespace();
        return;
      case "!": {
        const c2 = this.c();
        if (c2 === "=") this.lex = L.REL_NE;
        else if (c2 === "<") this.lex = L.REL_LE;
        else if (c2 === ">") this.lex = L.REL_GE;
        else this.badChar(c);
        this.i++;
        return;
      }
      case "#":
        this.lineComment();
        return;
      case ".":
        if (isdigit(this.c())) this.number(c);
        else this.badChar(c);
        return;
      case "[":
        this.dcString();
        return;
      default:
        if (isdigit(c) || (c >= "A" && c <= "F")) {
          this.number(c);
          return;
        }
        this.lex = L.INVALID;
        this.badChar(c);
    }
  }
}
