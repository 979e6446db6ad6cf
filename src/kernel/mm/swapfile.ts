/*
 * swapfile.ts - swap areas (Linux mm/swapfile.c).
 *
 * swapon turns a block device prepared by mkswap into a swap area: page 0
 * holds the header ("SWAPSPACE2", the last usable page), every other page
 * is a slot. swap_map[slot] counts the page-table entries that refer to the
 * slot; has_cache says a page of the swap cache (swap_state.ts) stands for
 * it. A slot is free when both are clear. Areas are used highest priority
 * first; without a priority given, each swapon gets the next lower one,
 * -2, -3, ...
 *
 * A swap entry is (type, offset): the area's index and the slot. In a page
 * table it is a non-present PTE (pgtable.ts swp_entry_to_pte).
 *
 * swapoff brings every page of the area back into memory (try_to_unuse),
 * or fails with ENOMEM and leaves the area in use.
 */

import { account_io, type BlockDevice, blkdev_of } from "../block/genhd.js";
import { File } from "../fs/fs.js";
import { kern_path } from "../fs/namei.js";
import { file as procfile } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { KERN_ERR, KERN_INFO } from "../lib/printk.js";
import type { Task } from "../sched/task.js";
import { S_IFBLK, S_IFMT, S_IFREG } from "../uapi/abi.js";
import { EBUSY, EINVAL, ENOENT, EPERM } from "../uapi/errno.js";
import { find_get_page } from "./filemap.js";

export const MAX_SWAPFILES = 32;
export const SWAP_FLAG_PREFER = 0x8000;
export const SWAP_FLAG_PRIO_MASK = 0x7fff;
export const SWAP_FLAG_DISCARD = 0x10000;

/** An entry packed in one number: type * 2^40 + offset. */
export type SwpEntry = number;
export const swp_entry = (type: number, offset: number): SwpEntry => type * 2 ** 40 + offset;
export const swp_type = (e: SwpEntry): number => Math.floor(e / 2 ** 40);
export const swp_offset = (e: SwpEntry): number => e % 2 ** 40;

export class SwapInfo {
  /** PTE references per slot (swap_map). */
  swap_map: Uint8Array;
  /** 1 while a swap-cache page stands for the slot (SWAP_HAS_CACHE). */
  has_cache: Uint8Array;
  /** Usable slots (page 0, the header, is not one). */
  pages: number;
  inuse_pages = 0;
  /** Where the next search for a free slot starts (cluster_next). */
  cluster_next = 1;
  writeok = true;
  constructor(
    readonly type: number,
    readonly name: string,
    readonly bdev: BlockDevice,
    readonly file: File,
    public prio: number,
    /** max: slots including the header. */
    readonly max: number,
  ) {
    this.swap_map = new Uint8Array(max);
    this.has_cache = new Uint8Array(max);
    this.swap_map[0] = 0x3f; // SWAP_MAP_BAD: the header page
    this.pages = max - 1;
  }
}

export interface SwapState {
  info: (SwapInfo | null)[];
  /** The priority the next swapon without -p gets, minus one. */
  least_priority: number;
}

const states = new WeakMap<Kernel, SwapState>();

export function swap_state(k: Kernel): SwapState {
  let s = states.get(k);
  if (!s) {
    s = { info: [], least_priority: -1 };
    states.set(k, s);
  }
  return s;
}

export function swap_info_of(k: Kernel, e: SwpEntry): SwapInfo | null {
  return swap_state(k).info[swp_type(e)] ?? null;
}

/** Areas by priority, highest first (the swap_avail list). */
function avail(k: Kernel): SwapInfo[] {
  return swap_state(k)
    .info.filter((s): s is SwapInfo => s?.writeok === true)
    .sort((a, b) => b.prio - a.prio || a.type - b.type);
}

function slot_freed(k: Kernel, si: SwapInfo, off: number): void {
  si.inuse_pages--;
  k.mm_stat.nr_swap_pages++;
  si.bdev.ops.discard?.(k, si.bdev, off);
}

/** get_swap_page: a free slot of the best area (has_cache set), or null when swap is full. */
export function get_swap_page(k: Kernel): SwpEntry | null {
  for (const si of avail(k)) {
    if (si.inuse_pages >= si.pages) continue;
    for (let n = 0; n < si.max; n++) {
      let off = si.cluster_next + n;
      if (off >= si.max) off = off - si.max + 1;
      if (off === 0) continue;
      if (si.swap_map[off] === 0 && !si.has_cache[off]) {
        si.has_cache[off] = 1;
        si.inuse_pages++;
        k.mm_stat.nr_swap_pages--;
        si.cluster_next = off + 1 < si.max ? off + 1 : 1;
        return swp_entry(si.type, off);
      }
    }
  }
  return null;
}

/** swap_duplicate: one more PTE refers to the slot (fork). */
export function swap_duplicate(k: Kernel, e: SwpEntry): void {
  const si = swap_info_of(k, e);
  if (si) si.swap_map[swp_offset(e)]++;
}

/** swap_free: one PTE reference less; the slot is free once nothing refers to it. */
export function swap_free(k: Kernel, e: SwpEntry): void {
  const si = swap_info_of(k, e);
  if (!si) return;
  const off = swp_offset(e);
  if (si.swap_map[off] > 0) si.swap_map[off]--;
  if (si.swap_map[off] === 0 && !si.has_cache[off]) slot_freed(k, si, off);
}

/** swapcache_free: the swap cache lets go of the slot. */
export function swapcache_free(k: Kernel, e: SwpEntry): void {
  const si = swap_info_of(k, e);
  if (!si) return;
  const off = swp_offset(e);
  si.has_cache[off] = 0;
  if (si.swap_map[off] === 0) slot_freed(k, si, off);
}

