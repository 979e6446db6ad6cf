/*
 * task_kmem.ts - the kernel objects a task is made of (Linux kernel/fork.c
 * dup_task_struct, alloc_thread_stack_node and copy_process; kernel/cred.c;
 * kernel/pid.c; kernel/exit.c __exit_signal; release_task's frees).
 *
 *   created with the task          freed
 *   task_struct, kernel stack      when the parent reaps it (release_task)
 *   pid, signal_cache,             "
 *   sighand_cache, cred_jar
 *   files_cache (not kthreads:     when it exits (exit_files)
 *     they share kthreadd's)
 *   mm_struct (when an mm exists)  with the address space
 *   cred_jar again at exec         the old cred at exec (commit_creds)
 *
 * Kernel stacks are virtually mapped (CONFIG_VMAP_STACK, on in the three
 * reference kernels): THREAD_SIZE from vmalloc, two freed stacks kept per
 * CPU for the next fork (vmalloc.ts). The vmalloc caller is kernel_clone
 * for every task, as vmallocinfo shows it.
 *
 * The address space's own objects (mm_struct, vm_area_struct, anon_vma,
 * anon_vma_chain) are taken and given back by the mm code (mm/mm_kmem.ts).
 */

import { d_invalidate } from "../fs/dcache.js";
import type { Kernel } from "../kernel.js";
import { __GFP_ZERO, GFP_KERNEL } from "../mm/gfp.js";
import { kmem_cache_lookup } from "../mm/kmem_caches.js";
import { kobj_alloc, kobj_free, kobj_free_one } from "../mm/kobj.js";
import { NR_KERNEL_STACK_KB } from "../mm/mmzone.js";
import { PAGE_SIZE, page_zone } from "../mm/page_alloc.js";
import { __vmalloc_node_range, type VmStruct, vfree } from "../mm/vmalloc.js";
import type { Task } from "./task.js";

/** Where kernel stacks are allocated, as each reference kernel's vmallocinfo names it. */
const KERNEL_CLONE: Record<string, string> = {
  arm: "kernel_clone+0xac/0x3c4",
  x86_64: "kernel_clone+0xbf/0x430",
  arm64: "kernel_clone+0xbf/0x430",
};

const stacks = new WeakMap<Task, VmStruct>();

/* ---- kernel stacks (CONFIG_VMAP_STACK) ---- */

/** THREAD_SIZE, and THREAD_ALIGN with VMAP_STACK (twice the size on ARM and arm64). */
export function thread_size(k: Kernel): number {
  return k.profile.pointerBits === 32 ? 8192 : 16384;
}

function thread_align(k: Kernel): number {
  return k.profile.arch === "x86_64" ? thread_size(k) : 2 * thread_size(k);
}

/**
 * alloc_thread_stack_node: a kernel stack, from this CPU's cache of freed
 * stacks if it has one, else a new vmalloc area. The stack's pages count
 * in NR_KERNEL_STACK_KB of their node while a task owns them.
 */
export function alloc_thread_stack_node(k: Kernel, caller: string): VmStruct | null {
  const cache = k.vmap.cached_stacks[k.cpu];
  let vm: VmStruct | null = null;
  for (let i = 0; i < cache.length && !vm; i++) {
    vm = cache[i];
    cache[i] = null;
  }
  if (!vm) {
    const [s, e] = k.vmap.vmalloc;
    vm = __vmalloc_node_range(k, thread_size(k), thread_align(k), s, e, GFP_KERNEL | __GFP_ZERO, 0, caller);
  }
  if (vm) account_kernel_stack(k, vm, 1);
  return vm;
}

function account_kernel_stack(k: Kernel, vm: VmStruct, sign: number): void {
  for (const pfn of vm.pages)
    k.nodes[page_zone(k, pfn).node].vm_stat[NR_KERNEL_STACK_KB] += (sign * PAGE_SIZE) / 1024;
}

/** The address of task t's kernel stack (null before it has one). */
export function task_stack_base(t: Task): number | null {
  return stacks.get(t)?.addr ?? null;
}

/** free_thread_stack: back to this CPU's cache if there is room, else vfree. */
export function free_thread_stack(k: Kernel, vm: VmStruct): void {
  account_kernel_stack(k, vm, -1);
  const cache = k.vmap.cached_stacks[k.cpu];
  for (let i = 0; i < cache.length; i++)
    if (!cache[i]) {
      cache[i] = vm;
      return;
    }
  vfree(k, vm.addr);
}

/**
 * dup_task_struct and copy_process's allocations for a new task t.
 * Returns false (having freed what it took) when memory is short.
 */
export function dup_task_kmem(k: Kernel, t: Task): boolean {
  if (!k.slab.up) return true;
  const vm = alloc_thread_stack_node(k, KERNEL_CLONE[k.profile.arch]);
  if (!vm) return false;
  stacks.set(t, vm);
  t.stack_pfns = vm.pages;
  t.stack_order = 0;
  const caches = ["task_struct", "pid", "cred_jar", "signal_cache", "sighand_cache"];
  if (!t.is_kthread()) caches.push("files_cache");
  for (const name of caches) {
    const owner = name === "files_cache" ? t.files : t;
    if (!kobj_alloc(k, kmem_cache_lookup(k, name), owner, GFP_KERNEL)) {
      free_task_kmem(k, t);
      return false;
    }
  }
  return true;
}

/** release_task / free_task: the stack and everything the task_struct side holds. */
export function free_task_kmem(k: Kernel, t: Task): void {
  const vm = stacks.get(t);
  if (vm) {
    stacks.delete(t);
    free_thread_stack(k, vm);
  }
  t.stack_pfns = [];
  kobj_free(k, t);
  kobj_free(k, t.files);
  proc_flush_pid(k, t.pid);
}

/** do_exit's part: the file table goes (exit_files); the address space's objects go with mmput. */
export function exit_task_kmem(k: Kernel, t: Task): void {
  kobj_free(k, t.files);
}

/** exec: a new cred replaces the old one (prepare_exec_creds, commit_creds). */
export function exec_task_kmem(k: Kernel, t: Task): void {
  if (!k.slab.up) return;
  const cred = kmem_cache_lookup(k, "cred_jar");
  kobj_free_one(k, t, cred);
  kobj_alloc(k, cred, t, GFP_KERNEL);
}

/** proc_flush_pid: the cached /proc/<pid> dentries of a reaped task go. */
export function proc_flush_pid(k: Kernel, pid: number): void {
  for (const m of k.vfs.mounts) {
    if (m.mnt_sb.s_type !== "proc") continue;
    const d = m.mnt_sb.s_root?.d_subdirs.get(String(pid));
    if (d && !d.d_mounted) d_invalidate(k, d);
  }
}
