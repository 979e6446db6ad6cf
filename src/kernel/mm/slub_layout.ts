/*
 * slub_layout.ts - how SLUB lays out a cache (the calculate_sizes,
 * calculate_order and kmem_cache_open part of Linux mm/slub.c, 6.1): where
 * each object's metadata goes, how many pages a slab takes and how many
 * objects fit, the partial-list limits, and the shuffled free-list order
 * of CONFIG_SLAB_FREELIST_RANDOM. slub.ts runs the caches laid out here.
 */

import type { Kernel } from "../kernel.js";
import { __GFP_COMP, __GFP_RECLAIMABLE, GFP_DMA, GFP_DMA32 } from "./gfp.js";
import { PAGE_SIZE } from "./page_alloc.js";
import {
  __OBJECT_POISON,
  type KmemCache,
  MAX_OBJS_PER_PAGE,
  MAX_PARTIAL,
  MIN_PARTIAL,
  SLAB_CACHE_DMA,
  SLAB_CACHE_DMA32,
  SLAB_DEBUG_FLAGS,
  SLAB_POISON,
  SLAB_RECLAIM_ACCOUNT,
  SLAB_RED_ZONE,
  SLAB_STORE_USER,
  SLAB_TYPESAFE_BY_RCU,
} from "./slab.js";
import { track_size } from "./slub_debug.js";

export function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/** get_order: the smallest order whose block holds size bytes. */
export function get_order(size: number): number {
  let pages = Math.floor((size - 1) / PAGE_SIZE);
  let order = 0;
  while (pages > 0) {
    order++;
    pages = Math.floor(pages / 2);
  }
  return order;
}

export function order_objects(order: number, size: number): number {
  return Math.floor((PAGE_SIZE * 2 ** order) / size);
}

/** The tunables of calculate_order (slub_min_order=, slub_max_order=, slub_min_objects=). */
export interface SlubOrderParams {
  slub_min_order: number;
  slub_max_order: number;
  slub_min_objects: number;
  nr_cpus: number;
  max_order: number; // MAX_ORDER
}

/*
 * calc_slab_order: the smallest order, starting at the one that holds
 * min_objects, whose leftover (slab_size % size) is at most 1/fract_leftover
 * of the slab; max_order + 1 when none up to max_order qualifies.
 */
export function calc_slab_order(
  p: SlubOrderParams,
  size: number,
  min_objects: number,
  max_order: number,
  fract_leftover: number,
): number {
  const min_order = p.slub_min_order;
  if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE) return get_order(size * MAX_OBJS_PER_PAGE) - 1;
  let order = Math.max(min_order, get_order(min_objects * size));
  for (; order <= max_order; order++) {
    const slab_size = PAGE_SIZE * 2 ** order;
    const rem = slab_size % size;
    if (rem <= slab_size / fract_leftover) break;
  }
  return order;
}

/*
 * calculate_order: pick the slab order for objects of `size` bytes.
 *
 * SLUB wants at least min_objects objects per slab (4 * (fls(nr_cpus) + 1)
 * unless slub_min_objects= says otherwise, and never more than fit in a
 * slub_max_order slab), and wants little waste at the end of the slab. It
 * first tries to keep the waste under 1/16 of the slab, then 1/8, then 1/4;
 * failing all three it asks for one object less and tries again. When not
 * even two objects fit, one object per slab will do, up to slub_max_order
 * and then up to MAX_ORDER.
 */
export function calculate_order(p: SlubOrderParams, size: number): number {
  let min_objects = p.slub_min_objects;
  if (!min_objects) {
    let nr_cpus = p.nr_cpus;
    if (nr_cpus <= 1) nr_cpus = p.nr_cpus;
    min_objects = 4 * (fls(nr_cpus) + 1);
  }
  const max_objects = order_objects(p.slub_max_order, size);
  min_objects = Math.min(min_objects, max_objects);
  while (min_objects > 1) {
    let fraction = 16;
    while (fraction >= 4) {
      const order = calc_slab_order(p, size, min_objects, p.slub_max_order, fraction);
      if (order <= p.slub_max_order) return order;
      fraction /= 2;
    }
    min_objects--;
  }
  let order = calc_slab_order(p, size, 1, p.slub_max_order, 1);
  if (order <= p.slub_max_order) return order;
  order = calc_slab_order(p, size, 1, p.max_order, 1);
  if (order < p.max_order) return order;
  return -1;
}

export function slub_order_params(k: Kernel): SlubOrderParams {
  const s = k.slab;
  return {
    slub_min_order: s.slub_min_order,
    slub_max_order: s.slub_max_order,
    slub_min_objects: s.slub_min_objects,
    nr_cpus: k.nr_cpu_ids,
    max_order: k.MAX_ORDER,
  };
}

