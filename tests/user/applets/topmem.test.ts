import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";
import { topmem_column_header } from "../../../src/user/applets/topmem.js";
import { sh } from "../../helpers/machine.js";
import { stableRootfs } from "../../helpers/rootfs.js";

/** The sum of one smaps field over all of a process's mappings (KiB). */
function smapsSum(out: string, key: string): number {
  let n = 0;
  for (const m of out.matchAll(new RegExp(`^${key}:\\s+(\\d+) kB$`, "gm"))) n += Number(m[1]);
  return n;
}

describe("top memory mode (TOPMEM)", () => {
  it("prints the memory screen with -m: meminfo lines, then smaps totals by VSZ", () => {
    // (A fixed image: new labs and examples in rootfs/ would move the page cache and MemFree.)
    const r = sh(
      [
        "hog 30M 10M hold > /dev/null &",
        "sleep 1",
        "top -bn1 -m",
        "grep VmRSS /proc/$!/status",
        "cat /proc/$!/smaps",
      ],
      { rootfs: stableRootfs() },
    );
    const [top, rest] = r.output.split(/(?=^VmRSS:)/m);
    // kernel threads have no mappings and are left out; the empty line is top's last newline
    expect(top).toBe(
      [
        "Mem total:1020732 anon:30888 map:1360 free:968116",
        " slab:11628 buf:0 cache:5228 dirty:0 write:0",
        "Swap total:0 free:0",
        "  PID^^^VSZ^VSZRW   RSS (SHR) DIRTY (SHR) STACK COMMAND",
        "   61 31528 31016 31136     4 31132     0   132 hog 30M 10M hold",
        "    1  1560   292   972   868   968   864   132 /init",
        "   63  1560   292   972   868   968   864   132 top -bn1 -m",
        "   60  1560   292   908   868   904   864   132 sh -l",
        "",
        "",
      ].join("\n"),
    );
    // RSS is VmRSS; DIRTY and its shared part are the smaps sums
    expect(rest.split("\n")[0]).toBe("VmRSS:\t   31136 kB");
    expect(smapsSum(rest, "Private_Dirty") + smapsSum(rest, "Shared_Dirty")).toBe(31132);
    expect(smapsSum(rest, "Shared_Dirty")).toBe(0);
    expect(smapsSum(rest, "Shared_Clean") + smapsSum(rest, "Shared_Dirty")).toBe(4);
  });

  it("takes keys already waiting on stdin: s steps the sort column, r reverses it", () => {
    const r = sh([
      "echo s > /tmp/k; top -n1 < /tmp/k | head -n 4 | tail -n 1",
      "echo sR > /tmp/k; top -n1 < /tmp/k | head -n 4 | tail -n 1",
      "echo sssssss > /tmp/k; top -n1 < /tmp/k | head -n 4 | tail -n 1",
    ]);
    expect(r.output).toBe(
      [
        "\x1b[7m  PID   VSZ^VSZRW^  RSS (SHR) DIRTY (SHR) STACK COMMAND\x1b[m",
        "\x1b[7m  PID   VSZ_VSZRW_  RSS (SHR) DIRTY (SHR) STACK COMMAND\x1b[m",
        "\x1b[7m  PID^^^VSZ^VSZRW   RSS (SHR) DIRTY (SHR) STACK COMMAND\x1b[m",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [2, false, "  PID   VSZ VSZRW^^^RSS^(SHR) DIRTY (SHR) STACK COMMAND"],
    [3, false, "  PID   VSZ VSZRW   RSS^(SHR)^DIRTY (SHR) STACK COMMAND"],
    [4, true, "  PID   VSZ VSZRW   RSS (SHR)_DIRTY_(SHR) STACK COMMAND"],
    [6, false, "  PID   VSZ VSZRW   RSS (SHR) DIRTY (SHR)^STACK^COMMAND"],
  ])("marks sort field %i (reversed: %s)", (field, inverted, hdr) => {
    expect(topmem_column_header(field, inverted)).toBe(hdr);
  });

  it("toggles between the CPU and the memory screen with s and P on a terminal", () => {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 128 << 20 });
    s.take();
    const m = s.m;
    m.input("top -d 1\n");
    m.run(m.ns + 0.5e9, 200_000);
    expect(s.take()).toContain("\x1b[7m  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND\x1b[m");
    m.input("s"); // the memory screen at once, sorted by VSZRW (s steps from VSZ)
    m.run(m.ns + 0.2e9, 200_000);
    let screen = s.take();
    expect(screen.startsWith("\x1b[H\x1b[JMem total:")).toBe(true);
    expect(screen.split("\n")[3]).toBe(
      "\x1b[7m  PID   VSZ^VSZRW^  RSS (SHR) DIRTY (SHR) STACK COMMAND\x1b[m",
    );
    expect(screen).toMatch(/\n {4}1 {2}1560 +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ \/init\n/);
    expect(screen).not.toContain("kthreadd");
    m.input("S"); // next column: RSS
    m.run(m.ns + 0.2e9, 200_000);
    screen = s.take();
    expect(screen.split("\n")[3]).toBe(
      "\x1b[7m  PID   VSZ VSZRW^^^RSS^(SHR) DIRTY (SHR) STACK COMMAND\x1b[m",
    );
    m.input("p"); // back to the CPU screen, after a new first sample
    m.run(m.ns + 0.3e9, 200_000);
    screen = s.take();
    expect(screen.startsWith("\x1b[H\x1b[JMem: ")).toBe(true);
    expect(screen).toContain("[kthreadd]");
    m.input("q");
    m.run(m.ns + 0.2e9, 200_000);
    expect(s.take()).toBe("\n");
  });
});
