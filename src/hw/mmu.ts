/*
 * mmu.ts - each CPU's TLB: a small cache of translations, tagged with the
 * address space's ASID so that a context switch does not have to flush it
 * (Cortex-A9: a 64-entry unified main TLB with 8-bit ASIDs; x86_64 PCIDs).
 *
 * 64 entries in 32 sets of 2 ways; the set is chosen from the virtual page
 * number and the ASID, and the way to replace alternates within a set. The
 * kernel fills an entry after walking the page tables and flushes entries
 * where Linux flushes: one page (COW, mprotect of a page), a range
 * (munmap), a whole address space (exec, exit, ASID roll-over). Hits,
 * misses and flushes are counted for the curious.
 */

export const TLB_ENTRIES = 64;
const SETS = 32;

/**
 * The TLBs of one machine: every CPU's entries in one array (CPU c's slots
 * at c * TLB_ENTRIES), and the flushes of a page sent to all CPUs, counted
 * once for all (reclaim sends one for every PTE it ages or unmaps).
 */
export class TlbSet {
  /** Packed tags: asid * 2^36 + vpn; -1 for an empty slot. */
  readonly tags: Float64Array;
  /** Page flushes every CPU received (flushPageAll). */
  page_flushes = 0;
  readonly cpus: Tlb[];
  constructor(ncpus: number) {
    this.tags = new Float64Array(ncpus * TLB_ENTRIES).fill(-1);
    this.cpus = Array.from({ length: ncpus }, (_, c) => new Tlb(this, c * TLB_ENTRIES));
  }

  /**
   * flushRange(asid, vpn, vpn + 1) on every CPU's TLB, the tag and the set
   * worked out once.
   */
  flushPageAll(asid: number, vpn: number): void {
    const tag = asid * 68719476736 + vpn;
    const tags = this.tags;
    const n = tags.length;
    this.page_flushes++;
    for (let slot = Tlb.set(asid, vpn) * 2; slot < n; slot += TLB_ENTRIES) {
      if (tags[slot] === tag) tags[slot] = -1;
      if (tags[slot + 1] === tag) tags[slot + 1] = -1;
    }
  }
}

export class Tlb {
  /** The machine's tags (this CPU's slots from base on; slot = set * 2 + way). */
  private tags: Float64Array;
  private readonly base: number;
  /** The PTE each slot caches. */
  private ptes = new Float64Array(TLB_ENTRIES);
  /** The way each set replaces next. */
  private victim = new Uint8Array(SETS);
  hits = 0;
  misses = 0;
  /** Flushes of this TLB alone; flushes adds the machine's page flushes. */
  private own_flushes = 0;
  private readonly set_of: TlbSet;

  constructor(set: TlbSet, base: number) {
    this.set_of = set;
    this.tags = set.tags;
    this.base = base;
  }

  get flushes(): number {
    return this.own_flushes + this.set_of.page_flushes;
  }

  static set(asid: number, vpn: number): number {
    // The low bits of (vpn % 4096) ^ asid: vpn's low bits survive ToInt32 whatever its size.
    return (vpn ^ asid) & (SETS - 1);
  }

  /** The cached PTE for (asid, vpn), or -1 on a miss. */
  lookup(asid: number, vpn: number): number {
    const tag = asid * 68719476736 + vpn;
    const slot = Tlb.set(asid, vpn) * 2;
    const tags = this.tags;
    const b = this.base;
    if (tags[b + slot] === tag) {
      this.hits++;
      return this.ptes[slot];
    }
    if (tags[b + slot + 1] === tag) {
      this.hits++;
      return this.ptes[slot + 1];
    }
    this.misses++;
    return -1;
  }

  fill(asid: number, vpn: number, pte: number): void {
    const tag = asid * 68719476736 + vpn;
    const set = Tlb.set(asid, vpn);
    const tags = this.tags;
    const b = this.base;
    let slot = set * 2;
    if (tags[b + slot] !== tag && tags[b + slot + 1] === tag) slot++;
    else if (tags[b + slot] !== tag) {
      slot += this.victim[set];
      this.victim[set] ^= 1;
    }
    tags[b + slot] = tag;
    this.ptes[slot] = pte;
  }

