/*
 * kernel_init.ts - the second half of boot (Linux init/main.c rest_init,
 * kernel_init, kernel_init_freeable; init/do_mounts.c; init/noinitramfs.c):
 * the filesystems, the kernel threads, the initramfs, the console, and
 * finally /init as process 1.
 */

import { block_dev_init } from "../block/init.js";
import { devtmpfs_init } from "../fs/devtmpfs.js";
import { sys_execve } from "../fs/exec.js";
import { ext2_fs_type } from "../fs/ext2/super.js";
import { fd_install } from "../fs/file_table.js";
import { FilesStruct, type Path } from "../fs/fs.js";
import { type InitramfsEntry, populate_rootfs } from "../fs/initramfs.js";
import { kern_path } from "../fs/namei.js";
import { sys_openat } from "../fs/open.js";
import { pipefifo_fops } from "../fs/pipe.js";
import { proc_fill_super } from "../fs/proc/generic.js";
import { proc_root } from "../fs/proc/root.js";
import { MKDEV, mount_root, register_filesystem } from "../fs/super.js";
import { debugfs_fill_super, sysfs_fill_super } from "../fs/sysfs.js";
import type { Kernel } from "../kernel.js";
import { KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import { GFP_KERNEL } from "../mm/gfp.js";
import { hugepage_init } from "../mm/huge_memory_sysfs.js";
import { hugetlb_init } from "../mm/hugetlb.js";
import { compaction_init, kcompactd } from "../mm/kcompactd.js";
import { khugepaged } from "../mm/khugepaged.js";
import { ksm_scan_thread } from "../mm/ksm.js";
import { ksm_init } from "../mm/ksm_sysfs.js";
import { lru_gen_sysfs_entry } from "../mm/lru_gen.js";
import { mm_kobj_entries } from "../mm/mm_kobj.js";
import { oom_reaper } from "../mm/oom_kill.js";
import { alloc_pages } from "../mm/page_alloc.js";
import { wb_workfn } from "../mm/page_writeback.js";
import { shmem_default_info, shmem_fill_super, shmem_init, shmem_parse_options } from "../mm/shmem.js";
import { vdso_init } from "../mm/vdso.js";
import { kswapd } from "../mm/vmscan.js";
import { cpumask_of_node, kthread_bind, set_cpus_allowed_ptr } from "../sched/affinity.js";
import { EXEC_DONE, enqueue_task } from "../sched/core.js";
import { alloc_task_stack, new_signal_struct } from "../sched/fork.js";
import { PF_KTHREAD, TASK_INTERRUPTIBLE, Task, type TaskGen, WaitQueue } from "../sched/task.js";
import { INIT_WORK, queue_work, system_unbound_wq, worker_attach } from "../sched/workqueue.js";
import { default_rlimits } from "../sys.js";
import { tick_boot_done } from "../time/tick.js";
import { O_RDWR, S_IFCHR, S_IFDIR } from "../uapi/abi.js";
import { ENOENT } from "../uapi/errno.js";
import { prepare_namespace } from "./do_mounts.js";
import { type BootState, boot_line, boot_step, has_initrd, unknown_bootoption } from "./main.js";

/** Filesystem types known to this kernel. */
function register_filesystems(k: Kernel): void {
  const tmpfs = (type: string) => ({
    name: type,
    nodev: true,
    mount: (kk: Kernel, _dev: string, _flags: number, data: string) => {
      const info = shmem_default_info(kk);
      info.show_size = false;
      const r = shmem_parse_options(kk, info, data);
      if (r < 0) return r;
      if (data.split(",").some((o) => o.startsWith("size=") || o.startsWith("nr_inodes=")))
        info.show_size = true;
      return shmem_fill_super(kk, type, info);
    },
  });
  register_filesystem(k, tmpfs("tmpfs"));
  register_filesystem(k, { name: "proc", nodev: true, mount: (kk) => proc_fill_super(kk, proc_root(kk)) });
  register_filesystem(k, { name: "sysfs", nodev: true, mount: (kk) => sysfs_fill_super(kk) });
  register_filesystem(k, { name: "debugfs", nodev: true, mount: (kk) => debugfs_fill_super(kk) });
  register_filesystem(k, {
    name: "devtmpfs",
    nodev: true,
    mount: (kk) => kk.devtmpfs_sb ?? devtmpfs_init(kk, kk.console),
  });
  register_filesystem(k, { name: "rootfs", nodev: true, mount: () => -ENOENT });
  register_filesystem(k, ext2_fs_type);
  k.vfs.fifo_fops = pipefifo_fops;
}

/**
 * The kernel threads a 6.1 kernel starts, in the order it starts them (the
 * reference kernels' ps): they sleep until their work arrives. Each CPU's
 * two worker pools (normal and high priority, "H") and the unbound pool
 * (id 2 x CPUs; its high-priority twin comes last) start with an idle
 * kworker; CPU 0's events pool has grown a second one by the time the
 * other CPUs come up. "%u" stands for the unbound pool's id. Workers
 * that the pools add later under load, and the short-lived helpers
 * (modprobe) whose pids the reference skips, are not modelled.
 */
function early_kthreads(arch: string): string[] {
  return [
    "kthreadd",
    "rcu_gp",
    "rcu_par_gp",
    "slub_flushwq",
    "netns",
    "kworker/0:0",
    "kworker/0:0H",
    "kworker/u%u:0",
    "mm_percpu_wq",
    // Tasks RCU proper only in a preemptible kernel (Debian's amd64 and arm64 builds).
    ...(arch === "arm" ? [] : ["rcu_tasks_kthread"]),
    "rcu_tasks_rude_kthread",
    "rcu_tasks_trace_kthread",
    "ksoftirqd/0",
    arch === "arm" ? "rcu_sched" : "rcu_preempt",
    "migration/0",
    "kworker/0:1",
    "cpuhp/0",
  ];
}
/** A secondary CPU brought up: its hotplug, stopper and softirq threads, and its pools' workers. */
const PER_CPU_KTHREADS = ["cpuhp", "migration", "ksoftirqd", "kworker/%c:0", "kworker/%c:0H"];
/** After SMP bring-up: the initcalls' threads and workqueue rescuers, by architecture. */
function late_kthreads(arch: string): string[] {
  const x86 = arch === "x86_64";
  const arm = arch === "arm";
  return [
    "kdevtmpfs",
    "inet_frag_wq",
    "kauditd",
    "khungtaskd",
    "oom_reaper",
    "writeback",
    "kcompactd0",
    "ksmd",
    "khugepaged",
    "kintegrityd",
    "kblockd",
    "blkcg_punt_bio",
    "tpm_dev_wq",
    ...(x86 ? ["edac-poller"] : []),
    "devfreq_wq",
    ...(arm ? ["watchdogd"] : ["quota_events_unbound"]),
    "kswapd0",
    "kthrotld",
    ...(x86 ? ["acpi_thermal_pm"] : arm ? ["kapmd"] : []),
    "mld",
    "ipv6_addrconf",
    "kstrp",
    "zswap-shrink",
    "kworker/u%U:0",
  ];
}
/**
 * How each sleeps, as ps shows it: the workqueue rescuers (WQ_MEM_RECLAIM)
 * and the high-priority pools' workers wait in TASK_IDLE at nice -20 ("I<");
 * other idle workers and the RCU threads idle at nice 0 ("I"); ksmd and
 * khugepaged run at nice 5 and 19 ("N"); the rest sleep ("S").
 */
const RESCUERS = [
  "rcu_gp",
  "rcu_par_gp",
  "slub_flushwq",
  "netns",
  "mm_percpu_wq",
  "inet_frag_wq",
  "writeback",
  "kintegrityd",
  "kblockd",
  "blkcg_punt_bio",
  "tpm_dev_wq",
  "edac-poller",
  "devfreq_wq",
  "quota_events_unbound",
  "kthrotld",
  "acpi_thermal_pm",
  "mld",
  "ipv6_addrconf",
  "kstrp",
  "zswap-shrink",
];
function kthread_style(name: string, unbound_hi: string): { idle: boolean; nice: number } | null {
  if (RESCUERS.includes(name) || name === unbound_hi || /^kworker\/\d+:\d+H$/.test(name))
    return { idle: true, nice: -20 };
  if (
    name.startsWith("kworker/") ||
    name.startsWith("rcu_tasks") ||
    name === "rcu_preempt" ||
    name === "rcu_sched"
  )
    return { idle: true, nice: 0 };
  if (name === "ksmd") return { idle: false, nice: 5 };
  if (name === "khugepaged") return { idle: false, nice: 19 };
  return null;
}

/** A sleeping kernel thread: its body waits on its own queue (its work arrives with its subsystem). */
export function kthread_create(k: Kernel, name: string, body?: (k: Kernel, t: Task) => TaskGen): Task {
  const pid = k.sched.last_pid + 1;
  k.sched.last_pid = pid;
  const init = k.sched.tasks.get(1);
  const t = new Task(pid, name, new FilesStruct(), init?.fs ?? k.init_fs!, new_signal_struct());
  t.flags |= PF_KTHREAD;
  t.rlim = default_rlimits(k); // kthreadd's copy of init_task's, with fork_init's limits
  t.parent = k.sched.tasks.get(2) ?? null;
  t.start_time = k.clock.ns;
  alloc_task_stack(k, t);
  const wq = new WaitQueue();
  t.gen = (body ?? ((_k, self) => idle_kthread(self, wq)))(k, t);
  const style = kthread_style(name, `kworker/u${2 * k.nr_cpu_ids + 1}:0`);
  if (style) {
    t.idle = style.idle;
    t.nice = style.nice;
  }
  t.state = TASK_INTERRUPTIBLE;
  wq.tasks.add(t);
  t.sleeping_on.add(wq);
  k.sched.tasks.set(pid, t);
  k.kthread_wq.set(name, wq);
  if (name.startsWith("kworker/")) worker_attach(k, t);
  // The smpboot threads are made on their CPU (kthread_create_on_cpu) and bound there.
  const percpu = /^(?:ksoftirqd|migration|cpuhp)\/(\d+)$/.exec(name);
  if (percpu) kthread_bind(k, t, Number(percpu[1]));
  return t;
}

/**
 * kswapd and kcompactd start by keeping to their node's CPUs
 * (set_cpus_allowed_ptr(cpumask_of_node), not a bind): they then sleep on one of them.
 */
function node_affine(k: Kernel, t: Task, nid: number): void {
  const mask = cpumask_of_node(k, nid);
  if (!mask) return;
  set_cpus_allowed_ptr(k, t, mask);
  while (!((mask >> BigInt(t.cpu)) & 1n)) t.cpu = (t.cpu + 1) % k.nr_cpu_ids;
}

/** A kernel thread with nothing to do yet sleeps on its queue, forever. */
function* idle_kthread(_t: Task, wq: WaitQueue): TaskGen {
  for (;;) yield { nr: "__kwait", wq };
}

/**
 * mnt_init: the filesystem types, shmem_init's internal tmpfs (shm_mnt, the
 * first anonymous device, 0:1), then the rootfs mounted at "/" (0:2, sized
 * by the RAM of that moment).
 */
export function vfs_init(k: Kernel): void {
  register_filesystems(k);
  shmem_init(k);
  const info = shmem_default_info(k);
  const rootsb = shmem_fill_super(k, "rootfs", info);
  const rootmnt = mount_root(k, rootsb, "rootfs", 0);
  const root: Path = { mnt: rootmnt, dentry: rootsb.s_root! };
  k.init_fs = { root, pwd: root, umask: 0o022 };
}

/** console_on_rootfs: /dev/console as init's stdin, stdout and stderr. */
function console_on_rootfs(k: Kernel, init: Task): void {
  const fd = sys_openat(k, init, "/dev/console", O_RDWR, 0);
  if (fd < 0) {
    k.printk.printk(KERN_WARNING, "Warning: unable to open an initial console.");
    return;
  }
  const f = init.files.fd[fd]!;
  f.f_count += 2;
  fd_install(init, f, 1);
  fd_install(init, f, 2);
}

/** Where kernel_init looks for init on a disk root when init= names none. */
const INIT_CANDIDATES = ["/sbin/init", "/etc/init", "/bin/init", "/bin/sh"];

/**
 * With no initramfs, the disks the kernel drives itself probe during the
 * initcalls, prepare_namespace mounts root= at / (init/do_mounts.ts), and
 * init is init= or the first of /sbin/init, /etc/init, /bin/init, /bin/sh.
 */
function mount_root_from_disk(k: Kernel, bs: BootState, init: Task): void {
  block_dev_init(k);
  bs.block_probed = true;
  prepare_namespace(k, init);
  bs.init_path =
    k.params.get("init") ??
    INIT_CANDIDATES.find((p) => typeof kern_path(k, init, p) !== "number") ??
    INIT_CANDIDATES[0];
}

/**
 * argv_init and envp_init: "/init", HOME and TERM, and the command line's parameters the
 * kernel does not know (unknown_bootoption): NAME=VALUE to the environment, a bare word to the
 * arguments.
 */
export function init_args(k: Kernel): { argv: string[]; envp: string[] } {
  const argv = ["/init"];
  const envp = ["HOME=/", "TERM=linux"];
  for (const [key, v] of k.params) {
    if (!unknown_bootoption(key)) continue;
    if (v === "") argv.push(key);
    else envp.push(`${key}=${v}`);
  }
  return { argv, envp };
}

/** rest_init + kernel_init: everything from the initramfs to exec of /init. */
export function kernel_init(k: Kernel, bs: BootState, image: InitramfsEntry[]): void {
  vdso_init(k);
  // pid 1 and pid 2 exist before the rest of boot runs.
  const init = new Task(1, "swapper/0", new FilesStruct(), k.init_fs!, new_signal_struct());
  init.rlim = default_rlimits(k);
  init.start_time = 0;
  alloc_task_stack(k, init);
  k.sched.tasks.set(1, init);
  k.sched.last_pid = 1;
  init.comm = "swapper/0";
  const arch = k.profile.arch;
  const pool = (name: string): string =>
    name.replace("%u", String(2 * k.nr_cpu_ids)).replace("%U", String(2 * k.nr_cpu_ids + 1));
  const [kthreadd, ...early] = early_kthreads(arch);
  kthread_create(k, kthreadd).parent = null;
  for (const name of early) kthread_create(k, pool(name));
  for (let cpu = 1; cpu < k.nr_cpu_ids; cpu++)
    for (const n of PER_CPU_KTHREADS)
      kthread_create(k, n.includes("%c") ? n.replace("%c", String(cpu)) : `${n}/${cpu}`);
  compaction_init(k);
  hugetlb_init(k);
  ksm_init(k);
  hugepage_init(k);
  // lru_gen_init_sysfs (late_initcall), swap_init_sysfs and numa_init_sysfs (subsys_initcall).
  k.sysfs_mm.push(lru_gen_sysfs_entry(), ...mm_kobj_entries(k));
  for (const name of late_kthreads(arch).map(pool)) {
    if (name === "khugepaged" && !k.cfg.TRANSPARENT_HUGEPAGE) continue;
    // One kswapd per node (kswapd0, kswapd1...), each balancing its own node.
    if (name === "kswapd0")
      for (const pgdat of k.nodes) {
        node_affine(k, kthread_create(k, `kswapd${pgdat.node_id}`, kswapd(pgdat.node_id)), pgdat.node_id);
        // kswapd_run: the queue kswapd sleeps on is pgdat->kswapd_wait, the one wakeup_kswapd wakes.
        pgdat.kswapd_wait = k.kthread_wq.get(`kswapd${pgdat.node_id}`)!;
      }
    else if (name === "kcompactd0")
      for (const pgdat of k.nodes)
        node_affine(
          k,
          kthread_create(k, `kcompactd${pgdat.node_id}`, kcompactd(pgdat.node_id)),
          pgdat.node_id,
        );
    else if (name === "oom_reaper") kthread_create(k, name, oom_reaper);
    else if (name === "writeback") kthread_create(k, name, wb_workfn);
    else if (name === "ksmd") kthread_create(k, name, ksm_scan_thread);
    else if (name === "khugepaged") kthread_create(k, name, khugepaged);
    else kthread_create(k, name);
  }
  // The percpu allocator populates its first dynamic chunk (pcpu_balance_workfn).
  for (let i = 0; i < 3 * k.nr_cpu_ids; i++) {
    const pfn = alloc_pages(k, GFP_KERNEL, 0);
    if (pfn >= 0) bs.tables.push({ name: "percpu chunk", pfn, order: 0 });
  }
  k.mm_stat.pcpu_nr_pages = (k.profile.percpuPages + 3) * k.nr_cpu_ids;

  k.sched.current = init;
  let console_open = false;
  for (const [text, us] of bs.remaining) {
    k.clock.advance(us * 1000);
    if (text === "@initramfs") {
      // The built-in initramfs (usr/default_cpio_list): /dev, /dev/console and /root come first.
      const base: InitramfsEntry[] = [
        { path: "/dev", mode: S_IFDIR | 0o755, mtime: 0 },
        { path: "/dev/console", mode: S_IFCHR | 0o600, mtime: 0, rdev: MKDEV(5, 1) },
        { path: "/root", mode: S_IFDIR | 0o700, mtime: 0 },
      ];
      // populate_rootfs: do_populate_rootfs runs async, on an events_unbound kworker.
      const entries = has_initrd(bs) ? [...base, ...image] : base;
      queue_work(
        k,
        system_unbound_wq,
        INIT_WORK(function do_populate_rootfs() {
          if (has_initrd(bs)) k.printk.printk(KERN_INFO, "Trying to unpack rootfs image as initramfs...");
          populate_rootfs(k, init, entries);
        }),
      );
      continue;
    }
    if (text === "@free_initmem" && !has_initrd(bs)) {
      // The end of kernel_init_freeable: no initramfs, so no /init in the rootfs - the root is on a disk.
      console_on_rootfs(k, init);
      console_open = true;
      mount_root_from_disk(k, bs, init);
    }
    if (text.startsWith("@")) boot_step(k, bs, text);
    else boot_line(k, text);
  }
  k.sched.current = null;
  k.boot = null;
  tick_boot_done(k);

  // console_on_rootfs, then run_init_process("/init").
  if (!console_open) console_on_rootfs(k, init);
  const { argv, envp } = init_args(k);
  const rdinit = has_initrd(bs) ? (k.params.get("rdinit") ?? k.params.get("init") ?? "/init") : bs.init_path;
  argv[0] = rdinit;
  k.sched.current = init;
  const r = sys_execve(k, init, rdinit, argv, envp);
  k.sched.current = null;
  if (r !== EXEC_DONE) {
    k.printk.printk(
      0,
      `Kernel panic - not syncing: No working init found.  Try passing init= option to kernel. See Linux Documentation/admin-guide/init.rst for guidance.`,
    );
    k.sched.halted = "No working init found";
    return;
  }
  init.signal.session = 1;
  init.signal.pgrp = 1;
  enqueue_task(k, init);
}
