/*
 * vmalloc.ts - virtually contiguous kernel memory (Linux mm/vmalloc.c, 6.1):
 * vmap areas in the kernel's vmalloc and modules windows, vmalloc/vfree,
 * vmap/vunmap, ioremap, and /proc/vmallocinfo.
 *
 * The windows (kernel virtual addresses):
 *
 *   vexpress-a9  0xbf000000  modules (MODULES_VADDR..MODULES_END, 14 MiB)
 *                VMALLOC_START = high_memory + 8 MiB (8 MiB aligned) .. 0xff800000
 *                             (240 MiB with 768 MiB of lowmem)
 *   pc           0xffffc90000000000 + 32 TiB   vmalloc
 *                0xffffffffc0000000..0xffffffffff000000   modules
 *   virt         0xffff800000000000 + 128 MiB  modules, then vmalloc
 *                up to 0xfffffbfff0000000
 *
 * Addresses are numbers: the real address on 32-bit ARM, and on 64-bit
 * kernels the low 48 bits of it (kernel space has the upper 16 bits all
 * set), so that every window address is exact in a double; va() gives
 * back the full address as a bigint for printing.
 *
 * An allocation takes the lowest free range of the window that fits the
 * size plus a guard page at the requested alignment (find_vmap_lowest_match
 * over the free areas, which are struct vmap_area objects like the busy
 * ones). vmalloc then gathers its pages one by one from the buddy
 * allocator, from HighMem first where there is one (__GFP_HIGHMEM unless
 * the caller asked for DMA). vfree gives the pages back at once but keeps
 * the range busy on the purge list ("unpurged vm_area" in vmallocinfo)
 * until more than lazy_max_pages are waiting, when they are all returned
 * to the free ranges together (__purge_vmap_area_lazy).
 *
 * Simplified: no page tables are built for the range (the kernel's page
 * tables are not simulated), no huge vmap mappings, no per-CPU vmap blocks
 * (vm_map_ram), no KASAN shadow.
 */

import type { Kernel } from "../kernel.js";
import { KERN_WARNING } from "../lib/printk.js";
import { __GFP_HIGHMEM, __GFP_NOWARN, __GFP_ZERO, GFP_DMA, GFP_DMA32, GFP_KERNEL } from "./gfp.js";
import { kmem_cache_lookup } from "./kmem_caches.js";
import { kobj_alloc, kobj_free } from "./kobj.js";
import { __free_pages, alloc_pages, PAGE_SIZE, page_zone, warn_alloc } from "./page_alloc.js";
import { kfree, kmalloc } from "./slab_common.js";
import { pr_ptr } from "./slub_debug.js";

/* vm_struct flags (include/linux/vmalloc.h). */
export const VM_IOREMAP = 0x00000001; // ioremap() and friends
export const VM_ALLOC = 0x00000002; // vmalloc()
export const VM_MAP = 0x00000004; // vmap()ed pages
export const VM_USERMAP = 0x00000008; // suitable for remap_vmalloc_range
export const VM_DMA_COHERENT = 0x00000010; // dma_alloc_coherent
export const VM_UNINITIALIZED = 0x00000020; // vm_struct is not fully initialized
export const VM_NO_GUARD = 0x00000040; // don't add guard page

/** struct vm_struct: what vmalloc/vmap/ioremap made of an area. */
export interface VmStruct {
  addr: number; // start (see the file comment for 64-bit)
  size: number; // bytes, guard page included
  flags: number;
  pages: number[]; // pfns (vmalloc) or the mapped pages (vmap)
  nr_pages: number; // pages vmalloc allocated (0 for vmap/ioremap)
  phys_addr: number; // ioremap: the device's physical address
  caller: string; // who asked, as %pS prints it
  /** The pages array: a kmalloc'd block, or its own vmalloc area when above a page ("vpages"). */
  pages_kmalloc: number;
  pages_vm: VmStruct | null;
}

/** struct vmap_area: a busy, free or lazily freed range [va_start, va_end). */
export interface VmapArea {
  va_start: number;
  va_end: number;
  vm: VmStruct | null;
}

