/*
 * slab_sysfs.ts - /sys/kernel/slab (the sysfs half of Linux mm/slub.c):
 * a directory of attributes per cache. A cache that others may merge into
 * is listed under a unique id (":A-0000064": flags, then the slab size)
 * and every name it answers to, its own and its aliases', is a symlink to
 * that directory; an unmergeable cache's directory carries its name.
 *
 * The counts come from the same lists /proc/slabinfo reads:
 *   objects        objects in use (free ones on node partial lists excluded)
 *   total_objects  all objects of all slabs
 *   slabs          slabs;  partial: slabs on the node partial lists
 *   cpu_slabs      CPU slabs plus the slabs of the CPU partial lists
 * with " N<node>=<count>" per node on NUMA kernels.
 */

import { dir, file, type ProcEntry, symlink } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { S_IFREG } from "../uapi/abi.js";
import { EINVAL } from "../uapi/errno.js";
import {
  type KmemCache,
  SLAB_ACCOUNT,
  SLAB_CACHE_DMA,
  SLAB_CACHE_DMA32,
  SLAB_CONSISTENCY_CHECKS,
  SLAB_HWCACHE_ALIGN,
  SLAB_POISON,
  SLAB_RECLAIM_ACCOUNT,
  SLAB_RED_ZONE,
  SLAB_STORE_USER,
  SLAB_TRACE,
  SLAB_TYPESAFE_BY_RCU,
  slab_attrs,
} from "./slab.js";
import { kmem_cache_shrink, slab_unmergeable } from "./slab_common.js";
import { count_partial_free, list_slabs } from "./slub.js";

/* show_slab_objects flags */
const SO_ALL = 1 << 0;
const SO_PARTIAL = 1 << 1;
const SO_CPU = 1 << 2;
const SO_OBJECTS = 1 << 3;
const SO_TOTAL = 1 << 4;

function show_slab_objects(k: Kernel, s: KmemCache, flags: number): string {
  const nodes = new Array(k.nodes.length).fill(0);
  let total = 0;
  const add = (node: number, x: number): void => {
    total += x;
    nodes[node] += x;
  };
  if (flags & SO_CPU)
    for (const c of s.cpu_slab) {
      const slab = c.slab;
      if (!slab) continue;
      add(slab.node, flags & SO_TOTAL ? slab.objects : flags & SO_OBJECTS ? slab.inuse : 1);
      if (c.partial) add(c.partial.node, c.partial.slabs);
    }
  if (flags & SO_ALL)
    s.node.forEach((n, node) => {
      if (flags & SO_TOTAL) add(node, n.total_objects);
      else if (flags & SO_OBJECTS) add(node, n.total_objects - count_partial_free(k, n));
      else add(node, n.nr_slabs);
    });
  else if (flags & SO_PARTIAL)
    s.node.forEach((n, node) => {
      let x = 0;
      if (flags & (SO_TOTAL | SO_OBJECTS))
        for (const slab of list_slabs(k, n.partial)) x += flags & SO_TOTAL ? slab.objects : slab.inuse;
      else x = n.nr_partial;
      add(node, x);
    });
  let out = String(total);
  if (k.cfg.NUMA)
    nodes.forEach((x, node) => {
      if (x) out += ` N${node}=${x}`;
    });
  return `${out}\n`;
}

function slabs_cpu_partial_show(k: Kernel, s: KmemCache): string {
  let slabs = 0;
  for (const c of s.cpu_slab) if (c.partial) slabs += c.partial.slabs;
  let out = `${Math.floor((slabs * s.objects) / 2)}(${slabs})`;
  s.cpu_slab.forEach((c, cpu) => {
    if (c.partial) out += ` C${cpu}=${Math.floor((c.partial.slabs * s.objects) / 2)}(${c.partial.slabs})`;
  });
  void k;
  return `${out}\n`;
}

const flag = (s: KmemCache, f: number): string => `${s.flags & f ? 1 : 0}\n`;

