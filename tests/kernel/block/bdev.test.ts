/*
 * The page cache of a block device: reads fill it (Buffers) with readahead
 * and a second read costs no I/O; writes dirty it (Dirty), sync writes it
 * back (Writeback, then clean) and drop_caches drops only clean pages;
 * the last close writes everything back and drops the cache, as
 * blkdev_put does; the data survives all of it. Invariants after each line.
 */

import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";

const MiB = 2 ** 20;

function session(memory = 256 * MiB) {
  const s = new PlainSession({ machine: "vexpress-a9", memory, disks: [512 * MiB] });
  return (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
}

const kB = (out: string, name: string): number =>
  Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(out)![1]);
const MEMINFO = "grep -E '^(MemFree|Buffers|Cached|Dirty|Writeback):' /proc/meminfo";
/** reads completed, sectors read, writes completed, sectors written (/sys/block/vda/stat). */
const stat = (run: (l: string) => string): number[] => {
  const f = run("cat /sys/block/vda/stat").trim().split(/\s+/).map(Number);
  return [f[0], f[2], f[4], f[6]];
};

describe("the block device page cache", () => {
  it("keeps what was read while the device is open, reads it once, and drop_caches empties it", () => {
    const run = session();
    run("exec 3</dev/vda");
    // Free memory counting the pages on the per-CPU lists (MemFree does not: dd's 1 MiB buffer
    // comes from them and goes back to them).
    const free = (): number => {
      const pcp = run("grep -E '^ +count:' /proc/zoneinfo").match(/\d+/g)!.map(Number);
      return kB(run(MEMINFO), "MemFree") + 4 * pcp.reduce((a, b) => a + b, 0);
    };
    const m0 = run(MEMINFO);
    const f0 = free();
    run("dd if=/dev/vda of=/dev/null bs=1M count=16 2>/dev/null");
    const m1 = run(MEMINFO);
    const f1 = free();
    expect(kB(m1, "Buffers") - kB(m0, "Buffers")).toBe(16 * 1024);
    // (less a page or two the shell and dd gave back meanwhile)
    expect(f0 - f1).toBeGreaterThanOrEqual(16 * 1024 - 16);
    // Readahead: 128 KiB requests, merged while queued into 1 MiB ones.
    expect(stat(run)).toEqual([16, 32768, 0, 0]);
    run("dd if=/dev/vda of=/dev/null bs=1M count=16 2>/dev/null");
    expect(stat(run)).toEqual([16, 32768, 0, 0]);
    // The second read found every page: they moved to the active list.
    expect(run("grep -E '^(Active|Inactive)\\(file\\)' /proc/meminfo")).toMatch(
      /Active\(file\):\s+1[67]\d{3} kB/,
    );
    run("echo 1 > /proc/sys/vm/drop_caches");
    expect(kB(run(MEMINFO), "Buffers")).toBe(0);
  });

  it("dirties on write, keeps dirty pages through drop_caches, and writes them back on sync", () => {
    const run = session();
    run("exec 3</dev/vda");
    run("dd if=/dev/zero of=/dev/vda bs=1M count=8 2>/dev/null");
    const m1 = run(MEMINFO);
    expect(kB(m1, "Dirty")).toBe(8 * 1024);
    expect(kB(m1, "Buffers")).toBe(8 * 1024);
    expect(stat(run)[2]).toBe(0);
    run("echo 1 > /proc/sys/vm/drop_caches");
    expect(kB(run(MEMINFO), "Dirty")).toBe(8 * 1024);
    run("sync");
    const m2 = run(MEMINFO);
    expect(kB(m2, "Dirty")).toBe(0);
    expect(kB(m2, "Writeback")).toBe(0);
    // 2048 pages in requests of at most 1 MiB.
    expect(stat(run).slice(2)).toEqual([8, 16384]);
    expect(run("grep -E '^nr_(dirtied|written) ' /proc/vmstat")).toBe("nr_dirtied 2048\nnr_written 2048\n");
    run("echo 1 > /proc/sys/vm/drop_caches");
    expect(kB(run(MEMINFO), "Buffers")).toBe(0);
  });

  it("writes back and drops the cache at the last close, and the data is on the disk", () => {
    const run = session();
    run("printf 'hello, disk\\n' | dd of=/dev/vda bs=4096 seek=100 conv=notrunc 2>/dev/null");
    const m = run(MEMINFO);
    expect(kB(m, "Buffers")).toBe(0);
    expect(kB(m, "Dirty")).toBe(0);
    expect(stat(run).slice(2)).toEqual([1, 8]);
    expect(run("dd if=/dev/vda bs=4096 skip=100 count=1 2>/dev/null | head -c 12")).toBe("hello, disk\n");
    // The writer of more than the dirty threshold waits for the disk, and all of it lands.
    const thresh = Number(/nr_dirty_threshold (\d+)/.exec(run("cat /proc/vmstat"))![1]);
    const pages = thresh + 4096;
    const t0 = Number(run("cut -d' ' -f1 /proc/uptime"));
    run(`dd if=/dev/zero of=/dev/vda bs=4096 count=${pages} 2>/dev/null`);
    const t1 = Number(run("cut -d' ' -f1 /proc/uptime"));
    // virtio's model: 8 us a page streamed.
    expect(t1 - t0).toBeGreaterThan(pages * 8e-6 * 0.9);
    expect(run("grep -E '^nr_written ' /proc/vmstat")).toBe(`nr_written ${pages + 1}\n`);
  });
});
