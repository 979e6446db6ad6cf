/*
 * Transparent huge pages (mm/huge_memory.c): the sysfs knobs, anonymous
 * huge faults, fork and COW on a huge PMD, partial unmaps and the deferred
 * split queue, reclaim splitting a THP before it goes to swap. On -M pc
 * (THP built in); vexpress-a9's kernel has none of it.
 */

import { describe, expect, it } from "vitest";
import { checkedRunner, sh } from "../../helpers/machine.js";
import { stableRootfs } from "../../helpers/rootfs.js";

const MiB = 1024 * 1024;
const THP = "/sys/kernel/mm/transparent_hugepage";

describe("/sys/kernel/mm/transparent_hugepage", () => {
  it("shows 6.1's defaults and validates writes as the store functions do", () => {
    const run = checkedRunner({ machine: "pc", memory: 256 * MiB });
    expect(run("ls /sys/kernel/mm")).toBe(
      "hugepages             lru_gen               swap\nksm                   numa                  transparent_hugepage\n",
    );
    expect(run(`ls ${THP} ${THP}/khugepaged`)).toBe(
      `${THP}:\ndefrag          hpage_pmd_size  shmem_enabled\nenabled         khugepaged      use_zero_page\n\n` +
        `${THP}/khugepaged:\nalloc_sleep_millisecs  max_ptes_none          pages_collapsed\n` +
        "defrag                 max_ptes_shared        pages_to_scan\n" +
        "full_scans             max_ptes_swap          scan_sleep_millisecs\n",
    );
    expect(run(`cd ${THP}; for f in * khugepaged/*; do [ -f $f ] && echo "$f: $(cat $f)"; done`)).toBe(
      [
        "defrag: always defer defer+madvise [madvise] never",
        "enabled: [always] madvise never",
        "hpage_pmd_size: 2097152",
        "shmem_enabled: always within_size advise [never] deny force",
        "use_zero_page: 1",
        "khugepaged/alloc_sleep_millisecs: 60000",
        "khugepaged/defrag: 1",
        "khugepaged/full_scans: 0",
        "khugepaged/max_ptes_none: 511",
        "khugepaged/max_ptes_shared: 256",
        "khugepaged/max_ptes_swap: 64",
        "khugepaged/pages_collapsed: 0",
        "khugepaged/pages_to_scan: 4096",
        "khugepaged/scan_sleep_millisecs: 10000",
        "",
      ].join("\n"),
    );
    expect(run("echo madvise > enabled; cat enabled; echo defer+madvise > defrag; cat defrag")).toBe(
      "always [madvise] never\nalways defer [defer+madvise] madvise never\n",
    );
    expect(
      run("echo deny > shmem_enabled; cat shmem_enabled; echo 0 > use_zero_page; cat use_zero_page"),
    ).toBe("always within_size advise never [deny] force\n0\n");
    expect(run("echo 511 > khugepaged/max_ptes_none; echo 1 > khugepaged/pages_to_scan; echo $?")).toBe(
      "0\n",
    );
    const bad = [
      "echo sometimes > enabled",
      "echo ' always' > enabled",
      "echo defer+ > defrag",
      "echo 2 > use_zero_page",
      "echo -1 > use_zero_page",
      "echo 512 > khugepaged/max_ptes_none",
      "echo 512 > khugepaged/max_ptes_swap",
      "echo 0 > khugepaged/pages_to_scan",
      "echo 0x10 > khugepaged/scan_sleep_millisecs",
      "echo huge > shmem_enabled",
    ];
    for (const line of bad)
      expect(run(`${line}; echo $?`), line).toBe("sh: write error: Invalid argument\n1\n");
    expect(run("cat enabled defrag use_zero_page khugepaged/max_ptes_none khugepaged/pages_to_scan")).toBe(
      "always [madvise] never\nalways defer [defer+madvise] madvise never\n0\n511\n1\n",
    );
  });

  it("does not exist on vexpress-a9, whose kernel has no THP (nor hugetlb)", () => {
    expect(sh(["ls /sys/kernel/mm"]).output).toBe("ksm      lru_gen  swap\n");
  });
});

