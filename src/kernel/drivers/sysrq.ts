/*
 * sysrq.ts - the magic SysRq key, as /proc/sysrq-trigger offers it (Linux
 * drivers/tty/sysrq.c, with the keys other parts of a Debian 6.1 kernel
 * register: poweroff(o) from kernel/power/poweroff.c).
 *
 * A write hands its first byte to __handle_sysrq without the
 * kernel.sysrq mask check (that is only for the keyboard). The action's
 * name is logged as "sysrq: <action>" with the console loglevel raised to
 * its default for that one line, so it is seen even after `echo 0`; a key
 * without an action prints the help line instead.
 *
 * The memory keys are the point here: m is show_mem (the Mem-Info block of
 * an OOM report, for all zones), f runs the OOM killer from a kworker as if
 * memory had run out (order=-1: it never panics, and says "OOM request
 * ignored" when nobody can be killed). Also modelled: loglevel (0-9),
 * reboot (b), crash (c), terminate/kill all tasks (e, i), emergency thaw
 * (j), SAK (k: nothing runs on the virtual terminal), renice (n), poweroff
 * (o), show-registers (p: the write is not in an interrupt, so no
 * registers; QEMU's CPUs have no PMU to dump), sync (s), remount read-only
 * (u), the ftrace dump (z, an empty buffer) and show-blocked-tasks (w: each
 * D-state task's line). Not modelled: the stacks w would print after each
 * line, and the task, timer and CPU backtrace dumps of t, q and l (mmbox
 * keeps no kernel stacks or hrtimers): those keys log only their action.
 */

