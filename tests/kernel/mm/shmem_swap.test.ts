/*
 * tmpfs under memory pressure: its pages go to swap like anonymous memory
 * (shmem_writepage moves them to the swap cache), come back intact when
 * read, written or faulted (a major fault only when a fault waited for the
 * read), give their slots back on unlink, and swapoff brings them home.
 * A new tmpfs page is no major fault. The invariant checker runs after
 * every line.
 */

import { describe, expect, it } from "vitest";
import { checkedRunner, procNums } from "../../helpers/machine.js";

const MiB = 2 ** 20;

function session(memory: number, disks: number[]) {
  return checkedRunner({ machine: "vexpress-a9", memory, disks });
}

const nums = procNums;

/** Three pages of the file, as hexdump shows their first bytes. */
const SAMPLE = [0, 12345, 30000]
  .map((n) => `dd if=/mnt/f bs=4096 skip=${n} count=1 2>/dev/null | hexdump -C | head -2`)
  .join("; ");

describe("tmpfs and swap", () => {
  it("swaps tmpfs pages out under pressure and reads them back intact", () => {
    const run = session(256 * MiB, [512 * MiB]);
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    run("mkdir -p /mnt; mount -t tmpfs -o size=300M tmpfs /mnt");
    run("dd if=/dev/urandom of=/mnt/f bs=1M count=150 2>/dev/null");
    const before = run(SAMPLE);
    const m0 = nums(run("cat /proc/meminfo"));
    expect(m0.Shmem).toBeGreaterThanOrEqual(150 * 1024);
    expect(run("memhog 200M > /dev/null 2>&1; echo rc=$?")).toBe("rc=0\n");
    const v = nums(run("cat /proc/vmstat"));
    const m1 = nums(run("cat /proc/meminfo"));
    // Most of the file went to swap: it is no longer all in memory.
    expect(v.pswpout).toBeGreaterThan(0);
    expect(m1.Shmem).toBeLessThan(m0.Shmem - 50 * 1024);
    expect(m1.SwapFree).toBeLessThan(m1.SwapTotal - 50 * 1024);
    // df still counts the swapped pages as the file's.
    expect(run("df -k /mnt | tail -1")).toMatch(/^tmpfs +307200 +153600 +153600 +50% \/mnt\n$/);
    const v0 = nums(run("cat /proc/vmstat"));
    expect(run(SAMPLE)).toBe(before);
    const v1 = nums(run("cat /proc/vmstat"));
    expect(v1.pswpin).toBeGreaterThan(v0.pswpin);
    // read(2) waits for the swap-in, but it is no fault.
    expect(v1.pgmajfault - v0.pgmajfault).toBeLessThan(3);
    // Unlinked, the file gives its slots back. What stays used is the shell's and init's, and
    // the swap cache's copies: memhog's pages still under writeback when it exited stay there
    // until reclaim takes them (folio_free_swap skips a page under writeback).
    run("rm /mnt/f");
    const m2 = nums(run("cat /proc/meminfo"));
    expect(m2.SwapFree - m1.SwapFree).toBeGreaterThan(50 * 1024);
    expect(m2.SwapTotal - m2.SwapFree - m2.SwapCached).toBeLessThan(8 * 1024);
    expect(m2.Shmem).toBeLessThan(m0.Shmem - 145 * 1024);
  });

  it("counts a new tmpfs page as a minor fault, a swapped one as major", () => {
    const run = session(256 * MiB, [512 * MiB]);
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    run("mkdir -p /mnt; mount -t tmpfs -o size=300M tmpfs /mnt");
    run("dd if=/dev/zero of=/mnt/g bs=1M count=0 seek=100 2>/dev/null");
    const v0 = nums(run("cat /proc/vmstat"));
    run("memhog -f/mnt/g 100M > /dev/null 2>&1");
    const v1 = nums(run("cat /proc/vmstat"));
    // 25600 new pages, none read from anywhere: no major fault (memhog's own binary may take a few).
    expect(v1.pgmajfault - v0.pgmajfault).toBeLessThan(10);
    run("memhog 220M > /dev/null 2>&1");
    const v2 = nums(run("cat /proc/vmstat"));
    expect(v2.pswpout).toBeGreaterThan(0);
    run("memhog -f/mnt/g 100M > /dev/null 2>&1");
    const v3 = nums(run("cat /proc/vmstat"));
    expect(v3.pgmajfault - v2.pgmajfault).toBeGreaterThan(100);
    expect(v3.pgmajfault - v2.pgmajfault).toBeLessThanOrEqual(v3.pswpin - v2.pswpin);
  });

  it("brings tmpfs pages home on swapoff", () => {
    const run = session(256 * MiB, [512 * MiB]);
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    run("mkdir -p /mnt; mount -t tmpfs -o size=300M tmpfs /mnt");
    run("dd if=/dev/urandom of=/mnt/f bs=1M count=100 2>/dev/null");
    const before = run(SAMPLE);
    run("memhog 220M > /dev/null 2>&1");
    expect(nums(run("cat /proc/meminfo")).Shmem).toBeLessThan(90 * 1024);
    expect(run("swapoff /dev/vda; echo rc=$?")).toBe("rc=0\n");
    const m = nums(run("cat /proc/meminfo"));
    expect(m.Shmem).toBeGreaterThanOrEqual(100 * 1024);
    expect(m.SwapTotal).toBe(0);
    expect(run(SAMPLE)).toBe(before);
  });

  it("activates a tmpfs page on its second use by read or write (SGP_WRITE, shmem_file_read_iter)", () => {
    const run = session(256 * MiB, []);
    const lists = () => {
      const m = nums(run("cat /proc/meminfo"));
      return {
        active: m["Active(anon)"],
        inactive: m["Inactive(anon)"],
      };
    };
    const l0 = lists();
    // Four 1 KiB writes per page: the first makes it (referenced), the second activates it.
    run("dd if=/dev/zero of=/tmp/small bs=1k count=4096 2>/dev/null");
    const l1 = lists();
    expect(l1.active - l0.active).toBe(4096);
    // Whole-page writes use each page once: referenced, still inactive.
    run("dd if=/dev/zero of=/tmp/whole bs=4k count=1024 2>/dev/null");
    const l2 = lists();
    expect(l2.active).toBe(l1.active);
    expect(l2.inactive - l1.inactive).toBe(4096);
    // A read from the start of each page is their second use.
    run("cat /tmp/whole > /dev/null");
    const l3 = lists();
    expect(l3.active - l2.active).toBe(4096);
    expect(l3.inactive).toBe(l1.inactive);
  });
});
