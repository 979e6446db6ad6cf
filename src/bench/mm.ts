/*
 * mm.ts - the process issue's numbers: anonymous page faults per second
 * for a program writing 1 GiB (side by side with the host kernel doing the
 * same for a tiny C program, when a C compiler is here), fork of a 256 MiB
 * process, and find_vma among 1,000 / 10,000 / 100,000 areas.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kernel } from "../kernel/kernel.js";
import { sys_cpu_access } from "../kernel/mm/fault.js";
import { type MmStruct, VM_NOHUGEPAGE } from "../kernel/mm/mm_struct.js";
import { do_mmap, dup_mmap, find_vma, mm_alloc, mmput } from "../kernel/mm/mmap.js";
import { new_signal_struct } from "../kernel/sched/fork.js";
import { Task } from "../kernel/sched/task.js";
import { default_rlimits } from "../kernel/sys.js";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PROT_READ, PROT_WRITE } from "../kernel/uapi/mman.js";
import { Machine } from "../machine.js";
import type { Row } from "./main.js";

const GiB = 1024 ** 3;
const P = 4096;

const HOST_PROGRAM = `
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
int main(void) {
  size_t n = 1UL << 30;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 1;
  madvise(p, n, MADV_NOHUGEPAGE); /* 4 KiB pages, as in the simulation */
  memset(p, 0xff, n);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.0f\\n", (n / 4096) / ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9));
  return 0;
}
`;

/** The host's own faults per second for the C program, or null when no cc. */
function hostFaultsPerSec(): number | null {
  const dir = mkdtempSync(join(tmpdir(), "mmbox-bench-"));
  try {
    writeFileSync(join(dir, "touch.c"), HOST_PROGRAM);
    execFileSync("cc", ["-O2", "-o", join(dir, "touch"), join(dir, "touch.c")], { stdio: "ignore" });
    const runs = [0, 1, 2].map(() => Number(execFileSync(join(dir, "touch"), { encoding: "utf8" }).trim()));
    return Math.max(...runs);
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function process(k: Kernel, pid: number): { t: Task; mm: MmStruct } {
  const mm = mm_alloc(k)!;
  mm.task_size = 2 ** 47 - P;
  mm.mmap_base = 2 ** 46;
  const t = new Task(pid, "bench", null as never, null as never, new_signal_struct());
  t.rlim = default_rlimits(k);
  t.mm = mm;
  k.sched.tasks.set(pid, t);
  k.sched.current = t;
  return { t, mm };
}

function retire(k: Kernel, t: Task): void {
  k.sched.tasks.delete(t.pid);
  const mm = t.mm!;
  t.mm = null;
  mmput(k, mm);
  k.sched.current = null;
}

/** Writes all of [addr, addr+len) the way memset in a program would; returns host ms. */
function write(k: Kernel, t: Task, addr: number, len: number): number {
  const a = { addr, len, write: true, fill: 0xff };
  const t0 = performance.now();
  while (typeof sys_cpu_access(k, t, a) === "symbol");
  return performance.now() - t0;
}

function faultsSuite(m: Machine): { sim: number } {
  const k = m.k;
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const { t, mm } = process(k, 9000 + run);
    const addr = do_mmap(
      k,
      t,
      mm,
      0x100000000,
      GiB,
      PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
      null,
      0,
    );
    // MADV_NOHUGEPAGE: 4 KiB faults, as in the host's C program (-M pc has THP enabled=always)
    find_vma(mm, addr)!.vm_flags |= VM_NOHUGEPAGE;
    const flt = t.min_flt;
    const ms = write(k, t, addr, GiB);
    if (t.min_flt - flt !== GiB / P) throw new Error(`expected ${GiB / P} faults, got ${t.min_flt - flt}`);
    best = Math.max(best, GiB / P / (ms / 1000));
    retire(k, t);
  }
  return { sim: best };
}

function forkMs(m: Machine): number {
  const k = m.k;
  const { t, mm } = process(k, 9100);
  const addr = do_mmap(
    k,
    t,
    mm,
    0x100000000,
    256 * 1024 ** 2,
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
    null,
    0,
  );
  find_vma(mm, addr)!.vm_flags |= VM_NOHUGEPAGE; // 65536 PTEs to copy, as before THP
  write(k, t, addr, 256 * 1024 ** 2);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const child = dup_mmap(k, null, mm)!;
    best = Math.min(best, performance.now() - t0);
    mmput(k, child);
  }
  retire(k, t);
  return best;
}

/** ns per find_vma among n areas (every other page mapped, so no two merge). */
function findVmaNs(m: Machine, n: number): number {
  const k = m.k;
  const { t, mm } = process(k, 9200 + n);
  k.sysctl_vm.max_map_count = Math.max(k.sysctl_vm.max_map_count, n + 10);
  const base = 0x200000000;
  for (let i = 0; i < n; i++)
    do_mmap(k, t, mm, base + 2 * i * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
  const lookups = 2_000_000;
  let x = 0;
  const t0 = performance.now();
  for (let i = 0; i < lookups; i++) {
    const v = find_vma(mm, base + ((i * 7919) % (2 * n)) * P);
    if (v) x += v.vm_start;
  }
  const ns = ((performance.now() - t0) * 1e6) / lookups;
  if (x < 0) throw new Error("unreachable");
  retire(k, t);
  return ns;
}

export function mmSuite(): Row[] {
  const m = new Machine({ machine: "pc", memory: 4 * GiB, transcript: true });
  m.boot();
  m.runUntilInput();
  const host = hostFaultsPerSec();
  const { sim } = faultsSuite(m);
  const fork = forkMs(m);
  const fv = [1000, 10_000, 100_000].map((n) => findVmaNs(m, n));
  m.checkInvariants();
  const ratio = host ? sim / host : null;
  return [
    {
      what: "anonymous page faults/s, writing 1 GiB (simulated, -M pc)",
      value: `${Math.round(sim).toLocaleString("en-US")}/s`,
      target: "",
      ok: null,
    },
    {
      what: "the same on the host kernel (C program: mmap + memset 1 GiB, 4 KiB pages)",
      value: host ? `${Math.round(host).toLocaleString("en-US")}/s` : "no C compiler (cc) here",
      target: "",
      ok: null,
    },
    {
      what: "ratio simulated / host",
      value: ratio === null ? "n/a" : ratio.toFixed(2),
      target: ">= 1.0",
      ok: ratio === null ? null : ratio >= 1,
    },
    {
      what: "fork (dup_mmap) of a process with 256 MiB written",
      value: `${fork.toFixed(1)} ms`,
      target: "",
      ok: null,
    },
    {
      what: "find_vma among 1,000 / 10,000 / 100,000 areas",
      value: fv.map((ns) => `${ns.toFixed(0)} ns`).join(" / "),
      // Binary search: 100 times the areas costs a few more steps (and cache misses), not 100 times the time.
      target: "logarithmic (x100 areas: well under x100 time)",
      ok: fv[2] < fv[0] * 20,
    },
  ];
}
