/*
 * util.ts - where a new process's address space puts things (Linux
 * mm/util.c arch_pick_mmap_layout, randomize_stack_top, randomize_page;
 * arch/x86/mm/mmap.c; arch/arm/mm/mmap.c; arch/arm64/mm/mmap.c).
 *
 * With address-space randomisation (kernel.randomize_va_space = 2, the
 * default), exec picks at random, from the machine's seed:
 *
 *   the stack top      below TASK_SIZE by up to STACK_RND_MASK pages
 *   mmap_base          below the stack by the stack rlimit plus a guard and
 *                      the stack's own random range (at least 128 MiB),
 *                      then lower by up to 2^mmap_rnd_bits pages
 *   the heap start     above the end of bss by up to 32 MiB (32-bit) or
 *                      1 GiB (64-bit)
 *
 * mmap() then hands out addresses top-down below mmap_base.
 */

import type { Kernel } from "../kernel.js";

const PAGE_SIZE = 4096;
const MiB = 1024 * 1024;

/** The user address-space constants of an architecture. */
export interface UserLayout {
  /** TASK_SIZE: the first address user space cannot use. */
  task_size: number;
  /** STACK_RND_MASK, in pages. */
  stack_rnd_pages: number;
  /** mmap_rnd_bits (pages). */
  mmap_rnd_bits: number;
  /** arch_randomize_brk's range. */
  brk_rnd: number;
  /** Bytes of a pointer on the user stack. */
  ptr: number;
  /** The AT_PLATFORM string. */
  platform: string;
}

export function user_layout(k: Kernel): UserLayout {
  switch (k.profile.arch) {
    case "arm":
      // TASK_SIZE = PAGE_OFFSET - 16 MiB (the modules area sits between).
      return {
        task_size: 0xbf000000,
        stack_rnd_pages: 0x7ff,
        mmap_rnd_bits: 8,
        brk_rnd: 32 * MiB,
        ptr: 4,
        platform: "v7l",
      };
    case "x86_64":
      return {
        task_size: 2 ** 47 - PAGE_SIZE,
        stack_rnd_pages: 0x3fffff,
        mmap_rnd_bits: 28,
        brk_rnd: 1024 * MiB,
        ptr: 8,
        platform: "x86_64",
      };
    default:
      return {
        task_size: 2 ** 48,
        stack_rnd_pages: 0x3ffff,
        mmap_rnd_bits: 18,
        brk_rnd: 1024 * MiB,
        ptr: 8,
        platform: "aarch64",
      };
  }
}

/** randomize_va_space as a number (0 turns randomisation off). */
function randomize(k: Kernel): boolean {
  return k.randomize_va_space !== 0;
}

/** A random page count in [0, n). */
function rnd_pages(k: Kernel, n: number): number {
  return n > 0 ? k.prng.below(n) : 0;
}

/** randomize_stack_top: STACK_TOP lowered by a random number of pages. */
export function randomize_stack_top(k: Kernel, L: UserLayout): number {
  if (!randomize(k)) return L.task_size;
  return L.task_size - rnd_pages(k, L.stack_rnd_pages + 1) * PAGE_SIZE;
}

/** mmap_base (the legacy bottom-up layout is not used: RLIMIT_STACK is finite). */
export function mmap_base(k: Kernel, L: UserLayout, rlim_stack: number): number {
  const guard = 256 * PAGE_SIZE;
  const stack_rnd = randomize(k) ? (L.stack_rnd_pages + 1) * PAGE_SIZE : 0;
  let gap = (rlim_stack < 0 ? 8 * MiB : rlim_stack) + guard + stack_rnd;
  const MIN_GAP = 128 * MiB;
  const MAX_GAP = Math.floor(L.task_size / 6) * 5;
  gap = Math.min(Math.max(gap, MIN_GAP), MAX_GAP);
  const rnd = randomize(k) ? rnd_pages(k, 2 ** L.mmap_rnd_bits) * PAGE_SIZE : 0;
  return Math.floor((L.task_size - gap - rnd) / PAGE_SIZE) * PAGE_SIZE;
}

/** arch_randomize_brk: the heap starts somewhere in [brk, brk + range). */
export function randomize_brk(k: Kernel, L: UserLayout, brk: number): number {
  if (!randomize(k)) return brk;
  return brk + rnd_pages(k, L.brk_rnd / PAGE_SIZE) * PAGE_SIZE;
}

/** A random page-aligned address in [lo, hi] for npages pages (the vdso, ARM's sigpage). */
export function random_slot(k: Kernel, lo: number, hi: number, npages: number): number {
  const slots = Math.floor((hi - lo) / PAGE_SIZE) - npages + 1;
  if (slots <= 1 || !randomize(k)) return lo;
  return lo + rnd_pages(k, slots) * PAGE_SIZE;
}
