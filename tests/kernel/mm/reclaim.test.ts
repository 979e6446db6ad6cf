/*
 * Reclaim through whole sessions: clean file cache goes before anonymous
 * memory under the default swappiness; kswapd, woken below the low
 * watermark, reclaims until a zone is over its high watermark and sleeps;
 * drop_caches 1, 2 and 3 drop what Linux drops (dirty pages stay until
 * synced); evicted pages that come back count as refaults and, when their
 * distance fits the workingset, are activated. Invariants after each line.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runLines } from "../../../src/plain/run.js";
import { checkedRunner, procNums } from "../../helpers/machine.js";

const MiB = 2 ** 20;

function session(disks: number[]) {
  return checkedRunner({ machine: "vexpress-a9", memory: 1024 * MiB, disks });
}

const nums = procNums;

describe("reclaim", () => {
  it("takes clean file cache before anonymous memory with the default swappiness", () => {
    const run = session([1024 * MiB, 1024 * MiB]);
    run("mkswap /dev/vdb > /dev/null; swapon /dev/vdb");
    expect(run("cat /proc/sys/vm/swappiness")).toBe("60\n");
    run("exec 3</dev/vda");
    run("dd if=/dev/vda of=/dev/null bs=1M count=400 2>/dev/null");
    const before = nums(run("cat /proc/meminfo"));
    expect(before.Buffers).toBe(400 * 1024);
    run("memhog 600M > /dev/null 2>&1");
    const after = nums(run("cat /proc/meminfo"));
    const v = nums(run("cat /proc/vmstat"));
    expect(v.pgsteal_file).toBeGreaterThan(5000);
    expect(after.Buffers).toBe(before.Buffers - v.pgsteal_file * 4);
    // No anonymous page went to swap while clean cache was there to take.
    expect(v.pswpout).toBe(0);
    expect(v.pgsteal_anon).toBe(0);
    expect(after.SwapFree).toBe(before.SwapFree);
  });

  it("wakes kswapd below the low watermark and lets it sleep once a zone is over high", () => {
    const run = session([1024 * MiB]);
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    const v0 = nums(run("cat /proc/vmstat"));
    expect(v0.pageoutrun).toBe(0);
    run("hog 1100M 100M hold > /dev/null &");
    run("sleep 3");
    const v = nums(run("cat /proc/vmstat"));
    expect(v.pageoutrun).toBeGreaterThan(0);
    expect(v.pgsteal_kswapd).toBeGreaterThan(0);
    expect(v.pswpout).toBeGreaterThan(0);
    // Each command that looks forks, and a fork may meet a boosted watermark and wake it for
    // a moment (balance_pgdat then reclaims the boost): after a quiet second it is asleep.
    expect(run("ps -o stat,comm | grep kswapd0")).toMatch(/^[RS]W {3}kswapd0\n$/);
    // Read its state with the shell's own read: a forked cat (its 64 KiB copy buffer) could wake it.
    const pid = run("pidof kswapd0").trim();
    run("sleep 1");
    expect(run(`read pid comm state rest < /proc/${pid}/stat; echo $state`)).toBe("S\n");
    // pgdat_balanced: some zone the allocations used is above its high watermark.
    const zones = run("cat /proc/zoneinfo")
      .split(/^Node 0, zone +/m)
      .slice(1)
      .map((z) => ({ name: z.split("\n")[0], n: nums(z.replace(/^ +pages free/m, "free")) }));
    const used = zones.filter((z) => z.name === "DMA" || z.name === "HighMem");
    expect(used.some((z) => z.n.free > z.n.high)).toBe(true);
    // ... and none fell below min, where allocations would have stalled for good.
    // (zoneinfo's min includes a watermark boost that kswapd has not reclaimed yet: a boost set
    // after balance_pgdat took its snapshot stays while another zone is balanced, as in 6.1. And
    // a per-CPU list refill takes a whole batch once the watermark check passed: free may end up
    // to a batch below min.)
    for (const z of used) expect(z.n.free).toBeGreaterThanOrEqual(z.n.min - z.n.boost - z.n.batch);
    run("kill %1");
  });

  it("drops clean cache with 1, slab with 2, both with 3, and keeps dirty pages until sync", () => {
    const run = session([256 * MiB]);
    run("exec 3</dev/vda");
    run("dd if=/dev/vda of=/dev/null bs=1M count=8 2>/dev/null");
    run("dd if=/dev/zero of=/dev/vda bs=1M count=4 seek=100 conv=notrunc 2>/dev/null");
    run("ls -R / > /dev/null");
    const m0 = nums(run("cat /proc/meminfo"));
    expect(m0.Buffers).toBe(12 * 1024);
    expect(m0.Dirty).toBe(4 * 1024);
    run("echo 2 > /proc/sys/vm/drop_caches");
    const m2 = nums(run("cat /proc/meminfo"));
    expect(m2.Buffers).toBe(m0.Buffers);
    expect(m2.SReclaimable).toBeLessThan(m0.SReclaimable);
    run("echo 1 > /proc/sys/vm/drop_caches");
    const m1 = nums(run("cat /proc/meminfo"));
    expect(m1.Buffers).toBe(4 * 1024);
    expect(m1.Dirty).toBe(4 * 1024);
    run("sync");
    run("echo 3 > /proc/sys/vm/drop_caches");
    const m3 = nums(run("cat /proc/meminfo"));
    expect(m3.Buffers).toBe(0);
    expect(m3.Dirty).toBe(0);
    expect(run("dmesg | grep -c 'drop_caches: '")).toBe("3\n");
    expect(run("echo 5 > /proc/sys/vm/drop_caches; echo $?")).toBe("sh: write error: Invalid argument\n1\n");
  });

  it("counts refaults of evicted file and anonymous pages, and activates the near ones", () => {
    const run = session([1024 * MiB, 1024 * MiB]);
    run("mkswap /dev/vdb > /dev/null; swapon /dev/vdb");
    run("exec 3</dev/vda");
    run("dd if=/dev/vda of=/dev/null bs=1M count=300 2>/dev/null");
    run("memhog 700M > /dev/null 2>&1");
    run("dd if=/dev/vda of=/dev/null bs=1M count=300 2>/dev/null");
    const v = nums(run("cat /proc/vmstat"));
    expect(v.workingset_refault_file).toBeGreaterThan(0);
    expect(v.workingset_refault_file).toBeLessThanOrEqual(v.pgsteal_file);
    expect(v.workingset_activate_file).toBeGreaterThan(0);
    expect(v.workingset_activate_file).toBeLessThanOrEqual(v.workingset_refault_file);
    // memhog -r2 touches its memory twice: what went to swap in the first pass comes back.
    run("memhog -r2 1300M > /dev/null 2>&1");
    const w = nums(run("cat /proc/vmstat"));
    expect(w.pswpin).toBeGreaterThan(0);
    expect(w.workingset_refault_anon).toBeGreaterThan(0);
    expect(w.workingset_refault_anon).toBeLessThanOrEqual(w.pswpin);
  });

  it("runs scripts/swap-pressure.sh: si and so move while memhog runs, and all comes back after", () => {
    const script = readFileSync(new URL("../../../scripts/swap-pressure.sh", import.meta.url), "utf8");
    expect(script.split("\n")[0]).toBe("# mmbox -m 512M --disk 1G < scripts/swap-pressure.sh");
    const lines = script.split("\n").filter((l) => l && !l.startsWith("#"));
    const r = runLines(lines, { machine: "vexpress-a9", memory: 512 * MiB, disks: [1024 * MiB] });
    expect(r.status).toBe(0);
    const [before, during, after] = r.output.split(/^== .*\n/m).slice(1);
    expect(before).toMatch(/^Swap: +0 +0 +0$/m);
    // vmstat's samples while memhog runs: pages go out (so, bo) and come back (si, bi).
    const samples = during
      .split("\n")
      .filter((l) => /^ *\d+ +\d+ +\d+/.test(l))
      .slice(1)
      .map((l) => l.trim().split(/\s+/).map(Number));
    expect(samples.length).toBe(3);
    expect(samples.some((c) => c[7] > 0 && c[9] === c[7])).toBe(true);
    expect(samples.some((c) => c[6] > 0 && c[8] === c[6])).toBe(true);
    expect(during).toMatch(/^Swap: +1024 +[1-9]\d* +\d+$/m);
    expect(Number(/^pswpout (\d+)$/m.exec(during)![1])).toBeGreaterThan(131072);
    // What stays in swap is a few MiB: the initramfs root's tmpfs pages that went out (until
    // read), and memhog's pages still under writeback when it exited, which stay in the swap
    // cache (folio_free_swap skips a page under writeback) until reclaim takes them - not
    // memhog's gigabyte.
    const used = Number(/^Swap: +1024 +(\d+) +\d+$/m.exec(after)![1]);
    expect(used).toBeLessThan(16);
    expect(after.trimEnd().endsWith("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority")).toBe(true);
  });

  it("reads 2^page-cluster slots around a swap fault: one at 0, up to 8 at 3", () => {
    const counts = (cluster: number): { pswpin: number; major: number } => {
      const run = session([1024 * MiB]);
      run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
      run(`echo ${cluster} > /proc/sys/vm/page-cluster`);
      const v0 = nums(run("cat /proc/vmstat"));
      run("memhog -r2 1200M > /dev/null 2>&1");
      const v = nums(run("cat /proc/vmstat"));
      return { pswpin: v.pswpin - v0.pswpin, major: v.pgmajfault - v0.pgmajfault };
    };
    const none = counts(0);
    expect(none.major).toBeGreaterThan(1000);
    // Each fault reads its one page; a few more reads are tmpfs files read(2) back from swap.
    expect(none.pswpin - none.major).toBeGreaterThanOrEqual(0);
    expect(none.pswpin - none.major).toBeLessThan(10);
    const eight = counts(3);
    expect(eight.pswpin).toBeGreaterThan(2 * eight.major);
    // At most 8 a fault, and 8 for each of the few tmpfs read(2)s as above.
    expect(eight.pswpin).toBeLessThanOrEqual(8 * (eight.major + 10));
  });
});
