/*
 * hugetlb.ts - the pool of persistent huge pages (Linux mm/hugetlb.c,
 * include/linux/hugetlb.h): /proc/sys/vm/nr_hugepages, the HugePages_*
 * lines of /proc/meminfo and /sys/kernel/mm/hugepages/hugepages-2048kB/.
 *
 * The pool is the first real consumer of high-order pages: each huge page
 * is one block of 2^(HPAGE_SHIFT - PAGE_SHIFT) = 512 pages (2 MiB) from the
 * buddy allocator, asked for with __GFP_RETRY_MAYFAIL so that the slow path
 * reclaims and compacts for it (compaction.ts) but gives up instead of
 * calling the OOM killer. Growing the pool stops at the first block that
 * cannot be had: `echo 100 > nr_hugepages` on a fragmented machine leaves
 * fewer, and reading the file back tells how many. Pages are taken from the
 * nodes in turn (for_each_node_mask_to_alloc).
 *
 *   hstate (one page size)
 *   +------------------------------+     hugepage_freelists[nid]
 *   | nr_huge_pages      persistent|     +-----+   +-----+
 *   | free_huge_pages    in pool   | --> | 2M  |-->| 2M  |  head pfns
 *   | resv_huge_pages    promised  |     +-----+   +-----+
 *   | surplus_huge_pages overcommit|
 *   +------------------------------+
 *
 * A pool page is a compound page (PG_head, tails PG_tail) owned by the pool
 * with one reference; it is on no LRU, so compaction steps over it.
 *
 * Simplified compared to Linux: no hugetlbfs and no MAP_HUGETLB mappings
 * yet, so no page of the pool is ever in use, reserved or surplus (those
 * counts are kept and printed, and stay 0 until a mapping can use them);
 * one page size (2 MiB); no vmemmap optimisation; no gigantic pages.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { kstrtoul10 } from "../lib/kstrtox.js";
import { STRING_UNITS_2, string_get_size } from "../lib/string_helpers.js";
import { S_IFDIR, S_IFREG } from "../uapi/abi.js";
import { EINVAL } from "../uapi/errno.js";
import {
  __GFP_COMP,
  __GFP_NOWARN,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
  GFP_HIGHUSER_MOVABLE,
} from "./gfp.js";
import { __alloc_pages, __free_pages, PAGE_SHIFT } from "./page_alloc.js";
import { HTLB_BUDDY_PGALLOC, HTLB_BUDDY_PGALLOC_FAIL } from "./vm_event_item.js";

export const HPAGE_SHIFT = 21;

/** struct hstate: one huge page size and its pool. */
export interface Hstate {
  order: number; // huge_page_order: HPAGE_SHIFT - PAGE_SHIFT
  name: string; // "hugepages-2048kB"
  max_huge_pages: number; // what nr_hugepages was last set to, as achieved
  nr_huge_pages: number; // pages in the pool, free or in use
  free_huge_pages: number; // pages in the pool nobody uses
  resv_huge_pages: number; // free pages promised to mappings
  surplus_huge_pages: number; // pages beyond nr_hugepages (overcommit, up to vm.nr_overcommit_hugepages)
  nr_huge_pages_node: number[];
  free_huge_pages_node: number[];
  surplus_huge_pages_node: number[];
  hugepage_freelists: number[][]; // per node: head pfns of free pool pages
  next_nid_to_alloc: number; // round robin over the nodes when growing
  next_nid_to_free: number; // and when shrinking
}

const hstates = new WeakMap<Kernel, Hstate>();

/** default_hstate: the 2 MiB page size, set up at boot (hugetlb_init). */
export function default_hstate(k: Kernel): Hstate {
  let h = hstates.get(k);
  if (!h) {
    const order = HPAGE_SHIFT - PAGE_SHIFT;
    const nodes = k.nodes.length;
    h = {
      order,
      name: `hugepages-${(1 << (order + PAGE_SHIFT)) / 1024}kB`,
      max_huge_pages: 0,
      nr_huge_pages: 0,
      free_huge_pages: 0,
      resv_huge_pages: 0,
      surplus_huge_pages: 0,
      nr_huge_pages_node: new Array(nodes).fill(0),
      free_huge_pages_node: new Array(nodes).fill(0),
      surplus_huge_pages_node: new Array(nodes).fill(0),
      hugepage_freelists: Array.from({ length: nodes }, () => []),
      next_nid_to_alloc: 0,
      next_nid_to_free: 0,
    };
    hstates.set(k, h);
  }
  return h;
}

const pages_per_huge_page = (h: Hstate): number => 1 << h.order;

/** The counts other files show (show_mem's per-node line, CommitLimit) follow the pool. */
function sync_mm_stat(k: Kernel, h: Hstate): void {
  k.mm_stat.hugetlb_total = [...h.nr_huge_pages_node];
  k.mm_stat.hugetlb_free = [...h.free_huge_pages_node];
  k.sysctl_vm.nr_hugepages = h.max_huge_pages;
}