const ALIGN = (x: number, a: number): number => Math.ceil(x / a) * a;

/*
 * calculate_sizes: the object layout, and from it the slab order.
 *
 *   red_left_pad | object_size | right red zone | free pointer | 2 tracks | pad
 *   (slub_debug)   the object     (to inuse)      (when outside) (STORE_USER)
 *
 * Without debugging an object is object_size rounded up to the word and
 * to the alignment, and the free pointer lives in its middle.
 */
export function calculate_sizes(k: Kernel, s: KmemCache): boolean {
  const ptr = k.profile.pointerBits / 8;
  const flags = s.flags;
  let size = ALIGN(s.object_size, ptr);
  if (flags & SLAB_POISON && !(flags & SLAB_TYPESAFE_BY_RCU) && !s.ctor) s.flags |= __OBJECT_POISON;
  else s.flags &= ~__OBJECT_POISON;
  if (flags & SLAB_RED_ZONE && size === s.object_size) size += ptr;
  s.inuse = size;
  if (
    flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON) ||
    (flags & SLAB_RED_ZONE && s.object_size < ptr) ||
    s.ctor
  ) {
    s.offset = size;
    size += ptr;
  } else s.offset = Math.floor(s.object_size / 2 / ptr) * ptr;
  if (flags & SLAB_STORE_USER) size += 2 * track_size(k);
  s.red_left_pad = 0;
  if (flags & SLAB_RED_ZONE) {
    size += ptr;
    s.red_left_pad = ALIGN(ptr, s.align);
    size += s.red_left_pad;
  }
  size = ALIGN(size, s.align);
  s.size = size;
  const order = calculate_order(slub_order_params(k), size);
  if (order < 0) return false;
  s.allocflags = 0;
  if (order) s.allocflags |= __GFP_COMP;
  if (s.flags & SLAB_CACHE_DMA) s.allocflags |= GFP_DMA;
  if (s.flags & SLAB_CACHE_DMA32) s.allocflags |= GFP_DMA32;
  if (s.flags & SLAB_RECLAIM_ACCOUNT) s.allocflags |= __GFP_RECLAIMABLE;
  s.order = order;
  s.objects = order_objects(order, size);
  s.min_order = get_order(size);
  return s.objects > 0;
}

/** set_cpu_partial: how many objects (and so slabs) a CPU may keep on its partial list. */
function set_cpu_partial(s: KmemCache): void {
  let nr_objects: number;
  if (s.debug) nr_objects = 0;
  else if (s.size >= PAGE_SIZE) nr_objects = 6;
  else if (s.size >= 1024) nr_objects = 24;
  else if (s.size >= 256) nr_objects = 52;
  else nr_objects = 120;
  s.cpu_partial = nr_objects;
  s.cpu_partial_slabs = Math.ceil((nr_objects * 2) / s.objects);
}

/**
 * kmem_cache_open (__kmem_cache_create): lay out the cache and give it its
 * per-CPU and per-node structures. s.flags already carries slub_debug's flags.
 */
export function kmem_cache_open(k: Kernel, s: KmemCache): boolean {
  s.debug = (s.flags & SLAB_DEBUG_FLAGS) !== 0;
  if (!calculate_sizes(k, s)) return false;
  s.min_partial = Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, Math.floor(Math.log2(s.size) / 2)));
  set_cpu_partial(s);
  init_cache_random_seq(k, s);
  s.cpu_slab = [];
  for (let cpu = 0; cpu < k.nr_cpu_ids; cpu++) s.cpu_slab.push({ freelist: -1, slab: null, partial: null });
  s.node = k.nodes.map(() => ({
    partial: k.mem.links.newHead(),
    nr_partial: 0,
    full: k.mem.links.newHead(),
    nr_slabs: 0,
    total_objects: 0,
  }));
  return true;
}

/*
 * CONFIG_SLAB_FREELIST_RANDOM: each cache gets a random permutation of its
 * object indices (freelist_randomize, Fisher-Yates from the seeded PRNG);
 * a new slab threads its free list through the permutation starting at a
 * random position, so that consecutive allocations land far apart.
 */
function init_cache_random_seq(k: Kernel, s: KmemCache): void {
  const count = s.objects;
  if (count < 2) {
    s.random_seq = null;
    return;
  }
  const seq = new Int32Array(count);
  for (let i = 0; i < count; i++) seq[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = k.prng.below(i + 1);
    const t = seq[i];
    seq[i] = seq[j];
    seq[j] = t;
  }
  s.random_seq = seq;
}
