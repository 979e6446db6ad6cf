/*
 * page_alloc_bulk.ts - the pcp lists' bulk moves, a block at a time (Linux
 * mm/page_alloc.c rmqueue_bulk and free_pcppages_bulk).
 *
 * rmqueue_bulk fills a pcp list with single pages from the buddy lists and
 * free_pcppages_bulk gives them back; page_alloc.ts does both page by page,
 * as Linux does. Most of those pages follow each other: the refill's come
 * off one big block, an exiting process's go back in the order it faulted
 * them in. The two functions here do such stretches a block at a time and
 * leave exactly the state (lists, their order, page flags, counters) the
 * page-by-page loops would; each says why. page_alloc.ts calls them and
 * goes on page by page where they stop.
 */

import type { Kernel } from "../kernel.js";
import { list_add, list_add_tail, list_del } from "../lib/list.js";
import { ORDER_MASK, ORDER_SHIFT, PG_buddy } from "./mm_types.js";
import {
  MIGRATE_CMA,
  MIGRATE_ISOLATE,
  MIGRATE_TYPES,
  NR_FREE_CMA_PAGES,
  NR_FREE_PAGES,
  type PerCpuPages,
  type Zone,
} from "./mmzone.js";
import {
  __mod_zone_freepage_state,
  ALLOC_CMA,
  add_to_free_list,
  migratetype_is_mergeable,
  set_buddy_order,
} from "./page_alloc.js";

/*
 * rmqueue_bulk of single pages, a block at a time.
 *
 * Asked for one page, __rmqueue_smallest takes the first block of the
 * smallest order that has one, say order n at pfn P, keeps P and gives the
 * upper halves back (expand): P+2^(n-1) at order n-1, ..., P+1 at order 0,
 * each on a list that was empty (n was the smallest order with a block).
 * The next request finds P+1 at order 0, the one after P+2 at order 1 (and
 * gives P+3 back at order 0), and so on: the pages come out in order
 * P, P+1, P+2 ..., and once c of them are taken, what is left of the block
 * is the aligned blocks covering [P+c, P+2^n), one per order j where bit j
 * of the running offset is set:
 *
 *     n = 3, c = 5:   [P P+1 P+2 P+3 P+4 | P+5 | P+6 P+7]
 *                      taken, in order    | o0  |   o1
 *
 * So a batch takes c pages of a block in one loop and puts the rest back
 * once, ending in exactly the state (lists, their order, flags, nr_free)
 * of c calls of __rmqueue. __rmqueue's choice of list is made again before
 * each page as it would be: CMA first while free CMA pages are more than
 * half the free pages (that count goes down as CMA pages are taken; the
 * zone's free count is only updated after the batch), else the wanted
 * type. When that list has no block at all (a CMA or fallback steal would
 * follow), the batch stops here and rmqueue_bulk goes on page by page.
 * Returns the pages taken.
 */
