/*
 * filemap.ts - the page cache and page contents (Linux mm/filemap.c,
 * include/linux/pagemap.h, and the data side of mm/highmem.c).
 *
 * Every inode with data has an address_space: its pages by index (Linux
 * keeps them in an xarray; a Map here, with the xarray's shape kept in
 * i_pages, lib/xarray.ts). A page in the page cache holds one reference of
 * its own, counts in NR_FILE_PAGES (and NR_SHMEM for tmpfs), and sits on
 * an LRU list. Reclaim leaves a shadow in an evicted page's slot
 * (workingset.ts); the page read back in its place replaces it, truncation
 * erases it, and the shadow shrinker erases whole nodes of them.
 *
 * Page contents: a page's 4096 bytes are represented by its content tag
 * (struct page extension, see mm_types.ts). Pages whose bytes matter to
 * someone (text files, pipe data) also keep the bytes in Kernel.pagedata;
 * the tag is then a hash of them. Tags:
 *   0                      all zeroes
 *   0xffffff00 | b         every byte equal to b (b != 0): "same-filled"
 *   anything else          other contents (equal tags: equal contents)
 */

import type { Inode } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { XArray, xa_account } from "../lib/xarray.js";
import { bytes_of_tag, SAME_FILLED, tag_of } from "./content.js";
import { kmap_local_page, kunmap_local } from "./highmem.js";
import type { VmAreaStruct } from "./mm_struct.js";
import {
  PG_active,
  PG_data,
  PG_dirty,
  PG_lru,
  PG_referenced,
  PG_swapbacked,
  PG_uptodate,
} from "./mm_types.js";
import { NR_FILE_DIRTY, NR_FILE_PAGES, NR_SHMEM, NR_ZONE_WRITE_PENDING } from "./mmzone.js";
import { __free_pages, PAGE_SIZE, page_zone } from "./page_alloc.js";
import { del_page_from_lru_list, lru_cache_add } from "./swap.js";
import type { SwapActivate } from "./swapfile.js";
import { type Shadow, workingset_refault, workingset_update_node } from "./workingset.js";

export { bytes_of_tag, SAME_FILLED, TAG_INCOMPRESSIBLE, tag_class, tag_of } from "./content.js";

export class AddressSpace {
  readonly id: number;
  host: Inode;
  /** index -> pfn (i_pages). */
  pages = new Map<number, number>();
  /** Swap-backed (tmpfs/shmem, rootfs). */
  readonly shmem: boolean;
  /** A block device's own cache (its pages count as Buffers). */
  is_bdev = false;
  /** The VMAs mapping this file (i_mmap), for rmap walks. */
  i_mmap = new Set<VmAreaStruct>();
  /** Dirty pages, and when the first of them got dirty (the inode's dirtied_when; 0: clean). */
  nrdirty = 0;
  dirtied_when = 0;
  /** Shadow entries of pages reclaim evicted (index -> workingset.ts shadow). */
  shadows = new Map<number, Shadow>();
  /** The xarray's nodes (mapping_set_update: shadow nodes tracked, except for tmpfs). */
  readonly i_pages: XArray;
  /** Truncated while pages were in flight (kill_bdev): each leaves the cache when its write completes. */
  drop_after_writeback = false;
  /**
   * a_ops->writepages: submit [index, pfn] pages (ascending) to the backing
   * device; returns when each request completes (simulated ns). Null for
   * memory-backed mappings (tmpfs), which are never written back.
   */
  writepages: ((k: Kernel, pages: [number, number][]) => number[]) | null = null;
  /**
   * a_ops->read_folio (with readahead): bring page index in from the
   * backing store; its pfn, or -errno. Null: a missing page is a new zeroed
   * one (tmpfs, or a file that lives only in memory).
   */
  read_folio: ((k: Kernel, index: number) => number) | null = null;
  /**
   * a_ops->swap_activate: the file's blocks as swap extents of sis
   * (add_swap_extent); the number of extents and the span, or -errno. Null:
   * the filesystem cannot hold a swap file.
   */
  swap_activate: SwapActivate | null = null;
  constructor(id: number, host: Inode, shmem: boolean) {
    this.id = id;
    this.host = host;
    this.shmem = shmem;
    this.i_pages = new XArray(shmem ? null : workingset_update_node, (k, first, last) =>
      clear_shadow_entries(k, this, first, last),
    );
  }
  get nrpages(): number {
    return this.pages.size;
  }
}

/** A new address_space for an inode, registered so a page's mapping id finds it. */
export function new_mapping(k: Kernel, host: Inode, shmem: boolean): AddressSpace {
  const m = new AddressSpace(k.mappings.length, host, shmem);
  k.mappings.push(m);
  return m;
}

