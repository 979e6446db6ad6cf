/*
 * mm_types.ts - struct page, as a struct of typed arrays indexed by pfn
 * (Linux include/linux/mm_types.h, include/linux/page-flags.h).
 *
 * Linux keeps a 32- or 64-byte struct page per 4 KiB page frame. mmbox keeps
 * the fields a free page needs in dense arrays (12 bytes a page) and the rest
 * in per-section extensions that exist only once a page of that section has
 * been handed out, as page_ext does. A free page has a zero refcount, so a
 * section nobody has allocated from needs no extension at all:
 *
 *   dense, every pfn              section extension (2^15 pages, lazily)
 *   +----------------------+      +------------------------------+
 *   | flags      u32       |      | _refcount   i32              |
 *   | lru.next   i32       |      | _mapcount   i32 (-1: none)   |
 *   | lru.prev   i32       |      | mapping     i32 (owner id)   |
 *   +----------------------+      | index       f64 (pgoff)      |
 *                                 | private     i32              |
 *                                 | tag         u32 (contents)   |
 *                                 +------------------------------+
 *
 * flags:  bits 0..23 are PG_* flags; bits 24..27 hold the order of a free
 *         buddy block (Linux: page->private) or of a compound head page
 *         (Linux: folio->_folio_order); bit 28 (PG_data) says the page's
 *         bytes are kept (see filemap.ts).
 * lru:    the one list_head a page has (buddy list, pcp list, LRU, slab list).
 * tag:    a 32-bit value standing for the page's 4096 bytes; 0 means zeroes.
 *
 * The zone a page belongs to is kept per pageblock (Linux keeps it in the
 * upper bits of page->flags): zones start and end on pageblock boundaries.
 */

import { PageLinks } from "../lib/list.js";
import {
  FLAGS_MASK,
  ORDER_MASK,
  ORDER_SHIFT,
  PAGES_PER_SECTION,
  PG_tail,
  SECTION_SHIFT,
} from "./page_flags.js";

export * from "./page_flags.js";

export const pageflag_names: readonly string[] = [
  "locked",
  "referenced",
  "uptodate",
  "dirty",
  "lru",
  "active",
  "workingset",
  "slab",
  "reserved",
  "private",
  "writeback",
  "head",
  "tail",
  "swapcache",
  "swapbacked",
  "unevictable",
  "mlocked",
  "reclaim",
  "buddy",
  "table",
  "anon",
  "isolated",
  "young",
  "idle",
];

/** The lazily created part of struct page for one memory section. */
export class PageExt {
  _refcount = new Int32Array(PAGES_PER_SECTION);
  _mapcount = new Int32Array(PAGES_PER_SECTION).fill(-1);
  mapping = new Int32Array(PAGES_PER_SECTION);
  index = new Float64Array(PAGES_PER_SECTION);
  private_ = new Int32Array(PAGES_PER_SECTION);
  tag = new Uint32Array(PAGES_PER_SECTION);
}

/**
 * mem_map: struct page for every pfn in [0, max_pfn). Pfns that are not RAM
 * (holes) are PG_reserved with a zero refcount and are never touched.
 */
export class MemMap {
  readonly max_pfn: number;
  readonly flags: Uint32Array;
  readonly links: PageLinks;
  readonly sections: (PageExt | null)[];
  /** Zone id (index into Kernel.zones) for each pageblock. */
  readonly pageblock_zone: Uint8Array;
  /** Migrate type of each pageblock (Linux: pageblock_flags bits PB_migrate). */
  readonly pageblock_mt: Uint8Array;
  /** PB_migrate_skip, used by compaction. */
  readonly pageblock_skip: Uint8Array;
  readonly pageblock_order: number;

  constructor(max_pfn: number, pageblock_order: number) {
    this.max_pfn = max_pfn;
    this.pageblock_order = pageblock_order;
    this.flags = new Uint32Array(max_pfn);
    this.links = new PageLinks(max_pfn);
    // A packed array of nulls (not a holey one) keeps the lookups on the fast path.
    this.sections = Array.from({ length: (max_pfn >>> SECTION_SHIFT) + 1 }, () => null);
    const nr_blocks = (max_pfn >>> pageblock_order) + 1;
    this.pageblock_zone = new Uint8Array(nr_blocks);
    this.pageblock_mt = new Uint8Array(nr_blocks);
    this.pageblock_skip = new Uint8Array(nr_blocks);
  }

  /** The section extension of pfn, created on first use. */
  ext(pfn: number): PageExt {
    const s = pfn >>> SECTION_SHIFT;
    let e = this.sections[s];
    if (e === null) {
      e = new PageExt();
      this.sections[s] = e;
    }
    return e;
  }

  /** Inspection without side effects: the extension if it exists. */
  peekExt(pfn: number): PageExt | null {
    return this.sections[pfn >>> SECTION_SHIFT];
  }

