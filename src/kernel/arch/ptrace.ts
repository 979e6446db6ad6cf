/*
 * ptrace.ts - the user registers saved at kernel entry (struct pt_regs,
 * arch/x86/include/asm/ptrace.h and arch/arm/include/uapi/asm/ptrace.h),
 * and the reports that print them: x86's show_regs block after a call
 * trace (RIP, Code, RSP/EFLAGS, RAX..R15) and ARM's "Exception stack" dump.
 *
 * mmbox's programs do not run instructions, so the registers are modelled
 * at the two ways a program enters the kernel:
 *  - a system call (syscall_enter/syscall_exit): the number and arguments
 *    in the calling convention's registers, the return value after, and on
 *    x86 what the "syscall" instruction clobbers (RCX = return address,
 *    R11 = flags); the pc is in libc's wrapper (libc_text.ts);
 *  - a page fault of a load or store (fault_regs): the program's memory
 *    accesses are libc's memset loop (libc_text.ts), so the registers are
 *    that loop's at the store that touched the faulting page - its pointer,
 *    bound, fill pattern and flags from its last compare.
 * Registers the model has no values for (the program's own variables in
 * callee-saved registers, arguments mmbox passes as strings) keep what
 * they held: zero from exec, or what the last call left there.
 *
 * Values are kept as numbers (exact below 2^53); -1 prints as all ones.
 */

import type { Kernel } from "../kernel.js";
import { page_read } from "../mm/filemap.js";
import type { MmStruct } from "../mm/mm_struct.js";
import { pte_index, pte_pfn, pte_present, walk } from "../mm/pgtable.js";
import type { Task } from "../sched/task.js";
import { task_stack_base, thread_size } from "../sched/task_kmem.js";
import type { CpuAccess } from "../uapi/mman.js";
import {
  ARM_CALLER,
  ARM_LOOP,
  ARM_STRB,
  ARM_SYSRET,
  libc_block,
  MEMSET,
  SYSCALL,
  X86_LOOP,
  X86_STOSB,
  X86_SYSRET,
  X86_TAIL,
} from "./libc_text.js";
import { syscall_nr } from "./unistd.js";

/* x86_64 struct pt_regs, in its order. */
export const R15 = 0;
export const R14 = 1;
export const R13 = 2;
export const R12 = 3;
export const RBP = 4;
export const RBX = 5;
export const R11 = 6;
export const R10 = 7;
export const R9 = 8;
export const R8 = 9;
export const RAX = 10;
export const RCX = 11;
export const RDX = 12;
export const RSI = 13;
export const RDI = 14;
export const ORIG_RAX = 15;
export const RIP = 16;
export const CS = 17;
export const EFLAGS = 18;
export const RSP = 19;
export const SS = 20;
const X86_NREGS = 21;

/* ARM struct pt_regs: r0..r12, then these. */
export const ARM_sp = 13;
export const ARM_lr = 14;
export const ARM_pc = 15;
export const ARM_cpsr = 16;
export const ARM_ORIG_r0 = 17;
const ARM_NREGS = 18;

const USER_CS = 0x33;
const USER_DS = 0x2b;
const X86_EFLAGS_IF = 0x200;
const X86_EFLAGS_FIXED = 0x2;
const USR_MODE = 0x10;
const PSR_C_BIT = 0x20000000;
const PSR_Z_BIT = 0x40000000;
/** The flags a program usually enters a system call with (IF, ZF, PF). */
const SYSCALL_FLAGS = 0x246;
/** How far below the initial stack pointer main's frame calls into libc. */
const USER_FRAME = 0x1a8;

/**
 * r4, r5 and r7 as the program had them: the ARM wrapper saves these
 * callee-saved registers, loads the fifth and sixth arguments and the
 * call's number into them, and restores them after "svc #0".
 */
const saved_regs = new WeakMap<Task, [number, number, number]>();

/** The registers of a new program (start_thread): all zero but pc, sp and the mode. */
export function start_thread(k: Kernel, t: Task, mm: MmStruct): void {
  const arch = k.profile.arch;
  t.ufault = null;
  // execve does not return to the old program: nothing of its registers comes back.
  saved_regs.delete(t);
  if (arch === "x86_64") {
    const r = new Float64Array(X86_NREGS);
    r[RIP] = mm.start_code;
    r[CS] = USER_CS;
    r[EFLAGS] = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
    r[RSP] = mm.start_stack;
    r[SS] = USER_DS;
    r[ORIG_RAX] = -1;
    t.uregs = r;
  } else if (arch === "arm") {
    const r = new Float64Array(ARM_NREGS);
    r[ARM_pc] = mm.start_code;
    r[ARM_sp] = mm.start_stack;
    r[ARM_cpsr] = USR_MODE;
    r[ARM_ORIG_r0] = -1;
    t.uregs = r;
  } else t.uregs = null;
}

