/*
 * parser.ts - the shell grammar, by recursive descent (BusyBox
 * shell/ash.c: list, andor, pipeline, command, simplecmd, parsefname).
 *
 *   program   : list(top) NEWLINE ...        one top-level line at a time
 *   list      : and_or ((';' | '&' | NEWLINE) and_or)*
 *   and_or    : pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline  : ['!'] command ('|' linebreak command)*
 *   command   : simple_command | compound redirect* | NAME '(' ')' command
 *   compound  : '(' list ')' | '{' list '}' | if | while | until | for | case
 *
 * The shell parses one top-level line, runs it, then parses the next (so a
 * syntax error on line 9 of a script comes after lines 1-8 ran). parseLine()
 * returns the tree of the next line, null for an empty one, or "eof".
 * Reserved words are words in command position; ash's messages name the
 * unexpected token ("syntax error: unexpected \"fi\"").
 */

import type { CaseItem, Node, Redir, RedirOp, Word } from "./ast.js";
import { isName, Lexer, ShSyntaxError, type Tok } from "./lexer.js";

const KEYWORDS = new Set([
  "!",
  "case",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "if",
  "in",
  "then",
  "until",
  "while",
  "{",
  "}",
]);
/** findkwd: the word is a reserved word. */
export function isKeyword(w: string): boolean {
  return KEYWORDS.has(w);
}

/** Words that end a list. */
const LIST_END = new Set(["}", "fi", "then", "else", "elif", "do", "done", "esac"]);

function tokname(t: Tok): string {
  if (t.k === "eof") return "end of file";
  if (t.k === "nl") return "newline";
  if (t.k === "io") return "redirection";
  if (t.k === "op") return /^[<>]/.test(t.op) ? "redirection" : `"${t.op}"`;
  if (t.raw !== null && KEYWORDS.has(t.raw)) return `"${t.raw}"`;
  return "word";
}

export class Parser {
  constructor(readonly lx: Lexer) {
    lx.parseSubst = (l) => new Parser(l).substBody();
    lx.parseText = (text, line) => {
      const sub = new Lexer(text, true);
      sub.line = line;
      sub.aliases = lx.aliases;
      const p = new Parser(sub);
      return p.wholeProgram("`");
    };
  }

  private unexpected(t: Tok, expecting?: string): never {
    const e = expecting ? ` (expecting ${expecting === "word" ? expecting : `"${expecting}"`})` : "";
    throw new ShSyntaxError(`unexpected ${tokname(t)}${e}`, t.line);
  }

  private isKw(t: Tok, kw: string): boolean {
    return t.k === "word" && t.raw === kw;
  }

  private isOp(t: Tok, op: string): boolean {
    return t.k === "op" && t.op === op;
  }

  private skipNewlines(): void {
    while (this.lx.peek().k === "nl") this.lx.next();
  }

  private expectKw(kw: string): void {
    const t = this.lx.next();
    if (!this.isKw(t, kw)) this.unexpected(t, kw);
  }

  /** One top-level line: its tree, null when empty, "eof" at the end of the input. */
  parseLine(): Node | null | "eof" {
    const t = this.lx.peek();
    if (t.k === "eof") return "eof";
    if (t.k === "nl") {
      this.lx.next();
      return null;
    }
    const n = this.list(true);
    const e = this.lx.next();
    if (e.k !== "nl" && e.k !== "eof") this.unexpected(e);
    if (e.k === "eof" && this.lx.heredocs.length) this.fillEmptyHeredocs();
    return n;
  }

  private fillEmptyHeredocs(): void {
    for (const h of this.lx.heredocs) h.r.target = { parts: [] };
    this.lx.heredocs = [];
  }

  /** A whole program at once (backquotes, eval, trap actions): the lines joined. */
  wholeProgram(what = ""): Node | null {
    let out: Node | null = null;
    for (;;) {
      const t = this.lx.peek();
      if (t.k === "eof") break;
      if (what === "`" && t.k === "op" && t.op === ")") this.unexpected(t);
      const n = this.parseLine();
      if (n === "eof") break;
      if (n) out = out ? { type: "seq", left: out, right: n } : n;
    }
    return out;
  }