  /* ---- flags ---- */
  test(pfn: number, flag: number): boolean {
    return (this.flags[pfn] & flag) !== 0;
  }
  set(pfn: number, flag: number): void {
    this.flags[pfn] |= flag;
  }
  clear(pfn: number, flag: number): void {
    this.flags[pfn] &= ~flag;
  }
  pageFlags(pfn: number): number {
    return this.flags[pfn] & FLAGS_MASK;
  }

  /** buddy_order / compound_order, kept in flags bits 24..27. */
  order(pfn: number): number {
    return (this.flags[pfn] & ORDER_MASK) >>> ORDER_SHIFT;
  }
  setOrder(pfn: number, order: number): void {
    this.flags[pfn] = (this.flags[pfn] & ~ORDER_MASK) | (order << ORDER_SHIFT);
  }

  /**
   * compound_head: the head page of the compound page pfn belongs to (pfn
   * itself when it is no tail). A compound page is a naturally aligned
   * buddy block, so the head is the first aligned-down pfn that is no tail.
   */
  compound_head(pfn: number): number {
    if (!(this.flags[pfn] & PG_tail)) return pfn;
    for (let o = 1; ; o++) {
      const head = pfn - (pfn & ((1 << o) - 1));
      if (!(this.flags[head] & PG_tail)) return head;
    }
  }

  /* ---- counts ---- */
  /** page_count: a compound page's count lives in its head (the tails' stay 0). */
  page_ref_count(pfn: number): number {
    if (this.flags[pfn] & PG_tail) pfn = this.compound_head(pfn);
    const e = this.sections[pfn >>> SECTION_SHIFT];
    return e === null ? 0 : e._refcount[pfn & (PAGES_PER_SECTION - 1)];
  }
  set_page_count(pfn: number, v: number): void {
    this.ext(pfn)._refcount[pfn & (PAGES_PER_SECTION - 1)] = v;
  }
  /** page_ref_add: returns the new count. */
  page_ref_add(pfn: number, nr: number): number {
    const r = this.ext(pfn)._refcount;
    const i = pfn & (PAGES_PER_SECTION - 1);
    r[i] += nr;
    return r[i];
  }
  set_page_mapcount(pfn: number, mapcount: number): void {
    this.ext(pfn)._mapcount[pfn & (PAGES_PER_SECTION - 1)] = mapcount - 1;
  }
  page_mapcount(pfn: number): number {
    const e = this.sections[pfn >>> SECTION_SHIFT];
    return e === null ? 0 : e._mapcount[pfn & (PAGES_PER_SECTION - 1)] + 1;
  }

  /* ---- section-extension fields ---- */
  getTag(pfn: number): number {
    const e = this.sections[pfn >>> SECTION_SHIFT];
    return e === null ? 0 : e.tag[pfn & (PAGES_PER_SECTION - 1)];
  }
  setTag(pfn: number, tag: number): void {
    this.ext(pfn).tag[pfn & (PAGES_PER_SECTION - 1)] = tag >>> 0;
  }
  getMapping(pfn: number): number {
    const e = this.sections[pfn >>> SECTION_SHIFT];
    return e === null ? 0 : e.mapping[pfn & (PAGES_PER_SECTION - 1)];
  }
  setMapping(pfn: number, id: number, index: number): void {
    const e = this.ext(pfn);
    const i = pfn & (PAGES_PER_SECTION - 1);
    e.mapping[i] = id;
    e.index[i] = index;
  }
  getIndex(pfn: number): number {
    const e = this.sections[pfn >>> SECTION_SHIFT];
    return e === null ? 0 : e.index[pfn & (PAGES_PER_SECTION - 1)];
  }
  getPrivate(pfn: number): number {
    const e = this.sections[pfn >>> SECTION_SHIFT];
    return e === null ? 0 : e.private_[pfn & (PAGES_PER_SECTION - 1)];
  }
  setPrivate(pfn: number, v: number): void {
    this.ext(pfn).private_[pfn & (PAGES_PER_SECTION - 1)] = v;
  }

  /* ---- pageblocks ---- */
  get_pageblock_migratetype(pfn: number): number {
    return this.pageblock_mt[pfn >>> this.pageblock_order];
  }
  set_pageblock_migratetype(pfn: number, mt: number): void {
    this.pageblock_mt[pfn >>> this.pageblock_order] = mt;
  }

  /** Host bytes used for struct pages (for the host-memory benchmark). */
  hostBytes(): number {
    let n = this.flags.byteLength;
    n += this.links.lru.byteLength;
    n += this.pageblock_zone.byteLength * 3;
    for (const s of this.sections) if (s) n += PAGES_PER_SECTION * 28;
    return n;
  }

  /** "flags: 0x...(buddy|reserved)" for dump_page. */
  describe(pfn: number): string {
    const f = this.pageFlags(pfn);
    const names = pageflag_names.filter((_, i) => (f & (1 << i)) !== 0);
    return `refcount:${this.page_ref_count(pfn)} mapcount:${this.page_mapcount(pfn)} order:${this.order(pfn)} flags: 0x${f.toString(16)}(${names.join("|")})`;
  }
}