export interface VmapState {
  /** [start, end) of the vmalloc window and of the modules window. */
  vmalloc: [number, number];
  modules: [number, number];
  /** The upper bits of 64-bit kernel addresses (0 on 32-bit). */
  top: bigint;
  /** vmap_area_list: busy areas by address. */
  busy: VmapArea[];
  /** free_vmap_area_list: free ranges by address. */
  free: VmapArea[];
  /** purge_vmap_area_list: freed, not yet given back. */
  purge: VmapArea[];
  vmap_lazy_nr: number; // pages on the purge list
  /** fork's per-CPU cache of freed kernel stacks (NR_CACHED_STACKS each). */
  cached_stacks: (VmStruct | null)[][];
}

const NR_CACHED_STACKS = 2;

export function new_vmap_state(): VmapState {
  return {
    vmalloc: [0, 0],
    modules: [0, 0],
    top: 0n,
    busy: [],
    free: [],
    purge: [],
    vmap_lazy_nr: 0,
    cached_stacks: [],
  };
}

/** The full kernel virtual address of a window address. */
export function va(k: Kernel, addr: number): bigint {
  return k.vmap.top + BigInt(addr);
}

const ALIGN = (x: number, a: number): number => Math.ceil(x / a) * a;

/** The windows of this machine (VMALLOC_START/END, MODULES_VADDR/END). */
function vmalloc_windows(k: Kernel): void {
  const v = k.vmap;
  const p = k.profile;
  const MiB = 1 << 20;
  if (p.arch === "arm") {
    const vs = p.vmsplit!;
    const lowmem = Math.min(k.boot_layout.max_low_pfn * PAGE_SIZE - p.ramBase, p.lowmemLimit);
    const high_memory = vs.pageOffset + lowmem;
    v.vmalloc = [ALIGN(high_memory + vs.vmallocOffset, vs.vmallocOffset), 0xff800000];
    v.modules = [0xbf000000, 0xbfe00000];
    v.top = 0n;
  } else if (p.arch === "x86_64") {
    v.top = 0xffff000000000000n;
    const start = 0xc90000000000;
    v.vmalloc = [start, start + 32 * 2 ** 40];
    v.modules = [0xffffc0000000, 0xffffff000000];
  } else {
    v.top = 0xffff000000000000n;
    v.modules = [0x800000000000, 0x800000000000 + 128 * MiB];
    v.vmalloc = [v.modules[1], 0xfbfff0000000];
  }
}

/* ------------------------------------------------------------------ */
/* Areas                                                                */
/* ------------------------------------------------------------------ */

/** A vmap_area object from its cache, owned by the area. */
function va_alloc(k: Kernel, start: number, end: number): VmapArea {
  const area: VmapArea = { va_start: start, va_end: end, vm: null };
  if (k.slab.up) kobj_alloc(k, kmem_cache_lookup(k, "vmap_area"), area, GFP_KERNEL);
  return area;
}

function va_free(k: Kernel, area: VmapArea): void {
  kobj_free(k, area);
}

/** Index of the first area whose start is >= addr (binary search). */
function lower_bound(list: VmapArea[], addr: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].va_start < addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert_sorted(list: VmapArea[], area: VmapArea): void {
  list.splice(lower_bound(list, area.va_start), 0, area);
}

/**
 * __alloc_vmap_area: the lowest address in [vstart, vend) where size bytes
 * fit at `align`, carved out of its free range (which may leave a free
 * range on either side: a second vmap_area object when both remain).
 * Returns -1 when nothing fits.
 */
function __alloc_vmap_area(k: Kernel, size: number, align: number, vstart: number, vend: number): number {
  const free = k.vmap.free;
  let i = Math.max(0, lower_bound(free, vstart) - 1);
  for (; i < free.length; i++) {
    const f = free[i];
    if (f.va_end <= vstart) continue;
    if (f.va_start >= vend) break;
    const start = ALIGN(Math.max(f.va_start, vstart), align);
    if (start + size > Math.min(f.va_end, vend)) continue;
    // adjust_va_to_fit_type: FL (exact), LE (left edge), RE (right edge) or NE (middle) fit.
    const left = start > f.va_start;
    const right = start + size < f.va_end;
    if (!left && !right) {
      free.splice(i, 1);
      va_free(k, f);
    } else if (!left) f.va_start = start + size;
    else if (!right) f.va_end = start;
    else {
      const rest = va_alloc(k, start + size, f.va_end);
      f.va_end = start;
      free.splice(i + 1, 0, rest);
    }
    return start;
  }
  return -1;
}

