/*
 * sys.ts - the small system calls about the system and the process itself
 * (Linux kernel/sys.c, kernel/time/*.c, kernel/printk syslog, kernel/reboot.c).
 */

import type { BLOCK } from "./fs/fs.js";
import type { Kernel } from "./kernel.js";
import {
  KERN_EMERG,
  LOG_BUF_LEN,
  LOGLEVEL_DEFAULT,
  MINIMUM_CONSOLE_LOGLEVEL,
  record_print_text,
} from "./lib/printk.js";
import { nr_free_pages, totalhigh_pages } from "./mm/mm_init.js";
import { NR_FREE_PAGES, NR_SHMEM } from "./mm/mmzone.js";
import { global_node_page_state } from "./mm/show_mem.js";
import { signal_pending, sleep_on } from "./sched/core.js";
import type { Task } from "./sched/task.js";
import {
  CLOCK_MONOTONIC,
  CLOCK_REALTIME,
  LINUX_REBOOT_CMD_HALT,
  LINUX_REBOOT_CMD_POWER_OFF,
  LINUX_REBOOT_CMD_RESTART,
  PR_GET_NAME,
  PR_SET_NAME,
  SYSLOG_ACTION_CLEAR,
  SYSLOG_ACTION_CLOSE,
  SYSLOG_ACTION_CONSOLE_LEVEL,
  SYSLOG_ACTION_CONSOLE_OFF,
  SYSLOG_ACTION_CONSOLE_ON,
  SYSLOG_ACTION_OPEN,
  SYSLOG_ACTION_READ,
  SYSLOG_ACTION_READ_ALL,
  SYSLOG_ACTION_READ_CLEAR,
  SYSLOG_ACTION_SIZE_BUFFER,
  SYSLOG_ACTION_SIZE_UNREAD,
} from "./uapi/abi.js";
import { EFAULT, EINVAL, EPERM, ERESTARTSYS, ESRCH } from "./uapi/errno.js";
import type { Rusage, Sysinfo, Utsname } from "./uapi/syscalls.js";

export function sys_uname(k: Kernel): Utsname {
  const p = k.profile;
  return {
    sysname: "Linux",
    nodename: k.utsname.nodename,
    release: p.release,
    version: p.version,
    machine: p.utsMachine,
    domainname: "(none)",
  };
}

export function sys_sethostname(k: Kernel, name: string): number {
  if (name.length > 64) return -EINVAL;
  k.utsname.nodename = name;
  return 0;
}

/**
 * prctl (kernel/sys.c): of its options, the task's name - PR_SET_NAME copies
 * at most TASK_COMM_LEN - 1 (15) bytes into comm, PR_GET_NAME returns it.
 */
export function sys_prctl(t: Task, option: number, name: string | undefined): number | string {
  if (option === PR_SET_NAME) {
    if (name === undefined) return -EFAULT;
    t.comm = name.slice(0, 15);
    return 0;
  }
  if (option === PR_GET_NAME) return t.comm;
  return -EINVAL;
}

/** Seconds since boot, rounded up as sysinfo does. */
function uptime_s(k: Kernel): number {
  return Math.ceil(k.clock.ns / 1e9);
}

export function sys_sysinfo(k: Kernel): Sysinfo {
  const free = nr_free_pages(k);
  let freehigh = 0;
  for (const z of k.zones) if (z.zone_idx === k.zt.ZONE_HIGHMEM) freehigh += z.zone_page_state(NR_FREE_PAGES);
  const unit = 4096;
  const totalswap = k.mm_stat.total_swap_pages;
  const freeswap = k.mm_stat.nr_swap_pages;
  let procs = 0;
  for (const t of k.sched.tasks.values()) if (!t.exit_state || t.exit_state === 32) procs++;
  // do_sysinfo: values in bytes with mem_unit 1 when they fit, as on a 64-bit kernel.
  const fits = k.profile.pointerBits === 64 || (k.totalram_pages + totalswap) * unit < 2 ** 32;
  const s = fits ? unit : 1;
  return {
    uptime: uptime_s(k),
    loads: [k.sched.avenrun[0] << 5, k.sched.avenrun[1] << 5, k.sched.avenrun[2] << 5],
    totalram: k.totalram_pages * s,
    freeram: free * s,
    sharedram: global_node_page_state(k, NR_SHMEM) * s,
    bufferram: k.mm_stat.nr_blockdev_pages * s,
    totalswap: totalswap * s,
    freeswap: freeswap * s,
    procs,
    totalhigh: totalhigh_pages(k) * s,
    freehigh: freehigh * s,
    mem_unit: fits ? 1 : unit,
  };
}

