import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";
const HDR = "Filesystem           1K-blocks      Used Available Use% Mounted on\n";

describe("dd", () => {
  it("copies in blocks and counts full and partial records on stderr", () => {
    const r = sh([
      "dd if=/dev/zero of=/tmp/z bs=1M count=4",
      "df /tmp",
      "echo hello | dd bs=2",
      "echo hello | dd ibs=2 obs=4",
    ]);
    expect(r.output).toBe(
      "4+0 records in\n4+0 records out\n" +
        `${HDR}tmpfs                   510364      4096    506268   1% /tmp\n` +
        "hello\n3+0 records in\n3+0 records out\nhello\n3+0 records in\n1+1 records out\n",
    );
  });

  // read_zero and urandom fill the whole buffer: records of 10 MiB are whole, not 1 MiB parts.
  it("reads whole big blocks from /dev/zero and /dev/urandom", () => {
    const r = sh([
      "dd if=/dev/zero of=/tmp/z bs=10M count=3",
      "ls -l /tmp/z | cut -c31-",
      "dd if=/dev/urandom bs=4M count=2 2>/dev/null | wc -c",
    ]);
    expect(r.output.replace(/^\[[ .0-9]+\] random: crng init done\n/m, "")).toBe(
      "3+0 records in\n3+0 records out\n     31457280 Nov 22 01:36 /tmp/z\n8388608\n",
    );
  });

  it("skips, seeks, pads, swaps and stops at count", () => {
    const r = sh([
      "echo hello world | dd bs=1 skip=6 count=3 2>/dev/null",
      "echo",
      "echo hello | dd bs=4 conv=sync 2>/dev/null | cat -v",
      "echo",
      "echo abcdef | dd conv=swab status=none",
      "printf 0123456789 > /tmp/f",
      "echo XY | dd of=/tmp/f bs=1 seek=3 count=2 conv=notrunc status=none",
      "cat /tmp/f",
      "echo",
      "echo XY | dd of=/tmp/f bs=1 seek=3 count=2 status=none",
      "cat -v /tmp/f",
      "echo",
      "echo 123456789 | dd iflag=skip_bytes,count_bytes skip=2 count=3 bs=2 status=none",
      "echo",
    ]);
    expect(r.output).toBe("wor\nhello\n^@^@\nbadcfe\n012XY56789\n012XY\n345\n");
  });

  it("reports its records on SIGUSR1 and carries on", () => {
    // (a moment for dd to start and catch SIGUSR1: the default action would kill it)
    const r = sh([
      "dd if=/dev/zero of=/dev/null bs=1k &",
      "sleep 0.1",
      "kill -USR1 %1",
      "sleep 0.1",
      "kill -USR1 %1",
      "kill %1",
    ]);
    // the signal may come between a read and its write: in can be one ahead of out
    const m = /^(\d+)\+0 records in\n(\d+)\+0 records out\n(\d+)\+0 records in\n(\d+)\+0 records out\n/.exec(
      r.output,
    );
    expect(m).not.toBeNull();
    const [in1, out1, in2, out2] = m!.slice(1).map(Number);
    expect(in1 - out1).toBeLessThanOrEqual(1);
    expect(in2 - out2).toBeLessThanOrEqual(1);
    expect(in2).toBeGreaterThan(in1);
  });

  it("holds its blocks in its own memory: a big bs is a big RSS, a bs past RAM and swap is out of memory", () => {
    const r = sh([
      "dd if=/dev/zero of=/dev/null bs=64M count=100000 2>/dev/null &",
      "sleep 1; grep -E '^(VmRSS|RssAnon)' /proc/$!/status | tr -s ' \\t' ' '; kill $!",
      "dd if=/dev/zero of=/dev/null bs=2000M count=1; echo rc=$?",
      "dd if=/dev/zero of=/dev/null bs=3G count=1; echo rc=$?",
      "dmesg | grep -c 'comm: dd, no enough memory'",
    ]);
    const [rss, anon, ...rest] = r.output.split("\n");
    // 64 MiB of buffer, the stack, the heap and the data it wrote.
    expect(Number(/VmRSS: (\d+) kB/.exec(rss)![1])).toBeGreaterThan(64 * 1024);
    expect(Number(/RssAnon: (\d+) kB/.exec(anon)![1])).toBeGreaterThanOrEqual(64 * 1024);
    // The console shows the kernel's warnings (time stamps dropped here).
    expect(rest.join("\n").replace(/^\[ *\d+\.\d+\] /gm, "")).toBe(
      [
        // 2000 MiB: the mapping, then sbrk and the mmap fallback, each refused by __vm_enough_memory.
        "__vm_enough_memory: pid: 65, comm: dd, no enough memory for the allocation",
        "__vm_enough_memory: pid: 65, comm: dd, no enough memory for the allocation",
        "__vm_enough_memory: pid: 65, comm: dd, no enough memory for the allocation",
        "dd: out of memory",
        "rc=1",
        "[1]+  Terminated                 dd if=/dev/zero of=/dev/null bs=64M count=100000 2>/dev/null",
        "dd: number 3G is not in 1..2147483647 range",
        "rc=1",
        "3",
        "",
      ].join("\n"),
    );
  });

  it("says what went wrong", () => {
    const r = sh([
      "dd if=/nope; echo rc=$?",
      "dd if=/dev/zero of=/nope/x count=1; echo rc=$?",
      "dd if=/dev/zero of=/dev/full count=1; echo rc=$?",
      "dd if=/dev/zero conv=bogus; echo rc=$?",
      "dd count=x; echo rc=$?",
      "dd bs=0 count=1; echo rc=$?",
    ]);
    expect(r.output).toBe(
      "dd: can't open '/nope': No such file or directory\nrc=1\n" +
        "dd: can't open '/nope/x': No such file or directory\nrc=1\n" +
        "dd: error writing '/dev/full': No space left on device\n1+0 records in\n0+0 records out\nrc=1\n" +
        "dd: invalid argument 'bogus' to 'conv'\nrc=1\n" +
        "dd: invalid number 'x'\nrc=1\n" +
        "dd: number 0 is not in 1..2147483647 range\nrc=1\n",
    );
    const u = sh(["dd bogus=1", "echo rc=$?"]).output;
    expect(
      u.startsWith(
        `${BANNER}\n\nUsage: dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]\n`,
      ),
    ).toBe(true);
    expect(
      u.endsWith("\nN may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G\nrc=1\n"),
    ).toBe(true);
  });
});

