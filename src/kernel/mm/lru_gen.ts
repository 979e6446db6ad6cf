/*
 * lru_gen.ts - /sys/kernel/mm/lru_gen, the knobs of the multi-gen LRU
 * (Linux mm/vmscan.c, "sysfs interface" of CONFIG_LRU_GEN).
 *
 * The reference kernels are built with CONFIG_LRU_GEN=y and
 * CONFIG_LRU_GEN_ENABLED unset, so MGLRU is present but off and reclaim
 * uses the two active/inactive lists - which is what mmbox's vmscan
 * models. The files take and keep their values as 6.1 does (enabled reads
 * back the capabilities written, min_ttl_ms the ttl rounded to jiffies),
 * but MGLRU itself is not modelled: turning it on changes nothing else.
 *
 *   enabled     0x%04x of the capabilities on: bit 0 LRU_GEN_CORE, bit 1
 *               LRU_GEN_MM_WALK (only where the MMU sets the accessed bit
 *               itself: x86), bit 2 LRU_GEN_NONLEAF_YOUNG (x86's non-leaf
 *               PMD accessed bit). Writes: "y", "n" or a number.
 *   min_ttl_ms  the thrashing-prevention ttl, kept in jiffies.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { kstrtouint } from "../lib/kstrtox.js";
import { S_IFDIR, S_IFREG } from "../uapi/abi.js";
import { EINVAL } from "../uapi/errno.js";

/* enum lru_gen_caps */
const LRU_GEN_CORE = 0;
const LRU_GEN_MM_WALK = 1;
const LRU_GEN_NONLEAF_YOUNG = 2;
const NR_LRU_GEN_CAPS = 3;

interface LruGenState {
  /** lru_gen_caps[]: the static branches that are on. */
  caps: number;
  /** lru_gen_min_ttl, in jiffies. */
  min_ttl: bigint;
}

const states = new WeakMap<Kernel, LruGenState>();

function lru_gen(k: Kernel): LruGenState {
  let s = states.get(k);
  if (!s) {
    s = { caps: 0, min_ttl: 0n }; // CONFIG_LRU_GEN_ENABLED unset
    states.set(k, s);
  }
  return s;
}

/** show_enabled: only the capabilities this machine can have read back. */
function show_enabled(k: Kernel): string {
  const s = lru_gen(k);
  const x86 = k.profile.arch === "x86_64";
  let caps = 0;
  if (s.caps & (1 << LRU_GEN_CORE)) caps |= 1 << LRU_GEN_CORE;
  // arch_has_hw_pte_young(): x86 sets the accessed bit in hardware; QEMU's ARM CPUs here do not.
  if (x86 && s.caps & (1 << LRU_GEN_MM_WALK)) caps |= 1 << LRU_GEN_MM_WALK;
  // CONFIG_ARCH_HAS_NONLEAF_PMD_YOUNG: x86 only.
  if (x86 && s.caps & (1 << LRU_GEN_NONLEAF_YOUNG)) caps |= 1 << LRU_GEN_NONLEAF_YOUNG;
  return `0x${caps.toString(16).padStart(4, "0")}\n`;
}

/** store_enabled: 'n'/'N' clears every capability, 'y'/'Y' sets them all, else a number in base 0. */
function store_enabled(k: Kernel, text: string): number {
  let caps: number;
  const c = text[0]?.toLowerCase();
  if (c === "n") caps = 0;
  else if (c === "y") caps = 0xffffffff;
  else {
    const v = kstrtouint(text);
    if (v === null) return -EINVAL;
    caps = v;
  }
  lru_gen(k).caps = caps & ((1 << NR_LRU_GEN_CAPS) - 1);
  return text.length;
}

/** jiffies_to_msecs: an unsigned int, so it wraps. */
function jiffies_to_msecs(k: Kernel, j: bigint): number {
  return Number((j * BigInt(1000 / k.clock.hz)) & 0xffffffffn);
}

/** MAX_JIFFY_OFFSET: (LONG_MAX >> 1) - 1. */
function max_jiffy_offset(k: Kernel): bigint {
  return (1n << BigInt(k.profile.pointerBits - 2)) - 2n;
}

/** store_min_ttl: msecs_to_jiffies (rounding up, capped at MAX_JIFFY_OFFSET); show turns it back into ms. */
function store_min_ttl(k: Kernel, text: string): number {
  const ms = kstrtouint(text);
  if (ms === null) return -EINVAL;
  const max = max_jiffy_offset(k);
  lru_gen(k).min_ttl = ms > jiffies_to_msecs(k, max) ? max : BigInt(Math.ceil((ms * k.clock.hz) / 1000));
  return text.length;
}

/** /sys/kernel/mm/lru_gen (lru_gen_attr_group). */
export function lru_gen_sysfs_entry(): ProcEntry {
  return {
    name: "lru_gen",
    mode: S_IFDIR | 0o755,
    children: [
      {
        name: "enabled",
        mode: S_IFREG | 0o644,
        show: (kk) => show_enabled(kk),
        write: (kk, _t, text) => store_enabled(kk, text),
      },
      {
        name: "min_ttl_ms",
        mode: S_IFREG | 0o644,
        show: (kk) => `${jiffies_to_msecs(kk, lru_gen(kk).min_ttl)}\n`,
        write: (kk, _t, text) => store_min_ttl(kk, text),
      },
    ],
  };
}
