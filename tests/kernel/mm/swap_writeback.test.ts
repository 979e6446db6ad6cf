/*
 * Swap-outs in flight: on a disk, a page reclaim writes stays in the swap
 * cache under writeback until the request completes (end_swap_bio_write),
 * then goes to the tail of the inactive list (folio_rotate_reclaimable:
 * pgrotated) for a later scan to free; on zram the write is done at once and
 * the page is freed by the same scan. Both count nr_vmscan_write and
 * nr_written. Pages still being written when their owner exits stay in the
 * swap cache (SwapCached) until reclaim or swapoff needs them.
 */

import { describe, expect, it } from "vitest";
import { session as boot, procNums } from "../../helpers/machine.js";

const MiB = 2 ** 20;

function machine(swap: "disk" | "zram"): (line: string) => string {
  const s = boot({ memory: 256 * MiB, disks: [512 * MiB] });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  if (swap === "zram")
    run("echo 512M > /sys/block/zram0/disksize; mkswap /dev/zram0 > /dev/null; swapon /dev/zram0");
  else run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
  return run;
}

const vmstat = (run: (l: string) => string): Record<string, number> => procNums(run("cat /proc/vmstat"));
const meminfo = (run: (l: string) => string): Record<string, number> => procNums(run("cat /proc/meminfo"));

describe("swap writeback", () => {
  it("on a disk: written pages wait in the swap cache, rotate when done, and are freed by a later scan", () => {
    const run = machine("disk");
    run("memhog 400M > /dev/null 2>&1");
    const v = vmstat(run);
    expect(v.pswpout).toBeGreaterThan(40_000);
    // Every page reclaim wrote counts once in nr_vmscan_write and, done, in nr_written.
    expect(v.nr_vmscan_write).toBe(v.pswpout);
    expect(v.nr_written).toBeGreaterThanOrEqual(v.pswpout);
    // Pages reclaim had written came back to the inactive tail when their write completed.
    expect(v.pgrotated).toBeGreaterThan(v.pswpout / 2);
    expect(v.pgrotated).toBeLessThanOrEqual(v.pswpout);
    // The pages reclaimed were freed by scans after their writes: each was scanned at least
    // three times (referenced, written, freed).
    expect(v.pgscan_kswapd + v.pgscan_direct).toBeGreaterThanOrEqual(
      3 * (v.pgsteal_kswapd + v.pgsteal_direct),
    );
    // memhog is gone: what was still being written when it exited is left in the swap cache,
    // clean (no writeback left), its slots in use.
    const m = meminfo(run);
    expect(m.Writeback).toBe(0);
    expect(m.SwapCached).toBeGreaterThan(0);
    expect(m.SwapTotal - m.SwapFree).toBeGreaterThanOrEqual(m.SwapCached);
    expect(run('swapoff -a; echo "rc=$?"; grep -E "^(SwapCached|Writeback):" /proc/meminfo')).toBe(
      "rc=0\nSwapCached:            0 kB\nWriteback:             0 kB\n",
    );
  });

  it("on zram: the write is done at once, nothing rotates, and the scan that writes frees", () => {
    const run = machine("zram");
    run("memhog 400M > /dev/null 2>&1");
    const v = vmstat(run);
    expect(v.pswpout).toBeGreaterThan(40_000);
    expect(v.nr_vmscan_write).toBe(v.pswpout);
    expect(v.nr_written).toBeGreaterThanOrEqual(v.pswpout);
    expect(v.pgrotated).toBe(0);
    expect(v.pgscan_kswapd + v.pgscan_direct).toBeLessThan(3 * (v.pgsteal_kswapd + v.pgsteal_direct));
    expect(meminfo(run).Writeback).toBe(0);
  });
});
