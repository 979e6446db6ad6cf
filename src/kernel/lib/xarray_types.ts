/*
 * xarray_types.ts - the xarray's shape constants (Linux include/linux/xarray.h),
 * in a file of constants only: with no imports and no code, the bundler
 * writes each one into every use (xa_account runs for every swap cache and
 * page cache change).
 */

/** XA_CHUNK_SHIFT: a node has 2^6 = 64 slots. */
export const XA_CHUNK_SHIFT = 6;
export const XA_CHUNK_SIZE = 64;
/** Levels of nodes: 2^36 indices, any file or swap area the simulation can hold. */
export const XA_MAX_LEVELS = 6;
