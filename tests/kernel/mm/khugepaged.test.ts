/*
 * khugepaged (mm/khugepaged.c): 4 KiB pages collapsed into a THP once the
 * area may hold one, within max_ptes_none, on -M pc.
 */

import { describe, expect, it } from "vitest";
import { pc, program, THP } from "../../helpers/thp.js";

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
    const before = "Rss:                1668 kB\nAnonHugePages:         0 kB\n== after MADV_HUGEPAGE\n";
    expect(run(`echo 0 > ${THP}/khugepaged/max_ptes_none; run /tmp/p`)).toBe(
      `${before}Rss:                1668 kB\nAnonHugePages:         0 kB\n` +
        "thp_collapse_alloc 0\nthp_collapse_alloc_failed 0\nthp_scan_exceed_none_pte 1\n0\n1\n",
    );
    // With 511 the 256 pages become one THP (RSS grows by the 768 holes); the sysfs store ends
    // khugepaged's 10 s sleep, as khugepaged_sleep_expire = 0 does.
    expect(
      run(
        `echo 511 > ${THP}/khugepaged/max_ptes_none; echo 10000 > ${THP}/khugepaged/scan_sleep_millisecs; run /tmp/p`,
      ),
    ).toBe(
      "Rss:                1672 kB\nAnonHugePages:         0 kB\n== after MADV_HUGEPAGE\n" +
        "Rss:                2696 kB\nAnonHugePages:      2048 kB\n" +
        "thp_collapse_alloc 1\nthp_collapse_alloc_failed 0\nthp_scan_exceed_none_pte 1\n1\n2\n",
    );
  });
});
