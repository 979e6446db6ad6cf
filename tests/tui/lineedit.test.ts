import { describe, expect, it } from "vitest";
import type { PeekEntry } from "../../src/machine.js";
import { type CompletionSource, columns, complete } from "../../src/tui/complete.js";
import { LineEditor } from "../../src/tui/lineedit.js";
import { Vt } from "../../src/tui/vt.js";

/** A tiny filesystem: /bin with three programs, /proc, and a cwd (/root) with a few files. */
const FS: Record<string, PeekEntry[]> = {
  "/bin": [
    { name: "uname", dir: false, exec: true },
    { name: "cat", dir: false, exec: true },
    { name: "catv", dir: false, exec: true },
    { name: "README", dir: false, exec: false },
  ],
  "/proc": [
    { name: "buddyinfo", dir: false, exec: false },
    { name: "sys", dir: true, exec: false },
    { name: "meminfo", dir: false, exec: false },
  ],
  ".": [
    { name: "notes.txt", dir: false, exec: false },
    { name: "nested", dir: true, exec: false },
    { name: ".profile", dir: false, exec: false },
  ],
};
const src: CompletionSource = { peekDir: (p) => FS[p.replace(/(.)\/$/, "$1")] ?? null };

describe("complete", () => {
  it.each([
    ["unam", { insert: "e ", matches: ["uname"] }],
    ["ca", { insert: "t", matches: ["cat", "catv"] }],
    ["cat", { insert: "", matches: ["cat", "catv"] }],
    ["ex", { insert: "", matches: ["exec", "exit", "export"] }],
    ["zz", { insert: "", matches: [] }],
    ["cat /proc/b", { insert: "uddyinfo ", matches: ["buddyinfo"] }],
    ["cat /proc/s", { insert: "ys/", matches: ["sys/"] }],
    ["cat n", { insert: "", matches: ["nested/", "notes.txt"] }],
    ["cat no", { insert: "tes.txt ", matches: ["notes.txt"] }],
    ["cat .p", { insert: "rofile ", matches: [".profile"] }],
    ["echo x | unam", { insert: "e ", matches: ["uname"] }],
    ["echo x; /proc/m", { insert: "eminfo ", matches: ["meminfo"] }],
  ])("%j", (line, want) => {
    expect(complete(line, line.length, src, "/bin")).toEqual(want);
  });

  it("lays matches out in columns, down then across", () => {
    expect(columns(["a", "bb", "ccc", "dddd", "e"], 14)).toEqual(["a     dddd", "bb    e", "ccc"]);
  });
});

/** An editor on a 30x5 screen whose prompt is "/ # ". */
function editor(): { vt: Vt; ed: LineEditor; keys(...k: string[]): string[] } {
  const vt = new Vt(30, 5);
  vt.write("/ # ");
  const ed = new LineEditor(vt, src);
  ed.begin();
  return {
    vt,
    ed,
    keys: (...ks) => ks.map((k) => ed.key(k)),
  };
}

const screen = (...lines: string[]): string => [...lines, "", "", "", "", ""].slice(0, 5).join("\n");
const type = (s: string): string[] => [...s];

