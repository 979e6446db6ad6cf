/*
 * swap_types.ts - the swap layer's constants (Linux include/linux/swap.h,
 * include/linux/swap_slots.h), in a file of constants only: with no imports
 * and no code, the bundler writes each one into every use (a constant
 * declared beside code that imports values stays a module variable, loaded
 * at each use). swapfile.ts, swap_slots.ts and swap_state.ts use them.
 */

/**
 * A bad slot (and the header). Linux keeps counts in a byte, 0x3f meaning
 * bad, and chains continuation pages for counts past SWAP_MAP_MAX (0x3e):
 * here the count has 32 bits, so a slot shared by many PTEs (a KSM page
 * swapped out, a page forked a hundred times) needs no continuation.
 */
export const SWAP_MAP_BAD = 0xffffffff;

/** SWAP_ADDRESS_SPACE_SHIFT 14: slots per swap cache address_space, and the mask of a slot's index in it. */
export const SWAP_ADDRESS_SPACE_PAGES = 16384;
export const SWAP_ADDRESS_SPACE_MASK = 16383;

/** SWAP_SLOTS_CACHE_SIZE (SWAP_BATCH): the slots a CPU's swap slots cache takes or gives back at a time. */
export const SWAP_SLOTS_CACHE_SIZE = 64;
/** The slots cache is used over 5 batches of free swap per CPU, and drained under 2. */
export const THRESHOLD_ACTIVATE_SWAP_SLOTS_CACHE = 320;
export const THRESHOLD_DEACTIVATE_SWAP_SLOTS_CACHE = 128;
