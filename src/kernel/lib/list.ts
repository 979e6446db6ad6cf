/*
 * list.ts - circular doubly linked lists threaded through struct page
 * (Linux include/linux/list.h, used as page->lru / page->buddy_list /
 * page->pcp_list, which share one pair of words in struct page).
 *
 * Nodes are integers. A node below the list-head base is a pfn; a node at or
 * above it is a list head (the free_area lists, the pcp lists, the LRU lists,
 * slab partial lists...). lru[] holds a next and a prev word per node, so a
 * page costs 8 bytes of links whatever list it is on, and a page is on at most
 * one list at a time, exactly as with Linux's union.
 *
 *   head <-> pfn A <-> pfn B <-> head      (an empty list: head <-> head)
 */

export class PageLinks {
  /**
   * lru[n << 1] is node n's next, lru[(n << 1) + 1] its prev: the two words
   * of one node side by side, as in a struct list_head, so that a list walk
   * touches one cache line a node rather than two. Hot loops bind the array
   * to a local named lw (lru there is an LRU list's index).
   */
  lru: Int32Array;
  /** First node index used for list heads (== number of pfns covered). */
  readonly headBase: number;
  private headsUsed = 0;
  private headsCap: number;
  private freeHeads: number[] = [];

  constructor(nrPfns: number, initialHeads = 4096) {
    this.headBase = nrPfns;
    this.headsCap = initialHeads;
    this.lru = new Int32Array((nrPfns + initialHeads) << 1);
  }

  /** LIST_HEAD(): a new empty list. */
  newHead(): number {
    let h = this.freeHeads.pop();
    if (h === undefined) {
      if (this.headsUsed === this.headsCap) this.grow();
      h = this.headBase + this.headsUsed++;
    }
    this.lru[h << 1] = h;
    this.lru[(h << 1) + 1] = h;
    return h;
  }

  /** n consecutive new empty lists; returns the first. */
  newHeads(n: number): number {
    while (this.headsUsed + n > this.headsCap) this.grow();
    const base = this.headBase + this.headsUsed;
    this.headsUsed += n;
    for (let h = base; h < base + n; h++) {
      this.lru[h << 1] = h;
      this.lru[(h << 1) + 1] = h;
    }
    return base;
  }

  /** Gives a list head back; the list must be empty. */
  freeHead(h: number): void {
    this.freeHeads.push(h);
  }

  private grow(): void {
    const cap = this.headsCap * 2;
    const lru = new Int32Array((this.headBase + cap) << 1);
    lru.set(this.lru);
    this.lru = lru;
    this.headsCap = cap;
  }

  /** The node after n on its list. */
  next(n: number): number {
    return this.lru[n << 1];
  }

  isHead(node: number): boolean {
    return node >= this.headBase;
  }
}

/** list_add: insert node right after head (stack order). */
export function list_add(l: PageLinks, node: number, head: number): void {
  const lw = l.lru;
  const first = lw[head << 1];
  lw[node << 1] = first;
  lw[(node << 1) + 1] = head;
  lw[(first << 1) + 1] = node;
  lw[head << 1] = node;
}

/** list_add_tail: insert node before head (queue order). */
export function list_add_tail(l: PageLinks, node: number, head: number): void {
  const lw = l.lru;
  const last = lw[(head << 1) + 1];
  lw[node << 1] = head;
  lw[(node << 1) + 1] = last;
  lw[last << 1] = node;
  lw[(head << 1) + 1] = node;
}

/** list_del: unlink node; its links are poisoned to -1 (LIST_POISON). */
export function list_del(l: PageLinks, node: number): void {
  const lw = l.lru;
  const n = lw[node << 1];
  const p = lw[(node << 1) + 1];
  lw[p << 1] = n;
  lw[(n << 1) + 1] = p;
  lw[node << 1] = -1;
  lw[(node << 1) + 1] = -1;
}

export function list_empty(l: PageLinks, head: number): boolean {
  return l.next(head) === head;
}

/** list_move: unlink node and add it after head. */
export function list_move(l: PageLinks, node: number, head: number): void {
  list_del(l, node);
  list_add(l, node, head);
}

/** list_move_tail: unlink node and add it before head. */
export function list_move_tail(l: PageLinks, node: number, head: number): void {
  list_del(l, node);
  list_add_tail(l, node, head);
}

/** Number of entries (O(n); for checkers and /proc, not hot paths). */
export function list_count(l: PageLinks, head: number): number {
  let n = 0;
  for (let p = l.next(head); p !== head; p = l.next(p)) n++;
  return n;
}

/** Calls fn for each entry; fn may not unlink anything but the current entry. */
export function list_for_each(l: PageLinks, head: number, fn: (node: number) => void): void {
  for (let p = l.next(head); p !== head; ) {
    const n = l.next(p);
    fn(p);
    p = n;
  }
}