describe("df", () => {
  it("lists the filesystems with blocks, as the reference (no rootfs, no proc)", () => {
    expect(sh(["df"]).output).toMatch(
      new RegExp(
        `^${HDR}devtmpfs {16}\\d{6} {9}0 {4}\\d{6}   0% /dev\\ntmpfs {19}510364 {9}0 {4}510364   0% /tmp\\n$`,
      ),
    );
    const all = sh(["mount -t debugfs debugfs /sys/kernel/debug", "df -a"]).output.split("\n");
    expect(all).toContain("proc                         0         0         0   0% /proc");
    expect(all).toContain("debugfs                      0         0         0   0% /sys/kernel/debug");
  });

  it("prints other units, types, inodes and the POSIX format", () => {
    const r = sh(["df -h /tmp", "df -T -P /tmp/", "df -m -t tmpfs", "df -B 4k /tmp", "df -i /tmp"]);
    expect(r.output).toBe(
      "Filesystem                Size      Used Available Use% Mounted on\n" +
        "tmpfs                   498.4M         0    498.4M   0% /tmp\n" +
        "Filesystem           Type       1024-blocks    Used Available Capacity Mounted on\n" +
        "tmpfs                tmpfs         510364         0    510364   0% /tmp\n" +
        "Filesystem           1M-blocks      Used Available Use% Mounted on\n" +
        "tmpfs                      498         0       498   0% /tmp\n" +
        "Filesystem           4K-blocks      Used Available Use% Mounted on\n" +
        "tmpfs                   127591         0    127591   0% /tmp\n" +
        "Filesystem              Inodes      Used Available Use% Mounted on\n" +
        "tmpfs                   127591         1    127590   0% /tmp\n",
    );
    expect(sh(["df /nope; echo $?", "df -x"]).output).toBe(
      `${HDR}df: /nope: can't find mount point\n1\ndf: invalid option -- 'x'\n${BANNER}\n\n` +
        "Usage: df [-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]...\n\nPrint filesystem usage statistics\n\n" +
        "\t-P\tPOSIX output format\n\t-k\t1024-byte blocks (default)\n\t-m\t1M-byte blocks\n" +
        "\t-h\tHuman readable (e.g. 1K 243M 2G)\n\t-T\tPrint filesystem type\n\t-t TYPE\tPrint only mounts of this type\n" +
        "\t-a\tShow all filesystems\n\t-i\tInodes\n\t-B SIZE\tBlocksize\n",
    );
  });
});

