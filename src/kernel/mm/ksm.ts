/*
 * ksm.ts - Kernel Samepage Merging (Linux mm/ksm.c, 6.1).
 *
 * madvise(MADV_MERGEABLE) puts an address space on ksmd's list. While
 * /sys/kernel/mm/ksm/run is 1, ksmd wakes every sleep_millisecs and looks
 * at pages_to_scan pages of those areas, in address order, mm after mm. A
 * page is remembered by an rmap_item (mm, address) with the checksum of its
 * contents - here the content tag, the model's stand-in for the bytes:
 *
 *   - a page equal to one in the stable tree (pages already merged) is
 *     merged with it: its PTE is made to point at the KSM page, read-only,
 *     and the page itself is freed;
 *   - a page whose checksum did not change since the last visit goes into
 *     the unstable tree (rebuilt every full scan); one equal to a page
 *     already there is merged with it: the first becomes the KSM page (its
 *     PTEs write-protected), the second points at it, and the pair enters
 *     the stable tree;
 *   - a page that changed waits for the next full scan.
 *
 * A KSM page is an anonymous page whose mapping is its stable node
 * (PG_ksm, as Linux's PAGE_MAPPING_KSM): rmap walks go through the node's
 * rmap_items and the anon_vmas they came from; a write to it always copies
 * (cow_ksm); swapping it out frees it, and a process that swaps it back in
 * from a cache page some other process mapped gets its own copy
 * (ksm_swpin_copy). A stable node whose page went away is dropped when ksmd
 * or a lookup next finds it (get_ksm_page). When more than max_page_sharing
 * PTEs would share one page, a second page with the same contents is used
 * (a chain of dups).
 *
 * Counters (sysfs): pages_shared (stable nodes in use), pages_sharing (the
 * further PTEs pointing at them), pages_unshared (in the unstable tree),
 * pages_volatile (the other rmap_items), full_scans, stable_node_chains and
 * stable_node_dups (ksm_sysfs.ts). run=2 unmerges everything (a write fault
 * at each shared address) and forgets all rmap_items.
 */

import type { Kernel } from "../kernel.js";
import { wake_up } from "../sched/core.js";
import type { Task, TaskGen } from "../sched/task.js";
import { ENOMEM } from "../uapi/errno.js";
import { split_huge_page } from "./huge_memory.js";
import { handle_mm_fault, VM_FAULT_OOM } from "./memory.js";
import { mlock_page, munlock_page } from "./mlock.js";
import { MM_ANONPAGES, type MmStruct, VM_LOCKED, VM_MERGEABLE, type VmAreaStruct } from "./mm_struct.js";
import { PG_anon, PG_data, PG_dirty, PG_head, PG_ksm, PG_swapcache, PG_tail } from "./mm_types.js";
import { find_vma } from "./mmap.js";
import { NR_ANON_MAPPED } from "./mmzone.js";
import { page_zone } from "./page_alloc.js";
import {
  _PAGE_DIRTY,
  _PAGE_RW,
  _PAGE_SOFT_DIRTY,
  _PAGE_SPECIAL,
  type PageTable,
  pfn_pte,
  pte_clear,
  pte_dirty,
  pte_flags,
  pte_index,
  pte_pfn,
  pte_present,
  pte_special,
  pte_write,
  set_pte,
  walk,
} from "./pgtable.js";
import { type AnonVma, page_dup_rmap, page_remove_rmap } from "./rmap.js";
import { get_page, mark_page_accessed, put_page } from "./swap.js";
import { try_to_free_swap } from "./swap_state.js";
import { flush_tlb_page } from "./tlbflush.js";

/** ksm_run's bits. */
export const KSM_RUN_MERGE = 1;
export const KSM_RUN_UNMERGE = 2;

/* What ksmd spends per page looked at (follow_page and the checksum) and per merge (write-protect, compare, replace). */
const KSM_SCAN_COST = 600;
const KSM_MERGE_COST = 1000;