/** copy_thread: the child resumes with its parent's registers, fork returning 0. */
export function copy_thread(k: Kernel, child: Task, parent: Task): void {
  const r = uregs_sync(k, parent);
  if (!r) return;
  child.uregs = r.slice();
  child.uregs[k.profile.arch === "x86_64" ? RAX : 0] = 0;
}

/**
 * The C arguments of the calls whose request carries them, in order, by
 * field name ("#f": the length of field f; "": a user pointer mmbox does
 * not have, its register left as it was).
 */
const args_of: Record<string, readonly string[]> = {
  read: ["fd", "", "count"],
  write: ["fd", "", "#data"],
  brk: ["addr"],
  mmap: ["addr", "length", "prot", "flags", "fd", "offset"],
  munmap: ["addr", "length"],
  mprotect: ["addr", "length", "prot"],
  madvise: ["addr", "length", "advice"],
  mremap: ["old_address", "old_size", "new_size", "flags", "new_address"],
  mlock2: ["addr", "length", "flags"],
  munlock: ["addr", "length"],
  mincore: ["addr", "length"],
  mlockall: ["flags"],
  close: ["fd"],
  dup: ["fd"],
  lseek: ["fd", "offset", "whence"],
  kill: ["pid", "sig"],
  exit_group: ["status"],
  getpgid: ["pid"],
};

/** Arguments of C type int: a 32-bit move leaves the register's upper half zero. */
const int_args = new Set(["prot", "flags", "fd", "advice", "whence", "pid", "sig", "status"]);

const X86_ARGS = [RDI, RSI, RDX, R10, R8, R9];

/** Entry through the system call instruction with request req. */
export function syscall_enter(k: Kernel, t: Task, req: { nr: string }): void {
  // mmbox's own requests (a memory access, a kernel thread's wait) are no system calls.
  const nr = syscall_nr[req.nr];
  if (!nr) return;
  const r = uregs_sync(k, t);
  if (!r) return;
  const mm = t.mm;
  const at = mm ? libc_block(mm.start_code) + SYSCALL : 0;
  const fields = args_of[req.nr];
  const arg = (i: number): number | null => {
    const name = fields && i < fields.length ? fields[i] : "";
    const field = name.startsWith("#") ? name.slice(1) : name;
    const x = field ? (req as unknown as Record<string, unknown>)[field] : undefined;
    const v = name.startsWith("#") ? (x as { length?: number } | undefined)?.length : x;
    if (typeof v !== "number") return null;
    return int_args.has(name) ? v >>> 0 : v;
  };
  if (k.profile.arch === "x86_64") {
    for (let i = 0; i < 6; i++) {
      const v = arg(i);
      if (v !== null) r[X86_ARGS[i]] = v;
    }
    r[ORIG_RAX] = nr[0];
    r[RAX] = -38; // -ENOSYS until the call returns
    r[RIP] = at + X86_SYSRET;
    r[RCX] = r[RIP];
    r[EFLAGS] = SYSCALL_FLAGS;
    r[R11] = SYSCALL_FLAGS;
    if (mm) r[RSP] = mm.start_stack - USER_FRAME;
    return;
  }
  saved_regs.set(t, [r[4], r[5], r[7]]);
  for (let i = 0; i < 6; i++) {
    const v = arg(i);
    if (v !== null) r[i] = v;
  }
  r[7] = nr[1];
  r[ARM_ORIG_r0] = r[0];
  r[ARM_pc] = at + ARM_SYSRET;
  r[ARM_cpsr] = USR_MODE;
  if (mm) {
    r[ARM_sp] = mm.start_stack - USER_FRAME;
    r[ARM_lr] = mm.start_code + ARM_CALLER;
  }
}

/** Back to user space with the call's result. */
export function syscall_exit(k: Kernel, t: Task, res: unknown): void {
  const r = t.uregs;
  if (!r) return;
  const done = typeof res === "number" ? res : 0;
  if (k.profile.arch === "x86_64") r[RAX] = done;
  else {
    r[0] = done;
    const saved = saved_regs.get(t);
    if (saved) [r[4], r[5], r[7]] = saved;
  }
}

