/*
 * sysctl.ts - /proc/sys (Linux kernel/sysctl.c, mm/page_alloc.c and
 * mm/vmscan.c sysctl tables, fs/proc/proc_sysctl.c).
 *
 * Each file is an integer (or a vector of integers) with a handler:
 * proc_dointvec_minmax parses the text, rejects anything that is not a
 * number or is out of range with EINVAL (and then nothing changes), stores
 * the value, and runs the side effect the knob has (recomputing watermarks
 * for min_free_kbytes, watermark_scale_factor and lowmem_reserve_ratio).
 */

import type { Kernel } from "../../kernel.js";
import { strtoul_lenient } from "../../lib/kstrtox.js";
import { KERN_INFO } from "../../lib/printk.js";
import { drop_caches_sysctl_handler } from "../../mm/drop_caches.js";
import { compaction_proactiveness_trigger } from "../../mm/kcompactd.js";
import type { VmSysctl } from "../../mm/sysctl_vm.js";
import { setup_per_zone_lowmem_reserve, setup_per_zone_wmarks, zone_pcp_update } from "../../mm/watermark.js";
import { MAX_THREADS } from "../../sched/fork.js";
import type { Task } from "../../sched/task.js";
import { S_IFREG } from "../../uapi/abi.js";
import { EINVAL } from "../../uapi/errno.js";
import { dir, type ProcEntry } from "./generic.js";

const INT_MAX = 2147483647;

/** proc_get_long's limit: a number of 21 characters or more is refused. */
const TMPBUFLEN = 22;
const is_space = (c: string | undefined): boolean => c !== undefined && " \t\n\v\f\r".includes(c);

/**
 * __do_proc_dointvec reading a write: up to max integers, each read as
 * proc_get_long does (an optional '-', then a digit; base 0, so "0x10" is
 * 16 and "010" is 8; followed by whitespace or the end of the text; each an
 * int). The reading stops at the first bad one: err is set, and the values
 * before it stand (the kernel has stored them by then). Text after max
 * values is ignored (the write comes up short, and a strict sysctl drops
 * the rest written past position 0). No value at all is an error.
 */
export function proc_dointvec_read(text: string, max: number): { vals: number[]; err: boolean } {
  const vals: number[] = [];
  let p = 0;
  while (vals.length < max) {
    while (is_space(text[p])) p++;
    if (p >= text.length) break;
    const left = text.length - p;
    const tmp = text.slice(p, p + Math.min(left, TMPBUFLEN - 1));
    let at = 0;
    const neg = tmp[0] === "-" && left > 1;
    if (neg) at = 1;
    if (!/[0-9]/.test(tmp[at] ?? "")) return { vals, err: true };
    const r = strtoul_lenient(tmp, at);
    if (typeof r === "number") return { vals, err: true };
    if (r.end === TMPBUFLEN - 1) return { vals, err: true };
    if (r.end < left && !" \t\n".includes(tmp[r.end])) return { vals, err: true };
    // do_proc_dointvec_conv: an int.
    if (neg ? r.v > BigInt(INT_MAX) + 1n : r.v > BigInt(INT_MAX)) return { vals, err: true };
    vals.push(Number(neg ? -r.v : r.v));
    p += r.end;
  }
  return { vals, err: vals.length === 0 };
}

/** The values of a write that must parse as a whole (all of them good), else null. */
export function parse_ints(text: string, max: number): number[] | null {
  const r = proc_dointvec_read(text, max);
  return r.err ? null : r.vals;
}

interface IntKnob {
  name: keyof VmSysctl | string;
  min?: number;
  max?: number;
  mode?: number;
  /** A value min and max allow but the handler refuses (EINVAL). */
  refuse?: (value: number) => boolean;
  /** Side effect after a successful write. */
  after?: (k: Kernel, t: Task, value: number) => void;
  /** Read as something else than the stored value (write-only knobs read nothing). */
  get?: (k: Kernel) => string;
  /** A knob this profile's kernel does not have. */
  when?: (k: Kernel) => boolean;
  /** Stored outside sysctl_vm. */
  store?: { get(k: Kernel): number; set(k: Kernel, v: number): void };
}

