/*
 * The hugetlb pool: nr_hugepages grows the pool from the buddy allocator,
 * compacting when movable pages are in the way and falling short when
 * unmovable ones are; the pool's numbers in /proc/meminfo, /proc/sys/vm and
 * /sys/kernel/mm/hugepages; no such files on the ARM32 kernel, which is
 * built without HUGETLBFS like the reference one.
 */

import { describe, expect, it } from "vitest";
import { check_vm } from "../../../src/kernel/mm/debug_vm.js";
import { default_hstate, set_nr_hugepages } from "../../../src/kernel/mm/hugetlb.js";
import { drain_all_pages } from "../../../src/kernel/mm/page_alloc.js";
import {
  COMPACTSTALL,
  HTLB_BUDDY_PGALLOC,
  HTLB_BUDDY_PGALLOC_FAIL,
  PGMIGRATE_SUCCESS,
} from "../../../src/kernel/mm/vm_event_item.js";
import { PlainSession } from "../../../src/plain/run.js";
import { big_zone, fragment_with_movable, fragment_with_unmovable, pfns } from "../../helpers/fragment.js";
import { booted } from "../../helpers/machine.js";

const MiB = 1024 * 1024;

describe("nr_hugepages on a fragmented zone", () => {
  it("falls short when unmovable pages are scattered over it", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const z = big_zone(k);
    fragment_with_unmovable(k, z);
    // Half the zone is free, enough for 40 huge pages, but in order-0 holes.
    expect(z.vm_stat[0]).toBeGreaterThan(40 * 512 + z.high_wmark_pages());
    const ev = k.vm_events.slice();
    set_nr_hugepages(k, 40);
    check_vm(k);
    const h = default_hstate(k);
    expect(h.nr_huge_pages).toBeLessThan(40);
    expect(k.sysctl_vm.nr_hugepages).toBe(h.nr_huge_pages);
    expect(k.vm_events[HTLB_BUDDY_PGALLOC] - ev[HTLB_BUDDY_PGALLOC]).toBe(h.nr_huge_pages);
    expect(k.vm_events[HTLB_BUDDY_PGALLOC_FAIL] - ev[HTLB_BUDDY_PGALLOC_FAIL]).toBe(1);
    // Compaction was tried, and could not close the holes.
    expect(k.vm_events[COMPACTSTALL]).toBeGreaterThan(ev[COMPACTSTALL]);
  });

  it("is filled after compaction when movable pages are in the way, their contents intact", () => {
    const k = booted({ machine: "pc", memory: 256 * MiB }).k;
    const z = big_zone(k);
    const { mm, n } = fragment_with_movable(k, z, 7200);
    const tags = pfns(k, mm, n).map((pfn) => (pfn < 0 ? -1 : k.mem.getTag(pfn)));
    const ev = k.vm_events.slice();
    set_nr_hugepages(k, 40);
    check_vm(k);
    expect(default_hstate(k).nr_huge_pages).toBe(40);
    expect(k.vm_events[COMPACTSTALL]).toBeGreaterThan(ev[COMPACTSTALL]);
    expect(k.vm_events[PGMIGRATE_SUCCESS]).toBeGreaterThan(ev[PGMIGRATE_SUCCESS]);
    expect(pfns(k, mm, n).map((pfn) => (pfn < 0 ? -1 : k.mem.getTag(pfn)))).toEqual(tags);
    // Shrinking gives the blocks back (to whichever zone each came from).
    const total_free = (): number => k.zones.reduce((a, zz) => a + zz.vm_stat[0], 0);
    drain_all_pages(k, null);
    const free = total_free();
    set_nr_hugepages(k, 0);
    drain_all_pages(k, null); // freed huge pages may sit on the per-CPU THP list
    check_vm(k);
    expect(total_free() - free).toBe(40 * 512);
  });
});

