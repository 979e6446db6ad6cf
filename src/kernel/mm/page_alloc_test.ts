/*
 * page_alloc_test.ts - /sys/kernel/debug/page_alloc_test: the buddy
 * allocator driven by hand, the way a kernel test module would.
 *
 *   echo "alloc 3 GFP_KERNEL" > page_alloc_test    one order-3 block
 *   echo "free 0x9fff8" > page_alloc_test          give it back
 *   echo "free all" > page_alloc_test
 *   cat page_alloc_test                            the blocks held
 *
 * GFP flags are written as in C: GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
 * GFP_ATOMIC | __GFP_ZERO... An allocation that fails logs the kernel's
 * "page allocation failure" report and the write fails with ENOMEM.
 *
 * Like a test module that wants to show the buddy algorithm alone, every
 * command runs between two drain_all_pages(): blocks the per-CPU lists took
 * in a batch go back to the buddy lists, so the zone's free areas change by
 * exactly one split on alloc and exactly the merges on free. Each command
 * logs the zone's buddyinfo line before and after it (the shell's own work,
 * forking `cat` and the like, allocates too, so a later cat of
 * /proc/buddyinfo also shows that).
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { S_IFREG } from "../uapi/abi.js";
import { EINVAL, ENOENT, ENOMEM } from "../uapi/errno.js";
import * as gfp from "./gfp.js";
import { migratetype_names } from "./mmzone.js";
import { __alloc_pages, __free_pages, drain_all_pages, numa_node_id, page_zone } from "./page_alloc.js";

interface Held {
  pfn: number;
  order: number;
  gfp: number;
}

/** The zone's line of /proc/buddyinfo. */
function free_area_line(z: import("./mmzone.js").Zone, max_order: number): string {
  let s = `${z.name.padStart(8, " ")} `;
  for (let o = 0; o < max_order; o++) s += `${String(z.nr_free[o]).padStart(6, " ")} `;
  return s;
}

function log_change(k: Kernel, what: string, z: import("./mmzone.js").Zone, before: string): void {
  k.printk.printk(KERN_INFO, `page_alloc_test: ${what}`);
  k.printk.printk(KERN_INFO, `page_alloc_test:  before ${before}`);
  k.printk.printk(KERN_INFO, `page_alloc_test:  after  ${free_area_line(z, k.MAX_ORDER)}`);
}

const held = new WeakMap<Kernel, Held[]>();

const FLAG_NAMES: Record<string, number> = Object.fromEntries(
  Object.entries(gfp).filter(
    ([n, v]) => typeof v === "number" && (n.startsWith("GFP_") || n.startsWith("__GFP_")),
  ) as [string, number][],
);

/** "GFP_KERNEL | __GFP_ZERO" to flags; null for an unknown name. */
export function parse_gfp(text: string): number | null {
  let flags = 0;
  for (const part of text
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (/^0x[0-9a-f]+$/i.test(part)) flags |= Number.parseInt(part, 16);
    else if (part in FLAG_NAMES) flags |= FLAG_NAMES[part];
    else return null;
  }
  return flags;
}

function list(k: Kernel): Held[] {
  let l = held.get(k);
  if (!l) held.set(k, (l = []));
  return l;
}

function show(k: Kernel): string {
  let out = "     pfn order zone     migratetype  gfp\n";
  for (const h of list(k)) {
    const z = page_zone(k, h.pfn);
    const mt = migratetype_names[k.mem.get_pageblock_migratetype(h.pfn)];
    out += `${`0x${h.pfn.toString(16)}`.padStart(8, " ")} ${String(h.order).padStart(5, " ")} ${z.name.padEnd(8, " ")} ${mt.padEnd(12, " ")} ${gfp.format_gfp(h.gfp)}\n`;
  }
  return out;
}

function free_one(k: Kernel, h: Held): void {
  drain_all_pages(k, null);
  const z = page_zone(k, h.pfn);
  const before = free_area_line(z, k.MAX_ORDER);
  __free_pages(k, h.pfn, h.order);
  drain_all_pages(k, null);
  log_change(k, `free order-${h.order} at pfn 0x${h.pfn.toString(16)} (${z.name})`, z, before);
}

function write(k: Kernel, text: string): number {
  const words = text.trim().split(/\s+/);
  const cmd = words[0];
  if (cmd === "alloc") {
    if (words.length < 2 || !/^\d+$/.test(words[1])) return -EINVAL;
    const order = Number(words[1]);
    if (order >= k.MAX_ORDER) return -EINVAL;
    const flags = words.length > 2 ? parse_gfp(words.slice(2).join(" ")) : gfp.GFP_KERNEL;
    if (flags === null) return -EINVAL;
    drain_all_pages(k, null);
    const snap = new Map(k.zones.map((z) => [z, free_area_line(z, k.MAX_ORDER)]));
    const pfn = __alloc_pages(k, flags, order, numa_node_id(k), null);
    drain_all_pages(k, null);
    if (pfn < 0) return -ENOMEM;
    list(k).push({ pfn, order, gfp: flags });
    const z = page_zone(k, pfn);
    const mt = migratetype_names[k.mem.get_pageblock_migratetype(pfn)];
    log_change(k, `alloc order-${order} at pfn 0x${pfn.toString(16)} (${z.name}, ${mt})`, z, snap.get(z)!);
    return text.length;
  }
  if (cmd === "free") {
    if (words.length !== 2) return -EINVAL;
    const l = list(k);
    if (words[1] === "all") {
      for (const h of l.splice(0)) free_one(k, h);
      return text.length;
    }
    const pfn = /^0x[0-9a-f]+$/i.test(words[1])
      ? Number.parseInt(words[1], 16)
      : /^\d+$/.test(words[1])
        ? Number(words[1])
        : Number.NaN;
    if (Number.isNaN(pfn)) return -EINVAL;
    const i = l.findIndex((h) => h.pfn === pfn);
    if (i < 0) return -ENOENT;
    free_one(k, l.splice(i, 1)[0]);
    return text.length;
  }
  return -EINVAL;
}

export function page_alloc_test_entry(): ProcEntry {
  return {
    name: "page_alloc_test",
    mode: S_IFREG | 0o644,
    show: (k) => show(k),
    write: (k, _t, text) => write(k, text),
  };
}