/** merge_or_add_vmap_area: a range becomes free again, joined with free neighbours. */
function merge_or_add_vmap_area(k: Kernel, area: VmapArea): void {
  const free = k.vmap.free;
  const i = lower_bound(free, area.va_start);
  const next = free[i];
  const prev = free[i - 1];
  if (prev && prev.va_end === area.va_start) {
    prev.va_end = area.va_end;
    va_free(k, area);
    if (next && next.va_start === prev.va_end) {
      prev.va_end = next.va_end;
      free.splice(i, 1);
      va_free(k, next);
    }
    return;
  }
  if (next && next.va_start === area.va_end) {
    next.va_start = area.va_start;
    va_free(k, area);
    return;
  }
  area.vm = null;
  free.splice(i, 0, area);
}

/** lazy_max_pages: how much freed address space may wait before a purge. */
function lazy_max_pages(k: Kernel): number {
  const fls = 32 - Math.clz32(k.nr_cpu_ids);
  return fls * ((32 << 20) / PAGE_SIZE);
}

/** __purge_vmap_area_lazy: every lazily freed range goes back to the free ranges. */
export function purge_vmap_area_lazy(k: Kernel): void {
  const v = k.vmap;
  const list = v.purge;
  v.purge = [];
  v.vmap_lazy_nr = 0;
  for (const area of list.sort((a, b) => a.va_start - b.va_start)) merge_or_add_vmap_area(k, area);
}

/**
 * alloc_vmap_area: a busy area of size bytes in [vstart, vend). When the
 * window is full the lazily freed areas are purged and the search retried;
 * then "vmap allocation for size N failed".
 */
export function alloc_vmap_area(
  k: Kernel,
  size: number,
  align: number,
  vstart: number,
  vend: number,
  gfp: number,
): VmapArea | null {
  let addr = __alloc_vmap_area(k, size, align, vstart, vend);
  if (addr < 0 && k.vmap.purge.length) {
    purge_vmap_area_lazy(k);
    addr = __alloc_vmap_area(k, size, align, vstart, vend);
  }
  if (addr < 0) {
    if (!(gfp & __GFP_NOWARN))
      k.printk.printk(
        KERN_WARNING,
        `vmap allocation for size ${size} failed: use vmalloc=<size> to increase size`,
      );
    return null;
  }
  const area = va_alloc(k, addr, addr + size);
  insert_sorted(k.vmap.busy, area);
  return area;
}

/** find_vmap_area: the busy area starting at addr. */
export function find_vmap_area(k: Kernel, addr: number): VmapArea | null {
  const busy = k.vmap.busy;
  const i = lower_bound(busy, addr);
  return busy[i]?.va_start === addr ? busy[i] : null;
}

/** free_vmap_area_noflush: the area leaves the busy list for the purge list. */
function free_vmap_area_noflush(k: Kernel, area: VmapArea): void {
  const v = k.vmap;
  const i = lower_bound(v.busy, area.va_start);
  if (v.busy[i] === area) v.busy.splice(i, 1);
  area.vm = null;
  v.purge.push(area);
  v.vmap_lazy_nr += (area.va_end - area.va_start) / PAGE_SIZE;
  if (v.vmap_lazy_nr > lazy_max_pages(k)) purge_vmap_area_lazy(k);
}

/* ------------------------------------------------------------------ */
/* vm_struct                                                            */
/* ------------------------------------------------------------------ */

/**
 * __get_vm_area_node: an area of size bytes (plus a guard page unless
 * VM_NO_GUARD) with its vm_struct (a kmalloc'd object). ioremap areas are
 * aligned to their size's power of two.
 */
