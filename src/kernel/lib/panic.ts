/*
 * panic.ts - taint flags, WARN() reports and dump_stack (Linux
 * kernel/panic.c, lib/dump_stack.c). bug.ts beside it has BUG() and
 * panic(), which stop the machine; what is here reports and carries on.
 *
 * The kernel is "tainted" once something happened that makes later
 * reports less trustworthy (a bad page, a warning, an out-of-tree module);
 * every report's "CPU: .. Comm: .. Tainted: G    B      OE" line shows it,
 * one column per flag, in taint_flags[] order.
 *
 * Simplified: the call trace is the chain of function names the caller
 * passes (the simulation has no return addresses to unwind).
 */

import { show_exception_stack, show_user_regs_x86 } from "../arch/ptrace.js";
import type { Kernel } from "../kernel.js";
import { modules_linked_in } from "../module/main.js";
import { print_worker_info } from "../sched/workqueue.js";
import { panic } from "./bug.js";
import { sprint_frame } from "./kallsyms.js";
import { KERN_WARNING } from "./printk.js";

/* Taint flags (include/linux/panic.h). */
export const TAINT_PROPRIETARY_MODULE = 0;
export const TAINT_FORCED_MODULE = 1;
export const TAINT_BAD_PAGE = 5;
export const TAINT_DIE = 7;
export const TAINT_WARN = 9;
export const TAINT_OOT_MODULE = 12;
export const TAINT_UNSIGNED_MODULE = 13;
export const TAINT_FLAGS_COUNT = 19;

/** taint_flags[]: the letter when set, and what to print when not. */
export const taint_flags: readonly [string, string][] = [
  ["P", "G"],
  ["F", " "],
  ["S", " "],
  ["R", " "],
  ["M", " "],
  ["B", " "],
  ["U", " "],
  ["D", " "],
  ["A", " "],
  ["W", " "],
  ["C", " "],
  ["I", " "],
  ["O", " "],
  ["E", " "],
  ["L", " "],
  ["K", " "],
  ["X", " "],
  ["T", " "],
  ["N", " "],
];

/** print_tainted: "Not tainted", or "Tainted: " and one column per flag. */
export function print_tainted(k: Kernel): string {
  if (!k.tainted_mask) return "Not tainted";
  let s = "Tainted: ";
  for (let i = 0; i < TAINT_FLAGS_COUNT; i++) s += taint_flags[i][k.tainted_mask & (1 << i) ? 0 : 1];
  return s;
}

/** Taints after which lock debugging cannot be trusted (LOCKDEP_NOW_UNRELIABLE). */
const UNRELIABLE = (1 << TAINT_PROPRIETARY_MODULE) | (1 << TAINT_BAD_PAGE) | (1 << TAINT_DIE);
const debug_locks_off = new WeakSet<Kernel>();

/** add_taint: set a flag; the first unreliable taint turns lock debugging off (and says so). */
export function add_taint(k: Kernel, flag: number): void {
  if (UNRELIABLE & (1 << flag) && !debug_locks_off.has(k)) {
    debug_locks_off.add(k);
    k.printk.printk(KERN_WARNING, "Disabling lock debugging due to kernel taint");
  }
  k.tainted_mask |= 1 << flag;
}

export function test_taint(k: Kernel, flag: number): boolean {
  return (k.tainted_mask & (1 << flag)) !== 0;
}

const hardware_name: Record<string, string> = {
  arm: "ARM-Versatile Express",
  x86_64: "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
  arm64: "QEMU QEMU Virtual Machine, BIOS 0.0.0 02/06/2015",
};

/** The entry code a call chain from user space ends in (a fault, a system call). */
const user_entries = new Set([
  "asm_exc_page_fault",
  "entry_SYSCALL_64_after_hwframe",
  "__dabt_usr",
  "ret_fast_syscall",
]);

function from_user(frames: readonly string[]): boolean {
  return frames.length > 0 && user_entries.has(frames[frames.length - 1]);
}

/**
 * dump_stack: who is running (with Debian's version after the build, as the
 * reference kernels print it), the machine, and the call chain, innermost
 * first, in the arch's style: x86_64's "Call Trace:" in <TASK> brackets,
 * arm64's "Call trace:", and ARM32's unwinder pairs ("a from b").
 */
export function dump_stack(k: Kernel, trace: readonly string[], level = 3): void {
  const cur = k.mm_hooks.current_task(k);
  const p = k.profile;
  const pr = (s: string): void => k.printk.printk(level, s);
  const debian = /Debian (\S+)/.exec(p.version);
  pr(
    `CPU: ${k.cpu} PID: ${cur.pid} Comm: ${cur.comm.slice(0, 20)} ${print_tainted(k)} ${p.release} ${p.version.split(" ")[0]}${debian ? `  Debian ${debian[1]}` : ""}`,
  );
  pr(`Hardware name: ${hardware_name[p.arch]}`);
  const worker = k.sched.current && print_worker_info(k, k.sched.current);
  if (worker) pr(worker);
  const frames = ["dump_stack_lvl", ...trace].filter((fn) => fn);
  if (p.arch === "arm") {
    // "callee from caller+off/size": the site is the caller's.
    const chain = ["unwind_backtrace", "show_stack", ...frames];
    for (let i = 0; i + 1 < chain.length; i++) {
      const site = sprint_frame(p.arch, chain[i + 1], chain[i]);
      pr(` ${chain[i]} from ${site[site.length - 1]}`);
    }
    // The unwinder reached the entry code: the user registers saved there.
    if (from_user(frames) && k.sched.current) show_exception_stack(k, k.sched.current, pr);
    return;
  }
  const lines: string[] = [];
  for (let i = 0; i < frames.length; i++) lines.push(...sprint_frame(p.arch, frames[i], frames[i - 1] ?? ""));
  if (p.arch === "x86_64") {
    pr("Call Trace:");
    pr(" <TASK>");
    for (const l of lines) pr(` ${l}`);
    if (from_user(frames) && k.sched.current) show_user_regs_x86(k, k.sched.current, pr);
    pr(" </TASK>");
    return;
  }
  pr("Call trace:");
  for (const fn of ["dump_backtrace", "show_stack", ...lines]) pr(` ${fn}`);
}

/** print_modules: "Modules linked in: a(OE) b [last unloaded: c(OE)]". */
export function print_modules(k: Kernel, level = KERN_WARNING): void {
  k.printk.printk(level, `Modules linked in:${modules_linked_in(k)}`);
}

/**
 * __warn for WARN(cond, fmt...): the cut-here line and the message, the
 * WARNING line naming the source, the modules, the stack, the end marker;
 * the kernel is tainted W and runs on.
 */
export function warn_slowpath(
  k: Kernel,
  file: string,
  line: number,
  fn: string,
  msg: string,
  trace: readonly string[],
): void {
  const w = (s: string): void => k.printk.printk(KERN_WARNING, s);
  const cur = k.mm_hooks.current_task(k);
  w("------------[ cut here ]------------");
  if (msg) w(msg);
  w(`WARNING: CPU: ${k.cpu} PID: ${cur.pid} at ${file}:${line} ${fn}`);
  print_modules(k);
  dump_stack(k, [fn, ...trace], KERN_WARNING);
  w("---[ end trace 0000000000000000 ]---");
  add_taint(k, TAINT_WARN);
}

export { panic };
