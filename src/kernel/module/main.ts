/*
 * main.ts - loadable modules (Linux kernel/module/main.c, 6.1):
 * init_module and delete_module, /proc/modules, module taints.
 *
 * A module file (format.ts) is copied into a vmalloc'd image, checked
 * ("Invalid ELF header magic"), laid out into the modules area with
 * module_alloc (its core, and its init section), tainted O and E (mmbox's
 * modules are out of tree and unsigned, as the ones a learner builds are),
 * given its parameters, and its init runs. What init allocates is real:
 * kmalloc objects, a kmem_cache of its own, vmalloc buffers; rmmod's exit
 * gives it all back, except what the module deliberately leaks. Once init
 * has run the init section is freed and the module is Live.
 *
 *   insmod demo.ko count=8  ->  init_module(image, "count=8")
 *   rmmod demo              ->  delete_module("demo", O_NONBLOCK)
 *
 * A module whose init oopses (a double free caught by the hardened free
 * list) kills the insmod that loaded it and stays "Loading" forever, as on
 * Linux; delete_module then says EBUSY.
 *
 * Simplified: no symbols, relocations or dependencies between modules,
 * no module reference counts (nothing uses a module), no finit_module.
 */

import type { Kernel } from "../kernel.js";
import {
  add_taint,
  dump_stack,
  print_modules,
  TAINT_DIE,
  TAINT_OOT_MODULE,
  TAINT_PROPRIETARY_MODULE,
  TAINT_UNSIGNED_MODULE,
  taint_flags,
  test_taint,
} from "../lib/panic.js";
import { KERN_ERR, KERN_INFO, KERN_NOTICE, KERN_WARNING } from "../lib/printk.js";
import { __GFP_ACCOUNT, __GFP_DMA, __GFP_RECLAIMABLE, GFP_KERNEL } from "../mm/gfp.js";
import { kmem_cache_lookup } from "../mm/kmem_caches.js";
import { kobj_alloc, kobj_free } from "../mm/kobj.js";
import type { KmemCache } from "../mm/slab.js";
import {
  kfree,
  kmalloc,
  kmem_cache_alloc,
  kmem_cache_create,
  kmem_cache_destroy,
  kmem_cache_free,
} from "../mm/slab_common.js";
import { debug_object_write } from "../mm/slub_debug.js";
import { module_alloc, type VmStruct, va, vfree, vmalloc } from "../mm/vmalloc.js";
import { do_exit } from "../sched/exit.js";
import type { Task } from "../sched/task.js";
import { SIGSEGV } from "../uapi/abi.js";
import * as E from "../uapi/errno.js";
import { type ModuleImage, type Op, parse_module } from "./format.js";

/* enum module_state */
export const MODULE_STATE_LIVE = 0; // normal state
export const MODULE_STATE_COMING = 1; // full formed, running module_init
export const MODULE_STATE_GOING = 2; // going away
export const MODULE_STATE_UNFORMED = 3; // still setting it up
export const module_state_names: readonly string[] = ["Live", "Loading", "Unloading", "Unformed"];

/** Something init allocated, for exit to give back (unless leaked). */
type Res =
  | { kind: "kmalloc"; addr: number; leak: boolean }
  | { kind: "obj"; cache: KmemCache; addr: number; leak: boolean }
  | { kind: "cache"; cache: KmemCache }
  | { kind: "vmalloc"; addr: number };

/** struct module. */
export interface Module {
  name: string;
  state: number;
  image: ModuleImage;
  core: VmStruct | null; // core_layout (text, rodata, data)
  init: VmStruct | null; // init_layout, until init has run
  taints: number; // TAINT_* bits this module caused
  params: Map<string, number>;
  res: Res[];
}

export interface ModuleState {
  /** The modules list, newest first (list_add_rcu at the head). */
  list: Module[];
  /** The last module unloaded and its taints ("[last unloaded: x(OE)]"). */
  last_unloaded: string;
}

export function new_module_state(): ModuleState {
  return { list: [], last_unloaded: "" };
}

/** Where module_alloc's callers are, as each reference kernel's vmallocinfo prints them. */
const LOAD_MODULE_CALLER: Record<string, [string, string]> = {
  arm: ["load_module+0xa90/0x21c8", "load_module+0x1b20/0x21c8"],
  x86_64: ["load_module+0xbb7/0x21a0", "load_module+0xbb7/0x21a0"],
  arm64: ["load_module+0xbb7/0x21a0", "load_module+0xbb7/0x21a0"],
};

/** Nodes of /sys/module/<name>: the directory, holders, notes, sections, refcnt, initstate... */
const SYSFS_MODULE_NODES = 12;

