/*
 * kallsyms.ts - return addresses as a stack dump prints them (%pS:
 * "symbol+offset/size"), for the call sites of the kernel build each
 * profile claims to be (Debian's 6.1.0-50-armmp and 6.1.0-56-amd64).
 *
 * An address only exists in a compiled kernel, so the table holds the call
 * sites of those builds that mmbox's own paths go through, as their stack
 * dumps show them. A frame is looked up by the function and the callee it
 * was calling; a site the table does not know is printed as the bare name
 * (what a kernel without KALLSYMS offsets would show) rather than with
 * invented numbers.
 *
 * x86_64 dumps one line per frame, innermost first, and its unwinder also
 * reports stale return addresses left on the stack, marked "? ": such a
 * frame is kept here as the text before the real one. ARM's unwinder prints
 * "callee from caller+off/size": the caller's site is what the table gives.
 */

type Arch = "arm" | "x86_64" | "arm64";

/** [arch][`${caller}>${callee}`] = the caller's frame as printed (lines, innermost first). */
const sites: Record<Arch, Record<string, readonly string[]>> = {
  x86_64: {
    "dump_stack_lvl>": ["dump_stack_lvl+0x44/0x5c"],
    "dump_header>dump_stack_lvl": ["dump_header+0x4c/0x22b"],
    // The report is in the function's unlikely (.cold) part.
    "oom_kill_process>dump_header": ["oom_kill_process.cold+0xb/0x10"],
    "out_of_memory>oom_kill_process": ["out_of_memory+0x1fd/0x4c0"],
    "__alloc_pages_slowpath.constprop.0>out_of_memory": ["__alloc_pages_slowpath.constprop.0+0x67f/0xe70"],
    "__alloc_pages>__alloc_pages_slowpath.constprop.0": ["__alloc_pages+0x305/0x330"],
    "__folio_alloc>__alloc_pages": ["__folio_alloc+0x17/0x50"],
    // vma_alloc_folio asked policy_node for the node first: its return address is still there.
    "vma_alloc_folio>__folio_alloc": ["? policy_node+0x51/0x70", "vma_alloc_folio+0x9c/0x370"],
    "__handle_mm_fault>vma_alloc_folio": ["__handle_mm_fault+0x92f/0xfa0"],
    "handle_mm_fault>__handle_mm_fault": ["handle_mm_fault+0xdb/0x2d0"],
    "do_user_addr_fault>handle_mm_fault": ["do_user_addr_fault+0x191/0x570"],
    "exc_page_fault>do_user_addr_fault": ["exc_page_fault+0x70/0x170"],
    "asm_exc_page_fault>exc_page_fault": ["asm_exc_page_fault+0x22/0x30"],
  },
  arm: {
    "show_stack>unwind_backtrace": ["show_stack+0x18/0x1c"],
    "dump_stack_lvl>show_stack": ["dump_stack_lvl+0x40/0x4c"],
    "dump_header>dump_stack_lvl": ["dump_header+0x50/0x20c"],
    "oom_kill_process>dump_header": ["oom_kill_process+0x22c/0x238"],
    "out_of_memory>oom_kill_process": ["out_of_memory+0x218/0x34c"],
    "__alloc_pages>out_of_memory": ["__alloc_pages+0xe18/0x1094"],
    "handle_mm_fault>__alloc_pages": ["handle_mm_fault+0x66c/0x1044"],
    "do_page_fault>handle_mm_fault": ["do_page_fault+0x17c/0x330"],
    "do_DataAbort>do_page_fault": ["do_DataAbort+0x44/0xb8"],
    "__dabt_usr>do_DataAbort": ["__dabt_usr+0x58/0x60"],
  },
  arm64: {},
};

/**
 * The lines of one frame: `caller` interrupted while calling `callee` ("" for
 * the innermost frame). Unknown sites give the bare name.
 */
export function sprint_frame(arch: Arch, caller: string, callee: string): readonly string[] {
  return sites[arch][`${caller}>${callee}`] ?? [caller];
}
