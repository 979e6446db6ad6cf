/*
 * fork.ts - creating tasks (Linux kernel/fork.c).
 *
 * copy_process gives the child its own kernel stack (THREAD_SIZE from
 * vmalloc) and task_struct, a copy of the parent's file table (sharing the open
 * files), root and cwd, signal actions and process group, and a
 * copy-on-write copy of the address space (dup_mmap). The child then
 * runs the function the parent passed, where a C program would return from
 * fork() a second time.
 */

import { copy_thread } from "../arch/ptrace.js";
import { copy_fs, dup_fd, exit_files } from "../fs/file_table.js";
import type { BLOCK } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { dup_mmap } from "../mm/mmap.js";
import { PAGE_SIZE } from "../mm/page_alloc.js";
import { EAGAIN, ENOMEM } from "../uapi/errno.js";
import type { UserGen } from "../uapi/syscalls.js";
import { alloc_pid, enqueue_task, now_ns, sleep_on, WF_FORK } from "./core.js";
import { free_task_stack } from "./exit.js";
import { type SignalStruct, Task, type TaskGen } from "./task.js";
import { dup_task_kmem, thread_size } from "./task_kmem.js";

/** Cost of fork on the simulated machine (copying tables, ~50 us). */
const FORK_COST_NS = 50_000;

/**
 * dup_task_struct: the task_struct and its kernel stack (vmalloc'd,
 * CONFIG_VMAP_STACK), with the other objects copy_process allocates
 * (task_kmem.ts). Returns false when memory is short.
 */
/** MIN_THREADS and MAX_THREADS (FUTEX_TID_MASK) of kernel/fork.c. */
export const MIN_THREADS = 20;
export const MAX_THREADS = 0x3fffffff;

/**
 * fork_init's set_max_threads: as many tasks as would take an eighth of the
 * memory in kernel stacks (totalram_pages at mem_init, THREAD_SIZE each).
 * Half of that is init's RLIMIT_NPROC and RLIMIT_SIGPENDING.
 */
export function fork_init(k: Kernel): void {
  const threads = Math.floor((k.totalram_pages * PAGE_SIZE) / (thread_size(k) * 8));
  k.max_threads = Math.min(MAX_THREADS, Math.max(MIN_THREADS, threads));
}

export function alloc_task_stack(k: Kernel, t: Task): boolean {
  return dup_task_kmem(k, t);
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

/** How long a fork that met a dying OOM victim waits before trying again (a tick at HZ=250). */
const OOM_RETRY_NS = 4_000_000;

/** copy_process + wake_up_new_task for fork(2). Returns the child's pid or -errno. */
export function sys_fork(k: Kernel, parent: Task, child_fn: () => UserGen<number>): number | typeof BLOCK {
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
      // The allocator gave up only to let an OOM victim exit (page_alloc.ts); Linux waits in it
      // and retries, so fork tries again a tick later, its pid not taken yet (alloc_pid comes last).
      if (k.mm_hooks.oom_should_wait(k)) {
        k.sched.last_pid = pid - 1;
        return sleep_on(k, parent, null, false, now_ns(k) + OOM_RETRY_NS);
      }
      return -ENOMEM;
    }
  }
  child.parent = parent;
  child.argv = parent.argv;
  child.envp = parent.envp;
  child.exe = parent.exe;
  child.oom_score_adj = parent.oom_score_adj;
  copy_thread(k, child, parent);
  child.mempolicy = parent.mempolicy;
  child.rlim = parent.rlim.map((r) => [r[0], r[1]]);
  child.start_time = k.clock.ns;
  child.cpu = parent.cpu;
  // dup_task_struct copies the affinity, sched_fork the nice value (no SCHED_RESET_ON_FORK)
  child.cpus_mask = parent.cpus_mask;
  child.nr_cpus_allowed = parent.nr_cpus_allowed;
  child.nice = parent.nice;
  child.ioprio = parent.ioprio;
  child.gen = child_fn() as TaskGen;
  parent.children.push(child);
  k.sched.tasks.set(pid, child);
  k.sched.total_forks++;
  parent.cost += FORK_COST_NS;
  enqueue_task(k, child, WF_FORK);
  return pid;
}