const GPL_COMPATIBLE = [
  "GPL",
  "GPL v2",
  "GPL and additional rights",
  "Dual BSD/GPL",
  "Dual MIT/GPL",
  "Dual MPL/GPL",
];

export function find_module(k: Kernel, name: string): Module | undefined {
  return k.modules.list.find((m) => m.name === name);
}

/** module_flags: "(OE)", with + while loading and - while unloading. */
export function module_flags(m: Module, show_state: boolean): string {
  const going = m.state === MODULE_STATE_GOING;
  const coming = m.state === MODULE_STATE_COMING;
  if (!m.taints && !(show_state && (going || coming))) return "";
  let s = "(";
  for (const bit of [0, 1, 10, 12, 13, 15, 18]) if (m.taints & (1 << bit)) s += taint_flags[bit][0];
  if (going && show_state) s += "-";
  if (coming && show_state) s += "+";
  return `${s})`;
}

/** "Modules linked in:" of oops and warning reports. */
export function modules_linked_in(k: Kernel): string {
  let s = "";
  for (const m of k.modules.list)
    if (m.state !== MODULE_STATE_UNFORMED) s += ` ${m.name}${module_flags(m, true)}`;
  if (k.modules.last_unloaded) s += ` [last unloaded: ${k.modules.last_unloaded}]`;
  return s;
}

function add_taint_module(k: Kernel, m: Module, flag: number): void {
  add_taint(k, flag);
  m.taints |= 1 << flag;
}

