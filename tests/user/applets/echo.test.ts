import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("echo", () => {
  it.each([
    ["echo a b  c", "a b c\n"],
    ["echo -n x", "x"],
    ["echo -e 'a\\tb\\x41\\101\\0101|'", "a\tbAAA|\n"],
    ["echo -e 'stop\\chere' more", "stop"],
    ["echo -E 'a\\tb'", "a\\tb\n"],
    ["echo -ne 'q\\z'", "q\\z"],
    ["echo -x -n", "-x -n\n"],
    ["echo -- a", "-- a\n"],
    ["echo --help", "--help\n"],
    ["echo", "\n"],
  ])("%s", (cmd, out) => {
    // /bin/echo, not the shell's builtin
    expect(sh([`/bin/${cmd}`]).output).toBe(out);
  });

  it("reports a write error", () => {
    const r = sh(["/bin/echo hi > /dev/full", "echo $?"]);
    expect(r.output).toMatch(
      /^(echo: write error: No space left on device\n1\n|sh: can't create \/dev\/full: .*\n1\n)$/,
    );
  });
});