/** The value of one attribute of /sys/kernel/slab/<cache>/. */
function attr_show(k: Kernel, s: KmemCache, name: string): string {
  switch (name) {
    case "aliases":
      return `${s.refcount < 0 ? 0 : s.refcount - 1}\n`;
    case "align":
      return `${s.align}\n`;
    case "cache_dma":
      return flag(s, SLAB_CACHE_DMA);
    case "cpu_partial":
      return `${s.cpu_partial}\n`;
    case "cpu_slabs":
      return show_slab_objects(k, s, SO_CPU);
    case "ctor":
      return "";
    case "destroy_by_rcu":
      return flag(s, SLAB_TYPESAFE_BY_RCU);
    case "hwcache_align":
      return flag(s, SLAB_HWCACHE_ALIGN);
    case "min_partial":
      return `${s.min_partial}\n`;
    case "object_size":
      return `${s.object_size}\n`;
    case "objects":
      return show_slab_objects(k, s, SO_ALL | SO_OBJECTS);
    case "objects_partial":
      return show_slab_objects(k, s, SO_PARTIAL | SO_OBJECTS);
    case "objs_per_slab":
      return `${s.objects}\n`;
    case "order":
      return `${s.order}\n`;
    case "partial":
      return show_slab_objects(k, s, SO_PARTIAL);
    case "poison":
      return flag(s, SLAB_POISON);
    case "reclaim_account":
      return flag(s, SLAB_RECLAIM_ACCOUNT);
    case "red_zone":
      return flag(s, SLAB_RED_ZONE);
    case "remote_node_defrag_ratio":
      return "100\n";
    case "sanity_checks":
      return flag(s, SLAB_CONSISTENCY_CHECKS);
    case "shrink":
      return "";
    case "slab_size":
      return `${s.size}\n`;
    case "slabs":
      return show_slab_objects(k, s, SO_ALL);
    case "slabs_cpu_partial":
      return slabs_cpu_partial_show(k, s);
    case "store_user":
      return flag(s, SLAB_STORE_USER);
    case "total_objects":
      return show_slab_objects(k, s, SO_ALL | SO_TOTAL);
    case "trace":
      return flag(s, SLAB_TRACE);
    case "usersize":
      return `${s.usersize}\n`;
  }
  return "";
}

/** Each cache's directory and links, made once (the listing is rebuilt on every lookup). */
const dirs = new WeakMap<KmemCache, { name: string; dir: ProcEntry; links: Map<string, ProcEntry> }>();

function cache_dir(k: Kernel, s: KmemCache, dirname: string): ProcEntry {
  let d = dirs.get(s);
  if (!d || d.name !== dirname) {
    d = { name: dirname, dir: make_cache_dir(k, s, dirname), links: new Map() };
    dirs.set(s, d);
  }
  return d.dir;
}

function cache_link(s: KmemCache, name: string, target: string): ProcEntry {
  const d = dirs.get(s)!;
  let l = d.links.get(name);
  if (!l) d.links.set(name, (l = symlink(name, () => target)));
  return l;
}

function make_cache_dir(k: Kernel, s: KmemCache, dirname: string): ProcEntry {
  const files: ProcEntry[] = [];
  for (const name of slab_attrs) {
    if (name === "remote_node_defrag_ratio" && !k.cfg.NUMA) continue;
    if (name === "shrink")
      files.push({
        name,
        mode: S_IFREG | 0o644,
        show: () => "",
        write: (kk, _t, text) => {
          if (!/^\s*1\s*$/.test(text)) return -EINVAL;
          kmem_cache_shrink(kk, s);
          return text.length;
        },
      });
    else if (name === "validate")
      files.push({ name, mode: S_IFREG | 0o200, write: (_kk, _t, text) => text.length });
    else files.push(file(name, (kk) => attr_show(kk, s, name)));
  }
  return dir(dirname, files);
}

/** create_unique_id: ":" + flag letters + "-" + the slab size on 7 digits. */
export function create_unique_id(s: KmemCache): string {
  let p = "";
  if (s.flags & SLAB_CACHE_DMA) p += "d";
  if (s.flags & SLAB_CACHE_DMA32) p += "D";
  if (s.flags & SLAB_RECLAIM_ACCOUNT) p += "a";
  if (s.flags & SLAB_CONSISTENCY_CHECKS) p += "F";
  if (s.flags & SLAB_ACCOUNT) p += "A";
  return `:${p}${p ? "-" : ""}${String(s.size).padStart(7, "0")}`;
}

/** The last listing, and what it was computed from (caches and aliases only change at create/destroy). */
const listings = new WeakMap<Kernel, { key: string; list: ProcEntry[] }>();

/** The entries of /sys/kernel/slab, computed when read. */
export function slab_sysfs_entries(k: Kernel): ProcEntry[] {
  const st = k.slab;
  let aliases = 0;
  for (const s of st.slab_caches) aliases += s.aliases.length;
  const key = `${st.slab_caches.length}:${st.nr_caches_created}:${aliases}`;
  const last = listings.get(k);
  if (last?.key === key) return last.list;
  const list = build_listing(k);
  listings.set(k, { key, list });
  return list;
}

function build_listing(k: Kernel): ProcEntry[] {
  const out: ProcEntry[] = [];
  const ids = new Set<string>();
  for (const s of k.slab.slab_caches) {
    const id = create_unique_id(s);
    if (slab_unmergeable(s) || ids.has(id)) {
      out.push(cache_dir(k, s, s.name));
      for (const a of s.aliases) out.push(cache_link(s, a, s.name));
      continue;
    }
    ids.add(id);
    out.push(cache_dir(k, s, id));
    for (const a of [s.name, ...s.aliases]) out.push(cache_link(s, a, id));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
