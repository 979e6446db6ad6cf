/*
 * machine.ts - test helpers: boot a machine, run shell lines through the
 * plain console, check the kernel's invariants.
 */

import { Machine, type MachineOptions } from "../../src/machine.js";
import { type PlainOptions, PlainSession, runLines } from "../../src/plain/run.js";

export type { MachineOptions };

/** Runs shell lines on a fresh machine; returns what the console printed and the shell's status. */
export function sh(
  lines: string | string[],
  o: Partial<PlainOptions> = {},
): { output: string; status: number } {
  const list = typeof lines === "string" ? [lines] : lines;
  return runLines(list, { machine: "vexpress-a9", ...o });
}

/** A booted machine at its prompt, for tests that drive it step by step. */
export function session(o: Partial<PlainOptions> = {}): PlainSession {
  return new PlainSession({ machine: "vexpress-a9", ...o });
}

/** Boots a machine (no shell interaction) and checks the allocator invariants. */
export function booted(o: Partial<MachineOptions> = {}): Machine {
  const m = new Machine({ machine: "vexpress-a9", ...o });
  m.boot();
  m.runUntilInput();
  m.checkInvariants();
  return m;
}

/** A machine at its prompt as a function: each call runs a line, checks the invariants, returns the output. */
export function checkedRunner(o: Partial<PlainOptions> = {}): (line: string) => string {
  const s = session(o);
  return (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
}

/** Named numbers of /proc/vmstat, /proc/meminfo (kB) or a zoneinfo block. */
export function procNums(out: string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const m of out.matchAll(/^ *(\S+?):?\s+(\d+)/gm)) r[m[1]] = Number(m[2]);
  return r;
}
