/*
 * The /proc tables of registered things: devices (fs/proc/devices.c: the
 * character majors of fs/char_dev.ts, the block majors of register_blkdev),
 * misc (drivers/char/misc.c, newest first, dynamic minors from 63 down),
 * ioports (kernel/resource.c: the pc's I/O space, empty on ARM), cgroups
 * (every controller on the default hierarchy) and schedstat (version 15,
 * sched_info's counts per CPU, one domain over all CPUs).
 */

import { describe, expect, it } from "vitest";
import { show_schedstat } from "../../../src/kernel/sched/stats.js";
import { PlainSession } from "../../../src/plain/run.js";
import { sh } from "../../helpers/machine.js";

const MiB = 2 ** 20;

const CHR_COMMON = "Character devices:\n  1 mem\n  4 /dev/vc/0\n  4 tty\n";
const BLK = "\nBlock devices:\n253 zram\n254 virtblk\n259 blkext\n";

describe("/proc/devices and /proc/misc", () => {
  it.each([
    [
      "pc",
      `${CHR_COMMON}  4 ttyS\n  5 /dev/tty\n  5 /dev/console\n  7 vcs\n 10 misc\n 13 input\n 29 fb\n248 bsg\n${BLK}`,
      " 61 userfaultfd\n 62 cpu_dma_latency\n228 hpet\n 63 vga_arbiter\n",
    ],
    [
      "vexpress-a9",
      `${CHR_COMMON}  4 ttyS\n  5 /dev/tty\n  5 /dev/console\n  7 vcs\n 10 misc\n 13 input\n 29 fb\n204 ttyAM\n204 ttyAMA\n248 bsg\n${BLK}`,
      " 61 userfaultfd\n 62 cpu_dma_latency\n 63 vga_arbiter\n",
    ],
    [
      "virt",
      `${CHR_COMMON}  5 /dev/tty\n  5 /dev/console\n  7 vcs\n 10 misc\n 29 fb\n204 ttyAMA\n248 bsg\n${BLK}`,
      " 61 userfaultfd\n 62 cpu_dma_latency\n 63 vga_arbiter\n",
    ],
  ] as const)("%s", (machine, devices, misc) => {
    const r = sh(["cat /proc/devices", "cat /proc/misc"], { machine, disks: [64 * MiB] });
    expect(r.output).toBe(devices + misc);
  });

  it("the block majors are the ones the disks carry", () => {
    const r = sh(["ls -l /dev/vda /dev/zram0 | awk '{ print $5 $6, $NF }'"], { disks: [64 * MiB] });
    expect(r.output).toBe("254,0 /dev/vda\n253,0 /dev/zram0\n");
  });
});

describe("/proc/ioports", () => {
  it("pc: the legacy ISA ports under the host bridge's first window, PCI conf1, the BARs in the second", () => {
    const r = sh("cat /proc/ioports", { machine: "pc", disks: [64 * MiB, 64 * MiB] });
    expect(r.output).toBe(
      "0000-0cf7 : PCI Bus 0000:00\n" +
        "  0000-001f : dma1\n  0020-0021 : pic1\n  0040-0043 : timer0\n  0050-0053 : timer1\n" +
        "  0060-0060 : keyboard\n  0064-0064 : keyboard\n  0070-0077 : rtc_cmos\n" +
        "  0080-008f : dma page reg\n  00a0-00a1 : pic2\n  00c0-00df : dma2\n  00f0-00ff : fpu\n" +
        "  0170-0177 : 0000:00:01.1\n  01f0-01f7 : 0000:00:01.1\n  0376-0376 : 0000:00:01.1\n" +
        "  03c0-03df : vga+\n  03f6-03f6 : 0000:00:01.1\n  03f8-03ff : serial\n" +
        "  0600-063f : 0000:00:01.3\n    0600-0603 : ACPI PM1a_EVT_BLK\n" +
        "    0604-0605 : ACPI PM1a_CNT_BLK\n    0608-060b : ACPI PM_TMR\n" +
        "  0700-070f : 0000:00:01.3\n" +
        "0cf8-0cff : PCI conf1\n" +
        "0d00-ffff : PCI Bus 0000:00\n" +
        "  afe0-afe3 : ACPI GPE0_BLK\n" +
        // the BARs the boot log shows: virtio disks, then the NIC and the IDE bus master after them
        "  c000-c07f : 0000:00:04.0\n  c080-c0ff : 0000:00:05.0\n" +
        "  c100-c13f : 0000:00:03.0\n  c140-c14f : 0000:00:01.1\n",
    );
    const log = sh("dmesg | grep -E 'BAR [14] \\[io'", { machine: "pc", disks: [64 * MiB, 64 * MiB] });
    expect(log.output).toMatch(/00:03\.0: BAR 1 \[io {2}0xc100-0xc13f\]/);
    expect(log.output).toMatch(/00:01\.1: BAR 4 \[io {2}0xc140-0xc14f\]/);
  });

  it("vexpress-a9: no I/O port space, an empty file", () => {
    expect(sh("wc -c < /proc/ioports").output).toBe("0\n");
  });
});