const UNSTABLE = 1;
const STABLE = 2;

interface RmapItem {
  slot: MmSlot;
  address: number;
  oldchecksum: number;
  state: 0 | typeof UNSTABLE | typeof STABLE;
  /** The full scan it went into the unstable tree in. */
  seqnr: number;
  /** The content key it went into the unstable tree under. */
  key: string;
  node: StableNode | null;
  /** The anon_vma of the area it was merged in (found by rmap walks). */
  anon_vma: AnonVma | null;
}

interface StableNode {
  id: number;
  kpfn: number;
  key: string;
  /** The rmap_items on it, newest first (hlist_add_head). */
  items: RmapItem[];
}

/** The stable tree's entry for one content: one node, or a chain of dups once one is full. */
interface StableEntry {
  dups: StableNode[];
  chain: boolean;
}

export interface MmSlot {
  mm: MmStruct;
  /** rmap_items by address (the slot's rmap_list). */
  items: RmapItem[];
  /** mm->ksm_merging_pages and mm->ksm_rmap_items. */
  merging: number;
  rmap_items: number;
  exiting: boolean;
}

export interface KsmState {
  run: number;
  sleep_millisecs: number;
  pages_to_scan: number;
  max_page_sharing: number;
  stable_node_chains_prune_millisecs: number;
  use_zero_pages: boolean;
  merge_across_nodes: number;
  pages_shared: number;
  pages_sharing: number;
  pages_unshared: number;
  rmap_items: number;
  /** ksm_mm_head's list, in order. */
  slots: MmSlot[];
  by_mm: Map<MmStruct, MmSlot>;
  /** ksm_scan: the slot being scanned (null: the list head), the address, the position in its rmap_list. */
  scan_slot: MmSlot | null;
  scan_address: number;
  scan_pos: number;
  seqnr: number;
  unstable: Map<string, RmapItem>;
  stable: Map<string, StableEntry>;
  nodes: Map<number, StableNode>;
  next_node: number;
}

const states = new WeakMap<Kernel, KsmState>();

export function ksm(k: Kernel): KsmState {
  let s = states.get(k);
  if (!s) {
    s = {
      run: 0,
      sleep_millisecs: 20,
      pages_to_scan: 100,
      max_page_sharing: 256,
      stable_node_chains_prune_millisecs: 2000,
      use_zero_pages: false,
      merge_across_nodes: 1,
      pages_shared: 0,
      pages_sharing: 0,
      pages_unshared: 0,
      rmap_items: 0,
      slots: [],
      by_mm: new Map(),
      scan_slot: null,
      scan_address: 0,
      scan_pos: 0,
      seqnr: 0,
      unstable: new Map(),
      stable: new Map(),
      nodes: new Map(),
      next_node: 1,
    };
    states.set(k, s);
  }
  return s;
}

/* ---- pages ---- */

/** A content key: the tag, and the kept bytes' hash when the page keeps them. */
function content_key(k: Kernel, pfn: number): string {
  const tag = k.mem.getTag(pfn);
  if (!(k.mem.flags[pfn] & PG_data)) return `${tag}`;
  const b = k.pagedata.get(pfn);
  let h = 0x811c9dc5;
  if (b) for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return `${tag}:${h >>> 0}`;
}

