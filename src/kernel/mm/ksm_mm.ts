/*
 * ksm_mm.ts - where KSM meets the rest of mm (Linux mm/ksm.c): madvise
 * (ksm_madvise), fork and exit (ksm_fork, __ksm_exit), rmap walks of KSM
 * pages (rmap_walk_ksm), migration, swap-in (ksm_might_need_to_copy), and
 * run=2's unmerge of everything. The scan and the trees are in ksm.ts.
 */

import type { Kernel } from "../kernel.js";
import { signal_pending } from "../sched/core.js";
import { EINTR } from "../uapi/errno.js";
import {
  break_ksm,
  drop_slot,
  KSM_RUN_UNMERGE,
  ksm,
  ksm_page_add_rmap,
  type MmSlot,
  page_stable_node,
  remove_node_from_stable_tree,
  remove_trailing_rmap_items,
  wake_ksmd,
} from "./ksm.js";
import {
  type MmStruct,
  VM_DONTEXPAND,
  VM_HUGETLB,
  VM_IO,
  VM_MAYSHARE,
  VM_MERGEABLE,
  VM_PFNMAP,
  VM_SHARED,
  type VmAreaStruct,
} from "./mm_struct.js";
import { PG_anon, PG_ksm } from "./mm_types.js";
import { vma_modify } from "./mmap.js";
import { pte_index, pte_pfn, pte_present, walk } from "./pgtable.js";
import { type AnonVma, linear_page_index, type RmapFn, vma_anon_chain } from "./rmap.js";
import { KSM_SWPIN_COPY } from "./vm_event_item.js";

/** VM_MIXEDMAP: an area mixing pages and raw frames (KSM leaves it alone). */
const VM_MIXEDMAP = 0x10000000;

/** __ksm_enter: the mm joins ksmd's list (behind the slot being scanned, so it waits a full scan). */
function __ksm_enter(k: Kernel, mm: MmStruct): void {
  const s = ksm(k);
  if (s.by_mm.has(mm)) return;
  const slot: MmSlot = { mm, items: [], merging: 0, rmap_items: 0, exiting: false };
  s.by_mm.set(mm, slot);
  // list_add_tail(&slot->mm_node, &ksm_scan.mm_slot->mm_node): just before the cursor.
  const at = s.scan_slot ? s.slots.indexOf(s.scan_slot) : s.slots.length;
  s.slots.splice(at, 0, slot);
  wake_ksmd(k);
}

/** unmerge_ksm_pages: every KSM page in [start, end) of vma is copied back (break_ksm). */
/**
 * unmerge_ksm_pages: every KSM page in [start, end) of vma is copied back
 * (break_ksm); -ENOMEM when a copy cannot be had, -EINTR when the task is
 * told to stop (a signal, the OOM killer's among them).
 */
function unmerge_ksm_pages(k: Kernel, vma: VmAreaStruct, start: number, end: number): number {
  for (let addr = start; addr < end; addr += 4096) {
    const t = k.sched.current;
    if (t && signal_pending(t)) return -EINTR;
    const err = break_ksm(k, vma, addr);
    if (err) return err;
  }
  return 0;
}

/** Areas KSM leaves alone (ksm_madvise's test). */
function ksm_can_merge(vma: VmAreaStruct): boolean {
  return (
    !vma.special &&
    !(vma.vm_flags & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP))
  );
}

/**
 * ksm_madvise for [start, end): MADV_MERGEABLE marks the areas KSM can
 * work on (and puts the mm on ksmd's list); MADV_UNMERGEABLE copies their
 * KSM pages back first, then clears the mark.
 */
export function ksm_madvise(k: Kernel, mm: MmStruct, start: number, end: number, mergeable: boolean): number {
  const areas = mm.vmas.filter((v) => v.vm_end > start && v.vm_start < end);
  if (mergeable) {
    if (areas.some((v) => ksm_can_merge(v) && !(v.vm_flags & VM_MERGEABLE))) __ksm_enter(k, mm);
    vma_modify(k, mm, start, end, (v) => (ksm_can_merge(v) ? v.vm_flags | VM_MERGEABLE : v.vm_flags));
    return 0;
  }
  for (const v of areas)
    if (v.vm_flags & VM_MERGEABLE && v.anon_vma) {
      const err = unmerge_ksm_pages(k, v, Math.max(start, v.vm_start), Math.min(end, v.vm_end));
      if (err) return err;
    }
  vma_modify(k, mm, start, end, (v) => v.vm_flags & ~VM_MERGEABLE);
  return 0;
}

/** ksm_fork: a child of a registered mm is registered too (its areas stay mergeable). */
export function ksm_fork(k: Kernel, mm: MmStruct, oldmm: MmStruct): void {
  if (ksm(k).by_mm.has(oldmm)) __ksm_enter(k, mm);
}

/**
 * __ksm_exit: an mm ksmd never looked at goes at once; one with rmap_items
 * is cleaned up by ksmd, which is sent there next.
 */