export function __get_vm_area_node(
  k: Kernel,
  size: number,
  align: number,
  flags: number,
  start: number,
  end: number,
  gfp: number,
  caller: string,
): VmStruct | null {
  size = ALIGN(size, PAGE_SIZE);
  if (size === 0) return null;
  if (flags & VM_IOREMAP) {
    let order = 0;
    while (2 ** order < size) order++;
    const max = k.profile.arch === "arm" ? 24 : 7 + 12;
    align = 2 ** Math.min(Math.max(order, 12), max);
  }
  const vm: VmStruct = {
    addr: 0,
    size: 0,
    flags,
    pages: [],
    nr_pages: 0,
    phys_addr: 0,
    caller,
    pages_kmalloc: 0,
    pages_vm: null,
  };
  const obj = k.slab.up ? kmalloc(k, k.profile.pointerBits === 64 ? 64 : 36, gfp & ~__GFP_HIGHMEM) : 0;
  if (!(flags & VM_NO_GUARD)) size += PAGE_SIZE;
  const area = alloc_vmap_area(k, size, Math.max(align, PAGE_SIZE), start, end, gfp);
  if (!area) {
    kfree(k, obj);
    return null;
  }
  vm.addr = area.va_start;
  vm.size = size;
  area.vm = vm;
  vm_objs.set(vm, obj);
  return vm;
}

/** The kmalloc'd struct vm_struct of each area. */
const vm_objs = new WeakMap<VmStruct, number>();

/** get_vm_area_caller: an area in the vmalloc window. */
export function get_vm_area_caller(k: Kernel, size: number, flags: number, caller: string): VmStruct | null {
  const [s, e] = k.vmap.vmalloc;
  return __get_vm_area_node(k, size, 1, flags, s, e, GFP_KERNEL, caller);
}

/** find_vm_area: the vm_struct of the area at addr. */
export function find_vm_area(k: Kernel, addr: number): VmStruct | null {
  return find_vmap_area(k, addr)?.vm ?? null;
}

/** remove_vm_area: the area is unmapped and lazily freed; its vm_struct is returned. */
export function remove_vm_area(k: Kernel, addr: number): VmStruct | null {
  const area = find_vmap_area(k, addr);
  if (!area?.vm) return null;
  const vm = area.vm;
  free_vmap_area_noflush(k, area);
  return vm;
}

function free_vm_struct(k: Kernel, vm: VmStruct): void {
  kfree(k, vm_objs.get(vm) ?? 0);
  vm_objs.delete(vm);
}

/* ------------------------------------------------------------------ */
/* vmalloc / vfree                                                      */
/* ------------------------------------------------------------------ */

/**
 * __vmalloc_area_node: the pages of a VM_ALLOC area, one order-0 page at a
 * time, and the array holding them (kmalloc'd, or vmalloc'd itself when
 * larger than a page).
 */
function __vmalloc_area_node(k: Kernel, vm: VmStruct, gfp: number): boolean {
  const nr = (vm.size - (vm.flags & VM_NO_GUARD ? 0 : PAGE_SIZE)) / PAGE_SIZE;
  const array_size = nr * (k.profile.pointerBits / 8);
  const nested_gfp = (gfp & ~(GFP_DMA | GFP_DMA32 | __GFP_HIGHMEM)) | __GFP_ZERO;
  if (array_size > PAGE_SIZE) {
    vm.pages_vm = __vmalloc_node_range(
      k,
      array_size,
      1,
      k.vmap.vmalloc[0],
      k.vmap.vmalloc[1],
      nested_gfp,
      0,
      vm.caller,
    );
    if (!vm.pages_vm) return false;
  } else vm.pages_kmalloc = kmalloc(k, array_size, nested_gfp);
  if (!(gfp & (GFP_DMA | GFP_DMA32))) gfp |= __GFP_HIGHMEM;
  for (let i = 0; i < nr; i++) {
    const pfn = alloc_pages(k, gfp | __GFP_NOWARN, 0);
    if (pfn < 0) break;
    vm.pages.push(pfn);
  }
  vm.nr_pages = vm.pages.length;
  k.mm_stat.nr_vmalloc_pages += vm.nr_pages;
  if (vm.nr_pages !== nr) {
    warn_alloc(
      k,
      gfp,
      `vmalloc error: size ${vm.nr_pages * PAGE_SIZE}, page order 0, failed to allocate pages`,
    );
    return false;
  }
  return true;
}

