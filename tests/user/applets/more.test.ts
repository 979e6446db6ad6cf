/*
 * more.test.ts - the pager (util-linux/more.c). Output that is not a
 * terminal makes it cat; on the console it pages, reading keys from
 * /dev/tty. Every interactive transcript below was checked against the
 * host's BusyBox 1.35 more on a pty of the same size, typing the same keys
 * (its output with the pty's "\r\n" turned back into "\n").
 */

import { describe, expect, it } from "vitest";
import { default_termios } from "../../../src/kernel/drivers/tty.js";
import { ECHO, ECHONL, ICANON, ISIG, VMIN, VTIME } from "../../../src/kernel/uapi/abi.js";
import type { PlainSession } from "../../../src/plain/run.js";
import { session, sh } from "../../helpers/machine.js";

const HELP = "(Enter:next line Space:next page Q:quit R:show the rest)";

/** "\r", as many spaces as the message erased was long, "\r". */
const erase = (n: number): string => `\r${" ".repeat(n)}\r`;

/** The lines "from\n" .. "to\n", as seq prints them. */
const seq = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `${from + i}\n`).join("");

/** Types keys at the console and runs until it waits again; what was printed. */
function keys(s: PlainSession, k: string): string {
  s.m.input(k);
  s.m.runUntilInput();
  return s.take();
}

/** A transcript console (no echo, no prompt) after the setup lines. */
function ready(setup: string[]): PlainSession {
  const s = session();
  for (const l of setup) s.line(l);
  s.take();
  return s;
}

