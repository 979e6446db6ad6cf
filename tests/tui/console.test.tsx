import { afterEach, describe, expect, it } from "vitest";
import {
  atPrompt,
  hasApplet,
  linesToCursor,
  outputOf,
  PROMPT,
  screenOf,
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

  it("recalls history with Up", async () => {
    h = await atPrompt();
    await h.type("echo one\r");
    await h.type("\x1b[A");
    expect(cursorLine(h)).toMatch(/[#$] echo one$/);
    await h.type("\r");
    expect(outputOf(h, "echo one")).toEqual(["one"]);
  });

  it("completes a command name and a /proc path with Tab", async () => {
    h = await atPrompt();
    await h.resize(120, 24); // /proc/buddyinfo's lines are 104 characters long
    // The completed word is followed by a space: the cursor is one cell past it.
    await h.type("unam\t");
    expect(cursorLine(h)).toMatch(/[#$] uname$/);
    expect(h.d.vt.x).toBe(cursorLine(h).length + 1);
    await h.type("\x15cat /proc/buddy\t");
    expect(cursorLine(h)).toMatch(/[#$] cat \/proc\/buddyinfo$/);
    expect(h.d.vt.x).toBe(cursorLine(h).length + 1);
    await h.type("\r");
    expect(outputOf(h, "cat /proc/buddyinfo")).toEqual([
      expect.stringMatching(/^Node 0, zone {6}DMA( +\d+){12} *$/),
      expect.stringMatching(/^Node 0, zone {2}HighMem( +\d+){12} *$/),
    ]);
  });

  it("moves the cursor with Left and Home and inserts there", async () => {
    h = await atPrompt();
    await h.type("cho x\x1b[D\x1b[D\x1b[D\x1b[D\x1b[De\x1b[F\x1b[Dy\r");
    expect(outputOf(h, "echo yx")).toEqual(["yx"]);
  });

  it("Ctrl-C stops a program that runs in the foreground", async () => {
    h = await atPrompt();
    const cmd = hasApplet("yes") ? "yes > /dev/null" : "cat /dev/zero > /dev/null";
    await h.type(`${cmd}\r`);
    await h.advance(200);
    expect(cursorLine(h)).toBe("");
    await h.type("\x03");
    await h.advance(50);
    expect(linesToCursor(h).slice(-3)).toEqual([
      expect.stringMatching(new RegExp(`[#$] ${cmd}$`)),
      "^C",
      expect.stringMatching(PROMPT),
    ]);
  });
});
