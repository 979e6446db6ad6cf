import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

/** The program: 16K written and 4K read (the zero page) of a 64K area at 0x20000000, then it waits. */
const PROG = [
  "cat > /tmp/p <<X",
  "m = mmap 64K rw at=0x20000000",
  "write m 16K",
  "read m+16K 4K",
  "pause",
  "X",
  "run /tmp/p &",
  "sleep 1",
];
const READ = "dd if=/proc/$!/pagemap bs=8 skip=$((0x20000)) count=6 2>/dev/null | od -An -v -tx8 -w8";

/** od's u64 lines as [flags (bits 55-63), frame (bits 0-54)]. */
function entries(text: string): [string, number][] {
  return text
    .trim()
    .split("\n")
    .map((l) => {
      const v = BigInt(`0x${l.trim()}`);
      return [(v >> 55n).toString(2).padStart(9, "0"), Number(v & ((1n << 55n) - 1n))];
    });
}

describe("/proc/PID/pagemap", () => {
  it("gives each virtual page its frame and present/exclusive/file bits (vexpress-a9: no soft-dirty)", () => {
    const r = sh([...PROG, READ, "kill $!"]);
    const lines = r.output.split("\n");
    const e = entries(lines.slice(0, 6).join("\n"));
    // bit 63 present, bit 56 mapped once; the zero page is present but no page of the process.
    expect(e.map(([f]) => f)).toEqual([
      "100000010",
      "100000010",
      "100000010",
      "100000010",
      "100000000",
      "000000000",
    ]);
    // The frames are the pages the faults allocated: distinct, in RAM.
    const frames = e.slice(0, 4).map(([, pfn]) => pfn);
    expect(new Set(frames).size).toBe(4);
    for (const pfn of frames) expect(pfn).toBeGreaterThan(0x60000);
    expect(e[5][1]).toBe(0);
    expect(lines.slice(6)).toEqual(["[1]+  Terminated                 run /tmp/p", ""]);
  });

  it("agrees with /proc/kpagecount and /proc/kpageflags about the frames it names", () => {
    const r = sh([
      ...PROG,
      "pfn=$((0x$(dd if=/proc/$!/pagemap bs=8 skip=$((0x20000)) count=1 2>/dev/null | od -An -tx8 | tr -d ' ') & 0x7fffffffffffff))",
      "dd if=/proc/kpagecount bs=8 skip=$pfn count=1 2>/dev/null | od -An -tu8",
      // KPF_ANON (12), KPF_MMAP (11), KPF_LRU (5), KPF_UPTODATE (3) and the rest as page-types shows
      "dd if=/proc/kpageflags bs=8 skip=$pfn count=1 2>/dev/null | od -An -tx8",
      "kill $!",
    ]);
    const [count, flags] = r.output.split("\n").map((l) => l.trim());
    expect(count).toBe("1");
    const f = Number.parseInt(flags, 16);
    for (const bit of [3, 5, 11, 12]) expect((f >> bit) & 1).toBe(1);
  });

  it("shows soft-dirty bits on x86 until clear_refs 4", () => {
    const r = sh([...PROG, READ, "echo 4 > /proc/$!/clear_refs", READ, "kill $!"], { machine: "pc" });
    const lines = r.output.split("\n");
    const before = entries(lines.slice(0, 6).join("\n")).map(([f]) => f);
    const after = entries(lines.slice(6, 12).join("\n")).map(([f]) => f);
    // bit 55: every page of a VM_SOFTDIRTY area, written or not.
    expect(before).toEqual(["100000011", "100000011", "100000011", "100000011", "100000001", "000000001"]);
    expect(after).toEqual(["100000010", "100000010", "100000010", "100000010", "100000000", "000000000"]);
  });

  it("sets the soft-dirty bit again on the pages written after clear_refs 4 (x86)", () => {
    const r = sh(
      [
        "cat > /tmp/p <<X",
        "m = mmap 64K rw at=0x20000000",
        "write m 16K",
        "f = open /proc/self/clear_refs w",
        "fwrite f 1 0x34",
        "write m+4K 4K",
        "pause",
        "X",
        "run /tmp/p &",
        "sleep 1",
        READ,
        "kill $!",
      ],
      { machine: "pc" },
    );
    const e = entries(r.output.split("\n").slice(0, 6).join("\n")).map(([f]) => f);
    expect(e).toEqual(["100000010", "100000011", "100000010", "100000010", "000000000", "000000000"]);
  });

  it("write-protects the PTEs on clear_refs 4 (x86): the next writes fault and reuse their pages", () => {
    // The same writes with and without clear_refs 4 between them, as the faults and reuses they cost.
    const cost = (machine: "pc" | "vexpress-a9", clear: boolean): string =>
      sh(
        [
          "cat > /tmp/p <<X",
          "m = mmap 64K rw",
          "write m 16K",
          "f = open /proc/self/clear_refs w",
          `fwrite f 1 ${clear ? "0x34" : "0x31"}`,
          "write m 16K",
          "X",
          "v() { grep -E '^(pgfault|pgreuse) ' /proc/vmstat | tr '\\n' ' '; }",
          "a=$(v); run /tmp/p; b=$(v)",
          "set -- $a $b; echo $(($6 - $2)) $(($8 - $4))",
        ],
        { machine },
      ).output;
    const [f0, r0] = cost("pc", false).split(" ").map(Number);
    const [f1, r1] = cost("pc", true).split(" ").map(Number);
    expect([f1 - f0, r1 - r0]).toEqual([4, 4]);
    // Without soft-dirty tracking (32-bit ARM) clear_refs 4 leaves the PTEs writable.
    expect(cost("vexpress-a9", true)).toBe(cost("vexpress-a9", false));
  });

  it("keeps the soft-dirty bit in a swap entry, and the entry reads as type and offset", () => {
    const r = sh(
      [
        "mkswap /dev/vda >/dev/null; swapon /dev/vda",
        "cat > /tmp/p <<X",
        "m = mmap 64K rw at=0x20000000",
        "write m 64K",
        "pause",
        "X",
        "run /tmp/p &",
        "sleep 1",
        "memhog 200M > /dev/null",
        READ,
        "kill $!",
      ],
      { machine: "pc", memory: 256 * 2 ** 20, disks: [256 * 2 ** 20] },
    );
    const od = r.output.split("\n").filter((l) => /^ [0-9a-f]{16}$/.test(l));
    const e = entries(od.join("\n"));
    expect(e.length).toBe(6);
    // bit 62 swapped, bit 55 soft-dirty; the frame is type 0 in bits 0-4 and the slot above.
    for (const [f, frame] of e) {
      expect(f).toBe("010000001");
      expect(frame % 32).toBe(0);
      expect(frame / 32).toBeGreaterThan(0);
    }
  });

  it("refuses reads that are not whole entries, and reads nothing for a kernel thread", () => {
    const r = sh([
      "dd if=/proc/self/pagemap bs=7 count=1; echo $?",
      "dd if=/proc/self/pagemap bs=7 count=1 conv=noerror 2>&1 | wc -c",
      "dd if=/proc/2/pagemap bs=8 count=1 2>/dev/null | wc -c",
      "ls -l /proc/self/pagemap /proc/self/clear_refs | cut -c1-10",
      "cat /proc/self/clear_refs",
    ]);
    expect(r.output).toBe(
      [
        "dd: /proc/self/pagemap: Invalid argument",
        "1",
        // conv=noerror: the same message, then an empty block counted as a partial record
        "72",
        "0",
        "--w-------",
        "-r--------",
        "cat: read error: Invalid argument",
        "",
      ].join("\n"),
    );
  });
});

