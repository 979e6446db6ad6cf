/*
 * /proc/sysrq-trigger (drivers/tty/sysrq.c): the help line, show-memory
 * (m) as show_mem prints it for every zone, the manual OOM kill (f) from a
 * kworker at order -1, which never panics, the loglevel keys, crash (c),
 * and the file itself (write-only: a read is EIO).
 */

import { describe, expect, it } from "vitest";
import { show_mem } from "../../../src/kernel/mm/show_mem.js";
import { session, sh } from "../../helpers/machine.js";

const strip = (s: string): string[] =>
  s
    .split("\n")
    .filter((l) => /^\[[ .0-9]+\] /.test(l))
    .map((l) => l.replace(/^\[[ .0-9]+\] /, ""));

describe("/proc/sysrq-trigger", () => {
  it("a key without an action prints the help line (each action once, in the table's order)", () => {
    const r = sh(["echo h > /proc/sysrq-trigger", "echo x > /proc/sysrq-trigger"]);
    const help =
      "sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) " +
      "kill-all-tasks(i) thaw-filesystems(j) sak(k) show-backtrace-all-active-cpus(l) show-memory-usage(m) " +
      "nice-all-RT-tasks(n) poweroff(o) show-registers(p) show-all-timers(q) unraw(r) sync(s) " +
      "show-task-states(t) unmount(u) show-blocked-tasks(w) dump-ftrace-buffer(z) ";
    expect(strip(r.output)).toEqual([help, help]);
  });

  it("is write-only: 0200, and a read fails with EIO", () => {
    const r = sh(["ls -l /proc/sysrq-trigger | cut -c1-10", "cat /proc/sysrq-trigger; echo rc=$?"]);
    expect(r.output).toBe("--w-------\ncat: read error: Input/output error\nrc=1\n");
  });

  it.each(["vexpress-a9", "pc"] as const)("m: show_mem of every zone, on %s", (machine) => {
    const s = session({ machine });
    s.line("echo m > /proc/sysrq-trigger");
    const got = strip(s.take());
    const want: string[] = [];
    show_mem(s.m.k, (l) => want.push(...l.split("\n")));
    expect(got).toEqual(["sysrq: Show Memory", ...want]);
    // HighMem (ARM) is shown: the request names no allocation to limit the zones.
    if (machine === "vexpress-a9") expect(got.some((l) => l.startsWith("HighMem free:"))).toBe(true);
  });

  it("f: the OOM killer from this CPU's kworker at order -1 kills the biggest task", () => {
    const s = session();
    s.line("hog 200M 10M hold > /dev/null & H=$!");
    s.line("sleep 3");
    s.take();
    s.line("echo f > /proc/sysrq-trigger; wait $H; echo rc=$?");
    const out = s.take();
    const log = strip(out);
    expect(log.slice(0, 2)).toEqual([
      "sysrq: Manual OOM execution",
      "kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0",
    ]);
    expect(log[2]).toMatch(/^CPU: 0 PID: \d+ Comm: kworker\/0:1 Not tainted 6\.1\.0-50-armmp #1 {2}Debian/);
    // print_worker_info: the work item dump_stack runs in, after the hardware name.
    expect(log.slice(4, 15)).toEqual([
      "Workqueue: events moom_callback",
      " unwind_backtrace from show_stack+0x18/0x1c",
      " show_stack from dump_stack_lvl+0x40/0x4c",
      " dump_stack_lvl from dump_header+0x50/0x20c",
      " dump_header from oom_kill_process+0x22c/0x238",
      " oom_kill_process from out_of_memory+0x218/0x34c",
      " out_of_memory from moom_callback",
      " moom_callback from process_one_work",
      " process_one_work from worker_thread",
      " worker_thread from kthread",
      " kthread from ret_from_fork",
    ]);
    // GFP_KERNEL's zones only: lowmem (DMA here), not HighMem.
    expect(log.some((l) => l.startsWith("DMA free:"))).toBe(true);
    expect(log.some((l) => l.startsWith("HighMem free:"))).toBe(false);
    expect(log.at(-1)).toMatch(/^Out of memory: Killed process \d+ \(hog\) total-vm:/);
    expect(out).toContain("Killed\nrc=137\n");
    s.m.checkInvariants();
  });

  it("f with nobody killable: no panic, the request is ignored", () => {
    const r = sh(["echo -1000 > /proc/$$/oom_score_adj", "echo f > /proc/sysrq-trigger; echo rc=$?"]);
    const log = strip(r.output);
    expect(log.slice(-2)).toEqual([
      "Out of memory and no killable processes...",
      "sysrq: OOM request ignored. No task eligible",
    ]);
    expect(r.output).toMatch(/rc=0\n$/);
  });

  it("0-9 set the console loglevel, announced at the default level", () => {
    const r = sh([
      "echo 3 > /proc/sysrq-trigger",
      "cat /proc/sys/kernel/printk",
      "echo m > /proc/sysrq-trigger",
    ]);
    // At loglevel 3 the header still shows (the level is raised for it), Mem-Info (warning) does not.
    expect(r.output.replace(/^\[[ .0-9]+\] /gm, "")).toBe(
      "sysrq: Changing Loglevel\nsysrq: Loglevel set to 3\n3\t4\t1\t7\nsysrq: Show Memory\n",
    );
  });

  it("c: panics with the write's call chain", () => {
    const r = sh(["echo c > /proc/sysrq-trigger", "echo never"], { machine: "pc" });
    const log = strip(r.output);
    expect(log.slice(0, 2)).toEqual([
      "sysrq: Trigger a crash",
      "Kernel panic - not syncing: sysrq triggered crash",
    ]);
    expect(log.slice(5, 16)).toEqual([
      " <TASK>",
      " dump_stack_lvl+0x44/0x5c",
      " panic",
      " sysrq_handle_crash",
      " __handle_sysrq",
      " write_sysrq_trigger",
      " proc_reg_write",
      " vfs_write",
      " ksys_write",
      " do_syscall_64",
      " entry_SYSCALL_64_after_hwframe",
    ]);
    expect(log.at(-1)).toBe("---[ end Kernel panic - not syncing: sysrq triggered crash ]---");
    expect(r.output).not.toContain("never");
  });
});
