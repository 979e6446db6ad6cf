/*
 * huge_memory_sysfs.ts - /sys/kernel/mm/transparent_hugepage (Linux
 * mm/huge_memory.c hugepage_attr[], mm/shmem.c shmem_enabled_attr,
 * mm/khugepaged.c khugepaged_attr[]).
 *
 *   transparent_hugepage/
 *     enabled          [always] madvise never        (0644)
 *     defrag           always defer defer+madvise [madvise] never
 *     use_zero_page    0 or 1
 *     hpage_pmd_size   2097152                        (0444)
 *     shmem_enabled    always within_size advise [never] deny force
 *     khugepaged/      defrag, max_ptes_none, max_ptes_swap,
 *                      max_ptes_shared, pages_to_scan,
 *                      scan_sleep_millisecs, alloc_sleep_millisecs,
 *                      pages_collapsed and full_scans (0444)
 *
 * Each store validates as the kernel's does and says -EINVAL otherwise:
 * the word files take exactly one of their words (sysfs_streq: a trailing
 * newline allowed), the number files kstrtoul/kstrtouint in base 10 with
 * their range checks. The state lives in huge_mm.ts.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { kstrtouint10, kstrtoul10 } from "../lib/kstrtox.js";
import { S_IFDIR, S_IFREG } from "../uapi/abi.js";
import { EINVAL } from "../uapi/errno.js";
import { huge_memory_init } from "./huge_memory.js";
import {
  HPAGE_PMD_NR,
  HPAGE_PMD_SIZE,
  SHMEM_HUGE_ADVISE,
  SHMEM_HUGE_ALWAYS,
  SHMEM_HUGE_DENY,
  SHMEM_HUGE_FORCE,
  SHMEM_HUGE_NEVER,
  SHMEM_HUGE_WITHIN_SIZE,
  type ThpState,
  TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG,
  TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG,
  TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG,
  TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG,
  TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG,
  TRANSPARENT_HUGEPAGE_FLAG,
  TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG,
  TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG,
  thp,
} from "./huge_mm.js";
import { wake_khugepaged } from "./khugepaged.js";

/** sysfs_streq: equal, ignoring one trailing newline on either side. */
function sysfs_streq(a: string, b: string): boolean {
  const strip = (s: string): string => (s.endsWith("\n") ? s.slice(0, -1) : s);
  return strip(a) === strip(b);
}

function attr(
  name: string,
  show: (s: ThpState) => string,
  store?: (s: ThpState, text: string, k: Kernel) => number,
): ProcEntry {
  return {
    name,
    mode: S_IFREG | (store ? 0o644 : 0o444),
    show: (k) => show(thp(k)),
    write: store ? (k, _t, text) => store(thp(k), text, k) : undefined,
  };
}

/**
 * A choice among words, shown with the current one in brackets (the
 * enabled and defrag files): choices pairs each word with the flag bits
 * it stands for, within mask.
 */
function choice_attr(name: string, mask: number, choices: readonly [string, number][]): ProcEntry {
  return attr(
    name,
    (s) => `${choices.map(([w, bits]) => ((s.flags & mask) === bits ? `[${w}]` : w)).join(" ")}\n`,
    (s, text, k) => {
      const c = choices.find(([w]) => sysfs_streq(text, w));
      if (!c) return -EINVAL;
      s.flags = (s.flags & ~mask) | c[1];
      // enabled_store's start_stop_khugepaged: khugepaged looks at its list again.
      if (name === "enabled") wake_khugepaged(k);
      return text.length;
    },
  );
}

/** single_hugepage_flag_show/store: "0" or "1" (kstrtoul, more than 1 is -EINVAL). */
function flag_attr(name: string, bit: number): ProcEntry {
  return attr(
    name,
    (s) => `${s.flags & bit ? 1 : 0}\n`,
    (s, text) => {
      const v = kstrtoul10(text);
      if (v === null || v > 1) return -EINVAL;
      s.flags = v ? s.flags | bit : s.flags & ~bit;
      return text.length;
    },
  );
}

const ENABLED: readonly [string, number][] = [
  ["always", TRANSPARENT_HUGEPAGE_FLAG],
  ["madvise", TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG],
  ["never", 0],
];

/* The defrag words in the order the file shows them (the store tries defer+madvise before defer: same result). */
const DEFRAG: readonly [string, number][] = [
  ["always", TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG],
  ["defer", TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG],
  ["defer+madvise", TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG],
  ["madvise", TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG],
  ["never", 0],
];
const DEFRAG_MASK =
  TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG |
  TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG |
  TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG |
  TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG;

