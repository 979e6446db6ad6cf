/*
 * root.ts - the files at the top of /proc (Linux fs/proc/root.c and the
 * proc_create() calls scattered over the kernel: version.c, cmdline.c,
 * uptime.c, loadavg.c, stat.c, kernel/resource.c, mm/vmstat.c...).
 */

import { proc_cgroupstats_show } from "../../cgroup/cgroup-v1.js";
import { misc_show } from "../../drivers/misc.js";
import { handle_sysrq } from "../../drivers/sysrq.js";
import { linux_banner } from "../../init/main.js";
import { interrupts_show, stat_intr_line, stat_softirq_line } from "../../irq/proc.js";
import type { Kernel } from "../../kernel.js";
import { frag_show, pagetypeinfo_show, vmstat_show, zoneinfo_show } from "../../mm/vmstat.js";
import { catch_up_idle } from "../../sched/core.js";
import { psi_proc_entries } from "../../sched/psi.js";
import { show_schedstat } from "../../sched/stats.js";
import type { Task } from "../../sched/task.js";
import { S_IFREG } from "../../uapi/abi.js";
import { EIO } from "../../uapi/errno.js";
import { filesystems_show } from "../super.js";
import { proc_acpi } from "./acpi.js";
import { pid_entries, pid_entry } from "./base.js";
import { proc_bus_driver, proc_fs_dir } from "./bus_driver.js";
import { consoles_show } from "./consoles.js";
import { proc_cpu_arm, proc_mtd } from "./cpu_arm.js";
import { devices_show } from "./devices.js";
import { dir, file, type ProcEntry, symlink } from "./generic.js";
import { iomem_show, ioports_show } from "./iomem.js";
import { proc_irq } from "./irq.js";
import { proc_keys_entries } from "./keys.js";
import { proc_kmsg } from "./kmsg.js";
import { meminfo_show } from "./meminfo.js";
import { proc_mtrr } from "./mtrr.js";
import { kpagecgroup_read, kpagecount_read, kpageflags_read } from "./page.js";
import { proc_tty } from "./proc_tty.js";
import { softirqs_show } from "./softirqs.js";
import { sys_root } from "./sysctl.js";

const USER_HZ = 100;

function ticks(ns: number): number {
  return Math.floor((ns * USER_HZ) / 1e9);
}

function uptime_show(k: Kernel): string {
  catch_up_idle(k);
  const up = k.clock.ns;
  let idle = 0;
  for (const c of k.sched.cpus) idle += c.idle_ns;
  const f = (ns: number): string =>
    `${Math.floor(ns / 1e9)}.${String(Math.floor((ns % 1e9) / 1e7)).padStart(2, "0")}`;
  return `${f(up)} ${f(idle)}\n`;
}

function loadavg_show(k: Kernel): string {
  const fix = (x: number): string => {
    const v = x + 5; // rounding as LOAD_INT/LOAD_FRAC with FIXED_1/200
    const int = v >> 11;
    const frac = Math.floor(((v & 2047) * 100) >> 11);
    return `${int}.${String(frac).padStart(2, "0")}`;
  };
  let running = 0;
  let total = 0;
  for (const t of k.sched.tasks.values()) {
    if (t.exit_state) continue;
    total++;
    if (t.state === 0) running++;
  }
  const a = k.sched.avenrun;
  return `${fix(a[0])} ${fix(a[1])} ${fix(a[2])} ${running}/${total} ${k.sched.last_pid}\n`;
}

