/*
 * mm_kmem.ts - the slab objects of the address-space structures (Linux
 * kernel/fork.c vm_area_alloc/vm_area_free and mm_alloc/__mmdrop,
 * mm/rmap.c anon_vma_alloc and anon_vma_chain_alloc).
 *
 *   mm_struct         one per address space, from mm_alloc to the last mmput
 *   vm_area_struct    one per VMA, while it is linked into its mm
 *   anon_vma_chain    one per VMA-anon_vma link (owned by the VMA)
 *   anon_vma          one per anon_vma, until no VMA is on it
 *
 * They show in /proc/slabinfo and count in Slab/SUnreclaim, as on Linux:
 * a fork of a shell makes a dozen of each.
 */

import type { Kernel } from "../kernel.js";
import { GFP_KERNEL } from "./gfp.js";
import { kmem_cache_lookup } from "./kmem_caches.js";
import { kobj_alloc, kobj_free } from "./kobj.js";

function alloc(k: Kernel, cache: string, owner: object): void {
  if (k.slab?.up) kobj_alloc(k, kmem_cache_lookup(k, cache), owner, GFP_KERNEL);
}

export function mm_kmem_alloc(k: Kernel, mm: object): void {
  alloc(k, "mm_struct", mm);
}

export function vma_kmem_alloc(k: Kernel, vma: object): void {
  alloc(k, "vm_area_struct", vma);
}

/** One anon_vma_chain link for this VMA (freed with the VMA). */
export function avc_kmem_alloc(k: Kernel, vma: object): void {
  alloc(k, "anon_vma_chain", vma);
}

export function anon_vma_kmem_alloc(k: Kernel, av: object): void {
  alloc(k, "anon_vma", av);
}

/** Everything a structure holds (vm_area_free, __mmdrop, anon_vma_free). */
export function mm_kmem_free(k: Kernel, owner: object): void {
  if (k.slab?.up) kobj_free(k, owner);
}