/** x86 flags after "cmp b, a" (a - b) for the loop's values: CF, PF, AF, ZF, SF. */
function cmp_flags(a: number, b: number): number {
  const d = a - b;
  const low = ((d % 256) + 256) % 256;
  let bits = 0;
  for (let v = low; v; v >>= 1) bits += v & 1;
  return (
    X86_EFLAGS_IF |
    X86_EFLAGS_FIXED |
    (a < b ? 0x1 : 0) |
    (bits % 2 === 0 ? 0x4 : 0) |
    ((a & 0xf) < (b & 0xf) ? 0x10 : 0) |
    (d === 0 ? 0x40 : 0) |
    (d < 0 ? 0x80 : 0)
  );
}

/**
 * A fault of access a at byte off of page vpn (the first byte it touches in
 * a page it cannot use). Faults are many and reports few: the registers are
 * worked out from the access when something reads or changes them
 * (uregs_sync). The address is kept as page and offset, two small integers:
 * an address above 2 GiB stored as it is would be a new heap number per fault.
 */
export function fault_regs(t: Task, a: CpuAccess, vpn: number, off: number): void {
  // (Compared first: the access loop records every page's fault, mostly of the same access.)
  if (t.ufault !== a) t.ufault = a;
  t.ufault_vpn = vpn;
  t.ufault_off = off;
}

/** The registers, with a fault recorded since they were last written applied to them. */
export function uregs_sync(k: Kernel, t: Task): Float64Array | null {
  const a = t.ufault;
  if (a && t.uregs && t.mm) {
    t.ufault = null;
    set_fault_regs(k, t.uregs, t.mm, a, t.ufault_vpn * 4096 + t.ufault_off);
  }
  return t.uregs;
}

/**
 * The registers of an instruction fetch at fa, or of the memset loop's
 * store that reached fa.
 */
function set_fault_regs(k: Kernel, r: Float64Array, mm: MmStruct, a: CpuAccess, fa: number): void {
  const fn = libc_block(mm.start_code) + MEMSET;
  const dst = a.addr;
  const n = a.len;
  const c = (a.fill ?? 0) & 0xff;
  if (k.profile.arch === "x86_64") {
    r[ORIG_RAX] = -1;
    r[RSP] = mm.start_stack - USER_FRAME;
    if (a.exec) {
      r[RIP] = fa;
      return;
    }
    r[RSI] = c;
    if (n < 64) {
      // rep stosb: rdi the next byte, rcx the count left, al the value.
      r[RIP] = fn + X86_STOSB;
      r[RDI] = fa;
      r[RCX] = dst + n - fa;
      r[RAX] = c;
      r[RDX] = dst;
      r[EFLAGS] = cmp_flags(n, 64);
      return;
    }
    const bound = dst + n - 64;
    r[RAX] = dst;
    r[RDI] = dst;
    r[RCX] = bound;
    const blk = Math.floor((fa - dst) / 64);
    const p = dst + 64 * blk;
    if (blk === 0 || p < bound) {
      r[RIP] = fn + X86_LOOP[Math.min(3, Math.floor((fa - p) / 16))];
      r[RDX] = p;
      // The first pass runs on the flags of the imul that built the pattern.
      r[EFLAGS] = blk === 0 ? X86_EFLAGS_IF | X86_EFLAGS_FIXED : cmp_flags(p, bound);
    } else {
      const end = dst + 64 * Math.max(1, Math.ceil((bound - dst) / 64));
      r[RIP] = fn + X86_TAIL[Math.max(0, Math.min(3, Math.floor((fa - bound) / 16)))];
      r[RDX] = end;
      r[EFLAGS] = cmp_flags(end, bound);
    }
    return;
  }
  if (k.profile.arch !== "arm") return;
  r[ARM_ORIG_r0] = -1;
  r[ARM_sp] = mm.start_stack - USER_FRAME;
  r[ARM_lr] = mm.start_code + ARM_CALLER;
  if (a.exec) {
    r[ARM_pc] = fa;
    r[ARM_cpsr] = USR_MODE;
    return;
  }
  // r0 kept for the return, r3 the pointer, r2 the count left after this store, r1 = ip the pattern.
  const pattern = (c * 0x01010101) >>> 0;
  r[0] = dst;
  r[1] = pattern;
  r[12] = pattern;
  const m = Math.floor((fa - dst) / 8);
  if (n - 8 * m >= 8) {
    r[3] = dst + 8 * m;
    r[2] = n - 8 * (m + 1);
    r[ARM_pc] = fn + ARM_LOOP[m % 4];
    r[ARM_cpsr] = USR_MODE | PSR_C_BIT | (r[2] === 0 ? PSR_Z_BIT : 0);
  } else {
    // The byte loop for the last few: strb r1, [r3], #1 while subs r2 stays >= 0.
    r[3] = fa;
    r[2] = dst + n - fa - 1;
    r[ARM_pc] = fn + ARM_STRB;
    r[ARM_cpsr] = USR_MODE | PSR_C_BIT | (r[2] === 0 ? PSR_Z_BIT : 0);
  }
}

