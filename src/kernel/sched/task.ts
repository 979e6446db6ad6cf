/*
 * task.ts - struct task_struct and the pid table (Linux
 * include/linux/sched.h, kernel/pid.c).
 *
 * A task runs a generator: a user program (which yields syscall requests)
 * or a kernel thread (which yields waits). The scheduler (core.ts) resumes
 * it with the result of its last request. Every task owns a kernel stack of
 * THREAD_SIZE taken from the buddy allocator, so creating tasks costs real
 * memory (KernelStack in /proc/meminfo).
 *
 * Simplified: one thread per process (tgid == pid), no credentials beyond
 * uid 0, no namespaces.
 */

import type { File, FilesStruct, FsStruct } from "../fs/fs.js";
import { double_fields } from "../lib/shapes.js";
import type { Mempolicy } from "../mm/mempolicy.js";
import type { MmStruct } from "../mm/mm_struct.js";
import type { CpuAccess } from "../uapi/mman.js";
import type { Sys, UserGen } from "../uapi/syscalls.js";

/* task states (include/linux/sched.h) */
export const TASK_RUNNING = 0x0000;
export const TASK_INTERRUPTIBLE = 0x0001;
export const TASK_UNINTERRUPTIBLE = 0x0002;
export const __TASK_STOPPED = 0x0004;
export const EXIT_DEAD = 0x0010;
export const EXIT_ZOMBIE = 0x0020;

/* per-task flags (PF_*) */
export const PF_EXITING = 0x00000004;
/** I'm a workqueue worker. */
export const PF_WQ_WORKER = 0x00000020;
export const PF_MEMALLOC = 0x00000800;
export const PF_KTHREAD = 0x00200000;
/** Userland may not change the task's CPU affinity (kthread_bind_mask). */
export const PF_NO_SETAFFINITY = 0x04000000;

/** What a kernel thread yields: a request to sleep. */
export type KReq = { nr: "__kwait"; wq: WaitQueue; until?: number } | { nr: "__kyield" };

export type TaskGen = Generator<Sys | KReq, number, unknown>;

/** Task's fields that hold times in ns (or user addresses in pages), past the small integers (lib/shapes.ts). */
const TASK_NS_FIELDS = [
  "timeout",
  "io_until",
  "psi_memstall_from",
  "last_user_ns",
  "last_queued",
  "utime",
  "stime",
  "start_time",
  "cutime",
  "cstime",
  "ufault_vpn",
  "slice_left",
  "cost",
  "ucost",
  "slept",
] as const;

/** Signal handling state (struct signal_struct + sighand_struct, merged). */
export interface SignalStruct {
  pgrp: number;
  session: number;
  /** Controlling terminal (the console tty), if any. */
  tty: unknown | null;
  /** action[sig]: SIG_DFL (0), SIG_IGN (1) or a handler. */
  action: (number | ((sig: number) => UserGen<void>))[];
  /** Pending signals (a set of numbers). */
  pending: Set<number>;
  blocked: Set<number>;
  /** The group is stopped (SIGSTOP/SIGTSTP); the parent may learn it via wait. */
  stopped: boolean;
  /** A stop or continue the parent has not collected yet (WUNTRACED / WCONTINUED). */
  notify: "stopped" | "continued" | null;
  stopsig: number;
}

