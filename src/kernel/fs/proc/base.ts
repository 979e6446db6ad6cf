/*
 * base.ts - /proc/PID (Linux fs/proc/base.c, array.c, fd.c): one directory
 * per process with its command line, status, stat line, file descriptors,
 * cwd/exe/root links and OOM knobs. The address-space files (maps, smaps,
 * statm, the Vm* lines of status) come with the process memory model.
 */

import type { Kernel } from "../../kernel.js";
import { bitmap_list_string, bitmap_string } from "../../lib/bitmap.js";
import { kstrtoint } from "../../lib/kstrtox.js";
import { ksm_proc_counts } from "../../mm/ksm_sysfs.js";
import {
  __TASK_STOPPED,
  EXIT_ZOMBIE,
  PF_NO_SETAFFINITY,
  PF_WQ_WORKER,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TASK_UNINTERRUPTIBLE,
  type Task,
} from "../../sched/task.js";
import { wq_worker_comm } from "../../sched/workqueue.js";
import { RLIMIT_SIGPENDING } from "../../sys.js";
import { O_ACCMODE, O_RDONLY, O_WRONLY, S_IFDIR, S_IFLNK, S_IFREG, SIG_IGN } from "../../uapi/abi.js";
import { EINVAL } from "../../uapi/errno.js";
import { d_path } from "../namei.js";
import { mounts_show } from "../super.js";
import { file, type ProcEntry } from "./generic.js";
import { proc_net_dir } from "./proc_net.js";

export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;
const OOM_DISABLE = -17;
const OOM_ADJUST_MAX = 15;

/*
 * task_seccomp's speculation lines (fs/proc/array.c): what arch_prctl_spec_ctrl_get
 * says. The reference x86_64 guest (QEMU's CPU model, no SSB bug, IBPB/STIBP not forced)
 * reports "not vulnerable" and "always enabled"; ARM kernels have no such control.
 */
const speculation_lines: Readonly<Record<string, string>> = {
  x86_64: "Speculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\talways enabled\n",
  arm: "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunsupported\n",
};

/** proc_task_name: the comm, with a kworker's workqueue after it (wq_worker_comm). */
export function proc_task_name(k: Kernel, t: Task): string {
  return t.is_kthread() ? wq_worker_comm(k, t) : t.comm;
}

/** The letter and word of /proc/PID/status "State:". */
export function task_state(t: Task): [string, string] {
  if (t.exit_state === EXIT_ZOMBIE) return ["Z", "zombie"];
  if (t.exit_state) return ["X", "dead"];
  switch (t.state) {
    case TASK_RUNNING:
      return ["R", "running"];
    case TASK_INTERRUPTIBLE:
      return t.is_kthread() && (t.idle || t.comm.startsWith("kworker")) ? ["I", "idle"] : ["S", "sleeping"];
    case TASK_UNINTERRUPTIBLE:
      return ["D", "disk sleep"];
    case __TASK_STOPPED:
      return ["T", "stopped"];
  }
  return ["R", "running"];
}

function sigmask(set: Iterable<number>): string {
  let hi = 0;
  let lo = 0;
  for (const s of set) {
    if (s <= 32) lo |= 1 << (s - 1);
    else hi |= 1 << (s - 33);
  }
  return (hi >>> 0).toString(16).padStart(8, "0") + (lo >>> 0).toString(16).padStart(8, "0");
}

function ticks(ns: number): number {
  return Math.floor(ns / 1e7); // USER_HZ 100
}

/** The controlling tty as new_encode_dev() (0 when none). */
function tty_nr(k: Kernel, t: Task): number {
  if (!t.signal.tty) return 0;
  const [major, minor] = k.profile.arch === "x86_64" ? [4, 64] : [204, 64];
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}

function status_show(k: Kernel, t: Task): string {
  const [st, word] = task_state(t);
  const ign: number[] = [];
  const cgt: number[] = [];
  t.signal.action.forEach((a, sig) => {
    if (a === SIG_IGN) ign.push(sig);
    else if (typeof a === "function") cgt.push(sig);
  });
  const cpus = k.nr_cpu_ids;
  const ppid = t.parent?.pid ?? 0;
  let s = "";
  s += `Name:\t${proc_task_name(k, t)}\n`;
  s += `Umask:\t${t.fs.umask.toString(8).padStart(4, "0")}\n`;
  s += `State:\t${st} (${word})\n`;
  s += `Tgid:\t${t.pid}\nNgid:\t0\nPid:\t${t.pid}\nPPid:\t${ppid}\nTracerPid:\t0\n`;
  s += "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
  s += `FDSize:\t${Math.max(32, 2 ** Math.ceil(Math.log2(Math.max(1, t.files.fd.length))))}\n`;
  s += "Groups:\t \n";
  s += `NStgid:\t${t.pid}\nNSpid:\t${t.pid}\nNSpgid:\t${t.signal.pgrp}\nNSsid:\t${t.signal.session}\n`;
  s += k.mm_hooks.proc_task_mem(k, t);
  s += "CoreDumping:\t0\n";
  s += `THP_enabled:\t${k.cfg.TRANSPARENT_HUGEPAGE && !t.is_kthread() ? 1 : 0}\n`;
  s += "Threads:\t1\n";
  s += `SigQ:\t${t.signal.pending.size}/${t.rlim[RLIMIT_SIGPENDING][0]}\n`;
  s += `SigPnd:\t${sigmask([])}\nShdPnd:\t${sigmask(t.signal.pending)}\n`;
  s += `SigBlk:\t${sigmask(t.signal.blocked)}\nSigIgn:\t${sigmask(ign)}\nSigCgt:\t${sigmask(cgt)}\n`;
  s +=
    "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n";
  s += "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n";
  s += speculation_lines[k.profile.arch] ?? speculation_lines.arm;
  const allowed = t.cpus_mask & ((1n << BigInt(cpus)) - 1n);
  s += `Cpus_allowed:\t${bitmap_string(allowed, cpus)}\nCpus_allowed_list:\t${bitmap_list_string(allowed, cpus)}\n`;
  s += `Mems_allowed:\t${k.cfg.NUMA ? `${"00000000,".repeat(31)}00000001` : "1"}\nMems_allowed_list:\t0\n`;
  s += `voluntary_ctxt_switches:\t${t.nvcsw}\nnonvoluntary_ctxt_switches:\t${t.nivcsw}\n`;
  return s;
}

