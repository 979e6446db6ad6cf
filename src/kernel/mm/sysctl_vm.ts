/*
 * sysctl_vm.ts - the tunables of /proc/sys/vm (Linux
 * Documentation/admin-guide/sysctl/vm.rst), with their 6.1 defaults.
 * The procfs handlers that read and validate writes live in
 * fs/proc/proc_sysctl.ts; the subsystems read the values from here.
 */

export interface VmSysctl {
  min_free_kbytes: number;
  user_min_free_kbytes: number; // -1 until written by the user
  watermark_scale_factor: number;
  watermark_boost_factor: number;
  lowmem_reserve_ratio: number[]; // one per zone type
  percpu_pagelist_high_fraction: number;
  admin_reserve_kbytes: number;
  user_reserve_kbytes: number;
  overcommit_memory: number;
  overcommit_ratio: number;
  overcommit_kbytes: number;
  swappiness: number;
  vfs_cache_pressure: number;
  dirty_background_ratio: number;
  dirty_background_bytes: number;
  dirty_ratio: number;
  dirty_bytes: number;
  dirty_expire_centisecs: number;
  dirty_writeback_centisecs: number;
  dirtytime_expire_seconds: number;
  extfrag_threshold: number;
  compaction_proactiveness: number;
  compact_unevictable_allowed: number;
  drop_caches: number;
  highmem_is_dirtyable: number;
  laptop_mode: number;
  legacy_va_layout: number;
  max_map_count: number;
  mmap_min_addr: number;
  mmap_rnd_bits: number;
  oom_dump_tasks: number;
  oom_kill_allocating_task: number;
  page_cluster: number;
  page_lock_unfairness: number;
  panic_on_oom: number;
  stat_interval: number;
  unprivileged_userfaultfd: number;
  nr_hugepages: number;
  nr_overcommit_hugepages: number;
  zone_reclaim_mode: number;
  numa_stat: number;
}

export function default_vm_sysctl(
  nr_zone_types: number,
  zoneNames: readonly string[],
  mmapRndBits: number,
): VmSysctl {
  // sysctl_lowmem_reserve_ratio: 256 for DMA and DMA32, 32 for Normal, 0 for
  // HighMem, Movable and Device.
  const ratio = zoneNames.map((z) => (z === "DMA" || z === "DMA32" ? 256 : z === "Normal" ? 32 : 0));
  return {
    min_free_kbytes: 1024,
    user_min_free_kbytes: -1,
    watermark_scale_factor: 10,
    watermark_boost_factor: 15000,
    lowmem_reserve_ratio: ratio.slice(0, nr_zone_types),
    percpu_pagelist_high_fraction: 0,
    admin_reserve_kbytes: 8192,
    user_reserve_kbytes: 131072,
    overcommit_memory: 0,
    overcommit_ratio: 50,
    overcommit_kbytes: 0,
    swappiness: 60,
    vfs_cache_pressure: 100,
    dirty_background_ratio: 10,
    dirty_background_bytes: 0,
    dirty_ratio: 20,
    dirty_bytes: 0,
    dirty_expire_centisecs: 3000,
    dirty_writeback_centisecs: 500,
    dirtytime_expire_seconds: 43200,
    extfrag_threshold: 500,
    compaction_proactiveness: 20,
    compact_unevictable_allowed: 1,
    drop_caches: 0,
    highmem_is_dirtyable: 0,
    laptop_mode: 0,
    legacy_va_layout: 0,
    max_map_count: 65530,
    mmap_min_addr: 4096,
    mmap_rnd_bits: mmapRndBits,
    oom_dump_tasks: 1,
    oom_kill_allocating_task: 0,
    page_cluster: 3,
    page_lock_unfairness: 5,
    panic_on_oom: 0,
    stat_interval: 1,
    unprivileged_userfaultfd: 0,
    nr_hugepages: 0,
    nr_overcommit_hugepages: 0,
    zone_reclaim_mode: 0,
    numa_stat: 1,
  };
}
