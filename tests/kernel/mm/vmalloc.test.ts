/*
 * vmalloc.test.ts - vmap areas: never overlapping, a guard page each,
 * everything given back on vfree (pages at once, address space at the lazy
 * purge); pages from HighMem first on ARM; kernel stacks from vmalloc;
 * and the boot users /proc/vmallocinfo lists, against each reference.
 */

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { page_zone } from "../../../src/kernel/mm/page_alloc.js";
import {
  find_vm_area,
  purge_vmap_area_lazy,
  vfree,
  vmalloc,
  vmallocinfo_show,
} from "../../../src/kernel/mm/vmalloc.js";
import { booted, session } from "../../helpers/machine.js";

const MiB = 2 ** 20;

describe("vmalloc", () => {
  it("never returns overlapping areas and gives everything back", () => {
    const k = booted({ machine: "pc", memory: 512 * MiB }).k;
    purge_vmap_area_lazy(k);
    const free_before = k.vmap.free.map((a) => [a.va_start, a.va_end]);
    const pages_before = k.mm_stat.nr_vmalloc_pages;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 300_000 }), fc.boolean()), { maxLength: 60 }),
        (ops) => {
          const held: number[] = [];
          for (const [size, free] of ops) {
            if (free && held.length) vfree(k, held.splice(size % held.length, 1)[0]);
            else {
              const addr = vmalloc(k, size);
              const vm = find_vm_area(k, addr)!;
              expect(vm.size).toBe(Math.ceil(size / 4096) * 4096 + 4096); // the guard page
              held.push(addr);
            }
            const [s, e] = k.vmap.vmalloc;
            for (const a of k.vmap.busy)
              if (a.vm?.caller === "vmalloc") expect(a.va_start >= s && a.va_end <= e).toBe(true);
            check_page_alloc(k); // includes check_vmalloc: busy, free and purge ranges disjoint
          }
          for (const a of held) vfree(k, a);
          expect(k.mm_stat.nr_vmalloc_pages).toBe(pages_before);
        },
      ),
      { numRuns: 20, seed: 7 },
    );
    purge_vmap_area_lazy(k);
    expect(k.vmap.free.map((a) => [a.va_start, a.va_end])).toEqual(free_before);
    check_page_alloc(k);
  });

  it("keeps freed ranges as unpurged vm_area until lazy_max_pages are waiting", () => {
    const k = booted({ memory: 512 * MiB }).k;
    purge_vmap_area_lazy(k);
    vfree(k, vmalloc(k, 3 * 4096));
    expect(
      vmallocinfo_show(k)
        .split("\n")
        .filter((l) => l.includes("unpurged")),
    ).toEqual(["0x(ptrval)-0x(ptrval)   16384 unpurged vm_area"]);
    // 4 CPUs: fls(4) * 32 MiB of lazily freed address space triggers the purge.
    for (let i = 0; i < 24; i++) vfree(k, vmalloc(k, 4 * MiB));
    expect(k.vmap.purge.length).toBeLessThan(24);
    check_page_alloc(k);
  });

  it("gathers pages from HighMem first on vexpress-a9", () => {
    const k = booted({ memory: 1024 * MiB }).k;
    const vm = find_vm_area(k, vmalloc(k, 64 * 4096))!;
    expect(new Set(vm.pages.map((p) => page_zone(k, p).name))).toEqual(new Set(["HighMem"]));
    expect(vmallocinfo_show(k)).toContain(" 266240 vmalloc pages=64 vmalloc\n");
  });
});

describe("kernel stacks", () => {
  it("come from vmalloc (kernel_clone) and count in KernelStack while a task owns them", () => {
    const s = session({ memory: 256 * MiB });
    const k = s.m.k;
    const stack = (): number => k.nodes[0].vm_stat[37];
    const before = stack();
    s.line("sleep 1 & sleep 1 & wait");
    check_page_alloc(k);
    expect(stack()).toBe(before);
    const lines = vmallocinfo_show(k).split("\n");
    expect(lines.filter((l) => l.includes("kernel_clone"))[0]).toBe(
      "0x(ptrval)-0x(ptrval)   12288 kernel_clone+0xac/0x3c4 pages=2 vmalloc",
    );
    expect(k.vmap.cached_stacks.flat().filter(Boolean).length).toBeGreaterThan(0);
  });
});

/** A vmallocinfo listing as a sorted multiset of "size caller ... flags" (addresses dropped). */
function users(text: string, skip: RegExp): string[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("0x") && !skip.test(l))
    .map((l) => l.replace(/^\S+\s+/, ""))
    .sort();
}

describe("/proc/vmallocinfo after boot", () => {
  // The reference's modules (load_module, the virtio drivers' ioremaps and MSI-X tables) are not
  // loaded by mmbox's boot; kernel stacks depend on the tasks; freed ranges on timing.
  const skip = /kernel_clone|load_module|vp_modern_map_capability|__pci_enable_msix_range|unpurged/;
  const ref = (arch: string): string =>
    readFileSync(`tests/fixtures/reference/${arch}/cat_proc_vmallocinfo.txt`, "utf8");

  it("pc lists the reference's boot users", () => {
    const k = booted({ machine: "pc", smp: 2, memory: 1024 * MiB }).k;
    expect(users(vmallocinfo_show(k), skip)).toEqual(users(ref("x86_64"), skip));
  });

  it("vexpress-a9 lists the reference's boot users (with the zswap buffers of all 4 CPUs)", () => {
    const k = booted({ memory: 1024 * MiB }).k;
    const mine = users(vmallocinfo_show(k), skip);
    const theirs = users(ref("armhf"), skip);
    // The reference shows 7 of the 8 per-CPU crypto scratch buffers 6.1 allocates for 4 CPUs.
    const i = mine.indexOf(theirs.find((l) => l.includes("crypto_scomp_init_tfm+0xb4"))!);
    mine.splice(i, 1);
    expect(mine).toEqual(theirs);
  });
});
