/*
 * Swap on a file: a file on an ext2 disk becomes a swap area whose extents
 * are its runs of disk blocks, takes anonymous memory under pressure
 * straight to the disk, gives every page back at swapoff, and is the
 * kernel's while in use (EBUSY, ETXTBSY, EPERM; a swap device's /dev node
 * is not written either). Files with holes and files
 * on tmpfs are refused as 6.1 and BusyBox refuse them; -p and pri= order
 * the areas. The invariant checker runs after every line.
 */

import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { sys_cpu_access } from "../../../src/kernel/mm/fault.js";
import { mmput } from "../../../src/kernel/mm/mmap.js";
import { pte_get, pte_pfn, pte_present } from "../../../src/kernel/mm/pgtable.js";
import { try_to_free_pages } from "../../../src/kernel/mm/vmscan.js";
import type { PlainSession } from "../../../src/plain/run.js";
import { anon_task, BASE } from "../../helpers/fragment.js";
import { session as boot } from "../../helpers/machine.js";

const MiB = 2 ** 20;
const HEAD = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

/** A machine with one 1 GiB disk (vda), ext2 on it with 4 KiB blocks, mounted on /mnt. */
function session(memory = 128 * MiB): { run: (l: string) => string; s: PlainSession } {
  const s = boot({ memory, disks: [1024 * MiB] });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  run("mke2fs -q /dev/vda > /dev/null; mount /dev/vda /mnt");
  return { run, s };
}

/** A swap file of n MiB written with dd (no holes). */
const mkfile = (path: string, n: number): string =>
  `dd if=/dev/zero of=${path} bs=1M count=${n} 2>/dev/null; mkswap ${path} > /dev/null`;

/** The disk's sectors written so far (/sys/block/vda/stat, column 7). */
const written = (run: (l: string) => string): number =>
  Number(run("cat /sys/block/vda/stat").trim().split(/\s+/)[6]);

describe("a swap file on ext2", () => {
  it("maps its blocks as extents, takes memory under pressure, and swapoff brings every page back", () => {
    const { run } = session();
    run(mkfile("/mnt/swap", 64));
    // 16 runs of data between the indirect blocks ext2 puts among them, and the span they cover.
    expect(run('swapon /mnt/swap; echo "rc=$?"')).toMatch(
      /\] Adding 65532k swap on \/mnt\/swap\. {2}Priority:-2 extents:17 across:65600k FS\nrc=0\n$/,
    );
    expect(run("cat /proc/swaps")).toBe(
      `${HEAD}/mnt/swap                               file\t\t65532\t\t0\t\t-2\n`,
    );
    expect(run("free | tail -1")).toBe("Swap:         65532           0       65532\n");
    const before = written(run);
    run("hog 70M 10M hold > /tmp/hog.log & sleep 1");
    run("memhog 50M > /dev/null 2>&1");
    const used = Number(/file\t\t65532\t\t(\d+)/.exec(run("cat /proc/swaps"))![1]);
    // (Pages still being written when memhog exits stay in the swap cache, their slots used.)
    expect(used).toBeGreaterThan(30_000);
    const out = Number(/pswpout (\d+)/.exec(run("grep pswpout /proc/vmstat"))![1]);
    // Used counts the slots waiting in the 4 CPUs' swap slots caches too (2 batches of 64 each).
    expect(out).toBeGreaterThanOrEqual(used / 4 - 4 * 128);
    // The slots went to the disk itself, not through the file's page cache.
    expect(written(run) - before).toBeGreaterThanOrEqual(out * 8);
    expect(run("grep VmSwap /proc/$!/status")).toMatch(/^VmSwap:\t +[1-9]\d+ kB\n$/);
    // Slots whose page is still in memory (the swap cache) come back without a read.
    const cached = Number(/SwapCached: +(\d+) kB/.exec(run("grep SwapCached /proc/meminfo"))![1]);
    expect(run('swapoff /mnt/swap; echo "rc=$?"')).toBe("rc=0\n");
    expect(run("grep VmSwap /proc/$!/status; cat /proc/swaps")).toBe(`VmSwap:\t       0 kB\n${HEAD}`);
    expect(run("grep -E '^Swap' /proc/meminfo")).toBe(
      "SwapCached:            0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n",
    );
    expect(Number(/pswpin (\d+)/.exec(run("grep pswpin /proc/vmstat"))![1])).toBeGreaterThanOrEqual(
      (used - cached) / 4 - 4 * 128,
    );
    // Released: the file can go and the disk be unmounted.
    run("kill %1; wait");
    expect(run('rm /mnt/swap && umount /mnt; echo "rc=$?"')).toMatch(/rc=0\n$/);
  });

  it("keeps a page's contents (its content tag) through the disk", () => {
    const { run, s } = session(64 * MiB);
    run(`${mkfile("/mnt/swap", 16)}; swapon /mnt/swap`);
    const k: Kernel = s.m.k;
    const N = 64;
    // A task of its own with N written pages at BASE (distinct contents).
    const { t, mm } = anon_task(k, 7000, N);
    const tag = (i: number): number => k.mem.getTag(pte_pfn(pte_get(k, mm, BASE + i * 4096)));
    const tags = Array.from({ length: N }, (_, i) => tag(i));
    expect(new Set(tags).size).toBe(N);
    for (let round = 0; round < 200 && pte_present(pte_get(k, mm, BASE + (N - 1) * 4096)); round++)
      try_to_free_pages(k, 0xcc0, 0, 3);
    const out = tags.filter((_, i) => !pte_present(pte_get(k, mm, BASE + i * 4096))).length;
    expect(out).toBeGreaterThan(N / 2);
    expect(mm.rss[2]).toBe(out); // MM_SWAPENTS
    check_vm(k);
    while (typeof sys_cpu_access(k, t, { addr: BASE, len: N * 4096 }) === "symbol");
    expect(Array.from({ length: N }, (_, i) => tag(i))).toEqual(tags);
    k.sched.tasks.delete(t.pid);
    t.mm = null;
    mmput(k, mm);
    check_vm(k);
  });

  it("is the kernel's while in use: EBUSY, ETXTBSY, EPERM, and a busy mount", () => {
    const { run } = session();
    run(`${mkfile("/mnt/swap", 16)}; swapon /mnt/swap`);
    expect(run('swapon /mnt/swap; echo "rc=$?"')).toBe("swapon: /mnt/swap: Device or resource busy\nrc=1\n");
    expect(run("echo x >> /mnt/swap")).toBe("sh: write error: Text file busy\n");
    expect(run("echo x > /mnt/swap")).toBe("sh: can't create /mnt/swap: Text file busy\n");
    expect(run("rm /mnt/swap")).toBe("rm: can't remove '/mnt/swap': Operation not permitted\n");
    expect(run("mv /mnt/swap /mnt/other")).toBe("mv: can't rename '/mnt/swap': Operation not permitted\n");
    expect(run("umount /mnt")).toBe("umount: can't unmount /mnt: Device or resource busy\n");
    // A shared writable mapping would write to it too; reading it is fine.
    run(
      `printf 'fd = open /mnt/swap rw\\np = mmap 4K r shared fd=fd\\nq = mmap 4K rw shared fd=fd\\n' > /tmp/m`,
    );
    expect(run('run /tmp/m; echo "rc=$?"')).toBe("run: /tmp/m:3: mmap: Text file busy\nrc=1\n");
    expect(run("ls -l /mnt/swap")).toMatch(/ 16777216 .* \/mnt\/swap\n$/);
    run("swapoff /mnt/swap");
    expect(run('echo x >> /mnt/swap && rm /mnt/swap && umount /mnt; echo "rc=$?"')).toMatch(/rc=0\n$/);
  });
});

