/*
 * The user registers a report prints after the call trace: x86_64's block
 * (RIP, Code, RSP/EFLAGS, RAX..R15) before </TASK>, ARM's "Exception
 * stack" word dump. Each value is checked against what the program was
 * doing: hog's memset of a 10 MiB step (kernel/arch/ptrace.ts models
 * libc's store loop), or dd's write(2) into a full tmpfs.
 */

import { describe, expect, it } from "vitest";
import {
  ARM_LOOP,
  libc_block,
  MEMSET,
  SYSCALL,
  X86_LOOP,
  x86_libc_block,
} from "../../../src/kernel/arch/libc_text.js";
import { PlainSession } from "../../../src/plain/run.js";

const MiB = 1024 * 1024;
const STEP = 10 * MiB; // hog's default step: each malloc'd block is memset whole

function session(machine: "pc" | "vexpress-a9") {
  const s = new PlainSession({ machine, memory: 256 * MiB });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  return run;
}

/** The lines after `after` (a line of the trace) in the first report about comm, timestamps cut. */
function block(log: string, after: string, count: number, comm: string): string[] {
  const lines = log.replace(/^\[[ .\d]+\] /gm, "").split("\n");
  const report = lines.findIndex((l) => l.startsWith("CPU: ") && l.includes(` Comm: ${comm} `));
  expect(report, comm).toBeGreaterThan(0);
  const i = lines.indexOf(after, report);
  expect(i, after).toBeGreaterThan(0);
  return lines.slice(i + 1, i + 1 + count);
}

/** x86's register lines as a name -> value map (BigInt: R13 can be all ones). */
function x86_regs(lines: string[]): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const l of lines)
    for (const [, k, v] of l.matchAll(/([A-Z0-9]+): (?:[0-9a-f]{4}:)?([0-9a-f]{8,16})\b/g))
      m.set(k, BigInt(`0x${v}`));
  return m;
}

const hx = (b: number): string => b.toString(16).padStart(2, "0");
const X86_TEXT = 0x401000; // hog's r-x segment (its stub's program headers)
const ARM_TEXT = 0x10000;

/** x86 flags after cmp b,a with a < b as the loop's values: CF, PF, AF, SF and IF. */
function cmp_flags(a: bigint, b: bigint): bigint {
  const d = Number((a - b) & 0xffn);
  let bits = 0;
  for (let v = d; v; v >>= 1) bits += v & 1;
  return 0x283n | (bits % 2 === 0 ? 0x4n : 0n) | ((a & 0xfn) < (b & 0xfn) ? 0x10n : 0n);
}

