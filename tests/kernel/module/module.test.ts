/*
 * module.test.ts - the module lab: insmod, lsmod, /proc/modules, rmmod, the
 * module's cache in /proc/slabinfo and /sys/kernel/slab, its memory in
 * /proc/vmallocinfo; and the errors of bad module files and bad arguments,
 * in BusyBox's and Linux's words.
 */

import { describe, expect, it } from "vitest";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { vmallocinfo_show } from "../../../src/kernel/mm/vmalloc.js";
import { parse_module } from "../../../src/kernel/module/format.js";
import { session, sh } from "../../helpers/machine.js";

/** Console output without the kernel's own lines (printk also goes to the console). */
const user = (out: string): string =>
  out
    .split("\n")
    .filter((l) => !/^\[\s*\d+\.\d+\] /.test(l))
    .join("\n");

describe("loading and unloading", () => {
  it("shows a module's cache, objects and vmalloc buffer, and takes them back", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const slabs_before = k.slab.slab_caches.map((c) => c.name).join(" ");
    s.line("insmod /lib/modules/slab_demo.ko count=200; echo $?");
    check_page_alloc(k);
    s.line("lsmod; cat /proc/modules");
    s.line('{ read l; read l; read l; echo "$l"; } < /proc/slabinfo'); // the newest cache
    s.line(
      "cat /sys/kernel/slab/slab_demo/objs_per_slab /sys/kernel/slab/slab_demo/order /sys/kernel/slab/slab_demo/objects",
    );
    // slab_demo_small was merged: its name is a link to the unique id of a 56-byte cache.
    s.line("[ -L /sys/kernel/slab/slab_demo_small ] && cd -P /sys/kernel/slab/slab_demo_small && pwd; cd /");
    expect(user(s.take())).toBe(`0
Module                  Size  Used by    Tainted: G  
slab_demo              16384  0 
slab_demo 16384 0 - Live 0xbf000000 (OE)
slab_demo            200    200    320   25    2 : tunables    0    0    0 : slabdata      8      8      0
25
1
200
/sys/kernel/slab/:0000056
`);
    const mine = vmallocinfo_show(k)
      .split("\n")
      .filter((l) => /slab_demo|load_module/.test(l))
      .map((l) => l.replace(/^\S+\s+/, ""));
    expect(mine).toEqual([
      "20480 load_module+0xa90/0x21c8 pages=4 vmalloc", // the core: 16 KiB and a guard page
      "1052672 slab_demo_init+0x58/0x80 [slab_demo] pages=256 vmalloc",
    ]);
    s.line("rmmod slab_demo; echo $?; lsmod");
    check_page_alloc(k);
    expect(user(s.take())).toBe("0\nModule                  Size  Used by    Tainted: G  \n");
    expect(k.slab.slab_caches.map((c) => c.name).join(" ")).toBe(slabs_before);
    expect(vmallocinfo_show(k)).not.toMatch(/slab_demo|load_module/);
  });

  it("a leaking module cannot destroy its cache: the report, the warning, and the cache stays", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    s.line("echo $$");
    const shell = Number(user(s.take()).trim()); // insmod is shell + 1, rmmod (the WARNING's task) shell + 2
    s.line("insmod /lib/modules/leak_demo.ko; rmmod leak_demo; echo $?");
    s.line('{ read l; read l; read l; echo "$l"; } < /proc/slabinfo');
    expect(user(s.take())).toBe(
      "0\nleak_demo              3     26    304   26    2 : tunables    0    0    0 : slabdata      1      1      0\n",
    );
    const log = k.printk.records.map((r) => r.text.replace(/@offset=\d+/, "@offset=N"));
    expect(log.filter((t) => /^(BUG|Object 0x|kmem_cache_destroy|WARNING|Modules linked)/.test(t))).toEqual([
      "BUG leak_demo (Tainted: G           OE     ): Objects remaining in leak_demo on __kmem_cache_shutdown()",
      "Object 0x(ptrval) @offset=N",
      "Object 0x(ptrval) @offset=N",
      "Object 0x(ptrval) @offset=N",
      "kmem_cache_destroy leak_demo: Slab cache still has objects when called from leak_demo_exit+0x8/0x10 [leak_demo]",
      `WARNING: CPU: 1 PID: ${shell + 2} at mm/slab_common.c:497 kmem_cache_destroy`,
      "Modules linked in: leak_demo(OE-)",
    ]);
    check_page_alloc(k);
  });
});

