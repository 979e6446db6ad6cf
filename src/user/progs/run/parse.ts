/*
 * parse.ts - the `run` language: a program is lines of commands that do
 * what a C program's memory calls and loads/stores would (see docs/run.md).
 *
 *     # comment
 *     p = malloc 100K            name = command args...
 *     n = p+4K                   name = expression
 *     write p 100K               commands: malloc free realloc mmap munmap ...
 *     repeat 10 as i             blocks end with "end"
 *       q = mmap 1M rw populate
 *     end
 *     pid = fork                 the block after fork runs in the child
 *       write p 50K 0x22
 *     end
 *     wait pid
 *     if n>10                    runs the block when the expression is not 0
 *       exit 1
 *     end
 *
 * Arguments are words: numbers (123, 0x1f, with K/M/G/P suffixes for KiB,
 * MiB, GiB and pages), names, expressions without spaces (p+4K, n*2,
 * i+1==n; comparisons give 1 or 0),
 * "quoted strings" with \n \t \\ \" escapes, and $1, $2... for the
 * program's own arguments. The parser only builds the tree; numbers are
 * evaluated when the line runs.
 */

export type Stmt =
  | { kind: "cmd"; line: number; assign: string | null; cmd: string; args: Arg[]; tolerate: boolean }
  | { kind: "repeat"; line: number; count: Arg; var: string | null; body: Stmt[] }
  | { kind: "fork"; line: number; assign: string | null; body: Stmt[] }
  | { kind: "if"; line: number; cond: Arg; body: Stmt[] };

export type Arg = { kind: "word"; text: string } | { kind: "string"; text: string };

export class RunSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Every command the interpreter knows (the parser rejects the rest). */
export const COMMANDS = new Set([
  "malloc",
  "free",
  "realloc",
  "mallopt",
  "mmap",
  "munmap",
  "mprotect",
  "mremap",
  "madvise",
  "mlock",
  "munlock",
  "mlockall",
  "munlockall",
  "mincore",
  "brk",
  "sbrk",
  "write",
  "read",
  "touch",
  "fetch",
  "stack",
  "open",
  "close",
  "fread",
  "fwrite",
  "seek",
  "ftruncate",
  "fork",
  "wait",
  "exit",
  "exec",
  "sleep",
  "print",
  "printf",
  "show",
  "pause",
  "kill",
  "getpid",
  "faults",
  "let",
]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits one line into words and strings; null at a comment or the end. */
function tokenize(src: string, line: number): Arg[] {
  const out: Arg[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") break;
    if (c === '"') {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new RunSyntaxError(line, "unterminated string");
        const d = src[i++];
        if (d === '"') break;
        if (d === "\\") {
          const e = src[i++];
          s += e === "n" ? "\n" : e === "t" ? "\t" : e === "0" ? "\0" : (e ?? "");
        } else s += d;
      }
      out.push({ kind: "string", text: s });
      continue;
    }
    let j = i;
    while (j < src.length && !' \t\r#"'.includes(src[j])) j++;
    out.push({ kind: "word", text: src.slice(i, j) });
    i = j;
  }
  return out;
}