/** shmem_format_huge's words, in shmem_enabled_show's order. */
const SHMEM_HUGE: readonly [string, number][] = [
  ["always", SHMEM_HUGE_ALWAYS],
  ["within_size", SHMEM_HUGE_WITHIN_SIZE],
  ["advise", SHMEM_HUGE_ADVISE],
  ["never", SHMEM_HUGE_NEVER],
  ["deny", SHMEM_HUGE_DENY],
  ["force", SHMEM_HUGE_FORCE],
];

/**
 * shmem_enabled_store: the text (at most 11 bytes, one trailing newline
 * dropped) must be one of the words exactly.
 */
function shmem_enabled_store(s: ThpState, text: string): number {
  if (text.length + 1 > 12) return -EINVAL;
  const word = text.endsWith("\n") ? text.slice(0, -1) : text;
  const c = SHMEM_HUGE.find(([w]) => w === word);
  if (!c) return -EINVAL;
  s.shmem_huge = c[1];
  return text.length;
}

/** A khugepaged number: kstrtoul (or kstrtouint), then its range check. */
function khugepaged_attr(
  name: string,
  get: (s: ThpState) => number,
  set: (s: ThpState, v: number) => void,
  parse: (text: string) => number | null,
  ok: (v: number) => boolean,
): ProcEntry {
  return attr(
    name,
    (s) => `${get(s)}\n`,
    (s, text, k) => {
      const v = parse(text);
      if (v === null || !ok(v)) return -EINVAL;
      set(s, v);
      // A new sleep length takes effect at once (khugepaged_sleep_expire = 0, wake_up).
      if (name.endsWith("_sleep_millisecs")) wake_khugepaged(k, true);
      return text.length;
    },
  );
}

function khugepaged_dir(): ProcEntry {
  const ptes = (v: number): boolean => v <= HPAGE_PMD_NR - 1;
  const any = (): boolean => true;
  return {
    name: "khugepaged",
    mode: S_IFDIR | 0o755,
    children: [
      flag_attr("defrag", TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG),
      khugepaged_attr(
        "max_ptes_none",
        (s) => s.khugepaged_max_ptes_none,
        (s, v) => {
          s.khugepaged_max_ptes_none = v;
        },
        kstrtoul10,
        ptes,
      ),
      khugepaged_attr(
        "max_ptes_swap",
        (s) => s.khugepaged_max_ptes_swap,
        (s, v) => {
          s.khugepaged_max_ptes_swap = v;
        },
        kstrtoul10,
        ptes,
      ),
      khugepaged_attr(
        "max_ptes_shared",
        (s) => s.khugepaged_max_ptes_shared,
        (s, v) => {
          s.khugepaged_max_ptes_shared = v;
        },
        kstrtoul10,
        ptes,
      ),
      khugepaged_attr(
        "pages_to_scan",
        (s) => s.khugepaged_pages_to_scan,
        (s, v) => {
          s.khugepaged_pages_to_scan = v;
        },
        kstrtouint10,
        (v) => v !== 0,
      ),
      attr("pages_collapsed", (s) => `${s.khugepaged_pages_collapsed}\n`),
      attr("full_scans", (s) => `${s.khugepaged_full_scans}\n`),
      khugepaged_attr(
        "scan_sleep_millisecs",
        (s) => s.khugepaged_scan_sleep_millisecs,
        (s, v) => {
          s.khugepaged_scan_sleep_millisecs = v;
        },
        kstrtouint10,
        any,
      ),
      khugepaged_attr(
        "alloc_sleep_millisecs",
        (s) => s.khugepaged_alloc_sleep_millisecs,
        (s, v) => {
          s.khugepaged_alloc_sleep_millisecs = v;
        },
        kstrtouint10,
        any,
      ),
    ],
  };
}

/** hugepage_init_sysfs: the directory, only on kernels built with THP. */
export function hugepage_sysfs_entry(): ProcEntry {
  return {
    name: "transparent_hugepage",
    mode: S_IFDIR | 0o755,
    children: [
      choice_attr("enabled", TRANSPARENT_HUGEPAGE_FLAG | TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG, ENABLED),
      choice_attr("defrag", DEFRAG_MASK, DEFRAG),
      flag_attr("use_zero_page", TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG),
      attr("hpage_pmd_size", () => `${HPAGE_PMD_SIZE}\n`),
      attr(
        "shmem_enabled",
        (s) => `${SHMEM_HUGE.map(([w, v]) => (s.shmem_huge === v ? `[${w}]` : w)).join(" ")}\n`,
        shmem_enabled_store,
      ),
      khugepaged_dir(),
    ],
  };
}

/** hugepage_init: the sysfs directory and the deferred split shrinker (CONFIG_TRANSPARENT_HUGEPAGE only). */
export function hugepage_init(k: Kernel): void {
  if (!k.cfg.TRANSPARENT_HUGEPAGE) return;
  thp(k);
  k.sysfs_mm.push(hugepage_sysfs_entry());
  huge_memory_init(k);
}
