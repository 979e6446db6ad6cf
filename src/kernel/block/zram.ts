/*
 * zram.ts - a compressed RAM block device (Linux drivers/block/zram).
 *
 * /dev/zram0 exists from boot with no size. Writing a size to
 * /sys/block/zram0/disksize gives it capacity; then it is usually made into
 * swap (mkswap, swapon). Each page written is "compressed" and kept in a
 * pool of real pages taken from the buddy allocator (zsmalloc), so swapping
 * to zram frees memory only as far as pages compress:
 *
 *   a zero-filled or same-filled page   stored in no space (same_pages)
 *   a page of bytes that compress       its compressed size, by algorithm
 *   a page that does not compress       stored whole (huge_pages)
 *
 * How well a page compresses comes from its content tag: tags have a class
 * (see mm/filemap.ts, tag_class), and within it a size derived from the tag,
 * so the same data always takes the same room. The pool grows and shrinks a
 * page at a time, in NR_ZSPAGES ("nr_zspages" in /proc/vmstat).
 *
 * /sys/block/zram0: disksize, comp_algorithm, mm_stat, stat, io_stat,
 * reset, initstate, mem_limit, mem_used_max, max_comp_streams.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import { file } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { SAME_FILLED, TAG_INCOMPRESSIBLE, TAG_REPETITIVE, tag_class } from "../mm/content.js";
import { __GFP_HIGHMEM, __GFP_MOVABLE, GFP_NOIO } from "../mm/gfp.js";
import { NR_ZSPAGES } from "../mm/mmzone.js";
import { __free_pages, alloc_pages, page_zone } from "../mm/page_alloc.js";
import { S_IFREG } from "../uapi/abi.js";
import { EBUSY, EINVAL, ENOMEM } from "../uapi/errno.js";
import {
  add_disk,
  BlockDevice,
  type BlockDeviceOps,
  PAGE_SIZE,
  type PageData,
  register_blkdev,
  stat_show,
} from "./genhd.js";

const ALGORITHMS = ["lzo", "lzo-rle", "lz4", "lz4hc", "zstd"] as const;
/** Typical compressed sizes of ordinary data, as a fraction of the page (lzo-rle ~ 2.5x). */
const RATIO: Record<string, number> = { lzo: 0.42, "lzo-rle": 0.4, lz4: 0.45, lz4hc: 0.38, zstd: 0.3 };

interface Slot {
  data: PageData;
  /** Bytes it takes in the pool (0 for same-filled pages). */
  size: number;
}

export class Zram {
  algorithm = "lzo-rle";
  disksize = 0;
  mem_limit = 0;
  slots = new Map<number, Slot>();
  orig_data_size = 0;
  compr_data_size = 0;
  mem_used_max = 0;
  same_pages = 0;
  huge_pages = 0;
  huge_pages_since = 0;
  /** The pool's pages (zsmalloc zspages). */
  pool: number[] = [];
  failed_reads = 0;
  failed_writes = 0;
  notify_free = 0;
}

/** The compressed size of a page with this tag under algorithm (0: same-filled). */
export function zram_size(tag: number, algorithm: string): number {
  if (tag === 0 || tag >= SAME_FILLED) return 0;
  const cls = tag_class(tag);
  if (cls === TAG_INCOMPRESSIBLE) return PAGE_SIZE;
  // Mostly repeated bytes (a counter in each page of a memset buffer) compress to tens of bytes.
  if (cls === TAG_REPETITIVE) return 60 + (tag % 16);
  const base = RATIO[algorithm] ?? 0.4;
  // +-25% around the algorithm's typical size, from the tag: the same data, the same size.
  const spread = ((tag >>> 4) % 1000) / 1000 - 0.5;
  return Math.round(PAGE_SIZE * base * (1 + spread / 2));
}

function zram_of(bd: BlockDevice): Zram {
  return bd.private_data as Zram;
}

/** The pool holds the compressed bytes in whole pages: grow or shrink it to fit. */
function pool_fit(k: Kernel, z: Zram): boolean {
  const need = Math.ceil(z.compr_data_size / PAGE_SIZE);
  while (z.pool.length < need) {
    if (z.mem_limit && (z.pool.length + 1) * PAGE_SIZE > z.mem_limit) return false;
    const pfn = alloc_pages(k, GFP_NOIO | __GFP_HIGHMEM | __GFP_MOVABLE, 0);
    if (pfn < 0) return false;
    z.pool.push(pfn);
    page_zone(k, pfn).vm_stat[NR_ZSPAGES]++;
  }
  while (z.pool.length > need) {
    const pfn = z.pool.pop()!;
    page_zone(k, pfn).vm_stat[NR_ZSPAGES]--;
    __free_pages(k, pfn, 0);
  }
  const used = z.pool.length * PAGE_SIZE;
  if (used > z.mem_used_max) z.mem_used_max = used;
  return true;
}

function slot_free(z: Zram, index: number): void {
  const s = z.slots.get(index);
  if (!s) return;
  z.slots.delete(index);
  z.orig_data_size -= PAGE_SIZE;
  z.compr_data_size -= s.size;
  if (s.size === 0) z.same_pages--;
  if (s.size === PAGE_SIZE) z.huge_pages--;
}

