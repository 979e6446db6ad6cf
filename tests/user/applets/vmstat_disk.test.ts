/*
 * /proc/diskstats and vmstat's disk modes: the file repeats each disk's
 * stat counters after "major minor name"; vmstat -d, -D and -p print them
 * as procps-ng 4.0.2 does. The numbers come from real I/O: a hog swapping
 * to /dev/vda.
 */

import { describe, expect, it } from "vitest";
import { checkedRunner } from "../../helpers/machine.js";

const MiB = 1024 * 1024;

function swapped(): (line: string) => string {
  const run = checkedRunner({ machine: "pc", memory: 256 * MiB, disks: [512 * MiB] });
  run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
  run("memhog 300M > /dev/null");
  // swapoff reads back what is left: no more I/O to the disk afterwards, the counters stay put.
  run("swapoff /dev/vda");
  return run;
}

/** The counters of a /sys/block/NAME/stat or /proc/diskstats line after its name. */
const nums = (s: string): number[] => s.trim().split(/\s+/).map(Number);

describe("disk statistics", () => {
  it("/proc/diskstats lists every disk with its stat counters; vmstat -d, -D and -p print them", () => {
    const run = swapped();
    const stats = run("cat /proc/diskstats").split("\n").slice(0, -1);
    // "%4d %7d %s": major, minor, name, then the counters.
    expect(stats[0].startsWith(" 254       0 vda ")).toBe(true);
    const vda = nums(stats[0].slice(" 254       0 vda ".length));
    expect(vda).toHaveLength(17);
    expect(vda).toEqual(nums(run("cat /sys/block/vda/stat")));
    // The swap-out went there, pswpout pages of 8 sectors each, after mkswap's header page.
    const pswpout = Number(/pswpout (\d+)/.exec(run("grep pswpout /proc/vmstat"))![1]);
    expect(pswpout).toBeGreaterThan(10000);
    expect(vda[6]).toBe(8 + pswpout * 8);
    expect(stats[1]).toBe(` 253       0 zram0 ${new Array(17).fill(0).join(" ")}`);

    const col = (x: number, w: number): string => String(x).padStart(w);
    const [r, rm, rs, rt, w, wm, ws, wt, io, iot] = vda;
    expect(run("vmstat -d")).toBe(
      "disk- ------------reads------------ ------------writes----------- -----IO------\n" +
        "       total merged sectors      ms  total merged sectors      ms    cur    sec\n" +
        `vda   ${col(r, 6)} ${col(rm, 6)} ${col(rs, 7)} ${col(rt, 7)} ${col(w, 6)} ${col(wm, 6)} ${col(ws, 7)} ${col(wt, 7)}` +
        ` ${col(Math.trunc(io / 1000), 6)} ${col(Math.floor(iot / 1000), 6)}\n` +
        "zram0      0      0       0       0      0      0       0       0      0      0\n",
    );
    expect(run("vmstat -D")).toBe(
      [
        [2, "disks"],
        [0, "partitions"],
        [r, "total reads"],
        [rm, "merged reads"],
        [rs, "read sectors"],
        [rt, "milli reading"],
        [w, "writes"],
        [wm, "merged writes"],
        [ws, "written sectors"],
        [wt, "milli writing"],
        [Math.trunc(io / 1000), "inprogress IO"],
        [Math.trunc(iot / 1000), "milli spent IO"],
        [Math.trunc(vda[10] / 1000), "milli weighted IO"],
      ]
        .map(([n, what]) => `${String(n).padStart(13)} ${what}\n`)
        .join(""),
    );
    expect(run("vmstat -p /dev/vda")).toBe(
      "vda             reads      read sectors      writes  requested writes\n" +
        `${col(r, 21)}  ${col(rs, 16)}  ${col(w, 10)}  ${col(ws, 16)}\n`,
    );
  });

  it("vmstat's disk modes repeat with DELAY and COUNT, and refuse what procps refuses", () => {
    const run = swapped();
    const out = run("vmstat -d 1 2").split("\n");
    // The header comes back with each sample (every `rows - 3` entries, from the first).
    expect(out.filter((l) => l.startsWith("disk- "))).toHaveLength(2);
    expect(out.filter((l) => l.startsWith("vda "))).toHaveLength(2);
    expect(
      run("vmstat -n -d 1 2")
        .split("\n")
        .filter((l) => l.startsWith("disk- ")),
    ).toHaveLength(1);
    expect(run("vmstat -p vdx; echo rc=$?")).toBe("vmstat: Disk/Partition vdx not found\nrc=1\n");
    const both = run("vmstat -d -s; echo rc=$?");
    expect(both.startsWith("\nUsage:\n vmstat [options] [delay [count]]\n")).toBe(true);
    expect(both.endsWith("For more details see vmstat(8).\nrc=1\n")).toBe(true);
  });
});
