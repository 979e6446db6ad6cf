/*
 * Swap on zram: mkswap, swapon, /proc/swaps, anonymous memory pushed out
 * under pressure and read back intact, swapoff bringing every page home,
 * and the errors of each step. The invariant checker runs after every line.
 */

import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { sys_cpu_access } from "../../../src/kernel/mm/fault.js";
import { mmput } from "../../../src/kernel/mm/mmap.js";
import { pte_get, pte_pfn, pte_present } from "../../../src/kernel/mm/pgtable.js";
import { try_to_free_pages } from "../../../src/kernel/mm/vmscan.js";
import { PlainSession } from "../../../src/plain/run.js";
import { anon_task, BASE } from "../../helpers/fragment.js";
import { procNums } from "../../helpers/machine.js";

function session(
  machine: "vexpress-a9" | "pc" = "vexpress-a9",
  memory?: number,
): { run: (l: string) => string; s: PlainSession } {
  const s = new PlainSession({ machine, memory });
  return {
    s,
    run: (line: string) => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    },
  };
}

const SETUP = "echo 256M > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null && swapon /dev/zram0";

describe("swap on zram", () => {
  it("is prepared by mkswap and swapon, and listed in /proc/swaps", () => {
    const { run } = session();
    expect(run("cat /proc/swaps")).toBe("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    expect(run("cat /sys/block/zram0/comp_algorithm")).toBe("lzo [lzo-rle] lz4 lz4hc zstd \n");
    expect(run("echo 256M > /sys/block/zram0/disksize")).toMatch(
      /zram0: detected capacity change from 0 to 524288\n$/,
    );
    expect(run("mkswap /dev/zram0")).toMatch(
      // (The first read of /dev/urandom, the UUID's, seeds the CRNG: the kernel logs it.)
      /^Setting up swapspace version 1, size = 268431360 bytes\n\[ *[\d.]+\] random: crng init done\nUUID=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/,
    );
    expect(run('swapon /dev/zram0; echo "rc=$?"')).toMatch(
      /Adding 262140k swap on \/dev\/zram0\. {2}Priority:-2 extents:1 across:262140k SSFS\nrc=0\n$/,
    );
    expect(run("cat /proc/swaps")).toBe(
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/zram0                              partition\t262140\t\t0\t\t-2\n",
    );
    expect(run("free | tail -1")).toBe("Swap:        262140           0      262140\n");
  });

  it("says what is wrong, as BusyBox and the kernel do", () => {
    const { run } = session();
    expect(run('echo 64M > /sys/block/zram0/disksize; swapon /dev/zram0; echo "rc=$?"')).toMatch(
      /Unable to find swap-space signature\nswapon: \/dev\/zram0: Invalid argument\nrc=1\n$/,
    );
    expect(run("echo 128M > /sys/block/zram0/disksize")).toBe("sh: write error: Device or resource busy\n");
    run("mkswap /dev/zram0 > /dev/null; swapon /dev/zram0");
    expect(run('swapon /dev/zram0; echo "rc=$?"')).toBe(
      "swapon: /dev/zram0: Device or resource busy\nrc=1\n",
    );
    expect(run('swapon /nosuch; echo "rc=$?"')).toBe("swapon: /nosuch: No such file or directory\nrc=1\n");
    expect(run(': > /tmp/f; swapon /tmp/f; echo "rc=$?"')).toBe("swapon: /tmp/f: Invalid argument\nrc=1\n");
    expect(run('swapoff /tmp/f; echo "rc=$?"')).toBe("swapoff: /tmp/f: Invalid argument\nrc=1\n");
    expect(run('mkswap /nosuch; echo "rc=$?"')).toBe(
      "mkswap: can't open '/nosuch': No such file or directory\nrc=1\n",
    );
  });

  it("takes anonymous memory past RAM, and swapoff brings every page back", () => {
    const { run } = session("vexpress-a9", 512 * 1024 * 1024);
    run(SETUP);
    run("hog 600M 10M hold > /tmp/hog.log &");
    run("sleep 3");
    expect(run("tail -1 /tmp/hog.log")).toMatch(/^hog\[\d+\]: holding 600 MiB\n$/);
    const swaps = run("cat /proc/swaps");
    const used = Number(/partition\t262140\t\t(\d+)/.exec(swaps)![1]);
    expect(used).toBeGreaterThan(50_000);
    expect(run("grep -E 'pswpout|pgsteal_anon' /proc/vmstat")).toMatch(
      /^pswpout [1-9]\d+\npgsteal_anon [1-9]\d+\n$/,
    );
    // zram holds the hog's mostly-0x5a pages in a few dozen bytes each.
    const mm = run("cat /sys/block/zram0/mm_stat").trim().split(/\s+/).map(Number);
    expect(mm[0]).toBeGreaterThan(used * 1024 * 0.9);
    expect(mm[1]).toBeLessThan(mm[0] / 20);
    run("kill %1; wait");
    // With the hog gone, what is left in swap belongs to init and the shell; swapoff takes it back.
    expect(run('swapoff /dev/zram0; echo "rc=$?"')).toBe("rc=0\n");
    expect(run("cat /proc/swaps")).toBe("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    expect(run("grep -E '^(SwapTotal|SwapFree|SwapCached)' /proc/meminfo")).toBe(
      "SwapCached:            0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n",
    );
  });
});

describe("a page swapped out and back", () => {
  it("keeps its contents (its content tag)", () => {
    const s = new PlainSession({ machine: "pc" });
    s.line(SETUP);
    const k: Kernel = s.m.k;
    const N = 64;
    // A task of its own with N written pages at BASE (distinct contents).
    const { t, mm } = anon_task(k, 7000, N);
    const tags = Array.from({ length: N }, (_, i) => k.mem.getTag(pte_pfn(pte_get(k, mm, BASE + i * 4096))));
    expect(new Set(tags).size).toBe(N);
    // Reclaim until every page of ours is out (their young bits need two passes to age).
    for (let round = 0; round < 200 && pte_present(pte_get(k, mm, BASE + (N - 1) * 4096)); round++)
      try_to_free_pages(k, 0xcc0, 0, 3);
    const out = Array.from({ length: N }, (_, i) => pte_present(pte_get(k, mm, BASE + i * 4096))).filter(
      (p) => !p,
    ).length;
    expect(out).toBeGreaterThan(N / 2);
    expect(mm.rss[2]).toBe(out); // MM_SWAPENTS
    check_vm(k);
    const back = { addr: BASE, len: N * 4096 };
    while (typeof sys_cpu_access(k, t, back) === "symbol");
    expect(
      Array.from({ length: N }, (_, i) => k.mem.getTag(pte_pfn(pte_get(k, mm, BASE + i * 4096)))),
    ).toEqual(tags);
    expect(mm.rss[2]).toBe(0);
    check_vm(k);
    k.sched.tasks.delete(t.pid);
    t.mm = null;
    mmput(k, mm);
    check_vm(k);
  });
});

describe("swap-in from zram (SWP_SYNCHRONOUS_IO)", () => {
  it("reads a page only one PTE refers to straight into a private page: no swap cache, no readahead, the slot freed", () => {
    const { run } = session("vexpress-a9", 256 * 2 ** 20);
    run(SETUP);
    run(
      [
        "cat > /tmp/z.run <<'EOF'",
        "buf = mmap 64M rw",
        "write buf 64M",
        "sleep 5s",
        "read buf 64M",
        "show status VmSwap",
        "EOF",
      ].join("\n"),
    );
    run("run /tmp/z.run > /tmp/z.out & P=$!");
    run("sleep 1");
    // Push the 64M out while it sleeps.
    run("memhog 220M > /dev/null");
    const before = procNums(run("cat /proc/vmstat"));
    const cached = procNums(run("cat /proc/meminfo")).SwapCached / 4;
    const swapped = procNums(run("cat /proc/$P/status")).VmSwap / 4;
    expect(swapped).toBeGreaterThan(1000);
    run("wait $P");
    const after = procNums(run("cat /proc/vmstat"));
    // Each swapped page read once (but those still in the swap cache), nothing read ahead, nothing
    // left in the swap cache.
    expect(after.pswpin - before.pswpin).toBeLessThanOrEqual(swapped);
    expect(after.pswpin - before.pswpin).toBeGreaterThanOrEqual(swapped - cached);
    expect(after.swap_ra - before.swap_ra).toBe(0);
    // (The buffer is all back; what VmSwap still shows is the program's other pages.)
    expect(procNums(run("cat /tmp/z.out")).VmSwap).toBeLessThan(100);
    // The reads left nothing in the swap cache.
    expect(procNums(run("cat /proc/meminfo")).SwapCached / 4).toBeLessThanOrEqual(cached);
  });
});

describe("swap-in by a read, then a write (should_try_to_free_swap, 6.1)", () => {
  it("a read leaves the page in the swap cache with its slot; the write frees the slot and reuses the page; munmap drops the rest", () => {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 256 * 2 ** 20, disks: [512 * 2 ** 20] });
    const run = (l: string): string => {
      s.line(l);
      s.m.checkInvariants();
      return s.take();
    };
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    run(
      [
        "cat > /tmp/rw.run <<'EOF'",
        "buf = mmap 32M rw",
        "write buf 32M",
        "sleep 5s",
        "read buf 16M",
        "show /proc/meminfo SwapCached",
        "show /proc/vmstat pgreuse",
        "write buf 8M",
        "show /proc/meminfo SwapCached",
        "show /proc/vmstat pgreuse",
        "munmap buf 32M",
        "show /proc/meminfo SwapCached",
        "EOF",
      ].join("\n"),
    );
    run("run /tmp/rw.run > /tmp/rw.out & P=$!");
    run("sleep 1");
    run("memhog 230M > /dev/null");
    const swapped = procNums(run("cat /proc/$P/status")).VmSwap;
    expect(swapped).toBeGreaterThan(16384);
    run("wait $P");
    const [cachedRead, reuseRead, cachedWrite, reuseWrite, cachedGone] = run("cat /tmp/rw.out")
      .trim()
      .split("\n")
      .map((l) => Number(/(\d+)/.exec(l)![1]));
    // 16M read back: those pages stay in the swap cache (clean copies of their slots).
    expect(cachedRead).toBeGreaterThan(12 * 1024);
    // 8M of them written: each leaves the swap cache and is reused in place (pgreuse), not copied.
    expect(cachedRead - cachedWrite).toBeGreaterThan(6 * 1024);
    expect(reuseWrite - reuseRead).toBeGreaterThan(1536);
    // Unmapped, the rest of the cached pages go with their slots (free_pages_and_swap_cache).
    expect(cachedGone).toBeLessThan(cachedWrite - 6 * 1024);
  });
});