/** PTE references to the slot (page_swapcount). */
export function swap_count(k: Kernel, e: SwpEntry): number {
  const si = swap_info_of(k, e);
  return si ? si.swap_map[swp_offset(e)] : 0;
}

/** Is swap more than half full (vm_swap_full)? Then swap-in frees the slot at once. */
export function vm_swap_full(k: Kernel): boolean {
  return k.mm_stat.nr_swap_pages * 2 < k.mm_stat.total_swap_pages;
}

/** Writes a page to its slot (swap_writepage); the device may refuse (zram full). */
export function swap_write(k: Kernel, e: SwpEntry, data: { tag: number; bytes: Uint8Array | null }): number {
  const si = swap_info_of(k, e)!;
  const r = si.bdev.ops.write_page(k, si.bdev, swp_offset(e), data);
  if (r === 0) account_io(k, si.bdev, 1, true, swp_offset(e));
  return r;
}

/** Reads a slot back (swap_readpage). */
export function swap_read(k: Kernel, e: SwpEntry): { tag: number; bytes: Uint8Array | null } {
  const si = swap_info_of(k, e)!;
  const d = si.bdev.ops.read_page(k, si.bdev, swp_offset(e));
  account_io(k, si.bdev, 1, false, swp_offset(e));
  return d ?? { tag: 0, bytes: null };
}

/** The swap header's fields (union swap_header.info), or null without the signature. */
function read_header(k: Kernel, bd: BlockDevice): { last_page: number } | null {
  // read_mapping_page: the header as the device's page cache has it (mkswap's write may not be on disk yet).
  const cached = bd.mapping ? find_get_page(bd.mapping, 0) : -1;
  let b: Uint8Array | null | undefined;
  if (cached >= 0) b = k.pagedata.get(cached);
  else {
    b = bd.ops.read_page(k, bd, 0)?.bytes;
    account_io(k, bd, 1, false, 0);
  }
  if (!b) return null;
  const sig = new TextDecoder("latin1").decode(b.subarray(4086, 4096));
  if (sig !== "SWAPSPACE2") return null;
  const version = b[1024] | (b[1025] << 8) | (b[1026] << 16) | (b[1027] << 24);
  if (version !== 1) return null;
  const last_page = (b[1028] | (b[1029] << 8) | (b[1030] << 16) | (b[1031] << 24)) >>> 0;
  return { last_page };
}

/** swapon(2). */
export function sys_swapon(k: Kernel, t: Task, path: string, flags: number): number {
  const st = swap_state(k);
  const p = kern_path(k, t, path, true);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  const type = inode.i_mode & S_IFMT;
  // A swap file is read through its mapping's read_folio, which tmpfs (and the initramfs,
  // the only filesystems with regular files here) does not have: 6.1 refuses it silently.
  if (type === S_IFREG) return -EINVAL;
  if (type !== S_IFBLK) return -EINVAL;
  const bd = blkdev_of(k, inode.i_rdev);
  if (!bd) return -ENOENT;
  if (bd.holder) return -EBUSY;
  const slot = st.info.indexOf(null);
  const type_nr = slot >= 0 ? slot : st.info.length;
  if (type_nr >= MAX_SWAPFILES) return -EPERM;
  const h = read_header(k, bd);
  if (!h) {
    k.printk.printk(KERN_ERR, "Unable to find swap-space signature");
    return -EINVAL;
  }
  const maxpages = Math.min(h.last_page + 1, bd.nr_pages);
  if (maxpages < 2) return -EINVAL;
  const f = new File(p, inode, 2);
  inode.i_opencount++;
  const prio = flags & SWAP_FLAG_PREFER ? flags & SWAP_FLAG_PRIO_MASK : --st.least_priority;
  const si = new SwapInfo(type_nr, path, bd, f, prio, maxpages);
  st.info[type_nr] = si;
  bd.holder = "swap";
  k.mm_stat.total_swap_pages += si.pages;
  k.mm_stat.nr_swap_pages += si.pages;
  const kb = si.pages * 4;
  k.printk.printk(
    KERN_INFO,
    `Adding ${kb}k swap on ${path}.  Priority:${prio} extents:1 across:${kb}k ${bd.rotational ? "" : "SS"}${flags & SWAP_FLAG_DISCARD ? "D" : ""}FS`,
  );
  return 0;
}

/** Lets swapoff find the swap area by its path (or device). */
export function find_swap_area(k: Kernel, t: Task, path: string): SwapInfo | number {
  const p = kern_path(k, t, path, true);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  if ((inode.i_mode & S_IFMT) !== S_IFBLK) return -EINVAL;
  const si = swap_state(k).info.find((s) => s && s.bdev.dev === inode.i_rdev);
  return si ?? -EINVAL;
}

/** Takes an emptied area out of use (the end of swapoff). */
export function swap_area_release(k: Kernel, si: SwapInfo): void {
  const st = swap_state(k);
  st.info[si.type] = null;
  k.mm_stat.total_swap_pages -= si.pages;
  k.mm_stat.nr_swap_pages -= si.pages - si.inuse_pages;
  si.bdev.holder = null;
  // Priorities given automatically are handed out again from the top.
  if (si.prio < 0 && si.prio === st.least_priority) st.least_priority++;
  si.file.f_inode.i_opencount--;
}

/** /proc/swaps. */
export function swaps_show(k: Kernel): string {
  let s = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  for (const si of swap_state(k).info) {
    if (!si) continue;
    s += `${si.name.padEnd(40)}partition\t${si.pages * 4}\t\t${si.inuse_pages * 4}\t\t${si.prio}\n`;
  }
  return s;
}

/** swap_init: /proc/swaps. */
export function swap_init(k: Kernel): void {
  k.proc_extra.push(procfile("swaps", (kk) => swaps_show(kk)));
}
