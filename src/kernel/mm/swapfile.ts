/*
 * swapfile.ts - swap areas (Linux mm/swapfile.c).
 *
 * swapon turns a block device prepared by mkswap into a swap area: page 0
 * holds the header ("SWAPSPACE2", the last usable page), every other page
 * is a slot. swap_map[slot] counts the page-table entries that refer to the
 * slot; has_cache says a page of the swap cache (swap_state.ts) stands for
 * it. A slot is free when both are clear. Areas are used highest priority
 * first, areas of equal priority in turn (get_swap_page); without a
 * priority given, each swapon gets the next lower one, -2, -3, ...
 *
 * A swap entry is (type, offset): the area's index and the slot. In a page
 * table it is a non-present PTE (pgtable.ts swp_entry_to_pte).
 *
 * swapoff brings every page of the area back into memory (try_to_unuse),
 * or fails (ENOMEM, EINTR) and leaves the area in use: see sys_swapoff.
 *
 * The area is a block device or a regular file on a disk filesystem. Either
 * way swap I/O goes straight to the disk, through the swap extents: each
 * maps a run of slots onto a run of the disk's pages (setup_swap_extents).
 *
 *   slot:        0 (header) 1 2 ... 99 | 100 ... 611 | 612 ...
 *   disk page:   8200 ........... 8299 | 9000 .. 9511 | ...
 *
 * A block device is one extent from page 0. A file gets its extents from
 * its filesystem's swap_activate (ext2/iomap.ts: the block map, holes
 * refused), is marked S_SWAPFILE (no writes, truncation or unlink while in
 * use) and pins its mount; its page cache is left alone, as on Linux.
 * tmpfs has no read_folio to read the header with: swapon says EINVAL, and
 * nothing in the log.
 */

import { account_io, type BlockDevice, blkdev_of } from "../block/genhd.js";
import { File, IS_SWAPFILE, S_SWAPFILE } from "../fs/fs.js";
import { d_path, kern_path } from "../fs/namei.js";
import { file as procfile } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { KERN_ERR, KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import { object_array } from "../lib/shapes.js";
import { xa_nodes } from "../lib/xarray.js";
import { signal_pending } from "../sched/core.js";
import type { Task } from "../sched/task.js";
import { O_RDWR, S_IFBLK, S_IFDIR, S_IFMT, S_IFREG } from "../uapi/abi.js";
import { EBUSY, EINTR, EINVAL, EISDIR, ENOMEM, ENXIO, EPERM } from "../uapi/errno.js";
import { find_get_page } from "./filemap.js";
import { VM_FAULT_OOM } from "./memory.js";
import type { MmStruct } from "./mm_struct.js";
import { __vm_enough_memory, vm_unacct_memory } from "./mmap.js";
import { folio_wait_writeback, fsync_mapping, swap_writepage_started } from "./page_writeback.js";
import { __swp_entry_to_pte, for_each_pte, pte_present, pte_swp_type } from "./pgtable.js";
import { shmem_unuse } from "./shmem.js";
import {
  disable_swap_slots_cache,
  enable_swap_slots_cache,
  type SwapSlotsCache,
  swap_slots_alloc,
  swap_slots_ret,
  swap_slots_ret_cache,
  swap_slots_select,
} from "./swap_slots.js";
import {
  clear_shadow_from_swap_slot,
  clear_shadow_from_swap_slot_batched,
  do_swap_page,
  lookup_swap_cache,
  swap_cache_init,
  swap_cache_select,
  swap_shadow_run_flush,
  swapcache_free_run,
  try_to_free_swap,
} from "./swap_state.js";
import { SWAP_MAP_BAD } from "./swap_types.js";
import { workingset_select } from "./workingset.js";

export const MAX_SWAPFILES = 32;
export const SWAP_FLAG_PREFER = 0x8000;
export { SWAP_MAP_BAD };
export const SWAP_FLAG_PRIO_MASK = 0x7fff;
export const SWAP_FLAG_DISCARD = 0x10000;
export const SWAP_FLAG_DISCARD_ONCE = 0x20000;
export const SWAP_FLAG_DISCARD_PAGES = 0x40000;
const SWAP_FLAGS_VALID =
  SWAP_FLAG_PRIO_MASK |
  SWAP_FLAG_PREFER |
  SWAP_FLAG_DISCARD |
  SWAP_FLAG_DISCARD_ONCE |
  SWAP_FLAG_DISCARD_PAGES;

/** An entry packed in one number: type * 2^40 + offset. */
export type SwpEntry = number;
export const swp_entry = (type: number, offset: number): SwpEntry => type * 2 ** 40 + offset;
export const swp_type = (e: SwpEntry): number => Math.floor(e / 2 ** 40);
/* Area 0's entries are their offset; the others' lose type * 2^40 (exact in doubles, and no fmod). */
export const swp_offset = (e: SwpEntry): number => (e < 2 ** 40 ? e : e - Math.floor(e / 2 ** 40) * 2 ** 40);
/** swp_entry_to_pte: the PTE that stands for entry e (the arch's layout, pgtable.ts). */
export const swp_entry_to_pte = (e: SwpEntry): number => __swp_entry_to_pte(swp_type(e), swp_offset(e));

/** struct swap_extent: nr_pages slots from start_page are the disk's pages from start_block. */
export interface SwapExtent {
  start_page: number;
  nr_pages: number;
  start_block: number;
}

export class SwapInfo {
  /** PTE references per slot (swap_map). */
  swap_map: Uint32Array;
  /** 1 while a swap-cache page stands for the slot (SWAP_HAS_CACHE). */
  has_cache: Uint8Array;
  /** Usable slots (page 0, the header, is not one). */
  pages: number;
  inuse_pages = 0;
  /** Where the next search for a free slot starts (cluster_next). */
  cluster_next = 1;
  writeok = true;
  prio = 0;
  /** The extents by start_page (swap_extent_root), and the one found last. */
  extents: SwapExtent[] = [];
  private last_se = 0;
  constructor(
    readonly type: number,
    /** The disk the slots are on: the device itself, or the one under the file. */
    readonly bdev: BlockDevice,
    /** The device node or the regular file (swap_file), held open while in use. */
    readonly file: File,
    /** max: slots including the header (a swap file's extents may make it smaller). */
    public max: number,
  ) {
    this.swap_map = new Uint32Array(max);
    this.has_cache = new Uint8Array(max);
    this.swap_map[0] = SWAP_MAP_BAD; // the header page
    this.pages = max - 1;
  }

  /** offset_to_swap_extent + swap_page_sector: the disk page of slot offset. */
  disk_page(offset: number): number {
    const x = this.extents;
    let se = x[this.last_se];
    if (se !== undefined && offset >= se.start_page && offset < se.start_page + se.nr_pages)
      return se.start_block + offset - se.start_page;
    let lo = 0;
    let hi = x.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      se = x[mid];
      if (offset < se.start_page) hi = mid - 1;
      else if (offset >= se.start_page + se.nr_pages) lo = mid + 1;
      else {
        this.last_se = mid;
        return se.start_block + offset - se.start_page;
      }
    }
    // It *must* be present.
    return BUG(`swap slot ${offset} of area ${this.type} has no extent`);
  }
}

