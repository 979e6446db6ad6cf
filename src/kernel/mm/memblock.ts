/*
 * memblock.ts - the boot-time memory manager (Linux mm/memblock.c).
 *
 * Before the buddy allocator exists, the kernel knows two lists of physical
 * ranges: memory (what RAM there is) and reserved (what is already in use:
 * the kernel image, the initrd, the device tree, the struct page array...).
 * Early allocations are carved out of memory top-down and added to reserved.
 * memblock_free_all (mm_init.ts) then hands every page that is in memory but
 * not reserved to the buddy allocator, and memblock retires.
 *
 * Regions carry the name of whoever reserved them; /sys/kernel/debug/memblock
 * shows the ranges, and the boot summary adds them up ("NNNK reserved").
 */

export interface MemblockRegion {
  base: number; // physical address
  size: number; // bytes
  name: string; // who reserved it (for the debug file)
}

export class Memblock {
  memory: MemblockRegion[] = [];
  reserved: MemblockRegion[] = [];
  /** Allocations must end below this address (ARM: the end of lowmem). */
  current_limit = Number.MAX_SAFE_INTEGER;

  memblock_add(base: number, size: number): void {
    this.memory.push({ base, size, name: "System RAM" });
    this.memory.sort((a, b) => a.base - b.base);
  }

  memblock_reserve(base: number, size: number, name: string): void {
    if (size <= 0) return;
    this.reserved.push({ base, size, name });
    this.reserved.sort((a, b) => a.base - b.base);
  }

  /** Removes [base, base+size) from the reserved list (memblock_phys_free). */
  memblock_phys_free(base: number, size: number): void {
    const end = base + size;
    const out: MemblockRegion[] = [];
    for (const r of this.reserved) {
      const rend = r.base + r.size;
      if (rend <= base || r.base >= end) {
        out.push(r);
        continue;
      }
      if (r.base < base) out.push({ base: r.base, size: base - r.base, name: r.name });
      if (rend > end) out.push({ base: end, size: rend - end, name: r.name });
    }
    this.reserved = out;
  }

  /** Removes RAM above `limit` bytes of total memory (mem=). */
  memblock_mem_limit_remove_map(limit: number): void {
    let left = limit;
    const out: MemblockRegion[] = [];
    for (const r of this.memory) {
      if (left <= 0) break;
      const size = Math.min(r.size, left);
      out.push({ base: r.base, size, name: r.name });
      left -= size;
    }
    this.memory = out;
  }

  /** Free (unreserved) ranges of memory, in address order. */
  freeRanges(): [number, number][] {
    const out: [number, number][] = [];
    let ri = 0;
    const res = this.mergedReserved();
    for (const m of this.memory) {
      let cur = m.base;
      const end = m.base + m.size;
      while (ri < res.length && res[ri][1] <= cur) ri++;
      let j = ri;
      while (cur < end) {
        if (j >= res.length || res[j][0] >= end) {
          out.push([cur, end]);
          break;
        }
        const [rb, re] = res[j];
        if (rb > cur) out.push([cur, Math.min(rb, end)]);
        cur = Math.max(cur, re);
        j++;
      }
    }
    return out;
  }

  /** Reserved ranges merged where they touch or overlap. */
  mergedReserved(): [number, number][] {
    const out: [number, number][] = [];
    for (const r of this.reserved) {
      const last = out[out.length - 1];
      if (last && r.base <= last[1]) last[1] = Math.max(last[1], r.base + r.size);
      else out.push([r.base, r.base + r.size]);
    }
    return out;
  }

  /**
   * memblock_alloc: `size` bytes aligned to `align`, from the highest free
   * range that ends below min(limit, current_limit). Returns the address, or
   * -1 when nothing fits.
   */
  memblock_alloc(size: number, align: number, name: string, limit = this.current_limit, minAddr = 0): number {
    const ranges = this.freeRanges();
    for (let i = ranges.length - 1; i >= 0; i--) {
      const [start, end0] = ranges[i];
      const end = Math.min(end0, limit);
      if (end <= start) continue;
      const base = Math.floor((end - size) / align) * align;
      if (base >= start && base >= minAddr) {
        this.memblock_reserve(base, size, name);
        return base;
      }
    }
    return -1;
  }

  /** Bytes of memory in [start, end). */
  memoryIn(start: number, end: number): number {
    let n = 0;
    for (const m of this.memory) n += Math.max(0, Math.min(end, m.base + m.size) - Math.max(start, m.base));
    return n;
  }

  /** Bytes reserved inside memory (overlaps counted once). */
  reservedInMemory(): number {
    let n = 0;
    for (const [b, e] of this.mergedReserved()) n += this.memoryIn(b, e);
    return n;
  }

  phys_mem_size(): number {
    return this.memory.reduce((s, r) => s + r.size, 0);
  }

  /** /sys/kernel/debug/memblock/{memory,reserved}: "   0: 0x...-0x..." lines. */
  debugfs_show(which: "memory" | "reserved", physAddrBytes: number): string {
    const list = which === "memory" ? this.memory : this.reserved;
    const w = physAddrBytes * 2;
    return list
      .map((r, i) => {
        const a = r.base.toString(16).padStart(w, "0");
        const b = (r.base + r.size - 1).toString(16).padStart(w, "0");
        return `${String(i).padStart(4, " ")}: 0x${a}..0x${b}`;
      })
      .map((l) => `${l}\n`)
      .join("");
  }
}
