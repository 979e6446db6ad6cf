/*
 * hashes.ts - alloc_large_system_hash and the boot-time hash tables that use
 * it (Linux mm/page_alloc.c, with the call sites in fs/dcache.c, fs/inode.c,
 * fs/namespace.c, kernel/futex/core.c, net/ipv4/*.c, net/mptcp/token.c).
 *
 * A table gets one bucket per 2^scale bytes of lowmem (nr_kernel_pages),
 * rounded up to a power of two and clamped to [low, high]; early tables come
 * from memblock, later ones from the buddy allocator (alloc_pages_exact).
 * Their sizes therefore grow with RAM the way they do on a real machine.
 */

import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { __GFP_ZERO, GFP_ATOMIC } from "../mm/gfp.js";
import type { MmInitState } from "../mm/mm_init.js";
import { __free_pages, alloc_pages, PAGE_SHIFT, PAGE_SIZE } from "../mm/page_alloc.js";
import type { BootState } from "./main.js";

export const HASH_EARLY = 1; // allocate from memblock
export const HASH_ZERO = 2; // zero the table

export interface HashTable {
  name: string;
  site: "early" | "mnt_init" | "futex_init" | "net";
  bucketsize: number;
  numentries: number; // 0: derive from memory size
  scale: number;
  flags: number;
  low: number;
  high: number;
  /** Printed right after the table (the TCP summary line). */
  after?: (entries: Map<string, number>) => string;
}

/** The tables of a profile's kernel, in the order boot creates them. */
export function hash_tables(k: Kernel, st: MmInitState): HashTable[] {
  const ptr = k.profile.pointerBits / 8;
  const x86 = k.profile.pointerBits === 64;
  const futex = 2 ** Math.ceil(Math.log2(256 * k.nr_cpu_ids));
  void st;
  return [
    {
      name: "Dentry cache",
      site: "early",
      bucketsize: ptr,
      numentries: 0,
      scale: 13,
      flags: HASH_EARLY | HASH_ZERO,
      low: 0,
      high: 0,
    },
    {
      name: "Inode-cache",
      site: "early",
      bucketsize: ptr,
      numentries: 0,
      scale: 14,
      flags: HASH_EARLY | HASH_ZERO,
      low: 0,
      high: 0,
    },
    {
      name: "Mount-cache",
      site: "mnt_init",
      bucketsize: ptr,
      numentries: 0,
      scale: 19,
      flags: HASH_ZERO,
      low: 0,
      high: 0,
    },
    {
      name: "Mountpoint-cache",
      site: "mnt_init",
      bucketsize: ptr,
      numentries: 0,
      scale: 19,
      flags: HASH_ZERO,
      low: 0,
      high: 0,
    },
    {
      name: "futex",
      site: "futex_init",
      bucketsize: 64,
      numentries: futex,
      scale: 0,
      flags: 0,
      low: futex,
      high: futex,
    },
    {
      name: "IP idents",
      site: "net",
      bucketsize: 8,
      numentries: 0,
      scale: 16,
      flags: HASH_ZERO,
      low: 2048,
      high: 256 * 1024,
    },
    {
      name: "tcp_listen_portaddr_hash",
      site: "net",
      bucketsize: x86 ? 16 : 8,
      numentries: 0,
      scale: 21,
      flags: 0,
      low: 0,
      high: 64 * 1024,
    },
    {
      name: "Table-perturb",
      site: "net",
      bucketsize: 4,
      numentries: 65536,
      scale: 0,
      flags: 0,
      low: 65536,
      high: 65536,
    },
    {
      name: "TCP established",
      site: "net",
      bucketsize: ptr,
      numentries: 0,
      scale: 17,
      flags: 0,
      low: 0,
      high: 512 * 1024,
    },
    {
      name: "TCP bind",
      site: "net",
      bucketsize: x86 ? 32 : 16,
      numentries: -1, // as many as TCP established
      scale: 17,
      flags: 0,
      low: 0,
      high: 64 * 1024,
      after: (e) =>
        `TCP: Hash tables configured (established ${e.get("TCP established")} bind ${e.get("TCP bind")})`,
    },
    {
      name: "MPTCP token",
      site: "net",
      bucketsize: x86 ? 24 : 16,
      numentries: 0,
      scale: 20,
      flags: HASH_ZERO,
      low: 0,
      high: 64 * 1024,
    },
    {
      name: "UDP",
      site: "net",
      bucketsize: 32,
      numentries: 0,
      scale: 21,
      flags: 0,
      low: 256,
      high: 64 * 1024,
    },
    {
      name: "UDP-Lite",
      site: "net",
      bucketsize: 32,
      numentries: 0,
      scale: 21,
      flags: 0,
      low: 256,
      high: 64 * 1024,
    },
  ];
}