describe("a swap device", () => {
  it("is not written through its /dev node while in use", () => {
    const { run } = session();
    run("umount /mnt; mkswap /dev/vda > /dev/null; swapon /dev/vda");
    expect(
      run('dd if=/dev/zero of=/dev/vda bs=4k count=1 seek=10 conv=notrunc 2>&1 | head -1; echo "rc=$?"'),
    ).toBe("dd: error writing '/dev/vda': Text file busy\nrc=0\n");
    expect(run("swapoff /dev/vda; dd if=/dev/zero of=/dev/vda bs=4k count=1 seek=10 conv=notrunc")).toBe(
      "1+0 records in\n1+0 records out\n",
    );
  });
});

describe("swapon refuses", () => {
  it("a file with holes: BusyBox when blocks are missing, the kernel when one page is", () => {
    const { run } = session();
    run("dd if=/dev/zero of=/mnt/h bs=1M seek=4 count=4 2>/dev/null; mkswap /mnt/h > /dev/null");
    expect(run('swapon /mnt/h; echo "rc=$?"')).toBe("swapon: /mnt/h: file has holes\nrc=1\n");
    // One page missing: the indirect blocks make up for it in st_blocks, so the kernel is asked.
    run("dd if=/dev/zero of=/mnt/g bs=4k count=2000 2>/dev/null");
    run(
      "dd if=/dev/zero of=/mnt/g bs=4k seek=2001 count=2095 conv=notrunc 2>/dev/null; mkswap /mnt/g > /dev/null",
    );
    expect(run('cd /mnt; swapon g; echo "rc=$?"; cd /')).toMatch(
      /\] swapon: file \/mnt\/g has unallocated extents\nswapon: g: Invalid argument\nrc=1\n$/,
    );
    expect(run("cat /proc/swaps; echo x >> /mnt/g; rm /mnt/g")).toBe(HEAD);
  });

  it.each(["/tmp", "/dev/shm"])("a file on tmpfs (%s): EINVAL, and nothing in the log", (dir) => {
    const { run } = session();
    run(`${mkfile(`${dir}/s`, 4)}`);
    const log = run("dmesg | wc -l");
    expect(run(`swapon ${dir}/s; echo "rc=$?"`)).toBe(`swapon: ${dir}/s: Invalid argument\nrc=1\n`);
    expect(run("dmesg | wc -l")).toBe(log);
    expect(run(`cat /proc/swaps; rm ${dir}/s`)).toBe(HEAD);
  });
});

