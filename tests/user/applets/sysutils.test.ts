/*
 * sysutils.test.ts - the system applets a study of memory and processes
 * reaches for (fallocate, timeout, taskset, renice, ionice, mknod, chown...):
 * usage texts, bad options and edge cases recorded from the host's BusyBox
 * 1.35 (golden/*.cmds, scripts/record-applet-goldens.sh), and what the
 * simulated kernel shows for them where the host cannot be compared.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { procNums, sh } from "../../helpers/machine.js";

const dir = new URL("./golden/", import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), "utf8");

describe("system applets, as real BusyBox", () => {
  it.each([
    "fallocate",
    "timeout",
    "taskset",
    "renice",
    "ionice",
    "chown",
    "fileutils",
    "session",
    "blockdev",
  ])("%s", (name) => {
    expect(sh(read(`${name}.cmds`).trimEnd().split("\n")).output).toBe(read(`${name}.out`));
  });
});

describe("fallocate on tmpfs", () => {
  it("allocates shmem pages at once: Shmem and Cached rise by the size, df counts it", () => {
    const out = sh([
      "cat /proc/meminfo",
      "echo ==",
      "fallocate -l 100M /tmp/big",
      "cat /proc/meminfo",
      "echo ==",
      "df /tmp | tail -1",
    ]).output.split("==\n");
    const before = procNums(out[0]);
    const after = procNums(out[1]);
    expect(after.Shmem - before.Shmem).toBe(102400);
    expect(after.Cached - before.Cached).toBe(102400);
    expect(out[2]).toBe("tmpfs                   510364    102400    407964  20% /tmp\n");
  });
});

describe("timeout", () => {
  it("execs PROG in its own process; the watcher is a daemon of its own session", () => {
    const out = sh([
      "timeout 5 sleep 10 &",
      "sleep 1",
      'ps -o pid,ppid,pgid,sid,tty,args | grep -v " \\[\\|sh -l\\|grep"',
    ]).output;
    expect(out).toBe(
      "PID   PPID  PGID  SID   TT     COMMAND\n" +
        "    1     0     1     1 ?      /init\n" +
        "   61    60    61    60 204,64 sleep 10\n" +
        "   64     1    64    64 ?      timeout 5 sleep 10\n",
    );
  });
});

describe("taskset and the scheduler", () => {
  it("keeps tasks on their allowed CPUs, and moves a running one when its mask changes", () => {
    const out = sh([
      "taskset -c 2 yes > /dev/null &",
      "taskset -c 2 yes > /dev/null &",
      'sleep 1; for p in $(pidof yes); do cut -d" " -f39 /proc/$p/stat; grep Cpus_allowed /proc/$p/status; done',
      "head -5 /proc/stat",
      'taskset -p 8 $!; sleep 1; cut -d" " -f39 /proc/$!/stat; head -5 /proc/stat',
    ]).output;
    expect(out).toBe(
      "2\nCpus_allowed:\t4\nCpus_allowed_list:\t2\n".repeat(2) +
        "cpu  23 0 77 1618 0 0 0 0 0 0\n" +
        "cpu0 0 0 0 429 0 0 0 0 0 0\n" +
        "cpu1 0 0 0 429 0 0 0 0 0 0\n" +
        "cpu2 23 0 76 329 0 0 0 0 0 0\n" +
        "cpu3 0 0 0 429 0 0 0 0 0 0\n" +
        "pid 62's current affinity mask: 4\n" +
        "pid 62's new affinity mask: 8\n" +
        "3\n" +
        "cpu  69 0 231 1819 0 0 0 0 0 0\n" +
        "cpu0 0 0 0 529 0 0 0 0 0 0\n" +
        "cpu1 0 0 0 529 0 0 0 0 0 0\n" +
        "cpu2 46 0 153 329 0 0 0 0 0 0\n" +
        "cpu3 23 0 76 429 0 0 0 0 0 0\n",
    );
  });
});

describe("per-CPU kernel threads", () => {
  it("are bound to their CPU and refuse another mask (kthread_bind); unbound ones may run anywhere", () => {
    const out = sh(
      [
        "for n in ksoftirqd/1 migration/0 cpuhp/1 kworker/1:0H kswapd0; do p=$(pidof $n); echo $n $(cut -d' ' -f39 /proc/$p/stat) $(grep Cpus_allowed_list /proc/$p/status); done",
        "taskset -p 1 $(pidof ksoftirqd/1); echo rc=$?",
        "taskset -p 1 $(pidof kswapd0) | tail -1",
      ],
      { machine: "pc" },
    ).output;
    expect(out).toBe(
      [
        "ksoftirqd/1 1 Cpus_allowed_list: 1",
        "migration/0 0 Cpus_allowed_list: 0",
        "cpuhp/1 1 Cpus_allowed_list: 1",
        "kworker/1:0H 1 Cpus_allowed_list: 1",
        "kswapd0 0 Cpus_allowed_list: 0-1",
        "pid 21's current affinity mask: 2",
        "taskset: can't set pid 21's affinity: Invalid argument",
        "rc=1",
        "pid 40's new affinity mask: 1",
        "",
      ].join("\n"),
    );
  });
});

describe("kswapd and kcompactd", () => {
  it("keep to their node's CPUs on a NUMA machine (and may still be given another mask)", () => {
    const out = sh(
      [
        "for n in kswapd0 kswapd1 kcompactd1; do p=$(pidof $n); echo $n $(cut -d' ' -f39 /proc/$p/stat) $(grep Cpus_allowed_list /proc/$p/status); done",
        "taskset -p 1 $(pidof kswapd1) | tail -1",
      ],
      { machine: "virt", numa: 2, smp: 4 },
    ).output;
    expect(out).toBe(
      [
        "kswapd0 0 Cpus_allowed_list: 0,2",
        "kswapd1 1 Cpus_allowed_list: 1,3",
        "kcompactd1 1 Cpus_allowed_list: 1,3",
        "pid 51's new affinity mask: 1",
        "",
      ].join("\n"),
    );
  });
});

describe("renice and ionice", () => {
  it("changes what ps shows; -n -u takes the user's best priority, as getpriority(PRIO_USER) gives it", () => {
    const out = sh([
      "sleep 10 &",
      'renice 7 $!; ps -o pid,nice,stat,args | grep "[s]leep 10"',
      'renice -n 1 -u root; ps -o pid,nice,stat,args | head -3; cut -d" " -f19 /proc/$$/stat',
    ]).output;
    expect(out).toBe(
      "   61     7 S N  sleep 10\n" +
        "PID   NI    STAT COMMAND\n" +
        "    1   -19 S <  /init\n" +
        "    2   -19 SW<  [kthreadd]\n" +
        "-19\n",
    );
  });

  it("keeps each process's I/O class: a child given best-effort, the shell idle", () => {
    const out = sh([
      "ionice -c 3 -p $$; sleep 5 & ionice -c 2 -n 6 -p $!; ionice -p $!; ionice -p $$",
    ]).output;
    expect(out).toBe("best-effort: prio 6\nidle\n");
  });

  it("refuses a best-effort level past 7, as Linux 6.1's ioprio_check_cap does", () => {
    // (newer kernels keep hint bits there and take it: the host's BusyBox printed "prio 8")
    expect(sh(["ionice -c 2 -n 8 -p $$; echo rc=$?; ionice -t -c 2 -n 8 -p $$; echo rc=$?"]).output).toBe(
      "ionice: ioprio_set: Invalid argument\nrc=1\nrc=0\n",
    );
  });
});

describe("tty and setsid on the console", () => {
  it("names the console; setsid forks when the shell made it a group leader, the child has no terminal", () => {
    const out = sh([
      "tty; echo rc=$?",
      'setsid sh -c "echo \\$\\$ \\$(cut -d\\" \\" -f5-7 /proc/\\$\\$/stat)"; echo rc=$?; sleep 1',
      "setsid nonexist; echo rc=$?; sleep 1",
      "setsid -c tty; sleep 1; echo rc=$?",
    ]).output;
    expect(out).toBe(
      "/dev/ttyAMA0\nrc=0\nrc=0\n63 63 63 0\n" +
        // the parent returns at once; its child fails to exec a moment later
        "rc=0\nsetsid: can't execute 'nonexist': No such file or directory\n" +
        "/dev/ttyAMA0\nrc=0\n",
    );
  });
});

describe("blockdev on virtio disks and zram", () => {
  it("reports sizes, sector and block sizes, readahead; refuses what Linux refuses", () => {
    const MiB = 2 ** 20;
    const out = sh(
      [
        "mke2fs -q /dev/vda >/dev/null 2>&1; mount /dev/vda /mnt; echo 64M > /sys/block/zram0/disksize",
        'for o in --getsz --getsize --getsize64 --getss --getbsz --getro --getra; do echo "$o $(blockdev $o /dev/vda) $(blockdev $o /dev/vdb) $(blockdev $o /dev/zram0)"; done',
        "blockdev --setbsz 4096 /dev/vda; blockdev --setbsz 1024 /dev/zram0; blockdev --rereadpt /dev/zram0; blockdev --rereadpt /dev/vda",
        "blockdev --setra 16 /dev/vdb; blockdev --getra /dev/vdb; blockdev --setro /dev/vdb; echo x | dd of=/dev/vdb 2>&1 | head -1",
        "grep Buffers /proc/meminfo; blockdev --flushbufs /dev/vda; grep Buffers /proc/meminfo; umount /mnt; blockdev --getbsz /dev/vda",
      ],
      { disks: [256 * MiB, 64 * MiB + 3 * 512] },
    ).output;
    // virtio-mmio devices probe in reverse: vda is the second disk (64 MiB and 3 sectors), vdb the first
    expect(out).toBe(
      "[    3.565437] random: crng init done\n" +
        "[    3.573543] EXT4-fs (vda): mounting ext2 file system using the ext4 subsystem\n" +
        "[    3.573543] EXT4-fs (vda): mounted filesystem without journal. Quota mode: none.\n" +
        "[    3.573549] zram0: detected capacity change from 0 to 131072\n" +
        "--getsz 131075 524288 131072\n" +
        "--getsize 131075 524288 131072\n" +
        "--getsize64 67110400 268435456 67108864\n" +
        "--getss 512 512 4096\n" +
        "--getbsz 1024 4096 4096\n" +
        "--getro 0 0 0\n" +
        "--getra 256 256 256\n" +
        "blockdev: /dev/vda: Device or resource busy\n" +
        "blockdev: /dev/zram0: Invalid argument\n" +
        "blockdev: /dev/zram0: Invalid argument\n" +
        "16\n" +
        "dd: error writing '/dev/vdb': Operation not permitted\n" +
        "Buffers:            2112 kB\n" +
        "Buffers:               0 kB\n" +
        "[    3.577512] EXT4-fs (vda): unmounting filesystem.\n" +
        "512\n",
    );
  });
});