export function find_get_page(m: AddressSpace, index: number): number {
  return m.pages.get(index) ?? -1;
}

/**
 * add_to_page_cache_lru (filemap_add_folio): pfn (refcount 1, ours) becomes
 * page `index` of m. A shadow in the slot means the page was evicted and
 * is back: a refault (workingset_refault decides whether it starts active).
 */
export function add_to_page_cache_lru(k: Kernel, pfn: number, m: AddressSpace, index: number): void {
  const mem = k.mem;
  mem.setMapping(pfn, m.id, index);
  mem.flags[pfn] |= PG_uptodate;
  if (m.shmem) mem.flags[pfn] |= PG_swapbacked;
  m.pages.set(index, pfn);
  const nid = page_zone(k, pfn).node;
  const shadow = m.shadows.size ? m.shadows.get(index) : undefined;
  if (shadow !== undefined) {
    m.shadows.delete(index);
    xa_account(k, m.i_pages, index, 0, -1, nid);
    workingset_refault(k, pfn, shadow, true);
  } else xa_account(k, m.i_pages, index, 1, 0, nid);
  const pgdat = k.nodes[nid];
  pgdat.vm_stat[NR_FILE_PAGES]++;
  if (m.shmem) pgdat.vm_stat[NR_SHMEM]++;
  if (m.is_bdev) k.mm_stat.nr_blockdev_pages++;
  lru_cache_add(k, pfn);
}

/**
 * delete_from_page_cache (__filemap_remove_folio): drop page `index` of m
 * and free it if unused; reclaim leaves its shadow in the slot.
 */
export function delete_from_page_cache(
  k: Kernel,
  m: AddressSpace,
  index: number,
  shadow?: Shadow,
  free = true,
): void {
  const pfn = m.pages.get(index);
  if (pfn === undefined) return;
  m.pages.delete(index);
  const nid = page_zone(k, pfn).node;
  if (shadow !== undefined) {
    m.shadows.set(index, shadow);
    xa_account(k, m.i_pages, index, 0, 1, nid);
  } else xa_account(k, m.i_pages, index, -1, 0, nid);
  const mem = k.mem;
  if (mem.flags[pfn] & PG_lru) del_page_from_lru_list(k, pfn);
  const zone = page_zone(k, pfn);
  const pgdat = k.nodes[zone.node];
  pgdat.vm_stat[NR_FILE_PAGES]--;
  if (mem.flags[pfn] & PG_swapbacked) pgdat.vm_stat[NR_SHMEM]--;
  if (m.is_bdev) k.mm_stat.nr_blockdev_pages--;
  // folio_cancel_dirty: a dirty page thrown away (truncated) is no longer owed to the disk.
  if (mem.flags[pfn] & PG_dirty && !m.shmem) {
    pgdat.vm_stat[NR_FILE_DIRTY]--;
    zone.vm_stat[NR_ZONE_WRITE_PENDING]--;
    if (--m.nrdirty === 0) m.dirtied_when = 0;
  }
  mem.flags[pfn] &= ~(PG_uptodate | PG_swapbacked | PG_dirty | PG_referenced | PG_active);
  mem.setMapping(pfn, 0, 0);
  // (Reclaim frees its pages itself, together, at the end of its pass: free false.)
  if (free) __free_pages(k, pfn, 0);
}

/** truncate_inode_pages: drop every page, and every shadow, at or beyond byte offset `from`. */
export function truncate_inode_pages(k: Kernel, m: AddressSpace, from: number): void {
  const first = Math.ceil(from / PAGE_SIZE);
  for (const index of [...m.pages.keys()].sort((a, b) => a - b))
    if (index >= first) delete_from_page_cache(k, m, index);
  clear_shadow_entries(k, m, first, Number.MAX_SAFE_INTEGER);
  // A partial last page keeps its head; zero the tail so a later extension reads zeroes.
  const partial = from % PAGE_SIZE;
  if (partial) {
    const pfn = m.pages.get(Math.floor(from / PAGE_SIZE));
    if (pfn !== undefined) page_zero_range(k, pfn, partial, PAGE_SIZE - partial);
  }
}

/** clear_shadow_entry for each shadow of m at indices first..last (truncation, shadow node reclaim). */
export function clear_shadow_entries(k: Kernel, m: AddressSpace, first: number, last: number): void {
  if (!m.shadows.size) return;
  const erase = (index: number): void => {
    m.shadows.delete(index);
    xa_account(k, m.i_pages, index, -1, -1, 0);
  };
  if (last - first < 64) {
    for (let index = first; index <= last; index++) if (m.shadows.has(index)) erase(index);
  } else for (const index of [...m.shadows.keys()]) if (index >= first && index <= last) erase(index);
}

