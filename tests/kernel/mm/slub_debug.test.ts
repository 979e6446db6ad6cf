/*
 * slub_debug.test.ts - red zones and poisoning: the object layout SLUB's
 * debugging gives a cache, and the "BUG <cache>" reports a double free, a
 * red-zone overwrite and a write after free produce in dmesg (through the
 * modules in rootfs/lib/modules). The machine keeps running afterwards.
 * Addresses, pids and offsets within a slab depend on what ran before, so
 * the reports are compared whole with those numbers masked.
 */

import { describe, expect, it } from "vitest";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { kmem_cache_lookup } from "../../../src/kernel/mm/kmem_caches.js";
import { session } from "../../helpers/machine.js";

/** The kernel log lines a shell line produced, with its variable numbers masked. */
function report(machine: "vexpress-a9" | "pc", append: string, line: string): string {
  const s = session({ machine, append, memory: 256 * 2 ** 20 });
  const k = s.m.k;
  const from = k.printk.records.length;
  s.line(line);
  check_page_alloc(k);
  return k.printk.records
    .slice(from)
    .map((r) => r.text)
    .join("\n")
    .replace(/\b(0x)?([0-9a-f]{16}|[0-9a-f]{8})\b/g, (m, x, v) => (v === "41414141" ? m : `${x ?? ""}ADDR`))
    .replace(/\b(pid=|PID: |offset=|used=)\d+/g, "$1N");
}

