import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CastWriter, castHeader, castSettings, parseCast } from "../../src/tui/cast.js";
import { checkReplay } from "../../src/tui/replay.js";
import { COLS, ROWS, startTui, type TuiHarness } from "./harness.js";

let h: TuiHarness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const dir = mkdtempSync(join(tmpdir(), "mmbox-tui-rec-"));

/** A TUI session recorded to a file; returns the harness and the file. */
async function recorded(name: string): Promise<{ h: TuiHarness; file: string }> {
  const file = join(dir, name);
  const settings = {
    machine: "vexpress-a9",
    memory: 2 ** 30,
    smp: 4,
    seed: 1,
    append: "quiet",
    numa: 1,
    mode: "tty" as const,
    echo: false,
  };
  const recorder = new CastWriter(file, castHeader(settings, COLS, ROWS, 1795311374));
  return { h: await startTui({ recorder }), file };
}

describe("tui recording", () => {
  it("records keys, output and resizes, and replays to the same output", async () => {
    const r = await recorded("tty.cast");
    h = r.h;
    await h.advance(3400);
    await h.type("\r");
    await h.type("echo hi\r");
    await h.advance(500);
    await h.resize(120, 30);
    await h.type("cat /proc/buddy\t\r");
    await h.advance(250);
    await h.type("\x01x");
    expect(h.d.state).toBe("quit");
    const cast = parseCast(readFileSync(r.file, "utf8"), r.file);
    const kinds = cast.events.map((e) => e[1]).join("");
    expect(kinds).toMatch(/^o+i+o+io+r[io]+m$/);
    expect(cast.events.filter((e) => e[1] === "r")).toEqual([[expect.any(Number), "r", "120x28"]]);
    expect(cast.events.at(-1)?.slice(1)).toEqual(["m", "exit"]);
    expect(checkReplay(cast, castSettings(cast, r.file), r.file)).toEqual({ diff: null, whole: true });
  });

  it("a replay that differs shows where", async () => {
    const r = await recorded("tty-bad.cast");
    h = r.h;
    await h.advance(3400);
    await h.type("\r");
    await h.type("echo hi\r");
    await h.type("\x01x");
    const text = readFileSync(r.file, "utf8").replace('"echo hi\\r"', '"echo ho\\r"');
    const cast = parseCast(text, r.file);
    const { diff } = checkReplay(cast, castSettings(cast, r.file), r.file);
    // The echo of the edited command is the first thing that differs: "/ # echo h" is 10 columns.
    expect(diff).toEqual({ line: expect.any(Number), column: 11, expected: "i\r\n", got: "o\r\n" });
  });
});
