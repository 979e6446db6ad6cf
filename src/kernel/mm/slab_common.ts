/*
 * slab_common.ts - what every slab allocator shares (Linux mm/slab_common.c,
 * 6.1), plus SLUB's kmem_cache_init: creating and destroying caches (and
 * merging a new cache into a compatible old one), the kmalloc size classes,
 * kmalloc/kfree/ksize/krealloc, and /proc/slabinfo.
 *
 * kmalloc size classes. kmalloc(size) rounds up to a class, a cache per
 * class and per type:
 *
 *   index   1   2   3  4  5  6   7   8   9  10  11  12  13
 *   size   96 192   8 16 32 64 128 256 512 1k  2k  4k  8k
 *   types  kmalloc-  kmalloc-cg- (__GFP_ACCOUNT)  kmalloc-rcl- (__GFP_RECLAIMABLE)
 *          dma-kmalloc- (__GFP_DMA)
 *
 * The smallest class is KMALLOC_MIN_SIZE, the DMA alignment of the
 * architecture: 8 on x86_64, 64 on ARM (ARCH_DMA_MINALIGN), 128 on arm64;
 * 96 exists only when the minimum is at most 32 and 192 when it is at most
 * 64. Requests above 8 KiB go to the page allocator (kmalloc_large) as
 * compound pages, counted in NR_SLAB_UNRECLAIMABLE_B as 6.1 counts them.
 *
 * Kernel structures the simulation keeps as JavaScript objects own their
 * slab objects through kobj.ts.
 */

