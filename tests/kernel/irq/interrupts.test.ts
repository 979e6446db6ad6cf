/*
 * /proc/interrupts and /proc/softirqs: each board's interrupts with Linux's
 * numbers, chips and names, in 6.1's layout; counts that follow the
 * machine's events (disk requests, console bytes, secondary CPU bring-up,
 * machine check polls); and every view of a count agreeing - /proc/stat's
 * intr and softirq lines are the sums of the two files (irq/proc.ts).
 */

import { describe, expect, it } from "vitest";
import type { MachineName } from "../../../src/hw/profiles.js";
import { softirqs_show } from "../../../src/kernel/fs/proc/softirqs.js";
import { type IrqDesc, kstat_irqs } from "../../../src/kernel/irq/irqdesc.js";
import { interrupts_show, stat_intr_line, stat_softirq_line } from "../../../src/kernel/irq/proc.js";
import { BLOCK_SOFTIRQ, kstat_softirqs_cpu } from "../../../src/kernel/softirq.js";
import { PlainSession } from "../../../src/plain/run.js";

const MiB = 2 ** 20;

function start(machine: MachineName, smp: number, disks: number[] = []) {
  const s = new PlainSession({ machine, smp, disks, memory: 256 * MiB });
  const run = (line: string): string => {
    s.line(line);
    return s.take();
  };
  return { s, k: s.m.k, run };
}

/** The count columns ("%10u " per CPU) of every line, each replaced by "N". */
function mask(text: string, ncpus: number): string {
  return text
    .split("\n")
    .map((l) => {
      const m = /^(\s*\S+?:)((?: +\d+){1,})( .*)?$/.exec(l);
      if (!m) return l;
      const n = m[2].trim().split(/ +/).length;
      return `${m[1]}${"          N".repeat(Math.min(n, ncpus))}${m[3] ?? ""}`;
    })
    .join("\n");
}

/** Each line's label and counts. */
function rows(text: string): Map<string, number[]> {
  const r = new Map<string, number[]>();
  for (const l of text.split("\n").slice(1)) {
    const m = /^\s*(\S+?):((?: +\d+)+)/.exec(l);
    if (m) r.set(m[1], m[2].trim().split(/ +/).map(Number));
  }
  return r;
}

const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);
const N4 = "          N".repeat(4);
const N2 = "          N".repeat(2);

