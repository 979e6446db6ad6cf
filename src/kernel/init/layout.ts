/*
 * layout.ts - the ARM kernel's virtual memory layout, as Linux 4.x printed
 * it at boot from mem_init (arch/arm/mm/init.c). 6.1 no longer prints it;
 * mmbox shows it in /sys/kernel/debug/kernel_layout, and in the boot log
 * with "debug" on the kernel command line.
 *
 *   0xffff0000  vector page (exception vectors)
 *   0xffc00000  fixmap (kmap_atomic slots, early console)
 *   VMALLOC     from high_memory + 8 MiB to 0xff800000
 *   0xc0000000  lowmem: all RAM up to 768 MiB, mapped linearly (PAGE_OFFSET)
 *   0xbfe00000  pkmap: kmap() of HighMem pages (2 MiB)
 *   0xbf000000  modules (14 MiB)
 */

import { sprintf } from "../../lib/sprintf.js";
import type { Kernel } from "../kernel.js";

export function kernel_layout_lines(k: Kernel): string[] {
  const p = k.profile;
  const v = p.vmsplit!;
  const MiB = 1 << 20;
  const lowmem = Math.min(k.boot_layout.max_low_pfn * 4096 - p.ramBase, p.lowmemLimit);
  const high_memory = v.pageOffset + lowmem;
  const vmalloc_start = high_memory + v.vmallocOffset;
  const vmalloc_end = 0xff800000;
  const modules = 0xbf000000;
  const pkmap = 0xbfe00000;
  const text = v.pageOffset + (k.boot_layout.text_start - p.ramBase);
  const img = p.image;
  const textEnd = text + (img.textKB + img.rodataKB) * 1024;
  const init = text + Math.ceil(((img.textKB + img.rodataKB) * 1024) / MiB) * MiB;
  const initEnd = init + img.initKB * 1024;
  const data = initEnd;
  const dataEnd = data + img.rwdataKB * 1024;
  const bssEnd = dataEnd + img.bssKB * 1024;
  const h = (x: number): string => `0x${(x >>> 0).toString(16).padStart(8, "0")}`;
  return [
    "Virtual kernel memory layout:",
    sprintf("    vector  : %s - %s   (%4d kB)", h(0xffff0000), h(0xffff1000), 4),
    sprintf("    fixmap  : %s - %s   (%4d kB)", h(0xffc00000), h(0xfff00000), 3072),
    sprintf(
      "    vmalloc : %s - %s   (%4d MB)",
      h(vmalloc_start),
      h(vmalloc_end),
      (vmalloc_end - vmalloc_start) / MiB,
    ),
    sprintf("    lowmem  : %s - %s   (%4d MB)", h(v.pageOffset), h(high_memory), lowmem / MiB),
    sprintf("    pkmap   : %s - %s   (%4d MB)", h(pkmap), h(v.pageOffset), 2),
    sprintf("    modules : %s - %s   (%4d MB)", h(modules), h(pkmap), 14),
    sprintf("      .text : %s - %s   (%4d kB)", h(text), h(textEnd), Math.round((textEnd - text) / 1024)),
    sprintf("      .init : %s - %s   (%4d kB)", h(init), h(initEnd), Math.round((initEnd - init) / 1024)),
    sprintf("      .data : %s - %s   (%4d kB)", h(data), h(dataEnd), Math.round((dataEnd - data) / 1024)),
    sprintf("       .bss : %s - %s   (%4d kB)", h(dataEnd), h(bssEnd), Math.round((bssEnd - dataEnd) / 1024)),
  ];
}

export function kernel_layout_show(k: Kernel): string {
  return `${kernel_layout_lines(k).join("\n")}\n`;
}
