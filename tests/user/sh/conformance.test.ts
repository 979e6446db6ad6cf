/*
 * conformance.test.ts - mmbox's shell against real BusyBox ash.
 *
 * Each tests/user/sh/scripts/<category>/NAME.sh was run once under Debian's
 * BusyBox 1.35 ash by scripts/record-ash-fixtures.sh, which stored its
 * stdout+stderr (merged) in tests/fixtures/ash/<category>/NAME.out and its
 * exit status in NAME.status. Here the same script runs in a freshly booted
 * machine the same way (conformance.ts: runScript); whole outputs and
 * statuses must be equal.
 */

import { describe, expect, it } from "vitest";
import { cases, categories, runScript, SKIP } from "./conformance.js";

describe.each(categories())("%s", (category) => {
  it.for(cases(category))("$name", (c, ctx) => {
    if (SKIP[c.key] || c.missing.length) ctx.skip();
    const r = runScript(c.script);
    expect(r).toEqual({ output: c.expected, status: c.status });
  });
});
