/*
 * cgroup-v1.ts - /proc/cgroups (Linux kernel/cgroup/cgroup-v1.c
 * proc_cgroupstats_show): one line per controller compiled in, in
 * include/linux/cgroup_subsys.h order, with its legacy (v1) name, the id
 * of the hierarchy it is bound to, how many cgroups that hierarchy has,
 * and whether it is enabled.
 *
 * mmbox has no cgroup filesystem: nothing mounts one and no cgroup is ever
 * made, so every controller stays on the default (v2) hierarchy, id 0,
 * which has its root cgroup only. The controllers are Debian 6.1's; the
 * hugetlb controller needs hugetlb pages, which the armmp kernel lacks.
 */

import type { Kernel } from "../kernel.js";

/** The controllers, in SUBSYS() order, by their legacy names (io is "blkio"). */
const cgroup_subsys: readonly string[] = [
  "cpuset",
  "cpu",
  "cpuacct",
  "blkio",
  "memory",
  "devices",
  "freezer",
  "net_cls",
  "perf_event",
  "net_prio",
  "hugetlb",
  "pids",
  "rdma",
  "misc",
];

/** cgrp_dfl_root: its hierarchy id and its cgroups (the root alone). */
const DFL_HIERARCHY_ID = 0;
const DFL_NR_CGRPS = 1;

export function proc_cgroupstats_show(k: Kernel): string {
  let out = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n";
  for (const name of cgroup_subsys) {
    if (name === "hugetlb" && !k.cfg.HUGETLB_PAGE) continue;
    out += `${name}\t${DFL_HIERARCHY_ID}\t${DFL_NR_CGRPS}\t1\n`;
  }
  return out;
}
