import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { badopt, usage } from "./util.js";

describe("test, [ and [[", () => {
  // "busybox test": the applet, not the shell's builtin. Checked against Debian's BusyBox 1.35.
  it.each([
    ["busybox test", "1\n"],
    ["busybox test a", "0\n"],
    ["busybox test ''", "1\n"],
    ["busybox test -n ''", "1\n"],
    ["busybox test -z ''", "0\n"],
    ["busybox test a = a", "0\n"],
    ["busybox test a != b", "0\n"],
    ["busybox test 1 -eq 1", "0\n"],
    ["busybox test 1 -lt 2", "0\n"],
    ["busybox test a -eq 1", "test: a: bad number\n2\n"],
    ["busybox test 1 -eq", "test: -eq: argument expected\n2\n"],
    ["busybox test -f /etc/passwd", "0\n"],
    ["busybox test -d /etc", "0\n"],
    ["busybox test -e /nope", "1\n"],
    ["busybox test '!' a", "1\n"],
    ["busybox test a -a ''", "1\n"],
    ["busybox test a -o ''", "0\n"],
    ["busybox test '(' a ')'", "0\n"],
    ["busybox test 1 -gt 2 -o 2 -gt 1", "0\n"],
    ["busybox test -x /bin/sh", "0\n"],
    ["busybox test -L /bin/sh", "0\n"],
    ["busybox test -s /etc/passwd", "0\n"],
    ["busybox test 99999999999999999999 -eq 1", "test: 99999999999999999999: out of range\n2\n"],
    ["busybox test -v", "0\n"],
    ["busybox test a b", "test: b: unknown operand\n2\n"],
    ["busybox test a =", "test: =: argument expected\n2\n"],
    ["busybox test -t 0", "0\n"],
    ["busybox test 2 -ge 2", "0\n"],
    ["busybox test '(' a", "test: closing paren expected\n2\n"],
    ["busybox test '(' '!' -e /nope ')'", "0\n"],
    ["busybox test 3 -lt 5 6", "test: 6: unknown operand\n2\n"],
    ["busybox test ' 12 ' -eq 12", "0\n"],
    ["busybox test x -eq 1 -o a", "test: x: bad number\n2\n"],
    ["busybox test -n", "0\n"],
    ["busybox test '!' '!' a", "0\n"],
    ["busybox test a -a '!'", "0\n"],
    ["busybox test '(' ')'", "test: closing paren expected\n2\n"],
    ["busybox [ 1 = 1 ]", "0\n"],
    ["busybox [ 1 = 1", "[: missing ]\n2\n"],
    ["busybox [[ 1 = 1 ]]", "0\n"],
    ["busybox [[ 1 = 1 ]", "[[: missing ]]\n2\n"],
    [
      "busybox [ --help",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nNo help available\n0\n",
    ],
    ["busybox test --help", "0\n"],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(out);
  });
});

describe("env", () => {
  it.each([
    ["env -i A=1 B=2 env", "A=1\nB=2\n0\n"],
    ["env -i A=1 env -u A", "0\n"],
    ["env -i A=1 env - B=2", "B=2\n0\n"],
    ["env -i nosuchcmd", "env: can't execute 'nosuchcmd': No such file or directory\n127\n"],
    ["env -i /etc/passwd", "env: can't execute '/etc/passwd': Permission denied\n126\n"],
    ["env -i X=1 sh -c 'echo $X'", "1\n0\n"],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(out);
  });

  it("rejects bad options", () => {
    expect(sh(["env -x", "echo $?"]).output).toBe(`${badopt("env", "x")}1\n`);
    expect(sh(["env -u", "echo $?"]).output).toBe(
      `env: option requires an argument -- 'u'\n${usage("env")}1\n`,
    );
  });
});
