import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { DEFAULT_RTC, Machine } from "../../src/machine.js";
import { runPlain } from "../../src/plain/run.js";
import { type Cast, CastError, CastWriter, castHeader, castSettings, parseCast } from "../../src/tui/cast.js";
import { Driver } from "../../src/tui/driver.js";
import { describeDifference, firstDifference, recordedOutput, replayOutput } from "../../src/tui/replay.js";

const dir = mkdtempSync(join(tmpdir(), "mmbox-cast-"));
const SETTINGS = { machine: "vexpress-a9", memory: 2 ** 30, smp: 4, seed: 1, append: "", numa: 1 } as const;

/**
 * A TUI session recorded through the Driver, on a wall clock that moves 1 ms
 * per reading: slices end on their time budget at arbitrary points, as on a
 * slow host, and keys arrive in between.
 */
function recordTty(file: string): Cast {
  let t = 0;
  const m = new Machine({ ...SETTINGS, machine: "vexpress-a9" });
  const rec = new CastWriter(
    file,
    castHeader({ ...SETTINGS, mode: "tty", echo: false }, 80, 24, DEFAULT_RTC),
  );
  const d = new Driver(m, { speed: 1, cols: 80, rows: 24, recorder: rec, now: () => t++ });
  d.boot();
  const wait = (ms: number): void => {
    const end = t + ms;
    while (t < end) d.slice(3);
  };
  wait(3500);
  for (const keys of ["\r", "echo hello", "\r", "cat /proc/buddyinfo\r", "cat\r", "\x03", "free\r"]) {
    d.key(keys);
    wait(37);
  }
  d.resize(100, 30);
  wait(50);
  d.key("cat /proc/zoneinfo\r");
  wait(200);
  d.quit();
  return parseCast(readFileSync(file, "utf8"), file);
}