/** errno names of format.ts ("ENOMEM") to numbers. */
function errno_of(name: string): number {
  const v = (E as Record<string, unknown>)[name];
  return typeof v === "number" ? v : E.EINVAL;
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

/** parse_args: "a=1 b=2" against the module's int parameters. */
function parse_args(k: Kernel, m: Module, options: string): number {
  for (const tok of options.split(/\s+/).filter(Boolean)) {
    const eq = tok.indexOf("=");
    const param = eq < 0 ? tok : tok.slice(0, eq);
    const val = eq < 0 ? "" : tok.slice(eq + 1);
    if (!m.params.has(param)) {
      k.printk.printk(KERN_WARNING, `${m.name}: unknown parameter '${param}' ignored`);
      continue;
    }
    if (!/^-?(0x[0-9a-fA-F]+|\d+)$/.test(val)) {
      k.printk.printk(KERN_ERR, `${m.name}: \`${val}' invalid for parameter \`${param}'`);
      return -E.EINVAL;
    }
    m.params.set(param, Number(val));
  }
  return 0;
}

/**
 * load_module + do_init_module for init_module(2). Returns 0 or -errno;
 * an oops in init kills t (and the return value no longer matters).
 */
export function sys_init_module(k: Kernel, t: Task, image: Uint8Array, options: string): number {
  // copy_module_from_user: the image is vmalloc'd while the module is set up.
  const copy = vmalloc(k, Math.max(image.length, 1), "load_module");
  const r = load_module(k, t, image, options);
  if (copy) vfree(k, copy);
  return r;
}

function load_module(k: Kernel, t: Task, image: Uint8Array, options: string): number {
  const parsed = parse_module(new TextDecoder("latin1").decode(image), "");
  if (!parsed.ok) {
    k.printk.printk(KERN_ERR, parsed.log);
    return -errno_of(parsed.errno);
  }
  const img = parsed.image;
  if (!img.name) {
    k.printk.printk(KERN_WARNING, "No module found in object");
    return -E.ENOEXEC;
  }
  const m: Module = {
    name: img.name,
    state: MODULE_STATE_UNFORMED,
    image: img,
    core: null,
    init: null,
    taints: 0,
    params: new Map(img.params),
    res: [],
  };
  // layout_and_allocate: check_modinfo's taints, then the module's memory.
  if (!test_taint(k, TAINT_OOT_MODULE))
    k.printk.printk(KERN_WARNING, `${m.name}: loading out-of-tree module taints kernel.`);
  add_taint_module(k, m, TAINT_OOT_MODULE);
  const license = img.license || "unspecified";
  if (!GPL_COMPATIBLE.includes(license)) {
    if (!test_taint(k, TAINT_PROPRIETARY_MODULE))
      k.printk.printk(KERN_WARNING, `${m.name}: module license '${license}' taints kernel.`);
    add_taint_module(k, m, TAINT_PROPRIETARY_MODULE);
  }
  const [core_caller, init_caller] = LOAD_MODULE_CALLER[k.profile.arch];
  m.core = module_alloc(k, img.size, core_caller);
  m.init = m.core ? module_alloc(k, img.init_size, init_caller) : null;
  if (!m.core || !m.init) {
    free_module_memory(k, m);
    return -E.ENOMEM;
  }
  // add_unformed_module: the name must be free.
  if (find_module(k, m.name)) {
    free_module_memory(k, m);
    return -E.EEXIST;
  }
  if (!test_taint(k, TAINT_UNSIGNED_MODULE))
    k.printk.printk(
      KERN_NOTICE,
      `${m.name}: module verification failed: signature and/or required key missing - tainting kernel`,
    );
  add_taint_module(k, m, TAINT_UNSIGNED_MODULE);
  k.modules.list.unshift(m);
  const err = parse_args(k, m, options);
  if (err) {
    k.modules.list.shift();
    free_module_memory(k, m);
    return err;
  }
  // mod_sysfs_setup: /sys/module/<name>, its attributes and one file per parameter.
  const kn = kmem_cache_lookup(k, "kernfs_node_cache");
  for (let i = 0; i < SYSFS_MODULE_NODES + m.params.size; i++) kobj_alloc(k, kn, m, GFP_KERNEL);
  m.state = MODULE_STATE_COMING;
  return do_init_module(k, t, m);
}

/** do_init_module: run init; on success free the init section and go Live. */
function do_init_module(k: Kernel, t: Task, m: Module): number {
  let oopsed = false;
  const st = k.slab;
  st.oops = () => {
    oopsed = true;
  };
  const ret = run_ops(k, m, () => oopsed);
  st.oops = null;
  st.caller_trace = [];
  if (oopsed) {
    // die(): the rest of the oops report, then the task is killed (make_task_dead).
    print_modules(k);
    dump_stack(
      k,
      ["kfree", `${m.name}_init [${m.name}]`, "do_one_initcall", "do_init_module", "load_module"],
      4,
    );
    add_taint(k, TAINT_DIE);
    k.printk.printk(4, "---[ end trace 0000000000000000 ]---");
    do_exit(k, t, SIGSEGV);
    return -E.EFAULT;
  }
  if (ret < 0) {
    // A failing init undoes its own work (its error path), then the module is freed.
    undo_ops(k, m, true);
    k.modules.list.splice(k.modules.list.indexOf(m), 1);
    kobj_free(k, m);
    free_module_memory(k, m);
    return ret;
  }
  m.state = MODULE_STATE_LIVE;
  if (m.init) vfree(k, m.init.addr);
  m.init = null;
  return 0;
}

function free_module_memory(k: Kernel, m: Module): void {
  if (m.init) vfree(k, m.init.addr);
  if (m.core) vfree(k, m.core.addr);
  m.init = m.core = null;
}

/** The module's own caches by the name its file gives them. */
function module_cache(m: Module, name: string): KmemCache | null {
  for (const r of m.res) if (r.kind === "cache" && r.cache.name === name) return r.cache;
  for (const r of m.res) if (r.kind === "cache" && r.cache.aliases.includes(name)) return r.cache;
  return null;
}

/**
 * The init function: each directive in order. Allocations are tracked in
 * m.res; a directive that cannot allocate makes init fail with -ENOMEM.
 */
function run_ops(k: Kernel, m: Module, oopsed: () => boolean): number {
  const ops = m.image.ops;
  const fsize = 16 * (ops.length + 1);
  const count = (c: string): number =>
    c.startsWith("$") ? Math.max(0, m.params.get(c.slice(1)) ?? 0) : Number(c);
  for (let i = 0; i < ops.length; i++) {
    const op: Op = ops[i];
    const caller = `${m.name}_init+0x${(16 * i + 8).toString(16)}/0x${fsize.toString(16)} [${m.name}]`;
    k.slab.caller_trace = [
      caller,
      "do_one_initcall",
      "do_init_module",
      "load_module",
      "__do_sys_init_module",
    ];
    switch (op.op) {
      case "printk":
        k.printk.printk(KERN_INFO, op.text);
        break;
      case "fail":
        return -errno_of(op.errno);
      case "kmalloc": {
        const gfp =
          GFP_KERNEL |
          ({ ACCOUNT: __GFP_ACCOUNT, RECLAIMABLE: __GFP_RECLAIMABLE, DMA: __GFP_DMA }[op.gfp] ?? 0);
        for (let n = count(op.count); n > 0; n--) {
          const addr = kmalloc(k, op.size, gfp, caller);
          if (!addr) return -E.ENOMEM;
          m.res.push({ kind: "kmalloc", addr, leak: op.leak });
        }
        break;
      }
      case "cache": {
        const s = kmem_cache_create(k, op.name, op.size, op.flags, { caller, ctor: op.ctor });
        if (!s) return -E.ENOMEM;
        m.res.push({ kind: "cache", cache: s });
        break;
      }
      case "alloc": {
        const s = module_cache(m, op.name);
        if (!s) {
          k.printk.printk(KERN_ERR, `${m.name}: no cache ${op.name}`);
          return -E.EINVAL;
        }
        for (let n = count(op.count); n > 0; n--) {
          const addr = kmem_cache_alloc(k, s, GFP_KERNEL, caller);
          if (!addr) return -E.ENOMEM;
          m.res.push({ kind: "obj", cache: s, addr, leak: op.leak });
        }
        break;
      }
      case "vmalloc": {
        const addr = vmalloc(k, op.size, caller);
        if (!addr) return -E.ENOMEM;
        m.res.push({ kind: "vmalloc", addr });
        break;
      }
      case "overflow": {
        const addr = kmalloc(k, op.size, GFP_KERNEL, caller);
        if (!addr) return -E.ENOMEM;
        debug_object_write(k, addr, op.size, op.bytes, 0x41);
        kfree(k, addr, caller);
        break;
      }
      case "use_after_free": {
        const addr = kmalloc(k, op.size, GFP_KERNEL, caller);
        if (!addr) return -E.ENOMEM;
        kfree(k, addr, caller);
        debug_object_write(k, addr, 0, Math.min(8, op.size), 0x41);
        const again = kmalloc(k, op.size, GFP_KERNEL, caller);
        if (again) m.res.push({ kind: "kmalloc", addr: again, leak: false });
        break;
      }
      case "double_free": {
        const addr = kmalloc(k, op.size, GFP_KERNEL, caller);
        if (!addr) return -E.ENOMEM;
        kfree(k, addr, caller);
        kfree(k, addr, caller);
        if (oopsed()) return 0;
        break;
      }
    }
  }
  return 0;
}

/** The exit function (or init's error path): give back what is not leaked, newest first. */
function undo_ops(k: Kernel, m: Module, error_path: boolean): void {
  const fn = error_path ? "init" : "exit";
  const caller = `${m.name}_${fn}+0x8/0x10 [${m.name}]`;
  k.slab.caller_trace = [caller, error_path ? "do_init_module" : "__do_sys_delete_module"];
  for (let i = m.res.length - 1; i >= 0; i--) {
    const r = m.res[i];
    if (r.kind === "kmalloc" && !r.leak) kfree(k, r.addr, caller);
    else if (r.kind === "obj" && !r.leak) kmem_cache_free(k, r.cache, r.addr, caller);
    else if (r.kind === "vmalloc") vfree(k, r.addr);
    else if (r.kind === "cache") kmem_cache_destroy(k, r.cache, caller);
  }
  m.res = m.res.filter((r) => (r.kind === "kmalloc" || r.kind === "obj") && r.leak);
  k.slab.caller_trace = [];
}

/* ------------------------------------------------------------------ */
/* Unloading                                                            */
/* ------------------------------------------------------------------ */

/** delete_module(2): run exit and free the module. */
export function sys_delete_module(k: Kernel, _t: Task, name: string, _flags: number): number {
  if (!name) return -E.EFAULT; // delete_module(NULL): nothing to copy from user space
  const m = find_module(k, name);
  if (!m) return -E.ENOENT;
  if (m.state !== MODULE_STATE_LIVE) return -E.EBUSY;
  m.state = MODULE_STATE_GOING;
  undo_ops(k, m, false);
  k.modules.list.splice(k.modules.list.indexOf(m), 1);
  k.modules.last_unloaded = `${m.name}${module_flags(m, false)}`;
  kobj_free(k, m);
  free_module_memory(k, m);
  return 0;
}

/* ------------------------------------------------------------------ */
/* /proc/modules                                                        */
/* ------------------------------------------------------------------ */

/** /proc/modules: name, size, refcount, users, state, core address, taints. */
export function modules_show(k: Kernel): string {
  let out = "";
  for (const m of k.modules.list) {
    if (m.state === MODULE_STATE_UNFORMED) continue;
    const page = (x: number): number => Math.ceil(x / 4096) * 4096;
    const size = page(m.image.size) + (m.init ? page(m.image.init_size) : 0);
    const base = m.core
      ? va(k, m.core.addr)
          .toString(16)
          .padStart(k.profile.pointerBits / 4, "0")
      : "0";
    out += `${m.name} ${size} 0 - ${module_state_names[m.state]} 0x${base}`;
    if (m.taints) out += ` ${module_flags(m, true)}`;
    out += "\n";
  }
  return out;
}
