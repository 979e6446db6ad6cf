import { afterEach, describe, expect, it } from "vitest";
import {
  atPrompt,
  linesToCursor,
  outputOf,
  PROMPT,
  screenOf,
  shellEditsLines,
  startTui,
  type TuiHarness,
} from "./harness.js";

let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const cursorLine = (t: TuiHarness): string => linesToCursor(t).at(-1) ?? "";

describe("tui console", () => {
  it("boots, asks for Enter, and gives a prompt", async () => {
    h = await startTui();
    await h.advance(3400);
    expect(h.screen()).toBe(screenOf("", "Please press Enter to activate this console."));
    expect([h.d.vt.x, h.d.vt.y]).toEqual([45, 1]);
    await h.type("\r");
    expect(cursorLine(h)).toMatch(PROMPT);
    expect(h.d.vt.x).toBe(cursorLine(h).length + 1);
  });

  it("types a command key by key and runs it", async () => {
    h = await atPrompt();
    for (const k of "echo hi") await h.type(k);
    expect(cursorLine(h)).toMatch(/[#$] echo hi$/);
    await h.type("\r");
    expect(outputOf(h, "echo hi")).toEqual(["hi"]);
  });

  it("takes a pasted chunk as the keys it holds", async () => {
    h = await atPrompt();
    await h.type("free\r");
    expect(outputOf(h, "free")).toEqual([
      "              total        used        free      shared  buff/cache   available",
      expect.stringMatching(/^Mem: +1020732( +\d+){5}$/),
      "Swap:             0           0           0",
    ]);
  });

  it("Ctrl-C interrupts a program reading the console", async () => {
    h = await atPrompt();
    await h.type("cat\r");
    await h.advance(50);
    expect(cursorLine(h)).toBe("");
    await h.type("\x03");
    await h.advance(50);
    // The tty echoes ^C; then the shell is back with a prompt.
    expect(h.screen()).toMatch(/[#$] cat\n\^C/);
    expect(cursorLine(h)).toMatch(PROMPT);
  });

  it("recalls history with Up (once the shell edits lines)", async (ctx) => {
    h = await atPrompt();
    if (!shellEditsLines(h)) ctx.skip();
    await h.type("echo one\r");
    await h.type("\x1b[A");
    expect(cursorLine(h)).toMatch(/[#$] echo one$/);
    await h.type("\r");
    expect(outputOf(h, "echo one")).toEqual(["one"]);
  });

  it("completes a command name with Tab (once the shell edits lines)", async (ctx) => {
    h = await atPrompt();
    if (!shellEditsLines(h)) ctx.skip();
    await h.type("unam\t");
    expect(cursorLine(h)).toMatch(/[#$] uname ?$/);
  });

  it("moves the cursor with Left and inserts there (once the shell edits lines)", async (ctx) => {
    h = await atPrompt();
    if (!shellEditsLines(h)) ctx.skip();
    await h.type("eho x\x1b[D\x1b[D\x1b[D\x1b[Dc\r");
    expect(outputOf(h, "echo x")).toEqual(["x"]);
  });
});
