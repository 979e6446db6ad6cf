/*
 * kmem_caches.ts - the kernel's named caches, created at boot as the
 * subsystems of a real 6.1 kernel create them (fork_init, proc_caches_init,
 * vfs_caches_init, kernfs_init, shmem_init, radix_tree_init...), and the
 * objects a real boot leaves in them.
 *
 * The list, in creation order, and each cache's slab size come from the
 * reference kernel's /proc/slabinfo (kmem_caches_data.ts, generated); the
 * x86_64 list serves the arm64 profile too (both LP64; its ACPI caches
 * left out). Flags come from the kmem_cache_create calls in Linux:
 *   R  SLAB_RECLAIM_ACCOUNT: counted in SReclaimable
 *   A  SLAB_ACCOUNT: charged to the memory cgroup (decides merging)
 *   U  never a merge target (it has a constructor, a usercopy region or
 *      SLAB_TYPESAFE_BY_RCU)
 *
 * Boot objects. mmbox creates its own tasks, files, dentries, inodes,
 * page cache nodes and vmap areas; for those caches it allocates nothing
 * more (MODELED below). Every other cache gets the objects the reference
 * kernel had in use after boot (active_objs), standing for what mmbox does
 * not simulate: the sysfs nodes of the devices (kernfs_node_cache), ftrace
 * events, LSM blobs, sockets, ACPI tables... They are allocated once at
 * boot and never freed. dentry and inode_cache also keep the reference's
 * boot population: the real kernel's sysfs and initramfs dentries, pinned
 * as a tmpfs or ramfs dentry is (drop_caches does not shrink them on the
 * reference machine either); mmbox's own dentries and inodes come on top.
 * These numbers are those of the reference machine (1 GiB, 4 or 2 CPUs)
 * and do not scale with -m or --smp; what does scale (kernel threads per
 * CPU, page cache, processes) is simulated.
 */

import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { __GFP_ACCOUNT, __GFP_DMA, __GFP_RECLAIMABLE, GFP_KERNEL } from "./gfp.js";
import { ARM_SLABINFO, type RefCache, X86_SLABINFO } from "./kmem_caches_data.js";
import { type KmemCache, SLAB_ACCOUNT, SLAB_PANIC, SLAB_RECLAIM_ACCOUNT } from "./slab.js";
import { kmalloc, kmalloc_type_prefix, kmem_cache_create } from "./slab_common.js";
import { slab_alloc } from "./slub.js";

/** Caches whose every object is a structure the simulation itself creates and frees. */
const MODELED = new Set([
  "kmem_cache",
  "kmem_cache_node",
  "vmap_area",
  "task_struct",
  "mm_struct",
  "vm_area_struct",
  "anon_vma",
  "anon_vma_chain",
  "files_cache",
  "signal_cache",
  "sighand_cache",
  "cred_jar",
  "pid",
  "filp",
  "shmem_inode_cache",
  "proc_inode_cache",
  "radix_tree_node",
]);

/** Creation flags (see the file comment). */
const FLAGS: Record<string, string> = {
  dentry: "RAU",
  inode_cache: "RAU",
  proc_inode_cache: "RAU",
  radix_tree_node: "RU",
  buffer_head: "R",
  sock_inode_cache: "RAU",
  bdev_cache: "RAU",
  ext4_inode_cache: "RAU",
  ext4_extent_status: "R",
  ext4_system_zone: "R",
  ext4_io_end: "R",
  ext4_allocation_context: "R",
  ext4_prealloc_space: "R",
  ext4_fc_dentry_update: "R",
  mbcache: "R",
  jbd2_journal_head: "R",
  jbd2_revoke_table_s: "R",
  jbd2_revoke_record_s: "R",
  dquot: "R",
  fscrypt_info: "R",
  fsverity_info: "R",
  task_struct: "AU",
  mm_struct: "AU",
  vm_area_struct: "A",
  anon_vma: "AU",
  anon_vma_chain: "A",
  files_cache: "A",
  signal_cache: "A",
  sighand_cache: "AU",
  cred_jar: "A",
  pid: "A",
  filp: "A",
  shmem_inode_cache: "AU",
  mqueue_inode_cache: "AU",
  hugetlbfs_inode_cache: "AU",
  nsproxy: "A",
  uts_namespace: "A",
  user_namespace: "A",
  net_namespace: "AU",
  pid_namespace: "A",
  kioctx: "A",
  userfaultfd_ctx_cache: "AU",
  posix_timers_cache: "A",
  sigqueue: "A",
  mnt_cache: "A",
  seq_file: "A",
  pde_opener: "A",
  dnotify_struct: "A",
  ep_head: "A",
  names_cache: "U",
  proc_dir_entry: "U",
  kernfs_node_cache: "",
  skbuff_head_cache: "U",
  dax_cache: "RAU",
  ip_fib_alias: "A",
  ip_fib_trie: "A",
  TCP: "AU",
  TCPv6: "AU",
  UDP: "AU",
  UDPv6: "AU",
  RAW: "AU",
  RAWv6: "AU",
  PING: "AU",
  PINGv6: "AU",
  MPTCP: "AU",
  MPTCPv6: "AU",
  request_sock_TCP: "A",
  request_sock_TCPv6: "A",
  request_sock_subflow_v4: "A",
  request_sock_subflow_v6: "A",
  tw_sock_TCP: "A",
  tw_sock_TCPv6: "A",
};

