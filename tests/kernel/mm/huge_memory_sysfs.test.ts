/*
 * /sys/kernel/mm/transparent_hugepage (mm/huge_memory.c hugepage_attr[],
 * mm/khugepaged.c khugepaged_attr[]): 6.1's files, defaults and store
 * checks on -M pc; nothing of it on vexpress-a9, whose kernel has no THP.
 */

import { describe, expect, it } from "vitest";
import { checkedRunner, sh } from "../../helpers/machine.js";
import { MiB, THP } from "../../helpers/thp.js";

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