/** pages_identical (memcmp_pages). */
function pages_identical(k: Kernel, a: number, b: number): boolean {
  if (k.mem.getTag(a) !== k.mem.getTag(b)) return false;
  const x = k.mem.flags[a] & PG_data ? k.pagedata.get(a) : undefined;
  const y = k.mem.flags[b] & PG_data ? k.pagedata.get(b) : undefined;
  if (!x && !y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** follow_page: the present, ordinary page at addr, or -1. */
function follow_page(k: Kernel, mm: MmStruct, addr: number): number {
  const pt = walk(k, mm, addr, false);
  if (!pt) return -1;
  const pte = pt.entries[pte_index(addr)];
  if (!pte_present(pte) || pte_special(pte)) return -1;
  return pte_pfn(pte);
}

/** A THP's subpage about to be merged: the THP is split first (try_to_merge_one_page's split_huge_page). */
function ksm_split_thp(k: Kernel, pfn: number): boolean {
  if (!(k.mem.flags[pfn] & (PG_head | PG_tail))) return true;
  return split_huge_page(k, k.mem.compound_head(pfn), 0) === 0;
}

/** The stable node a KSM page belongs to (page->mapping), or null. */
export function page_stable_node(k: Kernel, pfn: number): StableNode | null {
  if (!(k.mem.flags[pfn] & PG_ksm)) return null;
  return ksm(k).nodes.get(k.mem.getMapping(pfn)) ?? null;
}

/** One more PTE maps a KSM page (page_add_anon_rmap of a KSM page). */
export function ksm_page_add_rmap(k: Kernel, pfn: number): void {
  const first = k.mem.page_mapcount(pfn) === 0;
  page_dup_rmap(k, pfn);
  if (first) k.nodes[page_zone(k, pfn).node].vm_stat[NR_ANON_MAPPED]++;
}

/* ---- the stable tree ---- */

/** remove_node_from_stable_tree: the node's page is gone; every rmap_item on it goes back to none. */
export function remove_node_from_stable_tree(k: Kernel, node: StableNode): void {
  const s = ksm(k);
  for (let i = 0; i < node.items.length; i++) {
    const it = node.items[i];
    // hlist order: all but the last (the oldest) were "sharing".
    if (i < node.items.length - 1) s.pages_sharing--;
    else s.pages_shared--;
    it.slot.merging--;
    it.state = 0;
    it.node = null;
    it.anon_vma = null;
  }
  node.items = [];
  s.nodes.delete(node.id);
  const e = s.stable.get(node.key);
  if (e) {
    e.dups = e.dups.filter((d) => d !== node);
    if (!e.dups.length) s.stable.delete(node.key);
  }
}

/** get_ksm_page: the node's page if it is still that KSM page, else the node is dropped (-1). */
function get_ksm_page(k: Kernel, node: StableNode): number {
  const pfn = node.kpfn;
  const mem = k.mem;
  if (mem.flags[pfn] & PG_ksm && mem.getMapping(pfn) === node.id && mem.page_ref_count(pfn) > 0) return pfn;
  remove_node_from_stable_tree(k, node);
  return -1;
}

/**
 * stable_tree_search: a KSM page with the same contents that can take one
 * more sharer, or -1. A KSM page is its own answer (one a fork left in a
 * child, whose rmap_item is not on the node yet). Stale dups are pruned on
 * the way; a chain left with one dup below the limit becomes a plain node
 * again; of the dups below max_page_sharing the fullest is chosen.
 */
function stable_tree_search(k: Kernel, pfn: number): number {
  const s = ksm(k);
  if (page_stable_node(k, pfn)) return pfn;
  const key = content_key(k, pfn);
  const e = s.stable.get(key);
  if (!e) return -1;
  for (const d of [...e.dups]) get_ksm_page(k, d);
  if (!s.stable.has(key)) return -1;
  if (e.chain && e.dups.length === 1 && e.dups[0].items.length < s.max_page_sharing) e.chain = false;
  let found: StableNode | null = null;
  for (const d of e.dups)
    if (d.items.length < s.max_page_sharing && (!found || d.items.length > found.items.length)) found = d;
  return found && pages_identical(k, found.kpfn, pfn) ? found.kpfn : -1;
}

/** stable_tree_insert: kpage becomes a stable node (a new dup when the contents already have a full one). */
function stable_tree_insert(k: Kernel, kpfn: number): StableNode {
  const s = ksm(k);
  const key = content_key(k, kpfn);
  const node: StableNode = { id: s.next_node++, kpfn, key, items: [] };
  s.nodes.set(node.id, node);
  k.mem.setMapping(kpfn, node.id, k.mem.getIndex(kpfn));
  const e = s.stable.get(key);
  if (e) {
    e.dups.push(node);
    e.chain = true;
  } else s.stable.set(key, { dups: [node], chain: false });
  return node;
}

/** stable_tree_append: the rmap_item now maps the node's page. */
function stable_tree_append(k: Kernel, it: RmapItem, node: StableNode): void {
  const s = ksm(k);
  it.state = STABLE;
  it.node = node;
  node.items.unshift(it);
  if (node.items.length > 1) s.pages_sharing++;
  else s.pages_shared++;
  it.slot.merging++;
}

/** remove_rmap_item_from_tree: out of whichever tree holds it. */
function remove_rmap_item_from_tree(k: Kernel, it: RmapItem): void {
  const s = ksm(k);
  if (it.state === STABLE) {
    const node = it.node!;
    // A node whose page went away has already let go of all its items.
    if (get_ksm_page(k, node) < 0) return;
    node.items.splice(node.items.indexOf(it), 1);
    if (node.items.length) s.pages_sharing--;
    else s.pages_shared--;
    it.slot.merging--;
    it.node = null;
    it.anon_vma = null;
    it.state = 0;
  } else if (it.state === UNSTABLE) {
    // The unstable tree of an earlier scan is gone already; one of this scan loses the item.
    if (it.seqnr === s.seqnr && s.unstable.get(it.key) === it) s.unstable.delete(it.key);
    s.pages_unshared--;
    it.state = 0;
  }
}

/* ---- merging ---- */

/** The mergeable area at addr (find_mergeable_vma), or null. */
function find_mergeable_vma(mm: MmStruct, addr: number): VmAreaStruct | null {
  const vma = find_vma(mm, addr);
  if (!vma || vma.vm_start > addr || !(vma.vm_flags & VM_MERGEABLE) || !vma.anon_vma) return null;
  return vma;
}

/**
 * write_protect_page: the PTE mapping pfn at addr becomes read-only and
 * clean (a dirty one dirties the page). Fails when something beyond the
 * mappings (and the swap cache) holds the page.
 */
function write_protect_page(
  k: Kernel,
  mm: MmStruct,
  pfn: number,
  addr: number,
): { pt: PageTable; i: number } | null {
  const pt = walk(k, mm, addr, false);
  if (!pt) return null;
  const i = pte_index(addr);
  const pte = pt.entries[i];
  if (!pte_present(pte) || pte_pfn(pte) !== pfn) return null;
  if (pte_write(pte) || pte_dirty(pte)) {
    const swapped = k.mem.flags[pfn] & PG_swapcache ? 1 : 0;
    if (k.mem.page_mapcount(pfn) + swapped !== k.mem.page_ref_count(pfn)) return null;
    if (pte_dirty(pte)) k.mem.flags[pfn] |= PG_dirty;
    set_pte(pt, i, pte_clear(pte, _PAGE_RW | _PAGE_DIRTY));
    flush_tlb_page(k, mm, addr);
  }
  return { pt, i };
}

/**
 * replace_page: the PTE at addr points at kpage instead of page (read-only,
 * young); page loses the mapping and the reference, and is freed when that
 * was the last.
 */
function replace_page(
  k: Kernel,
  mm: MmStruct,
  pt: PageTable,
  i: number,
  addr: number,
  pfn: number,
  kpfn: number,
): void {
  get_page(k, kpfn);
  ksm_page_add_rmap(k, kpfn);
  const old = pt.entries[i];
  set_pte(pt, i, pfn_pte(kpfn, pte_flags(old) & ~(_PAGE_RW | _PAGE_DIRTY)));
  flush_tlb_page(k, mm, addr);
  page_remove_rmap(k, pfn);
  if (k.mem.page_mapcount(pfn) === 0) try_to_free_swap(k, pfn);
  put_page(k, pfn);
}

/** try_to_merge_one_page: 0 when page is now kpage's sharer (or, without kpage, a KSM page itself). */
function try_to_merge_one_page(
  k: Kernel,
  vma: VmAreaStruct,
  pfn: number,
  kpfn: number,
  addr: number,
): boolean {
  if (pfn === kpfn) return true;
  if (!(k.mem.flags[pfn] & PG_anon) || !ksm_split_thp(k, pfn)) return false;
  const wp = write_protect_page(k, vma.vm_mm, pfn, addr);
  if (!wp) return false;
  const t = k.sched.current;
  if (t) t.cost += KSM_MERGE_COST;
  if (kpfn < 0) {
    // set_page_stable_node(page, NULL): the page is KSM now, its node comes with stable_tree_insert.
    k.mem.flags[pfn] |= PG_ksm;
    mark_page_accessed(k, pfn);
    // Reclaim frees a clean page without writing it: a KSM page must go to swap.
    k.mem.flags[pfn] |= PG_dirty;
    return true;
  }
  if (!pages_identical(k, pfn, kpfn)) return false;
  replace_page(k, vma.vm_mm, wp.pt, wp.i, addr, pfn, kpfn);
  if (vma.vm_flags & VM_LOCKED) {
    munlock_page(k, pfn, vma);
    mlock_page(k, kpfn);
  }
  return true;
}

/**
 * try_to_merge_one_page with the zero page: the PTE maps the zero page
 * (special, dirty so a write copies at once) and the anonymous page is gone
 * from the mm's count, as replace_page does for it.
 */
function merge_with_zero_page(k: Kernel, vma: VmAreaStruct, pfn: number, addr: number): boolean {
  if (!(k.mem.flags[pfn] & PG_anon) || k.mem.flags[pfn] & PG_ksm || !ksm_split_thp(k, pfn)) return false;
  const wp = write_protect_page(k, vma.vm_mm, pfn, addr);
  if (!wp) return false;
  const t = k.sched.current;
  if (t) t.cost += KSM_MERGE_COST;
  const old = wp.pt.entries[wp.i];
  set_pte(
    wp.pt,
    wp.i,
    pfn_pte(k.zero_pfn, (pte_flags(old) & ~_PAGE_RW) | _PAGE_SPECIAL | _PAGE_DIRTY | _PAGE_SOFT_DIRTY),
  );
  flush_tlb_page(k, vma.vm_mm, addr);
  vma.vm_mm.rss[MM_ANONPAGES]--;
  page_remove_rmap(k, pfn);
  if (k.mem.page_mapcount(pfn) === 0) try_to_free_swap(k, pfn);
  put_page(k, pfn);
  return true;
}

/** try_to_merge_with_ksm_page: merge the item's page (into kpage), the item out of its tree. */
function try_to_merge_with_ksm_page(k: Kernel, it: RmapItem, pfn: number, kpfn: number): boolean {
  const vma = find_mergeable_vma(it.slot.mm, it.address);
  if (!vma) return false;
  if (!try_to_merge_one_page(k, vma, pfn, kpfn, it.address)) return false;
  remove_rmap_item_from_tree(k, it);
  it.anon_vma = vma.anon_vma;
  return true;
}

/** break_ksm: a write fault at addr, so the area has its own copy of a KSM page. */
export function break_ksm(k: Kernel, vma: VmAreaStruct, addr: number): number {
  const pfn = follow_page(k, vma.vm_mm, addr);
  if (pfn < 0 || !(k.mem.flags[pfn] & PG_ksm)) return 0;
  return handle_mm_fault(k, null, vma.vm_mm, vma, addr, true) & VM_FAULT_OOM ? -ENOMEM : 0;
}

/** break_cow: the item's page is a KSM page nothing else shares: give it back its own page. */
function break_cow(k: Kernel, it: RmapItem): void {
  const vma = find_mergeable_vma(it.slot.mm, it.address);
  if (vma) break_ksm(k, vma, it.address);
}

/**
 * cmp_and_merge_page: the heart of a scan step. The page either joins a
 * stable page, or (unchanged since the last visit) meets its twin in the
 * unstable tree, or goes into that tree to wait for one.
 */
function cmp_and_merge_page(k: Kernel, pfn: number, it: RmapItem): void {
  const s = ksm(k);
  const node = page_stable_node(k, pfn);
  // Already merged, and this item is the node's: nothing to do.
  if (node && it.state === STABLE && it.node === node) return;
  remove_rmap_item_from_tree(k, it);
  const kpfn = stable_tree_search(k, pfn);
  if (kpfn >= 0) {
    if (try_to_merge_with_ksm_page(k, it, pfn, kpfn)) {
      const n = page_stable_node(k, kpfn);
      if (n) stable_tree_append(k, it, n);
    }
    return;
  }
  // A page that changed since the last look is left for the next full scan.
  const checksum = k.mem.getTag(pfn);
  if (it.oldchecksum !== checksum) {
    it.oldchecksum = checksum;
    return;
  }
  // use_zero_pages: an empty page is simply replaced by the zero page.
  if (s.use_zero_pages && checksum === 0 && !(k.mem.flags[pfn] & PG_data)) {
    const vma = find_mergeable_vma(it.slot.mm, it.address);
    if (vma && merge_with_zero_page(k, vma, pfn, it.address)) return;
  }
  const key = content_key(k, pfn);
  const other = s.unstable.get(key);
  if (other && other !== it) {
    const tree_pfn = follow_page(k, other.slot.mm, other.address);
    // The tree's page went away or is no longer an ordinary one: the tree is stale, leave it be.
    if (tree_pfn < 0 || !(k.mem.flags[tree_pfn] & PG_anon)) return;
    if (tree_pfn === pfn) return;
    if (pages_identical(k, pfn, tree_pfn)) {
      // try_to_merge_two_pages: this page becomes the KSM page, the tree's page points at it.
      if (!try_to_merge_with_ksm_page(k, it, pfn, -1)) return;
      if (!try_to_merge_with_ksm_page(k, other, tree_pfn, pfn)) {
        break_cow(k, it);
        return;
      }
      const n = stable_tree_insert(k, pfn);
      stable_tree_append(k, other, n);
      stable_tree_append(k, it, n);
      return;
    }
  }
  // unstable_tree_search_insert: this page waits in the tree.
  it.state = UNSTABLE;
  it.seqnr = s.seqnr;
  it.key = key;
  s.unstable.set(key, it);
  s.pages_unshared++;
}

/* ---- the scan ---- */

/** get_next_rmap_item: the slot's item for addr (items below it are stale and go). */
function get_next_rmap_item(k: Kernel, slot: MmSlot, addr: number): RmapItem {
  const s = ksm(k);
  while (s.scan_pos < slot.items.length) {
    const it = slot.items[s.scan_pos];
    if (it.address === addr) return it;
    if (it.address > addr) break;
    remove_rmap_item_from_tree(k, it);
    slot.items.splice(s.scan_pos, 1);
    s.rmap_items--;
    slot.rmap_items--;
  }
  const it: RmapItem = {
    slot,
    address: addr,
    oldchecksum: 0,
    state: 0,
    seqnr: 0,
    key: "",
    node: null,
    anon_vma: null,
  };
  slot.items.splice(s.scan_pos, 0, it);
  s.rmap_items++;
  slot.rmap_items++;
  return it;
}

/** remove_trailing_rmap_items: the slot's items from the scan position on. */
export function remove_trailing_rmap_items(k: Kernel, slot: MmSlot, from: number): void {
  const s = ksm(k);
  for (let i = from; i < slot.items.length; i++) remove_rmap_item_from_tree(k, slot.items[i]);
  s.rmap_items -= slot.items.length - from;
  slot.rmap_items -= slot.items.length - from;
  slot.items.length = from;
}

export function drop_slot(k: Kernel, slot: MmSlot): void {
  const s = ksm(k);
  s.slots.splice(s.slots.indexOf(slot), 1);
  s.by_mm.delete(slot.mm);
}

/**
 * scan_get_next_rmap_item: the next present anonymous page of a mergeable
 * area, and its rmap_item; null at the end of a full scan (seqnr++).
 */
function scan_get_next_rmap_item(k: Kernel): { it: RmapItem; pfn: number } | null {
  const s = ksm(k);
  if (!s.slots.length) return null;
  if (s.scan_slot === null) {
    // A new full scan: the unstable tree starts empty.
    s.unstable.clear();
    s.scan_slot = s.slots[0];
    s.scan_address = 0;
    s.scan_pos = 0;
  }
  for (;;) {
    const slot: MmSlot = s.scan_slot!;
    const mm = slot.mm;
    if (!slot.exiting) {
      for (let vma = find_vma(mm, s.scan_address); vma; vma = find_vma(mm, vma.vm_end)) {
        if (!(vma.vm_flags & VM_MERGEABLE)) continue;
        if (s.scan_address < vma.vm_start) s.scan_address = vma.vm_start;
        if (!vma.anon_vma) s.scan_address = vma.vm_end;
        while (s.scan_address < vma.vm_end) {
          const addr = s.scan_address;
          const t = k.sched.current;
          if (t) t.cost += KSM_SCAN_COST / 8;
          const pfn = follow_page(k, mm, addr);
          s.scan_address += 4096;
          if (pfn < 0 || !(k.mem.flags[pfn] & PG_anon)) continue;
          const it = get_next_rmap_item(k, slot, addr);
          s.scan_pos++;
          return { it, pfn };
        }
      }
    }
    if (slot.exiting) {
      s.scan_address = 0;
      s.scan_pos = 0;
    }
    // No mergeable area above here: its items are stale.
    remove_trailing_rmap_items(k, slot, s.scan_pos);
    const next: MmSlot | null = s.slots[s.slots.indexOf(slot) + 1] ?? null;
    // Nothing mergeable left (or the mm has gone): the slot goes, as __ksm_exit would.
    if (s.scan_address === 0) drop_slot(k, slot);
    s.scan_slot = next;
    s.scan_address = 0;
    s.scan_pos = 0;
    if (next === null) {
      s.seqnr++;
      return null;
    }
  }
}

/** ksm_do_scan: up to n pages. */
function ksm_do_scan(k: Kernel, n: number): void {
  const t = k.sched.current;
  while (n-- > 0) {
    const r = scan_get_next_rmap_item(k);
    if (!r) return;
    if (t) t.cost += KSM_SCAN_COST;
    cmp_and_merge_page(k, r.pfn, r.it);
  }
}

function ksmd_should_run(k: Kernel): boolean {
  const s = ksm(k);
  return (s.run & KSM_RUN_MERGE) !== 0 && s.slots.length > 0;
}

/** ksmd (ksm_scan_thread): a batch every sleep_millisecs while there is work; else it sleeps until there is. */
export function* ksm_scan_thread(k: Kernel, _t: Task): TaskGen {
  const wq = k.kthread_wq.get("ksmd")!;
  for (;;) {
    if (ksmd_should_run(k)) {
      ksm_do_scan(k, ksm(k).pages_to_scan);
      yield { nr: "__kwait", wq, until: k.clock.ns + ksm(k).sleep_millisecs * 1_000_000 };
    } else yield { nr: "__kwait", wq };
  }
}

export function wake_ksmd(k: Kernel): void {
  const wq = k.kthread_wq.get("ksmd");
  if (wq) wake_up(k, wq);
}
