/*
 * machine.ts - a simulated machine: hardware profile, kernel, user space,
 * and the console, behind one object the front ends drive.
 *
 *   const m = new Machine({ machine: "vexpress-a9", memory: 1 << 30, ... });
 *   m.onOutput((s) => ...)        console bytes (with the tty's \r\n)
 *   m.boot()                      power on: boot log, init, rcS
 *   m.runUntilInput()             run until the console waits for a line
 *   m.input("free\n")             type at the console
 *
 * Simulated time only moves inside run*(); nothing here reads the host's
 * clock or randomness, so a run is a function of its options and input.
 * This is the only module below the front ends that touches the host
 * (reading rootfs/ once, through host/rootfs.ts).
 *
 * The root filesystem comes the way the reference machines get it, as an
 * initramfs the boot loader hands the kernel, unless the command line names
 * a root device (root=/dev/vda): then the machine gets no initramfs and one
 * more virtio disk, vda, holding an ext2 image of rootfs/
 * (host/ext2_image.ts), and the kernel mounts root= at /
 * (kernel/init/do_mounts.ts). The --disk disks follow it as vdb, vdc...
 */

import { build_ext2_image, ext2_image_capacity } from "./host/ext2_image.js";
import { IMAGE_MTIME, load_rootfs } from "./host/rootfs.js";
import { DiskImage } from "./hw/disk.js";
import { type MachineName, type MachineProfile, PROFILES } from "./hw/profiles.js";
import { type TtyStruct, tty_receive } from "./kernel/drivers/tty.js";
import type { Path } from "./kernel/fs/fs.js";
import { type InitramfsEntry, initramfs_size } from "./kernel/fs/initramfs.js";
import { entry_children, type ProcEntry } from "./kernel/fs/proc/generic.js";
import { kernel_init } from "./kernel/init/kernel_init.js";
import { alloc_kernel, type BootOptions, start_kernel } from "./kernel/init/main.js";
import type { Kernel } from "./kernel/kernel.js";
import { KernelPanic, oops } from "./kernel/lib/bug.js";
import { check_vm } from "./kernel/mm/debug_vm.js";
import {
  NR_ACTIVE_ANON,
  NR_ACTIVE_FILE,
  NR_FREE_PAGES,
  NR_INACTIVE_ANON,
  NR_INACTIVE_FILE,
  NR_SWAPCACHE,
  NR_UNEVICTABLE,
} from "./kernel/mm/mmzone.js";
import { pfn_map, type ZonePfnMap } from "./kernel/mm/pfn_map.js";
import { PSWPIN, PSWPOUT } from "./kernel/mm/vm_event_item.js";
import { machine_idle, next_event, type RunResult, run } from "./kernel/sched/core.js";
import { __TASK_STOPPED, TASK_RUNNING, TASK_UNINTERRUPTIBLE, type Task } from "./kernel/sched/task.js";
import { ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, ICANON, ONLCR, TIOCSWINSZ } from "./kernel/uapi/abi.js";
import { PROGRAMS } from "./user/busybox.js";

export interface MachineOptions {
  machine: MachineName;
  /** RAM in bytes. */
  memory?: number;
  smp?: number;
  /** Extra kernel command line. */
  append?: string;
  seed?: number;
  /** NUMA nodes (virt only). */
  numa?: number;
  /** Virtio disks (--disk), sizes in bytes, in command-line order. */
  disks?: number[];
  /** The console is a transcript (plain mode without --echo): no prompt, no echo, "\n" line ends. */
  transcript?: boolean;
  /** The initramfs image; defaults to the repository's rootfs/. */
  rootfs?: InitramfsEntry[];
  /** Seconds since the epoch the RTC reads at power-on (fixed by default for reproducibility). */
  rtc?: number;
}

/** 2026-11-22 01:36:14 UTC, the moment the reference machine booted. */
export const DEFAULT_RTC = 1795311374;

/*
 * The boot options as a class: an object literal made once per machine gets
 * its boilerplate on the second machine of a process, which generalized the
 * type of its first field (and of every object literal starting with the same
 * field) and deoptimized the scheduler's loop (lib/shapes.ts in the kernel).
 */