describe("priorities", () => {
  it("-p puts an area first, and it fills before the others", () => {
    const { run } = session();
    run(`${mkfile("/mnt/a", 8)}; ${mkfile("/mnt/b", 64)}; ${mkfile("/mnt/c", 64)}`);
    expect(run("swapon /mnt/c; swapon -p 5 /mnt/b; swapon -p 10 /mnt/a").replace(/^\[[ \d.]+\] /gm, "")).toBe(
      "Adding 65532k swap on /mnt/c.  Priority:-2 extents:18 across:67664k FS\n" +
        "Adding 65532k swap on /mnt/b.  Priority:5 extents:17 across:65600k FS\n" +
        "Adding 8188k swap on /mnt/a.  Priority:10 extents:3 across:8200k FS\n",
    );
    run("hog 100M 10M hold > /tmp/hog.log & sleep 2");
    // a (10) is full, b (5) takes the rest, c (-2) nothing. (A few of a's slots can be free
    // again: tmpfs pages that went there and were read back, hog's log among them.)
    const used = run("tr -s ' \t' ' ' < /proc/swaps | cut -d' ' -f1,4,5").replace(/^\[.*\n/gm, "");
    expect(used).toMatch(
      /^Filename Used Priority\n\/mnt\/c 0 -2\n\/mnt\/b [1-9]\d+ 5\n\/mnt\/a 8[01]\d\d 10\n$/,
    );
    run("kill %1; wait; swapoff -a");
    expect(run("cat /proc/swaps")).toBe(HEAD);
  });

  it("areas of equal priority take slots in turn", () => {
    const { run } = session();
    // Without randomisation: how much hog pushes out in 2 seconds follows the layout ASLR draws.
    run("echo 0 > /proc/sys/kernel/randomize_va_space");
    run(`${mkfile("/mnt/a", 64)}; ${mkfile("/mnt/b", 64)}; swapon -p 5 /mnt/a; swapon -p 5 /mnt/b`);
    run("hog 100M 10M hold > /tmp/hog.log & sleep 2");
    const used = run("tr -s ' \t' ' ' < /proc/swaps | cut -d' ' -f1,4,5");
    const m = /^Filename Used Priority\n\/mnt\/a (\d+) 5\n\/mnt\/b (\d+) 5\n$/.exec(used);
    expect(m).not.toBeNull();
    // Batches of 64 slots from each in turn: both grew by about the same.
    const [a, b] = [Number(m![1]), Number(m![2])];
    expect(a).toBeGreaterThan(5_000);
    expect(Math.abs(a - b)).toBeLessThan(a / 20);
    run("kill %1; wait; swapoff -a");
    expect(run("cat /proc/swaps")).toBe(HEAD);
  });

  it("automatic priorities close up at swapoff; pri= in /etc/fstab sets one for swapon -a", () => {
    const { run } = session();
    run(`${mkfile("/mnt/a", 4)}; ${mkfile("/mnt/b", 4)}; ${mkfile("/mnt/c", 4)}`);
    run("swapon /mnt/a; swapon /mnt/b; swapon /mnt/c; swapoff /mnt/a");
    expect(run("tr -s ' \t' ' ' < /proc/swaps | cut -d' ' -f1,5")).toBe(
      "Filename Priority\n/mnt/b -2\n/mnt/c -3\n",
    );
    run("printf '/mnt/a none swap sw,pri=7 0 0\\n/mnt/b none swap pri=x 0 0\\n' > /etc/fstab");
    expect(run('swapon -a; echo "rc=$?"; tr -s " \t" " " < /proc/swaps | cut -d" " -f1,5')).toMatch(
      /Priority:7 extents:2 across:4096k FS\nrc=0\nFilename Priority\n\/mnt\/a 7\n\/mnt\/b -2\n\/mnt\/c -3\n$/,
    );
    expect(run('swapoff -a; echo "rc=$?"; cat /proc/swaps')).toBe(`rc=0\n${HEAD}`);
  });

  it("keeps Debian's usage text, which does not name -p", () => {
    const { run } = session();
    expect(run("swapon 2>&1 | tail -8")).toBe(
      "Usage: swapon [-a] [-e] [-d[POL]] [DEVICE]\n\nStart swapping on DEVICE\n\n" +
        "\t-a\tStart swapping on all swap devices\n\t-d[POL]\tDiscard blocks at swapon (POL=once),\n" +
        "\t\tas freed (POL=pages), or both (POL omitted)\n\t-e\tSilently skip devices that do not exist\n",
    );
  });
});