function int_entry(knob: IntKnob): ProcEntry {
  const mode = knob.mode ?? 0o644;
  const read = (k: Kernel): number =>
    knob.store ? knob.store.get(k) : (k.sysctl_vm as unknown as Record<string, number>)[knob.name];
  return {
    name: knob.name,
    mode: S_IFREG | mode,
    sysctl: true,
    show: (k) => (knob.get ? knob.get(k) : `${read(k)}\n`),
    write: (k, t, text) => {
      const v = parse_ints(text, 1);
      if (!v) return -EINVAL;
      const n = v[0];
      if (n < (knob.min ?? -INT_MAX - 1) || n > (knob.max ?? INT_MAX)) return -EINVAL;
      if (knob.refuse?.(n)) return -EINVAL;
      if (knob.store) knob.store.set(k, n);
      else (k.sysctl_vm as unknown as Record<string, number>)[knob.name] = n;
      knob.after?.(k, t, n);
      return text.length;
    },
  };
}

/** lowmem_reserve_ratio: one value per zone type, tab separated. */
function lowmem_reserve_ratio_entry(): ProcEntry {
  return {
    name: "lowmem_reserve_ratio",
    mode: S_IFREG | 0o644,
    sysctl: true,
    show: (k) => `${k.sysctl_vm.lowmem_reserve_ratio.join("\t")}\n`,
    // lowmem_reserve_ratio_sysctl_handler: proc_dointvec_minmax (min 0) stores what it could
    // read, its error is dropped, ratios below 1 become 0, and the reserves are recomputed.
    write: (k, _t, text) => {
      const ratio = k.sysctl_vm.lowmem_reserve_ratio;
      const { vals } = proc_dointvec_read(text, ratio.length);
      for (let i = 0; i < vals.length && vals[i] >= 0; i++) ratio[i] = vals[i];
      for (let i = 0; i < ratio.length; i++) if (ratio[i] < 1) ratio[i] = 0;
      setup_per_zone_lowmem_reserve(k);
      return text.length;
    },
  };
}

function wmarks(k: Kernel): void {
  setup_per_zone_wmarks(k);
}