describe("user registers in a report (pt_regs)", () => {
  it("x86_64: a fault in hog's memset shows the loop's registers, and Code: is the program's own text", () => {
    const run = session("pc");
    run("hog 300M > /dev/null");
    const lines = block(run("dmesg"), " asm_exc_page_fault+0x22/0x30", 9, "hog");
    expect(lines[0]).toMatch(/^RIP: 0033:0x[0-9a-f]+$/);
    expect(lines[1]).toMatch(/^Code: ([0-9a-f]{2} ){42}<[0-9a-f]{2}>( [0-9a-f]{2}){21}$/);
    expect(lines[2]).toMatch(/^RSP: 002b:[0-9a-f]{16} EFLAGS: [0-9a-f]{8}$/);
    expect(lines[3]).toMatch(/^RAX: [0-9a-f]{16} RBX: [0-9a-f]{16} RCX: [0-9a-f]{16}$/);
    expect(lines[4]).toMatch(/^RDX: [0-9a-f]{16} RSI: [0-9a-f]{16} RDI: [0-9a-f]{16}$/);
    expect(lines[5]).toMatch(/^RBP: [0-9a-f]{16} R08: [0-9a-f]{16} R09: [0-9a-f]{16}$/);
    expect(lines[6]).toMatch(/^R10: [0-9a-f]{16} R11: [0-9a-f]{16} R12: [0-9a-f]{16}$/);
    expect(lines[7]).toMatch(/^R13: [0-9a-f]{16} R14: [0-9a-f]{16} R15: [0-9a-f]{16}$/);
    expect(lines[8]).toBe(" </TASK>");

    const ip = Number(`0x${/0x([0-9a-f]+)$/.exec(lines[0])![1]}`);
    const fn = libc_block(X86_TEXT) + MEMSET;
    const j = X86_LOOP.indexOf(ip - fn);
    expect(j, `RIP ${ip.toString(16)} is one of the loop's four stores`).toBeGreaterThanOrEqual(0);
    // The bytes around RIP are the routine's, as the binary holds them at that file offset.
    const code = x86_libc_block().subarray(ip - 42 - libc_block(X86_TEXT), ip + 22 - libc_block(X86_TEXT));
    const bytes = [...code].map(hx);
    expect(lines[1]).toBe(
      `Code: ${bytes.slice(0, 42).join(" ")} <${bytes[42]}> ${bytes.slice(43).join(" ")}`,
    );
    const off = ip - 42 - 0x400000; // the first LOAD maps file offset 0 at 0x400000
    const dump = run(`hexdump -C -s ${off} -n 64 /usr/bin/hog`);
    const file = [...dump.matchAll(/^[0-9a-f]{8} {2}(.{48})/gm)].flatMap((m) => m[1].trim().split(/ +/));
    expect(file).toEqual(bytes);

    const r = x86_regs(lines.slice(2, 8));
    expect(r.size).toBe(17);
    // memset(dst, 0x5a, 10 MiB): rax/rdi the start, rcx the loop's bound, rsi the value.
    expect(r.get("RAX")).toBe(r.get("RDI"));
    expect(r.get("RCX")).toBe(r.get("RAX")! + BigInt(STEP) - 0x40n);
    expect(r.get("RSI")).toBe(0x5an);
    // rdx walks 64 bytes a pass; the faulting store is the one that reaches a new page.
    const rdx = r.get("RDX")!;
    expect((rdx - r.get("RAX")!) % 64n).toBe(0n);
    expect(Number((rdx + BigInt(16 * j)) % 4096n)).toBeLessThan(16);
    expect(r.get("EFLAGS")).toBe(cmp_flags(rdx, r.get("RCX")!));
    // Left by malloc's mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0).
    expect([r.get("R08"), r.get("R09"), r.get("R10"), r.get("R11")]).toEqual([
      0xffffffffn,
      0n,
      0x22n,
      0x246n,
    ]);
    expect(r.get("RSP")! % 16n).toBe(8n);
    expect(r.get("RSP")! >> 36n).toBe(0x7ffn);
  });

  it("x86_64: an allocation inside write(2) shows the syscall's registers with ORIG_RAX", () => {
    const run = session("pc");
    run("mount -t tmpfs -o size=400M none /mnt");
    // The report goes to the console as it happens (the shell itself is killed later: tmpfs keeps its pages).
    const out = run("dd if=/dev/zero of=/mnt/big bs=1M count=300");
    const lines = block(out, " entry_SYSCALL_64_after_hwframe", 8, "dd");
    const rip = libc_block(X86_TEXT) + SYSCALL + 0x19;
    expect(lines[0]).toBe(`RIP: 0033:0x${rip.toString(16)}`);
    // The wrapper's "syscall" (0f 05) just before RIP, its "ret" at it.
    expect(lines[1]).toMatch(/ 0f 05 <c3> cc/);
    expect(lines[2]).toMatch(/^RSP: 002b:[0-9a-f]{16} EFLAGS: 00000246 ORIG_RAX: 0000000000000001$/);
    const r = x86_regs(lines.slice(3, 8));
    // rax -ENOSYS while in the call; rcx and r11 what the syscall instruction saved.
    expect(r.get("RAX")).toBe(0xffffffffffffffdan);
    expect(r.get("RCX")).toBe(BigInt(rip));
    expect(r.get("R11")).toBe(0x246n);
    // write(fd, buf, 1 MiB): dd's output file is its fd 4 here (after its input's 3).
    expect(r.get("RDX")).toBe(BigInt(MiB));
    expect(r.get("RDI")).toBe(4n);
  });

  it("ARM: the exception stack holds r0..r12, sp, lr, pc, cpsr and ORIG_r0 at the top of the kernel stack", () => {
    const run = session("vexpress-a9");
    run("hog 300M > /dev/null");
    const lines = block(run("dmesg"), " do_DataAbort from __dabt_usr+0x58/0x60", 5, "hog");
    const m = /^Exception stack\(0x([0-9a-f]{8}) to 0x([0-9a-f]{8})\)$/.exec(lines[0])!;
    expect(m, lines[0]).not.toBeNull();
    const bottom = Number(`0x${m[1]}`);
    const top = Number(`0x${m[2]}`);
    // 18 words below THREAD_START_SP (THREAD_SIZE - 8) of an 8 KiB stack.
    expect(top - bottom).toBe(18 * 4);
    expect(top % 8192).toBe(8192 - 8);
    // dump_mem: 32 bytes a line from bottom & ~31, words outside [bottom, top) as blanks.
    const first = bottom - (bottom % 32);
    const w = "([0-9a-f]{8})";
    const at = (a: number): string => (a % 0x10000).toString(16).padStart(4, "0");
    expect(lines[1]).toMatch(new RegExp(`^${at(first)}:${" ".repeat(36)}( ${w}){4}$`));
    expect(lines[2]).toMatch(new RegExp(`^${at(first + 32)}:( ${w}){8}$`));
    expect(lines[3]).toMatch(new RegExp(`^${at(first + 64)}:( ${w}){6}$`));
    expect(lines[4]).toBe("Mem-Info:");
    const r = lines
      .slice(1, 4)
      .join(" ")
      .split(/\s+/)
      .filter((x) => /^[0-9a-f]{8}$/.test(x))
      .map((x) => Number(`0x${x}`));
    expect(r).toHaveLength(18);
    const [r0, r1, r2, r3] = r;
    // memset's loop: r0 the start, r3 the pointer at the new page, r2 the count after this store.
    expect(r3 % 4096).toBe(0);
    expect(r2).toBe(r0 + STEP - r3 - 8);
    expect([r1, r[12]]).toEqual([0x5a5a5a5a, 0x5a5a5a5a]);
    const pc = r[15];
    expect(pc).toBe(libc_block(ARM_TEXT) + MEMSET + ARM_LOOP[((r3 - r0) / 8) % 4]);
    // lr back into main (Thumb), cpsr user mode with C set by the loop's subs, not a syscall.
    expect(r[14] & 1).toBe(1);
    expect([r[16], r[17]]).toEqual([0x20000010, 0xffffffff]);
    // r4, r5 and r7 are hog's own: the wrapper that loaded mmap2's fd, offset and number into them
    // put them back, and exec started them at 0. sp is on the user stack.
    expect([r[4], r[5], r[7]]).toEqual([0, 0, 0]);
    expect(r[13] % 8).toBe(0);
    expect(r[13]).toBeLessThan(0xbf000000);
  });
});