function ref_table(k: Kernel): readonly RefCache[] {
  const arch = k.profile.arch;
  if (arch === "arm") return ARM_SLABINFO;
  if (arch === "x86_64") return X86_SLABINFO;
  return X86_SLABINFO.filter((r) => !r[0].startsWith("Acpi-"));
}

const is_boot_cache = (name: string): boolean =>
  name === "kmem_cache" || name === "kmem_cache_node" || kmalloc_type_prefix.some((p) => name.startsWith(p));

/** The kmalloc size of a family cache name ("kmalloc-cg-1k" -> 1024), and its GFP family flags. */
function kmalloc_name_size(name: string): [number, number] | null {
  for (let t = kmalloc_type_prefix.length - 1; t >= 0; t--) {
    const p = kmalloc_type_prefix[t];
    if (!name.startsWith(p)) continue;
    const rest = name.slice(p.length);
    if (!/^\d+k?$/.test(rest)) continue;
    const size = rest.endsWith("k") ? Number(rest.slice(0, -1)) * 1024 : Number(rest);
    const gfp = [0, __GFP_ACCOUNT, __GFP_RECLAIMABLE, __GFP_DMA][t];
    return [size, gfp];
  }
  return null;
}

/** kmem_caches_create: the named caches, in the reference's order (after kmem_cache_init). */
export function kmem_caches_create(k: Kernel): void {
  const st = k.slab;
  for (const [name, size] of ref_table(k)) {
    if (is_boot_cache(name)) continue;
    const f = FLAGS[name] ?? "";
    let flags = SLAB_PANIC;
    if (f.includes("R")) flags |= SLAB_RECLAIM_ACCOUNT;
    if (f.includes("A")) flags |= SLAB_ACCOUNT;
    const s = kmem_cache_create(k, name, size, flags, {
      nomerge_lookup: true,
      usersize: f.includes("U") ? size : 0,
    });
    if (s) st.by_name.set(name, s);
  }
  for (const s of st.slab_caches) if (!st.by_name.has(s.name)) st.by_name.set(s.name, s);
  st.kernfs_node_id = st.by_name.get("kernfs_node_cache")?.id ?? -1;
}

/**
 * kmem_caches_populate: the boot population of what mmbox does not
 * simulate, allocated when the drivers register their devices.
 */
export function kmem_caches_populate(k: Kernel): void {
  const st = k.slab;
  for (const [name, , , , active] of ref_table(k)) {
    if (MODELED.has(name) || active === 0) continue;
    const km = kmalloc_name_size(name);
    if (km && k.profile.arch === "arm64") {
      // arm64's kmalloc classes start at 128: the x86 objects land in its classes by size.
      for (let i = 0; i < active; i++) kmalloc(k, km[0], GFP_KERNEL | km[1]);
      continue;
    }
    const s = st.by_name.get(name);
    if (!s) continue;
    for (let i = 0; i < active; i++) slab_alloc(k, s, GFP_KERNEL, "");
  }
  st.sysfs_up = true;
}

/** The live cache called `name` (or that `name` was merged into). */
export function kmem_cache_lookup(k: Kernel, name: string): KmemCache {
  const s = k.slab.by_name.get(name);
  if (!s) BUG(`no kmem_cache ${name}`);
  return s;
}