/**
 * add_swap_extent: slots start_page.. (called in ascending order) are disk
 * pages start_block..; a run that continues the last extent on the disk
 * joins it. 1 for a new extent, 0 for a merge.
 */
export function add_swap_extent(
  sis: SwapInfo,
  start_page: number,
  nr_pages: number,
  start_block: number,
): number {
  const last = sis.extents[sis.extents.length - 1];
  if (last) {
    if (last.start_page + last.nr_pages !== start_page) BUG("add_swap_extent: pages out of order");
    if (last.start_block + last.nr_pages === start_block) {
      last.nr_pages += nr_pages;
      return 0;
    }
  }
  sis.extents.push({ start_page, nr_pages, start_block });
  return 1;
}

/** destroy_swap_extents. */
function destroy_swap_extents(sis: SwapInfo): void {
  sis.extents = [];
}

/** a_ops->swap_activate: extents for the file (and sis.max, sis.pages), or -errno. */
export type SwapActivate = (
  k: Kernel,
  sis: SwapInfo,
  file: File,
) => { nr_extents: number; span: number } | number;

/** (A class, not an object literal: see swap_state.ts's SwapCache.) */
export class SwapState {
  info: (SwapInfo | null)[] = object_array();
  /** The areas slots may come from, highest priority first (swap_avail_heads, see below). */
  avail: SwapInfo[] = object_array();
  /** The priority the next swapon without -p gets, minus one. */
  least_priority = -1;
}

const states = new WeakMap<Kernel, SwapState>();
/** The kernel asked last and its state (a WeakMap lookup per swapped page adds up). */
let last_k: Kernel | null = null;
let last_s: SwapState | null = null;

export function swap_state(k: Kernel): SwapState {
  return k === last_k ? last_s! : swap_state_of(k);
}

