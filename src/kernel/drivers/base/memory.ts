/*
 * memory.ts - memory block devices, /sys/devices/system/memory (Linux
 * drivers/base/memory.c, and drivers/base/node.c's links to them).
 *
 * With CONFIG_MEMORY_HOTPLUG (the x86_64 and arm64 kernels; not armmp) the
 * physical memory is cut into blocks of memory_block_size_bytes(), each a
 * device memoryN (N = the block's first section number / sections per
 * block) for every block that holds RAM:
 *
 *   x86_64  probe_memory_block_size: 128 MiB below 64 GiB of RAM; above,
 *           under a hypervisor, the largest power of two up to 2 GiB that
 *           the end of RAM is aligned to
 *   arm64   one section, 128 MiB
 *
 * Each node directory links the blocks whose RAM it holds (memoryN ->
 * ../../memory/memoryN). All boot memory is online and stays so: onlining
 * and offlining (memory hot(un)plug) are not modelled, so a write asking
 * for the state a block already has succeeds and one asking for another
 * fails with EBUSY, as offline_pages does when it cannot migrate a block.
 */

import { dir, file, type ProcEntry, symlink } from "../../fs/proc/generic.js";
import type { Kernel } from "../../kernel.js";
import { S_IFREG } from "../../uapi/abi.js";
import { EBUSY, EINVAL } from "../../uapi/errno.js";

const MiB = 1 << 20;
/** MIN_MEMORY_BLOCK_SIZE: one section (SECTION_SIZE_BITS 27 on x86_64 and arm64 with 4K pages). */
const MIN_MEMORY_BLOCK_SIZE = 128 * MiB;
const MAX_BLOCK_SIZE = 2048 * MiB;
const MEM_SIZE_FOR_LARGE_BLOCK = 64 * 1024 * MiB;

/** Memory hotplug is built into the 64-bit kernels only. */
export function memory_hotplug(k: Kernel): boolean {
  return k.profile.pointerBits === 64;
}

/** memory_block_size_bytes (probe_memory_block_size on x86_64). */
export function memory_block_size_bytes(k: Kernel): number {
  if (k.profile.arch !== "x86_64") return MIN_MEMORY_BLOCK_SIZE;
  const regions = k.memblock.memory;
  const boot_mem_end = regions.length
    ? regions[regions.length - 1].base + regions[regions.length - 1].size
    : 0;
  if (boot_mem_end < MEM_SIZE_FOR_LARGE_BLOCK) return MIN_MEMORY_BLOCK_SIZE;
  let bz = MAX_BLOCK_SIZE;
  for (; bz > MIN_MEMORY_BLOCK_SIZE; bz /= 2) if (boot_mem_end % bz === 0) break;
  return bz;
}

/** mhp_online_type_from_str's names. */
const ONLINE_TYPES = ["offline", "online", "online_kernel", "online_movable"];
const auto_online_state = new WeakMap<Kernel, { type: string }>();

/** mhp_default_online_type: CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE unset, so "offline". */
function auto_online(k: Kernel): { type: string } {
  let s = auto_online_state.get(k);
  if (!s) {
    s = { type: "offline" };
    auto_online_state.set(k, s);
  }
  return s;
}

/** A memory block: its number and the RAM in it (page frame ranges). */
interface MemoryBlock {
  id: number;
  ranges: [number, number][];
}

/** The blocks that hold RAM, in order. */
function memory_blocks(k: Kernel): MemoryBlock[] {
  const bz = memory_block_size_bytes(k);
  const blocks = new Map<number, MemoryBlock>();
  for (const r of k.memblock.memory) {
    for (let a = r.base; a < r.base + r.size; ) {
      const id = Math.floor(a / bz);
      const end = Math.min(r.base + r.size, (id + 1) * bz);
      let b = blocks.get(id);
      if (!b) {
        b = { id, ranges: [] };
        blocks.set(id, b);
      }
      b.ranges.push([Math.floor(a / 4096), Math.ceil(end / 4096)]);
      a = end;
    }
  }
  return [...blocks.values()].sort((x, y) => x.id - y.id);
}

