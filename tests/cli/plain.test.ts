import { describe, expect, it } from "vitest";
import { sh } from "../helpers/machine.js";

describe("plain console", () => {
  it("prints exactly the output of the commands", () => {
    const r = sh(["cat /proc/buddyinfo", "free"]);
    const lines = r.output.split("\n");
    expect(lines[0]).toMatch(/^Node 0, zone {6}DMA( +\d+){12} $/);
    expect(lines[1]).toMatch(/^Node 0, zone {2}HighMem( +\d+){12} $/);
    expect(lines[2]).toBe("              total        used        free      shared  buff/cache   available");
    expect(lines[3]).toMatch(/^Mem: +1020732 +\d+ +\d+ +\d+ +\d+ +\d+$/);
    expect(lines[4]).toBe("Swap:             0           0           0");
    expect(lines[5]).toBe("");
    expect(lines.length).toBe(6);
    expect(r.status).toBe(0);
  });

  it("types a script's text as its UTF-8 bytes", () => {
    expect(sh(["echo é | od -An -tx1", "printf 'é\\n' | sed 's/é/e/'"]).output).toBe(" c3 a9 0a\ne\n");
  });

  it("exits with the shell's status", () => {
    expect(sh(["exit 3"]).status).toBe(3);
    expect(sh(["cat /nope"]).status).toBe(1);
  });

  it("is byte-identical for the same seed", () => {
    const a = sh(["cat /proc/meminfo", "cat /proc/zoneinfo", "cat /proc/vmstat"], { seed: 7 });
    const b = sh(["cat /proc/meminfo", "cat /proc/zoneinfo", "cat /proc/vmstat"], { seed: 7 });
    expect(a.output).toBe(b.output);
  });

  it("hands each line to the shell as soon as it reads: background jobs are still running", () => {
    // A pipe's next line is already there: the shell reads it at once, it does not wait for
    // `sleep 5 &` to end (time only moves for the foreground: here, `wait`).
    const r = sh(["sleep 5 &", "jobs", "grep State /proc/$!/status", "uptime", "wait", "uptime"]);
    expect(r.output).toBe(
      [
        "[1]+  Running                    sleep 5",
        "State:\tS (sleeping)",
        " 01:36:17 up 0 min,  0 users,  load average: 0.00, 0.00, 0.00",
        "[1]+  Done                       sleep 5",
        " 01:36:22 up 0 min,  0 users,  load average: 0.00, 0.00, 0.00",
        "",
      ].join("\n"),
    );
  });

  it("is byte-identical for the same seed while background work runs", () => {
    const lines = ["memhog 50M > /dev/null &", "cat /proc/meminfo", "cat /proc/vmstat", "wait", "free"];
    expect(sh(lines, { seed: 3 }).output).toBe(sh(lines, { seed: 3 }).output);
  });

  it("with --echo reads like a terminal transcript", () => {
    const r = sh(["uname -a"], { echo: true });
    expect(r.output).toBe(
      "/ # uname -a\nLinux (none) 6.1.0-50-armmp #1 SMP Debian 6.1.176-1 (2026-07-02) armv7l GNU/Linux\n/ # \n",
    );
  });
});