describe("du", () => {
  it("sums st_blocks per directory, in KiB or other units", () => {
    const r = sh(["du /etc", "du -a /etc", "du -s -h /etc", "du -m /etc", "du -b -s /etc/passwd"]);
    expect(r.output).toBe(
      "4\t/etc/init.d\n16\t/etc\n" +
        // the rootfs is a tmpfs: its readdir meets the last unpacked entry first
        "4\t/etc/passwd\n4\t/etc/inittab\n4\t/etc/init.d/rcS\n4\t/etc/init.d\n4\t/etc/group\n16\t/etc\n" +
        "16.0K\t/etc\n1\t/etc/init.d\n1\t/etc\n123\t/etc/passwd\n",
    );
  });

  it("lets the later of -s and -d win, counts a directory once, and totals with -c", () => {
    const r = sh(["du -s -d 1 /etc", "du -d 1 -s /etc", "du -c /etc /etc/init.d /tmp"]);
    expect(r.output).toBe(
      "4\t/etc/init.d\n16\t/etc\n16\t/etc\n4\t/etc/init.d\n16\t/etc\n0\t/tmp\n16\ttotal\n",
    );
    expect(sh(["du /nope; echo $?", "du -d x /etc; echo $?"]).output).toBe(
      "du: /nope: No such file or directory\n1\ndu: invalid number 'x'\n1\n",
    );
  });
});

describe("umount", () => {
  it("unmounts by directory or device, and reports what it cannot", () => {
    const r = sh([
      "mount -t tmpfs scratch /mnt",
      "df /mnt",
      "umount scratch; echo $?",
      "umount /proc/../mnt/; echo $?",
      "umount /mnt; echo $?",
      "df /mnt",
    ]);
    // "scratch" is no path: like BusyBox (realpath fails) it goes to umount2 as it is.
    expect(r.output).toBe(
      `${HDR}scratch                 510364         0    510364   0% /mnt\n` +
        "umount: can't unmount scratch: No such file or directory\n1\n0\n" +
        // /mnt is on rootfs again, which df never shows
        `umount: can't unmount /mnt: Invalid argument\n1\n${HDR}`,
    );
    expect(sh(["umount", "echo $?"]).output).toBe(
      `${BANNER}\n\nUsage: umount [-rlfda] [-t FSTYPE] FILESYSTEM|DIRECTORY\n\nUnmount filesystems\n\n` +
        "\t-a\tUnmount all filesystems\n\t-r\tRemount devices read-only if mount is busy\n" +
        "\t-l\tLazy umount (detach filesystem)\n\t-f\tForce umount (i.e., unreachable NFS server)\n" +
        "\t-d\tFree loop device if it has been used\n\t-t FSTYPE[,...]\tUnmount only these filesystem type(s)\n1\n",
    );
  });
});