export function rmqueue_bulk_runs(
  k: Kernel,
  zone: Zone,
  count: number,
  list: number,
  mt: number,
  alloc_flags: number,
): number {
  const mem = k.mem;
  const flags = mem.flags;
  const pageblock_mt = mem.pageblock_mt;
  const pbo = k.pageblock_order;
  const pb_mask = (1 << pbo) - 1;
  const lw = mem.links.lru;
  const max = k.MAX_ORDER;
  const vm_stat = zone.vm_stat;
  const cma = k.cfg.CMA && (alloc_flags & ALLOC_CMA) !== 0;
  const half_free = vm_stat[NR_FREE_PAGES] / 2;
  // Once __rmqueue's list is mt's it stays so for the batch: CMA's free count only drops, and
  // only a CMA block's rest adds CMA blocks. While the blocks taken whole are of one type, the
  // smallest order with a block only grows: its search goes on from the last one's.
  let cma_test = cma;
  let last_lt = -1;
  let last_n = 0;
  let i = 0;
  while (i < count) {
    // __rmqueue's list for the next page, and __rmqueue_smallest's block on it.
    let lt = mt;
    if (cma_test) {
      if (vm_stat[NR_FREE_CMA_PAGES] > half_free && smallest_order(k, zone, MIGRATE_CMA) < max)
        lt = MIGRATE_CMA;
      else cma_test = false;
    }
    let n = lt === last_lt ? last_n : 0;
    let head = zone.free_list_base + n * MIGRATE_TYPES + lt;
    for (; n < max; n++, head += MIGRATE_TYPES) if (lw[head << 1] !== head) break;
    if (n === max) return i;
    // list_del of the list's first block.
    const block = lw[head << 1];
    const after = lw[block << 1];
    lw[head << 1] = after;
    lw[(after << 1) + 1] = head;
    lw[block << 1] = -1;
    lw[(block << 1) + 1] = -1;
    zone.nr_free[n]--;
    // Its pages, in order, to the tail of the pcp list (set_pcppage_migratetype as rmqueue_bulk):
    // each linked after the one before, the last one to the list's head once the run ends.
    const size = 1 << n;
    let c = 0;
    let last = lw[(list << 1) + 1];
    // The pageblock type of the page, read again where a pageblock starts.
    let pcpmt = pageblock_mt[block >>> pbo];
    if (lt === MIGRATE_CMA) {
      while (c < size && i < count) {
        if (c > 0 && !(vm_stat[NR_FREE_CMA_PAGES] > half_free)) break;
        const pfn = block + c;
        lw[last << 1] = pfn;
        lw[(pfn << 1) + 1] = last;
        last = pfn;
        if ((pfn & pb_mask) === 0) pcpmt = pageblock_mt[pfn >>> pbo];
        flags[pfn] = (flags[pfn] & ~(PG_buddy | ORDER_MASK)) | (pcpmt << ORDER_SHIFT);
        if (pcpmt === MIGRATE_CMA) vm_stat[NR_FREE_CMA_PAGES] -= 1;
        c++;
        i++;
      }
    } else {
      // (Nothing reads the CMA count in between: its pages of CMA pageblocks counted at the end.)
      const take = Math.min(size, count - i);
      let cma_pages = 0;
      for (; c < take; c++) {
        const pfn = block + c;
        lw[last << 1] = pfn;
        lw[(pfn << 1) + 1] = last;
        last = pfn;
        if ((pfn & pb_mask) === 0) pcpmt = pageblock_mt[pfn >>> pbo];
        flags[pfn] = (flags[pfn] & ~(PG_buddy | ORDER_MASK)) | (pcpmt << ORDER_SHIFT);
        if (pcpmt === MIGRATE_CMA) cma_pages++;
      }
      i += take;
      if (cma_pages !== 0) vm_stat[NR_FREE_CMA_PAGES] -= cma_pages;
    }
    lw[last << 1] = list;
    lw[(list << 1) + 1] = last;
    if (c === size) {
      last_lt = lt;
      last_n = n;
      continue;
    }
    last_lt = -1;
    // What expand left of the block: [block + c, block + size) as aligned blocks.
    for (let j = 0; j < n; j++) {
      if ((c & (1 << j)) === 0) continue;
      add_to_free_list(k, block + c, zone, j, lt);
      set_buddy_order(k, block + c, j);
      c += 1 << j;
    }
  }
  return i;
}

/** The smallest order with a free block of type mt (MAX_ORDER when there is none). */
function smallest_order(k: Kernel, zone: Zone, mt: number): number {
  const lw = k.mem.links.lru;
  const max = k.MAX_ORDER;
  let head = zone.free_list_base + mt;
  let order = 0;
  for (; order < max; order++, head += MIGRATE_TYPES) if (lw[head << 1] !== head) break;
  return order;
}

/*
 * free_pcppages_bulk of a run of single pages, pfn, pfn+1, pfn+2 ..., as
 * the tail of a pcp list holds them when a process that faulted them in one
 * after the other exits - or pfn, pfn-1, pfn-2 ... (down), as a drain finds
 * what is left of a refill (rmqueue_bulk's pages are taken from the head).
 *
 * Page by page, __free_one_page would put each page on a free list, take it
 * off again when the next page turns out to be its buddy, put the merged
 * block on the next order's list, and so on. A block that is put on a list
 * and later taken off leaves the list as it found it, so only the blocks
 * the run ends with need a list: each goes to the head or the tail of its
 * list as it would have when it was made (buddy_merge_likely, decided then,
 * on the state of that moment), after the list's other blocks, in the order
 * they were made. Until then the run's blocks are kept on a small stack,
 * in the order they were made in, which is also address order (downwards
 * for a run going down): the stack's blocks cover the pages freed so far,
 * and only the last one can merge with the next page's block:
 *
 *     pages freed:  P  P+1  P+2  P+3  P+4
 *     stack:        [P o2 made 4th] [P+4 o0 made 5th]
 *
 * Free blocks outside the run that a run block merges with are taken off
 * their lists at once, as __free_one_page does. A buddy check looks at the
 * stack for a page inside the run's blocks, at the page flags elsewhere
 * (the run's later pages are still pcp pages there, as they would be).
 * The run stops at the first page that is not the next pfn, has another
 * migratetype, or lies in an isolated pageblock: free_pcppages_bulk goes on
 * page by page. Same lists, list order, flags, counters as page by page.
 * Returns the pages freed (0: not a run after all).
 */
