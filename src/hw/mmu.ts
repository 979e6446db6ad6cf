/*
 * mmu.ts - each CPU's TLB: a small cache of translations, tagged with the
 * address space's ASID so that a context switch does not have to flush it
 * (Cortex-A9: 64-entry unified main TLB with 8-bit ASIDs; x86_64 PCIDs).
 *
 * The kernel fills an entry after walking the page tables and flushes
 * entries where Linux flushes: one page (COW, mprotect of a page), a range
 * (munmap), a whole address space (exec, exit, ASID roll-over). Hits,
 * misses and flushes are counted for the curious (/sys/kernel/debug/tlb).
 * Replacement is round robin, as on the Cortex-A9.
 */

export const TLB_ENTRIES = 64;

export class Tlb {
  /** Packed tags: asid * 2^36 + vpn; -1 for an empty slot. */
  private tags = new Float64Array(TLB_ENTRIES).fill(-1);
  /** The PTE each slot caches. */
  private ptes = new Float64Array(TLB_ENTRIES);
  private next = 0;
  hits = 0;
  misses = 0;
  flushes = 0;

  private tag(asid: number, vpn: number): number {
    return asid * 2 ** 36 + vpn;
  }

  /** The cached PTE for (asid, vpn), or -1 on a miss. */
  lookup(asid: number, vpn: number): number {
    const t = this.tag(asid, vpn);
    const tags = this.tags;
    for (let i = 0; i < TLB_ENTRIES; i++)
      if (tags[i] === t) {
        this.hits++;
        return this.ptes[i];
      }
    this.misses++;
    return -1;
  }

  fill(asid: number, vpn: number, pte: number): void {
    const t = this.tag(asid, vpn);
    for (let i = 0; i < TLB_ENTRIES; i++)
      if (this.tags[i] === t) {
        this.ptes[i] = pte;
        return;
      }
    this.tags[this.next] = t;
    this.ptes[this.next] = pte;
    this.next = (this.next + 1) % TLB_ENTRIES;
  }

  /** Drops the entries of asid whose page lies in [vpnStart, vpnEnd). */
  flushRange(asid: number, vpnStart: number, vpnEnd: number): void {
    this.flushes++;
    const lo = this.tag(asid, vpnStart);
    const hi = this.tag(asid, vpnEnd);
    for (let i = 0; i < TLB_ENTRIES; i++) if (this.tags[i] >= lo && this.tags[i] < hi) this.tags[i] = -1;
  }

  /** Drops every entry of asid (or all of them). */
  flushAsid(asid: number | null): void {
    this.flushes++;
    if (asid === null) {
      this.tags.fill(-1);
      return;
    }
    for (let i = 0; i < TLB_ENTRIES; i++) if (Math.floor(this.tags[i] / 2 ** 36) === asid) this.tags[i] = -1;
  }
}
