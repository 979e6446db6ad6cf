/*
 * crt0.ts - what a statically linked C program does before main() (glibc's
 * _start and __libc_start_main for a static binary), as memory traffic.
 *
 *   - read the vDSO's ELF header (AT_SYSINFO_EHDR) to find clock_gettime
 *   - execute the start-up and library code: faults on the text, each one
 *     mapping its 64 KiB neighbourhood (fault-around); which parts of the
 *     text a program runs depends on the applet, so each has its own set
 *   - read the ELF header and read-only data
 *   - apply relocations (a store into the RELRO part of the data segment,
 *     which copies that page), then mprotect RELRO read-only
 *   - initialise the writable data and the start of bss (stdio, locale)
 *   - set up thread-local storage with sbrk, as static glibc does
 *   - use some stack below the arguments
 *
 * Then main(argc, argv, envp) runs, and its return value goes to exit().
 * Nothing here is host code touching host memory: every step is a request
 * to the simulated kernel, so a program's RSS, faults and page tables come
 * out of the same mechanisms as any other memory use.
 */

import type { ExecInfo, ProgramMain, UserGen } from "../../kernel/uapi/syscalls.js";
import { Malloc } from "./malloc.js";
import { brk, exec_info, mprotect, PROT_READ, touch } from "./mman.js";

const PAGE = 4096;
const WINDOW = 65536;
/** Static glibc's TLS block plus the thread control block. */
const TLS_SIZE = 0x9a0;
/** A stdio buffer (st_blksize). */
const BUFSIZ = 4096;

/** A small deterministic hash (FNV-1a) for choosing code windows. */
function fnv(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function basename(p: string): string {
  const i = p.lastIndexOf("/");
  return i >= 0 ? p.slice(i + 1) : p;
}

/**
 * The 64 KiB windows of [start, end) a program executes: about 70% are the
 * C library and BusyBox's shared code (the same for every program), and a
 * further tenth depends on the program itself.
 */
const window_cache = new Map<string, number[]>();

function windows(start: number, end: number, prog: string, common: number, own: number): number[] {
  const key = `${start} ${end} ${prog} ${common} ${own}`;
  const hit = window_cache.get(key);
  if (hit) return hit;
  const out: number[] = [];
  if (window_cache.size > 1024) window_cache.clear();
  window_cache.set(key, out);
  const first = Math.floor(start / WINDOW);
  const last = Math.floor((end - 1) / WINDOW);
  const ph = fnv(prog);
  for (let w = first; w <= last; w++) {
    const shared = fnv(String(w)) % 100 < common;
    const mine = fnv(String(w), ph) % 100 < own;
    if (w === first || shared || mine) out.push(Math.max(start, w * WINDOW));
  }
  return out;
}

/** The C library's per-process state, handed to main as its third argument. */
export interface Libc {
  malloc: Malloc;
  info: ExecInfo | null;
}

/** _start: the start-up work, then main. */
export function crt0(main: ProgramMain): ProgramMain {
  return function* (argv: string[], envp: string[]): UserGen<number> {
    const libc = yield* libc_start(argv);
    return yield* main(argv, envp, libc);
  };
}

/** The C library of a forked child: the parent's state, copied (fork duplicates the memory it lives in). */
export function libc_fork(x: unknown): Libc | undefined {
  const l = x as Libc | undefined;
  return l ? { malloc: l.malloc.fork_copy(), info: l.info } : undefined;
}

/** The Libc a program's main received (or a fresh one, for programs started without crt0). */
export function libc_of(x: unknown): Libc {
  return (x as Libc | undefined) ?? { malloc: new Malloc(8), info: null };
}

/**
 * The code and read-only data prog runs through: its text windows (fetched)
 * and its rodata windows (read). A program does this after exec; so does a
 * NOEXEC applet in the child ash forked, whose text and rodata the fork left
 * unmapped (fork copies no page table entries of file mappings nothing wrote).
 */
export function* run_code(info: ExecInfo, prog: string): UserGen<void> {
  const text = info.segments.find((s) => s.prot & 1);
  if (text)
    for (const a of windows(text.vaddr, text.vaddr + text.filesz, prog, 70, 12))
      yield* touch(a, 4, { exec: true });
  for (const s of info.segments) {
    if (s.prot & 1 || s.prot & 2) continue;
    // Read-only segments: the ELF header page, rodata.
    for (const a of windows(s.vaddr, s.vaddr + s.filesz, prog, 60, 10)) yield* touch(a, 4);
  }
}

function* libc_start(argv: string[]): UserGen<Libc> {
  const info = yield* exec_info();
  const malloc = new Malloc(info && info.task_size > 2 ** 32 ? 8 : 4);
  const libc: Libc = { malloc, info };
  if (!info) return libc;
  const prog = basename(argv[0] ?? "");
  yield* touch(info.vdso, 64);
  yield* run_code(info, prog);
  const data = info.segments.find((s) => s.prot & 2);
  if (data) {
    const relro = info.relro;
    if (relro && relro.end > relro.start) {
      // IRELATIVE relocations land in .got, inside RELRO; the rest of it is read.
      yield* touch(relro.start, 8, { write: true });
      yield* touch(relro.start, relro.end - relro.start);
      yield* mprotect(
        Math.floor(relro.start / PAGE) * PAGE,
        relro.end - Math.floor(relro.start / PAGE) * PAGE,
        PROT_READ,
      );
    }
    const rw = Math.max(relro ? relro.end : data.vaddr, data.vaddr);
    const fileEnd = data.vaddr + data.filesz;
    if (fileEnd > rw) yield* touch(rw, fileEnd - rw, { write: true, fill: 0 });
    // The start of bss: stdio's FILEs, locale data, malloc's state.
    const bssStart = Math.ceil(fileEnd / PAGE) * PAGE;
    const bssEnd = info.bss_end;
    if (bssEnd > bssStart)
      yield* touch(bssStart, Math.min(3 * PAGE, bssEnd - bssStart), { write: true, fill: 0 });
  }
  // __libc_setup_tls: the TLS block and the thread control block come from sbrk.
  const cur = yield* brk(0);
  const tls = yield* brk(cur + TLS_SIZE);
  if (tls > cur) yield* touch(cur, 64, { write: true });
  // The first malloc (stdio's buffer): the heap grows by M_TOP_PAD beyond it.
  yield* malloc.malloc(BUFSIZ);
  // main's frames and the C library's below the initial stack pointer.
  yield* touch(info.start_stack - 2 * PAGE, 2 * PAGE, { write: true });
  return libc;
}