describe("more", () => {
  it("is cat when stdout is not a terminal", () => {
    const r = sh([
      "seq 1 30 > /tmp/f; printf 'a\\tb\\n' >> /tmp/f; echo end > /tmp/g",
      "more /tmp/f | cat",
      "more -d -f -l -s -u /tmp/g - < /tmp/g | cat",
      "more /nonexistent /etc /tmp/g > /tmp/o; echo $?; cat /tmp/o",
    ]);
    expect(r.output).toBe(
      `${seq(1, 30)}a\tb\nend\nend\n` +
        "more: can't open '/nonexistent': No such file or directory\n" +
        "more: read error: Is a directory\n1\nend\n",
    );
  });

  it("rejects an unknown option with its usage", () => {
    expect(sh(["more -x /tmp; echo $?", "busybox more --help"]).output).toBe(
      "more: invalid option -- 'x'\n" +
        "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n" +
        "Usage: more [FILE]...\n\nView FILE (or stdin) one screenful at a time\n1\n" +
        "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n" +
        "Usage: more [FILE]...\n\nView FILE (or stdin) one screenful at a time\n",
    );
  });

  it("is cat on the console too when there is no controlling terminal to read keys from", () => {
    const r = sh(["seq 1 30 > /tmp/f", "setsid more /tmp/f /nope; sleep 1"]);
    expect(r.output).toBe(`${seq(1, 30)}more: can't open '/nope': No such file or directory\n`);
  });

  it("pages on the console: space, Enter, another key, q; the terminal is put back", () => {
    const s = session({ echo: true });
    s.line("seq 1 100 > /tmp/nums");
    s.take();
    s.line("stty -a");
    const before = s.take();
    const tty = s.m.k.console;
    const cooked = default_termios();

    // 24 rows: 23 lines, then the prompt; 70 bytes of 292 read (the "2" of "24" too)
    s.line("more /tmp/nums");
    expect(s.take()).toBe(`more /tmp/nums\n${seq(1, 23)}--More-- (30% of 292 bytes)`);
    // libbb's raw mode with flags 0: no line editing or echo, ^C and Enter as before
    expect(tty.termios.c_lflag).toBe(cooked.c_lflag & ~(ICANON | ECHO | ECHONL));
    expect(tty.termios.c_lflag & ISIG).toBe(ISIG);
    expect(tty.termios.c_iflag).toBe(cooked.c_iflag);
    expect([tty.termios.c_cc[VMIN], tty.termios.c_cc[VTIME]]).toEqual([1, 0]);

    expect(keys(s, " ")).toBe(`${erase(27)}${seq(24, 46)}--More-- (65% of 292 bytes)`);
    expect(keys(s, "\r")).toBe(`${erase(27)}47\n--More-- (66% of 292 bytes)`);
    expect(keys(s, "x")).toBe(`${erase(27)}${HELP}`);
    expect(keys(s, "Q")).toBe(`${erase(HELP.length)}/ # `);

    s.line("echo alive");
    s.line("stty -a");
    expect(s.take()).toBe(`echo alive\nalive\n/ # ${before}`);
    expect(before).toContain(" icanon ");
  });

  it("wraps long lines, expands tabs and shows the percentage of a small file", () => {
    const s = ready([
      "stty rows 4 cols 10",
      "printf 'abcdefghij\\nabcdefghijk\\n\\t\\t\\tq\\n12345678\\tz\\nend' > /tmp/t",
    ]);
    s.line("more /tmp/t");
    // 3 lines a screen: "abcdefghijk" is two; 24 bytes read of 42 (d = 1)
    expect(s.take()).toBe("abcdefghij\nabcdefghijk\n--More-- (24% of 42 bytes)");
    // three tabs are 24 columns (the terminal wraps them); the tab after 8 columns wraps
    // after two of its spaces, the prompt comes before the rest of them
    expect(keys(s, " ")).toBe(`${erase(26)}${" ".repeat(18)}q\n12345678  --More-- (37% of 42 bytes)`);
    // no prompt at the end: the file ends without a newline
    expect(keys(s, " ")).toBe(`${erase(26)}${" ".repeat(6)}z\nend`);
  });

  it("pages by lines after Enter, shows the rest after r, and goes on to the next file", () => {
    const s = ready(["stty rows 5 cols 30", "seq 1 30 > /tmp/a", "seq 1 7 > /tmp/b"]);
    s.line("more /tmp/a /nope /tmp/b");
    expect(s.take()).toBe(`${seq(1, 4)}--More-- (9% of 81 bytes)`);
    expect(keys(s, "\r")).toBe(`${erase(25)}5\n--More-- (11% of 81 bytes)`);
    expect(keys(s, "\r")).toBe(`${erase(26)}6\n--More-- (13% of 81 bytes)`);
    expect(keys(s, "x")).toBe(`${erase(26)}${HELP}`);
    expect(keys(s, "R")).toBe(
      `${erase(HELP.length)}${seq(7, 30)}more: /nope: No such file or directory\n${seq(1, 7)}`,
    );
    s.line("echo $?");
    expect(s.take()).toBe("0\n");
  });

  it("quits on q with more files to come", () => {
    const s = ready(["stty rows 5 cols 30", "seq 1 30 > /tmp/a", "seq 1 7 > /tmp/b"]);
    s.line("more /tmp/a /tmp/b; echo $?");
    expect(s.take()).toBe(`${seq(1, 4)}--More-- (9% of 81 bytes)`);
    expect(keys(s, "q")).toBe(`${erase(25)}0\n`);
  });

  it("pages stdin without a size, and dies of ^C with the terminal put back", () => {
    const s = ready(["stty rows 6 cols 30"]);
    s.line("stty -a");
    const before = s.take();
    s.line("seq 1 50 | more; echo $?");
    expect(s.take()).toBe(`${seq(1, 5)}--More-- `);
    expect(keys(s, " ")).toBe(`${erase(9)}${seq(6, 10)}--More-- `);
    // gotsig: "\n" on stderr, then exit 1
    expect(keys(s, "\x03")).toBe("\n1\n");
    s.line("stty -a");
    expect(s.take()).toBe(before);
  });

  it("dies of SIGTERM from another process the same way", () => {
    const s = ready(["seq 1 100 > /tmp/nums", "(sleep 1; kill $(pidof more)) &"]);
    s.line("more /tmp/nums; echo $?");
    expect(s.take()).toBe(`${seq(1, 23)}--More-- (30% of 292 bytes)`);
    s.m.run(s.m.ns + 2e9);
    s.m.runUntilInput();
    expect(s.take()).toBe("\n1\n[1]+  Done                       (sleep 1; kill $(pidof more))\n");
    expect(s.m.k.console.termios.c_lflag & ICANON).toBe(ICANON);
  });
});