describe("/proc/PID/clear_refs", () => {
  it("1 forgets the references smaps counts; 5 resets VmHWM; others are EINVAL", () => {
    const r = sh([
      "cat > /tmp/p <<X",
      "m = mmap 1M rw",
      "write m 1M",
      "munmap m 1M",
      "show status VmHWM VmRSS",
      "show smaps_rollup Referenced",
      "f = open /proc/self/clear_refs w",
      "fwrite f 1 0x31",
      "show smaps_rollup Referenced",
      "seek f 0",
      "fwrite f 1 0x35",
      "show status VmHWM VmRSS",
      "X",
      "run /tmp/p",
      "for v in 0 6 0x1 abc ' 2 '; do echo \"$v\" > /proc/self/clear_refs; echo $?; done",
    ]);
    const lines = r.output.split("\n");
    const kb = (l: string): number => Number(/(\d+) kB/.exec(l)![1]);
    expect(kb(lines[0])).toBeGreaterThan(kb(lines[1]) + 1000);
    expect(kb(lines[2])).toBeGreaterThan(0);
    expect(lines[3]).toBe("Referenced:            0 kB");
    expect(kb(lines[4])).toBe(kb(lines[5]));
    expect(lines.slice(6)).toEqual([
      "sh: write error: Invalid argument",
      "1",
      "sh: write error: Invalid argument",
      "1",
      "sh: write error: Invalid argument",
      "1",
      "sh: write error: Invalid argument",
      "1",
      "0",
      "",
    ]);
  });
});