const RUN_STACK = 64;
const run_pfn = new Int32Array(RUN_STACK);
const run_order = new Int8Array(RUN_STACK);
const run_tail = new Uint8Array(RUN_STACK);

export function free_pcppages_run(
  k: Kernel,
  zone: Zone,
  pcp: PerCpuPages,
  list: number,
  count: number,
  down: boolean,
): number {
  const mem = k.mem;
  const flags = mem.flags;
  const lw = mem.links.lru;
  const pageblock_mt = mem.pageblock_mt;
  const pageblock_zone = mem.pageblock_zone;
  const pbo = k.pageblock_order;
  const max = k.MAX_ORDER - 1;
  const max_pfn = mem.max_pfn;
  const first = lw[(list << 1) + 1];
  const mt = (flags[first] & ORDER_MASK) >>> ORDER_SHIFT;
  if (mt === MIGRATE_ISOLATE || pageblock_mt[first >>> pbo] === MIGRATE_ISOLATE) return 0;
  let sp = 0;
  let n = 0;
  let pfn = first;
  for (;;) {
    // The pages freed in this step: pfn alone, or an aligned chunk of the run starting at pfn.
    const m = run_chunk_order(k, pfn, mt, count - n, sp, down);
    const size = 1 << m;
    // Its pages off the pcp list (list_del each, poisoned), their pcp migratetype cleared: the
    // list's tail is the page after the chunk's last, and the chunk's pages are [lo, lo + size)
    // (each list_del's link to the list is undone by the next one's poison).
    const lo = down ? pfn + 1 - size : pfn;
    const p = lw[((down ? lo : lo + size - 1) << 1) + 1];
    lw[p << 1] = list;
    lw[(list << 1) + 1] = p;
    for (let q = lo; q < lo + size; q++) {
      lw[q << 1] = -1;
      lw[(q << 1) + 1] = -1;
      flags[q] &= ~ORDER_MASK;
    }
    n += size;
    // __free_one_page(pfn, order 0) (for a chunk: of its last page, which ends with the chunk
    // whole at order m, its last buddy the chunk's other half), the run's own blocks on the stack.
    const zid = pageblock_zone[pfn >>> pbo];
    let block = down ? pfn + 1 - size : pfn;
    let order = m;
    let buddy_pfn = m === 0 ? -1 : down ? block + (size >>> 1) : block;
    while (order < max) {
      buddy_pfn = block ^ (1 << order);
      if (buddy_pfn >= max_pfn) break;
      if (pageblock_zone[buddy_pfn >>> pbo] !== zid) break;
      if (order >= pbo && !pageblocks_mergeable(mem, mt, buddy_pfn)) break;
      if (
        sp > 0 &&
        (down ? buddy_pfn > block && buddy_pfn < run_end() : buddy_pfn >= run_pfn[0] && buddy_pfn < block)
      ) {
        // Inside the run's blocks: only the one just below (above, going down) can be the buddy.
        if (run_pfn[sp - 1] !== buddy_pfn || run_order[sp - 1] !== order) break;
        sp--;
      } else {
        const bf = flags[buddy_pfn];
        if ((bf & PG_buddy) === 0 || (bf & ORDER_MASK) >>> ORDER_SHIFT !== order) break;
        list_del(mem.links, buddy_pfn);
        flags[buddy_pfn] = bf & ~(PG_buddy | ORDER_MASK);
        zone.nr_free[order]--;
      }
      block &= buddy_pfn;
      order++;
    }
    run_pfn[sp] = block;
    run_order[sp] = order;
    run_tail[sp] = run_merge_likely(k, block, buddy_pfn, order, sp, down) ? 1 : 0;
    sp++;
    // The next page: the following pfn, of the same type, while there are pages to free.
    const nx = lw[(list << 1) + 1];
    if (
      n === count ||
      nx !== (down ? pfn - size : pfn + size) ||
      sp === RUN_STACK ||
      (flags[nx] & ORDER_MASK) >>> ORDER_SHIFT !== mt ||
      pageblock_mt[nx >>> pbo] === MIGRATE_ISOLATE
    )
      break;
    pfn = nx;
  }
  // The blocks the run made, onto their lists in the order they were made.
  for (let i = 0; i < sp; i++) {
    const b = run_pfn[i];
    const o = run_order[i];
    flags[b] = (flags[b] & ~ORDER_MASK) | (o << ORDER_SHIFT) | PG_buddy;
    const head = zone.free_list_base + o * MIGRATE_TYPES + mt;
    if (run_tail[i]) list_add_tail(mem.links, b, head);
    else list_add(mem.links, b, head);
    zone.nr_free[o]++;
  }
  __mod_zone_freepage_state(zone, n, mt);
  pcp.count -= n;
  return n;
}

