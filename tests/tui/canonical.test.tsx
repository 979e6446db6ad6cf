/*
 * Programs that leave line editing to the tty (canonical mode: cat, the
 * shell's read) get the console's own line editor: the line is edited on
 * the screen and reaches them whole, as typed and corrected.
 */
import { afterEach, describe, expect, it } from "vitest";
import { atPrompt, linesToCursor, PROMPT, type TuiHarness } from "./harness.js";

let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

describe("line editing for canonical-mode readers", () => {
  it("cat gets the corrected line; history and ^D work inside it", async () => {
    h = await atPrompt();
    await h.type("cat\r");
    expect(h.m.consoleWantsLine()).toBe(true);
    await h.type("helo world\x1b[H\x1b[C\x1b[C\x1b[Cl\r");
    expect(h.d.editor.history.at(-1)).toBe("hello world");
    await h.type("\x1b[A\x17there\r");
    await h.type("\x04");
    expect(linesToCursor(h).slice(-6)).toEqual([
      expect.stringMatching(/[#$] cat$/),
      "hello world",
      "hello world",
      "hello there",
      "hello there",
      expect.stringMatching(PROMPT),
    ]);
  });

  it("the shell's read gets the line; Tab completes a path in it", async () => {
    h = await atPrompt();
    await h.type('read x; echo "got $x"\r');
    await h.type("/proc/buddy\t\r");
    expect(linesToCursor(h).slice(-3)).toEqual([
      "/proc/buddyinfo",
      "got /proc/buddyinfo",
      expect.stringMatching(PROMPT),
    ]);
  });
});
