/*
 * slub.ts - the SLUB allocator (Linux mm/slub.c, 6.1): slab layout, slab
 * pages, per-CPU slabs, partial lists, and the allocation and free paths.
 * slab.ts has the structures; slub_debug.ts the debugging half of slub.c;
 * slab_common.ts creates caches and builds kmalloc on top of this file.
 *
 * How an object moves (no debugging):
 *
 *   CPU n:  c->slab ----- c->freelist: free objects only this CPU takes
 *           c->partial -> slab -> slab: frozen slabs with free objects
 *   node:   n->partial: slabs with free objects that no CPU owns
 *           (full slabs are on no list at all)
 *
 * Allocation takes the next object of c->freelist (the fast path). When it
 * is empty, ___slab_alloc takes the objects other CPUs freed into the slab
 * meanwhile (slab->freelist), else the next slab of c->partial, else slabs
 * from the node partial list (one to use, more to refill c->partial), else
 * a new slab from the buddy allocator. A free into the CPU's own slab goes
 * back on c->freelist; any other free goes on slab->freelist (__slab_free),
 * and the first free into a full slab freezes it onto c->partial. When
 * c->partial holds cpu_partial_slabs slabs, the next one unfreezes them all
 * onto the node list, where empty slabs beyond min_partial are freed.
 *
 * Caches with slub_debug flags skip the CPU level entirely: every object
 * is taken from and returned to the node lists with the checks of
 * slub_debug.ts in between (6.1's alloc_single_from_partial).
 *
 * Simplified: no cmpxchg/tid (one kernel path at a time), no NUMA node
 * choice beyond the current CPU's node, no memcg charging, no
 * pfmemalloc slabs.
 */

import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { list_add, list_add_tail, list_del, list_for_each, list_move } from "../lib/list.js";
import {
  __GFP_COMP,
  __GFP_DIRECT_RECLAIM,
  __GFP_NOFAIL,
  __GFP_NOMEMALLOC,
  __GFP_NORETRY,
  __GFP_NOWARN,
  __GFP_RECLAIM,
} from "./gfp.js";
import { PAGES_PER_SECTION, PG_slab, SECTION_SHIFT } from "./mm_types.js";
import { NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B } from "./mmzone.js";
import { __alloc_pages, __free_pages, numa_node_id, PAGE_SIZE, page_zone } from "./page_alloc.js";
import {
  DEACTIVATE_TO_HEAD,
  DEACTIVATE_TO_TAIL,
  type KmemCache,
  type KmemCacheCpu,
  type KmemCacheNode,
  SLAB_RECLAIM_ACCOUNT,
  SLAB_STORE_USER,
  Slab,
} from "./slab.js";
import {
  alloc_debug_processing,
  free_debug_processing,
  setup_slab_debug,
  slab_hardened_double_free,
} from "./slub_debug.js";
import { order_objects } from "./slub_layout.js";

const SHRINK_PROMOTE_MAX = 32;

/* ------------------------------------------------------------------ */
/* Slab pages                                                           */
/* ------------------------------------------------------------------ */

/** The slab an object address belongs to (virt_to_slab), or null. */
export function virt_to_slab(k: Kernel, addr: number): Slab | null {
  const pfn = Math.floor(addr / PAGE_SIZE);
  if (pfn < 0 || pfn >= k.mem.max_pfn) return null;
  const ext = k.mem.sections[pfn >>> SECTION_SHIFT];
  if (ext === null) return null;
  const id = ext.private_[pfn & (PAGES_PER_SECTION - 1)];
  if (id <= 0) return null;
  const slab = k.slab.slabs[id];
  if (slab === null || pfn < slab.pfn || pfn >= slab.pfn + (1 << slab.order)) return null;
  return slab;
}

