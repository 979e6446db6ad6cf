/*
 * Bracket expressions, one parser for regcomp (grep, sed) and fnmatch
 * (ash's case and globbing): what each syntax makes of the same brackets.
 */

import { describe, expect, it } from "vitest";
import { parseBracket } from "../../../src/user/libc/bracket.js";
import { regcomp } from "../../../src/user/libc/regex.js";
import { pmatch } from "../../../src/user/sh/glob.js";

describe("bracket expressions", () => {
  it.each([
    // text, as a regular expression, as a shell pattern
    ["[abc]", "[abc]", "[abc]"],
    ["[^a-z]", "[^a-z]", "[^a-z]"],
    ["[!a]", "[!a]", "[^a]"],
    ["[]a]", "[\\]a]", "[\\]a]"],
    ["[a-]", "[a\\-]", "[a\\-]"],
    ["[\\]]", "[\\\\]", "[\\]]"],
    ["[[:digit:]x]", "[0-9x]", "[0-9x]"],
    ["[[.-.][=b=]]", "[\\-b]", "[\\-b]"],
    ["[[:bogus:]]", "Invalid character class name", "(?!)"],
    ["[z-a]", "Invalid range end", "[]"],
    ["[a\\-z]", "[a\\\\-z]", "[a\\-z]"],
    ["[[:alpha:]", null, null],
    ["[[:alpha]", null, "[\\[:alpha]"],
  ])("%s", (text, regex, shell) => {
    const show = (b: ReturnType<typeof parseBracket>) => (b === null || typeof b === "string" ? b : b.re);
    expect(show(parseBracket(text, 0, false))).toBe(regex);
    expect(show(parseBracket(text, 0, true))).toBe(shell);
  });

  it("serves regcomp and pmatch alike", () => {
    const r = regcomp("[[=b=]]x", false);
    expect(typeof r === "string" ? r : r.re.source).toBe("[b]x");
    expect(regcomp("a[b", false)).toBe("Unmatched [, [^, [:, [., or [=");
    // fnmatch knows [=x=] and [.x.] too, and an unknown class matches nothing at all
    expect(["b", "-", "a", "]"].map((s) => pmatch("[[=b=][.-.]]", s))).toEqual([true, true, false, false]);
    expect(["a", "x"].map((s) => pmatch("[[:bogus:]a]", s))).toEqual([false, false]);
    expect(["a[b", "ab"].map((s) => pmatch("a[b", s))).toEqual([true, false]);
  });
});