function stat_show(k: Kernel, t: Task): string {
  const [st] = task_state(t);
  const ppid = t.parent?.pid ?? 0;
  const tty = t.signal.tty as { pgrp: number } | null;
  const tpgid = tty ? tty.pgrp : -1;
  const m = k.mm_hooks.proc_task_stat(k, t);
  const ign: number[] = [];
  const cgt: number[] = [];
  t.signal.action.forEach((a, sig) => {
    if (a === SIG_IGN) ign.push(sig);
    else if (typeof a === "function") cgt.push(sig);
  });
  const mask = (list: Iterable<number>): number => {
    let v = 0;
    for (const s of list) if (s <= 32) v |= 1 << (s - 1);
    return v >>> 0;
  };
  // PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC, and a worker's PF_WQ_WORKER | PF_NO_SETAFFINITY.
  const flags = t.is_kthread() ? 0x208040 | (t.flags & (PF_WQ_WORKER | PF_NO_SETAFFINITY)) : 0x400000;
  const start = Math.floor(t.start_time / 1e7);
  const f = [
    t.pid,
    `(${proc_task_name(k, t)})`,
    st,
    ppid,
    t.signal.pgrp,
    t.signal.session,
    tty_nr(k, t),
    tpgid,
    flags,
    t.min_flt,
    t.cmin_flt,
    t.maj_flt,
    t.cmaj_flt,
    ticks(t.utime),
    ticks(t.stime),
    ticks(t.cutime),
    ticks(t.cstime),
    20 + t.nice,
    t.nice,
    1,
    0,
    start,
    m.vsize,
    m.rss,
    m.rsslim,
    m.startcode,
    m.endcode,
    m.startstack,
    0,
    0,
    mask(t.signal.pending),
    mask(t.signal.blocked),
    mask(ign),
    mask(cgt),
    0,
    0,
    0,
    17,
    t.cpu,
    0,
    0,
    0,
    0,
    0,
    m.start_data,
    m.end_data,
    m.start_brk,
    m.arg_start,
    m.arg_end,
    m.env_start,
    m.env_end,
    t.exit_state ? t.exit_code : 0,
  ];
  return `${f.join(" ")}\n`;
}

/** /proc/PID/oom_score_adj and the legacy oom_adj. */
function oom_entries(): ProcEntry[] {
  return [
    file("oom_adj", (_k, t) => {
      const adj = t.oom_score_adj;
      const v =
        adj === OOM_SCORE_ADJ_MAX ? OOM_ADJUST_MAX : Math.trunc((adj * -OOM_DISABLE) / OOM_SCORE_ADJ_MAX);
      return `${v}\n`;
    }),
    file("oom_score", (k, t) => `${k.mm_hooks.oom_score(k, t)}\n`),
    file("oom_score_adj", (_k, t) => `${t.oom_score_adj}\n`),
  ];
}

/*
 * nlink_tgid and nlink_tid: 2 + the directories of tgid_base_stuff (task, fd,
 * map_files, fdinfo, ns, net, attr) and of tid_base_stuff (fd, fdinfo, ns,
 * net, attr), whether or not this kernel has them all.
 */
const NLINK_TGID = 9;
const NLINK_TID = 7;

