/*
 * gfp_types.ts - the allocation flags (Linux include/linux/gfp_types.h), in
 * a file of constants only so that the bundle puts their values in place
 * of every use (see page_flags.ts). gfp.ts re-exports them.
 */

export const __GFP_DMA = 0x01;
export const __GFP_HIGHMEM = 0x02;
export const __GFP_DMA32 = 0x04;
export const __GFP_MOVABLE = 0x08; // page can be moved by migration or reclaimed
export const __GFP_RECLAIMABLE = 0x10; // slab with SLAB_RECLAIM_ACCOUNT
export const __GFP_HIGH = 0x20; // may dip below the min watermark (half of it)
export const __GFP_IO = 0x40; // may start physical I/O
export const __GFP_FS = 0x80; // may call into the filesystem
export const __GFP_ZERO = 0x100; // return a zeroed page
export const __GFP_ATOMIC = 0x200; // cannot sleep, may use the highatomic reserve
export const __GFP_DIRECT_RECLAIM = 0x400; // may enter direct reclaim
export const __GFP_KSWAPD_RECLAIM = 0x800; // wake kswapd at the low watermark
export const __GFP_WRITE = 0x1000;
export const __GFP_NOWARN = 0x2000; // no warn_alloc report on failure
export const __GFP_RETRY_MAYFAIL = 0x4000;
export const __GFP_NOFAIL = 0x8000;
export const __GFP_NORETRY = 0x10000;
export const __GFP_MEMALLOC = 0x20000; // may use all reserves
export const __GFP_COMP = 0x40000; // compound page metadata
export const __GFP_NOMEMALLOC = 0x80000;
export const __GFP_HARDWALL = 0x100000; // cpuset memory policy
export const __GFP_THISNODE = 0x200000;
export const __GFP_ACCOUNT = 0x400000; // charge to kmemcg
export const __GFP_ZEROTAGS = 0x800000;

export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
export const GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;
export const GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE;

export const GFP_ATOMIC = __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM;
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
export const GFP_NOIO = __GFP_RECLAIM;
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
export const GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
export const GFP_DMA = __GFP_DMA;
export const GFP_DMA32 = __GFP_DMA32;
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
export const GFP_TRANSHUGE_LIGHT =
  (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM;
export const GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;
