/*
 * page_flags.ts - the page flag bits and the other constants of struct page
 * (Linux include/linux/page-flags.h, mm_types.h), in a file of constants
 * only: the bundler puts their values in place of every use (esbuild
 * inlines constants from a file that imports nothing), so the hot paths
 * test immediate bits rather than load a module variable each time.
 */

/* Page flags, one bit each (include/linux/page-flags.h). */
export const PG_locked = 1 << 0; // page is locked for I/O
export const PG_referenced = 1 << 1; // accessed recently (second chance on the LRU)
export const PG_uptodate = 1 << 2; // contents valid
export const PG_dirty = 1 << 3; // contents newer than the backing store
export const PG_lru = 1 << 4; // on an LRU list
export const PG_active = 1 << 5; // on the active LRU list
export const PG_workingset = 1 << 6; // refaulted while in the working set
export const PG_slab = 1 << 7; // owned by the slab allocator
export const PG_reserved = 1 << 8; // never handed to the buddy allocator (memblock)
export const PG_private = 1 << 9; // page->private is in use (buffer heads)
export const PG_writeback = 1 << 10; // being written back
export const PG_head = 1 << 11; // first page of a compound page
export const PG_tail = 1 << 12; // other pages of a compound page (Linux: compound_head bit 0)
export const PG_swapcache = 1 << 13; // in the swap cache
export const PG_swapbacked = 1 << 14; // backed by swap (anon, shmem)
export const PG_unevictable = 1 << 15; // on the unevictable LRU
export const PG_mlocked = 1 << 16; // mapped by an mlocked VMA
export const PG_reclaim = 1 << 17; // to be reclaimed when writeback ends
export const PG_buddy = 1 << 18; // free, heading a block in a free_area (Linux: page_type)
export const PG_table = 1 << 19; // a page-table page (Linux: page_type PG_table)
export const PG_anon = 1 << 20; // mapping is an anon_vma (Linux: PAGE_MAPPING_ANON)
export const PG_isolated = 1 << 21; // isolated from the LRU by reclaim or compaction
export const PG_young = 1 << 22; // page_idle young bit (page_ext)
export const PG_idle = 1 << 23; // page_idle idle bit (page_ext)
export const NR_PAGEFLAGS = 24;
/** mmbox's own bit, above the order field: the page's bytes are kept in Kernel.pagedata. */
export const PG_data = 1 << 28;
/** A KSM page: its mapping is a stable node, not an anon_vma (Linux: PAGE_MAPPING_KSM). */
export const PG_ksm = 1 << 29;

/** The order (or pcp migratetype) of a block's first page: flags bits 24..27. */
export const ORDER_SHIFT = 24;
export const ORDER_MASK = 0xf << ORDER_SHIFT;
export const FLAGS_MASK = (1 << ORDER_SHIFT) - 1;

export const SECTION_SHIFT = 15; // 2^15 pages = 128 MiB, x86_64's SECTION_SIZE_BITS 27
export const PAGES_PER_SECTION = 1 << SECTION_SHIFT;

/** What a page forgets when its last reference goes (__folio_put, free_pages_prepare). */
export const FOLIO_PUT_CLEAR =
  PG_anon |
  PG_swapbacked |
  PG_active |
  PG_referenced |
  PG_workingset |
  PG_dirty |
  PG_uptodate |
  PG_unevictable |
  PG_mlocked;

/** Flags a page must not have when it is freed (page-flags.h PAGE_FLAGS_CHECK_AT_FREE, our page_type bits with them). */
export const PAGE_FLAGS_CHECK_AT_FREE =
  PG_lru | PG_locked | PG_writeback | PG_slab | PG_swapcache | PG_mlocked | PG_table | PG_buddy;

/**
 * The flags that still fail the free check (or mark a reserved page) once
 * __folio_put has taken the page off the LRU and cleared FOLIO_PUT_CLEAR:
 * a page with one of them cannot be freed in line by the batched frees
 * (zap_pte_range, free_unref_page_list) and takes the calls.
 */
export const FOLIO_PUT_FREE_CHECK = (PAGE_FLAGS_CHECK_AT_FREE | PG_reserved) & ~(PG_lru | FOLIO_PUT_CLEAR);
