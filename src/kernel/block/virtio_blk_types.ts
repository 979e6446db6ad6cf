/*
 * virtio_blk_types.ts - the latency model of a virtio disk (virtio_blk.ts),
 * in a file of constants only: with no imports and no code, the bundler
 * writes each one into every use (a disk's cost is asked for every page
 * swapped out to it).
 */

/** One request: ~100 us of latency (virtqueue kick, host I/O, interrupt). */
export const REQUEST_NS = 100_000;
/** Then ~500 MB/s: 8 us a page. */
export const PAGE_NS = 8_000;
