/*
 * fuzz.test.ts - random input at the console shell (property-based, with
 * fast-check and a fixed seed, so a failure reproduces).
 *
 * Three kinds of lines: shell-looking token soup (quotes, expansions,
 * operators, reserved words, redirections, here-documents), random bytes
 * with control characters, and very long lines. After each one the
 * machine must be fine: no kernel panic, no program dying of an internal
 * (JavaScript) error, no stack trace on the console, the allocator's
 * invariants hold, and the shell still answers `echo alive`.
 *
 * A line may start something that never ends (`cat` reading the console,
 * `while :; do :; done`) or leave the shell waiting for the rest of a
 * command (an open quote): ^C is what gets a person back to the prompt,
 * and here too.
 */

import fc from "fast-check";
import { describe, it } from "vitest";
import { FuzzConsole } from "../../helpers/fuzz.js";

/** Words the soup is made of: everything the lexer treats specially, no exit/exec/kill. */
const WORDS = [
  ..."echo printf x=1 $x } $( ) ` ' \" ( | || && ; ;; & < > >> 2>&1 <&0 >&- <<E <<-E E $(( )) 1+2 /0".split(
    " ",
  ),
  ..."* ? [a-z] if then elif else fi while until false true do done for in case esac { ! \\ # ~".split(" "),
  ..."$@ $* $? $# $$ $! set -- -e -u -x shift local f() f return break continue eval test [ ] -n".split(" "),
  ..."-z = read trap INT EXIT unset export readonly getopts wait jobs fg bg cd pwd type command :".split(" "),
  ...["cat", "/dev/null", "/proc/meminfo", "/tmp/f", "\t", " ", "\n"],
  ...["[z-a]", "[!]", "[]", "[[:bogus:]]", "[a-", "case", "x)", "*)", "$((1/0))"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansions, not templates
  ...["${x", "${#x}", "${x:-y}", "${x%%*}", "${x/a/b}", "${x:}"],
];

const soup = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((ws) => ws.join(" "));
const bytes = fc
  .array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 60 })
  .map((cs) => String.fromCharCode(...cs).replace(/[\x04\n\r]/g, ""));
const longLine = fc
  .tuple(
    fc.constantFrom("echo ", ": ", "x=", "# ", "'"),
    fc.integer({ min: 2000, max: 9000 }),
    fc.constantFrom("a", "$x", "\\ ", '"a b" '),
  )
  .map(([head, n, unit]) => head + unit.repeat(Math.ceil(n / unit.length)));

describe("the console shell under random input", () => {
  const c = new FuzzConsole({ patience: 1e9 });
  const check = (line: string): void => {
    c.type(`${line}\n`);
    c.check(line);
  };

  it("survives shell-looking token soup", () => {
    fc.assert(fc.property(soup, check), { seed: 20261129, numRuns: 150 });
  });

  it("survives random bytes and control characters", () => {
    fc.assert(fc.property(bytes, check), { seed: 20261130, numRuns: 60 });
  });

  it("survives very long lines", () => {
    fc.assert(fc.property(longLine, check), { seed: 20261131, numRuns: 10 });
  });
});
