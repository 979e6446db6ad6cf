/*
 * ext2 on a virtio disk: mke2fs lays the filesystem down through the /dev
 * node as BusyBox 1.35 does (geometry, output, errors), mount reads it
 * back through the device's page cache, file data lives in a per-inode
 * page cache (Cached, Dirty, Writeback moving as in the reference), and
 * what is written survives umount and mount. Invariants after every line.
 */

import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";

const MiB = 2 ** 20;

/** vexpress-a9 names the last --disk vda: the 256 MiB disk is vdb, as in the reference. */
function session(memory = 1024 * MiB) {
  const s = new PlainSession({ machine: "vexpress-a9", memory, disks: [256 * MiB, 512 * MiB] });
  return (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
}

const MKE2FS_256M = `Filesystem label=
OS type: Linux
Block size=1024 (log=0)
Fragment size=1024 (log=0)
65536 inodes, 262144 blocks
13107 blocks (5%) reserved for the super user
First data block=1
Maximum filesystem blocks=262144
32 block groups
8192 blocks per group, 8192 fragments per group
2048 inodes per group
Superblock backups stored on blocks:
\t8193, 24577, 40961, 57345, 73729, 204801, 221185
`;

describe("mke2fs", () => {
  it("prints BusyBox's geometry and writes the superblock and group descriptors", () => {
    const run = session();
    // The first read of /dev/urandom (the UUID) seeds the CRNG, which the kernel logs.
    expect(run("mke2fs /dev/vdb").replace(/^\[ *[\d.]+\] random: crng init done\n/m, "")).toBe(MKE2FS_256M);
    // s_magic 0xEF53 at byte 1080; s_blocks_count 262144, s_first_data_block 1.
    expect(run("od -A d -t x2 -j 1080 -N 2 /dev/vdb")).toBe("0001080 ef53\n0001082\n");
    expect(run("od -A d -t u4 -j 1028 -N 4 /dev/vdb")).toMatch(/^0001028 +262144\n/);
    // Group 0's descriptor: bitmaps at 3 and 4, inode table at 5 (block 2 holds the descriptors).
    expect(run("od -A d -t u4 -j 2048 -N 12 /dev/vdb")).toMatch(/^0002048 +3 +4 +5\n/);
  });

  it.each([
    ["mkfs.ext2 -n -b 4096 -L data /dev/vdb", "Filesystem label=data\n", "2 block groups\n"],
    [
      "mke2fs -n /dev/vdb 10000",
      "2512 inodes, 10000 blocks\n",
      "Superblock backups stored on blocks:\n\t8193\n",
    ],
    ["mke2fs -n /dev/vdb 8250", "warning: 57 blocks unused\n\n", "1 block groups\n"],
  ])("%s", (cmd, first, other) => {
    const run = session();
    const out = run(cmd);
    expect(out).toContain(first);
    expect(out).toContain(other);
  });

  it.each([
    ["mke2fs /dev/vdz", "mke2fs: can't open '/dev/vdz': No such file or directory\n"],
    ["mke2fs -m 60 /dev/vdb", "mke2fs: -m is bad\n"],
    ["mke2fs -b 1000 /dev/vdb", "mke2fs: blocksize 1000 is bad\n"],
    ["mke2fs /dev/null", "mke2fs: /dev/null: not a block device\n"],
    ["mke2fs /dev/vdb 50", "mke2fs: need >= 60 blocks\n"],
  ])("%s fails as BusyBox does", (cmd, err) => {
    const run = session();
    expect(run(`${cmd}; echo rc=$?`)).toBe(`${err}rc=1\n`);
  });
});

const MEMINFO = "grep -E '^(MemFree|Buffers|Cached|Dirty|Writeback):' /proc/meminfo";
const kB = (out: string, name: string): number =>
  Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(out)![1]);
const pgpgin = (run: (l: string) => string): number => Number(run("grep pgpgin /proc/vmstat").split(" ")[1]);
/** Console output without the printk timestamps. */
const untimed = (s: string): string => s.replace(/^\[ *\d+\.\d+\] /gm, "");

/** A fresh filesystem on vdb, mounted on /mnt/disk. */
function mounted() {
  const run = session();
  run("mke2fs /dev/vdb");
  run("mkdir -p /mnt/disk");
  const out = run("mount -t ext2 /dev/vdb /mnt/disk");
  return { run, out };
}

