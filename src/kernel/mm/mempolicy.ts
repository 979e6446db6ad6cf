/*
 * mempolicy.ts - NUMA memory policies (Linux mm/mempolicy.c): which node a
 * process's new pages come from.
 *
 *   MPOL_DEFAULT     the policy of the task, or else the local node
 *   MPOL_PREFERRED   this node first, others when it is full
 *   MPOL_BIND        only these nodes
 *   MPOL_INTERLEAVE  page by page round the nodes (by offset in the area)
 *   MPOL_LOCAL       the node of the CPU that faults
 *   MPOL_PREFERRED_MANY   these nodes first, others when they are full
 *
 * mbind() gives a policy to a range (splitting areas, which then merge only
 * with neighbours of the same policy); set_mempolicy() to the task. A kernel
 * built without CONFIG_NUMA (the reference ARM kernel) has none of these
 * calls: they fail with ENOSYS, which is what numactl's memhog reports there.
 */

import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { EFAULT, EINVAL, ENOSYS } from "../uapi/errno.js";
import { __GFP_NOWARN } from "./gfp.js";
import type { MmStruct, VmAreaStruct } from "./mm_struct.js";
import { find_vma, range_is_mapped, split_vma, vma_merge } from "./mmap.js";
import { __alloc_pages, alloc_pages, alloc_pages_pcp, numa_node_id } from "./page_alloc.js";

export const MPOL_DEFAULT = 0;
export const MPOL_PREFERRED = 1;
export const MPOL_BIND = 2;
export const MPOL_INTERLEAVE = 3;
export const MPOL_LOCAL = 4;
export const MPOL_PREFERRED_MANY = 5;
export const MPOL_F_NODE = 1;
export const MPOL_F_ADDR = 2;

export interface Mempolicy {
  mode: number;
  nodes: number[];
}

export const same_policy = (a: Mempolicy | null, b: Mempolicy | null): boolean =>
  a === b || (a !== null && b !== null && a.mode === b.mode && a.nodes.join() === b.nodes.join());

/** Checks a mode and node list against the machine; returns the policy or -EINVAL. */
function mpol_new(k: Kernel, mode: number, nodes: number[]): Mempolicy | null | number {
  if (mode < MPOL_DEFAULT || mode > MPOL_PREFERRED_MANY) return -EINVAL;
  const valid = nodes.filter((n) => n >= 0 && n < k.nodes.length);
  if (mode === MPOL_DEFAULT) return nodes.length ? -EINVAL : null;
  if (mode === MPOL_LOCAL) return nodes.length ? -EINVAL : { mode, nodes: [] };
  if (valid.length === 0) return -EINVAL;
  return { mode, nodes: [...new Set(valid)].sort((a, b) => a - b) };
}

/** mbind(2). */
export function do_mbind(
  k: Kernel,
  mm: MmStruct,
  start: number,
  len: number,
  mode: number,
  nodes: number[],
): number {
  if (!k.cfg.NUMA) return -ENOSYS;
  if (start % 4096) return -EINVAL;
  const pol = mpol_new(k, mode, nodes);
  if (typeof pol === "number") return pol;
  const end = start + Math.ceil(len / 4096) * 4096;
  if (end === start) return 0;
  if (!range_is_mapped(mm, start, end)) return -EFAULT;
  let v = find_vma(mm, start)!;
  if (v.vm_start < start && !same_policy(v.policy, pol)) v = split_vma(k, mm, v, start);
  const last = find_vma(mm, end - 1)!;
  if (last.vm_end > end && !same_policy(last.policy, pol)) split_vma(k, mm, last, end);
  const targets = mm.vmas.filter((x) => x.vm_start >= start && x.vm_end <= end);
  for (const x of targets) x.policy = pol;
  for (const x of targets) if (mm.vmas.includes(x)) vma_merge(k, mm, x);
  return 0;
}

/** set_mempolicy(2). */
export function do_set_mempolicy(k: Kernel, t: Task, mode: number, nodes: number[]): number {
  if (!k.cfg.NUMA) return -ENOSYS;
  const pol = mpol_new(k, mode, nodes);
  if (typeof pol === "number") return pol;
  t.mempolicy = pol;
  return 0;
}

/** get_mempolicy(2): [mode, nodes] of the task, or of the area at addr (MPOL_F_ADDR). */
export function do_get_mempolicy(
  k: Kernel,
  t: Task,
  mm: MmStruct,
  addr: number,
  flags: number,
): { mode: number; nodes: number[] } | number {
  if (!k.cfg.NUMA) return -ENOSYS;
  if (flags & ~(MPOL_F_NODE | MPOL_F_ADDR)) return -EINVAL;
  let pol = t.mempolicy;
  if (flags & MPOL_F_ADDR) {
    const v = find_vma(mm, addr);
    if (!v || v.vm_start > addr) return -EFAULT;
    pol = v.policy ?? t.mempolicy;
  }
  return pol ? { mode: pol.mode, nodes: pol.nodes } : { mode: MPOL_DEFAULT, nodes: [] };
}

/**
 * alloc_pages_vma: a page for a fault at addr in vma, from the node its
 * policy chooses (the area's, else the task's, else the local node).
 * order is HPAGE_PMD_ORDER for a THP fault (vma_alloc_folio), else 0;
 * interleave picks the node by the THP's index, as interleave_nid does.
 */
export function alloc_pages_vma(
  k: Kernel,
  gfp: number,
  vma: VmAreaStruct,
  addr: number,
  t: Task | null,
  order = 0,
): number {
  const pol = vma.policy ?? t?.mempolicy ?? null;
  if (!pol || k.nodes.length === 1)
    return order === 0
      ? alloc_pages_pcp(k, gfp, numa_node_id(k))
      : __alloc_pages(k, gfp, order, numa_node_id(k), null);
  return alloc_pages_policy(k, gfp, vma, addr, pol, order);
}

/** alloc_pages_vma with a policy on a NUMA machine (out of line: faults mostly have none). */
function alloc_pages_policy(
  k: Kernel,
  gfp: number,
  vma: VmAreaStruct,
  addr: number,
  pol: NonNullable<VmAreaStruct["policy"]>,
  order: number,
): number {
  const local = numa_node_id(k);
  switch (pol.mode) {
    case MPOL_PREFERRED:
      return __alloc_pages(k, gfp, order, pol.nodes[0], null);
    case MPOL_BIND:
      return __alloc_pages(k, gfp, order, pol.nodes.includes(local) ? local : pol.nodes[0], pol.nodes);
    case MPOL_INTERLEAVE: {
      // interleave_nid: the page's offset in the area picks the node.
      const off = Math.floor((vma.vm_pgoff + Math.floor((addr - vma.vm_start) / 4096)) / 2 ** order);
      return __alloc_pages(k, gfp, order, pol.nodes[off % pol.nodes.length], null);
    }
    case MPOL_PREFERRED_MANY: {
      const pfn = __alloc_pages(
        k,
        gfp | __GFP_NOWARN,
        order,
        pol.nodes.includes(local) ? local : pol.nodes[0],
        pol.nodes,
      );
      return pfn >= 0 ? pfn : alloc_pages(k, gfp, order);
    }
    default:
      return alloc_pages(k, gfp, order);
  }
}