describe("the pool's files", () => {
  const session = (machine: "pc" | "vexpress-a9", append?: string) => {
    const s = new PlainSession({ machine, append });
    return (line: string): string => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    };
  };
  const MEMINFO = "grep -E '^(HugePages_|Hugepagesize|Hugetlb)' /proc/meminfo";
  const SYSFS =
    "cd /sys/kernel/mm/hugepages/hugepages-2048kB && for f in *; do echo $f $(cat $f); done; cd /";

  it("pc: nr_hugepages, meminfo, sysfs and vmstat agree", () => {
    const run = session("pc");
    expect(run("ls /sys/kernel/mm/hugepages")).toBe("hugepages-2048kB\n");
    expect(run("echo 4 > /proc/sys/vm/nr_hugepages; cat /proc/sys/vm/nr_hugepages")).toBe("4\n");
    expect(run(MEMINFO)).toBe(
      "HugePages_Total:       4\nHugePages_Free:        4\nHugePages_Rsvd:        0\nHugePages_Surp:        0\nHugepagesize:       2048 kB\nHugetlb:            8192 kB\n",
    );
    expect(run(SYSFS)).toBe(
      "free_hugepages 4\nnr_hugepages 4\nnr_hugepages_mempolicy 4\nnr_overcommit_hugepages 0\nresv_hugepages 0\nsurplus_hugepages 0\n",
    );
    expect(
      run("echo 1 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages; cat /proc/sys/vm/nr_hugepages"),
    ).toBe("1\n");
    expect(run("grep -E '^Huge' /proc/meminfo")).toBe(
      "HugePages_Total:       1\nHugePages_Free:        1\nHugePages_Rsvd:        0\nHugePages_Surp:        0\nHugepagesize:       2048 kB\nHugetlb:            2048 kB\n",
    );
    expect(run("grep -E '^htlb' /proc/vmstat")).toBe("htlb_buddy_alloc_success 4\nhtlb_buddy_alloc_fail 0\n");
    expect(run("echo x > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).toBe(
      "sh: write error: Invalid argument\n",
    );
    expect(run("echo -1 > /proc/sys/vm/nr_hugepages")).toBe("sh: write error: Invalid argument\n");
    expect(
      run("echo 0 > /proc/sys/vm/nr_hugepages; grep -E '^(HugePages_Total|Hugetlb)' /proc/meminfo"),
    ).toBe("HugePages_Total:       0\nHugetlb:               0 kB\n");
  });

  it("pc: hugepages=N on the command line fills the pool at boot", () => {
    const run = session("pc", "hugepages=8");
    expect(run("dmesg | grep HugeTLB:")).toMatch(
      /^\[ *[\d.]+\] HugeTLB: registered 2\.00 MiB page size, pre-allocated 8 pages\n\[ *[\d.]+\] HugeTLB: 28 KiB vmemmap can be freed for a 2\.00 MiB page\n$/,
    );
    expect(
      run("cat /proc/sys/vm/nr_hugepages /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"),
    ).toBe("8\n8\n");
  });

  it("virt with 2 nodes: the pool is spread over the nodes, each node has its own files", () => {
    const s = new PlainSession({ machine: "virt", numa: 2 });
    const run = (line: string): string => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    };
    const NODES = "cat /sys/devices/system/node/node*/hugepages/hugepages-2048kB/nr_hugepages";
    expect(run(`echo 5 > /proc/sys/vm/nr_hugepages; ${NODES}`)).toBe("3\n2\n");
    expect(
      run(`echo 4 > /sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages; ${NODES}`),
    ).toBe("3\n4\n");
    expect(
      run("cat /proc/sys/vm/nr_hugepages; grep HugePages_Total /sys/devices/system/node/node1/meminfo"),
    ).toBe("7\nNode 1 HugePages_Total:     4\n");
    expect(run("ls /sys/devices/system/node/node0/hugepages/hugepages-2048kB")).toBe(
      "free_hugepages     nr_hugepages       surplus_hugepages\n",
    );
    // A node's compact file compacts that node (drivers/base/node.c sysfs_compact_node).
    expect(run("grep compact_migrate_scanned /proc/vmstat")).toBe("compact_migrate_scanned 0\n");
    run("echo 1 > /sys/devices/system/node/node0/compact");
    expect(run("grep compact_migrate_scanned /proc/vmstat")).not.toBe("compact_migrate_scanned 0\n");
  });

  it("vexpress-a9: the kernel has no hugetlb, and no files for it", () => {
    const run = session("vexpress-a9");
    // No hugepages directory (armmp has no HUGETLBFS).
    expect(run("ls /sys/kernel/mm")).toBe("ksm      lru_gen  swap\n");
    expect(run("ls /proc/sys/vm | grep -c huge")).toBe("0\n");
    expect(run("grep -c Huge /proc/meminfo")).toBe("0\n");
  });
});
