import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";
import { parse_duration_str } from "../../../src/user/libc/duration.js";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

/** The value of a /proc/meminfo field in a transcript. */
function meminfo(out: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(out);
  if (!m) throw new Error(`no ${key}`);
  return Number(m[1]);
}

describe("top", () => {
  it("prints one batch screen: memory from meminfo, CPU, load, every process", () => {
    // A first top fills the dcache with the /proc/PID entries it reads, as on Linux.
    const r = sh(["top -bn1 > /dev/null", "cat /proc/meminfo", "top -bn1"]);
    const [mi, top] = r.output.split(/(?=^Mem: )/m);
    const lines = top.split("\n");
    const total = meminfo(mi, "MemTotal");
    const free = meminfo(mi, "MemFree");
    // Nothing was written to a file between the two reads: the page cache is the same.
    expect(lines[0]).toMatch(
      new RegExp(
        `^Mem: \\d+K used, \\d+K free, ${meminfo(mi, "Shmem")}K shrd, ${meminfo(mi, "Buffers")}K buff, ${meminfo(mi, "Cached")}K cached$`,
      ),
    );
    const [, used, fr] = /^Mem: (\d+)K used, (\d+)K free/.exec(lines[0])!;
    expect(Number(used) + Number(fr)).toBe(total);
    expect(Math.abs(Number(fr) - free)).toBeLessThan(64);
    expect(lines[1]).toMatch(/^CPU:( {1,3}\d{1,3}% (usr|sys|nic|idle|io|irq|sirq)){7}$/);
    expect(lines[2]).toMatch(/^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+$/);
    expect(lines[3]).toBe("  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND");
    // the batch screen's newline, then top's last one: an empty line, as in the reference
    expect(lines.slice(-2)).toEqual(["", ""]);
    const procs = lines.slice(4, -2);
    for (const l of procs)
      expect(l).toMatch(
        /^ {0,4}\d+ {1,5}\d+ root {5}[RSDTZI][W ][<N ] {2}[ 0-9.mg]{5} {1,3}\d+% {1,3}\d+% \S/,
      );
    expect(procs).toContain("    2     0 root     SW       0   0%   0% [kthreadd]");
    expect(procs.some((l) => / top -bn1$/.test(l))).toBe(true);
  });

  it("clears and redraws without -b, header in reverse video", () => {
    const r = sh(["top -n1 -d 1 > /tmp/top", "cat /tmp/top"]);
    expect(r.output.startsWith("\x1b[H\x1b[JMem: ")).toBe(true);
    expect(r.output).toContain("\n\x1b[7m  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND\x1b[m\n");
    // 24 rows: three header lines, the column header, 20 processes; no newline after the last.
    const rows = r.output.split("\n");
    expect(rows.length).toBe(25);
    expect(rows[23].endsWith("\r")).toBe(true);
  });

  it("refreshes every -d seconds on a terminal, sorts by key, and quits on q or ^C", () => {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 128 << 20 });
    s.take();
    const m = s.m;
    m.input("top -d 1\n");
    m.run(m.ns + 2.5e9, 200_000);
    // the first screen after 100 ms, then one a second: three in 2.5 s
    expect(s.take().split("\x1b[H\x1b[J").length - 1).toBe(3);
    expect(m.waitingForInput()).toBe(false);
    m.input("M"); // sort by memory: a refresh at once, the big VSZ first
    m.run(m.ns + 0.2e9, 200_000);
    const screen = s.take();
    expect(screen.startsWith("\x1b[H\x1b[JMem: ")).toBe(true);
    expect(screen.split("\n")[4]).toMatch(/^ {4}1 {5}0 root {5}S {5}\d+ /);
    m.input("q");
    m.run(m.ns + 0.2e9, 200_000);
    expect(s.take()).toBe("\n");
    m.input("top\n");
    m.run(m.ns + 0.5e9, 200_000);
    m.input("\x03");
    m.run(m.ns + 0.2e9, 200_000);
    s.take();
    s.line("echo alive");
    expect(s.take()).toBe("alive\n");
  });

  it("takes the keys waiting on stdin one at a time before the first screen", () => {
    const r = sh([
      "printf NR > /tmp/k; top -n1 < /tmp/k | sed -n 5,7p",
      // an arrow key's escape sequence is one key: it only refreshes, N waits for the next round
      "printf 'M\\033[AN' > /tmp/k; top -n2 -d 0.2 < /tmp/k | grep -A1 '[%]CPU COMMAND' | grep -v '[%]CPU'",
    ]);
    expect(r.output).toBe(
      [
        "    1     0 root     S     1556   0%   0% /init",
        "    2     0 root     SW       0   0%   0% [kthreadd]",
        "    3     2 root     IW<      0   0%   0% [rcu_gp]",
        "    1     0 root     S     1556   0%   0% /init",
        "--",
        "   65    60 root     S     1556   0%   0% grep -v [%]CPU",
        "",
      ].join("\n"),
    );
  });

  it("runs -n screens -d seconds apart, with options written without a dash", () => {
    const r = sh(["top b n 2 d 0.5 > /tmp/top", "cat /tmp/top"]);
    expect(r.output.match(/^Mem: /gm)?.length).toBe(2);
  });

  it("rejects bad numbers and options", () => {
    expect(sh(["top -b -n x", "echo $?"]).output).toBe("top: invalid number 'x'\n1\n");
    expect(sh(["top -b -d 1q", "echo $?"]).output).toBe("top: invalid number '1q'\n1\n");
    expect(sh(["top -q", "echo $?"]).output).toBe(
      [
        "top: invalid option -- 'q'",
        BANNER,
        "",
        "Usage: top [-bH] [-n COUNT] [-d SECONDS]",
        "",
        "Show a view of process activity in real time.",
        "Read the status of all processes from /proc each SECONDS",
        "and show a screenful of them.",
        "Keys:",
        "\tN/M/P/T: sort by pid/mem/cpu/time",
        "\tR: reverse sort",
        "\tH: toggle threads",
        "\tQ,^C: exit",
        "Options:",
        "\t-b\tBatch mode",
        "\t-n N\tExit after N iterations",
        "\t-d SEC\tDelay between updates",
        "\t-H\tShow threads",
        "1",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["5", 5],
    ["0.5", 0.5],
    [".25", 0.25],
    ["2m", 120],
    ["1.5h", 5400],
    ["x", null],
    ["", null],
    ["1s2", null],
  ])("parse_duration_str(%s)", (s, v) => {
    expect(parse_duration_str(s)).toBe(v);
  });
});