/** A -M pc machine (THP on), the invariant checker run after every line. */
const pc = (memory = 256 * MiB): ((line: string) => string) =>
  checkedRunner({ machine: "pc", memory, rootfs: stableRootfs() });

/** The shell line that writes a `run` program to path. */
const program = (path: string, lines: string[]): string => `cat > ${path} <<'EOF'\n${lines.join("\n")}\nEOF`;

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
        "Rss:                4744 kB",
        "AnonHugePages:      4096 kB",
        "AnonPages:          4232 kB",
        "AnonHugePages:      4096 kB",
        "nr_anon_transparent_hugepages 2",
        "thp_fault_alloc 2",
        "== read 2M more: the huge zero page",
        "Rss:                4744 kB",
        "AnonHugePages:      4096 kB",
        "thp_zero_page_alloc 1",
        "thp_zero_page_alloc_failed 0",
        "== child wrote 4K: its PMD split, one page copied",
        "Rss:                4156 kB",
        "Pss:                2080 kB",
        "AnonHugePages:      2048 kB",
        "thp_split_pmd 1",
        "== parent after the child exited",
        "Rss:                4744 kB",
        "Pss:                4741 kB",
        "AnonHugePages:      4096 kB",
        "== munmap of half a THP: split PMD, deferred split",
        "Rss:                3720 kB",
        "AnonHugePages:      2048 kB",
        "AnonPages:          3208 kB",
        "AnonHugePages:      2048 kB",
        "thp_split_page 0",
        "thp_split_page_failed 0",
        "thp_deferred_split_page 1",
        "thp_split_pmd 2",
        "[    1.414754] run (55): drop_caches: 2",
        "== drop_caches 2: the deferred_split shrinker splits it",
        "thp_split_page 1",
        "thp_split_page_failed 0",
        "Rss:                3720 kB",
        "AnonHugePages:      2048 kB",
        "",
      ].join("\n"),
    );
  });

  it("follows enabled (always, madvise, never), MADV_HUGEPAGE and MADV_NOHUGEPAGE", () => {
    const run = pc();
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
        "minflt=27 majflt=0",
        "minflt=27 majflt=0",
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

describe("khugepaged", () => {
  it("collapses 4 KiB pages into a THP once an area may have them, within max_ptes_none", () => {
    const run = pc();
    run(
      program("/tmp/p", [
        "m = mmap 4M rw at=0x40000000",
        "madvise m 4M nohugepage",
        "write m 1M 0x5a",
        "show smaps_rollup Rss AnonHugePages",
        "madvise m 4M hugepage",
        "sleep 1s",
        'print "== after MADV_HUGEPAGE"',
        "show smaps_rollup Rss AnonHugePages",
        "show /proc/vmstat thp_collapse_alloc thp_scan_exceed_none",
        `show ${THP}/khugepaged/pages_collapsed`,
        `show ${THP}/khugepaged/full_scans`,
      ]),
    );
    // The first registered mm wakes khugepaged at once; 768 empty PTEs are too many for 0.
    const before = "Rss:                1672 kB\nAnonHugePages:         0 kB\n== after MADV_HUGEPAGE\n";
    expect(run(`echo 0 > ${THP}/khugepaged/max_ptes_none; run /tmp/p`)).toBe(
      `${before}Rss:                1672 kB\nAnonHugePages:         0 kB\n` +
        "thp_collapse_alloc 0\nthp_collapse_alloc_failed 0\nthp_scan_exceed_none_pte 1\n0\n1\n",
    );
    // With 511 the 256 pages become one THP (RSS grows by the 768 holes); the sysfs store ends
    // khugepaged's 10 s sleep, as khugepaged_sleep_expire = 0 does.
    expect(
      run(
        `echo 511 > ${THP}/khugepaged/max_ptes_none; echo 10000 > ${THP}/khugepaged/scan_sleep_millisecs; run /tmp/p`,
      ),
    ).toBe(
      `${before}Rss:                2696 kB\nAnonHugePages:      2048 kB\n` +
        "thp_collapse_alloc 1\nthp_collapse_alloc_failed 0\nthp_scan_exceed_none_pte 1\n1\n2\n",
    );
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
        "thp_split_page 63",
        "thp_split_page_failed 0",
        // As in the reference's 191-cat_proc_vmstat.txt, thp_deferred_split_page keeps up with
        // thp_split_page: unmap_folio queues each mapped THP on its way to the split.
        "thp_deferred_split_page 63",
        "thp_split_pmd 63",
        "thp_split_pud 0",
        "thp_swpout 0",
        "thp_swpout_fallback 63",
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

describe("cow 50 thp on -M pc -m 1024M", () => {
  it("has the shape of the reference (122-cow_50_thp.txt): 24 THPs, the child's writes split its PMDs only", () => {
    // 48 MiB of the unaligned 50 MiB are THPs (AnonHugePages 49152 kB); the child's write to the
    // first half splits 13 of its 24 PMDs (22528 kB left) and copies 4 KiB pages, one fault each;
    // the parent's PMDs and meminfo's AnonHugePages do not move until the munmap.
    expect(pc(1024 * MiB)("cow 50 thp")).toBe(
      [
        "[parent pid=54] step 0: start",
        "  status: VmRSS=644 kB RssAnon=44 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=644 kB Pss=641 kB Shared_Dirty=0 kB Private_Dirty=640 kB Anonymous=44 kB AnonHugePages=0 kB",
        "  minflt=24 majflt=0",
        "  meminfo: MemFree=942584 kB AnonPages=132 kB AnonHugePages=0 kB",
        "[parent pid=54] step 1: after mmap+touch (THP allowed)",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=51841 kB Shared_Dirty=0 kB Private_Dirty=51840 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=893432 kB AnonPages=51332 kB AnonHugePages=49152 kB",
        "[child pid=55] step 2: after fork, before any write",
        "  status: VmRSS=51256 kB RssAnon=51244 kB RssFile=0 kB RssShmem=12 kB",
        "  smaps_rollup: Rss=51256 kB Pss=25628 kB Shared_Dirty=51256 kB Private_Dirty=0 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=0 majflt=0",
        "  meminfo: MemFree=893192 kB AnonPages=51332 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 2: after fork",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=26213 kB Shared_Dirty=51256 kB Private_Dirty=584 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=893192 kB AnonPages=51332 kB AnonHugePages=49152 kB",
        "[child pid=55] step 3: after child wrote first half",
        "  status: VmRSS=51256 kB RssAnon=51244 kB RssFile=0 kB RssShmem=12 kB",
        "  smaps_rollup: Rss=51256 kB Pss=38428 kB Shared_Dirty=25656 kB Private_Dirty=25600 kB Anonymous=51244 kB AnonHugePages=22528 kB",
        "  minflt=6400 majflt=0",
        "  meminfo: MemFree=867740 kB AnonPages=76932 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 3: after child wrote first half",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=39013 kB Shared_Dirty=25656 kB Private_Dirty=26184 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=867740 kB AnonPages=76932 kB AnonHugePages=49152 kB",
        "[child pid=55] step 4: after child read all pages",
        "  status: VmRSS=51256 kB RssAnon=51244 kB RssFile=0 kB RssShmem=12 kB",
        "  smaps_rollup: Rss=51256 kB Pss=38428 kB Shared_Dirty=25656 kB Private_Dirty=25600 kB Anonymous=51244 kB AnonHugePages=22528 kB",
        "  minflt=6400 majflt=0",
        "  meminfo: MemFree=867740 kB AnonPages=76932 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 5: after child exited",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=51841 kB Shared_Dirty=0 kB Private_Dirty=51840 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=867740 kB AnonPages=51332 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 6: after munmap",
        "  status: VmRSS=644 kB RssAnon=44 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=644 kB Pss=641 kB Shared_Dirty=0 kB Private_Dirty=640 kB Anonymous=44 kB AnonHugePages=0 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=904604 kB AnonPages=132 kB AnonHugePages=0 kB",
        "",
      ].join("\n"),
    );
  });
});
