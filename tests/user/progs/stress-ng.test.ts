/*
 * stress-ng's vm stressor: its log lines and metrics on a small machine
 * (whole outputs: the simulation is deterministic, pids included), its
 * option errors, what it maps (--vm-keep holds the share, P% is of
 * physical memory), and what it says when the OOM killer takes a worker.
 */

import { describe, expect, it } from "vitest";
import { session, sh } from "../../helpers/machine.js";
import { stableRootfs } from "../../helpers/rootfs.js";

const MiB = 1024 * 1024;
// (A fixed image: new labs and examples in rootfs/ would move the OOM runs' timings.)
const small = { memory: 64 * MiB, rootfs: stableRootfs() };

describe("stress-ng --vm", () => {
  it("runs for -t seconds of simulated time and reports as stress-ng 0.15 does", () => {
    const { output } = sh(
      "stress-ng --vm 2 --vm-bytes 8M --vm-hang 1 -t 3 --metrics-brief; echo rc=$?",
      small,
    );
    expect(output).toBe(
      [
        "stress-ng: info:  [61] setting to a 3 second run per stressor",
        "stress-ng: info:  [61] dispatching hogs: 2 vm",
        "stress-ng: info:  [61] stressor       bogo ops real time  usr time  sys time   bogo ops/s     bogo ops/s",
        "stress-ng: info:  [61]                           (secs)    (secs)    (secs)   (real time) (usr+sys time)",
        "stress-ng: info:  [61] vm                    6      3.00      0.00      0.01         2.00         373.02",
        "stress-ng: info:  [61] passed: 2: vm (2)",
        "stress-ng: info:  [61] failed: 0",
        "stress-ng: info:  [61] skipped: 0",
        "stress-ng: info:  [61] successful run completed in 3.00s",
        "rc=0",
        "",
      ].join("\n"),
    );
  });

  it("with -v tells what each process does", () => {
    const { output: out } = sh(
      "grep MemFree /proc/meminfo; stress-ng --vm 1 --vm-bytes 1M --vm-keep --vm-hang 0 -t 2 -v",
      small,
    );
    // RAM free is sysinfo's freeram as stress_uint64_to_str prints it: MemFree just before, to 0.1M.
    const memFree = Number(/MemFree: +(\d+) kB/.exec(out)![1]) / 1024;
    const ramFree = Number(/RAM free: ([0-9.]+)M/.exec(out)![1]);
    expect(Math.abs(ramFree - memFree)).toBeLessThan(0.3);
    expect(out.slice(out.indexOf("\n") + 1).replace(/RAM free: [0-9.]+M/, "RAM free: *")).toBe(
      [
        "stress-ng: debug: [62] invoked with 'stress-ng --vm 1 --vm-bytes 1M --vm-keep --vm-hang 0 -t 2 -v' by user 0",
        "stress-ng: debug: [62] RAM total: 45.9M, RAM free: *, swap free: 0.0",
        "stress-ng: debug: [62] 4 processors online, 4 processors configured",
        "stress-ng: info:  [62] setting to a 2 second run per stressor",
        "stress-ng: info:  [62] dispatching hogs: 1 vm",
        "stress-ng: debug: [62] starting stressors",
        "stress-ng: debug: [63] stress-ng-vm: started [63] (instance 0)",
        "stress-ng: debug: [63] stress-ng-vm using method 'all'",
        "stress-ng: debug: [63] stress-ng-vm: exited [63] (instance 0)",
        "stress-ng: debug: [62] process [63] terminated",
        "stress-ng: debug: [62] metrics-check: all stressor metrics validated and sane",
        "stress-ng: info:  [62] passed: 1: vm (1)",
        "stress-ng: info:  [62] failed: 0",
        "stress-ng: info:  [62] skipped: 0",
        "stress-ng: info:  [62] successful run completed in 2.00s",
        "",
      ].join("\n"),
    );
  });

  it.each(["INT", "TERM", "HUP"])("stops every worker and reports the run when sent SIG%s", (sig) => {
    const { output } = sh(
      `stress-ng --vm 2 --vm-bytes 8M --vm-hang 0 & sleep 2; kill -${sig} $!; wait; echo rc=$?; grep AnonPages /proc/meminfo`,
      small,
    );
    expect(output).toBe(
      [
        "stress-ng: info:  [61] defaulting to a 86400 second (1 day, 0.00 secs) run per stressor",
        "stress-ng: info:  [61] dispatching hogs: 2 vm",
        "stress-ng: info:  [61] passed: 2: vm (2)",
        "stress-ng: info:  [61] failed: 0",
        "stress-ng: info:  [61] skipped: 0",
        "stress-ng: info:  [61] successful run completed in 2.00s",
        "rc=0",
        "AnonPages:           120 kB",
        "[1]+  Done                       stress-ng --vm 2 --vm-bytes 8M --vm-hang 0",
        "",
      ].join("\n"),
    );
  });

  it("starts one worker per CPU for --vm 0", () => {
    expect(sh("stress-ng --vm 0 --vm-bytes 4M --vm-hang 0 -t 1 | grep dispatching", small).output).toBe(
      "stress-ng: info:  [61] dispatching hogs: 4 vm\n",
    );
  });

  it("says a day when no -t is given, and fails without stressors", () => {
    expect(sh("stress-ng; echo rc=$?", small).output).toBe(
      "stress-ng: info:  [61] defaulting to a 86400 second (1 day, 0.00 secs) run per stressor\n" +
        "stress-ng: error: [61] No stress workers invoked\nrc=1\n",
    );
  });

  it.each([
    ["--foo", "stress-ng: unrecognized option '--foo'\nTry 'stress-ng --help' for more information.\n"],
    ["-z", "stress-ng: invalid option -- 'z'\nTry 'stress-ng --help' for more information.\n"],
    ["--vm 1 --vm-bytes 12Q", "Illegal length specifier Q\n"],
    ["--vm 1 --vm-bytes 0", "Value 0.0B is out of range for vm-bytes, allowed: 4.0KB .. 4.0GB\n"],
    ["--vm 1 --vm-bytes -5%", "Invalid percentage -5%\n"],
    ["--vm 1 --vm-hang 4000", "Value 4000 is out of range for vm-hang, allowed: 0 .. 3600\n"],
    ["--vm 1 -t 5x", "Illegal time specifier x\n"],
    ["--vm abc", "Invalid number abc\n"],
    ["--vm 1 extra", "Error: unrecognised option: extra\n"],
    [
      "--vm 1 --vm-madvise often",
      "invalid vm-madvise advice 'often', allowed advice options are: dontneed hugepage mergeable nohugepage normal random sequential unmergeable willneed\n",
    ],
  ])("stress-ng %s fails with stress-ng's message and status 1", (args, message) => {
    expect(sh(`stress-ng ${args} 2>&1; echo rc=$?`, small).output).toBe(`${message}rc=1\n`);
  });
});

