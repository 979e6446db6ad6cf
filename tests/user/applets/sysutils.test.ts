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
  it.each(["fallocate", "timeout"])("%s", (name) => {
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
      'ps -o pid,ppid,pgid,sid,tty,args | grep -v " \\[\\|ps -o\\|grep"',
    ]).output;
    expect(out).toBe(
      "PID   PPID  PGID  SID   TT     COMMAND\n" +
        "    1     0     1     1 ?      /init\n" +
        "   60     1    60    60 204,64 sh -l\n" +
        "   61    60    61    60 204,64 sleep 10\n" +
        "   65     1    65    65 ?      timeout 5 sleep 10\n",
    );
  });
});