/** The nodes whose pfn span holds some of the block's RAM. */
function block_nodes(k: Kernel, b: MemoryBlock): number[] {
  return k.nodes
    .filter((n) =>
      b.ranges.some(([s, e]) => s < n.node_start_pfn + n.node_spanned_pages && e > n.node_start_pfn),
    )
    .map((n) => n.node_id);
}

/** valid_zones_show for an online block: its zone's name, or "none" when it spans two zones. */
function valid_zones(k: Kernel, b: MemoryBlock): string {
  const names = new Set<string>();
  for (const z of k.zones)
    if (
      z.spanned_pages &&
      b.ranges.some(([s, e]) => s < z.zone_start_pfn + z.spanned_pages && e > z.zone_start_pfn)
    )
      names.add(z.name);
  return names.size === 1 ? [...names][0] : "none";
}

/** A state file: reading gives the state, writing the same state is accepted, another EBUSY. */
function state_attr(name: string, now: string, accept: string[], valid: string[]): ProcEntry {
  return file(name, () => `${now}\n`, {
    mode: S_IFREG | 0o644,
    write: (_k, _t, text) => {
      const v = text.replace(/\n$/, "");
      if (accept.includes(v)) return text.length;
      return valid.includes(v) ? -EBUSY : -EINVAL;
    },
  });
}

function memory_block_dir(k: Kernel, b: MemoryBlock): ProcEntry {
  const sections_per_block = memory_block_size_bytes(k) / MIN_MEMORY_BLOCK_SIZE;
  return dir(`memory${b.id}`, [
    ...block_nodes(k, b).map((nid) => symlink(`node${nid}`, () => `../../node/node${nid}`)),
    state_attr("online", "1", ["1"], ["0"]),
    file("phys_device", () => "0\n"),
    file("phys_index", () => `${(b.id * sections_per_block).toString(16).padStart(8, "0")}\n`),
    dir("power", []),
    file("removable", () => "1\n"), // CONFIG_MEMORY_HOTREMOVE
    state_attr("state", "online", ["online"], ["offline", "online_kernel", "online_movable"]),
    symlink("subsystem", () => "../../../../bus/memory"),
    file("uevent", () => ""),
    file("valid_zones", (kk) => `${valid_zones(kk, b)}\n`),
  ]);
}

/** /sys/devices/system/memory (memory_dev_init). */
export function memory_sysfs_dir(k: Kernel): ProcEntry[] {
  if (!memory_hotplug(k)) return [];
  return [
    dir("memory", (kk) => [
      file("auto_online_blocks", (k2) => `${auto_online(k2).type}\n`, {
        mode: S_IFREG | 0o644,
        write: (k2, _t, text) => {
          const v = text.replace(/\n$/, "");
          if (!ONLINE_TYPES.includes(v)) return -EINVAL;
          auto_online(k2).type = v; // kept: only hot-added memory would follow it
          return text.length;
        },
      }),
      file("block_size_bytes", (k2) => `${memory_block_size_bytes(k2).toString(16)}\n`),
      ...memory_blocks(kk).map((b) => memory_block_dir(kk, b)),
      dir("power", []),
      file("uevent", () => ""),
    ]),
  ];
}

/** The node directory's links to its blocks (register_memory_block_under_node). */
export function node_memory_links(k: Kernel, nid: number): ProcEntry[] {
  if (!memory_hotplug(k)) return [];
  return memory_blocks(k)
    .filter((b) => block_nodes(k, b).includes(nid))
    .map((b) => symlink(`memory${b.id}`, () => `../../memory/memory${b.id}`));
}

/** /sys/bus/memory/devices: a link to every block (the subsystem the blocks point to). */
export function memory_bus_devices(k: Kernel): ProcEntry[] {
  if (!memory_hotplug(k)) return [];
  return memory_blocks(k).map((b) =>
    symlink(`memory${b.id}`, () => `../../../devices/system/memory/memory${b.id}`),
  );
}
