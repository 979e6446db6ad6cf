/*
 * Transparent huge pages (mm/huge_memory.c) on -M pc: anonymous huge
 * faults, fork and COW on a huge PMD, partial unmaps and the deferred split
 * queue, mremap, MADV_FREE, KSM, defrag, reclaim splitting a THP before it
 * goes to swap. The sysfs files, khugepaged and the `cow` session have
 * files of their own.
 */

import { describe, expect, it } from "vitest";
import { pc, program, THP } from "../../helpers/thp.js";

describe("anonymous THP faults", () => {
  it("maps an aligned 2 MiB with one huge PMD; fork shares it; a COW write and a partial munmap split it", () => {
    const run = pc();
    run(
      program("/tmp/p", [
        "m = mmap 8M rw at=0x40000000",
        "write m 3M",
        'print "== touched 3M: two THPs"',
        "show smaps_rollup Rss AnonHugePages",
        "show /proc/meminfo AnonPages AnonHugePages",
        "show /proc/vmstat thp_fault_alloc nr_anon_transparent",
        "read m+4M 2M",
        'print "== read 2M more: the huge zero page"',
        "show smaps_rollup Rss AnonHugePages",
        "show /proc/vmstat thp_zero_page_alloc",
        "child = fork",
        "  write m 4K 0x22",
        '  print "== child wrote 4K: its PMD split, one page copied"',
        "  show smaps_rollup Rss Pss AnonHugePages",
        "  show /proc/vmstat thp_split_pmd",
        "end",
        "wait child",
        'print "== parent after the child exited"',
        "show smaps_rollup Rss Pss AnonHugePages",
        "munmap m+1M 1M",
        'print "== munmap of half a THP: split PMD, deferred split"',
        "show smaps_rollup Rss AnonHugePages",
        "show /proc/meminfo AnonPages AnonHugePages",
        "show /proc/vmstat thp_split_pmd thp_deferred thp_split_page",
        "ctl = open /proc/sys/vm/drop_caches w",
        "fwrite ctl 1 0x32",
        "close ctl",
        'print "== drop_caches 2: the deferred_split shrinker splits it"',
        "show /proc/vmstat thp_split_page",
        "show smaps_rollup Rss AnonHugePages",
      ]),
    );
    expect(run("run /tmp/p")).toBe(
      [
        "== touched 3M: two THPs",
        "Rss:                4740 kB",
        "AnonHugePages:      4096 kB",
        "AnonPages:          4240 kB",
        "AnonHugePages:      4096 kB",
        "nr_anon_transparent_hugepages 2",
        "thp_fault_alloc 2",
        "== read 2M more: the huge zero page",
        "Rss:                4740 kB",
        "AnonHugePages:      4096 kB",
        "thp_zero_page_alloc 1",
        "thp_zero_page_alloc_failed 0",
        "== child wrote 4K: its PMD split, one page copied",
        "Rss:                4152 kB",
        "Pss:                2078 kB",
        "AnonHugePages:      2048 kB",
        "thp_split_pmd 1",
        "== parent after the child exited",
        "Rss:                4740 kB",
        "Pss:                4737 kB",
        "AnonHugePages:      4096 kB",
        "== munmap of half a THP: split PMD, deferred split",
        "Rss:                3716 kB",
        "AnonHugePages:      2048 kB",
        "AnonPages:          3216 kB",
        "AnonHugePages:      2048 kB",
        "thp_split_page 0",
        "thp_split_page_failed 0",
        "thp_deferred_split_page 1",
        "thp_split_pmd 2",
        "[    1.415179] run (55): drop_caches: 2",
        "== drop_caches 2: the deferred_split shrinker splits it",
        "thp_split_page 1",
        "thp_split_page_failed 0",
        "Rss:                3716 kB",
        "AnonHugePages:      2048 kB",
        "",
      ].join("\n"),
    );
  });

  it("follows enabled (always, madvise, never), MADV_HUGEPAGE and MADV_NOHUGEPAGE", () => {
    const run = pc();
    // Without randomisation: a randomised program break can fall inside the fixed area at
    // 0x40000000, and smaps would then name it [heap].
    run("echo 0 > /proc/sys/kernel/randomize_va_space");
    run(
      program("/tmp/p", [
        "a = mmap 4M rw at=0x40000000",
        "b = mmap 4M rw at=0x40800000",
        "madvise b 4M hugepage",
        "c = mmap 4M rw at=0x41000000",
        "madvise c 4M nohugepage",
        "write a 4M",
        "write b 4M",
        "write c 4M",
        "show smaps",
      ]),
    );
    const areas =
      "run /tmp/p | grep -E '^4[01]|^AnonHugePages|^THPeligible|^VmFlags' | grep -A3 '^4[01]' | grep -v '^--'";
    const hugepages = (a: number, b: number): string =>
      [
        "40000000-40400000 rw-p 00000000 00:00 0 ",
        `AnonHugePages:   ${String(a * 4096).padStart(7)} kB`,
        `THPeligible:    ${a}`,
        "VmFlags: rd wr mr mw me ac sd ",
        "40800000-40c00000 rw-p 00000000 00:00 0 ",
        `AnonHugePages:   ${String(b * 4096).padStart(7)} kB`,
        `THPeligible:    ${b}`,
        "VmFlags: rd wr mr mw me ac sd hg ",
        "41000000-41400000 rw-p 00000000 00:00 0 ",
        "AnonHugePages:         0 kB",
        "THPeligible:    0",
        "VmFlags: rd wr mr mw me ac sd nh ",
        "",
      ].join("\n");
    expect(run(areas)).toBe(hugepages(1, 1));
    expect(run(`echo madvise > ${THP}/enabled; ${areas}`)).toBe(hugepages(0, 1));
    expect(run(`echo never > ${THP}/enabled; ${areas}`)).toBe(hugepages(0, 0));
    expect(run("grep thp_fault_alloc /proc/vmstat")).toBe("thp_fault_alloc 6\n");
  });
});