/** persistent_huge_pages: the pool proper, surplus pages excluded. */
function persistent_huge_pages(h: Hstate): number {
  return h.nr_huge_pages - h.surplus_huge_pages;
}

/**
 * alloc_buddy_huge_page: one block from the buddy allocator on node nid.
 * Movable (a huge page can be migrated in Linux), no warning, this node
 * only, and retrying through reclaim and compaction before failing.
 */
function alloc_buddy_huge_page(k: Kernel, h: Hstate, nid: number): number {
  const gfp = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOWARN | __GFP_THISNODE | __GFP_RETRY_MAYFAIL;
  const pfn = __alloc_pages(k, gfp, h.order, nid, [nid]);
  k.vm_events[pfn >= 0 ? HTLB_BUDDY_PGALLOC : HTLB_BUDDY_PGALLOC_FAIL]++;
  return pfn;
}

/**
 * hstate_next_node_to_alloc / _to_free: the node whose turn it is among the
 * allowed ones (null: every node), and the turn moves on.
 */
function next_node(
  k: Kernel,
  h: Hstate,
  which: "next_nid_to_alloc" | "next_nid_to_free",
  allowed: readonly number[] | null,
): number {
  const n = k.nodes.length;
  let nid = h[which];
  for (let i = 0; i < n && allowed && !allowed.includes(nid); i++) nid = (nid + 1) % n;
  let next = (nid + 1) % n;
  for (let i = 0; i < n && allowed && !allowed.includes(next); i++) next = (next + 1) % n;
  h[which] = next;
  return nid;
}

/** alloc_pool_huge_page: a fresh page for the pool from the next allowed node in turn; false when none. */
function alloc_pool_huge_page(k: Kernel, h: Hstate, allowed: readonly number[] | null): boolean {
  const tries_max = allowed ? allowed.length : k.nodes.length;
  for (let tries = 0; tries < tries_max; tries++) {
    const nid = next_node(k, h, "next_nid_to_alloc", allowed);
    const pfn = alloc_buddy_huge_page(k, h, nid);
    if (pfn < 0) continue;
    // prep_new_huge_page + enqueue_huge_page
    h.nr_huge_pages++;
    h.nr_huge_pages_node[nid]++;
    h.free_huge_pages++;
    h.free_huge_pages_node[nid]++;
    h.hugepage_freelists[nid].push(pfn);
    return true;
  }
  return false;
}

/** free_pool_huge_page: a free page of the pool goes back to the buddy allocator; false when none. */
function free_pool_huge_page(k: Kernel, h: Hstate, allowed: readonly number[] | null): boolean {
  const tries_max = allowed ? allowed.length : k.nodes.length;
  for (let tries = 0; tries < tries_max; tries++) {
    const nid = next_node(k, h, "next_nid_to_free", allowed);
    const pfn = h.hugepage_freelists[nid].pop();
    if (pfn === undefined) continue;
    h.nr_huge_pages--;
    h.nr_huge_pages_node[nid]--;
    h.free_huge_pages--;
    h.free_huge_pages_node[nid]--;
    // update_and_free_page: the compound page is given back whole.
    __free_pages(k, pfn, h.order);
    return true;
  }
  return false;
}

/**
 * set_max_huge_pages: grow the pool one page at a time until it holds
 * count pages or an allocation fails; shrink it by freeing free pages, but
 * never below the pages in use or reserved. Pages come from and go to the
 * allowed nodes only (a node's own nr_hugepages file allows just that one).
 */
export function set_max_huge_pages(
  k: Kernel,
  h: Hstate,
  count: number,
  allowed: readonly number[] | null = null,
): void {
  while (count > persistent_huge_pages(h)) {
    if (!alloc_pool_huge_page(k, h, allowed)) break;
  }
  let min_count = h.resv_huge_pages + h.nr_huge_pages - h.free_huge_pages;
  min_count = Math.max(count, min_count);
  while (min_count < persistent_huge_pages(h)) {
    if (!free_pool_huge_page(k, h, allowed)) break;
  }
  h.max_huge_pages = persistent_huge_pages(h);
  sync_mm_stat(k, h);
}

/** __nr_hugepages_store_common for one node: count is that node's share; the rest stays. */
export function set_node_huge_pages(k: Kernel, nid: number, count: number): void {
  const h = default_hstate(k);
  set_max_huge_pages(k, h, count + h.nr_huge_pages - h.nr_huge_pages_node[nid], [nid]);
}

/** The MmHooks.set_nr_hugepages hook: a write to /proc/sys/vm/nr_hugepages. */
export function set_nr_hugepages(k: Kernel, n: number): void {
  set_max_huge_pages(k, default_hstate(k), n);
}