/** Compression takes time too: ~2 us a page to compress, ~0.7 us to decompress. */
const zram_ops: BlockDeviceOps = {
  read_page(_k, bd, index) {
    return zram_of(bd).slots.get(index)?.data ?? null;
  },
  write_page(k, bd, index, data) {
    const z = zram_of(bd);
    slot_free(z, index);
    const size = zram_size(data.tag, z.algorithm);
    z.slots.set(index, { data, size });
    z.orig_data_size += PAGE_SIZE;
    z.compr_data_size += size;
    if (size === 0) z.same_pages++;
    if (size === PAGE_SIZE) {
      z.huge_pages++;
      z.huge_pages_since++;
    }
    if (!pool_fit(k, z)) {
      slot_free(z, index);
      pool_fit(k, z);
      z.failed_writes++;
      return -ENOMEM;
    }
    return 0;
  },
  discard(k, bd, index) {
    const z = zram_of(bd);
    if (!z.slots.has(index)) return;
    slot_free(z, index);
    pool_fit(k, z);
  },
  /** zram_slot_free_notify: counted whether or not the slot held a page. */
  swap_slot_free_notify(k, bd, index) {
    const z = zram_of(bd);
    z.notify_free++;
    if (!z.slots.has(index)) return;
    slot_free(z, index);
    pool_fit(k, z);
  },
  cost(_bd, pages, write) {
    return pages * (write ? 2000 : 700);
  },
  synchronous: true,
};

/** Drops everything stored (reset, or a new disksize). */
function zram_reset(k: Kernel, bd: BlockDevice): void {
  const z = zram_of(bd);
  z.slots.clear();
  z.orig_data_size = z.compr_data_size = z.same_pages = z.huge_pages = 0;
  pool_fit(k, z);
  z.disksize = 0;
  bd.nr_sectors = 0;
}

/** memparse: "256M", "1G", "4096". */
function memparse(s: string): number | null {
  const m = /^\s*(\d+)\s*([kKmMgGtT]?)\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 1024 ** ("KMGT".indexOf(m[2].toUpperCase()) + 1 || 0);
}

/** zram_add: /dev/zram0 and its /sys/block entries ("zram: Added device: zram0"). */
export function zram_init(k: Kernel): BlockDevice {
  const major = register_blkdev(k, "zram");
  const bd = new BlockDevice("zram0", major, 0, zram_ops);
  bd.private_data = new Zram();
  // ZRAM_LOGICAL_BLOCK_SIZE, and GENHD_FL_NO_PART: no partitions to scan
  bd.logical_block_size = 4096;
  bd.part_scan = false;
  add_disk(k, bd);
  k.printk.printk(KERN_INFO, "zram: Added device: zram0");
  return bd;
}

/** The files of /sys/block/zram0 beyond the generic ones. */
export function zram_sysfs(bd: BlockDevice): ProcEntry[] {
  const z = zram_of(bd);
  const rw = S_IFREG | 0o644;
  const wo = S_IFREG | 0o200;
  return [
    file(
      "comp_algorithm",
      () => `${ALGORITHMS.map((a) => (a === z.algorithm ? `[${a}]` : a)).join(" ")} \n`,
      {
        mode: rw,
        write: (_k, _t, text) => {
          const a = text.trim();
          if (!ALGORITHMS.includes(a as (typeof ALGORITHMS)[number])) return -EINVAL;
          if (z.disksize) return -EBUSY;
          z.algorithm = a;
          return text.length;
        },
      },
    ),
    file("disksize", () => `${z.disksize}\n`, {
      mode: rw,
      write: (k, _t, text) => {
        const size = memparse(text);
        if (size === null || size === 0) return -EINVAL;
        if (z.disksize) return -EBUSY;
        const bytes = Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
        const old = bd.nr_sectors;
        z.disksize = bytes;
        bd.nr_sectors = bytes / 512;
        k.printk.printk(KERN_INFO, `zram0: detected capacity change from ${old} to ${bd.nr_sectors}`);
        return text.length;
      },
    }),
    file("initstate", () => `${z.disksize ? 1 : 0}\n`),
    file("reset", () => "", {
      mode: wo,
      write: (k, _t, text) => {
        const v = Number(text.trim());
        if (!Number.isInteger(v)) return -EINVAL;
        if (bd.holder) return -EBUSY;
        if (v) {
          const old = bd.nr_sectors;
          zram_reset(k, bd);
          if (old) k.printk.printk(KERN_INFO, `zram0: detected capacity change from ${old} to 0`);
        }
        return text.length;
      },
    }),
    file("mem_limit", () => "", {
      mode: wo,
      write: (_k, _t, text) => {
        const v = memparse(text);
        if (v === null) return -EINVAL;
        z.mem_limit = Math.ceil(v / PAGE_SIZE) * PAGE_SIZE;
        return text.length;
      },
    }),
    file("mem_used_max", () => "", {
      mode: wo,
      write: (_k, _t, text) => {
        if (text.trim() !== "0") return -EINVAL;
        z.mem_used_max = z.pool.length * PAGE_SIZE;
        return text.length;
      },
    }),
    file("max_comp_streams", (k) => `${k.nr_cpu_ids}\n`, { mode: rw, write: (_k, _t, text) => text.length }),
    // orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages huge_pages_since
    file("mm_stat", () => {
      const v = [
        z.orig_data_size,
        z.compr_data_size,
        z.pool.length * PAGE_SIZE,
        z.mem_limit,
        z.mem_used_max,
        z.same_pages,
        0,
        z.huge_pages,
        z.huge_pages_since,
      ];
      return `${v.map((x, i) => String(x).padStart(i < 5 ? 8 : 8)).join(" ")}\n`;
    }),
    // failed_reads failed_writes invalid_io notify_free
    file(
      "io_stat",
      () =>
        `${[z.failed_reads, z.failed_writes, 0, z.notify_free].map((x) => String(x).padStart(8)).join(" ")}\n`,
    ),
    file("stat", () => stat_show(bd)),
  ];
}