describe("the huge zero page", () => {
  it("is allocated at the first read fault, kept while in use, freed by its shrinker when not", () => {
    const run = pc();
    run(
      program("/tmp/r", ["m = mmap 4M r at=0x40000000", "read m 4M", "show smaps_rollup Rss AnonHugePages"]),
    );
    const zero = "grep thp_zero_page_alloc /proc/vmstat";
    // Read faults map it (no RSS, no AnonHugePages); a second process finds it allocated.
    expect(run(`run /tmp/r; run /tmp/r; ${zero}`)).toBe(
      // (the two runs' stacks sit at different ASLR offsets, which may touch one page more or less)
      "Rss:                 644 kB\nAnonHugePages:         0 kB\nRss:                 644 kB\nAnonHugePages:         0 kB\n" +
        "thp_zero_page_alloc 1\nthp_zero_page_alloc_failed 0\n",
    );
    // Nothing maps it now: drop_caches 2 (every shrinker) frees it, and the next use allocates it again.
    expect(run(`echo 2 > /proc/sys/vm/drop_caches; run /tmp/r > /dev/null; ${zero}`)).toMatch(
      /drop_caches: 2\nthp_zero_page_alloc 2\nthp_zero_page_alloc_failed 0\n$/,
    );
  });
});

describe("memhog", () => {
  it("gets THPs, and none with -H (MADV_NOHUGEPAGE)", () => {
    const run = pc();
    const faults = "grep -E 'thp_fault_alloc|thp_split_pmd' /proc/vmstat";
    expect(run(`memhog -H 50M; ${faults}`)).toBe(".....\nthp_fault_alloc 0\nthp_split_pmd 0\n");
    expect(run(`memhog 50M; ${faults}`)).toBe(".....\nthp_fault_alloc 24\nthp_split_pmd 0\n");
  });
});

describe("mremap", () => {
  it("moves a huge PMD whole to an aligned place (move_huge_pmd), and splits it otherwise", () => {
    const run = pc();
    run(
      program("/tmp/p", [
        "m = mmap 4M rw at=0x40000000",
        "write m 4M 0x5a",
        "n = mremap m 4M 4M at=0x50000000",
        "show smaps_rollup AnonHugePages",
        "show /proc/vmstat thp_split_pmd",
        "o = mremap n 4M 4M at=0x60001000",
        "show smaps_rollup AnonHugePages",
        "show /proc/vmstat thp_split_pmd",
        "faults",
        "read o 4M",
        "faults",
      ]),
    );
    expect(run("run /tmp/p")).toBe(
      [
        "AnonHugePages:      4096 kB",
        "thp_split_pmd 0",
        "AnonHugePages:         0 kB",
        "thp_split_pmd 2",
        // every page moved with its mapping: reading them takes no fault
        "minflt=26 majflt=0",
        "minflt=26 majflt=0",
        "",
      ].join("\n"),
    );
  });
});

