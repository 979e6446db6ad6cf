import { describe, expect, it } from "vitest";
import { Vt } from "../../src/tui/vt.js";
import { A_BOLD, A_INVERSE, DEFAULT_ATTR, fgOf } from "../../src/tui/vt-buffer.js";
import { renderLine } from "../../src/tui/vt-render.js";

/** A terminal of cols x rows after `bytes`: its whole screen and cursor. */
function term(bytes: string, cols = 10, rows = 4): Vt {
  const vt = new Vt(cols, rows);
  vt.write(bytes);
  return vt;
}
const screen = (...rows: string[]): string => rows.join("\n");

describe("vt: text and cursor motion", () => {
  it.each([
    ["plain text and CR LF", "ab\r\ncd", screen("ab", "cd", "", ""), [2, 1]],
    ["LF alone keeps the column", "ab\ncd", screen("ab", "  cd", "", ""), [4, 1]],
    ["backspace then overwrite", "abc\b\bX", screen("aXc", "", "", ""), [2, 0]],
    ["backspace stops at column 0", "\b\ba", screen("a", "", "", ""), [1, 0]],
    ["tab stops every 8", "a\tb", screen("a       b", "", "", ""), [9, 0]],
    ["autowrap at the last column", "0123456789ab", screen("0123456789", "ab", "", ""), [2, 1]],
    [
      "the last column holds the cursor until the next char",
      "0123456789",
      screen("0123456789", "", "", ""),
      [9, 0],
    ],
    ["CUP, 1-based", "\x1b[3;4Hx", screen("", "", "   x", ""), [4, 2]],
    ["CUP without arguments is home", "abc\x1b[Hz", screen("zbc", "", "", ""), [1, 0]],
    [
      "CUU/CUD/CUF/CUB",
      "\x1b[3;3H\x1b[2Aa\x1b[3Bb\x1b[5Cc\x1b[20Dd",
      screen("  a", "", "", "d  b     c"),
      [1, 3],
    ],
    ["moves clamp at the edges", "\x1b[99;99Hx", screen("", "", "", "         x"), [9, 3]],
    ["CHA and VPA", "\x1b[5Ga\x1b[3db", screen("    a", "", "     b", ""), [6, 2]],
    ["UTF-8 bytes make one character", "\xc3\xa9t\xc3\xa9 \xe2\x96\x88", screen("été █", "", "", ""), [5, 0]],
  ])("%s", (_name, bytes, text, [x, y]) => {
    const vt = term(bytes);
    expect(vt.text()).toBe(text);
    expect([vt.x, vt.y]).toEqual([x, y]);
  });
});

describe("vt: erasing", () => {
  const filled = "aaaaaaaaaa\r\nbbbbbbbbbb\r\ncccccccccc\r\ndddddddddd";
  it.each([
    ["EL 0 (to end of line)", "\x1b[2;4H\x1b[K", screen("aaaaaaaaaa", "bbb", "cccccccccc", "dddddddddd")],
    ["EL 1 (to cursor)", "\x1b[2;4H\x1b[1K", screen("aaaaaaaaaa", "    bbbbbb", "cccccccccc", "dddddddddd")],
    ["EL 2 (whole line)", "\x1b[2;4H\x1b[2K", screen("aaaaaaaaaa", "", "cccccccccc", "dddddddddd")],
    ["ED 0 (to end of screen)", "\x1b[2;4H\x1b[J", screen("aaaaaaaaaa", "bbb", "", "")],
    ["ED 1 (to cursor)", "\x1b[2;4H\x1b[1J", screen("", "    bbbbbb", "cccccccccc", "dddddddddd")],
    ["ED 2 (all)", "\x1b[2;4H\x1b[2J", screen("", "", "", "")],
    ["clear (BusyBox: ESC[H ESC[J)", "\x1b[H\x1b[J", screen("", "", "", "")],
    ["ECH", "\x1b[1;3H\x1b[4X", screen("aa    aaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd")],
    ["DCH", "\x1b[1;3H\x1b[4P", screen("aaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd")],
    ["ICH", "\x1b[1;3H\x1b[2@", screen("aa  aaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd")],
    ["IL", "\x1b[2;5H\x1b[L", screen("aaaaaaaaaa", "", "bbbbbbbbbb", "cccccccccc")],
    ["DL", "\x1b[2;5H\x1b[M", screen("aaaaaaaaaa", "cccccccccc", "dddddddddd", "")],
  ])("%s", (_name, seq, text) => {
    expect(term(filled + seq).text()).toBe(text);
  });
});

describe("vt: scrolling", () => {
  it("scrolls the screen and keeps what left it in the scrollback", () => {
    const vt = term("1\r\n2\r\n3\r\n4\r\n5\r\n6");
    expect(vt.text()).toBe(screen("3", "4", "5", "6"));
    expect(vt.scrollback.map((l) => l.text())).toEqual(["1", "2"]);
    expect(vt.view(1).map((l) => l.text())).toEqual(["2", "3", "4", "5"]);
    expect(vt.view(99).map((l) => l.text())).toEqual(["1", "2", "3", "4"]);
  });

  it("scrolls only inside a scroll region, without scrollback", () => {
    const vt = term("top\x1b[2;3r\x1b[2;1Ha\r\nb\r\nc\r\nd");
    expect(vt.text()).toBe(screen("top", "c", "d", ""));
    expect(vt.scrollback).toEqual([]);
  });

  it("reverse index at the top scrolls down", () => {
    expect(term("a\r\nb\x1b[H\x1bMz").text()).toBe(screen("z", "a", "b", ""));
  });

  it("ED 3 drops the scrollback", () => {
    const vt = term("1\r\n2\r\n3\r\n4\r\n5\x1b[3J");
    expect(vt.scrollback).toEqual([]);
  });
});

