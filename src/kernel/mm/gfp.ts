/*
 * gfp.ts - GFP flags: what an allocation may do and where it may come from
 * (Linux include/linux/gfp_types.h, include/linux/gfp.h).
 *
 * Zone modifiers pick the highest zone an allocation may use (gfp_zone), the
 * mobility bits pick the migrate type (gfp_migratetype), the reclaim bits say
 * whether the slow path may wake kswapd or reclaim directly.
 */

import {
  __GFP_ACCOUNT,
  __GFP_ATOMIC,
  __GFP_COMP,
  __GFP_DIRECT_RECLAIM,
  __GFP_FS,
  __GFP_HARDWALL,
  __GFP_HIGH,
  __GFP_HIGHMEM,
  __GFP_IO,
  __GFP_KSWAPD_RECLAIM,
  __GFP_MEMALLOC,
  __GFP_MOVABLE,
  __GFP_NOFAIL,
  __GFP_NOMEMALLOC,
  __GFP_NORETRY,
  __GFP_NOWARN,
  __GFP_RECLAIM,
  __GFP_RECLAIMABLE,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
  __GFP_WRITE,
  __GFP_ZERO,
  __GFP_ZEROTAGS,
  GFP_ATOMIC,
  GFP_DMA,
  GFP_DMA32,
  GFP_HIGHUSER,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_KERNEL_ACCOUNT,
  GFP_NOFS,
  GFP_NOIO,
  GFP_NOWAIT,
  GFP_TRANSHUGE,
  GFP_TRANSHUGE_LIGHT,
  GFP_USER,
} from "./gfp_types.js";
import { MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE } from "./mmzone.js";

export * from "./gfp_types.js";

/** The names %pGg prints, most composite first (trace/events/mmflags.h). */
const gfpflag_names: readonly [number, string][] = [
  [GFP_TRANSHUGE, "GFP_TRANSHUGE"],
  [GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"],
  [GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"],
  [GFP_HIGHUSER, "GFP_HIGHUSER"],
  [GFP_USER, "GFP_USER"],
  [GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"],
  [GFP_KERNEL, "GFP_KERNEL"],
  [GFP_NOFS, "GFP_NOFS"],
  [GFP_ATOMIC, "GFP_ATOMIC"],
  [GFP_NOIO, "GFP_NOIO"],
  [GFP_NOWAIT, "GFP_NOWAIT"],
  [GFP_DMA, "GFP_DMA"],
  [__GFP_HIGHMEM, "__GFP_HIGHMEM"],
  [GFP_DMA32, "GFP_DMA32"],
  [__GFP_HIGH, "__GFP_HIGH"],
  [__GFP_ATOMIC, "__GFP_ATOMIC"],
  [__GFP_IO, "__GFP_IO"],
  [__GFP_FS, "__GFP_FS"],
  [__GFP_NOWARN, "__GFP_NOWARN"],
  [__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"],
  [__GFP_NOFAIL, "__GFP_NOFAIL"],
  [__GFP_NORETRY, "__GFP_NORETRY"],
  [__GFP_COMP, "__GFP_COMP"],
  [__GFP_ZERO, "__GFP_ZERO"],
  [__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"],
  [__GFP_MEMALLOC, "__GFP_MEMALLOC"],
  [__GFP_HARDWALL, "__GFP_HARDWALL"],
  [__GFP_THISNODE, "__GFP_THISNODE"],
  [__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"],
  [__GFP_MOVABLE, "__GFP_MOVABLE"],
  [__GFP_ACCOUNT, "__GFP_ACCOUNT"],
  [__GFP_WRITE, "__GFP_WRITE"],
  [__GFP_RECLAIM, "__GFP_RECLAIM"],
  [__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"],
  [__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"],
  [__GFP_ZEROTAGS, "__GFP_ZEROTAGS"],
];

/** "0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)" as %#x(%pGg) prints it. */
export function format_gfp(gfp: number): string {
  let rest = gfp;
  const parts: string[] = [];
  for (const [mask, name] of gfpflag_names) {
    if (mask !== 0 && (rest & mask) === mask) {
      parts.push(name);
      rest &= ~mask;
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  return `0x${gfp.toString(16)}(${parts.length ? parts.join("|") : "none"})`;
}

/** gfp_migratetype: MOVABLE, RECLAIMABLE or UNMOVABLE from the mobility bits. */
export function gfp_migratetype(gfp: number): number {
  if (gfp & __GFP_MOVABLE) return MIGRATE_MOVABLE;
  if (gfp & __GFP_RECLAIMABLE) return MIGRATE_RECLAIMABLE;
  return MIGRATE_UNMOVABLE;
}

export function gfpflags_allow_blocking(gfp: number): boolean {
  return (gfp & __GFP_DIRECT_RECLAIM) !== 0;
}
