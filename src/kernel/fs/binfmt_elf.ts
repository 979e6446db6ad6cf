/*
 * binfmt_elf.ts - building a program's address space at exec (Linux
 * fs/binfmt_elf.c load_elf_binary and create_elf_tables, fs/exec.c
 * setup_arg_pages and exec_mmap).
 *
 * The rootfs's binaries are stubs: after the ELF magic line they list the
 * program headers of the real (statically linked) BusyBox of each
 * architecture, one per line:
 *
 *     phdr arm LOAD  <vaddr> <offset> <filesz> <memsz> <r-x>
 *     phdr arm RELRO <vaddr> <memsz>
 *
 * load_elf_binary maps each LOAD segment from the page cache (text and data
 * private file mappings; the bss past the file, anonymous), puts the heap
 * at a random distance above the bss, builds the stack (argument and
 * environment strings at its top, then the platform string, 16 random
 * bytes, the auxiliary vector, envp[], argv[] and argc) with 128 KiB of room
 * below, and maps the vDSO. Nothing is read in advance: every page arrives
 * by a fault when the program first touches it.
 */

import type { Kernel } from "../kernel.js";
import { handle_mm_fault } from "../mm/memory.js";
import {
  type MmStruct,
  VM_ACCOUNT,
  VM_GROWSDOWN,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_READ,
  VM_SOFTDIRTY,
  VM_WRITE,
} from "../mm/mm_struct.js";
import { do_mmap, find_vma, mm_alloc, mmap_region, mmput } from "../mm/mmap.js";
import { mmap_base, randomize_brk, randomize_stack_top, user_layout } from "../mm/util.js";
import { arch_setup_additional_pages } from "../mm/vdso.js";
import type { Task } from "../sched/task.js";
import { ENOEXEC, ENOMEM } from "../uapi/errno.js";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../uapi/mman.js";
import type { ExecInfo } from "../uapi/syscalls.js";
import { fput } from "./file_table.js";
import type { File } from "./fs.js";

const PAGE_SIZE = 4096;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;

export interface ElfPhdr {
  type: "LOAD" | "RELRO";
  vaddr: number;
  offset: number;
  filesz: number;
  memsz: number;
  flags: number;
}

const floor = (x: number): number => Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
const ceil = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;

/** Parsed headers by arch and header text: every exec of a binary reads the same bytes. */
const phdr_cache = new Map<string, ElfPhdr[] | null>();

/** The program headers for this architecture from a stub's text (null: none, ENOEXEC). */
export function parse_phdrs(head: string, arch: string): ElfPhdr[] | null {
  const key = `${arch}\n${head}`;
  const hit = phdr_cache.get(key);
  if (hit !== undefined) return hit;
  const r = parse_phdrs_uncached(head, arch);
  if (phdr_cache.size > 256) phdr_cache.clear();
  phdr_cache.set(key, r);
  return r;
}

function parse_phdrs_uncached(head: string, arch: string): ElfPhdr[] | null {
  const out: ElfPhdr[] = [];
  for (const line of head.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== "phdr" || f[1] !== arch) continue;
    const n = (s: string | undefined): number => (s === undefined ? Number.NaN : Number(s));
    if (f[2] === "LOAD") {
      const perm = f[7] ?? "";
      const flags =
        (perm[0] === "r" ? PF_R : 0) | (perm[1] === "w" ? PF_W : 0) | (perm[2] === "x" ? PF_X : 0);
      out.push({ type: "LOAD", vaddr: n(f[3]), offset: n(f[4]), filesz: n(f[5]), memsz: n(f[6]), flags });
    } else if (f[2] === "RELRO")
      out.push({ type: "RELRO", vaddr: n(f[3]), offset: 0, filesz: 0, memsz: n(f[4]), flags: PF_R });
    else return null;
    const p = out[out.length - 1];
    if (![p.vaddr, p.offset, p.filesz, p.memsz].every(Number.isFinite) || p.filesz > p.memsz) return null;
  }
  return out.some((p) => p.type === "LOAD") ? out : null;
}

/** One page of the new stack written by the kernel (copy_strings): a fault in the new mm. */
function touch(k: Kernel, t: Task, mm: MmStruct, addr: number): boolean {
  const vma = find_vma(mm, addr);
  return vma !== null && vma.vm_start <= addr && (handle_mm_fault(k, t, mm, vma, addr, true) & 0x41) === 0;
}

/** A finished image: the address space and what the program finds on its stack. */
export interface ElfImage {
  mm: MmStruct;
  info: ExecInfo;
}

/**
 * load_elf_binary: a new address space for file with these arguments.
 * Returns the image or -errno (the old address space is untouched).
 */
