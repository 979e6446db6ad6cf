/*
 * bug.ts - BUG(), VM_BUG_ON(), WARN_ON_ONCE() and panic() (Linux
 * include/asm-generic/bug.h, kernel/panic.c, include/linux/mmdebug.h).
 *
 * A failed assertion inside the kernel is never a JavaScript stack trace: it
 * prints what Linux prints and raises KernelPanic, which the machine's main
 * loop catches to halt the simulated CPUs. The console and the memory state
 * stay inspectable after the panic.
 */

export class KernelPanic extends Error {
  constructor(readonly reason: string) {
    super(`Kernel panic - not syncing: ${reason}`);
  }
}

/** Where BUG reports go: set by the kernel at boot to its printk. */
export interface BugSink {
  emerg(text: string): void;
  warn(text: string): void;
}

let sink: BugSink = {
  emerg: () => {},
  warn: () => {},
};

export function setBugSink(s: BugSink): BugSink {
  const old = sink;
  sink = s;
  return old;
}

/** panic(): prints the two panic lines (the stack between them, when given) and stops the machine. */
export function panic(reason: string, dump_stack?: () => void): never {
  sink.emerg(`Kernel panic - not syncing: ${reason}`);
  dump_stack?.();
  sink.emerg(`---[ end Kernel panic - not syncing: ${reason} ]---`);
  throw new KernelPanic(reason);
}

/** BUG(): an impossible state. Linux oopses; with panic_on_oops it panics, as here. */
export function BUG(what: string): never {
  sink.emerg(`kernel BUG: ${what}`);
  sink.emerg("Internal error: Oops - BUG: 0 [#1] SMP");
  return panic("Fatal exception");
}

/**
 * A fault in kernel code that no BUG() foresaw (a simulator bug: a JavaScript
 * exception on the kernel's side of a system call). Linux oopses on a bad
 * kernel access and, with panic_on_oops, panics: the machine halts with the
 * usual panic lines instead of dying with a host stack trace.
 */
export function oops(what: string): never {
  sink.emerg(`Unable to handle kernel paging request: ${what}`);
  sink.emerg("Internal error: Oops: 17 [#1] SMP");
  return panic("Fatal exception");
}

export function BUG_ON(cond: boolean, what: string): void {
  if (cond) BUG(what);
}

/** VM_BUG_ON (CONFIG_DEBUG_VM): an mm invariant that must hold. */
export function VM_BUG_ON(cond: boolean, what: string): void {
  if (cond) BUG(`VM_BUG_ON(${what})`);
}

/** VM_BUG_ON_PAGE: like VM_BUG_ON, with the page dumped first. */
export function VM_BUG_ON_PAGE(cond: boolean, pfn: number, dump: string, what: string): void {
  if (!cond) return;
  sink.emerg(`page:${pfn.toString(16).padStart(8, "0")} pfn:${pfn.toString(16)}`);
  sink.emerg(dump);
  sink.emerg(`page dumped because: VM_BUG_ON_PAGE(${what})`);
  BUG(`VM_BUG_ON_PAGE(${what})`);
}

const warned = new Set<string>();

/** WARN_ON_ONCE: logs a warning the first time, carries on. */
export function WARN_ON_ONCE(cond: boolean, what: string): boolean {
  if (cond && !warned.has(what)) {
    warned.add(what);
    sink.warn(`WARNING: ${what}`);
  }
  return cond;
}
