/*
 * fork.ts - creating tasks (Linux kernel/fork.c).
 *
 * copy_process gives the child its own kernel stack (THREAD_SIZE from the
 * buddy allocator), a copy of the parent's file table (sharing the open
 * files), root and cwd, signal actions and process group, and a
 * copy-on-write copy of the address space (dup_mmap). The child then
 * runs the function the parent passed, where a C program would return from
 * fork() a second time.
 */

import { copy_fs, dup_fd, exit_files } from "../fs/file_table.js";
import type { Kernel } from "../kernel.js";
import { __GFP_ACCOUNT, __GFP_ZERO, GFP_KERNEL } from "../mm/gfp.js";
import { dup_mmap } from "../mm/mmap.js";
import { NR_KERNEL_STACK_KB } from "../mm/mmzone.js";
import { alloc_pages, page_zone } from "../mm/page_alloc.js";
import { EAGAIN, ENOMEM } from "../uapi/errno.js";
import type { UserGen } from "../uapi/syscalls.js";
import { alloc_pid, enqueue_task } from "./core.js";
import { free_task_stack } from "./exit.js";
import { type SignalStruct, Task, type TaskGen } from "./task.js";

/** Cost of fork on the simulated machine (copying tables, ~50 us). */
const FORK_COST_NS = 50_000;

/** alloc_thread_stack_node: the kernel stack. Returns false when memory is short. */
export function alloc_task_stack(k: Kernel, t: Task): boolean {
  const gfp = GFP_KERNEL | __GFP_ACCOUNT | __GFP_ZERO;
  const pages: number[] = [];
  const order = k.profile.pointerBits === 32 ? 1 : 0;
  const count = k.profile.pointerBits === 32 ? 1 : 4;
  t.stack_order = order;
  for (let i = 0; i < count; i++) {
    const pfn = alloc_pages(k, gfp, order);
    if (pfn < 0) {
      t.stack_pfns = pages;
      free_task_stack(k, t);
      return false;
    }
    pages.push(pfn);
    k.nodes[page_zone(k, pfn).node].vm_stat[NR_KERNEL_STACK_KB] += 4 << order;
  }
  t.stack_pfns = pages;
  return true;
}

export function new_signal_struct(from?: SignalStruct): SignalStruct {
  return {
    pgrp: from?.pgrp ?? 0,
    session: from?.session ?? 0,
    tty: from?.tty ?? null,
    action: from ? [...from.action] : [],
    pending: new Set(),
    blocked: new Set(from?.blocked ?? []),
    stopped: false,
    notify: null,
    stopsig: 0,
  };
}

/** copy_process + wake_up_new_task for fork(2). Returns the child's pid or -errno. */
export function sys_fork(k: Kernel, parent: Task, child_fn: () => UserGen<number>): number {
  if (k.sched.tasks.size >= k.sched.pid_max - 300) return -EAGAIN;
  const pid = alloc_pid(k);
  const child = new Task(
    pid,
    parent.comm,
    dup_fd(k, parent.files),
    copy_fs(parent.fs),
    new_signal_struct(parent.signal),
  );
  if (!alloc_task_stack(k, child)) return -ENOMEM;
  // dup_mm: the child's copy of the address space, copy-on-write.
  if (parent.mm) {
    child.mm = dup_mmap(k, child, parent.mm);
    if (!child.mm) {
      exit_files(k, child);
      free_task_stack(k, child);
      return -ENOMEM;
    }
  }
  child.parent = parent;
  child.argv = parent.argv;
  child.envp = parent.envp;
  child.exe = parent.exe;
  child.oom_score_adj = parent.oom_score_adj;
  child.mempolicy = parent.mempolicy;
  child.rlim = parent.rlim.map((r) => [r[0], r[1]]);
  child.start_time = k.clock.ns;
  child.cpu = parent.cpu;
  child.gen = child_fn() as TaskGen;
  parent.children.push(child);
  k.sched.tasks.set(pid, child);
  k.sched.total_forks++;
  parent.cost += FORK_COST_NS;
  enqueue_task(k, child);
  return pid;
}