  /** The program of $( ... ), up to its closing parenthesis. */
  substBody(): Node | null {
    this.skipNewlines();
    let n: Node | null = null;
    if (!this.isOp(this.lx.peek(), ")")) n = this.list(false);
    const t = this.lx.next();
    if (!this.isOp(t, ")")) this.unexpected(t, ")");
    return n;
  }

  /**
   * list: and_or separated by ; & or newlines. At top level the list ends at
   * a newline; inside a compound command it goes on to the closing word.
   */
  private list(top: boolean): Node {
    let out: Node | null = null;
    for (;;) {
      if (!top) this.skipNewlines();
      const t = this.lx.peek();
      if (!top && ((out && this.endsList(t)) || t.k === "eof")) break;
      let n = this.andOr();
      const sep = this.lx.peek();
      if (this.isOp(sep, "&")) {
        this.lx.next();
        n = n.type === "pipe" ? { ...n, bg: true } : { type: "bg", body: n };
      } else if (this.isOp(sep, ";")) this.lx.next();
      out = out ? { type: "seq", left: out, right: n } : n;
      const after = this.lx.peek();
      if (after.k === "nl") {
        if (top) break;
        continue;
      }
      if (after.k === "eof" || this.endsList(after)) break;
      // a token that cannot go on: the caller says what it expected instead
      if (!this.isOp(sep, "&") && !this.isOp(sep, ";")) break;
    }
    return out as Node;
  }

  private endsList(t: Tok): boolean {
    if (t.k === "eof") return true;
    if (t.k === "op") return t.op === ")" || t.op === ";;";
    return t.k === "word" && t.raw !== null && LIST_END.has(t.raw);
  }

  private andOr(): Node {
    let left = this.pipeline();
    for (;;) {
      const t = this.lx.peek();
      if (!this.isOp(t, "&&") && !this.isOp(t, "||")) return left;
      this.lx.next();
      this.skipNewlines();
      const right = this.pipeline();
      left = { type: this.isOp(t, "&&") ? "and" : "or", left, right };
    }
  }

  private pipeline(): Node {
    let bang = false;
    if (this.isKw(this.lx.peek(), "!")) {
      this.lx.next();
      bang = true;
      if (this.isKw(this.lx.peek(), "!")) this.unexpected(this.lx.peek());
    }
    const cmds = [this.command()];
    while (this.isOp(this.lx.peek(), "|")) {
      this.lx.next();
      this.skipNewlines();
      cmds.push(this.command());
    }
    const p: Node = cmds.length === 1 ? cmds[0] : { type: "pipe", cmds, bg: false };
    return bang ? { type: "not", body: p } : p;
  }

  private command(): Node {
    let t = this.lx.peek();
    while (this.lx.expandAlias(t)) t = this.lx.peek();
    const line = t.line;
    let n: Node;
    if (t.k === "word" && t.raw !== null && KEYWORDS.has(t.raw)) {
      switch (t.raw) {
        case "if":
          n = this.ifClause();
          break;
        case "while":
        case "until":
          n = this.whileClause(t.raw);
          break;
        case "for":
          n = this.forClause();
          break;
        case "case":
          n = this.caseClause();
          break;
        case "{": {
          this.lx.next();
          const body = this.list(false);
          this.expectKw("}");
          n = { type: "group", body, redirs: [] };
          break;
        }
        default:
          this.unexpected(t);
      }
    } else if (this.isOp(t, "(")) {
      this.lx.next();
      const body = this.list(false);
      const e = this.lx.next();
      if (!this.isOp(e, ")")) this.unexpected(e, ")");
      n = { type: "subshell", body, redirs: [] };
    } else return this.simpleCommand();
    // redirections after a compound command
    for (;;) {
      const r = this.redirection();
      if (!r) break;
      (n as { redirs: Redir[] }).redirs.push(r);
      // ash's NREDIR node: its line is where the compound command began
      (n as { rline?: number }).rline = line;
    }
    return n;
  }

