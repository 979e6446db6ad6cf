/*
 * slab.ts - the slab allocator's flags and structures (Linux
 * include/linux/slab.h, include/linux/slub_def.h, mm/slab.h).
 *
 * A kmem_cache hands out objects of one size. Its memory is a set of slabs:
 * blocks of 2^order pages from the buddy allocator, cut into objects laid
 * end to end. Where the pieces live:
 *   slub.ts          the SLUB allocator proper: slab layout, per-CPU slabs,
 *                    partial lists, the allocation and free paths
 *   slub_debug.ts    slub_debug: red zones, poisoning, the "BUG cache" report
 *   slab_common.ts   kmem_cache_create (and merging), kmalloc, slabinfo
 *   slab_sysfs.ts    /sys/kernel/slab
 *   kmem_caches.ts   the caches of subsystems mmbox does not model, and
 *                    their boot populations
 *
 * Object addresses. An object is named by a number: the physical address
 * of its first byte, pfn * PAGE_SIZE + offset. A slab's pages come from
 * lowmem, so this is also where the linear map puts it; it is exact in a
 * double up to 2^53 (2^41 pages), and the page is found with one division:
 *
 *   addr ---> pfn = addr / 4096 ---> page private = slab id ---> Slab
 *                                                  (every page of the slab)
 *
 * Per-slab state is one small object per slab (there are few: a 1 GiB
 * machine has a few thousand), holding the free-pointer chain as an
 * Int32Array of object indices; the node partial lists are threaded through
 * the page links of the slabs' first pages, as Linux threads slab_list.
 *
 * Simplified compared to Linux: no locks or cmpxchg (one kernel path runs at
 * a time), no memory cgroups (kmalloc-cg caches exist and are used for
 * __GFP_ACCOUNT requests, nothing is charged), no KASAN/KFENCE, freelist
 * pointers are not obfuscated (SLAB_FREELIST_HARDENED keeps only its naive
 * double-free check), and object bytes exist only for slub_debug caches.
 */

import { object_array } from "../lib/shapes.js";

/* Cache flags (slab_flags_t, include/linux/slab.h). */
export const SLAB_CONSISTENCY_CHECKS = 0x00000100; // DEBUG: perform (expensive) checks on alloc/free
export const SLAB_RED_ZONE = 0x00000400; // DEBUG: red zone objects in a cache
export const SLAB_POISON = 0x00000800; // DEBUG: poison objects
export const SLAB_KMALLOC = 0x00001000; // a kmalloc cache
export const SLAB_HWCACHE_ALIGN = 0x00002000; // align objects on cache lines
export const SLAB_CACHE_DMA = 0x00004000; // use GFP_DMA memory
export const SLAB_CACHE_DMA32 = 0x00008000; // use GFP_DMA32 memory
export const SLAB_STORE_USER = 0x00010000; // DEBUG: store the last owner for bug hunting
export const SLAB_RECLAIM_ACCOUNT = 0x00020000; // objects are reclaimable (SReclaimable)
export const SLAB_PANIC = 0x00040000; // panic if kmem_cache_create() fails
export const SLAB_TYPESAFE_BY_RCU = 0x00080000; // defer freeing slabs to RCU
export const SLAB_MEM_SPREAD = 0x00100000; // spread some memory over cpuset
export const SLAB_TRACE = 0x00200000; // trace allocations and frees
export const SLAB_NOLEAKTRACE = 0x00800000; // avoid kmemleak tracing
export const SLAB_FAILSLAB = 0x02000000; // fault injection mark
export const SLAB_ACCOUNT = 0x04000000; // account to memcg
export const SLAB_NO_USER_FLAGS = 0x10000000; // ignore user specified debugging flags
/* Internal SLUB flags (mm/slub.c). */
export const __OBJECT_POISON = 0x80000000; // poison the object itself (not the whole slab)

export const SLAB_DEBUG_FLAGS = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS;
/** Flags that make a cache unmergeable (SLAB_NEVER_MERGE). */
export const SLAB_NEVER_MERGE =
  SLAB_RED_ZONE |
  SLAB_POISON |
  SLAB_STORE_USER |
  SLAB_TRACE |
  SLAB_TYPESAFE_BY_RCU |
  SLAB_NOLEAKTRACE |
  SLAB_FAILSLAB;
/** Flags two caches must agree on to merge (SLAB_MERGE_SAME). */
export const SLAB_MERGE_SAME = SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT;

