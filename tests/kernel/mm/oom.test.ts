/*
 * The OOM killer through the shell: the victim is the task with the highest
 * oom_badness (RSS + swap entries + page tables + oom_score_adj thousandths
 * of memory), OOM_SCORE_ADJ_MIN is never chosen, the report's numbers are
 * what /proc said just before the kill, oom_kill_allocating_task and
 * panic_on_oom change the outcome, and /proc/PID/oom_score follows the same
 * formula. The invariant checker runs after every line.
 */

import { describe, expect, it } from "vitest";
import { PlainSession, runLines } from "../../../src/plain/run.js";

const MiB = 1024 * 1024;

function session(machine: "vexpress-a9" | "pc" = "vexpress-a9", memory = 256 * MiB) {
  const s = new PlainSession({ machine, memory });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  return { s, run };
}

const field = (status: string, name: string): number =>
  Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)![1]);

/** What /proc says about a process: statm (pages) and the kB lines of status. */
function proc_of(run: (l: string) => string, pid: number) {
  const [size, resident] = run(`cat /proc/${pid}/statm`).split(" ").map(Number);
  const status = run(`cat /proc/${pid}/status`);
  return {
    size,
    resident,
    anon: field(status, "RssAnon"),
    file: field(status, "RssFile"),
    shmem: field(status, "RssShmem"),
    pte: field(status, "VmPTE"),
    swap: field(status, "VmSwap"),
  };
}

/** /proc/PID/oom_score from the numbers /proc shows, as proc_oom_score computes it. */
function expected_score(run: (l: string) => string, p: ReturnType<typeof proc_of>, adj: number): number {
  const mem = run("grep -E 'MemTotal|SwapTotal' /proc/meminfo");
  const totalpages = (field(mem, "MemTotal") + field(mem, "SwapTotal")) / 4;
  const badness =
    p.resident + p.swap / 4 + Math.floor((p.pte * 1024) / 4096) + adj * Math.floor(totalpages / 1000);
  return Math.trunc(((1000 + Math.trunc((badness * 1000) / totalpages)) * 2) / 3);
}

