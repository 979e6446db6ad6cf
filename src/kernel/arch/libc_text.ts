/*
 * libc_text.ts - where the C library's two hottest routines sit in a
 * program's text, and (for x86_64) their machine code.
 *
 * mmbox's programs are TypeScript, but the CPU state a report prints
 * (x86's "RIP:" and "Code:" lines, ARM's exception stack) needs an
 * instruction pointer inside the program's text and, on x86, the bytes
 * there. Every statically linked binary carries its libc; the model puts
 * two routines in the first page of the text segment (a page the start-up
 * code always executes, crt0.ts), at TEXT_OFFSET from its start:
 *
 *   +0x00  padding (int3) ending the previous function
 *   +0x40  memset: the store loop every program's memory writes go through
 *   +0xc0  the system call wrapper (its "syscall" / "svc #0")
 *
 * The x86 bytes below are real instructions (scripts/decodecode reads them
 * as the loop they are); the rootfs image writes them into each binary at
 * the file offset of that address, so the Code: line, hexdump of the file
 * and the page cache agree. ARM prints no code bytes; its routine offsets
 * follow the same ARM-mode loop (see ptrace.ts).
 */

/** Offset of the routines' block from the start of the text segment. */
export const TEXT_OFFSET = 0xc00;
export const MEMSET = 0x40;
export const SYSCALL = 0xc0;
export const BLOCK_SIZE = 0x100;

/* x86_64 memset(rdi=dst, esi=c, rdx=n), offsets from MEMSET. */
export const X86_LOOP = [0x2c, 0x2f, 0x33, 0x37]; // movups %xmm0,16j(%rdx)
export const X86_TAIL = [0x44, 0x47, 0x4b, 0x4f]; // movups %xmm0,16j(%rcx)
export const X86_STOSB = 0x5c; // rep stosb (n < 64)
/* x86_64 syscall wrapper: the instruction after "syscall". */
export const X86_SYSRET = 0x19;

/* ARM memset, ARM mode: the four stmiacs r3!, {r1, ip} of its loop, then strb. */
export const ARM_LOOP = [0x18, 0x20, 0x28, 0x30];
export const ARM_STRB = 0x40;
/* ARM syscall wrapper: the instruction after "svc #0". */
export const ARM_SYSRET = 0x10;
/** Where main's calls into libc return (Thumb: bit 0 set), from the text start. */
export const ARM_CALLER = 0x3c8 | 1;

const hex = (s: string): number[] => s.split(/\s+/).map((b) => Number.parseInt(b, 16));

const X86_MEMSET = hex(
  [
    "48 83 fa 40", // cmp $0x40,%rdx
    "72 4e", // jb small
    "40 0f b6 ce", // movzbl %sil,%ecx
    "48 b8 01 01 01 01 01 01 01 01", // movabs $0x0101010101010101,%rax
    "48 0f af c8", // imul %rax,%rcx
    "66 48 0f 6e c1", // movq %rcx,%xmm0
    "66 0f 6c c0", // punpcklqdq %xmm0,%xmm0
    "48 89 f8", // mov %rdi,%rax
    "48 8d 4c 17 c0", // lea -0x40(%rdi,%rdx,1),%rcx
    "48 89 fa", // mov %rdi,%rdx
    "0f 11 02", // loop: movups %xmm0,(%rdx)
    "0f 11 42 10", // movups %xmm0,0x10(%rdx)
    "0f 11 42 20", // movups %xmm0,0x20(%rdx)
    "0f 11 42 30", // movups %xmm0,0x30(%rdx)
    "48 83 c2 40", // add $0x40,%rdx
    "48 39 ca", // cmp %rcx,%rdx
    "72 e8", // jb loop
    "0f 11 01", // movups %xmm0,(%rcx)
    "0f 11 41 10", // movups %xmm0,0x10(%rcx)
    "0f 11 41 20", // movups %xmm0,0x20(%rcx)
    "0f 11 41 30", // movups %xmm0,0x30(%rcx)
    "c3", // ret
    "48 89 d1", // small: mov %rdx,%rcx
    "48 89 fa", // mov %rdi,%rdx
    "89 f0", // mov %esi,%eax
    "f3 aa", // rep stosb
    "48 89 d0", // mov %rdx,%rax
    "c3", // ret
  ].join(" "),
);

const X86_SYSCALL = hex(
  [
    "48 89 f8", // mov %rdi,%rax
    "48 89 f7", // mov %rsi,%rdi
    "48 89 d6", // mov %rdx,%rsi
    "48 89 ca", // mov %rcx,%rdx
    "4d 89 c2", // mov %r8,%r10
    "4d 89 c8", // mov %r9,%r8
    "4c 8b 4c 24 08", // mov 0x8(%rsp),%r9
    "0f 05", // syscall
    "c3", // ret
  ].join(" "),
);

/** The routines' block for x86_64, BLOCK_SIZE bytes (int3 between functions). */
export function x86_libc_block(): Uint8Array {
  const b = new Uint8Array(BLOCK_SIZE).fill(0xcc);
  b.set(X86_MEMSET, MEMSET);
  b.set(X86_SYSCALL, SYSCALL);
  return b;
}

/** The address of the routines' block in a program whose text starts at start_code. */
export function libc_block(start_code: number): number {
  return start_code + TEXT_OFFSET;
}
