/*
 * compaction.ts - memory compaction (Linux mm/compaction.c,
 * include/linux/compaction.h).
 *
 * This file holds the result codes the allocator's slow path reasons about.
 * The compaction engine itself (the migrate and free scanners) arrives with
 * the compaction issue and plugs in through Kernel.mm_hooks.try_to_compact_pages.
 */

/* enum compact_result */
export const COMPACT_NOT_SUITABLE_ZONE = 0;
export const COMPACT_SKIPPED = 1; // not enough free pages to compact
export const COMPACT_DEFERRED = 2; // recently failed at this order
export const COMPACT_NO_SUITABLE_PAGE = 3;
export const COMPACT_CONTINUE = 4;
export const COMPACT_COMPLETE = 5; // scanned the whole zone, nothing gained
export const COMPACT_PARTIAL_SKIPPED = 6;
export const COMPACT_CONTENDED = 7;
export const COMPACT_SUCCESS = 8; // a suitable page is free now

export function compaction_made_progress(result: number): boolean {
  return result === COMPACT_SUCCESS;
}

export function compaction_failed(result: number): boolean {
  return result === COMPACT_COMPLETE;
}
