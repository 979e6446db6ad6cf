/*
 * A flood of output (`yes`): the scrollback keeps between SCROLLBACK_LINES
 * and twice as many lines, and lines cut from it come back as blank screen
 * lines with nothing left of what they held.
 */
import { describe, expect, it } from "vitest";
import { SCROLLBACK_LINES, Vt } from "../../src/tui/vt.js";

describe("vt under a flood of output", () => {
  it("keeps the newest lines, and recycled lines come back blank", () => {
    const vt = new Vt(20, 4);
    for (let i = 0; i < 5000; i++) vt.write(`${"#".repeat(12)}${i}\r\n`);
    // Short lines now: any cell left over from a recycled long line would show.
    vt.write("a\r\nb\r\nc");
    expect(vt.text()).toBe(["############4999", "a", "b", "c"].join("\n"));
    const n = vt.scrollback.length;
    expect(n).toBeGreaterThanOrEqual(SCROLLBACK_LINES);
    expect(n).toBeLessThanOrEqual(2 * SCROLLBACK_LINES);
    expect(vt.scrollback.at(-1)?.text()).toBe("############4998");
    expect(vt.scrollback[0].text()).toBe(`############${4999 - n}`);
  });

  it("does not recycle lines of another width after a resize", () => {
    const vt = new Vt(10, 3);
    for (let i = 0; i < 4100; i++) vt.write(`${i}\r\n`);
    vt.resize(30, 3);
    for (let i = 0; i < 3; i++) vt.write(`${"z".repeat(25)}\r\n`);
    expect(vt.lines.map((l) => l.cols)).toEqual([30, 30, 30]);
    expect(vt.text()).toBe(["z".repeat(25), "z".repeat(25), ""].join("\n"));
  });
});