function stat_show(k: Kernel): string {
  catch_up_idle(k);
  let out = "";
  const sum = { user: 0, sys: 0, idle: 0, iowait: 0 };
  for (const c of k.sched.cpus) {
    sum.user += c.user_ns;
    sum.sys += c.busy_ns;
    sum.idle += c.idle_ns;
    sum.iowait += c.iowait_ns;
  }
  // user nice system idle iowait irq softirq steal guest guest_nice
  const line = (name: string, u: number, sy: number, id: number, io: number): string =>
    `${name} ${ticks(u)} 0 ${ticks(sy)} ${ticks(id)} ${ticks(io)} 0 0 0 0 0\n`;
  out += line("cpu ", sum.user, sum.sys, sum.idle, sum.iowait);
  for (const c of k.sched.cpus) out += line(`cpu${c.id}`, c.user_ns, c.busy_ns, c.idle_ns, c.iowait_ns);
  out += stat_intr_line(k);
  out += `ctxt ${k.sched.nr_switches}\n`;
  out += `btime ${Math.floor(k.clock.rtcBase)}\n`;
  out += `processes ${k.sched.total_forks + 1}\n`;
  let running = 0;
  let blocked = 0;
  for (const t of k.sched.tasks.values()) {
    if (t.exit_state) continue;
    if (t.state === 0) running++;
    if (t.state === 2) blocked++;
  }
  out += `procs_running ${running}\nprocs_blocked ${blocked}\n`;
  out += stat_softirq_line(k);
  return out;
}

function cpuinfo_show(k: Kernel): string {
  const p = k.profile;
  let out = "";
  for (let i = 0; i < k.nr_cpu_ids; i++) {
    if (p.arch === "arm")
      out += `processor\t: ${i}\nmodel name\t: ARMv7 Processor rev 0 (v7l)\nBogoMIPS\t: 1540.61\nFeatures\t: half thumb fastmult vfp edsp thumbee neon vfpv3 tls vfpd32 \nCPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xc09\nCPU revision\t: 0\n\n`;
    else if (p.arch === "x86_64")
      out += `processor\t: ${i}\nvendor_id\t: AuthenticAMD\ncpu family\t: 15\nmodel\t\t: 107\nmodel name\t: QEMU Virtual CPU version 2.5+\nstepping\t: 1\ncpu MHz\t\t: 2596.109\ncache size\t: 512 KB\nphysical id\t: 0\nsiblings\t: ${k.nr_cpu_ids}\ncore id\t\t: ${i}\ncpu cores\t: ${k.nr_cpu_ids}\nbogomips\t: 5192.21\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 40 bits physical, 48 bits virtual\n\n`;
    else
      out += `processor\t: ${i}\nBogoMIPS\t: 125.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd07\nCPU revision\t: 0\n\n`;
  }
  if (p.arch === "arm")
    out += "Hardware\t: ARM-Versatile Express\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n";
  return out;
}

/**
 * /proc/sysvipc (ipc/util.c sysvipc_proc_show): each file is its header line
 * and one line per IPC object (ipc/msg.c, sem.c, shm.c); this kernel offers
 * no msgget, semget or shmget, so there are none. shm's size, rss and swap
 * columns are as wide as an unsigned long.
 */
function sysvipc_dir(k: Kernel): ProcEntry {
  const w = k.profile.pointerBits === 64 ? 21 : 10;
  const shm = `       key      shmid perms ${"size".padStart(w)}  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime ${"rss".padStart(w)} ${"swap".padStart(w)}\n`;
  return dir("sysvipc", [
    file(
      "msg",
      () =>
        "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n",
    ),
    file(
      "sem",
      () => "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n",
    ),
    file("shm", () => shm),
  ]);
}