describe("recording (asciicast v2)", () => {
  const file = join(dir, "tty.cast");
  const cast = recordTty(file);

  it("writes a header naming the machine, in simulated time", () => {
    expect(cast.header).toEqual({
      version: 2,
      width: 80,
      height: 24,
      timestamp: DEFAULT_RTC,
      title: "mmbox -M vexpress-a9 -m 1024M --smp 4 --seed 1",
      env: {
        TERM: "linux",
        SHELL: "/bin/sh",
        MMBOX_MACHINE: "vexpress-a9",
        MMBOX_MEMORY: "1073741824",
        MMBOX_SMP: "4",
        MMBOX_SEED: "1",
        MMBOX_APPEND: "",
        MMBOX_NUMA: "1",
        MMBOX_MODE: "tty",
        MMBOX_ECHO: "0",
      },
    });
    expect(castSettings(cast, file)).toEqual({ ...SETTINGS, mode: "tty", echo: false });
  });

  it("records output with \\r\\n line ends, input at whole microseconds, resizes, in time order", () => {
    const times = cast.events.map((e) => e[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(cast.events[0]).toEqual([0, "o", "[    0.000000] Booting Linux on physical CPU 0x0\r\n"]);
    const inputs = cast.events.filter((e) => e[1] === "i");
    expect(inputs.map((e) => e[2])).toEqual([
      "\r",
      "echo hello",
      "\r",
      "cat /proc/buddyinfo\r",
      "cat\r",
      "\x03",
      "free\r",
      "cat /proc/zoneinfo\r",
    ]);
    for (const [t] of inputs) expect(Math.round(t * 1e6)).toBeCloseTo(t * 1e6, 6);
    expect(cast.events.filter((e) => e[1] === "r").map((e) => e[2])).toEqual(["100x30"]);
    const out = recordedOutput(cast);
    expect(out).toContain("Please press Enter to activate this console.");
    expect(out).toContain("echo hello\r\nhello\r\n");
    expect(out).not.toMatch(/[^\r]\n/);
  });

  it("replays to the same output on a fresh machine", () => {
    expect(
      firstDifference(recordedOutput(cast), replayOutput(cast, castSettings(cast, file), file)),
    ).toBeNull();
  });

  it("stays valid up to its last event when cut short (SIGKILL), and replays that far", () => {
    const lines = readFileSync(file, "utf8").split("\n");
    const cut = lines.slice(0, Math.floor(lines.length * 0.6)).join("\n");
    const short = parseCast(`${cut}\n`, "short.cast");
    expect(short.events.length).toBeGreaterThan(10);
    const got = replayOutput(short, castSettings(short, "short.cast"), "short.cast");
    expect(got.startsWith(recordedOutput(short))).toBe(true);
  });

  it("records a plain session: typed lines, then ^D, and replays it", async () => {
    for (const echo of [false, true]) {
      const f = join(dir, `plain-${echo}.cast`);
      const rec = new CastWriter(
        f,
        castHeader({ ...SETTINGS, mode: "plain", echo }, 80, 24, DEFAULT_RTC),
        true,
      );
      const out = new PassThrough();
      let printed = "";
      out.on("data", (b: Buffer) => {
        printed += b.toString("latin1");
      });
      const status = await runPlain(
        { ...SETTINGS, machine: "vexpress-a9", echo },
        new PassThrough(),
        out,
        ["echo one", "cat /proc/buddyinfo", "free"],
        (data, kind, ns) => (kind === "o" ? rec.output(data, ns) : rec.input(data, ns)),
      );
      rec.close();
      const c = parseCast(readFileSync(f, "utf8"), f);
      expect(status).toBe(0);
      expect(c.events.filter((e) => e[1] === "i").map((e) => e[2])).toEqual([
        "echo one\n",
        "cat /proc/buddyinfo\n",
        "free\n",
        "\x04",
      ]);
      expect(recordedOutput(c)).toBe(printed.replace(/\n/g, "\r\n"));
      expect(replayOutput(c, castSettings(c, f), f)).toBe(recordedOutput(c));
    }
  });
});

describe("replay --check differences and bad files", () => {
  it("names the first difference by line and column", () => {
    const d = firstDifference("a\r\nfree 10\r\nend\r\n", "a\r\nfree 12\r\nend\r\n");
    expect(d).toEqual({ line: 2, column: 7, expected: "0\r\n", got: "2\r\n" });
    expect(describeDifference(d!)).toBe(
      'output differs at line 2, column 7: expected "0\\r\\n", got "2\\r\\n"',
    );
    expect(describeDifference(firstDifference("ab", "a")!)).toBe(
      'output differs at line 1, column 2: expected "b", got end of output',
    );
  });

  it.each([
    ["", "x.cast: empty file, not an asciicast recording"],
    ["hello", "x.cast: line 1: not JSON"],
    ["[1]", "x.cast: line 1: not an asciicast header (a JSON object)"],
    ['{"version":1}', "x.cast: line 1: asciicast version 1 (accepted: 2)"],
    ['{"version":2,"width":0,"height":24}', "x.cast: line 1: bad width '0'"],
    [
      '{"version":2,"width":80,"height":24}\n[1,"o"]',
      'x.cast: line 2: not an event [time, "o"|"i"|"r"|"m", "data"]',
    ],
    [
      '{"version":2,"width":80,"height":24}\n[1,"o","x"]\n[-1,"o","x"]',
      'x.cast: line 3: not an event [time, "o"|"i"|"r"|"m", "data"]',
    ],
    ['{"version":2,"width":80,"height":24}\n[1,"o","x"]\n[1,"o",', "x.cast: line 3: not JSON"],
  ])("rejects %j", (text, msg) => {
    expect(() => parseCast(text, "x.cast")).toThrow(new CastError(msg));
  });

  it("wants mmbox settings in the header to replay", () => {
    const c = parseCast('{"version":2,"width":80,"height":24,"env":{"TERM":"xterm"}}\n', "x.cast");
    expect(() => castSettings(c, "x.cast")).toThrow(
      "x.cast: not an mmbox recording (no MMBOX_MACHINE in the header env)",
    );
  });

  it("writes nothing for an empty event and keeps times from going backwards", () => {
    const f = join(dir, "w.cast");
    const w = new CastWriter(f, { version: 2, width: 80, height: 24 });
    w.output("a", 2_000_000_000);
    w.output("", 3_000_000_000);
    w.output("b\xc3", 1_000_000_000);
    w.output("\xa9", 2_500_000_000);
    w.close();
    writeFileSync(join(dir, "unused"), "");
    expect(readFileSync(f, "utf8")).toBe(
      '{"version":2,"width":80,"height":24}\n[2,"o","a"]\n[2,"o","b"]\n[2.5,"o","é"]\n',
    );
  });
});