export function load_elf_binary(
  k: Kernel,
  t: Task,
  file: File,
  phdrs: ElfPhdr[],
  argv: string[],
  envp: string[],
  filename: string,
): ElfImage | number {
  const L = user_layout(k);
  const mm = mm_alloc(k);
  if (!mm) {
    fput(k, file);
    return -ENOMEM;
  }
  const fail = (err: number): number => {
    mmput(k, mm);
    return err;
  };
  mm.task_size = L.task_size;
  mm.exe_file = file;
  const stack_top = randomize_stack_top(k, L);
  mm.mmap_base = mmap_base(k, L, t.rlim[3]?.[0] ?? -1);

  // The segments.
  let start_code = Number.POSITIVE_INFINITY;
  let end_code = 0;
  let start_data = 0;
  let end_data = 0;
  let elf_brk = 0;
  for (const p of phdrs) {
    if (p.type !== "LOAD") continue;
    const prot =
      (p.flags & PF_R ? PROT_READ : 0) | (p.flags & PF_W ? PROT_WRITE : 0) | (p.flags & PF_X ? PROT_EXEC : 0);
    const start = floor(p.vaddr);
    const fileEnd = ceil(p.vaddr + p.filesz);
    if (fileEnd > start) {
      const r = do_mmap(
        k,
        t,
        mm,
        start,
        fileEnd - start,
        prot,
        MAP_PRIVATE | MAP_FIXED,
        file,
        floor(p.offset),
      );
      if (r < 0) return fail(r);
    }
    const memEnd = ceil(p.vaddr + p.memsz);
    if (memEnd > fileEnd) {
      // set_brk/vm_brk_flags: the bss beyond the file is anonymous memory.
      const r = do_mmap(
        k,
        t,
        mm,
        fileEnd,
        memEnd - fileEnd,
        prot,
        MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
        null,
        0,
      );
      if (r < 0) return fail(r);
    }
    if (p.flags & PF_X && p.vaddr < start_code) start_code = p.vaddr;
    if (p.vaddr > start_data) start_data = p.vaddr;
    if (p.flags & PF_X && p.vaddr + p.filesz > end_code) end_code = p.vaddr + p.filesz;
    if (p.vaddr + p.filesz > end_data) end_data = p.vaddr + p.filesz;
    if (p.vaddr + p.memsz > elf_brk) elf_brk = p.vaddr + p.memsz;
    // padzero: the rest of the last file page is cleared, a write that copies the page.
    if (p.memsz > p.filesz && (p.vaddr + p.filesz) % PAGE_SIZE && !touch(k, t, mm, p.vaddr + p.filesz))
      return fail(-ENOMEM);
  }
  if (!Number.isFinite(start_code)) return fail(-ENOEXEC);
  mm.start_code = start_code;
  mm.end_code = end_code;
  mm.start_data = start_data;
  mm.end_data = end_data;
  mm.start_brk = mm.brk = randomize_brk(k, L, ceil(elf_brk));

  // The stack: strings at the top, as copy_strings puts them.
  const ptr = L.ptr;
  const vm_end = stack_top;
  let p = vm_end - ptr;
  const bytes = (list: string[]): number =>
    list.reduce((a, s) => a + new TextEncoder().encode(s).length + 1, 0);
  p -= filename.length + 1;
  mm.env_end = p;
  mm.env_start = p -= bytes(envp);
  mm.arg_end = p;
  mm.arg_start = p -= bytes(argv);
  // setup_arg_pages: the area covers the string pages plus 128 KiB to grow into.
  const vm_start = floor(mm.arg_start) - 128 * 1024;
  const stack_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN | VM_ACCOUNT;
  const sr = mmap_region(k, t, mm, null, vm_start, vm_end - vm_start, stack_flags, vm_start / PAGE_SIZE);
  if (sr < 0) return fail(sr);
  // mprotect_fixup with the final stack flags drops the soft-dirty mark a new area gets.
  const stack = find_vma(mm, vm_start)!;
  stack.vm_flags &= ~VM_SOFTDIRTY;
  // create_elf_tables: below the strings (x86 first moves down by up to 8 KiB at random).
  let sp = p;
  if (k.profile.arch === "x86_64" && k.randomize_va_space) sp -= k.prng.below(8192);
  sp = Math.floor(sp / 16) * 16;
  sp -= L.platform.length + 1; // AT_PLATFORM
  sp -= 16; // AT_RANDOM bytes
  sp = Math.floor(sp / 16) * 16;
  const auxv = 20 * 2 * ptr;
  sp -= auxv + (envp.length + 1) * ptr + (argv.length + 1) * ptr + ptr;
  sp = Math.floor(sp / 16) * 16;
  mm.start_stack = sp;
  for (let a = floor(sp); a < vm_end; a += PAGE_SIZE) if (!touch(k, t, mm, a)) return fail(-ENOMEM);

  const vdso = arch_setup_additional_pages(k, mm, L, mm.start_stack);
  if (vdso < 0) return fail(vdso);
  const relro = phdrs.find((q) => q.type === "RELRO");
  const info: ExecInfo = {
    start_code,
    end_code,
    start_data,
    end_data,
    bss_end: elf_brk,
    start_brk: mm.start_brk,
    start_stack: mm.start_stack,
    stack_end: vm_end,
    vdso,
    relro: relro ? { start: relro.vaddr, end: floor(relro.vaddr + relro.memsz) } : null,
    segments: phdrs
      .filter((q) => q.type === "LOAD")
      .map((q) => ({ vaddr: q.vaddr, filesz: q.filesz, memsz: q.memsz, prot: q.flags })),
    page_size: PAGE_SIZE,
    mmap_base: mm.mmap_base,
    task_size: L.task_size,
  };
  return { mm, info };
}

/** exec_mmap: the task switches to its new address space; the old one is dropped. */
export function exec_mmap(k: Kernel, t: Task, mm: MmStruct): void {
  const old = t.mm;
  t.mm = mm;
  if (old) {
    // setmax_mm_hiwater_rss: what the old program reached still counts for getrusage.
    old.update_hiwater_rss();
    t.maxrss_kb = Math.max(t.maxrss_kb, old.hiwater_rss * 4);
    mmput(k, old);
  }
}