describe("ext2 mounted through the ext4 driver", () => {
  it("logs the mount as 6.1 does, lists the root and reports the geometry to df", () => {
    const { run, out } = mounted();
    expect(untimed(out)).toBe(
      "EXT4-fs (vdb): mounting ext2 file system using the ext4 subsystem\n" +
        "EXT4-fs (vdb): mounted filesystem without journal. Quota mode: none.\n",
    );
    expect(run("ls -l /mnt/disk")).toBe(
      "total 12\ndrwxr-xr-x    2 root     root         12288 Nov 22 01:36 lost+found\n",
    );
    // 262144 blocks less the overhead: block 0, 8 superblock+descriptor copies, 32 x (2 bitmaps + 256 inode table blocks).
    expect(run("df /mnt/disk")).toBe(
      "Filesystem           1K-blocks      Used Available Use% Mounted on\n" +
        "/dev/vdb                253871        13    240751   0% /mnt/disk\n",
    );
    expect(run("grep vdb /proc/mounts")).toBe("/dev/vdb /mnt/disk ext2 rw,relatime 0 0\n");
    expect(untimed(run("umount /mnt/disk"))).toBe("EXT4-fs (vdb): unmounting filesystem.\n");
  });

  it("creates, renames and removes files and directories, giving blocks and inodes back", () => {
    const { run } = mounted();
    const df0 = run("df -i /mnt/disk; df /mnt/disk");
    run("mkdir /mnt/disk/d");
    run("echo hello > /mnt/disk/d/h");
    expect(run("rmdir /mnt/disk/d; echo rc=$?")).toBe("rmdir: '/mnt/disk/d': Directory not empty\nrc=1\n");
    run("mv /mnt/disk/d/h /mnt/disk/h2");
    run("mv /mnt/disk/d /mnt/disk/e");
    expect(run("ls -l /mnt/disk")).toBe(
      "total 14\n" +
        "drwxr-xr-x    2 root     root          1024 Nov 22 01:36 e\n" +
        "-rw-r--r--    1 root     root             6 Nov 22 01:36 h2\n" +
        "drwxr-xr-x    2 root     root         12288 Nov 22 01:36 lost+found\n",
    );
    expect(run("cat /mnt/disk/h2")).toBe("hello\n");
    run("rmdir /mnt/disk/e");
    run("rm /mnt/disk/h2");
    expect(run("df -i /mnt/disk; df /mnt/disk")).toBe(df0);
  });

  it("keeps hard links and fast and slow symlinks across umount, and frees them", () => {
    const { run } = mounted();
    const df0 = run("df -i /mnt/disk; df /mnt/disk");
    const long = `/${"long/".repeat(14)}target`;
    run(`cd /mnt/disk; echo data > f; ln f g; ln -s /etc/hostname fast; ln -s ${long} slow; rm f; cd /`);
    run("umount /mnt/disk; mount -t ext2 /dev/vdb /mnt/disk");
    expect(run("ls -l /mnt/disk/fast /mnt/disk/g /mnt/disk/slow; cat /mnt/disk/g")).toBe(
      "lrwxrwxrwx    1 root     root            13 Nov 22 01:36 /mnt/disk/fast -> /etc/hostname\n" +
        "-rw-r--r--    1 root     root             5 Nov 22 01:36 /mnt/disk/g\n" +
        `lrwxrwxrwx    1 root     root            77 Nov 22 01:36 /mnt/disk/slow -> ${long}\n` +
        "data\n",
    );
    run("rm /mnt/disk/fast /mnt/disk/g /mnt/disk/slow");
    expect(run("df -i /mnt/disk; df /mnt/disk")).toBe(df0);
  });

  it("leaves written pages inactive; the second read activates them, however short the reads", () => {
    const { run } = mounted();
    const lists = (): number[] =>
      run("grep -E '^(Active|Inactive)\\(file\\)' /proc/meminfo").match(/\d+/g)!.map(Number);
    const [a0, i0] = lists();
    run("dd if=/dev/urandom of=/mnt/disk/f bs=1M count=8 2>/dev/null");
    const [a1, i1] = lists();
    // generic_perform_write marks nothing: 8 MiB more on the inactive list (only a few metadata
    // pages, marked at each lookup, move to the active one).
    expect(i1 - i0).toBeGreaterThanOrEqual(8192 - 16);
    expect(a1 - a0 + i1 - i0).toBeGreaterThanOrEqual(8192);
    expect(a1 - a0).toBeLessThan(16);
    run("cat /mnt/disk/f > /dev/null");
    const [a2] = lists();
    expect(a2 - a1).toBeLessThan(16);
    run("cat /mnt/disk/f > /dev/null");
    const [a3] = lists();
    expect(a3 - a2).toBeGreaterThanOrEqual(8192);
    // A small file read a line at a time (the shell's read: a byte per call): one access per page.
    run("seq 1 1000 > /mnt/disk/s");
    const [a4] = lists();
    run("while read -r l; do :; done < /mnt/disk/s");
    expect(lists()[0]).toBe(a4);
    run("while read -r l; do :; done < /mnt/disk/s");
    expect(lists()[0] - a4).toBe(4);
  });

  it("dirties the file's pages on write, cleans them on sync, drops them and reads them back", () => {
    const { run } = mounted();
    const m0 = run(MEMINFO);
    expect(run("dd if=/dev/urandom of=/mnt/disk/new32 bs=1M count=32")).toBe(
      "32+0 records in\n32+0 records out\n",
    );
    const m1 = run(MEMINFO);
    expect(kB(m1, "Cached") - kB(m0, "Cached")).toBe(32768);
    // The data, and the pages the new inode touched (its bitmap, its slot, the directory):
    // the blocks are only promised until writeback (delayed allocation).
    expect(kB(m1, "Dirty")).toBeGreaterThanOrEqual(32768);
    expect(kB(m1, "Dirty")).toBeLessThan(32768 + 32);
    const written = (): number => Number(run("grep nr_written /proc/vmstat").split(" ")[1]);
    const w0 = written();
    run("sync");
    // Every dirty page went through Writeback to the disk.
    expect(written() - w0).toBeGreaterThanOrEqual(8192);
    const m2 = run(MEMINFO);
    expect([kB(m2, "Dirty"), kB(m2, "Writeback"), kB(m2, "Cached")]).toEqual([0, 0, kB(m1, "Cached")]);
    const sample = run("od -A d -t x1 -j 20000000 -N 16 /mnt/disk/new32");
    run("echo 3 > /proc/sys/vm/drop_caches");
    expect(kB(run(MEMINFO), "Cached")).toBe(kB(m0, "Cached"));
    const in0 = pgpgin(run);
    run("cat /mnt/disk/new32 > /dev/null");
    const read = pgpgin(run) - in0;
    // 32 MiB of data and the indirect blocks that map it.
    expect(read).toBeGreaterThanOrEqual(32768);
    expect(read).toBeLessThan(32768 + 1024);
    expect(kB(run(MEMINFO), "Cached") - kB(m0, "Cached")).toBe(32768);
    expect(run("od -A d -t x1 -j 20000000 -N 16 /mnt/disk/new32")).toBe(sample);
    // A second read finds every page: no I/O.
    const in1 = pgpgin(run);
    run("cat /mnt/disk/new32 > /dev/null");
    expect(pgpgin(run)).toBe(in1);
  });

  it("keeps the data across umount and mount, and umount empties both caches", () => {
    const { run } = mounted();
    const m0 = run(MEMINFO);
    run("dd if=/dev/urandom of=/mnt/disk/r bs=64k count=20 2>/dev/null");
    run("printf 'line one\\nline two\\n' > /mnt/disk/text");
    run("mkdir /mnt/disk/sub; echo deep > /mnt/disk/sub/f");
    const sample = run("od -A d -t x1 -j 1000000 -N 16 /mnt/disk/r");
    run("umount /mnt/disk");
    const m1 = run(MEMINFO);
    expect([kB(m1, "Buffers"), kB(m1, "Cached"), kB(m1, "Dirty")]).toEqual([0, kB(m0, "Cached"), 0]);
    run("mount -t ext2 /dev/vdb /mnt/disk");
    expect(run("cat /mnt/disk/text /mnt/disk/sub/f")).toBe("line one\nline two\ndeep\n");
    expect(run("od -A d -t x1 -j 1000000 -N 16 /mnt/disk/r")).toBe(sample);
    expect(run("ls -l /mnt/disk/r")).toBe(
      "-rw-r--r--    1 root     root       1310720 Nov 22 01:36 /mnt/disk/r\n",
    );
  });

  it("reads a mapped file's pages from the disk and writes back what a shared mapping dirtied", () => {
    const { run } = mounted();
    run("dd if=/dev/zero of=/mnt/disk/f bs=1M count=4 2>/dev/null");
    run("sync; echo 3 > /proc/sys/vm/drop_caches");
    const m0 = run(MEMINFO);
    run("memhog -f/mnt/disk/f 4M >/dev/null 2>&1");
    const m1 = run(MEMINFO);
    expect(kB(m1, "Dirty") - kB(m0, "Dirty")).toBe(4096);
    expect(kB(m1, "Cached") - kB(m0, "Cached")).toBe(4096);
    run("umount /mnt/disk");
    run("mount -t ext2 /dev/vdb /mnt/disk");
    expect(run("od -A d -t x1 -j 4000000 -N 16 /mnt/disk/f")).toBe(
      "4000000 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff\n4000016\n",
    );
  });

  it("truncates on O_TRUNC: the blocks go back and the new contents stay", () => {
    const { run } = mounted();
    const df0 = run("df /mnt/disk");
    run("dd if=/dev/urandom of=/mnt/disk/t bs=1M count=8 2>/dev/null");
    run("echo short > /mnt/disk/t");
    expect(run("ls -l /mnt/disk/t; cat /mnt/disk/t")).toBe(
      "-rw-r--r--    1 root     root             6 Nov 22 01:36 /mnt/disk/t\nshort\n",
    );
    run("rm /mnt/disk/t");
    expect(run("df /mnt/disk")).toBe(df0);
  });

  it("writes and reads a file larger than RAM: reclaim takes the file's pages, the data comes back", () => {
    const run = session(64 * MiB);
    run("mke2fs /dev/vdb; mkdir -p /mnt/disk; mount -t ext2 /dev/vdb /mnt/disk");
    run("dd if=/dev/urandom of=/mnt/disk/big bs=1M count=96 2>/dev/null");
    const sample = run("od -A d -t x1 -j 90000000 -N 16 /mnt/disk/big");
    const in0 = pgpgin(run);
    run("cat /mnt/disk/big > /dev/null");
    // Most of the file had to come from the disk again (its pages were reclaimed while it was written).
    expect(pgpgin(run) - in0).toBeGreaterThan(48 * 1024);
    run("umount /mnt/disk; mount -t ext2 /dev/vdb /mnt/disk");
    expect(run("od -A d -t x1 -j 90000000 -N 16 /mnt/disk/big")).toBe(sample);
  });

  // The last block stays free: delayed allocation keeps room for the indirect blocks it may need.
  it("fills up with ENOSPC and gets the space back on rm", () => {
    const { run } = mounted();
    const df0 = run("df /mnt/disk");
    expect(run("dd if=/dev/zero of=/mnt/disk/big bs=1M count=300; echo rc=$?")).toBe(
      "dd: error writing '/mnt/disk/big': No space left on device\n247+0 records in\n246+0 records out\nrc=1\n",
    );
    // (after sync: writeback allocates the indirect blocks of what dd left dirty)
    expect(run("sync; df /mnt/disk")).toBe(
      "Filesystem           1K-blocks      Used Available Use% Mounted on\n" +
        "/dev/vdb                253871    253870         0 100% /mnt/disk\n",
    );
    run("rm /mnt/disk/big");
    expect(run("df /mnt/disk")).toBe(df0);
  });

  it.each([
    [
      "a disk without the ext2 magic",
      "mkdir -p /mnt/disk; mount -t ext2 /dev/vdb /mnt/disk; echo rc=$?",
      "EXT4-fs (vdb): VFS: Can't find ext4 filesystem\nmount: mounting /dev/vdb on /mnt/disk failed: Invalid argument\nrc=255\n",
    ],
  ])("refuses %s", (_what, cmd, out) => {
    const run = session();
    expect(untimed(run(cmd))).toBe(out);
  });

  it("refuses to format or unmount a busy filesystem", () => {
    const { run } = mounted();
    expect(run("mke2fs /dev/vdb; echo rc=$?")).toBe("mke2fs: can't format mounted filesystem\nrc=1\n");
    expect(run("cd /mnt/disk; umount /mnt/disk; echo rc=$?; cd /")).toBe(
      "umount: can't unmount /mnt/disk: Device or resource busy\nrc=1\n",
    );
  });
});
