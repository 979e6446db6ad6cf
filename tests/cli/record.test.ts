import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCast } from "../../src/tui/cast.js";

const BIN = fileURLToPath(new URL("../../bin/mmbox.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mmbox-rec-"));

function mmbox(args: string[], input = ""): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8" });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

const SCRIPT = "echo hello\nuname -m\nexit 3\n";

describe("plain mode: --echo, --record, play, replay", () => {
  it("--echo output is byte-identical for the same script and seed", () => {
    const a = mmbox(["--echo", "--seed", "5"], "cat /proc/meminfo\ncat /proc/zoneinfo\n");
    const b = mmbox(["--echo", "--seed", "5"], "cat /proc/meminfo\ncat /proc/zoneinfo\n");
    expect(a.stdout.length).toBeGreaterThan(3000);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toMatch(/^\/ [#$] cat \/proc\/meminfo\nMemTotal: {8}1020732 kB\n/);
  });

  it("records asciicast v2 with the settings in the header and an exit mark", () => {
    const file = join(dir, "plain.cast");
    const r = mmbox(["-m", "512M", "--seed", "9", "--echo", "--record", file], SCRIPT);
    expect(r.status).toBe(3);
    const cast = parseCast(readFileSync(file, "utf8"), file);
    expect(cast.header).toEqual({
      version: 2,
      width: 80,
      height: 24,
      timestamp: 1795311374,
      title: "mmbox -M vexpress-a9 -m 512M --smp 4 --seed 9",
      env: {
        TERM: "linux",
        SHELL: "/bin/sh",
        MMBOX_MACHINE: "vexpress-a9",
        MMBOX_MEMORY: String(512 * 2 ** 20),
        MMBOX_SMP: "4",
        MMBOX_SEED: "9",
        MMBOX_APPEND: "",
        MMBOX_NUMA: "1",
        MMBOX_MODE: "plain",
        MMBOX_ECHO: "1",
      },
    });
    expect(cast.events.map((e) => [e[1], e[2]])).toEqual([
      ["o", expect.stringMatching(/^\/ [#$] $/)],
      ["i", "echo hello\n"],
      ["o", expect.stringMatching(/^echo hello\r\nhello\r\n\/ [#$] $/)],
      ["i", "uname -m\n"],
      ["o", expect.stringMatching(/^uname -m\r\narmv7l\r\n\/ [#$] $/)],
      ["i", "exit 3\n"],
      ["o", "exit 3\r\n"],
      ["m", "exit"],
    ]);
    const times = cast.events.map((e) => e[0]);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // What was recorded is what was printed, with a terminal's line ends.
    const printed = cast.events.filter((e) => e[1] === "o").map((e) => e[2]);
    expect(printed.join("")).toBe(r.stdout.replace(/\n/g, "\r\n"));
  });

  it("replay --check says identical (0), or shows the first difference (1)", () => {
    const file = join(dir, "check.cast");
    mmbox(["--record", file], SCRIPT);
    expect(mmbox(["replay", "--check", file])).toEqual({
      stdout: `mmbox: replay: ${file}: output identical\n`,
      stderr: "",
      status: 0,
    });
    const bad = join(dir, "bad.cast");
    writeFileSync(bad, readFileSync(file, "utf8").replace('"armv7l', '"armv8l'));
    expect(mmbox(["replay", "--check", bad])).toEqual({
      stdout: `mmbox: replay: ${bad}: output differs at line 2, column 5: expected "8l\\r\\n", got "7l\\r\\n"\n`,
      stderr: "",
      status: 1,
    });
  });

  it("play writes the recorded output", () => {
    const file = join(dir, "play.cast");
    const r = mmbox(["--echo", "--record", file], "echo hi\n");
    expect(mmbox(["play", "--speed", "1000", file]).stdout).toBe(r.stdout.replace(/\n/g, "\r\n"));
  });

  it.each([
    [["replay", "/nonexistent.cast"], "mmbox: /nonexistent.cast: no such file\n"],
    [
      ["play", "--speed", "0", "x.cast"],
      "mmbox: --speed: invalid speed '0' (accepted: a number greater than 0)\n",
    ],
  ])("rejects %j", (args, err) => {
    expect(mmbox(args)).toEqual({ stdout: "", stderr: err, status: 2 });
  });

  it("leaves a file that parses up to its last event when killed with SIGKILL", async () => {
    const file = join(dir, "killed.cast");
    const child = spawn(process.execPath, [BIN, "--echo", "--record", file], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    child.stdin.write("echo one\necho two\n");
    // stdin stays open: the session waits for more input until it is killed.
    const has = (s: string): boolean => existsSync(file) && readFileSync(file, "utf8").includes(s);
    for (let i = 0; i < 200 && !has("two\\r\\n"); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const cast = parseCast(readFileSync(file, "utf8"), file);
    expect(cast.events.at(-1)?.[2]).toMatch(/two\r\n\/ [#$] $/);
    expect(cast.events.some((e) => e[1] === "m")).toBe(false);
    expect(mmbox(["replay", "--check", file]).stdout).toBe(
      `mmbox: replay: ${file}: output identical as far as the recording goes (it has no exit mark: the session was cut off)\n`,
    );
  });

  it("stops quietly when the reader goes away (| head)", () => {
    const r = spawnSync(
      "bash",
      ["-c", `yes 'cat /proc/zoneinfo' | head -50 | "${process.execPath}" "${BIN}" | head -2`],
      { encoding: "utf8" },
    );
    expect(r.stdout).toBe("Node 0, zone      DMA\n  per-node stats\n");
    expect(r.stderr).toBe("");
  });
});
