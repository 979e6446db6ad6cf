/*
 * percpu.ts - the first chunk's layout report of the per-CPU allocator
 * (Linux mm/percpu.c pcpu_dump_alloc_info), printed at KERN_DEBUG right after
 * "percpu: Embedded N pages/cpu ...": so in dmesg, not on the console.
 *
 * Each CPU has a unit of the chunk (u bytes). Units are allocated in blocks
 * of atom_size (x86_64 embeds the chunk in 2 MiB PMD pages, ARM in pages),
 * so one allocation holds upa units; the second line lists the allocations,
 * "[group] cpu cpu ..", a few per line, an unused unit as "-".
 *
 *   pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152
 *   pcpu-alloc: [0] 0 1
 *
 * Simplified: the unit size is the machine profile's, one group (node 0)
 * holds every CPU.
 */

import type { Kernel } from "../kernel.js";
import { KERN_DEBUG } from "../lib/printk.js";

const PMD_SIZE = 2 * 1024 * 1024;
const PAGE_SIZE = 4096;

function rounddown_pow_of_two(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/** pcpu_dump_alloc_info(KERN_DEBUG, ai) for nr_cpus CPUs. */
export function pcpu_dump_alloc_info(k: Kernel, nr_cpus: number): void {
  const p = k.profile;
  const atom_size = p.arch === "x86_64" ? PMD_SIZE : PAGE_SIZE;
  const unit_size = p.percpuUnit;
  const alloc_size = Math.ceil(unit_size / atom_size) * atom_size;
  const upa = alloc_size / unit_size;
  const nr_groups = 1;
  const group_width = String(nr_groups).length;
  const cpu_width = String(nr_cpus).length;
  const width = upa * (cpu_width + 1) + group_width + 3;
  const apl = rounddown_pow_of_two(Math.max(Math.floor(60 / width), 1));
  const pr = (s: string): void => k.printk.printk(KERN_DEBUG, s);
  pr(
    `pcpu-alloc: s${p.percpuStatic} r${p.percpuReserved} d${p.percpuDynamic} u${unit_size} alloc=${alloc_size / atom_size}*${atom_size}`,
  );
  const nr_units = Math.ceil(nr_cpus / upa) * upa;
  let line = "";
  for (let alloc = 0; alloc * upa < nr_units; alloc++) {
    if (alloc % apl === 0) {
      if (line) pr(line);
      line = "pcpu-alloc: ";
    }
    line += `[${String(0).padStart(group_width, "0")}] `;
    for (let unit = alloc * upa; unit < (alloc + 1) * upa; unit++)
      line += unit < nr_cpus ? `${String(unit).padStart(cpu_width, "0")} ` : `${"-".repeat(cpu_width)} `;
  }
  pr(line);
}
