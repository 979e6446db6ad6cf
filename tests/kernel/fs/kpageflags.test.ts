/*
 * kpageflags.test.ts - /proc/kpagecount and /proc/kpageflags: one u64 per
 * pfn, the KPF_* bits agreeing with what the allocator and the processes
 * hold, reads on 8-byte boundaries only.
 */

import { describe, expect, it } from "vitest";
import {
  KPF_ANON,
  KPF_BUDDY,
  KPF_LRU,
  KPF_MMAP,
  KPF_NOPAGE,
  KPF_RESERVED,
  KPF_SLAB,
  KPF_SWAPBACKED,
  KPF_ZERO_PAGE,
  kpagecgroup_read,
  kpagecount_read,
  kpageflags_read,
} from "../../../src/kernel/fs/proc/page.js";
import { PG_anon, PG_slab } from "../../../src/kernel/mm/mm_types.js";
import { NR_LRU_BASE } from "../../../src/kernel/mm/mmzone.js";
import { session } from "../../helpers/machine.js";

/** Every pfn's flags (or another of the files) as bigints, read the way page-types reads them. */
function allFlags(k: Parameters<typeof kpageflags_read>[0], read = kpageflags_read): bigint[] {
  const out: bigint[] = [];
  for (let pos = 0; ; pos += 8 * 4096) {
    const r = read(k, pos, 8 * 4096);
    if (typeof r === "number") throw new Error(`errno ${r}`);
    if (r.length === 0) return out;
    const dv = new DataView(r.buffer);
    for (let i = 0; i < r.length; i += 8) out.push(dv.getBigUint64(i, true));
  }
}

const bit = (b: number): bigint => 1n << BigInt(b);

describe("/proc/kpageflags and /proc/kpagecount", () => {
  it("are root-only binary files read in u64 steps, as 6.1 has them", () => {
    const s = session({ machine: "pc", memory: 256 << 20 });
    s.line("ls -l /proc/kpagecount /proc/kpageflags | cut -c1-10");
    s.line("dd if=/proc/kpageflags bs=4 count=1");
    s.line("echo $?");
    s.line("dd if=/proc/kpageflags bs=8 count=1 2>/dev/null | od -A n -t x8");
    expect(s.take()).toBe(
      [
        "-r--------",
        "-r--------",
        // die_infile: BusyBox's dd ends at a read error without its statistics
        "dd: /proc/kpageflags: Invalid argument",
        "1",
        // pfn 0: the BIOS page, reserved memory with a struct page
        " 0000000100000000",
        "",
      ].join("\n"),
    );
  });

  it("marks every page of the free lists KPF_BUDDY, and those pages only", () => {
    const s = session({ machine: "pc", memory: 256 << 20 });
    const k = s.m.k;
    const flags = allFlags(k);
    // The file runs to max_pfn rounded up to a section.
    expect(flags.length % 32768).toBe(0);
    expect(flags.length).toBeGreaterThanOrEqual(k.mem.max_pfn);
    let buddy = 0;
    for (const f of flags) if (f & bit(KPF_BUDDY)) buddy++;
    let listed = 0;
    for (const z of k.zones) for (let o = 0; o < k.MAX_ORDER; o++) listed += z.nr_free[o] << o;
    expect(buddy).toBe(listed);
    // The shared zero page, reserved like the kernel image it lives in.
    expect(flags[k.zero_pfn]).toBe(bit(KPF_ZERO_PAGE) | bit(KPF_RESERVED));
    // Slab pages, and their count of mappings is 0.
    const slabs = flags.map((f, pfn) => [f, pfn] as const).filter(([f]) => f & bit(KPF_SLAB));
    expect(slabs.length).toBeGreaterThan(0);
    for (const [, pfn] of slabs) expect(k.mem.flags[pfn] & PG_slab).not.toBe(0);
    const c = kpagecount_read(k, slabs[0][1] * 8, 8) as Uint8Array;
    expect(new DataView(c.buffer).getBigUint64(0, true)).toBe(0n);
  });

  it("shows a process's anonymous pages mapped, on the LRU and swap-backed, with their mapcount", () => {
    const s = session({ machine: "vexpress-a9", memory: 256 << 20 });
    s.line("hog 8M 8M hold > /dev/null &");
    s.line("sleep 1");
    s.take();
    const k = s.m.k;
    const flags = allFlags(k);
    const anon = flags.map((f, pfn) => [f, pfn] as const).filter(([f]) => f & bit(KPF_ANON));
    // hog's 2048 written pages at least, each mapped once.
    expect(anon.length).toBeGreaterThanOrEqual(2048);
    for (const [f, pfn] of anon) {
      expect(k.mem.flags[pfn] & PG_anon).not.toBe(0);
      expect(f & (bit(KPF_MMAP) | bit(KPF_SWAPBACKED))).toBe(bit(KPF_MMAP) | bit(KPF_SWAPBACKED));
    }
    expect(anon.filter(([f]) => f & bit(KPF_LRU)).length).toBeGreaterThanOrEqual(2048);
    const c = kpagecount_read(k, anon[0][1] * 8, 8) as Uint8Array;
    expect(new DataView(c.buffer).getBigUint64(0, true)).toBe(BigInt(k.mem.page_mapcount(anon[0][1])));
    // Below the ARM board's RAM (0x60000000) there are no struct pages.
    expect(flags[0]).toBe(bit(KPF_NOPAGE));
    s.line("kill %1");
  });

  it("kpagecgroup: the root memcg's inode for every charged user page, 0 for kernel and free pages", () => {
    const s = session({ machine: "vexpress-a9", memory: 256 << 20 });
    s.line("ls -l /proc/kpagecgroup | cut -c1-10");
    s.line("hog 8M 8M hold > /dev/null &");
    s.line("sleep 1");
    expect(s.take()).toBe("-r--------\n");
    const k = s.m.k;
    const cg = allFlags(k, kpagecgroup_read);
    const flags = allFlags(k);
    expect(new Set(cg)).toEqual(new Set([0n, 1n]));
    // Charged pages are the LRU's (anonymous, tmpfs and file pages, all on a list between steps).
    const lru = k.nodes.reduce(
      (n, pgdat) => n + [0, 1, 2, 3, 4].reduce((a, l) => a + pgdat.vm_stat[NR_LRU_BASE + l], 0),
      0,
    );
    expect(cg.filter((v) => v === 1n).length).toBe(lru);
    for (let pfn = 0; pfn < cg.length; pfn++) {
      const f = flags[pfn];
      if (f & (bit(KPF_SLAB) | bit(KPF_BUDDY) | bit(KPF_ZERO_PAGE) | bit(KPF_NOPAGE)))
        expect(cg[pfn]).toBe(0n);
      if (f & bit(KPF_ANON)) expect(cg[pfn]).toBe(1n);
    }
    s.line("kill %1");
  });
});