describe("what the workers map", () => {
  it.each([
    ["--vm 2 --vm-bytes 16M", 16 * 1024],
    ["--vm 1 --vm-bytes 25%", 0.25],
  ])("%s --vm-keep holds its share until the end, then gives it back", (args, want) => {
    const s = session(small);
    // One line, so that the shell reads meminfo while stress-ng runs in the background.
    const meminfo = "grep AnonPages /proc/meminfo";
    s.line(
      `grep MemTotal /proc/meminfo; ${meminfo}; stress-ng ${args} --vm-keep --vm-hang 0 -t 4 > /dev/null & sleep 2; ${meminfo}; wait; ${meminfo}`,
    );
    s.m.checkInvariants();
    const out = s.take();
    const total = Number(/MemTotal: +(\d+) kB/.exec(out)![1]);
    const [before, during, after] = [...out.matchAll(/AnonPages: +(\d+) kB/g)].map((m) => Number(m[1]));
    // P% is of MemTotal (sysinfo's totalram), page aligned.
    const expected = want < 1 ? Math.floor((total * want) / 4) * 4 : want;
    // The share itself, plus the three processes' own stacks, heaps and tables.
    expect(during - before).toBeGreaterThanOrEqual(expected);
    expect(during - before).toBeLessThan(expected + 512);
    expect(after).toBe(before);
  });
});

describe("under memory pressure", () => {
  it("gives up after 100 refused mmaps, 100 ms apart, when overcommit refuses the share", () => {
    const { output } = sh("stress-ng --vm 1 --vm-bytes 2G -t 12; echo rc=$?");
    expect(output.split("\n").filter((l) => /^(stress-ng: |rc=)/.test(l))).toEqual([
      "stress-ng: info:  [61] setting to a 12 second run per stressor",
      "stress-ng: info:  [61] dispatching hogs: 1 vm",
      "stress-ng: error: [63] stress-ng-vm: gave up trying to mmap, no available memory",
      "stress-ng: info:  [61] passed: 1: vm (1)",
      "stress-ng: info:  [61] failed: 0",
      "stress-ng: info:  [61] skipped: 0",
      "stress-ng: info:  [61] successful run completed in 10.00s",
      "rc=0",
    ]);
  });

  it("restarts a worker the OOM killer took, and says so only with -v", () => {
    const { output } = sh("stress-ng --vm 2 --vm-bytes 90% --vm-keep --vm-hang 0 -t 1 -v; echo rc=$?", small);
    const own = output.split("\n").filter((l) => l.startsWith("stress-ng: ") || l.startsWith("rc="));
    expect(own).toContain("stress-ng: debug: [62] stress-ng-vm: child died: signal 9 'SIGKILL' (instance 0)");
    expect(own).toContain(
      "stress-ng: debug: [62] stress-ng-vm: assuming killed by OOM killer, restarting again (instance 0)",
    );
    expect(
      own.some((l) => /stress-ng-vm: OOM restarts: [1-9]\d*, out of memory restarts: 0\.$/.test(l)),
    ).toBe(true);
    // Only workers (oom_score_adj 1000) died: both instances (-1000) passed. (The run overshoots
    // its second by a jiffy: a direct reclaim that freed nothing was throttled, NOPROGRESS.)
    expect(own.slice(-5)).toEqual([
      "stress-ng: info:  [61] passed: 2: vm (2)",
      "stress-ng: info:  [61] failed: 0",
      "stress-ng: info:  [61] skipped: 0",
      "stress-ng: info:  [61] successful run completed in 1.01s",
      "rc=0",
    ]);
  });
});