describe("/proc/interrupts", () => {
  it("vexpress-a9: GIC-0 interrupts at the virqs the boot log implies, the IPIs and Err", () => {
    const { run } = start("vexpress-a9", 4, [64 * MiB, 32 * MiB]);
    const out = run("cat /proc/interrupts");
    expect(mask(out, 4)).toBe(
      `           CPU0       CPU1       CPU2       CPU3       \n` +
        ` 24:${N4} GIC-0  34 Level     timer\n` +
        ` 25:${N4} GIC-0  29 Level     twd\n` +
        ` 26:${N4} GIC-0  92 Level     arm-pmu\n` +
        ` 27:${N4} GIC-0  93 Level     arm-pmu\n` +
        ` 28:${N4} GIC-0  94 Level     arm-pmu\n` +
        ` 29:${N4} GIC-0  95 Level     arm-pmu\n` +
        ` 30:${N4} GIC-0  36 Level     rtc-pl031\n` +
        ` 31:${N4} GIC-0  37 Level     uart-pl011\n` +
        ` 37:${N4} GIC-0  74 Edge      virtio0\n` +
        ` 38:${N4} GIC-0  75 Edge      virtio1\n` +
        `IPI0:${N4}  CPU wakeup interrupts\n` +
        `IPI1:${N4}  Timer broadcast interrupts\n` +
        `IPI2:${N4}  Rescheduling interrupts\n` +
        `IPI3:${N4}  Function call interrupts\n` +
        `IPI4:${N4}  CPU stop interrupts\n` +
        `IPI5:${N4}  IRQ work interrupts\n` +
        `IPI6:${N4}  completion interrupts\n` +
        `Err:          N\n`,
    );
    const r = rows(out);
    // Each secondary CPU took the wakeup IPI boot_secondary sent it, once.
    expect(r.get("IPI0")).toEqual([0, 1, 1, 1]);
    // Shared interrupts go to CPU 0; boot ticked on the sp804 before the twd was calibrated.
    for (const irq of ["24", "31"]) expect(r.get(irq)!.slice(1)).toEqual([0, 0, 0]);
    expect(r.get("24")![0]).toBeGreaterThan(0);
    expect(r.get("25")![0]).toBeGreaterThan(500);
  });

  it("pc: IO-APIC legacy interrupts, PCI-MSI virtio vectors (requester ID << 11), the x86 system vectors", () => {
    const { run } = start("pc", 2, [64 * MiB]);
    const out = run("cat /proc/interrupts");
    const io = (n: string, pin: string, flow: string, name: string): string =>
      ` ${n}:${N2}   IO-APIC ${pin}-${flow.padEnd(8)}  ${name}\n`;
    const x86 = (l: string, what: string): string => `${l}:${N2}   ${what}\n`;
    expect(mask(out, 2)).toBe(
      `           CPU0       CPU1       \n` +
        io(" 0", "  2", "edge", "timer") +
        io(" 1", "  1", "edge", "i8042") +
        io(" 4", "  4", "edge", "ttyS0") +
        io(" 8", "  8", "edge", "rtc0") +
        io(" 9", "  9", "fasteoi", "acpi") +
        io("12", " 12", "edge", "i8042") +
        ` 24:${N2}   PCI-MSI 65536-edge      virtio0-config\n` +
        ` 25:${N2}   PCI-MSI 65537-edge      virtio0-req.0\n` +
        ` 26:${N2}   PCI-MSI 65538-edge      virtio0-req.1\n` +
        x86("NMI", "Non-maskable interrupts") +
        x86("LOC", "Local timer interrupts") +
        x86("SPU", "Spurious interrupts") +
        x86("PMI", "Performance monitoring interrupts") +
        x86("IWI", "IRQ work interrupts") +
        x86("RTR", "APIC ICR read retries") +
        x86("RES", "Rescheduling interrupts") +
        x86("CAL", "Function call interrupts") +
        x86("TLB", "TLB shootdowns") +
        x86("TRM", "Thermal event interrupts") +
        x86("THR", "Threshold APIC interrupts") +
        x86("DFR", "Deferred Error APIC interrupts") +
        x86("MCE", "Machine check exceptions") +
        x86("MCP", "Machine check polls") +
        `ERR:          N\n` +
        `MIS:          N\n` +
        x86("PIN", "Posted-interrupt notification event") +
        x86("NPI", "Nested posted-interrupt event") +
        x86("PIW", "Posted-interrupt wakeup event"),
    );
    const r = rows(out);
    // The timer ticked on IRQ 0 during boot only; ttyS0's vector went to the CPU with fewer.
    expect(r.get("0")![0]).toBeGreaterThan(0);
    expect(r.get("0")![1]).toBe(0);
    expect(r.get("4")![0]).toBe(0);
    expect(r.get("MCP")).toEqual([1, 1]);
  });

  it("virt: the arch timer, the PL011 at the boot log's irq 13, arm64's IPI list", () => {
    const { run } = start("virt", 2);
    const out = mask(run("cat /proc/interrupts"), 2);
    expect(out.split("\n").slice(0, 5).join("\n")).toBe(
      `           CPU0       CPU1       \n` +
        ` 11:${N2} GIC-0  27 Level     arch_timer\n` +
        ` 13:${N2} GIC-0  33 Level     uart-pl011\n` +
        ` 14:${N2} GIC-0  34 Level     rtc-pl031\n` +
        `IPI0:${N2}       Rescheduling interrupts`,
    );
    expect(out.endsWith(`IPI6:${N2}       CPU wake-up interrupts\nErr:          N\n`)).toBe(true);
  });
});