describe("/proc/cgroups", () => {
  it.each([
    ["pc", true],
    ["vexpress-a9", false], // armmp has no hugetlb pages, so no hugetlb controller
  ] as const)(
    "%s: every controller on the default hierarchy (0) with its root cgroup",
    (machine, hugetlb) => {
      const names = ["cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer", "net_cls"];
      names.push("perf_event", "net_prio", ...(hugetlb ? ["hugetlb"] : []), "pids", "rdma", "misc");
      const r = sh("cat /proc/cgroups", { machine });
      expect(r.output).toBe(
        `#subsys_name\thierarchy\tnum_cgroups\tenabled\n${names.map((n) => `${n}\t0\t1\t1\n`).join("")}`,
      );
    },
  );
});

describe("/proc/schedstat", () => {
  it.each([
    ["vexpress-a9", 4, "f"],
    ["pc", 2, "3"],
    ["pc", 1, ""],
  ] as const)(
    "%s with %i CPUs: sched_info's counts per CPU, one domain over all of them",
    (machine, smp, span) => {
      const s = new PlainSession({ machine, smp });
      s.line("ls /proc > /dev/null; sleep 1");
      s.take();
      const k = s.m.k;
      const text = show_schedstat(k);
      let expected = `version 15\ntimestamp ${2 ** 32 - 300 * 250 + k.clock.jiffies}\n`;
      for (const c of k.sched.cpus) {
        expected += `cpu${c.id} 0 0 0 0 0 0 ${c.user_ns + c.busy_ns} ${c.run_delay} ${c.pcount}\n`;
        if (smp > 1) expected += `domain0 ${span}${" 0".repeat(36)}\n`;
      }
      expect(text).toBe(expected);
      // Every task that got a CPU counts once in pcount, the context switches of /proc/stat.
      expect(k.sched.cpus.reduce((n, c) => n + c.pcount, 0)).toBe(k.sched.nr_switches);
      expect(k.sched.cpus[0].user_ns + k.sched.cpus[0].busy_ns).toBeGreaterThan(0);
    },
  );

  it("jiffies wrap at 32 bits on ARM: the timestamp 5 minutes after boot starts again from 0", () => {
    const s = new PlainSession({ machine: "vexpress-a9" });
    s.line("sleep 300");
    s.take();
    const ts = Number(/timestamp (\d+)/.exec(show_schedstat(s.m.k))![1]);
    expect(ts).toBe(s.m.k.clock.jiffies - 300 * 250);
  });
});

describe("/proc/apm", () => {
  it("is the ARM APM emulation's line with nothing known of a battery, and absent elsewhere", () => {
    const arm = new PlainSession({ machine: "vexpress-a9" });
    arm.take();
    arm.line("cat /proc/apm");
    expect(arm.take()).toBe("1.13 1.2 0x02 0xff 0xff 0xff -1% -1 ?\n");
    const pc = new PlainSession({ machine: "pc" });
    pc.take();
    pc.line("cat /proc/apm");
    expect(pc.take()).toBe("cat: can't open '/proc/apm': No such file or directory\n");
  });
});
