/*
 * Pressure stall information (/proc/pressure): the format of psi_show, the
 * averages' arithmetic (calc_avgs with the kernel's fixed-point constants),
 * memory stalls from reclaim and I/O stalls from swapping, the decay when
 * the machine goes idle, and trigger writes.
 */

import { describe, expect, it } from "vitest";
import { PSI_MEM, psi_init, psi_show, psi_stall } from "../../../src/kernel/sched/psi.js";
import { checkedRunner } from "../../helpers/machine.js";

const MiB = 1024 * 1024;
const LINE = /^(some|full) avg10=\d+\.\d\d avg60=\d+\.\d\d avg300=\d+\.\d\d total=\d+$/;

/** The numbers of a pressure file: [some, full] x [avg10, avg60, avg300, total]. */
function parse(text: string): number[][] {
  return text
    .trim()
    .split("\n")
    .map((l) => [...l.matchAll(/=(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1])));
}

describe("pressure stall information", () => {
  it("starts at zero with three files of some and full lines, writable by all", () => {
    const run = checkedRunner({ machine: "pc", memory: 256 * MiB });
    expect(run("ls /proc/pressure")).toBe("cpu     io      memory\n");
    expect(run("ls -l /proc/pressure | cut -c1-10")).toBe("total 0\n-rw-rw-rw-\n-rw-rw-rw-\n-rw-rw-rw-\n");
    const zero =
      "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
    expect(run("cat /proc/pressure/memory")).toBe(zero);
    expect(run("cat /proc/pressure/io")).toBe(zero);
    // CPU full is undefined for the whole system: always zeros.
    expect(run("cat /proc/pressure/cpu").split("\n")[1]).toBe(
      "full avg10=0.00 avg60=0.00 avg300=0.00 total=0",
    );
  });

  it("averages a stall as calc_avgs does: 1 s stalled of a 2 s period", () => {
    const k = {
      clock: { ns: 0, hz: 100 },
      psi: psi_init(0, 100),
      sched: { cpus: [] },
    } as never as Parameters<typeof psi_show>[0];
    psi_stall(k, PSI_MEM, true, 0, 1e9);
    // The period is PSI_FREQ, 2 s and a tick (10 ms at HZ 100); the averages fold at its end.
    (k as { clock: { ns: number } }).clock.ns = 2.01e9;
    const pct = Math.floor((1e9 * 100) / 2.01e9) * 2048; // 49%
    const load = (exp: number): number => Math.floor((pct * (2048 - exp) + 2047) / 2048);
    const show = (x: number): string => `${x >> 11}.${String(((x & 2047) * 100) >> 11).padStart(2, "0")}`;
    const line = `avg10=${show(load(1677))} avg60=${show(load(1981))} avg300=${show(load(2034))} total=1000000`;
    expect(psi_show(k, PSI_MEM)).toBe(`some ${line}\nfull ${line}\n`);
    expect(line).toBe("avg10=8.87 avg60=1.60 avg300=0.33 total=1000000");
  });

  it("counts reclaim as memory stall and swap waits as I/O stall, then decays when idle", () => {
    const run = checkedRunner({ machine: "pc", memory: 256 * MiB, disks: [1024 * MiB] });
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    run("memhog 600M > /dev/null");
    run("sleep 2");
    const mem = parse(run("cat /proc/pressure/memory"));
    const io = parse(run("cat /proc/pressure/io"));
    for (const text of [run("cat /proc/pressure/memory"), run("cat /proc/pressure/io")])
      for (const l of text.trim().split("\n")) expect(l).toMatch(LINE);
    // Some stall time, full no more than some, and the 10 s average above the 300 s one.
    expect(mem[0][3]).toBeGreaterThan(50_000);
    expect(mem[1][3]).toBeLessThanOrEqual(mem[0][3]);
    expect(mem[0][0]).toBeGreaterThan(mem[0][2]);
    expect(io[0][3]).toBeGreaterThan(50_000);
    // Idle for a while: the totals stay, the 10 s average is gone, the 300 s one lingers.
    run("sleep 120");
    const later = parse(run("cat /proc/pressure/memory"));
    expect(later[0][3]).toBe(mem[0][3]);
    expect(later[0][0]).toBe(0);
    expect(later[0][2]).toBeGreaterThan(0);
  });

  it("accepts a trigger as psi_trigger_create does and refuses a bad one with EINVAL", () => {
    const run = checkedRunner({ machine: "pc", memory: 256 * MiB });
    expect(run('echo "some 150000 1000000" > /proc/pressure/memory; echo rc=$?')).toBe("rc=0\n");
    expect(run('echo "full 50000 500000" > /proc/pressure/io; echo rc=$?')).toBe("rc=0\n");
    for (const bad of ["some 150000 100", "some 0 1000000", "some 2000000 1000000", "most 1 2", "some 1000"])
      expect(run(`echo "${bad}" > /proc/pressure/memory; echo rc=$?`)).toBe(
        "sh: write error: Invalid argument\nrc=1\n",
      );
  });
});