describe("line editor", () => {
  it("edits on the screen and types the whole line on Enter", () => {
    const { vt, ed, keys } = editor();
    keys(...type("echo hi"));
    expect(vt.text()).toBe(screen("/ # echo hi"));
    expect([vt.x, vt.y]).toEqual([11, 0]);
    expect(keys("\r")).toEqual(["echo hi\r"]);
    // The line is taken off the screen: the tty's echo will put it back.
    expect(vt.text()).toBe(screen("/ #"));
    expect([vt.x, vt.y]).toEqual([4, 0]);
    expect(ed.active).toBe(false);
    expect(ed.history).toEqual(["echo hi"]);
  });

  it.each([
    ["Left and insert", ["e", "h", "o", "\x1b[D", "\x1b[D", "c"], "echo", 2],
    ["Home (^A) and End (^E)", ["b", "c", "\x01", "a", "\x05", "d"], "abcd", 4],
    ["Home/End keys", ["b", "\x1b[H", "a", "\x1b[F", "c"], "abc", 3],
    ["Backspace", ["a", "b", "\x7f", "c"], "ac", 2],
    ["Delete and ^D", ["a", "b", "c", "\x01", "\x1b[3~", "\x04"], "c", 0],
    ["^U kills to the start", ["a", "b", "c", "\x1b[D", "\x15"], "c", 0],
    ["^K kills to the end", ["a", "b", "c", "\x1b[D", "\x1b[D", "\x0b"], "a", 1],
    ["^W kills the word before", [...type("cat /proc/x"), "\x17"], "cat ", 4],
    ["Alt-b and Alt-f move by words", [...type("aa bb"), "\x1bb", "\x1bb", "x", "\x1bf", "y"], "xaay bb", 4],
    ["ignores other escape sequences", ["a", "\x1b[15~", "b"], "ab", 2],
  ])("%s", (_name, ks, line, cur) => {
    const { vt, ed, keys } = editor();
    expect(keys(...ks).join("")).toBe("");
    expect(ed.line).toBe(line);
    expect(vt.text()).toBe(screen(`/ # ${line}`.trimEnd()));
    expect([vt.x, vt.y]).toEqual([4 + cur, 0]);
  });

  it("walks the history with Up and Down and keeps the new line", () => {
    const { ed, keys } = editor();
    for (const l of ["one", "two", "two", " "]) {
      keys(...type(l), "\r");
      ed.begin();
    }
    expect(ed.history).toEqual(["one", "two"]);
    keys("n", "e", "w", "\x1b[A");
    expect(ed.line).toBe("two");
    keys("\x1b[A", "\x1b[A");
    expect(ed.line).toBe("one");
    keys("\x1b[B", "\x1b[B");
    expect(ed.line).toBe("new");
    expect(keys("\x10", "\r")).toEqual(["", "two\r"]);
  });

  it("sends ^C, ^Z and ^\\ with the line typed so far; ^D only on an empty line", () => {
    const { ed, keys } = editor();
    expect(keys("a", "b", "\x03")).toEqual(["", "", "ab\x03"]);
    ed.begin();
    expect(keys("\x1a")).toEqual(["\x1a"]);
    ed.begin();
    expect(keys("\x04")).toEqual(["\x04"]);
    expect(ed.history).toEqual([]);
  });

  it("completes with Tab and lists the matches on a second Tab", () => {
    const { vt, keys } = editor();
    keys(...type("cat /proc/b"), "\t");
    expect(vt.text()).toBe(screen("/ # cat /proc/buddyinfo"));
    keys("\x17", "\x17", ..."ca", "\t");
    expect(vt.text()).toBe(screen("/ # cat"));
    keys("\t");
    expect(vt.text()).toBe(screen("/ # cat", "cat   catv", "/ # cat"));
    expect([vt.x, vt.y]).toEqual([7, 2]);
  });

  it("wraps a long line and follows the screen when it scrolls", () => {
    const { vt, ed, keys } = editor();
    keys(...type("x".repeat(26 + 30 * 4 + 5)));
    expect(vt.text()).toBe(
      ["x".repeat(30), "x".repeat(30), "x".repeat(30), "x".repeat(30), "xxxxx"].join("\n"),
    );
    expect([vt.x, vt.y]).toEqual([5, 4]);
    // Home: the line's start is above the screen; the cursor goes as near as it can.
    keys("\x01");
    expect([vt.x, vt.y]).toEqual([0, 0]);
    expect(keys("\r")[0]).toBe(`${ed.history[0]}\r`);
    // The prompt scrolled away; the line is erased from where it began.
    expect(vt.text()).toBe(screen(""));
  });

  it("puts the cursor on a fresh row when the line exactly fills the bottom row", () => {
    const { vt, keys } = editor();
    keys(...type("y".repeat(26 + 30 * 4)));
    expect(vt.text()).toBe(`${[..."yyyy"].map(() => "y".repeat(30)).join("\n")}\n`);
    expect([vt.x, vt.y]).toEqual([0, 4]);
  });

  it("moves output that arrives while editing above the prompt", () => {
    const { vt, ed, keys } = editor();
    keys(..."ls");
    ed.output("[1]+  Done\r\n");
    expect(vt.text()).toBe(screen("/ # [1]+  Done", "/ # ls"));
    expect([vt.x, vt.y]).toEqual([6, 1]);
    expect(keys("\r")).toEqual(["ls\r"]);
    expect(vt.text()).toBe(screen("/ # [1]+  Done", "/ #"));
  });

  it("clears the screen with ^L and draws the prompt and the line at the top", () => {
    const { vt, ed, keys } = editor();
    ed.output("some output\r\n");
    keys("a", "\x0c");
    expect(vt.text()).toBe(screen("/ # a"));
  });

  it("gives the line back as typed-ahead bytes when the console stops waiting", () => {
    const { vt, ed, keys } = editor();
    keys(..."é!");
    expect(ed.abandon()).toBe("\xc3\xa9!");
    expect(vt.text()).toBe(screen("/ #"));
    expect(ed.active).toBe(false);
  });
});
