import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Machine } from "../../../src/machine.js";
import { sh } from "../../helpers/machine.js";

const ref = (arch: string, name: string): string =>
  readFileSync(new URL(`../../fixtures/reference/${arch}/${name}.txt`, import.meta.url), "utf8");

function bootLog(
  append: string,
  machine: "vexpress-a9" | "pc" = "vexpress-a9",
): { m: Machine; console: string } {
  const m = new Machine({ machine, append });
  let out = "";
  m.onOutput((s) => {
    out += s;
  });
  m.boot();
  m.runUntilInput();
  return { m, console: out };
}

describe("kernel command line", () => {
  it("mem= limits the RAM the kernel uses", () => {
    const r = sh(["cat /proc/meminfo"], { append: "mem=512M" });
    const total = Number(/MemTotal:\s+(\d+)/.exec(r.output)![1]);
    expect(total).toBeLessThan(512 * 1024);
    expect(total).toBeGreaterThan(480 * 1024);
    expect(sh(["cat /proc/cmdline"], { append: "mem=512M" }).output).toBe("console=ttyAMA0 mem=512M\n");
  });

  it("cma= sizes the CMA area, cma=0 removes it", () => {
    expect(sh(["cat /proc/meminfo"], { append: "cma=64M" }).output).toContain(
      "CmaTotal:          65536 kB\n",
    );
    expect(sh(["cat /proc/meminfo"], { append: "cma=0" }).output).toContain("CmaTotal:              0 kB\n");
    const { m } = bootLog("cma=64M");
    expect(m.k.printk.records.map((r) => r.text)).toContain("cma: Reserved 64 MiB at 0x9c000000");
  });

  it("quiet and loglevel= keep boot messages off the console but in dmesg", () => {
    const loud = bootLog("");
    expect(loud.console).toContain("] Memory: ");
    const quiet = bootLog("quiet");
    expect(quiet.console).not.toContain("] Memory: ");
    expect(quiet.m.k.printk.records.some((r) => r.text.startsWith("Memory: "))).toBe(true);
    expect(bootLog("loglevel=3").console).not.toContain("] Memory: ");
  });

  it("passes unknown parameters on to init, as Linux says", () => {
    const { m } = bootLog("refmode=batch");
    expect(m.k.printk.records.map((r) => r.text)).toContain(
      'Unknown kernel command line parameters "refmode=batch", will be passed to user space.',
    );
  });

  it("debug prints the ARM kernel memory layout at boot; debugfs always has it", () => {
    const layout =
      "Virtual kernel memory layout:\n" +
      "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n" +
      "    fixmap  : 0xffc00000 - 0xfff00000   (3072 kB)\n" +
      "    vmalloc : 0xf0800000 - 0xff800000   ( 240 MB)\n" +
      "    lowmem  : 0xc0000000 - 0xf0000000   ( 768 MB)\n" +
      "    pkmap   : 0xbfe00000 - 0xc0000000   (   2 MB)\n" +
      "    modules : 0xbf000000 - 0xbfe00000   (  14 MB)\n";
    const r = sh(["mount -t debugfs debugfs /sys/kernel/debug", "cat /sys/kernel/debug/kernel_layout"]);
    expect(r.output.startsWith(layout)).toBe(true);
    expect(r.output).toContain(
      "      .text : 0xc0208000 - 0xc1200000   (16352 kB)\n      .init : 0xc1200000 - 0xc1400000   (2048 kB)\n",
    );
    expect(bootLog("debug").console).toContain("]     lowmem  : 0xc0000000 - 0xf0000000   ( 768 MB)");
    expect(bootLog("").console).not.toContain("Virtual kernel memory layout");
    expect(
      sh(["mount -t debugfs debugfs /sys/kernel/debug", "cat /sys/kernel/debug/kernel_layout"], {
        append: "mem=512M",
      }).output,
    ).toContain(
      "    vmalloc : 0xe0800000 - 0xff800000   ( 496 MB)\n    lowmem  : 0xc0000000 - 0xe0000000   ( 512 MB)\n",
    );
  });

  it("debug_vm checks the allocator after every command", () => {
    const r = sh(
      [
        "mount -t debugfs debugfs /sys/kernel/debug",
        "cat /proc/buddyinfo",
        "echo 'alloc 2 GFP_KERNEL' > /sys/kernel/debug/page_alloc_test",
      ],
      {
        append: "debug_vm",
      },
    );
    expect(r.status).toBe(0);
  });
});

describe("/proc/iomem", () => {
  it("shows the vexpress-a9 address map of the reference", () => {
    const mine = sh(["cat /proc/iomem"]).output.split("\n");
    // the reference machine had two virtio disks (their windows come with disks)
    const theirs = ref("armhf", "cat_proc_iomem")
      .split("\n")
      .filter((l) => !l.includes("virtio_mmio"));
    expect(mine.slice(0, -2)).toEqual(theirs.slice(0, -2));
    // _end is byte-precise on the real kernel (bss of 377.4 KiB), KiB-precise here
    expect(mine[mine.length - 2]).toBe("  61400000-616073ff : Kernel data");
  });

  it("shows the e820 map on pc", () => {
    const r = sh(["cat /proc/iomem"], { machine: "pc" }).output;
    expect(r).toContain(
      "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n0009fc00-0009ffff : Reserved\n",
    );
    expect(r).toContain("00100000-3ffd9fff : System RAM\n");
    expect(r).toContain("3ffda000-3fffffff : Reserved\n");
    expect(r).toMatch(/ {2}[0-9a-f]{8}-[0-9a-f]{8} : Kernel code\n/);
  });
});