import type { Kernel } from "../kernel.js";
import { panic, warn_slowpath } from "../lib/panic.js";
import { KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import { __GFP_ACCOUNT, __GFP_COMP, __GFP_DMA, __GFP_RECLAIMABLE, GFP_KERNEL, GFP_NOWAIT } from "./gfp.js";
import { kobj_alloc, kobj_free, kobj_kmalloc } from "./kobj.js";
import { PAGES_PER_SECTION, PG_head, PG_slab, SECTION_SHIFT } from "./mm_types.js";
import { NR_SLAB_UNRECLAIMABLE_B } from "./mmzone.js";
import { __free_pages, alloc_pages, PAGE_SIZE, page_zone } from "./page_alloc.js";
import {
  type KmemCache,
  SLAB_ACCOUNT,
  SLAB_CACHE_DMA,
  SLAB_HWCACHE_ALIGN,
  SLAB_KMALLOC,
  SLAB_MERGE_SAME,
  SLAB_NEVER_MERGE,
  SLAB_PANIC,
  SLAB_RECLAIM_ACCOUNT,
  type Slab,
  slab_attrs,
} from "./slab.js";
import {
  __kmem_cache_shrink,
  __kmem_cache_shutdown,
  count_partial_free,
  free_kmem_cache_nodes,
  slab_alloc,
  slab_free,
  virt_to_slab,
} from "./slub.js";
import {
  kmem_cache_flags,
  no_hash_pointers_enable,
  setup_slub_debug,
  slab_err,
  slub_debug_enabled,
} from "./slub_debug.js";
import { kmem_cache_open } from "./slub_layout.js";

export const ZERO_SIZE_PTR = 16;
export const KMALLOC_SHIFT_HIGH = 13; // PAGE_SHIFT + 1
export const KMALLOC_MAX_CACHE_SIZE = 1 << KMALLOC_SHIFT_HIGH;

/* enum kmalloc_cache_type (CONFIG_ZONE_DMA and CONFIG_MEMCG_KMEM on every profile). */
export const KMALLOC_NORMAL = 0;
export const KMALLOC_CGROUP = 1;
export const KMALLOC_RECLAIM = 2;
export const KMALLOC_DMA = 3;
export const NR_KMALLOC_TYPES = 4;
export const kmalloc_type_prefix: readonly string[] = [
  "kmalloc-",
  "kmalloc-cg-",
  "kmalloc-rcl-",
  "dma-kmalloc-",
];

/** kmalloc_info[index]: the class sizes and their short names. */
const kmalloc_info: readonly [number, string][] = [
  [0, ""],
  [96, "96"],
  [192, "192"],
  [8, "8"],
  [16, "16"],
  [32, "32"],
  [64, "64"],
  [128, "128"],
  [256, "256"],
  [512, "512"],
  [1024, "1k"],
  [2048, "2k"],
  [4096, "4k"],
  [8192, "8k"],
];

/** KMALLOC_MIN_SIZE: the architecture's ARCH_DMA_MINALIGN (8 where DMA is coherent). */
export function kmalloc_min_size(k: Kernel): number {
  const arch = k.profile.arch;
  return arch === "arm" ? 64 : arch === "arm64" ? 128 : 8;
}

/** size_index[(size - 1) / 8] for sizes up to 192 (setup_kmalloc_cache_index_table). */
function size_index_table(k: Kernel): Uint8Array {
  const t = Uint8Array.from([3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2]);
  const min = kmalloc_min_size(k);
  const low = Math.log2(min);
  for (let i = 8; i < min; i += 8) {
    const elem = (i - 1) >> 3;
    if (elem >= t.length) break;
    t[elem] = low;
  }
  if (min >= 64) for (let i = 64 + 8; i <= 96; i += 8) t[(i - 1) >> 3] = 7;
  if (min >= 128) for (let i = 128 + 8; i <= 192; i += 8) t[(i - 1) >> 3] = 8;
  return t;
}

const size_indexes = new WeakMap<Kernel, Uint8Array>();

/** kmalloc_type: which family serves these GFP flags (DMA over reclaimable over accounted). */
export function kmalloc_type(gfp: number): number {
  if ((gfp & (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT)) === 0) return KMALLOC_NORMAL;
  if (gfp & __GFP_DMA) return KMALLOC_DMA;
  if (gfp & __GFP_RECLAIMABLE) return KMALLOC_RECLAIM;
  return KMALLOC_CGROUP;
}

/** kmalloc_index: the class of a size (0 for 0, -1 above the largest). */
export function kmalloc_index(k: Kernel, size: number): number {
  if (size === 0) return 0;
  if (size <= 192) return size_indexes.get(k)![(size - 1) >> 3];
  if (size > KMALLOC_MAX_CACHE_SIZE) return -1;
  return 32 - Math.clz32(size - 1);
}

/** kmalloc_slab: the cache kmalloc(size, gfp) uses. */
export function kmalloc_slab(k: Kernel, size: number, gfp: number): KmemCache | null {
  const i = kmalloc_index(k, size);
  return i > 0 ? k.slab.kmalloc_caches[kmalloc_type(gfp)][i] : null;
}

/* ------------------------------------------------------------------ */
/* Creating caches                                                      */
/* ------------------------------------------------------------------ */

/** calculate_alignment: HWCACHE_ALIGN packs small objects in halves of a line; at least 8 bytes. */
export function calculate_alignment(k: Kernel, flags: number, align: number, size: number): number {
  if (flags & SLAB_HWCACHE_ALIGN) {
    let ralign = 64; // cache_line_size()
    while (size <= ralign / 2) ralign /= 2;
    align = Math.max(align, ralign);
  }
  align = Math.max(align, 8); // arch_slab_minalign(): __alignof__(unsigned long long)
  const ptr = k.profile.pointerBits / 8;
  return Math.ceil(align / ptr) * ptr;
}

/** slab_unmergeable: caches that nothing may merge into. */
export function slab_unmergeable(s: KmemCache): boolean {
  return (s.flags & SLAB_NEVER_MERGE) !== 0 || s.ctor || s.usersize !== 0 || s.refcount < 0;
}

/**
 * find_mergeable: an existing cache, oldest first, that can hold objects of
 * `size` too: mergeable itself, big enough but wasting less than a word,
 * suitably aligned, with the same accounting and DMA flags, and no
 * debugging on either side.
 */
export function find_mergeable(
  k: Kernel,
  size: number,
  align: number,
  flags: number,
  name: string,
  ctor: boolean,
): KmemCache | null {
  if (ctor || k.params.has("slab_nomerge") || k.params.has("slub_nomerge")) return null;
  const ptr = k.profile.pointerBits / 8;
  size = Math.ceil(size / ptr) * ptr;
  align = calculate_alignment(k, flags, align, size);
  size = Math.ceil(size / align) * align;
  flags = kmem_cache_flags(k, flags, name);
  if (flags & SLAB_NEVER_MERGE) return null;
  for (const s of k.slab.slab_caches) {
    if (slab_unmergeable(s)) continue;
    if (size > s.size) continue;
    if ((flags & SLAB_MERGE_SAME) !== (s.flags & SLAB_MERGE_SAME)) continue;
    if ((s.size & ~(align - 1)) !== s.size) continue;
    if (s.size - size >= ptr) continue;
    return s;
  }
  return null;
}

function new_cache_struct(k: Kernel, name: string, size: number, align: number, flags: number): KmemCache {
  const st = k.slab;
  const s: KmemCache = {
    id: st.caches.length,
    name,
    flags,
    object_size: size,
    size,
    inuse: size,
    offset: 0,
    align,
    red_left_pad: 0,
    order: 0,
    objects: 0,
    min_order: 0,
    allocflags: 0,
    min_partial: 0,
    cpu_partial: 0,
    cpu_partial_slabs: 0,
    refcount: 1,
    useroffset: 0,
    usersize: 0,
    ctor: false,
    cpu_slab: [],
    node: [],
    debug: false,
    aliases: [],
    seq: st.nr_caches_created++,
    alive: true,
    random_seq: null,
  };
  st.caches.push(s);
  return s;
}

/** The objects a cache's own bookkeeping lives in: its kmem_cache, its kmem_cache_nodes, its random_seq. */
function alloc_cache_metadata(k: Kernel, s: KmemCache): void {
  const st = k.slab;
  const kc = st.caches[st.kmem_cache_id];
  const kn = st.caches[st.kmem_cache_node_id];
  if (kc) kobj_alloc(k, kc, s, GFP_KERNEL);
  if (kn) for (let i = 0; i < k.nodes.length; i++) kobj_alloc(k, kn, s, GFP_KERNEL);
  if (s.random_seq) kobj_kmalloc(k, s.random_seq.length * 4, s, GFP_KERNEL);
}

/** Options of kmem_cache_create beyond name, size and flags. */
export interface KmemCacheOptions {
  align?: number;
  useroffset?: number;
  usersize?: number;
  /** Has a constructor (never merged; its free pointer lives outside the object). */
  ctor?: boolean;
  /** Create it even if a compatible cache exists (boot-time caches mmbox recreates from the reference). */
  nomerge_lookup?: boolean;
  /** Called when the cache's sysfs directory appears (kernfs nodes). */
  caller?: string;
}

/**
 * kmem_cache_create_usercopy: a new cache, or an existing one it merges
 * into (which then lists this name among its aliases). Returns null on
 * failure (after a warning), or panics with SLAB_PANIC.
 */
export function kmem_cache_create(
  k: Kernel,
  name: string,
  size: number,
  flags: number,
  o: KmemCacheOptions = {},
): KmemCache | null {
  const ptr = k.profile.pointerBits / 8;
  let usersize = o.usersize ?? 0;
  let useroffset = o.useroffset ?? 0;
  const fail = (err: number): null => {
    if (flags & SLAB_PANIC)
      panic(`kmem_cache_create_usercopy: Failed to create slab '${name}'. Error ${err}`);
    k.printk.printk(KERN_WARNING, `kmem_cache_create_usercopy(${name}) failed with error ${err}`);
    return null;
  };
  if (!name || size < ptr || size > 2 ** (k.MAX_ORDER - 1 + 12)) return fail(-22);
  if (size < usersize || size - usersize < useroffset) usersize = useroffset = 0;
  if (!usersize && !o.nomerge_lookup) {
    const s = find_mergeable(k, size, o.align ?? 0, flags, name, o.ctor ?? false);
    if (s) {
      s.refcount++;
      s.aliases.push(name);
      s.object_size = Math.max(s.object_size, size);
      s.inuse = Math.max(s.inuse, Math.ceil(size / ptr) * ptr);
      k.slab.by_name.set(name, s);
      sysfs_slab_kernfs(k, s, 1); // the alias's symlink in /sys/kernel/slab
      return s;
    }
  }
  const align = calculate_alignment(k, flags, o.align ?? 0, size);
  return create_cache(k, name, size, align, flags, useroffset, usersize, o.ctor ?? false) ?? fail(-12);
}

function create_cache(
  k: Kernel,
  name: string,
  size: number,
  align: number,
  flags: number,
  useroffset: number,
  usersize: number,
  ctor: boolean,
): KmemCache | null {
  const s = new_cache_struct(k, name, size, align, kmem_cache_flags(k, flags, name));
  s.useroffset = useroffset;
  s.usersize = usersize;
  s.ctor = ctor;
  if (!kmem_cache_open(k, s)) {
    k.slab.caches[s.id] = null;
    return null;
  }
  alloc_cache_metadata(k, s);
  k.slab.slab_caches.push(s);
  k.slab.by_name.set(name, s);
  // sysfs_slab_add: its directory, one node per attribute, and the name link of a mergeable cache.
  sysfs_slab_kernfs(k, s, 1 + slab_attrs.length + (slab_unmergeable(s) ? 0 : 1));
  return s;
}

/** kernfs nodes of a cache's /sys/kernel/slab entries, once sysfs is up (boot's are in the boot counts). */
function sysfs_slab_kernfs(k: Kernel, s: KmemCache, nr: number): void {
  const st = k.slab;
  if (!st.sysfs_up || st.kernfs_node_id < 0) return;
  const kn = st.caches[st.kernfs_node_id];
  if (kn) for (let i = 0; i < nr; i++) kobj_alloc(k, kn, s, GFP_KERNEL);
}

/** create_boot_cache: kmalloc and the two bootstrap caches, aligned naturally and never merged. */
function create_boot_cache(
  k: Kernel,
  name: string,
  size: number,
  flags: number,
  usersize: number,
): KmemCache {
  let align = flags & SLAB_KMALLOC ? kmalloc_min_size(k) : 8;
  if ((size & (size - 1)) === 0) align = Math.max(align, size);
  const s = new_cache_struct(k, name, size, 0, kmem_cache_flags(k, flags, name));
  s.align = calculate_alignment(k, flags, align, size);
  s.usersize = usersize;
  if (!kmem_cache_open(k, s)) panic(`Creation of kmalloc slab ${name} size=${size} failed.`);
  s.refcount = -1;
  return s;
}

/** new_kmalloc_cache: one class of one family (create_kmalloc_caches' inner step). */
function new_kmalloc_cache(k: Kernel, idx: number, type: number): void {
  let flags = SLAB_KMALLOC;
  if (type === KMALLOC_RECLAIM) flags |= SLAB_RECLAIM_ACCOUNT;
  else if (type === KMALLOC_CGROUP) flags |= SLAB_ACCOUNT;
  else if (type === KMALLOC_DMA) flags |= SLAB_CACHE_DMA;
  const [size, short] = kmalloc_info[idx];
  const s = create_boot_cache(k, `${kmalloc_type_prefix[type]}${short}`, size, flags, size);
  alloc_cache_metadata(k, s);
  k.slab.slab_caches.push(s);
  s.refcount = type === KMALLOC_NORMAL ? -1 : 1;
  k.slab.kmalloc_caches[type][idx] = s;
}

/**
 * create_kmalloc_caches: every family from KMALLOC_MIN_SIZE to 8k, with 96
 * created right after 64 and 192 right after 128 where they exist. The
 * order of creation is the order /proc/slabinfo shows, bottom up.
 */
function create_kmalloc_caches(k: Kernel): void {
  const min = kmalloc_min_size(k);
  const low = Math.log2(min);
  const st = k.slab;
  st.kmalloc_caches = Array.from({ length: NR_KMALLOC_TYPES }, () =>
    new Array(KMALLOC_SHIFT_HIGH + 1).fill(null),
  );
  for (let type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++)
    for (let i = low; i <= KMALLOC_SHIFT_HIGH; i++) {
      if (!st.kmalloc_caches[type][i]) new_kmalloc_cache(k, i, type);
      if (min <= 32 && i === 6 && !st.kmalloc_caches[type][1]) new_kmalloc_cache(k, 1, type);
      if (min <= 64 && i === 7 && !st.kmalloc_caches[type][2]) new_kmalloc_cache(k, 2, type);
    }
}

/**
 * kmem_cache_init: SLUB's bootstrap. kmem_cache_node and kmem_cache are
 * created as static structures first; then each gets a real kmem_cache
 * object from the kmem_cache cache (bootstrap), and every cache after them
 * takes its kmem_cache and kmem_cache_node objects from those two.
 */
export function kmem_cache_init(k: Kernel): void {
  const st = k.slab;
  const num = (name: string, def: number): number => {
    const v = k.params.get(name);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : def;
  };
  st.slub_min_order = num("slub_min_order", 0);
  st.slub_max_order = Math.min(num("slub_max_order", 3), k.MAX_ORDER - 1);
  st.slub_min_objects = num("slub_min_objects", 0);
  setup_slub_debug(k);
  if (slub_debug_enabled(k)) no_hash_pointers_enable(k);
  const ptr = k.profile.pointerBits / 8;
  const kmem_cache_node = create_boot_cache(k, "kmem_cache_node", 64, SLAB_HWCACHE_ALIGN, 0);
  st.kmem_cache_node_id = kmem_cache_node.id;
  // The per-node structures of kmem_cache_node come from itself (early_kmem_cache_node_alloc).
  for (let i = 0; i < k.nodes.length; i++) kobj_alloc(k, kmem_cache_node, kmem_cache_node, GFP_NOWAIT);
  const kmem_cache = create_boot_cache(k, "kmem_cache", ptr === 8 ? 256 : 192, SLAB_HWCACHE_ALIGN, 0);
  st.kmem_cache_id = kmem_cache.id;
  for (let i = 0; i < k.nodes.length; i++) kobj_alloc(k, kmem_cache_node, kmem_cache, GFP_NOWAIT);
  for (const s of [kmem_cache, kmem_cache_node]) {
    kobj_alloc(k, kmem_cache, s, GFP_NOWAIT); // bootstrap(): the static structure moves into a slab object
    st.slab_caches.push(s);
  }
  size_indexes.set(k, size_index_table(k));
  create_kmalloc_caches(k);
  for (const s of st.slab_caches) if (s.random_seq) kobj_kmalloc(k, s.random_seq.length * 4, s, GFP_KERNEL);
  st.up = true;
  k.printk.printk(
    KERN_INFO,
    `SLUB: HWalign=64, Order=${st.slub_min_order}-${st.slub_max_order}, MinObjects=${st.slub_min_objects}, CPUs=${k.nr_cpu_ids}, Nodes=${k.nodes.length}`,
  );
}

/* ------------------------------------------------------------------ */
/* Destroying and shrinking                                             */
/* ------------------------------------------------------------------ */

/**
 * kmem_cache_destroy: drop a creator's reference; the last one shuts the
 * cache down. A cache that still has objects is reported, stays (leaked,
 * still listed in /proc/slabinfo) and the caller gets a WARNING. Returns
 * true when the cache is gone.
 */
export function kmem_cache_destroy(k: Kernel, s: KmemCache | null, caller = ""): boolean {
  if (!s) return false;
  if (--s.refcount) {
    return false;
  }
  const busy = __kmem_cache_shutdown(k, s, (slab: Slab) => list_slab_objects(k, s, slab));
  if (busy) {
    warn_slowpath(
      k,
      "mm/slab_common.c",
      497,
      "kmem_cache_destroy",
      `kmem_cache_destroy ${s.name}: Slab cache still has objects when called from ${caller}`,
      [caller],
    );
    return false;
  }
  s.alive = false;
  const st = k.slab;
  st.slab_caches.splice(st.slab_caches.indexOf(s), 1);
  for (const [name, c] of st.by_name) if (c === s) st.by_name.delete(name);
  kobj_free(k, s);
  free_kmem_cache_nodes(k, s);
  st.caches[s.id] = null;
  return true;
}

/** list_slab_objects: "Objects remaining in <cache> on __kmem_cache_shutdown()". */
function list_slab_objects(k: Kernel, s: KmemCache, slab: Slab): void {
  slab_err(k, s, slab, `Objects remaining in ${s.name} on __kmem_cache_shutdown()`, [
    "__kmem_cache_shutdown",
    "kmem_cache_destroy",
  ]);
  const free = new Set<number>();
  for (let p = slab.freelist; p >= 0; p = slab.fp[p]) free.add(p);
  for (let i = 0; i < slab.objects; i++)
    if (!free.has(i)) {
      const off = i * s.size + s.red_left_pad;
      k.printk.printk(3, `Object 0x${obj_ptr(k, slab.base + i * s.size)} @offset=${off}`);
    }
}

function obj_ptr(k: Kernel, addr: number): string {
  return k.slab.no_hash_pointers
    ? kva_hex(k, addr)
    : k.profile.pointerBits === 32
      ? "(ptrval)"
      : "(____ptrval____)";
}

function kva_hex(k: Kernel, addr: number): string {
  const p = k.profile;
  const v =
    p.arch === "arm"
      ? BigInt(p.vmsplit!.pageOffset + (addr - p.ramBase))
      : p.arch === "x86_64"
        ? 0xffff888000000000n + BigInt(addr)
        : 0xffff000000000000n + BigInt(addr - p.ramBase);
  return v.toString(16).padStart(p.pointerBits / 4, "0");
}

/** kmem_cache_shrink: flush the CPU slabs and give empty slabs back. */
export function kmem_cache_shrink(k: Kernel, s: KmemCache): number {
  return __kmem_cache_shrink(k, s);
}

/* ------------------------------------------------------------------ */
/* Objects                                                              */
/* ------------------------------------------------------------------ */

export function kmem_cache_alloc(k: Kernel, s: KmemCache, gfp: number, caller = ""): number {
  return slab_alloc(k, s, gfp, caller);
}

/** kmem_cache_free: the object must belong to s (cache_from_obj warns otherwise). */
export function kmem_cache_free(k: Kernel, s: KmemCache, addr: number, caller = ""): void {
  // The fast path of virt_to_slab: the page's private field names the slab.
  const pfn = (addr / PAGE_SIZE) | 0;
  const ext = k.mem.sections[pfn >>> SECTION_SHIFT];
  const fast = ext === null ? null : k.slab.slabs[ext.private_[pfn & (PAGES_PER_SECTION - 1)]];
  if (fast !== null && fast !== undefined && fast.cache === s && addr >= fast.base) {
    slab_free(k, s, fast, addr, caller);
    return;
  }
  const slab = virt_to_slab(k, addr);
  if (!slab) {
    k.printk.printk(KERN_WARNING, `kmem_cache_free: object 0x${addr.toString(16)} is not in a slab`);
    return;
  }
  if (slab.cache !== s)
    k.printk.printk(
      KERN_WARNING,
      `cache_from_obj: Wrong slab cache. ${s.name} but object is from ${slab.cache.name}`,
    );
  slab_free(k, slab.cache, slab, addr, caller);
}

/** kmalloc_large: above 8 KiB, a compound page block from the buddy allocator. */
function kmalloc_large(k: Kernel, size: number, gfp: number): number {
  let order = 0;
  while (PAGE_SIZE * 2 ** order < size) order++;
  if (order >= k.MAX_ORDER) {
    k.printk.printk(KERN_WARNING, `WARNING: kmalloc_large: order ${order} >= MAX_ORDER`);
    return 0;
  }
  const pfn = alloc_pages(k, gfp | __GFP_COMP, order);
  if (pfn < 0) return 0;
  k.nodes[page_zone(k, pfn).node].vm_stat[NR_SLAB_UNRECLAIMABLE_B] += 1 << order;
  k.slab.nr_large_pages += 1 << order;
  return pfn * PAGE_SIZE;
}

/** kmalloc: size bytes from the class cache of the GFP flags' family; 0 on failure. */
export function kmalloc(k: Kernel, size: number, gfp: number, caller = ""): number {
  if (size > KMALLOC_MAX_CACHE_SIZE) return kmalloc_large(k, size, gfp);
  const s = kmalloc_slab(k, size, gfp);
  if (!s) return size === 0 ? ZERO_SIZE_PTR : 0;
  return slab_alloc(k, s, gfp, caller);
}

/** kfree: a kmalloc'd (or any slab) object, or a kmalloc_large block. NULL and ZERO_SIZE_PTR are ignored. */
export function kfree(k: Kernel, addr: number, caller = ""): void {
  if (addr <= ZERO_SIZE_PTR) return;
  const slab = virt_to_slab(k, addr);
  if (slab) {
    slab_free(k, slab.cache, slab, addr, caller);
    return;
  }
  const pfn = Math.floor(addr / PAGE_SIZE);
  const mem = k.mem;
  if (addr % PAGE_SIZE || !(mem.flags[pfn] & PG_head) || mem.flags[pfn] & PG_slab) {
    k.printk.printk(
      KERN_WARNING,
      `WARNING: kfree: object pointer: 0x${kva_hex(k, addr)} is not a kmalloc object`,
    );
    return;
  }
  const order = mem.order(pfn);
  k.nodes[page_zone(k, pfn).node].vm_stat[NR_SLAB_UNRECLAIMABLE_B] -= 1 << order;
  k.slab.nr_large_pages -= 1 << order;
  __free_pages(k, pfn, order);
}

/** ksize: how many bytes the caller may really use at addr. */
export function ksize(k: Kernel, addr: number): number {
  if (addr <= ZERO_SIZE_PTR) return 0;
  const slab = virt_to_slab(k, addr);
  if (!slab) return PAGE_SIZE << k.mem.order(Math.floor(addr / PAGE_SIZE));
  const s = slab.cache;
  if (s.flags & (0x400 | 0x800)) return s.object_size; // SLAB_RED_ZONE | SLAB_POISON
  if (s.flags & (0x80000 | 0x10000)) return s.inuse; // SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER
  return s.size;
}

/** krealloc: the same object if it is big enough already, else a new one (the old one is freed). */
export function krealloc(k: Kernel, addr: number, new_size: number, gfp: number, caller = ""): number {
  if (new_size === 0) {
    kfree(k, addr, caller);
    return ZERO_SIZE_PTR;
  }
  if (addr > ZERO_SIZE_PTR && ksize(k, addr) >= new_size) return addr;
  const n = kmalloc(k, new_size, gfp, caller);
  if (n && addr > ZERO_SIZE_PTR) kfree(k, addr, caller);
  return n;
}

/* ------------------------------------------------------------------ */
/* /proc/slabinfo                                                       */
/* ------------------------------------------------------------------ */

export interface SlabInfo {
  active_objs: number;
  num_objs: number;
  active_slabs: number;
  num_slabs: number;
  objects_per_slab: number;
  cache_order: number;
}

/** get_slabinfo: free objects are only those on node partial lists (CPU slabs count as in use). */
export function get_slabinfo(k: Kernel, s: KmemCache): SlabInfo {
  let nr_slabs = 0;
  let nr_objs = 0;
  let nr_free = 0;
  for (const n of s.node) {
    nr_slabs += n.nr_slabs;
    nr_objs += n.total_objects;
    nr_free += count_partial_free(k, n);
  }
  return {
    active_objs: nr_objs - nr_free,
    num_objs: nr_objs,
    active_slabs: nr_slabs,
    num_slabs: nr_slabs,
    objects_per_slab: s.objects,
    cache_order: s.order,
  };
}

const pad = (v: number | string, w: number): string => String(v).padStart(w, " ");

/** /proc/slabinfo: version 2.1, newest cache first; SLUB has no tunables. */
export function slabinfo_show(k: Kernel): string {
  let out = "slabinfo - version: 2.1\n";
  out +=
    "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
  const list = k.slab.slab_caches;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i];
    const si = get_slabinfo(k, s);
    out += `${s.name.padEnd(17, " ")} ${pad(si.active_objs, 6)} ${pad(si.num_objs, 6)} ${pad(s.size, 6)} ${pad(si.objects_per_slab, 4)} ${pad(1 << si.cache_order, 4)}`;
    out += ` : tunables ${pad(0, 4)} ${pad(0, 4)} ${pad(0, 4)}`;
    out += ` : slabdata ${pad(si.active_slabs, 6)} ${pad(si.num_slabs, 6)} ${pad(0, 6)}\n`;
  }
  return out;
}