function swap_state_of(k: Kernel): SwapState {
  let s = states.get(k);
  if (!s) {
    s = new SwapState();
    states.set(k, s);
  }
  last_k = k;
  last_s = s;
  return s;
}

export function swap_info_of(k: Kernel, e: SwpEntry): SwapInfo | null {
  return swap_state(k).info[swp_type(e)] ?? null;
}

/*
 * swap_avail_heads: the areas a new slot may come from, highest priority
 * first, and within one priority in the order they joined the list. An
 * area joins at swapon (and when swapoff fails and puts it back), at the
 * end of its priority; it leaves at swapoff and while it is full, and
 * rejoins, at the end again, when one of its slots is freed.
 *
 * get_swap_pages takes the first area and requeues it after the others of
 * its priority before taking slots from it. Two areas of equal priority
 * thus take turns, one batch of slots each (the 64 a CPU's swap slots
 * cache takes at a time, swap_slots.ts; one when the cache is off), while
 * an area of lower priority gets nothing until every area above it is full:
 *
 *   prio 5: [a, b]  --get: a-->  [b, a]  --get: b-->  [a, b]  ...
 *   prio 2: [c]                   c is reached only when a and b are full
 */

/** add_to_avail_list: si joins the list after every area of its priority or higher. */
export function add_to_avail_list(k: Kernel, si: SwapInfo): void {
  const list = swap_state(k).avail;
  if (list.includes(si)) return;
  let i = 0;
  while (i < list.length && list[i].prio >= si.prio) i++;
  list.splice(i, 0, si);
}

/** del_from_avail_list. */
function del_from_avail_list(k: Kernel, si: SwapInfo): void {
  const list = swap_state(k).avail;
  const i = list.indexOf(si);
  if (i >= 0) list.splice(i, 1);
}

/** plist_requeue: the area at the head moves behind the others of its priority. */
function avail_requeue(list: SwapInfo[], i: number): void {
  const si = list[i];
  let j = i;
  while (j + 1 < list.length && list[j + 1].prio === si.prio) {
    list[j] = list[j + 1];
    j++;
  }
  list[j] = si;
}

function slot_freed(k: Kernel, si: SwapInfo, off: number, in_batch: boolean): void {
  // swap_range_free: a full area can give slots again.
  if (si.inuse_pages-- >= si.pages && si.writeok) add_to_avail_list(k, si);
  k.mm_stat.nr_swap_pages++;
  // A batch's shadows go by runs (swap_state.ts); a device told of each slot frees memory in between.
  const notify = si.bdev.ops.swap_slot_free_notify;
  if (in_batch === true && notify === undefined) clear_shadow_from_swap_slot_batched(k, si.type, off);
  else {
    swap_shadow_run_flush();
    clear_shadow_from_swap_slot(k, si.type, off);
  }
  // swap_range_free: only a device with swap_slot_free_notify (zram) hears of it.
  if (notify !== undefined) si.bdev.ops.swap_slot_free_notify!(k, si.bdev, si.disk_page(off));
}

/** scan_swap_map_slots for one slot: a free slot of si from cluster_next on, marked has_cache; 0 if none. */
function scan_swap_map_slot(k: Kernel, si: SwapInfo): number {
  for (let n = 0; n < si.max; n++) {
    let off = si.cluster_next + n;
    if (off >= si.max) off = off - si.max + 1;
    if (off === 0) continue;
    if (si.swap_map[off] === 0 && !si.has_cache[off]) {
      si.has_cache[off] = 1;
      // swap_range_alloc: a full area leaves the avail list.
      if (++si.inuse_pages === si.pages) del_from_avail_list(k, si);
      k.mm_stat.nr_swap_pages--;
      si.cluster_next = off + 1 < si.max ? off + 1 : 1;
      return off;
    }
  }
  return 0;
}

/**
 * get_swap_pages: up to n_goal free slots (has_cache set) into out, all
 * from the first area of the avail list that has any, requeued behind its
 * equals first; how many.
 */
