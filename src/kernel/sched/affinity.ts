/*
 * affinity.ts - CPU affinity (the sched_setaffinity/sched_getaffinity part
 * of Linux kernel/sched/core.c).
 *
 * A task's cpus_mask says on which CPUs it may run; it starts as
 * CPU_MASK_ALL and is inherited across fork and exec. The scheduler
 * (core.ts) honours it where it places a task: select_cpu only picks
 * allowed CPUs when a task wakes or is forked, and a running task whose
 * mask no longer has its CPU is moved at its next preemption, as the
 * migration stopper would move it. There is no load balancing beyond that.
 *
 *   mask as user space passes it (cpu_set_t, len bytes of longs):
 *     bit 0 = CPU 0, bit 1 = CPU 1 ...     bits past nr_cpu_ids are ignored
 *
 * Per-CPU kernel threads (the smpboot threads ksoftirqd/N, migration/N,
 * cpuhp/N, and the workers of CPU N's pools) are bound to their CPU by
 * kthread_bind, which also makes them refuse a new mask (PF_NO_SETAFFINITY).
 * Simplified: no cpusets.
 */

import type { Kernel } from "../kernel.js";
import { EINVAL, ESRCH } from "../uapi/errno.js";
import { cpu_allowed, dequeue_task, enqueue_task } from "./core.js";
import { PF_NO_SETAFFINITY, type Task } from "./task.js";

/** cpu_active_mask: every CPU of the machine (none is ever offlined). */
function cpu_active_mask(k: Kernel): bigint {
  return (1n << BigInt(k.nr_cpu_ids)) - 1n;
}

/** sizeof(long) of the machine's ABI. */
function sizeof_long(k: Kernel): number {
  return k.profile.arch === "arm" ? 4 : 8;
}

function find_process_by_pid(k: Kernel, t: Task, pid: number): Task | null {
  return pid ? (k.sched.tasks.get(pid) ?? null) : t;
}

/**
 * __set_cpus_allowed_ptr: p may now run only on `mask` (which has an
 * active CPU). Queued on a CPU it lost, it moves now; running on one, it
 * is preempted and moves when its step ends.
 */
export function set_cpus_allowed_ptr(k: Kernel, p: Task, mask: bigint): number {
  if ((mask & cpu_active_mask(k)) === 0n) return -EINVAL;
  p.cpus_mask = mask;
  let n = 0;
  for (let c = 0; c < k.nr_cpu_ids; c++) if (cpu_allowed(p, c)) n++;
  p.nr_cpus_allowed = n;
  if (cpu_allowed(p, p.cpu)) return 0;
  const cpu = k.sched.cpus[p.cpu];
  if (p.on_rq) {
    dequeue_task(k, p);
    enqueue_task(k, p);
  } else if (cpu.curr === p) p.slice_left = 0;
  return 0;
}

/** cpu_to_node: the NUMA node of a CPU (the CPUs are dealt to the nodes in turn). */
export function cpu_to_node(k: Kernel, cpu: number): number {
  return k.nodes.length === 1 ? 0 : cpu % k.nodes.length;
}

/** cpumask_of_node: the node's CPUs, as a mask. */
export function cpumask_of_node(k: Kernel, nid: number): bigint {
  let mask = 0n;
  for (let c = 0; c < k.nr_cpu_ids; c++) if (cpu_to_node(k, c) === nid) mask |= 1n << BigInt(c);
  return mask;
}

/** kthread_bind: a kernel thread made for one CPU runs only there, and keeps that mask. */
export function kthread_bind(k: Kernel, p: Task, cpu: number): void {
  set_cpus_allowed_ptr(k, p, 1n << BigInt(cpu));
  p.flags |= PF_NO_SETAFFINITY;
  // Made asleep, it first runs (parks, or idles in its pool) on that CPU: task_cpu says so.
  if (!p.on_rq && k.sched.cpus[p.cpu].curr !== p) p.cpu = cpu;
}

/** sched_setaffinity(2): the mask arrives as len bytes; bits past them are not read. */
export function sys_sched_setaffinity(k: Kernel, t: Task, pid: number, len: number, mask: bigint): number {
  const p = find_process_by_pid(k, t, pid);
  if (!p) return -ESRCH;
  if (p.flags & PF_NO_SETAFFINITY) return -EINVAL;
  const bits = BigInt(Math.min(len, 1024) * 8);
  // cpumask_and with the cpuset's CPUs (all possible CPUs)
  return set_cpus_allowed_ptr(k, p, mask & ((1n << bits) - 1n) & cpu_active_mask(k));
}

/**
 * sched_getaffinity(2): the mask (cpus_mask & cpu_active_mask), or -EINVAL
 * when len bytes cannot hold nr_cpu_ids bits or are not whole longs.
 */
export function sys_sched_getaffinity(k: Kernel, t: Task, pid: number, len: number): bigint | number {
  if (len * 8 < k.nr_cpu_ids) return -EINVAL;
  if (len & (sizeof_long(k) - 1)) return -EINVAL;
  const p = find_process_by_pid(k, t, pid);
  if (!p) return -ESRCH;
  return p.cpus_mask & cpu_active_mask(k);
}