export class Task {
  pid: number;
  comm: string;
  /**
   * The name and command line an exec gives, taken when the new program first runs: the exec's
   * time is charged as one lump after the call, and until it is over ps still shows the task as
   * it was (as Linux does until the exec's point of no return).
   */
  exec_shown: { comm: string; argv: string[]; envp: string[] } | null = null;
  parent: Task | null = null;
  children: Task[] = [];
  state = TASK_RUNNING;
  exit_state = 0;
  /** wait status: exit code << 8, or the killing signal. */
  exit_code = 0;
  flags = 0;
  /** The program or kernel thread body. */
  gen: TaskGen | null = null;
  /** The request being served (kept while sleeping, so it can be retried). */
  req: Sys | KReq | null = null;
  /** The value the generator gets on its next resume. */
  resume: unknown = undefined;
  /** A result saved while a signal handler runs (restored by rt_sigreturn). */
  saved_resume: unknown = undefined;
  files: FilesStruct;
  fs: FsStruct;
  signal: SignalStruct;
  /** CPU the task last ran on. */
  cpu = 0;
  /** The CPUs it may run on (cpus_mask; bit n for CPU n; all bits: CPU_MASK_ALL), and how many of them exist. */
  cpus_mask = -1n;
  nr_cpus_allowed = Number.MAX_SAFE_INTEGER;
  /** I/O priority (ioprio_set): class << IOPRIO_CLASS_SHIFT | level; 0 is none (follows the nice value). */
  ioprio = 0;
  on_rq = false;
  /** Absolute simulated time at which a sleeping task's timeout expires. */
  timeout = 0;
  /** When the I/O the current step waits for completes (io_wait_until); the task sleeps until then in D state. */
  io_until = 0;
  /** Asleep waiting for I/O (counted in its CPU's nr_iowait). */
  in_iowait = false;
  /** In a memory stall (psi_memstall_enter): reclaiming or compacting for an allocation, or kswapd's pass. */
  psi_memstall = false;
  /** Its cost when the stall began (psi_memstall_enter's pflags): psi_memstall_leave counts from there. */
  psi_memstall_from = 0;
  /** Reading back a page of the workingset in this step: its I/O wait is a memory stall too. */
  psi_thrashing = false;
  /** The D-state sleep of io_until is I/O (iowait) rather than a plain timeout. */
  io_is_iowait = true;
  /** The user part of the last step's time (for the CPU's user/system split). */
  last_user_ns = 0;
  /** When it last went on a runqueue (sched_info.last_queued, ns): schedstat's run_delay. */
  last_queued = 0;
  /** Simulated ns spent in user and kernel mode. */
  utime = 0;
  stime = 0;
  start_time = 0;
  nvcsw = 0;
  nivcsw = 0;
  min_flt = 0;
  maj_flt = 0;
  /** Sums of reaped children (for times() and getrusage(RUSAGE_CHILDREN)). */
  cutime = 0;
  cstime = 0;
  cmin_flt = 0;
  cmaj_flt = 0;
  /** Largest RSS (KiB) of this task's address spaces, and of its reaped children's (signal->maxrss, cmaxrss). */
  maxrss_kb = 0;
  cmaxrss_kb = 0;
  /** Pages of the kernel stack (THREAD_SIZE). */
  stack_pfns: number[] = [];
  /** Order of each stack block: one order-1 block on ARM32, four order-0 vmalloc pages on 64-bit. */
  stack_order = 0;
  /** Where wait4() callers sleep until a child changes state. */
  wait_chldexit = new WaitQueue();
  oom_score_adj = 0;
  /** The OOM killer's first choice while set (signal->oom_flag_origin: swapoff, ksm's unmerge). */
  oom_flag_origin = false;
  /** Chosen by the OOM killer (TIF_MEMDIE): may use the reserves to exit, counted in oom_victims. */
  oom_victim = false;
  /** The user registers saved at the last kernel entry (arch/ptrace.ts; null for kernel threads). */
  uregs: Float64Array | null = null;
  /** A fault not yet applied to uregs (arch/ptrace.ts fault_regs), and its address: page and offset. */
  ufault: CpuAccess | null = null;
  ufault_vpn = 0;
  ufault_off = 0;
  /** Inside a user page fault (for the stack an allocation report shows). */
  in_fault = false;
  argv: string[] = [];
  envp: string[] = [];
  /** Nice value (-20..19): priority 20 + nice in /proc/PID/stat, "<" or "N" in ps. */
  nice = 0;
  /** Sleeping in TASK_IDLE (a kernel thread with no work: state "I", not counted in the load). */
  idle = false;
  /** NUMA policy for new pages (set_mempolicy), null for the local node. */
  mempolicy: Mempolicy | null = null;
  /** The address space (null for kernel threads). */
  mm: MmStruct | null = null;
  /** The executable file (/proc/PID/exe). */
  exe: File | null = null;
  /** Wait queue entries this task currently sleeps on. */
  sleeping_on: Set<WaitQueue> = new Set();
  /** Ticks the task may still run before it is preempted (ns). */
  slice_left = 0;
  /** Set by wake_up_process: a kernel thread's wait is over. */
  woken = false;
  /** Set when a syscall handler wants to charge extra simulated time. */
  cost = 0;
  /** The part of the current step spent in user mode (the program's own loads and stores). */
  ucost = 0;
  /** Time the current step slept inside the kernel (reclaim_throttle): it has passed for the task. */
  slept = 0;
  /** RLIMIT_* soft and hard limits. */
  rlim: [number, number][] = [];
  constructor(pid: number, comm: string, files: FilesStruct, fs: FsStruct, signal: SignalStruct) {
    this.pid = pid;
    this.comm = comm;
    this.files = files;
    this.fs = fs;
    this.signal = signal;
    double_fields(this, TASK_NS_FIELDS);
  }
  get tgid(): number {
    return this.pid;
  }
  is_kthread(): boolean {
    return (this.flags & PF_KTHREAD) !== 0;
  }
  /** Reclaiming, or allowed to use the reserves (PF_MEMALLOC): what mm_hooks.current_task reports. */
  get pf_memalloc(): boolean {
    return (this.flags & PF_MEMALLOC) !== 0;
  }
}

/** A wait queue (wait_queue_head_t): tasks sleeping until something happens. */
export class WaitQueue {
  tasks = new Set<Task>();
}