export function get_swap_pages(k: Kernel, n_goal: number, out: Float64Array): number {
  const list = swap_state(k).avail;
  n_goal = Math.min(n_goal, k.mm_stat.nr_swap_pages);
  if (n_goal <= 0) return 0;
  while (list.length) {
    const si = list[0];
    avail_requeue(list, 0);
    // scan_swap_map_slots: each scan starts at cluster_next, where the last one left off; a free
    // slot there is taken as scan_swap_map_slot takes it, without a call. (The area's counts are
    // kept in locals meanwhile, and stored before anything else looks at them.)
    const map = si.swap_map;
    const has_cache = si.has_cache;
    const pages = si.pages;
    const max = si.max;
    const base = swp_entry(si.type, 0);
    let inuse = si.inuse_pages;
    let next = si.cluster_next;
    let taken = 0;
    let n = 0;
    while (n < n_goal && inuse < pages) {
      let off = next;
      if (map[off] === 0 && has_cache[off] === 0) {
        has_cache[off] = 1;
        inuse++;
        taken++;
        next = off + 1 < max ? off + 1 : 1;
        if (inuse === pages) {
          si.inuse_pages = inuse;
          del_from_avail_list(k, si);
        }
      } else {
        si.inuse_pages = inuse;
        si.cluster_next = next;
        k.mm_stat.nr_swap_pages -= taken;
        taken = 0;
        off = scan_swap_map_slot(k, si);
        inuse = si.inuse_pages;
        next = si.cluster_next;
        if (off === 0) break;
      }
      out[n++] = base + off; // swp_entry(si.type, off)
    }
    si.inuse_pages = inuse;
    si.cluster_next = next;
    k.mm_stat.nr_swap_pages -= taken;
    if (n !== 0) return n;
    // Nothing there after all: out of the list, and on with the next.
    del_from_avail_list(k, si);
  }
  return 0;
}

/** A slot for a page going to swap (folio_alloc_swap): from this CPU's slots cache, else one from the areas. */
export function get_swap_page(k: Kernel): SwpEntry | null {
  const e = swap_slots_alloc(k);
  if (e >= 0) return e;
  return get_swap_pages(k, 1, one) !== 0 ? one[0] : null;
}
const one = new Float64Array(1);

/** free_swap_slot: a slot nobody uses waits in the slots cache, or is freed now. */
export function free_swap_slot(k: Kernel, si: SwapInfo, off: number): void {
  free_swap_slot_to(k, swap_slots_ret_cache(k), si, off);
}

/** free_swap_slot with this CPU's batch c already looked up (null: the cache is off). */
export function free_swap_slot_to(k: Kernel, c: SwapSlotsCache | null, si: SwapInfo, off: number): void {
  if (c === null) slot_freed(k, si, off, false);
  else {
    swap_slots_ret(k, c, swp_entry(si.type, off));
    si.has_cache[off] = 1; // queued, it stays marked in use: SWAP_HAS_CACHE
  }
}

/**
 * swapcache_free_entries: the slots entries[from..to) the slots cache gives
 * back are free unless a PTE took them again. A run of slots of one area
 * whose device is not told of freed slots is done by swapcache_free_run.
 */
export function swapcache_free_entries(k: Kernel, entries: Float64Array, from: number, to: number): void {
  const info = swap_state(k).info;
  let i = from;
  while (i < to) {
    const e = entries[i];
    const si = info[e < 2 ** 40 ? 0 : swp_type(e)] ?? null;
    if (si === null) {
      i++;
      continue;
    }
    if (si.bdev.ops.swap_slot_free_notify === undefined) {
      i = swapcache_free_run(k, si, entries, i, to);
      continue;
    }
    // The device hears of each slot freed (zram).
    const off = e < 2 ** 40 ? e : swp_offset(e);
    si.has_cache[off] = 0;
    if (si.swap_map[off] === 0) slot_freed(k, si, off, true);
    i++;
  }
  swap_shadow_run_flush();
}

/** has_usable_swap: some area is in use. */
export function swap_active(k: Kernel): boolean {
  return swap_state(k).info.some((si) => si?.writeok);
}

/** swap_duplicate: one more PTE refers to the slot (fork). */
export function swap_duplicate(k: Kernel, e: SwpEntry): void {
  const si = swap_info_of(k, e);
  if (si !== null) si.swap_map[swp_offset(e)]++;
}

/** swap_free: one PTE reference less; the slot is free once nothing refers to it. */
export function swap_free(k: Kernel, e: SwpEntry): void {
  const si = swap_info_of(k, e);
  if (si === null) return;
  const off = swp_offset(e);
  if (si.swap_map[off] > 0) si.swap_map[off]--;
  if (si.swap_map[off] === 0 && !si.has_cache[off]) free_swap_slot(k, si, off);
}

/** swapcache_free: the swap cache lets go of the slot. */
export function swapcache_free(k: Kernel, e: SwpEntry): void {
  const si = swap_info_of(k, e);
  if (si !== null) __swapcache_free(k, si, swp_offset(e));
}

/** swapcache_free of slot off of si (the caller found the area). */
export function __swapcache_free(k: Kernel, si: SwapInfo, off: number): void {
  si.has_cache[off] = 0;
  if (si.swap_map[off] === 0) free_swap_slot(k, si, off);
}