  private ifClause(): Node {
    this.lx.next();
    const cond = this.list(false);
    this.expectKw("then");
    const then = this.list(false);
    const t = this.lx.next();
    let els: Node | null = null;
    if (this.isKw(t, "elif")) {
      this.lx.unget({ k: "word", w: { parts: [{ t: "lit", s: "if" }] }, raw: "if", line: t.line });
      const inner = this.ifClause() as Extract<Node, { type: "if" }>;
      return { type: "if", cond, then, else: inner, redirs: [] };
    }
    if (this.isKw(t, "else")) {
      els = this.list(false);
      this.expectKw("fi");
    } else if (!this.isKw(t, "fi")) this.unexpected(t, "fi");
    return { type: "if", cond, then, else: els, redirs: [] };
  }

  private whileClause(kw: "while" | "until"): Node {
    this.lx.next();
    const cond = this.list(false);
    this.expectKw("do");
    const body = this.list(false);
    this.expectKw("done");
    return { type: kw, cond, body, redirs: [] };
  }

  private doGroup(): Node | null {
    this.expectKw("do");
    this.skipNewlines();
    if (this.isKw(this.lx.peek(), "done")) {
      this.lx.next();
      return null;
    }
    const body = this.list(false);
    this.expectKw("done");
    return body;
  }

  private forClause(): Node {
    const line = this.lx.next().line;
    const nt = this.lx.next();
    if (nt.k !== "word" || nt.raw === null || !isName(nt.raw))
      throw new ShSyntaxError("bad for loop variable", nt.line);
    let words: Word[] | null = null;
    this.skipNewlines();
    const t = this.lx.peek();
    if (this.isKw(t, "in")) {
      this.lx.next();
      words = [];
      for (;;) {
        const w = this.lx.peek();
        if (w.k !== "word") break;
        this.lx.next();
        words.push(w.w);
      }
      const sep = this.lx.next();
      if (!(sep.k === "nl" || this.isOp(sep, ";"))) this.unexpected(sep);
    } else if (this.isOp(t, ";")) this.lx.next();
    this.skipNewlines();
    const body = this.doGroup();
    return { type: "for", line, name: nt.raw, words, body, redirs: [] };
  }

  private caseClause(): Node {
    const line = this.lx.next().line;
    const wt = this.lx.next();
    if (wt.k !== "word") this.unexpected(wt, "word");
    this.skipNewlines();
    this.expectKw("in");
    const items: CaseItem[] = [];
    for (;;) {
      this.skipNewlines();
      let t = this.lx.next();
      if (this.isKw(t, "esac")) break;
      if (this.isOp(t, "(")) t = this.lx.next();
      const patterns: Word[] = [];
      for (;;) {
        if (t.k !== "word") {
          // ash takes whatever token is there as the pattern and complains about the next one
          if (t.k === "eof" || t.k === "nl") this.unexpected(t, ")");
          const n = this.lx.next();
          if (!this.isOp(n, ")")) this.unexpected(n, ")");
          t = n;
          break;
        }
        patterns.push(t.w);
        t = this.lx.next();
        if (this.isOp(t, "|")) {
          t = this.lx.next();
          continue;
        }
        if (!this.isOp(t, ")")) this.unexpected(t, ")");
        break;
      }
      this.skipNewlines();
      let body: Node | null = null;
      const b = this.lx.peek();
      if (!this.isOp(b, ";;") && !this.isKw(b, "esac")) body = this.list(false);
      const e = this.lx.next();
      if (this.isKw(e, "esac")) {
        items.push({ patterns, body });
        break;
      }
      if (!this.isOp(e, ";;")) this.unexpected(e, ";;");
      items.push({ patterns, body });
    }
    return { type: "case", line, word: wt.w, items, redirs: [] };
  }