/**
 * __vmalloc_node_range: size bytes of virtually contiguous memory in
 * [start, end); returns the vm_struct (its addr is the address) or null.
 */
export function __vmalloc_node_range(
  k: Kernel,
  size: number,
  align: number,
  start: number,
  end: number,
  gfp: number,
  vm_flags: number,
  caller: string,
): VmStruct | null {
  const real_size = ALIGN(size, PAGE_SIZE);
  if (!real_size || real_size / PAGE_SIZE > k.totalram_pages) {
    warn_alloc(k, gfp, `vmalloc error: size ${real_size}, exceeds total pages`);
    return null;
  }
  const vm = __get_vm_area_node(
    k,
    real_size,
    align,
    VM_ALLOC | VM_UNINITIALIZED | vm_flags,
    start,
    end,
    gfp,
    caller,
  );
  if (!vm) {
    warn_alloc(k, gfp, `vmalloc error: size ${real_size}, vm_struct allocation failed`);
    return null;
  }
  if (!__vmalloc_area_node(k, vm, gfp)) {
    __vunmap(k, vm.addr, true);
    return null;
  }
  vm.flags &= ~VM_UNINITIALIZED;
  return vm;
}

/** vmalloc: size bytes from the vmalloc window (GFP_KERNEL, HighMem pages allowed). Returns the address or 0. */
export function vmalloc(k: Kernel, size: number, caller = "vmalloc"): number {
  const [s, e] = k.vmap.vmalloc;
  return __vmalloc_node_range(k, size, 1, s, e, GFP_KERNEL, 0, caller)?.addr ?? 0;
}

/** module_alloc: module memory, from the modules window. */
export function module_alloc(k: Kernel, size: number, caller: string): VmStruct | null {
  const [s, e] = k.vmap.modules;
  return __vmalloc_node_range(k, size, 1, s, e, GFP_KERNEL, 0, caller);
}

/** __vunmap: unmap an area and, for vmalloc, give its pages and page array back. */
function __vunmap(k: Kernel, addr: number, deallocate_pages: boolean): boolean {
  const vm = remove_vm_area(k, addr);
  if (!vm) {
    k.printk.printk(KERN_WARNING, `Trying to vfree() nonexistent vm area (${pr_ptr(k, va(k, addr))})`);
    return false;
  }
  if (deallocate_pages) {
    for (const pfn of vm.pages) __free_pages(k, pfn, 0);
    k.mm_stat.nr_vmalloc_pages -= vm.nr_pages;
    if (vm.pages_vm) __vunmap(k, vm.pages_vm.addr, true);
    else kfree(k, vm.pages_kmalloc);
  }
  vm.pages = [];
  free_vm_struct(k, vm);
  return true;
}

/** vfree: release a vmalloc'd area (its range is purged lazily). */
export function vfree(k: Kernel, addr: number): void {
  if (addr) __vunmap(k, addr, true);
}

/** vmap: map existing pages into a new area of the vmalloc window. */
export function vmap(k: Kernel, pages: number[], flags: number, caller: string): VmStruct | null {
  const vm = get_vm_area_caller(k, pages.length * PAGE_SIZE, flags | VM_MAP, caller);
  if (vm) vm.pages = pages.slice();
  return vm;
}

/** vunmap: remove a vmap'd mapping (the pages stay with their owner). */
export function vunmap(k: Kernel, addr: number): void {
  __vunmap(k, addr, false);
}

/** ioremap: map a device's registers (physical phys, size bytes). */
export function ioremap(k: Kernel, phys: number, size: number, caller: string): VmStruct | null {
  const offset = phys % PAGE_SIZE;
  const vm = get_vm_area_caller(k, size + offset, VM_IOREMAP, caller);
  if (vm) vm.phys_addr = phys - offset;
  return vm;
}

export function iounmap(k: Kernel, addr: number): void {
  __vunmap(k, addr, false);
}