/** PTE references to the slot (page_swapcount). */
export function swap_count(k: Kernel, e: SwpEntry): number {
  const si = swap_info_of(k, e);
  return si ? si.swap_map[swp_offset(e)] : 0;
}

/** Is swap more than half full (vm_swap_full)? Then swap-in frees the slot at once. */
export function vm_swap_full(k: Kernel): boolean {
  return k.mm_stat.nr_swap_pages * 2 < k.mm_stat.total_swap_pages;
}

/**
 * Writes page pfn, given as its tag and its bytes (null: the tag says it
 * all), to its slot (swap_writepage): straight to the disk page the
 * extents give; on a disk the page stays under writeback until the
 * request completes. (The tag is read here: a same-filled page's is above 2^31,
 * and as an argument it was a new heap number for every page swapped out.)
 */
export function swap_write(k: Kernel, e: SwpEntry, pfn: number, bytes: Uint8Array | null): number {
  const tag = k.mem.getTag(pfn);
  const si = swap_state(k).info[swp_type(e)]!;
  const page = si.disk_page(swp_offset(e));
  const bdev = si.bdev;
  const ops = bdev.ops;
  const r =
    ops.write_page_tag !== undefined
      ? ops.write_page_tag(k, bdev, page, tag, bytes)
      : ops.write_page(k, bdev, page, { tag, bytes });
  if (r !== 0) return r;
  account_io(k, bdev, 1, true, page);
  // On a disk the page is under writeback until the request completes (end_swap_bio_write).
  swap_writepage_started(k, pfn, bdev);
  return 0;
}

/** Reads a slot back (swap_readpage). */
export function swap_read(k: Kernel, e: SwpEntry): { tag: number; bytes: Uint8Array | null } {
  const si = swap_info_of(k, e)!;
  const page = si.disk_page(swp_offset(e));
  const d = si.bdev.ops.read_page(k, si.bdev, page);
  account_io(k, si.bdev, 1, false, page);
  return d ?? { tag: 0, bytes: null };
}