const sizes = new WeakMap<Kernel, Map<string, number>>();

function roundup_pow_of_two(x: number): number {
  return x <= 1 ? 1 : 2 ** Math.ceil(Math.log2(x));
}

/** alloc_large_system_hash: size, allocate and announce one table. */
export function alloc_large_system_hash(k: Kernel, st: MmInitState, t: HashTable, bs: BootState): void {
  let entries = sizes.get(k);
  if (!entries) sizes.set(k, (entries = new Map()));
  let numentries = t.numentries === -1 ? (entries.get("TCP established") ?? 0) : t.numentries;
  if (!numentries) {
    numentries = st.nr_kernel_pages;
    numentries = Math.ceil(numentries / 256) * 256; // round up to a MiB of pages
    let scale = t.scale;
    if (k.profile.pointerBits === 64 && !t.high) {
      // ADAPT_SCALE: one more bit of scale for every 4x beyond 64 GiB
      for (let adapt = (64 * 2 ** 30) / PAGE_SIZE; adapt < numentries; adapt *= 4) scale++;
    }
    if (scale > PAGE_SHIFT) numentries = Math.floor(numentries / 2 ** (scale - PAGE_SHIFT));
    else numentries *= 2 ** (PAGE_SHIFT - scale);
    if (numentries * t.bucketsize < PAGE_SIZE) numentries = PAGE_SIZE / t.bucketsize;
  }
  numentries = roundup_pow_of_two(numentries);
  let max = t.high;
  if (!max) max = Math.floor((st.nr_all_pages * PAGE_SIZE) / 16 / t.bucketsize);
  max = Math.min(max, 0x80000000);
  if (numentries < t.low) numentries = t.low;
  if (numentries > max) numentries = max;
  const log2qty = Math.floor(Math.log2(numentries));
  const size = t.bucketsize * 2 ** log2qty;
  if (t.flags & HASH_EARLY) k.memblock.memblock_alloc(size, 64, `${t.name} hash`);
  else alloc_pages_exact(k, size, GFP_ATOMIC | (t.flags & HASH_ZERO ? __GFP_ZERO : 0), `${t.name} hash`, bs);
  entries.set(t.name, 2 ** log2qty);
  const order = Math.max(0, Math.floor(Math.log2(size)) - PAGE_SHIFT);
  k.printk.printk(
    KERN_INFO,
    `${t.name} hash table entries: ${2 ** log2qty} (order: ${order}, ${size} bytes, linear)`,
  );
  if (t.after) k.printk.printk(KERN_INFO, t.after(entries));
}

/** alloc_pages_exact: the smallest block that holds size bytes, its unused tail given back. */
export function alloc_pages_exact(k: Kernel, size: number, gfp: number, name: string, bs: BootState): void {
  const nr = Math.ceil(size / PAGE_SIZE);
  const order = Math.ceil(Math.log2(nr));
  const pfn = alloc_pages(k, gfp, order);
  if (pfn < 0) return;
  for (let i = 1; i < nr; i++) k.mem.set_page_count(pfn + i, 1);
  for (let i = nr; i < 1 << order; i++) {
    k.mem.set_page_count(pfn + i, 1);
    __free_pages(k, pfn + i, 0);
  }
  for (let i = 0; i < nr; i++) bs.tables.push({ name, pfn: pfn + i, order: 0 });
}