describe("MADV_FREE", () => {
  it("makes a THP only this PMD maps lazily freeable whole, and splits one it covers in part", () => {
    const run = pc();
    run(
      program("/tmp/p", [
        "m = mmap 4M rw at=0x40000000",
        "write m 4M 0x5a",
        "madvise m 2M free",
        "madvise m+2M 1M free",
        "show smaps_rollup AnonHugePages LazyFree",
        "show /proc/vmstat thp_split_pmd thp_split_page",
      ]),
    );
    expect(run("run /tmp/p")).toBe(
      [
        "LazyFree:           3072 kB",
        "AnonHugePages:      2048 kB",
        "thp_split_page 1",
        "thp_split_page_failed 0",
        "thp_split_pmd 1",
        "",
      ].join("\n"),
    );
  });
});

describe("KSM", () => {
  it("splits the THPs whose pages it merges (try_to_merge_one_page)", () => {
    const run = pc();
    run(
      program("/tmp/p", [
        "m = mmap 4M rw at=0x40000000",
        "write m 4M 0x5a",
        "madvise m 4M mergeable",
        "sleep 3s",
        "show ksm_merging_pages",
        "show smaps_rollup AnonHugePages",
        "show /proc/vmstat thp_split_page thp_split_pmd",
      ]),
    );
    expect(
      run(`echo 1000 > /sys/kernel/mm/ksm/pages_to_scan; echo 1 > /sys/kernel/mm/ksm/run; run /tmp/p`),
    ).toBe(
      [
        "1024",
        "AnonHugePages:         0 kB",
        "thp_split_page 2",
        "thp_split_page_failed 0",
        "thp_split_pmd 2",
        "",
      ].join("\n"),
    );
  });
});

describe("defrag", () => {
  it("decides whether a THP fault may stall in direct compaction, or falls back at once", () => {
    const run = pc();
    run("echo 256M > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null && swapon /dev/zram0");
    const counters = (): Record<string, number> =>
      Object.fromEntries(
        run("grep -E '^(thp_fault_alloc|thp_fault_fallback|compact_stall) ' /proc/vmstat")
          .trim()
          .split("\n")
          .map((l) => [l.split(" ")[0], Number(l.split(" ")[1])]),
      );
    // madvise (the default): an area without MADV_HUGEPAGE gets GFP_TRANSHUGE_LIGHT, no compaction.
    run("memhog 300M");
    const light = counters();
    expect(light.compact_stall).toBe(0);
    expect(light.thp_fault_fallback).toBeGreaterThan(0);
    expect(light.thp_fault_alloc).toBeGreaterThan(0);
    // always: every THP fault may reclaim and compact (GFP_TRANSHUGE | __GFP_NORETRY).
    run(`echo always > ${THP}/defrag; memhog 300M`);
    expect(counters().compact_stall).toBeGreaterThan(0);
  });
});

describe("reclaim", () => {
  it("splits a THP before it goes to swap (thp_swpout_fallback, thp_split_page)", () => {
    const run = pc();
    run("echo 256M > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null && swapon /dev/zram0");
    run(
      program("/tmp/hold", ["m = mmap 64M rw", "write m 64M 0x5a", "f = open /tmp/held w create", "pause"]),
    );
    expect(
      run("run /tmp/hold & while [ ! -e /tmp/held ]; do sleep 1; done; grep AnonHuge /proc/meminfo"),
    ).toBe("AnonHugePages:     63488 kB\n");
    expect(
      run(
        "memhog 200M; grep -E 'AnonHuge' /proc/meminfo; grep -E 'thp_(split|swpout|deferred)' /proc/vmstat",
      ),
    ).toBe(
      [
        "....................",
        "AnonHugePages:         0 kB",
        "thp_split_page 61",
        "thp_split_page_failed 0",
        // As in the reference's 191-cat_proc_vmstat.txt, thp_deferred_split_page keeps up with
        // thp_split_page: unmap_folio queues each mapped THP on its way to the split.
        "thp_deferred_split_page 61",
        "thp_split_pmd 61",
        "thp_split_pud 0",
        "thp_swpout 0",
        "thp_swpout_fallback 61",
        "",
      ].join("\n"),
    );
    // Its subpages went to swap one by one: the whole 64 MiB (and some) is swapped out.
    const swapped = run("grep -E 'AnonHugePages|Swap:' /proc/$!/smaps_rollup; kill $!; wait");
    expect(swapped).toMatch(
      /^AnonHugePages: +0 kB\nSwap: +(\d+) kB\n\[1\]\+ {2}Terminated +run \/tmp\/hold\n$/,
    );
    expect(Number(/Swap: +(\d+)/.exec(swapped)?.[1])).toBeGreaterThanOrEqual(65536);
    expect(Number(run("grep pswpout /proc/vmstat").split(" ")[1])).toBeGreaterThanOrEqual(16384);
  });
});