/** The files of /proc/sys/vm this kernel has, in alphabetical order (as ls shows them). */
export function vm_sysctl_table(k: Kernel): ProcEntry[] {
  const cfg = k.cfg;
  const knobs: IntKnob[] = [
    { name: "admin_reserve_kbytes", min: 0 },
    {
      name: "compact_memory",
      mode: 0o200,
      min: 1,
      max: 1,
      get: () => "",
      after: (kk) => kk.mm_hooks.compact_nodes(kk),
    },
    { name: "compact_unevictable_allowed", min: 0, max: 1 },
    {
      name: "compaction_proactiveness",
      min: 0,
      max: 100,
      after: (kk) => compaction_proactiveness_trigger(kk),
    },
    {
      name: "dirty_background_bytes",
      min: 0,
      after: (kk) =>
        (kk.sysctl_vm.dirty_background_ratio = kk.sysctl_vm.dirty_background_bytes
          ? 0
          : kk.sysctl_vm.dirty_background_ratio),
    },
    {
      name: "dirty_background_ratio",
      min: 0,
      max: 100,
      after: (kk) => (kk.sysctl_vm.dirty_background_bytes = 0),
    },
    {
      name: "dirty_bytes",
      min: 0,
      after: (kk) => (kk.sysctl_vm.dirty_ratio = kk.sysctl_vm.dirty_bytes ? 0 : kk.sysctl_vm.dirty_ratio),
    },
    { name: "dirty_expire_centisecs", min: 0 },
    { name: "dirty_ratio", min: 0, max: 100, after: (kk) => (kk.sysctl_vm.dirty_bytes = 0) },
    { name: "dirty_writeback_centisecs", min: 0 },
    { name: "dirtytime_expire_seconds", min: 0 },
    {
      name: "drop_caches",
      mode: 0o200,
      min: 1,
      max: 4,
      get: () => "",
      after: (kk, t, v) => drop_caches_sysctl_handler(kk, t, v),
    },
    { name: "extfrag_threshold", min: 0, max: 1000 },
    { name: "highmem_is_dirtyable", min: 0, max: 1, when: (kk) => kk.cfg.HIGHMEM },
    { name: "hugetlb_optimize_vmemmap", min: 0, max: 1, when: (kk) => kk.cfg.HUGETLB_PAGE, store: zero() },
    { name: "hugetlb_shm_group", when: (kk) => kk.cfg.HUGETLB_PAGE, store: zero() },
    { name: "laptop_mode", min: 0 },
    { name: "legacy_va_layout", min: 0 },
    { name: "max_map_count", min: 0 },
    { name: "memory_failure_early_kill", min: 0, max: 1, when: (kk) => kk.cfg.MEMORY_FAILURE, store: zero() },
    { name: "memory_failure_recovery", min: 0, max: 1, when: (kk) => kk.cfg.MEMORY_FAILURE, store: zero(1) },
    {
      name: "min_free_kbytes",
      min: 0,
      after: (kk, _t, v) => {
        kk.sysctl_vm.user_min_free_kbytes = v;
        wmarks(kk);
      },
    },
    { name: "min_slab_ratio", min: 0, max: 100, when: (kk) => kk.cfg.NUMA, store: zero(5) },
    { name: "min_unmapped_ratio", min: 0, max: 100, when: (kk) => kk.cfg.NUMA, store: zero(1) },
    { name: "mmap_min_addr", min: 0 },
    {
      name: "mmap_rnd_bits",
      min: k.profile.pointerBits === 32 ? 8 : 28,
      max: k.profile.pointerBits === 32 ? 16 : 32,
    },
    {
      name: "mmap_rnd_compat_bits",
      min: 8,
      max: 16,
      when: (kk) => kk.profile.arch === "x86_64",
      store: zero(8),
    },
    {
      name: "nr_hugepages",
      min: 0,
      when: (kk) => kk.cfg.HUGETLB_PAGE,
      after: (kk, _t, v) => kk.mm_hooks.set_nr_hugepages(kk, v),
    },
    {
      name: "nr_hugepages_mempolicy",
      min: 0,
      when: (kk) => kk.cfg.HUGETLB_PAGE && kk.cfg.NUMA,
      store: alias("nr_hugepages"),
    },
    { name: "nr_overcommit_hugepages", min: 0, when: (kk) => kk.cfg.HUGETLB_PAGE },
    { name: "numa_stat", min: 0, max: 1, when: (kk) => kk.cfg.NUMA },
    { name: "oom_dump_tasks", min: 0 },
    { name: "oom_kill_allocating_task", min: 0 },
    {
      name: "overcommit_kbytes",
      min: 0,
      after: (kk) =>
        (kk.sysctl_vm.overcommit_ratio = kk.sysctl_vm.overcommit_kbytes ? 0 : kk.sysctl_vm.overcommit_ratio),
    },
    { name: "overcommit_memory", min: 0, max: 2 },
    { name: "overcommit_ratio", min: 0, after: (kk) => (kk.sysctl_vm.overcommit_kbytes = 0) },
    {
      name: "page-cluster",
      min: 0,
      store: { get: (kk) => kk.sysctl_vm.page_cluster, set: (kk, v) => (kk.sysctl_vm.page_cluster = v) },
    },
    { name: "page_lock_unfairness", min: 0 },
    { name: "panic_on_oom", min: 0, max: 2 },
    {
      name: "percpu_pagelist_high_fraction",
      min: 0,
      // 0 (the default sizing) or at least MIN_PERCPU_PAGELIST_HIGH_FRACTION.
      refuse: (n) => n > 0 && n < 8,
      after: (kk) => {
        for (const z of kk.zones) zone_pcp_update(kk, z, 0);
      },
    },
    { name: "stat_interval", min: 0 },
    { name: "stat_refresh", mode: 0o600, get: () => "", store: zero() },
    { name: "swappiness", min: 0, max: 200 },
    { name: "unprivileged_userfaultfd", min: 0, max: 1 },
    { name: "user_reserve_kbytes", min: 0 },
    { name: "vfs_cache_pressure", min: 0 },
    { name: "watermark_boost_factor", min: 0 },
    { name: "watermark_scale_factor", min: 1, max: 3000, after: (kk) => wmarks(kk) },
    { name: "zone_reclaim_mode", min: 0, when: (kk) => kk.cfg.NUMA },
  ];
  const entries = knobs.filter((kn) => !kn.when || kn.when(k)).map(int_entry);
  entries.push(lowmem_reserve_ratio_entry());
  if (cfg.NUMA)
    entries.push({
      name: "numa_zonelist_order",
      mode: S_IFREG | 0o644,
      sysctl: true,
      show: () => "Node\n",
      write: (_k, _t, text) =>
        /^\s*(node|Node|default|Default|N|n|D|d)\s*$/.test(text) ? text.length : -EINVAL,
    });
  return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function zero(v = 0): { get(k: Kernel): number; set(k: Kernel, v: number): void } {
  const vals = new WeakMap<Kernel, number>();
  return { get: (k) => vals.get(k) ?? v, set: (k, x) => vals.set(k, x) };
}

function alias(name: keyof VmSysctl): { get(k: Kernel): number; set(k: Kernel, v: number): void } {
  return {
    get: (k) => k.sysctl_vm[name] as number,
    set: (k, v) => {
      (k.sysctl_vm as unknown as Record<string, number>)[name] = v;
      k.mm_hooks.set_nr_hugepages(k, v);
    },
  };
}

/** /proc/sys/kernel: the few knobs the tools here use. */
function kernel_table(): ProcEntry[] {
  return [
    {
      name: "hostname",
      mode: S_IFREG | 0o644,
      sysctl: true,
      show: (k) => `${k.utsname.nodename}\n`,
      write: (k, _t, text) => {
        const v = text.replace(/\n$/, "");
        if (v.length > 64) return -EINVAL;
        k.utsname.nodename = v;
        return text.length;
      },
    },
    { name: "osrelease", sysctl: true, mode: S_IFREG | 0o444, show: (k) => `${k.profile.release}\n` },
    { name: "ostype", sysctl: true, mode: S_IFREG | 0o444, show: () => "Linux\n" },
    { name: "version", sysctl: true, mode: S_IFREG | 0o444, show: (k) => `${k.profile.version}\n` },
    int_entry({
      name: "threads-max",
      min: 1,
      max: MAX_THREADS,
      store: { get: (k) => k.max_threads, set: (k, v) => (k.max_threads = v) },
    }),
    int_entry({
      name: "pid_max",
      min: 301,
      max: 4194304,
      store: { get: (k) => k.sched.pid_max, set: (k, v) => (k.sched.pid_max = v) },
    }),
    {
      // proc_taint: the taint flags; writing sets more of them (none can be cleared).
      name: "tainted",
      mode: S_IFREG | 0o644,
      sysctl: true,
      show: (k) => `${k.tainted_mask}\n`,
      write: (k, _t, text) => {
        const v = parse_ints(text, 1);
        if (!v || v[0] < 0) return -EINVAL;
        k.tainted_mask |= v[0];
        return text.length;
      },
    },
    int_entry({
      name: "randomize_va_space",
      min: 0,
      max: 2,
      store: { get: (k) => k.randomize_va_space, set: (k, v) => (k.randomize_va_space = v) },
    }),
    int_entry({
      name: "panic",
      store: { get: (k) => k.panic_timeout, set: (k, v) => (k.panic_timeout = v) },
    }),
    {
      name: "printk",
      mode: S_IFREG | 0o644,
      sysctl: true,
      show: (k) => `${k.printk.console_loglevel}\t4\t1\t7\n`,
      // proc_dointvec: the values read before a bad one are stored, and the write fails.
      write: (k, _t, text) => {
        const { vals, err } = proc_dointvec_read(text, 4);
        if (vals.length) k.printk.console_loglevel = vals[0];
        return err ? -EINVAL : text.length;
      },
    },
  ];
}

export function sys_root(_k: Kernel): ProcEntry {
  void KERN_INFO;
  // proc_sys_make_inode sets no link count: every sysctl directory has new_inode's 1.
  return dir(
    "sys",
    [dir("kernel", kernel_table(), { nlink: 1 }), dir("vm", (kk) => vm_sysctl_table(kk), { nlink: 1 })],
    {
      nlink: 1,
    },
  );
}