class Boot implements BootOptions {
  memBytes: number;
  smp: number;
  append: string;
  seed: number;
  rtcBase: number;
  numaNodes: number;
  constructor(
    public profile: MachineProfile,
    o: Required<Omit<MachineOptions, "rootfs">>,
    public disks: readonly DiskImage[],
    public rootDisk: DiskImage | undefined,
    public initrdBytes: number,
  ) {
    this.memBytes = o.memory;
    this.smp = o.smp;
    this.append = o.append;
    this.seed = o.seed;
    this.rtcBase = o.rtc;
    this.numaNodes = o.numa;
  }
}

export class Machine {
  readonly k: Kernel;
  readonly opts: Required<Omit<MachineOptions, "rootfs">>;
  private listeners: ((s: string) => void)[] = [];
  private image: InitramfsEntry[];
  /** Exit status of the console shell once it has exited (null while it runs). */
  shellStatus: number | null = null;
  /** The panic message once the kernel has panicked. */
  panicked: string | null = null;

  private debugVm: boolean;

  constructor(o: MachineOptions) {
    const profile = PROFILES[o.machine];
    this.opts = {
      machine: o.machine,
      memory: o.memory ?? profile.defaultMemory,
      smp: o.smp ?? profile.defaultSmp,
      append: o.append ?? "",
      seed: o.seed ?? 1,
      numa: o.numa ?? 1,
      disks: o.disks ?? [],
      transcript: o.transcript ?? false,
      rtc: o.rtc ?? DEFAULT_RTC,
    };
    this.image = o.rootfs ?? load_rootfs();
    // Booting from a disk (any root=): no initramfs, and rootfs/ as an ext2 image on vda.
    let rootDisk: DiskImage | undefined;
    if (/(^|\s)root=\S/.test(this.opts.append)) {
      rootDisk = new DiskImage(ext2_image_capacity(this.image));
      build_ext2_image(this.image, IMAGE_MTIME, rootDisk);
    }
    const bo: BootOptions = new Boot(
      profile,
      this.opts,
      this.opts.disks.map((bytes) => new DiskImage(bytes)),
      rootDisk,
      rootDisk ? 0 : initramfs_size(this.image),
    );
    this.k = alloc_kernel(bo);
    this.debugVm = this.k.params.has("debug_vm");
    for (const [name, main] of Object.entries(PROGRAMS)) this.k.binfmt.set(name, main);
    const tty = this.k.console;
    tty.out = (s) => this.emit(s);
    if (this.opts.transcript) {
      tty.transcript = true;
      tty.termios.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHOKE | ECHOCTL);
      tty.termios.c_oflag &= ~ONLCR;
    }
    this.k.printk.consoles.push({
      write: (s) => this.emit(this.opts.transcript ? s : s.replace(/\n/g, "\r\n")),
    });
    this.k.sched.on_exit.push((t) => this.onTaskExit(t));
    this.bootOpts = bo;
  }

  private bootOpts: BootOptions;

  onOutput(fn: (s: string) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((f) => f !== fn);
    };
  }

  private emit(s: string): void {
    for (const f of this.listeners) f(s);
  }

  /** Power on: boot the kernel and start init. */
  boot(): void {
    this.guard(() => {
      const bs = start_kernel(this.k, this.bootOpts);
      kernel_init(this.k, bs, this.image);
    });
  }

  /** The pid of the console shell the front end watches (see attachShell). */
  private shellPid = 0;

  /**
   * Marks the session that owns the console now as "the shell": when its
   * leader exits, shellStatus takes its exit status (the front end then
   * stops, as a terminal does when its shell ends).
   */
  attachShell(): void {
    this.shellPid = this.k.console.session;
  }

  private onTaskExit(t: Task): void {
    if (this.shellPid && t.pid === this.shellPid) {
      this.k.sched.stop_requested = true;
      this.shellStatus = (t.exit_code & 0x7f) !== 0 ? 128 + (t.exit_code & 0x7f) : (t.exit_code >> 8) & 0xff;
    }
  }

  /** Someone (the shell, or a program in the foreground) is waiting to read the console. */
  waitingForInput(): boolean {
    return this.k.console.read_wait.tasks.size > 0;
  }

  /** Runs until simulated time `until` (ns), or until nothing can run (or `stop` says so). */
  run(
    until = Number.POSITIVE_INFINITY,
    maxSteps = Number.POSITIVE_INFINITY,
    stop?: () => boolean,
  ): RunResult {
    let r: RunResult = "halted";
    this.guard(() => {
      r = run(this.k, until, maxSteps, stop);
      if (this.debugVm) check_vm(this.k);
    });
    if (this.panicked) return "halted";
    return r;
  }

  /**
   * Runs until the console waits for input (or the shell exited, or the
   * machine halted, or nothing at all can run any more). Input that is
   * already there (a pipe, a script) reaches a reader as soon as it blocks on
   * the empty console, as on a real machine: what other CPUs had to do before
   * that moment is done first, but nothing later, so `sleep 5 &` then `ps`
   * shows the sleep, and background work goes on while the next command runs.
   */
  runUntilInput(stepBudget = 2000): "input" | "exited" | "halted" | "idle" {
    // When the reader blocked (-1: it is not waiting).
    let since = -1;
    const readerWaits = (): boolean => {
      if (!this.waitingForInput() || this.k.console.read_buf.length > 0) {
        since = -1;
        return false;
      }
      if (since < 0) since = this.k.clock.ns;
      return next_event(this.k) > since;
    };
    for (;;) {
      if (this.panicked || this.k.sched.halted) return "halted";
      if (this.shellStatus !== null) return "exited";
      const r = this.run(Number.POSITIVE_INFINITY, stepBudget, readerWaits);
      if (this.panicked || this.k.sched.halted) return "halted";
      if (this.shellStatus !== null) return "exited";
      if (this.waitingForInput() && (r === "idle" || this.k.console.read_buf.length === 0)) return "input";
      if (r === "idle") return "idle";
    }
  }

  /** Bytes typed at the console. */
  input(s: string): void {
    this.guard(() => tty_receive(this.k, this.k.console, s));
  }

  /** True when the machine has nothing to do at all. */
  idle(): boolean {
    return machine_idle(this.k);
  }

  /**
   * A kernel panic stops the machine; it never escapes as a JavaScript exception. Any other
   * exception from the kernel's side is an oops (then a panic, as with panic_on_oops); the
   * host's stack trace goes to the host's stderr only when MMBOX_DEBUG is set.
   */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      let kp = e;
      if (!(e instanceof KernelPanic)) {
        if (process.env.MMBOX_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
        try {
          oops(e instanceof Error ? e.message : String(e));
        } catch (p) {
          kp = p;
        }
      }
      const reason = (kp as KernelPanic).reason;
      this.panicked = reason;
      this.k.sched.halted = reason;
    }
  }

  /** Checks the allocator's invariants now (tests call this after every step). */
  checkInvariants(): void {
    this.guard(() => check_vm(this.k));
  }

  /* ---- Front-end inspection (tui/): read-only peeks and the console's size ----
   * Like a debugger's peek: these read kernel state and change nothing, so
   * a panel can refresh as often as it likes without disturbing a run. */

  /** Simulated nanoseconds since power-on. */
  get ns(): number {
    return this.k.clock.ns;
  }

  /** Memory state for a live panel: zones, buddy free areas, LRU, swap, processes. */
  snapshot(): MemSnapshot {
    const k = this.k;
    const node = (item: number): number => k.nodes.reduce((a, n) => a + n.node_page_state(item), 0);
    const zones = k.zones
      .filter((z) => z.managed_zone())
      .map((z) => ({
        node: z.node,
        name: z.name,
        managed: z.managed_pages,
        free: z.zone_page_state(NR_FREE_PAGES),
        min: z.min_wmark_pages(),
        low: z.low_wmark_pages(),
        high: z.high_wmark_pages(),
        freeBlocks: Array.from(z.nr_free),
      }));
    const tasks: TaskSnapshot[] = [];
    for (const t of k.sched.tasks.values()) {
      const kthread = t.is_kthread();
      const state = t.exit_state
        ? "Z"
        : t.state === TASK_RUNNING
          ? "R"
          : t.state === TASK_UNINTERRUPTIBLE
            ? "D"
            : t.state === __TASK_STOPPED
              ? "T"
              : "S";
      const rss = kthread || t.exit_state ? 0 : k.mm_hooks.proc_task_stat(k, t).rss;
      tasks.push({ pid: t.pid, comm: t.comm, state, rssPages: rss, kthread });
    }
    return {
      ns: k.clock.ns,
      pageSize: 4096,
      totalram: k.totalram_pages,
      zones,
      lru: {
        activeAnon: node(NR_ACTIVE_ANON),
        inactiveAnon: node(NR_INACTIVE_ANON),
        activeFile: node(NR_ACTIVE_FILE),
        inactiveFile: node(NR_INACTIVE_FILE),
        unevictable: node(NR_UNEVICTABLE),
      },
      swap: {
        total: k.mm_stat.total_swap_pages,
        free: k.mm_stat.nr_swap_pages,
        cached: node(NR_SWAPCACHE),
        pswpin: k.vm_events[PSWPIN],
        pswpout: k.vm_events[PSWPOUT],
      },
      tasks,
    };
  }

  /**
   * Physical memory as a map (kernel/mm/pfn_map.ts, what physmap prints),
   * with cells as small as let every populated zone fit `lines` lines of
   * `perLine` cells in all.
   */
  pfnMap(perLine: number, lines: number): ZonePfnMap[] {
    const zones = this.k.zones.filter((z) => z.populated_zone());
    const rows = (order: number): number =>
      zones.reduce(
        (a, z) =>
          a + Math.ceil((((z.zone_end_pfn - 1) >> order) - (z.zone_start_pfn >> order) + 1) / perLine),
        0,
      );
    let order = 0;
    while (order < 30 && rows(order) > lines) order++;
    return pfn_map(this.k, order);
  }

  /** The console's window size (rows, columns). */
  winsize(): { cols: number; rows: number } {
    return { cols: this.k.console.winsize.ws_col, rows: this.k.console.winsize.ws_row };
  }

  /**
   * The terminal was resized: TIOCSWINSZ on the console, through an open
   * file of it (as the terminal's side of a pty would), so the foreground
   * process group gets SIGWINCH. Before anything has the console open the
   * size is just stored.
   */
  resize(cols: number, rows: number): void {
    const tty = this.k.console;
    const ws = { ws_row: rows, ws_col: cols };
    if (tty.winsize.ws_row === rows && tty.winsize.ws_col === cols) return;
    for (const t of this.k.sched.tasks.values())
      for (const f of t.files.fd)
        if (f && (f.private_data as TtyStruct | null) === tty && f.f_op.ioctl) {
          this.guard(() => f.f_op.ioctl!(this.k, f, TIOCSWINSZ, ws, t));
          return;
        }
    tty.winsize = ws;
  }

  /* ---- Peeks for the console's host-side line editor (tui/lineedit.ts) ----
   * Tab completion reads the namespace without changing it: the walk uses
   * only the dcache and mounts (never ->lookup, which would create dentries
   * and inodes) and procfs' entry tables, so a session that completes a name
   * stays identical to its replay. */

  /**
   * The console waits for a whole line: canonical mode with echo, a reader
   * blocked on it, nothing typed ahead. A front end may then edit the line
   * itself and type it at once, as a terminal with local editing would.
   */
  consoleWantsLine(): boolean {
    const tty = this.k.console;
    const l = tty.termios.c_lflag;
    return (
      (l & ICANON) !== 0 &&
      (l & ECHO) !== 0 &&
      this.waitingForInput() &&
      tty.line.length === 0 &&
      tty.read_buf.length === 0
    );
  }

  /** The task the console talks to: its foreground group's leader, else the session's. */
  private consoleTask(): Task | null {
    const tty = this.k.console;
    return this.k.sched.tasks.get(tty.pgrp) ?? this.k.sched.tasks.get(tty.session) ?? null;
  }

  /** A directory's entries (absolute path, or relative to the console process's cwd); null when not a directory. */
  peekDir(path: string): PeekEntry[] | null {
    const t = this.consoleTask();
    if (!t) return null;
    const node = peekWalk(this.k, t, path);
    if (!node) return null;
    const e = "e" in node ? node.e : procEntryOf(node);
    if (e) return entry_children(this.k, t, e).map((c) => ({ name: c.name, dir: !!c.children, exec: false }));
    if ("e" in node) return null;
    const out: PeekEntry[] = [];
    for (const d of node.dentry.d_subdirs.values()) {
      const ino = d.d_inode;
      if (!ino) continue;
      const target = ino.isLnk()
        ? peekWalk(this.k, t, ino.i_link ?? "", { mnt: node.mnt, dentry: node.dentry })
        : null;
      const dir = ino.isDir() || target !== null;
      out.push({ name: d.d_name, dir, exec: !dir && (ino.i_mode & 0o111) !== 0 });
    }
    return out;
  }
}

