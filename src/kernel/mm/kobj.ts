/*
 * kobj.ts - the slab objects of kernel structures the simulation keeps as
 * JavaScript objects (mmbox's glue; Linux has no such layer: there the
 * struct is the slab object).
 *
 * A Task, a Dentry, an Inode, a File, a module... is a JS object; the slab
 * object that would hold it in Linux is allocated for it and hangs off it
 * (a WeakMap from the JS object to its addresses, in SlabState.owners), so
 * that whoever frees the structure frees everything it owns with one call:
 *
 *   kobj_alloc(k, kmem_cache_lookup(k, "dentry"), d)   d_alloc
 *   kobj_kmalloc(k, 40, d, GFP_KERNEL_ACCOUNT)          its external name
 *   kobj_free(k, d)                                     __d_free: both
 */

import type { Kernel } from "../kernel.js";
import { GFP_KERNEL } from "./gfp.js";
import type { KmemCache } from "./slab.js";
import { kfree, kmalloc, ZERO_SIZE_PTR } from "./slab_common.js";
import { slab_alloc, virt_to_slab } from "./slub.js";

/** kobj_alloc: an object of cache s that `owner` holds (freed with kobj_free). 0 on failure. */
export function kobj_alloc(k: Kernel, s: KmemCache, owner: object, gfp = GFP_KERNEL): number {
  const addr = slab_alloc(k, s, gfp, "");
  if (addr) push_owned(k, owner, addr);
  return addr;
}

/** kobj_kmalloc: a kmalloc'd block that `owner` holds. */
export function kobj_kmalloc(k: Kernel, size: number, owner: object, gfp = GFP_KERNEL): number {
  const addr = kmalloc(k, size, gfp);
  if (addr > ZERO_SIZE_PTR) push_owned(k, owner, addr);
  return addr;
}

function push_owned(k: Kernel, owner: object, addr: number): void {
  const list = k.slab.owners.get(owner);
  if (list) list.push(addr);
  else k.slab.owners.set(owner, [addr]);
}

/** kobj_free: frees everything `owner` holds. */
export function kobj_free(k: Kernel, owner: object): void {
  const list = k.slab.owners.get(owner);
  if (!list) return;
  k.slab.owners.delete(owner);
  for (const addr of list) kfree(k, addr);
}

/** kobj_free_one: frees the object of cache s that `owner` holds (the newest one). */
export function kobj_free_one(k: Kernel, owner: object, s: KmemCache): void {
  const list = k.slab.owners.get(owner);
  if (!list) return;
  for (let i = list.length - 1; i >= 0; i--) {
    const slab = virt_to_slab(k, list[i]);
    if (slab?.cache === s) {
      const [addr] = list.splice(i, 1);
      kfree(k, addr);
      return;
    }
  }
}

/** kobj_count: how many objects an owner holds (for tests). */
export function kobj_count(k: Kernel, owner: object): number {
  return k.slab.owners.get(owner)?.length ?? 0;
}
