import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

/** The zoneinfo watermark block of one zone: [min, low, high]. */
function wmarks(zoneinfo: string, zone: string): number[] {
  const block = zoneinfo.slice(zoneinfo.indexOf(`zone ${zone.padStart(8)}`));
  return ["min", "low", "high"].map((w) => Number(new RegExp(`\\n {8}${w} +(\\d+)`).exec(block)![1]));
}

describe("/proc/sys/vm", () => {
  it("min_free_kbytes recomputes every zone's watermarks", () => {
    const r = sh([
      "cat /proc/sys/vm/min_free_kbytes",
      "echo 8192 > /proc/sys/vm/min_free_kbytes",
      "cat /proc/sys/vm/min_free_kbytes",
      "cat /proc/zoneinfo",
    ]);
    const [before, after, zoneinfo] = [
      r.output.split("\n")[0],
      r.output.split("\n")[1],
      r.output.slice(r.output.indexOf("Node 0")),
    ];
    // int_sqrt(lowmem_kbytes * 16): 3473 with the reference's initrd (boot.test.ts), a little
    // more here, where the initrd is smaller and lowmem larger.
    expect(Number(before)).toBeGreaterThanOrEqual(3473);
    expect(Number(before)).toBeLessThan(3490);
    expect(after).toBe("8192");
    // All lowmem is ZONE_DMA on vexpress-a9: it takes the whole 2048-page minimum; gaps are
    // max(min/4, managed * 10/10000): 512.
    expect(wmarks(zoneinfo, "DMA")).toEqual([2048, 2560, 3072]);
    // HighMem keeps managed/1024 clamped to [32, 128]; its gap is min/4 of its lowmem share.
    const [min, low, high] = wmarks(zoneinfo, "HighMem");
    expect(min).toBe(64);
    expect(low - min).toBe(high - low);
    expect(r.status).toBe(0);
  });

  it("watermark_scale_factor widens the gaps between min, low and high", () => {
    const r = sh([
      "cat /proc/zoneinfo",
      "echo 100 > /proc/sys/vm/watermark_scale_factor",
      "cat /proc/zoneinfo",
    ]);
    const second = r.output.lastIndexOf("Node 0, zone      DMA");
    const [min0, low0] = wmarks(r.output.slice(0, second), "DMA");
    const [min, low, high] = wmarks(r.output.slice(second), "DMA");
    // The scale factor moves low and high, never min.
    expect(min).toBe(min0);
    expect(low).toBeGreaterThan(low0);
    // 1% of the zone's managed pages (189647 on this machine... give or take boot allocations)
    expect(low - min).toBe(high - low);
    expect(low - min).toBeGreaterThan(1800);
  });

  it("lowmem_reserve_ratio recomputes the protection of lower zones", () => {
    const r = sh([
      "cat /proc/sys/vm/lowmem_reserve_ratio",
      "echo '128 32 0 0' > /proc/sys/vm/lowmem_reserve_ratio",
      "cat /proc/sys/vm/lowmem_reserve_ratio",
      "cat /proc/zoneinfo",
    ]);
    expect(r.output.startsWith("256\t32\t0\t0\n128\t32\t0\t0\n")).toBe(true);
    expect(r.output).toContain("        protection: (0, 0, 512, 512)\n");
  });

  it("reads numbers as proc_get_long does: base 0, whitespace after, extra values ignored", () => {
    const r = sh([
      "for v in 0x10 010 ' 12 ' '12 13'; do echo \"$v\" > /proc/sys/vm/swappiness; echo $? $(cat /proc/sys/vm/swappiness); done",
      "for v in 08 +5 12abc 0x 2147483648; do echo $v > /proc/sys/vm/swappiness 2>/dev/null; echo $?; done",
      // lowmem_reserve_ratio's handler drops proc_dointvec_minmax's error: what it read stands.
      "echo '1 2 3 4 5' > /proc/sys/vm/lowmem_reserve_ratio; echo $? $(cat /proc/sys/vm/lowmem_reserve_ratio)",
      "echo '100 0 x' > /proc/sys/vm/lowmem_reserve_ratio; echo $? $(cat /proc/sys/vm/lowmem_reserve_ratio)",
      "echo abc > /proc/sys/vm/lowmem_reserve_ratio; echo $? $(cat /proc/sys/vm/lowmem_reserve_ratio)",
    ]);
    expect(r.output).toBe("0 16\n0 8\n0 12\n0 12\n1\n1\n1\n1\n1\n0 1 2 3 4\n0 100 0 3 4\n0 100 0 3 4\n");
  });

  it("oom_score_adj is kstrtoint: base 0, a sign, the whole text; ERANGE past an int", () => {
    const r = sh([
      "for v in ' +10 ' 0x10 -1000; do echo \"$v\" > /proc/$$/oom_score_adj; echo $? $(cat /proc/$$/oom_score_adj); done",
      "echo 99999999999 > /proc/$$/oom_score_adj; echo $?",
      "echo '1 2' > /proc/$$/oom_score_adj; echo $?",
      "echo 1001 > /proc/$$/oom_score_adj; echo $?",
    ]);
    expect(r.output).toBe(
      "0 10\n0 16\n0 -1000\n" +
        "sh: write error: Numerical result out of range\n1\n" +
        "sh: write error: Invalid argument\n1\n" +
        "sh: write error: Invalid argument\n1\n",
    );
  });

  it.each([
    ["min_free_kbytes", "abc"],
    ["min_free_kbytes", "-5"],
    ["min_free_kbytes", "99999999999999999999"],
    ["watermark_scale_factor", "0"],
    ["watermark_scale_factor", "3001"],
    ["swappiness", "201"],
    ["overcommit_memory", "3"],
    ["drop_caches", "5"],
    ["drop_caches", "abc"],
  ])("rejects %s=%s with EINVAL and changes nothing", (file, value) => {
    const r = sh([
      `cat /proc/sys/vm/${file} 2>/dev/null`,
      `echo ${value} > /proc/sys/vm/${file}`,
      "echo status $?",
      `cat /proc/sys/vm/${file} 2>/dev/null`,
    ]);
    const lines = r.output.split("\n");
    expect(lines).toContain("status 1");
    expect(r.output).toMatch(/write error: Invalid argument\n/);
    // What cat printed before and after the write (nothing twice for the write-only files).
    const reads = lines.filter((l) => l !== "" && l !== "status 1" && !l.includes("write error"));
    expect(reads.length === 0 || (reads.length === 2 && reads[0] === reads[1])).toBe(true);
  });

  it("keeps drop_caches and compact_memory write-only, even for root", () => {
    const r = sh(["cat /proc/sys/vm/drop_caches", "cat /proc/sys/vm/compact_memory"]);
    expect(r.output).toBe(
      "cat: can't open '/proc/sys/vm/drop_caches': Permission denied\ncat: can't open '/proc/sys/vm/compact_memory': Permission denied\n",
    );
  });

  it("logs each drop_caches write until 4 silences it", () => {
    const r = sh([
      "echo 3 > /proc/sys/vm/drop_caches",
      "echo 4 > /proc/sys/vm/drop_caches",
      "echo 1 > /proc/sys/vm/drop_caches",
      "dmesg",
    ]);
    const lines = r.output.split("\n").filter((l) => l.includes("drop_caches:"));
    expect(lines.map((l) => l.replace(/^\[[ \d.]+\] /, "").replace(/\(\d+\)/, "(PID)"))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(sh|echo) \(PID\): drop_caches: 3$/),
        expect.stringMatching(/^(sh|echo) \(PID\): drop_caches: 4$/),
      ]),
    );
    expect(r.output).not.toMatch(/drop_caches: 1/);
  });

  it("refuses percpu_pagelist_high_fraction between 1 and 7, as 6.1 does", () => {
    const r = sh([
      "echo 5 > /proc/sys/vm/percpu_pagelist_high_fraction; echo $?",
      "cat /proc/sys/vm/percpu_pagelist_high_fraction",
      "echo 8 > /proc/sys/vm/percpu_pagelist_high_fraction; echo $?",
      "cat /proc/sys/vm/percpu_pagelist_high_fraction",
      "echo 0 > /proc/sys/vm/percpu_pagelist_high_fraction; echo $?",
    ]);
    expect(r.output).toBe("sh: write error: Invalid argument\n1\n0\n0\n8\n0\n");
  });
});

