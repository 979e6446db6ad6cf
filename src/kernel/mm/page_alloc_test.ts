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
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { S_IFREG } from "../uapi/abi.js";
import { EINVAL, ENOENT, ENOMEM } from "../uapi/errno.js";
import * as gfp from "./gfp.js";
import { migratetype_names } from "./mmzone.js";
import { __alloc_pages, __free_pages, numa_node_id, page_zone } from "./page_alloc.js";

interface Held {
  pfn: number;
  order: number;
  gfp: number;
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

function write(k: Kernel, text: string): number {
  const words = text.trim().split(/\s+/);
  const cmd = words[0];
  if (cmd === "alloc") {
    if (words.length < 2 || !/^\d+$/.test(words[1])) return -EINVAL;
    const order = Number(words[1]);
    if (order >= k.MAX_ORDER) return -EINVAL;
    const flags = words.length > 2 ? parse_gfp(words.slice(2).join(" ")) : gfp.GFP_KERNEL;
    if (flags === null) return -EINVAL;
    const pfn = __alloc_pages(k, flags, order, numa_node_id(k), null);
    if (pfn < 0) return -ENOMEM;
    list(k).push({ pfn, order, gfp: flags });
    k.printk.printk(
      KERN_INFO,
      `page_alloc_test: order-${order} block at pfn 0x${pfn.toString(16)} (${page_zone(k, pfn).name})`,
    );
    return text.length;
  }
  if (cmd === "free") {
    if (words.length !== 2) return -EINVAL;
    const l = list(k);
    if (words[1] === "all") {
      for (const h of l.splice(0)) __free_pages(k, h.pfn, h.order);
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
    const [h] = l.splice(i, 1);
    __free_pages(k, h.pfn, h.order);
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