describe("counts follow the machine's events", () => {
  it.each([
    ["vexpress-a9", 4],
    ["pc", 2],
  ] as const)(
    "%s: one interrupt per disk request, on its queue's CPU; BLOCK softirqs with one queue",
    (machine, n) => {
      const { k, run } = start(machine, n, [64 * MiB]);
      run(
        "dd if=/dev/vda of=/dev/null bs=4k count=64 2>/dev/null; dd if=/dev/zero of=/dev/vda bs=4k count=8 2>/dev/null; sync",
      );
      const st = run("cat /sys/block/vda/stat").trim().split(/\s+/).map(Number);
      const requests = st[0] + st[4];
      const queues = k.irq.virtio_queues[0];
      expect(requests).toBeGreaterThan(0);
      expect(sum(queues.map((q: IrqDesc) => kstat_irqs(q)))).toBe(requests);
      // A queue's interrupts land on its CPU only.
      for (const q of queues)
        for (let c = 0; c < n; c++) if (q.cpu >= 0 && c !== q.cpu) expect(q.kstat[c]).toBe(0);
      let block = 0;
      for (let c = 0; c < n; c++) block += kstat_softirqs_cpu(k, BLOCK_SOFTIRQ, c);
      expect(block).toBe(machine === "pc" ? 0 : requests);
    },
  );

  it.each([
    ["vexpress-a9", 41], // the PL011 gets the bytes one at a time
    ["pc", 3], // the 16550A's FIFO takes 16 at a time
  ] as const)("%s: the console UART interrupts for what is typed", (machine, irqs) => {
    const { k, s } = start(machine, 2);
    const before = kstat_irqs(k.irq.uart!);
    s.line(`: ${"a".repeat(38)}`); // 41 bytes with the newline, no output
    expect(kstat_irqs(k.irq.uart!) - before).toBe(irqs);
  });

  it("pc: the machine check timer polls every 300 s, a local timer interrupt and a TIMER softirq each", () => {
    const { run } = start("pc", 2);
    const r0 = rows(run("cat /proc/interrupts"));
    run("sleep 301");
    const r1 = rows(run("cat /proc/interrupts"));
    expect(r1.get("MCP")).toEqual([2, 2]);
    for (let c = 0; c < 2; c++) expect(r1.get("LOC")![c]).toBeGreaterThan(r0.get("LOC")![c]);
  });
});

describe("TLB shootdowns (x86)", () => {
  it("kswapd unmapping a running memhog's pages tells memhog's CPU: TLB shootdowns, each a function-call IPI", () => {
    const { run } = start("pc", 2, [256 * MiB]);
    const s0 = rows(run("cat /proc/interrupts"));
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda 2>/dev/null; memhog 300M > /dev/null");
    const s1 = rows(run("cat /proc/interrupts"));
    const tlb = s1.get("TLB")!.map((n, c) => n - s0.get("TLB")![c]);
    const cal = s1.get("CAL")!.map((n, c) => n - s0.get("CAL")![c]);
    expect(sum(tlb)).toBeGreaterThan(0);
    for (let c = 0; c < 2; c++) expect(cal[c]).toBeGreaterThanOrEqual(tlb[c]);
  });
});

describe("every view agrees", () => {
  it.each([
    ["vexpress-a9", 4],
    ["pc", 2],
    ["virt", 2],
  ] as const)(
    "%s: /proc/stat's intr and softirq lines are the sums of /proc/interrupts and /proc/softirqs",
    (machine, n) => {
      const { k, run } = start(machine, n, [64 * MiB]);
      run("dd if=/dev/vda of=/dev/null bs=4k count=16 2>/dev/null; ls / > /dev/null");
      const irqs = rows(interrupts_show(k));
      const intr = stat_intr_line(k).trim().split(" ").slice(1).map(Number);
      const [total, ...per] = intr;
      expect(per.length).toBe(k.irq.nr_irqs);
      let expected = 0;
      for (const [label, counts] of irqs) {
        if (/^\d+$/.test(label)) {
          expect(per[Number(label)]).toBe(sum(counts));
          expected += sum(counts);
        } else if (label.startsWith("IPI")) expected += sum(counts);
        else if (machine === "pc" && !["TLB", "DFR", "MIS", "PIN", "NPI", "PIW"].includes(label))
          expected += sum(counts);
      }
      // ARM's IPIs are hidden descriptors: in the per-interrupt list, at their virqs.
      for (const d of k.irq.ipi_desc) expect(per[d.irq]).toBe(kstat_irqs(d));
      expect(total).toBe(expected);
      const soft = rows(softirqs_show(k));
      const [stotal, ...sper] = stat_softirq_line(k).trim().split(" ").slice(1).map(Number);
      expect(sper).toEqual([...soft.values()].map(sum));
      expect(stotal).toBe(sum(sper));
      expect(soft.get("SCHED")!.some((x) => x > 0)).toBe(n > 1);
    },
  );

  it.each([
    [1, 256],
    [2, 440],
    [4, 456],
  ] as const)("pc with %i CPUs: the boot log's nr_irqs is the length of /proc/stat's list", (smp, nr) => {
    const { run } = start("pc", smp);
    expect(run("dmesg | grep -o 'nr_irqs: [0-9]*'")).toBe(`nr_irqs: ${nr}\n`);
    expect(run("grep intr /proc/stat | wc -w")).toBe(`${nr + 2}\n`);
  });
});