/** The flag names /sys/kernel/slab/<cache>/ shows as 0/1 files, and slub_debug letters. */
export const slab_flag_names: readonly [number, string][] = [
  [SLAB_CONSISTENCY_CHECKS, "sanity_checks"],
  [SLAB_RED_ZONE, "red_zone"],
  [SLAB_POISON, "poison"],
  [SLAB_STORE_USER, "store_user"],
  [SLAB_TRACE, "trace"],
  [SLAB_HWCACHE_ALIGN, "hwcache_align"],
  [SLAB_RECLAIM_ACCOUNT, "reclaim_account"],
  [SLAB_CACHE_DMA, "cache_dma"],
];

/** The files of /sys/kernel/slab/<cache>/ (slab_attrs[] of slub.c, CONFIG_SLUB_DEBUG and NUMA on). */
export const slab_attrs: readonly string[] = [
  "aliases",
  "align",
  "cache_dma",
  "cpu_partial",
  "cpu_slabs",
  "ctor",
  "destroy_by_rcu",
  "hwcache_align",
  "min_partial",
  "object_size",
  "objects",
  "objects_partial",
  "objs_per_slab",
  "order",
  "partial",
  "poison",
  "reclaim_account",
  "red_zone",
  "remote_node_defrag_ratio",
  "sanity_checks",
  "shrink",
  "slab_size",
  "slabs",
  "slabs_cpu_partial",
  "store_user",
  "total_objects",
  "trace",
  "usersize",
  "validate",
];

export const MAX_OBJS_PER_PAGE = 32767; // slab->objects is 15 bits
export const MIN_PARTIAL = 5; // at least this many partial slabs stay on a node
export const MAX_PARTIAL = 10; // at most this many empty slabs stay on a node
export const DEACTIVATE_TO_HEAD = 0;
export const DEACTIVATE_TO_TAIL = 1;

/** Track records kept per object with SLAB_STORE_USER (struct track). */
export interface Track {
  addr: string; // the caller, as %pS prints it
  stack: string[]; // the callers above it (the stack depot entry)
  cpu: number;
  pid: number;
  when: number; // jiffies
}

/** The bytes and owners a slub_debug slab keeps (absent for ordinary caches). */
export interface SlabDebug {
  /** The slab's bytes: red zones, poison, free pointers, padding. */
  mem: Uint8Array;
  /** TRACK_ALLOC and TRACK_FREE per object (SLAB_STORE_USER). */
  alloc: (Track | null)[];
  free: (Track | null)[];
}

/**
 * struct slab: one slab (the struct page of its first page, in Linux).
 *
 *   freelist   first free object not owned by a CPU (index, -1: none)
 *   fp[i]      the free pointer of object i: the next free index, -1 ends
 *   inuse      objects not on slab->freelist (a CPU's freelist counts as in use)
 *   frozen     owned by a CPU (its current slab or on its partial list)
 */
export class Slab {
  id: number; // index in SlabState.slabs (kept in page private)
  cache: KmemCache;
  pfn: number; // first page
  base: number; // address of object 0: pfn * PAGE_SIZE
  order: number;
  objects: number;
  inuse = 0;
  freelist = -1;
  frozen = false;
  node: number;
  /** Next slab on a CPU's partial list, and the length of the list from here (slab->next, ->slabs). */
  next: Slab | null = null;
  slabs = 0;
  /** On a node's partial (1) or full (2) list, or on none (0). */
  on_list = 0;
  fp: Int32Array;
  debug: SlabDebug | null = null;
  constructor(id: number, cache: KmemCache, pfn: number, order: number, objects: number, node: number) {
    this.id = id;
    this.cache = cache;
    this.pfn = pfn;
    this.base = pfn * 4096;
    this.order = order;
    this.objects = objects;
    this.node = node;
    this.fp = new Int32Array(objects);
  }
}

/** struct kmem_cache_cpu: a CPU's current slab, its lockless freelist and its partial slabs. */
export interface KmemCacheCpu {
  freelist: number; // next free object of slab (index), -1 when empty
  slab: Slab | null;
  partial: Slab | null; // chain through Slab.next
}

/** struct kmem_cache_node: a node's partial slabs (and full ones for debug caches). */
export interface KmemCacheNode {
  partial: number; // list head in the page links
  nr_partial: number;
  full: number; // list head: full slabs (only with SLAB_STORE_USER)
  nr_slabs: number;
  total_objects: number;
}