describe("errors", () => {
  it.each([
    [
      "insmod",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: insmod FILE [SYMBOL=VALUE]...\n\nLoad kernel module\n1",
    ],
    ["insmod /nope.ko", "insmod: can't insert '/nope.ko': No such file or directory\n254"],
    ["insmod /lib/modules/README", "insmod: can't insert '/lib/modules/README': invalid module format\n8"],
    ["insmod /bin/busybox", "insmod: can't insert '/bin/busybox': invalid module format\n8"],
    ["insmod /lib/modules", "insmod: can't insert '/lib/modules': Is a directory\n235"],
    [
      "insmod /lib/modules/slab_demo.ko count=abc",
      "insmod: can't insert '/lib/modules/slab_demo.ko': Invalid argument\n22",
    ],
    ["rmmod nope", "rmmod: can't unload module 'nope': No such file or directory\n1"],
    [
      "rmmod",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: rmmod [-wfa] [MODULE]...\n\nUnload kernel modules\n\n\t-w\tWait until the module is no longer used\n\t-f\tForce unload\n\t-a\tRemove all unused modules (recursively)\n1",
    ],
    [
      "rmmod -x hello",
      "rmmod: invalid option -- 'x'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: rmmod [-wfa] [MODULE]...\n\nUnload kernel modules\n\n\t-w\tWait until the module is no longer used\n\t-f\tForce unload\n\t-a\tRemove all unused modules (recursively)\n1",
    ],
    ["rmmod -a", "0"],
  ])("%s", (cmd, expected) => {
    const r = sh(`${cmd} 2>&1; echo $?`, { memory: 256 * 2 ** 20 });
    expect(user(r.output)).toBe(`${expected}\n`);
  });

  it("loading twice says File exists; an unknown parameter is only a warning; the kernel logs why a file is not a module", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    s.line("insmod /lib/modules/hello.ko foo=1; insmod /lib/modules/hello.ko; echo $?");
    s.line(
      "insmod /lib/modules/README; insmod /lib/modules/slab_demo.ko count=x; rmmod /lib/modules/hello.ko; lsmod",
    );
    expect(user(s.take())).toBe(
      "insmod: can't insert '/lib/modules/hello.ko': File exists\n17\ninsmod: can't insert '/lib/modules/README': invalid module format\ninsmod: can't insert '/lib/modules/slab_demo.ko': Invalid argument\nModule                  Size  Used by    Tainted: G  \n",
    );
    const log = s.m.k.printk.records.map((r) => r.text);
    expect(log.slice(log.indexOf("hello: loading out-of-tree module taints kernel."))).toEqual([
      "hello: loading out-of-tree module taints kernel.",
      "hello: module verification failed: signature and/or required key missing - tainting kernel",
      "hello: unknown parameter 'foo' ignored",
      "Hello, kernel",
      "Invalid ELF header magic: != \x7fELF",
      "slab_demo: `x' invalid for parameter `count'",
    ]);
  });

  it("a malformed module file is ENOEXEC, an unknown directive an unknown symbol", () => {
    const head = "\x7fELF mmbox-module\nname bad\n";
    expect(parse_module(`${head}kmalloc lots\n`, "")).toEqual({
      ok: false,
      log: "bad: invalid module section at line 3",
      errno: "ENOEXEC",
    });
    expect(parse_module(`${head}frobnicate 3\n`, "")).toEqual({
      ok: false,
      log: "bad: Unknown symbol frobnicate (err -2)",
      errno: "ENOENT",
    });
  });
});
