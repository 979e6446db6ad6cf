/*
 * sysfs.ts - /sys and /sys/kernel/debug (Linux fs/sysfs, fs/debugfs,
 * drivers/base/node.c, mm/*sysfs*). Both are trees of computed entries, like
 * procfs, so they reuse its machinery with their own filesystem types.
 *
 * What is here: the NUMA node directories (meminfo, their memory blocks)
 * on NUMA kernels, the memory block devices (drivers/base/memory.ts), the
 * node and memory buses' device links, the console's tty class entry (which cttyhack reads), /sys/kernel/mm, and in
 * debugfs the memblock tables, the ARM kernel memory layout, and
 * "page_alloc_test": a way to drive the buddy allocator by hand.
 */

import { block_sysfs_entries } from "../block/sysfs.js";
import {
  memory_bus_devices,
  memory_hotplug,
  memory_sysfs_dir,
  node_memory_links,
} from "../drivers/base/memory.js";
import { kernel_layout_show } from "../init/layout.js";
import type { Kernel } from "../kernel.js";
import { compact_node } from "../mm/compaction.js";
import { hugetlb_node_sysfs_entry } from "../mm/hugetlb.js";
import { page_alloc_test_entry } from "../mm/page_alloc_test.js";
import { slab_sysfs_entries } from "../mm/slab_sysfs.js";
import { tlb_show } from "../mm/tlbflush.js";
import { node_vmstat_show } from "../mm/vmstat.js";
import { cpu_to_node } from "../sched/affinity.js";
import { S_IFREG } from "../uapi/abi.js";
import type { SuperBlock } from "./fs.js";
import { dir, file, type ProcEntry, proc_fill_super, symlink } from "./proc/generic.js";
import { node_meminfo_show } from "./proc/meminfo.js";

export const SYSFS_MAGIC = 0x62656572;
export const DEBUGFS_MAGIC = 0x64626720;

function node_dirs(k: Kernel): ProcEntry[] {
  if (!k.cfg.NUMA) return [];
  const nodes = k.nodes.map((n) =>
    dir(`node${n.node_id}`, [
      // sysfs_compact_node: any write compacts the whole node, as compact_memory does every node.
      {
        name: "compact",
        mode: S_IFREG | 0o200,
        write: (kk, _t, text) => {
          compact_node(kk, n.node_id);
          return text.length;
        },
      },
      ...node_cpus(k, n.node_id).map((c) => symlink(`cpu${c}`, () => `../../cpu/cpu${c}`)),
      file("cpulist", (kk) => cpulist(kk, n.node_id)),
      file("cpumap", (kk) => cpumap(kk, n.node_id)),
      file("distance", (kk) => `${kk.nodes.map((m) => (m.node_id === n.node_id ? 10 : 20)).join(" ")}\n`),
      ...(k.cfg.HUGETLB_PAGE ? [hugetlb_node_sysfs_entry(k, n.node_id)] : []),
      file("meminfo", (kk) => node_meminfo_show(kk, n.node_id)),
      ...node_memory_links(k, n.node_id),
      file("numastat", (_kk) => {
        let s = "";
        const names = ["numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"];
        names.forEach((nm, i) => {
          let v = 0;
          for (const z of n.node_zones) v += z.vm_stat[11 + i];
          s += `${nm} ${v}\n`;
        });
        return s;
      }),
      dir("power", []),
      symlink("subsystem", () => "../../../../bus/node"),
      file("uevent", () => ""),
      file("vmstat", (kk) => node_vmstat_show(kk, n.node_id)),
      // arch_node_dev_group: x86's SGX group (CONFIG_X86_SGX); QEMU's CPU has no EPC memory.
      ...(k.profile.arch === "x86_64" ? [dir("x86", [file("sgx_total_bytes", () => "0\n")])] : []),
    ]),
  );
  return [
    dir("node", [
      ...nodes,
      file("has_cpu", (kk) => `0${kk.nodes.length > 1 ? `-${kk.nodes.length - 1}` : ""}\n`),
      file("online", (kk) => `0${kk.nodes.length > 1 ? `-${kk.nodes.length - 1}` : ""}\n`),
      file("possible", (kk) => `0${kk.nodes.length > 1 ? `-${kk.nodes.length - 1}` : ""}\n`),
    ]),
  ];
}

/** The CPUs of node nid (spread round-robin over the nodes). */
function node_cpus(k: Kernel, nid: number): number[] {
  const cpus: number[] = [];
  for (let c = 0; c < k.nr_cpu_ids; c++) if (cpu_to_node(k, c) === nid) cpus.push(c);
  return cpus;
}