export function sys_getrusage(t: Task, who: number): Rusage {
  if (who === -1)
    return {
      ru_utime: t.cutime,
      ru_stime: t.cstime,
      ru_maxrss: 0,
      ru_minflt: t.cmin_flt,
      ru_majflt: t.cmaj_flt,
      ru_nvcsw: 0,
      ru_nivcsw: 0,
    };
  return {
    ru_utime: t.utime,
    ru_stime: t.stime,
    ru_maxrss: 0,
    ru_minflt: t.min_flt,
    ru_majflt: t.maj_flt,
    ru_nvcsw: t.nvcsw,
    ru_nivcsw: t.nivcsw,
  };
}

export function sys_clock_gettime(k: Kernel, clock: number): number {
  if (clock === CLOCK_REALTIME) return Math.floor(k.clock.realtime * 1e9);
  if (clock === CLOCK_MONOTONIC || clock === 7) return k.clock.ns;
  return -EINVAL;
}

/** nanosleep: sleep until now + ns (interruptible). */
export function sys_nanosleep(k: Kernel, t: Task, ns: number): number | typeof BLOCK {
  if (ns < 0 || !Number.isFinite(ns)) return -EINVAL;
  if (t.timeout === 0) {
    if (ns === 0) return 0;
    t.timeout = k.clock.ns + ns;
  }
  if (k.clock.ns >= t.timeout) {
    t.timeout = 0;
    return 0;
  }
  if (signal_pending(t)) {
    t.timeout = 0;
    return -4;
  }
  return sleep_on(k, t, null, true, t.timeout);
}

export function sys_setpgid(k: Kernel, t: Task, pid: number, pgid: number): number {
  const target = pid === 0 ? t : k.sched.tasks.get(pid);
  if (!target) return -ESRCH;
  if (target !== t && target.parent !== t) return -ESRCH;
  if (pgid < 0) return -EINVAL;
  if (target.signal.session === target.pid) return -EPERM;
  target.signal.pgrp = pgid === 0 ? target.pid : pgid;
  return 0;
}

export function sys_setsid(t: Task): number {
  if (t.signal.pgrp === t.pid) return -EPERM;
  t.signal.session = t.pid;
  t.signal.pgrp = t.pid;
  t.signal.tty = null;
  return t.pid;
}

/**
 * do_syslog: syslog(2) (dmesg, klogd) and /proc/kmsg (fromProc). Every
 * caller is root here, so check_syslog_permissions lets all actions through.
 * SYSLOG_ACTION_READ sleeps on log_wait until a record it has not returned
 * yet is logged (interrupted by a signal: -ERESTARTSYS, as
 * wait_event_interruptible), then consumes what fits in len bytes;
 * READ_ALL and READ_CLEAR return the records since the last clear without
 * consuming them.
 */
export function do_syslog(
  k: Kernel,
  t: Task,
  type: number,
  len: number,
  fromProc = false,
): string | Uint8Array | number | typeof BLOCK {
  const log = k.printk;
  const fmt = (): string =>
    log
      .readAll()
      .map((r) => record_print_text(r))
      .join("");
  switch (type) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN:
      return 0;
    case SYSLOG_ACTION_READ:
      if (len < 0) return -EINVAL;
      if (!len) return 0;
      if (!log.prb_read_valid(log.syslog_seq)) {
        if (signal_pending(t)) return -ERESTARTSYS;
        return sleep_on(k, t, log.log_wait, true);
      }
      return log.syslog_print(len);
    case SYSLOG_ACTION_READ_ALL:
      return fmt();
    case SYSLOG_ACTION_READ_CLEAR: {
      const s = fmt();
      log.clear();
      return s;
    }
    case SYSLOG_ACTION_CLEAR:
      log.clear();
      return 0;
    case SYSLOG_ACTION_CONSOLE_OFF:
      if (log.saved_console_loglevel === LOGLEVEL_DEFAULT) log.saved_console_loglevel = log.console_loglevel;
      log.console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
      return 0;
    case SYSLOG_ACTION_CONSOLE_ON:
      if (log.saved_console_loglevel !== LOGLEVEL_DEFAULT) {
        log.console_loglevel = log.saved_console_loglevel;
        log.saved_console_loglevel = LOGLEVEL_DEFAULT;
      }
      return 0;
    case SYSLOG_ACTION_CONSOLE_LEVEL:
      if (len < 1 || len > 8) return -EINVAL;
      log.console_loglevel = Math.max(len, MINIMUM_CONSOLE_LOGLEVEL);
      // Implicitly re-enable logging to console
      log.saved_console_loglevel = LOGLEVEL_DEFAULT;
      return 0;
    case SYSLOG_ACTION_SIZE_UNREAD:
      return log.syslog_size_unread(fromProc);
    case SYSLOG_ACTION_SIZE_BUFFER:
      return LOG_BUF_LEN;
  }
  return -EINVAL;
}