describe("vt: programs", () => {
  it("redraws a lineedit line in place (CR, text, ESC[K, cursor back)", () => {
    // What a line editor sends after "echo hello", Left x3, Backspace: redraw from the prompt.
    const vt = term("/ # echo hello\x1b[3D\r/ # echo helo\x1b[K\x1b[2D", 20, 2);
    expect(vt.text()).toBe(screen("/ # echo helo", ""));
    expect([vt.x, vt.y]).toEqual([11, 0]);
  });

  it("refreshes a full-screen program in place, as top does", () => {
    const frame = (n: number): string => `\x1b[H\x1b[Jload ${n}\r\nPID CMD\r\n  1 init`;
    const vt = term(`junk\r\nmore junk${frame(1)}${frame(2)}`, 12, 4);
    expect(vt.text()).toBe(screen("load 2", "PID CMD", "  1 init", ""));
    expect(vt.scrollback).toEqual([]);
  });

  it("switches to the alternate screen and back", () => {
    const vt = term("main\x1b[?1049h\x1b[Halt", 6, 2);
    expect(vt.text()).toBe(screen("alt", ""));
    vt.write("\x1b[?1049l");
    expect(vt.text()).toBe(screen("main", ""));
    expect([vt.x, vt.y]).toEqual([4, 0]);
  });

  it("answers a cursor position report", () => {
    const replies: string[] = [];
    const vt = new Vt(10, 4);
    vt.onReply = (s) => replies.push(s);
    vt.write("ab\r\ncde\x1b[6n\x1b[5n");
    expect(replies).toEqual(["\x1b[2;4R", "\x1b[0n"]);
  });

  it("ignores OSC titles and charset selection", () => {
    expect(term("\x1b]0;title\x07a\x1b(Bb\x1b]2;t\x1b\\c").text()).toBe(screen("abc", "", "", ""));
  });

  it("saves and restores the cursor", () => {
    expect(term("ab\x1b7\r\ncd\x1b8X").text()).toBe(screen("abX", "cd", "", ""));
  });

  it("hides and shows the cursor", () => {
    const vt = term("\x1b[?25l");
    expect(vt.cursorVisible).toBe(false);
    vt.write("\x1b[?25h");
    expect(vt.cursorVisible).toBe(true);
  });
});

describe("vt: attributes", () => {
  it("keeps colours and attributes per cell", () => {
    const vt = term("a\x1b[1;31mb\x1b[7mc\x1b[0md");
    const l = vt.lines[0];
    expect(l.at[0]).toBe(DEFAULT_ATTR);
    expect(fgOf(l.at[1])).toBe(1);
    expect(l.at[1] & A_BOLD).toBeTruthy();
    expect(l.at[2] & A_INVERSE).toBeTruthy();
    expect(l.at[3]).toBe(DEFAULT_ATTR);
  });

  it("renders a line as SGR-styled text", () => {
    expect(renderLine(term("a\x1b[1;31mb\x1b[0mc\x1b[44m \x1b[0m").lines[0])).toBe(
      "a\x1b[0;1;31mb\x1b[0mc\x1b[0;44m \x1b[0m",
    );
    expect(renderLine(term("\x1b[38;5;208mx\x1b[92my").lines[0])).toBe("\x1b[0;38;5;208mx\x1b[0;92my\x1b[0m");
  });

  it("erases with the current background colour", () => {
    const vt = term("\x1b[41m\x1b[2K");
    expect(renderLine(vt.lines[0])).toBe(`\x1b[0;41m${" ".repeat(10)}\x1b[0m`);
  });
});

describe("vt: resize", () => {
  it("pushes top lines to the scrollback when it shrinks and pulls them back when it grows", () => {
    const vt = term("1\r\n2\r\n3\r\n4");
    vt.resize(10, 2);
    expect(vt.text()).toBe(screen("3", "4"));
    expect([vt.x, vt.y]).toEqual([1, 1]);
    vt.resize(10, 4);
    expect(vt.text()).toBe(screen("1", "2", "3", "4"));
    expect([vt.x, vt.y]).toEqual([1, 3]);
  });

  it("drops blank lines below the cursor first", () => {
    const vt = term("1\r\n2", 10, 6);
    vt.resize(10, 3);
    expect(vt.text()).toBe(screen("1", "2", ""));
    expect(vt.scrollback).toEqual([]);
  });

  it("cuts lines that are wider than the screen", () => {
    const vt = term("0123456789");
    vt.resize(4, 4);
    expect(vt.text()).toBe(screen("0123", "", "", ""));
    expect([vt.x, vt.y]).toEqual([3, 0]);
  });
});
