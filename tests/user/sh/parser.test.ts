/*
 * parser.test.ts - the shell's lexer and parser alone: the tree a line
 * becomes (ast.ts), the words' quoting structure, here-documents, the
 * NeedMore protocol of an incomplete line, and ash's syntax error texts.
 */

import { describe, expect, it } from "vitest";
import type { Node, Part, Word } from "../../../src/user/sh/ast.js";
import { Lexer, NeedMore, ShSyntaxError } from "../../../src/user/sh/lexer.js";
import { Parser } from "../../../src/user/sh/parser.js";

/** Parses a whole program. */
function parse(text: string): Node | null {
  return new Parser(new Lexer(text, true)).wholeProgram();
}

/** The first line of a program (as the command loop asks for it). */
function line(text: string, eof = true): Node | null | "eof" {
  return new Parser(new Lexer(text, eof)).parseLine();
}

const lit = (s: string): Part => ({ t: "lit", s });
const sq = (s: string): Part => ({ t: "sq", s });
const w = (...parts: (Part | string)[]): Word => ({
  parts: parts.map((p) => (typeof p === "string" ? lit(p) : p)),
});
const param = (name: string, op = "", arg: Word | null = null, colon = false): Part =>
  ({ t: "param", name, op, colon, arg, arg2: null }) as Part;
const cmd = (args: Word[], extra: Partial<Extract<Node, { type: "cmd" }>> = {}): Node => ({
  type: "cmd",
  line: 1,
  assigns: [],
  args,
  redirs: [],
  ...extra,
});
const simple = (...args: string[]): Node => cmd(args.map((a) => w(a)));

describe("simple commands", () => {
  it.each<[string, Node]>([
    ["echo hi there", simple("echo", "hi", "there")],
    ["  echo   spaced\t", simple("echo", "spaced")],
    ["echo a # comment", simple("echo", "a")],
    ["echo a\\\nb", simple("echo", "ab")],
    ["x=1 y=2 env", cmd([w("env")], { assigns: [w("x=1"), w("y=2")] })],
    ["x=1", cmd([], { assigns: [w("x=1")] })],
    ["echo x=1", simple("echo", "x=1")],
    ["2>&1 echo", cmd([w("echo")], { redirs: [{ op: ">&", fd: 2, target: w("1") }] })],
    [
      "cat <in >>out 3<>rw",
      cmd([w("cat")], {
        redirs: [
          { op: "<", fd: 0, target: w("in") },
          { op: ">>", fd: 1, target: w("out") },
          { op: "<>", fd: 3, target: w("rw") },
        ],
      }),
    ],
    ["echo 2>x", cmd([w("echo")], { redirs: [{ op: ">", fd: 2, target: w("x") }] })],
    ["echo a2>x", cmd([w("echo"), w("a2")], { redirs: [{ op: ">", fd: 1, target: w("x") }] })],
  ])("%j", (text, tree) => {
    expect(parse(text)).toEqual(tree);
  });
});

describe("words keep their quoting", () => {
  it.each<[string, Word]>([
    ["'a b'", w(sq("a b"))],
    ['"a $x"', w({ t: "dq", parts: [sq("a "), param("x")] })],
    ["a\\*b", w("a", sq("*"), "b")],
    ["${x:-d}", w(param("x", "-", w("d"), true))],
    ["${x%%.*}", w(param("x", "%%", w(".*")))],
    ["${#x}", w(param("x", "#len"))],
    ["$1$@", w(param("1"), param("@"))],
    ["~/bin", w({ t: "tilde", user: "" }, "/bin")],
    ["$((1 + 2))", w({ t: "arith", expr: w("1 + 2") })],
    ["$(true)", w({ t: "cmdsub", body: simple("true") })],
    ["`true`", w({ t: "cmdsub", body: simple("true") })],
    ["$", w("$")],
  ])("%s", (text, word) => {
    const n = parse(`echo ${text}`) as Extract<Node, { type: "cmd" }>;
    expect(n.args[1]).toEqual(word);
  });
});

describe("lists and pipelines", () => {
  it("builds and/or left-associatively, ; as a sequence, & as a background job", () => {
    expect(parse("a && b || c")).toEqual({
      type: "or",
      left: { type: "and", left: simple("a"), right: simple("b") },
      right: simple("c"),
    });
    expect(parse("a; b &")).toEqual({
      type: "seq",
      left: simple("a"),
      right: { type: "bg", body: simple("b") },
    });
  });

  it("makes a pipeline node, ! around it, and a background pipeline", () => {
    expect(parse("! a | b")).toEqual({
      type: "not",
      body: { type: "pipe", cmds: [simple("a"), simple("b")], bg: false },
    });
    expect(parse("a | b &")).toEqual({ type: "pipe", cmds: [simple("a"), simple("b")], bg: true });
  });

  it("continues a line after && and |", () => {
    expect(parse("a &&\n\nb")).toEqual({
      type: "and",
      left: simple("a"),
      right: { ...simple("b"), line: 3 },
    });
  });
});

