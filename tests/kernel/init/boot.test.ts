import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MachineName, PROFILES } from "../../../src/hw/profiles.js";
import { alloc_kernel, boot_step, start_kernel } from "../../../src/kernel/init/main.js";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { zoneinfo_show } from "../../../src/kernel/mm/vmstat.js";

const ref = (arch: string, name: string): string =>
  readFileSync(new URL(`../../fixtures/reference/${arch}/${name}.txt`, import.meta.url), "utf8");

/** Boots the kernel alone (no user space) with the reference machine's initrd size. */
function bootKernel(machine: MachineName, initrdKB: number, memMiB = 1024): Kernel {
  const o = {
    profile: PROFILES[machine],
    memBytes: memMiB * 2 ** 20,
    smp: PROFILES[machine].defaultSmp,
    append: "",
    seed: 1,
    rtcBase: 1795311374,
    numaNodes: 1,
    initrdBytes: initrdKB * 1024,
  };
  const k = alloc_kernel(o);
  const bs = start_kernel(k, o);
  for (const [t, us] of bs.remaining) {
    k.clock.advance(us * 1000);
    if (t.startsWith("@") && t !== "@initramfs" && t !== "@run_init") boot_step(k, bs, t);
  }
  return k;
}

function logLine(k: Kernel, prefix: string): string {
  const r = k.printk.records.find((x) => x.text.startsWith(prefix));
  return r ? r.text : "";
}

function refLine(arch: string, prefix: string): string {
  const line =
    ref(arch, "boot-console")
      .split("\n")
      .find((l) => l.includes(`] ${prefix}`)) ?? "";
  return line.replace(/^.*?\] /, "");
}

/** A zoneinfo block's watermark and layout lines for one zone. */
function zoneLines(text: string, zone: string): string[] {
  const start = text.indexOf(`zone ${zone.padStart(8)}`);
  const block = text.slice(start).split("\n");
  return block
    .filter(
      (l) =>
        /^ {8}(min|low|high|spanned|present|managed|cma|protection)/.test(l) ||
        /^ {14}(high|batch):/.test(l) ||
        /vm stats threshold/.test(l),
    )
    .slice(0, 14);
}

describe.each([
  ["vexpress-a9", "armhf", 2612, ["DMA", "HighMem"]],
  ["pc", "x86_64", 3312, ["DMA", "DMA32"]],
] as const)("booting %s with the reference's initrd", (machine, arch, initrd, zones) => {
  const k = bootKernel(machine, initrd);

  it("prints the reference's memory lines", () => {
    for (const p of [
      "Memory: ",
      "Built 1 zonelists",
      "Zone ranges:",
      "  DMA ",
      "  Normal",
      "Early memory node ranges",
      "Initmem setup node 0",
      "Dentry cache hash",
      "Inode-cache hash",
      "Mount-cache hash",
      "futex hash table",
      "TCP established hash",
    ])
      expect(logLine(k, p)).toBe(refLine(arch, p));
  });

  it("has the reference's MemTotal once init memory is freed", () => {
    const memtotal = Number(/MemTotal:\s+(\d+)/.exec(ref(arch, "cat_proc_meminfo"))![1]);
    expect(k.totalram_pages * 4).toBe(memtotal);
  });

  it("computes the reference's watermarks, reserves and per-CPU list sizes", () => {
    const mine = zoneinfo_show(k);
    const theirs = ref(arch, "cat_proc_zoneinfo");
    for (const z of zones) expect(zoneLines(mine, z)).toEqual(zoneLines(theirs, z));
  });

  it("computes the reference's min_free_kbytes", () => {
    expect(k.sysctl_vm.min_free_kbytes).toBe(arch === "armhf" ? 3473 : 45056);
  });

  it("leaves the allocator consistent", () => {
    expect(() => check_page_alloc(k)).not.toThrow();
  });
});

describe("the numbers add up on every profile and size", () => {
  it.each([
    ["vexpress-a9", 256],
    ["vexpress-a9", 1024],
    ["vexpress-a9", 2048],
    ["pc", 128],
    ["pc", 4096],
    ["pc", 16384],
    ["virt", 1024],
    ["virt", 8192],
  ] as const)("%s with %i MiB", (machine, mib) => {
    const k = bootKernel(machine, 600, mib);
    const line = logLine(k, "Memory: ");
    const m = /^Memory: (\d+)K\/(\d+)K available \(.*, (\d+)K reserved, (\d+)K cma-reserved/.exec(line)!;
    const physKB = Number(m[2]);
    let present = 0;
    for (const z of k.zones) present += z.present_pages;
    expect(physKB).toBe(present * 4);
    // MemTotal is what the zones manage; reserved + managed + cma covers all of RAM at mem_init.
    let managed = 0;
    for (const z of k.zones) managed += z.managed_pages;
    expect(k.totalram_pages).toBe(managed);
    check_page_alloc(k);
  });
});

describe("the kernel image stays reserved", () => {
  // The zero page and the vDSO pages sit in the image's .bss: every process maps them, so they
  // must be PG_reserved and never on a free list or an LRU list (on -M virt the reservation once
  // ended 648 KiB short of _end, and they were handed out as ordinary pages).
  it.each(["vexpress-a9", "pc", "virt"] as const)(
    "%s: the zero page and the vDSO pages are reserved",
    (machine) => {
      const k = bootKernel(machine, 600, 512);
      for (let pfn = k.zero_pfn; pfn <= k.zero_pfn + 6; pfn++) {
        expect(k.mem.describe(pfn)).toMatch(/flags: 0x100\(reserved\)$/);
      }
    },
  );
});