/** One name in a directory, as tab completion needs it. */
export interface PeekEntry {
  name: string;
  dir: boolean;
  exec: boolean;
}

type PeekNode = Path | { e: ProcEntry };

/** Steps onto whatever is mounted at p. */
function peekMounts(p: Path): Path {
  let { mnt, dentry } = p;
  while (dentry.d_mounted) {
    mnt = dentry.d_mounted;
    dentry = mnt.mnt_root;
  }
  return { mnt, dentry };
}

/** A procfs (or sysfs) directory inode carries its entry in i_private. */
function procEntryOf(p: Path): ProcEntry | null {
  const ino = p.dentry.d_inode;
  const e = ino?.i_op.readdir ? (ino.i_private as ProcEntry | null) : null;
  return e && typeof e.name === "string" && e.children ? e : null;
}

/** Resolves a directory name read-only (see Machine.peekDir); null when it is not one. */
function peekWalk(k: Kernel, t: Task, name: string, start?: Path, depth = 0): PeekNode | null {
  if (depth > 8) return null;
  let node: PeekNode = peekMounts(name.startsWith("/") ? t.fs.root : (start ?? t.fs.pwd));
  for (const comp of name.split("/")) {
    if (comp === "" || comp === ".") continue;
    const e: ProcEntry | null = "e" in node ? node.e : procEntryOf(node);
    if (e && comp !== "..") {
      const c: ProcEntry | undefined = entry_children(k, t, e).find((x) => x.name === comp);
      if (!c?.children) return null;
      node = { e: c };
      continue;
    }
    if ("e" in node) return null; // ".." out of a procfs entry: not needed for completion
    let { mnt, dentry } = node;
    if (comp === "..") {
      while (dentry === mnt.mnt_root && mnt.mnt_parent !== mnt) {
        dentry = mnt.mnt_mountpoint;
        mnt = mnt.mnt_parent;
      }
      node = peekMounts({ mnt, dentry: dentry.d_parent });
      continue;
    }
    const child = dentry.d_subdirs.get(comp);
    const ino = child?.d_inode;
    if (!child || !ino) return null;
    if (ino.isLnk()) {
      const target = peekWalk(k, t, ino.i_link ?? "", node, depth + 1);
      if (!target) return null;
      node = target;
      continue;
    }
    if (!ino.isDir()) return null;
    node = peekMounts({ mnt, dentry: child });
  }
  return node;
}

export {
  PFN_ANON,
  PFN_FILE,
  PFN_FREE,
  PFN_PAGETABLE,
  PFN_SLAB,
  PFN_SLAB_RECLAIMABLE,
} from "./kernel/mm/pfn_map.js";
export type { ZonePfnMap };

/** One zone in a snapshot (pages). */
export interface ZoneSnapshot {
  node: number;
  name: string;
  managed: number;
  free: number;
  min: number;
  low: number;
  high: number;
  /** free_area[order].nr_free: free blocks per order. */
  freeBlocks: number[];
}

/** One task in a snapshot; state is ps's letter (R, S, D, T, Z). */
export interface TaskSnapshot {
  pid: number;
  comm: string;
  state: string;
  rssPages: number;
  kthread: boolean;
}

/** Machine.snapshot(): what a memory panel shows. Counts are pages. */
export interface MemSnapshot {
  ns: number;
  pageSize: number;
  totalram: number;
  zones: ZoneSnapshot[];
  lru: {
    activeAnon: number;
    inactiveAnon: number;
    activeFile: number;
    inactiveFile: number;
    unevictable: number;
  };
  swap: { total: number; free: number; cached: number; pswpin: number; pswpout: number };
  tasks: TaskSnapshot[];
}