/** The entries of /proc, static ones first and then one directory per process. */
export function proc_root(k: Kernel): ProcEntry {
  const fixed: ProcEntry[] = [
    file("buddyinfo", (kk) => frag_show(kk)),
    file("cgroups", (kk) => proc_cgroupstats_show(kk)),
    file("cmdline", (kk) => `${kk.saved_command_line}\n`),
    file("consoles", (kk) => consoles_show(kk)),
    file("cpuinfo", (kk) => cpuinfo_show(kk)),
    // kernel/exec_domain.c: only the Linux personality is left in 6.1.
    file("devices", (kk) => devices_show(kk)),
    file("execdomains", () => "0-0\tLinux           \t[kernel]\n"),
    // fbmem: no framebuffer driver is loaded (QEMU's VGA stays in text mode, pl111 is a module).
    file("fb", () => ""),
    file("filesystems", (kk) => filesystems_show(kk)),
    proc_fs_dir(),
    file("interrupts", (kk) => interrupts_show(kk)),
    file("iomem", (kk) => iomem_show(kk), { mode: S_IFREG | 0o444 }),
    file("ioports", (kk) => ioports_show(kk), { mode: S_IFREG | 0o444 }),
    { name: "kpagecgroup", mode: S_IFREG | 0o400, read_at: (kk, _t, pos, n) => kpagecgroup_read(kk, pos, n) },
    { name: "kpagecount", mode: S_IFREG | 0o400, read_at: (kk, _t, pos, n) => kpagecount_read(kk, pos, n) },
    { name: "kpageflags", mode: S_IFREG | 0o400, read_at: (kk, _t, pos, n) => kpageflags_read(kk, pos, n) },
    proc_irq(),
    ...proc_keys_entries(),
    proc_kmsg(),
    file("loadavg", (kk) => loadavg_show(kk)),
    // fs/locks.c: one line per POSIX or flock lock; no task here can take one (no F_SETLK, no flock).
    file("locks", () => ""),
    file("meminfo", (kk) => meminfo_show(kk)),
    file("misc", (kk) => misc_show(kk)),
    symlink("mounts", () => "self/mounts"),
    symlink("net", () => "self/net"),
    file("pagetypeinfo", (kk) => pagetypeinfo_show(kk), { mode: S_IFREG | 0o400 }),
    psi_proc_entries(),
    file("schedstat", (kk) => show_schedstat(kk)),
    symlink("self", (_kk, t) => `${t.pid}`),
    file("stat", (kk) => stat_show(kk)),
    file("softirqs", (kk) => softirqs_show(kk)),
    sys_root(k),
    // write_sysrq_trigger: the first byte written; no read (EIO), 0200 as sysrq_init_procfs makes it.
    file("sysrq-trigger", () => "", {
      mode: S_IFREG | 0o200,
      read_at: () => -EIO,
      write: (kk, _t, text) => {
        if (text.length) handle_sysrq(kk, text[0]);
        return text.length;
      },
    }),
    sysvipc_dir(k),
    proc_tty(),
    symlink("thread-self", (_kk, t) => `${t.pid}/task/${t.pid}`),
    file("uptime", (kk) => uptime_show(kk)),
    file("version", (kk) => `${linux_banner(kk)}\n`),
    file("vmstat", (kk) => vmstat_show(kk)),
    file("zoneinfo", (kk) => zoneinfo_show(kk), { mode: S_IFREG | 0o400 }),
    ...k.proc_extra,
  ];
  // kernel/dma.c (CONFIG_ISA_DMA_API, x86): the busy ISA DMA channels; 4 cascades the two controllers.
  // x86 also has the MTRRs and ACPI.
  if (k.profile.arch === "x86_64")
    fixed.push(
      file("dma", () => " 4: cascade\n"),
      proc_mtrr(),
      proc_acpi(),
    );
  // drivers/char/apm-emulation.c (armmp builds it): the emulated APM BIOS knows of no battery or
  // AC line, so proc_apm_show prints its version, 1.2 with 32-bit support, and every status unknown.
  if (k.profile.arch === "arm") fixed.push(file("apm", () => "1.13 1.2 0x02 0xff 0xff 0xff -1% -1 ?\n"));
  if (k.profile.arch === "arm") fixed.push(proc_cpu_arm(), proc_mtd());
  fixed.push(...proc_bus_driver(k));
  fixed.sort((a, b) => (a.name < b.name ? -1 : 1));
  const by_name = new Map(fixed.map((e) => [e.name, e]));
  return dir("/", (kk: Kernel, t: Task) => [...pid_entries(kk, t), ...fixed], {
    ino: 1,
    // proc_root_lookup: the fixed entries, else proc_pid_lookup of a decimal name
    child: (kk, _t, name) =>
      by_name.get(name) ?? (/^[1-9][0-9]*$/.test(name) ? pid_entry(kk, Number(name)) : undefined),
  });
}