/* ---- page contents ---- */

/** The page's bytes as a fresh copy (synthesized from the tag when not stored). */
export function page_bytes(k: Kernel, pfn: number): Uint8Array {
  const stored = k.pagedata.get(pfn);
  if (stored) return stored.slice();
  return bytes_of_tag(k.mem.getTag(pfn));
}

/** Forgets the stored bytes of a page; its tag alone stands for its contents again. */
export function page_drop_bytes(k: Kernel, pfn: number): void {
  if (k.mem.flags[pfn] & PG_data) {
    k.pagedata.delete(pfn);
    k.mem.flags[pfn] &= ~PG_data;
  }
}

/** Reads len bytes at off of page pfn (a HighMem page is kmap_local'd for it). */
export function page_read(k: Kernel, pfn: number, off: number, len: number): Uint8Array {
  if (k.cfg.HIGHMEM) kmap_local_page(k, pfn);
  const out = page_read_mapped(k, pfn, off, len);
  if (k.cfg.HIGHMEM) kunmap_local(k, pfn);
  return out;
}

/**
 * Copies len bytes at off of page pfn into out at `at` (out is zeroed: a
 * page of zeroes copies nothing), without a buffer per page as page_read has.
 */
export function page_read_into(
  k: Kernel,
  pfn: number,
  off: number,
  len: number,
  out: Uint8Array,
  at: number,
): void {
  if (k.cfg.HIGHMEM) kmap_local_page(k, pfn);
  const stored = k.pagedata.get(pfn);
  const tag = k.mem.getTag(pfn);
  if (stored || tag !== 0) out.set((stored ?? bytes_of_tag(tag)).subarray(off, off + len), at);
  if (k.cfg.HIGHMEM) kunmap_local(k, pfn);
}

function page_read_mapped(k: Kernel, pfn: number, off: number, len: number): Uint8Array {
  const stored = k.pagedata.get(pfn);
  if (stored) return stored.slice(off, off + len);
  const tag = k.mem.getTag(pfn);
  if (tag === 0) return new Uint8Array(len);
  return bytes_of_tag(tag).subarray(off, off + len);
}

/** Writes data at off of page pfn, keeping the bytes and updating the tag (kmap_local'd if HighMem). */
export function page_write(k: Kernel, pfn: number, off: number, data: Uint8Array): void {
  if (k.cfg.HIGHMEM) kmap_local_page(k, pfn);
  page_write_mapped(k, pfn, off, data);
  if (k.cfg.HIGHMEM) kunmap_local(k, pfn);
}

function page_write_mapped(k: Kernel, pfn: number, off: number, data: Uint8Array): void {
  let buf = k.pagedata.get(pfn);
  if (!buf) {
    buf = bytes_of_tag(k.mem.getTag(pfn));
    k.pagedata.set(pfn, buf);
    k.mem.flags[pfn] |= PG_data;
  }
  buf.set(data, off);
  k.mem.setTag(pfn, tag_of(buf));
}

export function page_zero_range(k: Kernel, pfn: number, off: number, len: number): void {
  page_write(k, pfn, off, new Uint8Array(len));
}

/** Sets a page's contents from a device page: its tag, and its bytes when kept (null: zeroes). */
export function page_set_data(
  k: Kernel,
  pfn: number,
  d: { tag: number; bytes: Uint8Array | null } | null,
): void {
  page_drop_bytes(k, pfn);
  k.mem.setTag(pfn, d ? d.tag : 0);
  if (d?.bytes) {
    k.pagedata.set(pfn, d.bytes.slice());
    k.mem.flags[pfn] |= PG_data;
  }
}

/**
 * write(2)'s copy into a page at off: a whole page of one byte value keeps
 * only its tag (as a memset would), anything else its bytes.
 */
export function page_store(k: Kernel, pfn: number, off: number, data: Uint8Array): void {
  if (off === 0 && data.length === PAGE_SIZE) {
    const b = data[0];
    let i = 1;
    while (i < data.length && data[i] === b) i++;
    if (i === data.length) {
      page_fill(k, pfn, b);
      return;
    }
  }
  page_write(k, pfn, off, data);
}

/** Fills a whole page with one byte value (memset), without keeping bytes. */
export function page_fill(k: Kernel, pfn: number, value: number): void {
  page_drop_bytes(k, pfn);
  k.mem.setTag(pfn, value === 0 ? 0 : (SAME_FILLED | value) >>> 0);
}
