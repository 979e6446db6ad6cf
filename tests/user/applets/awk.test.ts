/*
 * awk.test.ts - the pieces of the awk applet that need no machine: tokens
 * (regex or division, dropped newlines), number formats, printf, the
 * replacement text of sub/gsub, strnum reading and the hash order of
 * for-in. Whole programs are compared with the host's BusyBox in
 * golden/awk.cmds and golden/awk-edges.cmds.
 */

import { describe, expect, it } from "vitest";
import { GlibcRandom, substitute } from "../../../src/user/applets/awk_builtin.js";
import { tokenize } from "../../../src/user/applets/awk_lex.js";
import { awk_printf, fmt_num } from "../../../src/user/applets/awk_printf.js";
import { AwkArray, StrNum } from "../../../src/user/applets/awk_value.js";
import { type Regex, regcomp } from "../../../src/user/libc/regex.js";

const toks = (p: string): string =>
  tokenize(p)
    .map((t) => `${t.k}:${t.v}`)
    .join(" ");
const re = (s: string): Regex => regcomp(s, true) as Regex;
const arg = (v: number | string) => ({
  str: () => String(v),
  num: () => Number(v),
  isNum: () => typeof v === "number",
});

describe("awk_lex", () => {
  it.each([
    ["a / b / c", "name:a op:/ name:b op:/ name:c eof:"],
    ["x ~ /a\\/b/", "name:x op:~ ere:a\\/b eof:"],
    ["(a) /2/ 1", "op:( name:a op:) op:/ num:2 op:/ num:1 eof:"],
    ["a +\nb", "name:a op:+ name:b eof:"],
    ["a\nb", "name:a nl:\n name:b eof:"],
    ['"t\\tq\\"z\\y"', 'str:t\tq"zy eof:'],
    ["f(1) g (2)", "funcname:f op:( num:1 op:) name:g op:( num:2 op:) eof:"],
    ["0x10 010 1e3", "num:16 num:8 num:1000 eof:"],
  ])("%j", (p, want) => {
    expect(toks(p)).toBe(want);
  });
});

describe("awk_printf", () => {
  it.each([
    [1e6, "1000000"],
    [1e20, "1e+20"],
    [0.1 + 0.2, "0.3"],
    [-0, "0"],
    [1 / 3, "0.333333"],
  ])("fmt_num %d", (n, want) => {
    expect(fmt_num("%.6g", n)).toBe(want);
  });

  it.each([
    ["%d|%i|%x", [42.9, -3.9, 255], "42|-3|ff"],
    ["%d %u", [2 ** 32, -1], "-2147483648 4294967295"],
    ["%c%c%c", [65, "hello", 322], "AhB"],
    ["%5.1f|%-4s|100%%", [3.25, "ab"], "  3.2|ab  |100%"],
    ["%s|%d|", [], "|0|"],
  ] as [string, (number | string)[], string][])("%j", (f, args, want) => {
    expect(awk_printf(f, args.map(arg))).toBe(want);
  });

  it("refuses what BusyBox refuses", () => {
    expect(() => awk_printf("%ld", [arg(1)])).toThrow("Invalid format specifier");
    expect(() => awk_printf("%*d", [arg(1)])).toThrow("%*x formats are not supported");
  });
});

describe("sub and gsub", () => {
  it.each([
    ["o", "[&]", "hello world", true, "hell[o] w[o]rld", 2],
    ["a", "\\&", "aaa", false, "&aa", 1],
    ["a", "\\\\&", "ab", false, "\\ab", 1],
    ["", "-", "abc", true, "-a-b-c-", 4],
    ["x*", "-", "foo", true, "-f-o-o-", 4],
    ["(b)", "[\\1]", "abc", false, "a[\\1]c", 1],
  ] as [string, string, string, boolean, string, number][])("%j %j on %j", (r, repl, s, g, out, n) => {
    expect(substitute(re(r), repl, s, g)).toEqual([out, n]);
  });
});

describe("values and arrays", () => {
  it.each([
    ["10", true, 10],
    [" 3.5 ", true, 3.5],
    ["010", true, 8],
    ["0x1A", true, 26],
    ["12abc", false, 12],
    ["", false, 0],
    [" ", true, 0],
  ] as [string, boolean, number][])("strnum %j", (s, isNum, n) => {
    const v = new StrNum(s);
    expect([v.isNum, v.n]).toEqual([isNum, n]);
  });

  it("walks an array in BusyBox's hash order (as the host's busybox awk prints it)", () => {
    const a = new AwkArray();
    for (const k of ["x", "y", "z", "1", "2", "10"]) a.set(k, 1);
    expect(a.keys()).toEqual(["z", "10", "1", "2", "x", "y"]);
    a.delete("2");
    expect(a.keys()).toEqual(["z", "10", "1", "x", "y"]);
  });
});

describe("rand", () => {
  it("draws from glibc's random() seeded 1, as awk starts", () => {
    const r = new GlibcRandom(1);
    expect([r.next(), r.next(), r.next()]).toEqual([1804289383, 846930886, 1681692777]);
  });
});