  /** One redirection, or null when the next token is not one. */
  private redirection(): Redir | null {
    let t = this.lx.peek();
    let fd = -1;
    if (t.k === "io") {
      this.lx.next();
      fd = t.n;
      t = this.lx.peek();
      if (t.k !== "op") this.unexpected(t);
    }
    if (t.k !== "op" || !/^[<>]/.test(t.op)) return null;
    this.lx.next();
    const op = t.op as RedirOp;
    if (fd < 0) fd = op[0] === "<" ? 0 : 1;
    const w = this.lx.next();
    if (w.k !== "word") this.unexpected(w);
    const r: Redir = { op, fd, target: w.w };
    if (op === "<<" || op === "<<-") {
      const text = w.start !== undefined && w.end !== undefined ? this.lx.src.slice(w.start, w.end) : null;
      const { delim, quoted } = text !== null ? heredocMark(text) : partsMark(w.w);
      r.quoted = quoted;
      this.lx.addHeredoc(r, delim, op === "<<-");
    }
    return r;
  }

  private simpleCommand(): Node {
    const line = this.lx.peek().line;
    const assigns: Word[] = [];
    const args: Word[] = [];
    const redirs: Redir[] = [];
    // after a word "[[" (bash's conditional, BusyBox's BASH_TEST2) && and || are words, up to "]]"
    let dbl = false;
    for (;;) {
      const r = this.redirection();
      if (r) {
        redirs.push(r);
        continue;
      }
      const t = this.lx.peek();
      if (dbl && t.k === "op" && (t.op === "&&" || t.op === "||")) {
        this.lx.next();
        args.push({ parts: [{ t: "lit", s: t.op }] });
        continue;
      }
      if (t.k !== "word") break;
      if (t.raw === "[[") dbl = true;
      else if (t.raw === "]]") dbl = false;
      if (args.length === 0 && isAssignment(t.w)) {
        this.lx.next();
        assigns.push(t.w);
        continue;
      }
      this.lx.next();
      // NAME ( ) command: a function definition
      if (
        args.length === 0 &&
        assigns.length === 0 &&
        redirs.length === 0 &&
        this.isOp(this.lx.peek(), "(")
      ) {
        this.lx.next();
        const c = this.lx.next();
        if (!this.isOp(c, ")")) this.unexpected(c, ")");
        if (t.raw === null || !isName(t.raw)) throw new ShSyntaxError("bad function name", t.line);
        this.skipNewlines();
        return { type: "defun", line, name: t.raw, body: this.command() };
      }
      args.push(t.w);
    }
    if (args.length === 0 && assigns.length === 0 && redirs.length === 0) this.unexpected(this.lx.peek());
    return { type: "cmd", line, assigns, args, redirs };
  }
}

/**
 * A here-document's end mark (ash's parsefname: rmescapes of the word's
 * text): the delimiter word as written, `$x` included, after quote removal;
 * quoted (no expansion of the body) when it held ' " or a backslash. A
 * backslash-newline is a line continuation, not quoting.
 */
export function heredocMark(text: string): { delim: string; quoted: boolean } {
  const t = text.replace(/\\\n/g, "");
  let delim = "";
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === "'") {
      quoted = true;
      const j = t.indexOf("'", i + 1);
      delim += t.slice(i + 1, j < 0 ? t.length : j);
      i = j < 0 ? t.length : j;
    } else if (c === '"') {
      quoted = true;
      for (i++; i < t.length && t[i] !== '"'; i++) {
        if (t[i] === "\\" && i + 1 < t.length && '$`"\\'.includes(t[i + 1])) i++;
        delim += t[i];
      }
    } else if (c === "\\") {
      quoted = true;
      if (i + 1 < t.length) delim += t[++i];
    } else delim += c;
  }
  return { delim, quoted };
}

/** The end mark from the parts alone (a word without its source text). */
function partsMark(w: Word): { delim: string; quoted: boolean } {
  let delim = "";
  for (const p of w.parts) {
    if (p.t === "lit" || p.t === "sq") delim += p.s;
    else if (p.t === "dq") for (const q of p.parts) if (q.t === "sq" || q.t === "lit") delim += q.s;
  }
  return { delim, quoted: w.parts.some((p) => p.t !== "lit") };
}

/** NAME=... with an unquoted name. */
export function isAssignment(w: Word): boolean {
  const p = w.parts[0];
  return p !== undefined && p.t === "lit" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(p.s);
}
