/*
 * lexer.ts - turning shell text into tokens (BusyBox shell/ash.c:
 * readtoken, readtoken1 and its CHECKEND/PARSESUB/PARSEBACKQ parts).
 *
 * The lexer reads a source string that may still grow: when it needs more
 * text than there is (an open quote, a line ending in a pipe, a here-document
 * whose delimiter has not come yet) and more input may come, it throws
 * NeedMore; the reader (input.ts) fetches another line, prompting with PS2,
 * and the parse of the command starts again from its beginning.
 *
 * Words keep their quoting as parts (see ast.ts). Reserved words are only
 * recognised by the parser, in command position, from the word's raw text.
 * A command substitution $(...) is parsed at once by calling back into the
 * parser (as ash's parsebackq does), so the tree holds its program.
 *
 * Here-documents: the parser registers each << redirection; after the next
 * newline token the lexer reads the bodies, line by line, up to their
 * delimiters.
 */

import type { Node, Part, Redir, Word } from "./ast.js";
import { readBrace, readDollarSingle } from "./lexsubst.js";

/** More input is needed to finish the current command. */
export class NeedMore {
  constructor(readonly what: string) {}
}

/** A syntax error; the message is ash's ("unexpected \"fi\""). */
export class ShSyntaxError {
  constructor(
    readonly msg: string,
    readonly line: number,
  ) {}
}

export type Tok =
  | { k: "word"; w: Word; raw: string | null; line: number; start?: number; end?: number }
  | { k: "op"; op: string; line: number }
  | { k: "io"; n: number; line: number }
  | { k: "nl"; line: number }
  | { k: "eof"; line: number };

const OPS3 = ["<<-"];
const OPS2 = ["&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|"];
const OPS1 = ";&|<>()";
const META = " \t\n;&|<>()";
const SPECIAL_PARAMS = "@*#?-$!0123456789";

export function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

interface PendingHeredoc {
  r: Redir;
  delim: string;
  strip: boolean;
}

/** How a part of a word is being read: plain, inside "..", a ${..} argument, a here-document body. */
export type Mode = "word" | "dq" | "arg" | "argdq" | "heredoc" | "arith";

export class Lexer {
  pos = 0;
  line = 1;
  heredocs: PendingHeredoc[] = [];
  /** Set by the parser: $(...) bodies are parsed by calling it. */
  parseSubst: (lx: Lexer) => Node | null = () => null;
  /** Parses backquoted text (a fresh parser over the unescaped text). */
  parseText: (text: string, line: number) => Node | null = () => null;
  private peeked: Tok | null = null;
  /** The shell's aliases (null: none apply, as in here-documents). */
  aliases: Map<string, string> | null = null;
  /** Where an alias was expanded, so that it does not expand itself again. */
  private aliasAt = new Map<number, string>();
  constructor(
    public src: string,
    /** No more input will come: the end of src is the end of file. */
    public eof: boolean,
  ) {}

  more(what: string): never {
    if (this.eof) throw new ShSyntaxError(what, this.line);
    throw new NeedMore(what);
  }

  ch(off = 0): string {
    return this.src[this.pos + off] ?? "";
  }

  /** At the end of the text read so far; with more input to come, NeedMore. */
  atEnd(off = 0): boolean {
    if (this.pos + off < this.src.length) return false;
    if (!this.eof) throw new NeedMore("");
    return true;
  }

  /** Where the current command started, to parse it again once more input came. */
  mark(): { pos: number; line: number } {
    return { pos: this.pos, line: this.line };
  }

  restore(m: { pos: number; line: number }): void {
    this.pos = m.pos;
    this.line = m.line;
    this.heredocs = [];
    this.peeked = null;
  }

  /** Forgets the text already parsed (input that was run). */
  discard(): void {
    this.src = this.src.slice(this.pos);
    this.restore({ pos: 0, line: this.line });
    this.aliasAt.clear();
  }

  peek(): Tok {
    if (!this.peeked) this.peeked = this.readToken();
    return this.peeked;
  }

