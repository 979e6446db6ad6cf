import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const H1 = "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----";
const H2 = " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st";
/** One data line: every column right-aligned in its procps width. */
const LINE =
  / {0,1}\d{1,2} {1,2}\d{1,2} +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+/;

function meminfo(out: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(out)![1]);
}

describe("vmstat (procps-ng)", () => {
  it("prints the since-boot line with memory from /proc/meminfo", () => {
    const r = sh(["vmstat", "cat /proc/meminfo"]);
    const [h1, h2, l] = r.output.split("\n");
    expect([h1, h2]).toEqual([H1, H2]);
    expect(l).toMatch(new RegExp(`^${LINE.source}$`));
    const f = l.trim().split(/\s+/).map(Number);
    expect(f[2]).toBe(0); // swpd
    expect(f[4]).toBe(meminfo(r.output, "Buffers"));
    expect(f[5]).toBe(meminfo(r.output, "Cached") + meminfo(r.output, "SReclaimable"));
    expect(f[12] + f[13] + f[14] + f[15] + f[16]).toBeGreaterThanOrEqual(98);
  });

  it("repeats every DELAY seconds COUNT times, and shows the header again after rows - 3 lines", () => {
    const lines = sh(["vmstat 1 3"]).output.split("\n");
    expect(lines.length).toBe(6);
    expect(lines.slice(2, 5).every((l) => LINE.test(l))).toBe(true);
    const many = sh(["vmstat 1 25 > /tmp/v", "cat /tmp/v"]).output.split("\n");
    // 21 lines per screenful when stdout is not a terminal (24 rows - 3)
    expect(many.filter((l) => l === H1).length).toBe(2);
    expect(many[23]).toBe(H1);
    expect(
      sh(["vmstat -n 1 25 > /tmp/v", "cat /tmp/v"])
        .output.split("\n")
        .filter((l) => l === H1).length,
    ).toBe(1);
  });

  it("has -a, -S, -w and -t layouts", () => {
    const r = sh(["vmstat -a -S M", "vmstat -w", "vmstat -t"]).output.split("\n");
    expect(r[1]).toBe(" r  b   swpd   free  inact active   si   so    bi    bo   in   cs us sy id wa st");
    expect(r[2]).toMatch(/^ {1}\d {2}\d {6}0 {4}\d{3} /);
    expect(r[3]).toBe(
      "--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------",
    );
    expect(r[4]).toBe(
      "   r    b         swpd         free         buff        cache   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu",
    );
    expect(r[6]).toBe(`${H1} -----timestamp-----`);
    expect(r[7]).toBe(`${H2}                 UTC`);
    expect(r[8]).toMatch(/ 2026-11-22 01:36:\d\d$/);
  });

  it("prints the event counters with -s and the forks with -f", () => {
    const r = sh(["vmstat -s", "cat /proc/meminfo"]);
    const lines = r.output.split("\n");
    expect(lines[0]).toBe(`${String(meminfo(r.output, "MemTotal")).padStart(13)} K total memory`);
    expect(lines.slice(1, 28).map((l) => l.slice(14))).toEqual([
      "K used memory",
      "K active memory",
      "K inactive memory",
      "K free memory",
      "K buffer memory",
      "K swap cache",
      "K total swap",
      "K used swap",
      "K free swap",
      "non-nice user cpu ticks",
      "nice user cpu ticks",
      "system cpu ticks",
      "idle cpu ticks",
      "IO-wait cpu ticks",
      "IRQ cpu ticks",
      "softirq cpu ticks",
      "stolen cpu ticks",
      "non-nice guest cpu ticks",
      "nice guest cpu ticks",
      "K paged in",
      "K paged out",
      "pages swapped in",
      "pages swapped out",
      "interrupts",
      "CPU context switches",
      "boot time",
      "forks",
    ]);
    expect(sh(["vmstat -f"]).output).toMatch(/^ {11,12}\d{1,2} forks\n$/);
  });

  it("complains as procps does", () => {
    const r = sh(["vmstat 0; echo $?", "vmstat -S x; echo $?", "vmstat 1 x; echo $?", "vmstat -V"]);
    expect(r.output).toBe(
      "vmstat: delay must be positive integer\n1\nvmstat: -S requires k, K, m or M (default is KiB)\n1\n" +
        "vmstat: failed to parse argument: 'x'\n1\nvmstat from procps-ng 4.0.2\n",
    );
    const bad = sh(["vmstat -x", "echo $?"]).output;
    expect(
      bad.startsWith(
        "vmstat: invalid option -- 'x'\n\nUsage:\n vmstat [options] [delay [count]]\n\nOptions:\n",
      ),
    ).toBe(true);
    expect(bad.endsWith("\nFor more details see vmstat(8).\n1\n")).toBe(true);
  });
});
