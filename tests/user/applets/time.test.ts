import { describe, expect, it } from "vitest";
import { summarize } from "../../../src/user/applets/time.js";
import { sh } from "../../helpers/machine.js";

const ru = {
  ru_utime: 1_234_567_890,
  ru_stime: 65_432_100_000,
  ru_maxrss: 1040,
  ru_minflt: 51,
  ru_majflt: 2,
  ru_nvcsw: 7,
  ru_nivcsw: 1,
};

describe("time", () => {
  it("formats like BusyBox's summarize()", () => {
    const r = { waitstatus: 3 << 8, ru, elapsed_ms: 3_725_480 };
    expect(summarize("real\t%E\nuser\t%u\nsys\t%T", ["x"], r)).toBe(
      "real\t1h 2m 05s\nuser\t0m 1.23s\nsys\t1m 5.43s\n",
    );
    expect(summarize("%e %U %S %P %M %F %R %w %c %x %Z %W %C", ["cat", "-n", "f"], r)).toBe(
      "3725.48 1.23 65.43 1% 1040 2 51 7 1 3 4096 0 cat -n f\n",
    );
    // "%%", unknown letters and a trailing "%" print nothing; "\c" is c
    expect(summarize("a%%b%qc\\n\\\\%", [], { ...r, elapsed_ms: 0 })).toBe("abcn\\\n");
    expect(summarize("%P", [], { ...r, elapsed_ms: 0 })).toBe("?%\n");
  });

  it("reports on stderr after the command, and exits with its status", () => {
    const r = sh([
      "time cat /proc/version > /dev/null",
      "echo $?",
      "time -p echo hi",
      "time -f '%x %C' echo a b",
    ]);
    expect(r.output).toMatch(
      /^real\t0m 0\.\d\ds\nuser\t0m 0\.\d\ds\nsys\t0m 0\.\d\ds\n0\nhi\nreal 0\.\d\d\nuser 0\.\d\d\nsys 0\.\d\d\na b\n0 echo a b\n$/,
    );
  });

  it("counts the page faults of the child (wait4's rusage) with -v", () => {
    const r = sh(["time -v -o /tmp/r dd if=/dev/zero of=/tmp/x bs=1M count=2 2>/dev/null", "cat /tmp/r"]);
    const lines = r.output.split("\n");
    expect(lines[0]).toBe('\tCommand being timed: "dd if=/dev/zero of=/tmp/x bs=1M count=2"');
    expect(lines.map((l) => l.replace(/: .*/, ":"))).toEqual([
      "\tCommand being timed:",
      "\tUser time (seconds):",
      "\tSystem time (seconds):",
      "\tPercent of CPU this job got:",
      "\tElapsed (wall clock) time (h:mm:ss or m:ss):",
      "\tAverage shared text size (kbytes):",
      "\tAverage unshared data size (kbytes):",
      "\tAverage stack size (kbytes):",
      "\tAverage total size (kbytes):",
      "\tMaximum resident set size (kbytes):",
      "\tAverage resident set size (kbytes):",
      "\tMajor (requiring I/O) page faults:",
      "\tMinor (reclaiming a frame) page faults:",
      "\tVoluntary context switches:",
      "\tInvoluntary context switches:",
      "\tSwaps:",
      "\tFile system inputs:",
      "\tFile system outputs:",
      "\tSocket messages sent:",
      "\tSocket messages received:",
      "\tSignals delivered:",
      "\tPage size (bytes):",
      "\tExit status:",
      "",
    ]);
    const minflt = Number(/Minor \(reclaiming a frame\) page faults: (\d+)/.exec(r.output)![1]);
    expect(minflt).toBeGreaterThan(0);
    expect(r.output).toContain("\tPage size (bytes): 4096\n\tExit status: 0\n");
  });

  it("says how the command ended", () => {
    const r = sh([
      "time nosuch; echo rc=$?",
      "time sh -c 'exit 3'; echo rc=$?",
      "time sh -c 'kill -9 $$'; echo rc=$?",
      "time -o /tmp/t -p cat /nope; echo rc=$?",
      "cat /tmp/t",
    ]);
    const t = "real\t0m 0\\.\\d\\ds\\nuser\t0m 0\\.\\d\\ds\\nsys\t0m 0\\.\\d\\ds\\n";
    expect(r.output).toMatch(
      new RegExp(
        `^time: can't execute 'nosuch': No such file or directory\\nCommand exited with non-zero status 127\\n${t}rc=127\\n` +
          `Command exited with non-zero status 3\\n${t}rc=3\\n` +
          `Command terminated by signal 9\\n${t}rc=9\\n` +
          "cat: can't open '/nope': No such file or directory\\nrc=1\\n" +
          "Command exited with non-zero status 1\\nreal 0\\.\\d\\d\\nuser 0\\.\\d\\d\\nsys 0\\.\\d\\d\\n$",
      ),
    );
    expect(sh(["time", "echo $?"]).output).toBe(
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: time [-vpa] [-o FILE] PROG ARGS\n\n" +
        "Run PROG, display resource usage when it exits\n\n\t-v\tVerbose\n\t-p\tPOSIX output format\n\t-f FMT\tCustom format\n" +
        "\t-o FILE\tWrite result to FILE\n\t-a\tAppend (else overwrite)\n1\n",
    );
  });
});
