/*
 * The small /proc files of the console and the legacy tables: consoles
 * (fs/proc/consoles.c), execdomains (kernel/exec_domain.c), dma
 * (kernel/dma.c, x86 only), fb and locks (empty: no framebuffer, no locks),
 * sysvipc (headers only: no IPC objects).
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/consoles and friends", () => {
  it.each([
    // 8250: CON_PRINTBUFFER | CON_ANYTIME, tty 4:64
    ["pc", "ttyS0                -W- (EC p a)    4:64\n", " 4: cascade\n"],
    // PL011: CON_PRINTBUFFER only, tty 204:64; no ISA DMA
    [
      "vexpress-a9",
      "ttyAMA0              -W- (EC p  )  204:64\n",
      "cat: can't open '/proc/dma': No such file or directory\n",
    ],
    [
      "virt",
      "ttyAMA0              -W- (EC p  )  204:64\n",
      "cat: can't open '/proc/dma': No such file or directory\n",
    ],
  ] as const)("%s", (machine, consoles, dma) => {
    const r = sh(
      [
        "cat /proc/consoles",
        "cat /proc/execdomains",
        "cat /proc/dma 2>&1",
        "wc -c < /proc/fb; wc -c < /proc/locks",
      ],
      { machine },
    );
    expect(r.output).toBe(`${consoles}0-0\tLinux           \t[kernel]\n${dma}0\n0\n`);
  });

  it.each([
    ["pc", 21],
    ["vexpress-a9", 10],
  ] as const)(
    "sysvipc on %s: the header lines, shm's long columns as wide as an unsigned long",
    (machine, w) => {
      const r = sh(["cd /proc/sysvipc", "ls", "cat msg sem shm"], { machine });
      expect(r.output).toBe(
        "msg  sem  shm\n" +
          "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n" +
          "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n" +
          `       key      shmid perms ${"size".padStart(w)}  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime ${"rss".padStart(w)} ${"swap".padStart(w)}\n`,
      );
    },
  );
});