function cache_vmstat_idx(s: KmemCache): number {
  return s.flags & SLAB_RECLAIM_ACCOUNT ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

/**
 * allocate_slab: pages for a new slab. The preferred order is tried without
 * retrying hard (and without reclaim when that order exceeds the minimum);
 * failing that the minimum order that fits one object is asked normally.
 */
function allocate_slab(k: Kernel, s: KmemCache, flags: number): Slab | null {
  flags |= s.allocflags;
  let order = s.order;
  let alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
  if (alloc_gfp & __GFP_DIRECT_RECLAIM && order > s.min_order)
    alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
  const nid = numa_node_id(k);
  let pfn = __alloc_pages(k, alloc_gfp, order, nid, null);
  if (pfn < 0 && order !== s.min_order) {
    order = s.min_order;
    pfn = __alloc_pages(k, s.min_order ? flags : flags & ~__GFP_COMP, order, nid, null);
  }
  if (pfn < 0) return null;
  const st = k.slab;
  const id = st.free_ids.length ? st.free_ids.pop()! : st.slabs.length;
  const objects = order === s.order ? s.objects : order_objects(order, s.size);
  const node = page_zone(k, pfn).node;
  const slab = new Slab(id, s, pfn, order, objects, node);
  slab.base += s.red_left_pad;
  st.slabs[id] = slab;
  const mem = k.mem;
  mem.flags[pfn] |= PG_slab;
  for (let i = 0; i < 1 << order; i++) {
    const ext = mem.ext(pfn + i);
    const j = (pfn + i) & (PAGES_PER_SECTION - 1);
    ext.private_[j] = id;
    ext.mapping[j] = s.id + 1;
  }
  k.nodes[node].vm_stat[cache_vmstat_idx(s)] += 1 << order;
  if (s.debug) setup_slab_debug(s, slab);
  shuffle_freelist(k, s, slab);
  slab.inuse = objects;
  slab.frozen = true;
  return slab;
}

/** Threads the free list through the objects: sequential, or from the random permutation. */
function shuffle_freelist(k: Kernel, s: KmemCache, slab: Slab): void {
  const n = slab.objects;
  const fp = slab.fp;
  const seq = s.random_seq;
  if (seq === null || seq.length !== n) {
    for (let i = 0; i < n; i++) fp[i] = i + 1 < n ? i + 1 : -1;
    slab.freelist = 0;
    return;
  }
  let pos = k.prng.below(n);
  const first = seq[pos];
  let cur = first;
  for (let i = 1; i < n; i++) {
    pos = pos + 1 === n ? 0 : pos + 1;
    fp[cur] = seq[pos];
    cur = seq[pos];
  }
  fp[cur] = -1;
  slab.freelist = first;
}

function inc_slabs_node(s: KmemCache, node: number, objects: number): void {
  const n = s.node[node];
  n.nr_slabs++;
  n.total_objects += objects;
}

function dec_slabs_node(s: KmemCache, node: number, objects: number): void {
  const n = s.node[node];
  n.nr_slabs--;
  n.total_objects -= objects;
}

/** new_slab: a slab with all objects on slab->freelist, counted in its node. */
function new_slab(k: Kernel, s: KmemCache, flags: number): Slab | null {
  const slab = allocate_slab(k, s, flags);
  if (slab) inc_slabs_node(s, slab.node, slab.objects);
  return slab;
}

/** __free_slab: the pages go back to the buddy allocator. */
function __free_slab(k: Kernel, s: KmemCache, slab: Slab): void {
  const mem = k.mem;
  const pfn = slab.pfn;
  const order = slab.order;
  mem.flags[pfn] &= ~PG_slab;
  for (let i = 0; i < 1 << order; i++) {
    const ext = mem.ext(pfn + i);
    const j = (pfn + i) & (PAGES_PER_SECTION - 1);
    ext.private_[j] = 0;
    ext.mapping[j] = 0;
  }
  k.nodes[slab.node].vm_stat[cache_vmstat_idx(s)] -= 1 << order;
  k.slab.slabs[slab.id] = null;
  k.slab.free_ids.push(slab.id);
  slab.debug = null;
  __free_pages(k, pfn, order);
}

/** discard_slab: uncount and free a slab no list holds. */
function discard_slab(k: Kernel, s: KmemCache, slab: Slab): void {
  dec_slabs_node(s, slab.node, slab.objects);
  __free_slab(k, s, slab);
}

/* ------------------------------------------------------------------ */
/* Node lists                                                           */
/* ------------------------------------------------------------------ */

function add_partial(k: Kernel, n: KmemCacheNode, slab: Slab, tail: number): void {
  n.nr_partial++;
  if (tail === DEACTIVATE_TO_TAIL) list_add_tail(k.mem.links, slab.pfn, n.partial);
  else list_add(k.mem.links, slab.pfn, n.partial);
  slab.on_list = 1;
}

function remove_partial(k: Kernel, n: KmemCacheNode, slab: Slab): void {
  list_del(k.mem.links, slab.pfn);
  n.nr_partial--;
  slab.on_list = 0;
}

/** add_full/remove_full: debug caches with SLAB_STORE_USER keep full slabs listed. */
function add_full(k: Kernel, s: KmemCache, n: KmemCacheNode, slab: Slab): void {
  if (!(s.flags & SLAB_STORE_USER)) return;
  list_add(k.mem.links, slab.pfn, n.full);
  slab.on_list = 2;
}

function remove_full(k: Kernel, s: KmemCache, slab: Slab): void {
  if (!(s.flags & SLAB_STORE_USER) || slab.on_list !== 2) return;
  list_del(k.mem.links, slab.pfn);
  slab.on_list = 0;
}

/** The slab whose first page is pfn (for walking the page-link lists). */
function slab_of_pfn(k: Kernel, pfn: number): Slab {
  const ext = k.mem.sections[pfn >>> SECTION_SHIFT]!;
  return k.slab.slabs[ext.private_[pfn & (PAGES_PER_SECTION - 1)]]!;
}

/** Slabs on a node list, in list order. */
export function list_slabs(k: Kernel, head: number): Slab[] {
  const out: Slab[] = [];
  list_for_each(k.mem.links, head, (pfn) => out.push(slab_of_pfn(k, pfn)));
  return out;
}

/**
 * acquire_slab: take a slab off the node partial list and freeze it. The
 * first one taken gives its whole free list to the CPU (returned); the
 * others keep theirs, for when the CPU gets to them on c->partial.
 */
function acquire_slab(k: Kernel, n: KmemCacheNode, slab: Slab, mode: boolean): number {
  remove_partial(k, n, slab);
  slab.frozen = true;
  if (!mode) return slab.freelist;
  const freelist = slab.freelist;
  slab.freelist = -1;
  slab.inuse = slab.objects;
  return freelist;
}

/** get_partial_node: a slab to allocate from, and up to half of cpu_partial_slabs more. */
function get_partial_node(k: Kernel, s: KmemCache, n: KmemCacheNode, c: KmemCacheCpu): number {
  if (!n.nr_partial) return -1;
  let object = -1;
  let partial_slabs = 0;
  for (const slab of list_slabs(k, n.partial)) {
    const t = acquire_slab(k, n, slab, object < 0);
    if (object < 0) {
      c.slab = slab;
      object = t;
    } else {
      put_cpu_partial(k, s, c, slab, false);
      partial_slabs++;
    }
    if (s.debug || partial_slabs > s.cpu_partial_slabs / 2) break;
  }
  return object;
}

/* ------------------------------------------------------------------ */
/* Per-CPU slabs                                                        */
/* ------------------------------------------------------------------ */

/**
 * deactivate_slab: give a CPU slab back to its node. The CPU's remaining
 * free objects rejoin the slab's free list; then the slab is freed (empty,
 * and the node holds min_partial partial slabs already), put on the
 * partial list (some free objects), or left off every list (full).
 */
function deactivate_slab(k: Kernel, s: KmemCache, slab: Slab, freelist: number): void {
  const n = s.node[slab.node];
  let tail = DEACTIVATE_TO_HEAD;
  if (slab.freelist >= 0) tail = DEACTIVATE_TO_TAIL;
  // Move the CPU's free objects onto the slab's own list.
  while (freelist >= 0) {
    const next = slab.fp[freelist];
    slab.fp[freelist] = slab.freelist;
    slab.freelist = freelist;
    slab.inuse--;
    freelist = next;
  }
  slab.frozen = false;
  if (!slab.inuse && n.nr_partial >= s.min_partial) discard_slab(k, s, slab);
  else if (slab.freelist >= 0) add_partial(k, n, slab, tail);
  else add_full(k, s, n, slab);
}

/** __unfreeze_partials: a chain of CPU partial slabs goes back to the node lists. */
function __unfreeze_partials(k: Kernel, s: KmemCache, partial: Slab | null): void {
  while (partial) {
    const slab = partial;
    partial = slab.next;
    slab.next = null;
    slab.frozen = false;
    const n = s.node[slab.node];
    if (!slab.inuse && n.nr_partial >= s.min_partial) discard_slab(k, s, slab);
    else add_partial(k, n, slab, DEACTIVATE_TO_TAIL);
  }
}

/**
 * put_cpu_partial: push a frozen slab on the CPU's partial list. With drain,
 * a full list is first emptied onto the node lists.
 */
function put_cpu_partial(k: Kernel, s: KmemCache, c: KmemCacheCpu, slab: Slab, drain: boolean): void {
  let oldslab = c.partial;
  let slabs = 0;
  let to_unfreeze: Slab | null = null;
  if (oldslab) {
    if (drain && oldslab.slabs >= s.cpu_partial_slabs) {
      to_unfreeze = oldslab;
      oldslab = null;
    } else slabs = oldslab.slabs;
  }
  slab.slabs = slabs + 1;
  slab.next = oldslab;
  c.partial = slab;
  if (to_unfreeze) __unfreeze_partials(k, s, to_unfreeze);
}

/** flush_slab + unfreeze_partials for one CPU (flush_cpu_slab). */
export function flush_cpu_slab(k: Kernel, s: KmemCache, cpu: number): void {
  const c = s.cpu_slab[cpu];
  if (c.slab) {
    const slab = c.slab;
    const freelist = c.freelist;
    c.slab = null;
    c.freelist = -1;
    deactivate_slab(k, s, slab, freelist);
  }
  const partial = c.partial;
  c.partial = null;
  __unfreeze_partials(k, s, partial);
}

export function flush_all(k: Kernel, s: KmemCache): void {
  for (let cpu = 0; cpu < s.cpu_slab.length; cpu++) flush_cpu_slab(k, s, cpu);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                           */
/* ------------------------------------------------------------------ */

/**
 * ___slab_alloc: the slow path, when c->freelist is empty. Returns the
 * object's index in c.slab (c.freelist then holds the rest), or -1.
 */
function ___slab_alloc(k: Kernel, s: KmemCache, gfp: number, c: KmemCacheCpu): number {
  let slab = c.slab;
  for (;;) {
    if (slab) {
      // get_freelist: objects freed into the slab by other CPUs since we took it.
      const freelist = slab.freelist;
      if (freelist >= 0) {
        slab.freelist = -1;
        slab.inuse = slab.objects;
        c.freelist = slab.fp[freelist];
        return freelist;
      }
      // The slab is exhausted: it stays full and off every list (unfrozen).
      slab.frozen = false;
      c.slab = null;
      add_full(k, s, s.node[slab.node], slab);
    }
    // new_slab: the next slab of the CPU's partial list...
    if (c.partial) {
      slab = c.slab = c.partial;
      c.partial = slab.next;
      slab.next = null;
      continue;
    }
    break;
  }
  // ...else from the node partial lists...
  const nid = numa_node_id(k);
  let object = get_partial_node(k, s, s.node[nid], c);
  if (object < 0)
    for (let i = 0; i < s.node.length && object < 0; i++)
      if (i !== nid) object = get_partial_node(k, s, s.node[i], c);
  if (object >= 0) {
    c.freelist = c.slab!.fp[object];
    return object;
  }
  // ...else a new slab from the buddy allocator.
  slab = new_slab(k, s, gfp);
  if (!slab) {
    slab_out_of_memory(k, s, gfp);
    return -1;
  }
  // retry_load_slab: new_slab may have reclaimed, and reclaim may have
  // allocated from this cache and given the CPU a slab meanwhile; that one
  // is deactivated before the new one takes its place.
  if (c.slab) {
    const flush = c.slab;
    const flush_freelist = c.freelist;
    c.slab = null;
    c.freelist = -1;
    deactivate_slab(k, s, flush, flush_freelist);
  }
  const freelist = slab.freelist;
  slab.freelist = -1;
  slab.inuse = slab.objects;
  slab.frozen = true;
  c.slab = slab;
  c.freelist = slab.fp[freelist];
  return freelist;
}

/** slab_out_of_memory: the "SLUB: Unable to allocate memory" report. */
function slab_out_of_memory(k: Kernel, s: KmemCache, gfp: number): void {
  if (gfp & __GFP_NOWARN) return;
  const p = (x: string): void => k.printk.printk(4, x);
  p(`SLUB: Unable to allocate memory on node -1, gfp=0x${gfp.toString(16)}`);
  p(
    `  cache: ${s.name}, object size: ${s.object_size}, buffer size: ${s.size}, default order: ${s.order}, min order: ${s.min_order}`,
  );
  s.node.forEach((n, node) => {
    let nr_free = 0;
    for (const slab of list_slabs(k, n.partial)) nr_free += slab.objects - slab.inuse;
    p(`  node ${node}: slabs: ${n.nr_slabs}, objs: ${n.total_objects}, free: ${nr_free}`);
  });
}

/**
 * slab_alloc (slab_alloc_node): an object of cache s, or 0 when memory is
 * short. `caller` names who asked (kept with SLAB_STORE_USER).
 */
export function slab_alloc(k: Kernel, s: KmemCache, gfp: number, caller: string): number {
  const c = s.cpu_slab[k.cpu];
  const object = c.freelist;
  if (object >= 0) {
    const slab = c.slab!;
    c.freelist = slab.fp[object];
    return slab.base + object * s.size;
  }
  if (s.debug) return alloc_debug(k, s, gfp, caller);
  const idx = ___slab_alloc(k, s, gfp, c);
  return idx < 0 ? 0 : c.slab!.base + idx * s.size;
}

/** Debug caches: one object straight from the node lists, checked (alloc_single_from_partial). */
function alloc_debug(k: Kernel, s: KmemCache, gfp: number, caller: string): number {
  const nid = numa_node_id(k);
  let n = s.node[nid];
  let slab: Slab | null = null;
  for (;;) {
    const head = k.mem.links.lru[n.partial << 1];
    if (head !== n.partial) slab = slab_of_pfn(k, head);
    else {
      slab = new_slab(k, s, gfp);
      if (!slab) {
        slab_out_of_memory(k, s, gfp);
        return 0;
      }
      slab.inuse = 0;
      slab.frozen = false;
      n = s.node[slab.node];
      add_partial(k, n, slab, DEACTIVATE_TO_HEAD);
    }
    const object = slab.freelist;
    if (!alloc_debug_processing(k, s, slab, object, caller)) {
      // A corrupted slab is taken out of circulation (all its objects counted used).
      remove_partial(k, n, slab);
      slab.inuse = slab.objects;
      slab.freelist = -1;
      continue;
    }
    slab.freelist = slab.fp[object];
    slab.inuse++;
    if (slab.freelist < 0) {
      remove_partial(k, n, slab);
      add_full(k, s, n, slab);
    }
    return slab.base + object * s.size;
  }
}

/* ------------------------------------------------------------------ */
/* Freeing                                                              */
/* ------------------------------------------------------------------ */

/**
 * __slab_free: a free into a slab this CPU does not own. The object joins
 * slab->freelist; a full slab gets frozen onto this CPU's partial list; a
 * slab that became empty on the node list is freed when the node has
 * enough partial slabs.
 */
function __slab_free(k: Kernel, s: KmemCache, slab: Slab, idx: number): void {
  const prior = slab.freelist;
  if (prior === idx) {
    slab_hardened_double_free(k, s, slab, idx);
    return;
  }
  slab.fp[idx] = prior;
  slab.freelist = idx;
  slab.inuse--;
  const was_frozen = slab.frozen;
  if (was_frozen) return;
  if (prior < 0) {
    // The slab was full (on no list): freeze it onto this CPU's partial list.
    if (slab.on_list === 2) remove_full(k, s, slab);
    slab.frozen = true;
    put_cpu_partial(k, s, s.cpu_slab[k.cpu], slab, true);
    return;
  }
  const n = s.node[slab.node];
  if (!slab.inuse && n.nr_partial >= s.min_partial) {
    remove_partial(k, n, slab);
    discard_slab(k, s, slab);
  }
}

/**
 * slab_free (do_slab_free): give an object back. Into the CPU's own slab
 * it goes on c->freelist (the fast path); otherwise through __slab_free.
 * CONFIG_SLAB_FREELIST_HARDENED's naive check catches an object freed twice
 * in a row (it would point to itself).
 */
export function slab_free(k: Kernel, s: KmemCache, slab: Slab, addr: number, caller: string): void {
  const idx = (addr - slab.base) / s.size;
  if (s.debug) {
    free_debug(k, s, slab, addr, idx, caller);
    return;
  }
  const c = s.cpu_slab[k.cpu];
  const head = c.freelist;
  if (slab === c.slab && idx !== head) {
    slab.fp[idx] = head;
    c.freelist = idx;
    return;
  }
  if (slab === c.slab) {
    slab_hardened_double_free(k, s, slab, idx);
    return;
  }
  __slab_free(k, s, slab, idx);
}

/** Debug caches: checked free straight to the node lists (free_to_partial_list). */
function free_debug(k: Kernel, s: KmemCache, slab: Slab, addr: number, idx: number, caller: string): void {
  if (!free_debug_processing(k, s, slab, addr, idx, caller)) return;
  const n = s.node[slab.node];
  const was_full = slab.freelist < 0;
  slab.fp[idx] = slab.freelist;
  slab.freelist = idx;
  slab.inuse--;
  if (was_full && slab.on_list !== 1) {
    remove_full(k, s, slab);
    add_partial(k, n, slab, DEACTIVATE_TO_TAIL);
  }
  if (!slab.inuse && n.nr_partial > s.min_partial) {
    remove_partial(k, n, slab);
    discard_slab(k, s, slab);
  }
}

/* ------------------------------------------------------------------ */
/* Shrinking and shutdown                                               */
/* ------------------------------------------------------------------ */

/**
 * __kmem_cache_shrink: flush the CPU slabs, free every empty slab of the
 * node partial lists and sort the rest, fullest first (fewest free objects
 * first), so that new allocations fill them up. Returns 1 if slabs remain.
 */
export function __kmem_cache_shrink(k: Kernel, s: KmemCache): number {
  flush_all(k, s);
  let ret = 0;
  s.node.forEach((n, node) => {
    const promote: Slab[][] = Array.from({ length: SHRINK_PROMOTE_MAX }, () => []);
    const discard: Slab[] = [];
    for (const slab of list_slabs(k, n.partial)) {
      const free = slab.objects - slab.inuse;
      if (free <= 0) BUG("slub: full slab on a partial list");
      if (free === slab.objects) {
        remove_partial(k, n, slab);
        dec_slabs_node(s, node, slab.objects);
        discard.push(slab);
      } else if (free <= SHRINK_PROMOTE_MAX) promote[free - 1].push(slab);
    }
    for (let i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--)
      for (let j = promote[i].length - 1; j >= 0; j--) list_move(k.mem.links, promote[i][j].pfn, n.partial);
    for (const slab of discard) __free_slab(k, s, slab);
    if (n.nr_slabs) ret = 1;
  });
  return ret;
}

/**
 * __kmem_cache_shutdown: the cache is being destroyed. Empty slabs are
 * freed; a slab that still holds objects is reported ("Objects remaining")
 * and the cache cannot go (returns 1).
 */
export function __kmem_cache_shutdown(k: Kernel, s: KmemCache, report: (slab: Slab) => void): number {
  flush_all(k, s);
  let busy = 0;
  s.node.forEach((n) => {
    for (const slab of list_slabs(k, n.partial)) {
      if (!slab.inuse) {
        remove_partial(k, n, slab);
        discard_slab(k, s, slab);
      } else report(slab);
    }
    if (n.nr_partial || n.nr_slabs) busy = 1;
  });
  return busy;
}

/** Gives back the list heads of a destroyed cache. */
export function free_kmem_cache_nodes(k: Kernel, s: KmemCache): void {
  for (const n of s.node) {
    k.mem.links.freeHead(n.partial);
    k.mem.links.freeHead(n.full);
  }
  s.node = [];
}

/* ------------------------------------------------------------------ */
/* Counting                                                             */
/* ------------------------------------------------------------------ */

/** count_partial(n, count_free): free objects on a node's partial list. */
export function count_partial_free(k: Kernel, n: KmemCacheNode): number {
  let x = 0;
  list_for_each(k.mem.links, n.partial, (pfn) => {
    const slab = slab_of_pfn(k, pfn);
    x += slab.objects - slab.inuse;
  });
  return x;
}