import type { Kernel } from "../kernel.js";
import { panic } from "../lib/bug.js";
import { dump_stack } from "../lib/panic.js";
import { KERN_EMERG, KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import { GFP_KERNEL } from "../mm/gfp.js";
import { sync_all } from "../mm/page_writeback.js";
import { show_mem } from "../mm/show_mem.js";
import { send_signal } from "../sched/signal.js";
import { PF_KTHREAD, TASK_UNINTERRUPTIBLE } from "../sched/task.js";
import { INIT_WORK, schedule_work } from "../sched/workqueue.js";
import { sys_reboot } from "../sys.js";
import { LINUX_REBOOT_CMD_POWER_OFF, MS_RDONLY } from "../uapi/abi.js";

const SIGKILL = 9;
const SIGTERM = 15;
const CONSOLE_LOGLEVEL_DEFAULT = 7;
const CONSOLE_LOGLEVEL_DEBUG = 10;

interface SysrqOp {
  help: string;
  action: string;
  handler: (k: Kernel, key: string) => void;
}

function pr_info(k: Kernel, s: string): void {
  k.printk.printk(KERN_INFO, `sysrq: ${s}`);
}

/** moom_callback: a global OOM at order -1. */
function sysrq_handle_moom(k: Kernel): void {
  // The request runs as a work item on this CPU's kworker (schedule_work on system_wq).
  schedule_work(
    k,
    INIT_WORK(function moom_callback() {
      if (!k.mm_hooks.out_of_memory(k, GFP_KERNEL, -1)) pr_info(k, "OOM request ignored. No task eligible");
    }),
  );
}

/** send_sig_all: every user process but init. */
function send_sig_all(k: Kernel, sig: number): void {
  for (const t of [...k.sched.tasks.values()]) {
    if (t.flags & PF_KTHREAD || t.pid === 1 || t.exit_state) continue;
    send_signal(k, t, sig);
  }
  k.printk.console_loglevel = CONSOLE_LOGLEVEL_DEBUG;
}

/**
 * show_state_filter(TASK_UNINTERRUPTIBLE): sched_show_task's line for each
 * task in D state (thread flags: x86 sets TIF_NEED_FPU_LOAD on every task
 * switched out). The stack that follows it in Linux is not modelled.
 */
function show_blocked(k: Kernel): void {
  const tif = k.profile.arch === "x86_64" ? 0x4000 : 0;
  for (const t of k.sched.tasks.values()) {
    if (t.exit_state || t.state !== TASK_UNINTERRUPTIBLE) continue;
    const ppid = t.parent?.pid ?? 0;
    k.printk.printk(
      KERN_INFO,
      `task:${t.comm.slice(0, 15).padEnd(15)} state:D stack:${"0".padEnd(5)} pid:${String(t.pid).padEnd(5)} ppid:${String(ppid).padEnd(6)} flags:0x${tif.toString(16).padStart(8, "0")}`,
    );
  }
}

/** do_emergency_remount: every filesystem on a block device becomes read-only. */
function emergency_remount(k: Kernel): void {
  for (const m of k.vfs.mounts) if (m.mnt_sb.s_bdev) m.mnt_flags |= MS_RDONLY;
  k.printk.printk(KERN_WARNING, "Emergency Remount complete");
}

const loglevel: SysrqOp = {
  help: "loglevel(0-9)",
  action: "Changing Loglevel",
  handler: (k, key) => {
    k.printk.console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
    pr_info(k, `Loglevel set to ${key}`);
    k.printk.console_loglevel = Number(key);
  },
};

const nothing = (): void => {};

/** The panic's call chain: the write(2) to /proc/sysrq-trigger down to the handler. */
function write_trace(k: Kernel): string[] {
  const head = ["panic", "sysrq_handle_crash", "__handle_sysrq", "write_sysrq_trigger", "proc_reg_write"];
  if (k.profile.arch === "x86_64")
    return [...head, "vfs_write", "ksys_write", "do_syscall_64", "entry_SYSCALL_64_after_hwframe"];
  if (k.profile.arch === "arm") return [...head, "vfs_write", "ksys_write", "ret_fast_syscall"];
  return [...head, "vfs_write", "ksys_write", "invoke_syscall", "el0_svc_common", "do_el0_svc", "el0_svc"];
}

/** sysrq_key_table: '0'-'9', then 'a'-'z'. */
const TABLE: Record<string, SysrqOp> = {
  b: {
    help: "reboot(b)",
    action: "Resetting",
    // emergency_restart: no notifier, no message, the machine simply resets.
    handler: (k) => {
      k.sched.halted = "sysrq: Resetting";
    },
  },
  c: {
    help: "crash(c)",
    action: "Trigger a crash",
    handler: (k) => panic("sysrq triggered crash", () => dump_stack(k, write_trace(k), KERN_EMERG)),
  },
  e: {
    help: "terminate-all-tasks(e)",
    action: "Terminate All Tasks",
    handler: (k) => send_sig_all(k, SIGTERM),
  },
  f: { help: "memory-full-oom-kill(f)", action: "Manual OOM execution", handler: sysrq_handle_moom },
  i: { help: "kill-all-tasks(i)", action: "Kill All Tasks", handler: (k) => send_sig_all(k, SIGKILL) },
  j: {
    help: "thaw-filesystems(j)",
    action: "Emergency Thaw of all frozen filesystems",
    // Nothing is frozen (no FIFREEZE here): do_thaw_all only reports.
    handler: (k) => k.printk.printk(KERN_WARNING, "Emergency Thaw complete"),
  },
  // The console is a serial line: no process has the virtual terminal SAK would clean.
  k: { help: "sak(k)", action: "SAK", handler: nothing },
  l: {
    help: "show-backtrace-all-active-cpus(l)",
    action: "Show backtrace of all active CPUs",
    handler: nothing,
  },
  m: {
    help: "show-memory-usage(m)",
    action: "Show Memory",
    handler: (k) => show_mem(k, (s) => k.printk.printk(KERN_WARNING, s)),
  },
  n: {
    help: "nice-all-RT-tasks(n)",
    action: "Nice All RT Tasks",
    // normalize_rt_tasks: no user task is real-time here; negative nice levels go back to 0.
    handler: (k) => {
      for (const t of k.sched.tasks.values()) if (!(t.flags & PF_KTHREAD) && t.nice < 0) t.nice = 0;
    },
  },
  o: {
    help: "poweroff(o)",
    action: "Power Off",
    handler: (k) => {
      sys_reboot(k, LINUX_REBOOT_CMD_POWER_OFF);
    },
  },
  p: { help: "show-registers(p)", action: "Show Regs", handler: nothing },
  q: {
    help: "show-all-timers(q)",
    action: "Show clockevent devices & pending hrtimers (no others)",
    handler: nothing,
  },
  r: { help: "unraw(r)", action: "Keyboard mode set to system default", handler: nothing },
  s: {
    help: "sync(s)",
    action: "Emergency Sync",
    handler: (k) => {
      sync_all(k);
      k.printk.printk(KERN_WARNING, "Emergency Sync complete");
    },
  },
  t: { help: "show-task-states(t)", action: "Show State", handler: nothing },
  u: { help: "unmount(u)", action: "Emergency Remount R/O", handler: emergency_remount },
  w: { help: "show-blocked-tasks(w)", action: "Show Blocked State", handler: show_blocked },
  z: {
    help: "dump-ftrace-buffer(z)",
    action: "Dump ftrace buffer",
    handler: (k) => {
      k.printk.printk(KERN_EMERG, "Dumping ftrace buffer:");
      k.printk.printk(KERN_EMERG, "   (ftrace buffer empty)");
    },
  },
};

function op_of(key: string): SysrqOp | null {
  if (key >= "0" && key <= "9") return loglevel;
  return TABLE[key] ?? null;
}

/** The help line: each action once, in the table's order. */
function help_line(): string {
  const keys = Object.keys(TABLE).sort();
  return `HELP : ${[loglevel, ...keys.map((c) => TABLE[c])].map((o) => `${o.help} `).join("")}`;
}

/** __handle_sysrq(key, check_mask = false). */
export function handle_sysrq(k: Kernel, key: string): void {
  const orig = k.printk.console_loglevel;
  k.printk.console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
  const op = op_of(key);
  if (!op) {
    pr_info(k, help_line());
    k.printk.console_loglevel = orig;
    return;
  }
  pr_info(k, op.action);
  k.printk.console_loglevel = orig;
  op.handler(k, key);
}
