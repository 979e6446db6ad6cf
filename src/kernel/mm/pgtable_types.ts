/*
 * pgtable_types.ts - the bits of a page table entry (Linux
 * arch/x86/include/asm/pgtable_types.h), in a file of constants only so
 * that the bundle puts their values in place of every use (see
 * page_flags.ts). pgtable.ts re-exports them.
 */

export const _PAGE_PRESENT = 0x001;
export const _PAGE_RW = 0x002;
export const _PAGE_USER = 0x004;
export const _PAGE_ACCESSED = 0x020;
export const _PAGE_DIRTY = 0x040;
export const _PAGE_SPECIAL = 0x200;
/** x86's soft-dirty bit (in a swap PTE too): set with _PAGE_DIRTY, cleared only by clear_refs 4. */
export const _PAGE_SOFT_DIRTY = 0x400;
export const _PAGE_NX = 0x800;
export const PTE_FLAGS_MASK = 0xfff;
