/*
 * Virtio disks (--disk): how each machine names and wires them (the
 * reference's boot lines, /proc/partitions, /proc/iomem), the capacity
 * strings of string_get_size, and swap on a disk with its I/O counted.
 */

import { describe, expect, it } from "vitest";
import { STRING_UNITS_2, STRING_UNITS_10, string_get_size } from "../../../src/kernel/lib/string_helpers.js";
import { type PlainOptions, PlainSession } from "../../../src/plain/run.js";

const MiB = 2 ** 20;

function session(o: Partial<PlainOptions>): (line: string) => string {
  const s = new PlainSession({ machine: "vexpress-a9", ...o });
  return (line: string) => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
}

describe("string_get_size", () => {
  it.each([
    [1048576, 512, "537 MB", "512 MiB"],
    [524288, 512, "268 MB", "256 MiB"],
    [2097152, 512, "1.07 GB", "1.00 GiB"],
    [3072, 512, "1.57 MB", "1.50 MiB"],
    [4294967296, 512, "2.20 TB", "2.00 TiB"],
    [999, 1, "999 B", "999 B"],
    [1023, 1, "1.02 kB", "1023 B"],
    [0, 512, "0 B", "0 B"],
  ])("%d blocks of %d bytes: %s / %s", (size, blk, ten, two) => {
    expect(string_get_size(size, blk, STRING_UNITS_10)).toBe(ten);
    expect(string_get_size(size, blk, STRING_UNITS_2)).toBe(two);
  });
});