const u32 = (b: Uint8Array, at: number): number =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const swab32 = (x: number): number =>
  (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;

/** MAX_SWAP_BADPAGES: the bad-page list fits in the header page. */
const MAX_SWAP_BADPAGES = (4096 - 10 - 1024 - 512) / 4;

/**
 * Page 0 of the area (read_mapping_page): a device's from its page cache
 * when mkswap's write is still there, else from the disk; a file's through
 * its own page cache. null: no bytes (a page of zeroes); -EINVAL: the file
 * cannot be read that way (tmpfs has no read_folio).
 */
function read_header_page(k: Kernel, file: File, bd: BlockDevice): Uint8Array | null | number {
  const inode = file.f_inode;
  if ((inode.i_mode & S_IFMT) === S_IFBLK) {
    const cached = bd.mapping ? find_get_page(bd.mapping, 0) : -1;
    if (cached >= 0) return k.pagedata.get(cached) ?? null;
    const d = bd.ops.read_page(k, bd, 0);
    account_io(k, bd, 1, false, 0);
    return d?.bytes ?? null;
  }
  const m = inode.i_mapping;
  if (!m?.read_folio) return -EINVAL;
  let pfn = find_get_page(m, 0);
  if (pfn < 0) pfn = m.read_folio(k, 0);
  if (pfn < 0) return pfn;
  return k.pagedata.get(pfn) ?? null;
}

/**
 * read_swap_header: the slots the header allows (last_page + 1, no more
 * than the file or device holds), the bad pages marked later; 0 when the
 * header is refused (the caller says EINVAL).
 */
function read_swap_header(k: Kernel, b: Uint8Array | null, inode_pages: number, regular: boolean): number {
  const warn = (msg: string): number => {
    k.printk.printk(KERN_WARNING, msg);
    return 0;
  };
  if (!b || new TextDecoder("latin1").decode(b.subarray(4086, 4096)) !== "SWAPSPACE2") {
    k.printk.printk(KERN_ERR, "Unable to find swap-space signature");
    return 0;
  }
  let version = u32(b, 1024);
  let last_page = u32(b, 1028);
  let nr_badpages = u32(b, 1032);
  // The swap partition endianness hack: a header from the other byte order.
  if (swab32(version) === 1) {
    version = 1;
    last_page = swab32(last_page);
    nr_badpages = swab32(nr_badpages);
    if (nr_badpages > MAX_SWAP_BADPAGES) return 0;
  }
  if (version !== 1) return warn(`Unable to handle swap header version ${version | 0}`);
  if (!last_page) return warn("Empty swap-file");
  const maxpages = last_page + 1;
  if (inode_pages && maxpages > inode_pages) return warn("Swap area shorter than signature indicates");
  if (nr_badpages && regular) return 0;
  if (nr_badpages > MAX_SWAP_BADPAGES) return 0;
  return maxpages;
}

/** The bad pages of the header's list out of use; false when the list is invalid. */
function mark_bad_pages(b: Uint8Array, sis: SwapInfo): boolean {
  const big = swab32(u32(b, 1024)) === 1;
  const get = (at: number): number => (big ? swab32(u32(b, at)) : u32(b, at));
  const last_page = get(1028);
  const n = get(1032);
  for (let i = 0; i < n; i++) {
    const page_nr = get(1036 + 4 * i);
    if (page_nr === 0 || page_nr > last_page) return false;
    if (page_nr < sis.max && sis.swap_map[page_nr] !== SWAP_MAP_BAD) {
      sis.swap_map[page_nr] = SWAP_MAP_BAD;
      sis.pages--;
    }
  }
  return true;
}

/**
 * setup_swap_extents: a device is one extent over all of it; a file gets
 * its extents from its filesystem. The count of extents and the span (in
 * pages) that the log line prints, or -errno.
 */
function setup_swap_extents(k: Kernel, sis: SwapInfo): { nr_extents: number; span: number } | number {
  const inode = sis.file.f_inode;
  if ((inode.i_mode & S_IFMT) === S_IFBLK) {
    const nr_extents = add_swap_extent(sis, 0, sis.max, 0);
    return { nr_extents, span: sis.pages };
  }
  const activate = inode.i_mapping?.swap_activate;
  if (activate) return activate(k, sis, sis.file);
  // generic_swapfile_activate maps the file with ->bmap, which no filesystem here without swap_activate has.
  k.printk.printk(KERN_ERR, "swapon: swapfile has holes");
  return -EINVAL;
}

/**
 * swapon(2): claim the device (or find the file's disk), read the header,
 * set up the swap map and the extents, mark the inode S_SWAPFILE, and put
 * the area in use at its priority.
 */
export function sys_swapon(k: Kernel, t: Task, path: string, flags: number): number {
  if (flags & ~SWAP_FLAGS_VALID) return -EINVAL;
  const st = swap_state(k);
  const slot = st.info.indexOf(null);
  const type_nr = slot >= 0 ? slot : st.info.length;
  if (type_nr >= MAX_SWAPFILES) return -EPERM;
  const p = kern_path(k, t, path, true);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  const fmt = inode.i_mode & S_IFMT;
  if (fmt === S_IFDIR) return -EISDIR;
  // claim_swapfile: a device is the area's alone; a file's disk is its filesystem's.
  let bd: BlockDevice | null = null;
  if (fmt === S_IFBLK) {
    bd = blkdev_of(k, inode.i_rdev);
    if (!bd) return -ENXIO;
    if (bd.holder) return -EBUSY;
  } else if (fmt === S_IFREG) bd = blkdev_of(k, inode.i_sb.s_dev);
  if (IS_SWAPFILE(inode)) return -EBUSY;
  // The header is read through the page cache: a file system without read_folio (tmpfs) cannot.
  if (fmt !== S_IFBLK && !inode.i_mapping?.read_folio) return -EINVAL;
  if (!bd) return -EINVAL;
  const f = new File(p, inode, O_RDWR);
  const b = read_header_page(k, f, bd);
  if (typeof b === "number") return b;
  const inode_pages = fmt === S_IFBLK ? bd.nr_pages : Math.floor(inode.i_size / 4096);
  const maxpages = read_swap_header(k, b, inode_pages, fmt === S_IFREG);
  if (!maxpages) return -EINVAL;
  const si = new SwapInfo(type_nr, bd, f, maxpages);
  if (b && !mark_bad_pages(b, si)) return -EINVAL;
  const ext = si.pages > 0 ? setup_swap_extents(k, si) : { nr_extents: 0, span: 0 };
  if (typeof ext === "number") {
    destroy_swap_extents(si);
    return ext;
  }
  if (si.pages <= 0) {
    destroy_swap_extents(si);
    k.printk.printk(KERN_WARNING, "Empty swap-file");
    return -EINVAL;
  }
  // Flush pending writes before the area is used; from now on the file is not written by anyone else.
  inode.i_flags |= S_SWAPFILE;
  const dirty = fmt === S_IFBLK ? bd.mapping : inode.i_mapping;
  if (dirty) fsync_mapping(k, dirty);
  inode.i_opencount++;
  p.mnt.mnt_kern_refs++;
  if (fmt === S_IFBLK) {
    bd.holder = "swap";
    bd.block_size = 4096; // claim_swapfile: set_blocksize(p->bdev, PAGE_SIZE)
  }
  si.prio = flags & SWAP_FLAG_PREFER ? flags & SWAP_FLAG_PRIO_MASK : --st.least_priority;
  st.info[type_nr] = si;
  add_to_avail_list(k, si);
  k.mm_stat.total_swap_pages += si.pages;
  k.mm_stat.nr_swap_pages += si.pages;
  enable_swap_slots_cache(k);
  swap_cache_init(k);
  // With discard on a device that can: D, then s (discard the area now) and c (discard freed clusters).
  let discard = "";
  if (flags & SWAP_FLAG_DISCARD && bd.ops.discard) {
    discard = "D";
    if (!(flags & SWAP_FLAG_DISCARD_PAGES)) discard += "s";
    if (!(flags & SWAP_FLAG_DISCARD_ONCE)) discard += "c";
  }
  k.printk.printk(
    KERN_INFO,
    `Adding ${si.pages * 4}k swap on ${path}.  Priority:${si.prio} extents:${ext.nr_extents} across:${ext.span * 4}k ${bd.rotational ? "" : "SS"}${discard}FS`,
  );
  return 0;
}

/** The area swapoff names: the same device, or the same file (its mapping), still in use. */
export function find_swap_area(k: Kernel, t: Task, path: string): SwapInfo | number {
  const p = kern_path(k, t, path, true);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  const fmt = inode.i_mode & S_IFMT;
  if (fmt === S_IFDIR) return -EISDIR;
  const same = (s: SwapInfo): boolean => {
    const i = s.file.f_inode;
    if (fmt === S_IFBLK) return (i.i_mode & S_IFMT) === S_IFBLK && i.i_rdev === inode.i_rdev;
    return i === inode;
  };
  const si = swap_state(k).info.find((s) => s?.writeok && same(s));
  return si ?? -EINVAL;
}

/*
 * swapoff(2), as 6.1's sys_swapoff does it:
 *
 *   1. the commit charge: the area's pages must fit in what may still be
 *      committed once the area is gone (security_vm_enough_memory_mm on
 *      the caller's mm: under vm.overcommit_memory=2, Committed_AS plus
 *      the area's pages against CommitLimit, which still counts the area).
 *      Otherwise ENOMEM, and the area was never touched.
 *   2. the area stops giving slots (off the avail list, not SWP_WRITEOK)
 *      and its pages leave SwapTotal and SwapFree; automatic priorities
 *      after it close up.
 *   3. try_to_unuse brings every page back, with the caller marked as the
 *      OOM killer's first choice (set_current_oom_origin): if memory runs
 *      out it is swapoff that dies, not a bystander.
 *   4. on failure the area goes back in use (reinsert_swap_info): ENOMEM
 *      when a page could not be allocated, EINTR when a signal (the OOM
 *      killer's SIGKILL) came. Otherwise it is let go.
 */

/** swapoff's step 2 (del_from_avail_list and what follows it). */
export function swap_area_disable(k: Kernel, si: SwapInfo): void {
  const st = swap_state(k);
  del_from_avail_list(k, si);
  if (si.prio < 0) {
    for (const o of st.info) if (o && o !== si && o.prio < si.prio) o.prio++;
    st.least_priority++;
  }
  k.mm_stat.nr_swap_pages -= si.pages;
  k.mm_stat.total_swap_pages -= si.pages;
  si.writeok = false;
}

/** reinsert_swap_info: swapoff failed; the area is in use again, an automatic priority at the end. */
export function reinsert_swap_info(k: Kernel, si: SwapInfo): void {
  if (si.prio < 0) si.prio = --swap_state(k).least_priority;
  // _enable_swap_info.
  si.writeok = true;
  k.mm_stat.nr_swap_pages += si.pages;
  k.mm_stat.total_swap_pages += si.pages;
  add_to_avail_list(k, si);
}

/** Takes an emptied area out of use (the end of swapoff): the device, the file and its mount are let go. */
export function swap_area_release(k: Kernel, si: SwapInfo): void {
  swap_state(k).info[si.type] = null;
  destroy_swap_extents(si);
  const inode = si.file.f_inode;
  if ((inode.i_mode & S_IFMT) === S_IFBLK) si.bdev.holder = null;
  inode.i_flags &= ~S_SWAPFILE;
  inode.i_opencount--;
  si.file.f_path.mnt.mnt_kern_refs--;
}

/**
 * unuse_mm: every swap PTE of mm that points into si is faulted back in
 * (unuse_pte_range). -ENOMEM when a page could not be had for a slot
 * still in use.
 */
function unuse_mm(k: Kernel, mm: MmStruct, si: SwapInfo): number {
  for (const vma of [...mm.vmas]) {
    let err = 0;
    for_each_pte(k, mm, vma.vm_start, vma.vm_end, (pt, i, addr) => {
      const pte = pt.entries[i];
      if (err || pte_present(pte) || pte_swp_type(pte) !== si.type) return;
      if (do_swap_page(k, mm, vma, addr, pt, i, false) & VM_FAULT_OOM) err = -ENOMEM;
    });
    if (err) return err;
  }
  return 0;
}

/**
 * try_to_unuse: tmpfs files first (shmem_unuse), then every process's
 * swap PTEs, then the swap-cache pages nobody refers to any more; again
 * while slots are in use and no signal is pending. 0, -ENOMEM or -EINTR.
 * (Linux retries for as long as it takes; here nothing else runs while
 * swapoff does, so a pass that frees nothing gives up with ENOMEM.)
 */
function try_to_unuse(k: Kernel, t: Task, si: SwapInfo): number {
  while (si.inuse_pages) {
    const before = si.inuse_pages;
    if (!shmem_unuse(k, si.type)) return -ENOMEM;
    const mms = new Set<MmStruct>();
    for (const task of k.sched.tasks.values()) if (task.mm) mms.add(task.mm);
    for (const mm of mms) {
      if (!si.inuse_pages || signal_pending(t)) break;
      const err = unuse_mm(k, mm, si);
      if (err) return err;
    }
    // find_next_to_unuse: the slots still held by the swap cache alone.
    for (let off = 1; off < si.max && si.inuse_pages && !signal_pending(t); off++) {
      if (!si.has_cache[off] || si.swap_map[off] === SWAP_MAP_BAD) continue;
      const pfn = lookup_swap_cache(k, swp_entry(si.type, off));
      if (pfn < 0) continue;
      folio_wait_writeback(k, pfn);
      try_to_free_swap(k, pfn);
    }
    if (!si.inuse_pages) break;
    if (signal_pending(t)) return -EINTR;
    if (si.inuse_pages === before) return -ENOMEM;
  }
  return 0;
}

/** swapoff(2). */
export function sys_swapoff(k: Kernel, t: Task, path: string): number {
  const si = find_swap_area(k, t, path);
  if (typeof si === "number") return si;
  if (__vm_enough_memory(k, t, t.mm, si.pages) < 0) return -ENOMEM;
  vm_unacct_memory(k, si.pages);
  swap_area_disable(k, si);
  disable_swap_slots_cache(k);
  t.oom_flag_origin = true;
  const err = try_to_unuse(k, t, si);
  t.oom_flag_origin = false;
  if (err) {
    reinsert_swap_info(k, si);
    enable_swap_slots_cache(k);
    return err;
  }
  enable_swap_slots_cache(k);
  swap_area_release(k, si);
  return 0;
}

/** seq_file_path's escaping: space, tab, newline and backslash as \ooo. */
function mangle_path(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
}

/** /proc/swaps (swap_show). */
export function swaps_show(k: Kernel): string {
  let s = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  for (const si of swap_state(k).info) {
    if (!si) continue;
    const name = mangle_path(d_path(null, si.file.f_path, k.vfs.root_mnt!));
    const pad = name.length < 40 ? 40 - name.length : 1;
    const type = (si.file.f_inode.i_mode & S_IFMT) === S_IFBLK ? "partition" : "file\t";
    const bytes = si.pages * 4;
    const inuse = si.inuse_pages * 4;
    s += `${name}${" ".repeat(pad)}${type}\t${bytes}\t${bytes < 10000000 ? "\t" : ""}${inuse}\t${inuse < 10000000 ? "\t" : ""}${si.prio}\n`;
  }
  return s;
}

/** swap_init: /proc/swaps. */
export function swap_init(k: Kernel): void {
  k.proc_extra.push(procfile("swaps", (kk) => swaps_show(kk)));
  // The swap-out path's modules each remember the kernel they were asked
  // about last (a WeakMap lookup per page adds up). They are pointed at this
  // one now, as init starts, rather than by its first swap-out: the other
  // branch of those lookups runs once per machine, has no type feedback, and
  // deoptimized the swap-out path in the middle of a second machine's run.
  swap_state(k);
  swap_cache_select(k);
  swap_slots_select(k);
  xa_nodes(k);
  workingset_select(k);
}
