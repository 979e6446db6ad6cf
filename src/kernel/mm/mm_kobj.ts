/*
 * mm_kobj.ts - the small /sys/kernel/mm directories of 6.1 that hold one
 * switch each: swap/vma_ra_enabled (Linux mm/swap_state.c swap_init_sysfs)
 * and numa/demotion_enabled (mm/memory-tiers.c numa_init_sysfs, NUMA
 * kernels only). The bigger ones have their own files: hugepages
 * (hugetlb.ts), ksm (ksm_sysfs.ts), lru_gen (lru_gen.ts).
 *
 * Both are kstrtobool switches read back as "true"/"false".
 * vma_ra_enabled chooses swap_vma_readahead over swap_cluster_readahead,
 * but only while no rotational swap device is on (swap_use_vma_readahead:
 * nr_rotate_swap == 0). mmbox's swap devices are a virtio disk, rotational
 * as far as the kernel knows, and zram, which bypasses the swap cache and
 * its readahead, so cluster readahead is the only one it needs and the
 * switch is kept without effect. demotion_enabled lets reclaim demote pages
 * to a slower memory tier; every node here is DRAM of one tier, so there is
 * nowhere to demote to and the switch is kept without effect too.
 */

import type { ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { kstrtobool } from "../lib/kstrtox.js";
import { S_IFDIR, S_IFREG } from "../uapi/abi.js";
import { EINVAL } from "../uapi/errno.js";

interface MmSwitches {
  /** enable_vma_readahead (default true). */
  vma_ra: boolean;
  /** numa_demotion_enabled (default false). */
  demotion: boolean;
}

const states = new WeakMap<Kernel, MmSwitches>();

function switches(k: Kernel): MmSwitches {
  let s = states.get(k);
  if (!s) {
    s = { vma_ra: true, demotion: false };
    states.set(k, s);
  }
  return s;
}

/** A directory holding one kstrtobool attribute (0644) shown as true/false. */
function bool_dir(dir: string, name: string, key: keyof MmSwitches): ProcEntry {
  return {
    name: dir,
    mode: S_IFDIR | 0o755,
    children: [
      {
        name,
        mode: S_IFREG | 0o644,
        show: (k) => `${switches(k)[key] ? "true" : "false"}\n`,
        write: (k, _t, text) => {
          const v = kstrtobool(text);
          if (v === null) return -EINVAL;
          switches(k)[key] = v;
          return text.length;
        },
      },
    ],
  };
}

/** swap_init_sysfs and numa_init_sysfs: the directories this kernel has. */
export function mm_kobj_entries(k: Kernel): ProcEntry[] {
  const out = [bool_dir("swap", "vma_ra_enabled", "vma_ra")];
  if (k.cfg.NUMA) out.push(bool_dir("numa", "demotion_enabled", "demotion"));
  return out;
}