/** hugetlb_report_meminfo: the HugePages_* lines and Hugetlb, in /proc/meminfo's format. */
export function hugetlb_report_meminfo(k: Kernel): string {
  const h = default_hstate(k);
  const kb = (pages_per_huge_page(h) * 4096) / 1024;
  const n = (v: number): string => String(v).padStart(5, " ");
  return (
    `HugePages_Total:   ${n(h.nr_huge_pages)}\n` +
    `HugePages_Free:    ${n(h.free_huge_pages)}\n` +
    `HugePages_Rsvd:    ${n(h.resv_huge_pages)}\n` +
    `HugePages_Surp:    ${n(h.surplus_huge_pages)}\n` +
    `Hugepagesize:   ${String(kb).padStart(8, " ")} kB\n` +
    `Hugetlb:        ${String(h.nr_huge_pages * kb).padStart(8, " ")} kB\n`
  );
}

/** A "%lu\n" attribute of the hstate's sysfs directory. */
function attr(
  name: string,
  get: (h: Hstate, k: Kernel) => number,
  store?: (k: Kernel, h: Hstate, v: number) => void,
): ProcEntry {
  return {
    name,
    mode: S_IFREG | (store ? 0o644 : 0o444),
    show: (k) => `${get(default_hstate(k), k)}\n`,
    write: store
      ? (k, _t, text) => {
          const v = kstrtoul10(text);
          if (v === null) return -EINVAL;
          store(k, default_hstate(k), v);
          return text.length;
        }
      : undefined,
  };
}

/** hugetlb_sysfs_init: /sys/kernel/mm/hugepages/hugepages-2048kB. */
export function hugetlb_sysfs_entry(k: Kernel): ProcEntry {
  const h = default_hstate(k);
  const files: ProcEntry[] = [
    attr("free_hugepages", (x) => x.free_huge_pages),
    attr(
      "nr_hugepages",
      (x) => persistent_huge_pages(x),
      (kk, x, v) => set_max_huge_pages(kk, x, v),
    ),
    attr(
      "nr_overcommit_hugepages",
      (_x, kk) => kk.sysctl_vm.nr_overcommit_hugepages,
      (kk, _x, v) => {
        kk.sysctl_vm.nr_overcommit_hugepages = v;
      },
    ),
    attr("resv_hugepages", (x) => x.resv_huge_pages),
    attr("surplus_hugepages", (x) => x.surplus_huge_pages),
  ];
  if (k.cfg.NUMA)
    files.push(
      attr(
        "nr_hugepages_mempolicy",
        (x) => persistent_huge_pages(x),
        (kk, x, v) => set_max_huge_pages(kk, x, v),
      ),
    );
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    name: "hugepages",
    mode: S_IFDIR | 0o755,
    children: [{ name: h.name, mode: S_IFDIR | 0o755, children: files }],
  };
}

/**
 * hugetlb_init's report, at its initcall: hugepages=N on the command line
 * fills the pool first (hugetlb_hstate_alloc_pages), warning when it falls
 * short, then report_hugepages says what the pool holds.
 */
export function hugetlb_boot(k: Kernel, info: (s: string) => void, warn: (s: string) => void): void {
  const h = default_hstate(k);
  const param = k.params.get("hugepages");
  const want = param !== undefined && /^\d+$/.test(param) ? Number(param) : 0;
  const size = string_get_size(pages_per_huge_page(h), 4096, STRING_UNITS_2);
  if (want) {
    set_max_huge_pages(k, h, want);
    if (h.nr_huge_pages < want)
      warn(
        `HugeTLB: allocating ${want} of page size ${size} failed.  Only allocated ${h.nr_huge_pages} hugepages.`,
      );
  }
  info(`HugeTLB: registered ${size} page size, pre-allocated ${h.nr_huge_pages} pages`);
}

/** hugetlb_register_node: /sys/devices/system/node/nodeN/hugepages/hugepages-2048kB. */
export function hugetlb_node_sysfs_entry(k: Kernel, nid: number): ProcEntry {
  const h = default_hstate(k);
  return {
    name: "hugepages",
    mode: S_IFDIR | 0o755,
    children: [
      {
        name: h.name,
        mode: S_IFDIR | 0o755,
        children: [
          attr("free_hugepages", (x) => x.free_huge_pages_node[nid]),
          attr(
            "nr_hugepages",
            (x) => x.nr_huge_pages_node[nid],
            (kk, _x, v) => set_node_huge_pages(kk, nid, v),
          ),
          attr("surplus_hugepages", (x) => x.surplus_huge_pages_node[nid]),
        ],
      },
    ],
  };
}

/** hugetlb_init: the hook, the sysfs directory. Only for kernels built with CONFIG_HUGETLBFS. */
export function hugetlb_init(k: Kernel): void {
  if (!k.cfg.HUGETLB_PAGE) return;
  default_hstate(k);
  k.mm_hooks.set_nr_hugepages = set_nr_hugepages;
  k.sysfs_mm.push(hugetlb_sysfs_entry(k));
}
