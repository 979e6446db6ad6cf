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

import type { MachineProfile } from "../../hw/profiles.js";
import { sprintf } from "../../lib/sprintf.js";
import type { Kernel } from "../kernel.js";

/** Physical addresses of the kernel image's sections (the linker script's symbols). */
export interface KernelSections {
  text: number; // _text
  etext: number; // _etext
  rodata: number; // __start_rodata
  rodata_end: number; // __end_rodata
  init_begin: number; // __init_begin
  init_end: number; // __init_end
  sdata: number; // _sdata
  edata: number; // _edata
  bss_start: number; // __bss_start
  end: number; // _end
}

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/**
 * kernel_sections: where each part of the image lands. With
 * STRICT_KERNEL_RWX every part starts on a section boundary (1 MiB on ARM,
 * 2 MiB on x86_64 and arm64) so that it can be mapped with its own rights.
 * ARM: text, rodata, init, data+bss. x86_64: text, rodata, data, then
 * init and bss at the end of the reservation.
 */
export function kernel_sections(p: MachineProfile, text: number): KernelSections {
  const img = p.image;
  const KB = 1024;
  const align = p.arch === "arm" ? 1 << 20 : 2 << 20;
  const etext = text + img.textKB * KB;
  const rodata = alignUp(etext, align);
  const rodata_end = rodata + img.rodataKB * KB;
  if (p.arch === "x86_64") {
    const sdata = alignUp(rodata_end, align);
    const edata = sdata + img.rwdataKB * KB;
    const init_begin = alignUp(edata, 4096);
    const end = text + img.reservedKB * KB;
    return {
      text,
      etext,
      rodata,
      rodata_end,
      init_begin,
      init_end: init_begin + img.initKB * KB,
      sdata,
      edata,
      bss_start: end - img.bssKB * KB,
      end,
    };
  }
  const init_begin = alignUp(rodata_end, align);
  const init_end = init_begin + img.initKB * KB;
  const sdata = alignUp(init_end, align);
  const edata = sdata + img.rwdataKB * KB;
  return {
    text,
    etext,
    rodata,
    rodata_end,
    init_begin,
    init_end,
    sdata,
    edata,
    bss_start: edata,
    end: edata + img.bssKB * KB,
  };
}

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
  const s = kernel_sections(p, k.boot_layout.text_start);
  const va = (phys: number): number => v.pageOffset + (phys - p.ramBase);
  const [text, textEnd] = [va(s.text), va(s.init_begin)];
  const [init, initEnd] = [va(s.init_begin), va(s.init_end)];
  const [data, dataEnd, bssEnd] = [va(s.sdata), va(s.edata), va(s.end)];
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