describe("virtio disks", () => {
  it("on the pc sit in PCI slots 4, 5, ... in command-line order, with a queue per CPU", () => {
    const run = session({ machine: "pc", disks: [256 * MiB, 512 * MiB] });
    expect(run("dmesg | grep -E 'virtio|LNK.: Enabled|pci 0000:00:0[45]'")).toBe(
      [
        "[    0.708209] pci 0000:00:04.0: [1af4:1001] type 00 class 0x010000",
        "[    0.708853] pci 0000:00:04.0: BAR 0 [io  0xc000-0xc07f]",
        "[    0.709581] pci 0000:00:04.0: BAR 1 [mem 0xfebf1000-0xfebf1fff]",
        "[    0.711811] pci 0000:00:04.0: BAR 4 [mem 0xfe000000-0xfe003fff 64bit pref]",
        "[    0.715754] pci 0000:00:05.0: [1af4:1001] type 00 class 0x010000",
        "[    0.716370] pci 0000:00:05.0: BAR 0 [io  0xc080-0xc0ff]",
        "[    0.716909] pci 0000:00:05.0: BAR 1 [mem 0xfebf2000-0xfebf2fff]",
        "[    0.718277] pci 0000:00:05.0: BAR 4 [mem 0xfe004000-0xfe007fff 64bit pref]",
        "[    1.636870] ACPI: \\_SB_.LNKD: Enabled at IRQ 11",
        "[    1.680870] ACPI: \\_SB_.LNKA: Enabled at IRQ 10",
        "[    1.724870] virtio_blk virtio0: 2/0/0 default/read/poll queues",
        "[    1.736870] virtio_blk virtio0: [vda] 524288 512-byte logical blocks (268 MB/256 MiB)",
        "[    1.748870] virtio_blk virtio1: 2/0/0 default/read/poll queues",
        "[    1.760870] virtio_blk virtio1: [vdb] 1048576 512-byte logical blocks (537 MB/512 MiB)",
        "",
      ].join("\n"),
    );
    expect(run("dmesg | grep -E '00:0[13]\\.[01]: BAR 4|00:03.0: BAR 1'")).toBe(
      "[    0.690230] pci 0000:00:01.1: BAR 4 [io  0xc140-0xc14f]\n[    0.701671] pci 0000:00:03.0: BAR 1 [io  0xc100-0xc13f]\n",
    );
    expect(run("cat /proc/partitions")).toBe(
      "major minor  #blocks  name\n\n 254        0     262144 vda\n 254       16     524288 vdb\n",
    );
    expect(run("sed -n '/^40000000/,/^fec00000/p' /proc/iomem")).toBe(
      [
        "40000000-febfffff : PCI Bus 0000:00",
        "  fd000000-fdffffff : 0000:00:02.0",
        "  fe000000-fe003fff : 0000:00:04.0",
        "    fe000000-fe003fff : virtio-pci-modern",
        "  fe004000-fe007fff : 0000:00:05.0",
        "    fe004000-fe007fff : virtio-pci-modern",
        "  feb80000-febbffff : 0000:00:03.0",
        "  febc0000-febdffff : 0000:00:03.0",
        "  febf0000-febf0fff : 0000:00:02.0",
        "  febf1000-febf1fff : 0000:00:04.0",
        "  febf2000-febf2fff : 0000:00:05.0",
        "fec00000-fec003ff : IOAPIC 0",
        "",
      ].join("\n"),
    );
    expect(run("ls -l /dev/vda /dev/vdb /dev/zram0 | tr -s ' ' | cut -d' ' -f1,5,6,10")).toBe(
      "brw-rw---- 254, 0 /dev/vda\nbrw-rw---- 254, 16 /dev/vdb\nbrw-rw---- 253, 0 /dev/zram0\n",
    );
  });

  it("without --disk, the pc has no virtio devices and its other I/O ports move down", () => {
    const run = session({ machine: "pc" });
    expect(run("dmesg | grep -cE 'virtio|1af4'; ls /sys/block; cat /proc/partitions")).toBe(
      "0\nzram0\nmajor minor  #blocks  name\n\n",
    );
    expect(run("dmesg | grep -E '00:01.1: BAR 4|00:03.0: BAR 1'")).toBe(
      "[    0.690230] pci 0000:00:01.1: BAR 4 [io  0xc040-0xc04f]\n[    0.701671] pci 0000:00:03.0: BAR 1 [io  0xc000-0xc03f]\n",
    );
  });

  it("on vexpress-a9 fill the virtio-mmio transports from the top: the last --disk is vda", () => {
    const run = session({ disks: [256 * MiB, 512 * MiB] });
    expect(run("dmesg | grep virtio_blk")).toBe(
      [
        "[    3.513976] virtio_blk virtio0: 1/0/0 default/read/poll queues",
        "[    3.525976] virtio_blk virtio0: [vda] 1048576 512-byte logical blocks (537 MB/512 MiB)",
        "[    3.537976] virtio_blk virtio1: 1/0/0 default/read/poll queues",
        "[    3.549976] virtio_blk virtio1: [vdb] 524288 512-byte logical blocks (268 MB/256 MiB)",
        "",
      ].join("\n"),
    );
    expect(run("grep virtio /proc/iomem; ls /sys/block; cat /sys/block/vdb/size")).toBe(
      "10013400-100135ff : 10013400.virtio_mmio virtio_mmio@10013400\n10013600-100137ff : 10013600.virtio_mmio virtio_mmio@10013600\nvda    vdb    zram0\n524288\n",
    );
  });

  it("on virt keep command-line order", () => {
    const run = session({ machine: "virt", disks: [1024 * MiB, 64 * MiB] });
    expect(run("dmesg | grep '\\[vd'; grep virtio /proc/iomem")).toBe(
      [
        "[    1.048843] virtio_blk virtio0: [vda] 2097152 512-byte logical blocks (1.07 GB/1.00 GiB)",
        "[    1.072843] virtio_blk virtio1: [vdb] 131072 512-byte logical blocks (67.1 MB/64.0 MiB)",
        "0a003c00-0a003dff : a003c00.virtio_mmio virtio_mmio@a003c00",
        "0a003e00-0a003fff : a003e00.virtio_mmio virtio_mmio@a003e00",
        "",
      ].join("\n"),
    );
  });

  it("take swap (a rotational disk: FS, not SSFS), and count its I/O in /sys/block/vda/stat", () => {
    const run = session({ memory: 256 * MiB, disks: [512 * MiB] });
    expect(run("cat /sys/block/vda/queue/rotational /sys/block/vda/stat")).toBe(
      "1\n       0        0        0        0        0        0        0        0        0        0        0        0        0        0        0        0        0\n",
    );
    expect(run("mkswap /dev/vda >/dev/null; swapon /dev/vda; cat /proc/swaps")).toMatch(
      new RegExp(
        // (mkswap's UUID was the first read of /dev/urandom: the CRNG's seeding is logged.)
        "^\\[ {4}3\\.\\d{6}\\] random: crng init done\n" +
          "\\[ {4}3\\.\\d{6}\\] Adding 524284k swap on /dev/vda\\. {2}Priority:-2 extents:1 across:524284k FS\n" +
          "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/vda {32}partition\t524284\t\t0\t\t-2\n$",
      ),
    );
    // mkswap wrote the header page, swapon read it back.
    expect(run("cut -c1-35 /sys/block/vda/stat")).toBe("       1        0        8        0\n");
    run("hog 300M 10M hold > /tmp/hog.log &");
    run("sleep 5");
    expect(run("tail -1 /tmp/hog.log")).toMatch(/^hog\[\d+\]: holding 300 MiB\n$/);
    const used = Number(/partition\t524284\t\t(\d+)/.exec(run("cat /proc/swaps"))![1]);
    expect(used).toBeGreaterThan(50_000);
    // Every page swapped out is 8 sectors written to the disk (and mkswap wrote one page).
    // kswapd may still be writing when hog holds (it finished its last steps just now, and
    // the shell's own forks wake kswapd again): read vmstat between two equal stat reads.
    let stat: number[] = [];
    let pgpgout = "";
    let pswpout = -1;
    for (let tries = 0; ; tries++) {
      const [before, pgpg, pswp, after] = run(
        "cat /sys/block/vda/stat; grep -E '^(pgpgout|pswpout) ' /proc/vmstat; cat /sys/block/vda/stat",
      ).split("\n");
      if (before === after) {
        stat = before.trim().split(/\s+/).map(Number);
        pgpgout = pgpg;
        pswpout = Number(/^pswpout (\d+)$/.exec(pswp)![1]);
        break;
      }
      expect(tries).toBeLessThan(5);
      run("sleep 1");
    }
    expect(stat[6]).toBe(pswpout * 8 + 8);
    // Slots are handed out in clusters, so most writes merge into the request before them.
    expect(stat[5]).toBeGreaterThan(stat[4]);
    // pgpgout counts the same sectors, shown in KiB.
    expect(pgpgout).toBe(`pgpgout ${stat[6] / 2}`);
    // Writers waited for the disk: the CPUs spent idle time in iowait.
    const cpu = run("head -1 /proc/stat").trim().split(/\s+/).map(Number);
    expect(cpu[5]).toBeGreaterThan(0);
    run("kill %1; wait");
    expect(run('swapoff /dev/vda; echo "rc=$?"; cat /proc/swaps | wc -l')).toBe("rc=0\n1\n");
  });

  it("make a reader wait in D state for its data, the CPU idle in iowait, and then sleep as long as asked", () => {
    const run = session({ disks: [256 * MiB] });
    const up = (): number => Number(run("cat /proc/uptime").split(" ")[0]);
    const iowait = (): number => Number(run("head -1 /proc/stat").trim().split(/\s+/)[5]);
    const t0 = up();
    const w0 = iowait();
    // Readahead asks for 128 KiB at a time; the 8 asks of one 1 MiB read merge while queued:
    // 64 requests of 100 us + 256 pages x 8 us = 2.148 ms, 137 ms in all (read ticks add
    // up each ask's wait in the queue).
    expect(run("dd if=/dev/vda of=/dev/null bs=1M count=64")).toBe("64+0 records in\n64+0 records out\n");
    const t1 = up();
    expect(t1 - t0).toBeGreaterThanOrEqual(0.13);
    expect(t1 - t0).toBeLessThan(0.3);
    // The CPU idles in iowait for the transfer time less dd's own CPU time.
    const waited = iowait() - w0;
    expect(waited).toBeGreaterThanOrEqual(11);
    expect(waited).toBeLessThanOrEqual(14);
    expect(run("tr -s ' ' < /sys/block/vda/stat | cut -d' ' -f2-5")).toBe("64 448 131072 637\n");
    // The sleep after the transfer is a whole second (the I/O's timeout does not linger).
    run("dd if=/dev/vda of=/dev/null bs=4k count=1 skip=100 2>/dev/null; sleep 1");
    expect(up() - t1).toBeGreaterThanOrEqual(1);
  });
});