describe("/proc/sys/kernel/threads-max", () => {
  it("is sized by fork_init from the RAM at boot, and halves into RLIMIT_NPROC and RLIMIT_SIGPENDING", () => {
    const r = sh([
      "cat /proc/sys/kernel/threads-max",
      "grep SigQ /proc/self/status",
      "ulimit -u; ulimit -i; ulimit -e; ulimit -r",
      "echo 0 > /proc/sys/kernel/threads-max; echo $?",
      "echo 1073741824 > /proc/sys/kernel/threads-max; echo $?",
      "echo 5000 > /proc/sys/kernel/threads-max; echo $?",
      "cat /proc/sys/kernel/threads-max; ulimit -u",
    ]);
    // 1 GiB vexpress-a9: the pages left after memblock's reservations, times 4 kB, over eight
    // 8 kB kernel stacks - before the initrd and __init text are freed (the reference: 0/7810).
    expect(r.output).toBe(
      "15623\nSigQ:\t0/7811\n7811\n7811\n0\n0\n" +
        "sh: write error: Invalid argument\n1\n" +
        "sh: write error: Invalid argument\n1\n" +
        "0\n5000\n7811\n",
    );
  });

  it("uses x86_64's 16 kB stacks on the pc machine", () => {
    const r = sh(["cat /proc/sys/kernel/threads-max", "grep SigQ /proc/self/status"], { machine: "pc" });
    // The reference x86_64 box with 1 GiB says 0/3797: a few pages more memblock reserves there.
    expect(r.output).toMatch(/^7\d{3}\nSigQ:\t0\/3\d{3}\n$/);
    const [max, sigq] = [Number(r.output.split("\n")[0]), Number(/\/(\d+)/.exec(r.output)![1])];
    expect(sigq).toBe(Math.floor(max / 2));
    expect(Math.abs(sigq - 3797)).toBeLessThan(10);
  });
});