  /**
   * fill(asid, vpn, pte) right after lookup(asid, vpn) missed, nothing in
   * between: neither way of the set holds the tag, so the victim way takes it.
   */
  fillMissed(asid: number, vpn: number, pte: number): void {
    const set = Tlb.set(asid, vpn);
    const slot = set * 2 + this.victim[set];
    this.victim[set] ^= 1;
    this.tags[this.base + slot] = asid * 68719476736 + vpn;
    this.ptes[slot] = pte;
  }

  /**
   * The first page of lo..hi whose translation in asid is cached (hi + 1 if
   * none is): up to there, a lookup of each page in turn misses, a fill of
   * the page after it adding only that page.
   */
  firstCached(asid: number, lo: number, hi: number): number {
    const base = asid * 68719476736;
    const tags = this.tags;
    const b = this.base;
    let first = hi + 1;
    for (let i = b; i < b + TLB_ENTRIES; i++) {
      const vpn = tags[i] - base;
      if (vpn >= lo && vpn < first) first = vpn;
    }
    return first;
  }

  /**
   * lookup(asid, vpn) missing, then fillMissed(asid, vpn, ptes[vpn & 511]),
   * for each page lo..hi in turn (pages of one leaf table, none of them
   * cached: see firstCached). Of the fills before the last TLB_ENTRIES
   * only their turns of the victim way remain: the last TLB_ENTRIES pages
   * take each set twice, both its ways.
   */
  missRun(asid: number, lo: number, hi: number, ptes: Float64Array): void {
    this.misses += hi - lo + 1;
    const victim = this.victim;
    let vpn = lo;
    const skip = hi + 1 - lo - TLB_ENTRIES;
    if (skip > 0) {
      // Every SETS consecutive pages take each set once.
      if ((skip / SETS) & 1) for (let s = 0; s < SETS; s++) victim[s] ^= 1;
      for (vpn = lo + skip - (skip % SETS); vpn < lo + skip; vpn++) victim[Tlb.set(asid, vpn)] ^= 1;
    }
    // fillMissed of each, the arrays and the ASID's part of the tag at hand.
    const tags = this.tags;
    const own = this.ptes;
    const b = this.base;
    const base = asid * 68719476736;
    if (hi + 1 - vpn === TLB_ENTRIES) {
      // The last TLB_ENTRIES pages take each set twice: the first of its two pages (vpn) its
      // victim way, the second (vpn + SETS) the other one, and its victim way is as it was.
      for (const last = vpn + SETS; vpn < last; vpn++) {
        const slot = ((vpn ^ asid) & (SETS - 1)) * 2 + victim[(vpn ^ asid) & (SETS - 1)];
        tags[b + slot] = base + vpn;
        own[slot] = ptes[vpn & 511];
        tags[b + (slot ^ 1)] = base + vpn + SETS;
        own[slot ^ 1] = ptes[(vpn + SETS) & 511];
      }
      return;
    }
    for (; vpn <= hi; vpn++) {
      const set = (vpn ^ asid) & (SETS - 1); // Tlb.set
      const slot = set * 2 + victim[set];
      victim[set] ^= 1;
      tags[b + slot] = base + vpn;
      own[slot] = ptes[vpn & 511];
    }
  }

  /** Drops the entries of asid whose page lies in [vpnStart, vpnEnd). */
  flushRange(asid: number, vpnStart: number, vpnEnd: number): void {
    this.own_flushes++;
    const lo = asid * 68719476736 + vpnStart;
    const hi = asid * 68719476736 + vpnEnd;
    const tags = this.tags;
    const b = this.base;
    // A few pages: only their sets can hold them (two ways each).
    if (vpnEnd - vpnStart <= SETS / 4) {
      for (let vpn = vpnStart; vpn < vpnEnd; vpn++) {
        const slot = Tlb.set(asid, vpn) * 2;
        const tag = lo + (vpn - vpnStart);
        if (tags[b + slot] === tag) tags[b + slot] = -1;
        if (tags[b + slot + 1] === tag) tags[b + slot + 1] = -1;
      }
      return;
    }
    for (let i = b; i < b + TLB_ENTRIES; i++) if (tags[i] >= lo && tags[i] < hi) tags[i] = -1;
  }

  /** Drops every entry of asid (or all of them). */
  flushAsid(asid: number | null): void {
    this.own_flushes++;
    if (asid === null) {
      this.tags.fill(-1, this.base, this.base + TLB_ENTRIES);
      return;
    }
    const tags = this.tags;
    for (let i = this.base; i < this.base + TLB_ENTRIES; i++)
      if (Math.floor(tags[i] / 68719476736) === asid) tags[i] = -1;
  }
}
