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

export class Tlb {
  /** Packed tags: asid * 2^36 + vpn; -1 for an empty slot. Slot = set * 2 + way. */
  private tags = new Float64Array(TLB_ENTRIES).fill(-1);
  /** The PTE each slot caches. */
  private ptes = new Float64Array(TLB_ENTRIES);
  /** The way each set replaces next. */
  private victim = new Uint8Array(SETS);
  hits = 0;
  misses = 0;
  flushes = 0;

  private static set(asid: number, vpn: number): number {
    // The low bits of (vpn % 4096) ^ asid: vpn's low bits survive ToInt32 whatever its size.
    return (vpn ^ asid) & (SETS - 1);
  }

  /** The cached PTE for (asid, vpn), or -1 on a miss. */
  lookup(asid: number, vpn: number): number {
    const tag = asid * 68719476736 + vpn;
    const slot = Tlb.set(asid, vpn) * 2;
    const tags = this.tags;
    if (tags[slot] === tag) {
      this.hits++;
      return this.ptes[slot];
    }
    if (tags[slot + 1] === tag) {
      this.hits++;
      return this.ptes[slot + 1];
    }
    this.misses++;
    return -1;
  }

  fill(asid: number, vpn: number, pte: number): void {
    const tag = asid * 68719476736 + vpn;
    const set = Tlb.set(asid, vpn);
    let slot = set * 2;
    if (this.tags[slot] !== tag && this.tags[slot + 1] === tag) slot++;
    else if (this.tags[slot] !== tag) {
      slot += this.victim[set];
      this.victim[set] ^= 1;
    }
    this.tags[slot] = tag;
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
    this.tags[slot] = asid * 68719476736 + vpn;
    this.ptes[slot] = pte;
  }

  /**
   * flushRange(asid, vpn, vpn + 1) on each TLB of tlbs (every CPU's), the
   * tag and the set worked out once: reclaim flushes a page for every PTE
   * it ages or unmaps.
   */
  static flushPageAll(tlbs: readonly Tlb[], asid: number, vpn: number): void {
    const tag = asid * 68719476736 + vpn;
    const slot = Tlb.set(asid, vpn) * 2;
    for (let cpu = 0; cpu < tlbs.length; cpu++) {
      const tlb = tlbs[cpu];
      tlb.flushes++;
      const tags = tlb.tags;
      if (tags[slot] === tag) tags[slot] = -1;
      if (tags[slot + 1] === tag) tags[slot + 1] = -1;
    }
  }

  /** Drops the entries of asid whose page lies in [vpnStart, vpnEnd). */
  flushRange(asid: number, vpnStart: number, vpnEnd: number): void {
    this.flushes++;
    const lo = asid * 68719476736 + vpnStart;
    const hi = asid * 68719476736 + vpnEnd;
    const tags = this.tags;
    // A few pages: only their sets can hold them (two ways each).
    if (vpnEnd - vpnStart <= SETS / 4) {
      for (let vpn = vpnStart; vpn < vpnEnd; vpn++) {
        const slot = Tlb.set(asid, vpn) * 2;
        const tag = lo + (vpn - vpnStart);
        if (tags[slot] === tag) tags[slot] = -1;
        if (tags[slot + 1] === tag) tags[slot + 1] = -1;
      }
      return;
    }
    for (let i = 0; i < TLB_ENTRIES; i++) if (tags[i] >= lo && tags[i] < hi) tags[i] = -1;
  }

  /** Drops every entry of asid (or all of them). */
  flushAsid(asid: number | null): void {
    this.flushes++;
    if (asid === null) {
      this.tags.fill(-1);
      return;
    }
    for (let i = 0; i < TLB_ENTRIES; i++)
      if (Math.floor(this.tags[i] / 68719476736) === asid) this.tags[i] = -1;
  }
}