/**
 * The order of the chunk the run can free in one step at pfn, the page at
 * the list's tail: the largest aligned block pfn, pfn+1 ... pfn+2^m-1 (at
 * most a pageblock) whose pages are the list's next ones, of the run's type,
 * within the count left, with room on the stack. Freed page by page, each
 * of its pages could only merge with the chunk's pages before it (their
 * buddies below order m are inside it, in the same pageblock and zone): the
 * last one leaves the chunk whole at order m and the stack as it was, and
 * none touches a list. So the chunk goes on as one block of order m, its
 * pages only taken off the pcp list. 0: pfn alone.
 */
function run_chunk_order(
  k: Kernel,
  pfn: number,
  mt: number,
  left: number,
  sp: number,
  down: boolean,
): number {
  // Going down, the chunk ends at pfn: pfn + 1 is the aligned end.
  const edge = down ? pfn + 1 : pfn;
  if (edge & 1 || left < 2) return 0;
  const lw = k.mem.links.lru;
  const flags = k.mem.flags;
  const max_pfn = k.mem.max_pfn;
  // The chunk is aligned (pfn's lowest set bit), within a pageblock, the count and the stack: an
  // order-m chunk freed page by page has up to m blocks of its own on the stack before its last page.
  let limit = Math.min(edge & -edge || 1 << k.pageblock_order, 1 << k.pageblock_order, left);
  // (limit is at most a pageblock: only a stack nearly full can be short of room.)
  if (sp + k.pageblock_order >= RUN_STACK)
    while (limit > 1 && sp + Math.log2(limit) >= RUN_STACK) limit >>= 1;
  let c = 1;
  let q = pfn;
  while (c < limit) {
    const nq = lw[(q << 1) + 1];
    if (nq !== (down ? q - 1 : q + 1) || nq >= max_pfn || (flags[nq] & ORDER_MASK) >>> ORDER_SHIFT !== mt)
      break;
    q = nq;
    c++;
  }
  return 31 - Math.clz32(c);
}

/** The end of the pages the stack's blocks cover, going down: its first block's end. */
function run_end(): number {
  return run_pfn[0] + (1 << run_order[0]);
}

/**
 * buddy_merge_likely for a block the run just made, the blocks before it on
 * the stack (sp entries): is the buddy of the next order up free? Inside
 * the run's blocks the stack answers, elsewhere the page flags.
 */
function run_merge_likely(
  k: Kernel,
  pfn: number,
  buddy_pfn: number,
  order: number,
  sp: number,
  down: boolean,
): boolean {
  if (order >= k.MAX_ORDER - 2 || buddy_pfn < 0) return false;
  const higher = buddy_pfn & pfn;
  const hb = higher ^ (1 << (order + 1));
  const mem = k.mem;
  if (hb >= mem.max_pfn) return false;
  const pbo = k.pageblock_order;
  if (mem.pageblock_zone[higher >>> pbo] !== mem.pageblock_zone[hb >>> pbo]) return false;
  if (sp > 0 && (down ? hb > pfn && hb < run_end() : hb >= run_pfn[0] && hb < pfn)) {
    for (let i = sp - 1; i >= 0; i--) if (run_pfn[i] === hb) return run_order[i] === order + 1;
    return false;
  }
  const f = mem.flags[hb];
  return (f & PG_buddy) !== 0 && (f & ORDER_MASK) >>> ORDER_SHIFT === order + 1;
}

/** Blocks of pageblock order or more merge only when their types can mix (not ISOLATE, CMA, HIGHATOMIC against the rest). */
function pageblocks_mergeable(mem: Kernel["mem"], mt: number, buddy_pfn: number): boolean {
  const buddy_mt = mem.get_pageblock_migratetype(buddy_pfn);
  return mt === buddy_mt || (migratetype_is_mergeable(mt) && migratetype_is_mergeable(buddy_mt));
}
