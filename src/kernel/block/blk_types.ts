/*
 * blk_types.ts - the block layer's constants (Linux include/linux/blk_types.h
 * and the queue limits genhd.ts models), in a file of constants only: with
 * no imports and no code, the bundler writes each one into every use
 * (account_io runs for every page swapped out).
 */

export const PAGE_SIZE = 4096;
export const SECTOR_SIZE = 512;
/** A page in 512-byte sectors (PAGE_SECTORS). */
export const PAGE_SECTORS = 8;

/** CPU time to build and submit one request (the block layer and the driver's kick). */
export const SUBMIT_NS = 2_000;
/** Requests a disk queue holds (virtio-blk's ring): beyond them a writer waits its turn. */
export const QUEUE_DEPTH = 256;
/** The largest request the block layer builds by merging (max_sectors_kb 1280 would allow more; 1 MiB here). */
export const MAX_MERGE_PAGES = 256;
