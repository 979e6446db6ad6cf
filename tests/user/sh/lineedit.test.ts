/*
 * lineedit.test.ts - the interactive line editor (src/user/sh/lineedit.ts)
 * on a console that is a real terminal (plain mode with --echo): what the
 * screen receives for each key, as whole strings.
 */

import { describe, expect, it } from "vitest";
import { Vt } from "../../../src/tui/vt.js";
import { session } from "../../helpers/machine.js";

/** Types keys at the prompt and returns what the console printed until the shell waits again. */
function typed(...keys: string[]): string[] {
  const s = session({ echo: true });
  s.take();
  return keys.map((k) => {
    s.m.input(k);
    s.m.runUntilInput();
    return s.take();
  });
}

describe("line editor", () => {
  it("echoes plain typing as it comes and runs the line on Enter", () => {
    expect(typed("echo hi\r")).toEqual(["echo hi\nhi\n/ # "]);
  });

  it("moves with ^A/^E and inserts in the middle by redrawing the line", () => {
    expect(typed("ho x", "\x01", "ec", "\x05", "y\r")).toEqual([
      "ho x",
      "\r/ # ho x\x1b[K\x1b[4D",
      "\r/ # eho x\x1b[K\x1b[4D\r/ # echo x\x1b[K\x1b[4D",
      "\r/ # echo x\x1b[K",
      "y\nxy\n/ # ",
    ]);
  });

  it("moves by words with Alt-b and Alt-f", () => {
    expect(typed("echo one two", "\x1bb", "X", "\x1bf", "!\r")).toEqual([
      "echo one two",
      "\r/ # echo one two\x1b[K\x1b[3D",
      "\r/ # echo one Xtwo\x1b[K\x1b[3D",
      "\r/ # echo one Xtwo\x1b[K",
      "!\none Xtwo!\n/ # ",
    ]);
  });

  it("erases with Backspace, ^U, ^K and ^W", () => {
    expect(typed("echo abX\x7f", "\x17", "zz\x01\x0b", "echo ok\r")).toEqual([
      "echo abX\b \b",
      "\r/ # echo \x1b[K",
      "zz\r/ # echo zz\x1b[K\x1b[7D\r/ # \x1b[K",
      "echo ok\nok\n/ # ",
    ]);
  });

  it("recalls history with Up and Down", () => {
    expect(typed("echo one\r", "echo two\r", "\x1b[A", "\x1b[A", "\x1b[B", "\r")).toEqual([
      "echo one\none\n/ # ",
      "echo two\ntwo\n/ # ",
      "\r/ # echo two\x1b[K",
      "\r/ # echo one\x1b[K",
      "\r/ # echo two\x1b[K",
      "\ntwo\n/ # ",
    ]);
  });

  it("completes a command name, then a path", () => {
    expect(typed("unam\t", "-s\r", "cat /proc/sys/vm/swapp\t", "\r")).toEqual([
      "uname ",
      "-s\nLinux\n/ # ",
      "cat /proc/sys/vm/swappiness ",
      "\n60\n/ # ",
    ]);
  });

  it("lists the choices on a second Tab", () => {
    expect(typed("ex\t", "\t")).toEqual(["ex", "\nexec    exit    expand  export  expr\n\r/ # ex\x1b[K"]);
  });

  it("abandons the line on ^C and sets $? to 130", () => {
    expect(typed("echo abc\x03", "echo $?\r")).toEqual(["echo abc^C\n/ # ", "echo $?\n130\n/ # "]);
  });

  it("clears the screen on ^L and redraws the line", () => {
    expect(typed("echo x\x0c")).toEqual(["echo x\x1b[H\x1b[J\r/ # echo x\x1b[K"]);
  });

  it("deletes under the cursor with ^D, and ends the shell with ^D on an empty line", () => {
    const s = session({ echo: true });
    s.take();
    s.m.input("echo ab\x02\x02\x04\r");
    s.m.runUntilInput();
    expect(s.take()).toBe("echo ab\b\b\r/ # echo b\x1b[K\x1b[1D\nb\n/ # ");
    s.m.input("\x04");
    s.m.runUntilInput();
    expect(s.take()).toBe("\n");
  });

  it("edits a line longer than the terminal across its wrap", () => {
    const s = session({ echo: true });
    const vt = new Vt(80, 24);
    s.m.onOutput((x) => vt.write(x));
    const key = (k: string): void => {
      s.m.input(k);
      s.m.runUntilInput();
    };
    key("\r");
    key(`echo ${"x".repeat(60)} ${"y".repeat(40)}`);
    key("\x01");
    key("\x06\x06\x06\x06");
    key("Z");
    key("\x05");
    for (let i = 0; i < 47; i++) key("\x7f");
    key("\x02\x02");
    key("Q\r");
    const screen = vt
      .text()
      .split("\n")
      .filter((l) => l.trim());
    expect(screen.slice(-3)).toEqual([`/ # echoZ ${"x".repeat(52)}Qxx`, "sh: echoZ: not found", "/ #"]);
  });
});
