/*
 * kmem_init.ts - where the kernel object allocators join the boot
 * (Linux init/main.c mm_core_init: kmem_cache_init, vmalloc_init; then the
 * initcalls that create caches and map devices).
 *
 *   @slub      kmem_cache_init (bootstrap caches, kmalloc), the named
 *              caches, vmalloc_init and the early vmalloc users (IRQ
 *              stacks, interrupt controller and timer ioremaps)
 *   @smp       the idle tasks' stacks of the secondary CPUs
 *   @devtmpfs  driver_init: the boot population of the caches
 *   @dma_pools the later vmalloc users (DMA pool remap, percpu chunks...)
 *
 * It also registers what the allocators show (/proc/slabinfo,
 * /proc/vmallocinfo, /proc/modules, /sys/kernel/debug/highmem) and the
 * hooks others call (drop_caches 2, task exit).
 */

import { file } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { highmem_debugfs_entry, new_highmem_state } from "../mm/highmem.js";
import { kmem_caches_create, kmem_caches_populate } from "../mm/kmem_caches.js";
import { drop_slab } from "../mm/shrinker.js";
import { new_slab_state } from "../mm/slab.js";
import { kmem_cache_init, slabinfo_show } from "../mm/slab_common.js";
import { new_vmap_state, vmalloc_init, vmallocinfo_show } from "../mm/vmalloc.js";
import { vmalloc_boot_early, vmalloc_boot_late, vmalloc_boot_smp } from "../mm/vmalloc_boot.js";
import { workingset_init } from "../mm/workingset.js";
import { modules_show, new_module_state } from "../module/main.js";
import { exit_task_kmem } from "../sched/task_kmem.js";
import { S_IFREG } from "../uapi/abi.js";
import type { BootState } from "./main.js";

/** The allocator fields of a new Kernel, at their pre-boot values. */
export function kmem_fields(): Pick<
  Kernel,
  "slab" | "vmap" | "pkmap" | "modules" | "shrinker_list" | "tainted_mask"
> {
  return {
    slab: new_slab_state(),
    vmap: new_vmap_state(),
    pkmap: new_highmem_state(),
    modules: new_module_state(),
    shrinker_list: [],
    tainted_mask: 0,
  };
}

/** @slub: mm_core_init's kmem_cache_init and vmalloc_init, and what they show. */
export function kmem_init(k: Kernel): void {
  kmem_cache_init(k);
  kmem_caches_create(k);
  vmalloc_init(k);
  vmalloc_boot_early(k);
  k.proc_extra.push(
    file("slabinfo", (kk) => slabinfo_show(kk), { mode: S_IFREG | 0o400 }),
    file("vmallocinfo", (kk) => vmallocinfo_show(kk), { mode: S_IFREG | 0o400 }),
    file("modules", (kk) => modules_show(kk), { mode: S_IFREG | 0o444 }),
  );
  if (k.cfg.HIGHMEM) k.debugfs_extra.push(highmem_debugfs_entry());
  k.mm_hooks.drop_slab = drop_slab;
  workingset_init(k);
  k.sched.on_exit.push((t) => exit_task_kmem(k, t));
}

/** @smp: the secondary CPUs' idle stacks. */
export function kmem_smp_init(k: Kernel): void {
  vmalloc_boot_smp(k);
}

/** @devtmpfs (driver_init): the caches' boot population. */
export function kmem_driver_init(k: Kernel): void {
  kmem_caches_populate(k);
}

/** @dma_pools: the vmalloc users of the initcalls. */
export function kmem_late_init(k: Kernel, bs: BootState): void {
  vmalloc_boot_late(k, bs);
}
