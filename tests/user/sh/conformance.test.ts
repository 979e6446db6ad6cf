/*
 * conformance.test.ts - mmbox's shell against real BusyBox ash.
 *
 * Each tests/user/sh/scripts/<category>/NAME.sh was run once under Debian's
 * BusyBox 1.35 ash by scripts/record-ash-fixtures.sh, which stored its
 * stdout+stderr (merged) in tests/fixtures/ash/<category>/NAME.out and its
 * exit status in NAME.status. Here the same script runs inside a booted
 * machine the same way (conformance.ts: ScriptMachine, one machine per
 * category); whole outputs and statuses must be equal.
 */

import { describe, expect, it } from "vitest";
import { cases, categories, ScriptMachine, SKIP } from "./conformance.js";

const ISSUE_CATEGORIES = [
  "arith",
  "glob",
  "heredoc",
  "jobs",
  "misc",
  "parsing",
  "quoting",
  "read",
  "redirection",
];

it("has the scripts the issue asks for: at least 250, in all of its categories", () => {
  const total = categories().reduce((n, c) => n + cases(c).length, 0);
  expect(total).toBeGreaterThanOrEqual(250);
  expect(categories()).toEqual(expect.arrayContaining([...ISSUE_CATEGORIES, "signals", "vars"]));
});

describe.each(categories())("%s", (category) => {
  const list = cases(category);
  const machine = new ScriptMachine(list);
  it.for(list)("$name", (c, ctx) => {
    if (SKIP[c.key] || c.missing.length) ctx.skip();
    const r = machine.run(c.name);
    expect(r).toEqual({ output: c.expected, status: c.status });
  });
});