/** syslog(2): a read's records come back as text. */
export function sys_syslog(k: Kernel, t: Task, type: number, len: number): string | number | typeof BLOCK {
  const r = do_syslog(k, t, type, len);
  return r instanceof Uint8Array ? new TextDecoder().decode(r) : r;
}

/** reboot(2): halt, power off or restart the machine. */
export function sys_reboot(k: Kernel, cmd: number): number {
  const msg =
    cmd === LINUX_REBOOT_CMD_POWER_OFF
      ? "reboot: Power down"
      : cmd === LINUX_REBOOT_CMD_HALT
        ? "reboot: System halted"
        : cmd === LINUX_REBOOT_CMD_RESTART
          ? "reboot: Restarting system"
          : null;
  if (!msg) return -EINVAL;
  k.printk.printk(KERN_EMERG, msg);
  k.sched.halted = msg;
  return 0;
}

/* getrlimit/setrlimit: RLIMIT_* indices and their defaults (unlimited = -1). */
export const RLIM_INFINITY = -1;
export const RLIMIT_SIGPENDING = 11;

/** INIT_RLIMITS, with fork_init's NPROC and SIGPENDING (half of max_threads). */
export function default_rlimits(k: Kernel): [number, number][] {
  const r: [number, number][] = [];
  for (let i = 0; i < 16; i++) r.push([RLIM_INFINITY, RLIM_INFINITY]);
  const half = Math.floor(k.max_threads / 2);
  r[3] = [8 * 1024 * 1024, RLIM_INFINITY]; // RLIMIT_STACK
  r[4] = [0, RLIM_INFINITY]; // RLIMIT_CORE
  r[6] = [half, half]; // RLIMIT_NPROC
  r[7] = [1024, 1048576]; // RLIMIT_NOFILE
  r[8] = [8 * 1024 * 1024, 8 * 1024 * 1024]; // RLIMIT_MEMLOCK
  r[RLIMIT_SIGPENDING] = [half, half];
  r[12] = [819200, 819200]; // RLIMIT_MSGQUEUE
  r[13] = [0, 0]; // RLIMIT_NICE
  r[14] = [0, 0]; // RLIMIT_RTPRIO
  return r;
}

export function sys_getrlimit(t: Task, resource: number): [number, number] | number {
  if (resource < 0 || resource >= 16) return -EINVAL;
  const r = t.rlim[resource];
  return [r[0], r[1]];
}

export function sys_setrlimit(t: Task, resource: number, cur: number, max: number): number {
  if (resource < 0 || resource >= 16) return -EINVAL;
  const inf = (x: number): number => (x === RLIM_INFINITY ? Number.POSITIVE_INFINITY : x);
  if (inf(cur) > inf(max)) return -EINVAL;
  t.rlim[resource] = [cur, max];
  return 0;
}

/* ---- setpriority/getpriority: the nice value (kernel/sys.c) ---- */

export const PRIO_PROCESS = 0;
export const PRIO_PGRP = 1;
export const PRIO_USER = 2;
const MIN_NICE = -20;
const MAX_NICE = 19;

/**
 * The tasks `which`/`who` names: one process (0: the caller), a process
 * group (0: the caller's), or a user's processes (0: the caller's uid;
 * everything runs as root here, so every task but the idle task).
 */
function prio_targets(k: Kernel, t: Task, which: number, who: number): Task[] {
  if (which === PRIO_PROCESS) {
    const p = who ? k.sched.tasks.get(who) : t;
    return p ? [p] : [];
  }
  if (which === PRIO_PGRP) {
    const pgrp = who || t.signal.pgrp;
    return [...k.sched.tasks.values()].filter((p) => p.signal.pgrp === pgrp && !p.exit_state);
  }
  return who === 0 ? [...k.sched.tasks.values()].filter((p) => p.pid !== 0) : [];
}

/** setpriority(2): nice values clamp to -20..19; ESRCH when no task matched. */
export function sys_setpriority(k: Kernel, t: Task, which: number, who: number, niceval: number): number {
  if (which < PRIO_PROCESS || which > PRIO_USER) return -EINVAL;
  const nice = Math.min(MAX_NICE, Math.max(MIN_NICE, niceval));
  const targets = prio_targets(k, t, which, who);
  // set_one_prio: root may lower a nice value (CAP_SYS_NICE), so every target takes it
  for (const p of targets) p.nice = nice;
  return targets.length ? 0 : -ESRCH;
}

/** getpriority(2): 20 - the lowest nice value among the tasks (1..40, as nice_to_rlimit), or -ESRCH. */
export function sys_getpriority(k: Kernel, t: Task, which: number, who: number): number {
  if (which < PRIO_PROCESS || which > PRIO_USER) return -EINVAL;
  const targets = prio_targets(k, t, which, who);
  if (!targets.length) return -ESRCH;
  return Math.max(...targets.map((p) => 20 - p.nice));
}