describe("the OOM killer", () => {
  it("kills the task with the highest badness and reports what /proc showed just before", () => {
    const { run } = session();
    run("hog 60M 10M hold > /dev/null &");
    const a = Number(run("echo $!"));
    run(`echo 500 > /proc/${a}/oom_score_adj`);
    run("sleep 1");
    const before = proc_of(run, a);
    expect(Number(run(`cat /proc/${a}/oom_score`))).toBe(expected_score(run, before, 500));
    // B grows past what is left: at the OOM, A (adj 500) outweighs B and dies; B then fits.
    expect(run("hog 190M 10M > /dev/null; echo rc=$?")).toMatch(
      new RegExp(`Out of memory: Killed process ${a} \\(hog\\).*\nrc=0\n`),
    );
    expect(run(`ls -d /proc/${a} 2>&1`)).toBe(`ls: /proc/${a}: No such file or directory\n`);
    const log = run("dmesg");
    const report = log.slice(log.indexOf("invoked oom-killer")).replace(/^\[[ \d.]+\] /gm, "");
    // The fault that found no memory: the user page itself (GFP_HIGHUSER_MOVABLE, not zeroed
    // by the allocator on ARM32) or a page table for it (GFP_KERNEL_ACCOUNT|__GFP_ZERO, lowmem).
    expect(report).toMatch(
      /^invoked oom-killer: gfp_mask=(0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\)|0x400dc0\(GFP_KERNEL_ACCOUNT\|__GFP_ZERO\)), order=0, oom_score_adj=0\n/,
    );
    const lines = report.split("\n");
    // 256 MiB of ARM RAM is all lowmem: no HighMem zone to show.
    expect(lines.some((l) => l.startsWith("HighMem"))).toBe(false);
    // The stack, then Mem-Info, the zones, the task table and the verdict, in the kernel's order.
    const order = [
      "CPU: ",
      "Hardware name: ARM-Versatile Express",
      " unwind_backtrace from show_stack+0x18/0x1c",
      " show_stack from dump_stack_lvl+0x40/0x4c",
      " dump_stack_lvl from dump_header+0x50/0x20c",
      " dump_header from oom_kill_process+0x22c/0x238",
      " oom_kill_process from out_of_memory+0x218/0x34c",
      " out_of_memory from __alloc_pages+0xe18/0x1094",
      " __alloc_pages from handle_mm_fault+0x66c/0x1044",
      " handle_mm_fault from do_page_fault+0x17c/0x330",
      " do_page_fault from do_DataAbort+0x44/0xb8",
      " do_DataAbort from __dabt_usr+0x58/0x60",
      "Mem-Info:",
      "Node 0 active_anon:",
      "DMA free:",
      "lowmem_reserve[]:",
      "DMA: ",
      "Free swap  = 0kB",
      "Tasks state (memory values in pages):",
      "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
      "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,",
      "Out of memory: Killed process",
    ];
    let at = 0;
    for (const start of order) {
      const i = lines.findIndex((l, j) => j >= at && l.startsWith(start));
      expect(i, start).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    const row = lines.find((l) => l.startsWith(`[${String(a).padStart(7)}]`));
    expect(row).toBe(
      `[${String(a).padStart(7)}]     0 ${String(a).padStart(5)} ${String(before.size).padStart(8)}` +
        ` ${String(before.resident).padStart(8)} ${String(before.pte * 1024).padStart(8)}        0           500 hog`,
    );
    expect(lines).toContain(
      `Out of memory: Killed process ${a} (hog) total-vm:${before.size * 4}kB, anon-rss:${before.anon}kB,` +
        ` file-rss:${before.file}kB, shmem-rss:${before.shmem}kB, UID:0 pgtables:${before.pte}kB oom_score_adj:500`,
    );
    expect(lines).toContain(
      `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=${a},uid=0`,
    );
    expect(run("grep oom_kill /proc/vmstat")).toBe("oom_kill 1\n");
  });

  it("never chooses OOM_SCORE_ADJ_MIN: the grower dies instead, with Killed and status 137", () => {
    const { run } = session();
    run("hog 60M 10M hold > /dev/null &");
    const a = Number(run("echo $!"));
    run(`echo -1000 > /proc/${a}/oom_score_adj`);
    expect(run(`cat /proc/${a}/oom_score /proc/${a}/oom_adj`)).toBe("0\n-17\n");
    run("sleep 1");
    const out = run("hog 300M 10M > /dev/null; echo rc=$?");
    expect(out).toMatch(/Out of memory: Killed process \d+ \(hog\) .* oom_score_adj:0\nKilled\nrc=137\n$/);
    expect(out).not.toContain(`Killed process ${a} `);
    expect(run(`ls -d /proc/${a}`)).toBe(`/proc/${a}\n`);
    // The victim's memory came back: everything but A's 60 MiB is free again.
    const free = field(run("grep MemFree /proc/meminfo"), "MemFree");
    expect(free).toBeGreaterThan(150 * 1024);
  });

  it("kills the allocating task with oom_kill_allocating_task, and panics with panic_on_oom", () => {
    const { run } = session("pc");
    run("hog 100M 10M hold > /dev/null &");
    const a = Number(run("echo $!"));
    run("sleep 1");
    run("echo 1 > /proc/sys/vm/oom_kill_allocating_task");
    const out = run("hog 300M > /dev/null; echo rc=$?");
    expect(out).toMatch(/\] Out of memory \(oom_kill_allocating_task\): Killed process \d+ \(hog\) /);
    expect(out).not.toContain(`process ${a} `);
    expect(out).toMatch(/\nKilled\nrc=137\n$/);
    const log = run("dmesg");
    // x86_64 asks the allocator for a zeroed page and shows its stack in <TASK> brackets.
    expect(log).toMatch(
      /hog invoked oom-killer: gfp_mask=0x140dca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\|__GFP_ZERO\), order=0/,
    );
    // The return addresses of Debian's 6.1.0-56-amd64 build, a stale one marked "?", as the reference shows.
    const trace = log.replace(/^\[[ .\d]+\] /gm, "");
    // (The user registers follow, up to </TASK>: tests/kernel/arch/ptrace.test.ts.)
    expect(trace.slice(trace.indexOf("Call Trace:"), trace.indexOf("RIP: 0033:"))).toBe(
      [
        "Call Trace:",
        " <TASK>",
        " dump_stack_lvl+0x44/0x5c",
        " dump_header+0x4c/0x22b",
        " oom_kill_process.cold+0xb/0x10",
        " out_of_memory+0x1fd/0x4c0",
        " __alloc_pages_slowpath.constprop.0+0x67f/0xe70",
        " __alloc_pages+0x305/0x330",
        " __folio_alloc+0x17/0x50",
        " ? policy_node+0x51/0x70",
        " vma_alloc_folio+0x9c/0x370",
        " __handle_mm_fault+0x92f/0xfa0",
        " handle_mm_fault+0xdb/0x2d0",
        " do_user_addr_fault+0x191/0x570",
        " exc_page_fault+0x70/0x170",
        " asm_exc_page_fault+0x22/0x30",
        "",
      ].join("\n"),
    );
    expect(log).toContain("Node 0 DMA32 free:");

    const p = session();
    p.run("echo 1 > /proc/sys/vm/panic_on_oom");
    expect(p.run("hog 300M > /dev/null; echo rc=$?")).toMatch(
      /Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\n.*---\[ end Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled \]---\n$/,
    );
    expect(p.s.m.panicked).toBe("Out of memory: system-wide panic_on_oom is enabled");
  });

  it("panics when boot itself runs out (Debian's x86_64 kernel and the initramfs in 64 MiB), and says so", () => {
    const r = runLines(["free"], { machine: "pc", memory: 64 * MiB });
    expect(r.status).toBe(255);
    expect(r.output).toContain("invoked oom-killer: gfp_mask=");
    expect(r.output).toMatch(
      /\] Out of memory and no killable processes\.\.\.\n\[[ \d.]+\] Kernel panic - not syncing: System is deadlocked on memory\n/,
    );
    expect(r.output).not.toContain("Mem:");
  });

  it("refuses memhog 2G on 1 GiB without swap at mmap (the overcommit heuristic), warning at most 10 times in 5 s", () => {
    const { run } = session("vexpress-a9", 1024 * MiB);
    // As the reference shows it: the kernel's warning, then numactl's error.
    expect(run("memhog 2G; echo rc=$?")).toMatch(
      /^\[[ \d.]+\] __vm_enough_memory: pid: \d+, comm: memhog, no enough memory for the allocation\nnumactl: mmap: Cannot allocate memory\nrc=1\n$/,
    );
    run("for i in 1 2 3 4 5 6 7 8 9 10 11 12; do memhog 2G > /dev/null 2>&1; done");
    expect(run("dmesg | grep -c 'no enough memory for the allocation'")).toBe("10\n");
    expect(run("grep oom_kill /proc/vmstat")).toBe("oom_kill 0\n");
    run("sleep 5; memhog 2G > /dev/null 2>&1");
    expect(run("dmesg | tail -2 | cut -d] -f2-")).toMatch(
      /^ __vm_enough_memory: 3 callbacks suppressed\n __vm_enough_memory: pid: \d+, comm: memhog, no enough memory for the allocation\n$/,
    );
  });
});