/**
 * vm_area_add_early: an area fixed before vmalloc is up (ARM's PCI I/O
 * window): taken out of the free ranges as it is.
 */
export function vm_area_add_early(
  k: Kernel,
  addr: number,
  size: number,
  flags: number,
  caller: string,
): void {
  const v = k.vmap;
  const i = v.free.findIndex((f) => f.va_start <= addr && addr + size <= f.va_end);
  if (i < 0) return;
  const f = v.free[i];
  if (addr + size < f.va_end) v.free.splice(i + 1, 0, va_alloc(k, addr + size, f.va_end));
  f.va_end = addr;
  if (f.va_end === f.va_start) v.free.splice(i, 1);
  const area = va_alloc(k, addr, addr + size);
  area.vm = {
    addr,
    size,
    flags,
    pages: [],
    nr_pages: 0,
    phys_addr: 0,
    caller,
    pages_kmalloc: 0,
    pages_vm: null,
  };
  insert_sorted(v.busy, area);
}

/**
 * pcpu_get_vm_areas: the per-CPU allocator's first chunk of units, placed
 * at the top of the vmalloc window, without a guard page.
 */
export function pcpu_get_vm_areas(k: Kernel, size: number, caller: string): void {
  const [s, e] = k.vmap.vmalloc;
  const top = Math.floor((e - size) / PAGE_SIZE) * PAGE_SIZE;
  const fits = k.vmap.free.find((f) => f.va_start <= top && top + size <= f.va_end);
  if (!fits || top < s) return;
  vm_area_add_early(k, top, size, VM_ALLOC, caller);
}

/** vmalloc_init: the free ranges cover the windows, with vmap_area objects once the cache exists. */
export function vmalloc_init(k: Kernel): void {
  vmalloc_windows(k);
  const v = k.vmap;
  const lo = Math.min(v.vmalloc[0], v.modules[0]);
  const hi = Math.max(v.vmalloc[1], v.modules[1]);
  v.free = [va_alloc(k, lo, hi)];
  v.cached_stacks = Array.from({ length: k.nr_cpu_ids }, () => new Array(NR_CACHED_STACKS).fill(null));
}

/* ------------------------------------------------------------------ */
/* /proc/vmallocinfo                                                    */
/* ------------------------------------------------------------------ */

/** %pa of a physical address: zero-padded to phys_addr_t's width. */
function pr_phys(k: Kernel, phys: number): string {
  return `0x${phys.toString(16).padStart(k.profile.pointerBits / 4, "0")}`;
}

/** /proc/vmallocinfo: every busy area by address, then the unpurged ones. */
export function vmallocinfo_show(k: Kernel): string {
  let out = "";
  const numa = k.cfg.NUMA;
  const p = (x: number): string => pr_ptr(k, va(k, x));
  for (const area of k.vmap.busy) {
    const v = area.vm;
    if (!v) continue;
    let line = `0x${p(v.addr)}-0x${p(v.addr + v.size)} ${String(v.size).padStart(7, " ")}`;
    if (v.caller) line += ` ${v.caller}`;
    if (v.nr_pages) line += ` pages=${v.nr_pages}`;
    if (v.phys_addr) line += ` phys=${pr_phys(k, v.phys_addr)}`;
    if (v.flags & VM_IOREMAP) line += " ioremap";
    if (v.flags & VM_ALLOC) line += " vmalloc";
    if (v.flags & VM_MAP) line += " vmap";
    if (v.flags & VM_USERMAP) line += " user";
    if (v.flags & VM_DMA_COHERENT) line += " dma-coherent";
    if (v.pages_vm) line += " vpages";
    if (numa && v.nr_pages) {
      const counts = new Array(k.nodes.length).fill(0);
      for (const pfn of v.pages) counts[page_zone(k, pfn).node]++;
      counts.forEach((c, nid) => {
        if (c) line += ` N${nid}=${c}`;
      });
    }
    out += `${line}\n`;
  }
  for (const area of k.vmap.purge)
    out += `0x${p(area.va_start)}-0x${p(area.va_end)} ${String(area.va_end - area.va_start).padStart(7, " ")} unpurged vm_area\n`;
  return out;
}