function cpulist(k: Kernel, nid: number): string {
  const cpus = node_cpus(k, nid);
  if (cpus.length === k.nr_cpu_ids && cpus.length > 1) return `0-${cpus.length - 1}\n`;
  return `${cpus.join(",")}\n`;
}

/**
 * cpumap: the node's CPUs as a bitmap (%*pb over nr_cpu_ids bits): hex, in 32-bit groups
 * separated by commas, the first group only as wide as its bits need.
 */
function cpumap(k: Kernel, nid: number): string {
  let mask = 0n;
  for (const c of node_cpus(k, nid)) mask |= 1n << BigInt(c);
  const groups: string[] = [];
  for (let bit = 0; bit < k.nr_cpu_ids; bit += 32) {
    const bits = Math.min(32, k.nr_cpu_ids - bit);
    groups.unshift(((mask >> BigInt(bit)) & 0xffffffffn).toString(16).padStart(Math.ceil(bits / 4), "0"));
  }
  for (let i = 1; i < groups.length; i++) groups[i] = groups[i].padStart(8, "0");
  return `${groups.join(",")}\n`;
}

/** A bus_type's directory (bus_register): its devices' links, no drivers bound; the bus attributes are not modelled. */
function bus_dir(name: string, devices: ProcEntry[]): ProcEntry {
  return dir(name, [dir("devices", devices), dir("drivers", [])]);
}

/** /sys/bus: the memory and node subsystems (the other buses are not modelled). */
function bus_dirs(k: Kernel): ProcEntry[] {
  const out: ProcEntry[] = [];
  if (memory_hotplug(k)) out.push(bus_dir("memory", memory_bus_devices(k)));
  if (k.cfg.NUMA)
    out.push(
      bus_dir(
        "node",
        k.nodes.map((n) =>
          symlink(`node${n.node_id}`, () => `../../../devices/system/node/node${n.node_id}`),
        ),
      ),
    );
  return out;
}

export function sysfs_root(k: Kernel): ProcEntry {
  const cpus = `0${k.nr_cpu_ids > 1 ? `-${k.nr_cpu_ids - 1}` : ""}\n`;
  return dir("/", [
    dir("block", (kk) => block_sysfs_entries(kk)),
    dir("bus", (kk) => bus_dirs(kk)),
    dir("class", [dir("tty", [dir("console", [file("active", (kk) => `${kk.profile.console}\n`)])])]),
    dir("dev", []),
    dir("devices", [
      dir("system", [
        dir("cpu", [
          // one cpuN directory per CPU, as nproc --all and lscpu count them (contents not modelled)
          ...Array.from({ length: k.nr_cpu_ids }, (_, i) => dir(`cpu${i}`, [])),
          file("online", () => cpus),
          file("possible", () => cpus),
          file("present", () => cpus),
        ]),
        ...memory_sysfs_dir(k),
        ...node_dirs(k),
      ]),
    ]),
    dir("firmware", []),
    dir("fs", []),
    dir("kernel", [
      dir("debug", []),
      dir("mm", (kk) => kk.sysfs_mm),
      dir("slab", (kk) => slab_sysfs_entries(kk)),
      file("uevent_seqnum", () => "0\n"),
    ]),
    dir("module", []),
    dir("power", []),
  ]);
}

export function debugfs_root(k: Kernel): ProcEntry {
  const entries: ProcEntry[] = [
    dir("memblock", [
      file("memory", (kk) => kk.memblock.debugfs_show("memory", kk.profile.pointerBits === 32 ? 4 : 8), {
        mode: S_IFREG | 0o444,
      }),
      file("reserved", (kk) => kk.memblock.debugfs_show("reserved", kk.profile.pointerBits === 32 ? 4 : 8), {
        mode: S_IFREG | 0o444,
      }),
    ]),
    page_alloc_test_entry(),
    file("tlb", (kk) => tlb_show(kk), { mode: S_IFREG | 0o444 }),
  ];
  if (k.profile.arch === "arm")
    entries.push(file("kernel_layout", (kk) => kernel_layout_show(kk), { mode: S_IFREG | 0o444 }));
  entries.push(...k.debugfs_extra);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  return dir("/", entries);
}

export function sysfs_fill_super(k: Kernel): SuperBlock {
  return proc_fill_super(k, sysfs_root(k), "sysfs", SYSFS_MAGIC);
}

export function debugfs_fill_super(k: Kernel): SuperBlock {
  return proc_fill_super(k, debugfs_root(k), "debugfs", DEBUGFS_MAGIC);
}