const hex = (v: number, w: number): string =>
  (v < 0 ? BigInt.asUintN(w * 4, BigInt(v)) : BigInt(v)).toString(16).padStart(w, "0");

/** copy_code: bytes of user memory from the page tables, without faulting (null: not mapped). */
function copy_code(k: Kernel, mm: MmStruct, addr: number, len: number): Uint8Array | null {
  const out = new Uint8Array(len);
  for (let done = 0; done < len; ) {
    const a = addr + done;
    const pt = walk(k, mm, a, false);
    const pte = pt ? pt.entries[pte_index(a)] : 0;
    if (!pte_present(pte)) return null;
    const off = a % 4096;
    const n = Math.min(len - done, 4096 - off);
    out.set(page_read(k, pte_pfn(pte), off, n), done);
    done += n;
  }
  return out;
}

const PROLOGUE_SIZE = 42;
const EPILOGUE_SIZE = 21;

/** show_opcodes: the code around the user pc, the pc's byte in <>. */
function show_opcodes(k: Kernel, mm: MmStruct | null, ip: number, pr: (s: string) => void): void {
  const prologue = ip - PROLOGUE_SIZE;
  const b = mm ? copy_code(k, mm, prologue, PROLOGUE_SIZE + 1 + EPILOGUE_SIZE) : null;
  if (!b) {
    pr(`Code: Unable to access opcode bytes at 0x${prologue.toString(16)}.`);
    return;
  }
  const hx = (x: number): string => x.toString(16).padStart(2, "0");
  const before = [...b.subarray(0, PROLOGUE_SIZE)].map(hx).join(" ");
  const after = [...b.subarray(PROLOGUE_SIZE + 1)].map(hx).join(" ");
  pr(`Code: ${before} <${hx(b[PROLOGUE_SIZE])}> ${after}`);
}

/** __show_regs(SHOW_REGS_SHORT) for a user-mode frame: what x86 prints before </TASK>. */
export function show_user_regs_x86(k: Kernel, t: Task, pr: (s: string) => void): void {
  const r = uregs_sync(k, t);
  if (!r) return;
  const q = (i: number): string => hex(r[i], 16);
  pr(`RIP: ${hex(r[CS], 4)}:0x${r[RIP].toString(16)}`);
  show_opcodes(k, t.mm, r[RIP], pr);
  const orig = r[ORIG_RAX] !== -1 ? ` ORIG_RAX: ${q(ORIG_RAX)}` : "";
  pr(`RSP: ${hex(r[SS], 4)}:${q(RSP)} EFLAGS: ${hex(r[EFLAGS], 8)}${orig}`);
  pr(`RAX: ${q(RAX)} RBX: ${q(RBX)} RCX: ${q(RCX)}`);
  pr(`RDX: ${q(RDX)} RSI: ${q(RSI)} RDI: ${q(RDI)}`);
  pr(`RBP: ${q(RBP)} R08: ${q(R8)} R09: ${q(R9)}`);
  pr(`R10: ${q(R10)} R11: ${q(R11)} R12: ${q(R12)}`);
  pr(`R13: ${q(R13)} R14: ${q(R14)} R15: ${q(R15)}`);
}

/**
 * dump_mem("Exception stack", ...): ARM's unwinder, reaching the entry
 * code, dumps the pt_regs at the top of the task's kernel stack (below
 * THREAD_START_SP), 32 bytes a line, as words.
 */
export function show_exception_stack(k: Kernel, t: Task, pr: (s: string) => void): void {
  const r = uregs_sync(k, t);
  const base = task_stack_base(t);
  if (!r || base === null) return;
  const top = base + thread_size(k) - 8;
  const bottom = top - ARM_NREGS * 4;
  const w = (v: number): string => hex(v < 0 ? v : v >>> 0, 8);
  pr(`Exception stack(0x${w(bottom)} to 0x${w(top)})`);
  for (let first = bottom - (bottom % 32); first < top; first += 32) {
    let line = "";
    for (let i = 0, p = first; i < 8 && p < top; i++, p += 4)
      line += p >= bottom ? ` ${w(r[(p - bottom) / 4])}` : "         ";
    pr(`${hex(first % 0x10000, 4)}:${line}`);
  }
}
