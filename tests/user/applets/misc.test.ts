import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("seq, yes, true, false, sleep, basename, dirname", () => {
  // Each command then "echo $?": outputs checked against Debian's BusyBox 1.35.
  it.each([
    ["seq 3", "1\n2\n3\n0\n"],
    ["seq 1 2 7", "1\n3\n5\n7\n0\n"],
    ["seq -s, 3", "1,2,3\n0\n"],
    ["seq -w 8 10", "08\n09\n10\n0\n"],
    ["seq 1 0.3 2", "1.0\n1.3\n1.6\n1.9\n0\n"],
    ["seq 5 1", "0\n"],
    [
      "seq abc",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n\nPrint numbers from FIRST to LAST, in steps of INC.\nFIRST, INC default to 1.\n\n\t-w\tPad to last with leading zeros\n\t-s SEP\tString separator\n1\n",
    ],
    [
      "seq -1 1",
      "seq: invalid option -- '1'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n\nPrint numbers from FIRST to LAST, in steps of INC.\nFIRST, INC default to 1.\n\n\t-w\tPad to last with leading zeros\n\t-s SEP\tString separator\n1\n",
    ],
    ["yes a b | head -n 1", "a b\n0\n"],
    ["true --help", "0\n"],
    ["false", "1\n"],
    [
      "sleep",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n1\n",
    ],
    ["sleep 0.5 0.5", "0\n"],
    ["sleep 1x", "sleep: invalid number '1x'\n1\n"],
    ["sleep -1", "sleep: invalid number '-1'\n1\n"],
    ["basename /a/b/c.txt .txt", "c\n0\n"],
    ["basename -a /x/y /z/", "y\nz\n0\n"],
    ["basename -s .c a.c b.c", "a\nb\n0\n"],
    ["basename /", "/\n0\n"],
    [
      "basename a b c",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...\n\nStrip directory path and SUFFIX from FILE\n\n\t-a\t\tAll arguments are FILEs\n\t-s SUFFIX\tRemove SUFFIX (implies -a)\n1\n",
    ],
    ["dirname /a/b/c", "/a/b\n0\n"],
    ["dirname a", ".\n0\n"],
    ["dirname //a//b//", "//a\n0\n"],
    [
      "dirname a b",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: dirname FILENAME\n\nStrip non-directory suffix from FILENAME\n1\n",
    ],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(out);
  });

  // Numbers too big for the int BusyBox parses them into, checked against Debian's BusyBox 1.35.
  it.each([
    ["grep -m 99999999999 x /dev/null", "grep: invalid number '99999999999'\n2\n"],
    ["cut -f 99999999999 /dev/null", "cut: invalid number '99999999999'\n1\n"],
    ["uniq -f 99999999999 /dev/null", "uniq: invalid number '99999999999'\n1\n"],
    ["ls -w 99999999999 /dev/null", "ls: invalid number '99999999999'\n1\n"],
    ["tail -n 99999999999999999999 /dev/null", "tail: invalid number '99999999999999999999'\n1\n"],
    ["cut -c 1-99999999999 /dev/null", "cut: invalid number '99999999999'\n1\n"],
    ["sort -k 99999999999 /dev/null", "sort: bad field specification\n2\n"],
    ["busybox printf '%*d\\n' 99999999999 1", "printf: invalid number '99999999999'\n1\n0\n"],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(out);
  });

  it("sleep takes simulated time: s, m, h and d suffixes add up", () => {
    const r = sh(["cat /proc/uptime > /tmp/u0", "sleep 1m 0.5", "cat /proc/uptime /tmp/u0"]);
    const [after, before] = r.output.split("\n").map((l) => Number(l.split(" ")[0]));
    expect(after - before).toBeGreaterThanOrEqual(60.5);
    expect(after - before).toBeLessThan(61);
  });
});