describe("slub_debug layout", () => {
  it("grows kmalloc-64 objects with red zones, a free pointer outside, two tracks and padding", () => {
    const s = session({ machine: "pc", append: "slub_debug", memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const c = kmem_cache_lookup(k, "kmalloc-64");
    // 64 -> +8 red zone -> +8 free pointer -> +2*32 tracks -> +8 -> +64 left red zone -> 256
    expect([c.object_size, c.inuse, c.offset, c.red_left_pad, c.size, c.objects]).toEqual([
      64, 72, 72, 64, 256, 16,
    ]);
    const banner = k.printk.records.map((r) => r.text).filter((t) => /NOTICE|unhashed|SLAB_POISON/.test(t));
    expect(banner).toEqual([
      "mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free",
      "**   NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE   **",
      "** This system shows unhashed kernel memory addresses   **",
      "**   NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE   **",
    ]);
  });

  it("slub_debug=P,kmalloc-64 poisons kmalloc-64 alone", () => {
    const s = session({ machine: "pc", append: "slub_debug=P,kmalloc-64", memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const sizes = ["kmalloc-64", "kmalloc-32", "dentry"].map((n) => kmem_cache_lookup(k, n).size);
    // kmalloc-64: the free pointer moves after the object (72), aligned to the object's own size: 128.
    expect(sizes).toEqual([128, 32, 192]);
  });
});

describe("slub_debug reports", () => {
  it("a double free: Object already free, and the object stays free", () => {
    expect(
      report("pc", "slub_debug", "insmod /lib/modules/double_free.ko"),
    ).toBe(`double_free: loading out-of-tree module taints kernel.
double_free: module verification failed: signature and/or required key missing - tainting kernel
=============================================================================
BUG kmalloc-64 (Tainted: G           OE     ): Object already free
-----------------------------------------------------------------------------

Allocated in double_free_init+0x18/0x30 [double_free] age=0 cpu=0 pid=N
 __kmem_cache_alloc_node
 double_free_init+0x18/0x30 [double_free]
 do_one_initcall
 do_init_module
 load_module
 __do_sys_init_module
Freed in double_free_init+0x18/0x30 [double_free] age=0 cpu=0 pid=N
 kfree
 double_free_init+0x18/0x30 [double_free]
 do_one_initcall
 do_init_module
 load_module
 __do_sys_init_module
Slab 0xADDR objects=16 used=N fp=0xADDR flags=0xfffffc0000200(slab|node=0|zone=1|lastcpupid=0x1fffff)
Object 0xADDR @offset=N fp=0xADDR

Redzone  ADDR: bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb  ................
Redzone  ADDR: bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb  ................
Redzone  ADDR: bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb  ................
Redzone  ADDR: bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb  ................
Object   ADDR: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk
Object   ADDR: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk
Object   ADDR: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk
Object   ADDR: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b a5  kkkkkkkkkkkkkkk.
Redzone  ADDR: bb bb bb bb bb bb bb bb                          ........
Padding  ADDR: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
Padding  ADDR: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
Padding  ADDR: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
CPU: 0 PID: N Comm: insmod Tainted: G           OE      6.1.0-56-amd64 #1  Debian 6.1.192-2
Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
Call Trace:
 <TASK>
 dump_stack_lvl+0x44/0x5c
 free_debug_processing
 __slab_free
 double_free_init+0x18/0x30 [double_free]
 do_one_initcall
 do_init_module
 load_module
 __do_sys_init_module
 </TASK>
Disabling lock debugging due to kernel taint
FIX kmalloc-64: Object at 0xADDR not freed`);
  });

  it("an overflow: Right Redzone overwritten (ARM: 4 bytes of red zone, then the free pointer)", () => {
    const r = report("vexpress-a9", "slub_debug", "insmod /lib/modules/redzone.ko").split("\n");
    expect(
      r.slice(2, 8).join("\n"),
    ).toBe(`=============================================================================
BUG kmalloc-64 (Tainted: G           OE     ): Right Redzone overwritten
-----------------------------------------------------------------------------

0xADDR-0xADDR @offset=N. First byte 0x41 instead of 0xcc
Allocated in redzone_init+0x8/0x20 [redzone] age=0 cpu=1 pid=N`);
    expect(
      r.filter((l) => /^(Slab|Object 0x|Redzone {2}ADDR: 41|FIX)/.test(l)).join("\n"),
    ).toBe(`Slab 0xADDR objects=21 used=N fp=0xADDR flags=0x200(slab|zone=0)
Object 0xADDR @offset=N fp=0x41414141
Redzone  ADDR: 41 41 41 41                                      AAAA
FIX kmalloc-64: Restoring Right Redzone 0xADDR-0xADDR=0xcc
FIX kmalloc-64: Object at 0xADDR not freed`);
  });

  it("a write after free: Poison overwritten on the next allocation, whose slab is set aside", () => {
    const r = report("vexpress-a9", "slub_debug", "insmod /lib/modules/use_after_free.ko").split("\n");
    expect(
      r.filter((l) => /^(BUG|0xADDR-|Object {3}ADDR: 41|FIX)/.test(l)).join("\n"),
    ).toBe(`BUG kmalloc-64 (Tainted: G           OE     ): Poison overwritten
0xADDR-0xADDR @offset=N. First byte 0x41 instead of 0x6b
Object   ADDR: 41 41 41 41 41 41 41 41 6b 6b 6b 6b 6b 6b 6b 6b  AAAAAAAAkkkkkkkk
FIX kmalloc-64: Restoring Poison 0xADDR-0xADDR=0x6b
FIX kmalloc-64: Marking all objects used`);
  });

  it("without slub_debug a double free oopses the loading task; the machine runs on", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    s.line("insmod /lib/modules/double_free.ko; echo $?");
    s.line("lsmod; rmmod double_free; cat /proc/sys/kernel/tainted");
    const console_text = s
      .take()
      .split("\n")
      .filter((l) => !/^\[\s*\d+\.\d+\] /.test(l))
      .join("\n");
    expect(console_text).toBe(`Segmentation fault
139
Module                  Size  Used by    Tainted: G  
double_free            16384  0 
rmmod: can't unload module 'double_free': Device or resource busy
12416
`);
    const log = s.m.k.printk.records.map((r) => r.text);
    expect(log.filter((t) => /kernel BUG|Oops|Modules linked/.test(t))).toEqual([
      "kernel BUG at mm/slub.c:379!",
      "Internal error: Oops - BUG: 0 [#1] SMP ARM",
      "Modules linked in: double_free(OE+)",
    ]);
    check_page_alloc(s.m.k);
  });
});
