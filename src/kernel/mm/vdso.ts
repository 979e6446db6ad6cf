/*
 * vdso.ts - the pages the kernel maps into every process (Linux
 * arch/x86/entry/vdso/vma.c, arch/arm/kernel/vdso.c and process.c,
 * arch/arm64/kernel/vdso.c, mm/mmap.c _install_special_mapping).
 *
 *   x86_64   [vvar] 4 pages (kernel time data, VM_PFNMAP: never counted in
 *            RSS), then [vdso] 2 pages, at a random page within the 2 MiB
 *            above the stack
 *   ARM      [sigpage] (the signal return trampoline), [vvar] and [vdso],
 *            one page each, together at a random page above the stack;
 *            and [vectors] at 0xffff0000, the kuser helpers page shared
 *            with the kernel: not a VMA, /proc/PID/maps shows it last
 *            (the "gate area")
 *   arm64    [vvar] 2 pages and [vdso] 2 pages, placed like any mmap
 *
 * The pages live in the kernel image (reserved, never freed): the zero
 * page first, then these. A process that calls into the vDSO (every
 * program's C library does, at start-up) maps its page: one page of
 * RssFile, as on a real box.
 */

import type { Kernel } from "../kernel.js";
import {
  type MmStruct,
  VM_DONTDUMP,
  VM_DONTEXPAND,
  VM_EXEC,
  VM_IO,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_PFNMAP,
  VM_READ,
} from "./mm_struct.js";
import { get_unmapped_area, install_special_mapping } from "./mmap.js";
import { random_slot, type UserLayout } from "./util.js";

const PAGE_SIZE = 4096;

/** The ARM vector page's user address (the gate area). */
export const ARM_VECTORS_BASE = 0xffff0000;

interface SpecialPages {
  sigpage: number[];
  vvar: number[];
  vdso: number[];
}

/** Which kernel-image pages back each special mapping (after the zero page). */
function special_pages(k: Kernel): SpecialPages {
  const z = k.zero_pfn;
  const run = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => z + from + i);
  switch (k.profile.arch) {
    case "arm":
      return { sigpage: run(1, 1), vvar: run(2, 1), vdso: run(3, 1) };
    case "x86_64":
      return { sigpage: [], vvar: run(1, 4), vdso: run(5, 2) };
    default:
      return { sigpage: [], vvar: run(1, 2), vdso: run(3, 2) };
  }
}

/**
 * vdso_init: the special pages hold a reference for the kernel image, so
 * that mapping and unmapping them never frees them.
 */
export function vdso_init(k: Kernel): void {
  const p = special_pages(k);
  for (const pfn of [k.zero_pfn, ...p.sigpage, ...p.vvar, ...p.vdso]) k.mem.set_page_count(pfn, 1);
}

/** Every kernel page a process can map from the image, for the checker. */
export function is_special_page(k: Kernel, pfn: number): boolean {
  return pfn >= k.zero_pfn && pfn <= k.zero_pfn + 6;
}

/**
 * arch_setup_additional_pages: map the vDSO (and ARM's sigpage) into a new
 * address space. Returns the vDSO's address (AT_SYSINFO_EHDR) or -errno.
 */
export function arch_setup_additional_pages(
  k: Kernel,
  mm: MmStruct,
  L: UserLayout,
  start_stack: number,
): number {
  const p = special_pages(k);
  const text = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND;
  if (k.profile.arch === "arm") {
    // sigpage_addr: a random page between the stack and TASK_SIZE, with room for all three.
    const hint = random_slot(k, Math.ceil(start_stack / PAGE_SIZE) * PAGE_SIZE, L.task_size, 3);
    const addr = get_unmapped_area(k, mm, hint, 3 * PAGE_SIZE);
    if (addr < 0) return addr;
    install_special_mapping(k, mm, addr, "[sigpage]", text, p.sigpage);
    install_special_mapping(k, mm, addr + PAGE_SIZE, "[vvar]", VM_READ | VM_MAYREAD | VM_DONTEXPAND, p.vvar);
    install_special_mapping(k, mm, addr + 2 * PAGE_SIZE, "[vdso]", text, p.vdso);
    return addr + 2 * PAGE_SIZE;
  }
  const vvarLen = p.vvar.length * PAGE_SIZE;
  const len = vvarLen + p.vdso.length * PAGE_SIZE;
  let hint = 0;
  if (k.profile.arch === "x86_64") {
    // vdso_addr: a random page from the stack's top up to the next 2 MiB boundary.
    const start = Math.ceil(start_stack / PAGE_SIZE) * PAGE_SIZE;
    const PMD = 2 * 1024 * 1024;
    const end = Math.min(Math.ceil((start + len) / PMD) * PMD, L.task_size) - len;
    hint = end > start ? random_slot(k, start, end + len, len / PAGE_SIZE) : start;
  }
  const addr = get_unmapped_area(k, mm, hint, len);
  if (addr < 0) return addr;
  const vvarFlags =
    VM_READ |
    VM_MAYREAD |
    VM_DONTEXPAND |
    (k.profile.arch === "x86_64" ? VM_PFNMAP | VM_IO | VM_DONTDUMP : 0);
  install_special_mapping(k, mm, addr, "[vvar]", vvarFlags, p.vvar);
  install_special_mapping(k, mm, addr + vvarLen, "[vdso]", text, p.vdso);
  return addr + vvarLen;
}