  next(): Tok {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  /** Pushes back a token the parser looked at (only one level). */
  unget(t: Tok): void {
    this.peeked = t;
  }

  /** Skips blanks, line continuations and comments. */
  private skipBlank(): void {
    for (;;) {
      if (this.atEnd()) return;
      const c = this.ch();
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && !this.atEnd(1) && this.ch(1) === "\n") {
        this.pos += 2;
        this.line++;
      } else if (c === "#") {
        while (!this.atEnd() && this.ch() !== "\n") this.pos++;
      } else return;
    }
  }

  private readToken(): Tok {
    this.skipBlank();
    const line = this.line;
    if (this.atEnd()) {
      return { k: "eof", line };
    }
    const c = this.ch();
    if (c === "\n") {
      this.pos++;
      this.line++;
      this.readHeredocs();
      // ash has counted the newline when it complains about it
      return { k: "nl", line: this.line };
    }
    for (const op of OPS3)
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { k: "op", op, line };
      }
    if (OPS1.includes(c)) {
      // A two-character operator may be split across the end of the text so far.
      if (this.pos + 1 >= this.src.length && !this.eof && "&|;<>".includes(c)) throw new NeedMore("");
      const two = this.src.slice(this.pos, this.pos + 2);
      if (OPS2.includes(two)) {
        if (two === "<<" && this.pos + 2 >= this.src.length && !this.eof) throw new NeedMore("");
        this.pos += 2;
        return { k: "op", op: two, line };
      }
      this.pos++;
      return { k: "op", op: c, line };
    }
    const start = this.pos;
    const w = this.readWord("word", "");
    const raw = w.parts.length === 1 && w.parts[0].t === "lit" ? w.parts[0].s : null;
    if (raw !== null && /^\d+$/.test(raw) && !this.atEnd() && (this.ch() === "<" || this.ch() === ">"))
      return { k: "io", n: Number(raw), line };
    if (this.pos === start) throw new ShSyntaxError(`unexpected "${c}"`, line);
    return { k: "word", w, raw, line, start, end: this.pos };
  }

  /**
   * Alias substitution (ash's checkkwd & CHKALIAS): the word t, just
   * peeked in command position, is replaced in the text by the alias's
   * value, which is then read instead. An alias is not expanded again at
   * the place its own expansion starts (alias ls='ls -F').
   */
  expandAlias(t: Tok): boolean {
    if (t.k !== "word" || t.raw === null || t.start === undefined || !this.aliases) return false;
    const value = this.aliases.get(t.raw);
    if (value === undefined) return false;
    if (this.aliasAt.get(t.start) === t.raw) return false;
    this.src = this.src.slice(0, t.start) + value + this.src.slice(t.end);
    this.aliasAt.set(t.start, t.raw);
    this.pos = t.start;
    this.peeked = null;
    return true;
  }

  /**
   * Reads a word's parts up to a terminator of the mode:
   *   word    a shell metacharacter or blank
   *   dq      the closing "
   *   arg     the } of ${x-arg} (or a stop character such as / or :)
   *   heredoc the end of the text
   *   arith   the )) of $((..))
   */
  readWord(mode: Mode, stops: string): Word {
    const parts: Part[] = [];
    let lit = "";
    const flush = (): void => {
      if (lit)
        parts.push({ t: mode === "dq" || mode === "argdq" || mode === "heredoc" ? "sq" : "lit", s: lit });
      lit = "";
    };
    let depth = 0; // parentheses inside $((..))
    const wordStart = this.pos;
    for (;;) {
      if (this.atEnd()) {
        if (mode === "dq") this.more("unterminated quoted string");
        if (mode === "arg" || mode === "argdq") this.more("missing '}'");
        if (mode === "arith") this.more("missing '))'");
        break;
      }
      const c = this.ch();
      if (mode === "word" && META.includes(c)) break;
      if (mode === "dq" && c === '"') break;
      if ((mode === "arg" || mode === "argdq") && (c === "}" || stops.includes(c))) break;
      if (mode === "arith") {
        if (c === "(") depth++;
        else if (c === ")") {
          // $(( ... )) ends at "))"; a lone ")" there is just text, as in ash
          if (depth === 0 && !this.atEnd(1) && this.ch(1) === ")") break;
          if (depth > 0) depth--;
        }
      }
      if (c === "\n") this.line++;
      if (c === "\\") {
        if (this.atEnd(1)) {
          this.pos++;
          lit += "\\";
          continue;
        }
        const n = this.ch(1);
        if (n === "\n") {
          this.pos += 2;
          this.line++;
          continue;
        }
        const inq = mode === "dq" || mode === "argdq" || mode === "heredoc" || mode === "arith";
        if (inq && !'$`\\"}'.includes(n)) {
          lit += "\\";
          this.pos++;
          continue;
        }
        if (inq && n === '"' && mode === "heredoc") {
          lit += "\\";
          this.pos++;
          continue;
        }
        if (inq && n === "}" && mode !== "argdq") {
          lit += "\\";
          this.pos++;
          continue;
        }
        flush();
        parts.push({ t: "sq", s: n });
        this.pos += 2;
        continue;
      }
      if (c === "'" && (mode === "word" || mode === "arg")) {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) {
          if (this.eof)
            for (let k = this.pos; k < this.src.length; k++) if (this.src[k] === "\n") this.line++;
          this.pos = this.src.length;
          this.more("unterminated quoted string");
        }
        const s = this.src.slice(this.pos + 1, end);
        for (const ch of s) if (ch === "\n") this.line++;
        parts.push({ t: "sq", s });
        this.pos = end + 1;
        continue;
      }
      if (c === '"' && (mode === "word" || mode === "arg" || mode === "argdq" || mode === "arith")) {
        flush();
        this.pos++;
        const inner = this.readWord("dq", "");
        this.pos++; // closing quote
        // BusyBox 1.35's ash leaves double quotes in the text of $((..)) for math.c to find,
        // which calls them a syntax error: $(("$x")) fails there as it does here.
        if (mode === "arith")
          parts.push({ t: "lit", s: '"' }, { t: "dq", parts: inner.parts }, { t: "lit", s: '"' });
        else parts.push({ t: "dq", parts: inner.parts });
        continue;
      }
      if (c === "$") {
        const p = this.readDollar(mode === "dq" || mode === "argdq" || mode === "heredoc");
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
        lit += "$";
        this.pos++;
        continue;
      }
      if (c === "`") {
        flush();
        parts.push(this.readBackquote(mode === "dq" || mode === "argdq"));
        continue;
      }
      if (c === "~" && mode === "word" && this.tildeAllowed(wordStart, lit, parts)) {
        flush();
        let j = this.pos + 1;
        while (j < this.src.length && /[A-Za-z0-9_.-]/.test(this.src[j])) j++;
        const next = this.src[j] ?? "";
        if (next === "" || next === "/" || next === ":" || META.includes(next)) {
          parts.push({ t: "tilde", user: this.src.slice(this.pos + 1, j) });
          this.pos = j;
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return { parts };
  }

  /** ~ expands at the start of a word, and after = or : in an assignment. */
  private tildeAllowed(wordStart: number, lit: string, parts: Part[]): boolean {
    if (this.pos === wordStart) return true;
    const prev = this.src[this.pos - 1];
    if (prev !== "=" && prev !== ":") return false;
    const first = parts.length ? parts[0] : { t: "lit", s: lit };
    return (
      first.t === "lit" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(parts.length ? (first as { s: string }).s : lit)
    );
  }

  /** $name, ${...}, $(...), $((...)); null when the $ is literal. */
  private readDollar(dq: boolean): Part | null {
    if (this.atEnd(1)) return null;
    const n = this.ch(1);
    if (n === "'" && !dq) return readDollarSingle(this);
    if (n === "(") {
      // ash: "$((" always starts arithmetic, never "$( (" a subshell
      if (!this.atEnd(2) && this.ch(2) === "(") {
        this.pos += 3;
        const expr = this.readWord("arith", "");
        this.pos += 2;
        return { t: "arith", expr };
      }
      this.pos += 2;
      const body = this.parseSubst(this);
      return { t: "cmdsub", body };
    }
    if (n === "{") {
      this.pos += 2;
      return readBrace(this, dq);
    }
    if (/[A-Za-z_]/.test(n)) {
      let j = this.pos + 1;
      while (j < this.src.length && /[A-Za-z0-9_]/.test(this.src[j])) j++;
      if (j >= this.src.length && !this.eof) throw new NeedMore("");
      const name = this.src.slice(this.pos + 1, j);
      this.pos = j;
      return { t: "param", name, op: "", colon: false, arg: null, arg2: null };
    }
    if (SPECIAL_PARAMS.includes(n)) {
      this.pos += 2;
      return { t: "param", name: n, op: "", colon: false, arg: null, arg2: null };
    }
    return null;
  }

  /** `...`: the text up to the closing backquote, unescaped, parsed on its own. */
  private readBackquote(dq: boolean): Part {
    const line = this.line;
    let text = "";
    this.pos++;
    for (;;) {
      if (this.atEnd()) {
        if (this.eof) throw new ShSyntaxError("EOF in backquote substitution", this.line);
      }
      const c = this.ch();
      if (c === "`") {
        this.pos++;
        break;
      }
      if (c === "\\" && !this.atEnd(1)) {
        const n = this.ch(1);
        if (n === "\\" || n === "`" || n === "$" || (dq && n === '"')) {
          text += n;
          this.pos += 2;
          continue;
        }
        if (n === "\n") {
          this.pos += 2;
          this.line++;
          continue;
        }
      }
      if (c === "\n") this.line++;
      text += c;
      this.pos++;
    }
    return { t: "cmdsub", body: this.parseText(text, line) };
  }

  /** Registers a here-document whose body follows the next newline. */
  addHeredoc(r: Redir, delim: string, strip: boolean): void {
    this.heredocs.push({ r, delim, strip });
  }

  /** Reads the bodies of the pending here-documents (just after a newline). */
  private readHeredocs(): void {
    const list = this.heredocs;
    this.heredocs = [];
    for (const h of list) {
      let body = "";
      for (;;) {
        if (this.pos >= this.src.length) {
          if (!this.eof) throw new NeedMore("");
          break;
        }
        let nl = this.src.indexOf("\n", this.pos);
        if (nl < 0) {
          if (!this.eof) throw new NeedMore("");
          nl = this.src.length;
        }
        let l = this.src.slice(this.pos, nl);
        let partial = nl >= this.src.length;
        this.pos = Math.min(nl + 1, this.src.length);
        this.line++;
        if (h.strip) l = l.replace(/^\t+/, "");
        // Unquoted, a backslash-newline joins the next line on as ash's
        // pgetc_eatbnl does: that line's tabs stay and it cannot end the body.
        while (!h.r.quoted && !partial && /(^|[^\\])(\\\\)*\\$/.test(l)) {
          let next = this.src.indexOf("\n", this.pos);
          if (next < 0) {
            if (!this.eof) throw new NeedMore("");
            next = this.src.length;
          }
          l = l.slice(0, -1) + this.src.slice(this.pos, next);
          partial = next >= this.src.length;
          this.pos = Math.min(next + 1, this.src.length);
          this.line++;
        }
        if (l === h.delim) break;
        body += partial ? l : `${l}\n`;
      }
      if (h.r.quoted) h.r.target = { parts: [{ t: "sq", s: body }] };
      else {
        const sub = new Lexer(body, true);
        sub.parseSubst = this.parseSubst;
        sub.parseText = this.parseText;
        h.r.target = sub.readWord("heredoc", "");
      }
    }
  }
}