/** Parses a whole program. Throws RunSyntaxError with the line of the problem. */
export function parse_program(text: string): Stmt[] {
  const lines = text.split("\n");
  let n = 0;
  if (lines[0]?.startsWith("#!")) n = 1;
  const block = (depth: number, opener: number): Stmt[] => {
    const out: Stmt[] = [];
    while (n < lines.length) {
      const lineNo = n + 1;
      const toks = tokenize(lines[n++], lineNo);
      if (toks.length === 0) continue;
      const words = toks.map((t) => (t.kind === "word" ? t.text : null));
      if (words[0] === "end") {
        if (toks.length > 1) throw new RunSyntaxError(lineNo, "unexpected words after 'end'");
        if (depth === 0) throw new RunSyntaxError(lineNo, "'end' without a block");
        return out;
      }
      let assign: string | null = null;
      let rest = toks;
      if (words[1] === "=") {
        if (!words[0] || !NAME.test(words[0]))
          throw new RunSyntaxError(lineNo, `bad variable name '${toks[0].text}'`);
        assign = words[0];
        rest = toks.slice(2);
        if (rest.length === 0) throw new RunSyntaxError(lineNo, "missing command after '='");
      }
      let tolerate = false;
      if (rest[0].kind === "word" && rest[0].text === "try") {
        tolerate = true;
        rest = rest.slice(1);
        if (rest.length === 0) throw new RunSyntaxError(lineNo, "missing command after 'try'");
      }
      const head = rest[0];
      if (head.kind !== "word") throw new RunSyntaxError(lineNo, "a line must start with a command");
      if (head.text === "repeat") {
        if (assign || tolerate) throw new RunSyntaxError(lineNo, "'repeat' takes no assignment");
        const [, count, as, v, ...extra] = rest;
        if (!count) throw new RunSyntaxError(lineNo, "'repeat' needs a count");
        if (
          as &&
          !(
            as.kind === "word" &&
            as.text === "as" &&
            v?.kind === "word" &&
            NAME.test(v.text) &&
            extra.length === 0
          )
        )
          throw new RunSyntaxError(lineNo, "expected 'repeat COUNT [as NAME]'");
        const body = block(depth + 1, lineNo);
        out.push({ kind: "repeat", line: lineNo, count, var: v ? v.text : null, body });
        continue;
      }
      if (head.text === "if") {
        if (assign || tolerate) throw new RunSyntaxError(lineNo, "'if' takes no assignment");
        if (rest.length !== 2) throw new RunSyntaxError(lineNo, "expected 'if EXPRESSION'");
        const body = block(depth + 1, lineNo);
        out.push({ kind: "if", line: lineNo, cond: rest[1], body });
        continue;
      }
      if (head.text === "fork") {
        if (rest.length > 1) throw new RunSyntaxError(lineNo, "'fork' takes no arguments");
        const body = block(depth + 1, lineNo);
        out.push({ kind: "fork", line: lineNo, assign, body });
        continue;
      }
      if (assign && !tolerate && rest.length === 1 && !COMMANDS.has(head.text)) {
        // name = expression
        out.push({ kind: "cmd", line: lineNo, assign, cmd: "let", args: rest, tolerate: false });
        continue;
      }
      if (!COMMANDS.has(head.text)) throw new RunSyntaxError(lineNo, `unknown command '${head.text}'`);
      out.push({ kind: "cmd", line: lineNo, assign, cmd: head.text, args: rest.slice(1), tolerate });
    }
    if (depth > 0) throw new RunSyntaxError(opener, "block not closed with 'end'");
    return out;
  };
  return block(0, 0);
}

/**
 * Evaluates a numeric word: numbers with suffixes, names, and + - * / %
 * with the usual precedence (no spaces, no parentheses).
 */
export function eval_expr(text: string, lookup: (name: string) => number | undefined): number {
  const toks = text.match(/[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+|\d+[KMGPkmgp]?|==|!=|<=|>=|[-+*/%<>]/g);
  if (!toks || toks.join("") !== text) throw new Error(`bad number or expression '${text}'`);
  let i = 0;
  const atom = (): number => {
    let sign = 1;
    while (toks[i] === "-" || toks[i] === "+") if (toks[i++] === "-") sign = -sign;
    const t = toks[i++];
    if (t === undefined) throw new Error(`bad expression '${text}'`);
    if (/^0[xX]/.test(t)) return sign * Number.parseInt(t.slice(2), 16);
    const m = /^(\d+)([KMGPkmgp]?)$/.exec(t);
    if (m) {
      const mult = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, P: 4096 }[m[2].toUpperCase()]!;
      return sign * Number(m[1]) * mult;
    }
    if (/^([-+*/%<>]|[=!<>]=)$/.test(t)) throw new Error(`bad expression '${text}'`);
    const v = lookup(t);
    if (v === undefined) throw new Error(`'${t}' is not set`);
    return sign * v;
  };
  const term = (): number => {
    let v = atom();
    while (toks[i] === "*" || toks[i] === "/" || toks[i] === "%") {
      const op = toks[i++];
      const r = atom();
      if (op !== "*" && r === 0) throw new Error("division by zero");
      v = op === "*" ? v * r : op === "/" ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = term();
    while (toks[i] === "+" || toks[i] === "-") v = toks[i++] === "+" ? v + term() : v - term();
    return v;
  };
  let v = sum();
  const cmp = toks[i];
  if (cmp === "==" || cmp === "!=" || cmp === "<" || cmp === ">" || cmp === "<=" || cmp === ">=") {
    i++;
    const r = sum();
    v = Number(
      cmp === "=="
        ? v === r
        : cmp === "!="
          ? v !== r
          : cmp === "<"
            ? v < r
            : cmp === ">"
              ? v > r
              : cmp === "<="
                ? v <= r
                : v >= r,
    );
  }
  if (i !== toks.length) throw new Error(`bad expression '${text}'`);
  return v;
}
