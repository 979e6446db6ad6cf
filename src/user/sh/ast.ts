/*
 * ast.ts - the syntax tree of a shell program (BusyBox shell/ash.c's
 * union node: NCMD, NPIPE, NAND, NOR, NSEMI, NBACKGND, NSUBSHELL, NREDIR,
 * NIF, NWHILE, NUNTIL, NFOR, NCASE, NDEFUN, NNOT), as a discriminated union.
 *
 * The parser (parser.ts) builds it; the interpreter (eval.ts) walks it. A
 * word keeps its quoting structure (parts), because expansion (expand.ts)
 * needs to know which characters were quoted: quoted text is neither split
 * into fields nor used as a glob pattern.
 */

/** One piece of a word. Text inside "dq" parts is quoted. */
export type Part =
  | { t: "lit"; s: string } // unquoted text
  | { t: "sq"; s: string } // quoted text: '...', a backslash-escaped character
  | { t: "dq"; parts: Part[] } // "..."
  | { t: "param"; name: string; op: ParamOp; colon: boolean; arg: Word | null; arg2: Word | null }
  | { t: "cmdsub"; body: Node | null }
  | { t: "arith"; expr: Word }
  | { t: "tilde"; user: string }; // ~ or ~user at the start of a word

/**
 * Parameter expansion operators: "" ($x), "#len" (${#x}), the POSIX ones
 * (- = ? + % %% # ##), and the bash ones ash also has: ":" substring
 * (${x:o:l}), "/" and "//" replacement.
 */
export type ParamOp =
  | ""
  | "#len"
  | "-"
  | "="
  | "?"
  | "+"
  | "%"
  | "%%"
  | "#"
  | "##"
  | ":"
  | "/"
  | "//"
  /** A malformed ${...}: "bad substitution" when expanded. */
  | "bad";

export interface Word {
  parts: Part[];
}

export type RedirOp = "<" | ">" | ">>" | ">|" | "<>" | "<&" | ">&" | "<<" | "<<-";

export interface Redir {
  op: RedirOp;
  fd: number;
  /** The file name, or the fd for <& and >&, or the here-document body. */
  target: Word;
  /** Here-document: the delimiter was quoted (no expansion of the body). */
  quoted?: boolean;
}

export interface CaseItem {
  patterns: Word[];
  body: Node | null;
}

export type Node =
  | { type: "cmd"; line: number; assigns: Word[]; args: Word[]; redirs: Redir[] }
  | { type: "pipe"; cmds: Node[]; bg: boolean }
  | { type: "and" | "or"; left: Node; right: Node }
  | { type: "not"; body: Node }
  | { type: "seq"; left: Node; right: Node }
  | { type: "bg"; body: Node }
  | { type: "subshell"; body: Node; redirs: Redir[]; rline?: number }
  | { type: "group"; body: Node; redirs: Redir[]; rline?: number }
  | { type: "if"; cond: Node; then: Node; else: Node | null; redirs: Redir[]; rline?: number }
  | { type: "while" | "until"; cond: Node; body: Node; redirs: Redir[]; rline?: number }
  | {
      type: "for";
      line: number;
      name: string;
      words: Word[] | null;
      body: Node | null;
      redirs: Redir[];
      rline?: number;
    }
  | { type: "case"; line: number; word: Word; items: CaseItem[]; redirs: Redir[]; rline?: number }
  | { type: "defun"; line: number; name: string; body: Node };

/**
 * A command that runs in the shell itself and can carry redirections; rline:
 * with redirections, the line the command began on (errors in them name it).
 */
export type Compound = Exclude<Extract<Node, { redirs: Redir[] }>, { type: "cmd" }>;