describe("compound commands", () => {
  it("parses if/elif/else as nested ifs", () => {
    expect(parse("if a; then b; elif c; then d; else e; fi")).toEqual({
      type: "if",
      cond: simple("a"),
      then: simple("b"),
      else: { type: "if", cond: simple("c"), then: simple("d"), else: simple("e"), redirs: [] },
      redirs: [],
    });
  });

  it("parses loops, with redirections on the compound", () => {
    expect(parse("while a; do b; done >f")).toEqual({
      type: "while",
      cond: simple("a"),
      body: simple("b"),
      redirs: [{ op: ">", fd: 1, target: w("f") }],
      rline: 1,
    });
    expect(parse("for i in 1 2; do :; done")).toEqual({
      type: "for",
      line: 1,
      name: "i",
      words: [w("1"), w("2")],
      body: simple(":"),
      redirs: [],
    });
    expect(parse("for i; do :; done")).toMatchObject({ type: "for", words: null });
  });

  it("parses case items, patterns and an optional (", () => {
    expect(parse("case $x in (a|b) one;; *) ;; esac")).toEqual({
      type: "case",
      line: 1,
      word: w(param("x")),
      items: [
        { patterns: [w("a"), w("b")], body: simple("one") },
        { patterns: [w("*")], body: null },
      ],
      redirs: [],
    });
  });

  it("parses groups, subshells and function definitions", () => {
    expect(parse("{ a; } 2>/dev/null")).toEqual({
      type: "group",
      body: simple("a"),
      redirs: [{ op: ">", fd: 2, target: w("/dev/null") }],
      rline: 1,
    });
    // the line a compound with redirections began on (errors in its redirections name it)
    expect(parse("{\n a\n} <x")).toMatchObject({ type: "group", rline: 1 });
    expect(parse("(a)")).toEqual({ type: "subshell", body: simple("a"), redirs: [] });
    expect(parse("f() { a; }")).toEqual({
      type: "defun",
      line: 1,
      name: "f",
      body: { type: "group", body: simple("a"), redirs: [] },
    });
  });

  it("takes a simple command as a function body, as ash does", () => {
    expect(parse("f() echo hi")).toEqual({ type: "defun", line: 1, name: "f", body: simple("echo", "hi") });
  });

  it("takes reserved words only in command position", () => {
    expect(parse("echo if then fi")).toEqual(simple("echo", "if", "then", "fi"));
  });
});

describe("here-documents", () => {
  it("reads the body after the line, expanding unless the delimiter is quoted", () => {
    const n = parse("cat <<E; echo after\nhi $x\nE\n") as Extract<Node, { type: "seq" }>;
    expect((n.left as Extract<Node, { type: "cmd" }>).redirs[0]).toEqual({
      op: "<<",
      fd: 0,
      target: w(sq("hi "), param("x"), sq("\n")),
      quoted: false,
    });
    const q = parse("cat <<'E'\nhi $x\nE\n") as Extract<Node, { type: "cmd" }>;
    expect(q.redirs[0]).toEqual({ op: "<<", fd: 0, target: w(sq("hi $x\n")), quoted: true });
  });

  it("strips leading tabs with <<-", () => {
    const n = parse("cat <<-E\n\t\tx\n\tE\n") as Extract<Node, { type: "cmd" }>;
    expect(n.redirs[0].target).toEqual(w(sq("x\n")));
  });
});

describe("incomplete input", () => {
  it.each([
    "echo 'open",
    'echo "open',
    "if true; then",
    "a |",
    "a &&",
    "cat <<E\nbody",
    "echo $(a",
    "echo \\",
  ])("%j asks for more", (text) => {
    expect(() => line(text, false)).toThrow(NeedMore);
  });

  it("returns null for an empty line and eof at the end", () => {
    expect(line("\n")).toBeNull();
    expect(line("")).toBe("eof");
  });
});

describe("syntax errors in ash's words", () => {
  it.each<[string, string]>([
    ["fi", 'unexpected "fi"'],
    ["if true; then echo; fi fi", 'unexpected "fi"'],
    ["echo )", 'unexpected ")"'],
    ["| a", 'unexpected "|"'],
    ["if true; then", 'unexpected end of file (expecting "fi")'],
    ["while true; do", 'unexpected end of file (expecting "done")'],
    ["a &&", "unexpected end of file"],
    ["for 1 in a; do :; done", "bad for loop variable"],
    ["echo 'open", "unterminated quoted string"],
    ["echo ${x", "missing '}'"],
  ])("%j", (text, msg) => {
    let err: unknown = null;
    try {
      parse(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ShSyntaxError);
    expect((err as ShSyntaxError).msg).toBe(msg);
  });
});

describe("a malformed ${...}", () => {
  // ash's parsesub lets it through; evalvar says "bad substitution" when it is expanded
  it("parses, keeping its text, and is no syntax error yet", () => {
    const n = parse("if false; then echo ${x!}; fi") as Extract<Node, { type: "if" }>;
    expect(JSON.stringify(n)).toContain('{"t":"param","name":"x!","op":"bad"');
  });
});
