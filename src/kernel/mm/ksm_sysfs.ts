/*
 * ksm_sysfs.ts - KSM's knobs and counters (Linux mm/ksm.c's ksm_attrs[]
 * under /sys/kernel/mm/ksm, and /proc/PID/ksm_merging_pages and ksm_stat
 * from fs/proc/base.c). The scanning itself is in ksm.ts.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { kstrtobool, kstrtoint, kstrtouint10 } from "../lib/kstrtox.js";
import { S_IFDIR, S_IFREG } from "../uapi/abi.js";
import { EBUSY, EINVAL } from "../uapi/errno.js";
import { KSM_RUN_MERGE, KSM_RUN_UNMERGE, ksm, wake_ksmd } from "./ksm.js";
import { unmerge_and_remove_all_rmap_items } from "./ksm_mm.js";
import type { MmStruct } from "./mm_struct.js";

function stable_node_counts(k: Kernel): { chains: number; dups: number } {
  let chains = 0;
  let dups = 0;
  for (const e of ksm(k).stable.values())
    if (e.chain) {
      chains++;
      dups += e.dups.length;
    }
  return { chains, dups };
}

function attr(
  name: string,
  show: (k: Kernel) => string,
  store?: (k: Kernel, text: string) => number,
): ProcEntry {
  return {
    name,
    mode: S_IFREG | (store ? 0o644 : 0o444),
    show: (k) => `${show(k)}\n`,
    write: store ? (k, _t, text) => store(k, text) : undefined,
  };
}

/** /sys/kernel/mm/ksm: the knobs and counters of ksm_attrs[] (merge_across_nodes with NUMA only). */
export function ksm_sysfs_entry(k: Kernel): ProcEntry {
  const s = ksm(k);
  const uint = (set: (v: number) => void) => (kk: Kernel, text: string) => {
    const v = kstrtouint10(text);
    if (v === null) return -EINVAL;
    set(v);
    wake_ksmd(kk);
    return text.length;
  };
  const files: ProcEntry[] = [
    attr(
      "sleep_millisecs",
      () => `${s.sleep_millisecs}`,
      uint((v) => {
        s.sleep_millisecs = v;
      }),
    ),
    attr(
      "pages_to_scan",
      () => `${s.pages_to_scan}`,
      uint((v) => {
        s.pages_to_scan = v;
      }),
    ),
    attr(
      "run",
      () => `${s.run}`,
      (kk, text) => {
        const v = kstrtouint10(text);
        if (v === null || v > KSM_RUN_UNMERGE) return -EINVAL;
        if (s.run !== v) {
          s.run = v;
          if (v & KSM_RUN_UNMERGE) {
            // The writer is the OOM killer's first choice while it copies everything back.
            const t = kk.sched.current;
            if (t) t.oom_flag_origin = true;
            const err = unmerge_and_remove_all_rmap_items(kk);
            if (t) t.oom_flag_origin = false;
            if (err) {
              s.run = 0;
              return err;
            }
          }
        }
        if (v & KSM_RUN_MERGE) wake_ksmd(kk);
        return text.length;
      },
    ),
    attr("pages_shared", () => `${s.pages_shared}`),
    attr("pages_sharing", () => `${s.pages_sharing}`),
    attr("pages_unshared", () => `${s.pages_unshared}`),
    attr(
      "pages_volatile",
      () => `${Math.max(0, s.rmap_items - s.pages_shared - s.pages_sharing - s.pages_unshared)}`,
    ),
    attr("full_scans", () => `${s.seqnr}`),
    attr(
      "max_page_sharing",
      () => `${s.max_page_sharing}`,
      (_kk, text) => {
        const [err, v] = kstrtoint(text);
        if (err) return err;
        if (v < 2) return -EINVAL;
        if (v !== s.max_page_sharing) {
          // Only while nothing is merged (remove_all_stable_nodes would have to succeed).
          if (s.pages_shared) return -EBUSY;
          s.max_page_sharing = v;
        }
        return text.length;
      },
    ),
    attr("stable_node_chains", (kk) => `${stable_node_counts(kk).chains}`),
    attr("stable_node_dups", (kk) => `${stable_node_counts(kk).dups}`),
    attr(
      "stable_node_chains_prune_millisecs",
      () => `${s.stable_node_chains_prune_millisecs}`,
      (_kk, text) => {
        const v = kstrtouint10(text);
        if (v === null) return -EINVAL;
        s.stable_node_chains_prune_millisecs = v;
        return text.length;
      },
    ),
    attr(
      "use_zero_pages",
      () => (s.use_zero_pages ? "1" : "0"),
      (_kk, text) => {
        const v = kstrtobool(text);
        if (v === null) return -EINVAL;
        s.use_zero_pages = v;
        return text.length;
      },
    ),
  ];
  if (k.cfg.NUMA)
    files.push(
      attr(
        "merge_across_nodes",
        () => `${s.merge_across_nodes}`,
        (_kk, text) => {
          const v = kstrtouint10(text);
          if (v === null || v > 1) return -EINVAL;
          if (v !== s.merge_across_nodes) {
            if (s.pages_shared) return -EBUSY;
            s.merge_across_nodes = v;
          }
          return text.length;
        },
      ),
    );
  return { name: "ksm", mode: S_IFDIR | 0o755, children: files };
}

/** /proc/PID/ksm_merging_pages and ksm_stat (6.1): the mm's merged pages and rmap_items. */
export function ksm_proc_counts(k: Kernel, mm: MmStruct | null): { merging: number; rmap_items: number } {
  const slot = mm ? ksm(k).by_mm.get(mm) : undefined;
  return { merging: slot?.merging ?? 0, rmap_items: slot?.rmap_items ?? 0 };
}

/** ksm_init: the sysfs directory. */
export function ksm_init(k: Kernel): void {
  k.sysfs_mm.push(ksm_sysfs_entry(k));
}