function pid_dir(k: Kernel, t: Task): ProcEntry {
  const self = t;
  const entries: ProcEntry[] = [
    file("cmdline", () => (self.argv.length ? `${self.argv.join("\0")}\0` : "")),
    file("comm", (kk) => `${proc_task_name(kk, self)}\n`, {
      mode: S_IFREG | 0o644,
      write: (_k, _t, text) => {
        self.comm = text.replace(/\n$/, "").slice(0, 15);
        return text.length;
      },
    }),
    { name: "cwd", link: (kk) => d_path(null, self.fs.pwd, kk.vfs.root_mnt!) },
    file("environ", () => (self.envp.length ? `${self.envp.join("\0")}\0` : ""), { mode: S_IFREG | 0o400 }),
    { name: "exe", link: (kk) => (self.exe ? d_path(null, self.exe.f_path, kk.vfs.root_mnt!) : null) },
    {
      name: "fd",
      mode: S_IFDIR | 0o500,
      children: (kk) =>
        self.files.fd.flatMap((f, fd) =>
          f
            ? [
                {
                  name: String(fd),
                  mode: fd_link_mode(f),
                  size: 64,
                  link: () => fd_target(kk, f),
                } as ProcEntry,
              ]
            : [],
        ),
    },
    // CONFIG_AUDIT: the uid of the login that started the session; nobody logged in here
    // (init starts the shell on the console), so AUDIT_UID_UNSET, as "%u" without a newline
    file("loginuid", () => "4294967295", { mode: S_IFREG | 0o644 }),
    file("mounts", (kk) => mounts_show(kk, self)),
    proc_net_dir(),
    // CONFIG_KSM: the pages of this mm KSM merged, and the rmap_items ksmd keeps for it (nothing for a kthread).
    file("ksm_merging_pages", (kk) => (self.mm ? `${ksm_proc_counts(kk, self.mm).merging}\n` : ""), {
      mode: S_IFREG | 0o400,
    }),
    file("ksm_stat", (kk) => (self.mm ? `ksm_rmap_items ${ksm_proc_counts(kk, self.mm).rmap_items}\n` : ""), {
      mode: S_IFREG | 0o400,
    }),
    ...oom_entries().map((e) => {
      if (e.name !== "oom_score_adj" && e.name !== "oom_adj")
        return { ...e, show: (kk: Kernel) => e.show!(kk, self) };
      return {
        ...e,
        mode: S_IFREG | 0o644,
        show: (kk: Kernel) => e.show!(kk, self),
        write: (_kk: Kernel, _t: Task, text: string) => {
          // kstrtoint(strstrip(buf), 0): the whole text one int (base 0), ERANGE past an int.
          const [err, n] = kstrtoint(text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, ""));
          if (err) return err;
          const v = [n];
          if (e.name === "oom_score_adj") {
            if (v[0] < OOM_SCORE_ADJ_MIN || v[0] > OOM_SCORE_ADJ_MAX) return -EINVAL;
            self.oom_score_adj = v[0];
          } else {
            if (v[0] < OOM_DISABLE || v[0] > OOM_ADJUST_MAX) return -EINVAL;
            self.oom_score_adj =
              v[0] === OOM_ADJUST_MAX
                ? OOM_SCORE_ADJ_MAX
                : Math.trunc((v[0] * OOM_SCORE_ADJ_MAX) / -OOM_DISABLE);
          }
          return text.length;
        },
      };
    }),
    { name: "root", link: (kk) => d_path(null, self.fs.root, kk.vfs.root_mnt!) },
    file("stat", (kk) => stat_show(kk, self)),
    file("status", (kk) => status_show(kk, self)),
    ...k.mm_hooks.proc_pid_mm_entries(k, self),
  ];
  // task/TID: the process's threads, each with the same files (a task here is its one thread).
  const tid_entries = [...entries].sort((a, b) => (a.name < b.name ? -1 : 1));
  entries.push({
    name: "task",
    mode: S_IFDIR | 0o555,
    children: [
      {
        name: String(t.pid),
        mode: S_IFDIR | 0o555,
        children: tid_entries,
        ino: (t.pid << 16) | 2,
        nlink: NLINK_TID,
      },
    ],
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    name: String(t.pid),
    mode: S_IFDIR | 0o555,
    children: entries,
    ino: (t.pid << 16) | 1,
    nlink: NLINK_TGID,
  };
}

/** tid_fd_update_inode: the link's rights follow the descriptor's (lr-x for reading, l-wx for writing). */
function fd_link_mode(f: import("../fs.js").File): number {
  const acc = f.f_flags & O_ACCMODE;
  let mode = S_IFLNK;
  if (acc !== O_WRONLY) mode |= 0o500;
  if (acc !== O_RDONLY) mode |= 0o300;
  return mode;
}

function fd_target(k: Kernel, f: import("../fs.js").File): string {
  const name = f.f_path.dentry.d_name;
  if (name.startsWith("pipe:[")) return name;
  return d_path(null, f.f_path, k.vfs.root_mnt!);
}

/** The /proc/PID directory of pid, if it is a live process (or a zombie). */
export function pid_entry(k: Kernel, pid: number): ProcEntry | undefined {
  const task = k.sched.tasks.get(pid);
  if (!task || (task.exit_state && task.exit_state !== EXIT_ZOMBIE)) return undefined;
  return pid_dir(k, task);
}

/** The /proc/PID directories of live processes (zombies included), by pid. */
export function pid_entries(k: Kernel, _t: Task): ProcEntry[] {
  const out: ProcEntry[] = [];
  const pids = [...k.sched.tasks.keys()].sort((a, b) => a - b);
  for (const pid of pids) {
    const e = pid_entry(k, pid);
    if (e) out.push(e);
  }
  return out;
}