export function ksm_exit(k: Kernel, mm: MmStruct): void {
  const s = ksm(k);
  const slot = s.by_mm.get(mm);
  if (!slot) return;
  slot.exiting = true;
  if (s.scan_slot === slot) return;
  if (!slot.items.length) {
    drop_slot(k, slot);
    return;
  }
  // list_move behind the slot being scanned.
  s.slots.splice(s.slots.indexOf(slot), 1);
  const at = s.scan_slot ? s.slots.indexOf(s.scan_slot) + 1 : 0;
  s.slots.splice(at, 0, slot);
}

/** rmap_walk_ksm: each rmap_item's anon_vma, at the item's address (forked children included). */
export function rmap_walk_ksm(k: Kernel, pfn: number, fn: RmapFn): void {
  const node = page_stable_node(k, pfn);
  if (!node) return;
  // (The walk's callbacks unmap or age PTEs: none of them changes the node's items.)
  for (const it of node.items) {
    const av = it.anon_vma;
    if (!av) continue;
    for (const vma of av.vma_list) {
      const addr = it.address;
      if (addr < vma.vm_start || addr >= vma.vm_end) continue;
      const pt = walk(k, vma.vm_mm, addr, false);
      if (!pt) continue;
      const i = pte_index(addr);
      const pte = pt.entries[i];
      if (pte_present(pte) && pte_pfn(pte) === pfn) fn(vma.vm_mm, vma, addr / 4096, pt, i);
    }
  }
}

/** ksm_migrate_page: the node follows its page to the new frame. */
export function ksm_migrate_page(k: Kernel, newpfn: number, oldpfn: number): void {
  const node = page_stable_node(k, newpfn);
  if (node && node.kpfn === oldpfn) node.kpfn = newpfn;
}

/** The root anon_vma of the family an anon_vma belongs to (the oldest of any of its areas' chains). */
function anon_vma_root(av: AnonVma): AnonVma | null {
  const v = av.vma_list[0];
  if (!v) return null;
  const chain = vma_anon_chain(v);
  return chain[chain.length - 1] ?? null;
}

/**
 * ksm_might_need_to_copy: a swap-cache page about to be mapped at addr of
 * vma. A live KSM page is mapped as it is; a page some unrelated process
 * (another anon_vma family, as pages merged by KSM leave behind in swap)
 * maps already is copied, so each page stays findable by rmap. Returns the
 * page to map (pfn, or a new copy), or -1 without memory.
 */
export function ksm_might_need_to_copy(
  k: Kernel,
  pfn: number,
  vma: VmAreaStruct,
  addr: number,
  alloc_copy: () => number,
): number {
  const mem = k.mem;
  if (mem.flags[pfn] & PG_ksm) {
    if (page_stable_node(k, pfn) && !(ksm(k).run & KSM_RUN_UNMERGE)) return pfn;
  } else {
    if (!(mem.flags[pfn] & PG_anon) || mem.page_mapcount(pfn) === 0) return pfn;
    const av = k.anon_vmas[mem.getMapping(pfn)];
    if (!av) return pfn;
    const chain = vma_anon_chain(vma);
    const mine = chain[chain.length - 1] ?? null;
    if (mem.getIndex(pfn) === linear_page_index(vma, addr) && anon_vma_root(av) === mine) return pfn;
  }
  const copy = alloc_copy();
  if (copy < 0) return -1;
  k.vm_events[KSM_SWPIN_COPY]++;
  return copy;
}

/** A KSM page mapped again by a swap-in (do_swap_page found it in the swap cache). */
export function ksm_map_page(k: Kernel, pfn: number): void {
  ksm_page_add_rmap(k, pfn);
}

/* ---- run=2 ---- */

/** unmerge_and_remove_all_rmap_items: every KSM page copied back, every item forgotten, full_scans 0. */
export function unmerge_and_remove_all_rmap_items(k: Kernel): number {
  const s = ksm(k);
  for (const slot of [...s.slots]) {
    if (!slot.exiting)
      for (const vma of [...slot.mm.vmas])
        if (vma.vm_flags & VM_MERGEABLE && vma.anon_vma) {
          const err = unmerge_ksm_pages(k, vma, vma.vm_start, vma.vm_end);
          // The scan starts again from the first mm; what is merged stays merged.
          if (err) {
            s.scan_slot = null;
            return err;
          }
        }
    remove_trailing_rmap_items(k, slot, 0);
    if (slot.exiting) drop_slot(k, slot);
  }
  // remove_all_stable_nodes: whatever is still on the tree (pages other processes map) lets go.
  for (const node of [...s.nodes.values()]) remove_node_from_stable_tree(k, node);
  s.unstable.clear();
  s.scan_slot = null;
  s.scan_address = 0;
  s.scan_pos = 0;
  s.seqnr = 0;
  return 0;
}
