/*
 * mm_costs.ts - the simulated CPU time (ns, on the model machine) that the
 * page-fault and page-table paths charge to the task (memory.ts, fault.ts,
 * anon_fault_run.ts), in a file of constants only: the bundler puts their
 * values in place of every use (esbuild inlines constants from a file that
 * imports nothing), so the per-page loops add immediates.
 */

/** A fault: exception entry and return, find_vma, the walk, rmap and LRU. */
export const FAULT_COST = 1200;
/** clear_page: 4 KiB at ~6 GB/s. */
export const CLEAR_PAGE_COST = 700;
export const COPY_PAGE_COST = 400;
/** Per PTE copied at fork, and per page unmapped (zap): the loops over the tables. */
export const COPY_PTE_COST = 15;
export const ZAP_PTE_COST = 25;
/** A store or load over a mapped page: ~4 KiB at ~13 GB/s (user time). */
export const TOUCH_COST = 300;
/** A TLB miss's walk. */
export const TLB_MISS_COST = 30;