/** struct kmem_cache (slub_def.h). Sizes in bytes. */
export interface KmemCache {
  id: number; // index in SlabState.caches (page->mapping of slab pages)
  name: string;
  flags: number;
  object_size: number; // the size the creator asked for
  size: number; // object + metadata + alignment: the stride between objects
  inuse: number; // offset to the metadata (free pointer when outside, tracks)
  offset: number; // free pointer offset in the object
  align: number;
  red_left_pad: number;
  order: number; // oo: slab order
  objects: number; // oo: objects per slab
  min_order: number; // s->min: the smallest order that fits one object
  allocflags: number; // GFP bits added to slab page allocations
  min_partial: number;
  cpu_partial: number; // objects kept on a CPU's partial list (for sysfs)
  cpu_partial_slabs: number; // slabs allowed on a CPU's partial list
  refcount: number; // creators sharing it (merging); -1: boot cache, never merged
  useroffset: number;
  usersize: number;
  ctor: boolean; // has a constructor (never merged, free pointer outside the object)
  cpu_slab: KmemCacheCpu[];
  node: KmemCacheNode[];
  /** SLAB_CONSISTENCY_CHECKS etc. set: the slow debug paths are taken. */
  debug: boolean;
  /** Names of the caches merged into this one (/sys/kernel/slab/<name>/aliases). */
  aliases: string[];
  /** Order of creation; slabinfo lists the newest first. */
  seq: number;
  /** Still in slab_caches (false once destroyed). */
  alive: boolean;
  /** CONFIG_SLAB_FREELIST_RANDOM: the shuffled object order new slabs start from. */
  random_seq: Int32Array | null;
}

/** The allocator's global state (Linux: slab_caches, kmalloc_caches[][], slab_state...). */
export interface SlabState {
  /** Every cache, by id; destroyed ones stay as null holes. */
  caches: (KmemCache | null)[];
  /** slab_caches: live caches, oldest first. */
  slab_caches: KmemCache[];
  /** Slabs by id (page private - 1); null holes are reused through free_ids. */
  slabs: (Slab | null)[];
  free_ids: number[];
  /** kmalloc_caches[type][index]. */
  kmalloc_caches: (KmemCache | null)[][];
  nr_caches_created: number;
  /** calculate_order's tunables (slub_min_order=, slub_max_order=, slub_min_objects=). */
  slub_min_order: number;
  slub_max_order: number;
  slub_min_objects: number;
  /** slub_debug=: flags for every cache, and blocks of flags for named caches. */
  debug_flags: number;
  debug_blocks: { flags: number; caches: string[] }[];
  disable_higher_order_debug: boolean;
  /** %p prints raw addresses (slub_debug turns this on, as no_hash_pointers does). */
  no_hash_pointers: boolean;
  /** Callers above the allocator for reports and tracks (set by the module loader). */
  caller_trace: string[];
  /** Where a hardened-freelist oops goes; null: BUG() (panic). */
  oops: ((msg: string) => void) | null;
  /** Pages held by kmalloc_large (counted in NR_SLAB_UNRECLAIMABLE_B as Linux does). */
  nr_large_pages: number;
  /** JS objects standing for kernel structs, and the slab objects that hold them (see kobj_*). */
  owners: WeakMap<object, number[]>;
  /** Caches by name, aliases included (the named caches of kmem_caches.ts, modules' caches). */
  by_name: Map<string, KmemCache>;
  /** Ids of the caches the allocator itself needs. */
  kmem_cache_id: number;
  kmem_cache_node_id: number;
  kernfs_node_id: number;
  /** Boot's sysfs is accounted in the boot counts; caches made later get their own kernfs nodes. */
  sysfs_up: boolean;
  /** Reports printed so far (slab_bug), for tests. */
  bug_count: number;
  /** slab_state: DOWN until kmem_cache_init, FULL after. */
  up: boolean;
}

/** (A class, not an object literal: see lib/shapes.ts.) */
class Slabs implements SlabState {
  caches: (KmemCache | null)[] = object_array();
  slab_caches: KmemCache[] = object_array();
  slabs: (Slab | null)[] = [null];
  free_ids: number[] = [];
  kmalloc_caches: (KmemCache | null)[][] = object_array();
  nr_caches_created = 0;
  slub_min_order = 0;
  slub_max_order = 3;
  slub_min_objects = 0;
  debug_flags = 0;
  debug_blocks: { flags: number; caches: string[] }[] = object_array();
  disable_higher_order_debug = false;
  no_hash_pointers = false;
  caller_trace: string[] = [];
  oops: ((msg: string) => void) | null = null;
  nr_large_pages = 0;
  owners = new WeakMap<object, number[]>();
  by_name = new Map<string, KmemCache>();
  kmem_cache_id = -1;
  kmem_cache_node_id = -1;
  kernfs_node_id = -1;
  sysfs_up = false;
  bug_count = 0;
  up = false;
}

export function new_slab_state(): SlabState {
  return new Slabs();
}
